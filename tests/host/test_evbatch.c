// SPDX-License-Identifier: GPL-2.0
/*
 * module/evbatch.c, compiled whole: which buffer an event goes to (the
 * CPU's pool, the shared reserve and its floor for the initial namespace,
 * each namespace's quota), when a batch is handed on, and how its events
 * are counted delivered or dropped once sent. Work items and timers run
 * when a test says so; events.c's message builder is replaced by one that
 * takes EV_SIZE bytes an event.
 */
#include <stdio.h>

#include <shim.h>

#include "evbatch.h"
#include "host.h"
#include "netlink.h"
#include "unit.h"

/* evbatch.c's sizes, which the tests' expectations are made of. */
#define EVBUF_RECS 32
#define EVBUF_PER_CPU 3
#define EVBUF_RESERVE 16
#define EVBUF_HOST_FLOOR 4

#define EV_SIZE 300

struct genl_family tcpstate_genl_family;

/* What one multicast carried, per skb (its shim_priv). */
struct skbinfo {
	int n;
	int tag[EVBUF_RECS];
	u64 seq[EVBUF_RECS];
	u8 type[EVBUF_RECS];
};

static struct sent {
	struct net *net;
	int n;
	int ret;
} sent[4096];
static int n_sent;
static int mc_script[64];	/* what the next multicasts return; 0 after */
static int mc_pos, mc_len;
static u64 fail_seq;		/* the event tcpstate_event_build() refuses */
static u64 next_seq;

int tcpstate_event_build(struct sk_buff *skb, const struct tcpstate_evrec *rec)
{
	struct skbinfo *si = skb->shim_priv;

	if (skb_tailroom(skb) < EV_SIZE || (fail_seq && rec->seq == fail_seq))
		return -EMSGSIZE;
	if (!si) {
		si = calloc(1, sizeof(*si));
		SHIM_ASSERT(si);
		skb->shim_priv = si;
	}
	SHIM_ASSERT(si->n < EVBUF_RECS);
	si->tag[si->n] = (int)rec->pid;
	si->seq[si->n] = rec->seq;
	si->type[si->n] = rec->type;
	si->n++;
	skb->len += EV_SIZE;
	return 0;
}

static int net_tag(const struct net *net)
{
	return net == &init_net ? 0 : container_of(net, struct tnet, net)->tag;
}

static int multicast(struct net *net, struct sk_buff *skb)
{
	struct skbinfo *si = skb->shim_priv;
	int i, ret = mc_pos < mc_len ? mc_script[mc_pos] : 0;

	mc_pos++;
	SHIM_ASSERT(si && si->n > 0);	/* never an empty message */
	/* Every event goes to its own namespace's subscribers. */
	for (i = 0; i < si->n; i++)
		SHIM_ASSERT(si->tag[i] == net_tag(net));
	SHIM_ASSERT(n_sent < (int)ARRAY_SIZE(sent));
	sent[n_sent].net = net;
	sent[n_sent].n = si->n;
	sent[n_sent].ret = ret;
	n_sent++;
	return ret;
}

struct evarg {
	int tag;
	u8 type;
	u64 seq;
};

static void fill(struct tcpstate_evrec *rec, void *arg)
{
	const struct evarg *a = arg;

	SHIM_ASSERT(shim_locks_held);	/* the CPU's batch is locked */
	memset(rec, 0, sizeof(*rec));
	rec->pid = (u32)a->tag;
	rec->type = a->type;
	rec->seq = a->seq;
}

static int add_type(struct net *net, u8 type)
{
	struct evarg a = { .tag = net_tag(net), .type = type, .seq = ++next_seq };

	return tcpstate_evbatch_add(net, fill, &a);
}

static int add(struct net *net)
{
	return add_type(net, TCPSTATE_EV_UNREAD_CLOSE);
}

/* Add @n events of @net; returns how many were taken. */
static int add_n(struct net *net, int n)
{
	int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += add(net) == 0;
	return ok;
}

/* Full batches of @net that fit right now, on the current CPU. */
static int batches_that_fit(struct net *net)
{
	int n = 0;

	while (add_n(net, EVBUF_RECS) == EVBUF_RECS)
		n++;
	return n;
}

