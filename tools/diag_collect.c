// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/tcpstate.h>

#include "diag_collect.h"
#include "query.h"
#include "request.h"

void diag_sock_from_ts(const struct ts_sock *ts, struct diag_sock *sk)
{
	unsigned int i;

	memset(sk, 0, sizeof(*sk));
	sk->family = ts->family;
	sk->state = ts->state;
	sk->owner_kind = ts->owner_kind;
	sk->age_lower_bound = ts->age_flags & TCPSTATE_AGE_F_LOWER_BOUND;
	sk->has_acceptq = ts->has_acceptq;
	sk->sport = ts->sport;
	sk->dport = ts->dport;
	memcpy(sk->saddr, ts->saddr, 16);
	memcpy(sk->daddr, ts->daddr, 16);
	sk->netns = ts->netns;
	sk->recv_q = ts->recv_q;
	sk->send_q = ts->send_q;
	sk->acceptq_len = ts->acceptq_len;
	sk->acceptq_max = ts->acceptq_max;
	sk->procs_total = ts->procs_total;
	sk->inode = ts->inode;
	sk->age_ms = ts->age_ms;
	for (i = 0; i < ts->nprocs && i < DIAG_SOCK_PROCS &&
		    i < TCPSTATE_MAX_PROCS_PER_SOCK; i++) {
		sk->procs[i].pid = ts->procs[i].pid;
		memcpy(sk->procs[i].comm, ts->procs[i].comm,
		       sizeof(sk->procs[i].comm));
		sk->procs[i].comm[sizeof(sk->procs[i].comm) - 1] = '\0';
	}
	sk->nprocs = (uint8_t)i;
}

void diag_event_from_ts(const struct ts_event *ev, struct diag_event *de)
{
	memset(de, 0, sizeof(*de));
	de->type = ev->type;
	de->family = ev->sk.family;
	de->rst = ev->has_rst && ev->rst;
	de->sigpipe = ev->has_sigpipe && ev->sigpipe;
	de->pid = ev->pid;
	memcpy(de->comm, ev->comm, sizeof(de->comm));
	de->comm[sizeof(de->comm) - 1] = '\0';
	de->unread = ev->has_unread ? ev->unread : 0;
	de->sport = ev->sk.sport;
	de->dport = ev->sk.dport;
	memcpy(de->saddr, ev->sk.saddr, 16);
	memcpy(de->daddr, ev->sk.daddr, 16);
}

static int snap_cb(const struct ts_sock *ts, void *data)
{
	struct diag_sock sk;

	diag_sock_from_ts(ts, &sk);
	return diag_snapshot_add(data, &sk);
}

int diag_snapshot_take(struct tsnl *nl, bool all_netns,
		       struct diag_snapshot *snap)
{
	struct ts_request req = { 0 };

	req.flags = TCPSTATE_F_PROCESSES;
	if (all_netns)
		req.flags |= TCPSTATE_F_ALL_NETNS;
	return ctl_dump_socks(nl, &req, snap_cb, snap);
}

int diag_events_open(struct diag_evsub *s, const struct ts_stats *st,
		     char *why, size_t len)
{
	int ret;

	s->netns = st->netns;
	if (st->caps & TCPSTATE_CAP_EV_OFF_UNRESTRICTED) {
		snprintf(why, len,
			 "this kernel cannot restrict events to CAP_NET_ADMIN (no GENL_MCAST_CAP_NET_ADMIN), so the module offers none");
		return -EOPNOTSUPP;
	}
	ret = tsnl_open(&s->nl);
	if (ret) {
		snprintf(why, len, "cannot open a second netlink socket: %s",
			 strerror(-ret));
		return ret;
	}
	ret = tsnl_join_events(&s->nl);
	if (ret == -EPERM || ret == -EACCES) {
		snprintf(why, len,
			 "subscribing to events needs CAP_NET_ADMIN in this network namespace (run as root)");
	} else if (ret == -ENOTSUP || ret == -EOPNOTSUPP) {
		snprintf(why, len, "the module has no events group");
	} else if (ret) {
		snprintf(why, len, "cannot subscribe to events: %s",
			 strerror(-ret));
	}
	if (ret) {
		tsnl_close(&s->nl);
		return ret;
	}
	/* Room for a burst: the module multicasts batches of events. */
	{
		int bytes = 4 << 20, fd = mnl_socket_get_fd(s->nl.sock);

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes,
			       sizeof(bytes)))
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes,
				   sizeof(bytes));
	}
	seqtrack_init(&s->seq, st->event_seq);
	s->open = true;
	return 0;
}

