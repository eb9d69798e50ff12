/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Fixed records for the JSON golden tests: every JSON document the tool
 * prints (list, list -p, counts in each form, events of every type, stats,
 * version), described once here. tests/unit/test_json_golden.c prints them
 * with today's printers; tests/unit/golden/json-gen.sh prints them with the
 * printers of a given commit (the static print_json() of its commands) to
 * make json_expected.h, so the expected bytes are the old code's output.
 */
#ifndef TCPSTATE_JSON_FIXTURES_H
#define TCPSTATE_JSON_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "../../../tools/parse.h"

enum golden_kind { G_LIST, G_COUNTS, G_EVENT, G_STATS, G_VERSION };

#define GOLDEN_MAX_SOCKS 8
#define GOLDEN_MAX_NS 3

/* One JSON document: what the command would print for these records. */
struct golden_doc {
	const char *name;
	enum golden_kind kind;
	/* G_LIST */
	const struct ts_sock *socks[GOLDEN_MAX_SOCKS];
	size_t nsocks;
	bool procs;
	/* G_COUNTS: per namespace, the totals and the groups in print order */
	struct ts_counts totals[GOLDEN_MAX_NS];
	const struct ts_counts *groups[GOLDEN_MAX_NS];
	size_t ngroups[GOLDEN_MAX_NS];
	size_t n_ns;
	uint8_t by;
	size_t top;
	bool array;
	/* G_EVENT */
	const struct ts_event *ev;
	/* G_STATS */
	const struct ts_stats *st;
	/* G_VERSION: module NULL when it cannot be asked */
	const char *tool, *module;
};

/* Process names as a process may set them: anything but NUL, 15 bytes. */
static const char *const golden_comms[] = {
	"nginx",
	"a\"b\\c",			/* quote, backslash */
	"x\ny\tz\r\x01\x1f\x7f",	/* control bytes */
	"\xff\xc3(\xed\xa0\x80",	/* invalid UTF-8, a surrogate */
	"caf\xc3\xa9 \xe2\x82\xac",	/* valid UTF-8 */
	"\xf0\x9f\x98\x80\xf4\x90\x80\x80",	/* 4 bytes; past U+10FFFF */
	"\"\"\"\\\\\\\x02\x03\x04\x05\x06\x07\x08\x0b\x0c",	/* 15 bytes */
	"",
};
#define GOLDEN_NCOMMS (sizeof(golden_comms) / sizeof(golden_comms[0]))

static void golden_proc(struct ts_proc *p, uint32_t pid, const char *comm,
			uint32_t nfds, uint32_t fds_total, bool has_uid,
			uint32_t uid)
{
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	strncpy(p->comm, comm, sizeof(p->comm) - 1);
	p->nfds = nfds;
	for (i = 0; i < nfds; i++)
		p->fds[i] = i * 7 + (i == 3 ? 4000000000U : 3);
	p->fds_total = fds_total;
	p->has_uid = has_uid;
	p->uid = uid;
}

static struct ts_sock golden_socks[8];

