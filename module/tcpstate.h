/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by every part of the module: per-netns state and the
 * module-wide object accounting.
 */
#ifndef _TCPSTATE_H
#define _TCPSTATE_H

#include <linux/atomic.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <uapi/linux/tcpstate.h>

/* Event counters of one type in one network namespace. */
struct tcpstate_evstats {
	atomic64_t seen;
	atomic64_t delivered;
	atomic64_t dropped;
	atomic64_t unheard;
};

/*
 * Per network namespace state (net_generic). It is freed by the netns core
 * only after every pernet exit ran, so probes that fire for a socket of a
 * dying namespace still find it; keep it free of separate allocations.
 */
struct tcpstate_net {
	/* Event buffers it holds, being filled or sent (evbatch.c quota). */
	atomic_t ev_bufs;
	atomic64_t event_seq;
	atomic64_t abort_on_close;
	struct tcpstate_evstats ev[__TCPSTATE_EV_MAX];
};

/* NULL while the namespace is being set up, before our pernet init. */
struct tcpstate_net *tcpstate_pernet(const struct net *net);
int tcpstate_pernet_init(void);
void tcpstate_pernet_exit(void);

/*
 * Every allocation the module makes is counted here, so tests can prove that
 * nothing leaks (TCPSTATE_STATS_A_OBJECTS must return to its idle value).
 */
extern atomic64_t tcpstate_objects;

static inline void tcpstate_obj_get(void)
{
	atomic64_inc(&tcpstate_objects);
}

static inline void tcpstate_obj_put(void)
{
	atomic64_dec(&tcpstate_objects);
}

#endif /* _TCPSTATE_H */
