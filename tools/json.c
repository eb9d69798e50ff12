// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>
#include <string.h>

#include "json.h"

int json_utf8_len(const unsigned char *p)
{
	uint32_t cp;
	int n, i;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* No overlong forms, surrogates, or code points past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* The same for a sequence that may be cut by the end of the string. */
static int utf8_len_in(const unsigned char *p, const unsigned char *end)
{
	unsigned char tail[4] = { 0 };

	if (end - p >= 4)
		return json_utf8_len(p);
	memcpy(tail, p, (size_t)(end - p));
	return json_utf8_len(tail);
}

/* Bytes written as they are: printable ASCII but '"' and '\'. */
static const uint8_t as_is[256] = {
	[0x20 ... 0x21] = 1,	/* '"' is 0x22 */
	[0x23 ... 0x5b] = 1,	/* '\\' is 0x5c */
	[0x5d ... 0x7e] = 1,
};

/* One character at @s (before @end), escaped at *@pp (at most 6 bytes). */
static size_t escape_one(char **pp, const unsigned char *s,
			 const unsigned char *end)
{
	static const char hex[] = "0123456789abcdef";
	char *p = *pp;
	int n;

	if (as_is[*s]) {
		*p++ = (char)*s;
	} else if (*s == '"' || *s == '\\') {
		*p++ = '\\';
		*p++ = (char)*s;
	} else if (*s == '\n' || *s == '\t') {
		*p++ = '\\';
		*p++ = *s == '\n' ? 'n' : 't';
	} else if (*s < 0x20 || *s == 0x7f) {
		memcpy(p, "\\u00", 4);
		p[4] = hex[*s >> 4];
		p[5] = hex[*s & 15];
		p += 6;
	} else if ((n = utf8_len_in(s, end)) > 0) {
		memcpy(p, s, (size_t)n);
		*pp = p + n;
		return (size_t)n;
	} else {
		memcpy(p, "\\ufffd", 6);
		p += 6;
	}
	*pp = p;
	return 1;
}

char *json_escape(char *p, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;

	while (s < end) {
		if (as_is[*s])
			*p++ = (char)*s++;
		else
			s += escape_one(&p, s, end);
	}
	return p;
}

void json_w_strn_long_(struct json_w *w, const char *key, size_t klen,
		       const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;
	char *p = json_w_raw(w, key, klen, 1);

	*p++ = '"';
	json_w_commit(w, p);
	while (s < end) {
		p = json_w_room(w, 6);
		s += escape_one(&p, s, end);
		json_w_commit(w, p);
	}
	p = json_w_room(w, 1);
	*p++ = '"';
	json_w_commit(w, p);
}

size_t json_key(char *buf, const char *name)
{
	size_t n = strlen(name);

	buf[0] = '"';
	memcpy(buf + 1, name, n);
	memcpy(buf + 1 + n, "\": ", 3);
	return n + 4;
}

char *json_w_sep_(struct json_w *w, char *p)
{
	if (!(w->state & JSON_W_FIRST))
		*p++ = ',';
	if (w->state & JSON_W_LINES) {
		memcpy(p, "\n  ", 3);
		p += 3;
	}
	w->state &= (uint8_t)~JSON_W_FIRST;
	return p;
}

void json_w_flush(struct json_w *w)
{
	if (w->len)
		fwrite(w->buf, 1, w->len, w->out);
	w->len = 0;
}

void json_w_endline(struct json_w *w)
{
	char *p = json_w_room(w, 1);

	*p++ = '\n';
	json_w_commit(w, p);
	w->depth = 0;
	w->state = JSON_W_FIRST;
	json_w_flush(w);
}