static void golden_make_socks(void)
{
	static const struct ts_sock base[] = {
		/* 0: IPv4, established, small numbers */
		{ .family = AF_INET, .state = TCPSTATE_ESTABLISHED,
		  .saddr = { 192, 0, 2, 1 }, .daddr = { 198, 51, 100, 23 },
		  .sport = 443, .dport = 51234, .uid = 1000, .inode = 123456,
		  .age_ms = 1500, .netns = 4026531840U,
		  .owner_kind = TCPSTATE_OWNER_FD, .procs_total = 1, .nprocs = 1 },
		/* 1: IPv6 listener with its accept queue, age a lower bound */
		{ .family = AF_INET6, .state = TCPSTATE_LISTEN,
		  .saddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, .sport = 8080,
		  .recv_q = 3, .send_q = 4096, .age_ms = 86400000ULL * 400,
		  .age_flags = TCPSTATE_AGE_F_LOWER_BOUND, .has_acceptq = true,
		  .acceptq_len = 3, .acceptq_max = 4096, .netns = 1 },
		/* 2: IPv4-mapped IPv6, CLOSE_WAIT, extreme numbers, hostile owners */
		{ .family = AF_INET6, .state = TCPSTATE_CLOSE_WAIT,
		  .saddr = { [10] = 0xff, 0xff, 192, 0, 2, 129 },
		  .daddr = { 0xfe, 0x80, [8] = 0x02, 0x02, 0xb3, 0xff, 0xfe, 0x1e,
			     0x83, 0x29 },
		  .sport = 65535, .dport = 1,
		  .recv_q = UINT32_MAX, .send_q = 1000000000, .uid = UINT32_MAX,
		  .inode = UINT64_MAX, .age_ms = 18446744073709551000ULL,
		  .age_flags = TCPSTATE_AGE_F_LOWER_BOUND | TCPSTATE_AGE_F_TIMER,
		  .netns = UINT32_MAX, .owner_kind = TCPSTATE_OWNER_FD,
		  .owner_flags = TCPSTATE_OWNER_F_SOME_HIDDEN |
				 TCPSTATE_OWNER_F_PARTIAL,
		  .procs_total = 11, .nprocs = TCPSTATE_MAX_PROCS_PER_SOCK },
		/* 3: TIME_WAIT, no owner (orphan), every flag */
		{ .family = AF_INET, .state = TCPSTATE_TIME_WAIT,
		  .saddr = { 10, 0, 0, 1 }, .daddr = { 255, 255, 255, 255 },
		  .sport = 1, .dport = 80, .age_ms = 59999,
		  .owner_kind = TCPSTATE_OWNER_NONE,
		  .owner_flags = TCPSTATE_OWNER_F_KERNEL | TCPSTATE_OWNER_F_NO_FD |
				 TCPSTATE_OWNER_F_SOME_HIDDEN |
				 TCPSTATE_OWNER_F_CLOSE_UNSEEN |
				 TCPSTATE_OWNER_F_PARTIAL },
		/* 4: an unknown state, unspecified owner, wildcard IPv6 */
		{ .family = AF_INET6, .state = 200, .owner_kind = 250,
		  .has_acceptq = true },
		/* 5: unaccepted (6 and 7 below: closed-by and hidden owners) */
		{ .family = AF_INET, .state = TCPSTATE_SYN_RECV,
		  .saddr = { 127, 0, 0, 1 }, .daddr = { 127, 0, 0, 1 },
		  .sport = 22, .dport = 40000,
		  .owner_kind = TCPSTATE_OWNER_UNACCEPTED, .procs_total = 2,
		  .nprocs = 2 },
	};
	struct ts_sock *s = golden_socks;
	unsigned int i;

	memset(golden_socks, 0, sizeof(golden_socks));
	memcpy(golden_socks, base, sizeof(base));
	golden_proc(&s[0].procs[0], 1234, "nginx", 1, 1, false, 0);
	for (i = 0; i < TCPSTATE_MAX_PROCS_PER_SOCK; i++)
		golden_proc(&s[2].procs[i], 100 + i * 1000000,
			    golden_comms[i % GOLDEN_NCOMMS],
			    i == 7 ? TCPSTATE_MAX_FDS_PER_PROC : i, i + 20,
			    i & 1, i * 500);
	golden_proc(&s[5].procs[0], 1, "systemd", 2, 2, true, 0);
	golden_proc(&s[5].procs[1], 4194304, golden_comms[1], 0, 0, true, 7);
	s[6] = s[0];
	s[6].state = TCPSTATE_FIN_WAIT2;
	s[6].owner_kind = TCPSTATE_OWNER_CLOSED_BY;
	s[6].owner_flags = TCPSTATE_OWNER_F_CLOSE_UNSEEN;
	golden_proc(&s[6].procs[0], 77, golden_comms[2], 0, 0, false, 0);
	s[7] = s[3];
	s[7].state = TCPSTATE_SYN_SENT;
	s[7].owner_kind = TCPSTATE_OWNER_HIDDEN;
	s[7].owner_flags = 0;
	s[7].procs_total = 5;
}

static struct ts_counts golden_groups[16];

