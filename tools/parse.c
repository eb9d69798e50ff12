// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "parse.h"

/* Copy a NUL-terminated string attribute, truncating to @size. */
static int get_str(const struct nlattr *a, char *dst, size_t size)
{
	const char *src;
	size_t n;

	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 || !size)
		return -EINVAL;
	/* Validated: NUL-terminated within the payload. */
	src = mnl_attr_get_str(a);
	n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/*
 * Fixed-size attributes: a payload at least as long as the value, as
 * mnl_attr_validate() requires, checked inline: these run for every
 * process record of a -p listing.
 */
static int get_fixed(const struct nlattr *a, void *v, size_t size)
{
	if (mnl_attr_get_payload_len(a) < size)
		return -EINVAL;
	memcpy(v, mnl_attr_get_payload(a), size);
	return 0;
}

static int get_u8(const struct nlattr *a, uint8_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

static int get_u16(const struct nlattr *a, uint16_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	return get_fixed(a, v, sizeof(*v));
}

static int parse_evstat(const struct nlattr *nest, struct ts_stats *st)
{
	struct ts_evstats tmp = { 0 };
	const struct nlattr *a;
	uint8_t type = 0;
	int ret = 0;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case TCPSTATE_EVSTAT_A_TYPE:
			ret = get_u8(a, &type);
			break;
		case TCPSTATE_EVSTAT_A_SEEN:
			ret = get_u64(a, &tmp.seen);
			break;
		case TCPSTATE_EVSTAT_A_DELIVERED:
			ret = get_u64(a, &tmp.delivered);
			break;
		case TCPSTATE_EVSTAT_A_DROPPED:
			ret = get_u64(a, &tmp.dropped);
			break;
		case TCPSTATE_EVSTAT_A_UNHEARD:
			ret = get_u64(a, &tmp.unheard);
			break;
		}
		if (ret)
			return ret;
	}
	/* An event type this tool does not know is ignored. */
	if (type >= 1 && type <= TCPSTATE_EV_MAX)
		st->ev[type] = tmp;
	return 0;
}

static int parse_stats_nest(const struct nlattr *nest, struct ts_stats *st)
{
	const struct nlattr *a;
	bool host_wide = false;
	int ret = 0;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case TCPSTATE_STATS_A_TRACK_ENTRIES:
		case TCPSTATE_STATS_A_TRACK_CAPACITY:
		case TCPSTATE_STATS_A_TRACK_FULL:
		case TCPSTATE_STATS_A_TRANSITIONS:
		case TCPSTATE_STATS_A_OBJECTS:
		case TCPSTATE_STATS_A_TW_RECORDS:
			host_wide = true;
			break;
		}
		switch (mnl_attr_get_type(a)) {
		case TCPSTATE_STATS_A_EVENT_SEQ:
			ret = get_u64(a, &st->event_seq);
			break;
		case TCPSTATE_STATS_A_ABORT_ON_CLOSE:
			ret = get_u64(a, &st->abort_on_close);
			break;
		case TCPSTATE_STATS_A_EVTYPE:
			ret = parse_evstat(a, st);
			break;
		case TCPSTATE_STATS_A_TRACK_ENTRIES:
			ret = get_u64(a, &st->track_entries);
			break;
		case TCPSTATE_STATS_A_TRACK_CAPACITY:
			ret = get_u64(a, &st->track_capacity);
			break;
		case TCPSTATE_STATS_A_TRACK_FULL:
			ret = get_u64(a, &st->track_full);
			break;
		case TCPSTATE_STATS_A_TRANSITIONS:
			ret = get_u64(a, &st->transitions);
			break;
		case TCPSTATE_STATS_A_OBJECTS:
			ret = get_u64(a, &st->objects);
			break;
		case TCPSTATE_STATS_A_TW_RECORDS:
			ret = get_u64(a, &st->tw_records);
			break;
		}
		if (ret)
			return ret;
	}
	/* Modules before the scoping sent them always. */
	st->host_wide_absent = !host_wide;
	return 0;
}

