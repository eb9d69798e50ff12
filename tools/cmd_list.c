// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl list: the sockets of this network namespace that match the
 * filters, with how long each has been in its state.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "ctl.h"
#include "duration.h"
#include "fmt.h"
#include "jsonfmt.h"
#include "owner.h"
#include "query.h"
#include "request.h"
#include "sort.h"
#include "states.h"
#include "table.h"

enum format { FMT_TABLE, FMT_JSON, FMT_TSV };

static void list_usage(FILE *out)
{
	fprintf(out,
		"Usage: tcpstatectl list [OPTIONS]\n"
		"\n"
		"List TCP sockets of this network namespace (listening, connected,\n"
		"TIME_WAIT and request sockets, IPv4 and IPv6), with the time each\n"
		"has spent in its current state. Filters run in the kernel, except\n"
		"port lists and ranges and negations, finished after the dump.\n"
		"\n"
		"Filters:\n"
		"  --state S[,S...]     states or groups, e.g. CLOSE_WAIT, close-wait,\n"
		"                       estab, time-wait, connected, bucket, big, all;\n"
		"                       repeated, they add up\n"
		"  --sport P[,P...]     local port P; a P may be a range, 8000-8100\n"
		"  --dport P[,P...]     remote port P\n"
		"  --port P[,P...]      local or remote port P\n"
		"  --src A[/LEN]        local address in prefix (IPv4 also matches\n"
		"                       IPv4-mapped IPv6)\n"
		"  --dst A[/LEN]        remote address in prefix\n"
		"  -4, -6               IPv4 or IPv6 sockets only\n"
		"  --older-than D       in its state for at least D (90s, 5m, 1h30m)\n"
		"  --all-netns          every network namespace (CAP_NET_ADMIN in the\n"
		"                       initial namespace)\n"
		"  --pid PID            sockets owned by process PID (implies -p)\n"
		"  --comm NAME          sockets owned by a process named NAME\n"
		"                       (implies -p)\n"
		"  --not-state, --not-sport, --not-dport, --not-port, --not-src,\n"
		"  --not-dst, --not-pid, --not-comm\n"
		"                       the negation of each filter: sockets that do\n"
		"                       not match it (--not-pid and --not-comm imply\n"
		"                       -p); repeated, filters of one kind add up\n"
		"Output:\n"
		"  -p, --processes      add the owning processes: pid/comm of each\n"
		"                       process holding an fd (threads count once);\n"
		"                       [unaccepted] for sockets still in a listener's\n"
		"                       accept queue (the listener's owners);\n"
		"                       (hidden) for processes whose /proc/PID/fd you\n"
		"                       may not read (ptrace rule, as for ss -p)\n"
		"  --json               one JSON array of socket objects\n"
		"  --tsv                tab-separated, one socket per line:\n"
		"                       state recv_q send_q local_addr local_port\n"
		"                       remote_addr remote_port uid inode age_ms\n"
		"                       age_is_lower_bound netns family\n"
		"                       (with -p, a last column: processes)\n"
		"  -H, --no-header      no header line (table and TSV)\n"
		"  -n, --numeric        accepted for ss users; output is always numeric\n"
		"  --sort KEY           after the dump, in every output format, by\n"
		"                       age (oldest first), state, local, remote\n"
		"                       (address, then port; IPv4 first), recv-q or\n"
		"                       send-q (largest first), process (first\n"
		"                       owner's name, then pid; implies -p)\n"
		"  -r, --reverse        the other way round (--sort age -r: newest\n"
		"                       first)\n"
		"  -W, --wide           on a terminal, do not cut the Process column\n"
		"                       to the terminal's width (cut cells end in\n"
		"                       '" TABLE_CUT_MARK "'); output to a pipe or file is never cut\n"
		"\n"
		"The Age column is the time in the current state; '>' marks a lower\n"
		"bound (the socket is older than the module's records). Listeners\n"
		"show their accept queue length and backlog as Recv-Q and Send-Q.\n"
		"Needs no privilege, like ss.\n");
}

struct list_ctx {
	enum format fmt;
	bool header;
	bool procs;
	bool wide;
	struct table *table;
	struct ts_json_list json;
	const struct ts_request *req;
	bool tool_filter;	/* ts_request_match() has work to do */
	enum ts_sort_key sort;
	bool reverse;
	struct ts_sock **kept;	/* with --sort: the sockets, to sort */
	size_t nkept, capkept;
};

static const char *family_name(uint8_t family)
{
	return family == AF_INET6 ? "inet6" : "inet";
}

