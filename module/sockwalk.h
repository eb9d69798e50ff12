/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A resumable walk over the TCP hash tables: listeners (lhash2), then the
 * established hash (full, TIME_WAIT and request sockets) of every table
 * that can hold sockets of the wanted namespaces.
 */
#ifndef _TCPSTATE_SOCKWALK_H
#define _TCPSTATE_SOCKWALK_H

#include <net/inet_hashtables.h>

#include "filter.h"

/*
 * Where a walk stopped; all zero is the beginning. Within a bucket the
 * walk resumes after the last socket it visited, found again by address
 * and checked by hash and ports (never dereferenced unless found in the
 * chain): chains only gain sockets at their head, so what follows it is
 * exactly what is left, however the bucket changed meanwhile. If that
 * socket is gone, it falls back to the position, as inet_diag does.
 */
struct tcpstate_cursor {
	u32 table;	/* 0: lhash2, 1..: ehash tables[table - 1] */
	u32 bucket;
	u32 num;	/* matching sockets of the bucket already handled */
	u32 after_hash;	/* sk_hash and sk_portpair of ... */
	__portpair after_ports;
	unsigned long after;	/* ... the last socket visited, or 0 */
};

#define TCPSTATE_WALK_MAX_TABLES 64

struct tcpstate_walk {
	const struct tcpstate_filter *filter;
	struct inet_hashinfo *lhash;	/* the (global) listening hash */
	unsigned int n_tables;
	/*
	 * ehash tables to walk. tables[0] is the caller's netns table (the
	 * global one unless the netns has a private ehash). For all
	 * namespaces, tables[0] is the global table and the rest are private
	 * tables, each holding a reference on its netns in nets[].
	 */
	struct inet_hashinfo *tables[TCPSTATE_WALK_MAX_TABLES];
	struct net *nets[TCPSTATE_WALK_MAX_TABLES];
	bool truncated;	/* more private tables than we could hold */
};

/*
 * Called for each matching socket, without any hash lock and with a
 * reference held. Return 0 to go on, or a negative errno to stop; the
 * cursor then points at this socket, which is visited again on resume.
 */
typedef int (*tcpstate_visit_fn)(struct sock *sk, int state, void *arg);

/* Set up the tables for f->net (or every netns when f->net is NULL). */
void tcpstate_walk_init(struct tcpstate_walk *w,
			const struct tcpstate_filter *f);
void tcpstate_walk_release(struct tcpstate_walk *w);

/* Returns 0 once every socket was visited, or what @visit returned. */
int tcpstate_walk(struct tcpstate_walk *w, struct tcpstate_cursor *c,
		  tcpstate_visit_fn visit, void *arg);

/*
 * Count matching sockets per state without taking socket references:
 * @visit_locked runs under the bucket lock and must not sleep or fail.
 */
typedef void (*tcpstate_count_fn)(const struct sock *sk, int state, void *arg);
void tcpstate_walk_locked(struct tcpstate_walk *w, tcpstate_count_fn fn,
			  void *arg);

#endif /* _TCPSTATE_SOCKWALK_H */
