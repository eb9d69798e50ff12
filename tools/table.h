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

/* @align: one char per column, 'l' or 'r'. Returns NULL on ENOMEM. */
struct table *table_new(int ncols, const char *const *headers,
			const char *align);
/* Copies the cells. Returns 0 or -ENOMEM. */
int table_add(struct table *t, const char *const *cells);
void table_print(const struct table *t, FILE *out, bool header);
void table_free(struct table *t);
size_t table_rows(const struct table *t);

#endif
