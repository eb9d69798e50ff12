/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * list --sort: orders for dumped sockets, applied after the dump (the
 * module walks its hash tables in their own order). Pure, host-testable.
 */
#ifndef TCPSTATECTL_SORT_H
#define TCPSTATECTL_SORT_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"

enum ts_sort_key {
	TS_SORT_NONE,
	TS_SORT_AGE,		/* oldest first */
	TS_SORT_STATE,		/* by state name */
	TS_SORT_LOCAL,		/* IPv4 before IPv6, address, port */
	TS_SORT_REMOTE,
	TS_SORT_RECV_Q,		/* largest first */
	TS_SORT_SEND_Q,		/* largest first */
	TS_SORT_PROCESS,	/* first owner's name, then pid; none last */
};

/* "age", "state", ... as --sort takes them; TS_SORT_NONE if unknown. */
enum ts_sort_key ts_sort_key(const char *name);
#define TS_SORT_KEYS "age, state, local, remote, recv-q, send-q, process"

/*
 * <0, 0, >0: whether @a comes before @b in @key's default order. Ties are
 * broken by local, then remote endpoint, then inode, so the order is
 * always the same.
 */
int ts_sock_cmp(const struct ts_sock *a, const struct ts_sock *b,
		enum ts_sort_key key);
/* Sort @v in @key's default order, or the reverse. */
void ts_sort_socks(struct ts_sock **v, size_t n, enum ts_sort_key key,
		   bool reverse);

#endif
