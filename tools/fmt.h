/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Number and address formatting for the hot path: a listing formats 100,000
 * sockets, and snprintf/inet_ntop dominate its time. Each function writes
 * at @p and returns the end; none writes a terminating NUL.
 */
#ifndef TCPSTATECTL_FMT_H
#define TCPSTATECTL_FMT_H

#include <stdint.h>

char *fmt_u64(char *p, uint64_t v);
/* "192.0.2.1" or "2001:db8::1" (at most 45 bytes). */
char *fmt_addr(char *p, int family, const uint8_t *addr);
/* "192.0.2.1:80", "[::1]:80", port 0 as "*" (at most 54 bytes). */
char *fmt_endpoint(char *p, int family, const uint8_t *addr, uint16_t port);

#endif
