// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl diagnose's rules (tools/diag_rules.c) on made-up
 * namespaces: each rule fires on its situation, stays quiet on a healthy
 * one and below its thresholds; findings come ordered; the /proc parsers
 * and the report.
 */
#define _GNU_SOURCE	/* open_memstream */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/tcpstate.h>

#include "unit.h"
#include "../../tools/diag_collect.h"
#include "../../tools/diag_report.h"
#include "../../tools/diag_rules.h"
#include "../../tools/diag_sys.h"

#define NS 4026531840u

static struct diag_snapshot s0, s1;
static struct diag_thresholds th;
static struct diag_input in;
static struct diag_result res;
static struct diag_event evs[64];
static struct diag_proc procs[8];

static void reset(void)
{
	diag_snapshot_free(&s0);
	diag_snapshot_free(&s1);
	diag_result_free(&res);
	diag_default_thresholds(&th);
	memset(&in, 0, sizeof(in));
	memset(evs, 0, sizeof(evs));
	memset(procs, 0, sizeof(procs));
	in.netns = NS;
	in.interval_ms = 5000;
	in.start = &s0;
	in.end = &s1;
	in.has_c0 = true;
	in.c0.has_netstat = in.c1.has_netstat = true;
	in.c0.has_sockstat = in.c1.has_sockstat = true;
	in.sys.somaxconn = 4096;
	in.sys.port_lo = 32768;
	in.sys.port_hi = 60999;
	in.sys.max_tw_buckets = 32768;
	in.sys.max_orphans = 65536;
	in.th = &th;
	in.events = evs;
}

static void addr(uint8_t *out, int *family, const char *s)
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, s, out) == 1)
		*family = AF_INET6;
	else
		abort();
}

/* Adds a socket; the pointer is good until the next add. */
static struct diag_sock *sock(struct diag_snapshot *s, int state,
			      const char *src, int sport, const char *dst,
			      int dport, uint64_t age_ms)
{
	struct diag_sock sk = { 0 };
	int fam, dfam;

	addr(sk.daddr, &dfam, dst);
	addr(sk.saddr, &fam, src);
	if (dfam != fam)	/* "0.0.0.0" peer of an IPv6 listener */
		memset(sk.daddr, 0, 16);
	sk.family = (uint8_t)fam;
	sk.state = (uint8_t)state;
	sk.sport = (uint16_t)sport;
	sk.dport = (uint16_t)dport;
	sk.age_ms = age_ms;
	sk.netns = NS;
	sk.inode = s->n + 1000;
	if (diag_snapshot_add(s, &sk))
		abort();
	return &s->socks[s->n - 1];
}

static void owner(struct diag_sock *sk, int kind, uint32_t pid,
		  const char *comm)
{
	sk->owner_kind = (uint8_t)kind;
	if (!pid)
		return;
	sk->procs[sk->nprocs].pid = pid;
	snprintf(sk->procs[sk->nprocs].comm, 16, "%s", comm);
	sk->nprocs++;
	sk->procs_total = sk->nprocs;
}

static struct diag_event *event(int type, uint32_t pid, const char *comm,
				const char *dst, int dport)
{
	struct diag_event *e = &evs[in.nevents++];
	int fam;

	e->type = (uint8_t)type;
	e->pid = pid;
	snprintf(e->comm, sizeof(e->comm), "%s", comm);
	addr(e->saddr, &fam, "127.0.0.1");
	addr(e->daddr, &fam, dst);
	e->family = (uint8_t)fam;
	e->sport = 40000;
	e->dport = (uint16_t)dport;
	return e;
}

static void proc(uint32_t pid, int64_t fds, int64_t limit, bool gone)
{
	struct diag_proc *p = &procs[in.nprocs++];

	p->pid = pid;
	p->fds = fds;
	p->fd_limit = limit;
	p->gone = gone;
	in.procs = procs;
}

static void run(void)
{
	diag_result_free(&res);
	CHECK_EQ(diag_run(&in, &res), 0);
}

static size_t count(enum diag_rule rule)
{
	size_t i, n = 0;

	for (i = 0; i < res.n; i++)
		n += res.findings[i].rule == rule;
	return n;
}

static const struct diag_finding *find(enum diag_rule rule)
{
	size_t i;

	for (i = 0; i < res.n; i++)
		if (res.findings[i].rule == rule)
			return &res.findings[i];
	return NULL;
}

static const struct diag_evidence *evid(const struct diag_finding *f,
					const char *key)
{
	unsigned int i;

	for (i = 0; f && i < f->nevidence; i++)
		if (!strcmp(f->evidence[i].key, key))
			return &f->evidence[i];
	return NULL;
}

/* An evidence number, or -1 if absent. */
static long long num(const struct diag_finding *f, const char *key)
{
	const struct diag_evidence *e = evid(f, key);

	if (!e)
		return -1;
	switch (e->type) {
	case DIAG_EV_I64:
		return e->i;
	case DIAG_EV_BOOL:
		return e->b;
	default:
		return (long long)e->u;
	}
}

static const char *skipped(enum diag_rule rule)
{
	size_t i;

	for (i = 0; i < res.nskipped; i++)
		if (res.skipped[i].rule == rule)
			return res.skipped[i].reason;
	return NULL;
}

