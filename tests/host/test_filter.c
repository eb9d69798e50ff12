// SPDX-License-Identifier: GPL-2.0
/*
 * module/filter.c, compiled whole: parsing the filter attributes, and
 * matching sockets by state, family, ports, namespace and prefixes.
 */
#include <shim.h>

#include "filter.h"
#include "host.h"
#include "unit.h"

/* ---- netlink attributes, built as a request carries them ---- */

struct abuf {
	unsigned char b[1024] __attribute__((aligned(8)));
	int len;
};

static struct nlattr *put(struct abuf *a, int type, const void *data, int len)
{
	struct nlattr *n = (struct nlattr *)(a->b + a->len);

	SHIM_ASSERT(a->len + NLA_HDRLEN + NLA_ALIGN(len) <= (int)sizeof(a->b));
	n->nla_len = (u16)(NLA_HDRLEN + len);
	n->nla_type = (u16)type;
	memcpy(nla_data(n), data, (size_t)len);
	a->len += NLA_ALIGN(n->nla_len);
	return n;
}

static struct nlattr *put_u8(struct abuf *a, int type, u8 v) { return put(a, type, &v, 1); }
static struct nlattr *put_u16(struct abuf *a, int type, u16 v) { return put(a, type, &v, 2); }
static struct nlattr *put_u32(struct abuf *a, int type, u32 v) { return put(a, type, &v, 4); }
static struct nlattr *put_u64(struct abuf *a, int type, u64 v) { return put(a, type, &v, 8); }

/*
 * A prefix nest: @family and @addr (@alen bytes) when non-zero, @len
 * when >= 0.
 */
static struct nlattr *put_prefix(struct abuf *a, int type, int family,
				 const void *addr, int alen, int len)
{
	struct nlattr *nest = (struct nlattr *)(a->b + a->len);

	a->len += NLA_HDRLEN;
	if (family)
		put_u8(a, TCPSTATE_PREFIX_A_FAMILY, (u8)family);
	if (alen)
		put(a, TCPSTATE_PREFIX_A_ADDR, addr, alen);
	if (len >= 0)
		put_u8(a, TCPSTATE_PREFIX_A_LEN, (u8)len);
	nest->nla_len = (u16)((unsigned char *)a->b + a->len - (unsigned char *)nest);
	nest->nla_type = (u16)(type | NLA_F_NESTED);
	return nest;
}

static __be32 ip4(int a, int b, int c, int d)
{
	return htonl((u32)a << 24 | (u32)b << 16 | (u32)c << 8 | (u32)d);
}

static struct in6_addr ip6(u16 w0, u16 w1, u16 w7)
{
	struct in6_addr x;

	memset(&x, 0, sizeof(x));
	x.s6_addr16[0] = htons(w0);
	x.s6_addr16[1] = htons(w1);
	x.s6_addr16[7] = htons(w7);
	return x;
}

static struct in6_addr mapped(__be32 v4)
{
	struct in6_addr x;

	ipv6_addr_set_v4mapped(v4, &x);
	return x;
}

struct parsed {
	struct tcpstate_filter f;
	struct netlink_ext_ack ext;
	int ret;
};

static void parse(struct parsed *p, struct nlattr **attrs, struct net *net)
{
	memset(&p->ext, 0, sizeof(p->ext));
	p->ret = tcpstate_filter_parse(&p->f, attrs, net, &p->ext);
}

/* ---- parsing ---- */

TEST(filter_parse_defaults)
{
	struct nlattr *attrs[TCPSTATE_A_MAX + 1] = { 0 };
	struct parsed p;

	parse(&p, attrs, &init_net);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.states, TCPSTATE_STATE_MASK_ALL);
	CHECK(p.f.net == &init_net);
	CHECK_EQ(p.f.family, 0);
	CHECK_EQ(p.f.sport + p.f.dport + p.f.port, 0);
	CHECK(!p.f.src.set && !p.f.dst.set);
	CHECK_EQ(p.f.flags, 0);
	CHECK_EQ(p.f.pid, 0);
	CHECK_EQ(p.f.comm[0], 0);
	parse(&p, attrs, NULL);
	CHECK(p.f.net == NULL);
}

