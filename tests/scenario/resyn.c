// SPDX-License-Identifier: GPL-2.0
/*
 * resyn: a listing of connections in SYN_SENT read slowly while some of
 * them connect again, to check where the module's walk resumes a dump.
 *
 *   resyn -s STABLE -c CHURN [-p PORT] [-R ROUNDS]
 *
 * STABLE and CHURN non-blocking connections to 10.99.0.1:PORT, which the
 * case routes to lo where nothing answers (no local address, no
 * forwarding): they stay in SYN_SENT. Created mixed, in a fixed
 * pseudo-random order with at most 8 churn ones in a row; in a namespace
 * with a one-bucket ehash they make one chain. Then ROUNDS times: a
 * GET_SOCK dump of the SYN_SENT sockets read with a 4 KiB buffer (one
 * page of a few dozen rows per read); before each read every churn
 * connection of the reply waiting in the queue is shut down (in SYN_SENT
 * inet_shutdown() calls tcp_disconnect() and unhashes it without
 * counting a disconnect in sk_disconnects) and connects again: the same
 * socket back at the head of the chain. The sockets the dump just went
 * past, which it holds to find its place again, are among them. A walk
 * that takes such a socket for its place lists the chain again from its
 * head: stable rows twice.
 *
 *   resyn -E -s STABLE [-p PORT] [-R ROUNDS]
 *
 * -E: STABLE established connections from 127.0.0.1 to a listener of
 * its own on 10.99.0.1:PORT, which the case puts on lo (and routes
 * 10.99.0.0/24 to lo); a dump of the ESTABLISHED ones read the same way.
 * Before each read, every connection of the reply waiting and of the one
 * read before (the sockets the walk holds for its place are among them)
 * stays where it is but changes what the walk judges it by: 10.99.0.1
 * leaves lo (what is sent to it is dropped), each writes a byte and
 * waits for its retransmission timeout (a new txhash, one more timeout
 * rehash, write_seq moved on), and 10.99.0.1 comes back. A walk that
 * takes them for gone goes back to the head and lists them again.
 *
 * Prints per round "round=R reads=N rows=N stable_once=N
 * stable_missing=N stable_dup=N dup_rows=N ended=0|1" (rows by inode;
 * ended=0: the dump was still going after STABLE + CHURN reads, and was
 * left) and exits 0 if it could run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"

#define ALIGN4(x) (((x) + 3) & ~3U)

static int nl, port = 7400, established;
static uint16_t family;

static void die(const char *what)
{
	fprintf(stderr, "resyn: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void conn_to(int fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(0x0a630001) };

	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 ||
	    errno != EINPROGRESS)
		die("connect");
}

static void addr_10_99_0_1(const char *verb)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "ip addr %s 10.99.0.1/32 dev lo", verb);
	if (system(cmd) != 0) {
		fprintf(stderr, "resyn: %s failed\n", cmd);
		exit(1);
	}
}

/*
 * Retransmission timeouts since the last ACK that moved snd_una on
 * (icsk_retransmits): a tail loss probe, which comes first and rethinks
 * no txhash, does not count here as it does in tcpi_total_retrans.
 */
static unsigned int rto_count(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		die("TCP_INFO");
	return ti.tcpi_retransmits;
}

/*
 * -E: @n established connections stay in place while their txhash,
 * timeout rehash count and write_seq change (see the top). Each one at
 * most twice (@mutated counts): a walk that lists rows again would
 * otherwise back their timeouts off for ever.
 */
static void time_out(const int *all, const int *idx, int nidx, int *mutated)
{
	unsigned int before[64];
	int fds[64], i, n, waited, left;

	for (i = 0, n = 0; i < nidx && n < 64; i++)
		if (mutated[idx[i]]++ < 2)
			fds[n++] = all[idx[i]];
	if (!n)
		return;
	addr_10_99_0_1("del");
	for (i = 0; i < n; i++) {
		before[i] = rto_count(fds[i]);
		if (write(fds[i], "x", 1) != 1)
			die("write");
	}
	for (waited = 0; waited < 10000; waited += 10) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		for (i = 0, left = 0; i < n; i++)
			left += rto_count(fds[i]) <= before[i];
		if (!left)
			break;
		nanosleep(&ts, NULL);
	}
	addr_10_99_0_1("add");
	if (waited >= 10000) {
		struct tcp_info ti;
		socklen_t len = sizeof(ti);

		for (i = 0; i < n; i++)
			if (rto_count(fds[i]) <= before[i])
				break;
		getsockopt(fds[i], IPPROTO_TCP, TCP_INFO, &ti, &len);
		fprintf(stderr, "resyn: %d of %d connections had no retransmission timeout in 10 s (one: state %u retransmits %u (%u before) backoff %u rto %u us unacked %u total_retrans %u)\n",
			left, n, ti.tcpi_state, ti.tcpi_retransmits, before[i],
			ti.tcpi_backoff, ti.tcpi_rto, ti.tcpi_unacked,
			ti.tcpi_total_retrans);
		exit(1);
	}
}