/* A busy but healthy namespace. */
static void healthy(void)
{
	struct diag_sock *sk;
	int i;

	sk = sock(&s1, TCPSTATE_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0, 60000);
	sk->has_acceptq = true;
	sk->acceptq_len = 2;
	sk->acceptq_max = 511;
	owner(sk, TCPSTATE_OWNER_FD, 10, "nginx");
	for (i = 0; i < 20; i++) {
		sk = sock(&s1, TCPSTATE_ESTABLISHED, "10.0.0.1", 80, "10.0.0.9",
			  40000 + i, 1000);
		owner(sk, TCPSTATE_OWNER_FD, 10, "nginx");
		sk = sock(&s1, TCPSTATE_TIME_WAIT, "10.0.0.1", 33000 + i,
			  "10.0.0.7", 5432, 2000);
		owner(sk, TCPSTATE_OWNER_CLOSED_BY, 10, "nginx");
	}
	/* Two queued connections, freshly established: normal. */
	for (i = 0; i < 2; i++) {
		sk = sock(&s1, TCPSTATE_ESTABLISHED, "10.0.0.1", 80, "10.0.0.9",
			  41000 + i, 3);
		owner(sk, TCPSTATE_OWNER_UNACCEPTED, 10, "nginx");
	}
	/* A CLOSE_WAIT socket a second old: about to be closed. */
	sk = sock(&s1, TCPSTATE_CLOSE_WAIT, "10.0.0.1", 80, "10.0.0.9", 42000,
		  1000);
	owner(sk, TCPSTATE_OWNER_FD, 10, "nginx");
	in.c1.tw = 20;
	in.c1.orphans = 3;
	in.c0.abort_on_close = in.c1.abort_on_close = 7;
}

TEST(diag_healthy_no_finding)
{
	reset();
	healthy();
	run();
	CHECK_EQ(res.n, 0);
	CHECK_EQ(res.nskipped, 0);
	CHECK_EQ(diag_count_at_least(&res, DIAG_INFO), 0);
	/* An empty namespace too, with one snapshot. */
	reset();
	in.interval_ms = 0;
	in.start = NULL;
	in.has_c0 = false;
	run();
	CHECK_EQ(res.n, 0);
}

/* --- close-wait-leak --------------------------------------------------- */

static void leak(int n_end, int n_start, uint64_t age)
{
	struct diag_sock *sk;
	int i;

	for (i = 0; i < n_end; i++) {
		sk = sock(&s1, TCPSTATE_CLOSE_WAIT, "127.0.0.1", 7000,
			  "127.0.0.1", 50000 + i, age + (uint64_t)i * 1000);
		owner(sk, TCPSTATE_OWNER_FD, 100, "leaky");
	}
	for (i = 0; i < n_start; i++) {
		sk = sock(&s0, TCPSTATE_CLOSE_WAIT, "127.0.0.1", 7000,
			  "127.0.0.1", 50000 + i, age);
		owner(sk, TCPSTATE_OWNER_FD, 100, "leaky");
	}
}

TEST(diag_close_wait_fires_with_growth_and_emfile)
{
	const struct diag_finding *f;
	const struct diag_evidence *e;

	reset();
	healthy();
	leak(12, 2, 6000);
	/* Another port, same process: listed. */
	owner(sock(&s1, TCPSTATE_CLOSE_WAIT, "127.0.0.1", 7001, "127.0.0.1",
		   51000, 9000), TCPSTATE_OWNER_FD, 100, "leaky");
	proc(100, 74, 1024, false);
	run();
	CHECK_EQ(count(DIAG_R_CLOSE_WAIT_LEAK), 1);
	f = find(DIAG_R_CLOSE_WAIT_LEAK);
	CHECK(f && f->has_process);
	if (!f)
		return;
	CHECK_EQ(f->process.pid, 100);
	CHECK_STR(f->process.comm, "leaky");
	CHECK_EQ(num(f, "close_wait"), 13);
	CHECK_EQ(num(f, "stuck"), 13);
	CHECK_EQ(num(f, "close_wait_start"), 2);
	CHECK_EQ(num(f, "growth"), 11);
	CHECK_EQ(num(f, "oldest_age_ms"), 17000);
	CHECK_EQ(num(f, "fds_open"), 74);
	CHECK_EQ(num(f, "fd_limit"), 1024);
	/* 950 fds left at 11 per 5 s: 432 s, rounded up. */
	CHECK_EQ(num(f, "seconds_to_emfile"), 432);
	CHECK_EQ(f->severity, DIAG_CRITICAL);
	e = evid(f, "local_ports");
	CHECK(e && e->n == 2 && e->total == 2 && e->list[0] == 7000 &&
	      e->list[1] == 7001);
	CHECK(strstr(f->summary, "100/leaky holds 13 CLOSE_WAIT sockets, +11 during the interval") != NULL);
	CHECK(strstr(f->advice, "--pid 100") != NULL);
	CHECK(f->explanation && strstr(f->explanation, "CLOSE_WAIT"));
}

