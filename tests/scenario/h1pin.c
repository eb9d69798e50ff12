// SPDX-License-Identifier: GPL-2.0
/*
 * h1pin: start dumps and never read them, to see what they pin.
 *
 *   h1pin N sock|counts
 *
 * Opens N generic netlink sockets (smallest receive buffer, extended
 * acks on) and sends on each a GET_SOCK dump with TCPSTATE_F_PROCESSES
 * (sock) or a GET_COUNTS dump grouped by process (counts). The first part
 * of each dump is built at once (after a first NLMSG_NOOP, which is read:
 * see first_reply()); nothing more is read, so every dump keeps what it
 * holds. Peeks at each socket's first message and
 * prints
 *
 *   accepted=A refused=R
 *   refused: ERRNO-NAME: EXTACK MESSAGE     (the first refusal, if any)
 *   ready PID
 *
 * then sleeps until killed, holding every socket.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "genl_family.h"

#define ALIGN4(x) (((x) + 3) & ~3U)

static uint16_t family;

static void die(const char *what)
{
	fprintf(stderr, "h1pin: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void resolve(int nl)
{
	family = tcpstate_family_id(nl, 16384, "h1pin");
}

static void request(int nl, int counts)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		struct nlattr a1;
		uint32_t flags;
		struct nlattr a2;
		uint8_t by[4];
	} m = { 0 };

	m.h.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + (counts ? 16 : 8);
	m.h.nlmsg_type = family;
	m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	m.h.nlmsg_seq = 1;
	m.g.cmd = counts ? TCPSTATE_CMD_GET_COUNTS : TCPSTATE_CMD_GET_SOCK;
	m.g.version = 1;
	m.a1.nla_type = TCPSTATE_A_FLAGS;
	m.a1.nla_len = NLA_HDRLEN + 4;
	m.flags = counts ? 0 : TCPSTATE_F_PROCESSES;
	m.a2.nla_type = TCPSTATE_A_GROUP_BY;
	m.a2.nla_len = NLA_HDRLEN + 1;
	m.by[0] = TCPSTATE_GROUP_PROCESS;
	if (send(nl, &m, m.h.nlmsg_len, 0) < 0)
		die("send");
}

/* 0: the dump is under way; else its error, with the extack message. */
static int first_reply(int nl, char *msg, size_t len)
{
	static char buf[1 << 16];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	ssize_t n;
	int err;

	n = recv(nl, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
	/*
	 * A first NLMSG_NOOP says the request was accepted; the dump builds
	 * its tables when it is read: read the NOOP (that recvmsg() runs the
	 * setup) and look at what follows.
	 */
	while (n > 0 && NLMSG_OK(h, n) && h->nlmsg_type == NLMSG_NOOP) {
		if (recv(nl, buf, sizeof(buf), 0) < 0)
			die("recv");
		n = recv(nl, buf, sizeof(buf), MSG_PEEK);
	}
	if (n < 0)
		die("recv");
	if (!NLMSG_OK(h, n))
		return -EPROTO;
	if (h->nlmsg_type != NLMSG_DONE && h->nlmsg_type != NLMSG_ERROR)
		return 0;
	if (h->nlmsg_type == NLMSG_DONE) {
		char *p = (char *)NLMSG_DATA(h) + 4, *end = (char *)h + h->nlmsg_len;

		err = *(int *)NLMSG_DATA(h);
		msg[0] = 0;
		while (p + NLA_HDRLEN <= end) {
			struct nlattr *a = (struct nlattr *)p;

			if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
				break;
			if (a->nla_type == NLMSGERR_ATTR_MSG)
				snprintf(msg, len, "%.*s", (int)len - 1,
					 (char *)(a + 1));
			p += ALIGN4(a->nla_len);
		}
		return err;
	}
	err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	snprintf(msg, len, "(error ack)");
	return err;
}

int main(int argc, char **argv)
{
	int n, counts, i, one = 1, accepted = 0, refused = 0;
	char msg[256], first[320] = "";
	struct rlimit rl;
	int *fds;

	if (argc != 3 || (strcmp(argv[2], "sock") && strcmp(argv[2], "counts"))) {
		fprintf(stderr, "usage: h1pin N sock|counts\n");
		return 2;
	}
	n = atoi(argv[1]);
	counts = !strcmp(argv[2], "counts");
	rl.rlim_cur = rl.rlim_max = n + 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	fds = calloc(n, sizeof(*fds));
	if (!fds || n < 1)
		return 2;
	for (i = 0; i < n; i++) {
		fds[i] = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
		if (fds[i] < 0)
			die("socket");
		setsockopt(fds[i], SOL_NETLINK, NETLINK_EXT_ACK, &one,
			   sizeof(one));
		if (!i)
			resolve(fds[i]);
		if (setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)))
			die("SO_RCVBUF");
		request(fds[i], counts);
	}
	for (i = 0; i < n; i++) {
		int err = first_reply(fds[i], msg, sizeof(msg));

		if (!err) {
			accepted++;
			continue;
		}
		refused++;
		if (!first[0])
			snprintf(first, sizeof(first), "%.40s: %.255s",
				 strerror(-err), msg[0] ? msg : "-");
	}
	printf("accepted=%d refused=%d\n", accepted, refused);
	if (first[0])
		printf("refused: %s\n", first);
	printf("ready %d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
}
