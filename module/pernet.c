// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: counters and the /proc/net/tcpstate file.
 */
#include <linux/module.h>
#include <net/netns/generic.h>

#include "tcpstate.h"
#include "proc.h"

static unsigned int tcpstate_net_id __read_mostly;

/*
 * NULL until our pernet init has run for @net. A namespace allocated just
 * before the module registered its pernet ops has a net_generic array too
 * short for our id until that init grows it, and net_generic() would read
 * past its end: a probe can fire for a kernel socket of a namespace
 * being set up, so check the length.
 */
struct tcpstate_net *tcpstate_pernet(const struct net *net)
{
	struct net_generic *ng;
	void *ptr = NULL;

	rcu_read_lock();
	ng = rcu_dereference(net->gen);
	if (tcpstate_net_id < ng->s.len)
		ptr = ng->ptr[tcpstate_net_id];
	rcu_read_unlock();
	return ptr;
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
