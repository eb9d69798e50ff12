// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl diagnose: the rules (see diag_rules.h). Every number a
 * finding prints comes from its input; nothing here reads a file or a
 * clock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/tcpstate.h>

#include "diag_rules.h"
#include "duration.h"
#include "fmt.h"
#include "grow.h"
#include "states.h"

/* --- what each rule's findings explain ----------------------------------- */

static const char close_wait_text[] =
	"The peer closed its side of these connections (its FIN arrived, so "
	"read() returns 0), but this process never called close() on them. "
	"TCP keeps such a socket in CLOSE_WAIT for as long as a process holds "
	"its file descriptor: no timer ends it, and each one costs an fd and "
	"kernel memory. A process whose count keeps growing runs out of file "
	"descriptors, and accept(), socket() and open() then fail with "
	"EMFILE.";

static const char accept_queue_text[] =
	"Connections finish their handshake in the kernel and wait in the "
	"listener's accept queue until the process calls accept(). The queue "
	"holds at most the backlog the kernel kept at listen(): the smaller of "
	"the backlog the application asked for and net.core.somaxconn at that "
	"time. When it is full, new SYNs and handshake ACKs are dropped "
	"(TcpExtListenOverflows, TcpExtListenDrops) and clients see connect() "
	"time out or take seconds of SYN retransmissions. Connections in "
	"CLOSE_WAIT inside the queue were given up by their clients before "
	"the process ever accepted them: it is not calling accept() fast "
	"enough, or not at all.";

static const char ephemeral_text[] =
	"Every connection from one local address to one remote address and "
	"port needs a local port of its own, taken from "
	"net.ipv4.ip_local_port_range. A socket keeps its port until it is "
	"gone, in TIME_WAIT too (60 seconds after the side that closed "
	"first). When most of the range is in use toward one peer, connect() "
	"to it searches longer for a free port and then fails with "
	"EADDRNOTAVAIL (\"Cannot assign requested address\").";

static const char time_wait_text[] =
	"After the side that closes first has sent its last ACK, its socket "
	"waits in TIME_WAIT for 60 seconds, so that late segments of the old "
	"connection cannot be taken for a new one with the same ports. A "
	"namespace holds at most net.ipv4.tcp_max_tw_buckets of them; past "
	"that, closing connections skip TIME_WAIT altogether "
	"(TcpExtTCPTimeWaitOverflow, \"TCP: time wait bucket table overflow\" "
	"in the kernel log) and lose that protection.";

static const char orphan_text[] =
	"An orphan is a connection its process has closed while TCP still "
	"finishes it: sending what is left in the send queue and waiting for "
	"the peer's FIN (FIN_WAIT1, FIN_WAIT2, CLOSING, LAST_ACK). The kernel "
	"counts orphans host-wide and allows at most net.ipv4.tcp_max_orphans; "
	"beyond that, or under TCP memory pressure, it resets connections at "
	"close instead of ending them cleanly (TcpExtTCPAbortOnMemory, \"too "
	"many orphaned sockets\" in the kernel log).";

static const char unread_text[] =
	"This process closed connections while data from the peer was still "
	"unread in their receive queues. TCP then throws the data away and "
	"sends RST instead of FIN (RFC 2525, 2.17; counted as "
	"TcpExtTCPAbortOnClose): the peer gets ECONNRESET, possibly before it "
	"has read the process's last reply, and what the peer sent last was "
	"never processed.";

static const char linger_text[] =
	"This process set SO_LINGER with a zero timeout and closed: TCP skips "
	"the orderly close and sends RST, the peer sees ECONNRESET, and data "
	"still in flight is lost. It also avoids TIME_WAIT on this side, "
	"which is why software does it on purpose; it matters when the peers "
	"report resets.";

static const char sigpipe_text[] =
	"This process wrote to connections that the peer had already reset. "
	"The first write after a RST fails with ECONNRESET, the next with "
	"EPIPE; unless the write used MSG_NOSIGNAL, the kernel also sends "
	"SIGPIPE, whose default action ends the process without a message "
	"in its logs.";

/* Each rule: its id, and the paragraph its findings give on what TCP does. */
static const struct {
	const char *name;
	const char *explanation;
} rule_info[DIAG_R_COUNT] = {
	[DIAG_R_CLOSE_WAIT_LEAK] = { "close-wait-leak", close_wait_text },
	[DIAG_R_ACCEPT_QUEUE_STALL] = { "accept-queue-stall", accept_queue_text },
	[DIAG_R_EPHEMERAL_PORTS] = { "ephemeral-port-exhaustion", ephemeral_text },
	[DIAG_R_TIME_WAIT_OVERFLOW] = { "time-wait-overflow", time_wait_text },
	[DIAG_R_ORPHAN_PRESSURE] = { "orphan-pressure", orphan_text },
	[DIAG_R_UNREAD_CLOSE_RST] = { "unread-close-rst", unread_text },
	[DIAG_R_LINGER_ABORT] = { "linger-abort", linger_text },
	[DIAG_R_SIGPIPE] = { "sigpipe", sigpipe_text },
};

const char *diag_rule_name(enum diag_rule r)
{
	return (unsigned int)r < DIAG_R_COUNT ? rule_info[r].name : "unknown";
}

const char *diag_severity_name(enum diag_severity s)
{
	switch (s) {
	case DIAG_INFO:
		return "info";
	case DIAG_WARNING:
		return "warning";
	case DIAG_CRITICAL:
		return "critical";
	}
	return "unknown";
}

int diag_parse_severity(const char *s)
{
	int sev;

	for (sev = DIAG_INFO; sev <= DIAG_CRITICAL; sev++)
		if (!strcmp(s, diag_severity_name((enum diag_severity)sev)))
			return sev;
	return 0;
}

void diag_default_thresholds(struct diag_thresholds *th)
{
	th->close_wait_min = 1;
	th->close_wait_age_ms = 5000;
	th->port_share_pct = 50;
	th->tw_share_pct = 90;
	th->orphan_share_pct = 50;
	th->events_min = 1;
}

int diag_snapshot_add(struct diag_snapshot *snap, const struct diag_sock *sk)
{
	if (ts_grow(&snap->socks, &snap->cap, snap->n, sizeof(*snap->socks),
		    256))
		return -ENOMEM;
	snap->socks[snap->n++] = *sk;
	return 0;
}

void diag_snapshot_free(struct diag_snapshot *snap)
{
	free(snap->socks);
	memset(snap, 0, sizeof(*snap));
}

void diag_result_free(struct diag_result *r)
{
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

size_t diag_count_at_least(const struct diag_result *r,
			   enum diag_severity min)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->findings[i].severity >= min;
	return n;
}

/* --- building findings ---------------------------------------------------- */

static struct diag_finding *new_finding(struct diag_result *out,
					enum diag_rule rule,
					enum diag_severity sev, uint64_t size)
{
	struct diag_finding *f;

	if (ts_grow(&out->findings, &out->cap, out->n, sizeof(*out->findings),
		    8))
		return NULL;
	f = &out->findings[out->n++];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = sev;
	f->size = size;
	f->explanation = rule_info[rule].explanation;
	return f;
}

