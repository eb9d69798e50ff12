// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "fmt.h"

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

int ts_parse_port(const char *s, uint16_t *port)
{
	unsigned long v;

	if (parse_uint(s, 65535, &v) || v == 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int ts_parse_prefix(const char *s, struct ts_prefix *p, char *err,
		    size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *slash = strchr(s, '/');
	size_t hlen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long len;

	memset(p, 0, sizeof(*p));
	if (hlen == 0 || hlen >= sizeof(host)) {
		snprintf(err, errlen, "'%.64s' is not an address", s);
		return -1;
	}
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	/* Allow the [v6] form ss prints. */
	if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
		memmove(host, host + 1, hlen - 2);
		host[hlen - 2] = '\0';
	}
	if (inet_pton(AF_INET, host, p->addr) == 1) {
		p->family = AF_INET;
		p->len = 32;
	} else if (inet_pton(AF_INET6, host, p->addr) == 1) {
		p->family = AF_INET6;
		p->len = 128;
	} else {
		snprintf(err, errlen, "'%.64s' is not an IPv4 or IPv6 address",
			 host);
		return -1;
	}
	if (slash) {
		if (parse_uint(slash + 1, (unsigned long)p->len, &len)) {
			snprintf(err, errlen,
				 "bad prefix length '%.16s' (0-%d for %s)",
				 slash + 1, p->len,
				 p->family == AF_INET ? "IPv4" : "IPv6");
			return -1;
		}
		p->len = (int)len;
	}
	return 0;
}

void ts_format_addr(char *buf, size_t len, int family, const uint8_t *addr)
{
	char tmp[64];
	size_t n = (size_t)(fmt_addr(tmp, family, addr) - tmp);

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}

void ts_format_endpoint(char *buf, size_t len, int family,
			const uint8_t *addr, uint16_t port)
{
	char tmp[64];
	size_t n = (size_t)(fmt_endpoint(tmp, family, addr, port) - tmp);

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}
