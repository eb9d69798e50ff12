// SPDX-License-Identifier: GPL-2.0
/*
 * jsoncheck: a strict RFC 8259 JSON validator, for the guest (a busybox
 * initramfs: no python, no jq), so that cases check JSON with a parser
 * instead of grep, which a malformed document passes.
 *
 *   jsoncheck [--lines] [--flat] < FILE
 *
 * Reads one JSON text; with --lines, one per line (as events --json
 * prints; no line at all is zero documents, an empty line is an error).
 * Any syntax error, duplicate key, invalid UTF-8, bad escape (a lone
 * surrogate too), leading zero, trailing comma, control character in a
 * string, nesting deeper than MAX_DEPTH, empty input or trailing garbage
 * exits 1 with "jsoncheck: line L, column C: what" on stderr and prints
 * nothing on stdout. Success exits 0, silently without --flat.
 *
 * --flat prints one line per value, PATH TAB TYPE TAB VALUE, children
 * before their container:
 *   $[3].local_port	number	5000	(numbers as written)
 *   $[3].family	string	inet		(decoded; \, TAB, LF and other
 *						 controls escaped as \\ \t \n \uXXXX)
 *   $[3].rst	bool	true
 *   $.x	null	null
 *   $[3]	object	15			(its member count)
 *   $	array	22			(its element count)
 * With --lines, document N (from 0) is $[N] and a last "$ array N" line
 * counts the documents. Keys other than [A-Za-z0-9_-]+ are printed
 * quoted: $."a b".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 128
#define MAX_INPUT (64 << 20)

struct buf {
	char *s;
	size_t len, cap;
};

struct parser {
	const unsigned char *start;	/* the whole input, for positions */
	const unsigned char *p, *end;	/* this document */
	int depth;
	FILE *out;			/* --flat output, or NULL */
	struct buf path;
	struct buf str;			/* the last string decoded */
};

static void die(const char *what)
{
	fprintf(stderr, "jsoncheck: %s\n", what);
	exit(1);
}

