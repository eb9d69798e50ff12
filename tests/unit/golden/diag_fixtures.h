/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Fixed findings for the golden tests of diagnose's report: the text
 * (diag_print_text) and the JSON document of one namespace and of several
 * (--all-netns), on findings of every rule and every kind of evidence,
 * with hostile process names and reasons, IPv4 and IPv6 culprits, lists
 * cut short, below and above --min-severity. The findings are given, not
 * made by the rules: these test the printing only.
 * tests/unit/test_diag_golden.c prints them with today's printers;
 * tests/unit/golden/diag-gen.sh prints them with a given commit's, to make
 * diag_expected.h.
 */
#ifndef TCPSTATE_DIAG_FIXTURES_H
#define TCPSTATE_DIAG_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../../../tools/diag_report.h"
#include "../../../tools/diag_rules.h"

#define DG_MAX_NS 3

enum dg_kind { DG_JSON, DG_TEXT };

/* One report: what diagnose would print for these results. */
struct dg_doc {
	const char *name;
	enum dg_kind kind;
	struct diag_report ns[DG_MAX_NS];
	size_t n_ns;
	bool array;		/* JSON: --all-netns, the objects in an array */
	size_t width;		/* text: columns (0: the printer's default) */
};

#define DG_U64(k, l, v, un) { .key = k, .label = l, .unit = un, .type = DIAG_EV_U64, .u = v }
#define DG_I64(k, l, v) { .key = k, .label = l, .type = DIAG_EV_I64, .i = v }
#define DG_MS(k, l, v) { .key = k, .label = l, .type = DIAG_EV_MS, .u = v }
#define DG_BOOL(k, l, v) { .key = k, .label = l, .type = DIAG_EV_BOOL, .b = v }

static const char dg_explanation[] =
	"The peer closed its side (FIN): TCP moved the socket to CLOSE_WAIT "
	"and waits for the application to close() it too. Until it does, the "
	"socket keeps its file descriptor, its buffers and its port.";