TEST(diag_close_wait_thresholds)
{
	const struct diag_finding *f;

	/* Young ones are not a leak... */
	reset();
	leak(3, 3, 1000);
	run();
	CHECK_EQ(count(DIAG_R_CLOSE_WAIT_LEAK), 0);
	/* ...unless the age threshold says so. */
	th.close_wait_age_ms = 500;
	run();
	CHECK_EQ(count(DIAG_R_CLOSE_WAIT_LEAK), 1);
	/* Exactly at the age counts. */
	reset();
	leak(1, 1, 5000);
	run();
	CHECK_EQ(count(DIAG_R_CLOSE_WAIT_LEAK), 1);
	f = find(DIAG_R_CLOSE_WAIT_LEAK);
	/* Steady, fds unknown: a warning, no EMFILE estimate. */
	CHECK(f && f->severity == DIAG_WARNING);
	CHECK_EQ(num(f, "growth"), 0);
	CHECK_EQ(num(f, "seconds_to_emfile"), -1);
	CHECK_EQ(num(f, "fds_open"), -1);
	/* --close-wait-min: 2 stuck sockets are not 3. */
	reset();
	leak(2, 2, 10000);
	th.close_wait_min = 3;
	run();
	CHECK_EQ(count(DIAG_R_CLOSE_WAIT_LEAK), 0);
	th.close_wait_min = 2;
	run();
	CHECK_EQ(count(DIAG_R_CLOSE_WAIT_LEAK), 1);
	/* Near the fd limit without growth: critical. */
	reset();
	leak(2, 2, 10000);
	proc(100, 930, 1024, false);
	run();
	f = find(DIAG_R_CLOSE_WAIT_LEAK);
	CHECK(f && f->severity == DIAG_CRITICAL);
	/* Growing slowly, far from the limit: a warning with an estimate. */
	reset();
	leak(3, 2, 10000);
	proc(100, 10, 1048576, false);
	run();
	f = find(DIAG_R_CLOSE_WAIT_LEAK);
	CHECK(f && f->severity == DIAG_WARNING);
	CHECK(num(f, "seconds_to_emfile") > 3600);
	/* Sockets of another namespace are not this one's. */
	reset();
	leak(3, 0, 10000);
	s1.socks[0].netns = s1.socks[1].netns = s1.socks[2].netns = 1;
	run();
	CHECK_EQ(res.n, 0);
}

TEST(diag_close_wait_hidden_owner)
{
	const struct diag_finding *f;

	reset();
	owner(sock(&s1, TCPSTATE_CLOSE_WAIT, "127.0.0.1", 7000, "127.0.0.1",
		   50000, 60000), TCPSTATE_OWNER_HIDDEN, 0, NULL);
	run();
	f = find(DIAG_R_CLOSE_WAIT_LEAK);
	CHECK(f && !f->has_process && num(f, "hidden") == 1);
	CHECK(f && strstr(f->advice, "root"));
}

/* --- accept-queue-stall ----------------------------------------------- */

static struct diag_sock *listener(struct diag_snapshot *s, const char *a,
				  int port, uint32_t len, uint32_t max)
{
	struct diag_sock *sk = sock(s, TCPSTATE_LISTEN, a, port, "0.0.0.0", 0,
				    100000);

	sk->has_acceptq = true;
	sk->acceptq_len = len;
	sk->acceptq_max = max;
	sk->inode = 77;
	owner(sk, TCPSTATE_OWNER_FD, 200, "srv");
	return sk;
}

static void queued(int state, int n, uint64_t age)
{
	static int port = 30000;
	int i;

	for (i = 0; i < n; i++)
		owner(sock(&s1, state, "127.0.0.1", 8080, "127.0.0.1", port++,
			   age), TCPSTATE_OWNER_UNACCEPTED, 200, "srv");
}

TEST(diag_accept_queue_full)
{
	const struct diag_finding *f;

	reset();
	healthy();
	listener(&s0, "127.0.0.1", 8080, 6, 6);
	listener(&s1, "127.0.0.1", 8080, 6, 6);
	queued(TCPSTATE_CLOSE_WAIT, 4, 10000);
	queued(TCPSTATE_ESTABLISHED, 2, 30000);
	in.c0.listen_overflows = 10;
	in.c1.listen_overflows = 13;
	in.c0.listen_drops = 10;
	in.c1.listen_drops = 15;
	run();
	CHECK_EQ(count(DIAG_R_ACCEPT_QUEUE_STALL), 1);
	f = find(DIAG_R_ACCEPT_QUEUE_STALL);
	if (!f)
		return;
	CHECK_EQ(f->severity, DIAG_CRITICAL);
	CHECK(f->has_listener && f->lport == 8080 && f->has_process &&
	      f->process.pid == 200);
	CHECK_EQ(num(f, "accept_queue"), 6);
	CHECK_EQ(num(f, "effective_backlog"), 6);
	CHECK_EQ(num(f, "somaxconn"), 4096);
	CHECK_EQ(num(f, "backlog_capped"), 0);
	CHECK_EQ(num(f, "closed_in_queue"), 4);
	CHECK_EQ(num(f, "full"), 1);
	CHECK_EQ(num(f, "full_at_start"), 1);
	CHECK_EQ(num(f, "listen_overflows"), 3);
	CHECK_EQ(num(f, "listen_drops"), 5);
	CHECK_EQ(num(f, "overflows_attributed"), 1);
	CHECK_EQ(num(f, "full_listeners"), 1);
	CHECK_EQ(num(f, "oldest_queued_ms"), 30000);
	CHECK_EQ(num(f, "oldest_queued_is_lower_bound"), 0);
	/* The CLOSE_WAIT sockets in the queue are not a process's leak. */
	CHECK_EQ(count(DIAG_R_CLOSE_WAIT_LEAK), 0);
	CHECK(strstr(f->summary, "accept queue is full (6 of backlog 6)") != NULL);
}

