// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl counts: sockets per state, computed in the kernel (no
 * per-socket message), optionally grouped by local port, local address or
 * remote address. A TIME_WAIT pile-up toward one server shows up as one
 * remote address holding most of the local port range.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "countsfmt.h"
#include "ctl.h"
#include "jsonfmt.h"
#include "optval.h"
#include "query.h"
#include "request.h"
#include "states.h"
#include "table.h"

static void counts_usage(FILE *out)
{
	fprintf(out,
		"Usage: tcpstatectl counts [--by lport|laddr|raddr|process] [-4|-6]\n"
		"                          [--json]\n"
		"                          [FILTERS] [-H]\n"
		"\n"
		"Count TCP sockets per state in this network namespace. The kernel\n"
		"counts; nothing per socket crosses to user space.\n"
		"\n"
		"  --by KEY             group by lport (local port), laddr (local\n"
		"                       address), raddr (remote address) or process\n"
		"                       (the owning process, pid/comm: a socket held\n"
		"                       by several counts for each; '(closed)' for\n"
		"                       orphans, '(hidden)' for processes whose\n"
		"                       /proc/PID/fd you may not read); groups\n"
		"                       are sorted by their socket count, so\n"
		"                       --by process --state CLOSE_WAIT puts the\n"
		"                       leakiest process first\n"
		"  --pid PID, --comm NAME  only sockets owned by that process\n"
		"  --top N              show only the N largest groups\n"
		"  -4, -6               IPv4 or IPv6 sockets only\n"
		"  --json               {\"netns\": N, \"total\": N, \"states\": {...},\n"
		"                        \"groups\": [{\"key\": K, \"total\": N,\n"
		"                        \"states\": {...}}]}; every state is listed,\n"
		"                       zeros included; with --all-netns, an array of\n"
		"                       such objects, one per namespace\n"
		"  -H, --no-header      no header line\n"
		"  -n, --numeric        accepted for ss users; output is always numeric\n"
		"  Filters of 'list' apply too: --state, --sport, --dport, --port,\n"
		"  --src, --dst, --older-than, --all-netns, --not-state; not those\n"
		"  the kernel cannot express: port lists and ranges, the other\n"
		"  negations.\n"
		"\n"
		"IPv4-mapped IPv6 addresses are grouped with their IPv4 address.\n"
		"Needs no privilege, like ss.\n");
}

struct counts_ctx {
	uint8_t by;
	struct ts_counts_ns *ns;
	size_t n_ns, cap_ns;
	int err;
};

static int counts_cb(const struct ts_counts *c, void *data)
{
	struct counts_ctx *x = data;
	struct ts_counts_ns *ns;

	if (!c->is_group) {
		if (x->n_ns == x->cap_ns) {
			size_t cap = x->cap_ns ? x->cap_ns * 2 : 4;
			void *p = realloc(x->ns, cap * sizeof(*x->ns));

			if (!p)
				return -ENOMEM;
			x->ns = p;
			x->cap_ns = cap;
		}
		ns = &x->ns[x->n_ns++];
		memset(ns, 0, sizeof(*ns));
		ns->total = *c;
		return 0;
	}
	if (!x->n_ns)
		return -EPROTO;	/* a group before its totals */
	ns = &x->ns[x->n_ns - 1];
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;
		void *p = realloc(ns->groups, cap * sizeof(*ns->groups));

		if (!p)
			return -ENOMEM;
		ns->groups = p;
		ns->cap = cap;
	}
	ns->groups[ns->n++] = *c;
	return 0;
}

static int by_total_desc(const void *a, const void *b)
{
	const struct ts_counts *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return memcmp(x, y, sizeof(*x)) < 0 ? -1 : 1;
}

