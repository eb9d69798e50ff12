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
 *   resyn -K PINS -s STABLE [-p PORT] [-R ROUNDS]
 *
 * -K: STABLE connections in SYN_SENT, none churning; once per round,
 * before the second reply is read, the connections of its last PINS rows
 * are closed (and leave the chain). With PINS the number of sockets the
 * walk holds for its place (TCPSTATE_WALK_PINS, module/sockwalk.h), every
 * one of them is gone, so the walk goes back to the head and finds its
 * place by position (the matching sockets before it, less those gone):
 * exact here, since only those left. A cursor one socket off there skips
 * the socket the reply had no room for. The closed ones were listed (in
 * the reply read after they closed), so each counts once.
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
#include "slowdump.h"

static int nl, port = 7400, established, kill_pins;
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

static void resolve(int fd)
{
	char rx[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)rx;
	ssize_t n;
	char *p, *end;

	slowdump_request(fd, "resyn", GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0,
			 0, 0);
	n = recv(fd, rx, sizeof(rx), 0);
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

/*
 * -K: close the connections of the last kill_pins rows of the reply
 * waiting (@n bytes at @rx); exits when it has no more rows than that
 * (then the walk's stopping socket is not past them).
 */
static void close_last_rows(char *rx, ssize_t n, int *sfd,
			    const uint64_t *sino, int ns)
{
	uint64_t ino[512];
	struct nlmsghdr *h;
	int k = 0, i, j;

	for (h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n) && k < 512;
	     h = NLMSG_NEXT(h, n))
		if (h->nlmsg_type >= NLMSG_MIN_TYPE)
			ino[k++] = row_inode(h);
	if (k <= kill_pins) {
		fprintf(stderr, "resyn: the second reply has %d rows, not more than %d\n",
			k, kill_pins);
		exit(1);
	}
	for (i = k - kill_pins; i < k; i++)
		for (j = 0; j < ns; j++) {
			if (sino[j] != ino[i] || sfd[j] < 0)
				continue;
			close(sfd[j]);
			sfd[j] = -1;
			break;
		}
}

int main(int argc, char **argv)
{
	int c, i, r, ns = 0, nc = 0, rounds = 1, *sfd, *cfd;
	uint64_t *sino, *cino, *rows;
	struct rlimit rl;
	int cap, lfd = -1, *srv = NULL, *mutated = NULL, prev[64], nprev = 0;

	while ((c = getopt(argc, argv, "EK:s:c:p:R:")) != -1) {
		switch (c) {
		case 'E':
			established = 1;
			break;
		case 'K':
			kill_pins = atoi(optarg);
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
					"       resyn -E -s STABLE [-p PORT] [-R ROUNDS]\n"
					"       resyn -K PINS -s STABLE [-p PORT] [-R ROUNDS]\n");
			return 2;
		}
	}
	if (ns <= 0 || nc < 0 || rounds <= 0 || (established && nc) ||
	    kill_pins < 0 || (kill_pins && (established || nc)))
		return 2;
	rl.rlim_cur = rl.rlim_max = 2 * (ns + nc) + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	cap = slowdump_alloc("resyn", ns, nc, &sfd, &sino, &cfd, &cino, &rows);
	if (established) {
		srv = calloc(ns, sizeof(*srv));
		mutated = calloc(ns, sizeof(*mutated));
		if (!srv || !mutated)
			die("calloc");
		lfd = listener();
	}
	for (i = 0; established && i < ns; i++) {
		sfd[i] = conn_est(lfd, &srv[i]);
		sino[i] = slowdump_inode("resyn", sfd[i]);
	}
	if (!established)
		slowdump_mix("resyn", ns, nc, conn, sfd, sino, cfd, cino);
	nl = slowdump_sockets("resyn", resolve);

	for (r = 1; r <= rounds; r++) {
		int nrows = 0, reads = 0, done = 0;

		/* TCP_SYN_SENT, or with -E TCP_ESTABLISHED */
		slowdump_request(nl, "resyn", family, NLM_F_DUMP,
				 TCPSTATE_CMD_GET_SOCK, TCPSTATE_A_DPORT, port,
				 established ? 1U << 1 : 1U << 2);
		/*
		 * Bounded: a walk that takes a socket back at the head for
		 * its place can go round the chain for ever.
		 */
		while (!done && reads < ns + nc) {
			static char rx[4096];
			ssize_t peeked, n = slowdump_peek(nl, "resyn", rx,
							  sizeof(rx));
			struct nlmsghdr *h;

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
			if (kill_pins && reads == 1)
				close_last_rows(rx, peeked, sfd, sino, ns);
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
			done = slowdump_read(nl, "resyn", rx, sizeof(rx), rows,
					     &nrows, cap);
			reads++;
		}
		slowdump_report(r, reads, rows, nrows, sino, ns, done);
	}
	return 0;
}
