// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
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
	size_t len, i;

	if (reserve((void **)&t->cell, &t->cell_cap,
		    t->ncells + (size_t)t->ncols, sizeof(*t->cell)))
		return -ENOMEM;
	for (i = 0; i < (size_t)t->ncols; i++) {
		len = strlen(cells[i]);
		if (reserve((void **)&t->text, &t->text_cap,
			    t->text_len + len + 1, 1))
			return -ENOMEM;
		memcpy(t->text + t->text_len, cells[i], len + 1);
		t->cell[t->ncells++] = t->text_len;
		t->text_len += len + 1;
		if (len > t->width[i])
			t->width[i] = len;
	}
	return 0;
}

/* Build the whole row in one buffer: one fwrite per row, no printf. */
static void print_row(const struct table *t, FILE *out,
		      const char *const *cells)
{
	char stack[512], *buf = stack, *p;
	size_t need = 1, len, w;
	int i;

	for (i = 0; i < t->ncols; i++)
		need += t->width[i] + 2;
	if (need > sizeof(stack)) {
		buf = malloc(need);
		if (!buf)
			return;
	}
	p = buf;
	for (i = 0; i < t->ncols; i++) {
		bool last = i == t->ncols - 1;

		len = strlen(cells[i]);
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
	fwrite(buf, 1, (size_t)(p - buf), out);
	if (buf != stack)
		free(buf);
}

void table_print(const struct table *t, FILE *out, bool header)
{
	const char *row[64];
	size_t r, i, nrows = table_rows(t);

	if (header)
		print_row(t, out, t->headers);
	for (r = 0; r < nrows; r++) {
		for (i = 0; i < (size_t)t->ncols && i < 64; i++)
			row[i] = t->text + t->cell[r * (size_t)t->ncols + i];
		print_row(t, out, row);
	}
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
