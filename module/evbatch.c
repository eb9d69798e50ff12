// SPDX-License-Identifier: GPL-2.0
/*
 * Event batching, and sending off the closing task's CPU.
 *
 * One skb per event cost the closing task an allocation and a multicast,
 * and the subscriber a recvmsg() and a free, for every event: in a storm
 * of unread-data closes (tens of thousands a second on loopback) that was
 * most of the module's cost. Building the messages in the probe, even a
 * batch at a time, still cost the closing task ~4 us per event under
 * multi-threaded QEMU (building, the skb's fresh memory, the multicast and
 * the subscriber's wake-up): bench/run.sh events-smp.
 *
 * So the probe only writes a fixed-size record (struct tcpstate_evrec)
 * into this CPU's batch: a preallocated buffer of EVBUF_RECS records of
 * one network namespace, since events go to their own namespace's
 * subscribers only (an event of another namespace hands the batch on
 * first). A batch is handed on when it is full, or at the next jiffy by a
 * timer its first record arms: a subscriber sees an event at most a tick
 * (4 ms at HZ=250) or two, plus a worker's wake-up, after it happened.
 * Handing on queues the buffer's work on an unbound workqueue, whose
 * worker runs where the scheduler finds room (another CPU, when one is
 * idle): it builds the event messages (several per skb, as drop_monitor
 * and dumps do; a reader walks them with NLMSG_NEXT), multicasts them,
 * and gives the buffer back to its CPU.
 *
 * Each CPU has EVBUF_PER_CPU buffers. When all of them wait for the
 * worker (a burst, or a worker held up), the probe takes one from a
 * reserve of EVBUF_RESERVE shared by all CPUs, which goes back there once
 * sent. Beyond that, new events are dropped and counted.
 *
 * Bounded per namespace: any user can own network namespaces (unshare
 * -Urn) and subscribe to their events, and closing sockets in several of
 * them in turn hands a batch on at every event, one buffer per event. So
 * a namespace other than the initial one may hold at most evbuf_quota
 * buffers at once (being filled or waiting for the worker, on all CPUs
 * together: one per CPU plus a quarter of all buffers); beyond that its
 * new events are dropped and counted in its own dropped counters, and
 * other namespaces keep the rest. An event refused so hands on no other
 * namespace's batch. What the quota does not bound: a namespace under it
 * still closes other namespaces' batches early on the CPUs it shares
 * with them, one buffer per switch (theirs, not its own). The host's own
 * namespace (and so a container sharing it, --network=host) is not
 * capped, and not counted. No test
 * of privilege decides it (a user namespace says nothing about who may
 * flood: a Docker container has none, an LXD container's admin is a
 * tenant like any other): every namespace has the same quota. Many
 * namespaces of one user together can still take every pooled and
 * shared buffer, so the last EVBUF_HOST_FLOOR of the reserve are for the
 * initial network namespace only (the host's own: there is one, nobody
 * can make more of it): its subscribers lose nothing to namespaces
 * others own while its own events need no more than that many buffers at
 * once. (Per user, not yet: a user's many namespaces can still take the
 * buffers of other non-initial namespaces.) The count is an
 * atomic in the namespace's tcpstate_net, taken before a buffer and given
 * back by the worker before it drops the buffer's reference on the
 * namespace, so the counter outlives every buffer that counts in it (the
 * pernet exit runs only once that reference is gone).
 * Every buffer is allocated at load: the probes never allocate (on
 * PREEMPT_RT even a GFP_ATOMIC slab allocation may take a sleeping lock).
 * While it waits, a buffer holds a reference on its namespace, taken with
 * maybe_get_net(): a dying namespace has no subscriber left to batch for.
 *
 * Counting: the events of a batch are delivered or dropped when they are
 * sent. A subscriber whose buffer is full loses the whole skb; its events'
 * sequence numbers tell it exactly how many.
 *
 * Locking: the probes add with preemption disabled, in process context;
 * the timer hands on from softirq and the worker gives buffers back from
 * process context, possibly on other CPUs. The per-CPU lock is taken with
 * interrupts off, so none of them can interrupt another. It and the
 * reserve's lock (taken inside it, or alone) are raw spinlocks: a
 * spinlock_t sleeps on PREEMPT_RT, and the probes must not (the module's
 * locks and their RT rules are listed in one place: "Locks" in track.c).
 * Each hold is a few stores; mod_timer() and queue_work() take raw locks
 * too.
 */
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "tcpstate.h"
#include "evbatch.h"
#include "netlink.h"

