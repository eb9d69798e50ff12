// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the TCP hash tables the way inet_diag does (net/ipv4/inet_diag.c,
 * inet_diag_dump_icsk): per-bucket spinlock, a batch of referenced sockets
 * collected under the lock, the lock dropped before the caller fills
 * messages, sock_gen_put() for full, TIME_WAIT and request sockets alike,
 * cond_resched() between batches, and a cursor (table, bucket, last sockets
 * visited) to resume a dump that filled its buffer.
 *
 * The tables are reached through net->ipv4.tcp_death_row.hashinfo: the
 * tcp_hashinfo symbol is not exported on 6.12. A netns created while
 * net.ipv4.tcp_child_ehash_entries was set has a private ehash; its lhash2
 * is still the global one.
 */
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "tcpstate.h"
#include "sockwalk.h"

/* Sockets referenced per lock hold; inet_diag uses 16. */
#define BATCH 32

static struct inet_hashinfo *net_hashinfo(struct net *net)
{
	return net->ipv4.tcp_death_row.hashinfo;
}

void tcpstate_walk_init(struct tcpstate_walk *w,
			const struct tcpstate_filter *f)
{
	memset(w, 0, sizeof(*w));
	w->filter = f;
	w->lhash = net_hashinfo(&init_net);
	w->first = net_hashinfo(f->net ?: &init_net);
}

void tcpstate_walk_release(struct tcpstate_walk *w)
{
	if (w->net)
		put_net(w->net);
	w->net = NULL;
}

/*
 * Move w->net on to the next namespace with a private ehash, or to NULL
 * after the last. The reference held on the current one keeps it on
 * net_namespace_list (cleanup_net() unlinks only namespaces nobody holds),
 * so the search goes on from it: every namespace is looked at once per
 * walk. A dying namespace is skipped; its sockets are going away.
 */
static bool next_private(struct tcpstate_walk *w)
{
	struct net *prev = w->net, *net;

	w->net = NULL;
	if (w->filter->net || !(w->filter->states & ~TCPF_LISTEN))
		goto out;
	down_read(&net_rwsem);
	net = list_prepare_entry(prev, &net_namespace_list, list);
	list_for_each_entry_continue(net, &net_namespace_list, list) {
		if (net_hashinfo(net)->pernet && maybe_get_net(net)) {
			w->net = net;
			break;
		}
	}
	up_read(&net_rwsem);
out:
	if (prev)
		put_net(prev);
	return w->net;
}

struct batch {
	struct sock *sk[BATCH];
	struct net *net[BATCH];	/* referenced, or NULL: see pin_net() */
	u32 num[BATCH];
	u8 state[BATCH];
	int n;
};

/*
 * Under the bucket lock, in a walk of a table shared by namespaces (the
 * listening hash, the global ehash) for every namespace: a reference on
 * the socket's namespace, to be held until it has been visited. Only a
 * full socket that counts in its namespace (sk_net_refcnt) keeps that
 * namespace alive while we hold the socket; TIME_WAIT and request sockets
 * (and kernel sockets) do not, and a namespace being dismantled purges
 * them from the hash (inet_twsk_purge) and is freed while a reference on
 * one of them can still be held here, its sock_net() pointing at freed
 * memory. ERR_PTR(-ENOENT): the namespace is dying, skip its socket.
 */
static struct net *pin_net(const struct sock *sk)
{
	struct net *net;

	if (sk_fullsock(sk) && sk->sk_net_refcnt)
		return NULL;
	net = maybe_get_net(sock_net(sk));
	return net ?: ERR_PTR(-ENOENT);
}

static void cursor_after(struct tcpstate_cursor *c, const struct sock *sk,
			 u32 num)
{
	struct tcpstate_seen *e = &c->seen[c->n_seen++ % TCPSTATE_CURSOR_SEEN];

	e->sk = (unsigned long)sk;
	e->hash = sk->sk_hash;
	e->ports = sk->sk_portpair;
	c->num = num + 1;
}

/* The start of a bucket (or of a table). */
static void cursor_bucket_start(struct tcpstate_cursor *c)
{
	c->num = 0;
	c->n_seen = 0;
}

static void cursor_next_bucket(struct tcpstate_cursor *c)
{
	c->bucket++;
	cursor_bucket_start(c);
}

