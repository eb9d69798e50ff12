// SPDX-License-Identifier: GPL-2.0
/*
 * The identity of a dump's requester.
 *
 * netlink runs a dump's first .dumpit from the sender's sendmsg() only if
 * the reply fits in its receive buffer at once; otherwise, and for every
 * later part, .dumpit runs from recvmsg() of whichever process reads the
 * socket, which may be another, more privileged one (the socket can be
 * passed with SCM_RIGHTS or inherited). So nothing in a dump may ask
 * current who it is. .start is the one callback that always runs in the
 * sender's sendmsg(): it takes the credentials, the pid namespace and the
 * privilege decisions here, and the dump reads them from this struct.
 *
 * The same holds for memory: GFP_KERNEL_ACCOUNT charges current's memory
 * cgroup, so the sender's is taken here and made active around every
 * .dumpit (dump.c).
 *
 * The request itself is still validated in the first .dumpit, because on
 * 6.1 an error of .start reaches user space without its extack message.
 */
#include <linux/cred.h>
#include <linux/memcontrol.h>
#include <linux/netlink.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "tcpstate.h"
#include "budget.h"
#include "requester.h"

struct tcpstate_requester *tcpstate_requester_capture(struct sk_buff *skb)
{
	struct tcpstate_requester *rq;
	struct pid_namespace *pidns;

	rq = kzalloc(sizeof(*rq), GFP_KERNEL_ACCOUNT);
	if (!rq)
		return NULL;
	tcpstate_obj_get();
	pidns = task_active_pid_ns(current);
	rq->cred = get_current_cred();
	rq->pidns = get_pid_ns(pidns);
	rq->tgid = get_pid(task_tgid(current));
	/*
	 * Memory is charged by process (its mm), not by thread: the memory
	 * controller is not threaded. NULL when memcg is off or disabled.
	 */
	rq->memcg = get_mem_cgroup_from_mm(current->mm);
	/*
	 * Both need the capability in the socket opener's credentials and
	 * in the sender's (netlink_ns_capable() checks both): the sender is
	 * current here, and only here.
	 */
	rq->host_admin = netlink_capable(skb, CAP_NET_ADMIN);
	return rq;
}

void tcpstate_requester_free(struct tcpstate_requester *rq)
{
	if (!rq)
		return;
	/*
	 * Before put_cred(): the budget's namespace entry is keyed by a
	 * user_namespace that these credentials hold (budget.c).
	 */
	tcpstate_budget_leave(rq);
	mem_cgroup_put(rq->memcg);
	put_pid(rq->tgid);
	put_pid_ns(rq->pidns);
	put_cred(rq->cred);
	kfree(rq);
	tcpstate_obj_put();
}