static struct diag_finding dg_findings[] = {
	{ .rule = DIAG_R_CLOSE_WAIT_LEAK, .severity = DIAG_CRITICAL,
	  .summary = "1234/nginx holds 40 CLOSE_WAIT sockets, +10 during the interval; the oldest is at least 1h02m old",
	  .explanation = dg_explanation,
	  .advice = "Fix the code of 1234/nginx that handles a peer's close: when read() returns 0, close() the socket. The sockets: tcpstatectl list -p --state close-wait --pid 1234",
	  .has_process = true, .process = { 1234, "nginx" },
	  .evidence = {
		DG_U64("close_wait", "CLOSE_WAIT sockets", 40, NULL),
		DG_U64("stuck", "older than the threshold", 38, NULL),
		DG_U64("close_wait_start", "at the start", 30, NULL),
		DG_I64("growth", "growth over the interval", 10),
		DG_MS("oldest_age_ms", "oldest", 3723000),
		DG_BOOL("age_is_lower_bound", "oldest age is a lower bound", true),
		{ .key = "local_ports", .label = "local ports",
		  .type = DIAG_EV_U64S, .n = 3, .total = 3,
		  .list = { 80, 443, 65535 } },
		DG_I64("fds_open", "open file descriptors", 1000),
		DG_I64("fd_limit", "RLIMIT_NOFILE (soft)", 1024),
		DG_U64("seconds_to_emfile", "EMFILE at this rate in", 12, "s"),
	  } },
	{ .rule = DIAG_R_ACCEPT_QUEUE_STALL, .severity = DIAG_CRITICAL,
	  .summary = "The listener [2001:db8::1]:8080 of 7/a\"b\\c has a full accept queue (129 of 128), full at the start too",
	  .explanation = "Connections the kernel completed wait in the accept queue until the application calls accept().",
	  .advice = "Make 7/a\"b\\c accept faster.",
	  .has_process = true, .process = { 7, "a\"b\\c\n\t\x01\x7f" },
	  .has_listener = true, .lfamily = AF_INET6,
	  .laddr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, .lport = 8080,
	  .evidence = {
		DG_U64("accept_queue", "queued connections", 129, NULL),
		DG_U64("effective_backlog", "backlog the kernel keeps", 128, NULL),
		DG_I64("somaxconn", "net.core.somaxconn", 4096),
		DG_BOOL("backlog_capped", "backlog capped by somaxconn", false),
		DG_BOOL("full", "full", true),
		DG_BOOL("full_at_start", "full at the start", true),
		DG_U64("closed_in_queue", "closed by the peer before accept()", 0, NULL),
		DG_MS("oldest_queued_ms", "oldest queued", 0),
		DG_BOOL("oldest_queued_is_lower_bound", "oldest queued is a lower bound", false),
		DG_U64("listen_overflows", "ListenOverflows during the interval (namespace)", UINT64_MAX, NULL),
		DG_U64("listen_drops", "ListenDrops during the interval (namespace)", 18446744073709551614ULL, NULL),
		DG_BOOL("overflows_attributed", "counters attributed to the full listeners", true),
		DG_U64("full_listeners", "full listeners", 1, NULL),
	  } },
	{ .rule = DIAG_R_EPHEMERAL_PORTS, .severity = DIAG_WARNING,
	  .summary = "Sockets from 192.0.2.1 to 198.51.100.23:443 hold 95% of the local port range",
	  .explanation = "A connection to one peer needs a local port of its own.",
	  .advice = "Reuse connections (keep-alive, a pool).",
	  .has_process = true, .process = { 4294967295U, "caf\xc3\xa9 \xe2\x82\xac" },
	  .has_peer = true, .pfamily = AF_INET,
	  .paddr = { 198, 51, 100, 23 }, .pport = 443,
	  .evidence = {
		{ .key = "local_addr", .label = "local address",
		  .type = DIAG_EV_STR, .str = "192.0.2.1" },
		DG_U64("sockets", "sockets holding a local port", 26936, NULL),
		DG_U64("port_range", "ports in ip_local_port_range", 28232, NULL),
		DG_U64("share_pct", "share of the range", 95, "%"),
		DG_U64("time_wait", "in TIME_WAIT", 26000, NULL),
		DG_U64("established", "ESTABLISHED", 936, NULL),
		DG_U64("process_sockets", "held or closed by the process", 26936, NULL),
	  } },
	{ .rule = DIAG_R_UNREAD_CLOSE_RST, .severity = DIAG_WARNING,
	  .summary = "\xff\xc3( closed 12 connections with unread data; the peers got a reset instead of the end of the data",
	  .explanation = "close() with unread data in the receive queue: TCP throws the data away and sends RST instead of FIN (RFC 2525, 2.17).",
	  .advice = "Read until the peer's FIN (read() returns 0), or shutdown(SHUT_WR) and drain, before close().",
	  .has_process = true, .process = { 0, "\xff\xc3(\xed\xa0\x80" },
	  .evidence = {
		DG_U64("connections", "connections closed with unread data", 12, NULL),
		DG_U64("bytes_discarded", "unread bytes discarded", 4294967296ULL, "bytes"),
		DG_U64("rst", "answered with RST", 11, NULL),
		{ .key = "peers", .label = "peers", .type = DIAG_EV_STRS,
		  .n = 8, .total = 12,
		  .strs = { "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80",
			    "10.0.0.4:80", "[2001:db8::1]:443",
			    "[2001:db8::2]:443", "[::ffff:192.0.2.129]:65535",
			    "[fe80::202:b3ff:fe1e:8329]:1" } },
		DG_U64("abort_on_close", "TCPAbortOnClose during the interval (namespace)", 11, NULL),
		DG_U64("rst_events", "resets seen as events (namespace)", 11, NULL),
	  } },
	{ .rule = DIAG_R_LINGER_ABORT, .severity = DIAG_INFO,
	  .summary = "lb closed 3 connections with SO_LINGER 0 (RST instead of FIN)",
	  .explanation = "With SO_LINGER 0, close() aborts the connection.",
	  .advice = "Nothing to do if it is on purpose.",
	  .has_process = true, .process = { 500, "lb" },
	  .has_peer = true, .pfamily = AF_INET6,
	  .paddr = { [10] = 0xff, 0xff, 127, 0, 0, 1 }, .pport = 80,
	  .evidence = {
		DG_U64("aborts", "closes with SO_LINGER 0", 3, NULL),
		DG_U64("rst", "RST sent", 3, NULL),
		{ .key = "peers", .label = "peers", .type = DIAG_EV_STRS,
		  .n = 1, .total = 1, .strs = { "127.0.0.1:80" } },
	  } },
	{ .rule = DIAG_R_ORPHAN_PRESSURE, .severity = DIAG_WARNING,
	  .summary = "Orphaned sockets are at 62% of net.ipv4.tcp_max_orphans",
	  .explanation = NULL,
	  .advice = "Find the closers: tcpstatectl list -p --state fin-wait-1,fin-wait-2,closing,last-ack",
	  .evidence = {
		DG_U64("orphans", "orphaned sockets (host)", 10, NULL),
		DG_I64("max_orphans", "net.ipv4.tcp_max_orphans", 16),
		DG_U64("share_pct", "share", 62, "%"),
		DG_I64("abort_on_memory", "TCPAbortOnMemory growth", -5),
		DG_BOOL("host_wide", "counted host-wide", true),
		{ .key = "local_ports", .label = "local ports",
		  .type = DIAG_EV_U64S, .n = 16, .total = 40,
		  .list = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
			    15, UINT64_MAX } },
		{ .key = "peers", .label = "peers", .type = DIAG_EV_STRS },
	  } },
	{ .rule = DIAG_R_SIGPIPE, .severity = DIAG_CRITICAL,
	  .summary = "A process this namespace cannot name was killed by SIGPIPE, most likely: 2 writes to dead connections",
	  .explanation = "A write to a connection the peer reset fails with EPIPE and raises SIGPIPE, which kills a process that does not handle it.",
	  .advice = "Ignore SIGPIPE (signal(SIGPIPE, SIG_IGN)) or send with MSG_NOSIGNAL, and handle EPIPE.",
	  .has_process = true, .process = { 0, "" },
	  .evidence = {
		DG_U64("sigpipe", "writes that raised SIGPIPE", 2, NULL),
		DG_U64("epipe_events", "EPIPE writes in all", 2, NULL),
		DG_BOOL("process_gone", "the process is gone", true),
		{ .key = "peers", .label = "peers", .type = DIAG_EV_STRS,
		  .n = 2, .total = 2,
		  .strs = { "127.0.0.1:40001", "a\"b\\c\n\x01\xff" } },
		DG_U64("time_wait", "a label longer than the column for its value, to wrap", 7, NULL),
	  } },
	/* 7, 8: the narrow report's */
	{ .rule = DIAG_R_TIME_WAIT_OVERFLOW, .severity = DIAG_CRITICAL,
	  .summary = "3 connections skipped TIME_WAIT during the interval: the table is full (20 TIME_WAIT sockets)",
	  .explanation = "A namespace holds at most net.ipv4.tcp_max_tw_buckets TIME_WAIT sockets.",
	  .advice = "Reuse connections; let the peer close first.",
	  .evidence = {
		DG_U64("time_wait", "TIME_WAIT sockets", 20, NULL),
		DG_I64("max_tw_buckets", "net.ipv4.tcp_max_tw_buckets", 20),
		DG_U64("share_pct", "share of the limit", 100, "%"),
		DG_U64("tw_overflow", "TCPTimeWaitOverflow during the interval", 3, NULL),
	  } },
	{ .rule = DIAG_R_CLOSE_WAIT_LEAK, .severity = DIAG_WARNING,
	  .summary = "Processes the caller may not see hold 2 CLOSE_WAIT sockets",
	  .explanation = dg_explanation,
	  .advice = "Run as root to name them.",
	  .evidence = {
		DG_U64("close_wait", "CLOSE_WAIT sockets", 2, NULL),
		DG_BOOL("hidden", "held by processes not visible", true),
	  } },
};