TEST(diag_accept_queue_thresholds)
{
	const struct diag_finding *f;

	/* A short queue of young connections: nothing. */
	reset();
	listener(&s1, "0.0.0.0", 8080, 3, 128);
	queued(TCPSTATE_CLOSE_WAIT, 1, 2000);
	queued(TCPSTATE_ESTABLISHED, 2, 100);
	in.c1.listen_overflows = 5;	/* someone else's */
	run();
	CHECK_EQ(res.n, 0);
	/* The closed one grows old: a warning, counters not attributed. */
	th.close_wait_age_ms = 1000;
	run();
	f = find(DIAG_R_ACCEPT_QUEUE_STALL);
	CHECK(f && f->severity == DIAG_WARNING);
	CHECK_EQ(num(f, "closed_in_queue"), 1);
	CHECK_EQ(num(f, "full"), 0);
	CHECK_EQ(num(f, "listen_overflows"), -1);
	/* The wildcard listener got them, and the CLOSE_WAIT one bounds the age. */
	CHECK_EQ(num(f, "oldest_queued_ms"), 2000);
	CHECK_EQ(num(f, "oldest_queued_is_lower_bound"), 1);
	/* Full only now, no overflow seen: a warning. */
	reset();
	listener(&s0, "127.0.0.1", 8080, 1, 4);
	listener(&s1, "127.0.0.1", 8080, 4, 4);
	queued(TCPSTATE_ESTABLISHED, 4, 10);
	run();
	f = find(DIAG_R_ACCEPT_QUEUE_STALL);
	CHECK(f && f->severity == DIAG_WARNING);
	CHECK_EQ(num(f, "listen_overflows"), 0);
	/* Overflows during the interval make it critical. */
	in.c1.listen_overflows = 2;
	run();
	f = find(DIAG_R_ACCEPT_QUEUE_STALL);
	CHECK(f && f->severity == DIAG_CRITICAL);
	/* A backlog at somaxconn was most likely cut to it by listen(). */
	in.sys.somaxconn = 4;
	run();
	CHECK_EQ(num(find(DIAG_R_ACCEPT_QUEUE_STALL), "backlog_capped"), 1);
	CHECK_EQ(num(find(DIAG_R_ACCEPT_QUEUE_STALL), "effective_backlog"), 4);
	/* An empty listener with backlog 0 is not full. */
	reset();
	listener(&s1, "127.0.0.1", 8080, 0, 0);
	run();
	CHECK_EQ(res.n, 0);
}

/* --- ephemeral-port-exhaustion ------------------------------------------ */

static void pile(int n, int state, int first_port, const char *dst)
{
	int i;

	for (i = 0; i < n; i++)
		owner(sock(&s1, state, "127.0.0.1", first_port + i, dst, 5000,
			   1000), TCPSTATE_OWNER_CLOSED_BY, 300, "client");
}

TEST(diag_ephemeral_ports)
{
	const struct diag_finding *f;
	char ep[64];

	reset();
	healthy();
	in.sys.port_lo = 40000;
	in.sys.port_hi = 40099;
	pile(55, TCPSTATE_TIME_WAIT, 40000, "127.0.0.1");
	pile(5, TCPSTATE_ESTABLISHED, 40055, "127.0.0.1");
	/* Ports outside the range hold none of it. */
	pile(30, TCPSTATE_TIME_WAIT, 20000, "127.0.0.1");
	run();
	CHECK_EQ(count(DIAG_R_EPHEMERAL_PORTS), 1);
	f = find(DIAG_R_EPHEMERAL_PORTS);
	if (!f)
		return;
	CHECK_EQ(f->severity, DIAG_WARNING);
	CHECK_EQ(num(f, "sockets"), 60);
	CHECK_EQ(num(f, "port_range"), 100);
	CHECK_EQ(num(f, "share_pct"), 60);
	CHECK_EQ(num(f, "time_wait"), 55);
	CHECK_EQ(num(f, "established"), 5);
	CHECK(f->has_peer && f->pport == 5000 && f->has_process &&
	      f->process.pid == 300);
	CHECK_EQ(num(f, "process_sockets"), 60);
	snprintf(ep, sizeof(ep), "%s", evid(f, "local_addr")->str);
	CHECK_STR(ep, "127.0.0.1");
	/* Critical at 90 %. */
	pile(30, TCPSTATE_TIME_WAIT, 40060, "127.0.0.1");
	run();
	CHECK_EQ(find(DIAG_R_EPHEMERAL_PORTS)->severity, DIAG_CRITICAL);
	/* 49 of 100: below half; another peer is another group. */
	reset();
	in.sys.port_lo = 40000;
	in.sys.port_hi = 40099;
	pile(49, TCPSTATE_TIME_WAIT, 40000, "127.0.0.1");
	pile(49, TCPSTATE_TIME_WAIT, 40000, "127.0.0.2");
	run();
	CHECK_EQ(count(DIAG_R_EPHEMERAL_PORTS), 0);
	th.port_share_pct = 40;
	run();
	CHECK_EQ(count(DIAG_R_EPHEMERAL_PORTS), 2);
	/* IPv4-mapped and IPv4 sockets to one peer are one group. */
	reset();
	in.sys.port_lo = 40000;
	in.sys.port_hi = 40099;
	pile(30, TCPSTATE_TIME_WAIT, 40000, "127.0.0.1");
	{
		int i;

		for (i = 0; i < 30; i++)
			sock(&s1, TCPSTATE_ESTABLISHED, "::ffff:127.0.0.1",
			     40030 + i, "::ffff:127.0.0.1", 5000, 10);
	}
	run();
	CHECK_EQ(count(DIAG_R_EPHEMERAL_PORTS), 1);
	CHECK_EQ(num(find(DIAG_R_EPHEMERAL_PORTS), "sockets"), 60);
	/* An unknown range: the rule says it skipped. */
	in.sys.port_lo = in.sys.port_hi = -1;
	run();
	CHECK_EQ(count(DIAG_R_EPHEMERAL_PORTS), 0);
	CHECK(skipped(DIAG_R_EPHEMERAL_PORTS) != NULL);
}

