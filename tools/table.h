/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Column-aligned text tables, like ss prints: rows are buffered so every
 * column is as wide as its widest cell, then printed in one pass.
 */
#ifndef TCPSTATECTL_TABLE_H
#define TCPSTATECTL_TABLE_H

#include <stdbool.h>
#include <stdio.h>

struct table;

#define TABLE_MAX_COLS 64

/* @align: one char per column, 'l' or 'r'. Returns NULL on ENOMEM. */
struct table *table_new(int ncols, const char *const *headers,
			const char *align);
/* Copies the cells. Returns 0, -ENOMEM, or -E2BIG (a cell over 65535). */
int table_add(struct table *t, const char *const *cells);
/*
 * A row formatted in place, without a copy: table_row_space() returns room
 * for @max bytes (NULL on ENOMEM); write the cells there back to back, with
 * no separators and at most @max bytes in all, and pass table_row_commit()
 * the end of each cell. Returns 0 or -E2BIG (a cell over 65535 bytes).
 */
char *table_row_space(struct table *t, size_t max);
int table_row_commit(struct table *t, char *const *ends);
/*
 * Fit rows into @cols columns (0: no limit) by cutting cells of the last
 * column, with TABLE_CUT_MARK at the end of a cut cell; the last column
 * keeps at least TABLE_MIN_LAST bytes. For a terminal: what goes to a pipe
 * is never cut.
 */
void table_set_max_width(struct table *t, size_t cols);
#define TABLE_CUT_MARK "..."
#define TABLE_MIN_LAST 16
/*
 * How many of the @len bytes of @s to keep so that, with the mark, they
 * fit in @max bytes; @len itself if they fit whole. Never splits a UTF-8
 * sequence.
 */
size_t table_cut_len(const char *s, size_t len, size_t max);
void table_print(const struct table *t, FILE *out, bool header);
void table_free(struct table *t);
size_t table_rows(const struct table *t);

#endif
