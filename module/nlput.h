/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inline attribute writers for the per-socket hot path of a dump.
 *
 * nla_put() checks the tailroom, then reaches skb_put(), memset() and
 * memcpy() through out-of-line calls: about a hundred instructions for a
 * four-byte attribute, and a socket has twenty. A writer of a socket's
 * attributes checks once, at its start, that the skb has room for the
 * most it can write (its *_MAX bound) and then writes each attribute
 * in place with these helpers, which never fail. They lay the attributes
 * out exactly as nla_put(), nla_put_u64_64bit() and nla_nest_start() do,
 * padding included.
 */
#ifndef _TCPSTATE_NLPUT_H
#define _TCPSTATE_NLPUT_H

#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/netlink.h>

/* Room one u64 attribute can take: its pad attribute where one is needed. */
#define TCPSTATE_NLA_U64_MAX (nla_total_size_64bit(8))

static __always_inline void tcpstate_nla_put(struct sk_buff *skb, int type,
					     const void *data, int len)
{
	struct nlattr *nla = __skb_put(skb, nla_total_size(len));

	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	if (len)
		memcpy(nla_data(nla), data, len);
	if (nla_padlen(len))
		memset((u8 *)nla + nla->nla_len, 0, nla_padlen(len));
}

static __always_inline void tcpstate_nla_u8(struct sk_buff *skb, int type,
					    u8 v)
{
	tcpstate_nla_put(skb, type, &v, sizeof(v));
}

static __always_inline void tcpstate_nla_u16(struct sk_buff *skb, int type,
					     u16 v)
{
	tcpstate_nla_put(skb, type, &v, sizeof(v));
}

static __always_inline void tcpstate_nla_u32(struct sk_buff *skb, int type,
					     u32 v)
{
	tcpstate_nla_put(skb, type, &v, sizeof(v));
}

static __always_inline void tcpstate_nla_u64(struct sk_buff *skb, int type,
					     u64 v, int padattr)
{
	if (nla_need_padding_for_64bit(skb))
		tcpstate_nla_put(skb, padattr, NULL, 0);
	tcpstate_nla_put(skb, type, &v, sizeof(v));
}

/* @s fits in TASK_COMM_LEN: written with its NUL, as nla_put_string(). */
static __always_inline void tcpstate_nla_comm(struct sk_buff *skb, int type,
					      const char *s)
{
	tcpstate_nla_put(skb, type, s, strnlen(s, TASK_COMM_LEN - 1) + 1);
}

static __always_inline struct nlattr *tcpstate_nla_nest(struct sk_buff *skb,
							int type)
{
	struct nlattr *nla = (struct nlattr *)skb_tail_pointer(skb);

	tcpstate_nla_put(skb, type | NLA_F_NESTED, NULL, 0);
	return nla;
}

#endif /* _TCPSTATE_NLPUT_H */
