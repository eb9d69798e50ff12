// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: counters and the /proc/net/tcpstate file.
 */
#include <linux/module.h>
#include <net/netns/generic.h>

#include "tcpstate.h"
#include "proc.h"

static unsigned int tcpstate_net_id __read_mostly;

struct tcpstate_net *tcpstate_pernet(const struct net *net)
{
	return net_generic(net, tcpstate_net_id);
}

static int __net_init tcpstate_net_init(struct net *net)
{
	/* net_generic storage comes zeroed; only the proc file needs work. */
	return tcpstate_proc_net_init(net);
}

static void __net_exit tcpstate_net_exit(struct net *net)
{
	tcpstate_proc_net_exit(net);
}

static struct pernet_operations tcpstate_net_ops = {
	.init = tcpstate_net_init,
	.exit = tcpstate_net_exit,
	.id = &tcpstate_net_id,
	.size = sizeof(struct tcpstate_net),
};

int tcpstate_pernet_init(void)
{
	return register_pernet_subsys(&tcpstate_net_ops);
}

void tcpstate_pernet_exit(void)
{
	unregister_pernet_subsys(&tcpstate_net_ops);
}
