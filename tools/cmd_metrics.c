// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl metrics: socket counts per state, the processes with the most
 * CLOSE_WAIT sockets, the oldest CLOSE_WAIT age and the module's counters,
 * in the Prometheus text format, for node_exporter's textfile collector.
 * Four requests (two GET_COUNTS dumps, a CLOSE_WAIT GET_SOCK dump and
 * GET_STATS); nothing is written unless all of them succeed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "metrics.h"
#include "optval.h"
#include "query.h"
#include "request.h"
#include "states.h"

static void metrics_usage(FILE *out)
{
	fprintf(out,
		"Usage: tcpstatectl metrics [--output FILE] [--top N] [--all-netns]\n"
		"\n"
		"Print metrics in the Prometheus text format, for node_exporter's\n"
		"textfile collector (run from a timer or cron):\n"
		"  tcpstate_sockets{netns,state}             sockets per state\n"
		"  tcpstate_close_wait_sockets_by_process{netns,pid,comm}\n"
		"                                            CLOSE_WAIT sockets of the\n"
		"                                            top N processes, the rest\n"
		"                                            as pid=\"other\"\n"
		"  tcpstate_close_wait_oldest_age_seconds{netns}\n"
		"  tcpstate_close_wait_oldest_age_lower_bound{netns}\n"
		"  tcpstate_events_total{type,outcome}       close-time events\n"
		"  tcpstate_abort_on_close_total             TCPAbortOnClose tally\n"
		"  tcpstate_tracked_sockets                  sockets with entry times\n"
		"\n"
		"  --output FILE        write FILE atomically (a temporary file in\n"
		"                       the same directory, renamed over FILE; mode\n"
		"                       0644) instead of standard output\n"
		"  --top N              name the N processes with the most CLOSE_WAIT\n"
		"                       sockets (default %d)\n"
		"  --all-netns          every network namespace (CAP_NET_ADMIN in the\n"
		"                       initial namespace)\n"
		"\n"
		"Nothing is written if a request fails (exit 1). Processes whose\n"
		"/proc/PID/fd the caller may not read are counted as \"other\".\n",
		TSM_DEFAULT_TOP);
}

static int states_cb(const struct ts_counts *c, void *data)
{
	return tsm_add_states(data, c);
}

static int groups_cb(const struct ts_counts *c, void *data)
{
	return tsm_add_cw_group(data, c);
}

static int sock_cb(const struct ts_sock *sk, void *data)
{
	return tsm_add_cw_sock(data, sk);
}

/* The four requests, all into @s. Prints what failed; 0 or EXIT_RUNTIME. */
static int gather(struct tsm_snapshot *s, uint32_t flags)
{
	struct ts_request req = { .flags = flags };
	struct ts_stats st;
	struct tsnl nl;
	const char *what;
	int ret;

	if (ctl_open(&nl))
		return EXIT_RUNTIME;
	what = "cannot count sockets";
	ret = ctl_dump_counts(&nl, &req, states_cb, s);
	if (ret)
		goto fail;
	req.state_mask = TS_STATE_BIT(TCPSTATE_CLOSE_WAIT);
	req.group_by = TCPSTATE_GROUP_PROCESS;
	what = "cannot count CLOSE_WAIT sockets per process";
	ret = ctl_dump_counts(&nl, &req, groups_cb, s);
	if (ret)
		goto fail;
	req.group_by = TCPSTATE_GROUP_NONE;
	what = "cannot list CLOSE_WAIT sockets";
	ret = ctl_dump_socks(&nl, &req, sock_cb, s);
	if (ret)
		goto fail;
	what = "cannot read the counters";
	ret = ctl_get_stats(&nl, &st);
	if (ret)
		goto fail;
	tsm_set_stats(s, &st);
	tsnl_close(&nl);
	return EXIT_OK;
fail:
	tsnl_perror(&nl, what, ret);
	tsnl_close(&nl);
	return EXIT_RUNTIME;
}

static int metrics_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
		CTL_HELP_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL;
	size_t top = TSM_DEFAULT_TOP;
	struct tsm_snapshot s;
	uint32_t flags = 0;
	char err[512];
	int opt, ret;

	while ((opt = ctl_getopt(&cmd_metrics, argc, argv, "", opts)) !=
	       -1) {
		switch (opt) {
		case OPT_OUTPUT:
			if (!optarg[0])
				ctl_usage_error("metrics",
						"--output needs a file name");
			output = optarg;
			break;
		case OPT_TOP:
			top = (size_t)ctl_opt_uint("metrics", "top", optarg, 1,
						   UINT32_MAX);
			break;
		case OPT_ALL_NETNS:
			flags |= TCPSTATE_F_ALL_NETNS;
			break;
		}
	}
	if (optind < argc)
		ctl_usage_error("metrics", "unexpected argument '%.64s'",
				argv[optind]);

	tsm_init(&s);
	ret = gather(&s, flags);
	if (ret)
		goto out;
	if (output) {
		if (tsm_write_file(output, &s, top, err, sizeof(err))) {
			fprintf(stderr, "tcpstatectl: metrics: %s\n", err);
			ret = EXIT_RUNTIME;
		}
	} else {
		errno = 0;
		if (tsm_render(stdout, &s, top) || fflush(stdout)) {
			ctl_stdout_error("metrics", errno);
			ret = EXIT_RUNTIME;
		}
	}
out:
	tsm_free(&s);
	return ret;
}

const struct command cmd_metrics = {
	.name = "metrics",
	.summary = "print Prometheus metrics (node_exporter textfile)",
	.run = metrics_run,
	.usage = metrics_usage,
};
