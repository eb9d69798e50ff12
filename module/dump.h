/* SPDX-License-Identifier: GPL-2.0 */
/* The GET_SOCK and GET_COUNTS dump operations. */
#ifndef _TCPSTATE_DUMP_H
#define _TCPSTATE_DUMP_H

#include <net/genetlink.h>
#include <uapi/linux/tcpstate.h>

extern const struct nla_policy tcpstate_dump_policy[TCPSTATE_A_MAX + 1];

int tcpstate_sock_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpstate_sock_dump_done(struct netlink_callback *cb);

int tcpstate_counts_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpstate_counts_dump_done(struct netlink_callback *cb);

/* Filter from the request: netns scoping and the all-netns privilege. */
struct tcpstate_filter;
int tcpstate_dump_filter(struct netlink_callback *cb,
			 struct tcpstate_filter *f);

#endif /* _TCPSTATE_DUMP_H */