/* ~170 bytes a record: 5.4 KiB (an 8 KiB slab object) a buffer. */
#define EVBUF_RECS 32
#define EVBUF_PER_CPU 3
/* Buffers beyond the pools, all CPUs together: 16 * 32 events of slack. */
#define EVBUF_RESERVE 16
/* Of those, the last ones only the initial network namespace may take. */
#define EVBUF_HOST_FLOOR 4

struct evbatch;

struct evbuf {
	struct work_struct work;
	struct evbatch *home;	/* the CPU whose pool it returns to */
	struct evbuf *next;	/* in home's free list, or the reserve */
	struct net *net;	/* referenced while it has records */
	unsigned int n;
	bool extra;		/* from the reserve: goes back there */
	struct tcpstate_evrec recs[EVBUF_RECS];
};

struct evbatch {
	raw_spinlock_t lock;
	struct evbuf *cur;	/* being filled, or NULL */
	struct evbuf *free;	/* free list */
	struct timer_list timer;
	bool off;		/* unloading: no new batches */
	struct evbuf *bufs[EVBUF_PER_CPU];	/* all of them, to free */
};

static DEFINE_PER_CPU(struct evbatch, evbatches);
static struct workqueue_struct *evbatch_wq;
/* Shared by all CPUs when their pools run dry. */
static DEFINE_RAW_SPINLOCK(evbuf_reserve_lock);
static struct evbuf *evbuf_reserve;
static unsigned int evbuf_reserve_n;	/* free in evbuf_reserve */
static struct evbuf *evbuf_reserved[EVBUF_RESERVE];	/* all, to free */
/* Most buffers one namespace may hold at once (set at init). */
static int evbuf_quota __read_mostly;

/* Multicast one skb of events and count them, by type. */
static void evbatch_send(struct net *net, struct sk_buff *skb,
			 const u32 *n)
{
	struct tcpstate_net *tn = tcpstate_pernet(net);
	int t, ret;

	/*
	 * 0: every subscriber got it. -ENOBUFS: some subscriber's buffer was
	 * full (reported only to sockets with NETLINK_BROADCAST_ERROR, which
	 * tcpstatectl sets). -ESRCH although there were listeners when the
	 * events were added: it reached nobody (the subscriber left, or
	 * overflowed without that option). Both count as dropped. The skb is
	 * consumed either way.
	 */
	ret = genlmsg_multicast_netns(&tcpstate_genl_family, net, skb, 0, 0,
				      GFP_KERNEL);
	for (t = 0; t < __TCPSTATE_EV_MAX; t++)
		if (n[t])
			atomic64_add(n[t], ret ? &tn->ev[t].dropped :
						 &tn->ev[t].delivered);
}

static void evbuf_work(struct work_struct *work)
{
	struct evbuf *buf = container_of(work, struct evbuf, work);
	struct tcpstate_net *tn = tcpstate_pernet(buf->net);
	struct evbatch *home = buf->home;
	u32 n[__TCPSTATE_EV_MAX] = {};
	struct net *net;
	struct sk_buff *skb = NULL;
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < buf->n; i++) {
		const struct tcpstate_evrec *rec = &buf->recs[i];

		if (!skb)
			skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
		/* A fresh skb has room for one event (TCPSTATE_EVENT_MSG_ROOM). */
		if (!skb || tcpstate_event_build(skb, rec)) {
			atomic64_inc(&tn->ev[rec->type].dropped);
			continue;
		}
		n[rec->type]++;
		if (skb_tailroom(skb) < TCPSTATE_EVENT_MSG_ROOM) {
			evbatch_send(buf->net, skb, n);
			skb = NULL;
			memset(n, 0, sizeof(n));
		}
	}
	if (skb)
		evbatch_send(buf->net, skb, n);
	/*
	 * tn lives as long as the namespace: give the quota back while
	 * buf's reference still holds it. The initial namespace is not
	 * counted (tcpstate_evbatch_add()).
	 */
	if (!net_eq(buf->net, &init_net))
		atomic_dec(&tn->ev_bufs);
	net = buf->net;
	buf->net = NULL;
	buf->n = 0;
	if (buf->extra) {
		raw_spin_lock_irqsave(&evbuf_reserve_lock, flags);
		buf->next = evbuf_reserve;
		evbuf_reserve = buf;
		evbuf_reserve_n++;
		raw_spin_unlock_irqrestore(&evbuf_reserve_lock, flags);
	} else {
		raw_spin_lock_irqsave(&home->lock, flags);
		buf->next = home->free;
		home->free = buf;
		raw_spin_unlock_irqrestore(&home->lock, flags);
	}
	put_net(net);
}

