/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Requests to the module, answered as parsed structs. */
#ifndef TCPSTATECTL_QUERY_H
#define TCPSTATECTL_QUERY_H

#include "nl.h"
#include "parse.h"
#include "request.h"

/* GET_STATS for the caller's netns. Returns 0 or a negative errno. */
int ctl_get_stats(struct tsnl *nl, struct ts_stats *st);
/*
 * ctl_open() and GET_STATS: EXIT_OK with @nl open and @st filled, or
 * EXIT_RUNTIME with @nl closed and the reason printed (for GET_STATS,
 * "tcpstatectl: WHAT: reason").
 */
int ctl_open_stats(struct tsnl *nl, struct ts_stats *st, const char *what);

/* Callbacks return 0 to go on, or a negative errno to stop the dump. */
typedef int (*ts_sock_cb)(const struct ts_sock *sk, void *data);
typedef int (*ts_counts_cb)(const struct ts_counts *c, void *data);

int ctl_dump_socks(struct tsnl *nl, const struct ts_request *r, ts_sock_cb cb,
		   void *data);
int ctl_dump_counts(struct tsnl *nl, const struct ts_request *r,
		    ts_counts_cb cb, void *data);

#endif
