// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl list: the sockets of this network namespace that match the
 * filters, with how long each has been in its state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "ctl.h"
#include "duration.h"
#include "json.h"
#include "query.h"
#include "request.h"
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
		"has spent in its current state. All filters run in the kernel.\n"
		"\n"
		"Filters:\n"
		"  --state S[,S...]     states or groups, e.g. CLOSE_WAIT, close-wait,\n"
		"                       estab, time-wait, connected, bucket, big, all\n"
		"  --sport P            local port P\n"
		"  --dport P            remote port P\n"
		"  --port P             local or remote port P\n"
		"  --src A[/LEN]        local address in prefix (IPv4 also matches\n"
		"                       IPv4-mapped IPv6)\n"
		"  --dst A[/LEN]        remote address in prefix\n"
		"  -4, -6               IPv4 or IPv6 sockets only\n"
		"  --older-than D       in its state for at least D (90s, 5m, 1h30m)\n"
		"  --all-netns          every network namespace (CAP_NET_ADMIN in the\n"
		"                       initial namespace)\n"
		"Output:\n"
		"  --json               one JSON array of socket objects\n"
		"  --tsv                tab-separated, one socket per line:\n"
		"                       state recv_q send_q local_addr local_port\n"
		"                       remote_addr remote_port uid inode age_ms\n"
		"                       age_is_lower_bound netns family\n"
		"  -n, --no-header      no header line (table and TSV)\n"
		"\n"
		"The Age column is the time in the current state; '>' marks a lower\n"
		"bound (the socket is older than the module's records). Listeners\n"
		"show their accept queue length and backlog as Recv-Q and Send-Q.\n"
		"Needs no privilege, like ss.\n");
}

struct list_ctx {
	enum format fmt;
	bool header;
	unsigned long n;
	struct table *table;
};

static const char *family_name(uint8_t family)
{
	return family == AF_INET6 ? "inet6" : "inet";
}

static void print_json(const struct ts_sock *sk, struct list_ctx *c)
{
	char laddr[TS_ADDRSTRLEN], raddr[TS_ADDRSTRLEN];

	ts_format_addr(laddr, sizeof(laddr), sk->family, sk->saddr);
	ts_format_addr(raddr, sizeof(raddr), sk->family, sk->daddr);
	printf("%s\n  {\"family\": \"%s\", \"state\": \"%s\", "
	       "\"local_addr\": \"%s\", \"local_port\": %u, "
	       "\"remote_addr\": \"%s\", \"remote_port\": %u, "
	       "\"recv_q\": %u, \"send_q\": %u, \"uid\": %u, "
	       "\"inode\": %llu, \"age_ms\": %llu, "
	       "\"age_is_lower_bound\": %s, \"netns\": %u",
	       c->n ? "," : "", family_name(sk->family),
	       ts_state_name(sk->state), laddr, sk->sport, raddr, sk->dport,
	       sk->recv_q, sk->send_q, sk->uid,
	       (unsigned long long)sk->inode, (unsigned long long)sk->age_ms,
	       sk->age_flags & TCPSTATE_AGE_F_LOWER_BOUND ? "true" : "false",
	       sk->netns);
	if (sk->has_acceptq)
		printf(", \"accept_queue\": %u, \"accept_backlog\": %u",
		       sk->acceptq_len, sk->acceptq_max);
	putchar('}');
}

static void print_tsv(const struct ts_sock *sk)
{
	char laddr[TS_ADDRSTRLEN], raddr[TS_ADDRSTRLEN];

	ts_format_addr(laddr, sizeof(laddr), sk->family, sk->saddr);
	ts_format_addr(raddr, sizeof(raddr), sk->family, sk->daddr);
	printf("%s\t%u\t%u\t%s\t%u\t%s\t%u\t%u\t%llu\t%llu\t%d\t%u\t%s\n",
	       ts_state_name(sk->state), sk->recv_q, sk->send_q, laddr,
	       sk->sport, raddr, sk->dport, sk->uid,
	       (unsigned long long)sk->inode, (unsigned long long)sk->age_ms,
	       !!(sk->age_flags & TCPSTATE_AGE_F_LOWER_BOUND), sk->netns,
	       family_name(sk->family));
}

