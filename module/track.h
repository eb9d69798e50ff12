/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Age in state: when did each TCP socket enter its current state? The
 * kernel keeps no such timestamp, so the module records one at every state
 * change, in bounded tables that forget a socket when it closes.
 */
#ifndef _TCPSTATE_TRACK_H
#define _TCPSTATE_TRACK_H

#include <linux/types.h>

struct sock;

struct tcpstate_age {
	u64 ms;
	u32 flags;	/* TCPSTATE_AGE_F_* */
};

struct tcpstate_track_stats {
	u64 entries;
	u64 capacity;
	u64 full;
	u64 transitions;
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

#endif /* _TCPSTATE_TRACK_H */