/* --- time-wait-overflow, orphan-pressure ------------------------------- */

TEST(diag_time_wait_overflow)
{
	const struct diag_finding *f;

	reset();
	in.c1.tw = 29000;	/* 88 % */
	run();
	CHECK_EQ(res.n, 0);
	in.c1.tw = 29492;	/* 90.002 % */
	run();
	f = find(DIAG_R_TIME_WAIT_OVERFLOW);
	CHECK(f && f->severity == DIAG_WARNING);
	CHECK_EQ(num(f, "time_wait"), 29492);
	CHECK_EQ(num(f, "share_pct"), 90);
	CHECK_EQ(num(f, "tw_overflow"), 0);
	th.tw_share_pct = 95;
	run();
	CHECK_EQ(res.n, 0);
	/* The counter grew: critical whatever the level. */
	in.c1.tw = 10;
	in.c0.tw_overflow = 100;
	in.c1.tw_overflow = 140;
	run();
	f = find(DIAG_R_TIME_WAIT_OVERFLOW);
	CHECK(f && f->severity == DIAG_CRITICAL);
	CHECK_EQ(num(f, "tw_overflow"), 40);
	/* One snapshot: no growth to see. */
	in.has_c0 = false;
	run();
	CHECK_EQ(res.n, 0);
	/* Without sockstat, TIME_WAIT sockets of the snapshot count. */
	reset();
	in.c1.has_sockstat = false;
	in.sys.max_tw_buckets = 10;
	pile(9, TCPSTATE_TIME_WAIT, 1000, "10.0.0.1");
	run();
	CHECK_EQ(num(find(DIAG_R_TIME_WAIT_OVERFLOW), "time_wait"), 9);
}

TEST(diag_orphan_pressure)
{
	const struct diag_finding *f;

	reset();
	in.c1.orphans = 32767;
	run();
	CHECK_EQ(res.n, 0);
	in.c1.orphans = 32768;
	run();
	f = find(DIAG_R_ORPHAN_PRESSURE);
	CHECK(f && f->severity == DIAG_WARNING);
	CHECK_EQ(num(f, "orphans"), 32768);
	CHECK_EQ(num(f, "share_pct"), 50);
	CHECK_EQ(num(f, "host_wide"), 1);
	th.orphan_share_pct = 60;
	run();
	CHECK_EQ(res.n, 0);
	in.c1.orphans = 60000;	/* 91 % */
	run();
	CHECK_EQ(find(DIAG_R_ORPHAN_PRESSURE)->severity, DIAG_CRITICAL);
	in.c1.orphans = 0;
	in.c1.abort_on_memory = 3;
	run();
	f = find(DIAG_R_ORPHAN_PRESSURE);
	CHECK(f && f->severity == DIAG_CRITICAL);
	CHECK_EQ(num(f, "abort_on_memory"), 3);
	/* Nothing to read: skipped, with the reason. */
	reset();
	in.c1.has_sockstat = false;
	in.c0.has_netstat = in.c1.has_netstat = false;
	in.sys.max_tw_buckets = -1;
	run();
	CHECK(skipped(DIAG_R_ORPHAN_PRESSURE) != NULL);
	CHECK(skipped(DIAG_R_TIME_WAIT_OVERFLOW) != NULL);
	/* A child namespace has no tcp_max_orphans; one snapshot no growth. */
	reset();
	in.sys.max_orphans = -1;
	in.has_c0 = false;
	in.c1.orphans = 1000000;
	run();
	CHECK_EQ(res.n, 0);
	CHECK(skipped(DIAG_R_ORPHAN_PRESSURE) &&
	      strstr(skipped(DIAG_R_ORPHAN_PRESSURE), "initial network namespace") &&
	      strstr(skipped(DIAG_R_ORPHAN_PRESSURE), "one snapshot"));
	/* With an interval the counter part still runs. */
	in.has_c0 = true;
	in.c1.abort_on_memory = 1;
	run();
	CHECK(!skipped(DIAG_R_ORPHAN_PRESSURE));
	CHECK_EQ(count(DIAG_R_ORPHAN_PRESSURE), 1);
}

/* --- event rules ------------------------------------------------------- */