static void golden_make_counts(void)
{
	struct ts_counts *g = golden_groups;
	unsigned int i, s;

	memset(golden_groups, 0, sizeof(golden_groups));
	for (i = 0; i < 16; i++) {
		g[i].is_group = true;
		for (s = 1; s <= TCPSTATE_STATE_MAX; s++)
			g[i].states[s] = (i * 13 + s * 7) % 5 == 0 ? 0 : i * 100 + s;
		for (s = 1; s <= TCPSTATE_STATE_MAX; s++)
			g[i].total += g[i].states[s];
	}
	/* 0-2: ports; 3-5: addresses (IPv4, IPv6, IPv6 wildcard) */
	for (i = 0; i < 3; i++) {
		static const uint16_t ports[] = { 443, 65535, 0 };
		static const uint8_t addrs[][16] = {
			{ 203, 0, 113, 9 }, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, { 0 },
		};

		g[i].has_port = true;
		g[i].port = ports[i];
		g[3 + i].has_addr = true;
		g[3 + i].family = i ? AF_INET6 : AF_INET;
		memcpy(g[3 + i].addr, addrs[i], sizeof(addrs[i]));
	}
	/* 6-12: processes, hostile names, one of all 16 bytes */
	for (i = 6; i <= 12; i++) {
		g[i].has_pid = true;
		g[i].pid = i == 6 ? 4294967295U : i * 1111;
		strncpy(g[i].comm, golden_comms[(i - 6) % GOLDEN_NCOMMS],
			sizeof(g[i].comm) - 1);
		g[i].owner_kind = i == 7 ? TCPSTATE_OWNER_UNACCEPTED :
					   TCPSTATE_OWNER_FD;
	}
	memset(g[12].comm, 'q', sizeof(g[12].comm));	/* no NUL */
	/* 13-15: hidden, closed, nobody */
	g[13].owner_kind = TCPSTATE_OWNER_HIDDEN;
	g[14].owner_kind = TCPSTATE_OWNER_CLOSED_BY;
	g[15].owner_kind = TCPSTATE_OWNER_NONE;
	g[15].total = 0;
	memset(g[15].states, 0, sizeof(g[15].states));
}

static void golden_totals(struct ts_counts *t, uint32_t netns, uint32_t k)
{
	unsigned int s;

	memset(t, 0, sizeof(*t));
	t->netns = netns;
	for (s = 1; s <= TCPSTATE_STATE_MAX; s++) {
		t->states[s] = s % 3 == k % 3 ? 0 : s * 1000 * k + s;
		t->total += t->states[s];
	}
}

static struct ts_event golden_events[12];

