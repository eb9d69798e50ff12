// SPDX-License-Identifier: GPL-2.0
/*
 * genlping: how long does another generic netlink family take to answer?
 * Times CTRL_CMD_GETFAMILY requests to nlctrl (a family without
 * parallel_ops: it runs under genl_mutex, so anything else holding that
 * lock delays it), one at a time, with a pause between them.
 *
 *   genlping [-n COUNT] [-i INTERVAL_US] [-f FAMILY]
 *
 * Prints one line: "n=COUNT p50=US p99=US max=US" (microseconds, the
 * guest's CLOCK_MONOTONIC). FAMILY (default "tcpstate") is the family name
 * asked about; any registered one will do.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define ALIGN4(x) (((x) + 3) & ~3U)

static void die(const char *what)
{
	fprintf(stderr, "genlping: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *name = "tcpstate";
	int opt, count = 1000, interval = 2000, nl, i;
	static char rx[16384];
	uint64_t *t;
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char buf[64];
	} m = { 0 };
	struct nlattr *a = (struct nlattr *)m.buf;

	while ((opt = getopt(argc, argv, "n:i:f:")) != -1) {
		if (opt == 'n')
			count = atoi(optarg);
		else if (opt == 'i')
			interval = atoi(optarg);
		else if (opt == 'f')
			name = optarg;
		else
			return 2;
	}
	if (count < 1 || strlen(name) >= 32)
		return 2;
	t = calloc(count, sizeof(*t));
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (!t || nl < 0)
		die("setup");
	m.h.nlmsg_type = GENL_ID_CTRL;
	m.h.nlmsg_flags = NLM_F_REQUEST;
	m.g.cmd = CTRL_CMD_GETFAMILY;
	m.g.version = 1;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + strlen(name) + 1;
	memcpy(a + 1, name, strlen(name) + 1);
	m.h.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + ALIGN4(a->nla_len);
	for (i = 0; i < count; i++) {
		uint64_t t0 = now_ns();
		ssize_t n;

		m.h.nlmsg_seq = i + 1;
		if (send(nl, &m, m.h.nlmsg_len, 0) < 0)
			die("send");
		n = recv(nl, rx, sizeof(rx), 0);
		if (n < (ssize_t)NLMSG_HDRLEN)
			die("recv");
		if (((struct nlmsghdr *)rx)->nlmsg_type != GENL_ID_CTRL) {
			fprintf(stderr, "genlping: family %s not found\n", name);
			return 1;
		}
		t[i] = now_ns() - t0;
		if (interval)
			usleep(interval);
	}
	qsort(t, count, sizeof(*t), cmp);
	printf("n=%d p50=%llu p99=%llu max=%llu\n", count,
	       (unsigned long long)t[(count - 1) / 2] / 1000,
	       (unsigned long long)t[(count * 99 + 99) / 100 - 1] / 1000,
	       (unsigned long long)t[count - 1] / 1000);
	return 0;
}