static void skip(struct diag_result *out, enum diag_rule rule,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void skip(struct diag_result *out, enum diag_rule rule,
		 const char *fmt, ...)
{
	struct diag_skip *s;
	va_list ap;

	if (out->nskipped >= DIAG_R_COUNT)
		return;
	s = &out->skipped[out->nskipped++];
	s->rule = rule;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
}

/*
 * The next evidence of @f, zeroed but for its key, label, type and unit;
 * past DIAG_EVIDENCE_MAX, a scratch one (the evidence is dropped).
 */
static struct diag_evidence *ev_new(struct diag_finding *f, const char *key,
				    const char *label, enum diag_ev_type type,
				    const char *unit)
{
	static struct diag_evidence dropped;
	struct diag_evidence *e = f->nevidence < DIAG_EVIDENCE_MAX ?
				  &f->evidence[f->nevidence++] : &dropped;

	memset(e, 0, sizeof(*e));
	e->key = key;
	e->label = label;
	e->type = type;
	e->unit = unit;
	return e;
}

static void ev_u64(struct diag_finding *f, const char *key, const char *label,
		   uint64_t v, const char *unit)
{
	ev_new(f, key, label, DIAG_EV_U64, unit)->u = v;
}

static void ev_ms(struct diag_finding *f, const char *key, const char *label,
		  uint64_t ms)
{
	ev_new(f, key, label, DIAG_EV_MS, NULL)->u = ms;
}

/* What may be negative (a growth), or a sysctl (an int64_t). */
static void ev_i64(struct diag_finding *f, const char *key, const char *label,
		   int64_t v, const char *unit)
{
	ev_new(f, key, label, DIAG_EV_I64, unit)->i = v;
}

static void ev_bool(struct diag_finding *f, const char *key,
		    const char *label, bool v)
{
	ev_new(f, key, label, DIAG_EV_BOOL, NULL)->b = v;
}

static void ev_str(struct diag_finding *f, const char *key, const char *label,
		   const char *s)
{
	struct diag_evidence *e = ev_new(f, key, label, DIAG_EV_STR, NULL);

	snprintf(e->str, sizeof(e->str), "%s", s);
}

/*
 * A list (DIAG_EV_U64S or DIAG_EV_STRS): the @n elements of @size bytes
 * at @vals, sorted by @cmp; each distinct one is counted, the first ones
 * kept (DIAG_LIST_MAX numbers, DIAG_STRS_MAX strings).
 */
static void ev_list(struct diag_finding *f, const char *key, const char *label,
		    enum diag_ev_type type, void *vals, size_t n, size_t size,
		    int (*cmp)(const void *, const void *))
{
	struct diag_evidence *e = ev_new(f, key, label, type, NULL);
	bool nums = type == DIAG_EV_U64S;
	char *v = vals, *kept = nums ? (char *)e->list : (char *)e->strs;
	size_t i, max = nums ? DIAG_LIST_MAX : DIAG_STRS_MAX;

	qsort(vals, n, size, cmp);
	for (i = 0; i < n; i++) {
		if (i && !cmp(v + i * size, v + (i - 1) * size))
			continue;
		if (e->n < max)
			memcpy(kept + e->n++ * size, v + i * size, size);
		e->total++;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void ev_u64s(struct diag_finding *f, const char *key, const char *label,
		    uint64_t *vals, size_t n)
{
	ev_list(f, key, label, DIAG_EV_U64S, vals, n, sizeof(*vals), cmp_u64);
}

/* Strings of DIAG_STR_LEN bytes each. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void ev_strs(struct diag_finding *f, const char *key, const char *label,
		    char (*strs)[DIAG_STR_LEN], size_t n)
{
	ev_list(f, key, label, DIAG_EV_STRS, strs, n, DIAG_STR_LEN, cmp_str);
}

static void set_process(struct diag_finding *f, uint32_t pid,
			const char *comm)
{
	f->has_process = true;
	f->process.pid = pid;
	snprintf(f->process.comm, sizeof(f->process.comm), "%s", comm);
}

/* "1234/nginx": the way list -p names a process. */
static void proc_name(char *buf, size_t len, uint32_t pid, const char *comm)
{
	snprintf(buf, len, "%u/%s", pid, comm);
}

static void endpoint(char *buf, size_t len, int family, const uint8_t *addr,
		     uint16_t port)
{
	char tmp[64], *e;

	e = fmt_endpoint(tmp, family, addr, port);
	*e = '\0';
	snprintf(buf, len, "%s", tmp);
}

static void duration(char *buf, size_t len, uint64_t ms)
{
	char tmp[32], *e;

	e = ts_fmt_duration(tmp, ms);
	*e = '\0';
	snprintf(buf, len, "%s", tmp);
}

static const struct diag_proc *find_proc(const struct diag_input *in,
					 uint32_t pid)
{
	size_t i;

	for (i = 0; i < in->nprocs; i++)
		if (in->procs[i].pid == pid)
			return &in->procs[i];
	return NULL;
}

/* Counter deltas over the interval; false when unknown. */
static bool delta(const struct diag_input *in, size_t off, uint64_t *d)
{
	uint64_t a, b;

	if (!in->has_c0 || !in->c0.has_netstat || !in->c1.has_netstat)
		return false;
	memcpy(&a, (const char *)&in->c0 + off, sizeof(a));
	memcpy(&b, (const char *)&in->c1 + off, sizeof(b));
	*d = b >= a ? b - a : 0;
	return true;
}

#define DELTA(in, field, d) delta(in, offsetof(struct diag_counters, field), d)

/*
 * An address in the form the rules compare and group: an IPv4-mapped
 * IPv6 address as the IPv4 address it is (the kernel's listeners and
 * connections mix the two on dual-stack sockets).
 */
static int norm_addr(int family, const uint8_t *addr, uint8_t out[16])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					    0xff, 0xff };

	memset(out, 0, 16);
	if (family == AF_INET6 && !memcmp(addr, mapped, 12)) {
		memcpy(out, addr + 12, 4);
		return AF_INET;
	}
	memcpy(out, addr, family == AF_INET ? 4 : 16);
	return family;
}

static bool addr_any(int family, const uint8_t *addr)
{
	static const uint8_t zero[16];

	return !memcmp(addr, zero, family == AF_INET ? 4 : 16);
}

static bool in_ns(const struct diag_input *in, const struct diag_sock *sk)
{
	return sk->netns == in->netns;
}

/* --- close-wait-leak --------------------------------------------------- */

struct owned {
	uint32_t pid;
	const char *comm;
	const struct diag_sock *sk;
};

static int cmp_owned(const void *a, const void *b)
{
	const struct owned *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	/* Oldest first within a process: the first names the group. */
	if (x->sk->age_ms != y->sk->age_ms)
		return x->sk->age_ms > y->sk->age_ms ? -1 : 1;
	return x->sk->inode < y->sk->inode ? -1 : x->sk->inode > y->sk->inode;
}

/*
 * Every (owner, CLOSE_WAIT socket) pair of @snap held through an fd, in
 * the namespace diagnosed, sorted by pid. *n set; NULL on ENOMEM (or none).
 */
static struct owned *close_wait_owned(const struct diag_input *in,
				      const struct diag_snapshot *snap,
				      size_t *n, int *err)
{
	struct owned *o = NULL;
	size_t i, k = 0, cap = 0;
	unsigned int j;

	*n = 0;
	for (i = 0; snap && i < snap->n; i++) {
		const struct diag_sock *sk = &snap->socks[i];

		if (sk->state != TCPSTATE_CLOSE_WAIT || !in_ns(in, sk) ||
		    sk->owner_kind != TCPSTATE_OWNER_FD)
			continue;
		for (j = 0; j < sk->nprocs; j++) {
			if (ts_grow(&o, &cap, k, sizeof(*o), 64)) {
				free(o);
				*err = -ENOMEM;
				return NULL;
			}
			o[k].pid = sk->procs[j].pid;
			o[k].comm = sk->procs[j].comm;
			o[k].sk = sk;
			k++;
		}
	}
	if (k)
		qsort(o, k, sizeof(*o), cmp_owned);
	*n = k;
	return o;
}

static size_t count_pid(const struct owned *o, size_t n, uint32_t pid)
{
	size_t lo = 0, hi = n, c = 0;

	/* First entry of @pid, then count. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + c < n && o[lo + c].pid == pid)
		c++;
	return c;
}

static int rule_close_wait(const struct diag_input *in,
			   struct diag_result *out)
{
	const struct diag_thresholds *th = in->th;
	struct owned *end, *start = NULL;
	size_t nend, nstart = 0, i, j;
	uint64_t hidden_stuck = 0, hidden_oldest = 0;
	int err = 0;

	end = close_wait_owned(in, in->end, &nend, &err);
	if (err)
		return err;
	if (in->start) {
		start = close_wait_owned(in, in->start, &nstart, &err);
		if (err) {
			free(end);
			return err;
		}
	}
	for (i = 0; i < nend; i = j) {
		uint64_t count = 0, stuck = 0, oldest = 0, *ports;
		bool lb = false;
		const struct diag_proc *p;
		struct diag_finding *f;
		enum diag_severity sev = DIAG_WARNING;
		char who[40], age[32], growth[64] = "";
		int64_t grow = 0;
		uint64_t secs = 0, at_start = 0;
		bool has_secs = false;

		for (j = i; j < nend && end[j].pid == end[i].pid; j++) {
			const struct diag_sock *sk = end[j].sk;

			count++;
			if (sk->age_ms >= th->close_wait_age_ms)
				stuck++;
			if (sk->age_ms > oldest) {
				oldest = sk->age_ms;
				lb = sk->age_lower_bound;
			}
		}
		if (stuck < th->close_wait_min || !stuck)
			continue;
		if (in->start) {
			at_start = count_pid(start, nstart, end[i].pid);
			grow = (int64_t)count - (int64_t)at_start;
		}
		p = find_proc(in, end[i].pid);
		if (grow > 0 && in->interval_ms && p && p->fds >= 0 &&
		    p->fd_limit > 0) {
			uint64_t left = p->fd_limit > p->fds ?
					(uint64_t)(p->fd_limit - p->fds) : 0;

			/* left / (grow per interval), rounded up. */
			secs = (left * in->interval_ms + (uint64_t)grow * 1000 - 1) /
			       ((uint64_t)grow * 1000);
			has_secs = true;
		}
		if ((p && p->fds >= 0 && p->fd_limit > 0 &&
		     p->fds * 10 >= p->fd_limit * 9) ||
		    (has_secs && secs <= 3600))
			sev = DIAG_CRITICAL;
		f = new_finding(out, DIAG_R_CLOSE_WAIT_LEAK, sev, count);
		if (!f) {
			err = -ENOMEM;
			break;
		}
		set_process(f, end[i].pid, end[i].comm);
		proc_name(who, sizeof(who), end[i].pid, end[i].comm);
		duration(age, sizeof(age), oldest);
		if (in->start && grow > 0)
			snprintf(growth, sizeof(growth), ", %+" PRId64 " during the interval",
				 grow);
		snprintf(f->summary, sizeof(f->summary),
			 "%s holds %" PRIu64 " CLOSE_WAIT socket%s%s; the oldest is %s%s old",
			 who, count, count == 1 ? "" : "s", growth,
			 lb ? "at least " : "", age);
		snprintf(f->advice, sizeof(f->advice),
			 "Fix the code of %s that handles a peer's close: when read() "
			 "returns 0 or poll() reports POLLRDHUP or POLLHUP, close() the "
			 "socket; look for error paths and connection pools that drop a "
			 "connection without closing it. Restarting the process frees "
			 "them for now. The sockets: tcpstatectl list -p --state "
			 "close-wait --pid %u",
			 who, end[i].pid);
		ev_u64(f, "close_wait", "CLOSE_WAIT sockets", count, NULL);
		ev_u64(f, "stuck", "older than the threshold", stuck, NULL);
		if (in->start) {
			ev_u64(f, "close_wait_start", "at the start", at_start,
			       NULL);
			ev_i64(f, "growth", "growth over the interval", grow,
			       NULL);
		}
		ev_ms(f, "oldest_age_ms", "oldest", oldest);
		ev_bool(f, "age_is_lower_bound", "oldest age is a lower bound",
			lb);
		ports = calloc(j - i, sizeof(*ports));
		if (!ports) {
			err = -ENOMEM;
			break;
		}
		for (size_t k = i; k < j; k++)
			ports[k - i] = end[k].sk->sport;
		ev_u64s(f, "local_ports", "local ports", ports, j - i);
		free(ports);
		if (p && p->fds >= 0)
			ev_i64(f, "fds_open", "open file descriptors", p->fds,
			       NULL);
		if (p && p->fd_limit > 0)
			ev_i64(f, "fd_limit", "RLIMIT_NOFILE (soft)",
			       p->fd_limit, NULL);
		if (has_secs)
			ev_u64(f, "seconds_to_emfile",
			       "EMFILE at this rate in", secs, "s");
	}
	/*
	 * Held by processes the caller may not see: one finding without a
	 * culprit, so that an unprivileged run does not call it healthy.
	 */
	for (i = 0; !err && in->end && i < in->end->n; i++) {
		const struct diag_sock *sk = &in->end->socks[i];

		if (sk->state != TCPSTATE_CLOSE_WAIT || !in_ns(in, sk) ||
		    sk->owner_kind != TCPSTATE_OWNER_HIDDEN ||
		    sk->age_ms < th->close_wait_age_ms)
			continue;
		hidden_stuck++;
		if (sk->age_ms > hidden_oldest)
			hidden_oldest = sk->age_ms;
	}
	if (!err && hidden_stuck && hidden_stuck >= th->close_wait_min) {
		struct diag_finding *f = new_finding(out, DIAG_R_CLOSE_WAIT_LEAK,
						     DIAG_WARNING,
						     hidden_stuck);
		char age[32];

		if (!f) {
			err = -ENOMEM;
		} else {
			duration(age, sizeof(age), hidden_oldest);
			snprintf(f->summary, sizeof(f->summary),
				 "%" PRIu64 " CLOSE_WAIT socket%s held by processes you may not see (or queued on their listeners); the oldest is %s old",
				 hidden_stuck, hidden_stuck == 1 ? "" : "s",
				 age);
			snprintf(f->advice, sizeof(f->advice),
				 "Run diagnose as root (or as the owner of the "
				 "processes) to name them; then fix the code that "
				 "does not close() a socket after read() returns 0.");
			ev_u64(f, "close_wait", "CLOSE_WAIT sockets",
			       hidden_stuck, NULL);
			ev_ms(f, "oldest_age_ms", "oldest", hidden_oldest);
			ev_bool(f, "hidden", "owners hidden from you", true);
		}
	}
	free(end);
	free(start);
	return err;
}