static void keep_event(struct diag_evsub *s, const struct ts_event *ev)
{
	if (ev->netns != s->netns || (s->max_seq && ev->seq > s->max_seq))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		void *p;

		if (cap > DIAG_EVENTS_MAX)
			cap = DIAG_EVENTS_MAX;
		p = s->n < cap ? realloc(s->ev, cap * sizeof(*s->ev)) : NULL;
		if (!p) {
			s->not_kept++;
			return;
		}
		s->ev = p;
		s->cap = cap;
	}
	diag_event_from_ts(ev, &s->ev[s->n++]);
}

static void handle_msg(struct diag_evsub *s, const struct nlmsghdr *nlh)
{
	static struct ts_event ev;	/* large: owner lists of its socket */
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	const void *attrs;
	size_t len;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return;
	if (nlh->nlmsg_type == s->nl.family && g->cmd == TCPSTATE_CMD_EVENT) {
		attrs = tsnl_attrs(nlh, &len);
		if (!attrs || ts_parse_event(attrs, len, &ev) < 0)
			return;
		seqtrack_add(&s->seq, ev.seq);
		keep_event(s, &ev);
	} else if (nlh->nlmsg_type == GENL_ID_CTRL &&
		   g->cmd == CTRL_CMD_DELFAMILY) {
		mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
			    mnl_attr_validate(a, MNL_TYPE_U16) == 0 &&
			    mnl_attr_get_u16(a) == s->nl.family)
				s->unloaded = true;
		}
	}
}

static void handle_buffer(struct diag_evsub *s, const char *buf, size_t n)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t len = n, step;

	while (tsnl_msg_ok(nlh, len)) {
		handle_msg(s, nlh);
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			break;
		len -= step;
		nlh = (const struct nlmsghdr *)((const char *)nlh + step);
	}
}

/* Everything queued now. Returns 0, or -1 with errno. */
static int receive_all(struct diag_evsub *s)
{
	int fd = mnl_socket_get_fd(s->nl.sock);
	ssize_t n;

	for (;;) {
		n = recv(fd, s->nl.rxbuf, s->nl.rxlen, MSG_DONTWAIT);
		if (n > 0) {
			handle_buffer(s, s->nl.rxbuf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == ENOBUFS)
			continue;	/* losses show up as sequence gaps */
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			      errno == EINTR))
			return 0;
		return n == 0 ? 0 : -1;
	}
}

int diag_events_poll(struct diag_evsub *s, int timeout_ms)
{
	struct pollfd pfd = { .events = POLLIN };

	if (!s->open)
		return 0;
	pfd.fd = mnl_socket_get_fd(s->nl.sock);
	if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	return receive_all(s) ? -errno : 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void diag_events_finish(struct diag_evsub *s, uint64_t last_seq)
{
	long long until = now_ms() + 1000, left;

	if (!s->open)
		return;
	s->max_seq = last_seq;
	/* The module sends in batches, a tick or two after the events. */
	while (!s->unloaded && seqtrack_missing(&s->seq, last_seq) &&
	       (left = until - now_ms()) > 0)
		if (diag_events_poll(s, (int)left) < 0)
			break;
	receive_all(s);
	seqtrack_finish(&s->seq, last_seq);
}

void diag_events_close(struct diag_evsub *s)
{
	if (s->open)
		tsnl_close(&s->nl);
	s->open = false;
	free(s->ev);
	s->ev = NULL;
	s->n = s->cap = 0;
}
