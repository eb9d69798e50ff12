// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzer's seed inputs into DIR: for each target of
 * fuzz_tool.c, its selector byte and a well-formed datagram of two
 * messages as the module sends them (a socket with owners, one message of
 * packed records, counts totals
 * and a process group, stats with event counters, an event), plus
 * command-line strings. Generated at run time so no binary is committed.
 *   seeds DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/tcpstate.h>

static char buf[16384];
static size_t used;

static struct nlmsghdr *msg(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);

	nlh->nlmsg_type = 0x20;
	nlh->nlmsg_flags = NLM_F_MULTI;
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	return nlh;
}

static void done(struct nlmsghdr *nlh)
{
	used += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void put_sock(struct nlmsghdr *nlh, uint16_t type, int v6)
{
	uint8_t a[16] = { 127, 0, 0, 1 };
	struct nlattr *s = mnl_attr_nest_start(nlh, type), *ps, *p;
	uint32_t fd;

	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_FAMILY, v6 ? AF_INET6 : AF_INET);
	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_STATE, TCPSTATE_CLOSE_WAIT);
	mnl_attr_put(nlh, TCPSTATE_SOCK_A_SADDR, v6 ? 16 : 4, a);
	mnl_attr_put(nlh, TCPSTATE_SOCK_A_DADDR, v6 ? 16 : 4, a);
	mnl_attr_put_u16(nlh, TCPSTATE_SOCK_A_SPORT, 8080);
	mnl_attr_put_u16(nlh, TCPSTATE_SOCK_A_DPORT, 40000);
	mnl_attr_put_u32(nlh, TCPSTATE_SOCK_A_RECV_Q, 1);
	mnl_attr_put_u64(nlh, TCPSTATE_SOCK_A_INODE, 4242);
	mnl_attr_put_u64(nlh, TCPSTATE_SOCK_A_AGE_MS, 90061000);
	mnl_attr_put_u32(nlh, TCPSTATE_SOCK_A_NETNS, 4026531840u);
	mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_OWNER_KIND, TCPSTATE_OWNER_FD);
	mnl_attr_put_u32(nlh, TCPSTATE_SOCK_A_PROCS_TOTAL, 2);
	ps = mnl_attr_nest_start(nlh, TCPSTATE_SOCK_A_PROCS);
	p = mnl_attr_nest_start(nlh, TCPSTATE_PROCS_A_PROC);
	mnl_attr_put_u32(nlh, TCPSTATE_PROC_A_PID, 1234);
	mnl_attr_put_strz(nlh, TCPSTATE_PROC_A_COMM, "nginx \"w\"\n\xff");
	for (fd = 3; fd < 6; fd++)
		mnl_attr_put_u32(nlh, TCPSTATE_PROC_A_FD, fd);
	mnl_attr_put_u32(nlh, TCPSTATE_PROC_A_FDS_TOTAL, 3);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, ps);
	mnl_attr_nest_end(nlh, s);
}

/* One packed record (TCPSTATE_F_PACKED): a socket and one process, 3 fds. */
static void put_rec(struct nlmsghdr *nlh, int v6)
{
	uint8_t rec[sizeof(struct tcpstate_sock_rec) +
		    sizeof(struct tcpstate_proc_rec) + 3 * 4];
	struct tcpstate_sock_rec r;
	struct tcpstate_proc_rec pr;
	uint32_t fd;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.family = v6 ? AF_INET6 : AF_INET;
	r.state = TCPSTATE_CLOSE_WAIT;
	r.sport = 8080;
	r.dport = 40000;
	r.flags = TCPSTATE_REC_F_OWNERS;
	r.owner_kind = TCPSTATE_OWNER_FD;
	r.nprocs = 1;
	r.recv_q = 1;
	r.procs_total = 1;
	r.inode = 4242;
	r.age_ms = 90061000;
	r.netns = 4026531840u;
	r.saddr[0] = 127;
	memset(&pr, 0, sizeof(pr));
	pr.size = sizeof(pr);
	pr.nfds = 3;
	pr.pid = 1234;
	pr.fds_total = 3;
	strcpy(pr.comm, "nginx \"w\"\n\xff");
	memcpy(rec, &r, sizeof(r));
	memcpy(rec + sizeof(r), &pr, sizeof(pr));
	for (fd = 3; fd < 6; fd++)
		memcpy(rec + sizeof(r) + sizeof(pr) + 4 * (fd - 3), &fd, 4);
	mnl_attr_put(nlh, TCPSTATE_A_SOCK_REC, sizeof(rec), rec);
}

