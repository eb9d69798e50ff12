// SPDX-License-Identifier: GPL-2.0
/*
 * dumpresume: does a GET_SOCK dump resume in the right place when the
 * socket it stopped on is gone by the next read?
 *
 *   dumpresume [-n PAIRS] [-p PORT] [-b BUFSIZE] [-k LAST] [-P]
 *
 * Opens PAIRS loopback connections to PORT (both ends in this process),
 * then dumps this netns's sockets one netlink read at a time. Before each
 * next read (the read that makes the kernel fill the next buffer) it peeks
 * at the buffer just filled and resets the connections of the last LAST
 * sockets listed there (default 1) that are its own: both ends leave the
 * hash at once. A small receive buffer stops the kernel from filling ahead.
 * Run in a netns whose ehash has one bucket (tcp_child_ehash_entries=1),
 * every stop falls in the middle of the one chain.
 *
 * Every socket that was there all along must be listed exactly once; a
 * reset one at most once. Prints one summary line,
 *   reads=R resets=K listed=L missing=M twice=T
 * and exits 1 if M or T is not 0 (or on any error). -P asks for packed
 * records instead of one message per socket.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "genl_family.h"

#define ALIGN4(x) (((x) + 3) & ~3U)

/* One connection: both ends, and how often the dump listed each. */
struct pair {
	int cfd, sfd;
	uint16_t cport;
	bool reset;
	unsigned int seen_c, seen_s;
};

static struct pair *pairs;
static int npairs;
static uint16_t port = 6200;
static unsigned int seen_listener;
static int pair_of_port[65536];	/* client port -> pair index + 1 */

static void die(const char *what)
{
	fprintf(stderr, "dumpresume: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void open_pairs(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons(port) };
	struct rlimit rl = { 2 * (rlim_t)npairs + 64, 2 * (rlim_t)npairs + 64 };
	socklen_t len = sizeof(a);
	int l, one = 1, i;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		die("socket");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4096))
		die("listen");
	pairs = calloc(npairs, sizeof(*pairs));
	if (!pairs)
		die("calloc");
	for (i = 0; i < npairs; i++) {
		struct pair *p = &pairs[i];
		struct sockaddr_in c;

		p->cfd = socket(AF_INET, SOCK_STREAM, 0);
		if (p->cfd < 0 || connect(p->cfd, (struct sockaddr *)&a, sizeof(a)))
			die("connect");
		p->sfd = accept(l, NULL, NULL);
		if (p->sfd < 0)
			die("accept");
		len = sizeof(c);
		if (getsockname(p->cfd, (struct sockaddr *)&c, &len))
			die("getsockname");
		p->cport = ntohs(c.sin_port);
		pair_of_port[p->cport] = i + 1;
	}
}

/* RST both ends now: an abortive close of one end, then the other fd. */
static void reset_pair(struct pair *p)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(p->cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(p->cfd);
	close(p->sfd);
	p->reset = true;
}

/* The connection end a (local, remote) port pair names, if ours. */
static struct pair *end_of(uint16_t sport, uint16_t dport, bool *client)
{
	int i;

	if (sport == port && dport && (i = pair_of_port[dport])) {
		*client = false;
		return &pairs[i - 1];
	}
	if (dport == port && (i = pair_of_port[sport])) {
		*client = true;
		return &pairs[i - 1];
	}
	return NULL;
}

static void count(uint16_t sport, uint16_t dport)
{
	struct pair *p;
	bool client;

	if (sport == port && !dport) {
		seen_listener++;
		return;
	}
	p = end_of(sport, dport, &client);
	if (p) {
		if (client)
			p->seen_c++;
		else
			p->seen_s++;
	}
}

static int nl;
static uint16_t family;

static void resolve(void)
{
	family = tcpstate_family_id(nl, 8192, "dumpresume");
}

static void request(bool packed)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		struct nlattr a;
		uint32_t flags;
	} m = { 0 };

	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = family;
	m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	m.h.nlmsg_seq = 1;
	m.g.cmd = TCPSTATE_CMD_GET_SOCK;
	m.g.version = 1;
	m.a.nla_type = TCPSTATE_A_FLAGS;
	m.a.nla_len = NLA_HDRLEN + sizeof(uint32_t);
	m.flags = packed ? TCPSTATE_F_PACKED : 0;
	if (send(nl, &m, sizeof(m), 0) < 0)
		die("send");
}

/* Per-field: the ports in the attributes of a TCPSTATE_A_SOCK nest. */
static bool sock_ports(const char *p, const char *end, uint16_t *sport,
		       uint16_t *dport)
{
	bool s = false, d = false;

	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			return false;
		if (a->nla_type == TCPSTATE_SOCK_A_SPORT && a->nla_len >= NLA_HDRLEN + 2) {
			memcpy(sport, a + 1, 2);
			s = true;
		}
		if (a->nla_type == TCPSTATE_SOCK_A_DPORT && a->nla_len >= NLA_HDRLEN + 2) {
			memcpy(dport, a + 1, 2);
			d = true;
		}
		p += ALIGN4(a->nla_len);
	}
	return s && d;
}

