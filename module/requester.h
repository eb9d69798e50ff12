/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who asked for a dump: the sender's identity and privilege, captured once
 * in the dump's .start (the sender's sendmsg()) and read by every later
 * .dumpit, which may run in whichever process reads the socket.
 */
#ifndef _TCPSTATE_REQUESTER_H
#define _TCPSTATE_REQUESTER_H

#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/types.h>

struct mem_cgroup;
struct sk_buff;

#define TCPSTATE_BUDGET_ENTRIES 3

struct tcpstate_requester {
	const struct cred *cred;	/* the sender's subjective credentials */
	struct pid_namespace *pidns;	/* the sender's active pid namespace */
	struct pid *tgid;		/* the sender's process */
	/* CAP_NET_ADMIN in the initial user namespace (opener and sender) */
	bool host_admin;
	/*
	 * The sender's memory cgroup (a reference; NULL without memcg):
	 * every .dumpit allocates with it active, dump.c.
	 */
	struct mem_cgroup *memcg;
	/*
	 * budget.c, while the dump is in flight: the user's entry, that of
	 * its outermost user namespace's owner (if another user), and that
	 * of that namespace (NULL in the initial one)
	 */
	struct tcpstate_budget_user *budget[TCPSTATE_BUDGET_ENTRIES];
	u64 charged;			/* bytes charged to it */
};

/*
 * Capture the identity of the process sending @skb; must run in that
 * process's sendmsg() (a dump's .start, a doit). NULL on allocation failure.
 */
struct tcpstate_requester *tcpstate_requester_capture(struct sk_buff *skb);
/* Also returns what the dump charged to its user's budget. */
void tcpstate_requester_free(struct tcpstate_requester *rq);

#endif /* _TCPSTATE_REQUESTER_H */
