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
 * A socket the walk visited, remembered by address and checked by hash and
 * ports (never dereferenced unless found in the chain under its lock).
 */
struct tcpstate_seen {
	unsigned long sk;
	u32 hash;
	__portpair ports;
};

/* How many of a bucket's last visited sockets a cursor remembers. */
#define TCPSTATE_CURSOR_SEEN 16

/*
 * Where a walk stopped; all zero is the beginning. Within a bucket the walk
 * resumes after the last visited socket that is still in the chain. Chains
 * gain sockets only at their head (or, for IPv6 SO_REUSEPORT listeners, at
 * their tail) and removals do not reorder the rest, so what follows that
 * socket is exactly what was not visited yet, however the bucket changed
 * meanwhile. Remembering only the very last one is not enough: a dump that
 * stops on a socket that closes before the next read would lose its place.
 * Only if all of the last TCPSTATE_CURSOR_SEEN visited sockets are gone does
 * it fall back to the position, as inet_diag does (a socket may then be
 * listed twice or missed). A new socket at a remembered address, with the
 * same hash and ports, passes for the old one: at the head, the walk lists
 * again what follows it (twice, never missed); at the tail (an IPv6
 * SO_REUSEPORT listener reusing a closed one's memory and port) it ends
 * that bucket early.
 */
struct tcpstate_cursor {
	u32 table;	/* 0: lhash2, 1: the first ehash, 2..: see walk->net */
	u32 bucket;
	u32 num;	/* position of the next matching socket to visit */
	u32 n_seen;	/* sockets of the bucket visited (the ring: the last) */
	struct tcpstate_seen seen[TCPSTATE_CURSOR_SEEN];
};

/*
 * A walk and the one cursor it is used with. The ehash tables are taken
 * one at a time: first the caller's namespace's (the global one for all
 * namespaces, which holds the sockets of every namespace without a private
 * ehash), then, for all namespaces, each namespace with a private ehash in
 * the order of net_namespace_list, which only grows at its tail. Only the
 * namespace being walked is referenced, so no number of namespaces is too
 * many: each one alive for the whole walk is walked once, and one created
 * meanwhile may be.
 */
struct tcpstate_walk {
	const struct tcpstate_filter *filter;
	struct inet_hashinfo *lhash;	/* the (global) listening hash */
	struct inet_hashinfo *first;	/* the first ehash table */
	/* cursor table >= 2: the namespace of that private table, held */
	struct net *net;
};

/*
 * Called for each matching socket, without any hash lock and with a
 * reference held on the socket and on its namespace: sock_net(sk) may be
 * dereferenced (the caller's own namespace in a scoped walk; in a walk of
 * every namespace, sockets of a namespace being dismantled are skipped).
 * Return 0 to go on, or a negative errno to stop; the cursor then points
 * at this socket, which is visited again on resume.
 */
typedef int (*tcpstate_visit_fn)(struct sock *sk, int state, void *arg);

/*
 * Set up a walk of f->net (or of every netns when f->net is NULL); the
 * filter must outlive it.
 */
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
