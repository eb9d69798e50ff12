/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The module's event stream, as events and diagnose read it: the
 * datagrams of the events group (each a batch of event messages) and of
 * nlctrl's notify group (the family going away), many per system call;
 * each event parsed and its sequence number counted (seqtrack.h); and, at
 * the end, the wait for the events the module has numbered but not sent
 * yet. What to do with an event is the caller's (@on_event).
 */
#ifndef TCPSTATECTL_EVSTREAM_H
#define TCPSTATECTL_EVSTREAM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nl.h"
#include "parse.h"
#include "seqtrack.h"

struct evstream {
	int fd;
	uint16_t family;	/* the module's family id */
	bool unloaded;		/* its family went away */
	struct seqtrack seq;
	/* When set (by a signal), a receive stops after its batch; or NULL. */
	const volatile sig_atomic_t *stop;
	/*
	 * Each well-formed event, once its number is counted; @lost: the
	 * numbers that became lost with it (seqtrack_add).
	 */
	void (*on_event)(void *data, const struct ts_event *ev, uint64_t lost);
	void *data;
};

/*
 * Join @nl to the events group (and nlctrl's notify group), ask for a
 * receive buffer of @rcvbuf bytes, and expect the events numbered after
 * @last_seq (GET_STATS's event_seq, taken before). Returns 0, or
 * tsnl_join_events()'s negative errno.
 */
int evstream_open(struct evstream *es, struct tsnl *nl, uint64_t last_seq,
		  int rcvbuf, void (*on_event)(void *, const struct ts_event *,
					       uint64_t),
		  void *data);

/*
 * Everything queued now, many datagrams per recvmmsg(); stops early when
 * the family goes away or *stop is set. Returns 0, or -1 with errno.
 */
int evstream_receive(struct evstream *es);

/*
 * At the end: what is queued, and the events the module numbered up to
 * @last but has not sent yet, waiting up to a second in all; then every
 * number up to @last that never came counts as lost. Returns those newly
 * lost (seqtrack_finish).
 */
uint64_t evstream_finish(struct evstream *es, uint64_t last);

/* One received datagram of @n bytes (for the tests). */
void evstream_datagram(struct evstream *es, const char *buf, size_t n);

#endif