/*
 * Under the bucket lock: the last visited socket still in @head, or NULL.
 * Visited sockets keep their order in the chain, so the most recently
 * visited one that is still there is also the furthest along it. *gone
 * counts the remembered ones that are not.
 */
static const struct sock *cursor_resume_after(const struct tcpstate_cursor *c,
					      const struct hlist_nulls_head *head,
					      u32 *gone)
{
	u32 i, n = min_t(u32, c->n_seen, TCPSTATE_CURSOR_SEEN);
	const struct hlist_nulls_node *node;
	const struct sock *sk;

	for (*gone = 0; *gone < n; (*gone)++) {
		i = (c->n_seen - 1 - *gone) % TCPSTATE_CURSOR_SEEN;
		sk_nulls_for_each(sk, node, head)
			if ((unsigned long)sk == c->seen[i].sk &&
			    sk->sk_hash == c->seen[i].hash &&
			    sk->sk_portpair == c->seen[i].ports)
				return sk;
	}
	return NULL;
}

/*
 * Visit a batch and move the cursor past what was visited; on a stop,
 * leave it just before the stopping socket, which is visited on resume.
 */
static int run_batch(struct batch *b, struct tcpstate_cursor *c,
		     tcpstate_visit_fn visit, void *arg)
{
	int i, ret = 0;

	for (i = 0; i < b->n; i++) {
		if (!ret) {
			ret = visit(b->sk[i], b->state[i], arg);
			if (ret)
				c->num = b->num[i];
			else
				cursor_after(c, b->sk[i], b->num[i]);
		}
		sock_gen_put(b->sk[i]);
		if (b->net[i])
			put_net(b->net[i]);
	}
	return ret;
}

/*
 * Fill @b from one chain under its lock: the matching sockets after the
 * cursor, referenced, and with @all_netns their namespaces too. Returns
 * whether the chain may hold more.
 */
static bool fill_batch(struct batch *b, const struct tcpstate_cursor *c,
		       const struct tcpstate_filter *f,
		       const struct hlist_nulls_head *head, bool listeners,
		       bool all_netns)
{
	const struct hlist_nulls_node *node;
	const struct sock *after;
	struct net *net = NULL;
	struct sock *sk;
	u32 num = 0, gone, skip = 0;

	after = cursor_resume_after(c, head, &gone);
	/*
	 * Without any of them, the position decides; the ones known gone no
	 * longer take up places before it.
	 */
	if (!after)
		skip = c->num > gone ? c->num - gone : 0;
	b->n = 0;
	sk_nulls_for_each(sk, node, head) {
		int state = listeners ? TCP_LISTEN : tcpstate_sk_state(sk);
		bool match = tcpstate_filter_match(f, sk, state);
		u32 this = num;

		num += match;
		/*
		 * Up to and including the last socket visited: handled. It
		 * may no longer match (its state changed), so look at all.
		 */
		if (after) {
			if (sk == after)
				after = NULL;
			continue;
		}
		if (!match || this < skip)
			continue;
		if (all_netns) {
			net = pin_net(sk);
			if (IS_ERR(net))
				continue;
		}
		if (!refcount_inc_not_zero(&sk->sk_refcnt)) {
			if (net)
				put_net(net);
			continue;
		}
		b->sk[b->n] = sk;
		b->net[b->n] = net;
		b->state[b->n] = state;
		b->num[b->n] = this;
		if (++b->n == BATCH)
			return true;
	}
	return false;
}

static int walk_listeners(struct tcpstate_walk *w, struct tcpstate_cursor *c,
			  tcpstate_visit_fn visit, void *arg)
{
	const struct tcpstate_filter *f = w->filter;
	struct inet_hashinfo *h = w->lhash;
	struct batch b;
	bool more;
	int ret;

	if (!(f->states & TCPF_LISTEN))
		return 0;
	for (; c->bucket <= h->lhash2_mask; cursor_next_bucket(c)) {
		struct inet_listen_hashbucket *ilb = &h->lhash2[c->bucket];

		if (hlist_nulls_empty(&ilb->nulls_head))
			continue;
		do {
			spin_lock(&ilb->lock);
			more = fill_batch(&b, c, f, &ilb->nulls_head, true,
					  !f->net);
			spin_unlock(&ilb->lock);
			ret = run_batch(&b, c, visit, arg);
			if (ret)
				return ret;
			cond_resched();
		} while (more);
	}
	return 0;
}

