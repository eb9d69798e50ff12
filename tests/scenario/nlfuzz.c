// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: generated hostile requests to the tcpstate generic netlink family,
 * for the hardening case 41-nl-fuzz. nlcheck sends hand-made bad requests
 * and checks the exact answer; this sends hundreds of thousands of random
 * ones and checks that every answer is well formed.
 *
 *   nlfuzz [-n MESSAGES] [-p PROCS] [-s SEED]
 *
 * Each of PROCS processes (own socket, seed SEED+i) sends MESSAGES/PROCS
 * requests: every command number (known, unknown, notification-only), any
 * genl version, random flag bits (NLM_F_DUMP on doit commands, ACK, ECHO,
 * junk), and 0-12 attributes drawn from: plausible filters, unknown and
 * out-of-range types, wrong lengths (short, long, up to 3 KiB), duplicates,
 * garbage inside nests, nests several levels deep, NLA_F_NESTED and
 * NLA_F_NET_BYTEORDER on the wrong attributes, and a last attribute whose
 * length runs past the message. One message in ten gets a bad nlmsg_len
 * (below the header, past the bytes sent); the kernel answers none of
 * those, so a well-formed request follows to prove the socket still works.
 * Some dumps are abandoned after their first reply or before any (the
 * socket is closed mid-dump and a new one opened), and processes join and
 * leave the events group and random groups.
 *
 * Every reply must be well formed: lengths inside the datagram, the
 * request's sequence number and our port id (multicast events: seq 0),
 * errors in -4095..0 with a complete struct nlmsgerr, extack TLVs inside
 * the message with a NUL-terminated text, genl replies whose attributes
 * (recursively, for nests) stay inside their parents. A missing answer is
 * caught by a 10 s receive timeout. Ends with
 *   nlfuzz: sent=N replies=N ok=N errors=N extack=N dumps_abandoned=N
 *           malformed=N timeouts=N seed=S
 * (one line), then the errno counts; exits 1 on any malformed reply or
 * timeout.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#define ALIGN4(x) (((x) + 3) & ~(size_t)3)
#define MAXERR 140

struct tally {
	unsigned long sent, replies, ok, errors, extack, abandoned;
	unsigned long malformed, timeouts, events;
	unsigned long err[MAXERR];
	unsigned long noext[MAXERR];	/* errors without an extack message */
	unsigned long noext_short;	/* of which: genl header cut short */
	unsigned long unexplained;	/* the rest, but genl's EOPNOTSUPP */
};

static uint16_t family;
static uint32_t events_group;
static uint64_t rng;
static struct tally t;
static uint32_t seq = 1;
static uint32_t stray_seq;	/* while pinging: the request before */
static bool short_genl;		/* the request's genl header is cut short */

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint32_t below(uint32_t n) { return n ? (uint32_t)(rnd() % n) : 0; }
static bool chance(uint32_t pct) { return below(100) < pct; }

static void die(const char *what)
{
	fprintf(stderr, "nlfuzz: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* --- building messages ----------------------------------------------- */

struct msg {
	unsigned char buf[16384];
	size_t len;
};

static size_t put(struct msg *m, uint16_t type, const void *data, size_t plen)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t at = m->len;

	if (m->len + ALIGN4(NLA_HDRLEN + plen) > sizeof(m->buf))
		return at;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + plen);
	if (data)
		memcpy(a + 1, data, plen);
	memset((char *)(a + 1) + plen, 0, ALIGN4(NLA_HDRLEN + plen) - NLA_HDRLEN - plen);
	m->len += ALIGN4(NLA_HDRLEN + plen);
	return at;
}

static void put_rand(struct msg *m, uint16_t type, size_t plen)
{
	unsigned char b[3072];
	size_t i;

	if (plen > sizeof(b))
		plen = sizeof(b);
	for (i = 0; i < plen; i++)
		b[i] = (unsigned char)rnd();
	put(m, type, b, plen);
}

static size_t nest_start(struct msg *m, uint16_t type)
{
	return put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m, size_t at)
{
	((struct nlattr *)(m->buf + at))->nla_len = (uint16_t)(m->len - at);
}

