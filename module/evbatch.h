/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Close-time events are captured by the probes as fixed-size records, per
 * CPU and network namespace, and turned into netlink messages and sent by
 * a worker, off the closing task's CPU when there is an idle one (see
 * evbatch.c).
 */
#ifndef _TCPSTATE_EVBATCH_H
#define _TCPSTATE_EVBATCH_H

#include <linux/sched.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>

#include "tcpstate.h"

/*
 * One event as the probe saw it: everything an event message holds, so
 * that building the message later needs neither the socket nor the task.
 */
struct tcpstate_evrec {
	struct tcpstate_sock_rec id;	/* tcpstate_sock_rec_id() fields */
	u64 seq;
	u64 time_ns;
	u64 ino;
	u32 pid;
	u32 tid;
	u32 vpid;
	u32 uid;
	u32 unread;
	u8 type;
	u8 rst;
	u8 sigpipe;
	char comm[TASK_COMM_LEN];
};

/* Most bytes one event message takes in a batch skb. */
#define TCPSTATE_EVENT_MSG_ROOM 512

/* 0, or -ENOMEM: then there are no events (the probes stay off). */
int tcpstate_evbatch_init(void);
/* Once the probes are gone: send what still waits, stop, free. */
void tcpstate_evbatch_exit(void);

/* Writes the record in place; runs with this CPU's batch locked. */
typedef void (*tcpstate_evrec_fill_t)(struct tcpstate_evrec *rec, void *arg);

/*
 * With preemption disabled (the probes): add one event of @net to this
 * CPU's batch, written by @fill. 0: added, to be counted delivered or
 * dropped once it is sent. An error: not added (no free batch, @net
 * holds its quota of batches, the namespace is dying, or unloading); the
 * caller counts it dropped, in @net's counters.
 */
int tcpstate_evbatch_add(struct net *net, tcpstate_evrec_fill_t fill,
			 void *arg);

/* Builds one event message from @rec into @skb (events.c): 0 or -EMSGSIZE. */
int tcpstate_event_build(struct sk_buff *skb, const struct tcpstate_evrec *rec);

#endif /* _TCPSTATE_EVBATCH_H */