/* --- accept-queue-stall -------------------------------------------------- */

struct listener {
	const struct diag_sock *sk;
	int family;		/* normalised */
	uint8_t addr[16];
	bool any;
	uint64_t queued, closed, stale_closed, oldest_queued;
	bool oldest_lb, has_oldest;
	bool full, full_at_start;
	const struct diag_owner *owner;	/* from a queued socket */
};

static bool listener_full(const struct diag_sock *l)
{
	return l->acceptq_len > 0 && l->acceptq_len >= l->acceptq_max;
}

/* The listener a queued connection waits on; NULL if none matches. */
static struct listener *find_listener(struct listener *ls, size_t n,
				      const struct diag_sock *sk)
{
	struct listener *best = NULL;
	uint8_t a[16];
	int fam = norm_addr(sk->family, sk->saddr, a);
	size_t i;

	for (i = 0; i < n; i++) {
		struct listener *l = &ls[i];

		if (l->sk->sport != sk->sport || l->sk->netns != sk->netns)
			continue;
		if (!l->any && (l->family != fam || memcmp(l->addr, a, 16)))
			continue;
		/* An IPv6-only wildcard does not take IPv4 connections. */
		if (l->any && l->sk->family == AF_INET && fam != AF_INET)
			continue;
		if (!best || (best->any && !l->any))
			best = l;
	}
	return best;
}

