// SPDX-License-Identifier: GPL-2.0
/*
 * deputy: may a request sent by an ordinary user be answered with the view
 * of the (more privileged) process that happens to read the reply?
 *
 *   deputy PORT UID
 *
 * Run as root. The parent listens on 127.0.0.1:PORT under the name
 * "dep-root". A child drops to UID (no groups), opens two generic netlink
 * sockets with the smallest receive buffer, puts GET_STATS replies it
 * never reads in each, so that a dump cannot start filling it, then
 * sends GET_SOCK with TCPSTATE_F_PROCESSES on one and GET_COUNTS by
 * process on the other, hands both sockets to the parent (SCM_RIGHTS) and
 * exits. The dumps' first .dumpit calls thus run in the parent's
 * recvmsg(). The parent reads everything and prints
 *
 *   started=1          both dumps were pending when the child left
 *   listener=KIND PROCS   owner kind and pid/comm list of its listener
 *   count_groups=N     GET_COUNTS groups keyed with comm dep-root
 *   root_visible=0|1   whether either reply named the root process
 *   control=KIND PROCS the listener as the parent's own request shows it
 *
 * and exits 0 only if both replies were read whole and the root process
 * was not named in them (exit 3 when it was, 1 on any error).
 */
#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "fdpass.h"
#include "genl_family.h"
#include "pending_dump.h"

#define ALIGN4(x) (((x) + 3) & ~3U)
#define ROOT_COMM "dep-root"

static uint16_t family;
static int port;