TEST(filter_parse_state_mask)
{
	struct nlattr *attrs[TCPSTATE_A_MAX + 1] = { 0 };
	struct abuf a = { .len = 0 };
	struct parsed p;

	attrs[TCPSTATE_A_STATE_MASK] = put_u32(&a, TCPSTATE_A_STATE_MASK, 0);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	CHECK_STR(p.ext._msg, "empty state mask");
	CHECK(p.ext.bad_attr == attrs[TCPSTATE_A_STATE_MASK]);

	attrs[TCPSTATE_A_STATE_MASK] = put_u32(&a, TCPSTATE_A_STATE_MASK,
					       1U << TCP_ESTABLISHED);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.states, 1U << TCP_ESTABLISHED);

	/* SYN_RECV as ss means it: request sockets too. */
	attrs[TCPSTATE_A_STATE_MASK] = put_u32(&a, TCPSTATE_A_STATE_MASK,
					       1U << TCP_SYN_RECV);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.states, (1U << TCP_SYN_RECV) | (1U << TCP_NEW_SYN_RECV));
}

TEST(filter_parse_family_ports_age)
{
	struct nlattr *attrs[TCPSTATE_A_MAX + 1] = { 0 };
	struct abuf a = { .len = 0 };
	struct parsed p;

	attrs[TCPSTATE_A_FAMILY] = put_u8(&a, TCPSTATE_A_FAMILY, AF_INET6);
	attrs[TCPSTATE_A_SPORT] = put_u16(&a, TCPSTATE_A_SPORT, 443);
	attrs[TCPSTATE_A_DPORT] = put_u16(&a, TCPSTATE_A_DPORT, 65535);
	attrs[TCPSTATE_A_PORT] = put_u16(&a, TCPSTATE_A_PORT, 22);
	attrs[TCPSTATE_A_MIN_AGE_MS] = put_u64(&a, TCPSTATE_A_MIN_AGE_MS, 1ULL << 40);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.family, AF_INET6);
	CHECK_EQ(p.f.sport, 443);
	CHECK_EQ(p.f.dport, 65535);
	CHECK_EQ(p.f.port, 22);
	CHECK(p.f.min_age_ms == 1ULL << 40);

	attrs[TCPSTATE_A_FAMILY] = put_u8(&a, TCPSTATE_A_FAMILY, AF_INET);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.family, AF_INET);

	attrs[TCPSTATE_A_FAMILY] = put_u8(&a, TCPSTATE_A_FAMILY, 1 /* AF_UNIX */);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	CHECK(p.ext.bad_attr == attrs[TCPSTATE_A_FAMILY]);
}

TEST(filter_parse_flags_and_owner)
{
	struct nlattr *attrs[TCPSTATE_A_MAX + 1] = { 0 };
	struct abuf a = { .len = 0 };
	struct parsed p;

	attrs[TCPSTATE_A_FLAGS] = put_u32(&a, TCPSTATE_A_FLAGS, __TCPSTATE_F_ALL);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.flags, __TCPSTATE_F_ALL);

	attrs[TCPSTATE_A_FLAGS] = put_u32(&a, TCPSTATE_A_FLAGS,
					  (__TCPSTATE_F_ALL + 1) | __TCPSTATE_F_ALL);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EOPNOTSUPP);
	CHECK(p.ext.bad_attr == attrs[TCPSTATE_A_FLAGS]);

	/* An owner filter asks for the owners. */
	attrs[TCPSTATE_A_FLAGS] = NULL;
	attrs[TCPSTATE_A_PID] = put_u32(&a, TCPSTATE_A_PID, 4242);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.pid, 4242);
	CHECK_EQ(p.f.flags, TCPSTATE_F_PROCESSES);

	attrs[TCPSTATE_A_PID] = NULL;
	attrs[TCPSTATE_A_COMM] = put(&a, TCPSTATE_A_COMM, "nginx", 6);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_STR(p.f.comm, "nginx");
	CHECK_EQ(p.f.flags, TCPSTATE_F_PROCESSES);

	attrs[TCPSTATE_A_COMM] = put(&a, TCPSTATE_A_COMM, "", 1);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	CHECK_STR(p.ext._msg, "empty process name");
}