static s64 delivered(struct tcpstate_net *tn, int t) { return atomic64_read(&tn->ev[t].delivered); }
static s64 dropped(struct tcpstate_net *tn, int t) { return atomic64_read(&tn->ev[t].dropped); }

static s64 total(struct tcpstate_net *tn, bool drops)
{
	s64 n = 0;
	int t;

	for (t = 0; t < __TCPSTATE_EV_MAX; t++)
		n += drops ? dropped(tn, t) : delivered(tn, t);
	return n;
}

/* Events a fresh skb holds before evbatch.c sends it. */
static int per_skb(void)
{
	int n = 0, room = NLMSG_DEFAULT_SIZE;

	while (room >= EV_SIZE) {
		room -= EV_SIZE;
		n++;
		if (room < TCPSTATE_EVENT_MSG_ROOM)
			break;
	}
	return n;
}

static struct tnet *nets[4];

static void ev_setup(unsigned int cpus)
{
	int i;

	shim_nr_cpus = cpus;
	shim_cpu = 0;
	shim_multicast = multicast;
	n_sent = 0;
	mc_pos = mc_len = 0;
	fail_seq = 0;
	memset(&init_tn, 0, sizeof(init_tn));
	for (i = 0; i < (int)ARRAY_SIZE(nets); i++)
		nets[i] = tnet_new(i + 1, NULL);
	CHECK_EQ(tcpstate_evbatch_init(), 0);
}

/* Unload: whatever waits is sent; nothing stays held. */
static void ev_teardown(void)
{
	int i;

	tcpstate_evbatch_exit();
	CHECK_EQ(shim_work_queued(), 0);
	CHECK_EQ(refcount_read(&init_net.count), 1);
	for (i = 0; i < (int)ARRAY_SIZE(nets); i++) {
		CHECK_EQ(refcount_read(&nets[i]->net.count), 1);
		CHECK_EQ(atomic_read(&nets[i]->tn.ev_bufs), 0);
		tnet_free(nets[i]);
	}
	CHECK_EQ(atomic_read(&init_tn.ev_bufs), 0);
	shim_multicast = NULL;
	shim_nr_cpus = 4;
	shim_cpu = 0;
}

TEST(evbatch_timer_hands_on)
{
	ev_setup(4);
	CHECK_EQ(add(&init_net), 0);
	CHECK_EQ(add(&init_net), 0);
	/* Nothing goes before the tick... */
	CHECK_EQ(shim_work_queued(), 0);
	CHECK_EQ(n_sent, 0);
	/* ...which hands the batch on, one message for both. */
	CHECK_EQ(shim_timers_fire(), 1);
	CHECK_EQ(shim_work_queued(), 1);
	CHECK_EQ(shim_work_run(), 1);
	CHECK_EQ(n_sent, 1);
	CHECK_EQ(sent[0].n, 2);
	CHECK_EQ(delivered(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), 2);
	CHECK_EQ(total(&init_tn, true), 0);
	/* The buffer is back: the next event starts a batch and a timer. */
	CHECK_EQ(add(&init_net), 0);
	CHECK_EQ(shim_timers_fire(), 1);
	CHECK_EQ(shim_work_run(), 1);
	CHECK_EQ(delivered(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), 3);
	/* A timer with nothing to hand on sends nothing. */
	CHECK_EQ(shim_timers_fire(), 0);
	ev_teardown();
}

TEST(evbatch_full_batch_goes_at_once)
{
	int k = per_skb(), i, sum = 0;

	ev_setup(4);
	CHECK_EQ(add_n(&init_net, EVBUF_RECS - 1), EVBUF_RECS - 1);
	CHECK_EQ(shim_work_queued(), 0);
	CHECK_EQ(add(&init_net), 0);
	CHECK_EQ(shim_work_queued(), 1);
	shim_work_run();
	/* Several messages per skb, an skb sent when it has no room left. */
	CHECK_EQ(n_sent, (EVBUF_RECS + k - 1) / k);
	for (i = 0; i < n_sent; i++) {
		CHECK(sent[i].n == k || i == n_sent - 1);
		sum += sent[i].n;
	}
	CHECK_EQ(sum, EVBUF_RECS);
	CHECK_EQ(delivered(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), EVBUF_RECS);
	/* The tick after finds nothing: the full batch was taken off. */
	shim_timers_fire();
	CHECK_EQ(shim_work_queued(), 0);
	ev_teardown();
}

