/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tcpstatectl diagnose: what it asks the module. Snapshots are list -p's
 * dump (query.c); events come from the events group through the stream
 * tcpstatectl events reads (evstream.c).
 */
#ifndef TCPSTATECTL_DIAG_COLLECT_H
#define TCPSTATECTL_DIAG_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag_rules.h"
#include "evstream.h"
#include "nl.h"
#include "parse.h"

/* The parts of a dumped socket and of an event the rules use. */
void diag_sock_from_ts(const struct ts_sock *ts, struct diag_sock *sk);
void diag_event_from_ts(const struct ts_event *ev, struct diag_event *de);

/*
 * Every socket of the caller's namespace (or of all, @all_netns) with its
 * owners. Returns 0 or a negative errno (nl->errmsg may say more).
 */
int diag_snapshot_take(struct tsnl *nl, bool all_netns,
		       struct diag_snapshot *snap);

/* Events kept at most; more are counted in not_kept. */
#define DIAG_EVENTS_MAX 1000000

struct diag_evsub {
	struct tsnl nl;
	bool open;
	struct evstream es;	/* es.unloaded: the module went away */
	struct diag_event *ev;
	size_t n, cap;
	uint64_t not_kept;
	uint32_t netns;		/* only events of this namespace are kept */
	uint64_t max_seq;	/* 0, or: later events are not kept */
};

/*
 * Subscribe. @st: GET_STATS of the caller's namespace, just taken. On
 * failure returns a negative errno with why no event can be seen in
 * @why (no privilege, events off in this module or kernel).
 */
int diag_events_open(struct diag_evsub *s, const struct ts_stats *st,
		     char *why, size_t len);
/* Take what arrives for up to @timeout_ms (0: only what is queued). */
int diag_events_poll(struct diag_evsub *s, int timeout_ms);
/*
 * At the end: wait (up to 1 s) for the events the module has numbered up
 * to @last_seq but not sent yet, then count what never came as lost.
 */
void diag_events_finish(struct diag_evsub *s, uint64_t last_seq);
void diag_events_close(struct diag_evsub *s);

#endif
