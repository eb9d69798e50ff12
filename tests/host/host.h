/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host tests share: the module symbols defined outside the
 * sources they compile (main.c's object count, pernet.c's lookup), test
 * namespaces, and a deterministic random source.
 */
#ifndef TCPSTATE_HOST_H
#define TCPSTATE_HOST_H

#include <shim.h>

#include "tcpstate.h"

/* A network namespace with its module state; refcount 1 while alive. */
struct tnet {
	struct net net;
	struct tcpstate_net tn;
	int tag;
};

/* Added to net_namespace_list; @hashinfo may be NULL. */
struct tnet *tnet_new(int tag, struct inet_hashinfo *hashinfo);
void tnet_free(struct tnet *t);
/* The state of init_net (its shim_priv). */
extern struct tcpstate_net init_tn;

/* xorshift64*: reproducible from the seed a test prints. */
u64 rnd_next(u64 *s);
static inline u32 rnd_below(u64 *s, u32 n) { return (u32)(rnd_next(s) % n); }

#endif