/* Each skb counts as a whole: delivered if the multicast said 0. */
TEST(evbatch_delivered_or_dropped_per_skb)
{
	s64 want_del[__TCPSTATE_EV_MAX] = { 0 }, want_drop[__TCPSTATE_EV_MAX] = { 0 };
	int k = per_skb(), i, t;

	ev_setup(4);
	/* The second skb hits a full subscriber buffer, the third nobody. */
	mc_script[1] = -ENOBUFS;
	mc_script[2] = -ESRCH;
	mc_len = 3;
	for (i = 0; i < EVBUF_RECS; i++) {
		u8 type = (u8)(1 + i % 3);
		int skb = i / k;

		CHECK_EQ(add_type(&init_net, type), 0);
		if (skb == 0 || skb >= 3)
			want_del[type]++;
		else
			want_drop[type]++;
	}
	shim_work_run();
	for (t = 0; t < __TCPSTATE_EV_MAX; t++) {
		CHECK_EQ(delivered(&init_tn, t), want_del[t]);
		CHECK_EQ(dropped(&init_tn, t), want_drop[t]);
	}
	CHECK_EQ(total(&init_tn, false) + total(&init_tn, true), EVBUF_RECS);
	ev_teardown();
}

TEST(evbatch_build_failures_dropped)
{
	ev_setup(4);
	/* One event that does not build: that one dropped, the rest sent. */
	fail_seq = next_seq + 5;
	CHECK_EQ(add_n(&init_net, 10), 10);
	shim_timers_fire();
	shim_work_run();
	CHECK_EQ(delivered(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), 9);
	CHECK_EQ(dropped(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), 1);
	fail_seq = 0;
	/* No skb for the first event: dropped; the next gets one. */
	CHECK_EQ(add_n(&init_net, 3), 3);
	shim_timers_fire();
	shim_alloc_fail_in = 1;
	shim_work_run();
	CHECK_EQ(shim_alloc_fail_in, 0);
	CHECK_EQ(delivered(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), 9 + 2);
	CHECK_EQ(dropped(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), 1 + 1);
	ev_teardown();
}

/* Pool first, then the reserve, then nothing; all of it comes back. */
TEST(evbatch_pool_then_reserve)
{
	int per_cpu_max = EVBUF_PER_CPU + EVBUF_RESERVE;
	s64 want;

	ev_setup(4);
	CHECK_EQ(batches_that_fit(&init_net), per_cpu_max);
	/* The refused events are the caller's to count, not evbatch's. */
	CHECK_EQ(total(&init_tn, true), 0);
	CHECK_EQ(add(&init_net), -ENOBUFS);
	/* Another CPU still has its own pool, and only that. */
	shim_cpu = 1;
	CHECK_EQ(batches_that_fit(&init_net), EVBUF_PER_CPU);
	shim_cpu = 0;
	want = (s64)(per_cpu_max + EVBUF_PER_CPU) * EVBUF_RECS;
	shim_work_run();
	CHECK_EQ(delivered(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), want);
	/* Back where they came from: the reserve is whole for any CPU. */
	shim_cpu = 2;
	CHECK_EQ(batches_that_fit(&init_net), per_cpu_max);
	shim_cpu = 1;
	CHECK_EQ(batches_that_fit(&init_net), EVBUF_PER_CPU);
	shim_cpu = 0;
	CHECK_EQ(batches_that_fit(&init_net), EVBUF_PER_CPU);
	shim_work_run();
	ev_teardown();
}

static int quota(unsigned int cpus)
{
	return (int)(cpus + (cpus * EVBUF_PER_CPU + EVBUF_RESERVE) / 4);
}