TEST(diag_unread_close)
{
	const struct diag_finding *f;
	const struct diag_evidence *e;
	struct diag_event *x;
	size_t i;

	reset();
	healthy();
	x = event(TCPSTATE_EV_UNREAD_CLOSE, 400, "cli", "127.0.0.1", 5901);
	x->unread = 100, x->rst = true;
	x = event(TCPSTATE_EV_UNREAD_CLOSE, 400, "cli", "127.0.0.1", 5901);
	x->unread = 200, x->rst = true;
	x = event(TCPSTATE_EV_UNREAD_CLOSE, 400, "cli", "10.1.2.3", 443);
	x->unread = 300, x->rst = true;
	/* Another process's single close. */
	x = event(TCPSTATE_EV_UNREAD_CLOSE, 401, "other", "10.1.2.3", 443);
	x->unread = 5, x->rst = true;
	in.c0.abort_on_close = 10;
	in.c1.abort_on_close = 14;
	run();
	CHECK_EQ(count(DIAG_R_UNREAD_CLOSE_RST), 2);
	f = &res.findings[0];
	CHECK_EQ(f->rule, DIAG_R_UNREAD_CLOSE_RST);
	CHECK_EQ(f->process.pid, 400);	/* the larger first */
	CHECK_EQ(f->severity, DIAG_WARNING);
	CHECK_EQ(num(f, "connections"), 3);
	CHECK_EQ(num(f, "bytes_discarded"), 600);
	CHECK_EQ(num(f, "rst"), 3);
	CHECK_EQ(num(f, "abort_on_close"), 4);
	CHECK_EQ(num(f, "rst_events"), 4);
	e = evid(f, "peers");
	CHECK(e && e->total == 2 && !strcmp(e->strs[0], "10.1.2.3:443") &&
	      !strcmp(e->strs[1], "127.0.0.1:5901"));
	CHECK(!f->has_peer);
	CHECK(res.findings[1].has_peer && res.findings[1].pport == 443);
	/* --events-min 2 leaves the single close out. */
	th.events_min = 2;
	run();
	CHECK_EQ(count(DIAG_R_UNREAD_CLOSE_RST), 1);
	/* The counter grew by more than the events named. */
	th.events_min = 1;
	in.c1.abort_on_close = 20;
	in.events_lost = 6;
	run();
	CHECK_EQ(count(DIAG_R_UNREAD_CLOSE_RST), 3);
	for (i = 0, f = NULL; i < res.n; i++)
		if (res.findings[i].rule == DIAG_R_UNREAD_CLOSE_RST &&
		    !res.findings[i].has_process)
			f = &res.findings[i];
	CHECK(f && num(f, "abort_on_close") == 10 && num(f, "rst_events") == 4 &&
	      num(f, "events_lost") == 6);
}

TEST(diag_linger_and_sigpipe)
{
	const struct diag_finding *f;
	struct diag_event *x;

	reset();
	x = event(TCPSTATE_EV_LINGER_ABORT, 500, "lb", "127.0.0.1", 80);
	x->rst = true;
	x = event(TCPSTATE_EV_EPIPE, 600, "writer", "127.0.0.1", 40001);
	x->sigpipe = true;
	x = event(TCPSTATE_EV_EPIPE, 600, "writer", "127.0.0.1", 40001);
	x->sigpipe = true;
	/* EPIPE with MSG_NOSIGNAL only: handled, no finding. */
	event(TCPSTATE_EV_EPIPE, 601, "careful", "127.0.0.1", 40002);
	proc(600, 3, 1024, true);
	proc(601, 3, 1024, false);
	run();
	CHECK_EQ(res.n, 2);
	f = find(DIAG_R_SIGPIPE);
	CHECK(f && f->severity == DIAG_CRITICAL && f->process.pid == 600);
	CHECK_EQ(num(f, "sigpipe"), 2);
	CHECK_EQ(num(f, "process_gone"), 1);
	CHECK(f && strstr(f->summary, "gone now") != NULL);
	f = find(DIAG_R_LINGER_ABORT);
	CHECK(f && f->severity == DIAG_INFO && f->process.pid == 500);
	CHECK_EQ(num(f, "aborts"), 1);
	/* Info does not count at the default --min-severity. */
	CHECK_EQ(diag_count_at_least(&res, DIAG_WARNING), 1);
	CHECK_EQ(diag_count_at_least(&res, DIAG_INFO), 2);
	CHECK_EQ(diag_count_at_least(&res, DIAG_CRITICAL), 1);
	/* Still running: a warning. */
	procs[0].gone = false;
	run();
	f = find(DIAG_R_SIGPIPE);
	CHECK(f && f->severity == DIAG_WARNING && num(f, "process_gone") == 0);
	/* A closer the namespace cannot name has pid 0. */
	reset();
	event(TCPSTATE_EV_LINGER_ABORT, 0, "kworker/0:1", "127.0.0.1", 80);
	run();
	f = find(DIAG_R_LINGER_ABORT);
	CHECK(f && f->has_process && f->process.pid == 0);
}

