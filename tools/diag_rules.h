/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tcpstatectl diagnose: the rules. Given two snapshots of a namespace's
 * sockets (with owners), its TcpExt and sockstat counters at both ends of
 * the interval, the sysctls that bound each resource, the close-time
 * events seen in between and a few facts about the processes involved,
 * produce findings: a rule id, a severity, the culprit, the evidence in
 * numbers, what is happening and the fix. Pure: no I/O, no netlink, no
 * clock, so that the unit tests can feed it any situation.
 */
#ifndef TCPSTATECTL_DIAG_RULES_H
#define TCPSTATECTL_DIAG_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum diag_severity {
	DIAG_INFO = 1,
	DIAG_WARNING,
	DIAG_CRITICAL,
};

/* "info", "warning", "critical". */
const char *diag_severity_name(enum diag_severity s);
/* Returns the severity, or 0 for an unknown name. */
int diag_parse_severity(const char *s);

/* The rules, in their documented order. */
enum diag_rule {
	DIAG_R_CLOSE_WAIT_LEAK,
	DIAG_R_ACCEPT_QUEUE_STALL,
	DIAG_R_EPHEMERAL_PORTS,
	DIAG_R_TIME_WAIT_OVERFLOW,
	DIAG_R_ORPHAN_PRESSURE,
	DIAG_R_UNREAD_CLOSE_RST,
	DIAG_R_LINGER_ABORT,
	DIAG_R_SIGPIPE,
	DIAG_R_COUNT
};

/* "close-wait-leak", ... */
const char *diag_rule_name(enum diag_rule r);

/* Owners kept per socket (the module sends up to 8). */
#define DIAG_SOCK_PROCS 4

struct diag_owner {
	uint32_t pid;
	char comm[16];
};

/* What the rules need of a socket: a compact copy of struct ts_sock. */
struct diag_sock {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t state;		/* TCPSTATE_* */
	uint8_t owner_kind;	/* TCPSTATE_OWNER_* */
	bool age_lower_bound;
	bool has_acceptq;
	uint8_t nprocs;		/* owners kept, at most DIAG_SOCK_PROCS */
	uint16_t sport, dport;
	uint8_t saddr[16], daddr[16];
	uint32_t netns;
	uint32_t recv_q, send_q;
	uint32_t acceptq_len, acceptq_max;
	uint32_t procs_total;
	uint64_t inode;
	uint64_t age_ms;
	struct diag_owner procs[DIAG_SOCK_PROCS];
};

struct diag_snapshot {
	struct diag_sock *socks;
	size_t n, cap;
};

/* Counters of a namespace at one moment (/proc/net/netstat, sockstat). */
struct diag_counters {
	bool has_netstat;	/* the TcpExt lines were read */
	uint64_t listen_overflows, listen_drops, tw_overflow;
	uint64_t abort_on_memory, abort_on_close;
	bool has_sockstat;	/* the TCP line of sockstat was read */
	uint64_t orphans;	/* host-wide: the kernel counts them so */
	uint64_t tw;		/* this namespace's timewait sockets */
};

/* Sysctls; a negative value (or port_lo 0) is unknown. */
struct diag_sysctls {
	int64_t somaxconn;
	int64_t port_lo, port_hi;	/* net.ipv4.ip_local_port_range */
	int64_t max_tw_buckets;
	int64_t max_orphans;		/* host-wide */
};

struct diag_event {
	uint8_t type;		/* TCPSTATE_EV_* */
	uint8_t family;
	bool rst;
	bool sigpipe;
	uint32_t pid;
	char comm[16];
	uint32_t unread;
	uint16_t sport, dport;
	uint8_t saddr[16], daddr[16];
};

/* A process the rules name: what /proc says of it now. */
struct diag_proc {
	uint32_t pid;
	int64_t fds;		/* open fds; -1: unknown */
	int64_t fd_limit;	/* soft RLIMIT_NOFILE; -1: unknown or unlimited */
	bool gone;		/* exited (or a zombie) since */
};

struct diag_thresholds {
	uint32_t close_wait_min;	/* stuck CLOSE_WAIT sockets per process */
	uint64_t close_wait_age_ms;	/* younger ones are not stuck */
	uint32_t port_share_pct;	/* of ip_local_port_range */
	uint32_t tw_share_pct;		/* of tcp_max_tw_buckets */
	uint32_t orphan_share_pct;	/* of tcp_max_orphans */
	uint32_t events_min;		/* events per process */
};

