// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"
#include "nlbuf.h"
#include "../../tools/parse.h"

static struct nlbuf b;

static void put_sock(struct nlmsghdr *nlh, int family, int alen)
{
	uint8_t a[16] = { 127, 0, 0, 1 };
	struct nlattr *n = mnl_attr_nest_start(nlh, TCPSTATE_A_SOCK);

	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_FAMILY, (uint8_t)family);
	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_STATE, TCPSTATE_CLOSE_WAIT);
	mnl_attr_put(nlh, TCPSTATE_SOCK_A_SADDR, (size_t)alen, a);
	mnl_attr_put(nlh, TCPSTATE_SOCK_A_DADDR, (size_t)alen, a);
	mnl_attr_put_u16(nlh, TCPSTATE_SOCK_A_SPORT, 5000);
	mnl_attr_put_u16(nlh, TCPSTATE_SOCK_A_DPORT, 40000);
	mnl_attr_put_u32(nlh, TCPSTATE_SOCK_A_RECV_Q, 7);
	mnl_attr_put_u64(nlh, TCPSTATE_SOCK_A_INODE, 123456789012ULL);
	mnl_attr_put_u64(nlh, TCPSTATE_SOCK_A_AGE_MS, 42000);
	mnl_attr_put_u32(nlh, TCPSTATE_SOCK_A_AGE_FLAGS, TCPSTATE_AGE_F_LOWER_BOUND);
	mnl_attr_put_u32(nlh, TCPSTATE_SOCK_A_NETNS, 4026531840u);
	mnl_attr_put_u32(nlh, 999, 1);	/* from a newer module */
	mnl_attr_nest_end(nlh, n);
}

/*
 * The IPv4 socket both encoders here write (put_sock() as attributes,
 * put_rec() as a packed record): the fields they share.
 */
static void check_v4_sock(const struct ts_sock *sk)
{
	CHECK_EQ(sk->family, AF_INET);
	CHECK_EQ(sk->state, TCPSTATE_CLOSE_WAIT);
	CHECK_EQ(sk->saddr[0], 127);
	CHECK_EQ(sk->sport, 5000);
	CHECK_EQ(sk->dport, 40000);
	CHECK_EQ(sk->recv_q, 7);
	CHECK_EQ(sk->inode, 123456789012ULL);
	CHECK_EQ(sk->age_ms, 42000);
	CHECK_EQ(sk->has_acceptq, 0);
}

TEST(sock_parse_v4)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct ts_sock sk;
	const void *a;
	size_t len;

	put_sock(nlh, AF_INET, 4);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_sock(a, len, &sk), 0);
	check_v4_sock(&sk);
	CHECK_EQ(sk.age_flags, TCPSTATE_AGE_F_LOWER_BOUND);
}

TEST(sock_address_length_must_match_family)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct ts_sock sk;
	const void *a;
	size_t len;

	put_sock(nlh, AF_INET6, 4);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_sock(a, len, &sk), -EINVAL);
	nlh = nlbuf_init(&b);
	put_sock(nlh, AF_INET, 7);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_sock(a, len, &sk), -EINVAL);
}

TEST(sock_without_state_rejected)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct nlattr *n = mnl_attr_nest_start(nlh, TCPSTATE_A_SOCK);
	struct ts_sock sk;
	const void *a;
	size_t len;

	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_FAMILY, AF_INET);
	mnl_attr_nest_end(nlh, n);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_sock(a, len, &sk), -EINVAL);
	nlh = nlbuf_init(&b);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_sock(a, len, &sk), -EINVAL);	/* no nest at all */
}