TEST(diag_event_rules_skipped)
{
	const char *why;

	reset();
	in.event_skip[TCPSTATE_EV_UNREAD_CLOSE] =
	in.event_skip[TCPSTATE_EV_LINGER_ABORT] =
	in.event_skip[TCPSTATE_EV_EPIPE] =
		"subscribing to events needs CAP_NET_ADMIN";
	/* Events given anyway are not used for a skipped type. */
	event(TCPSTATE_EV_UNREAD_CLOSE, 400, "cli", "127.0.0.1", 5901)->rst = true;
	in.c1.abort_on_close = 3;
	run();
	CHECK_EQ(res.n, 0);
	CHECK_EQ(res.nskipped, 3);
	why = skipped(DIAG_R_UNREAD_CLOSE_RST);
	CHECK(why && strstr(why, "CAP_NET_ADMIN") &&
	      strstr(why, "TCPAbortOnClose grew by 3"));
	why = skipped(DIAG_R_SIGPIPE);
	CHECK(why && !strcmp(why, "subscribing to events needs CAP_NET_ADMIN"));
	CHECK(skipped(DIAG_R_LINGER_ABORT) != NULL);
	/* A namespace whose files could not be read. */
	reset();
	in.ns_files_why = "cannot enter network namespace 5";
	in.c1.tw = 1000000;
	run();
	CHECK_EQ(res.n, 0);
	CHECK(skipped(DIAG_R_EPHEMERAL_PORTS) &&
	      skipped(DIAG_R_TIME_WAIT_OVERFLOW) &&
	      skipped(DIAG_R_ORPHAN_PRESSURE));
}

/* --- ordering ------------------------------------------------------------- */

TEST(diag_ordering)
{
	struct diag_event *x;
	size_t i;

	reset();
	/* warning, size 2 */
	leak(2, 2, 10000);
	/* critical, size 6 (accept queue) */
	listener(&s0, "127.0.0.1", 8080, 6, 6);
	listener(&s1, "127.0.0.1", 8080, 6, 6);
	queued(TCPSTATE_ESTABLISHED, 6, 100);
	/* critical, size 1 (SIGPIPE, gone) */
	x = event(TCPSTATE_EV_EPIPE, 600, "writer", "127.0.0.1", 1);
	x->sigpipe = true;
	proc(600, -1, -1, true);
	/* warning, size 5 (unread closes) */
	for (i = 0; i < 5; i++)
		event(TCPSTATE_EV_UNREAD_CLOSE, 400, "cli", "127.0.0.1",
		      (int)i + 1)->rst = true;
	/* warning, size 2 (unread, another process): ties with the leak */
	for (i = 0; i < 2; i++)
		event(TCPSTATE_EV_UNREAD_CLOSE, 401, "cli2", "127.0.0.1",
		      (int)i + 1)->rst = true;
	/* info, size 9 */
	for (i = 0; i < 9; i++)
		event(TCPSTATE_EV_LINGER_ABORT, 500, "lb", "127.0.0.1", 80);
	in.c1.abort_on_close = 7;
	run();
	CHECK_EQ(res.n, 6);
	if (res.n != 6)
		return;
	CHECK_EQ(res.findings[0].rule, DIAG_R_ACCEPT_QUEUE_STALL);
	CHECK_EQ(res.findings[1].rule, DIAG_R_SIGPIPE);
	CHECK_EQ(res.findings[2].rule, DIAG_R_UNREAD_CLOSE_RST);
	CHECK_EQ(res.findings[2].process.pid, 400);
	/* Same severity and size: the documented rule order. */
	CHECK_EQ(res.findings[3].rule, DIAG_R_CLOSE_WAIT_LEAK);
	CHECK_EQ(res.findings[4].rule, DIAG_R_UNREAD_CLOSE_RST);
	CHECK_EQ(res.findings[4].process.pid, 401);
	CHECK_EQ(res.findings[5].rule, DIAG_R_LINGER_ABORT);
	for (i = 1; i < res.n; i++)
		CHECK(res.findings[i - 1].severity >= res.findings[i].severity);
}

/* --- parsers, conversion, names ------------------------------------------ */

TEST(diag_parse_proc_files)
{
	struct diag_counters c = { 0 };

	CHECK_EQ(diag_parse_netstat(
			 "TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPAbortOnClose TCPAbortOnMemory TCPTimeWaitOverflow\n"
			 "TcpExt: 1 22 33 44 55 66\n"
			 "IpExt: InNoRoutes\nIpExt: 9\n", &c), 0);
	CHECK(c.has_netstat);
	CHECK_EQ(c.listen_overflows, 22);
	CHECK_EQ(c.listen_drops, 33);
	CHECK_EQ(c.abort_on_close, 44);
	CHECK_EQ(c.abort_on_memory, 55);
	CHECK_EQ(c.tw_overflow, 66);
	memset(&c, 0, sizeof(c));
	CHECK_EQ(diag_parse_netstat("IpExt: a\nIpExt: 1\n", &c), -1);
	CHECK(!c.has_netstat);
	CHECK_EQ(diag_parse_netstat("TcpExt: a b\n", &c), -1);
	CHECK_EQ(diag_parse_sockstat(
			 "sockets: used 130\nTCP: inuse 5 orphan 7 tw 123 alloc 9 mem 1\nUDP: inuse 0 mem 0\n",
			 &c), 0);
	CHECK(c.has_sockstat);
	CHECK_EQ(c.orphans, 7);
	CHECK_EQ(c.tw, 123);
	CHECK_EQ(diag_parse_nofile(
			 "Limit                     Soft Limit           Hard Limit           Units\n"
			 "Max cpu time              unlimited            unlimited            seconds\n"
			 "Max open files            1024                 524288               files\n"),
		 1024);
	CHECK_EQ(diag_parse_nofile("Max open files            unlimited            unlimited            files\n"),
		 -1);
	CHECK_EQ(diag_parse_nofile(""), -1);
	CHECK_EQ(diag_parse_severity("warning"), DIAG_WARNING);
	CHECK_EQ(diag_parse_severity("info"), DIAG_INFO);
	CHECK_EQ(diag_parse_severity("critical"), DIAG_CRITICAL);
	CHECK_EQ(diag_parse_severity("Warning"), 0);
	CHECK_STR(diag_rule_name(DIAG_R_EPHEMERAL_PORTS), "ephemeral-port-exhaustion");
	CHECK_STR(diag_rule_name(DIAG_R_UNREAD_CLOSE_RST), "unread-close-rst");
}

