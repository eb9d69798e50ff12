// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and matching of the socket filter. Every user-supplied value is
 * checked here, with an extack message naming the attribute at fault.
 */
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/inet_timewait_sock.h>
#include <net/ipv6.h>
#include <net/tcp_states.h>

#include "tcpstate.h"
#include "filter.h"

const struct nla_policy tcpstate_prefix_policy[TCPSTATE_PREFIX_A_MAX + 1] = {
	[TCPSTATE_PREFIX_A_FAMILY] = { .type = NLA_U8 },
	[TCPSTATE_PREFIX_A_ADDR] = NLA_POLICY_MIN_LEN(sizeof(__be32)),
	[TCPSTATE_PREFIX_A_LEN] = { .type = NLA_U8 },
};

static int parse_prefix(struct tcpstate_prefix *p, struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCPSTATE_PREFIX_A_MAX + 1];
	int ret, alen, maxlen;

	ret = nla_parse_nested(tb, TCPSTATE_PREFIX_A_MAX, nest,
			       tcpstate_prefix_policy, extack);
	if (ret)
		return ret;
	if (!tb[TCPSTATE_PREFIX_A_FAMILY] || !tb[TCPSTATE_PREFIX_A_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "address prefix needs a family and an address");
		return -EINVAL;
	}
	p->family = nla_get_u8(tb[TCPSTATE_PREFIX_A_FAMILY]);
	alen = nla_len(tb[TCPSTATE_PREFIX_A_ADDR]);
	switch (p->family) {
	case AF_INET:
		maxlen = 32;
		if (alen != sizeof(__be32))
			goto bad_addr;
		ipv6_addr_set_v4mapped(nla_get_in_addr(tb[TCPSTATE_PREFIX_A_ADDR]),
				       &p->addr);
		break;
	case AF_INET6:
		maxlen = 128;
		if (alen != sizeof(struct in6_addr))
			goto bad_addr;
		p->addr = nla_get_in6_addr(tb[TCPSTATE_PREFIX_A_ADDR]);
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[TCPSTATE_PREFIX_A_FAMILY],
				    "address family must be AF_INET or AF_INET6");
		return -EINVAL;
	}
	p->len = maxlen;
	if (tb[TCPSTATE_PREFIX_A_LEN]) {
		p->len = nla_get_u8(tb[TCPSTATE_PREFIX_A_LEN]);
		if (p->len > maxlen) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCPSTATE_PREFIX_A_LEN],
					    "prefix length too long for the family");
			return -EINVAL;
		}
	}
	p->set = true;
	return 0;

bad_addr:
	NL_SET_ERR_MSG_ATTR(extack, tb[TCPSTATE_PREFIX_A_ADDR],
			    "address length does not match the family");
	return -EINVAL;
}

int tcpstate_filter_parse(struct tcpstate_filter *f, struct nlattr **attrs,
			  struct net *net, struct netlink_ext_ack *extack)
{
	int ret;

