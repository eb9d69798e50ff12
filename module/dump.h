/* SPDX-License-Identifier: GPL-2.0 */
/* The GET_SOCK and GET_COUNTS dump operations. */
#ifndef _TCPSTATE_DUMP_H
#define _TCPSTATE_DUMP_H

#include <net/genetlink.h>
#include <uapi/linux/tcpstate.h>

#include "requester.h"

extern const struct nla_policy tcpstate_dump_policy[TCPSTATE_A_MAX + 1];

/*
 * What both dumps keep in cb->ctx: the requester, captured by .start,
 * and the dump's own state, allocated by the first .dumpit and built by
 * the second (dump.c). Both are freed by .done.
 */
struct tcpstate_dump_cb {
	struct tcpstate_requester *req;
	void *state;
	bool built;		/* ops->build() succeeded */
};

static inline struct tcpstate_dump_cb *
tcpstate_dump_cb(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct tcpstate_dump_cb) > sizeof(cb->ctx));
	return (struct tcpstate_dump_cb *)cb->ctx;
}

/*
 * One kind of dump, run by tcpstate_dumpit() in three steps:
 *  - first .dumpit (in the sender's sendmsg(), under genetlink's cb_lock):
 *    the dump counts against its user's budget, a zeroed state of @size
 *    bytes is charged and allocated, and @validate() checks the request
 *    (cheap: no table, no walk). Then one NLMSG_NOOP goes out and the
 *    call returns;
 *  - second .dumpit (from the reader's recvmsg(), outside cb_lock):
 *    @build() does the expensive setup (owner scan, walk, sort); on error
 *    the state stays for @free();
 *  - it and every later .dumpit: @fill() fills @skb, returning its length
 *    (0 when done) or an error.
 * @free() releases a state whatever step it reached (.done).
 */
struct tcpstate_dump_ops {
	size_t size;
	int (*validate)(struct netlink_callback *cb, void *state);
	int (*build)(struct netlink_callback *cb, void *state);
	int (*fill)(struct sk_buff *skb, struct netlink_callback *cb,
		    void *state);
	void (*free)(void *state);
};

int tcpstate_dumpit(const struct tcpstate_dump_ops *ops, struct sk_buff *skb,
		    struct netlink_callback *cb);
/* .done: frees the state (@ops->free) and the requester. */
int tcpstate_dump_done(const struct tcpstate_dump_ops *ops,
		       struct netlink_callback *cb);

/* .start of both dumps: captures the requester, validates nothing. */
int tcpstate_dump_start(struct netlink_callback *cb);

int tcpstate_sock_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpstate_sock_dump_done(struct netlink_callback *cb);

int tcpstate_counts_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpstate_counts_dump_done(struct netlink_callback *cb);

/*
 * Charge @bytes the dump holds to its requester's budget (budget.c); on
 * -ENOBUFS sets the extack message.
 */
int tcpstate_dump_charge(struct netlink_callback *cb, size_t bytes);

/* Filter from the request: netns scoping and the all-netns privilege. */
struct tcpstate_filter;
int tcpstate_dump_filter(struct netlink_callback *cb,
			 const struct tcpstate_requester *rq,
			 struct tcpstate_filter *f);

#endif /* _TCPSTATE_DUMP_H */