TEST(filter_parse_prefix)
{
	struct nlattr *attrs[TCPSTATE_A_MAX + 1] = { 0 };
	struct in6_addr v6 = ip6(0x2001, 0xdb8, 1);
	__be32 v4 = ip4(192, 0, 2, 1);
	struct abuf a = { .len = 0 };
	struct in6_addr m = mapped(v4);
	struct parsed p;

	/* No length: the whole address. */
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET, &v4, 4, -1);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK(p.f.src.set && !p.f.dst.set);
	CHECK_EQ(p.f.src.family, AF_INET);
	CHECK_EQ(p.f.src.len, 32);
	CHECK(ipv6_addr_equal(&p.f.src.addr, &m));

	attrs[TCPSTATE_A_SRC] = NULL;
	attrs[TCPSTATE_A_DST] = put_prefix(&a, TCPSTATE_A_DST, AF_INET6, &v6, 16, -1);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK(p.f.dst.set && !p.f.src.set);
	CHECK_EQ(p.f.dst.len, 128);
	CHECK(ipv6_addr_equal(&p.f.dst.addr, &v6));

	/* The longest lengths pass, one more does not. */
	attrs[TCPSTATE_A_DST] = NULL;
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET, &v4, 4, 32);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.src.len, 32);
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET, &v4, 4, 33);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	CHECK_STR(p.ext._msg, "prefix length too long for the family");
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET6, &v6, 16, 128);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.src.len, 128);
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET6, &v6, 16, 129);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET6, &v6, 16, 0);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, 0);
	CHECK_EQ(p.f.src.len, 0);
	CHECK(p.f.src.set);
}

TEST(filter_parse_prefix_refused)
{
	struct nlattr *attrs[TCPSTATE_A_MAX + 1] = { 0 };
	struct in6_addr v6 = ip6(0x2001, 0xdb8, 1);
	__be32 v4 = ip4(192, 0, 2, 1);
	struct abuf a = { .len = 0 };
	struct parsed p;

	/* Address length and family disagree, both ways. */
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET, &v6, 16, -1);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	CHECK_STR(p.ext._msg, "address length does not match the family");
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET6, &v4, 4, -1);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	CHECK_STR(p.ext._msg, "address length does not match the family");
	/* Below the policy's minimum. */
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET, &v4, 3, -1);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -ERANGE);
	/* Missing parts, unknown family. */
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, 0, &v4, 4, -1);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	CHECK_STR(p.ext._msg, "address prefix needs a family and an address");
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET, NULL, 0, 8);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, 1, &v4, 4, -1);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
	CHECK_STR(p.ext._msg, "address family must be AF_INET or AF_INET6");
	/* The destination is checked the same way. */
	attrs[TCPSTATE_A_SRC] = NULL;
	attrs[TCPSTATE_A_DST] = put_prefix(&a, TCPSTATE_A_DST, AF_INET, &v4, 4, 40);
	parse(&p, attrs, NULL);
	CHECK_EQ(p.ret, -EINVAL);
}

/* ---- matching ---- */

static void sk4(struct sock *sk, __be32 saddr, u16 sport, __be32 daddr, u16 dport)
{
	memset(sk, 0, sizeof(*sk));
	sk->sk_family = AF_INET;
	sk->sk_state = TCP_ESTABLISHED;
	sk->sk_rcv_saddr = saddr;
	sk->sk_daddr = daddr;
	sk->sk_num = sport;
	sk->sk_dport = htons(dport);
	sk->sk_net = &init_net;
}

static void sk6(struct sock *sk, struct in6_addr saddr, u16 sport,
		struct in6_addr daddr, u16 dport)
{
	memset(sk, 0, sizeof(*sk));
	sk->sk_family = AF_INET6;
	sk->sk_state = TCP_ESTABLISHED;
	sk->sk_v6_rcv_saddr = saddr;
	sk->sk_v6_daddr = daddr;
	sk->sk_num = sport;
	sk->sk_dport = htons(dport);
	sk->sk_net = &init_net;
}

