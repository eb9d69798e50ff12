/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The tool's JSON documents: list --json, counts --json, events --json,
 * stats --json and version --json, each printed to @out. Their keys, order
 * and spacing are part of the interface (man/tcpstatectl.8, "JSON").
 */
#ifndef TCPSTATECTL_JSONFMT_H
#define TCPSTATECTL_JSONFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "countsfmt.h"
#include "json.h"
#include "parse.h"

/*
 * list --json: one array, each socket object on a line of its own, written
 * as the dump delivers them (one fwrite each): begin, a sock call per
 * socket, end.
 */
struct ts_json_list {
	struct json_w w;
	bool procs;		/* with each socket's owners (-p) */
};

void ts_json_list_begin(struct ts_json_list *l, FILE *out, bool procs);
void ts_json_list_sock(struct ts_json_list *l, const struct ts_sock *sk);
void ts_json_list_end(struct ts_json_list *l);

/*
 * counts --json: per namespace {"netns", "total", "states"[, "groups"]};
 * with @groups, its first @top groups, one a line; with @array, the
 * objects in an array (--all-netns).
 */
void ts_json_counts(FILE *out, const struct ts_counts_ns *ns, size_t n_ns,
		    bool groups, size_t top, bool array);

/* events --json: one object, one line. */
void ts_json_event(FILE *out, const struct ts_event *ev);

/* stats --json: the module's counters. */
void ts_json_stats(FILE *out, const struct ts_stats *st);

/* version --json: {"tool": V, "module": V}, module null when NULL. */
void ts_json_version(FILE *out, const char *tool, const char *module);

/*
 * The parts, for the tests: a socket's owners ("owner_kind",
 * "processes_total", "processes" and its flags) as members of the object
 * open in @w; one counts group {"key", "total", "states"[, "pid", "comm"]}
 * as an element.
 */
void ts_json_owner(struct json_w *w, const struct ts_sock *sk);
void ts_json_counts_group(struct json_w *w, const struct ts_counts *c);

#endif