static void die(const char *what)
{
	fprintf(stderr, "deputy: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void resolve(int nl)
{
	family = tcpstate_family_id(nl, 16384, "deputy");
}

static void child(int us, int uid)
{
	int a, b;

	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		die("drop privileges");
	a = pd_nl_open("deputy", false);
	b = pd_nl_open("deputy", false);
	resolve(a);
	pending_dump(a, "deputy", family, TCPSTATE_CMD_GET_SOCK,
		     TCPSTATE_F_PROCESSES, 0);
	pending_dump(b, "deputy", family, TCPSTATE_CMD_GET_COUNTS, 0,
		     TCPSTATE_GROUP_PROCESS);
	send_fds("deputy", us, a, b);
	exit(0);
}

struct result {
	bool done;
	bool root_visible;
	int found;		/* our listener seen */
	int socks;		/* sockets listed */
	int msgs;		/* messages of the dump */
	int kind;
	char procs[256];
	int count_groups;
};

static struct nlattr *next_attr(char **p, char *end)
{
	struct nlattr *a = (struct nlattr *)*p;

	if (*p + NLA_HDRLEN > end || a->nla_len < NLA_HDRLEN ||
	    *p + a->nla_len > end)
		return NULL;
	*p += ALIGN4(a->nla_len);
	a->nla_type &= NLA_TYPE_MASK;	/* nests carry NLA_F_NESTED */
	return a;
}

static void parse_proc(struct nlattr *proc, struct result *r)
{
	char *p = (char *)(proc + 1), *end = (char *)proc + proc->nla_len;
	char comm[17] = "";
	uint32_t pid = 0;
	struct nlattr *a;

	while ((a = next_attr(&p, end))) {
		if (a->nla_type == TCPSTATE_PROC_A_PID)
			memcpy(&pid, a + 1, 4);
		else if (a->nla_type == TCPSTATE_PROC_A_COMM)
			snprintf(comm, sizeof(comm), "%s", (char *)(a + 1));
	}
	if (!strcmp(comm, ROOT_COMM))
		r->root_visible = true;
	snprintf(r->procs + strlen(r->procs), sizeof(r->procs) - strlen(r->procs),
		 "%s%u/%s", r->procs[0] ? "," : "", pid, comm);
}

static void parse_sock(struct nlattr *nest, struct result *r)
{
	char *p = (char *)(nest + 1), *end = (char *)nest + nest->nla_len;
	struct nlattr *a, *procs = NULL;
	uint16_t sport = 0;
	uint8_t state = 0, kind = 0;

	while ((a = next_attr(&p, end))) {
		switch (a->nla_type) {
		case TCPSTATE_SOCK_A_SPORT:
			memcpy(&sport, a + 1, 2);
			break;
		case TCPSTATE_SOCK_A_STATE:
			state = *(uint8_t *)(a + 1);
			break;
		case TCPSTATE_SOCK_A_OWNER_KIND:
			kind = *(uint8_t *)(a + 1);
			break;
		case TCPSTATE_SOCK_A_PROCS:
			procs = a;
			break;
		}
	}
	r->socks++;
	if (sport != port || state != TCPSTATE_LISTEN)
		return;
	r->found++;
	r->kind = kind;
	if (procs) {
		p = (char *)(procs + 1);
		end = (char *)procs + procs->nla_len;
		while ((a = next_attr(&p, end)))
			if (a->nla_type == TCPSTATE_PROCS_A_PROC)
				parse_proc(a, r);
	}
}

static void parse_counts(struct nlattr *nest, struct result *r)
{
	char *p = (char *)(nest + 1), *end = (char *)nest + nest->nla_len;
	struct nlattr *a;

	while ((a = next_attr(&p, end)))
		if (a->nla_type == TCPSTATE_COUNTS_A_KEY_COMM &&
		    !strcmp((char *)(a + 1), ROOT_COMM)) {
			r->count_groups++;
			r->root_visible = true;
		}
}

/* Read until the dump (seq 1) ends; replies to other requests are skipped. */
static void read_dump(int nl, struct result *r)
{
	static char buf[1 << 16];
	int enobufs = 0;

	while (!r->done) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0 && errno == ENOBUFS && enobufs++ < 4)
			continue;	/* the replies the child let overflow */
		if (n < 0)
			die("recv");
		if (n == 0) {
			fprintf(stderr, "deputy: EOF\n");
			exit(1);
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			char *p, *end;
			struct nlattr *a;

			if (h->nlmsg_seq != 1)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				int err = *(int *)NLMSG_DATA(h);

				if (err) {
					errno = -err;
					die("dump");
				}
				r->done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
				if (!errno)
					continue;
				die("dump error");
			}
			if (h->nlmsg_type != family)
				continue;
			r->msgs++;
			p = (char *)NLMSG_DATA(h) + GENL_HDRLEN;
			end = (char *)h + h->nlmsg_len;
			while ((a = next_attr(&p, end))) {
				if (a->nla_type == TCPSTATE_A_SOCK)
					parse_sock(a, r);
				else if (a->nla_type == TCPSTATE_A_COUNTS)
					parse_counts(a, r);
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct result rs = { 0 }, rc = { 0 }, ctl = { 0 };
	int sv[2], l, a, b, one = 1, status, uid, own;
	pid_t pid;

	if (argc != 3) {
		fprintf(stderr, "usage: deputy PORT UID\n");
		return 2;
	}
	port = atoi(argv[1]);
	uid = atoi(argv[2]);
	prctl(PR_SET_NAME, ROOT_COMM);
	sa.sin_port = htons(port);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		die("socket");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 16))
		die("listen");
	pid = fdpass_fork("deputy", sv);
	if (!pid)
		child(sv[1], uid);
	recv_fds("deputy", sv[0], &a, &b);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "deputy: child failed\n");
		return 1;
	}
	printf("started=1\n");
	own = pd_nl_open("deputy", false);
	resolve(own);		/* the family id, for this process */
	read_dump(a, &rs);
	read_dump(b, &rc);
	printf("sock_dump: messages=%d sockets=%d\n", rs.msgs, rs.socks);
	printf("counts_dump: messages=%d\n", rc.msgs);
	printf("listener=%d %s\n", rs.kind, rs.procs[0] ? rs.procs : "-");
	printf("count_groups=%d\n", rc.count_groups);
	printf("root_visible=%d\n", rs.root_visible || rc.root_visible);
	/* The control: the same dump as root's own request. */
	pd_request(own, "deputy", family, TCPSTATE_CMD_GET_SOCK, NLM_F_DUMP, 1,
		   TCPSTATE_A_FLAGS, TCPSTATE_F_PROCESSES, 0, 0);
	read_dump(own, &ctl);
	printf("control=%d %s\n", ctl.kind, ctl.procs[0] ? ctl.procs : "-");
	fflush(stdout);
	if (rs.found != 1 || !ctl.found || !ctl.root_visible) {
		fprintf(stderr, "deputy: listener not listed (%d, %d)\n",
			rs.found, ctl.found);
		return 1;
	}
	return rs.root_visible || rc.root_visible ? 3 : 0;
}