static void golden_make_events(void)
{
	/*
	 * Type and extras: a letter for each attribute present, U for
	 * unread_bytes, R for rst, S for sigpipe; a capital R or S: true.
	 */
	static const struct {
		const char *extras;
		uint32_t unread;
		uint8_t type;
	} kinds[] = {
		{ "UR", 512, TCPSTATE_EV_UNREAD_CLOSE },
		{ "Ur", UINT32_MAX, TCPSTATE_EV_UNREAD_CLOSE },
		{ "R", 0, TCPSTATE_EV_LINGER_ABORT },
		{ "r", 0, TCPSTATE_EV_LINGER_ABORT },
		{ "S", 0, TCPSTATE_EV_EPIPE },
		{ "s", 0, TCPSTATE_EV_EPIPE },
		{ "", 0, TCPSTATE_EV_UNREAD_CLOSE },	/* an older module */
		{ "", 0, 0 },				/* unknown types */
		{ "", 0, 200 },
		{ "UrS", 0, TCPSTATE_EV_EPIPE },	/* every extra at once */
		{ "", 0, TCPSTATE_EV_LINGER_ABORT },
		{ "", 0, TCPSTATE_EV_UNREAD_CLOSE },
	};
	struct ts_event *e = golden_events;
	unsigned int i;

	memset(golden_events, 0, sizeof(golden_events));
	for (i = 0; i < 12; i++) {
		e[i].seq = i == 11 ? UINT64_MAX : 1 + i * 1000;
		/* 2026-01-02T03:04:05 UTC, then bursts within and across seconds */
		e[i].time_ns = 1767323045ULL * 1000000000ULL +
			       (uint64_t)(i / 3) * 1000000000ULL +
			       (i % 3 == 0 ? 0 : i % 3 == 1 ? 999999999 : 1000 * i);
		e[i].netns = 4026531840U + i;
		e[i].pid = i == 4 ? 0 : 300 + i;
		e[i].tid = e[i].pid + 1;
		e[i].vpid = e[i].pid;
		e[i].uid = i * 1000;
		strncpy(e[i].comm, golden_comms[i % GOLDEN_NCOMMS],
			sizeof(e[i].comm) - 1);
		e[i].sk = golden_socks[i % 4];
		e[i].type = kinds[i].type;
		e[i].has_unread = strchr(kinds[i].extras, 'U') != NULL;
		e[i].unread = kinds[i].unread;
		e[i].has_rst = strpbrk(kinds[i].extras, "Rr") != NULL;
		e[i].rst = strchr(kinds[i].extras, 'R') != NULL;
		e[i].has_sigpipe = strpbrk(kinds[i].extras, "Ss") != NULL;
		e[i].sigpipe = strchr(kinds[i].extras, 'S') != NULL;
	}
	e[10].time_ns = 0;
	e[11].type = TCPSTATE_EV_UNREAD_CLOSE;
	e[11].time_ns = UINT64_MAX;
	memset(e[11].comm, 'w', sizeof(e[11].comm) - 1);
}

static struct ts_stats golden_stats[3];

static void golden_make_stats(void)
{
	struct ts_stats *st = golden_stats;
	unsigned int t;

	memset(golden_stats, 0, sizeof(golden_stats));
	strcpy(st[0].version, "0.9.1-12-gabcdef0");
	st[0].caps = 0xffffffffU;
	st[0].netns = 4026531840U;
	for (t = 1; t <= TCPSTATE_EV_MAX; t++) {
		st[0].ev[t].seen = t * 1000003;
		st[0].ev[t].delivered = t * 1000;
		st[0].ev[t].dropped = t;
		st[0].ev[t].unheard = UINT64_MAX - t;
	}
	st[0].event_seq = 123456789012ULL;
	st[0].abort_on_close = 42;
	st[0].track_entries = 10401;
	st[0].track_capacity = 1048576;
	st[0].track_full = 0;
	st[0].transitions = 99999999999ULL;
	st[0].objects = 7;
	st[0].tw_records = 5;
	st[0].has_user_dumps = true;
	st[0].user_dumps = 2;
	st[0].user_dump_bytes = 65536;
	/* A namespace that may not see the host-wide figures. */
	strcpy(st[1].version, "1.0");
	st[1].caps = TCPSTATE_CAP_SOCK_DUMP | TCPSTATE_CAP_EV_EPIPE |
		     TCPSTATE_CAP_EV_OFF_UNRESTRICTED;
	st[1].netns = 5;
	st[1].host_wide_absent = true;
	/* Nothing at all. */
	st[2].host_wide_absent = false;
}

/*
 * The documents, in order: fills @d for document @i and returns true, or
 * returns false past the last one.
 */