/* Called with b->lock held: the batch being filled, taken off. */
static struct evbuf *evbatch_take(struct evbatch *b)
{
	struct evbuf *buf = b->cur;

	b->cur = NULL;
	return buf;
}

static void evbatch_timer(struct timer_list *timer)
{
	struct evbatch *b = from_timer(b, timer, timer);
	struct evbuf *buf;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	buf = evbatch_take(b);
	raw_spin_unlock_irqrestore(&b->lock, flags);
	if (buf)
		queue_work(evbatch_wq, &buf->work);
}

/*
 * Every pooled buffer of this CPU is waiting: one from the reserve, whose
 * last EVBUF_HOST_FLOOR only the initial namespace may take.
 */
static struct evbuf *evbuf_extra(const struct net *net)
{
	unsigned int keep = net_eq(net, &init_net) ? 0 : EVBUF_HOST_FLOOR;
	struct evbuf *buf = NULL;

	raw_spin_lock(&evbuf_reserve_lock);	/* interrupts are off */
	if (evbuf_reserve_n > keep) {
		buf = evbuf_reserve;
		evbuf_reserve = buf->next;
		evbuf_reserve_n--;
	}
	raw_spin_unlock(&evbuf_reserve_lock);
	return buf;
}

int tcpstate_evbatch_add(struct net *net, tcpstate_evrec_fill_t fill,
			 void *arg)
{
	struct evbatch *b = this_cpu_ptr(&evbatches);
	struct evbuf *other = NULL, *send = NULL, *cur;
	struct tcpstate_net *tn;
	unsigned long flags;
	bool capped;
	int ret = 0;

	raw_spin_lock_irqsave(&b->lock, flags);
	cur = b->cur;
	/*
	 * Another namespace's batch is handed on only once this event has a
	 * buffer of its own (below): an event that is refused must not cut
	 * anyone else's batch short, or a namespace held at its quota would
	 * still make the others spend a buffer per event.
	 */
	if (cur && cur->net != net)
		cur = NULL;
	if (!cur) {
		if (b->off || !maybe_get_net(net)) {
			ret = -ENOBUFS;
			goto unlock;
		}
		/* Held: set up, since the probe's caller found it (emit()). */
		tn = tcpstate_pernet(net);
		/*
		 * The initial namespace has no quota (and no count): there
		 * is one, it is the host's, and a quota would cap the host's
		 * own bursts for nothing.
		 */
		capped = !net_eq(net, &init_net);
		if (capped && atomic_inc_return(&tn->ev_bufs) > evbuf_quota) {
			/* This namespace's own events are what it loses. */
			atomic_dec(&tn->ev_bufs);
			put_net(net);
			ret = -ENOBUFS;
			goto unlock;
		}
		cur = b->free;
		if (cur)
			b->free = cur->next;
		else
			cur = evbuf_extra(net);
		if (!cur) {
			if (capped)
				atomic_dec(&tn->ev_bufs);
			put_net(net);
			ret = -ENOBUFS;
			goto unlock;
		}
		cur->net = net;
		/* Another namespace's batch, if any, goes first. */
		other = evbatch_take(b);
		b->cur = cur;
		/* A timer already armed fires a bit early: no harm. */
		if (!timer_pending(&b->timer))
			mod_timer(&b->timer, jiffies + 1);
	}
	fill(&cur->recs[cur->n++], arg);
	/* Full: on to the worker now rather than at the tick. */
	if (cur->n == EVBUF_RECS)
		send = evbatch_take(b);
unlock:
	raw_spin_unlock_irqrestore(&b->lock, flags);
	/* Two at most: the other namespace's, and this one's if now full. */
	if (other)
		queue_work(evbatch_wq, &other->work);
	if (send)
		queue_work(evbatch_wq, &send->work);
	return ret;
}

