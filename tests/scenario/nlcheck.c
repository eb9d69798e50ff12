// SPDX-License-Identifier: GPL-2.0
/*
 * nlcheck: send hand-made (often malformed) requests to the tcpstate family
 * and print, per case, "NAME errno=E extack=MSG" (E is 0 on success).
 * The guest test compares that with what the module must answer.
 *
 *   nlcheck            run every case
 *   nlcheck NAME...    run the named cases
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "genl_family.h"
#include "genl_msg.h"

static int nl;
static uint16_t family;
static uint32_t events_group;
static unsigned long msgs;	/* family messages of the last run */

static void resolve(void)
{
	family = tcpstate_family_lookup(nl, 8192, "nlcheck", &events_group);
}

static void dump(struct msg *m, uint8_t cmd)
{
	put_hdr(m, family, NLM_F_DUMP, cmd);
}

static void c_ok_dump(struct msg *m) { dump(m, TCPSTATE_CMD_GET_SOCK); }
static void c_ok_counts(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_COUNTS);
	put_u8(m, TCPSTATE_A_GROUP_BY, TCPSTATE_GROUP_RADDR);
}
static void c_ok_stats(struct msg *m)
{
	put_hdr(m, family, NLM_F_ACK, TCPSTATE_CMD_GET_STATS);
}
static void c_ok_port_filter(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u16(m, TCPSTATE_A_SPORT, 22);
	put_u8(m, TCPSTATE_A_FAMILY, 10);
}
static void c_dump_close_wait(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_STATE_MASK, 1U << TCPSTATE_CLOSE_WAIT);
}
/*
 * SYN_RECV alone, as a client other than tcpstatectl may ask: the module
 * must add the request sockets itself (tcpstatectl adds them too, which
 * hid mutant 27, the module's mapping removed).
 */
static void c_dump_syn_recv(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_STATE_MASK, 1U << TCPSTATE_SYN_RECV);
}
static void c_bad_family(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u8(m, TCPSTATE_A_FAMILY, 7);
}
static void c_state_mask_high_bit(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_STATE_MASK, 1U << 20);
}
static void c_state_mask_empty(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_STATE_MASK, 0);
}
static void c_unknown_flags(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_FLAGS, 1U << 30);
}
static void c_unknown_attr(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, 200, 1);
}
static void c_wrong_len(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_SPORT, 80);	/* u16 expected */
}
/*
 * A GET_SOCK dump with a prefix nest @type: family @fam, then @alen bytes
 * of @addr (no address attribute with 0), then a length @len (none when
 * negative).
 */
static void prefix(struct msg *m, uint16_t type, uint8_t fam,
		   const uint8_t *addr, size_t alen, int len)
{
	size_t n;

	dump(m, TCPSTATE_CMD_GET_SOCK);
	n = nest_start(m, type);
	put_u8(m, TCPSTATE_PREFIX_A_FAMILY, fam);
	if (alen)
		put(m, TCPSTATE_PREFIX_A_ADDR, addr, alen);
	if (len >= 0)
		put_u8(m, TCPSTATE_PREFIX_A_LEN, (uint8_t)len);
	nest_end(m, n);
}
static void c_prefix_no_addr(struct msg *m)
{
	prefix(m, TCPSTATE_A_SRC, 2, NULL, 0, -1);
}
static void c_prefix_len_mismatch(struct msg *m)
{
	uint8_t a[16] = { 0 };

	prefix(m, TCPSTATE_A_DST, 2, a, 16, -1);
}
static void c_prefix_too_long(struct msg *m)
{
	uint8_t a[4] = { 10 };

	prefix(m, TCPSTATE_A_SRC, 2, a, 4, 33);
}
static void c_prefix_bad_family(struct msg *m)
{
	uint8_t a[4] = { 10 };

	prefix(m, TCPSTATE_A_SRC, 99, a, 4, -1);
}
static void c_prefix_not_nested(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_SRC, 0x0100007f);
}
static void c_stats_with_attr(struct msg *m)
{
	put_hdr(m, family, NLM_F_ACK, TCPSTATE_CMD_GET_STATS);
	put_u32(m, TCPSTATE_A_FLAGS, 0);
}
static void c_group_out_of_range(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_COUNTS);
	put_u8(m, TCPSTATE_A_GROUP_BY, 77);
}
static void c_group_on_sock(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u8(m, TCPSTATE_A_GROUP_BY, TCPSTATE_GROUP_LPORT);
}
static void c_truncated_attr(struct msg *m)
{
	uint32_t v = 1;

	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_raw(m, TCPSTATE_A_STATE_MASK, 200, &v, sizeof(v));
}
static void c_all_netns(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_FLAGS, TCPSTATE_F_ALL_NETNS);
}
static void c_ok_processes(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_FLAGS, TCPSTATE_F_PROCESSES);
}
static void c_ok_packed(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_FLAGS, TCPSTATE_F_PACKED);
}
static void c_ok_packed_processes(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_FLAGS, TCPSTATE_F_PROCESSES | TCPSTATE_F_PACKED);
}
/* The owner table is built, but no socket matches (none is SYN_SENT). */
static void c_ok_packed_processes_none(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_FLAGS, TCPSTATE_F_PROCESSES | TCPSTATE_F_PACKED);
	put_u32(m, TCPSTATE_A_STATE_MASK, 1U << TCPSTATE_SYN_SENT);
}
static void c_ok_packed_none(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_FLAGS, TCPSTATE_F_PACKED);
	put_u32(m, TCPSTATE_A_STATE_MASK, 1U << TCPSTATE_SYN_SENT);
}
static void c_ok_counts_by_process(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_COUNTS);
	put_u8(m, TCPSTATE_A_GROUP_BY, TCPSTATE_GROUP_PROCESS);
}
static void c_pid_zero(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put_u32(m, TCPSTATE_A_PID, 0);
}
static void c_comm_no_nul(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put(m, TCPSTATE_A_COMM, "abcd", 4);
}
static void c_comm_too_long(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_SOCK);
	put(m, TCPSTATE_A_COMM, "0123456789abcdefghij", 21);
}
static void c_comm_empty(struct msg *m)
{
	dump(m, TCPSTATE_CMD_GET_COUNTS);
	put(m, TCPSTATE_A_COMM, "", 1);
}
static void c_unknown_cmd(struct msg *m)
{
	put_hdr(m, family, NLM_F_ACK, 99);
}
static void c_sock_as_doit(struct msg *m)
{
	put_hdr(m, family, NLM_F_ACK, TCPSTATE_CMD_GET_SOCK);
}
static void c_event_cmd(struct msg *m)
{
	put_hdr(m, family, NLM_F_ACK, TCPSTATE_CMD_EVENT);
}