TEST(sock_procs_bounded)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct nlattr *n, *procs, *p;
	struct ts_sock sk;
	const void *a;
	size_t len;
	int i, j;

	n = mnl_attr_nest_start(nlh, TCPSTATE_A_SOCK);
	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_FAMILY, AF_INET);
	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_STATE, TCPSTATE_ESTABLISHED);
	mnl_attr_put_u32(nlh, TCPSTATE_SOCK_A_PROCS_TOTAL, 12);
	procs = mnl_attr_nest_start(nlh, TCPSTATE_SOCK_A_PROCS);
	for (i = 0; i < 12; i++) {	/* more than the module ever sends */
		p = mnl_attr_nest_start(nlh, TCPSTATE_PROCS_A_PROC);
		mnl_attr_put_u32(nlh, TCPSTATE_PROC_A_PID, 100 + i);
		mnl_attr_put_strz(nlh, TCPSTATE_PROC_A_COMM, "worker-with-a-very-long-name");
		for (j = 0; j < 20; j++)
			mnl_attr_put_u32(nlh, TCPSTATE_PROC_A_FD, j);
		mnl_attr_nest_end(nlh, p);
	}
	mnl_attr_nest_end(nlh, procs);
	mnl_attr_nest_end(nlh, n);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_sock(a, len, &sk), 0);
	CHECK_EQ(sk.nprocs, TCPSTATE_MAX_PROCS_PER_SOCK);
	CHECK_EQ(sk.procs_total, 12);
	CHECK_EQ(sk.procs[0].pid, 100);
	CHECK_EQ(sk.procs[0].nfds, TCPSTATE_MAX_FDS_PER_PROC);
	CHECK_EQ(sk.procs[0].fds_total, TCPSTATE_MAX_FDS_PER_PROC);
	CHECK_EQ(strlen(sk.procs[0].comm), 15);
}

TEST(counts_parse)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct nlattr *n, *st;
	uint8_t addr[4] = { 10, 0, 0, 5 };
	struct ts_counts c;
	const void *a;
	size_t len;

	n = mnl_attr_nest_start(nlh, TCPSTATE_A_COUNTS);
	mnl_attr_put_u32(nlh, TCPSTATE_COUNTS_A_NETNS, 1);
	mnl_attr_put_u32(nlh, TCPSTATE_COUNTS_A_TOTAL, 30);
	st = mnl_attr_nest_start(nlh, TCPSTATE_COUNTS_A_STATES);
	mnl_attr_put_u32(nlh, TCPSTATE_TIME_WAIT, 28);
	mnl_attr_put_u32(nlh, TCPSTATE_ESTABLISHED, 2);
	mnl_attr_put_u32(nlh, 40, 1);	/* a state from the future */
	mnl_attr_nest_end(nlh, st);
	mnl_attr_put_u8(nlh, TCPSTATE_COUNTS_A_KEY_FAMILY, AF_INET);
	mnl_attr_put(nlh, TCPSTATE_COUNTS_A_KEY_ADDR, 4, addr);
	mnl_attr_nest_end(nlh, n);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_counts(a, len, &c), 0);
	CHECK(c.is_group);
	CHECK(c.has_addr);
	CHECK_EQ(c.addr[3], 5);
	CHECK_EQ(c.total, 30);
	CHECK_EQ(c.states[TCPSTATE_TIME_WAIT], 28);
	CHECK_EQ(c.states[TCPSTATE_ESTABLISHED], 2);
}

TEST(counts_bad_state_value_rejected)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct nlattr *n, *st;
	struct ts_counts c;
	const void *a;
	size_t len;

	n = mnl_attr_nest_start(nlh, TCPSTATE_A_COUNTS);
	st = mnl_attr_nest_start(nlh, TCPSTATE_COUNTS_A_STATES);
	mnl_attr_put_u16(nlh, TCPSTATE_LISTEN, 2);
	mnl_attr_nest_end(nlh, st);
	mnl_attr_nest_end(nlh, n);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_counts(a, len, &c), -EINVAL);
}

