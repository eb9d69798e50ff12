/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tcpstatectl metrics: the module's answers gathered into a plain snapshot,
 * and the snapshot rendered in the Prometheus text exposition format (for
 * node_exporter's textfile collector). No sockets here: the unit tests build
 * snapshots from canned structs and check the text.
 */
#ifndef TCPSTATECTL_METRICS_H
#define TCPSTATECTL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

#define TSM_DEFAULT_TOP 10

/* One group of a GET_COUNTS --by process dump, CLOSE_WAIT only. */
struct tsm_proc {
	bool has_pid;		/* false: hidden, closed or nobody */
	uint32_t pid;
	char comm[16];		/* NUL-terminated */
	uint64_t count;		/* CLOSE_WAIT sockets */
};

struct tsm_netns {
	uint32_t netns;
	uint32_t states[TCPSTATE_STATE_MAX + 1];
	struct tsm_proc *procs;	/* any order, duplicates allowed */
	size_t nprocs, cap;
	uint64_t cw_oldest_ms;
	bool cw_lower_bound;	/* some CLOSE_WAIT age is a lower bound */
};

struct tsm_snapshot {
	struct tsm_netns *ns;	/* in the order of the GET_COUNTS dump */
	size_t n_ns, cap_ns;
	int cur;		/* building: netns of the groups that follow */
	bool has_stats;
	struct ts_stats stats;	/* GET_STATS of the caller's netns */
};

/* An empty snapshot; tsm_free() releases what the tsm_add_* added. */
void tsm_init(struct tsm_snapshot *s);
void tsm_free(struct tsm_snapshot *s);

/*
 * Feed one message of each dump (the callbacks of ctl_dump_counts and
 * ctl_dump_socks). Return 0 or a negative errno.
 *
 * tsm_add_states: GET_COUNTS without grouping; each totals message adds a
 * netns (or replaces one of the same number).
 * tsm_add_cw_group: GET_COUNTS grouped by process, CLOSE_WAIT only; a
 * totals message selects its netns, the groups that follow are added to it
 * (and dropped for a netns the first dump did not report).
 * tsm_add_cw_sock: GET_SOCK, CLOSE_WAIT only; a socket of an unknown netns
 * is dropped, one without a netns number counts for the only netns.
 */
int tsm_add_states(struct tsm_snapshot *s, const struct ts_counts *c);
int tsm_add_cw_group(struct tsm_snapshot *s, const struct ts_counts *c);
int tsm_add_cw_sock(struct tsm_snapshot *s, const struct ts_sock *sk);
void tsm_set_stats(struct tsm_snapshot *s, const struct ts_stats *st);

/*
 * A label value escaped for the exposition format: backslash, double quote
 * and newline as \\, \" and \n; bytes that are not valid UTF-8 become
 * U+FFFD (the format needs UTF-8). Writes at most @cap bytes including the
 * NUL, never cutting an escape or a character; returns the length written.
 */
size_t tsm_escape_label(char *dst, size_t cap, const char *src);

/*
 * The top-N aggregation of one netns's process groups: merge the groups of
 * each pid (under the comm of its largest group), put the @top largest
 * groups with a pid first (largest first, ties by pid) and return how many
 * that is; *other gets the CLOSE_WAIT count of every other group, the
 * ownerless ones (hidden, closed, nobody) included.
 * Reorders and shrinks @procs in place; returns the new length in *n.
 */
size_t tsm_top_procs(struct tsm_proc *procs, size_t *n, size_t top,
		     uint64_t *other);

/*
 * Write every metric family of @s, with HELP and TYPE lines, to @out.
 * The top-N aggregation runs on a copy; @s is not changed. Returns 0, or
 * -1 with errno set (allocation or write error).
 */
int tsm_render(FILE *out, const struct tsm_snapshot *s, size_t top);

/*
 * Render @s into @path atomically: into "@path.tmp.PID" in the same
 * directory, fsync, mode 0644, rename over @path. On error the temporary
 * file is removed, @path is left as it was, and @err says what failed.
 * Returns 0 or -1.
 */
int tsm_write_file(const char *path, const struct tsm_snapshot *s,
		   size_t top, char *err, size_t errlen);

#endif
