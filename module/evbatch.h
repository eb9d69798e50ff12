/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Close-time events are sent in batches: several event messages of one
 * network namespace per skb, per CPU (see evbatch.c).
 */
#ifndef _TCPSTATE_EVBATCH_H
#define _TCPSTATE_EVBATCH_H

#include <linux/skbuff.h>
#include <net/net_namespace.h>

/* Room tcpstate_evbatch_add() guarantees for one event message. */
#define TCPSTATE_EVENT_MSG_ROOM 512

void tcpstate_evbatch_init(void);
/* Once the probes are gone: send what still waits and stop the timers. */
void tcpstate_evbatch_exit(void);

/* Writes one event message into @skb: 0, or an error and nothing. */
typedef int (*tcpstate_evfill_t)(struct sk_buff *skb, void *arg);

/*
 * With preemption disabled (the probes): add one event of @net and @type
 * (TCPSTATE_EV_*) to this CPU's batch, written by @fill, which gets at
 * least TCPSTATE_EVENT_MSG_ROOM bytes of room. 0: added, to be counted
 * delivered or dropped when the batch is sent. An error: not added (no
 * memory, the namespace is dying, unloading, or @fill failed); the
 * caller counts it dropped.
 */
int tcpstate_evbatch_add(struct net *net, int type,
			 tcpstate_evfill_t fill, void *arg);

#endif /* _TCPSTATE_EVBATCH_H */
