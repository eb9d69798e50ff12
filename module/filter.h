/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket filter of GET_SOCK and GET_COUNTS, parsed from netlink
 * attributes and applied in the kernel, before anything is copied out.
 */
#ifndef _TCPSTATE_FILTER_H
#define _TCPSTATE_FILTER_H

#include <linux/in6.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <net/inet_timewait_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/tcpstate.h>

struct netlink_ext_ack;

struct tcpstate_prefix {
	bool set;
	u8 family;
	u8 len;
	struct in6_addr addr;	/* IPv4 in s6_addr32[3] */
};

struct tcpstate_filter {
	u32 states;		/* 1 << state; never 0 after parsing */
	u8 family;		/* 0: any */
	u16 sport;		/* host order, 0: any */
	u16 dport;
	u16 port;		/* either end */
	struct tcpstate_prefix src;
	struct tcpstate_prefix dst;
	u64 min_age_ms;
	u32 flags;		/* TCPSTATE_F_* */
	u32 pid;		/* owner filter, 0: any */
	char comm[TASK_COMM_LEN];	/* owner filter, "": any */
	struct net *net;	/* only this netns; NULL: all */
};

/* The attribute policy entries shared by GET_SOCK and GET_COUNTS. */
extern const struct nla_policy tcpstate_prefix_policy[TCPSTATE_PREFIX_A_MAX + 1];

int tcpstate_filter_parse(struct tcpstate_filter *f, struct nlattr **attrs,
			  struct net *net, struct netlink_ext_ack *extack);

/* State as inet_diag reports it: a TIME_WAIT socket's substate. */
static inline int tcpstate_sk_state(const struct sock *sk)
{
	if (sk->sk_state == TCP_TIME_WAIT)
		return READ_ONCE(inet_twsk(sk)->tw_substate);
	return sk->sk_state;
}

/*
 * Does the socket pass everything but the age and owner filters? Reads
 * only struct sock_common, so it is valid for full, TIME_WAIT and request
 * sockets, under the hash bucket lock.
 */
bool tcpstate_filter_match(const struct tcpstate_filter *f,
			   const struct sock *sk, int state);

#endif /* _TCPSTATE_FILTER_H */