static int rule_accept_queue(const struct diag_input *in,
			     struct diag_result *out)
{
	const struct diag_thresholds *th = in->th;
	const struct diag_sock **start_ls = NULL;
	struct listener *ls;
	size_t nl = 0, i, k, nfull = 0, n0 = 0, cap0 = 0;
	uint64_t overflows = 0, drops = 0;
	bool has_over = DELTA(in, listen_overflows, &overflows);
	bool has_drops = DELTA(in, listen_drops, &drops);
	int err = 0;

	if (!in->end)
		return 0;
	ls = calloc(in->end->n ? in->end->n : 1, sizeof(*ls));
	if (!ls)
		return -ENOMEM;
	/* The listeners of the start, to tell whether each was full then. */
	for (k = 0; in->start && k < in->start->n; k++) {
		const struct diag_sock *s0 = &in->start->socks[k];

		if (s0->state == TCPSTATE_LISTEN && s0->has_acceptq &&
		    in_ns(in, s0)) {
			if (ts_grow(&start_ls, &cap0, n0, sizeof(*start_ls),
				    16)) {
				free(start_ls);
				free(ls);
				return -ENOMEM;
			}
			start_ls[n0++] = s0;
		}
	}
	for (i = 0; i < in->end->n; i++) {
		const struct diag_sock *sk = &in->end->socks[i];
		struct listener *l;

		if (sk->state != TCPSTATE_LISTEN || !in_ns(in, sk) ||
		    !sk->has_acceptq)
			continue;
		l = &ls[nl++];
		l->sk = sk;
		l->family = norm_addr(sk->family, sk->saddr, l->addr);
		l->any = addr_any(sk->family, sk->saddr);
		l->full = listener_full(sk);
		for (k = 0; k < n0; k++)
			if (start_ls[k]->inode == sk->inode)
				l->full_at_start = listener_full(start_ls[k]);
	}
	for (i = 0; i < in->end->n; i++) {
		const struct diag_sock *sk = &in->end->socks[i];
		struct listener *l;

		if (sk->owner_kind != TCPSTATE_OWNER_UNACCEPTED ||
		    !in_ns(in, sk) || sk->state == TCPSTATE_LISTEN ||
		    sk->state == TCPSTATE_NEW_SYN_RECV ||
		    sk->state == TCPSTATE_SYN_RECV)
			continue;
		l = find_listener(ls, nl, sk);
		if (!l)
			continue;
		l->queued++;
		if (sk->state == TCPSTATE_CLOSE_WAIT) {
			l->closed++;
			if (sk->age_ms >= th->close_wait_age_ms)
				l->stale_closed++;
		}
		/*
		 * An ESTABLISHED connection's age is its time in the queue; a
		 * CLOSE_WAIT one's is its time since the FIN, less than that.
		 */
		if (!l->has_oldest || sk->age_ms > l->oldest_queued) {
			l->oldest_queued = sk->age_ms;
			l->oldest_lb = sk->state != TCPSTATE_ESTABLISHED ||
				       sk->age_lower_bound;
			l->has_oldest = true;
		}
		if (!l->owner && sk->nprocs)
			l->owner = &sk->procs[0];
	}
	for (i = 0; i < nl; i++)
		nfull += ls[i].full || ls[i].full_at_start;
	for (i = 0; i < nl && !err; i++) {
		struct listener *l = &ls[i];
		const struct diag_sock *sk = l->sk;
		const struct diag_owner *owner = NULL;
		enum diag_severity sev = DIAG_WARNING;
		struct diag_finding *f;
		char ep[64], who[48] = "its process", what[160], age[32];
		bool attrib = l->full || l->full_at_start;

		if (!l->full && !l->stale_closed)
			continue;
		if (l->full && (l->full_at_start || (has_over && overflows)))
			sev = DIAG_CRITICAL;
		f = new_finding(out, DIAG_R_ACCEPT_QUEUE_STALL, sev,
				sk->acceptq_len);
		if (!f) {
			err = -ENOMEM;
			break;
		}
		if (sk->owner_kind == TCPSTATE_OWNER_FD && sk->nprocs)
			owner = &sk->procs[0];
		else
			owner = l->owner;
		if (owner) {
			set_process(f, owner->pid, owner->comm);
			proc_name(who, sizeof(who), owner->pid, owner->comm);
		}
		f->has_listener = true;
		f->lfamily = sk->family;
		memcpy(f->laddr, sk->saddr, 16);
		f->lport = sk->sport;
		endpoint(ep, sizeof(ep), sk->family, sk->saddr, sk->sport);
		if (l->full)
			snprintf(what, sizeof(what), "accept queue is full (%u of backlog %u)",
				 sk->acceptq_len, sk->acceptq_max);
		else
			snprintf(what, sizeof(what), "accept queue holds %u connection%s",
				 sk->acceptq_len, sk->acceptq_len == 1 ? "" : "s");
		if (l->closed)
			snprintf(f->summary, sizeof(f->summary),
				 "listener %s%s%s: %s, %" PRIu64 " closed by the peer before accept()",
				 ep, owner ? " of " : "", owner ? who : "", what,
				 l->closed);
		else
			snprintf(f->summary, sizeof(f->summary),
				 "listener %s%s%s: %s", ep, owner ? " of " : "",
				 owner ? who : "", what);
		if (in->sys.somaxconn >= 0)
			snprintf(f->advice, sizeof(f->advice),
				 "Make %s accept() faster, or at all: is its accept "
				 "loop blocked, or the process stuck? If bursts are "
				 "expected, raise the backlog given to listen() and "
				 "net.core.somaxconn (now %" PRId64 ") together. The "
				 "queue: tcpstatectl list -p --sport %u",
				 who, in->sys.somaxconn, sk->sport);
		else
			snprintf(f->advice, sizeof(f->advice),
				 "Make %s accept() faster, or at all: is its accept "
				 "loop blocked, or the process stuck? If bursts are "
				 "expected, raise the backlog given to listen() and "
				 "net.core.somaxconn together. The queue: "
				 "tcpstatectl list -p --sport %u",
				 who, sk->sport);
		ev_u64(f, "accept_queue", "accept queue", sk->acceptq_len, NULL);
		/*
		 * listen() kept min(backlog, somaxconn): what the kernel holds
		 * is the effective backlog; at somaxconn, the application most
		 * likely asked for more.
		 */
		ev_u64(f, "effective_backlog", "effective backlog",
		       sk->acceptq_max, NULL);
		if (in->sys.somaxconn >= 0) {
			ev_i64(f, "somaxconn", "net.core.somaxconn",
			       in->sys.somaxconn, NULL);
			ev_bool(f, "backlog_capped", "capped by somaxconn",
				(int64_t)sk->acceptq_max == in->sys.somaxconn);
		}
		ev_bool(f, "full", "full now", l->full);
		if (in->start)
			ev_bool(f, "full_at_start", "full at the start",
				l->full_at_start);
		ev_u64(f, "closed_in_queue", "closed by the peer, not accepted",
		       l->closed, NULL);
		if (l->has_oldest) {
			ev_ms(f, "oldest_queued_ms", "oldest queued connection",
			      l->oldest_queued);
			ev_bool(f, "oldest_queued_is_lower_bound",
				"oldest queued age is a lower bound",
				l->oldest_lb);
			duration(age, sizeof(age), l->oldest_queued);
		}
		if (attrib && has_over)
			ev_u64(f, "listen_overflows",
			       "ListenOverflows during the interval", overflows,
			       NULL);
		if (attrib && has_drops)
			ev_u64(f, "listen_drops",
			       "ListenDrops during the interval", drops, NULL);
		if (attrib && (has_over || has_drops)) {
			ev_bool(f, "overflows_attributed",
				"counters attributed to full listeners",
				true);
			ev_u64(f, "full_listeners", "listeners full", nfull,
			       NULL);
		}
	}
	free(ls);
	free(start_ls);
	return err;
}