/* A value the policies accept often enough to get past them. */
static void put_plausible(struct msg *m, uint16_t type)
{
	static const char *comms[] = { "tcpscen", "own-leak", "", "x",
				       "a-name-longer-than-a-comm-can-be" };
	uint32_t v32 = (uint32_t)rnd();
	uint16_t v16 = (uint16_t)rnd();
	uint8_t v8 = (uint8_t)rnd();
	uint64_t v64 = rnd();
	const char *s;

	switch (type) {
	case TCPSTATE_A_STATE_MASK:
		v32 = chance(70) ? v32 & TCPSTATE_STATE_MASK_ALL : v32;
		put(m, type, &v32, 4);
		break;
	case TCPSTATE_A_FAMILY:
		v8 = chance(40) ? 2 : chance(50) ? 10 : v8;
		put(m, type, &v8, 1);
		break;
	case TCPSTATE_A_SPORT: case TCPSTATE_A_DPORT: case TCPSTATE_A_PORT:
		put(m, type, &v16, 2);
		break;
	case TCPSTATE_A_SRC: case TCPSTATE_A_DST: {
		size_t n = nest_start(m, type);
		unsigned char addr[16];
		int i, k = (int)below(4);

		for (i = 0; i < 16; i++)
			addr[i] = (unsigned char)rnd();
		for (i = 0; i < k; i++) {
			uint16_t it = (uint16_t)below(TCPSTATE_PREFIX_A_MAX + 3);

			if (chance(50))
				put(m, it, addr, chance(50) ? 4 : chance(50) ? 16 : below(20));
			else
				put(m, it, &v8, 1);
		}
		nest_end(m, n);
		break;
	}
	case TCPSTATE_A_MIN_AGE_MS:
		put(m, type, &v64, 8);
		break;
	case TCPSTATE_A_FLAGS:
		v32 = chance(70) ? v32 & __TCPSTATE_F_ALL : v32;
		put(m, type, &v32, 4);
		break;
	case TCPSTATE_A_PID:
		v32 = chance(50) ? below(4) : chance(50) ? (uint32_t)getpid() : v32;
		put(m, type, &v32, 4);
		break;
	case TCPSTATE_A_COMM:
		s = comms[below(5)];
		if (chance(80))
			put(m, type, s, strlen(s) + 1);
		else
			put(m, type, s, strlen(s));	/* no NUL */
		break;
	case TCPSTATE_A_GROUP_BY:
		v8 = chance(80) ? (uint8_t)below(TCPSTATE_GROUP_MAX + 2) : v8;
		put(m, type, &v8, 1);
		break;
	default:
		put_rand(m, type, below(16));
	}
}

/* Garbage, nested @depth more levels. */
static void put_deep(struct msg *m, uint16_t type, int depth)
{
	size_t n = nest_start(m, type);

	if (depth > 0)
		put_deep(m, (uint16_t)below(8), depth - 1);
	else
		put_rand(m, (uint16_t)below(8), below(12));
	nest_end(m, n);
}

static void put_attr(struct msg *m)
{
	uint16_t type = (uint16_t)below(TCPSTATE_A_MAX + 4);
	uint32_t r = below(100);

	if (r < 45) {
		put_plausible(m, type);
	} else if (r < 60) {
		put_rand(m, type, below(24));			/* wrong length */
	} else if (r < 65) {
		put_rand(m, type, 256 + below(2816));		/* oversized */
	} else if (r < 72) {
		put_rand(m, (uint16_t)rnd(), below(32));	/* any type, flag bits */
	} else if (r < 80) {
		put_deep(m, type, (int)below(6));		/* nests of garbage */
	} else if (r < 88) {
		put_plausible(m, type);				/* duplicated */
		put_plausible(m, type);
	} else if (r < 94) {
		size_t at = m->len;				/* wrong flag bits */

		put_plausible(m, type);
		((struct nlattr *)(m->buf + at))->nla_type |=
			chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
	} else {
		put(m, type, NULL, 0);				/* empty */
	}
}

static uint16_t random_flags(void)
{
	uint16_t f = NLM_F_REQUEST;

	if (chance(50))
		f |= NLM_F_DUMP;
	if (chance(30))
		f |= NLM_F_ACK;
	if (chance(5))
		f |= NLM_F_ECHO;
	if (chance(10))
		f |= (uint16_t)(rnd() & 0xffe0);
	if (chance(3))
		f &= (uint16_t)~NLM_F_REQUEST;	/* not a request: ignored */
	return f;
}