int ts_parse_stats(const void *attrs, size_t len, struct ts_stats *st)
{
	const struct nlattr *attr;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	mnl_attr_for_each_payload(attrs, len) {
		switch (mnl_attr_get_type(attr)) {
		case TCPSTATE_A_VERSION:
			ret = get_str(attr, st->version, sizeof(st->version));
			break;
		case TCPSTATE_A_CAPS:
			ret = get_u32(attr, &st->caps);
			break;
		case TCPSTATE_A_NETNS:
			ret = get_u32(attr, &st->netns);
			break;
		case TCPSTATE_A_STATS:
			ret = parse_stats_nest(attr, st);
			break;
		case TCPSTATE_A_USER_DUMPS:
			ret = get_u32(attr, &st->user_dumps);
			st->has_user_dumps = true;
			break;
		case TCPSTATE_A_USER_DUMP_BYTES:
			ret = get_u64(attr, &st->user_dump_bytes);
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* An address of 4 or 16 bytes; the length is checked against the family
 * once the whole nest is read.
 */
static int get_addr(const struct nlattr *a, uint8_t *dst, uint8_t *len)
{
	uint16_t n = mnl_attr_get_payload_len(a);

	if (n != 4 && n != 16)
		return -EINVAL;
	memset(dst, 0, 16);
	memcpy(dst, mnl_attr_get_payload(a), n);
	*len = (uint8_t)n;
	return 0;
}

static int family_addr_len(uint8_t family)
{
	return family == 2 ? 4 : family == 10 ? 16 : -1;	/* AF_INET/6 */
}

static int parse_proc(const struct nlattr *nest, struct ts_proc *p)
{
	const struct nlattr *a;
	uint32_t fd;
	int ret = 0;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case TCPSTATE_PROC_A_PID:
			ret = get_u32(a, &p->pid);
			break;
		case TCPSTATE_PROC_A_COMM:
			ret = get_str(a, p->comm, sizeof(p->comm));
			break;
		case TCPSTATE_PROC_A_FD:
			ret = get_u32(a, &fd);
			if (!ret && p->nfds < TCPSTATE_MAX_FDS_PER_PROC)
				p->fds[p->nfds++] = fd;
			break;
		case TCPSTATE_PROC_A_FDS_TOTAL:
			ret = get_u32(a, &p->fds_total);
			break;
		case TCPSTATE_PROC_A_UID:
			ret = get_u32(a, &p->uid);
			p->has_uid = true;
			break;
		}
		if (ret)
			return ret;
	}
	if (p->fds_total < p->nfds)
		p->fds_total = p->nfds;
	return 0;
}

static int parse_procs(const struct nlattr *nest, struct ts_sock *sk)
{
	const struct nlattr *a;
	int ret;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != TCPSTATE_PROCS_A_PROC)
			continue;
		if (sk->nprocs == TCPSTATE_MAX_PROCS_PER_SOCK)
			break;	/* the module never sends more */
		ret = parse_proc(a, &sk->procs[sk->nprocs]);
		if (ret)
			return ret;
		sk->nprocs++;
	}
	return 0;
}

/*
 * Exact payload length of each fixed-size socket attribute; 0 means
 * variable (addresses, nests) and is checked where it is read. The socket
 * parser is the hot path of a 100,000-socket listing, so it walks the
 * attributes itself instead of making a library call per attribute.
 */