/* Every state, or with --state only the states asked for. */
static void print_plain(const struct ts_counts_ns *ns, uint32_t mask, bool header)
{
	static const char *const headers[] = { "State", "Count" };
	char num[16];
	const char *cells[2];
	struct table *t = table_new(2, headers, "lr");
	unsigned int s;

	if (!t)
		return;
	for (s = 1; s <= TCPSTATE_STATE_MAX; s++) {
		if (mask && !(mask & TS_STATE_BIT(s)))
			continue;
		snprintf(num, sizeof(num), "%u", ns->total.states[s]);
		cells[0] = ts_state_name(s);
		cells[1] = num;
		table_add(t, cells);
	}
	snprintf(num, sizeof(num), "%u", ns->total.total);
	cells[0] = "Total";
	cells[1] = num;
	table_add(t, cells);
	table_print(t, stdout, header);
	table_free(t);
}

static const char *const key_header[] = {
	[TCPSTATE_GROUP_LPORT] = "Local Port",
	[TCPSTATE_GROUP_LADDR] = "Local Address",
	[TCPSTATE_GROUP_RADDR] = "Remote Address",
	[TCPSTATE_GROUP_PROCESS] = "Process",
};

static void print_groups(const struct ts_counts_ns *ns, uint8_t by, size_t top,
			 bool header)
{
	const char *headers[TCPSTATE_STATE_MAX + 2], *cells[TCPSTATE_STATE_MAX + 2];
	char nums[TCPSTATE_STATE_MAX + 2][16], key[TS_COUNTS_KEYLEN];
	char align[TCPSTATE_STATE_MAX + 3];
	unsigned int cols[TCPSTATE_STATE_MAX + 1], s;
	int ncol = 0, i;
	struct table *t;
	size_t g;

	/* One column per state that occurs, after the key and the total. */
	headers[ncol] = key_header[by];
	align[ncol++] = 'l';
	headers[ncol] = "Total";
	align[ncol++] = 'r';
	for (s = 1; s <= TCPSTATE_STATE_MAX; s++) {
		if (!ns->total.states[s])
			continue;
		cols[ncol - 2] = s;
		headers[ncol] = ts_state_name(s);
		align[ncol++] = 'r';
	}
	align[ncol] = '\0';
	t = table_new(ncol, headers, align);
	if (!t)
		return;
	for (g = 0; g < ns->n && g < top; g++) {
		const struct ts_counts *c = &ns->groups[g];

		ts_counts_group_key(key, sizeof(key), c);
		cells[0] = key;
		snprintf(nums[1], sizeof(nums[1]), "%u", c->total);
		cells[1] = nums[1];
		for (i = 2; i < ncol; i++) {
			snprintf(nums[i], sizeof(nums[i]), "%u",
				 c->states[cols[i - 2]]);
			cells[i] = nums[i];
		}
		table_add(t, cells);
	}
	table_print(t, stdout, header);
	if (ns->n > top)
		printf("(%zu more groups)\n", ns->n - top);
	table_free(t);
}

/* Size of the local port range, or 0 if it cannot be read. */
static unsigned int local_port_range(void)
{
	unsigned int lo, hi;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%u %u", &lo, &hi);
	fclose(f);
	return n == 2 && hi >= lo ? hi - lo + 1 : 0;
}

/*
 * The diagnosis a TIME_WAIT pile-up needs: toward which peer it eats the
 * local port range, where new connect()s fail with EADDRNOTAVAIL.
 */
static void warn_port_exhaustion(const struct ts_counts_ns *ns)
{
	unsigned int range = local_port_range();
	char key[TS_ADDRSTRLEN];
	size_t g;

	if (!range)
		return;
	for (g = 0; g < ns->n; g++) {
		const struct ts_counts *c = &ns->groups[g];
		uint32_t tw = c->states[TCPSTATE_TIME_WAIT];

		if (!c->has_addr || tw * 2 < range)
			continue;
		ts_format_addr(key, sizeof(key), c->family, c->addr);
		/* On stderr: the table on stdout stays a table. */
		fprintf(stderr,
			"tcpstatectl: counts: warning: %u TIME_WAIT sockets toward %s use %u%% of the "
			"local port range (%u ports): new connections to it may "
			"fail with EADDRNOTAVAIL\n",
			tw, key, tw * 100 / range, range);
	}
}

