// SPDX-License-Identifier: GPL-2.0
/*
 * Event batching. One skb per event costs the closing task an allocation
 * and a multicast, and the subscriber a recvmsg() and a free, for every
 * event: in a storm of unread-data closes (tens of thousands a second on
 * loopback) that was most of the module's cost. As drop_monitor does,
 * events collect per CPU in one skb of several netlink messages (a reader
 * walks them with NLMSG_NEXT, as in a dump), sent when it is full or at
 * the next jiffy by a timer its first event arms: a subscriber sees an
 * event at most a tick (4 ms at HZ=250) or two after it happened.
 *
 * A batch holds the events of one network namespace, since events go to
 * their own namespace's subscribers only; an event of another namespace
 * sends the batch first. While it waits, the batch holds a reference on
 * its namespace, taken with maybe_get_net(): a dying namespace has no
 * subscriber left to batch for.
 *
 * Counting: the events of a batch are delivered or dropped when it is
 * sent. A subscriber whose buffer is full loses the whole batch; its
 * events' sequence numbers tell it exactly how many.
 *
 * Locking: the probes add with preemption disabled, in process context;
 * the timer sends from softirq, possibly on another CPU. The per-CPU lock
 * is taken with interrupts off, so neither can interrupt the other.
 */
#include <linux/percpu.h>
#include <linux/timer.h>
#include <net/genetlink.h>

#include "tcpstate.h"
#include "evbatch.h"
#include "netlink.h"

struct evbatch {
	spinlock_t lock;
	struct sk_buff *skb;	/* NULL: no batch */
	struct net *net;	/* referenced while skb is set */
	u32 n[__TCPSTATE_EV_MAX];	/* events in skb, by type */
	struct timer_list timer;
	bool off;		/* unloading: no new batches */
};

/* A batch taken off its CPU, to send without the lock. */
struct evsend {
	struct sk_buff *skb;
	struct net *net;
	u32 n[__TCPSTATE_EV_MAX];
};

static DEFINE_PER_CPU(struct evbatch, evbatches);

/* Called with b->lock held. */
static void evbatch_take(struct evbatch *b, struct evsend *s)
{
	s->skb = b->skb;
	s->net = b->net;
	memcpy(s->n, b->n, sizeof(s->n));
	b->skb = NULL;
	b->net = NULL;
	memset(b->n, 0, sizeof(b->n));
}

static void evbatch_send(struct evsend *s, gfp_t gfp)
{
	struct tcpstate_net *tn;
	u32 total = 0;
	int t, ret;

	if (!s->skb)
		return;
	for (t = 0; t < __TCPSTATE_EV_MAX; t++)
		total += s->n[t];
	if (!total) {
		/* Its only event did not fit: nothing to send. */
		nlmsg_free(s->skb);
		goto out;
	}
	/*
	 * 0: every subscriber got it. -ENOBUFS: some subscriber's buffer was
	 * full (reported only to sockets with NETLINK_BROADCAST_ERROR, which
	 * tcpstatectl sets). -ESRCH although there were listeners when the
	 * events were added: it reached nobody (the subscriber left, or
	 * overflowed without that option). Both count as dropped. The skb is
	 * consumed either way.
	 */
	ret = genlmsg_multicast_netns(&tcpstate_genl_family, s->net, s->skb,
				      0, 0, gfp);
	tn = tcpstate_pernet(s->net);
	for (t = 0; t < __TCPSTATE_EV_MAX; t++)
		if (s->n[t])
			atomic64_add(s->n[t], ret ? &tn->ev[t].dropped :
						    &tn->ev[t].delivered);
out:
	put_net(s->net);
	s->skb = NULL;
}

static void evbatch_timer(struct timer_list *timer)
{
	struct evbatch *b = from_timer(b, timer, timer);
	struct evsend s;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	evbatch_take(b, &s);
	spin_unlock_irqrestore(&b->lock, flags);
	evbatch_send(&s, GFP_ATOMIC);
}

int tcpstate_evbatch_add(struct net *net, int type,
			 tcpstate_evfill_t fill, void *arg)
{
	struct evbatch *b = this_cpu_ptr(&evbatches);
	struct evsend s = {};
	unsigned long flags;
	int ret = -ENOMEM;

	spin_lock_irqsave(&b->lock, flags);
	/* Another namespace's batch goes first (a loop: we unlock to send). */
	while (b->skb && b->net != net) {
		evbatch_take(b, &s);
		spin_unlock_irqrestore(&b->lock, flags);
		evbatch_send(&s, GFP_ATOMIC);
		spin_lock_irqsave(&b->lock, flags);
	}
	if (!b->skb) {
		if (b->off || !maybe_get_net(net))
			goto unlock;
		b->skb = genlmsg_new(NLMSG_DEFAULT_SIZE,
				     GFP_ATOMIC | __GFP_NOWARN);
		if (!b->skb) {
			put_net(net);
			goto unlock;
		}
		b->net = net;
		mod_timer(&b->timer, jiffies + 1);
	}
	/* Every batch has room for one more event (see below). */
	ret = fill(b->skb, arg);
	if (!ret)
		b->n[type]++;
	/* Full: send it now rather than at the tick. */
	if (skb_tailroom(b->skb) < TCPSTATE_EVENT_MSG_ROOM)
		evbatch_take(b, &s);
unlock:
	spin_unlock_irqrestore(&b->lock, flags);
	evbatch_send(&s, GFP_ATOMIC);
	return ret;
}

void tcpstate_evbatch_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct evbatch *b = per_cpu_ptr(&evbatches, cpu);

		spin_lock_init(&b->lock);
		timer_setup(&b->timer, evbatch_timer, 0);
	}
}

void tcpstate_evbatch_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct evbatch *b = per_cpu_ptr(&evbatches, cpu);
		struct evsend s;
		unsigned long flags;

		spin_lock_irqsave(&b->lock, flags);
		b->off = true;
		evbatch_take(b, &s);
		spin_unlock_irqrestore(&b->lock, flags);
		/* A running timer sends its batch before this returns. */
		del_timer_sync(&b->timer);
		evbatch_send(&s, GFP_KERNEL);
	}
}
