/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The parts of a list filter the kernel's attributes cannot express (port
 * lists and ranges, negations): the request sends the widest kernel filter
 * that is still correct, and ts_request_match() finishes the job on each
 * socket of the dump. Pure, host-testable.
 */
#ifndef TCPSTATECTL_FILTER_H
#define TCPSTATECTL_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct ts_request;
struct ts_sock;

#define TS_PORTSET_MAX 32

/* Ports as a command line gave them: "80", "80,443", "8000-8100,9000". */
struct ts_portset {
	unsigned int n;		/* 0: no filter */
	struct {
		uint16_t lo, hi;
	} r[TS_PORTSET_MAX];
};

/* Add the ports of @s to @set. Returns 0, or -1 (nothing added). */
int ts_parse_portset(const char *s, struct ts_portset *set);
bool ts_portset_has(const struct ts_portset *set, uint16_t port);
/* The one port of a set of one port, else 0: what the kernel can filter. */
uint16_t ts_portset_single(const struct ts_portset *set);

/*
 * Whether @addr (of a socket of @family) is in @p, as the module matches:
 * an IPv4 address is seen IPv4-mapped, so an IPv4 prefix also matches
 * IPv4-mapped IPv6 addresses.
 */
bool ts_prefix_match(const struct ts_prefix *p, int family,
		     const uint8_t *addr);

/* The states the kernel is asked for (0: every state), SYN_RECV widened. */
uint32_t ts_request_states(const struct ts_request *r);
/*
 * The first option the kernel cannot filter on ("--not-sport", "--sport"
 * with a list or range...), or NULL if it filters everything by itself.
 */
const char *ts_request_tool_only(const struct ts_request *r);
/* Whether @sk passes the whole filter, kernel part included. */
bool ts_request_match(const struct ts_request *r, const struct ts_sock *sk);

#endif