/* --- ephemeral-port-exhaustion ----------------------------------------- */

struct eph {
	int family;
	uint8_t laddr[16], raddr[16];
	uint16_t rport;
	const struct diag_sock *sk;
};

static int cmp_eph(const void *a, const void *b)
{
	const struct eph *x = a, *y = b;
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	c = memcmp(x->laddr, y->laddr, 16);
	if (c)
		return c;
	c = memcmp(x->raddr, y->raddr, 16);
	if (c)
		return c;
	return x->rport < y->rport ? -1 : x->rport > y->rport;
}

/* Whether @sk holds a local port from the ephemeral range. */
static bool holds_port(const struct diag_input *in, const struct diag_sock *sk)
{
	if (sk->state == TCPSTATE_LISTEN || sk->state == TCPSTATE_NEW_SYN_RECV ||
	    sk->state == TCPSTATE_CLOSE || !sk->dport)
		return false;
	return sk->sport >= in->sys.port_lo && sk->sport <= in->sys.port_hi;
}

struct pidcount {
	uint32_t pid;
	const char *comm;
	uint64_t n;
};

static int rule_ephemeral(const struct diag_input *in,
			  struct diag_result *out)
{
	const struct diag_thresholds *th = in->th;
	uint64_t range;
	struct eph *e;
	size_t n = 0, i, j, k;
	int err = 0;