static bool golden_doc(size_t i, struct golden_doc *d)
{
	static bool made;
	static const struct {
		const char *name;
		uint8_t by;
		size_t top;
		bool array;
		size_t n_ns;
		size_t ngroups[GOLDEN_MAX_NS];
		size_t first[GOLDEN_MAX_NS];
	} counts[] = {
		{ "counts", 0, (size_t)-1, false, 1, { 0 }, { 0 } },
		{ "counts --all-netns", 0, (size_t)-1, true, 3, { 0 }, { 0 } },
		{ "counts --all-netns (none)", 0, (size_t)-1, true, 0, { 0 }, { 0 } },
		{ "counts (none)", 0, (size_t)-1, false, 0, { 0 }, { 0 } },
		{ "counts --by lport", TCPSTATE_GROUP_LPORT, (size_t)-1, false, 1,
		  { 3 }, { 0 } },
		{ "counts --by lport (no group)", TCPSTATE_GROUP_LPORT, (size_t)-1,
		  false, 1, { 0 }, { 0 } },
		{ "counts --by laddr --top 2", TCPSTATE_GROUP_LADDR, 2, false, 1,
		  { 3 }, { 3 } },
		{ "counts --by raddr --all-netns", TCPSTATE_GROUP_RADDR, (size_t)-1,
		  true, 3, { 1, 0, 2 }, { 4, 0, 3 } },
		{ "counts --by process", TCPSTATE_GROUP_PROCESS, (size_t)-1, false,
		  1, { 10 }, { 6 } },
		{ "counts --by process --top 1 --all-netns",
		  TCPSTATE_GROUP_PROCESS, 1, true, 2, { 3, 2 }, { 6, 13 } },
		{ "counts (two namespaces, no array)", TCPSTATE_GROUP_LPORT,
		  (size_t)-1, false, 2, { 1, 1 }, { 0, 1 } },
	};
	static const struct {
		const char *name;
		size_t n;
		size_t socks[GOLDEN_MAX_SOCKS];
		bool procs;
	} lists[] = {
		{ "list (empty)", 0, { 0 }, false },
		{ "list -p (empty)", 0, { 0 }, true },
		{ "list (one)", 1, { 0 }, false },
		{ "list", 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, false },
		{ "list -p (one)", 1, { 0 }, true },
		{ "list -p", 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, true },
	};
	static const char *const versions[][2] = {
		{ "0.9.1-12-gabcdef0", "0.9.1-12-gabcdef0" },
		{ "0.9.1", NULL },
		{ "a\"b\\c\x01", "\xff\xfe" },
		{ "", "unknown" },
	};
	const size_t nc = sizeof(counts) / sizeof(counts[0]);
	const size_t nl = sizeof(lists) / sizeof(lists[0]);
	const size_t ne = sizeof(golden_events) / sizeof(golden_events[0]);
	const size_t ns = sizeof(golden_stats) / sizeof(golden_stats[0]);
	const size_t nv = sizeof(versions) / sizeof(versions[0]);
	static char names[64][64];
	size_t k;

	if (!made) {
		golden_make_socks();
		golden_make_counts();
		golden_make_events();
		golden_make_stats();
		made = true;
	}
	memset(d, 0, sizeof(*d));
	if (i < nl) {
		d->name = lists[i].name;
		d->kind = G_LIST;
		d->nsocks = lists[i].n;
		for (k = 0; k < lists[i].n; k++)
			d->socks[k] = &golden_socks[lists[i].socks[k]];
		d->procs = lists[i].procs;
		return true;
	}
	i -= nl;
	if (i < nc) {
		d->name = counts[i].name;
		d->kind = G_COUNTS;
		d->by = counts[i].by;
		d->top = counts[i].top;
		d->array = counts[i].array;
		d->n_ns = counts[i].n_ns;
		for (k = 0; k < d->n_ns; k++) {
			golden_totals(&d->totals[k], (uint32_t)(k * 7 + 1),
				      (uint32_t)(i + k));
			d->groups[k] = &golden_groups[counts[i].first[k]];
			d->ngroups[k] = counts[i].ngroups[k];
		}
		return true;
	}
	i -= nc;
	if (i < ne) {
		snprintf(names[i], sizeof(names[i]), "events --json (event %zu)", i);
		d->name = names[i];
		d->kind = G_EVENT;
		d->ev = &golden_events[i];
		return true;
	}
	i -= ne;
	if (i < ns) {
		snprintf(names[ne + i], sizeof(names[0]), "stats --json (%zu)", i);
		d->name = names[ne + i];
		d->kind = G_STATS;
		d->st = &golden_stats[i];
		return true;
	}
	i -= ns;
	if (i < nv) {
		snprintf(names[ne + ns + i], sizeof(names[0]),
			 "version --json (%zu)", i);
		d->name = names[ne + ns + i];
		d->kind = G_VERSION;
		d->tool = versions[i][0];
		d->module = versions[i][1];
		return true;
	}
	return false;
}

#endif
