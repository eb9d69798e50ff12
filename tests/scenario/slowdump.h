/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relisten and resyn: a GET_SOCK dump read one reply at a time (4 KiB
 * reads, on a socket with the smallest receive buffer) while some of the
 * sockets it lists churn between reads, to check where the module's walk
 * resumes. Here: the sockets made in a fixed mixed order, the request,
 * the peek at and the read of each reply, and the per-round count of what
 * was listed; what churns, and how, stays in each program.
 */
#ifndef TCPSTATE_SCENARIO_SLOWDUMP_H
#define TCPSTATE_SCENARIO_SLOWDUMP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "scen_die.h"

#ifndef ALIGN4
#define ALIGN4(x) (((x) + 3) & ~3U)
#endif

static inline uint64_t slowdump_inode(const char *prog, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		scen_die(prog, "fstat");
	return st.st_ino;
}

/*
 * The stable sockets' and the churn ones' fds and inodes, and room for
 * the rows of a round (churn rows can come back: room for a few passes).
 */
static inline int slowdump_alloc(const char *prog, int ns, int nc, int **sfd,
				 uint64_t **sino, int **cfd, uint64_t **cino,
				 uint64_t **rows)
{
	int cap = 4 * (ns + nc) + 64;

	*sfd = calloc(ns, sizeof(**sfd));
	*sino = calloc(ns, sizeof(**sino));
	*cfd = calloc(nc + 1, sizeof(**cfd));
	*cino = calloc(nc + 1, sizeof(**cino));
	*rows = calloc(cap, sizeof(**rows));
	if (!*sfd || !*sino || !*cfd || !*cino || !*rows)
		scen_die(prog, "calloc");
	return cap;
}

/*
 * @ns stable and @nc churn sockets from @make, in a fixed pseudo-random
 * order with at most 8 churn ones in a row, so that they mix in the
 * chain and a read ends now on one kind, now on the other.
 */
static inline void slowdump_mix(const char *prog, int ns, int nc,
				int (*make)(void), int *sfd, uint64_t *sino,
				int *cfd, uint64_t *cino)
{
	int i, c, r;

	for (i = 0, c = 0, r = 0; i < ns || c < nc;) {
		static unsigned int seed = 1;

		seed = seed * 1103515245 + 12345;
		if (c < nc && (i >= ns || (r < 8 && (seed >> 16) % 3))) {
			cfd[c] = make();
			cino[c] = slowdump_inode(prog, cfd[c]);
			c++;
			r++;
		} else {
			sfd[i] = make();
			sino[i] = slowdump_inode(prog, sfd[i]);
			i++;
			r = 0;
		}
	}
}

static inline int slowdump_socket(const char *prog)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);

	if (nl < 0 || bind(nl, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		scen_die(prog, "netlink");
	return nl;
}

/*
 * The smallest receive buffer: the kernel then queues one reply at a
 * time (it dumps more only while the queue is under half of it).
 */
static inline void slowdump_min_rcvbuf(int nl, const char *prog)
{
	int one = 1;

	if (setsockopt(nl, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)) < 0)
		scen_die(prog, "SO_RCVBUF");
}

/*
 * The dump's socket, with the smallest receive buffer. The family is
 * resolved by @resolve on a socket of its own first: the kernel sizes a
 * dump's replies by the largest read a socket has made.
 */
static inline int slowdump_sockets(const char *prog, void (*resolve)(int nl))
{
	int nl = slowdump_socket(prog);

	resolve(nl);
	close(nl);
	nl = slowdump_socket(prog);
	slowdump_min_rcvbuf(nl, prog);
	return nl;
}

static inline void slowdump_put_attr(char *buf, size_t *len, uint16_t type,
				     const void *d, size_t n)
{
	struct nlattr *a = (struct nlattr *)(buf + *len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + n);
	memcpy(a + 1, d, n);
	*len += ALIGN4(NLA_HDRLEN + n);
}

/*
 * Sequence 1: the dump of the sockets whose @port_attr (TCPSTATE_A_SPORT
 * or TCPSTATE_A_DPORT) is @port and whose state is in @state_mask, or
 * with @port_attr 0 nlctrl's GETFAMILY for the tcpstate family.
 */
static inline void slowdump_request(int nl, const char *prog, uint16_t type,
				    uint16_t flags, uint8_t cmd,
				    uint16_t port_attr, int port,
				    uint32_t state_mask)
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
	if (port_attr) {
		uint16_t p = (uint16_t)port;

		slowdump_put_attr(buf, &len, port_attr, &p, sizeof(p));
		slowdump_put_attr(buf, &len, TCPSTATE_A_STATE_MASK, &state_mask,
				  sizeof(state_mask));
	} else {
		slowdump_put_attr(buf, &len, CTRL_ATTR_FAMILY_NAME,
				  TCPSTATE_GENL_NAME, sizeof(TCPSTATE_GENL_NAME));
	}
	h->nlmsg_len = (uint32_t)len;
	if (send(nl, buf, len, 0) < 0)
		scen_die(prog, "send");
}

/* The inode in one GET_SOCK reply, or 0. */
static inline uint64_t row_inode(struct nlmsghdr *r)
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

/*
 * The reply waiting, peeked at into @rx (@size bytes) without reading
 * it: its length. Exits if it does not fit.
 */
static inline ssize_t slowdump_peek(int nl, const char *prog, char *rx,
				    size_t size)
{
	ssize_t n = recv(nl, rx, size, MSG_PEEK | MSG_TRUNC);

	if (n < 0)
		scen_die(prog, "recv");
	if (n > (ssize_t)size) {
		fprintf(stderr, "%s: a reply of %zd bytes\n", prog, n);
		exit(1);
	}
	return n;
}

/*
 * Read the reply into @rx (@size bytes): its rows' inodes go to @rows
 * (while under @cap). 1 when the dump ended, 0 when it goes on; exits on
 * an error.
 */
static inline int slowdump_read(int nl, const char *prog, char *rx,
				size_t size, uint64_t *rows, int *nrows,
				int cap)
{
	ssize_t n = recv(nl, rx, size, 0);
	struct nlmsghdr *h;

	if (n < 0)
		scen_die(prog, "recv");
	for (h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n);
	     h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			fprintf(stderr, "%s: dump: %s\n", prog,
				strerror(-e->error));
			exit(1);
		}
		if (*nrows < cap)
			rows[(*nrows)++] = row_inode(h);
	}
	return 0;
}

static inline int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How often @ino is in the sorted @rows. */
static inline int times(const uint64_t *rows, int n, uint64_t ino)
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

/*
 * A round's line: "round=R reads=N rows=N stable_once=N stable_missing=N
 * stable_dup=N dup_rows=N ended=0|1", rows by inode (@rows is sorted).
 */
static inline void slowdump_report(int round, int reads, uint64_t *rows,
				   int nrows, const uint64_t *sino, int ns,
				   int done)
{
	int i, once = 0, missing = 0, sdup = 0, dups = 0;

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
	       round, reads, nrows, once, missing, sdup, dups, done);
	fflush(stdout);
}

#endif