/* The last EVBUF_HOST_FLOOR of the reserve are the initial namespace's. */
TEST(evbatch_reserve_floor)
{
	struct net *a, *b;
	int q = quota(4);

	ev_setup(4);
	a = &nets[0]->net;
	b = &nets[1]->net;
	/* a: its whole quota, from the pool and the reserve. */
	CHECK_EQ(batches_that_fit(a), q);
	CHECK_EQ(atomic_read(&nets[0]->tn.ev_bufs), q);
	/* b, far under its quota, stops at the floor. */
	CHECK_EQ(batches_that_fit(b), EVBUF_RESERVE - (q - EVBUF_PER_CPU) - EVBUF_HOST_FLOOR);
	CHECK(atomic_read(&nets[1]->tn.ev_bufs) < q);
	/* ...which the initial namespace still gets, and then no more. */
	CHECK_EQ(batches_that_fit(&init_net), EVBUF_HOST_FLOOR);
	CHECK_EQ(add(&init_net), -ENOBUFS);
	CHECK_EQ(atomic_read(&init_tn.ev_bufs), 0);	/* never counted */
	CHECK_EQ(total(&nets[1]->tn, true), 0);
	shim_work_run();
	CHECK_EQ(atomic_read(&nets[0]->tn.ev_bufs), 0);
	CHECK_EQ(atomic_read(&nets[1]->tn.ev_bufs), 0);
	CHECK_EQ(delivered(&nets[0]->tn, TCPSTATE_EV_UNREAD_CLOSE), q * EVBUF_RECS);
	ev_teardown();
}

/* A namespace holds at most its quota of buffers, on all CPUs together. */
TEST(evbatch_netns_quota)
{
	unsigned int cpus[] = { 1, 4, 8 };
	unsigned int i, c;

	for (i = 0; i < ARRAY_SIZE(cpus); i++) {
		struct net *a;
		int held = 0, q = quota(cpus[i]);

		ev_setup(cpus[i]);
		a = &nets[0]->net;
		/* One open batch on every CPU... */
		for (c = 0; c < cpus[i]; c++) {
			shim_cpu = c;
			CHECK_EQ(add(a), 0);
			held++;
		}
		/* ...and full ones round the CPUs until the quota. */
		for (c = 0; held < q; c = (c + 1) % cpus[i]) {
			shim_cpu = c;
			CHECK_EQ(add_n(a, EVBUF_RECS), EVBUF_RECS);
			held++;
		}
		CHECK_EQ(atomic_read(&nets[0]->tn.ev_bufs), q);
		/* Free buffers remain (a fresh CPU's pool), but not for a. */
		shim_cpu = cpus[i] - 1;
		shim_timers_fire();
		CHECK_EQ(add(a), -ENOBUFS);
		CHECK_EQ(atomic_read(&nets[0]->tn.ev_bufs), q);
		/* Others are not held back by it. */
		CHECK_EQ(add(&nets[1]->net), 0);
		/* Sent, the quota is free again. */
		shim_timers_fire();
		shim_work_run();
		CHECK_EQ(atomic_read(&nets[0]->tn.ev_bufs), 0);
		CHECK_EQ(add(a), 0);
		CHECK_EQ(delivered(&nets[0]->tn, TCPSTATE_EV_UNREAD_CLOSE),
			 (s64)cpus[i] + (q - (int)cpus[i]) * EVBUF_RECS);
		ev_teardown();
	}
}

/* Another namespace's event hands the open batch on first. */
TEST(evbatch_netns_switch)
{
	struct net *a, *b;

	ev_setup(4);
	a = &nets[0]->net;
	b = &nets[1]->net;
	CHECK_EQ(add(a), 0);
	CHECK_EQ(add(a), 0);
	CHECK_EQ(shim_work_queued(), 0);
	CHECK_EQ(add(b), 0);
	CHECK_EQ(shim_work_queued(), 1);
	CHECK_EQ(shim_work_run(), 1);
	CHECK_EQ(n_sent, 1);
	CHECK(sent[0].net == a);
	CHECK_EQ(sent[0].n, 2);
	CHECK_EQ(add(b), 0);
	shim_timers_fire();
	shim_work_run();
	CHECK_EQ(n_sent, 2);
	CHECK(sent[1].net == b);
	CHECK_EQ(sent[1].n, 2);
	ev_teardown();
}

