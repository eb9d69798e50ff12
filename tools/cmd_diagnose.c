// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl diagnose: watch the caller's network namespace for an
 * interval and say what is wrong with its TCP, who causes it and what to
 * do: module snapshots at both ends, the event stream in between, the
 * TcpExt counters and the sysctls that bound each resource. The rules
 * are in diag_rules.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/tcpstate.h>

#include "ctl.h"
#include "diag_collect.h"
#include "diag_report.h"
#include "diag_rules.h"
#include "diag_sys.h"
#include "duration.h"
#include "grow.h"
#include "optval.h"
#include "query.h"
#include "request.h"
#include "states.h"

/* Exit status when a finding at or above --min-severity was made. */
#define EXIT_FINDINGS 3

static void diagnose_usage(FILE *out)
{
	fprintf(out,
		"Usage: tcpstatectl diagnose [--interval D] [--json] [--all-netns]\n"
		"                            [--min-severity info|warning|critical]\n"
		"                            [THRESHOLDS]\n"
		"\n"
		"Watch this network namespace for an interval and report what is\n"
		"wrong with its TCP, who causes it and how to fix it: socket\n"
		"snapshots at the start and the end, the close-time events in\n"
		"between (with CAP_NET_ADMIN), the TcpExt counters and the sysctls\n"
		"that bound each resource. Rules: close-wait-leak,\n"
		"accept-queue-stall, ephemeral-port-exhaustion, time-wait-overflow,\n"
		"orphan-pressure, unread-close-rst, linger-abort, sigpipe.\n"
		"\n"
		"  --interval D         how long to watch (default 5s); 0: one\n"
		"                       snapshot, without events or counter growth\n"
		"  --json               one JSON object (an array with --all-netns)\n"
		"  --all-netns          every network namespace (CAP_NET_ADMIN in\n"
		"                       the initial namespace); events only for this\n"
		"                       one\n"
		"  --min-severity S     report findings of severity S or worse\n"
		"                       (default warning)\n"
		"Thresholds:\n"
		"  --close-wait-min N   CLOSE_WAIT sockets a process must hold\n"
		"                       (default 1)\n"
		"  --close-wait-age D   younger CLOSE_WAIT sockets do not count\n"
		"                       (default 5s)\n"
		"  --port-share PCT     of ip_local_port_range toward one peer\n"
		"                       (default 50)\n"
		"  --tw-share PCT       of tcp_max_tw_buckets (default 90)\n"
		"  --orphan-share PCT   of tcp_max_orphans (default 50)\n"
		"  --events-min N       events per process for unread-close-rst,\n"
		"                       linger-abort and sigpipe (default 1)\n"
		"\n"
		"Exit status: 0 no finding at or above --min-severity, 3 some,\n"
		"1 runtime error, 2 usage error.\n");
}

enum {
	OPT_INTERVAL = 0x200,
	OPT_MIN_SEVERITY,
	OPT_THRESHOLD,		/* + the index in thresholds[] */
};

/* The thresholds' options: --NAME sets the field at @off. */
static const struct threshold {
	const char *name;
	size_t off;		/* in struct diag_thresholds */
	uint32_t max;		/* a uint32_t of 1..max; 0: a duration (ms, uint64_t) */
} thresholds[] = {
	{ "close-wait-min", offsetof(struct diag_thresholds, close_wait_min), 1000000000 },
	{ "close-wait-age", offsetof(struct diag_thresholds, close_wait_age_ms), 0 },
	{ "port-share", offsetof(struct diag_thresholds, port_share_pct), 100 },
	{ "tw-share", offsetof(struct diag_thresholds, tw_share_pct), 100 },
	{ "orphan-share", offsetof(struct diag_thresholds, orphan_share_pct), 100 },
	{ "events-min", offsetof(struct diag_thresholds, events_min), 1000000000 },
};
#define NTHRESHOLDS (sizeof(thresholds) / sizeof(thresholds[0]))

