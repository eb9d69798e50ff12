// SPDX-License-Identifier: GPL-2.0 OR MIT
/* tcpstatectl stats: the module's counters for this network namespace. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "jsonfmt.h"
#include "query.h"
#include "request.h"
#include "states.h"

static void stats_usage(FILE *out)
{
	fprintf(out,
		"Usage: tcpstatectl stats [--json]\n"
		"\n"
		"The module's counters for this network namespace: close-time\n"
		"events per type (seen; delivered to subscribers; dropped because a\n"
		"message could not be built or a subscriber's buffer was full;\n"
		"unheard because nobody was subscribed), the module's own tally of\n"
		"the kernel's TCPAbortOnClose, the last event sequence number, and\n"
		"(module-wide) the age-tracking tables and live object count: those\n"
		"only in the initial network namespace or with CAP_NET_ADMIN.\n"
		"Needs no privilege.\n");
}

static void print_text(const struct ts_stats *st)
{
	unsigned int t, i;

	printf("module %s, netns %u\ncapabilities:", st->version, st->netns);
	for (i = 0; i < ts_n_cap_names; i++)
		if (st->caps & ts_cap_names[i].bit)
			printf(" %s", ts_cap_names[i].name);
	printf("\n");
	if (st->caps & TCPSTATE_CAP_EV_OFF_UNRESTRICTED)
		printf("events: off: this kernel cannot restrict them to CAP_NET_ADMIN\n"
		       "  (no GENL_MCAST_CAP_NET_ADMIN), so the module offers none rather\n"
		       "  than show every local user everyone's connections\n");
	printf("\n%-14s %12s %12s %12s %12s\n", "event", "seen",
	       "delivered", "dropped", "unheard");
	for (t = 1; t <= TCPSTATE_EV_MAX; t++)
		printf("%-14s %12llu %12llu %12llu %12llu\n", ts_event_type_name(t),
		       (unsigned long long)st->ev[t].seen,
		       (unsigned long long)st->ev[t].delivered,
		       (unsigned long long)st->ev[t].dropped,
		       (unsigned long long)st->ev[t].unheard);
	printf("\nlast event sequence number   %llu\n"
	       "TCPAbortOnClose (module)     %llu\n",
	       (unsigned long long)st->event_seq,
	       (unsigned long long)st->abort_on_close);
	if (st->host_wide_absent)
		printf("host-wide figures            - (initial namespace or "
		       "CAP_NET_ADMIN only)\n");
	else
		printf("state changes seen           %llu\n"
		       "sockets with entry times     %llu of %llu\n"
		       "entry times not recorded     %llu\n"
		       "TIME_WAIT entry records      %llu\n"
		       "module objects allocated     %llu\n",
		       (unsigned long long)st->transitions,
		       (unsigned long long)st->track_entries,
		       (unsigned long long)st->track_capacity,
		       (unsigned long long)st->track_full,
		       (unsigned long long)st->tw_records,
		       (unsigned long long)st->objects);
	if (st->has_user_dumps)
		printf("your dumps in flight         %u, holding %llu KiB\n",
		       st->user_dumps,
		       (unsigned long long)(st->user_dump_bytes + 1023) / 1024);
}

static int stats_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		CTL_HELP_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	struct ts_stats st;
	struct tsnl nl;
	bool json = false;

	while (ctl_getopt(&cmd_stats, argc, argv, "", opts) == OPT_JSON)
		json = true;
	if (optind < argc)
		ctl_usage_error("stats", "unexpected argument '%.64s'",
				argv[optind]);
	if (ctl_open_stats(&nl, &st, "cannot read the counters"))
		return EXIT_RUNTIME;
	tsnl_close(&nl);
	if (json)
		ts_json_stats(stdout, &st);
	else
		print_text(&st);
	return EXIT_OK;
}

const struct command cmd_stats = {
	.name = "stats",
	.summary = "show the module's counters",
	.run = stats_run,
	.usage = stats_usage,
};
