/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The tool's one JSON writer. A document is built in a buffer and written
 * to its FILE with one fwrite() per record (json_w_flush, json_w_endline),
 * or earlier when the buffer fills. Strings are escaped and always valid
 * UTF-8: control characters as \n, \t or \u00XX, '"' and '\' with a
 * backslash, bytes that are not valid UTF-8 as \ufffd.
 *
 * The layout is the tool's: ", " between members and elements, ": " after
 * a key; an array opened with json_w_arr_lines() puts each element on a
 * line of its own, indented by two spaces, and its ']' on the next line.
 * Values written at the top level are separated like members, until
 * json_w_endline() ends the line.
 *
 * Members are named with JSON_KEY("name") (a literal: its quotes and
 * length are folded at compile time); elements of an array, and values
 * at the top level, with JSON_ITEM. The member writers are inline: events
 * --json writes a line per event, tens of thousands a second. Each makes
 * one room check and then writes through a local cursor, storing the
 * length once (a store through the buffer may alias the writer's fields).
 */
#ifndef TCPSTATECTL_JSON_H
#define TCPSTATECTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "fmt.h"

#define JSON_W_CAP 4096		/* buffer; a record may take more */
#define JSON_W_DEPTH 16		/* containers open at once (more: mis-separated) */

struct json_w {
	FILE *out;
	size_t len;			/* bytes in buf */
	/*
	 * The innermost container's state: 0 (members so far, on one line:
	 * the next one after ", "), or JSON_W_FIRST (no member yet) and
	 * JSON_W_LINES (a line each).
	 */
	uint8_t state;
	uint8_t depth;			/* containers open around it */
	uint8_t outer[JSON_W_DEPTH];	/* their states */
	char buf[JSON_W_CAP];
};

#define JSON_W_FIRST 1u
#define JSON_W_LINES 2u

/* The key of a member: JSON_KEY("seq") is the text "\"seq\": " and its length. */
#define JSON_KEY(name) "\"" name "\": ", sizeof("\"" name "\": ") - 1
/* No key: an element of an array, or a value at the top level. */
#define JSON_ITEM "", 0

/* Longest separator, and what room the writers ask for besides the key. */
#define JSON_W_SEP_MAX 4
#define JSON_W_U64_MAX 20

static inline void json_w_init(struct json_w *w, FILE *out)
{
	w->out = out;
	w->len = 0;
	w->state = JSON_W_FIRST;
	w->depth = 0;
}

/*
 * The key of a member named by one of the tool's own names (a state, an
 * event type: not escaped), as JSON_KEY makes it of a literal: written at
 * @buf (room for strlen(name) + 4), returns its length.
 */
size_t json_key(char *buf, const char *name);

/* Writes the buffer out (one fwrite) and empties it. */
void json_w_flush(struct json_w *w);
/* Ends a top-level line: '\n', then flush. */
void json_w_endline(struct json_w *w);

/* Out of line: strings too long for the buffer. */
void json_w_strn_long_(struct json_w *w, const char *key, size_t klen,
		       const char *s, size_t n);
/* Escapes @n bytes of @s at @p (room for 6 * @n), returns the end. */
char *json_escape(char *p, const char *s, size_t n);

/*
 * Length of the valid UTF-8 sequence at @p (1 to 4), or 0 if it is not one
 * (overlong forms, surrogates and code points past U+10FFFF are invalid).
 * Reads at most up to the first byte that is not a continuation byte (so
 * never past a NUL).
 */
int json_utf8_len(const unsigned char *p);

/* Room for @n more bytes (n <= JSON_W_CAP): the cursor to write them at. */
static inline char *json_w_room(struct json_w *w, size_t n)
{
	if (__builtin_expect(n > JSON_W_CAP - w->len, 0))
		json_w_flush(w);
	return w->buf + w->len;
}

/* After a member's or element's bytes: @p is where they end. */
static inline void json_w_commit(struct json_w *w, char *p)
{
	w->len = (size_t)(p - w->buf);
}

/* The separator of a first member, or of one on a line of its own. */
char *json_w_sep_(struct json_w *w, char *p);

/* The separator before a member or element, then its key. */
static inline char *json_w_key_(struct json_w *w, char *p, const char *key,
				size_t klen)
{
	if (__builtin_expect(w->state == 0, 1)) {
		memcpy(p, ", ", 2);
		p += 2;
	} else {
		p = json_w_sep_(w, p);
	}
	memcpy(p, key, klen);
	return p + klen;
}

/*
 * A member (or element) whose value the caller writes: returns the cursor
 * after the key, with room for @max bytes of value; end with
 * json_w_commit(). For numbers and for strings the caller knows need no
 * escaping (addresses, times), quotes included.
 */
static inline char *json_w_raw(struct json_w *w, const char *key, size_t klen,
			       size_t max)
{
	char *p = json_w_room(w, JSON_W_SEP_MAX + klen + max);

	return json_w_key_(w, p, key, klen);
}

static inline void json_w_u64(struct json_w *w, const char *key, size_t klen,
			      uint64_t v)
{
	char *p = json_w_raw(w, key, klen, JSON_W_U64_MAX);

	json_w_commit(w, fmt_u64(p, v));
}

static inline void json_w_i64(struct json_w *w, const char *key, size_t klen,
			      int64_t v)
{
	char *p = json_w_raw(w, key, klen, 1 + JSON_W_U64_MAX);

	if (v < 0)
		*p++ = '-';
	json_w_commit(w, fmt_u64(p, v < 0 ? -(uint64_t)v : (uint64_t)v));
}

/* A literal value: true, false, null, or a number already in text. */
static inline void json_w_lit(struct json_w *w, const char *key, size_t klen,
			      const char *lit, size_t n)
{
	char *p = json_w_raw(w, key, klen, n);

	memcpy(p, lit, n);
	json_w_commit(w, p + n);
}

static inline void json_w_bool(struct json_w *w, const char *key, size_t klen,
			       bool v)
{
	char *p = json_w_raw(w, key, klen, 5);

	/* "false" or "true" and a byte past it, of the room asked for. */
	memcpy(p, v ? "true " : "false", 5);
	json_w_commit(w, p + 4 + !v);
}

static inline void json_w_null(struct json_w *w, const char *key, size_t klen)
{
	json_w_lit(w, key, klen, "null", 4);
}

/* An address as a string ("192.0.2.1", "2001:db8::1"): nothing to escape. */
static inline void json_w_addr(struct json_w *w, const char *key, size_t klen,
			       int family, const uint8_t *addr)
{
	char *p = json_w_raw(w, key, klen, 2 + TS_ADDRSTRLEN);

	*p++ = '"';
	p = fmt_addr(p, family, addr);
	*p++ = '"';
	json_w_commit(w, p);
}

/* A string of @n bytes, escaped. */
static inline void json_w_strn(struct json_w *w, const char *key, size_t klen,
			       const char *s, size_t n)
{
	char *p;

	if (__builtin_expect(n > (JSON_W_CAP - JSON_W_SEP_MAX - klen - 2) / 6, 0)) {
		json_w_strn_long_(w, key, klen, s, n);
		return;
	}
	p = json_w_raw(w, key, klen, 2 + 6 * n);
	*p++ = '"';
	p = json_escape(p, s, n);
	*p++ = '"';
	json_w_commit(w, p);
}

static inline void json_w_str(struct json_w *w, const char *key, size_t klen,
			      const char *s)
{
	json_w_strn(w, key, klen, s, strlen(s));
}

/*
 * One of the tool's own names (a state, an event type, a family): ASCII
 * without '"', '\' or control characters, so not escaped. Never for
 * anything that comes from the kernel or the command line.
 */
static inline void json_w_name(struct json_w *w, const char *key, size_t klen,
			       const char *name)
{
	size_t n = strlen(name);
	char *p;

	if (__builtin_expect(n > 64, 0)) {
		json_w_strn_long_(w, key, klen, name, n);
		return;
	}
	p = json_w_raw(w, key, klen, 2 + n);
	*p++ = '"';
	memcpy(p, name, n);
	p += n;
	*p++ = '"';
	json_w_commit(w, p);
}

/* Opens an object or array as a member or element: '{' or '['. */
static inline void json_w_open_(struct json_w *w, const char *key, size_t klen,
				char c, uint8_t state)
{
	char *p = json_w_raw(w, key, klen, 1);

	*p++ = c;
	json_w_commit(w, p);
	if (w->depth < JSON_W_DEPTH)
		w->outer[w->depth++] = w->state;
	w->state = state;
}

static inline void json_w_obj(struct json_w *w, const char *key, size_t klen)
{
	json_w_open_(w, key, klen, '{', JSON_W_FIRST);
}

static inline void json_w_arr(struct json_w *w, const char *key, size_t klen)
{
	json_w_open_(w, key, klen, '[', JSON_W_FIRST);
}

/* An array whose elements go on lines of their own. */
static inline void json_w_arr_lines(struct json_w *w, const char *key,
				    size_t klen)
{
	json_w_open_(w, key, klen, '[', JSON_W_FIRST | JSON_W_LINES);
}

/* Closes the innermost object ('}') or array (']'). */
static inline void json_w_close(struct json_w *w, char c)
{
	char *p = json_w_room(w, 2);

	if (w->state == JSON_W_LINES)		/* lines, not empty */
		*p++ = '\n';
	*p++ = c;
	json_w_commit(w, p);
	w->state = w->depth ? w->outer[--w->depth] : 0;
}

static inline void json_w_obj_end(struct json_w *w)
{
	json_w_close(w, '}');
}

static inline void json_w_arr_end(struct json_w *w)
{
	json_w_close(w, ']');
}

#endif
