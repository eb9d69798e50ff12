// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sort.h"
#include "states.h"

static const char *const key_names[] = {
	[TS_SORT_AGE] = "age",
	[TS_SORT_STATE] = "state",
	[TS_SORT_LOCAL] = "local",
	[TS_SORT_REMOTE] = "remote",
	[TS_SORT_RECV_Q] = "recv-q",
	[TS_SORT_SEND_Q] = "send-q",
	[TS_SORT_PROCESS] = "process",
};

enum ts_sort_key ts_sort_key(const char *name)
{
	size_t i;

	for (i = 1; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (!strcmp(name, key_names[i]))
			return (enum ts_sort_key)i;
	return TS_SORT_NONE;
}

#define CMP(x, y) ((x) < (y) ? -1 : (x) > (y))

static int endpoint_cmp(int fa, const uint8_t *a, uint16_t pa, int fb,
			const uint8_t *b, uint16_t pb)
{
	int r = CMP(fa == AF_INET6, fb == AF_INET6);

	if (!r)
		r = memcmp(a, b, fa == AF_INET6 ? 16 : 4);
	return r ? r : CMP(pa, pb);
}

static int process_cmp(const struct ts_sock *a, const struct ts_sock *b)
{
	int r;

	/* Sockets with no listed owner after those with one. */
	if (!a->nprocs || !b->nprocs)
		return CMP(!a->nprocs, !b->nprocs);
	r = strncmp(a->procs[0].comm, b->procs[0].comm,
		    sizeof(a->procs[0].comm));
	return r ? r : CMP(a->procs[0].pid, b->procs[0].pid);
}

int ts_sock_cmp(const struct ts_sock *a, const struct ts_sock *b,
		enum ts_sort_key key)
{
	int r = 0;

	switch (key) {
	case TS_SORT_NONE:
		break;
	case TS_SORT_AGE:
		r = CMP(b->age_ms, a->age_ms);
		break;
	case TS_SORT_STATE:
		r = strcmp(ts_state_name(a->state), ts_state_name(b->state));
		break;
	case TS_SORT_LOCAL:
		break;		/* the first tie-breaker */
	case TS_SORT_REMOTE:
		r = endpoint_cmp(a->family, a->daddr, a->dport, b->family,
				 b->daddr, b->dport);
		break;
	case TS_SORT_RECV_Q:
		r = CMP(b->recv_q, a->recv_q);
		break;
	case TS_SORT_SEND_Q:
		r = CMP(b->send_q, a->send_q);
		break;
	case TS_SORT_PROCESS:
		r = process_cmp(a, b);
		break;
	}
	if (!r)
		r = endpoint_cmp(a->family, a->saddr, a->sport, b->family,
				 b->saddr, b->sport);
	if (!r)
		r = endpoint_cmp(a->family, a->daddr, a->dport, b->family,
				 b->daddr, b->dport);
	if (!r)
		r = CMP(a->inode, b->inode);
	/* TIME_WAIT and request sockets have no inode; namespaces differ. */
	return r ? r : CMP(a->netns, b->netns);
}

/* qsort() has no context argument, and the tool sorts one list at a time. */
static enum ts_sort_key sort_key;
static int sort_dir;

static int cmp_ptr(const void *x, const void *y)
{
	const struct ts_sock *const *a = x, *const *b = y;

	int r = ts_sock_cmp(*a, *b, sort_key);

	return sort_dir * (r > 0 ? 1 : r < 0 ? -1 : 0);
}

void ts_sort_socks(struct ts_sock **v, size_t n, enum ts_sort_key key,
		   bool reverse)
{
	sort_key = key;
	sort_dir = reverse ? -1 : 1;
	qsort(v, n, sizeof(*v), cmp_ptr);
}