static void set_threshold(struct diag_thresholds *th,
			  const struct threshold *t, const char *arg)
{
	char *field = (char *)th + t->off;
	uint64_t ms;
	uint32_t n;

	if (t->max) {
		n = (uint32_t)ctl_opt_uint("diagnose", t->name, arg, 1, t->max);
		memcpy(field, &n, sizeof(n));
	} else {
		ms = ctl_opt_duration("diagnose", t->name, arg);
		memcpy(field, &ms, sizeof(ms));
	}
}

static const struct option general_opts[] = {
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
	{ "min-severity", required_argument, NULL, OPT_MIN_SEVERITY },
	CTL_HELP_LONGOPT,
};
#define NGENERAL (sizeof(general_opts) / sizeof(general_opts[0]))

/* The long options: the general ones, one per threshold, the end. */
static void long_options(struct option opts[NGENERAL + NTHRESHOLDS + 1])
{
	size_t i;

	memcpy(opts, general_opts, sizeof(general_opts));
	for (i = 0; i < NTHRESHOLDS; i++)
		opts[NGENERAL + i] = (struct option){
			thresholds[i].name, required_argument, NULL,
			OPT_THRESHOLD + (int)i };
	opts[NGENERAL + NTHRESHOLDS] = (struct option){ NULL, 0, NULL, 0 };
}

/* What one namespace needs besides the snapshots. */
struct ns_state {
	uint32_t netns;
	struct diag_counters c0, c1;
	bool has_c0;
	struct diag_sysctls sys;
	char why[256];		/* its files could not be read, if set */
};

struct run {
	bool all_netns;
	uint32_t self;		/* the caller's namespace */
	struct ns_state *ns;
	size_t nns, capns;
};

static struct ns_state *ns_get(struct run *r, uint32_t netns)
{
	size_t i;

	for (i = 0; i < r->nns; i++)
		if (r->ns[i].netns == netns)
			return &r->ns[i];
	if (ts_grow(&r->ns, &r->capns, r->nns, sizeof(*r->ns), 8))
		return NULL;
	memset(&r->ns[r->nns], 0, sizeof(r->ns[0]));
	r->ns[r->nns].netns = netns;
	r->ns[r->nns].sys.somaxconn = -1;
	r->ns[r->nns].sys.port_lo = r->ns[r->nns].sys.port_hi = -1;
	r->ns[r->nns].sys.max_tw_buckets = -1;
	r->ns[r->nns].sys.max_orphans = -1;
	return &r->ns[r->nns++];
}

/* Counters (and at the end sysctls) of one namespace, entering it. */
static void read_ns(struct run *r, struct ns_state *ns, bool end)
{
	struct diag_counters *c = end ? &ns->c1 : &ns->c0;

	if (ns->netns != r->self) {
		if (ns->why[0] ||
		    diag_netns_enter(ns->netns, ns->why, sizeof(ns->why)))
			return;
	}
	diag_read_counters(c);
	if (!end)
		ns->has_c0 = true;
	else
		diag_read_sysctls(&ns->sys);
	if (ns->netns != r->self)
		diag_netns_leave();
}

/* Every namespace of @snap, known to the run. Returns 0 or -ENOMEM. */
static int add_namespaces(struct run *r, const struct diag_snapshot *snap)
{
	size_t i;

	for (i = 0; snap && i < snap->n; i++)
		if (!ns_get(r, snap->socks[i].netns))
			return -ENOMEM;
	return 0;
}

/*
 * One end of the interval (@end: the end, else the start): the caller's
 * namespace's counters (and at the end its sysctls), the snapshot in
 * @snap, then with --all-netns the counters of every namespace known by
 * then. Returns 0, -ENOMEM, or the dump's negative errno with
 * *@dump_failed set.
 */
static int take_end(struct run *r, struct tsnl *nl, bool end,
		    struct diag_snapshot *snap, bool *dump_failed)
{
	size_t i;
	int ret;

	read_ns(r, &r->ns[0], end);
	ret = diag_snapshot_take(nl, r->all_netns, snap);
	*dump_failed = ret != 0;
	if (ret || !r->all_netns)
		return ret;
	if (add_namespaces(r, snap))
		return -ENOMEM;
	for (i = 1; i < r->nns; i++)
		read_ns(r, &r->ns[i], end);
	return 0;
}

