/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tcpstatectl diagnose: the report, for people (80 columns) and as JSON.
 * Pure formatting of a struct diag_result onto a stream.
 */
#ifndef TCPSTATECTL_DIAG_REPORT_H
#define TCPSTATECTL_DIAG_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag_rules.h"
#include "json.h"

struct diag_report {
	uint32_t netns;
	uint64_t interval_ms;
	enum diag_severity min;		/* findings below are left out */
	const struct diag_result *result;
};

/* The lines of one namespace's report, wrapped at @width (0: 80). */
void diag_print_text(FILE *out, const struct diag_report *r, size_t width);
/*
 * diagnose --json: per namespace {"netns": N, "interval_ms": N,
 * "findings": [...], "skipped": [...]}, each finding on a line of its own;
 * with @array (--all-netns) the objects in an array. Written as the
 * namespaces are diagnosed (one fwrite each): begin, a ns call per
 * namespace, end (the newline).
 */
struct diag_json {
	struct json_w w;
	bool array;
};

void diag_json_begin(struct diag_json *j, FILE *out, bool array);
void diag_json_ns(struct diag_json *j, const struct diag_report *r);
void diag_json_end(struct diag_json *j);

/*
 * Write @text as a paragraph: words wrapped at @width columns, every
 * line indented by @indent spaces, the first line's first @used columns
 * already taken (by a label). Ends with a newline.
 */
void diag_wrap(FILE *out, const char *text, size_t indent, size_t used,
	       size_t width);

#endif
