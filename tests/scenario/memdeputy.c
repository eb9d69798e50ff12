// SPDX-License-Identifier: GPL-2.0
/*
 * memdeputy: whose memory cgroup pays for a dump that another process
 * reads?
 *
 *   memdeputy UID CGROUP_A CGROUP_B
 *
 * Run as root. A child joins cgroup v2 directory CGROUP_A, drops to UID,
 * opens a generic netlink socket with the smallest receive buffer, fills
 * it with GET_STATS replies it never reads (so that no part of a dump can
 * be built in its own sendmsg()), sends GET_COUNTS grouped by process and
 * GET_SOCK with TCPSTATE_F_PROCESSES on two such sockets, hands both to
 * the parent (SCM_RIGHTS) and exits. The parent, in CGROUP_B, reads each
 * socket until it has seen a first part of the dump (so that its setup
 * ran, in the parent's recvmsg()), and then stops reading: the dumps stay
 * in flight with everything they hold. Prints
 *
 *   sock=MSGS counts=MSGS    messages of each dump read so far
 *   ready PID
 *
 * and sleeps until killed, holding both sockets.
 */
#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "fdpass.h"
#include "genl_family.h"
#include "pending_dump.h"

static uint16_t family;

static void die(const char *what)
{
	fprintf(stderr, "memdeputy: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void join(const char *cg)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
		die(path);
}

static void resolve(int nl)
{
	family = tcpstate_family_id(nl, 16384, "memdeputy");
}

/*
 * Read until the first message of the dump (seq 1) carrying the family's
 * data; replies to other requests and NLMSG_NOOP are skipped. Exits on an
 * error or if the dump ends at once.
 */
static char buf[1 << 16];

static int read_first(int nl)
{
	int enobufs = 0, msgs = 0;

	while (!msgs) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0 && errno == ENOBUFS && enobufs++ < 4)
			continue;
		if (n <= 0)
			die("recv");
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != 1)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				errno = -*(int *)NLMSG_DATA(h);
				die(errno ? "dump" : "dump ended at once");
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
				if (errno)
					die("dump error");
			}
			if (h->nlmsg_type == family)
				msgs++;
		}
	}
	return msgs;
}

/*
 * Fault in the stack and buffers both processes use before either joins
 * its cgroup, so that the cgroups see the dumps, not these pages (the
 * parent's are its own again once the child has exited: no copy).
 */
static void prefault(void)
{
	volatile char stack[128 << 10];

	memset((char *)stack, 1, sizeof(stack));
	memset(buf, 1, sizeof(buf));
}

int main(int argc, char **argv)
{
	int sv[2], a, b, status, uid, ms, mc;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: memdeputy UID CGROUP_A CGROUP_B\n");
		return 2;
	}
	uid = atoi(argv[1]);
	prefault();
	resolve(pd_nl_open("memdeputy", true));	/* the family id, for both */
	pid = fdpass_fork("memdeputy", sv);
	if (!pid) {
		join(argv[2]);
		if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
		    setresuid(uid, uid, uid))
			die("drop privileges");
		a = pd_nl_open("memdeputy", true);
		b = pd_nl_open("memdeputy", true);
		pending_dump(a, "memdeputy", family, TCPSTATE_CMD_GET_SOCK,
			     TCPSTATE_F_PROCESSES, 0);
		pending_dump(b, "memdeputy", family, TCPSTATE_CMD_GET_COUNTS,
			     0, TCPSTATE_GROUP_PROCESS);
		send_fds("memdeputy", sv[1], a, b);
		exit(0);
	}
	join(argv[3]);
	recv_fds("memdeputy", sv[0], &a, &b);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "memdeputy: child failed\n");
		return 1;
	}
	ms = read_first(a);
	mc = read_first(b);
	printf("sock=%d counts=%d\n", ms, mc);
	printf("ready %d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
}
