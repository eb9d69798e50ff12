// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "table.h"

/*
 * Slack kept after the stored text and after the output in the line buffer,
 * so that a short cell or run of padding is copied as one fixed 16-byte
 * move (two loads and stores, no call) that may run past its end: the bytes
 * past it are overwritten by what follows or never written out.
 */
#define SLACK 16

/*
 * Rows are stored as their cells' text back to back (no separators) and one
 * 16-bit length per cell: a listing of 10,000 sockets keeps about 1 MB of
 * text and 180 KB of lengths, and never calls strlen() on a cell again.
 */
struct table {
	int ncols;
	const char *const *headers;
	const char *align;
	size_t *width;
	char *text;
	size_t text_len, text_cap;
	uint16_t *len;		/* length of each cell, row after row */
	size_t ncells, len_cap;
	size_t row_max;		/* of the last table_row_space() */
	size_t max_width;	/* 0: none */
};

struct table *table_new(int ncols, const char *const *headers,
			const char *align)
{
	struct table *t;
	int i;

	if (ncols < 1 || ncols > TABLE_MAX_COLS)
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

/*
 * The first size is past malloc's mmap threshold (128 KiB): the storage
 * is mapped at once and grows by mremap(), never by copying, and a small
 * table touches, so faults in, only the pages it uses.
 */
#define FIRST_BYTES (256 * 1024)

static int reserve(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : FIRST_BYTES / elem;
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

char *table_row_space(struct table *t, size_t max)
{
	/* Mostly there is room: two compares. */
	if (t->text_len + max + SLACK > t->text_cap ||
	    t->ncells + (size_t)t->ncols > t->len_cap) {
		if (max > SIZE_MAX / 2 ||
		    reserve((void **)&t->text, &t->text_cap,
			    t->text_len + max + SLACK, 1) ||
		    reserve((void **)&t->len, &t->len_cap,
			    t->ncells + (size_t)t->ncols, sizeof(*t->len)))
			return NULL;
	}
	t->row_max = max;
	return t->text + t->text_len;
}

int table_row_commit(struct table *t, char *const *ends)
{
	const char *start = t->text + t->text_len;
	uint16_t *len = t->len + t->ncells;
	size_t n, i;

	/* A row of at most 65535 bytes has no cell too long: one loop. */
	if (t->row_max > UINT16_MAX) {
		for (i = 0; i < (size_t)t->ncols; i++) {
			if ((size_t)(ends[i] - start) > UINT16_MAX)
				return -E2BIG;	/* nothing is kept of it */
			start = ends[i];
		}
		start = t->text + t->text_len;
	}
	for (i = 0; i < (size_t)t->ncols; i++) {
		n = (size_t)(ends[i] - start);
		len[i] = (uint16_t)n;
		if (n > t->width[i])
			t->width[i] = n;
		start = ends[i];
	}
	t->ncells += (size_t)t->ncols;
	t->text_len = (size_t)(start - t->text);
	return 0;
}

int table_add(struct table *t, const char *const *cells)
{
	char *ends[TABLE_MAX_COLS], *p;
	size_t len[TABLE_MAX_COLS], total = 0, i;

	for (i = 0; i < (size_t)t->ncols; i++) {
		len[i] = strlen(cells[i]);
		total += len[i];
	}
	p = table_row_space(t, total);
	if (!p)
		return -ENOMEM;
	for (i = 0; i < (size_t)t->ncols; i++) {
		memcpy(p, cells[i], len[i]);
		p += len[i];
		ends[i] = p;
	}
	return table_row_commit(t, ends);
}

/*
 * Rows are built into one output buffer, written out when full: one fwrite
 * per 64 KiB, not per row, and no printf.
 */
struct outbuf {
	FILE *out;
	int fd;			/* fileno(out), or -1: no descriptor */
	size_t len;
	char buf[65536];
};

/*
 * Straight to the file descriptor when there is one: stdio would copy every
 * 64 KiB block into its own buffer first.
 */
static void out_flush(struct outbuf *o)
{
	const char *p = o->buf;
	size_t left = o->len;
	ssize_t n;

	o->len = 0;
	if (!left)
		return;
	if (o->fd < 0) {
		fwrite(p, 1, left, o->out);
		return;
	}
	while (left) {
		n = write(o->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->fd = -1;	/* the rest goes through stdio, */
			fwrite(p, 1, left, o->out);	/* which keeps the error */
			return;
		}
		p += n;
		left -= (size_t)n;
	}
}

static const char spaces[SLACK + 1] = "                ";

/* @n bytes of @s, which has SLACK readable bytes after them. */
static char *put_bytes(char *p, const char *s, size_t n)
{
	if (n <= SLACK)
		memcpy(p, s, SLACK);
	else
		memcpy(p, s, n);
	return p + n;
}

static char *put_spaces(char *p, size_t n)
{
	if (n <= SLACK)
		memcpy(p, spaces, SLACK);
	else
		memset(p, ' ', n);
	return p + n;
}

/* What print_row() needs of the table, worked out once per print. */
struct layout {
	int ncols;
	size_t need;			/* most bytes a row takes, with SLACK */
	const size_t *width;		/* the table's */
	size_t last_max;		/* cut the last column's cells: 0 no */
	bool right[TABLE_MAX_COLS];
};

void table_set_max_width(struct table *t, size_t cols)
{
	t->max_width = cols;
}

size_t table_cut_len(const char *s, size_t len, size_t max)
{
	size_t mark = sizeof(TABLE_CUT_MARK) - 1, keep;

	if (len <= max)
		return len;
	keep = max > mark ? max - mark : 0;
	/* Back to the start of a UTF-8 sequence, if keep is inside one. */
	while (keep && ((unsigned char)s[keep] & 0xc0) == 0x80)
		keep--;
	return keep;
}

/* The last cell, cut to the layout's limit with the mark. */
static char *put_last(const struct layout *l, char *p, const char *text,
		      size_t len)
{
	size_t keep = l->last_max ? table_cut_len(text, len, l->last_max) :
				    len;

	if (keep == len)
		return put_bytes(p, text, len);
	memcpy(p, text, keep);
	memcpy(p + keep, TABLE_CUT_MARK, sizeof(TABLE_CUT_MARK) - 1);
	return p + keep + sizeof(TABLE_CUT_MARK) - 1;
}

/*
 * One row: @text holds its cells back to back, @lens their lengths (no cell
 * is wider than its column), and SLACK bytes may be read past the last.
 * Returns the end of the row's text.
 */
static const char *print_row(const struct layout *l, struct outbuf *o,
			     const char *text, const uint16_t *lens)
{
	int i, last = l->ncols - 1;
	size_t len;
	char *p;

	if (l->need > sizeof(o->buf) - o->len)
		out_flush(o);
	if (l->need > sizeof(o->buf)) {
		/* A row longer than the buffer: cells as they are. */
		for (i = 0; i < l->ncols; i++) {
			if (i)
				fputs("  ", o->out);
			fwrite(text, 1, lens[i], o->out);
			text += lens[i];
		}
		fputc('\n', o->out);
		return text;
	}
	p = o->buf + o->len;
	for (i = 0; i < last; i++) {
		len = lens[i];
		if (l->right[i]) {
			p = put_spaces(p, l->width[i] - len);
			p = put_bytes(p, text, len);
		} else {
			p = put_bytes(p, text, len);
			p = put_spaces(p, l->width[i] - len);
		}
		text += len;
		*p++ = ' ';
		*p++ = ' ';
	}
	len = lens[last];
	if (l->right[last])
		p = put_spaces(p, l->width[last] - len);
	p = put_last(l, p, text, len);
	*p++ = '\n';
	o->len = (size_t)(p - o->buf);
	return text + len;
}

static void print_header(const struct table *t, const struct layout *l,
			 struct outbuf *o)
{
	char text[TABLE_MAX_COLS * 64 + SLACK] = { 0 }, *p = text;
	uint16_t lens[TABLE_MAX_COLS] = { 0 };
	size_t n;
	int i;

	for (i = 0; i < t->ncols; i++) {
		n = strnlen(t->headers[i], 63);
		memcpy(p, t->headers[i], n);
		p += n;
		lens[i] = (uint16_t)n;
	}
	print_row(l, o, text, lens);
}

void table_print(const struct table *t, FILE *out, bool header)
{
	struct outbuf *o = malloc(sizeof(*o));
	size_t r, nrows = table_rows(t), ncols = (size_t)t->ncols;
	const char *text = t->text;
	struct layout l;
	size_t i;

	if (!o)
		return;
	o->out = out;
	o->len = 0;
	/* What stdio holds must come out first. */
	fflush(out);
	o->fd = fileno(out);
	l.ncols = t->ncols;
	l.need = 1 + SLACK;
	l.width = t->width;
	l.last_max = 0;
	for (i = 0; i < ncols; i++) {
		l.right[i] = t->align[i] == 'r';
		l.need += t->width[i] + 2;
	}
	if (t->max_width && l.need - 1 - SLACK - 2 > t->max_width &&
	    !l.right[ncols - 1]) {
		/* What the other columns and their gaps leave to the last. */
		size_t others = l.need - 1 - SLACK - t->width[ncols - 1] - 2;

		l.last_max = t->max_width > others + TABLE_MIN_LAST ?
			     t->max_width - others : TABLE_MIN_LAST;
	}
	if (header)
		print_header(t, &l, o);
	/* Rows were stored with SLACK bytes of room after them. */
	for (r = 0; r < nrows; r++)
		text = print_row(&l, o, text, t->len + r * ncols);
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
	free(t->len);
	free(t);
}
