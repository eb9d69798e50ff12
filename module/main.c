// SPDX-License-Identifier: GPL-2.0
/*
 * tcpstate: module entry and exit. Every init step has an undo step, run in
 * reverse order on failure and on unload.
 */
#include <linux/module.h>

#include "tcpstate.h"
#include "events.h"
#include "netlink.h"
#include "track.h"
#include "version.h"

atomic64_t tcpstate_objects = ATOMIC64_INIT(0);

static int __init tcpstate_init(void)
{
	int ret;

	ret = tcpstate_track_init();
	if (ret)
		return ret;

	ret = tcpstate_pernet_init();
	if (ret)
		goto err_track;

	ret = tcpstate_genl_init();
	if (ret)
		goto err_pernet;

	/* Without these probes the module still works, with less. */
	tcpstate_track_attach();
	tcpstate_events_attach();

	pr_info("version %s loaded\n", TCPSTATE_VERSION);
	return 0;

err_pernet:
	tcpstate_pernet_exit();
err_track:
	tcpstate_track_exit();
	return ret;
}

static void __exit tcpstate_exit(void)
{
	tcpstate_events_detach();
	tcpstate_track_detach();
	tcpstate_genl_exit();
	tcpstate_pernet_exit();
	tcpstate_track_exit();
	if (atomic64_read(&tcpstate_objects))
		pr_err("%lld objects leaked\n",
		       (long long)atomic64_read(&tcpstate_objects));
}

module_init(tcpstate_init);
module_exit(tcpstate_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("tcpstate developers");
MODULE_DESCRIPTION("Stuck TCP sockets, their owners and close-time events");
MODULE_VERSION(TCPSTATE_VERSION);
MODULE_ALIAS_GENL_FAMILY(TCPSTATE_GENL_NAME);
