// SPDX-License-Identifier: GPL-2.0 OR MIT
#define _GNU_SOURCE	/* recvmmsg */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/tcpstate.h>

#include "duration.h"
#include "evstream.h"

#define BATCH 64
/*
 * One datagram holds a batch of event messages (about 250 bytes each) of
 * at most NLMSG_GOODSIZE: a page less the skb's overhead, 8 KiB at most.
 */
#define MSG_MAX (16 * 1024)

static void set_rcvbuf(int fd, int bytes)
{
	/* FORCE goes past rmem_max, for a privileged caller (we are). */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

int evstream_open(struct evstream *es, struct tsnl *nl, uint64_t last_seq,
		  int rcvbuf, void (*on_event)(void *, const struct ts_event *,
					       uint64_t),
		  void *data)
{
	int ret = tsnl_join_events(nl);

	if (ret)
		return ret;
	es->fd = mnl_socket_get_fd(nl->sock);
	es->family = nl->family;
	es->unloaded = false;
	es->on_event = on_event;
	es->data = data;
	set_rcvbuf(es->fd, rcvbuf);
	/* Everything after the last event before we joined is expected. */
	seqtrack_init(&es->seq, last_seq);
	return 0;
}

static void handle_event(struct evstream *es, const struct nlmsghdr *nlh)
{
	static struct ts_event ev;	/* large: owner lists of its socket */
	const void *attrs;
	size_t len;

	attrs = tsnl_attrs(nlh, &len);
	if (!attrs || ts_parse_event(attrs, len, &ev) < 0) {
		fprintf(stderr, "tcpstatectl: ignoring a malformed event\n");
		return;
	}
	es->on_event(es->data, &ev, seqtrack_add(&es->seq, ev.seq));
}

/* A controller notification: is it our family going away? */
static void handle_ctrl(struct evstream *es, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    g->cmd != CTRL_CMD_DELFAMILY)
		return;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) == 0 &&
		    mnl_attr_get_u16(a) == es->family)
			es->unloaded = true;
	}
}

void evstream_datagram(struct evstream *es, const char *buf, size_t n)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t len = n, step;

	while (tsnl_msg_ok(nlh, len)) {
		if (nlh->nlmsg_type == es->family &&
		    mnl_nlmsg_get_payload_len(nlh) >= GENL_HDRLEN &&
		    ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd ==
			    TCPSTATE_CMD_EVENT)
			handle_event(es, nlh);
		else if (nlh->nlmsg_type == GENL_ID_CTRL)
			handle_ctrl(es, nlh);
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			break;
		len -= step;
		nlh = (const struct nlmsghdr *)((const char *)nlh + step);
	}
}

/*
 * One recvmmsg(): up to BATCH datagrams, handled. Returns how many, 0
 * when none was queued, or -1 with errno on a real error.
 */
static int receive_once(struct evstream *es)
{
	static char bufs[BATCH][MSG_MAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	int i, n;

	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = MSG_MAX;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	do
		n = recvmmsg(es->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
	while (n < 0 && errno == ENOBUFS);	/* losses show up as gaps */
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ||
		       errno == EINTR ? 0 : -1;
	for (i = 0; i < n && !es->unloaded; i++) {
		/* Cut short: its events show up as lost. */
		if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
			fprintf(stderr,
				"tcpstatectl: a %u-byte event batch did not fit\n",
				msgs[i].msg_len);
		evstream_datagram(es, bufs[i], msgs[i].msg_len);
	}
	return n;
}

int evstream_receive(struct evstream *es)
{
	int n;

	do {
		n = receive_once(es);
		if (n < 0)
			return -1;
	} while (n == BATCH && !es->unloaded && !(es->stop && *es->stop));
	return 0;
}

/*
 * The module sends events in batches a jiffy or two after they happen
 * (evbatch.c), later when its worker is slow to run (a loaded PREEMPT_RT
 * host): without waiting for those, they were counted lost at exit
 * (31-sigpipe, 6.1-rt, under make check). Waits up to a second in all,
 * also when events keep coming.
 */
uint64_t evstream_finish(struct evstream *es, uint64_t last)
{
	struct pollfd pfd = { .fd = es->fd, .events = POLLIN };
	long long until = ts_now_ms() + 1000, left;
	int n;

	while (!es->unloaded && (left = until - ts_now_ms()) > 0) {
		n = receive_once(es);
		if (n < 0)
			break;
		if (n > 0)
			continue;
		if (!seqtrack_missing(&es->seq, last))
			break;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			break;
	}
	return seqtrack_finish(&es->seq, last);
}