	if (in->sys.port_lo <= 0 || in->sys.port_hi < in->sys.port_lo) {
		skip(out, DIAG_R_EPHEMERAL_PORTS,
		     "net.ipv4.ip_local_port_range could not be read");
		return 0;
	}
	if (!in->end)
		return 0;
	range = (uint64_t)(in->sys.port_hi - in->sys.port_lo + 1);
	e = calloc(in->end->n ? in->end->n : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (i = 0; i < in->end->n; i++) {
		const struct diag_sock *sk = &in->end->socks[i];

		if (!in_ns(in, sk) || !holds_port(in, sk))
			continue;
		e[n].family = norm_addr(sk->family, sk->saddr, e[n].laddr);
		if (norm_addr(sk->family, sk->daddr, e[n].raddr) != e[n].family)
			continue;	/* cannot be: both ends are one family */
		e[n].rport = sk->dport;
		e[n].sk = sk;
		n++;
	}
	qsort(e, n, sizeof(*e), cmp_eph);
	for (i = 0; i < n && !err; i = j) {
		uint64_t count, tw = 0, states[TCPSTATE_STATE_MAX + 1] = { 0 };
		struct pidcount *pc = NULL, *top = NULL;
		size_t npc = 0;
		struct diag_finding *f;
		char peer[64], local[64], who[48];
		uint64_t share;

		for (j = i; j < n && !cmp_eph(&e[i], &e[j]); j++)
			;
		count = j - i;
		if (count * 100 < (uint64_t)th->port_share_pct * range)
			continue;
		/* Who opened them: fd holders, or the process that closed them. */
		pc = calloc(count * DIAG_SOCK_PROCS, sizeof(*pc));
		if (!pc) {
			err = -ENOMEM;
			break;
		}
		for (k = i; k < j; k++) {
			const struct diag_sock *sk = e[k].sk;
			unsigned int m;
			size_t q;

			states[sk->state <= TCPSTATE_STATE_MAX ? sk->state : 0]++;
			if (sk->state == TCPSTATE_TIME_WAIT)
				tw++;
			if (sk->owner_kind != TCPSTATE_OWNER_FD &&
			    sk->owner_kind != TCPSTATE_OWNER_CLOSED_BY)
				continue;
			for (m = 0; m < sk->nprocs; m++) {
				for (q = 0; q < npc; q++)
					if (pc[q].pid == sk->procs[m].pid)
						break;
				if (q == npc) {
					pc[npc].pid = sk->procs[m].pid;
					pc[npc].comm = sk->procs[m].comm;
					npc++;
				}
				pc[q].n++;
				if (!top || pc[q].n > top->n ||
				    (pc[q].n == top->n && pc[q].pid < top->pid))
					top = &pc[q];
			}
		}
		share = count * 100 / range;
		f = new_finding(out, DIAG_R_EPHEMERAL_PORTS,
				count * 100 >= 90 * range ? DIAG_CRITICAL :
							    DIAG_WARNING,
				count);
		if (!f) {
			free(pc);
			err = -ENOMEM;
			break;
		}
		f->has_peer = true;
		f->pfamily = (uint8_t)e[i].family;
		memcpy(f->paddr, e[i].raddr, 16);
		f->pport = e[i].rport;
		endpoint(peer, sizeof(peer), e[i].family, e[i].raddr,
			 e[i].rport);
		{
			char *end = fmt_addr(local, e[i].family, e[i].laddr);

			*end = '\0';
		}
		if (top) {
			set_process(f, top->pid, top->comm);
			proc_name(who, sizeof(who), top->pid, top->comm);
		}
		snprintf(f->summary, sizeof(f->summary),
			 "%" PRIu64 " sockets from %s to %s hold %" PRIu64 "%% of the local port range (%" PRIu64 " in TIME_WAIT)%s%s",
			 count, local, peer, share, tw, top ? "; opened by " : "",
			 top ? who : "");
		snprintf(f->advice, sizeof(f->advice),
			 "Reuse connections to %s (keep-alive, a connection pool) "
			 "instead of opening one per request, and let the peer close "
			 "first where the protocol allows, so that TIME_WAIT stays on "
			 "its side. Widen net.ipv4.ip_local_port_range (now %" PRId64
			 "-%" PRId64 ") or spread the connections over more source "
			 "addresses; net.ipv4.tcp_tw_reuse=1 lets new outgoing "
			 "connections reuse TIME_WAIT ports safely.",
			 peer, in->sys.port_lo, in->sys.port_hi);
		ev_str(f, "local_addr", "local address", local);
		ev_u64(f, "sockets", "sockets holding a local port", count,
		       NULL);
		ev_u64(f, "port_range", "ports in ip_local_port_range", range,
		       NULL);
		ev_u64(f, "share_pct", "share of the range", share, "%");
		ev_u64(f, "time_wait", "of them in TIME_WAIT", tw, NULL);
		ev_u64(f, "established", "of them ESTABLISHED",
		       states[TCPSTATE_ESTABLISHED], NULL);
		if (top)
			ev_u64(f, "process_sockets",
			       "of them opened or closed by that process",
			       top->n, NULL);
		free(pc);
	}
	free(e);
	return err;
}

/* --- resources a sysctl bounds ------------------------------------------- */

/*
 * time-wait-overflow and orphan-pressure: a resource in use (the level)
 * against the sysctl that bounds it, and a counter whose growth during
 * the interval (the hits) says the bound was reached and connections paid
 * for it.
 */
struct limit {
	enum diag_rule rule;
	int64_t limit;			/* the sysctl; <= 0: unknown */
	uint32_t share_pct;		/* a warning from this share of it */
	uint32_t critical_pct;		/* critical from this share; 0: never */
	const char *hit_summary;	/* format: hits, level */
	const char *level_summary;	/* format: level, its share, limit */
	const char *advice;
};

/*
 * The finding of @l in *@fp, with @level in use (known if @has_level)
 * and @hits (0 if unknown): critical on hits or at critical_pct, a
 * warning at share_pct, else none (*@fp NULL); its summary and advice
 * set, its evidence the caller's. Returns 0 or -ENOMEM.
 */
static int limit_finding(struct diag_result *out, const struct limit *l,
			 bool has_level, uint64_t level, uint64_t hits,
			 struct diag_finding **fp)
{
	bool known = has_level && l->limit > 0;
	uint64_t limit = known ? (uint64_t)l->limit : 0;
	struct diag_finding *f;
	bool critical;

	*fp = NULL;
	if (!hits && !(known && level * 100 >= l->share_pct * limit))
		return 0;
	critical = hits || (l->critical_pct && known &&
			    level * 100 >= l->critical_pct * limit);
	f = new_finding(out, l->rule, critical ? DIAG_CRITICAL : DIAG_WARNING,
			level);
	if (!f)
		return -ENOMEM;
	if (hits)
		snprintf(f->summary, sizeof(f->summary), l->hit_summary, hits,
			 level);
	else
		snprintf(f->summary, sizeof(f->summary), l->level_summary,
			 level, level * 100 / limit, l->limit);
	snprintf(f->advice, sizeof(f->advice), "%s", l->advice);
	*fp = f;
	return 0;
}

/* The sysctl @limit (when known) and @level's share of it. */
static void ev_limit(struct diag_finding *f, const char *key,
		     const char *label, uint64_t level, int64_t limit)
{
	if (limit <= 0)
		return;
	ev_i64(f, key, label, limit, NULL);
	ev_u64(f, "share_pct", "share of the limit",
	       level * 100 / (uint64_t)limit, "%");
}

/* --- time-wait-overflow ------------------------------------------------ */

static int rule_time_wait(const struct diag_input *in,
			  struct diag_result *out)
{
	uint64_t tw = 0, over = 0, i;
	bool has_over = DELTA(in, tw_overflow, &over);
	const struct limit l = {
		.rule = DIAG_R_TIME_WAIT_OVERFLOW,
		.limit = in->sys.max_tw_buckets,
		.share_pct = in->th->tw_share_pct,
		.hit_summary = "%" PRIu64 " connections skipped TIME_WAIT during the interval: the table is full (%" PRIu64 " TIME_WAIT sockets)",
		.level_summary = "%" PRIu64 " TIME_WAIT sockets, %" PRIu64 "%% of net.ipv4.tcp_max_tw_buckets (%" PRId64 ")",
		.advice = "Find who closes first toward whom (tcpstatectl counts --by raddr --state time-wait) and reuse connections instead of opening one per request; let the peer close first where the protocol allows. Raising net.ipv4.tcp_max_tw_buckets only moves the limit.",
	};
	struct diag_finding *f;
	int ret;