TEST(sock_fixed_lengths_enforced)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct nlattr *n = mnl_attr_nest_start(nlh, TCPSTATE_A_SOCK);
	struct ts_sock sk;
	const void *a;
	size_t len;

	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_FAMILY, AF_INET);
	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_STATE, TCPSTATE_LISTEN);
	mnl_attr_put_u32(nlh, TCPSTATE_SOCK_A_INODE, 5);	/* u64 expected */
	mnl_attr_nest_end(nlh, n);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_sock(a, len, &sk), -EINVAL);
}

TEST(sock_every_truncation_is_safe)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	struct ts_sock sk;
	const uint8_t *a;
	size_t len, cut;
	uint8_t copy[1024];

	put_sock(nlh, AF_INET, 4);
	a = nlbuf_attrs(&b, &len);
	CHECK(len < sizeof(copy));
	for (cut = 0; cut <= len; cut++) {
		uint8_t *heap = malloc(cut ? cut : 1);

		memcpy(heap, a, cut);
		/* The outer length shrinks too: nothing may be read past it. */
		if (cut >= 4) {
			uint16_t nl_len = (uint16_t)cut;

			memcpy(heap, &nl_len, sizeof(nl_len));
		}
		(void)ts_parse_sock(heap, cut, &sk);
		free(heap);
	}
	memcpy(copy, a, len);
	CHECK_EQ(ts_parse_sock(copy, len, &sk), 0);
}

static void put_event(struct nlmsghdr *nlh, int with_sock)
{
	uint8_t a[4] = { 127, 0, 0, 1 };
	struct nlattr *ev = mnl_attr_nest_start(nlh, TCPSTATE_A_EVENT), *s;

	mnl_attr_put_u8(nlh, TCPSTATE_EV_A_TYPE, TCPSTATE_EV_UNREAD_CLOSE);
	mnl_attr_put_u64(nlh, TCPSTATE_EV_A_SEQ, 77);
	mnl_attr_put_u64(nlh, TCPSTATE_EV_A_TIME_NS, 1795330924711998103ULL);
	mnl_attr_put_u32(nlh, TCPSTATE_EV_A_PID, 4242);
	mnl_attr_put_strz(nlh, TCPSTATE_EV_A_COMM, "ts-client");
	mnl_attr_put_u32(nlh, TCPSTATE_EV_A_UNREAD_BYTES, 5000);
	mnl_attr_put_u8(nlh, TCPSTATE_EV_A_RST, 1);
	if (with_sock) {
		s = mnl_attr_nest_start(nlh, TCPSTATE_EV_A_SOCK);
		mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_FAMILY, AF_INET);
		mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_STATE, TCPSTATE_ESTABLISHED);
		mnl_attr_put(nlh, TCPSTATE_SOCK_A_SADDR, 4, a);
		mnl_attr_put_u16(nlh, TCPSTATE_SOCK_A_SPORT, 40000);
		mnl_attr_nest_end(nlh, s);
	}
	mnl_attr_nest_end(nlh, ev);
}

TEST(event_parse)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	static struct ts_event ev;
	const void *a;
	size_t len;

	put_event(nlh, 1);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_event(a, len, &ev), 0);
	CHECK_EQ(ev.type, TCPSTATE_EV_UNREAD_CLOSE);
	CHECK_EQ(ev.seq, 77);
	CHECK_EQ(ev.pid, 4242);
	CHECK_STR(ev.comm, "ts-client");
	CHECK(ev.has_unread);
	CHECK_EQ(ev.unread, 5000);
	CHECK(ev.has_rst && ev.rst);
	CHECK(!ev.has_sigpipe);
	CHECK_EQ(ev.sk.sport, 40000);
	CHECK_EQ(ev.sk.state, TCPSTATE_ESTABLISHED);
}

TEST(event_without_socket_rejected)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	static struct ts_event ev;
	const void *a;
	size_t len;

	put_event(nlh, 0);
	a = nlbuf_attrs(&b, &len);
	CHECK_EQ(ts_parse_event(a, len, &ev), -EINVAL);
}