#define DG_SKIPPED_TWO							\
	{ { DIAG_R_TIME_WAIT_OVERFLOW,					\
	    "net.ipv4.tcp_max_tw_buckets could not be read: \"Permission denied\"\\ (a backslash, a tab\tand a newline\n)" }, \
	  { DIAG_R_LINGER_ABORT,					\
	    "subscribing to events needs CAP_NET_ADMIN in this network namespace (run as root); a reason long enough to wrap past the eighty columns of the report, twice over, with a word-that-is-longer-than-any-line-of-the-report-can-hold-at-fifty-columns-wide in it" } }

/*
 * The JSON documents show every rule's finding (0-6); the text reports
 * each show other findings (0-3, 4-6, 7-8), so that no report repeats
 * another's lines.
 */
static struct diag_result dg_every = {
	.findings = dg_findings, .n = 7, .skipped = DG_SKIPPED_TWO, .nskipped = 2,
};
static struct diag_result dg_text_a = {
	.findings = dg_findings, .n = 4, .skipped = DG_SKIPPED_TWO, .nskipped = 2,
};
static struct diag_result dg_text_b = { .findings = dg_findings + 4, .n = 3 };
static struct diag_result dg_narrow = { .findings = dg_findings + 7, .n = 2 };

static struct diag_result dg_none;