static const char *const table_headers[] = {
	"State", "Recv-Q", "Send-Q", "Local Address:Port",
	"Peer Address:Port", "Age", "UID", "Inode",
};

static int add_row(const struct ts_sock *sk, struct list_ctx *c)
{
	char rq[16], wq[16], local[TS_ADDRSTRLEN], peer[TS_ADDRSTRLEN];
	char age[32], dur[24], uid[16], ino[24];
	const char *cells[8];

	snprintf(rq, sizeof(rq), "%u", sk->recv_q);
	snprintf(wq, sizeof(wq), "%u", sk->send_q);
	ts_format_endpoint(local, sizeof(local), sk->family, sk->saddr,
			   sk->sport);
	ts_format_endpoint(peer, sizeof(peer), sk->family, sk->daddr,
			   sk->dport);
	ts_format_duration(dur, sizeof(dur), sk->age_ms);
	snprintf(age, sizeof(age), "%s%s",
		 sk->age_flags & TCPSTATE_AGE_F_LOWER_BOUND ? ">" : "", dur);
	snprintf(uid, sizeof(uid), "%u", sk->uid);
	snprintf(ino, sizeof(ino), "%llu", (unsigned long long)sk->inode);
	cells[0] = ts_state_name(sk->state);
	cells[1] = rq;
	cells[2] = wq;
	cells[3] = local;
	cells[4] = peer;
	cells[5] = age;
	cells[6] = uid;
	cells[7] = ino;
	return table_add(c->table, cells);
}

static int sock_cb(const struct ts_sock *sk, void *data)
{
	struct list_ctx *c = data;
	int ret = 0;

	switch (c->fmt) {
	case FMT_JSON:
		print_json(sk, c);
		break;
	case FMT_TSV:
		print_tsv(sk);
		break;
	case FMT_TABLE:
		ret = add_row(sk, c);
		break;
	}
	c->n++;
	return ret;
}

static int list_run(int argc, char **argv)
{
	static const struct option opts[] = {
		TS_FILTER_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "tsv", no_argument, NULL, OPT_TSV },
		{ "no-header", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct ts_request req = { 0 };
	struct list_ctx c = { .fmt = FMT_TABLE, .header = true };
	struct tsnl nl;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "46n", opts, NULL)) != -1) {
		if (ts_request_option(&req, opt, optarg, "list"))
			continue;
		switch (opt) {
		case OPT_JSON:
		case OPT_TSV:
			if (c.fmt != FMT_TABLE)
				ctl_usage_error("list",
						"--json and --tsv exclude each other");
			c.fmt = opt == OPT_JSON ? FMT_JSON : FMT_TSV;
			break;
		case 'n':
			c.header = false;
			break;
		default:
			ctl_usage_error("list", "bad option");
		}
	}
	if (optind < argc)
		ctl_usage_error("list", "unexpected argument '%.64s'",
				argv[optind]);

	if (ctl_open(&nl))
		return EXIT_RUNTIME;
	if (c.fmt == FMT_TABLE) {
		c.table = table_new(8, table_headers, "lrrllrrr");
		if (!c.table) {
			tsnl_close(&nl);
			fprintf(stderr, "tcpstatectl: out of memory\n");
			return EXIT_RUNTIME;
		}
	}
	if (c.fmt == FMT_JSON)
		putchar('[');
	if (c.fmt == FMT_TSV && c.header)
		printf("state\trecv_q\tsend_q\tlocal_addr\tlocal_port\t"
		       "remote_addr\tremote_port\tuid\tinode\tage_ms\t"
		       "age_is_lower_bound\tnetns\tfamily\n");
	ret = ctl_dump_socks(&nl, &req, sock_cb, &c);
	tsnl_close(&nl);
	if (c.fmt == FMT_JSON)
		printf("%s]\n", c.n ? "\n" : "");
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