/* The ports of the sockets of one read, in order. */
struct listing {
	uint16_t sport[8192], dport[8192];
	unsigned int n;
};

static void note(struct listing *l, uint16_t sport, uint16_t dport)
{
	count(sport, dport);
	if (l->n < sizeof(l->sport) / sizeof(l->sport[0])) {
		l->sport[l->n] = sport;
		l->dport[l->n++] = dport;
	}
}

/*
 * Parse one read: count every socket it lists and note their ports.
 * Returns 1 at NLMSG_DONE, 0 if more follows, or exits on error.
 */
static int parse(const char *buf, ssize_t n, struct listing *l)
{
	const struct nlmsghdr *h;

	l->n = 0;
	for (h = (const struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
	     h = NLMSG_NEXT(h, n)) {
		const char *p = (const char *)NLMSG_DATA(h) + GENL_HDRLEN;
		const char *end = (const char *)h + h->nlmsg_len;

		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			errno = -((const struct nlmsgerr *)NLMSG_DATA(h))->error;
			die("dump");
		}
		if (h->nlmsg_type != family)
			continue;
		while (p + NLA_HDRLEN <= end) {
			const struct nlattr *a = (const struct nlattr *)p;
			uint16_t sp = 0, dp = 0;

			if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) == TCPSTATE_A_SOCK &&
			    sock_ports((const char *)(a + 1), p + a->nla_len, &sp, &dp))
				note(l, sp, dp);
			if (a->nla_type == TCPSTATE_A_SOCK_REC &&
			    a->nla_len >= NLA_HDRLEN + sizeof(struct tcpstate_sock_rec)) {
				struct tcpstate_sock_rec r;

				memcpy(&r, a + 1, sizeof(r));
				note(l, r.sport, r.dport);
			}
			p += ALIGN4(a->nla_len);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	static struct listing l;
	unsigned int last = 1, reads = 0, resets = 0, listed = 0, missing = 0, twice = 0;
	size_t bufsize = 8192;
	bool packed = false;
	int opt, zero = 0, i;

	npairs = 1000;
	while ((opt = getopt(argc, argv, "n:p:b:k:P")) != -1) {
		switch (opt) {
		case 'n': npairs = atoi(optarg); break;
		case 'p': port = (uint16_t)atoi(optarg); break;
		case 'b': bufsize = (size_t)atol(optarg); break;
		case 'k': last = (unsigned int)atoi(optarg); break;
		case 'P': packed = true; break;
		default:
			fprintf(stderr, "usage: dumpresume [-n PAIRS] [-p PORT] [-b BUFSIZE] [-k LAST] [-P]\n");
			return 2;
		}
	}
	if (npairs < 1 || npairs > 30000 || bufsize < 8192 || bufsize > sizeof(buf)) {
		fprintf(stderr, "dumpresume: bad -n or -b\n");
		return 2;
	}
	open_pairs();
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (nl < 0)
		die("netlink socket");
	resolve();
	/* The minimum: one queued buffer keeps the kernel from filling more. */
	if (setsockopt(nl, SOL_SOCKET, SO_RCVBUF, &zero, sizeof(zero)))
		die("SO_RCVBUF");
	request(packed);
	for (;;) {
		unsigned int j;
		ssize_t n, m;
		bool client;
		int done;

		n = recv(nl, buf, bufsize, MSG_PEEK | MSG_TRUNC);
		if (n < 0)
			die("recv");
		if ((size_t)n > bufsize) {
			fprintf(stderr, "dumpresume: a %zd-byte read for a %zu-byte buffer\n",
				n, bufsize);
			return 1;
		}
		/* Reset the last sockets listed before the kernel goes on. */
		done = parse(buf, n, &l);
		for (j = 0; j < last && j < l.n; j++) {
			struct pair *p = end_of(l.sport[l.n - 1 - j],
						l.dport[l.n - 1 - j], &client);

			if (p && !p->reset) {
				reset_pair(p);
				resets++;
			}
		}
		m = recv(nl, buf, bufsize, 0);
		if (m != n) {
			fprintf(stderr, "dumpresume: peeked %zd bytes, read %zd\n", n, m);
			return 1;
		}
		reads++;
		if (done)
			break;
	}
	for (i = 0; i < npairs; i++) {
		struct pair *p = &pairs[i];
		unsigned int max = 1, min = p->reset ? 0 : 1;

		listed += p->seen_c + p->seen_s;
		missing += (p->seen_c < min) + (p->seen_s < min);
		twice += (p->seen_c > max) + (p->seen_s > max);
	}
	listed += seen_listener;
	missing += !seen_listener;
	twice += seen_listener > 1;
	printf("reads=%u resets=%u listed=%u missing=%u twice=%u\n", reads,
	       resets, listed, missing, twice);
	return missing || twice;
}