	if (in->sys.max_tw_buckets <= 0 && !has_over) {
		skip(out, DIAG_R_TIME_WAIT_OVERFLOW,
		     "neither net.ipv4.tcp_max_tw_buckets nor the TcpExt counters could be read");
		return 0;
	}
	if (in->c1.has_sockstat) {
		tw = in->c1.tw;
	} else if (in->end) {
		for (i = 0; i < in->end->n; i++)
			tw += in->end->socks[i].state == TCPSTATE_TIME_WAIT &&
			      in_ns(in, &in->end->socks[i]);
	}
	ret = limit_finding(out, &l, true, tw, over, &f);
	if (ret || !f)
		return ret;
	ev_u64(f, "time_wait", "TIME_WAIT sockets", tw, NULL);
	ev_limit(f, "max_tw_buckets", "net.ipv4.tcp_max_tw_buckets", tw,
		 in->sys.max_tw_buckets);
	if (has_over)
		ev_u64(f, "tw_overflow", "TCPTimeWaitOverflow during the interval",
		       over, NULL);
	return 0;
}

/* --- orphan-pressure ---------------------------------------------------- */

static int rule_orphans(const struct diag_input *in, struct diag_result *out)
{
	uint64_t orphans = in->c1.orphans, aborts = 0;
	bool has_aborts = DELTA(in, abort_on_memory, &aborts);
	const struct limit l = {
		.rule = DIAG_R_ORPHAN_PRESSURE,
		.limit = in->sys.max_orphans,
		.share_pct = in->th->orphan_share_pct,
		.critical_pct = 90,
		.hit_summary = "%" PRIu64 " connections reset at close for lack of memory or orphan room during the interval (%" PRIu64 " orphans on the host)",
		.level_summary = "%" PRIu64 " orphaned sockets on the host, %" PRIu64 "%% of net.ipv4.tcp_max_orphans (%" PRId64 ")",
		.advice = "See who closed connections that cannot drain: tcpstatectl list -p --state fin-wait-1,fin-wait-2,closing,last-ack (the closed-by process). Peers that stop reading keep orphans in FIN_WAIT1 with full send queues; lower net.ipv4.tcp_orphan_retries and tcp_fin_timeout shorten their life. Raise net.ipv4.tcp_max_orphans only with memory to back it (up to 64 KiB each).",
	};
	struct diag_finding *f;
	int ret;

	if ((!in->c1.has_sockstat || in->sys.max_orphans <= 0) && !has_aborts) {
		skip(out, DIAG_R_ORPHAN_PRESSURE, "%s%s",
		     !in->c1.has_sockstat ?
		     "/proc/net/sockstat could not be read" :
		     "net.ipv4.tcp_max_orphans could not be read (it exists only in the initial network namespace: reading it from another needs CAP_SYS_ADMIN)",
		     in->has_c0 ? "; nor could the TcpExt counters" :
		     "; and one snapshot shows no TCPAbortOnMemory growth");
		return 0;
	}
	ret = limit_finding(out, &l, in->c1.has_sockstat, orphans, aborts,
			    &f);
	if (ret || !f)
		return ret;
	if (in->c1.has_sockstat)
		ev_u64(f, "orphans", "orphaned sockets (host-wide)", orphans,
		       NULL);
	ev_limit(f, "max_orphans", "net.ipv4.tcp_max_orphans", orphans,
		 in->sys.max_orphans);
	if (has_aborts)
		ev_u64(f, "abort_on_memory", "TCPAbortOnMemory during the interval",
		       aborts, NULL);
	ev_bool(f, "host_wide", "counted for the whole host", true);
	return 0;
}

/* --- event rules ---------------------------------------------------------- */

struct evref {
	const struct diag_event *ev;
};

static int cmp_evref(const void *a, const void *b)
{
	const struct diag_event *x = ((const struct evref *)a)->ev;
	const struct diag_event *y = ((const struct evref *)b)->ev;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return strncmp(x->comm, y->comm, sizeof(x->comm));
}

static const enum diag_rule ev_rule[] = {
	[TCPSTATE_EV_UNREAD_CLOSE] = DIAG_R_UNREAD_CLOSE_RST,
	[TCPSTATE_EV_LINGER_ABORT] = DIAG_R_LINGER_ABORT,
	[TCPSTATE_EV_EPIPE] = DIAG_R_SIGPIPE,
};

/* One finding for the events of one type of one process: refs[0..n). */
static int event_finding(const struct diag_input *in, struct diag_result *out,
			 const struct evref *refs, size_t n,
			 uint64_t abort_on_close, bool has_aoc,
			 uint64_t unread_rst_total)
{
	const struct diag_event *first = refs[0].ev;
	uint64_t bytes = 0, rst = 0, sig = 0;
	char (*peers)[DIAG_STR_LEN];
	const struct diag_proc *p;
	struct diag_finding *f;
	enum diag_severity sev;
	char who[40];
	size_t i, np = 0;
	bool gone = false;

	for (i = 0; i < n; i++) {
		bytes += refs[i].ev->unread;
		rst += refs[i].ev->rst;
		sig += refs[i].ev->sigpipe;
	}
	if (first->type == TCPSTATE_EV_EPIPE) {
		if (sig < in->th->events_min || !sig)
			return 0;
	} else if (n < in->th->events_min) {
		return 0;
	}
	p = find_proc(in, first->pid);
	gone = p && p->gone;
	switch (first->type) {
	case TCPSTATE_EV_UNREAD_CLOSE:
		sev = DIAG_WARNING;
		break;
	case TCPSTATE_EV_LINGER_ABORT:
		sev = DIAG_INFO;
		break;
	default:
		sev = gone ? DIAG_CRITICAL : DIAG_WARNING;
		break;
	}
	f = new_finding(out, ev_rule[first->type], sev,
			first->type == TCPSTATE_EV_EPIPE ? sig : n);
	if (!f)
		return -ENOMEM;
	if (first->pid) {
		set_process(f, first->pid, first->comm);
		proc_name(who, sizeof(who), first->pid, first->comm);
	} else {
		/* A process this namespace's side cannot name. */
		set_process(f, 0, first->comm);
		snprintf(who, sizeof(who), "%s (pid not visible)", first->comm);
	}
	peers = calloc(n, DIAG_STR_LEN);
	if (!peers)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct diag_event *ev = refs[i].ev;

		if (first->type == TCPSTATE_EV_EPIPE && !ev->sigpipe)
			continue;
		endpoint(peers[np++], DIAG_STR_LEN, ev->family, ev->daddr,
			 ev->dport);
	}
	/* A single peer is the finding's peer. */
	for (i = 1; i < n; i++)
		if (refs[i].ev->dport != first->dport ||
		    memcmp(refs[i].ev->daddr, first->daddr, 16))
			break;
	if (i == n) {
		f->has_peer = true;
		f->pfamily = first->family;
		memcpy(f->paddr, first->daddr, 16);
		f->pport = first->dport;
	}
	switch (first->type) {
	case TCPSTATE_EV_UNREAD_CLOSE:
		snprintf(f->summary, sizeof(f->summary),
			 "%s closed %zu connection%s with unread data: %" PRIu64 " bytes discarded, %" PRIu64 " reset",
			 who, n, n == 1 ? "" : "s", bytes, rst);
		snprintf(f->advice, sizeof(f->advice),
			 "Make %s read what the peer sent before close() (a request "
			 "body or a pipelined request it did not consume), or "
			 "shutdown(SHUT_WR) and read to EOF before close() when it "
			 "means to end the connection cleanly. Each close: sudo "
			 "tcpstatectl events --type %s --pid %u",
			 who, ts_event_type_name(first->type), first->pid);
		ev_u64(f, "connections", "connections closed with unread data",
		       n, NULL);
		ev_u64(f, "bytes_discarded", "unread bytes discarded", bytes,
		       "bytes");
		ev_u64(f, "rst", "of them reset (RST instead of FIN)", rst,
		       NULL);
		if (has_aoc) {
			ev_u64(f, "abort_on_close",
			       "TCPAbortOnClose during the interval (namespace)",
			       abort_on_close, NULL);
			ev_u64(f, "rst_events", "resets seen as events (namespace)",
			       unread_rst_total, NULL);
		}
		break;
	case TCPSTATE_EV_LINGER_ABORT:
		snprintf(f->summary, sizeof(f->summary),
			 "%s aborted %zu connection%s with SO_LINGER 0 (%" PRIu64 " reset)",
			 who, n, n == 1 ? "" : "s", rst);
		snprintf(f->advice, sizeof(f->advice),
			 "If the resets are not meant, remove SO_LINGER {1, 0} from "
			 "%s; to avoid TIME_WAIT, let the peer close first or reuse "
			 "connections instead. Each abort: sudo tcpstatectl events "
			 "--type %s --pid %u",
			 who, ts_event_type_name(first->type), first->pid);
		ev_u64(f, "aborts", "SO_LINGER 0 closes", n, NULL);
		ev_u64(f, "rst", "of them reset", rst, NULL);
		break;
	default:
		snprintf(f->summary, sizeof(f->summary),
			 "%s got SIGPIPE %" PRIu64 " time%s writing to reset connections%s",
			 who, sig, sig == 1 ? "" : "s",
			 gone ? "; it is gone now (most likely killed by it)" :
				p ? "; it is still running" : "");
		snprintf(f->advice, sizeof(f->advice),
			 "%s %s. Ignore SIGPIPE (signal(SIGPIPE, SIG_IGN)) or send "
			 "with MSG_NOSIGNAL, and treat EPIPE and ECONNRESET as a "
			 "closed connection. Each write: sudo tcpstatectl events "
			 "--type %s --pid %u",
			 who, gone ? "is gone: SIGPIPE most likely killed it" :
			 "survived (it handles or ignores SIGPIPE), but its writes "
			 "went nowhere", ts_event_type_name(first->type),
			 first->pid);
		ev_u64(f, "sigpipe", "writes that raised SIGPIPE", sig, NULL);
		ev_u64(f, "epipe_events", "EPIPE writes in all", n, NULL);
		if (p)
			ev_bool(f, "process_gone", "process gone now", gone);
		break;
	}
	ev_strs(f, "peers", "peers", peers, np);
	free(peers);
	return 0;
}