static void put_counts(struct nlmsghdr *nlh, int group)
{
	struct nlattr *c = mnl_attr_nest_start(nlh, TCPSTATE_A_COUNTS), *st;

	mnl_attr_put_u32(nlh, TCPSTATE_COUNTS_A_NETNS, 4026531840u);
	mnl_attr_put_u32(nlh, TCPSTATE_COUNTS_A_TOTAL, 12);
	st = mnl_attr_nest_start(nlh, TCPSTATE_COUNTS_A_STATES);
	mnl_attr_put_u32(nlh, TCPSTATE_CLOSE_WAIT, 5);
	mnl_attr_put_u32(nlh, TCPSTATE_ESTABLISHED, 7);
	mnl_attr_nest_end(nlh, st);
	if (group) {
		mnl_attr_put_u32(nlh, TCPSTATE_COUNTS_A_KEY_PID, 1234);
		mnl_attr_put_strz(nlh, TCPSTATE_COUNTS_A_KEY_COMM, "leaky");
		mnl_attr_put_u8(nlh, TCPSTATE_COUNTS_A_KEY_OWNER_KIND, TCPSTATE_OWNER_FD);
	}
	mnl_attr_nest_end(nlh, c);
}

static void put_stats(struct nlmsghdr *nlh)
{
	struct nlattr *s, *e;

	mnl_attr_put_strz(nlh, TCPSTATE_A_VERSION, "0.1.0");
	mnl_attr_put_u32(nlh, TCPSTATE_A_CAPS, 0xff);
	mnl_attr_put_u32(nlh, TCPSTATE_A_NETNS, 4026531840u);
	s = mnl_attr_nest_start(nlh, TCPSTATE_A_STATS);
	mnl_attr_put_u64(nlh, TCPSTATE_STATS_A_EVENT_SEQ, 17);
	e = mnl_attr_nest_start(nlh, TCPSTATE_STATS_A_EVTYPE);
	mnl_attr_put_u8(nlh, TCPSTATE_EVSTAT_A_TYPE, TCPSTATE_EV_UNREAD_CLOSE);
	mnl_attr_put_u64(nlh, TCPSTATE_EVSTAT_A_SEEN, 17);
	mnl_attr_nest_end(nlh, e);
	mnl_attr_put_u64(nlh, TCPSTATE_STATS_A_OBJECTS, 3);
	mnl_attr_nest_end(nlh, s);
}

static void put_event(struct nlmsghdr *nlh, uint64_t seq)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, TCPSTATE_A_EVENT);

	mnl_attr_put_u8(nlh, TCPSTATE_EV_A_TYPE, TCPSTATE_EV_UNREAD_CLOSE);
	mnl_attr_put_u64(nlh, TCPSTATE_EV_A_SEQ, seq);
	mnl_attr_put_u64(nlh, TCPSTATE_EV_A_TIME_NS, 1700000000000000000ULL);
	mnl_attr_put_u32(nlh, TCPSTATE_EV_A_PID, 1234);
	mnl_attr_put_strz(nlh, TCPSTATE_EV_A_COMM, "client");
	put_sock(nlh, TCPSTATE_EV_A_SOCK, 0);
	mnl_attr_put_u32(nlh, TCPSTATE_EV_A_UNREAD_BYTES, 4096);
	mnl_attr_put_u8(nlh, TCPSTATE_EV_A_RST, 1);
	mnl_attr_nest_end(nlh, e);
}

static int write_seed(const char *dir, const char *name, uint8_t sel,
		      const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fputc(sel, f) == EOF || fwrite(data, 1, len, f) != len) {
		perror(path);
		return 1;
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	static const char *args[] = { "close-wait,estab", "10.0.0.0/8",
				      "2001:db8::1/64", "65535", "1h30m", "bucket" };
	struct nlmsghdr *nlh;
	int err = 0, i;

	if (argc != 2) {
		fprintf(stderr, "usage: seeds DIR\n");
		return 2;
	}
	/* Selector bytes as in fuzz_tool.c: 0 sock, 1 counts, 2 stats, 3 event, 4 args. */
	used = 0;
	put_sock(nlh = msg(), TCPSTATE_A_SOCK, 0); done(nlh);
	put_sock(nlh = msg(), TCPSTATE_A_SOCK, 1); done(nlh);
	err |= write_seed(argv[1], "sock", 0, buf, used);
	used = 0;
	nlh = msg();
	put_rec(nlh, 0);
	put_rec(nlh, 1);
	done(nlh);
	err |= write_seed(argv[1], "sock-packed", 0, buf, used);
	used = 0;
	put_counts(nlh = msg(), 0); done(nlh);
	put_counts(nlh = msg(), 1); done(nlh);
	err |= write_seed(argv[1], "counts", 1, buf, used);
	used = 0;
	put_stats(nlh = msg()); done(nlh);
	err |= write_seed(argv[1], "stats", 2, buf, used);
	used = 0;
	put_event(nlh = msg(), 5); done(nlh);
	put_event(nlh = msg(), 9); done(nlh);
	err |= write_seed(argv[1], "event", 3, buf, used);
	for (i = 0; i < 6; i++) {
		char name[16];

		snprintf(name, sizeof(name), "arg%d", i);
		err |= write_seed(argv[1], name, 4, args[i], strlen(args[i]));
	}
	if (!err)
		printf("11 seeds");
	return err;
}