/* The documented defaults. */
void diag_default_thresholds(struct diag_thresholds *th);

struct diag_input {
	uint32_t netns;			/* the namespace diagnosed */
	uint64_t interval_ms;		/* 0: one snapshot */
	const struct diag_snapshot *start;	/* NULL with interval 0 */
	const struct diag_snapshot *end;
	struct diag_counters c0, c1;	/* at the start and at the end */
	bool has_c0;			/* c0 was read (interval > 0) */
	struct diag_sysctls sys;
	/*
	 * Why this namespace's counters and sysctls could not be read (a
	 * namespace other than the caller's that could not be entered), or
	 * NULL: the rules that need them are then listed as skipped.
	 */
	const char *ns_files_why;
	/*
	 * Events: event_skip[type] NULL when that type was observed for the
	 * whole interval, else why not (the rule is listed as skipped).
	 */
	const char *event_skip[4];
	const struct diag_event *events;
	size_t nevents;
	uint64_t events_lost;		/* known lost (sequence gaps) */
	const struct diag_proc *procs;
	size_t nprocs;
	const struct diag_thresholds *th;
};

enum diag_ev_type {
	DIAG_EV_U64,
	DIAG_EV_I64,
	DIAG_EV_MS,		/* a duration in ms: "_ms" keys */
	DIAG_EV_BOOL,
	DIAG_EV_STR,
	DIAG_EV_U64S,		/* a list of numbers */
	DIAG_EV_STRS,		/* a list of strings */
};

#define DIAG_LIST_MAX 16
#define DIAG_STRS_MAX 8
#define DIAG_STR_LEN 64

struct diag_evidence {
	const char *key;	/* JSON key */
	const char *label;	/* what the human report calls it */
	const char *unit;	/* after the number ("bytes", "%"), or NULL */
	enum diag_ev_type type;
	uint64_t u;
	int64_t i;
	bool b;
	unsigned int n;		/* list entries kept */
	uint64_t total;		/* list entries in all */
	union {
		char str[DIAG_STR_LEN];
		uint64_t list[DIAG_LIST_MAX];
		char strs[DIAG_STRS_MAX][DIAG_STR_LEN];
	};
};

#define DIAG_EVIDENCE_MAX 16

struct diag_finding {
	enum diag_rule rule;
	enum diag_severity severity;
	uint64_t size;		/* orders findings of one severity */
	char summary[512];	/* one line */
	const char *explanation;	/* the paragraph: what TCP is doing */
	char advice[768];	/* the fix */
	bool has_process;
	struct diag_owner process;
	bool has_listener;
	uint8_t lfamily;
	uint8_t laddr[16];
	uint16_t lport;
	bool has_peer;
	uint8_t pfamily;
	uint8_t paddr[16];
	uint16_t pport;
	unsigned int nevidence;
	struct diag_evidence evidence[DIAG_EVIDENCE_MAX];
};

struct diag_skip {
	enum diag_rule rule;
	char reason[256];
};

struct diag_result {
	struct diag_finding *findings;
	size_t n, cap;
	struct diag_skip skipped[DIAG_R_COUNT];
	size_t nskipped;
};

/*
 * Run every rule on @in and append the findings to @out, sorted: by
 * severity (critical first), then size (largest first), then rule, then
 * culprit. Returns 0 or -ENOMEM.
 */
int diag_run(const struct diag_input *in, struct diag_result *out);
void diag_result_free(struct diag_result *r);

/* Findings at or above @min. */
size_t diag_count_at_least(const struct diag_result *r,
			   enum diag_severity min);

/*
 * The pids the rules may ask /proc about (owners of CLOSE_WAIT sockets,
 * closers in events): call @cb once per distinct pid.
 */
void diag_wanted_pids(const struct diag_input *in,
		      void (*cb)(uint32_t pid, void *data), void *data);

/* Append @sk to @snap. Returns 0 or -ENOMEM. */
int diag_snapshot_add(struct diag_snapshot *snap, const struct diag_sock *sk);
void diag_snapshot_free(struct diag_snapshot *snap);

/* Sort the findings (diag_run does it). */
void diag_sort(struct diag_result *r);

#endif