static int rule_events(const struct diag_input *in, struct diag_result *out)
{
	struct evref *refs;
	size_t n = 0, i, j;
	uint64_t aoc = 0, rst_total = 0;
	bool has_aoc = DELTA(in, abort_on_close, &aoc);
	int err = 0, t;

	for (t = 1; t <= TCPSTATE_EV_MAX; t++) {
		if (!in->event_skip[t])
			continue;
		if (t == TCPSTATE_EV_UNREAD_CLOSE && has_aoc && aoc)
			skip(out, ev_rule[t],
			     "%s; TcpExtTCPAbortOnClose grew by %" PRIu64 " during the interval: closes with unread data did happen",
			     in->event_skip[t], aoc);
		else
			skip(out, ev_rule[t], "%s", in->event_skip[t]);
	}
	refs = calloc(in->nevents ? in->nevents : 1, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	for (i = 0; i < in->nevents; i++) {
		const struct diag_event *ev = &in->events[i];

		if (ev->type < 1 || ev->type > TCPSTATE_EV_MAX ||
		    in->event_skip[ev->type])
			continue;
		refs[n++].ev = ev;
		if (ev->type == TCPSTATE_EV_UNREAD_CLOSE)
			rst_total += ev->rst;
	}
	qsort(refs, n, sizeof(*refs), cmp_evref);
	for (i = 0; i < n && !err; i = j) {
		for (j = i + 1; j < n && !cmp_evref(&refs[i], &refs[j]); j++)
			;
		err = event_finding(in, out, refs + i, j - i, aoc, has_aoc,
				    rst_total);
	}
	free(refs);
	/*
	 * Resets the counter saw and no event named (events lost, or closes
	 * the probes missed): say so rather than stay silent.
	 */
	if (!err && !in->event_skip[TCPSTATE_EV_UNREAD_CLOSE] && has_aoc &&
	    aoc > rst_total && (aoc - rst_total) >= in->th->events_min) {
		struct diag_finding *f = new_finding(out, DIAG_R_UNREAD_CLOSE_RST,
						     DIAG_WARNING,
						     aoc - rst_total);

		if (!f)
			return -ENOMEM;
		snprintf(f->summary, sizeof(f->summary),
			 "TcpExtTCPAbortOnClose grew by %" PRIu64 " during the interval, %" PRIu64 " more than the events that name a closer%s",
			 aoc, aoc - rst_total,
			 in->events_lost ? " (events were lost)" : "");
		snprintf(f->advice, sizeof(f->advice),
			 "Watch the closes as they happen: sudo tcpstatectl events "
			 "--type %s; then make that process read what the "
			 "peer sent before close().",
			 ts_event_type_name(TCPSTATE_EV_UNREAD_CLOSE));
		ev_u64(f, "abort_on_close",
		       "TCPAbortOnClose during the interval (namespace)", aoc,
		       NULL);
		ev_u64(f, "rst_events", "resets seen as events", rst_total,
		       NULL);
		ev_u64(f, "events_lost", "events lost", in->events_lost, NULL);
	}
	return err;
}

/* --- running and ordering ------------------------------------------------ */

static int cmp_finding(const void *a, const void *b)
{
	const struct diag_finding *x = a, *y = b;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->process.pid != y->process.pid)
		return x->process.pid < y->process.pid ? -1 : 1;
	if (x->lport != y->lport)
		return x->lport < y->lport ? -1 : 1;
	c = memcmp(x->paddr, y->paddr, 16);
	if (c)
		return c;
	if (x->pport != y->pport)
		return x->pport < y->pport ? -1 : 1;
	return strcmp(x->summary, y->summary);
}

void diag_sort(struct diag_result *r)
{
	if (r->n > 1)
		qsort(r->findings, r->n, sizeof(*r->findings), cmp_finding);
}

/*
 * The rules in their order, and which of them need the namespace's
 * counters and sysctls (skipped, with in->ns_files_why, when those could
 * not be read; DIAG_R_COUNT: none or several, the rule's own business).
 */
static const struct {
	int (*run)(const struct diag_input *in, struct diag_result *out);
	enum diag_rule needs_files;
} rules[] = {
	{ rule_close_wait, DIAG_R_COUNT },
	{ rule_accept_queue, DIAG_R_COUNT },
	{ rule_ephemeral, DIAG_R_EPHEMERAL_PORTS },
	{ rule_time_wait, DIAG_R_TIME_WAIT_OVERFLOW },
	{ rule_orphans, DIAG_R_ORPHAN_PRESSURE },
	{ rule_events, DIAG_R_COUNT },
};

int diag_run(const struct diag_input *in, struct diag_result *out)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (in->ns_files_why && rules[i].needs_files != DIAG_R_COUNT)
			skip(out, rules[i].needs_files, "%s", in->ns_files_why);
		else
			err = rules[i].run(in, out);
	}
	diag_sort(out);
	return err;
}

void diag_wanted_pids(const struct diag_input *in,
		      void (*cb)(uint32_t pid, void *data), void *data)
{
	size_t i;
	unsigned int j;

	for (i = 0; in->end && i < in->end->n; i++) {
		const struct diag_sock *sk = &in->end->socks[i];

		if (sk->state != TCPSTATE_CLOSE_WAIT || !in_ns(in, sk) ||
		    sk->owner_kind != TCPSTATE_OWNER_FD)
			continue;
		for (j = 0; j < sk->nprocs; j++)
			cb(sk->procs[j].pid, data);
	}
	for (i = 0; i < in->nevents; i++)
		if (in->events[i].pid)
			cb(in->events[i].pid, data);
}