static void fail(const struct parser *ps, const char *what)
{
	const unsigned char *q;
	unsigned long line = 1, col = 1;

	for (q = ps->start; q < ps->p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	fprintf(stderr, "jsoncheck: line %lu, column %lu: %s\n", line, col,
		what);
	exit(1);
}

static void buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			die("out of memory");
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/* Length of the valid UTF-8 sequence at @p, or 0: no overlong forms, no
 * surrogates, nothing past U+10FFFF.
 */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	int n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (end - p < n || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4, i;
	static const unsigned char lead[] = { 0, 0, 0xc0, 0xe0, 0xf0 };
	char u[4];

	for (i = n - 1; i > 0; i--, cp >>= 6)
		u[i] = (char)(0x80 | (cp & 0x3f));
	u[0] = (char)(lead[n] | cp);
	buf_add(b, u, (size_t)n);
}

static void ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static unsigned long hex4(struct parser *ps)
{
	static const char hex[] = "0123456789abcdef";
	unsigned long v = 0;
	const char *h;
	int i, c;

	for (i = 0; i < 4; i++, ps->p++) {
		c = ps->p < ps->end ? *ps->p : 0;
		if (c >= 'A' && c <= 'F')
			c += 'a' - 'A';
		if (!c || !(h = strchr(hex, c)))
			fail(ps, "\\u needs four hex digits");
		v = v << 4 | (unsigned long)(h - hex);
	}
	return v;
}

/* A string literal at ps->p, decoded into ps->str. */
static void string(struct parser *ps)
{
	unsigned long cp, lo;
	int n;

	ps->str.len = 0;
	buf_add(&ps->str, "", 0);
	ps->p++;
	for (;;) {
		if (ps->p >= ps->end)
			fail(ps, "unterminated string");
		if (*ps->p == '"')
			break;
		if (*ps->p < 0x20)
			fail(ps, "control character in a string");
		if (*ps->p != '\\') {
			n = utf8_len(ps->p, ps->end);
			if (!n)
				fail(ps, "invalid UTF-8");
			buf_add(&ps->str, ps->p, (size_t)n);
			ps->p += n;
			continue;
		}
		if (++ps->p >= ps->end)
			fail(ps, "unterminated string");
		switch (*ps->p++) {
		case '"':  buf_addc(&ps->str, '"');  break;
		case '\\': buf_addc(&ps->str, '\\'); break;
		case '/':  buf_addc(&ps->str, '/');  break;
		case 'b':  buf_addc(&ps->str, '\b'); break;
		case 'f':  buf_addc(&ps->str, '\f'); break;
		case 'n':  buf_addc(&ps->str, '\n'); break;
		case 'r':  buf_addc(&ps->str, '\r'); break;
		case 't':  buf_addc(&ps->str, '\t'); break;
		case 'u':
			cp = hex4(ps);
			if (cp >= 0xdc00 && cp <= 0xdfff)
				fail(ps, "lone low surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->end - ps->p < 2 || ps->p[0] != '\\' ||
				    ps->p[1] != 'u')
					fail(ps, "high surrogate without a low one");
				ps->p += 2;
				lo = hex4(ps);
				if (lo < 0xdc00 || lo > 0xdfff)
					fail(ps, "high surrogate without a low one");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			put_utf8(&ps->str, cp);
			break;
		default:
			ps->p--;
			fail(ps, "invalid escape");
		}
	}
	ps->p++;
}

/* Text of @s for a flat line: no TAB or newline may end up in it. */
static void put_escaped(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
}

static void emit(struct parser *ps, const char *type, const char *v, size_t n)
{
	if (!ps->out)
		return;
	fprintf(ps->out, "%s\t%s\t", ps->path.s, type);
	put_escaped(ps->out, v, n);
	fputc('\n', ps->out);
}

static void emit_count(struct parser *ps, const char *type, unsigned long n)
{
	if (ps->out)
		fprintf(ps->out, "%s\t%s\t%lu\n", ps->path.s, type, n);
}

static bool digit(const struct parser *ps)
{
	return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

/* At least one digit, else @what. */
static void digits(struct parser *ps, const char *what)
{
	if (!digit(ps))
		fail(ps, what);
	while (digit(ps))
		ps->p++;
}

static void number(struct parser *ps)
{
	const unsigned char *s = ps->p;

	if (*ps->p == '-')
		ps->p++;
	if (digit(ps) && *ps->p == '0') {
		ps->p++;
		if (digit(ps))
			fail(ps, "leading zero in a number");
	} else {
		digits(ps, "a number needs a digit");
	}
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		digits(ps, "a fraction needs a digit");
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		digits(ps, "an exponent needs a digit");
	}
	emit(ps, "number", (const char *)s, (size_t)(ps->p - s));
}

static void literal(struct parser *ps, const char *word, const char *type)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		fail(ps, "unexpected character");
	ps->p += n;
	emit(ps, type, word, n);
}

static void value(struct parser *ps);

static bool plain_key(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-", s[i]) || !s[i])
			return false;
	return n > 0;
}

/*
 * An object member's or array element's value, then the path back to
 * @plen and what follows: true after a ',' (more to come), false at
 * @close (the caller steps over it); @what fails anything else.
 */
static bool member_value(struct parser *ps, size_t plen, char close,
			 const char *what)
{
	value(ps);
	ps->path.len = plen;
	ps->path.s[plen] = '\0';
	ws(ps);
	if (ps->p < ps->end && *ps->p == ',') {
		ps->p++;
		return true;
	}
	if (ps->p < ps->end && *ps->p == close)
		return false;
	fail(ps, what);
	return false;
}

static void object(struct parser *ps)
{
	struct buf keys = { 0 };	/* each key: its length, then its bytes */
	size_t plen = ps->path.len, off, klen;
	unsigned long n = 0;

	ps->p++;
	ws(ps);
	if (ps->p < ps->end && *ps->p == '}')
		goto out;
	for (;;) {
		ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			fail(ps, n ? "expected a key after ','" : "expected a key or '}'");
		string(ps);
		for (off = 0; off < keys.len; off += sizeof(klen) + klen) {
			memcpy(&klen, keys.s + off, sizeof(klen));
			if (klen == ps->str.len &&
			    !memcmp(keys.s + off + sizeof(klen), ps->str.s, klen))
				fail(ps, "duplicate key");
		}
		klen = ps->str.len;
		buf_add(&keys, &klen, sizeof(klen));
		buf_add(&keys, ps->str.s, klen);
		buf_addc(&ps->path, '.');
		if (plain_key(ps->str.s, klen)) {
			buf_add(&ps->path, ps->str.s, klen);
		} else {
			buf_addc(&ps->path, '"');
			for (off = 0; off < klen; off++) {
				if (ps->str.s[off] == '"' || ps->str.s[off] == '\\')
					buf_addc(&ps->path, '\\');
				buf_addc(&ps->path, ps->str.s[off] ? ps->str.s[off] : '?');
			}
			buf_addc(&ps->path, '"');
		}
		ws(ps);
		if (ps->p >= ps->end || *ps->p != ':')
			fail(ps, "expected ':'");
		ps->p++;
		n++;
		if (!member_value(ps, plen, '}', "expected ',' or '}'"))
			break;
	}
out:
	ps->p++;
	free(keys.s);
	emit_count(ps, "object", n);
}

