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
 * and the dump's own state, set up by the first .dumpit. Both are freed
 * by .done.
 */
struct tcpstate_dump_cb {
	struct tcpstate_requester *req;
	void *state;
};

static inline struct tcpstate_dump_cb *
tcpstate_dump_cb(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct tcpstate_dump_cb) > sizeof(cb->ctx));
	return (struct tcpstate_dump_cb *)cb->ctx;
}

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