/* -E: an established connection from 127.0.0.1 to our listener. */
static int conn_est(int lfd, int *server)
{
	struct sockaddr_in lo = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(0x7f000001) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&lo, sizeof(lo)) < 0)
		die("socket");
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		die("fcntl");
	conn_to(fd);
	*server = accept(lfd, NULL, NULL);
	if (*server < 0)
		die("accept");
	return fd;
}

static int listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(0x0a630001) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(fd, 4096) < 0)
		die("listen");
	return fd;
}

/* A connection left in SYN_SENT: nothing answers 10.99.0.1. */
static int conn(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		die("socket");
	conn_to(fd);
	return fd;
}

static uint64_t inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat");
	return st.st_ino;
}

static void put_attr(char *buf, size_t *len, uint16_t type, const void *d,
		     size_t n)
{
	struct nlattr *a = (struct nlattr *)(buf + *len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + n);
	memcpy(a + 1, d, n);
	*len += ALIGN4(NLA_HDRLEN + n);
}

static void request(uint16_t type, uint16_t flags, uint8_t cmd, int dump)
{
	char buf[256] = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(h + 1);
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN;

	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = 1;
	g->cmd = cmd;
	g->version = 1;
	if (dump) {
		/* TCP_SYN_SENT, or with -E TCP_ESTABLISHED */
		uint32_t mask = established ? 1U << 1 : 1U << 2;
		uint16_t p = (uint16_t)port;

		put_attr(buf, &len, TCPSTATE_A_DPORT, &p, sizeof(p));
		put_attr(buf, &len, TCPSTATE_A_STATE_MASK, &mask, sizeof(mask));
	} else {
		put_attr(buf, &len, CTRL_ATTR_FAMILY_NAME, TCPSTATE_GENL_NAME,
			 sizeof(TCPSTATE_GENL_NAME));
	}
	h->nlmsg_len = (uint32_t)len;
	if (send(nl, buf, len, 0) < 0)
		die("send");
}

static void resolve(void)
{
	char rx[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)rx;
	ssize_t n;
	char *p, *end;

	request(GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0);
	n = recv(nl, rx, sizeof(rx), 0);
	if (n <= 0 || h->nlmsg_type != GENL_ID_CTRL) {
		fprintf(stderr, "resyn: tcpstate family not found\n");
		exit(1);
	}
	p = (char *)NLMSG_DATA(h) + GENL_HDRLEN;
	end = rx + h->nlmsg_len;
	while (p + NLA_HDRLEN <= end) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)(a + 1);
		p += ALIGN4(a->nla_len);
	}
}

/* The inode in one GET_SOCK reply, or 0. */
static uint64_t row_inode(struct nlmsghdr *r)
{
	char *p = (char *)NLMSG_DATA(r) + GENL_HDRLEN, *end = (char *)r + r->nlmsg_len;

	while (p + NLA_HDRLEN <= end) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == TCPSTATE_A_SOCK) {
			char *q = (char *)(a + 1), *qend = p + a->nla_len;

			while (q + NLA_HDRLEN <= qend) {
				struct nlattr *x = (struct nlattr *)q;
				uint64_t v;

				if (x->nla_len < NLA_HDRLEN)
					break;
				if (x->nla_type == TCPSTATE_SOCK_A_INODE) {
					memcpy(&v, x + 1, sizeof(v));
					return v;
				}
				q += ALIGN4(x->nla_len);
			}
		}
		p += ALIGN4(a->nla_len);
	}
	return 0;
}

