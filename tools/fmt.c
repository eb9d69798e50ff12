// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "fmt.h"

/* "00" to "99": two digits per step, as most fast integer printers do. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

/* Compares, not divisions: most values here have at most 5 digits. */
static int u32_digits(uint32_t v)
{
	if (v < 100000)
		return v < 100 ? 1 + (v >= 10) :
		       v < 10000 ? 3 + (v >= 1000) : 5;
	if (v < 10000000)
		return 6 + (v >= 1000000);
	return v < 100000000 ? 8 : 9 + (v >= 1000000000);
}

/* @v in exactly @n digits (leading zeros if it is shorter). */
static char *put_u32(char *p, uint32_t v, int n)
{
	char *end = p + n, *q = end;

	while (v >= 100) {
		unsigned int i = (v % 100) * 2;

		v /= 100;
		q -= 2;
		memcpy(q, digit_pairs + i, 2);
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, digit_pairs + v * 2, 2);
	} else {
		*--q = (char)('0' + v);
	}
	while (q > p)		/* the 9-digit groups of 64-bit values */
		*--q = '0';
	return end;
}

/*
 * Decimal, no terminator. Events and socket lists print several numbers
 * per line, tens of thousands of lines a second: no division per digit,
 * and 32-bit arithmetic for the 9-digit groups of 64-bit values.
 */
char *fmt_u64(char *p, uint64_t v)
{
	uint64_t hi;

	if (v < 10) {		/* queues and uids are mostly 0 */
		*p = (char)('0' + v);
		return p + 1;
	}
	if (v <= UINT32_MAX)
		return put_u32(p, (uint32_t)v, u32_digits((uint32_t)v));
	hi = v / 1000000000U;
	p = fmt_u64(p, hi);
	return put_u32(p, (uint32_t)(v - hi * 1000000000U), 9);
}

/* An IPv4 address byte, 0 to 255, without a division per digit. */
static char *fmt_octet(char *p, unsigned int v)
{
	if (v >= 100) {
		*p++ = (char)('0' + v / 100);
		v %= 100;
		*p++ = (char)('0' + v / 10);
	} else if (v >= 10) {
		*p++ = (char)('0' + v / 10);
	}
	*p++ = (char)('0' + v % 10);
	return p;
}

/*
 * The last address formatted, per family: the local addresses of a listing
 * are mostly one or two, and an IPv6 address costs an inet_ntop() call.
 */
struct addr_memo {
	bool valid;
	uint8_t addr[16];
	size_t len;
	char text[INET6_ADDRSTRLEN];
};

static char *fmt_addr_slow(char *p, int family, const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN];
	size_t n;
	int i;

	if (family != AF_INET6) {
		for (i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = fmt_octet(p, addr[i]);
		}
		return p;
	}
	if (!inet_ntop(AF_INET6, addr, buf, sizeof(buf)))
		strcpy(buf, "?");
	n = strlen(buf);
	memcpy(p, buf, n);
	return p + n;
}

char *fmt_addr(char *p, int family, const uint8_t *addr)
{
	static struct addr_memo memo[2];
	struct addr_memo *m = &memo[family == AF_INET6];
	size_t alen = family == AF_INET6 ? 16 : 4;

	if (!m->valid || memcmp(m->addr, addr, alen)) {
		m->len = (size_t)(fmt_addr_slow(m->text, family, addr) - m->text);
		memcpy(m->addr, addr, alen);
		m->valid = true;
	}
	memcpy(p, m->text, m->len);
	return p + m->len;
}

char *fmt_endpoint(char *p, int family, const uint8_t *addr, uint16_t port)
{
	if (family == AF_INET6)
		*p++ = '[';
	p = fmt_addr(p, family, addr);
	if (family == AF_INET6)
		*p++ = ']';
	*p++ = ':';
	if (port)
		return fmt_u64(p, port);
	*p++ = '*';
	return p;
}
