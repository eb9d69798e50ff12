// SPDX-License-Identifier: GPL-2.0
/*
 * relisten: a listing of one SO_REUSEPORT group read slowly while the
 * group churns, to check where the module's walk resumes a dump.
 *
 *   relisten -s STABLE -c CHURN [-p PORT] [-6] [-R ROUNDS]
 *
 * STABLE listeners that stay put and CHURN ones that do not, created
 * mixed on 127.0.0.1:PORT ([::1]:PORT with -6), in a fixed pseudo-random
 * order with at most 8 churn ones in a row, so that they mix in the
 * listening-hash chain and a read (which returns a fixed number of them)
 * ends now on one kind, now on the other. Then ROUNDS times: a GET_SOCK
 * dump of the group's listeners, read with a 4 KiB buffer (the kernel
 * then fills one page per read: a few dozen sockets); before each read
 * every churn listener of the reply waiting in the queue is shut down
 * (SHUT_RD: unhashed) and listens again on the same address: the same socket back in the
 * chain, at its head (IPv4) or its tail (IPv6 SO_REUSEPORT). The sockets
 * the dump just went past, which it holds to find its place again, are
 * among them. A walk that takes such a socket for its place lists what it
 * already listed again (head) or ends the chain early (tail).
 *
 * Prints per round "round=R reads=N rows=N stable_once=N
 * stable_missing=N stable_dup=N dup_rows=N ended=0|1" (rows by inode: the
 * tuple is the same for all; ended=0: the dump was still going after
 * STABLE + CHURN reads, and was left) and exits 0 if it could run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "genl_family.h"
#include "loopback.h"
#include "slowdump.h"

static int nl, v6, port = 7300;
static uint16_t family;

static void die(const char *what)
{
	fprintf(stderr, "relisten: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int listener(void)
{
	int fd = reuseport_listener(v6, port);

	if (fd < 0)
		die("listener");
	return fd;
}

static void resolve(int fd)
{
	family = tcpstate_family_lookup(fd, 8192, "relisten", NULL);
}

int main(int argc, char **argv)
{
	int c, r, ns = 0, nc = 0, rounds = 1, *sfd, *cfd;
	uint64_t *sino, *cino, *rows;
	struct rlimit rl;
	int cap;

	while ((c = getopt(argc, argv, "s:c:p:R:6")) != -1) {
		switch (c) {
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
		case '6':
			v6 = 1;
			break;
		default:
			fprintf(stderr, "usage: relisten -s STABLE -c CHURN [-p PORT] [-6] [-R ROUNDS]\n");
			return 2;
		}
	}
	if (ns <= 0 || nc < 0 || rounds <= 0)
		return 2;
	rl.rlim_cur = rl.rlim_max = ns + nc + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	cap = slowdump_alloc("relisten", ns, nc, &sfd, &sino, &cfd, &cino,
			     &rows);
	slowdump_mix("relisten", ns, nc, listener, sfd, sino, cfd, cino);
	nl = slowdump_sockets("relisten", resolve);

	for (r = 1; r <= rounds; r++) {
		int nrows = 0, reads = 0, done = 0;

		slowdump_request(nl, "relisten", family, NLM_F_DUMP,
				 TCPSTATE_CMD_GET_SOCK, TCPSTATE_A_SPORT, port,
				 1U << 10 /* TCP_LISTEN */);
		/*
		 * Bounded: a walk that takes a socket back at the head for
		 * its place can go round the chain for ever.
		 */
		while (!done && reads < ns + nc) {
			static char rx[4096];
			ssize_t n = slowdump_peek(nl, "relisten", rx, sizeof(rx));
			struct nlmsghdr *h;

			/*
			 * The churn listeners of the reply waiting to be read
			 * (the walk's last place) go and come back, before it
			 * is read: reading it lets the walk go on.
			 */
			for (h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n);
			     h = NLMSG_NEXT(h, n)) {
				uint64_t ino;
				int j;

				if (h->nlmsg_type < NLMSG_MIN_TYPE)
					continue;
				ino = row_inode(h);
				for (j = 0; j < nc; j++) {
					if (cino[j] != ino)
						continue;
					if (shutdown(cfd[j], SHUT_RD) < 0 ||
					    listen(cfd[j], 16) < 0)
						die("relisten");
					break;
				}
			}
			done = slowdump_read(nl, "relisten", rx, sizeof(rx),
					     rows, &nrows, cap);
			reads++;
		}
		slowdump_report(r, reads, rows, nrows, sino, ns, done);
	}
	return 0;
}
