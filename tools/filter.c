// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "optval.h"
#include "parse.h"
#include "request.h"
#include "states.h"

int ts_parse_portset(const char *s, struct ts_portset *set)
{
	struct ts_portset add = { 0 };
	char word[16], *dash;
	const char *p = s, *end;
	uint64_t lo, hi;
	size_t len;

	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || len >= sizeof(word) ||
		    add.n + set->n >= TS_PORTSET_MAX)
			return -1;
		memcpy(word, p, len);
		word[len] = '\0';
		dash = strchr(word, '-');
		if (dash)
			*dash = '\0';
		if (ts_parse_uint(word, 1, 65535, &lo))
			return -1;
		hi = lo;
		if (dash && (ts_parse_uint(dash + 1, 1, 65535, &hi) || hi < lo))
			return -1;
		add.r[add.n].lo = (uint16_t)lo;
		add.r[add.n++].hi = (uint16_t)hi;
		if (!end)
			break;
		p = end + 1;
	}
	memcpy(&set->r[set->n], add.r, add.n * sizeof(add.r[0]));
	set->n += add.n;
	return 0;
}

bool ts_portset_has(const struct ts_portset *set, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (port >= set->r[i].lo && port <= set->r[i].hi)
			return true;
	return false;
}

uint16_t ts_portset_single(const struct ts_portset *set)
{
	unsigned int i;

	/* "80,80" and "80-80" are one port too. */
	for (i = 0; i < set->n; i++)
		if (set->r[i].lo != set->r[0].lo || set->r[i].hi != set->r[0].lo)
			return 0;
	return set->n ? set->r[0].lo : 0;
}

bool ts_prefix_match(const struct ts_prefix *p, int family,
		     const uint8_t *addr)
{
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };
	uint8_t a[16], pa[16];
	int len = p->len, i;

	/* Both sides as IPv6, IPv4 mapped, as the module compares them. */
	if (family == AF_INET6) {
		memcpy(a, addr, 16);
	} else {
		memcpy(a, v4mapped, 12);
		memcpy(a + 12, addr, 4);
	}
	if (p->family == AF_INET6) {
		memcpy(pa, p->addr, 16);
	} else {
		memcpy(pa, v4mapped, 12);
		memcpy(pa + 12, p->addr, 4);
		len += 96;
	}
	for (i = 0; len > 0; i++, len -= 8) {
		uint8_t mask = len >= 8 ? 0xff : (uint8_t)(0xff << (8 - len));

		if ((a[i] ^ pa[i]) & mask)
			return false;
	}
	return true;
}

/* Request sockets are what SYN_RECV means to ss, and to the module. */
static uint32_t widen(uint32_t m)
{
	if (m & TS_STATE_BIT(TCPSTATE_SYN_RECV))
		m |= TS_STATE_BIT(TCPSTATE_NEW_SYN_RECV);
	return m;
}

uint32_t ts_request_states(const struct ts_request *r)
{
	uint32_t m = r->state_mask ? r->state_mask : TS_STATES_ALL;

	if (!r->state_mask && !r->not_state_mask)
		return 0;
	return widen(m) & ~widen(r->not_state_mask);
}

const char *ts_request_tool_only(const struct ts_request *r)
{
	uint32_t m = ts_request_states(r);

	if (r->sport.n && !ts_portset_single(&r->sport))
		return "--sport with a list or range";
	if (r->dport.n && !ts_portset_single(&r->dport))
		return "--dport with a list or range";
	if (r->port.n && !ts_portset_single(&r->port))
		return "--port with a list or range";
	if (r->not_sport.n)
		return "--not-sport";
	if (r->not_dport.n)
		return "--not-dport";
	if (r->not_port.n)
		return "--not-port";
	if (r->has_not_src)
		return "--not-src";
	if (r->has_not_dst)
		return "--not-dst";
	if (r->not_pid)
		return "--not-pid";
	if (r->not_comm[0])
		return "--not-comm";
	/* The module adds request sockets to SYN_RECV: it cannot drop them. */
	if (m != widen(m))
		return "--not-state NEW_SYN_RECV without SYN_RECV";
	return NULL;
}

static bool owned_by(const struct ts_sock *sk, uint32_t pid, const char *comm)
{
	uint32_t i;

	for (i = 0; i < sk->nprocs && i < TCPSTATE_MAX_PROCS_PER_SOCK; i++)
		if ((pid && sk->procs[i].pid == pid) ||
		    (comm && !strncmp(sk->procs[i].comm, comm,
				      sizeof(sk->procs[i].comm))))
			return true;
	return false;
}

bool ts_request_match(const struct ts_request *r, const struct ts_sock *sk)
{
	uint32_t m = ts_request_states(r);

	if (m && (sk->state >= 32 || !(m & TS_STATE_BIT(sk->state))))
		return false;
	if (r->sport.n && !ts_portset_has(&r->sport, sk->sport))
		return false;
	if (r->dport.n && !ts_portset_has(&r->dport, sk->dport))
		return false;
	if (r->port.n && !ts_portset_has(&r->port, sk->sport) &&
	    !ts_portset_has(&r->port, sk->dport))
		return false;
	if (ts_portset_has(&r->not_sport, sk->sport) ||
	    ts_portset_has(&r->not_dport, sk->dport) ||
	    ts_portset_has(&r->not_port, sk->sport) ||
	    ts_portset_has(&r->not_port, sk->dport))
		return false;
	if (r->has_not_src && ts_prefix_match(&r->not_src, sk->family, sk->saddr))
		return false;
	if (r->has_not_dst && ts_prefix_match(&r->not_dst, sk->family, sk->daddr))
		return false;
	if (r->not_pid && owned_by(sk, r->not_pid, NULL))
		return false;
	if (r->not_comm[0] && owned_by(sk, 0, r->not_comm))
		return false;
	/* --src, --dst, --older-than, --pid, --comm, -4/-6: the kernel's. */
	return true;
}