static const struct {
	const char *name;
	void (*build)(struct msg *m);
} cases[] = {
	{ "ok-dump", c_ok_dump },
	{ "ok-counts", c_ok_counts },
	{ "ok-stats", c_ok_stats },
	{ "ok-port-filter", c_ok_port_filter },
	{ "dump-close-wait", c_dump_close_wait },
	{ "dump-syn-recv", c_dump_syn_recv },
	{ "bad-family", c_bad_family },
	{ "state-mask-high-bit", c_state_mask_high_bit },
	{ "state-mask-empty", c_state_mask_empty },
	{ "unknown-flags", c_unknown_flags },
	{ "unknown-attr", c_unknown_attr },
	{ "wrong-len", c_wrong_len },
	{ "prefix-no-addr", c_prefix_no_addr },
	{ "prefix-len-mismatch", c_prefix_len_mismatch },
	{ "prefix-too-long", c_prefix_too_long },
	{ "prefix-bad-family", c_prefix_bad_family },
	{ "prefix-not-nested", c_prefix_not_nested },
	{ "stats-with-attr", c_stats_with_attr },
	{ "group-out-of-range", c_group_out_of_range },
	{ "group-on-sock", c_group_on_sock },
	{ "truncated-attr", c_truncated_attr },
	{ "all-netns", c_all_netns },
	{ "ok-processes", c_ok_processes },
	{ "ok-packed", c_ok_packed },
	{ "ok-packed-processes", c_ok_packed_processes },
	{ "ok-packed-processes-none", c_ok_packed_processes_none },
	{ "ok-packed-none", c_ok_packed_none },
	{ "ok-counts-by-process", c_ok_counts_by_process },
	{ "pid-zero", c_pid_zero },
	{ "comm-no-nul", c_comm_no_nul },
	{ "comm-too-long", c_comm_too_long },
	{ "comm-empty", c_comm_empty },
	{ "unknown-cmd", c_unknown_cmd },
	{ "sock-as-doit", c_sock_as_doit },
	{ "event-cmd", c_event_cmd },
};

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, i, j, err;
	char ext[512];
	struct msg m;

	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (nl < 0 || bind(nl, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("nlcheck: socket");
		return 1;
	}
	setsockopt(nl, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	resolve();
	/* nlcheck subscribe-idle SECONDS: join the events group, never read. */
	if (argc == 3 && !strcmp(argv[1], "subscribe-idle")) {
		if (setsockopt(nl, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &events_group, sizeof(events_group))) {
			perror("nlcheck: join");
			return 1;
		}
		sleep((unsigned int)atoi(argv[2]));
		return 0;
	}
	/*
	 * nlcheck subscribe-drain: join the events group and read and
	 * discard every datagram until killed. The cheapest subscriber that
	 * keeps up (bench events-subscribers), to tell the cost of being
	 * woken from that of decoding and printing.
	 */
	if (argc == 2 && !strcmp(argv[1], "subscribe-drain")) {
		static char buf[65536];

		if (setsockopt(nl, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &events_group, sizeof(events_group))) {
			perror("nlcheck: join");
			return 1;
		}
		for (;;)
			if (recv(nl, buf, sizeof(buf), 0) < 0 &&
			    errno != ENOBUFS) {
				perror("nlcheck: recv");
				return 1;
			}
	}
	for (i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
		if (argc > 1) {
			for (j = 1; j < argc; j++)
				if (!strcmp(argv[j], cases[i].name))
					break;
			if (j == argc)
				continue;
		}
		cases[i].build(&m);
		err = genl_run(nl, &m, ext, sizeof(ext), &msgs,
			       "NLCHECK_TRACE");
		printf("%s errno=%d extack=%s\n", cases[i].name, err, ext);
		if (getenv("NLCHECK_COUNT"))
			printf("%s messages=%lu\n", cases[i].name, msgs);
	}
	return 0;
}
