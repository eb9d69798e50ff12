// SPDX-License-Identifier: GPL-2.0
#include <shim.h>

#include "host.h"

/* module/main.c's and pernet.c's, which the tests do not compile. */
atomic64_t tcpstate_objects;
struct tcpstate_net init_tn;

struct tcpstate_net *tcpstate_pernet(const struct net *net)
{
	return net->shim_priv;
}

__attribute__((constructor)) static void host_init(void)
{
	init_net.shim_priv = &init_tn;
	init_net.ipv4.tcp_death_row.hashinfo = NULL;
	list_add_tail(&init_net.list, &net_namespace_list);
}

struct tnet *tnet_new(int tag, struct inet_hashinfo *hashinfo)
{
	struct tnet *t = calloc(1, sizeof(*t));

	SHIM_ASSERT(t);
	refcount_set(&t->net.count, 1);
	t->net.shim_priv = &t->tn;
	t->net.hash_mix = 0x9e3779b9u * (u32)tag;
	t->net.ipv4.tcp_death_row.hashinfo = hashinfo;
	t->tag = tag;
	list_add_tail(&t->net.list, &net_namespace_list);
	return t;
}

void tnet_free(struct tnet *t)
{
	list_del(&t->net.list);
	free(t);
}

u64 rnd_next(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}