static void array(struct parser *ps)
{
	size_t plen = ps->path.len;
	unsigned long n = 0;
	char idx[32];

	ps->p++;
	ws(ps);
	if (ps->p < ps->end && *ps->p == ']')
		goto out;
	for (;;) {
		snprintf(idx, sizeof(idx), "[%lu]", n);
		buf_add(&ps->path, idx, strlen(idx));
		n++;
		if (!member_value(ps, plen, ']', "expected ',' or ']'"))
			break;
	}
out:
	ps->p++;
	emit_count(ps, "array", n);
}

static void value(struct parser *ps)
{
	ws(ps);
	if (ps->p >= ps->end)
		fail(ps, "end of input where a value should be");
	if (++ps->depth > MAX_DEPTH)
		fail(ps, "nested too deep");
	switch (*ps->p) {
	case '{':
		object(ps);
		break;
	case '[':
		array(ps);
		break;
	case '"':
		string(ps);
		emit(ps, "string", ps->str.s, ps->str.len);
		break;
	case 't':
		literal(ps, "true", "bool");
		break;
	case 'f':
		literal(ps, "false", "bool");
		break;
	case 'n':
		literal(ps, "null", "null");
		break;
	default:
		if (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9'))
			fail(ps, "unexpected character");
		number(ps);
	}
	ps->depth--;
}

/* One JSON text from ps->p to ps->end, with nothing after it. */
static void document(struct parser *ps)
{
	value(ps);
	ws(ps);
	if (ps->p < ps->end)
		fail(ps, "trailing characters after the JSON text");
}

int main(int argc, char **argv)
{
	struct parser ps = { 0 };
	bool lines = false, flat = false;
	unsigned char *in = NULL, *nl;
	size_t len = 0, cap = 0, r;
	unsigned long ndoc = 0;
	char *text = NULL;
	size_t textlen = 0;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--lines")) {
			lines = true;
		} else if (!strcmp(argv[i], "--flat")) {
			flat = true;
		} else {
			fprintf(stderr, "usage: jsoncheck [--lines] [--flat] < FILE\n");
			return 2;
		}
	}
	do {
		if (len + 65536 > cap) {
			cap = (len + 65536) * 2;
			in = realloc(in, cap);
			if (!in)
				die("out of memory");
		}
		r = fread(in + len, 1, cap - len, stdin);
		len += r;
		if (len > MAX_INPUT)
			die("input too large");
	} while (r);
	if (ferror(stdin))
		die("cannot read standard input");
	/* Output only once everything is valid: a failure prints nothing. */
	if (flat) {
		ps.out = open_memstream(&text, &textlen);
		if (!ps.out)
			die("out of memory");
	}
	buf_add(&ps.path, "$", 1);
	ps.start = ps.p = in;
	if (!lines) {
		ps.end = in + len;
		ws(&ps);
		if (ps.p == ps.end)
			fail(&ps, "empty input");
		document(&ps);
	} else {
		while (ps.p < in + len) {
			nl = memchr(ps.p, '\n', (size_t)(in + len - ps.p));
			ps.end = nl ? nl : in + len;
			ws(&ps);
			if (ps.p == ps.end)
				fail(&ps, "empty line where a JSON text should be");
			ps.path.len = 0;
			buf_add(&ps.path, "$", 1);
			if (flat) {
				char idx[32];

				snprintf(idx, sizeof(idx), "[%lu]", ndoc);
				buf_add(&ps.path, idx, strlen(idx));
			}
			document(&ps);
			ndoc++;
			ps.p = ps.end + (nl ? 1 : 0);
		}
		ps.path.len = 1;
		ps.path.s[1] = '\0';
		emit_count(&ps, "array", ndoc);
	}
	if (flat) {
		fclose(ps.out);
		fwrite(text, 1, textlen, stdout);
	}
	if (fflush(stdout) || ferror(stdout))
		die("cannot write standard output");
	free(text);
	free(in);
	free(ps.path.s);
	free(ps.str.s);
	return 0;
}
