// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "fmt.h"

char *fmt_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
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

char *fmt_addr(char *p, int family, const uint8_t *addr)
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