static char *tab(char *p)
{
	*p++ = '\t';
	return p;
}

static void print_tsv(const struct ts_sock *sk, const struct list_ctx *c)
{
	const char *st = ts_state_name(sk->state), *fam = family_name(sk->family);
	char line[512], *p = line;
	size_t n = strlen(st);

	memcpy(p, st, n);
	p = tab(p + n);
	p = tab(fmt_u64(p, sk->recv_q));
	p = tab(fmt_u64(p, sk->send_q));
	p = tab(fmt_addr(p, sk->family, sk->saddr));
	p = tab(fmt_u64(p, sk->sport));
	p = tab(fmt_addr(p, sk->family, sk->daddr));
	p = tab(fmt_u64(p, sk->dport));
	p = tab(fmt_u64(p, sk->uid));
	p = tab(fmt_u64(p, sk->inode));
	p = tab(fmt_u64(p, sk->age_ms));
	*p++ = sk->age_flags & TCPSTATE_AGE_F_LOWER_BOUND ? '1' : '0';
	p = tab(p);
	p = tab(fmt_u64(p, sk->netns));
	n = strlen(fam);
	memcpy(p, fam, n);
	p += n;
	if (c->procs) {
		*p++ = '\t';
		ts_format_owner(p, 200, sk);
		p += strlen(p);
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), stdout);
}

static const char *const table_headers[] = {
	"State", "Recv-Q", "Send-Q", "Local Address:Port",
	"Peer Address:Port", "Age", "UID", "Inode", "Process",
};

/* Longest row add_row() writes: the Process cell is bounded to 200. */
#define ROW_MAX 512

/* Formatted in place into the table's text: no per-cell copy or strlen. */
static int add_row(const struct ts_sock *sk, struct list_ctx *c)
{
	char *ends[9], *p = table_row_space(c->table, ROW_MAX);
	const char *st;
	size_t n;

	if (!p)
		return -ENOMEM;
	st = ts_state_name(sk->state);
	n = strlen(st);
	memcpy(p, st, n);
	ends[0] = p += n;
	ends[1] = p = fmt_u64(p, sk->recv_q);
	ends[2] = p = fmt_u64(p, sk->send_q);
	ends[3] = p = fmt_endpoint(p, sk->family, sk->saddr, sk->sport);
	ends[4] = p = fmt_endpoint(p, sk->family, sk->daddr, sk->dport);
	if (sk->age_flags & TCPSTATE_AGE_F_LOWER_BOUND)
		*p++ = '>';
	ends[5] = p = ts_fmt_duration(p, sk->age_ms);
	ends[6] = p = fmt_u64(p, sk->uid);
	ends[7] = p = fmt_u64(p, sk->inode);
	if (c->procs)
		ends[8] = p += ts_format_owner(p, 200, sk);
	return table_row_commit(c->table, ends);
}

static int emit(const struct ts_sock *sk, struct list_ctx *c)
{
	int ret = 0;

	switch (c->fmt) {
	case FMT_JSON:
		ts_json_list_sock(&c->json, sk);
		break;
	case FMT_TSV:
		print_tsv(sk, c);
		break;
	case FMT_TABLE:
		ret = add_row(sk, c);
		break;
	}
	return ret;
}

/* A copy of @sk without the unused part of its owner array. */
static int keep(const struct ts_sock *sk, struct list_ctx *c)
{
	size_t nprocs = sk->nprocs < TCPSTATE_MAX_PROCS_PER_SOCK ?
			sk->nprocs : TCPSTATE_MAX_PROCS_PER_SOCK;
	size_t size = offsetof(struct ts_sock, procs) +
		      nprocs * sizeof(sk->procs[0]);
	struct ts_sock *copy;

	if (c->nkept == c->capkept) {
		size_t cap = c->capkept ? c->capkept * 2 : 1024;
		void *p = realloc(c->kept, cap * sizeof(*c->kept));

		if (!p)
			return -ENOMEM;
		c->kept = p;
		c->capkept = cap;
	}
	copy = malloc(size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, sk, size);
	c->kept[c->nkept++] = copy;
	return 0;
}

static int sock_cb(const struct ts_sock *sk, void *data)
{
	struct list_ctx *c = data;

	if (c->tool_filter && !ts_request_match(c->req, sk))
		return 0;
	return c->sort ? keep(sk, c) : emit(sk, c);
}

