// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the TCP hash tables the way inet_diag does (net/ipv4/inet_diag.c,
 * inet_diag_dump_icsk): per-bucket spinlock, a batch of referenced sockets
 * collected under the lock, the lock dropped before the caller fills
 * messages, sock_gen_put() for full, TIME_WAIT and request sockets alike,
 * cond_resched() between batches, and a cursor (table, bucket, position)
 * to resume a dump that filled its buffer. Unlike inet_diag, the place in
 * a chain is kept by references on the last sockets gone past, so no lock
 * hold ever rescans a chain, however long (a SO_REUSEPORT group shares one
 * listening chain; a namespace may have a one-bucket ehash), and a lock
 * hold looks at a bounded number of sockets whatever the filter.
 *
 * The tables are reached through net->ipv4.tcp_death_row.hashinfo: the
 * tcp_hashinfo symbol is not exported on 6.12. A netns created while
 * net.ipv4.tcp_child_ehash_entries was set has a private ehash; its lhash2
 * is still the global one.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "tcpstate.h"
#include "sockwalk.h"

/* Sockets referenced per lock hold; inet_diag uses 16. */
#define BATCH 32
/*
 * Chain entries looked at per lock hold, matching or not: a filter that
 * matches few of a long chain's sockets must not hold its lock for all.
 */
#define SCAN 256
/* Entries past SCAN tried as a place to resume after: see fill_batch(). */
#define SCAN_EXTRA 16
/*
 * How often a walk may go back to the head of one bucket's chain before
 * it leaves the rest of that chain unvisited: see the budget in
 * sockwalk.h.
 */
#define RESTARTS TCPSTATE_WALK_RESTARTS

/*
 * For the guest tests (tests/vm/62, 63), which judge work rather than
 * time: chain entries looked at under bucket locks since load (or since
 * root wrote 0), and the most in one lock hold. Root-only; updated
 * without atomics, so approximate while walks run in parallel.
 */
static unsigned long walk_scanned;
module_param(walk_scanned, ulong, 0600);
MODULE_PARM_DESC(walk_scanned, "hash chain entries looked at under bucket locks (tests)");
static unsigned int walk_hold_max;
module_param(walk_hold_max, uint, 0600);
MODULE_PARM_DESC(walk_hold_max, "most hash chain entries looked at in one bucket lock hold (tests)");

/*
 * Times a walk went back to a chain's head (every pin gone, or its place
 * found at the head where it was not: fill_batch()), and buckets a walk left unfinished
 * after RESTARTS of them: for tests and for whoever wonders why a listing
 * under heavy churn misses sockets. Root-only, approximate like the above.
 */
static unsigned long walk_restarts;
module_param(walk_restarts, ulong, 0600);
MODULE_PARM_DESC(walk_restarts, "times a walk went back to a hash chain's head (tests)");
static unsigned long walk_abandoned;
module_param(walk_abandoned, ulong, 0600);
MODULE_PARM_DESC(walk_abandoned, "hash chains a walk left unfinished after too many restarts");

/*
 * For the guest tests (tests/vm/69) only: microseconds to sleep between
 * two lock holds of a walk, which otherwise only cond_resched(). A
 * counting walk's places must survive that gap; widened, the gap lets a
 * test make them go in it often enough to see what the walk does then.
 * Root-only; 0 (the default) costs a load per hold.
 */
static unsigned int walk_pause_us;
module_param(walk_pause_us, uint, 0600);
MODULE_PARM_DESC(walk_pause_us, "sleep between bucket lock holds of a walk (tests only)");

/* Most walk_pause_us honoured: a second. */
#define PAUSE_MAX_US 1000000U

/*
 * Between two lock holds, after the batch was visited; @more: the walk
 * goes on in the same bucket, the only gap a test needs widened. The
 * sleep is interruptible (the walk holds pins, and a reader may be
 * killed: the loops check fatal_signal_pending() next) and taken once,
 * so a signal shortens it rather than have it spin.
 */
static void hold_gap(bool more)
{
	unsigned int us = min(READ_ONCE(walk_pause_us), PAUSE_MAX_US);
	ktime_t t;

	cond_resched();
	if (!us || !more)
		return;
	t = ns_to_ktime((u64)us * NSEC_PER_USEC);
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_hrtimeout_range(&t, (u64)us * NSEC_PER_USEC / 4,
				 HRTIMER_MODE_REL);
}

static void account_restart(void)
{
	WRITE_ONCE(walk_restarts, READ_ONCE(walk_restarts) + 1);
}