static int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How often @ino is in the sorted @rows. */
static int times(const uint64_t *rows, int n, uint64_t ino)
{
	int lo = 0, hi = n, c = 0;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (rows[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < n && rows[lo++] == ino)
		c++;
	return c;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int c, i, r, ns = 0, nc = 0, rounds = 1, *sfd, *cfd;
	uint64_t *sino, *cino, *rows;
	struct rlimit rl;
	int cap, one, lfd = -1, *srv = NULL, *mutated = NULL, prev[64], nprev = 0;

	while ((c = getopt(argc, argv, "Es:c:p:R:")) != -1) {
		switch (c) {
		case 'E':
			established = 1;
			break;
		case 's':
			ns = atoi(optarg);
			break;
		case 'c':
			nc = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'R':
			rounds = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: resyn -s STABLE -c CHURN [-p PORT] [-R ROUNDS]\n"
					"       resyn -E -s STABLE [-p PORT] [-R ROUNDS]\n");
			return 2;
		}
	}
	if (ns <= 0 || nc < 0 || rounds <= 0 || (established && nc))
		return 2;
	rl.rlim_cur = rl.rlim_max = 2 * (ns + nc) + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	sfd = calloc(ns, sizeof(*sfd));
	sino = calloc(ns, sizeof(*sino));
	cfd = calloc(nc + 1, sizeof(*cfd));
	cino = calloc(nc + 1, sizeof(*cino));
	/* Churn rows can come back: room for a few passes. */
	cap = 4 * (ns + nc) + 64;
	rows = calloc(cap, sizeof(*rows));
	if (!sfd || !sino || !cfd || !cino || !rows)
		die("calloc");
	if (established) {
		srv = calloc(ns, sizeof(*srv));
		mutated = calloc(ns, sizeof(*mutated));
		if (!srv || !mutated)
			die("calloc");
		lfd = listener();
	}
	for (i = 0; established && i < ns; i++) {
		sfd[i] = conn_est(lfd, &srv[i]);
		sino[i] = inode(sfd[i]);
	}
	for (i = 0, c = 0, r = 0; !established && (i < ns || c < nc);) {
		static unsigned int seed = 1;

		seed = seed * 1103515245 + 12345;
		if (c < nc && (i >= ns || (r < 8 && (seed >> 16) % 3))) {
			cfd[c] = conn();
			cino[c] = inode(cfd[c]);
			c++;
			r++;
		} else {
			sfd[i] = conn();
			sino[i] = inode(sfd[i]);
			i++;
			r = 0;
		}
	}
	/*
	 * The family is resolved on a socket of its own: the kernel sizes a
	 * dump's replies by the largest read a socket has made.
	 */
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (nl < 0 || bind(nl, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("netlink");
	resolve();
	close(nl);
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (nl < 0 || bind(nl, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("netlink");
	/*
	 * The smallest receive buffer: the kernel then queues one reply at
	 * a time (it dumps more only while the queue is under half of it).
	 */
	one = 1;
	if (setsockopt(nl, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)) < 0)
		die("SO_RCVBUF");

	for (r = 1; r <= rounds; r++) {
		int nrows = 0, reads = 0, once = 0, missing = 0, sdup = 0, dups = 0;
		int done = 0;

		request(family, NLM_F_DUMP, TCPSTATE_CMD_GET_SOCK, 1);
		/*
		 * Bounded: a walk that takes a socket back at the head for
		 * its place can go round the chain for ever.
		 */
		while (!done && reads < ns + nc) {
			static char rx[4096];
			ssize_t peeked, n = recv(nl, rx, sizeof(rx),
						 MSG_PEEK | MSG_TRUNC);
			struct nlmsghdr *h;

			if (n < 0)
				die("recv");
			if (n > (ssize_t)sizeof(rx)) {
				fprintf(stderr, "resyn: a reply of %zd bytes\n", n);
				return 1;
			}
			peeked = n;
			/*
			 * The churn connections of the reply waiting to be
			 * read (the walk's last place) go and come back,
			 * before it is read: reading it lets the walk go on.
			 * With -E, every connection of it and of the reply
			 * read before times out in place.
			 */
			for (h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n);
			     h = NLMSG_NEXT(h, n)) {
				uint64_t ino;
				int j;

				if (h->nlmsg_type < NLMSG_MIN_TYPE)
					continue;
				ino = row_inode(h);
				for (j = 0; established && j < ns; j++) {
					if (sino[j] != ino)
						continue;
					if (nprev < 64)
						prev[nprev++] = j;
					break;
				}
				for (j = 0; j < nc; j++) {
					if (cino[j] != ino)
						continue;
					if (shutdown(cfd[j], SHUT_RDWR) < 0)
						die("shutdown");
					conn_to(cfd[j]);
					break;
				}
			}
			if (established) {
				time_out(sfd, prev, nprev, mutated);
				/* The next read's "read before": this one's. */
				nprev = 0;
				n = peeked;
				for (h = (struct nlmsghdr *)rx;
				     NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
					uint64_t ino;
					int j;

					if (h->nlmsg_type < NLMSG_MIN_TYPE)
						continue;
					ino = row_inode(h);
					for (j = 0; j < ns && nprev < 32; j++)
						if (sino[j] == ino)
							prev[nprev++] = j;
				}
			}
			n = recv(nl, rx, sizeof(rx), 0);
			if (n < 0)
				die("recv");
			reads++;
			for (h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n);
			     h = NLMSG_NEXT(h, n)) {
				if (h->nlmsg_type == NLMSG_DONE) {
					done = 1;
					break;
				}
				if (h->nlmsg_type == NLMSG_ERROR) {
					struct nlmsgerr *e = NLMSG_DATA(h);

					fprintf(stderr, "resyn: dump: %s\n",
						strerror(-e->error));
					return 1;
				}
				if (nrows < cap)
					rows[nrows++] = row_inode(h);
			}
		}
		qsort(rows, nrows, sizeof(*rows), cmp64);
		for (i = 0; i < ns; i++) {
			int t = times(rows, nrows, sino[i]);

			once += t == 1;
			missing += t == 0;
			sdup += t > 1;
		}
		for (i = 1; i < nrows; i++)
			dups += rows[i] == rows[i - 1];
		printf("round=%d reads=%d rows=%d stable_once=%d stable_missing=%d stable_dup=%d dup_rows=%d ended=%d\n",
		       r, reads, nrows, once, missing, sdup, dups, done);
		fflush(stdout);
	}
	return 0;
}