static int walk_ehash(struct tcpstate_walk *w, struct inet_hashinfo *h,
		      struct tcpstate_cursor *c, tcpstate_visit_fn visit,
		      void *arg)
{
	const struct tcpstate_filter *f = w->filter;
	/* A private table's namespace is held by the walk (w->net). */
	bool all_netns = !f->net && c->table == 1;
	struct batch b;
	bool more;
	int ret;

	if (!(f->states & ~TCPF_LISTEN))
		return 0;
	for (; c->bucket <= h->ehash_mask; cursor_next_bucket(c)) {
		struct inet_ehash_bucket *head = &h->ehash[c->bucket];
		spinlock_t *lock = inet_ehash_lockp(h, c->bucket);

		if (hlist_nulls_empty(&head->chain))
			continue;
		do {
			spin_lock_bh(lock);
			more = fill_batch(&b, c, f, &head->chain, false,
					  all_netns);
			spin_unlock_bh(lock);
			ret = run_batch(&b, c, visit, arg);
			if (ret)
				return ret;
			cond_resched();
		} while (more);
	}
	return 0;
}

/* The cursor's table after the last one. */
#define TABLE_DONE U32_MAX

static void cursor_next_table(struct tcpstate_cursor *c, bool more)
{
	c->table = more ? c->table + 1 : TABLE_DONE;
	c->bucket = 0;
	cursor_bucket_start(c);
}

int tcpstate_walk(struct tcpstate_walk *w, struct tcpstate_cursor *c,
		  tcpstate_visit_fn visit, void *arg)
{
	struct inet_hashinfo *h;
	int ret;

	if (c->table == 0) {
		ret = walk_listeners(w, c, visit, arg);
		if (ret)
			return ret;
		cursor_next_table(c, true);
	}
	while (c->table != TABLE_DONE) {
		h = c->table == 1 ? w->first : net_hashinfo(w->net);
		ret = walk_ehash(w, h, c, visit, arg);
		if (ret)
			return ret;
		cursor_next_table(c, next_private(w));
	}
	return 0;
}

static void count_ehash(const struct tcpstate_filter *f,
			struct inet_hashinfo *h, tcpstate_count_fn fn,
			void *arg)
{
	struct hlist_nulls_node *node;
	unsigned int i;
	struct sock *sk;

	for (i = 0; i <= h->ehash_mask; i++) {
		struct inet_ehash_bucket *head = &h->ehash[i];
		spinlock_t *lock = inet_ehash_lockp(h, i);

		if (hlist_nulls_empty(&head->chain))
			continue;
		spin_lock_bh(lock);
		sk_nulls_for_each(sk, node, &head->chain) {
			int state = tcpstate_sk_state(sk);

			if (tcpstate_filter_match(f, sk, state))
				fn(sk, state, arg);
		}
		spin_unlock_bh(lock);
		if (!(i & 63))
			cond_resched();
	}
}

void tcpstate_walk_locked(struct tcpstate_walk *w, tcpstate_count_fn fn,
			  void *arg)
{
	const struct tcpstate_filter *f = w->filter;
	struct hlist_nulls_node *node;
	struct inet_hashinfo *h;
	unsigned int i;
	struct sock *sk;

	h = w->lhash;
	for (i = 0; (f->states & TCPF_LISTEN) && i <= h->lhash2_mask; i++) {
		struct inet_listen_hashbucket *ilb = &h->lhash2[i];

		if (hlist_nulls_empty(&ilb->nulls_head))
			continue;
		spin_lock(&ilb->lock);
		sk_nulls_for_each(sk, node, &ilb->nulls_head)
			if (tcpstate_filter_match(f, sk, TCP_LISTEN))
				fn(sk, TCP_LISTEN, arg);
		spin_unlock(&ilb->lock);
		if (!(i & 63))
			cond_resched();
	}
	if (!(f->states & ~TCPF_LISTEN))
		return;
	for (h = w->first; h; h = next_private(w) ? net_hashinfo(w->net) : NULL)
		count_ehash(f, h, fn, arg);
}