static void account_hold(unsigned int n)
{
	WRITE_ONCE(walk_scanned, READ_ONCE(walk_scanned) + n);
	if (n > READ_ONCE(walk_hold_max))
		WRITE_ONCE(walk_hold_max, n);
}

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

static void ref_put(struct sock *sk, struct net *net)
{
	sock_gen_put(sk);
	if (net)
		put_net(net);
}

/* The i-th most recent pin, i < w->n_pins. */
static struct tcpstate_pin *recent_pin(struct tcpstate_walk *w, u32 i)
{
	return &w->pins[(w->pin_next + TCPSTATE_WALK_PINS - 1 - i) %
			TCPSTATE_WALK_PINS];
}

static void unpin_all(struct tcpstate_walk *w)
{
	u32 i;

	for (i = 0; i < w->n_pins; i++)
		ref_put(recent_pin(w, i)->sk, recent_pin(w, i)->net);
	w->n_pins = 0;
	w->pin_next = 0;
}

void tcpstate_walk_release(struct tcpstate_walk *w)
{
	unpin_all(w);
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

struct batch_ent {
	struct sock *sk;
	struct net *net;	/* referenced, or NULL: see pin_net() */
	u32 num;		/* matching sockets up to and with this one */
	struct tcpstate_sk_marks marks;	/* marks_read() under the lock */
	u8 state;
	bool visit;		/* false: only a place to resume after */
	bool done;		/* visited or counted (see tcpstate_pin) */
	bool first;		/* at the head of its chain */
};

struct batch {
	/* + 1: the socket a scan stopped on, when not already in */
	struct batch_ent e[BATCH + 1];
	int n;
	bool restart;	/* none of the pins was left: they go */
	bool drop;	/* the entries go unvisited, and so do the pins */
};

/*
 * Under the bucket lock, with a reference on @sk taken (batch_add()), in
 * a walk of a table shared by namespaces (the
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

/* The start of a bucket (or of a table): nothing of it gone past yet. */
static void cursor_bucket_start(struct tcpstate_walk *w,
				struct tcpstate_cursor *c)
{
	/* Called for every bucket, and most hold nothing. */
	if (w->n_pins)
		unpin_all(w);
	w->restarts = 0;
	c->num = 0;
	c->skip = 0;
}

static void cursor_next_bucket(struct tcpstate_walk *w,
			       struct tcpstate_cursor *c)
{
	c->bucket++;
	cursor_bucket_start(w, c);
}

/*
 * Hand a batch entry's references over to the walk: gone past. The ring
 * keeps a count that saturates, not one of every socket gone past: a
 * walk can stay in one bucket for as long as sockets join its tail.
 */
static void pin(struct tcpstate_walk *w, struct tcpstate_cursor *c,
		const struct batch_ent *e)
{
	struct tcpstate_pin *p = &w->pins[w->pin_next];

	w->pin_next = (w->pin_next + 1) % TCPSTATE_WALK_PINS;
	if (w->n_pins == TCPSTATE_WALK_PINS)
		ref_put(p->sk, p->net);
	else
		w->n_pins++;
	p->sk = e->sk;
	p->net = e->net;
	p->num = e->num;
	p->marks = e->marks;
	p->gone = false;
	p->done = e->done;
	p->first = e->first;
	c->num = max(c->num, e->num);
}

/*
 * Under the bucket lock: what changes whenever a socket we hold leaves a
 * chain and comes back to it (or to another chain of the same bucket). A
 * held socket cannot be freed and reused, but a full one can be unhashed
 * and hashed again, which puts it at the head of its chain (or, for an
 * IPv6 SO_REUSEPORT listener, at its tail): a place it no longer marks.
 * same_place() judges. A socket wrongly judged gone costs a rescan from
 * an older pin, never a socket visited twice (every visited socket is a
 * pin, a counting walk's places are its last entries, and fill_batch()
 * skips what replaced one in place); but when every pin is judged gone
 * the walk goes back to the head and skips by position, where a pin
 * still there past that position is skipped only within that lock hold.
 * A socket wrongly judged in place, back at the head, makes the walk go
 * on from there: what follows it is listed again.
 *
 * A connection is told by its initial sequence number, snd_una -
 * bytes_acked: tcp_snd_una_update() moves both together (both series),
 * so neither data nor timeouts change it, and every way back to the
 * established hash goes through tcp_disconnect(), which zeroes
 * bytes_acked and moves write_seq on (by max_window + 2, less than 2^30),
 * and a connect(), whose tcp_connect_init() takes that write_seq for the
 * new snd_una. Plain TCP, MPTCP subflows (whose disconnects no
 * sk_disconnects counts) and the disconnect of a shutdown() in SYN_SENT
 * (uncounted too) alike. It fails only for a connection that sent within
 * max_window + 3 bytes of a multiple of 4 GiB before it disconnected. A
 * connection seen between inet_hash_connect() and tcp_connect_init()
 * still has its old snd_una: back at the head with it, one counted by
 * __inet_stream_connect() is told by sk_disconnects, and one that
 * disconnected uncounted in SYN_SENT by its write_seq, which moved while
 * it was in SYN_SENT (then a connection sends nothing but its SYN;
 * TCP_FASTOPEN_CONNECT data does move it, and costs a rescan). The
 * txhash, which every connect() draws anew, is not looked at: a
 * retransmission timeout, a spurious retransmission, PLB and any user's
 * SO_CNX_ADVICE draw it anew in place too. The two reads of the number
 * race with tcp_snd_una_update() under the socket lock, which we do not
 * hold: conn_isn() reads until two agree. Not followed: TCP_REPAIR
 * (CAP_NET_ADMIN over the namespace), which restores sequence numbers.
 *
 * A listener leaves its chain through tcp_disconnect() (shutdown(SHUT_RD)
 * or connect(AF_UNSPEC)), which always moves write_seq on (by max_window
 * + 2), and a listener sends nothing to move it otherwise. Not caught: a
 * listener aborted by SOCK_DESTROY (tcp_abort() leaves write_seq alone;
 * CAP_NET_ADMIN in its namespace's user namespace, so any user in one it
 * owns) that listens again, and one that restores its write_seq in repair
 * mode (TCP_QUEUE_SEQ, same capability) before listening again: either
 * is taken for its place at the head (IPv4) or at the tail (IPv6
 * SO_REUSEPORT). fill_batch() counts a listener found at the head where
 * it was not as a restart, so the walk leaves a chain where that keeps
 * happening (sockwalk.h, TCPSTATE_WALK_RESTARTS); at the tail it ends
 * the chain early. TIME_WAIT and request sockets are never hashed twice.
 */
static u32 conn_isn(const struct tcp_sock *tp)
{
	u32 a, b;
	int i;

	a = READ_ONCE(tp->snd_una) - (u32)READ_ONCE(tp->bytes_acked);
	for (i = 0; i < 3; i++) {
		b = READ_ONCE(tp->snd_una) - (u32)READ_ONCE(tp->bytes_acked);
		if (a == b)
			break;
		a = b;
	}
	return a;
}

static void marks_read(const struct sock *sk, bool listeners,
		       struct tcpstate_sk_marks *m)
{
	memset(m, 0, sizeof(*m));
	if (!sk_fullsock(sk))
		return;
	m->seq = READ_ONCE(tcp_sk(sk)->write_seq);
	if (listeners)
		return;
	m->isn = conn_isn(tcp_sk(sk));
	m->disc = (u32)READ_ONCE(sk->sk_disconnects);
	m->syn_sent = inet_sk_state_load(sk) == TCP_SYN_SENT;
}

/* Is a socket pinned with marks @then still where it was, with @now? */
static bool same_place(const struct tcpstate_sk_marks *then,
		       const struct tcpstate_sk_marks *now, bool listeners)
{
	if (listeners)
		return now->seq == then->seq;
	if (now->isn != then->isn || now->disc != then->disc)
		return false;
	/* Pinned in SYN_SENT, in SYN_SENT again after a disconnect. */
	return !(then->syn_sent && now->syn_sent && now->seq != then->seq);
}

/* The lhash2 bucket of a hashed listener (inet_lhash2_bucket_sk()). */
static u32 lhash2_index(const struct inet_hashinfo *h, const struct sock *sk)
{
	/* Its keys may be rewritten under another lock: see in_bucket(). */
	u16 port = READ_ONCE(inet_sk(sk)->inet_num);
	u32 hash;

#if IS_ENABLED(CONFIG_IPV6)
	if (READ_ONCE(sk->sk_family) == AF_INET6)
		hash = data_race(ipv6_portaddr_hash(sock_net(sk),
						    &sk->sk_v6_rcv_saddr,
						    port));
	else
#endif
		hash = ipv4_portaddr_hash(sock_net(sk),
					  READ_ONCE(inet_sk(sk)->inet_rcv_saddr),
					  port);
	return hash & h->lhash2_mask;
}

/*
 * The nulls value that ends a bucket's chain (INIT_HLIST_NULLS_HEAD() in
 * init_hashinfo_lhash2(), tcp_init() and inet_pernet_hashinfo_alloc()).
 */
static unsigned long chain_nulls(u32 bucket, bool listeners)
{
	return listeners ? bucket + LISTENING_NULLS_BASE : bucket;
}

/*
 * Under a bucket's lock: is @sk, which we hold, in that bucket's chain?
 * Unhashing clears the node's pprev. A socket hashed again since (a
 * connect() retried, a listener listening anew) may be in another chain,
 * which its current keys tell.
 *
 * The order of the reads matters, and it is pprev, then the keys. Our
 * chain changes only under the lock we hold, so what decides is a socket
 * that left it (under our lock, seen) and was added to another chain C
 * meanwhile (under C's lock, not ours): its keys are written first
 * (tcp_v4_connect(), inet_ehash_insert() sk_hash, or the bind and listen
 * before inet_hash()), then the node is added to C, setting pprev. That
 * is a message passing through pprev: read pprev, then, after
 * smp_rmb(), the keys; a pprev of C's comes with C's keys, which do not
 * map to our bucket. Read the other way round (keys first), stale keys of
 * our bucket could be paired with C's pprev and the socket taken for ours.
 * The writer has no barrier of its own between the key stores and the
 * pprev store; on x86 (TSO) stores are seen in order, and elsewhere
 * fill_batch() checks the nulls value at the end of the chain it walked
 * from a place and lets the batch go if it is not ours.
 */
static bool still_there(const struct sock *sk, const struct inet_hashinfo *h,
			u32 bucket, bool listeners, struct tcpstate_pin *p)
{
	struct tcpstate_sk_marks now;

	/*
	 * The listening and the established hash share sk_nulls_node, and a
	 * socket we hold can move from one to the other with keys that
	 * still map to this bucket (a listener that disconnects and
	 * connects from its bound address, a socket that disconnects and
	 * listens). The state tells the tables apart: a socket is hashed
	 * for listening only in TCP_LISTEN, stored (release) before it is
	 * hashed and replaced only after it is unhashed; in the established
	 * hash it is never TCP_LISTEN. Read with acquire first, the state
	 * orders the look at pprev: a state of the other table means a
	 * node already unhashed from this one, and a socket cannot join
	 * our chain while we hold its lock.
	 */
	if ((inet_sk_state_load(sk) == TCP_LISTEN) != listeners)
		return false;
	if (hlist_nulls_unhashed_lockless(&sk->sk_nulls_node))
		return false;
	/*
	 * Its keys (and what marks_read() reads) no older than the chain it was
	 * seen hashed in. Hashed, it is alive in a live namespace (sockets
	 * are unhashed before their namespace goes), so sock_net() may be
	 * read even without a reference on it; lhash2_index() is the only
	 * reader, and only after the socket was seen hashed.
	 */
	smp_rmb();
	marks_read(sk, listeners, &now);
	if (!same_place(&p->marks, &now, listeners))
		return false;
	if (listeners ? lhash2_index(h, sk) != bucket :
	    (READ_ONCE(sk->sk_hash) & h->ehash_mask) != bucket)
		return false;
	/* Where it was: what tells the next time is what it is now. */
	p->marks = now;
	return true;
}

/*
 * Under a bucket's lock: is pin @p where it was, in that bucket's chain?
 * Once judged gone, never again: a socket that left cannot be back where
 * it was, and marks that say otherwise later (a reconnected connection
 * past SYN_SENT, see marks_read()) are to be trusted less than the first
 * judgement.
 */
static bool in_bucket(const struct sock *sk, const struct inet_hashinfo *h,
		      u32 bucket, bool listeners, struct tcpstate_pin *p)
{
	if (p->gone)
		return false;
	if (still_there(sk, h, bucket, listeners, p))
		return true;
	p->gone = true;
	return false;
}

/*
 * Under the bucket lock: the most recent pin still in the chain, or NULL.
 * Pins keep their order in the chain, so it is also the furthest along.
 * At most TCPSTATE_WALK_PINS checks, none walking the chain. *gone counts
 * the done ones that are not there, *newer all the pins more recent than
 * the one returned (all gone).
 */
static struct tcpstate_pin *resume_pin(struct tcpstate_walk *w,
				       const struct inet_hashinfo *h,
				       u32 bucket, bool listeners, u32 *gone,
				       u32 *newer)
{
	struct tcpstate_pin *p;
	u32 i;

	*gone = 0;
	for (i = 0; i < w->n_pins; i++) {
		p = recent_pin(w, i);
		if (in_bucket(p->sk, h, bucket, listeners, p)) {
			*newer = i;
			return p;
		}
		*gone += p->done;
	}
	*newer = i;
	return NULL;
}

/*
 * Under the bucket lock: is a pin older than recent_pin(w, newer) in the
 * (ehash) chain?
 */
static bool older_in_bucket(struct tcpstate_walk *w,
			    const struct inet_hashinfo *h, u32 bucket,
			    u32 newer)
{
	struct tcpstate_pin *q;
	u32 i;

	for (i = newer + 1; i < w->n_pins; i++) {
		q = recent_pin(w, i);
		if (in_bucket(q->sk, h, bucket, false, q))
			return true;
	}
	return false;
}

/*
 * Same connection: the keys a request socket's child or a full socket's
 * TIME_WAIT inherits from the socket it replaces in place. Only common
 * fields, of two sockets that are held or hashed under our lock; the
 * namespaces are compared, not read. @a, a held pin, may be connecting
 * again elsewhere meanwhile (its keys rewritten under another lock):
 * then it is not in our chain and matches nothing hashed there but by
 * chance of a torn read, which would only skip one socket; the reads
 * are marked as the races they are. The bound device too: two connections
 * with the same addresses and ports can be hashed at once on different
 * devices or VRFs (inet_match()), and the child takes the request's
 * (ir_iif), the TIME_WAIT its socket's.
 */
static bool same_conn(const struct sock *a, const struct sock *b)
{
	u16 family = READ_ONCE(a->sk_family);

	if (READ_ONCE(a->sk_hash) != READ_ONCE(b->sk_hash) ||
	    family != READ_ONCE(b->sk_family) ||
	    READ_ONCE(a->sk_bound_dev_if) != READ_ONCE(b->sk_bound_dev_if) ||
	    READ_ONCE(a->sk_portpair) != READ_ONCE(b->sk_portpair) ||
	    !net_eq(data_race(sock_net(a)), data_race(sock_net(b))))
		return false;
#if IS_ENABLED(CONFIG_IPV6)
	if (family == AF_INET6)
		return data_race(ipv6_addr_equal(&a->sk_v6_daddr,
						 &b->sk_v6_daddr) &&
				 ipv6_addr_equal(&a->sk_v6_rcv_saddr,
						 &b->sk_v6_rcv_saddr));
#endif
	return READ_ONCE(a->sk_addrpair) == READ_ONCE(b->sk_addrpair);
}

/*
 * Under the bucket lock, going on from a pin with gone, done pins after
 * it (*mask: bit i for recent_pin(w, i)): is @sk one of them replaced in
 * place? The sources we test (Debian 6.1.192, 6.12.118) replace a request
 * socket by its child (inet_ehash_insert() with osk:
 * sk_nulls_replace_node_init_rcu(), a fix backported to both stable
 * series in 2025), and 6.12.118 a full socket by its TIME_WAIT
 * (inet_twsk_hashdance_schedule(): hlist_nulls_replace_init_rcu(); 6.1
 * adds the TIME_WAIT at the head). Point releases before those backports
 * delete the old socket and add the new one at the head. Either way is
 * safe: what joins at the head is before every pin.
 * Sockets join an ehash chain after a pin only that way (new ones go to
 * the head), and the table holds one socket per connection, so the same
 * keys after the pin mean the replacement: the connection was visited
 * (or counted) already.
 */
static bool replaced(struct tcpstate_walk *w, u32 *mask, const struct sock *sk)
{
	u32 m = *mask;

	while (m) {
		u32 i = __ffs(m);

		m &= m - 1;
		if (same_conn(recent_pin(w, i)->sk, sk)) {
			*mask &= ~BIT(i);
			return true;
		}
	}
	return false;
}

/*
 * Reference @sk into @b, and for a visit with @all_netns its netns too;
 * false if either is dying. A place to resume after needs no namespace:
 * in_bucket() reads it only while the socket is hashed, and the put
 * touches only the socket.
 *
 * The socket first, then its namespace: on a weakly ordered CPU a pin
 * wrongly taken for ours (in_bucket()) can lead a hold into another
 * chain, whose sockets our lock does not keep hashed or alive; that is
 * only found at the chain's end (the nulls value, fill_batch()), after
 * the entries were taken. refcount_inc_not_zero() is safe on such a
 * socket (SLAB_TYPESAFE_BY_RCU, as for every lockless lookup) and, once
 * it succeeds, sock_net() is read from a socket that cannot be freed.
 * Should the namespace be dying, the reference is let go here; this put
 * may be the last one only for a socket of another chain, and freeing
 * takes no hash lock.
 */
static bool batch_add(struct batch *b, struct sock *sk, int state, u32 num,
		      bool listeners, bool all_netns, bool visit, bool done,
		      const struct hlist_nulls_head *head)
{
	struct net *net = NULL;
	struct batch_ent *e;

	if (!refcount_inc_not_zero(&sk->sk_refcnt))
		return false;
	if (all_netns && visit) {
		net = pin_net(sk);
		if (IS_ERR(net)) {
			sock_gen_put(sk);
			return false;
		}
	}
	e = &b->e[b->n++];
	e->sk = sk;
	e->net = net;
	e->num = num;
	marks_read(sk, listeners, &e->marks);
	e->state = state;
	e->visit = visit;
	e->done = done;
	e->first = head->first == &sk->sk_nulls_node;
	return true;
}

/*
 * Visit a batch and pin what was gone past; on a stop, leave the cursor
 * just before the stopping socket, which is visited on resume.
 */
static int run_batch(struct tcpstate_walk *w, struct batch *b,
		     struct tcpstate_cursor *c, tcpstate_visit_fn visit,
		     void *arg)
{
	int i, ret = 0;

	/* Let go outside the lock; the gone must not be counted twice. */
	if (b->restart || b->drop)
		unpin_all(w);
	for (i = 0; i < b->n; i++) {
		struct batch_ent *e = &b->e[i];

		if (!ret && !b->drop && e->visit) {
			ret = visit(e->sk, e->state, arg);
			if (ret)
				c->num = e->num - 1;
		}
		if (ret || b->drop)
			ref_put(e->sk, e->net);
		else
			pin(w, c, e);
	}
	return ret;
}

/*
 * Under the bucket lock: the walk goes back to the chain's head, which it
 * may do RESTARTS times per bucket (sockwalk.h); false once it may not.
 */
static bool restart_ok(struct tcpstate_walk *w)
{
	account_restart();
	if (++w->restarts <= RESTARTS)
		return true;
	WRITE_ONCE(walk_abandoned, READ_ONCE(walk_abandoned) + 1);
	return false;
}

/*
 * Fill @b from one chain under its lock: the matching sockets after the
 * place the walk holds, referenced, and with @all_netns their namespaces
 * too; or, counting (w->count), count them here and take only places.
 * At most BATCH of them and SCAN entries looked at (SCAN_EXTRA more in a
 * case that cannot happen). Returns whether the chain may hold more.
 *
 * A visiting walk pins every socket it visits, so going back from a gone
 * pin to an older one rescans only sockets it did not visit. A counting
 * walk counts without references; so that the same holds for it, the last
 * TCPSTATE_WALK_PINS entries of each of its holds are all places (one
 * reference each, per SCAN entries): going back from a gone place to an
 * older one skips only places, or what replaced them in place (replaced()).
 * Before, with one place per hold, a place that went (a request socket
 * replaced by its child, under SYN load) sent the walk back to the place
 * of the hold before and counted up to SCAN - 1 entries twice.
 */
static bool fill_batch(struct tcpstate_walk *w, struct tcpstate_cursor *c,
		       struct batch *b, const struct inet_hashinfo *h,
		       const struct hlist_nulls_head *head, bool listeners,
		       bool all_netns)
{
	const struct tcpstate_filter *f = w->filter;
	u32 places = w->count ? TCPSTATE_WALK_PINS : 1;
	const struct hlist_nulls_node *node;
	struct tcpstate_pin *p;
	u32 num, gone, newer, repl = 0, scanned = 0, i;
	struct sock *sk;

	b->n = 0;
	b->restart = false;
	b->drop = false;
	p = resume_pin(w, h, c->bucket, listeners, &gone, &newer);
	if (p) {
		/*
		 * At the head where it was not when pinned: back there (a
		 * way same_place() does not catch), and going on from it
		 * rescans the chain, a restart, counted once; or there
		 * because all ahead of it left. A listener is taken to be
		 * back. In the ehash, where only a connection that came
		 * back uncaught can be (repair mode, see marks_read()), the
		 * common case is the innocent one, and the restart counts
		 * only when an older pin, once ahead of it, is behind it.
		 */
		if (!p->first && head->first == &p->sk->sk_nulls_node) {
			p->first = true;
			if ((listeners ||
			     older_in_bucket(w, h, c->bucket, newer)) &&
			    !restart_ok(w))
				goto abandon;
		}
		node = p->sk->sk_nulls_node.next;
		num = p->num;
		/* Listeners are never replaced in place, and share keys. */
		for (i = 0; !listeners && i < newer; i++)
			if (recent_pin(w, i)->done)
				repl |= BIT(i);
	} else {
		node = head->first;
		num = 0;
		/*
		 * Back at the head: the position decides, and the visited
		 * sockets known gone no longer take up places before it.
		 */
		if (w->n_pins) {
			if (!restart_ok(w))
				goto abandon;
			c->num = c->num > gone ? c->num - gone : 0;
			c->skip = c->num;
			b->restart = true;
			/*
			 * Past that position, a pin judged gone that is still
			 * there (see same_place()), or what replaced one in
			 * place, was visited: skipped as going on from an
			 * older pin skips them.
			 */
			for (i = 0; !listeners && i < w->n_pins; i++)
				if (recent_pin(w, i)->done)
					repl |= BIT(i);
		}
	}
	for (; !is_a_nulls(node); node = node->next) {
		bool match, done;
		int state;

		sk = hlist_nulls_entry(node, struct sock, sk_nulls_node);
		state = listeners ? TCP_LISTEN : tcpstate_sk_state(sk);
		match = tcpstate_filter_match(f, sk, state);
		num += match;
		++scanned;
		done = match && num > c->skip &&
		       !(repl && replaced(w, &repl, sk));
		if (done) {
			if (w->count)
				w->count(sk, state, w->count_arg);
			else if (batch_add(b, sk, state, num, listeners,
					   all_netns, true, true, head) &&
				 b->n == BATCH)
				goto more;
		}
		if (scanned + places <= SCAN)
			continue;
		/*
		 * A place to resume after, unless just taken. A socket
		 * hashed under our lock holds a reference (its table's or
		 * its owner's) and needs no namespace here, so the first
		 * try takes one; should it not, the next entries are tried,
		 * and past SCAN_EXTRA of them the bucket ends rather than a
		 * lock hold make no progress (or, counting, count twice).
		 */
		if (!(b->n && b->e[b->n - 1].sk == sk))
			batch_add(b, sk, state, num, listeners, all_netns,
				  false, done && w->count, head);
		if (scanned < SCAN)
			continue;
		if (b->n && b->e[b->n - 1].sk == sk)
			goto more;
		if (scanned == SCAN + SCAN_EXTRA)
			break;
	}
	/*
	 * Gone on from a pin and ended in another chain: the pin was not in
	 * ours after all (in_bucket()), and what was taken is not ours
	 * either. The batch goes, and the walk goes back to the head, by
	 * position. A counting walk has counted those entries already.
	 */
	if (p && is_a_nulls(node) &&
	    get_nulls_value(node) != chain_nulls(c->bucket, listeners)) {
		b->drop = true;
		c->skip = c->num;
		account_hold(scanned);
		if (!restart_ok(w))
			goto abandon;
		return true;
	}
	account_hold(scanned);
	return false;
more:
	account_hold(scanned);
	return true;
abandon:
	/*
	 * Too many restarts in this bucket: leave the rest of its chain,
	 * as a walk by position that keeps losing its place would.
	 */
	b->restart = true;
	account_hold(scanned);
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
	for (; c->bucket <= h->lhash2_mask; cursor_next_bucket(w, c)) {
		struct inet_listen_hashbucket *ilb = &h->lhash2[c->bucket];

		if (hlist_nulls_empty(&ilb->nulls_head))
			continue;
		do {
			if (fatal_signal_pending(current))
				return -EINTR;
			spin_lock(&ilb->lock);
			more = fill_batch(w, c, &b, h, &ilb->nulls_head, true,
					  !f->net);
			spin_unlock(&ilb->lock);
			ret = run_batch(w, &b, c, visit, arg);
			if (ret)
				return ret;
			hold_gap(more);
		} while (more);
	}
	return 0;
}

/*
 * A counting walk's common case: a chain of at most SCAN entries, counted
 * from its head in one lock hold, without the batch, places and pins the
 * general path (fill_batch()) keeps for longer chains. From the head and
 * under the lock the chain cannot change, so this is what fill_batch()
 * would count, at a fraction of its per-bucket cost (bench/RESULTS.md,
 * sockets, "counts"). Returns false, having counted nothing, for a longer
 * chain. The hold steps through at most SCAN + 1 entries twice; it is
 * accounted as the entries it looked at (SCAN + 1 for a longer chain).
 */
static bool count_short_chain(struct tcpstate_walk *w,
			      const struct hlist_nulls_head *head,
			      spinlock_t *lock)
{
	const struct hlist_nulls_node *node;
	u32 n = 0;

	spin_lock_bh(lock);
	for (node = head->first; !is_a_nulls(node); node = node->next) {
		if (++n > SCAN) {
			spin_unlock_bh(lock);
			account_hold(n);
			return false;
		}
	}
	for (node = head->first; !is_a_nulls(node); node = node->next) {
		struct sock *sk = hlist_nulls_entry(node, struct sock,
						    sk_nulls_node);
		int state = tcpstate_sk_state(sk);

		if (tcpstate_filter_match(w->filter, sk, state))
			w->count(sk, state, w->count_arg);
	}
	spin_unlock_bh(lock);
	account_hold(n);
	return true;
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
	for (; c->bucket <= h->ehash_mask; cursor_next_bucket(w, c)) {
		struct inet_ehash_bucket *head = &h->ehash[c->bucket];
		spinlock_t *lock = inet_ehash_lockp(h, c->bucket);

		/*
		 * A global ehash has millions of buckets; anyone may read
		 * /proc/net/tcpstate, so even the empty ones yield now and
		 * then.
		 */
		if (hlist_nulls_empty(&head->chain)) {
			if (!(c->bucket & 1023))
				cond_resched();
			continue;
		}
		/*
		 * A counting walk enters each bucket with no place held
		 * (cursor_bucket_start()), and stays in the loop below
		 * until the bucket is done. It yields after every bucket,
		 * as after every hold of the general path.
		 */
		if (w->count && !w->n_pins) {
			if (fatal_signal_pending(current))
				return -EINTR;
			if (count_short_chain(w, &head->chain, lock)) {
				cond_resched();
				continue;
			}
		}
		do {
			/*
			 * A bucket whose chain keeps changing can keep a walk
			 * in it for long (see sockwalk.h): a killed reader
			 * does not wait for it.
			 */
			if (fatal_signal_pending(current))
				return -EINTR;
			spin_lock_bh(lock);
			more = fill_batch(w, c, &b, h, &head->chain, false,
					  all_netns);
			spin_unlock_bh(lock);
			ret = run_batch(w, &b, c, visit, arg);
			if (ret)
				return ret;
			hold_gap(more);
		} while (more);
	}
	return 0;
}

/* The cursor's table after the last one. */
#define TABLE_DONE U32_MAX

/*
 * The pins go first: those of a private table may need its namespace,
 * which next_private() lets go.
 */
static void cursor_next_table(struct tcpstate_walk *w,
			      struct tcpstate_cursor *c)
{
	cursor_bucket_start(w, c);
	c->table = next_private(w) ? c->table + 1 : TABLE_DONE;
	c->bucket = 0;
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
		cursor_bucket_start(w, c);
		c->table = 1;
		c->bucket = 0;
	}
	while (c->table != TABLE_DONE) {
		h = c->table == 1 ? w->first : net_hashinfo(w->net);
		ret = walk_ehash(w, h, c, visit, arg);
		if (ret)
			return ret;
		cursor_next_table(w, c);
	}
	return 0;
}

/*
 * The counting walk is the batched walk with @fn run under the lock on
 * each matching socket instead of a reference taken. A chain of at most
 * SCAN entries is counted in one hold (count_short_chain()); a longer one
 * takes the general path, where each lock hold looks at most at SCAN
 * entries and the walk holds its places (the last TCPSTATE_WALK_PINS
 * entries of the hold, referenced) between holds, so no chain a user can
 * make long holds a lock for longer. The visit function is never called.
 */
void tcpstate_walk_locked(struct tcpstate_walk *w, tcpstate_count_fn fn,
			  void *arg)
{
	struct tcpstate_cursor c = {};

	w->count = fn;
	w->count_arg = arg;
	tcpstate_walk(w, &c, NULL, NULL);
	w->count = NULL;
	w->count_arg = NULL;
}