	memset(f, 0, sizeof(*f));
	f->net = net;
	f->states = TCPSTATE_STATE_MASK_ALL;
	if (attrs[TCPSTATE_A_STATE_MASK]) {
		f->states = nla_get_u32(attrs[TCPSTATE_A_STATE_MASK]);
		if (!f->states) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[TCPSTATE_A_STATE_MASK],
					    "empty state mask");
			return -EINVAL;
		}
	}
	/* Request sockets are what SYN_RECV means to ss and inet_diag. */
	if (f->states & (1U << TCP_SYN_RECV))
		f->states |= 1U << TCP_NEW_SYN_RECV;

	if (attrs[TCPSTATE_A_FAMILY]) {
		f->family = nla_get_u8(attrs[TCPSTATE_A_FAMILY]);
		if (f->family != AF_INET && f->family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[TCPSTATE_A_FAMILY],
					    "family must be AF_INET or AF_INET6");
			return -EINVAL;
		}
	}
	if (attrs[TCPSTATE_A_SPORT])
		f->sport = nla_get_u16(attrs[TCPSTATE_A_SPORT]);
	if (attrs[TCPSTATE_A_DPORT])
		f->dport = nla_get_u16(attrs[TCPSTATE_A_DPORT]);
	if (attrs[TCPSTATE_A_PORT])
		f->port = nla_get_u16(attrs[TCPSTATE_A_PORT]);
	if (attrs[TCPSTATE_A_SRC]) {
		ret = parse_prefix(&f->src, attrs[TCPSTATE_A_SRC], extack);
		if (ret)
			return ret;
	}
	if (attrs[TCPSTATE_A_DST]) {
		ret = parse_prefix(&f->dst, attrs[TCPSTATE_A_DST], extack);
		if (ret)
			return ret;
	}
	if (attrs[TCPSTATE_A_MIN_AGE_MS])
		f->min_age_ms = nla_get_u64(attrs[TCPSTATE_A_MIN_AGE_MS]);
	if (attrs[TCPSTATE_A_FLAGS]) {
		f->flags = nla_get_u32(attrs[TCPSTATE_A_FLAGS]);
		if (f->flags & ~__TCPSTATE_F_ALL) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[TCPSTATE_A_FLAGS],
					    "unknown flags");
			return -EOPNOTSUPP;
		}
	}
	/* Owner filters need the owners: they imply TCPSTATE_F_PROCESSES. */
	if (attrs[TCPSTATE_A_PID]) {
		f->pid = nla_get_u32(attrs[TCPSTATE_A_PID]);
		f->flags |= TCPSTATE_F_PROCESSES;
	}
	if (attrs[TCPSTATE_A_COMM]) {
		/* The policy bounds it to TASK_COMM_LEN - 1 and a NUL. */
		nla_strscpy(f->comm, attrs[TCPSTATE_A_COMM], sizeof(f->comm));
		if (!f->comm[0]) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[TCPSTATE_A_COMM],
					    "empty process name");
			return -EINVAL;
		}
		f->flags |= TCPSTATE_F_PROCESSES;
	}
	return 0;
}

/* @addr: the socket's address, IPv4 as a v4-mapped IPv6 address. */
static bool prefix_match(const struct tcpstate_prefix *p,
			 const struct in6_addr *addr)
{
	/*
	 * An IPv4 prefix is stored v4-mapped, so it matches both AF_INET and
	 * IPv4-mapped AF_INET6 sockets with one comparison.
	 */
	if (p->family == AF_INET)
		return ipv6_prefix_equal(addr, &p->addr, 96 + p->len);
	return ipv6_prefix_equal(addr, &p->addr, p->len);
}

static void sk_addrs(const struct sock *sk, struct in6_addr *saddr,
		     struct in6_addr *daddr)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		*saddr = sk->sk_v6_rcv_saddr;
		*daddr = sk->sk_v6_daddr;
		return;
	}
#endif
	ipv6_addr_set_v4mapped(sk->sk_rcv_saddr, saddr);
	ipv6_addr_set_v4mapped(sk->sk_daddr, daddr);
}

bool tcpstate_filter_match(const struct tcpstate_filter *f,
			   const struct sock *sk, int state)
{
	struct in6_addr saddr, daddr;
	u16 sport, dport;

	if (f->net && !net_eq(sock_net(sk), f->net))
		return false;
	if (!(f->states & (1U << state)))
		return false;
	if (f->family && sk->sk_family != f->family)
		return false;
	sport = sk->sk_num;
	dport = ntohs(sk->sk_dport);
	if (f->sport && sport != f->sport)
		return false;
	if (f->dport && dport != f->dport)
		return false;
	if (f->port && sport != f->port && dport != f->port)
		return false;
	if (f->src.set || f->dst.set) {
		sk_addrs(sk, &saddr, &daddr);
		if (f->src.set && !prefix_match(&f->src, &saddr))
			return false;
		if (f->dst.set && !prefix_match(&f->dst, &daddr))
			return false;
	}
	return true;
}
