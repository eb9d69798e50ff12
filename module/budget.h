/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-user bounds on what dumps in flight hold: a byte budget and a count
 * of dumps, so that no user can pin the module's tables in the kernel by
 * starting dumps it never reads.
 */
#ifndef _TCPSTATE_BUDGET_H
#define _TCPSTATE_BUDGET_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct netlink_ext_ack;
struct tcpstate_requester;

/*
 * Count a dump of @rq's user (and of its outermost user namespace and
 * that namespace's owner, budget.c) as in flight; fails with -EBUSY (and
 * an extack message) when one of them already has its maximum. Once entered,
 * tcpstate_budget_leave() must be called; it also returns what is still
 * charged.
 */
int tcpstate_budget_enter(struct tcpstate_requester *rq,
			  struct netlink_ext_ack *extack);
void tcpstate_budget_leave(struct tcpstate_requester *rq);

/*
 * Charge @bytes a dump of @rq holds to its user (and namespace, as
 * above); -ENOBUFS when they do not fit in one of those budgets (then
 * nothing is charged). Requesters with
 * CAP_NET_ADMIN in the initial user namespace are counted but never
 * refused.
 */
int tcpstate_budget_charge(struct tcpstate_requester *rq, size_t bytes);
void tcpstate_budget_uncharge(struct tcpstate_requester *rq, size_t bytes);

/* The extack message for -ENOBUFS from tcpstate_budget_charge(). */
#define TCPSTATE_BUDGET_MSG \
	"this user's (or its user namespace's) dumps in flight hold their memory budget (module parameters user_dump_kb, userns_dump_kb); read or close them"

/*
 * Dumps in flight of user @uid and the bytes they hold, including those
 * of the user namespaces it owns (budget.c).
 */
void tcpstate_budget_user(kuid_t uid, u32 *dumps, u64 *bytes);

#endif /* _TCPSTATE_BUDGET_H */
