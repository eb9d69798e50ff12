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
void table_print(const struct table *t, FILE *out, bool header);
void table_free(struct table *t);
size_t table_rows(const struct table *t);

#endif