static void evbatch_free(void)
{
	int cpu, i;

	for (i = 0; i < EVBUF_RESERVE; i++) {
		kfree(evbuf_reserved[i]);
		evbuf_reserved[i] = NULL;
	}
	evbuf_reserve = NULL;
	evbuf_reserve_n = 0;
	for_each_possible_cpu(cpu) {
		struct evbatch *b = per_cpu_ptr(&evbatches, cpu);

		for (i = 0; i < EVBUF_PER_CPU; i++) {
			kfree(b->bufs[i]);
			b->bufs[i] = NULL;
		}
		b->free = NULL;
	}
}

int tcpstate_evbatch_init(void)
{
	int cpu, i;

	/* Unbound: the worker need not run on the CPU that closed. */
	evbatch_wq = alloc_workqueue("tcpstate_events", WQ_UNBOUND, 0);
	if (!evbatch_wq)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct evbatch *b = per_cpu_ptr(&evbatches, cpu);

		raw_spin_lock_init(&b->lock);
		timer_setup(&b->timer, evbatch_timer, 0);
		b->cur = NULL;
		b->off = false;
		for (i = 0; i < EVBUF_PER_CPU; i++) {
			struct evbuf *buf = kzalloc_node(sizeof(*buf), GFP_KERNEL,
							 cpu_to_node(cpu));

			if (!buf) {
				evbatch_free();
				destroy_workqueue(evbatch_wq);
				evbatch_wq = NULL;
				return -ENOMEM;
			}
			INIT_WORK(&buf->work, evbuf_work);
			buf->home = b;
			buf->next = b->free;
			b->free = buf;
			b->bufs[i] = buf;
		}
	}
	for (i = 0; i < EVBUF_RESERVE; i++) {
		struct evbuf *buf = kzalloc(sizeof(*buf), GFP_KERNEL);

		if (!buf) {
			evbatch_free();
			destroy_workqueue(evbatch_wq);
			evbatch_wq = NULL;
			return -ENOMEM;
		}
		INIT_WORK(&buf->work, evbuf_work);
		buf->extra = true;
		buf->next = evbuf_reserve;
		evbuf_reserve = buf;
		evbuf_reserve_n++;
		evbuf_reserved[i] = buf;
	}
	/*
	 * One open batch on every CPU, plus a quarter of all buffers: a
	 * namespace busy on every CPU of a large host still has room (a
	 * quarter alone is fewer than the CPUs past 16). Possible CPUs: a
	 * slot that is not online only makes the quota larger.
	 */
	evbuf_quota = num_possible_cpus() +
		      (num_possible_cpus() * EVBUF_PER_CPU + EVBUF_RESERVE) / 4;
	return 0;
}

void tcpstate_evbatch_exit(void)
{
	int cpu;

	if (!evbatch_wq)
		return;
	for_each_possible_cpu(cpu) {
		struct evbatch *b = per_cpu_ptr(&evbatches, cpu);
		struct evbuf *buf;
		unsigned long flags;

		raw_spin_lock_irqsave(&b->lock, flags);
		b->off = true;
		buf = evbatch_take(b);
		raw_spin_unlock_irqrestore(&b->lock, flags);
		if (buf)
			queue_work(evbatch_wq, &buf->work);
		/* A running timer hands its batch on before this returns. */
		del_timer_sync(&b->timer);
	}
	/* Runs every batch still queued, then stops the workers. */
	destroy_workqueue(evbatch_wq);
	evbatch_wq = NULL;
	evbatch_free();
}