static int parse_by(const char *arg)
{
	if (!strcmp(arg, "lport"))
		return TCPSTATE_GROUP_LPORT;
	if (!strcmp(arg, "laddr"))
		return TCPSTATE_GROUP_LADDR;
	if (!strcmp(arg, "raddr"))
		return TCPSTATE_GROUP_RADDR;
	if (!strcmp(arg, "process"))
		return TCPSTATE_GROUP_PROCESS;
	ctl_usage_error("counts",
			"--by: unknown key '%.32s' (lport, laddr, raddr or process)",
			arg);
}

static int counts_run(int argc, char **argv)
{
	static const struct option opts[] = {
		TS_FILTER_LONGOPTS,
		{ "by", required_argument, NULL, OPT_BY },
		{ "top", required_argument, NULL, OPT_TOP },
		TS_OWNER_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "no-header", no_argument, NULL, 'H' },
		{ "numeric", no_argument, NULL, 'n' },
		CTL_HELP_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	struct ts_request req = { 0 };
	struct counts_ctx x = { 0 };
	bool json = false, header = true;
	size_t top = (size_t)-1, i;
	struct tsnl nl;
	int opt, ret;

	while ((opt = ctl_getopt(&cmd_counts, argc, argv, "46Hn", opts)) !=
	       -1) {
		if (ts_request_option(&req, opt, optarg, "counts") ||
		    ts_owner_option(&req, opt, optarg, "counts"))
			continue;
		switch (opt) {
		case OPT_BY:
			req.group_by = (uint8_t)parse_by(optarg);
			break;
		case OPT_TOP:
			top = (size_t)ctl_opt_uint("counts", "top", optarg, 1,
						   UINT32_MAX);
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'H':
			header = false;
			break;
		case 'n':
			break;	/* ss's "numeric": output always is */
		}
	}
	if (optind < argc)
		ctl_usage_error("counts", "unexpected argument '%.64s'",
				argv[optind]);
	ts_request_check(&req, "counts", true);
	if (top != (size_t)-1 && !req.group_by)
		ctl_usage_error("counts", "--top needs --by");
	x.by = req.group_by;

	if (ctl_open(&nl))
		return EXIT_RUNTIME;
	ret = ctl_dump_counts(&nl, &req, counts_cb, &x);
	tsnl_close(&nl);
	if (ret) {
		tsnl_perror(&nl, "cannot count sockets", ret);
		ret = EXIT_RUNTIME;
		goto out;
	}
	for (i = 0; i < x.n_ns; i++)
		qsort(x.ns[i].groups, x.ns[i].n, sizeof(*x.ns[i].groups),
		      by_total_desc);
	if (json) {
		ts_json_counts(stdout, x.ns, x.n_ns, x.by, top,
			       req.flags & TCPSTATE_F_ALL_NETNS);
	} else {
		for (i = 0; i < x.n_ns; i++) {
			if (x.n_ns > 1 || (req.flags & TCPSTATE_F_ALL_NETNS))
				printf("%snetns %u\n", i ? "\n" : "",
				       x.ns[i].total.netns);
			if (x.by) {
				print_groups(&x.ns[i], x.by, top, header);
				if (x.by == TCPSTATE_GROUP_RADDR)
					warn_port_exhaustion(&x.ns[i]);
			} else {
				print_plain(&x.ns[i], req.state_mask, header);
			}
		}
	}
	ret = EXIT_OK;
out:
	for (i = 0; i < x.n_ns; i++)
		free(x.ns[i].groups);
	free(x.ns);
	return ret;
}

const struct command cmd_counts = {
	.name = "counts",
	.summary = "count sockets per state, optionally grouped",
	.run = counts_run,
	.usage = counts_usage,
};