static const uint8_t sock_attr_len[TCPSTATE_SOCK_A_MAX + 1] = {
	[TCPSTATE_SOCK_A_FAMILY] = 1,
	[TCPSTATE_SOCK_A_STATE] = 1,
	[TCPSTATE_SOCK_A_SPORT] = 2,
	[TCPSTATE_SOCK_A_DPORT] = 2,
	[TCPSTATE_SOCK_A_RECV_Q] = 4,
	[TCPSTATE_SOCK_A_SEND_Q] = 4,
	[TCPSTATE_SOCK_A_UID] = 4,
	[TCPSTATE_SOCK_A_INODE] = 8,
	[TCPSTATE_SOCK_A_AGE_MS] = 8,
	[TCPSTATE_SOCK_A_AGE_FLAGS] = 4,
	[TCPSTATE_SOCK_A_NETNS] = 4,
	[TCPSTATE_SOCK_A_ACCEPTQ_LEN] = 4,
	[TCPSTATE_SOCK_A_ACCEPTQ_MAX] = 4,
	[TCPSTATE_SOCK_A_COOKIE] = 8,
	[TCPSTATE_SOCK_A_OWNER_KIND] = 1,
	[TCPSTATE_SOCK_A_OWNER_FLAGS] = 4,
	[TCPSTATE_SOCK_A_PROCS_TOTAL] = 4,
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int ts_parse_sock_nest(const struct nlattr *nest, struct ts_sock *sk)
{
	bool has_family = false, has_state = false;
	const uint8_t *p, *end, *d;
	uint16_t len, type, plen;
	uint8_t slen = 0, dlen = 0;
	int ret;

	/* The owner lists are large and usually empty: clear only the rest. */
	memset(sk, 0, offsetof(struct ts_sock, procs));
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	p = mnl_attr_get_payload(nest);
	end = p + mnl_attr_get_payload_len(nest);
	while (end - p >= (ptrdiff_t)NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		len = a->nla_len;
		if (len < NLA_HDRLEN || len > end - p)
			break;	/* like mnl_attr_ok(): stop at a bad header */
		type = a->nla_type & NLA_TYPE_MASK;
		plen = (uint16_t)(len - NLA_HDRLEN);
		d = p + NLA_HDRLEN;
		p += MNL_ALIGN(len);
		if (type > TCPSTATE_SOCK_A_MAX)
			continue;	/* from a newer module */
		if (sock_attr_len[type] && plen != sock_attr_len[type])
			return -EINVAL;
		switch (type) {
		case TCPSTATE_SOCK_A_FAMILY:
			sk->family = *d;
			has_family = true;
			break;
		case TCPSTATE_SOCK_A_STATE:
			sk->state = *d;
			has_state = true;
			break;
		case TCPSTATE_SOCK_A_SADDR:
		case TCPSTATE_SOCK_A_DADDR:
			ret = get_addr(a, type == TCPSTATE_SOCK_A_SADDR ? sk->saddr :
					  sk->daddr,
				       type == TCPSTATE_SOCK_A_SADDR ? &slen : &dlen);
			if (ret)
				return ret;
			break;
		case TCPSTATE_SOCK_A_SPORT:
			sk->sport = rd16(d);
			break;
		case TCPSTATE_SOCK_A_DPORT:
			sk->dport = rd16(d);
			break;
		case TCPSTATE_SOCK_A_RECV_Q:
			sk->recv_q = rd32(d);
			break;
		case TCPSTATE_SOCK_A_SEND_Q:
			sk->send_q = rd32(d);
			break;
		case TCPSTATE_SOCK_A_UID:
			sk->uid = rd32(d);
			break;
		case TCPSTATE_SOCK_A_INODE:
			sk->inode = rd64(d);
			break;
		case TCPSTATE_SOCK_A_AGE_MS:
			sk->age_ms = rd64(d);
			break;
		case TCPSTATE_SOCK_A_AGE_FLAGS:
			sk->age_flags = rd32(d);
			break;
		case TCPSTATE_SOCK_A_NETNS:
			sk->netns = rd32(d);
			break;
		case TCPSTATE_SOCK_A_ACCEPTQ_LEN:
			sk->acceptq_len = rd32(d);
			sk->has_acceptq = true;
			break;
		case TCPSTATE_SOCK_A_ACCEPTQ_MAX:
			sk->acceptq_max = rd32(d);
			sk->has_acceptq = true;
			break;
		case TCPSTATE_SOCK_A_COOKIE:
			sk->cookie = rd64(d);
			break;
		case TCPSTATE_SOCK_A_OWNER_KIND:
			sk->owner_kind = *d;
			break;
		case TCPSTATE_SOCK_A_OWNER_FLAGS:
			sk->owner_flags = rd32(d);
			break;
		case TCPSTATE_SOCK_A_PROCS_TOTAL:
			sk->procs_total = rd32(d);
			break;
		case TCPSTATE_SOCK_A_PROCS:
			ret = parse_procs(a, sk);
			if (ret)
				return ret;
			break;
		}
	}
	if (!has_family || !has_state)
		return -EINVAL;
	if ((slen && slen != family_addr_len(sk->family)) ||
	    (dlen && dlen != family_addr_len(sk->family)))
		return -EINVAL;
	if (sk->procs_total < sk->nprocs)
		sk->procs_total = sk->nprocs;
	return 0;
}

/* One process record at @p, @room bytes left. Returns its length or -1. */
static ptrdiff_t parse_proc_rec(const uint8_t *p, size_t room,
				struct ts_proc *out)
{
	struct tcpstate_proc_rec pr;
	uint16_t size, nfds, i;
	size_t len;

	if (room < 4)
		return -1;
	size = rd16(p);
	nfds = rd16(p + 2);
	len = (size_t)size + (size_t)nfds * 4;
	if (size < sizeof(pr) || size % 4 || len > room)
		return -1;
	if (!out)
		return (ptrdiff_t)len;	/* beyond the bound: skipped */
	memcpy(&pr, p, sizeof(pr));
	out->pid = pr.pid;
	memcpy(out->comm, pr.comm, sizeof(out->comm));
	out->comm[sizeof(out->comm) - 1] = '\0';
	out->nfds = nfds < TCPSTATE_MAX_FDS_PER_PROC ? nfds :
		    TCPSTATE_MAX_FDS_PER_PROC;
	for (i = 0; i < out->nfds; i++)
		out->fds[i] = rd32(p + size + 4 * i);
	out->fds_total = pr.fds_total < out->nfds ? out->nfds : pr.fds_total;
	out->has_uid = pr.flags & TCPSTATE_PROC_REC_F_UID;
	out->uid = out->has_uid ? pr.uid : 0;
	return (ptrdiff_t)len;
}

int ts_parse_sock_rec(const void *payload, size_t len, struct ts_sock *sk)
{
	const uint8_t *p = payload;
	struct tcpstate_sock_rec r;
	size_t off, alen;
	ptrdiff_t n;
	uint32_t k;

	if (len < sizeof(r))
		return -EINVAL;
	memcpy(&r, p, sizeof(r));
	/* A newer module may append fields: the processes start at size. */
	if (r.size < sizeof(r) || r.size % 4 || r.size > len)
		return -EINVAL;
	alen = (size_t)family_addr_len(r.family);
	if (alen != 4 && alen != 16)
		return -EINVAL;
	memset(sk, 0, offsetof(struct ts_sock, procs));
	sk->family = r.family;
	sk->state = r.state;
	memcpy(sk->saddr, r.saddr, alen);
	memcpy(sk->daddr, r.daddr, alen);
	sk->sport = r.sport;
	sk->dport = r.dport;
	sk->recv_q = r.recv_q;
	sk->send_q = r.send_q;
	sk->uid = r.uid;
	sk->inode = r.inode;
	sk->age_ms = r.age_ms;
	sk->age_flags = r.age_flags;
	sk->netns = r.netns;
	sk->cookie = r.cookie;
	if (r.flags & TCPSTATE_REC_F_ACCEPTQ) {
		sk->has_acceptq = true;
		sk->acceptq_len = r.acceptq_len;
		sk->acceptq_max = r.acceptq_max;
	}
	if (r.flags & TCPSTATE_REC_F_OWNERS) {
		sk->owner_kind = r.owner_kind;
		sk->owner_flags = r.owner_flags;
		sk->procs_total = r.procs_total;
	}
	off = r.size;
	for (k = 0; k < r.nprocs; k++) {
		/* The module never sends more than the bound; skip any. */
		n = parse_proc_rec(p + off, len - off,
				   k < TCPSTATE_MAX_PROCS_PER_SOCK ?
				   &sk->procs[k] : NULL);
		if (n < 0)
			return -EINVAL;
		off += (size_t)n;
	}
	sk->nprocs = r.nprocs < TCPSTATE_MAX_PROCS_PER_SOCK ?
		     r.nprocs : TCPSTATE_MAX_PROCS_PER_SOCK;
	if (sk->procs_total < sk->nprocs)
		sk->procs_total = sk->nprocs;
	return 0;
}

int ts_parse_sock_msg(const void *attrs, size_t len, struct ts_sock *sk,
		      int (*cb)(const struct ts_sock *sk, void *data),
		      void *data)
{
	const struct nlattr *attr;
	bool found = false;
	int ret;

	mnl_attr_for_each_payload(attrs, len) {
		switch (mnl_attr_get_type(attr)) {
		case TCPSTATE_A_SOCK:
			ret = ts_parse_sock_nest(attr, sk);
			break;
		case TCPSTATE_A_SOCK_REC:
			ret = ts_parse_sock_rec(mnl_attr_get_payload(attr),
						mnl_attr_get_payload_len(attr),
						sk);
			break;
		default:
			continue;
		}
		if (ret < 0)
			return -EBADMSG;
		found = true;
		ret = cb(sk, data);
		if (ret < 0)
			return ret;
	}
	return found ? 0 : -EBADMSG;
}

int ts_parse_sock(const void *attrs, size_t len, struct ts_sock *sk)
{
	const struct nlattr *attr;

	mnl_attr_for_each_payload(attrs, len) {
		if (mnl_attr_get_type(attr) == TCPSTATE_A_SOCK)
			return ts_parse_sock_nest(attr, sk);
	}
	return -EINVAL;
}

static int parse_state_counts(const struct nlattr *nest, struct ts_counts *c)
{
	const struct nlattr *a;
	uint16_t type;
	uint32_t v;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	mnl_attr_for_each_nested(a, nest) {
		if (get_u32(a, &v))
			return -EINVAL;
		type = mnl_attr_get_type(a);
		/* A state this tool does not know still counts in the total. */
		if (type >= 1 && type <= TCPSTATE_STATE_MAX)
			c->states[type] = v;
	}
	return 0;
}

int ts_parse_counts(const void *attrs, size_t len, struct ts_counts *c)
{
	const struct nlattr *attr, *a;
	uint8_t alen = 0;
	bool found = false;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	mnl_attr_for_each_payload(attrs, len) {
		if (mnl_attr_get_type(attr) != TCPSTATE_A_COUNTS)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return -EINVAL;
		found = true;
		mnl_attr_for_each_nested(a, attr) {
			switch (mnl_attr_get_type(a)) {
			case TCPSTATE_COUNTS_A_NETNS:
				ret = get_u32(a, &c->netns);
				break;
			case TCPSTATE_COUNTS_A_TOTAL:
				ret = get_u32(a, &c->total);
				break;
			case TCPSTATE_COUNTS_A_STATES:
				ret = parse_state_counts(a, c);
				break;
			case TCPSTATE_COUNTS_A_KEY_PORT:
				ret = get_u16(a, &c->port);
				c->has_port = c->is_group = true;
				break;
			case TCPSTATE_COUNTS_A_KEY_FAMILY:
				ret = get_u8(a, &c->family);
				c->is_group = true;
				break;
			case TCPSTATE_COUNTS_A_KEY_ADDR:
				ret = get_addr(a, c->addr, &alen);
				c->has_addr = c->is_group = true;
				break;
			case TCPSTATE_COUNTS_A_KEY_PID:
				ret = get_u32(a, &c->pid);
				c->has_pid = c->is_group = true;
				break;
			case TCPSTATE_COUNTS_A_KEY_COMM:
				ret = get_str(a, c->comm, sizeof(c->comm));
				c->is_group = true;
				break;
			case TCPSTATE_COUNTS_A_KEY_OWNER_KIND:
				ret = get_u8(a, &c->owner_kind);
				c->is_group = true;
				break;
			}
			if (ret)
				return ret;
		}
	}
	if (!found)
		return -EINVAL;
	if (c->has_addr && alen != family_addr_len(c->family))
		return -EINVAL;
	return 0;
}

int ts_parse_event(const void *attrs, size_t len, struct ts_event *ev)
{
	const struct nlattr *attr, *a;
	bool found = false, has_sock = false, has_type = false;
	uint8_t v = 0;
	int ret = 0;

	memset(ev, 0, offsetof(struct ts_event, sk));
	mnl_attr_for_each_payload(attrs, len) {
		if (mnl_attr_get_type(attr) != TCPSTATE_A_EVENT)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return -EINVAL;
		found = true;
		mnl_attr_for_each_nested(a, attr) {
			switch (mnl_attr_get_type(a)) {
			case TCPSTATE_EV_A_TYPE:
				ret = get_u8(a, &ev->type);
				has_type = true;
				break;
			case TCPSTATE_EV_A_SEQ:
				ret = get_u64(a, &ev->seq);
				break;
			case TCPSTATE_EV_A_TIME_NS:
				ret = get_u64(a, &ev->time_ns);
				break;
			case TCPSTATE_EV_A_NETNS:
				ret = get_u32(a, &ev->netns);
				break;
			case TCPSTATE_EV_A_PID:
				ret = get_u32(a, &ev->pid);
				break;
			case TCPSTATE_EV_A_TID:
				ret = get_u32(a, &ev->tid);
				break;
			case TCPSTATE_EV_A_VPID:
				ret = get_u32(a, &ev->vpid);
				break;
			case TCPSTATE_EV_A_UID:
				ret = get_u32(a, &ev->uid);
				break;
			case TCPSTATE_EV_A_COMM:
				ret = get_str(a, ev->comm, sizeof(ev->comm));
				break;
			case TCPSTATE_EV_A_SOCK:
				ret = ts_parse_sock_nest(a, &ev->sk);
				has_sock = true;
				break;
			case TCPSTATE_EV_A_UNREAD_BYTES:
				ret = get_u32(a, &ev->unread);
				ev->has_unread = true;
				break;
			case TCPSTATE_EV_A_RST:
				ret = get_u8(a, &v);
				ev->rst = v;
				ev->has_rst = true;
				break;
			case TCPSTATE_EV_A_SIGPIPE:
				ret = get_u8(a, &v);
				ev->sigpipe = v;
				ev->has_sigpipe = true;
				break;
			}
			if (ret)
				return ret;
		}
	}
	if (!found || !has_type || !has_sock)
		return -EINVAL;
	return 0;
}
