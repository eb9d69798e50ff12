/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Age in state: when did each TCP socket enter its current state? The
 * kernel keeps no such timestamp, so the module records one at every state
 * change, in bounded tables that forget a socket when it closes.
 */
#ifndef _TCPSTATE_TRACK_H
#define _TCPSTATE_TRACK_H

#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>

struct sock;

struct tcpstate_age {
	u64 ms;
	u32 flags;	/* TCPSTATE_AGE_F_* */
};

/* Who called close() on a socket that lives on as an orphan. */
struct tcpstate_closer {
	struct pid *pid;	/* thread group, referenced */
	kuid_t uid, euid, suid;
	kgid_t gid, egid, sgid;
	/* dumpable, no permitted capability: for owners.c's visibility rule */
	bool plain;
	char comm[TASK_COMM_LEN];
};

struct tcpstate_track_stats {
	u64 entries;
	u64 capacity;
	u64 full;
	u64 transitions;
	u64 tw_records;
};

int tcpstate_track_init(void);
void tcpstate_track_exit(void);
/* Attach to state changes; the module works (with lower bounds) without. */
int tcpstate_track_attach(void);
void tcpstate_track_detach(void);
bool tcpstate_track_attached(void);

/* Age of @sk (full, TIME_WAIT or request socket) in @state. */
void tcpstate_sock_age(const struct sock *sk, int state,
		       struct tcpstate_age *age);
void tcpstate_track_get_stats(struct tcpstate_track_stats *st);

/*
 * Remember that current is closing @sk (from the close probe). Only sockets
 * the module tracks (state entry recorded) get a closer; the record follows
 * the socket into TIME_WAIT and dies with it.
 */
void tcpstate_track_closed(const struct sock *sk);
/* The recorded closer of @sk: true and a pid reference to put, or false. */
bool tcpstate_track_closer(const struct sock *sk, struct tcpstate_closer *c);

#endif /* _TCPSTATE_TRACK_H */