/* A request; returns whether the kernel must answer it. */
static bool build(struct msg *m, uint32_t *sent_len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(h + 1);
	uint8_t cmds[] = { TCPSTATE_CMD_UNSPEC, TCPSTATE_CMD_GET_STATS,
			   TCPSTATE_CMD_GET_SOCK, TCPSTATE_CMD_GET_COUNTS,
			   TCPSTATE_CMD_EVENT, TCPSTATE_CMD_MAX + 1, 0xff };
	int i, n = (int)below(13);
	bool answer;

	memset(h, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = family;
	h->nlmsg_flags = random_flags();
	h->nlmsg_seq = ++seq;
	g->cmd = chance(85) ? cmds[1 + below(3)] : cmds[below(sizeof(cmds))];
	g->version = chance(90) ? TCPSTATE_GENL_VERSION : (uint8_t)rnd();
	/* Mostly the right kind (doit/dump), to get past genl to our code. */
	if (chance(85)) {
		h->nlmsg_flags &= (uint16_t)~NLM_F_DUMP;
		if (g->cmd == TCPSTATE_CMD_GET_SOCK || g->cmd == TCPSTATE_CMD_GET_COUNTS)
			h->nlmsg_flags |= NLM_F_DUMP;
	}
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	short_genl = chance(3);
	if (short_genl)
		m->len = NLMSG_HDRLEN + below(GENL_HDRLEN);
	for (i = 0; i < n; i++)
		put_attr(m);
	h->nlmsg_len = (uint32_t)m->len;
	*sent_len = (uint32_t)m->len;
	answer = h->nlmsg_flags & NLM_F_REQUEST;
	if (n && chance(4)) {
		/* The last attribute claims more than there is. */
		struct nlattr *a = (struct nlattr *)(m->buf + NLMSG_HDRLEN + GENL_HDRLEN);

		a->nla_len = (uint16_t)(a->nla_len + 4 + below(64));
	}
	if (chance(10)) {
		switch (below(3)) {
		case 0:	/* shorter than a netlink header: dropped */
			h->nlmsg_len = below(NLMSG_HDRLEN);
			answer = false;
			break;
		case 1:	/* longer than what is sent: dropped */
			h->nlmsg_len = (uint32_t)m->len + 4 + below(4096);
			answer = false;
			break;
		default: /* shorter than what is sent */
			if (m->len > NLMSG_HDRLEN + 4) {
				uint32_t cut = NLMSG_HDRLEN +
					below((uint32_t)m->len - NLMSG_HDRLEN - 4);

				h->nlmsg_len = cut;
				/*
				 * The kernel reads the bytes after the message
				 * as the next one: a length below a header
				 * there ends the batch (otherwise random bytes
				 * would reach random families).
				 */
				if (NLMSG_ALIGN(cut) + 4 <= m->len)
					memset(m->buf + NLMSG_ALIGN(cut), 0, 4);
				if (cut < NLMSG_HDRLEN + GENL_HDRLEN)
					short_genl = true;
			}
			break;
		}
	}
	return answer;
}

/* --- checking replies ---------------------------------------------------- */

static void bad(const char *why, const struct nlmsghdr *r)
{
	t.malformed++;
	if (t.malformed <= 5)
		fprintf(stderr, "nlfuzz: malformed reply (%s): type %u len %u seq %u\n",
			why, r->nlmsg_type, r->nlmsg_len, r->nlmsg_seq);
}

/* Attributes in [p, end): each inside, nests recursively. */
static bool attrs_ok(const unsigned char *p, const unsigned char *end, int depth)
{
	while (p < end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (end - p < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > end - p)
			return false;
		if ((a->nla_type & NLA_F_NESTED) && depth < 8 &&
		    !attrs_ok(p + NLA_HDRLEN, p + a->nla_len, depth + 1))
			return false;
		p += ALIGN4(a->nla_len);
	}
	return true;
}

/*
 * A rejection without an extack message. genl itself says nothing when the
 * genl header is cut short (EINVAL) or the command does not exist or is of
 * the other kind (EOPNOTSUPP); everything else is a policy or module
 * rejection and must say why.
 */
static void no_extack(int error)
{
	t.noext[-error < MAXERR ? -error : 0]++;
	if (short_genl)
		t.noext_short++;
	else if (error != -EOPNOTSUPP)
		t.unexplained++;
}

/* One reply; returns 1 when it ends the request (ack, error, done). */
static int check_reply(const struct nlmsghdr *r, uint32_t want_seq, uint32_t portid)
{
	const unsigned char *end = (const unsigned char *)r + r->nlmsg_len;

	if (r->nlmsg_seq == 0 && r->nlmsg_type == family) {
		/* A multicast event (we may have joined the group). */
		t.events++;
		if (r->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
		    !attrs_ok((const unsigned char *)NLMSG_DATA(r) + GENL_HDRLEN, end, 0))
			bad("event attributes", r);
		return 0;
	}
	if (stray_seq && r->nlmsg_seq == stray_seq && r->nlmsg_pid == portid) {
		/* The ack of a request that was not one (NLM_F_ACK only). */
		if (r->nlmsg_type != NLMSG_ERROR ||
		    r->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nlmsgerr) ||
		    ((const struct nlmsgerr *)NLMSG_DATA(r))->error)
			bad("answer to a non-request", r);
		return 0;
	}
	if (r->nlmsg_seq != want_seq || r->nlmsg_pid != portid) {
		bad("seq or port id", r);
		return 1;
	}
	if (r->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(r);
		size_t off = sizeof(*e);

		if (r->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
			bad("short nlmsgerr", r);
			return 1;
		}
		if (e->error > 0 || e->error < -4095) {
			bad("errno out of range", r);
			return 1;
		}
		t.replies++;
		if (!e->error) {
			t.ok++;
			return 1;
		}
		t.errors++;
		t.err[-e->error < MAXERR ? -e->error : 0]++;
		if (!(r->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		if (!(r->nlmsg_flags & NLM_F_ACK_TLVS)) {
			no_extack(e->error);
		} else {
			const unsigned char *p = (const unsigned char *)NLMSG_DATA(r) + ALIGN4(off);
			unsigned long before = t.extack;

			if (p > end || !attrs_ok(p, end, 8)) {
				bad("extack TLVs", r);
				return 1;
			}
			while (p < end) {
				const struct nlattr *a = (const struct nlattr *)p;

				if (a->nla_type == NLMSGERR_ATTR_MSG) {
					const char *s = (const char *)(a + 1);
					size_t len = a->nla_len - NLA_HDRLEN;

					if (!len || memchr(s, '\0', len) == NULL)
						bad("extack text without NUL", r);
					else
						t.extack++;
				}
				p += ALIGN4(a->nla_len);
			}
			if (t.extack == before)
				no_extack(e->error);
		}
		return 1;
	}
	if (r->nlmsg_type == NLMSG_DONE) {
		if (r->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
			bad("short done", r);
		t.replies++;
		t.ok++;
		return 1;
	}
	/* A dump's "more follows" before its setup (module/dump.c). */
	if (r->nlmsg_type == NLMSG_NOOP)
		return 0;
	if (r->nlmsg_type != family) {
		bad("unexpected type", r);
		return 1;
	}
	if (r->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    !attrs_ok((const unsigned char *)NLMSG_DATA(r) + GENL_HDRLEN, end, 0)) {
		bad("reply attributes", r);
		return 1;
	}
	/* A doit reply without NLM_F_ACK ends the request. */
	return !(r->nlmsg_flags & NLM_F_MULTI) && !(r->nlmsg_flags & NLM_F_DUMP_INTR) ? 2 : 0;
}

/*
 * Read until the request @want_seq is answered. A doit reply is followed
 * by an ack only when NLM_F_ACK was set. @abandon: give up after the first
 * datagram of a dump. Returns false when the socket should be replaced.
 */
static bool read_answer(int nl, uint32_t want_seq, uint32_t portid, bool acked,
			bool abandon)
{
	static unsigned char rx[1 << 17];

	for (;;) {
		ssize_t n = recv(nl, rx, sizeof(rx), 0);
		struct nlmsghdr *r;
		size_t left;

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				t.timeouts++;
				fprintf(stderr, "nlfuzz: no answer to seq %u\n", want_seq);
				return false;
			}
			if (errno == ENOBUFS)	/* events overran us */
				continue;
			die("recv");
		}
		left = (size_t)n;
		for (r = (struct nlmsghdr *)rx; left; ) {
			int end;

			if (left < NLMSG_HDRLEN || r->nlmsg_len < NLMSG_HDRLEN ||
			    r->nlmsg_len > left) {
				bad("length outside the datagram", r);
				return false;
			}
			end = check_reply(r, want_seq, portid);
			if (end == 1 || (end == 2 && !acked))
				return true;
			left -= NLMSG_ALIGN(r->nlmsg_len) < left ? NLMSG_ALIGN(r->nlmsg_len) : left;
			r = (struct nlmsghdr *)((unsigned char *)r + NLMSG_ALIGN(r->nlmsg_len));
		}
		if (abandon) {
			t.abandoned++;
			return false;
		}
	}
}

/* --- sockets ------------------------------------------------------------- */

static int open_nl(uint32_t *portid)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sa);
	struct timeval tv = { .tv_sec = 10 };
	int one = 1, buf = 1 << 20;
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (nl < 0)
		die("socket");
	setsockopt(nl, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (chance(30))
		setsockopt(nl, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(nl, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(nl, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(nl, (struct sockaddr *)&sa, &sl))
		die("bind");
	*portid = sa.nl_pid;
	return nl;
}

static void resolve(void)
{
	struct msg m;
	unsigned char rx[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)m.buf, *r = (struct nlmsghdr *)rx;
	struct genlmsghdr *g = (struct genlmsghdr *)(h + 1);
	uint32_t portid;
	int nl = open_nl(&portid);
	const unsigned char *p, *end;
	ssize_t n;

	memset(m.buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = GENL_ID_CTRL;
	h->nlmsg_flags = NLM_F_REQUEST;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	put(&m, CTRL_ATTR_FAMILY_NAME, TCPSTATE_GENL_NAME, sizeof(TCPSTATE_GENL_NAME));
	h->nlmsg_len = (uint32_t)m.len;
	if (send(nl, m.buf, m.len, 0) < 0)
		die("send");
	n = recv(nl, rx, sizeof(rx), 0);
	if (n < (ssize_t)NLMSG_HDRLEN || r->nlmsg_type != GENL_ID_CTRL) {
		fprintf(stderr, "nlfuzz: tcpstate family not found (module not loaded?)\n");
		exit(2);
	}
	p = (unsigned char *)NLMSG_DATA(r) + GENL_HDRLEN;
	end = rx + r->nlmsg_len;
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;
		const unsigned char *q, *qend;

		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			memcpy(&family, a + 1, 2);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			for (q = p + NLA_HDRLEN, qend = p + a->nla_len; q < qend;) {
				const struct nlattr *ga = (const struct nlattr *)q;
				const unsigned char *x = q + NLA_HDRLEN;

				for (; x < q + ga->nla_len;) {
					const struct nlattr *xa = (const struct nlattr *)x;

					if (xa->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						memcpy(&events_group, xa + 1, 4);
					x += ALIGN4(xa->nla_len);
				}
				q += ALIGN4(ga->nla_len);
			}
		}
		p += ALIGN4(a->nla_len);
	}
	close(nl);
	if (!family) {
		fprintf(stderr, "nlfuzz: tcpstate family not found\n");
		exit(2);
	}
}

/* A request that must work: GET_STATS with an ack. */
static bool ping(int nl, uint32_t portid)
{
	struct msg m;
	struct nlmsghdr *h = (struct nlmsghdr *)m.buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(h + 1);
	unsigned long ok = t.ok;

	short_genl = false;

	memset(m.buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = family;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++seq;
	g->cmd = TCPSTATE_CMD_GET_STATS;
	g->version = TCPSTATE_GENL_VERSION;
	m.len = h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	if (send(nl, m.buf, m.len, 0) < 0)
		die("send ping");
	if (!read_answer(nl, h->nlmsg_seq, portid, true, false))
		return false;
	if (t.ok == ok) {
		fprintf(stderr, "nlfuzz: a plain GET_STATS failed after a bad message\n");
		t.malformed++;
	}
	return true;
}

static void membership(int nl)
{
	int opt = chance(60) ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;
	int grp = chance(60) ? (int)events_group : (int)below(64);

	/* EPERM for the events group without CAP_NET_ADMIN; fine either way. */
	setsockopt(nl, SOL_NETLINK, opt, &grp, sizeof(grp));
}

static void worker(unsigned long count)
{
	uint32_t portid;
	int nl = open_nl(&portid);
	unsigned long i;

	for (i = 0; i < count; i++) {
		struct msg m;
		uint32_t len;
		bool answer = build(&m, &len);
		bool dump = ((struct nlmsghdr *)m.buf)->nlmsg_flags & NLM_F_DUMP;
		bool acked = ((struct nlmsghdr *)m.buf)->nlmsg_flags & NLM_F_ACK;
		bool keep = true;

		if (chance(2))
			membership(nl);
		if (send(nl, m.buf, len, 0) < 0) {
			if (errno != ECONNREFUSED && errno != EINVAL && errno != EMSGSIZE)
				die("send");
			answer = false;
		}
		t.sent++;
		if (answer && dump && chance(5)) {
			/* Abandon the dump before reading anything. */
			t.abandoned++;
			keep = false;
		} else if (answer) {
			keep = read_answer(nl, ((struct nlmsghdr *)m.buf)->nlmsg_seq,
					   portid, acked, dump && chance(5));
		} else {
			stray_seq = ((struct nlmsghdr *)m.buf)->nlmsg_seq;
			keep = ping(nl, portid);
			stray_seq = 0;
		}
		if (!keep) {
			close(nl);
			nl = open_nl(&portid);
		}
	}
	close(nl);
}

int main(int argc, char **argv)
{
	unsigned long total = 200000, seed = (unsigned long)getpid();
	int procs = 4, opt, i, status, fds[2], fail = 0;
	struct tally sum = { 0 };

	while ((opt = getopt(argc, argv, "n:p:s:")) != -1) {
		switch (opt) {
		case 'n': total = strtoul(optarg, NULL, 0); break;
		case 'p': procs = atoi(optarg); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: nlfuzz [-n MESSAGES] [-p PROCS] [-s SEED]\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 64)
		procs = 4;
	rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	resolve();
	if (pipe(fds))
		die("pipe");
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(fds[0]);
			rng = (seed + (unsigned long)i + 1) * 0x9E3779B97F4A7C15ULL + 1;
			seq = (uint32_t)i << 24;
			worker(total / (unsigned long)procs +
			       (i < (int)(total % (unsigned long)procs)));
			if (write(fds[1], &t, sizeof(t)) != sizeof(t))
				_exit(2);
			_exit(0);
		}
	}
	close(fds[1]);
	for (i = 0; i < procs; i++) {
		struct tally w;
		int k;

		if (read(fds[0], &w, sizeof(w)) != sizeof(w)) {
			fprintf(stderr, "nlfuzz: a worker died\n");
			fail = 1;
			continue;
		}
		sum.sent += w.sent; sum.replies += w.replies; sum.ok += w.ok;
		sum.errors += w.errors; sum.extack += w.extack;
		sum.abandoned += w.abandoned; sum.malformed += w.malformed;
		sum.timeouts += w.timeouts; sum.events += w.events;
		for (k = 0; k < MAXERR; k++) {
			sum.err[k] += w.err[k];
			sum.noext[k] += w.noext[k];
		}
		sum.noext_short += w.noext_short;
		sum.unexplained += w.unexplained;
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail = 1;
	printf("nlfuzz: sent=%lu replies=%lu ok=%lu errors=%lu extack=%lu dumps_abandoned=%lu events=%lu malformed=%lu timeouts=%lu seed=%lu procs=%d\n",
	       sum.sent, sum.replies, sum.ok, sum.errors, sum.extack,
	       sum.abandoned, sum.events, sum.malformed, sum.timeouts, seed, procs);
	for (i = 0; i < MAXERR; i++)
		if (sum.err[i])
			printf("nlfuzz: errno %d (%s): %lu, without extack: %lu\n", i,
			       i ? strerror(i) : "other", sum.err[i], sum.noext[i]);
	printf("nlfuzz: without extack because the genl header was cut short: %lu\n",
	       sum.noext_short);
	printf("nlfuzz: rejected by policy or module without extack: %lu\n",
	       sum.unexplained);
	return fail || sum.malformed || sum.timeouts ? 1 : 0;
}