/* A refused event cuts nobody else's batch short. */
TEST(evbatch_refused_event_keeps_other_batch)
{
	struct net *a, *b;
	int q = quota(4), queued;

	ev_setup(4);
	a = &nets[0]->net;
	b = &nets[1]->net;
	/* b at its quota, on CPU 1. */
	shim_cpu = 1;
	CHECK_EQ(batches_that_fit(b), q);
	queued = shim_work_queued();
	/* a's batch open on CPU 0; b's event there is refused... */
	shim_cpu = 0;
	CHECK_EQ(add(a), 0);
	CHECK_EQ(add(b), -ENOBUFS);
	CHECK_EQ(shim_work_queued(), queued);
	/* ...and a's next event joins the same batch. */
	CHECK_EQ(add(a), 0);
	shim_work_run();
	CHECK_EQ(shim_timers_fire(), 2);
	n_sent = 0;
	shim_work_run();
	CHECK_EQ(n_sent, 1);
	CHECK(sent[0].net == a);
	CHECK_EQ(sent[0].n, 2);
	ev_teardown();
}

TEST(evbatch_dying_netns_refused)
{
	struct tnet *t;

	ev_setup(4);
	t = nets[2];
	/* Its last reference gone: nobody is left to batch for. */
	put_net(&t->net);
	CHECK_EQ(add(&t->net), -ENOBUFS);
	CHECK_EQ(atomic_read(&t->tn.ev_bufs), 0);
	CHECK_EQ(shim_work_queued(), 0);
	CHECK_EQ(refcount_read(&t->net.count), 0);
	refcount_set(&t->net.count, 1);
	ev_teardown();
}

/* While a batch waits, it holds its namespace. */
TEST(evbatch_holds_its_netns)
{
	struct tnet *t;

	ev_setup(4);
	t = nets[0];
	CHECK_EQ(add(&t->net), 0);
	CHECK_EQ(refcount_read(&t->net.count), 2);
	CHECK_EQ(add(&t->net), 0);
	CHECK_EQ(refcount_read(&t->net.count), 2);
	shim_timers_fire();
	CHECK_EQ(refcount_read(&t->net.count), 2);
	shim_work_run();
	CHECK_EQ(refcount_read(&t->net.count), 1);
	ev_teardown();
}

/* Unloading sends what waits and takes no more. */
TEST(evbatch_exit_sends_the_rest)
{
	ev_setup(4);
	CHECK_EQ(add(&init_net), 0);
	shim_cpu = 3;
	CHECK_EQ(add(&nets[0]->net), 0);
	tcpstate_evbatch_exit();
	CHECK_EQ(delivered(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), 1);
	CHECK_EQ(delivered(&nets[0]->tn, TCPSTATE_EV_UNREAD_CLOSE), 1);
	CHECK_EQ(shim_timers_fire(), 0);
	CHECK_EQ(add(&init_net), -ENOBUFS);
	/* Loaded again, it works again. */
	CHECK_EQ(tcpstate_evbatch_init(), 0);
	CHECK_EQ(add(&init_net), 0);
	ev_teardown();
	CHECK_EQ(delivered(&init_tn, TCPSTATE_EV_UNREAD_CLOSE), 2);
}

/* Any allocation of the load failing: -ENOMEM, nothing left behind. */
TEST(evbatch_init_failure)
{
	int allocs = 1 + 2 * EVBUF_PER_CPU + EVBUF_RESERVE, i;

	shim_nr_cpus = 2;
	for (i = 1; i <= allocs; i++) {
		shim_alloc_fail_in = i;
		CHECK_EQ(tcpstate_evbatch_init(), -ENOMEM);
		CHECK_EQ(shim_alloc_fail_in, 0);
		/* No probes without events: tcpstate_evbatch_exit() is safe. */
		tcpstate_evbatch_exit();
	}
	shim_alloc_fail_in = allocs + 1;
	CHECK_EQ(tcpstate_evbatch_init(), 0);
	shim_alloc_fail_in = 0;
	tcpstate_evbatch_exit();
	shim_nr_cpus = 4;
}