static void filter_all(struct tcpstate_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->states = TCPSTATE_STATE_MASK_ALL;
}

static void prefix(struct tcpstate_prefix *p, int family, const void *addr, int len)
{
	memset(p, 0, sizeof(*p));
	p->set = true;
	p->family = (u8)family;
	p->len = (u8)len;
	if (family == AF_INET)
		ipv6_addr_set_v4mapped(*(const __be32 *)addr, &p->addr);
	else
		memcpy(&p->addr, addr, sizeof(p->addr));
}

static bool match(const struct tcpstate_filter *f, const struct sock *sk)
{
	return tcpstate_filter_match(f, sk, tcpstate_sk_state(sk));
}

TEST(filter_match_state_family)
{
	struct tcpstate_filter f;
	struct sock a, b;

	sk4(&a, ip4(10, 0, 0, 1), 1000, ip4(10, 0, 0, 2), 80);
	sk6(&b, ip6(0x2001, 0xdb8, 1), 1000, ip6(0x2001, 0xdb8, 2), 80);
	filter_all(&f);
	CHECK(match(&f, &a) && match(&f, &b));
	f.family = AF_INET;
	CHECK(match(&f, &a) && !match(&f, &b));
	f.family = AF_INET6;
	CHECK(!match(&f, &a) && match(&f, &b));

	filter_all(&f);
	f.states = 1U << TCP_LISTEN;
	CHECK(!match(&f, &a));
	a.sk_state = TCP_LISTEN;
	CHECK(match(&f, &a));
	/* A TIME_WAIT socket is judged by its substate, as inet_diag does. */
	a.sk_state = TCP_TIME_WAIT;
	a.tw_substate = TCP_FIN_WAIT2;
	f.states = 1U << TCP_TIME_WAIT;
	CHECK(!match(&f, &a));
	f.states = 1U << TCP_FIN_WAIT2;
	CHECK(match(&f, &a));
	/* The state the caller passes decides (a request socket's, say). */
	CHECK(tcpstate_filter_match(&f, &a, TCP_FIN_WAIT2));
	CHECK(!tcpstate_filter_match(&f, &a, TCP_FIN_WAIT1));
}

TEST(filter_match_ports)
{
	struct tcpstate_filter f;
	struct sock a;

	sk4(&a, ip4(10, 0, 0, 1), 40000, ip4(10, 0, 0, 2), 443);
	filter_all(&f);
	f.sport = 40000;
	CHECK(match(&f, &a));
	f.sport = 443;
	CHECK(!match(&f, &a));
	filter_all(&f);
	f.dport = 443;
	CHECK(match(&f, &a));
	f.dport = 40000;
	CHECK(!match(&f, &a));
	/* Either end. */
	filter_all(&f);
	f.port = 443;
	CHECK(match(&f, &a));
	f.port = 40000;
	CHECK(match(&f, &a));
	f.port = 444;
	CHECK(!match(&f, &a));
	/* All of them at once must hold together. */
	filter_all(&f);
	f.sport = 40000;
	f.dport = 443;
	f.port = 443;
	CHECK(match(&f, &a));
	f.port = 80;
	CHECK(!match(&f, &a));
	/* The highest port, in both byte orders' worst case. */
	sk4(&a, ip4(10, 0, 0, 1), 65535, ip4(10, 0, 0, 2), 256);
	filter_all(&f);
	f.sport = 65535;
	f.dport = 256;
	CHECK(match(&f, &a));
	f.dport = 1;
	CHECK(!match(&f, &a));
}

TEST(filter_match_netns)
{
	struct tnet *other = tnet_new(7, NULL);
	struct tcpstate_filter f;
	struct sock a, b;

	sk4(&a, ip4(10, 0, 0, 1), 1, ip4(10, 0, 0, 2), 2);
	sk4(&b, ip4(10, 0, 0, 1), 1, ip4(10, 0, 0, 2), 2);
	b.sk_net = &other->net;
	filter_all(&f);
	CHECK(match(&f, &a) && match(&f, &b));
	f.net = &init_net;
	CHECK(match(&f, &a) && !match(&f, &b));
	f.net = &other->net;
	CHECK(!match(&f, &a) && match(&f, &b));
	tnet_free(other);
}