TEST(diag_sock_conversion)
{
	static struct ts_sock ts;
	struct diag_sock sk;
	unsigned int i;

	memset(&ts, 0, sizeof(ts));
	ts.family = AF_INET;
	ts.state = TCPSTATE_CLOSE_WAIT;
	ts.age_flags = TCPSTATE_AGE_F_LOWER_BOUND;
	ts.owner_kind = TCPSTATE_OWNER_FD;
	ts.nprocs = 7;
	ts.procs_total = 9;
	for (i = 0; i < 7; i++) {
		ts.procs[i].pid = 10 + i;
		memset(ts.procs[i].comm, 'x', sizeof(ts.procs[i].comm));
	}
	diag_sock_from_ts(&ts, &sk);
	CHECK_EQ(sk.nprocs, DIAG_SOCK_PROCS);
	CHECK_EQ(sk.procs_total, 9);
	CHECK_EQ(sk.procs[3].pid, 13);
	CHECK_EQ(strlen(sk.procs[0].comm), 15);
	CHECK(sk.age_lower_bound);
}

/* --- the report ------------------------------------------------------------ */

TEST(diag_report_formats)
{
	struct diag_report rep = { .netns = NS, .interval_ms = 5000,
				   .min = DIAG_WARNING, .result = &res };
	static struct diag_json dj;
	char *buf = NULL, *line;
	size_t len = 0, longest = 0;
	FILE *f;

	reset();
	leak(3, 1, 10000);
	/* A hostile process name. */
	snprintf(s1.socks[0].procs[0].comm, 16, "a\"b\n\\c");
	s1.socks[1].procs[0] = s1.socks[0].procs[0];
	s1.socks[2].procs[0] = s1.socks[0].procs[0];
	listener(&s1, "::1", 8080, 6, 6);
	event(TCPSTATE_EV_LINGER_ABORT, 500, "lb", "127.0.0.1", 80);
	in.event_skip[TCPSTATE_EV_EPIPE] = "test reason";
	in.c1.listen_overflows = 1;
	run();
	f = open_memstream(&buf, &len);
	diag_json_begin(&dj, f, false);
	diag_json_ns(&dj, &rep);
	diag_json_end(&dj);
	fclose(f);
	CHECK(strstr(buf, "{\"netns\": 4026531840, \"interval_ms\": 5000, \"findings\": [") == buf);
	CHECK(strstr(buf, "\"rule\": \"close-wait-leak\", \"severity\": \"warning\"") != NULL);
	CHECK(strstr(buf, "\"process\": {\"pid\": 100, \"comm\": \"a\\\"b\\n\\\\c\"}") != NULL);
	CHECK(strstr(buf, "\"listener\": {\"local_addr\": \"::1\", \"local_port\": 8080}") != NULL);
	CHECK(strstr(buf, "\"local_ports\": [7000], \"local_ports_total\": 1") != NULL);
	CHECK(strstr(buf, "\"skipped\": [{\"rule\": \"sigpipe\", \"reason\": \"test reason\"}]}\n") != NULL);
	/* Below --min-severity: not in the report. */
	CHECK(strstr(buf, "linger-abort") == NULL);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	rep.min = DIAG_INFO;
	diag_print_text(f, &rep, 78);
	fclose(f);
	if (getenv("DIAG_SHOW"))
		fputs(buf, stderr);
	CHECK(strstr(buf, "netns 4026531840, watched 5.0s: 3 findings (1 critical, 1 warning, 1 info)") != NULL);
	CHECK(strstr(buf, "\nCRITICAL accept-queue-stall\n") != NULL);
	CHECK(strstr(buf, "  Culprit: process 100/a\"b?\\c\n") != NULL);
	CHECK(strstr(buf, "\n    CLOSE_WAIT sockets                     3\n") != NULL);
	CHECK(strstr(buf, "\nSkipped:\n  sigpipe: test reason\n") != NULL);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (strlen(line) > longest)
			longest = strlen(line);
	CHECK(longest <= 78);
	free(buf);
	/* No finding: one line. */
	reset();
	run();
	buf = NULL;
	f = open_memstream(&buf, &len);
	rep.interval_ms = 0;
	diag_print_text(f, &rep, 80);
	fclose(f);
	CHECK_STR(buf, "netns 4026531840, one snapshot: no finding\n");
	free(buf);
	diag_snapshot_free(&s0);
	diag_snapshot_free(&s1);
	diag_result_free(&res);
}
