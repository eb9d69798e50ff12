// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The event stream events and diagnose read (tools/evstream.c): which
 * messages of a datagram are events, the family going away, receiving
 * through a socket, and the end's wait for events numbered but not sent
 * yet. The socket is one end of an AF_UNIX datagram pair standing in for
 * the netlink socket.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/tcpstate.h>

#include "unit.h"
#include "../../tools/duration.h"
#include "../../tools/evstream.h"

#define FAMILY 0x1d	/* the module's family id, as nlctrl gave it */

struct got {
	uint64_t seqs[16];
	size_t n;
	uint64_t lost;
};

static void on_event(void *data, const struct ts_event *ev, uint64_t lost)
{
	struct got *g = data;

	if (g->n < 16)
		g->seqs[g->n++] = ev->seq;
	g->lost += lost;
}

/* A datagram being built: messages one after the other. */
struct dgram {
	char buf[8192];
	size_t len;
};

static struct nlmsghdr *msg(struct dgram *d, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(d->buf + d->len);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = type;
	g->cmd = cmd;
	return nlh;
}

static void done(struct dgram *d, struct nlmsghdr *nlh)
{
	d->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* An event of type unread-close numbered @seq; without its socket: malformed. */
static void event(struct dgram *d, uint64_t seq, bool with_sock)
{
	struct nlmsghdr *nlh = msg(d, FAMILY, TCPSTATE_CMD_EVENT);
	struct nlattr *ev = mnl_attr_nest_start(nlh, TCPSTATE_A_EVENT), *s;

	mnl_attr_put_u8(nlh, TCPSTATE_EV_A_TYPE, TCPSTATE_EV_UNREAD_CLOSE);
	mnl_attr_put_u64(nlh, TCPSTATE_EV_A_SEQ, seq);
	if (with_sock) {
		s = mnl_attr_nest_start(nlh, TCPSTATE_EV_A_SOCK);
		mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_FAMILY, AF_INET);
		mnl_attr_put_u8(nlh, TCPSTATE_SOCK_A_STATE, TCPSTATE_CLOSE_WAIT);
		mnl_attr_nest_end(nlh, s);
	}
	mnl_attr_nest_end(nlh, ev);
	done(d, nlh);
}

/* nlctrl: family @id went away. */
static void delfamily(struct dgram *d, uint16_t id)
{
	struct nlmsghdr *nlh = msg(d, GENL_ID_CTRL, CTRL_CMD_DELFAMILY);

	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, id);
	done(d, nlh);
}

static void stream_init(struct evstream *es, struct got *g, int fd,
			uint64_t last_seq)
{
	memset(es, 0, sizeof(*es));
	memset(g, 0, sizeof(*g));
	es->fd = fd;
	es->family = FAMILY;
	es->on_event = on_event;
	es->data = g;
	seqtrack_init(&es->seq, last_seq);
}

static struct evstream es;	/* large: its sequence window */

TEST(evstream_datagram_events_and_unload)
{
	struct dgram d = { .len = 0 };
	char line[128] = "";
	struct got g;
	int saved;
	FILE *err;

	stream_init(&es, &g, -1, 10);
	event(&d, 11, true);
	done(&d, msg(&d, FAMILY, TCPSTATE_CMD_GET_STATS));	/* not an event */
	event(&d, 99, false);				/* malformed: skipped */
	done(&d, msg(&d, FAMILY + 1, TCPSTATE_CMD_EVENT));	/* another family */
	delfamily(&d, FAMILY + 1);			/* another family goes */
	event(&d, 13, true);
	/* The malformed one is said on stderr: caught here. */
	fflush(stderr);
	saved = dup(2);
	err = tmpfile();
	CHECK(saved >= 0 && err != NULL);
	if (saved < 0 || !err)
		return;
	dup2(fileno(err), 2);
	evstream_datagram(&es, d.buf, d.len);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(err);
	CHECK(fgets(line, sizeof(line), err) != NULL);
	CHECK_STR(line, "tcpstatectl: ignoring a malformed event\n");
	CHECK(fgets(line, sizeof(line), err) == NULL);
	fclose(err);
	CHECK_EQ(g.n, 2);
	CHECK_EQ(g.seqs[0], 11);
	CHECK_EQ(g.seqs[1], 13);
	CHECK_EQ(es.seq.received, 2);
	CHECK(!es.unloaded);
	/* 12 came neither before 13 nor by the end: lost. */
	CHECK_EQ(seqtrack_missing(&es.seq, 13), 1);
	CHECK_EQ(seqtrack_finish(&es.seq, 13), 1);

	d.len = 0;
	delfamily(&d, FAMILY);
	evstream_datagram(&es, d.buf, d.len);
	CHECK(es.unloaded);
	/* A message cut short ends the walk, without reading past it. */
	d.len = 0;
	event(&d, 14, true);
	evstream_datagram(&es, d.buf, d.len - 4);
	CHECK_EQ(g.n, 2);
}

TEST(evstream_receive_everything_queued)
{
	struct dgram d;
	struct got g;
	int sv[2], i;
	volatile sig_atomic_t stop = 0;

	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
	stream_init(&es, &g, sv[0], 0);
	es.stop = &stop;
	for (i = 1; i <= 10; i++) {
		d.len = 0;
		event(&d, (uint64_t)i, true);
		CHECK(send(sv[1], d.buf, d.len, 0) == (ssize_t)d.len);
	}
	CHECK_EQ(evstream_receive(&es), 0);
	CHECK_EQ(g.n, 10);
	CHECK_EQ(es.seq.received, 10);
	/* Nothing queued: no wait, nothing more. */
	CHECK_EQ(evstream_receive(&es), 0);
	CHECK_EQ(g.n, 10);
	CHECK_EQ(evstream_finish(&es, 10), 0);
	CHECK_EQ(es.seq.lost, 0);
	close(sv[0]);
	close(sv[1]);
}

/*
 * At the end, the events numbered up to the last but not sent yet (the
 * module sends batches a tick or more late) are waited for, not counted
 * lost: here the last comes 200 ms after the end began.
 */
TEST(evstream_finish_waits_for_numbered_events)
{
	struct dgram d = { .len = 0 };
	long long t0, took;
	struct got g;
	int sv[2], status = -1;
	pid_t pid;

	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
	stream_init(&es, &g, sv[0], 100);
	event(&d, 101, true);
	CHECK(send(sv[1], d.buf, d.len, 0) == (ssize_t)d.len);
	d.len = 0;
	event(&d, 102, true);
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		const struct timespec late = { 0, 200 * 1000 * 1000 };

		nanosleep(&late, NULL);
		_exit(send(sv[1], d.buf, d.len, 0) == (ssize_t)d.len ? 0 : 1);
	}
	t0 = ts_now_ms();
	CHECK_EQ(evstream_finish(&es, 102), 0);
	took = ts_now_ms() - t0;
	CHECK_EQ(g.n, 2);
	CHECK_EQ(es.seq.received, 2);
	CHECK_EQ(es.seq.lost, 0);
	CHECK(took >= 150 && took < 1000);
	waitpid(pid, &status, 0);
	CHECK_EQ(status, 0);

	/* One that never comes: a second's wait, then lost. */
	t0 = ts_now_ms();
	CHECK_EQ(evstream_finish(&es, 103), 1);
	took = ts_now_ms() - t0;
	CHECK(took >= 900 && took < 3000);
	CHECK_EQ(es.seq.lost, 1);
	close(sv[0]);
	close(sv[1]);
}
