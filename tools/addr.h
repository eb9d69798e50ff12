/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Addresses: parsing A[/LEN] for filters, formatting like ss. */
#ifndef TCPSTATECTL_ADDR_H
#define TCPSTATECTL_ADDR_H

#include <stddef.h>
#include <stdint.h>

struct ts_prefix {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* 4 or 16 bytes used, network order */
	int len;		/* prefix length */
};

/*
 * "10.0.0.0/8", "192.0.2.1", "::1", "[2001:db8::]/32". Bits past the
 * prefix must be zero only in spirit: they are ignored. Returns 0, or -1
 * with a reason in @err.
 */
int ts_parse_prefix(const char *s, struct ts_prefix *p, char *err,
		    size_t errlen);

/* A port number 1..65535. Returns 0 or -1. */
int ts_parse_port(const char *s, uint16_t *port);

/* "192.0.2.1", "2001:db8::1". */
void ts_format_addr(char *buf, size_t len, int family, const uint8_t *addr);

/* "192.0.2.1:80", "[::1]:80", port 0 as "*": what ss -n prints. */
void ts_format_endpoint(char *buf, size_t len, int family,
			const uint8_t *addr, uint16_t port);

#define TS_ADDRSTRLEN 48	/* INET6_ADDRSTRLEN + brackets and ":65535" */

#endif