TEST(event_truncations_safe)
{
	struct nlmsghdr *nlh = nlbuf_init(&b);
	static struct ts_event ev;
	const uint8_t *a;
	size_t len, cut;

	int ok_cuts = 0;

	put_event(nlh, 1);
	a = nlbuf_attrs(&b, &len);
	/*
	 * Every prefix parses or fails, never reads past its end (ASan). A
	 * prefix shorter than the one nest is cut inside it and must fail;
	 * the whole buffer must parse, with its values.
	 */
	for (cut = 0; cut <= len; cut++) {
		uint8_t *heap = malloc(cut ? cut : 1);
		int rc;

		memcpy(heap, a, cut);
		memset(&ev, 0, sizeof(ev));
		rc = ts_parse_event(heap, cut, &ev);
		free(heap);
		if (cut > 0 && cut < len)
			CHECK(rc != 0);
		if (!rc)
			ok_cuts++;
	}
	CHECK_EQ(ev.seq, 77);
	CHECK_EQ(ev.unread, 5000);
	CHECK_EQ(ok_cuts, 1 + (ts_parse_event(a, 0, &ev) == 0));
}

/* Packed records (TCPSTATE_F_PACKED): a byte image built as the module does. */
static uint8_t rec_buf[2048];

static size_t put_rec(int family, unsigned int nprocs, unsigned int nfds)
{
	struct tcpstate_sock_rec r;
	struct tcpstate_proc_rec pr;
	size_t off = sizeof(r);
	unsigned int i, f;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.family = (uint8_t)family;
	r.state = TCPSTATE_CLOSE_WAIT;
	r.sport = 5000;
	r.dport = 40000;
	r.flags = TCPSTATE_REC_F_OWNERS;
	r.owner_kind = TCPSTATE_OWNER_FD;
	r.nprocs = (uint8_t)nprocs;
	r.recv_q = 7;
	r.uid = 1000;
	r.inode = 123456789012ULL;
	r.age_ms = 42000;
	r.procs_total = nprocs;
	r.cookie = 0x1122334455667788ULL;
	r.saddr[0] = family == AF_INET ? 127 : 0xfe;
	r.daddr[15] = 9;
	memcpy(rec_buf, &r, sizeof(r));
	for (i = 0; i < nprocs; i++) {
		memset(&pr, 0, sizeof(pr));
		pr.size = sizeof(pr);
		pr.nfds = (uint16_t)nfds;
		pr.pid = 100 + i;
		pr.fds_total = nfds;
		snprintf(pr.comm, sizeof(pr.comm), "proc%u", i);
		memcpy(rec_buf + off, &pr, sizeof(pr));
		off += sizeof(pr);
		for (f = 0; f < nfds; f++) {
			uint32_t fd = 3 + f;

			memcpy(rec_buf + off, &fd, 4);
			off += 4;
		}
	}
	return off;
}

TEST(rec_parse_v4_with_procs)
{
	size_t len = put_rec(AF_INET, 2, 3);
	struct ts_sock sk;

	CHECK_EQ(ts_parse_sock_rec(rec_buf, len, &sk), 0);
	check_v4_sock(&sk);
	CHECK_EQ(sk.cookie, 0x1122334455667788ULL);
	CHECK_EQ(sk.owner_kind, TCPSTATE_OWNER_FD);
	CHECK_EQ(sk.nprocs, 2);
	CHECK_EQ(sk.procs[1].pid, 101);
	CHECK_EQ(strcmp(sk.procs[1].comm, "proc1"), 0);
	CHECK_EQ(sk.procs[1].nfds, 3);
	CHECK_EQ(sk.procs[1].fds[2], 5);
}

TEST(rec_parse_v6_addresses)
{
	size_t len = put_rec(AF_INET6, 0, 0);
	struct ts_sock sk;

	CHECK_EQ(ts_parse_sock_rec(rec_buf, len, &sk), 0);
	CHECK_EQ(sk.family, AF_INET6);
	CHECK_EQ(sk.saddr[0], 0xfe);
	CHECK_EQ(sk.daddr[15], 9);
	CHECK_EQ(sk.nprocs, 0);
}