/* Do the first @len bits of @a and @b agree? Bit by bit, for reference. */
static bool bits_equal(const struct in6_addr *a, const struct in6_addr *b, int len)
{
	int i;

	for (i = 0; i < len; i++) {
		int byte = i / 8, bit = 7 - i % 8;

		if (((a->s6_addr[byte] ^ b->s6_addr[byte]) >> bit) & 1)
			return false;
	}
	return true;
}

TEST(filter_match_prefix_v4)
{
	struct tcpstate_filter f;
	__be32 net = ip4(10, 1, 2, 0);
	struct sock a;
	int len, bit;

	filter_all(&f);
	/* Against an address differing in exactly one bit: match iff past the prefix. */
	for (len = 0; len <= 32; len++) {
		prefix(&f.src, AF_INET, &net, len);
		for (bit = 0; bit < 32; bit++) {
			__be32 addr = net ^ htonl(1U << (31 - bit));

			sk4(&a, addr, 1, ip4(1, 1, 1, 1), 2);
			if (match(&f, &a) != (bit >= len))
				unit_fail(__FILE__, __LINE__, "/%d, bit %d differs", len, bit);
			unit_checks++;
		}
		sk4(&a, net, 1, ip4(1, 1, 1, 1), 2);
		CHECK(match(&f, &a));
	}
	/* /32 is one address; /24 a range; the destination is not the source. */
	prefix(&f.src, AF_INET, &net, 32);
	sk4(&a, ip4(10, 1, 2, 1), 1, net, 2);
	CHECK(!match(&f, &a));
	filter_all(&f);
	prefix(&f.dst, AF_INET, &net, 24);
	CHECK(match(&f, &a));
	sk4(&a, net, 1, ip4(10, 1, 3, 0), 2);
	CHECK(!match(&f, &a));
	/* Both set: both must hold. */
	prefix(&f.src, AF_INET, &net, 16);
	sk4(&a, ip4(10, 1, 9, 9), 1, ip4(10, 1, 2, 200), 2);
	CHECK(match(&f, &a));
	sk4(&a, ip4(10, 2, 9, 9), 1, ip4(10, 1, 2, 200), 2);
	CHECK(!match(&f, &a));
}

TEST(filter_match_prefix_v4_mapped)
{
	__be32 net = ip4(127, 0, 0, 0);
	struct tcpstate_filter f;
	struct sock a;

	/* A dual-stack socket talking IPv4 matches an IPv4 prefix. */
	filter_all(&f);
	prefix(&f.dst, AF_INET, &net, 8);
	sk6(&a, ip6(0, 0, 0), 1, mapped(ip4(127, 0, 0, 1)), 2);
	CHECK(match(&f, &a));
	sk6(&a, ip6(0, 0, 0), 1, mapped(ip4(128, 0, 0, 1)), 2);
	CHECK(!match(&f, &a));
	/* An IPv4 /0 is every IPv4 address, and no native IPv6 one. */
	prefix(&f.dst, AF_INET, &net, 0);
	CHECK(match(&f, &a));
	sk6(&a, ip6(0, 0, 0), 1, ip6(0x2001, 0xdb8, 1), 2);
	CHECK(!match(&f, &a));
	sk6(&a, ip6(0, 0, 0), 1, ip6(0, 0, 1), 2);	/* ::1 */
	CHECK(!match(&f, &a));
	sk4(&a, ip4(1, 2, 3, 4), 1, ip4(5, 6, 7, 8), 2);
	CHECK(match(&f, &a));
	/* An IPv6 ::ffff:0:0/96 prefix is the same set. */
	{
		struct in6_addr m = mapped(0);

		prefix(&f.dst, AF_INET6, &m, 96);
		CHECK(match(&f, &a));
		sk6(&a, ip6(0, 0, 0), 1, ip6(0x2001, 0xdb8, 1), 2);
		CHECK(!match(&f, &a));
	}
}