/* --sort: the kept sockets, sorted, through the usual output. */
static int emit_sorted(struct list_ctx *c)
{
	size_t i;
	int ret = 0;

	ts_sort_socks(c->kept, c->nkept, c->sort, c->reverse);
	for (i = 0; i < c->nkept && !ret; i++)
		ret = emit(c->kept[i], c);
	return ret;
}

static void free_kept(struct list_ctx *c)
{
	size_t i;

	for (i = 0; i < c->nkept; i++)
		free(c->kept[i]);
	free(c->kept);
}

static int list_run(int argc, char **argv)
{
	static const struct option opts[] = {
		TS_FILTER_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "tsv", no_argument, NULL, OPT_TSV },
		{ "no-header", no_argument, NULL, 'H' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "processes", no_argument, NULL, 'p' },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "reverse", no_argument, NULL, 'r' },
		{ "wide", no_argument, NULL, 'W' },
		TS_OWNER_LONGOPTS,
		CTL_HELP_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	struct ts_request req = { 0 };
	struct list_ctx c = { .fmt = FMT_TABLE, .header = true };
	struct tsnl nl;
	int opt, ret;

	while ((opt = ctl_getopt(&cmd_list, argc, argv, "46HnprW", opts)) !=
	       -1) {
		if (ts_request_option(&req, opt, optarg, "list") ||
		    ts_owner_option(&req, opt, optarg, "list"))
			continue;
		switch (opt) {
		case OPT_JSON:
		case OPT_TSV:
			if (c.fmt != FMT_TABLE)
				ctl_usage_error("list",
						"--json and --tsv exclude each other");
			c.fmt = opt == OPT_JSON ? FMT_JSON : FMT_TSV;
			break;
		case 'H':
			c.header = false;
			break;
		case 'n':
			break;	/* ss's "numeric": output always is */
		case 'p':
			req.flags |= TCPSTATE_F_PROCESSES;
			break;
		case OPT_SORT:
			c.sort = ts_sort_key(optarg);
			if (!c.sort)
				ctl_usage_error("list",
						"--sort: '%.32s' is not a sort key (%s)",
						optarg, TS_SORT_KEYS);
			/* The owners are what it sorts on. */
			if (c.sort == TS_SORT_PROCESS)
				req.flags |= TCPSTATE_F_PROCESSES;
			break;
		case 'r':
			c.reverse = true;
			break;
		case 'W':
			c.wide = true;
			break;
		}
	}
	if (optind < argc)
		ctl_usage_error("list", "unexpected argument '%.64s'",
				argv[optind]);
	if (c.reverse && !c.sort)
		ctl_usage_error("list", "-r/--reverse needs --sort");

	ts_request_check(&req, "list", false);
	c.req = &req;
	c.tool_filter = ts_request_tool_only(&req) != NULL;
	c.procs = req.flags & TCPSTATE_F_PROCESSES;
	if (ctl_open(&nl))
		return EXIT_RUNTIME;
	if (c.fmt == FMT_TABLE) {
		c.table = table_new(c.procs ? 9 : 8, table_headers,
				    "lrrllrrrl");
		if (!c.table) {
			tsnl_close(&nl);
			fprintf(stderr, "tcpstatectl: out of memory\n");
			return EXIT_RUNTIME;
		}
		/* A person reads one line per socket; a pipe gets it all. */
		if (!c.wide)
			table_set_max_width(c.table, ctl_term_width());
	}
	if (c.fmt == FMT_JSON)
		ts_json_list_begin(&c.json, stdout, c.procs);
	if (c.fmt == FMT_TSV && c.header)
		printf("state\trecv_q\tsend_q\tlocal_addr\tlocal_port\t"
		       "remote_addr\tremote_port\tuid\tinode\tage_ms\t"
		       "age_is_lower_bound\tnetns\tfamily%s\n",
		       c.procs ? "\tprocesses" : "");
	ret = ctl_dump_socks(&nl, &req, sock_cb, &c);
	if (!ret && c.sort)
		ret = emit_sorted(&c);
	free_kept(&c);
	tsnl_close(&nl);
	if (c.fmt == FMT_JSON)
		ts_json_list_end(&c.json);
	if (c.fmt == FMT_TABLE) {
		if (!ret)
			table_print(c.table, stdout, c.header);
		table_free(c.table);
	}
	if (ret) {
		tsnl_perror(&nl, "cannot list sockets", ret);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

const struct command cmd_list = {
	.name = "list",
	.summary = "list sockets, with age in state",
	.run = list_run,
	.usage = list_usage,
};