TEST(rec_bad_family_and_size_rejected)
{
	size_t len = put_rec(AF_UNIX, 0, 0);
	struct ts_sock sk;
	uint16_t sz;

	CHECK_EQ(ts_parse_sock_rec(rec_buf, len, &sk), -EINVAL);
	len = put_rec(AF_INET, 0, 0);
	sz = 6;			/* smaller than the struct */
	memcpy(rec_buf, &sz, 2);
	CHECK_EQ(ts_parse_sock_rec(rec_buf, len, &sk), -EINVAL);
	sz = sizeof(struct tcpstate_sock_rec) + 2;	/* not 4-aligned */
	memcpy(rec_buf, &sz, 2);
	CHECK_EQ(ts_parse_sock_rec(rec_buf, len + 4, &sk), -EINVAL);
	sz = sizeof(struct tcpstate_sock_rec) + 8;	/* past the end */
	memcpy(rec_buf, &sz, 2);
	CHECK_EQ(ts_parse_sock_rec(rec_buf, len, &sk), -EINVAL);
}

TEST(rec_newer_module_fields_skipped)
{
	/* A module that appends 8 bytes: the processes start at its size. */
	size_t base = sizeof(struct tcpstate_sock_rec), len;
	struct ts_sock sk;
	uint16_t sz = (uint16_t)(base + 8);

	len = put_rec(AF_INET, 1, 1);
	memmove(rec_buf + base + 8, rec_buf + base, len - base);
	memset(rec_buf + base, 0xee, 8);
	memcpy(rec_buf, &sz, 2);
	CHECK_EQ(ts_parse_sock_rec(rec_buf, len + 8, &sk), 0);
	CHECK_EQ(sk.nprocs, 1);
	CHECK_EQ(sk.procs[0].pid, 100);
	CHECK_EQ(sk.procs[0].fds[0], 3);
}

TEST(rec_every_truncation_is_safe)
{
	size_t len = put_rec(AF_INET6, 3, 2), cut;
	struct ts_sock sk;

	for (cut = 0; cut < len; cut++)
		CHECK_EQ(ts_parse_sock_rec(rec_buf, cut, &sk), -EINVAL);
	CHECK_EQ(ts_parse_sock_rec(rec_buf, len, &sk), 0);
}

TEST(rec_procs_and_fds_bounded)
{
	/* More than the bounds (a hostile or future sender): kept in bounds. */
	size_t len = put_rec(AF_INET, TCPSTATE_MAX_PROCS_PER_SOCK + 2,
			     TCPSTATE_MAX_FDS_PER_PROC + 3);
	struct ts_sock sk;

	CHECK(len <= sizeof(rec_buf));
	CHECK_EQ(ts_parse_sock_rec(rec_buf, len, &sk), 0);
	CHECK_EQ(sk.nprocs, TCPSTATE_MAX_PROCS_PER_SOCK);
	CHECK_EQ(sk.procs_total, TCPSTATE_MAX_PROCS_PER_SOCK + 2);
	CHECK_EQ(sk.procs[7].nfds, TCPSTATE_MAX_FDS_PER_PROC);
	CHECK_EQ(sk.procs[7].fds_total, TCPSTATE_MAX_FDS_PER_PROC + 3);
}

TEST(rec_comm_always_terminated)
{
	size_t len = put_rec(AF_INET, 1, 0);
	size_t at = sizeof(struct tcpstate_sock_rec) +
		    offsetof(struct tcpstate_proc_rec, comm);
	struct ts_sock sk;

	memset(rec_buf + at, 'x', 16);
	CHECK_EQ(ts_parse_sock_rec(rec_buf, len, &sk), 0);
	CHECK_EQ(strlen(sk.procs[0].comm), 15);
}