struct pidset {
	struct diag_proc *p;
	size_t n, cap;
	bool nomem;
};

static void want_pid(uint32_t pid, void *data)
{
	struct pidset *s = data;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->p[i].pid == pid)
			return;
	if (ts_grow(&s->p, &s->cap, s->n, sizeof(*s->p), 16)) {
		s->nomem = true;
		return;
	}
	diag_read_proc(pid, &s->p[s->n++]);
}

static int by_netns(const void *a, const void *b)
{
	const struct ns_state *x = a, *y = b;

	return x->netns < y->netns ? -1 : x->netns > y->netns;
}

static int diagnose_run(int argc, char **argv)
{
	struct option opts[NGENERAL + NTHRESHOLDS + 1];
	static struct diag_evsub ev;	/* large: its sequence window */
	static struct diag_json dj;	/* its buffer */
	struct diag_snapshot s0 = { 0 }, s1 = { 0 };
	enum diag_severity min = DIAG_WARNING;
	uint64_t interval = 5000, measured = 0;
	const char *ev_why[TCPSTATE_EV_MAX + 1] = { 0 };
	char why[256] = "", other_why[] =
		"events are seen only for the caller's network namespace";
	struct diag_thresholds th;
	bool json = false, events_ok = false, dump_err = false;
	struct run r = { 0 };
	struct ts_stats st;
	struct tsnl nl;
	long long t0, t1, left;
	int opt, ret, status = EXIT_OK, t, sev;
	size_t i, nfound = 0;

	diag_default_thresholds(&th);
	long_options(opts);
	while ((opt = ctl_getopt(&cmd_diagnose, argc, argv, "", opts)) != -1) {
		switch (opt) {
		case OPT_INTERVAL:
			interval = ctl_opt_duration("diagnose", "interval", optarg);
			if (interval > 24ULL * 3600 * 1000)
				ctl_usage_error("diagnose",
						"--interval: '%.32s' is longer than a day",
						optarg);
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_ALL_NETNS:
			r.all_netns = true;
			break;
		case OPT_MIN_SEVERITY:
			sev = diag_parse_severity(optarg);
			if (!sev)
				ctl_usage_error("diagnose",
						"--min-severity: unknown severity '%.32s' (info, warning or critical)",
						optarg);
			min = (enum diag_severity)sev;
			break;
		default:
			if (opt >= OPT_THRESHOLD &&
			    opt < OPT_THRESHOLD + (int)NTHRESHOLDS)
				set_threshold(&th, &thresholds[opt - OPT_THRESHOLD],
					      optarg);
			break;
		}
	}
	if (optind < argc)
		ctl_usage_error("diagnose", "unexpected argument '%.64s'",
				argv[optind]);

	if (ctl_open_stats(&nl, &st, "diagnose: cannot read the module's stats"))
		return EXIT_RUNTIME;
	r.self = st.netns;
	if (!ns_get(&r, r.self))
		goto nomem;

	/* Events: which types can be seen, and why not. */
	if (!interval) {
		snprintf(why, sizeof(why),
			 "--interval 0: no interval to watch events in");
	} else if (diag_events_open(&ev, &st, why, sizeof(why)) == 0) {
		events_ok = true;
		why[0] = '\0';
	}
	for (t = 1; t <= TCPSTATE_EV_MAX; t++) {
		if (!events_ok)
			ev_why[t] = why;
		else if (!(st.caps & ts_event_type_cap((unsigned int)t)))
			ev_why[t] = "the module has no probe for these events here (loaded with events=0, or the kernel lacks the hook)";
	}

	ctl_catch_stop();

	/* The start. */
	t0 = ts_now_ms();
	if (interval) {
		ret = take_end(&r, &nl, false, &s0, &dump_err);
		if (ret)
			goto failed;
		/* The interval: take events as they come. */
		while (!ctl_stop && (left = t0 + (long long)interval - ts_now_ms()) > 0) {
			if (events_ok) {
				if (diag_events_poll(&ev, left > 1000 ? 1000 : (int)left) < 0 ||
				    ev.es.unloaded)
					break;
			} else {
				struct timespec ts = { 0, 0 };

				if (left > 1000)
					left = 1000;
				ts.tv_sec = left / 1000;
				ts.tv_nsec = (left % 1000) * 1000000L;
				nanosleep(&ts, NULL);
			}
		}
		if (ev.es.unloaded) {
			fprintf(stderr, "tcpstatectl: diagnose: the tcpstate module was unloaded\n");
			status = EXIT_RUNTIME;
			goto out;
		}
	}

	/* The end. */
	t1 = ts_now_ms();
	ret = take_end(&r, &nl, true, &s1, &dump_err);
	if (ret)
		goto failed;
	if (interval)
		measured = (uint64_t)(t1 - t0);
	if (events_ok && ctl_get_stats(&nl, &st) == 0)
		diag_events_finish(&ev, st.event_seq);

	/* The caller's namespace first, then the others by number. */
	if (r.nns > 1)
		qsort(r.ns + 1, r.nns - 1, sizeof(*r.ns), by_netns);
	if (json)
		diag_json_begin(&dj, stdout, r.all_netns);
	for (i = 0; i < r.nns; i++) {
		struct ns_state *ns = &r.ns[i];
		struct diag_result res = { 0 };
		struct pidset pids = { 0 };
		struct diag_input in = {
			.netns = ns->netns,
			.interval_ms = measured,
			.start = interval ? &s0 : NULL,
			.end = &s1,
			.c0 = ns->c0,
			.c1 = ns->c1,
			.has_c0 = ns->has_c0,
			.sys = ns->sys,
			.ns_files_why = ns->why[0] ? ns->why : NULL,
			.th = &th,
		};
		struct diag_report rep = {
			.netns = ns->netns,
			.interval_ms = measured,
			.min = min,
			.result = &res,
		};

		for (t = 1; t <= TCPSTATE_EV_MAX; t++)
			in.event_skip[t] = ns->netns == r.self ? ev_why[t] :
								other_why;
		if (ns->netns == r.self && events_ok) {
			in.events = ev.ev;
			in.nevents = ev.n;
			in.events_lost = ev.es.seq.lost;
		}
		diag_wanted_pids(&in, want_pid, &pids);
		in.procs = pids.p;
		in.nprocs = pids.n;
		ret = pids.nomem ? -ENOMEM : diag_run(&in, &res);
		if (ret) {
			free(pids.p);
			diag_result_free(&res);
			goto nomem;
		}
		nfound += diag_count_at_least(&res, min);
		if (json) {
			diag_json_ns(&dj, &rep);
		} else {
			if (i)
				putchar('\n');
			diag_print_text(stdout, &rep, 78);
		}
		free(pids.p);
		diag_result_free(&res);
	}
	if (json)
		diag_json_end(&dj);
	if (events_ok && (ev.es.seq.lost || ev.not_kept))
		fprintf(stderr,
			"tcpstatectl: diagnose: %llu events lost, %llu not kept: the event rules undercount\n",
			(unsigned long long)ev.es.seq.lost,
			(unsigned long long)ev.not_kept);
	status = nfound ? EXIT_FINDINGS : EXIT_OK;
	goto out;

failed:
	if (!dump_err)
		goto nomem;
	tsnl_perror(&nl, "diagnose: cannot list sockets", ret);
	status = EXIT_RUNTIME;
	goto out;
nomem:
	fprintf(stderr, "tcpstatectl: diagnose: out of memory\n");
	status = EXIT_RUNTIME;
out:
	diag_events_close(&ev);
	tsnl_close(&nl);
	diag_snapshot_free(&s0);
	diag_snapshot_free(&s1);
	free(r.ns);
	return status;
}

const struct command cmd_diagnose = {
	.name = "diagnose",
	.summary = "watch for a while, then say what is wrong and why",
	.run = diagnose_run,
	.usage = diagnose_usage,
};
