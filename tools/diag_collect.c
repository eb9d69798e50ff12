// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/tcpstate.h>

#include "diag_collect.h"
#include "grow.h"
#include "query.h"
#include "request.h"

void diag_sock_from_ts(const struct ts_sock *ts, struct diag_sock *sk)
{
	unsigned int i;

	*sk = (struct diag_sock){
		.family = ts->family, .state = ts->state,
		.owner_kind = ts->owner_kind,
		.age_lower_bound = ts->age_flags & TCPSTATE_AGE_F_LOWER_BOUND,
		.has_acceptq = ts->has_acceptq,
		.sport = ts->sport, .dport = ts->dport, .netns = ts->netns,
		.recv_q = ts->recv_q, .send_q = ts->send_q,
		.acceptq_len = ts->acceptq_len, .acceptq_max = ts->acceptq_max,
		.procs_total = ts->procs_total, .inode = ts->inode,
		.age_ms = ts->age_ms,
	};
	memcpy(sk->saddr, ts->saddr, 16);
	memcpy(sk->daddr, ts->daddr, 16);
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
	*de = (struct diag_event){
		.type = ev->type, .family = ev->sk.family,
		.rst = ev->has_rst && ev->rst,
		.sigpipe = ev->has_sigpipe && ev->sigpipe,
		.pid = ev->pid,
		.unread = ev->has_unread ? ev->unread : 0,
		.sport = ev->sk.sport, .dport = ev->sk.dport,
	};
	memcpy(de->comm, ev->comm, sizeof(de->comm));
	de->comm[sizeof(de->comm) - 1] = '\0';
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

/* An event of the stream: kept when it is of the namespace diagnosed. */
static void keep_event(void *data, const struct ts_event *ev, uint64_t lost)
{
	struct diag_evsub *s = data;

	(void)lost;	/* counted in s->es.seq */
	if (ev->netns != s->netns || (s->max_seq && ev->seq > s->max_seq))
		return;
	if (s->n >= DIAG_EVENTS_MAX ||
	    ts_grow(&s->ev, &s->cap, s->n, sizeof(*s->ev), 256)) {
		s->not_kept++;
		return;
	}
	diag_event_from_ts(ev, &s->ev[s->n++]);
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
	ret = evstream_open(&s->es, &s->nl, st->event_seq, 4 << 20, keep_event,
			    s);
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
	s->open = true;
	return 0;
}

int diag_events_poll(struct diag_evsub *s, int timeout_ms)
{
	struct pollfd pfd = { .events = POLLIN };

	if (!s->open)
		return 0;
	pfd.fd = s->es.fd;
	if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	return evstream_receive(&s->es) ? -errno : 0;
}

void diag_events_finish(struct diag_evsub *s, uint64_t last_seq)
{
	if (!s->open)
		return;
	s->max_seq = last_seq;
	evstream_finish(&s->es, last_seq);
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
