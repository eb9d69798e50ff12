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

/* Escape of one byte position: writes at most 6 bytes, returns consumed. */
static int escape_one(const unsigned char *p, char *out, int *outlen)
{
	static const char hex[] = "0123456789abcdef";
	int n;

	if (*p == '"' || *p == '\\') {
		out[0] = '\\';
		out[1] = (char)*p;
		*outlen = 2;
		return 1;
	}
	if (*p == '\n' || *p == '\t') {
		out[0] = '\\';
		out[1] = *p == '\n' ? 'n' : 't';
		*outlen = 2;
		return 1;
	}
	if (*p < 0x20 || *p == 0x7f) {
		memcpy(out, "\\u00", 4);
		out[4] = hex[*p >> 4];
		out[5] = hex[*p & 15];
		*outlen = 6;
		return 1;
	}
	n = json_utf8_len(p);
	if (n > 0) {
		memcpy(out, p, (size_t)n);
		*outlen = n;
		return n;
	}
	memcpy(out, "\\ufffd", 6);
	*outlen = 6;
	return 1;
}

char *json_str_buf(char *p, size_t cap, const char *s)
{
	const unsigned char *q = (const unsigned char *)s;
	char one[8];
	int n, len;

	if (cap < 2)
		return p;
	*p++ = '"';
	cap -= 2;	/* the quotes */
	while (*q) {
		n = escape_one(q, one, &len);
		if ((size_t)len > cap)
			break;
		memcpy(p, one, (size_t)len);
		p += len;
		cap -= (size_t)len;
		q += n;
	}
	*p++ = '"';
	return p;
}

void json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	fputc('"', out);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fputc('\\', out);
			fputc(*p++, out);
		} else if (*p == '\n') {
			fputs("\\n", out);
			p++;
		} else if (*p == '\t') {
			fputs("\\t", out);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(out, "\\u%04x", *p++);
		} else if ((n = json_utf8_len(p)) > 0) {
			fwrite(p, 1, (size_t)n, out);
			p += n;
		} else {
			fputs("\\ufffd", out);
			p++;
		}
	}
	fputc('"', out);
}
