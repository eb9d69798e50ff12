/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* counts: namespaces and their groups, and the group keys the table and --json show. */
#ifndef TCPSTATECTL_COUNTSFMT_H
#define TCPSTATECTL_COUNTSFMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

/* One namespace of counts: its totals, and its groups (with --by). */
struct ts_counts_ns {
	struct ts_counts total;
	struct ts_counts *groups;
	size_t n, cap;
};

#define TS_COUNTS_KEYLEN 72	/* an address, or "pid/comm [unaccepted]" */

/* "80", "192.0.2.1", "1234/nginx", "(hidden)"...: the key column. */
void ts_counts_group_key(char *buf, size_t len, const struct ts_counts *c);

#endif