static struct diag_result dg_snapshot = {
	.skipped = {
		{ DIAG_R_UNREAD_CLOSE_RST, "--interval 0: no interval to watch events in" },
		{ DIAG_R_LINGER_ABORT, "--interval 0: no interval to watch events in" },
		{ DIAG_R_SIGPIPE, "--interval 0: no interval to watch events in" },
	},
	.nskipped = 3,
};

/* The evidence of each finding: up to the first without a key. */
static void dg_count_evidence(void)
{
	size_t i;

	for (i = 0; i < sizeof(dg_findings) / sizeof(dg_findings[0]); i++) {
		struct diag_finding *f = &dg_findings[i];

		f->nevidence = 0;
		while (f->nevidence < DIAG_EVIDENCE_MAX &&
		       f->evidence[f->nevidence].key)
			f->nevidence++;
	}
}

#define DG_NETNS 4026531840U
#define DG_NS(res, ms, sev) { DG_NETNS, ms, sev, res }

static const struct dg_doc dg_docs[] = {
	{ "json: no finding", DG_JSON, { DG_NS(&dg_none, 5000, DIAG_WARNING) }, 1, false, 0 },
	{ "json: one snapshot, event rules skipped", DG_JSON,
	  { DG_NS(&dg_snapshot, 0, DIAG_WARNING) }, 1, false, 0 },
	{ "json: every rule, info and up", DG_JSON,
	  { DG_NS(&dg_every, 12345, DIAG_INFO) }, 1, false, 0 },
	{ "json: every rule, critical only", DG_JSON,
	  { DG_NS(&dg_every, UINT64_MAX, DIAG_CRITICAL) }, 1, false, 0 },
	{ "json --all-netns: three namespaces", DG_JSON,
	  { DG_NS(&dg_every, 5000, DIAG_WARNING),
	    { 1, 5000, DIAG_WARNING, &dg_snapshot },
	    { UINT32_MAX, 5000, DIAG_INFO, &dg_narrow } }, 3, true, 0 },
	{ "json --all-netns: one namespace", DG_JSON,
	  { DG_NS(&dg_none, 0, DIAG_INFO) }, 1, true, 0 },
	{ "text: no finding", DG_TEXT, { DG_NS(&dg_none, 5000, DIAG_WARNING) }, 1, false, 78 },
	{ "text: one snapshot, event rules skipped", DG_TEXT,
	  { DG_NS(&dg_snapshot, 0, DIAG_WARNING) }, 1, false, 78 },
	{ "text: four rules, warning and up", DG_TEXT,
	  { DG_NS(&dg_text_a, 12345, DIAG_WARNING) }, 1, false, 78 },
	{ "text: three rules, info and up, 80 columns", DG_TEXT,
	  { DG_NS(&dg_text_b, 3723000, DIAG_INFO) }, 1, false, 0 },
	{ "text: critical only, 50 columns", DG_TEXT,
	  { DG_NS(&dg_narrow, 1, DIAG_CRITICAL) }, 1, false, 50 },
};
#define DG_NDOCS (sizeof(dg_docs) / sizeof(dg_docs[0]))

#endif
