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
 * Where a walk stopped; all zero is the beginning. The place within a
 * bucket is kept by the walk (struct tcpstate_walk, pins[]): the last
 * sockets of the bucket it went past, referenced. Within a bucket the walk
 * resumes after the most recent of them still in the chain, found without
 * scanning: chains gain sockets only at their head (or, for IPv6
 * SO_REUSEPORT listeners, at their tail), removals do not reorder the
 * rest, and the only sockets that take a place in the middle replace one
 * in place (a request socket's child; on 6.12 also a TIME_WAIT socket
 * its full socket; so in the Debian 6.1.192 and 6.12.118 sources tested,
 * while earlier point releases add those at the head, which is before
 * every pin and as safe), which the walk recognizes by their keys when
 * it goes on from an older pin: so what follows is exactly what was not visited
 * yet, however the bucket changed meanwhile. Remembering only the very
 * last one is not enough: a dump that stops on a socket that closes before
 * the next read would lose its place. A held socket cannot be freed and
 * reused, so none passes for another; one that left the chain and came
 * back to it (a listener that shut down and listens again, a connection
 * that connects again) marks no place any more and counts as gone:
 * sockwalk.c, marks_read(), says how that is told, and which ways back
 * are not caught (a listener's SOCK_DESTROY or TCP_REPAIR, then listen();
 * a connection's TCP_REPAIR).
 *
 * The guarantee, per bucket: a socket hashed there for the whole walk is
 * visited exactly once as long as one of the last TCPSTATE_WALK_PINS
 * sockets gone past before each pause stays there unchanged. Only if all
 * of them are gone does the walk fall back to the position, as inet_diag
 * does (a socket may then be listed twice or missed; not one of those
 * pins, nor what replaced one, that the lock hold going back finds past
 * that position, though a new connection with the keys of one that went
 * is missed there as it is when going on from an older pin). A socket that
 * leaves and comes back meanwhile may be visited twice (back at the
 * tail) or not at all (back at the head), as in inet_diag.
 *
 * The budget, per bucket: falling back to the position means going back
 * to the chain's head, and so does resuming from a place found at the
 * head where it was not (a listener back there in a way same_place() does
 * not catch; a connection only with an older pin still behind it, since
 * one is also at the head when all before it left), and so does finding a
 * hold ended in another chain. A chain whose places keep going between
 * two lock holds could keep a walk there for ever; after
 * TCPSTATE_WALK_RESTARTS such returns to its head the walk leaves the
 * rest of that chain unvisited and goes on with the next bucket (counted
 * in the walk_abandoned parameter), which is what a walk by position does
 * with a chain that changes under it too: it misses sockets. The
 * guarantee above does not hold for such a bucket, by definition of it
 * (all places gone, again and again). What the budget bounds is only
 * those returns to the head, not the work spent in a bucket: a walk also
 * stays there as long as sockets join the tail (IPv6 SO_REUSEPORT
 * listeners) faster than it goes, and going back from a gone pin to an
 * older one still there is not charged (it rescans at most what lay
 * between them, each lock hold still bounded).
 */
#define TCPSTATE_WALK_RESTARTS 8

struct tcpstate_cursor {
	u32 table;	/* 0: lhash2, 1: the first ehash, 2..: see walk->net */
	u32 bucket;
	u32 num;	/* position of the next matching socket to visit */
	u32 skip;	/* after a fallback: visit from this position on */
};

/*
 * What tells that a socket we hold left its chain and came back
 * (sockwalk.c: marks_read(), same_place()), read under the bucket lock.
 */
struct tcpstate_sk_marks {
	u32 isn;	/* a connection's initial sequence number */
	u32 disc;	/* a connection's sk_disconnects */
	u32 seq;	/* write_seq, of a connection or a listener */
	bool syn_sent;	/* a connection in SYN_SENT */
};

/* A socket of the current bucket the walk went past, referenced. */
struct tcpstate_pin {
	struct sock *sk;
	struct net *net;	/* its namespace, referenced, or NULL */
	u32 num;	/* matching sockets of the bucket up to and with it */
	struct tcpstate_sk_marks marks;
	bool done;	/* visited or counted, not only a place to resume */
	bool first;	/* at the head of its chain when pinned */
	bool gone;	/* judged not where it was: never a place again */
};

/* How many of a bucket's last sockets a walk holds. */
#define TCPSTATE_WALK_PINS 16

/*
 * A walk and the one cursor it is used with. The ehash tables are taken
 * one at a time: first the caller's namespace's (the global one for all
 * namespaces, which holds the sockets of every namespace without a private
 * ehash), then, for all namespaces, each namespace with a private ehash in
 * the order of net_namespace_list, which only grows at its tail. Only the
 * namespace being walked is referenced, so no number of namespaces is too
 * many: each one alive for the whole walk is walked once, and one created
 * meanwhile may be. The pins are let go when the walk leaves their bucket
 * or is released: a dump left unread holds at most TCPSTATE_WALK_PINS
 * sockets (and, for all namespaces, their namespaces) besides that one.
 */
struct tcpstate_walk {
	const struct tcpstate_filter *filter;
	struct inet_hashinfo *lhash;	/* the (global) listening hash */
	struct inet_hashinfo *first;	/* the first ehash table */
	/* cursor table >= 2: the namespace of that private table, held */
	struct net *net;
	u32 n_pins;	/* pins held, at most TCPSTATE_WALK_PINS */
	u32 pin_next;	/* where the next pin goes in the ring */
	u32 restarts;	/* returns to the current bucket's head */
	struct tcpstate_pin pins[TCPSTATE_WALK_PINS];
	/* tcpstate_walk_locked(): what it counts with */
	void (*count)(const struct sock *sk, int state, void *arg);
	void *count_arg;
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
 * Count matching sockets per state without taking a reference on each:
 * @fn runs under the bucket lock and must not sleep or fail. Lock holds
 * are bounded as in tcpstate_walk(): a chain of at most SCAN entries
 * (256, sockwalk.c) is counted in one hold, a longer one in holds of SCAN
 * entries with the last TCPSTATE_WALK_PINS entries of each held as
 * places; @fn sees each socket as that walk would visit it.
 */
typedef void (*tcpstate_count_fn)(const struct sock *sk, int state, void *arg);
void tcpstate_walk_locked(struct tcpstate_walk *w, tcpstate_count_fn fn,
			  void *arg);

#endif /* _TCPSTATE_SOCKWALK_H */
