// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Canned metrics snapshots. Linked into the unit tests; built with
 * -DMETRICS_SAMPLE_MAIN it is also a program that prints one rendering,
 * which tests/unit/promtool.sh hands to "promtool check metrics":
 *   metrics_sample [hostile|empty] [TOP]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_sample.h"

static struct ts_counts totals(uint32_t netns)
{
	struct ts_counts c;

	memset(&c, 0, sizeof(c));
	c.netns = netns;
	return c;
}

static struct ts_counts group(uint32_t netns, uint32_t pid, const char *comm,
			      uint8_t kind, uint32_t close_wait)
{
	struct ts_counts c = totals(netns);

	c.is_group = true;
	c.owner_kind = kind;
	if (pid) {
		c.has_pid = true;
		c.pid = pid;
		/* As the kernel sends it: at most 15 bytes, cut anywhere. */
		snprintf(c.comm, sizeof(c.comm), "%s", comm);
	}
	c.states[TCPSTATE_CLOSE_WAIT] = close_wait;
	c.total = close_wait;
	return c;
}

static struct ts_sock close_wait(uint32_t netns, uint64_t age_ms,
				 uint32_t age_flags)
{
	struct ts_sock sk;

	memset(&sk, 0, sizeof(sk));
	sk.family = 2;
	sk.state = TCPSTATE_CLOSE_WAIT;
	sk.netns = netns;
	sk.age_ms = age_ms;
	sk.age_flags = age_flags;
	return sk;
}

static const struct {
	uint32_t pid;
	const char *comm;
	uint8_t kind;
	uint32_t n;
} hostile_groups[] = {
	{ 101, "nginx", TCPSTATE_OWNER_FD, 40 },
	{ 102, "quo\"te", TCPSTATE_OWNER_FD, 35 },
	{ 103, "back\\slash", TCPSTATE_OWNER_FD, 30 },
	{ 104, "new\nline", TCPSTATE_OWNER_FD, 25 },
	{ 105, "\xff\xfe bad utf8", TCPSTATE_OWNER_FD, 20 },
	{ 106, "} 1\nfake 2", TCPSTATE_OWNER_FD, 18 },
	{ 107, "tab\tesc\x1b[2J", TCPSTATE_OWNER_FD, 16 },
	{ 108, "caf\xc3\xa9 \xe2\x82\xac", TCPSTATE_OWNER_FD, 14 },
	/* 15 bytes that cut a 4-byte character after its second byte */
	{ 109, "abcdefghijklm\xf0\x9f\x98\x80", TCPSTATE_OWNER_FD, 12 },
	{ 110, "other", TCPSTATE_OWNER_FD, 10 },
	{ 111, "\\\"\\n", TCPSTATE_OWNER_FD, 9 },
	{ 112, "small", TCPSTATE_OWNER_FD, 2 },
	{ 113, "smaller", TCPSTATE_OWNER_FD, 1 },
	/* nginx again, for its unaccepted sockets: one series with the above */
	{ 101, "nginx", TCPSTATE_OWNER_UNACCEPTED, 5 },
	/* ownerless: into "other" */
	{ 0, NULL, TCPSTATE_OWNER_HIDDEN, 7 },
	{ 0, NULL, TCPSTATE_OWNER_NONE, 3 },
};

#define NS_A 4026531840u
#define NS_B 4026532301u

static int hostile(struct tsm_snapshot *s)
{
	struct ts_counts c;
	struct ts_stats st;
	struct ts_sock sk;
	unsigned int i, st_i;
	uint32_t cw = 0;

	for (i = 0; i < sizeof(hostile_groups) / sizeof(hostile_groups[0]); i++)
		cw += hostile_groups[i].n;
	/* GET_COUNTS, every netns */
	c = totals(NS_A);
	for (st_i = 1; st_i <= TCPSTATE_STATE_MAX; st_i++)
		c.states[st_i] = st_i * 3;
	c.states[TCPSTATE_CLOSE_WAIT] = cw;
	c.states[TCPSTATE_CLOSING] = 0;
	tsm_add_states(s, &c);
	c = totals(NS_B);
	c.states[TCPSTATE_ESTABLISHED] = 2;
	c.states[TCPSTATE_CLOSE_WAIT] = 1;
	tsm_add_states(s, &c);
	/* GET_COUNTS --by process, CLOSE_WAIT */
	c = totals(NS_A);
	tsm_add_cw_group(s, &c);
	for (i = 0; i < sizeof(hostile_groups) / sizeof(hostile_groups[0]); i++) {
		c = group(NS_A, hostile_groups[i].pid, hostile_groups[i].comm,
			  hostile_groups[i].kind, hostile_groups[i].n);
		tsm_add_cw_group(s, &c);
	}
	c = totals(NS_B);
	tsm_add_cw_group(s, &c);
	c = group(NS_B, 101, "nginx", TCPSTATE_OWNER_FD, 1);
	tsm_add_cw_group(s, &c);
	/* GET_SOCK, CLOSE_WAIT */
	sk = close_wait(NS_A, 1500, 0);
	tsm_add_cw_sock(s, &sk);
	sk = close_wait(NS_A, 86400123, TCPSTATE_AGE_F_LOWER_BOUND);
	tsm_add_cw_sock(s, &sk);
	sk = close_wait(NS_B, 42, 0);
	tsm_add_cw_sock(s, &sk);
	/* GET_STATS */
	memset(&st, 0, sizeof(st));
	snprintf(st.version, sizeof(st.version), "0.1.0");
	st.netns = NS_A;
	st.abort_on_close = 77;
	st.track_entries = 12345;
	st.track_capacity = 262144;
	for (i = 1; i <= TCPSTATE_EV_MAX; i++) {
		st.ev[i].seen = 100 * i;
		st.ev[i].delivered = 60 * i;
		st.ev[i].dropped = i;
		st.ev[i].unheard = 39 * i;
	}
	st.ev[TCPSTATE_EV_UNREAD_CLOSE].seen = 18446744073709551615ull;
	tsm_set_stats(s, &st);
	return 0;
}

static int empty(struct tsm_snapshot *s)
{
	struct ts_counts c = totals(NS_A);

	tsm_add_states(s, &c);
	tsm_add_cw_group(s, &c);
	return 0;
}

int tsm_sample(struct tsm_snapshot *s, const char *kind)
{
	if (!strcmp(kind, "hostile"))
		return hostile(s);
	if (!strcmp(kind, "empty"))
		return empty(s);
	return -1;
}

#ifdef METRICS_SAMPLE_MAIN
int main(int argc, char **argv)
{
	struct tsm_snapshot s;
	size_t top = TSM_DEFAULT_TOP;
	int ret;

	if (argc > 2)
		top = strtoul(argv[2], NULL, 10);
	tsm_init(&s);
	if (tsm_sample(&s, argc > 1 ? argv[1] : "hostile")) {
		fprintf(stderr, "usage: metrics_sample [hostile|empty] [TOP]\n");
		return 2;
	}
	ret = tsm_render(stdout, &s, top) || fflush(stdout);
	tsm_free(&s);
	return ret ? 1 : 0;
}
#endif
