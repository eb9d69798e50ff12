// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

struct table {
	int ncols;
	const char *const *headers;
	const char *align;
	size_t *width;
	char *text;		/* every cell, NUL-terminated, row after row */
	size_t text_len, text_cap;
	size_t *cell;		/* offset of each cell in text */
	size_t ncells, cell_cap;
};

struct table *table_new(int ncols, const char *const *headers,
			const char *align)
{
	struct table *t;
	int i;

	if (ncols < 1 || ncols > 64)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ncols = ncols;
	t->headers = headers;
	t->align = align;
	t->width = calloc((size_t)ncols, sizeof(*t->width));
	if (!t->width) {
		free(t);
		return NULL;
	}
	for (i = 0; i < ncols; i++)
		t->width[i] = strlen(headers[i]);
	return t;
}

static int reserve(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 4096;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

int table_add(struct table *t, const char *const *cells)
{
	size_t len[64], total = 0, i;

	if (reserve((void **)&t->cell, &t->cell_cap,
		    t->ncells + (size_t)t->ncols, sizeof(*t->cell)))
		return -ENOMEM;
	for (i = 0; i < (size_t)t->ncols; i++) {
		len[i] = strlen(cells[i]);
		total += len[i] + 1;
	}
	if (reserve((void **)&t->text, &t->text_cap, t->text_len + total, 1))
		return -ENOMEM;
	for (i = 0; i < (size_t)t->ncols; i++) {
		memcpy(t->text + t->text_len, cells[i], len[i] + 1);
		t->cell[t->ncells++] = t->text_len;
		t->text_len += len[i] + 1;
		if (len[i] > t->width[i])
			t->width[i] = len[i];
	}
	return 0;
}

/*
 * Rows are built into one output buffer, written out when full: one fwrite
 * per 64 KiB, not per row, and no printf.
 */
struct outbuf {
	FILE *out;
	size_t len;
	char buf[65536];
};

static void out_flush(struct outbuf *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->out);
	o->len = 0;
}

/* One row: its cells and their lengths (no cell is wider than its column). */
static void print_row(const struct table *t, struct outbuf *o,
		      const char *const *cells, const size_t *lens)
{
	size_t need = 1, len, w;
	char *p;
	int i;

	for (i = 0; i < t->ncols; i++)
		need += t->width[i] + 2;
	if (need > sizeof(o->buf) - o->len)
		out_flush(o);
	if (need > sizeof(o->buf)) {
		/* A row longer than the buffer: cells as they are. */
		for (i = 0; i < t->ncols; i++)
			fprintf(o->out, "%s%s", i ? "  " : "", cells[i]);
		fputc('\n', o->out);
		return;
	}
	p = o->buf + o->len;
	for (i = 0; i < t->ncols; i++) {
		bool last = i == t->ncols - 1;

		len = lens[i];
		w = t->width[i];
		if (t->align[i] == 'r') {
			memset(p, ' ', w - len);
			p += w - len;
		}
		memcpy(p, cells[i], len);
		p += len;
		if (t->align[i] != 'r' && !last) {
			memset(p, ' ', w - len);
			p += w - len;
		}
		if (!last) {
			*p++ = ' ';
			*p++ = ' ';
		}
	}
	*p++ = '\n';
	o->len = (size_t)(p - o->buf);
}

void table_print(const struct table *t, FILE *out, bool header)
{
	struct outbuf *o = malloc(sizeof(*o));
	const char *row[64];
	size_t lens[64] = { 0 }, r, i, k, nrows = table_rows(t);

	if (!o)
		return;
	o->out = out;
	o->len = 0;
	if (header) {
		for (i = 0; i < (size_t)t->ncols; i++)
			lens[i] = strlen(t->headers[i]);
		print_row(t, o, t->headers, lens);
	}
	for (r = 0; r < nrows; r++) {
		for (i = 0; i < (size_t)t->ncols; i++) {
			k = r * (size_t)t->ncols + i;
			row[i] = t->text + t->cell[k];
			/* Cells are stored one after the other, each with its NUL. */
			lens[i] = (k + 1 < t->ncells ? t->cell[k + 1] : t->text_len) -
				  t->cell[k] - 1;
		}
		print_row(t, o, row, lens);
	}
	out_flush(o);
	free(o);
}

size_t table_rows(const struct table *t)
{
	return t->ncols ? t->ncells / (size_t)t->ncols : 0;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	free(t->width);
	free(t->text);
	free(t->cell);
	free(t);
}
