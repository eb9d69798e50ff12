// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for tcpstatectl's decoding of untrusted bytes: the
 * kernel's replies and events (tools/parse.c, reached the way the tool
 * reaches them: a datagram of netlink messages walked with mnl_cb_run and
 * tsnl_attrs), and what the parsed values flow into (owner and address
 * formatting, JSON strings, the Prometheus renderer, the event-sequence
 * tracker), plus the command line's own parsers (states, prefixes, ports,
 * durations), which see hostile arguments.
 *
 * The first input byte picks the target; the rest is its input. Built and
 * run by tests/fuzz/run.sh with -fsanitize=fuzzer,address,undefined.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "addr.h"
#include "duration.h"
#include "fmt.h"
#include "json.h"
#include "jsonfmt.h"
#include "metrics.h"
#include "nl.h"
#include "owner.h"
#include "parse.h"
#include "seqtrack.h"
#include "states.h"

enum target {
	T_SOCK, T_COUNTS, T_STATS, T_EVENT,	/* a datagram of messages */
	T_ARGS,					/* command-line strings */
	T_MAX
};

static FILE *sink;

/* A string through the JSON writer's escaper. */
static void json_string(const char *s)
{
	struct json_w w;

	json_w_init(&w, sink);
	json_w_str(&w, JSON_ITEM, s);
	json_w_endline(&w);
}

/* Everything a socket's fields can be turned into. */
static void render_sock(const struct ts_sock *sk)
{
	struct ts_json_list l;
	char buf[512], *p;
	unsigned int i;

	ts_format_owner(buf, sizeof(buf), sk);
	fputs(buf, sink);
	ts_json_list_begin(&l, sink, true);	/* list -p --json, owners too */
	ts_json_list_sock(&l, sk);
	ts_json_list_end(&l);
	ts_format_endpoint(buf, sizeof(buf), sk->family, sk->saddr, sk->sport);
	fputs(buf, sink);
	*ts_fmt_duration(buf, sk->age_ms) = '\0';
	fputs(buf, sink);
	p = fmt_endpoint(buf, sk->family, sk->daddr, sk->dport);
	*p = '\0';
	fputs(buf, sink);
	fputs(ts_state_name(sk->state), sink);
	fputs(ts_owner_kind_name(sk->owner_kind), sink);
	for (i = 0; i < sk->nprocs && i < TCPSTATE_MAX_PROCS_PER_SOCK; i++)
		json_string(sk->procs[i].comm);
}

struct walk {
	enum target t;
	struct tsm_snapshot snap;
	struct seqtrack seq;
};

static int on_sock(const struct ts_sock *sk, void *data)
{
	render_sock(sk);
	tsm_add_cw_sock(data, sk);
	return 0;
}

static int on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct walk *w = data;
	const struct nlattr *attrs;
	size_t len;

	attrs = tsnl_attrs(nlh, &len);
	if (!attrs)
		return MNL_CB_OK;
	switch (w->t) {
	case T_SOCK: {
		static struct ts_sock sk;

		/* The tool's own walk of a message, nest or packed records. */
		memset(&sk, 0, sizeof(sk));
		(void)ts_parse_sock_msg(attrs, len, &sk, on_sock, &w->snap);
		break;
	}
	case T_COUNTS: {
		struct ts_counts c;

		memset(&c, 0, sizeof(c));
		if (!ts_parse_counts(attrs, len, &c)) {
			struct ts_counts_ns ns = { .total = c, .groups = &c, .n = 1 };

			ts_json_counts(sink, &ns, 1, c.is_group, 1, false);
			if (c.is_group)
				tsm_add_cw_group(&w->snap, &c);
			else
				tsm_add_states(&w->snap, &c);
		}
		break;
	}
	case T_STATS: {
		struct ts_stats st;

		memset(&st, 0, sizeof(st));
		if (!ts_parse_stats(attrs, len, &st)) {
			ts_json_stats(sink, &st);
			ts_json_version(sink, st.version, st.version);
			tsm_set_stats(&w->snap, &st);
		}
		break;
	}
	case T_EVENT: {
		static struct ts_event ev;

		memset(&ev, 0, sizeof(ev));
		if (!ts_parse_event(attrs, len, &ev)) {
			ts_json_event(sink, &ev);
			render_sock(&ev.sk);
			seqtrack_add(&w->seq, ev.seq);
		}
		break;
	}
	default:
		break;
	}
	return MNL_CB_OK;
}

static void fuzz_datagram(enum target t, const uint8_t *data, size_t size)
{
	struct walk w = { .t = t };
	void *copy;

	/* A copy of exactly @size bytes, so ASan sees any read past it. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return;
	memcpy(copy, data, size);
	tsm_init(&w.snap);
	seqtrack_init(&w.seq, 0);
	/* As tsnl_run() and the events loop: whole messages only. */
	if (tsnl_datagram_ok(copy, size))
		mnl_cb_run(copy, size, 0, 0, on_msg, &w);
	seqtrack_finish(&w.seq, 0);
	tsm_render(sink, &w.snap, 5);
	tsm_free(&w.snap);
	free(copy);
}

/* NUL-separated strings through every command-line parser. */
static void fuzz_args(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), bad[64];
	struct ts_prefix pfx;
	uint32_t mask;
	uint16_t port;
	uint64_t ms;
	char esc[256];

	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	ts_parse_states(s, &mask, bad, sizeof(bad));
	ts_parse_prefix(s, &pfx, bad, sizeof(bad));
	ts_parse_port(s, &port);
	ts_parse_duration(s, &ms);
	tsm_escape_label(esc, sizeof(esc), s);
	json_string(s);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sink) {
		sink = fopen("/dev/null", "w");
		if (!sink)
			abort();
	}
	if (!size)
		return 0;
	switch (data[0] % T_MAX) {
	case T_ARGS:
		fuzz_args(data + 1, size - 1);
		break;
	default:
		fuzz_datagram((enum target)(data[0] % T_MAX), data + 1, size - 1);
	}
	return 0;
}
