/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Decoding of tcpstate netlink attributes into plain structs. Pure functions
 * over byte buffers: no sockets, no globals, so the unit tests can feed them
 * canned and hostile input. Unknown attributes are skipped (newer modules may
 * add some); known attributes with a wrong length make the parse fail.
 */
#ifndef TCPSTATECTL_PARSE_H
#define TCPSTATECTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/tcpstate.h>

struct ts_evstats {
	uint64_t seen;
	uint64_t delivered;
	uint64_t dropped;
	uint64_t unheard;
};

struct ts_stats {
	char version[64];
	uint32_t caps;
	uint32_t netns;
	uint64_t event_seq;
	uint64_t abort_on_close;
	uint64_t track_entries;
	uint64_t track_capacity;
	uint64_t track_full;
	uint64_t transitions;
	uint64_t objects;
	struct ts_evstats ev[TCPSTATE_EV_MAX + 1];
};

/* Top-level attributes of a GET_STATS reply. Returns 0 or -EINVAL. */
int ts_parse_stats(const void *attrs, size_t len, struct ts_stats *st);

#endif