TEST(filter_match_prefix_v6)
{
	struct in6_addr net = ip6(0x2001, 0xdb8, 0), addr;
	struct tcpstate_filter f;
	u64 seed = 0x1234;
	struct sock a;
	int len, bit, i;

	filter_all(&f);
	for (len = 0; len <= 128; len++) {
		prefix(&f.src, AF_INET6, &net, len);
		for (bit = 0; bit < 128; bit++) {
			addr = net;
			addr.s6_addr[bit / 8] ^= (u8)(0x80 >> (bit % 8));
			sk6(&a, addr, 1, ip6(0, 0, 1), 2);
			if (match(&f, &a) != (bit >= len))
				unit_fail(__FILE__, __LINE__, "/%d, bit %d differs", len, bit);
			unit_checks++;
		}
	}
	/* Random addresses against the bitwise reference. */
	for (i = 0; i < 20000; i++) {
		struct in6_addr p, s;
		int k;

		for (k = 0; k < 4; k++) {
			p.s6_addr32[k] = (u32)rnd_next(&seed);
			/* Often close: the same high words. */
			s.s6_addr32[k] = rnd_below(&seed, 4) ? p.s6_addr32[k] :
				(u32)rnd_next(&seed);
		}
		s.s6_addr32[3] ^= (u32)rnd_below(&seed, 2) << rnd_below(&seed, 32);
		len = (int)rnd_below(&seed, 129);
		prefix(&f.src, AF_INET6, &p, len);
		sk6(&a, s, 1, ip6(0, 0, 1), 2);
		if (match(&f, &a) != bits_equal(&p, &s, len))
			unit_fail(__FILE__, __LINE__, "random case %d, /%d", i, len);
		unit_checks++;
	}
	/* An IPv6 /0 matches IPv4 sockets too: they are v4-mapped. */
	prefix(&f.src, AF_INET6, &net, 0);
	sk4(&a, ip4(10, 0, 0, 1), 1, ip4(10, 0, 0, 2), 2);
	CHECK(match(&f, &a));
	/* /128 is one address. */
	prefix(&f.src, AF_INET6, &net, 128);
	sk6(&a, net, 1, ip6(0, 0, 1), 2);
	CHECK(match(&f, &a));
	sk6(&a, ip6(0x2001, 0xdb8, 1), 1, ip6(0, 0, 1), 2);
	CHECK(!match(&f, &a));
}

/* From attributes to a verdict, as a GET_SOCK request goes. */
TEST(filter_parse_then_match)
{
	struct nlattr *attrs[TCPSTATE_A_MAX + 1] = { 0 };
	__be32 v4 = ip4(192, 168, 0, 0);
	struct abuf a = { .len = 0 };
	struct parsed p;
	struct sock s;

	attrs[TCPSTATE_A_STATE_MASK] = put_u32(&a, TCPSTATE_A_STATE_MASK,
					       1U << TCP_SYN_RECV);
	attrs[TCPSTATE_A_SRC] = put_prefix(&a, TCPSTATE_A_SRC, AF_INET, &v4, 4, 16);
	attrs[TCPSTATE_A_PORT] = put_u16(&a, TCPSTATE_A_PORT, 8080);
	parse(&p, attrs, &init_net);
	CHECK_EQ(p.ret, 0);
	sk6(&s, mapped(ip4(192, 168, 7, 7)), 8080, mapped(ip4(8, 8, 8, 8)), 5555);
	s.sk_state = TCP_NEW_SYN_RECV;
	CHECK(match(&p.f, &s));
	s.sk_state = TCP_ESTABLISHED;
	CHECK(!match(&p.f, &s));
	s.sk_state = TCP_NEW_SYN_RECV;
	s.sk_num = 8081;
	CHECK(!match(&p.f, &s));
	s.sk_num = 8080;
	s.sk_v6_rcv_saddr = mapped(ip4(192, 169, 0, 1));
	CHECK(!match(&p.f, &s));
}
