// SPDX-License-Identifier: GPL-2.0
/*
 * Recording when each TCP socket entered its state.
 *
 * Source of truth: the sock:inet_sock_set_state tracepoint, which fires on
 * every TCP state change (tcp_set_state, the SYN_RECV child clone, listen).
 * It is not exported, so it is found with for_each_kernel_tracepoint(). If
 * it is missing (or track_kprobe=1) a kprobe on tcp_set_state stands in; it
 * misses the listen and clone transitions, which then get lower bounds.
 *
 * Two bounded tables:
 *  - full sockets, keyed by socket pointer: state and entry time. An entry
 *    dies when the socket reaches TCP_CLOSE or is destroyed (the
 *    tcp:tcp_destroy_sock tracepoint catches any path that skips CLOSE).
 *  - TIME_WAIT records, keyed by namespace and 4-tuple: a socket closing
 *    from FIN_WAIT1/FIN_WAIT2/CLOSING becomes a separate timewait socket,
 *    and an orphaned FIN_WAIT2 socket lives on as a timewait socket with
 *    substate FIN_WAIT2. The record keeps when FIN_WAIT2 began. Records
 *    expire after TW_RECORD_LIFE; the table is split in shards, each
 *    with its own lock, oldest-first list and share of tw_max, and the
 *    oldest record of a full shard is evicted. The full socket's entry
 *    becomes its record in place (one object, one cache): no allocation
 *    and no free on the busiest close path, the active closer's change to
 *    TCP_CLOSE.
 *
 * A TIME_WAIT substate socket needs no record: its timer was armed with
 * TCP_TIMEWAIT_LEN on entry, so its age is TCP_TIMEWAIT_LEN - remaining.
 * A request socket's age is the time since its first SYN-ACK.
 *
 * A socket with no usable entry entered its state before the module loaded
 * or while a table was full or the reserve of free objects empty: its age
 * is reported as a lower bound, the time since the later of module load
 * and the last missed record (counted in the stats' track_full).
 *
 * Entry times are jiffies: reading a clocksource on every state change of
 * every TCP socket costs more than its precision is worth here (4 ms at
 * HZ=250 for ages measured in seconds). Counters bumped on every state
 * change are per CPU, so that busy hosts do not bounce one cache line.
 *
 * Locking and memory: see "Locks, and what the probes may do" below.
 */
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/kprobes.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/cred.h>
#include <linux/percpu_counter.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/inet_timewait_sock.h>
#include <net/ipv6.h>
#include <net/request_sock.h>
#include <net/tcp.h>

#include "tcpstate.h"
#include "owners.h"
#include "track.h"

static unsigned int track_max = 262144;
module_param(track_max, uint, 0444);
MODULE_PARM_DESC(track_max,
		 "Most sockets with a recorded state-entry time (default 262144)");

static unsigned int tw_max = 131072;
module_param(tw_max, uint, 0444);
MODULE_PARM_DESC(tw_max,
		 "Most TIME_WAIT records kept (default 131072)");

static bool track = true;
module_param(track, bool, 0444);
MODULE_PARM_DESC(track,
		 "Record state-entry times (default on; off: every age is a lower bound)");

static bool track_kprobe;
module_param(track_kprobe, bool, 0444);
MODULE_PARM_DESC(track_kprobe,
		 "Record state changes with a kprobe on tcp_set_state instead of the tracepoint");

/* Longest a timewait socket can outlive its full socket, with margin. */
#define TW_RECORD_LIFE (300 * HZ)
#define TW_PURGE_INTERVAL (30 * HZ)
/* Records the purge frees per hold of a shard's lock. */
#define TW_PURGE_BATCH 32

/*
 * Locks, and what the probes may do.
 *
 * The probes (the sock:inet_sock_set_state and tcp:tcp_destroy_sock
 * tracepoints, the tcp_set_state kprobe fallback, and events.c's close
 * hook calling tcpstate_track_closed()) run with preemption disabled (an
 * int3 kprobe with interrupts off too), in process and softirq context.
 * On PREEMPT_RT a spinlock_t is a sleeping lock, and the slab allocator
 * may take one both to allocate (a new slab page) and to free (a partial
 * list): neither is allowed there. The rules below hold on every kernel,
 * so that the code the rt kernels run is the code tested everywhere:
 *
 *  - the locks are raw_spinlock_t: sk_table's bucket locks, the TIME_WAIT
 *    shards' locks and pool.lock. They are taken with irqsave (a softirq
 *    may change a state while process context on the same CPU holds one),
 *    and each hold is a constant amount of work: one hash chain (buckets
 *    are sized to a few entries each), one record unlinked and one
 *    inserted, or at most POOL_BATCH or TW_PURGE_BATCH objects moved.
 *    Order: a bucket lock, then pool.lock (a new entry takes an object),
 *    then the workqueue's own raw locks (pool_kick()); nothing else nests
 *    inside them. They nest inside the ehash bucket locks (spinlock_t)
 *    the walks hold when they ask for an age or a closer, which RT allows
 *    (the reverse it does not). Without PREEMPT_RT, raw_spinlock_t and
 *    spinlock_t are the same lock.
 *  - no probe allocates or frees memory: objects come from the per-CPU
 *    stash, refilled from the pool, which pool_work refills from the slab
 *    (GFP_KERNEL, in process context, on an unbound workqueue) and trims.
 *    When both are empty, on PREEMPT_RT the socket is not tracked:
 *    note_miss() counts it (track_full) and its age is a lower bound, as
 *    for a socket older than the module; without PREEMPT_RT, where it is
 *    allowed, obj_alloc() falls back to GFP_ATOMIC, so that a burst
 *    faster than the refill does not untrack the host's sockets. A freed
 *    object goes back to the stash or the pool; one holding the last
 *    reference to its closer's struct pid (put_pid() would free the pid)
 *    goes to pool_work on the lockless list "deferred". Only the KASAN
 *    debug kernel (not RT) frees in probes: see FREE_AT_ONCE.
 *  - the per-CPU stash is used under local_irq_save(), not a local_lock_t:
 *    on PREEMPT_RT a local_lock_t is a per-CPU spinlock_t, which the
 *    probes cannot take, while local_irq_save() disables interrupts, and
 *    with them preemption and migration, on every kernel. Inside it only
 *    pool.lock is taken.
 *  - the TIME_WAIT purge and module exit run in process context: they
 *    free to the slab directly, outside every lock, and drop a shard's
 *    lock after each TW_PURGE_BATCH records.
 *
 * This is the one place that says which of the module's locks differ
 * between PREEMPT_RT and other kernels, and why; the raw locks' code
 * points here. The locks the module takes:
 *
 *   lock                      type             taken from
 *   sk_table bucket locks     raw_spinlock_t   probes, walks (here)
 *   tw_shards[].lock          raw_spinlock_t   probes, purge (here)
 *   pool.lock                 raw_spinlock_t   probes, pool_work (here)
 *   evbatch per-CPU lock      raw_spinlock_t   close-event probe, timer,
 *                                              worker (evbatch.c)
 *   evbuf_reserve_lock        raw_spinlock_t   inside the per-CPU lock, or
 *                                              alone from the worker
 *   budget_lock               spinlock_t       dump setup and end, process
 *                                              context only (budget.c)
 *   the kernel's locks:
 *   ehash bucket locks,       spinlock_t       process context: the walks
 *   lhash2 ilb->lock,         (rt_mutex-based  (sockwalk.c) take the
 *   rskq_lock, task_lock,     sleeping locks   bucket locks, the owner
 *   files->file_lock,         on PREEMPT_RT)   scan (owners.c) the others,
 *   sk_callback_lock (rw)                      sockfill.c sk_callback_lock
 *   net_rwsem (rw semaphore)  sleeps           all-netns walks (sockwalk.c)
 *
 * The raw locks of this file nest inside the ehash and lhash2 bucket
 * locks (a counting walk asks for an age under them), never the reverse.
 *
 * A raw_spinlock_t is used exactly where a probe, a timer or the events'
 * hot path takes the lock: there preemption is off, and on PREEMPT_RT a
 * spinlock_t (an rt_mutex) may sleep. Everything else uses the ordinary
 * kinds, which on PREEMPT_RT are preemptible and so cost the host no
 * latency. On kernels without PREEMPT_RT both kinds are the same
 * spinning lock and the code paths are identical: the rt kernels run the
 * code tested everywhere (70-rt-churn on Debian's rt kernels, and
 * make check-debug-rt with DEBUG_ATOMIC_SLEEP and lockdep's raw-lock
 * nesting check).
 */
struct track_bucket {
	raw_spinlock_t lock;
	struct hlist_head head;
};

struct tw_key {
	const struct net *net;
	struct in6_addr saddr;	/* IPv4 v4-mapped */
	struct in6_addr daddr;
	u16 sport;
	u16 dport;
	u16 family;
};

/*
 * A full socket's entry (in sk_table) or, once that socket has gone to
 * TIME_WAIT, its timewait record (in tw_table, on its shard's lru): the same
 * object, converted in place by tw_remember().
 */
struct track_entry {
	union {
		struct hlist_node node;
		struct track_entry *next_free;	/* in a stash or the pool */
		struct llist_node dnode;	/* on "deferred" */
	};
	struct tcpstate_closer closer;	/* .pid NULL: no close() seen */
	union {
		struct {		/* full socket */
			const struct sock *sk;
			u64 entered;	/* jiffies_64 */
			u8 state;
		};
		struct {		/* timewait record */
			struct list_head lru;	/* oldest first */
			struct tw_key key;
			u64 created;		/* jiffies_64 */
			u64 fw2_entered;	/* jiffies_64, 0: unknown */
		};
	};
};

static struct track_bucket *sk_table;
static unsigned int sk_bits;
static struct kmem_cache *entry_cache;

/*
 * Free objects kept per CPU for the next socket. Every TCP socket takes
 * an entry and gives it back within its life, thousands of times a second
 * on a busy host: SLUB's allocation and free, hooks and all, were ~170 of
 * the ~450 instructions that creating and removing an entry cost (timed
 * in the guest under -icount; bench/run.sh events-cost and events-insn
 * have the effect on a connection). A stash is used with interrupts off;
 * it holds at most STASH_MAX objects, beyond that POOL_BATCH of them go
 * back to the pool. Under KASAN (the debug lane, never a PREEMPT_RT
 * kernel) frees go straight to the allocator, which then catches a use
 * after free.
 */
#define FREE_AT_ONCE (IS_ENABLED(CONFIG_KASAN) && !IS_ENABLED(CONFIG_PREEMPT_RT))
#define STASH_MAX (FREE_AT_ONCE ? 0 : 32)

struct obj_stash {
	struct track_entry *head;
	unsigned int n;
};

static DEFINE_PER_CPU(struct obj_stash, obj_stash);
static struct percpu_counter n_entries;

/*
 * The reserve the probes take objects from (see "Locks" above). pool_work
 * keeps it at pool_target objects, starting at POOL_MIN: refilled when it
 * falls below half, trimmed when it grows past twice (frees from other
 * CPUs' stashes). A probe that finds it empty doubles the target, up to
 * POOL_MAX (about 2 MB), so that a host whose bursts outrun the refill
 * misses fewer of them the next time.
 */
#define POOL_BATCH 16
#define POOL_MIN 1024
#define POOL_MAX 16384

static struct {
	raw_spinlock_t lock;
	struct track_entry *head;
	unsigned int n;		/* written under lock, read racily */
} pool = { .lock = __RAW_SPIN_LOCK_UNLOCKED(pool.lock) };
static unsigned int pool_target = POOL_MIN;
static bool pool_dry;
static LLIST_HEAD(deferred);
static void pool_work_fn(struct work_struct *work);
static DECLARE_WORK(pool_work, pool_work_fn);

/*
 * TIME_WAIT records: 1 << tw_bits hash buckets, bucket i in shard
 * i & tw_shard_mask. A shard's lock covers its buckets, its oldest-first
 * list and count; it holds at most tw_shard_max records (tw_max spread
 * over the shards, rounded up), so eviction is oldest-first per shard.
 * The seeded hash spreads any set of connections evenly over them.
 */
struct tw_shard {
	raw_spinlock_t lock;
	struct list_head lru;	/* oldest first */
	unsigned int n;		/* written under lock, read racily */
} ____cacheline_aligned_in_smp;

static struct tw_shard *tw_shards;
static unsigned int tw_shard_mask, tw_shard_max;
static struct hlist_head *tw_table;
static unsigned int tw_bits;
static void tw_purge_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(tw_purge, tw_purge_work);

static DEFINE_PER_CPU(u64, n_transitions);
static atomic64_t n_full = ATOMIC64_INIT(0);
/* jiffies_64 of the module load and of the latest record we lost. */
static u64 load_time;
static atomic64_t last_miss = ATOMIC64_INIT(0);

static struct tracepoint *tp_set_state;
static struct tracepoint *tp_destroy;
static bool tp_set_state_on, tp_destroy_on, kp_on;

static void note_miss(void)
{
	atomic64_inc(&n_full);
	atomic64_set(&last_miss, get_jiffies_64());
}

static struct track_bucket *sk_bucket(const struct sock *sk)
{
	return &sk_table[hash_ptr(sk, sk_bits)];
}

static struct track_entry *sk_find(struct track_bucket *b,
				   const struct sock *sk)
{
	struct track_entry *e;

	hlist_for_each_entry(e, &b->head, node)
		if (e->sk == sk)
			return e;
	return NULL;
}

/*
 * The cache's constructor: a free object has no closer. It is also what
 * spares every allocation the zeroing Debian's kernels do by default
 * (init_on_alloc skips caches with a constructor): sk_record() and
 * tw_remember() write every field before it is read. Timed under
 * -icount, the zeroing was ~50 of the ~260 instructions a new entry took.
 */
static void entry_ctor(void *obj)
{
	struct track_entry *e = obj;

	e->closer.pid = NULL;
}

static void pool_kick(void)
{
	/*
	 * queue_work() takes only raw locks: callable from the probes. Not
	 * on this CPU: the one a connection burst keeps busy in softirq
	 * (on PREEMPT_RT a FIFO irq thread) would starve the refill.
	 */
	if (!work_pending(&pool_work))
		queue_work(system_unbound_wq, &pool_work);
}

/*
 * Move up to POOL_BATCH objects from the pool to @st, the current CPU's
 * stash; interrupts are off.
 */
static void stash_refill(struct obj_stash *st)
{
	struct track_entry *e, *last = NULL;
	unsigned int got = 0;

	raw_spin_lock(&pool.lock);
	for (e = pool.head; e && got < POOL_BATCH; e = e->next_free) {
		last = e;
		got++;
	}
	if (last) {
		st->head = pool.head;
		pool.head = last->next_free;
		last->next_free = NULL;
		st->n = got;
		WRITE_ONCE(pool.n, pool.n - got);
	}
	raw_spin_unlock(&pool.lock);
}

/* A free object, NULL if the reserve is empty. Any context: never allocates. */
static struct track_entry *obj_alloc(void)
{
	struct track_entry *e;
	struct obj_stash *st;
	unsigned long flags;

	local_irq_save(flags);
	st = this_cpu_ptr(&obj_stash);
	if (!st->head)
		stash_refill(st);
	e = st->head;
	if (e) {
		st->head = e->next_free;
		st->n--;
	}
	local_irq_restore(flags);
	if (!e && !READ_ONCE(pool_dry))
		WRITE_ONCE(pool_dry, true);
	if (READ_ONCE(pool.n) < READ_ONCE(pool_target) / 2)
		pool_kick();
	/*
	 * Reserve empty. Without PREEMPT_RT a GFP_ATOMIC allocation is
	 * allowed here, as before the reserve existed: a burst of
	 * connections faster than the worker refills must not leave every
	 * new socket of the host untracked. On RT it is not (the slab may
	 * take a sleeping lock): the socket goes untracked, counted.
	 */
	if (!e && !IS_ENABLED(CONFIG_PREEMPT_RT))
		e = kmem_cache_alloc(entry_cache, GFP_ATOMIC | __GFP_NOWARN);
	return e;
}

/*
 * Give @st's first POOL_BATCH objects back to the pool (the stash holds
 * more than STASH_MAX); interrupts are off.
 */
static void stash_spill(struct obj_stash *st)
{
	struct track_entry *first = st->head, *last = first;
	unsigned int i;

	for (i = 1; i < POOL_BATCH && last->next_free; i++)
		last = last->next_free;
	st->head = last->next_free;
	st->n -= i;
	raw_spin_lock(&pool.lock);
	last->next_free = pool.head;
	pool.head = first;
	WRITE_ONCE(pool.n, pool.n + i);
	raw_spin_unlock(&pool.lock);
}

/*
 * A full socket's entry or a timewait record, unlinked. Any context: it
 * goes back to the stash or the pool; see "Locks" for the closer's pid.
 */
static void obj_free(struct track_entry *e)
{
	struct pid *pid = e->closer.pid;
	struct obj_stash *st;
	unsigned long flags;

	tcpstate_obj_put();
	if (FREE_AT_ONCE) {
		put_pid(pid);
		e->closer.pid = NULL;
		kmem_cache_free(entry_cache, e);
		return;
	}
	if (pid) {
		/* Not the last reference: put_pid() would only do this. */
		if (!refcount_dec_not_one(&pid->count)) {
			if (llist_add(&e->dnode, &deferred))
				pool_kick();
			return;
		}
		e->closer.pid = NULL;	/* constructed state, for the next user */
	}
	local_irq_save(flags);
	st = this_cpu_ptr(&obj_stash);
	e->next_free = st->head;
	st->head = e;
	if (++st->n > STASH_MAX)
		stash_spill(st);
	local_irq_restore(flags);
	if (READ_ONCE(pool.n) > 2 * READ_ONCE(pool_target))
		pool_kick();
}

/* Process context, no lock held: straight back to the slab. */
static void obj_free_now(struct track_entry *e)
{
	put_pid(e->closer.pid);
	e->closer.pid = NULL;
	tcpstate_obj_put();
	kmem_cache_free(entry_cache, e);
}

/* Fill the pool up to pool_target, POOL_BATCH objects per lock hold. */
static void pool_refill(void)
{
	struct track_entry *e, *head, *tail;
	unsigned long flags;
	unsigned int got;

	while (READ_ONCE(pool.n) < READ_ONCE(pool_target)) {
		head = tail = NULL;
		for (got = 0; got < POOL_BATCH; got++) {
			e = kmem_cache_alloc(entry_cache, GFP_KERNEL | __GFP_NOWARN);
			if (!e)
				break;
			e->next_free = head;
			head = e;
			if (!tail)
				tail = e;
		}
		if (!head)
			return;
		raw_spin_lock_irqsave(&pool.lock, flags);
		tail->next_free = pool.head;
		pool.head = head;
		WRITE_ONCE(pool.n, pool.n + got);
		raw_spin_unlock_irqrestore(&pool.lock, flags);
		if (got < POOL_BATCH)
			return;
		cond_resched();
	}
}

/*
 * Take up to POOL_BATCH objects off the pool (all: @all). Taking all of
 * them detaches the list without walking it: up to POOL_MAX objects must
 * not be counted with interrupts off.
 */
static struct track_entry *pool_take(bool all)
{
	struct track_entry *head, *last = NULL, *e;
	unsigned long flags;
	unsigned int got = 0;

	raw_spin_lock_irqsave(&pool.lock, flags);
	head = pool.head;
	if (all) {
		pool.head = NULL;
		WRITE_ONCE(pool.n, 0);
		raw_spin_unlock_irqrestore(&pool.lock, flags);
		return head;
	}
	for (e = head; e && got < POOL_BATCH; e = e->next_free) {
		last = e;
		got++;
	}
	if (last) {
		pool.head = last->next_free;
		last->next_free = NULL;
		WRITE_ONCE(pool.n, pool.n - got);
	}
	raw_spin_unlock_irqrestore(&pool.lock, flags);
	return last ? head : NULL;
}

static void free_chain(struct track_entry *e)
{
	struct track_entry *next;

	for (; e; e = next) {
		next = e->next_free;
		kmem_cache_free(entry_cache, e);
	}
}

static void pool_work_fn(struct work_struct *work)
{
	struct llist_node *dead = llist_del_all(&deferred);
	struct track_entry *e, *tmp;
	unsigned int target, n = 0;

	/* Last references to closers' pids, which the probes cannot put. */
	llist_for_each_entry_safe(e, tmp, dead, dnode) {
		put_pid(e->closer.pid);
		e->closer.pid = NULL;
		kmem_cache_free(entry_cache, e);
		if (!(++n % 64))
			cond_resched();	/* a user can make the list long */
	}
	target = READ_ONCE(pool_target);
	if (READ_ONCE(pool_dry) && target < POOL_MAX) {
		WRITE_ONCE(pool_target, target * 2);
		WRITE_ONCE(pool_dry, false);
	}
	pool_refill();
	while (READ_ONCE(pool.n) > 2 * READ_ONCE(pool_target)) {
		free_chain(pool_take(false));
		cond_resched();
	}
}

/* Once nothing can allocate or free: the reserve goes back to the cache. */
static void stash_drain(void)
{
	struct llist_node *dead = llist_del_all(&deferred);
	struct track_entry *e, *tmp;
	int cpu;

	llist_for_each_entry_safe(e, tmp, dead, dnode) {
		put_pid(e->closer.pid);
		e->closer.pid = NULL;
		kmem_cache_free(entry_cache, e);
	}
	for_each_possible_cpu(cpu) {
		struct obj_stash *st = per_cpu_ptr(&obj_stash, cpu);

		free_chain(st->head);
		st->head = NULL;
		st->n = 0;
	}
	free_chain(pool_take(true));
}

static void entry_free(struct track_entry *e)
{
	percpu_counter_dec(&n_entries);
	obj_free(e);
}

/* Unlink @sk's entry and hand it to the caller (NULL: none). */
static struct track_entry *sk_take(const struct sock *sk)
{
	struct track_bucket *b = sk_bucket(sk);
	struct track_entry *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	e = sk_find(b, sk);
	if (e)
		hlist_del(&e->node);
	raw_spin_unlock_irqrestore(&b->lock, flags);
	return e;
}

static void sk_record(const struct sock *sk, int state, u64 now)
{
	struct track_bucket *b = sk_bucket(sk);
	struct track_entry *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	e = sk_find(b, sk);
	if (!e) {
		/* Approximate (per-CPU batches), which is all a bound needs. */
		if (percpu_counter_read(&n_entries) >= (s64)track_max) {
			raw_spin_unlock_irqrestore(&b->lock, flags);
			note_miss();
			return;
		}
		e = obj_alloc();
		if (!e) {
			raw_spin_unlock_irqrestore(&b->lock, flags);
			note_miss();
			return;
		}
		percpu_counter_inc(&n_entries);
		tcpstate_obj_get();
		e->sk = sk;	/* closer.pid is NULL: entry_ctor() */
		hlist_add_head(&e->node, &b->head);
	}
	e->state = state;
	e->entered = now;
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/*
 * The key of a full socket closing into TIME_WAIT, or of the timewait
 * socket itself. The local port comes from inet_sport/tw_sport: by the time
 * the CLOSE transition fires, tcp_set_state() has already called
 * inet_put_port(), which zeroes inet_num.
 */
static void tw_key_of(const struct sock *sk, struct tw_key *k)
{
	__be16 sport;

	if (sk->sk_state == TCP_TIME_WAIT)
		sport = inet_twsk(sk)->tw_sport;
	else
		sport = inet_sk(sk)->inet_sport;
	k->net = sock_net(sk);
	k->family = sk->sk_family;
	k->sport = ntohs(sport);
	k->dport = ntohs(sk->sk_dport);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		k->saddr = sk->sk_v6_rcv_saddr;
		k->daddr = sk->sk_v6_daddr;
		return;
	}
#endif
	ipv6_addr_set_v4mapped(sk->sk_rcv_saddr, &k->saddr);
	ipv6_addr_set_v4mapped(sk->sk_daddr, &k->daddr);
}

/*
 * Remote peers choose half of the key: the hash is seeded, as the kernel's
 * own established hash is (inet_ehashfn, inet6_ehashfn: the remote IPv6
 * address hashed whole, the local one folded), so that they cannot aim
 * their connections at one chain.
 */
static u32 tw_seed __read_mostly;

/* @k's bucket, and in *@shard the shard whose lock covers it. */
static struct hlist_head *tw_head(const struct tw_key *k,
				  struct tw_shard **shard)
{
	u32 ports = (u32)k->sport << 16 | k->dport;
	u32 seed = tw_seed ^ net_hash_mix(k->net);
	u32 h;

	if (k->family == AF_INET)
		h = jhash_3words((__force u32)k->saddr.s6_addr32[3],
				 (__force u32)k->daddr.s6_addr32[3],
				 ports, seed);
	else
		h = jhash_3words(ipv6_addr_hash(&k->saddr),
				 __ipv6_addr_jhash(&k->daddr, tw_seed),
				 ports, seed);
	h &= (1U << tw_bits) - 1;
	*shard = &tw_shards[h & tw_shard_mask];
	return &tw_table[h];
}

static bool tw_key_equal(const struct tw_key *a, const struct tw_key *b)
{
	return a->net == b->net && a->sport == b->sport &&
	       a->dport == b->dport && a->family == b->family &&
	       ipv6_addr_equal(&a->daddr, &b->daddr) &&
	       ipv6_addr_equal(&a->saddr, &b->saddr);
}

/* Under its shard's lock; @head is tw_head(@k), computed by the caller. */
static struct track_entry *tw_find(struct hlist_head *head,
				   const struct tw_key *k)
{
	struct track_entry *r;

	hlist_for_each_entry(r, head, node)
		if (tw_key_equal(&r->key, k))
			return r;
	return NULL;
}

/* Under @s->lock; the caller frees outside the lock. */
static void tw_unlink(struct tw_shard *s, struct track_entry *r)
{
	hlist_del(&r->node);
	list_del(&r->lru);
	WRITE_ONCE(s->n, s->n - 1);
}

/*
 * @sk is closing into TIME_WAIT. @e is its entry, already taken out of
 * sk_table (NULL: it had none), and becomes the timewait record, closer
 * included. Either way a record left by an earlier connection with the
 * same 4-tuple goes: it would give the new timewait socket a wrong age.
 */
static void tw_remember(struct track_entry *e, const struct sock *sk,
			u64 fw2_entered, u64 now)
{
	struct track_entry *old, *evicted = NULL;
	struct hlist_head *head;
	struct tw_shard *s;
	unsigned long flags;
	struct tw_key k;

	tw_key_of(sk, &k);
	head = tw_head(&k, &s);
	if (e) {
		/* Overwrites sk, entered and state: the caller has read them. */
		e->key = k;
		e->created = now;
		e->fw2_entered = fw2_entered;
	}

	raw_spin_lock_irqsave(&s->lock, flags);
	old = tw_find(head, &k);
	if (old)
		tw_unlink(s, old);
	if (e) {
		if (s->n >= tw_shard_max && !list_empty(&s->lru)) {
			evicted = list_first_entry(&s->lru, struct track_entry,
						   lru);
			tw_unlink(s, evicted);
		}
		hlist_add_head(&e->node, head);
		list_add_tail(&e->lru, &s->lru);
		WRITE_ONCE(s->n, s->n + 1);
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);

	if (old)
		obj_free(old);
	if (evicted) {
		/* Its timewait socket may still exist: its age is now unknown. */
		if (now - evicted->created < TW_RECORD_LIFE)
			note_miss();
		obj_free(evicted);
	}
}

/*
 * Unlink up to TW_PURGE_BATCH of @s's oldest records onto @dead: those
 * older than TW_RECORD_LIFE at @now (all: @all). Returns how many.
 */
static unsigned int tw_take_old(struct tw_shard *s, u64 now, bool all,
				struct list_head *dead)
{
	struct track_entry *r, *tmp;
	unsigned int got = 0;
	unsigned long flags;

	raw_spin_lock_irqsave(&s->lock, flags);
	list_for_each_entry_safe(r, tmp, &s->lru, lru) {
		if (got == TW_PURGE_BATCH ||
		    (!all && now - r->created < TW_RECORD_LIFE))
			break;
		hlist_del(&r->node);
		list_move_tail(&r->lru, dead);
		WRITE_ONCE(s->n, s->n - 1);
		got++;
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);
	return got;
}

/* Free @s's expired records (all: @all), batch by batch, outside its lock. */
static void tw_purge_shard(struct tw_shard *s, u64 now, bool all)
{
	struct track_entry *r, *tmp;
	unsigned int got;
	LIST_HEAD(dead);

	do {
		got = tw_take_old(s, now, all, &dead);
		list_for_each_entry_safe(r, tmp, &dead, lru)
			obj_free_now(r);
		INIT_LIST_HEAD(&dead);
		cond_resched();
	} while (got == TW_PURGE_BATCH);
}

static void tw_purge_work(struct work_struct *work)
{
	u64 now = get_jiffies_64();
	unsigned int i;

	for (i = 0; i <= tw_shard_mask; i++)
		tw_purge_shard(&tw_shards[i], now, false);
	schedule_delayed_work(&tw_purge, TW_PURGE_INTERVAL);
}

static bool is_tcp(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_TCP &&
	       (sk->sk_family == AF_INET || sk->sk_family == AF_INET6);
}

static void record_transition(const struct sock *sk, int oldstate,
			      int newstate)
{
	struct track_entry *e;
	u64 now, fw2 = 0;

	if (!is_tcp(sk) || oldstate == newstate)
		return;
	this_cpu_inc(n_transitions);
	now = get_jiffies_64();
	if (newstate != TCP_CLOSE) {
		sk_record(sk, newstate, now);
		return;
	}
	e = sk_take(sk);
	/* These are the states tcp_time_wait() hands over from. */
	if (oldstate != TCP_FIN_WAIT1 && oldstate != TCP_FIN_WAIT2 &&
	    oldstate != TCP_CLOSING) {
		if (e)
			entry_free(e);
		return;
	}
	if (e) {
		if (oldstate == TCP_FIN_WAIT2 && e->state == TCP_FIN_WAIT2)
			fw2 = e->entered;
		percpu_counter_dec(&n_entries);	/* now a record */
	}
	tw_remember(e, sk, fw2, now);
}

static void probe_set_state(void *data, const struct sock *sk,
			    const int oldstate, const int newstate)
{
	record_transition(sk, oldstate, newstate);
}

static void probe_destroy(void *data, struct sock *sk)
{
	/*
	 * Most sockets lost their entry at TCP_CLOSE already. A racy look at
	 * an empty bucket, without its lock, is safe: nothing can add an
	 * entry for a socket that is being destroyed, and one added for
	 * another socket is not ours. The race is intended: READ_ONCE()
	 * here, WRITE_ONCE() in hlist_add_head() and hlist_del().
	 */
	if (is_tcp(sk) && READ_ONCE(sk_bucket(sk)->head.first)) {
		struct track_entry *e = sk_take(sk);

		if (e)
			entry_free(e);
	}
}

static int kp_set_state_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	int state = (int)regs_get_kernel_argument(regs, 1);

	record_transition(sk, READ_ONCE(sk->sk_state), state);
	return 0;
}

static struct kprobe kp_set_state = {
	.symbol_name = "tcp_set_state",
	.pre_handler = kp_set_state_pre,
};

static void find_tracepoints(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "inet_sock_set_state"))
		tp_set_state = tp;
	else if (!strcmp(tp->name, "tcp_destroy_sock"))
		tp_destroy = tp;
}

int tcpstate_track_attach(void)
{
	int ret;

	if (!track) {
		pr_info("state tracking off (track=0): ages are lower bounds\n");
		return 0;
	}

	for_each_kernel_tracepoint(find_tracepoints, NULL);
	if (tp_destroy) {
		ret = tracepoint_probe_register(tp_destroy, probe_destroy, NULL);
		if (ret)
			pr_warn("cannot attach to tcp_destroy_sock: %d\n", ret);
		else
			tp_destroy_on = true;
	}
	if (tp_set_state && !track_kprobe) {
		ret = tracepoint_probe_register(tp_set_state, probe_set_state,
						NULL);
		if (!ret) {
			tp_set_state_on = true;
			return 0;
		}
		pr_warn("cannot attach to inet_sock_set_state: %d\n", ret);
	}
	ret = register_kprobe(&kp_set_state);
	if (ret) {
		pr_warn("no state tracking (kprobe tcp_set_state: %d): ages are lower bounds\n",
			ret);
		return ret;
	}
	kp_on = true;
	pr_info("tracking state changes with a kprobe on tcp_set_state\n");
	return 0;
}

void tcpstate_track_detach(void)
{
	if (kp_on)
		unregister_kprobe(&kp_set_state);
	if (tp_set_state_on)
		tracepoint_probe_unregister(tp_set_state, probe_set_state, NULL);
	if (tp_destroy_on)
		tracepoint_probe_unregister(tp_destroy, probe_destroy, NULL);
	/* No probe runs past this point: the tables can go. */
	if (tp_set_state_on || tp_destroy_on)
		tracepoint_synchronize_unregister();
	kp_on = tp_set_state_on = tp_destroy_on = false;
}

bool tcpstate_track_attached(void)
{
	return tp_set_state_on || kp_on;
}

static u64 lower_bound_ms(u64 now)
{
	u64 since = max_t(u64, load_time, atomic64_read(&last_miss));

	return jiffies64_to_msecs(now - since);
}

static void age_timewait(const struct sock *sk, int state, u64 now,
			 struct tcpstate_age *age)
{
	const struct inet_timewait_sock *tw = inet_twsk(sk);
	struct hlist_head *head;
	struct track_entry *r;
	struct tw_shard *s;
	unsigned long flags;
	struct tw_key k;
	u64 fw2 = 0;
	long left;

	if (state == TCP_TIME_WAIT) {
		left = (long)(READ_ONCE(tw->tw_timer.expires) - jiffies);
		left = clamp_t(long, left, 0, TCP_TIMEWAIT_LEN);
		age->ms = jiffies_to_msecs(TCP_TIMEWAIT_LEN - left);
		age->flags = TCPSTATE_AGE_F_TIMER;
		return;
	}
	tw_key_of(sk, &k);
	head = tw_head(&k, &s);
	raw_spin_lock_irqsave(&s->lock, flags);
	r = tw_find(head, &k);
	if (r)
		fw2 = r->fw2_entered;
	raw_spin_unlock_irqrestore(&s->lock, flags);
	if (fw2 && fw2 <= now) {
		age->ms = jiffies64_to_msecs(now - fw2);
		age->flags = 0;
		return;
	}
	age->ms = lower_bound_ms(now);
	age->flags = TCPSTATE_AGE_F_LOWER_BOUND;
}

void tcpstate_sock_age(const struct sock *sk, int state,
		       struct tcpstate_age *age)
{
	u64 now = get_jiffies_64();
	struct track_bucket *b;
	struct track_entry *e;
	unsigned long flags;
	u64 entered = 0;

	if (sk->sk_state == TCP_TIME_WAIT) {
		age_timewait(sk, state, now, age);
		return;
	}
	if (sk->sk_state == TCP_NEW_SYN_RECV) {
		/* First SYN-ACK time, tcp_clock_us(): monotonic microseconds. */
		u64 sent_us = READ_ONCE(tcp_rsk(inet_reqsk((struct sock *)sk))->snt_synack);
		u64 now_us = div_u64(ktime_get_ns(), NSEC_PER_USEC);

		if (sent_us && sent_us <= now_us) {
			age->ms = div_u64(now_us - sent_us, USEC_PER_MSEC);
			age->flags = TCPSTATE_AGE_F_SYNACK;
			return;
		}
	} else {
		b = sk_bucket(sk);
		raw_spin_lock_irqsave(&b->lock, flags);
		e = sk_find(b, sk);
		if (e && e->state == state)
			entered = e->entered;
		raw_spin_unlock_irqrestore(&b->lock, flags);
		if (entered && entered <= now) {
			age->ms = jiffies64_to_msecs(now - entered);
			age->flags = 0;
			return;
		}
	}
	age->ms = lower_bound_ms(now);
	age->flags = TCPSTATE_AGE_F_LOWER_BOUND;
}

void tcpstate_track_closed(const struct sock *sk)
{
	struct track_bucket *b = sk_bucket(sk);
	const struct cred *cred = current_cred();
	struct track_entry *e;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	e = sk_find(b, sk);
	/*
	 * __tcp_close() runs once a socket: a closer already there stays,
	 * so that no pid is put here, in a probe (put_pid() may free).
	 */
	if (e && !e->closer.pid) {
		e->closer.pid = get_pid(task_tgid(current));
		e->closer.uid = cred->uid;
		e->closer.euid = cred->euid;
		e->closer.suid = cred->suid;
		e->closer.gid = cred->gid;
		e->closer.egid = cred->egid;
		e->closer.sgid = cred->sgid;
		e->closer.plain = tcpstate_closer_plain(cred);
		/* Lockless, as trace events read it. */
		memcpy(e->closer.comm, current->comm, sizeof(e->closer.comm));
		e->closer.comm[sizeof(e->closer.comm) - 1] = '\0';
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

bool tcpstate_track_closer(const struct sock *sk, struct tcpstate_closer *c)
{
	unsigned long flags;
	bool found = false;

	if (sk->sk_state == TCP_TIME_WAIT) {
		struct hlist_head *head;
		struct track_entry *r;
		struct tw_shard *s;
		struct tw_key k;

		tw_key_of(sk, &k);
		head = tw_head(&k, &s);
		raw_spin_lock_irqsave(&s->lock, flags);
		r = tw_find(head, &k);
		if (r && r->closer.pid) {
			*c = r->closer;
			get_pid(c->pid);
			found = true;
		}
		raw_spin_unlock_irqrestore(&s->lock, flags);
	} else {
		struct track_bucket *b = sk_bucket(sk);
		struct track_entry *e;

		raw_spin_lock_irqsave(&b->lock, flags);
		e = sk_find(b, sk);
		if (e && e->closer.pid) {
			*c = e->closer;
			get_pid(c->pid);
			found = true;
		}
		raw_spin_unlock_irqrestore(&b->lock, flags);
	}
	return found;
}

void tcpstate_track_get_stats(struct tcpstate_track_stats *st)
{
	unsigned int i;
	int cpu;

	st->entries = percpu_counter_sum_positive(&n_entries);
	st->capacity = track_max;
	st->full = atomic64_read(&n_full);
	st->transitions = 0;
	for_each_possible_cpu(cpu)
		st->transitions += per_cpu(n_transitions, cpu);
	/* A sum of counts read at different times, as n_entries is. */
	st->tw_records = 0;
	for (i = 0; i <= tw_shard_mask; i++)
		st->tw_records += READ_ONCE(tw_shards[i].n);
}

int tcpstate_track_init(void)
{
	unsigned int i;

	load_time = get_jiffies_64();
	tw_seed = get_random_u32();
	sk_bits = ilog2(roundup_pow_of_two(clamp_t(unsigned int, track_max / 4,
						   1024, 1U << 20)));
	tw_bits = ilog2(roundup_pow_of_two(clamp_t(unsigned int, tw_max / 4,
						   256, 1U << 18)));
	/* Enough shards that CPUs closing connections rarely meet. */
	tw_shard_mask = roundup_pow_of_two(clamp_t(unsigned int,
						   4 * num_possible_cpus(),
						   16, 256)) - 1;
	tw_shard_max = max(1U, DIV_ROUND_UP(tw_max, tw_shard_mask + 1));
	if (percpu_counter_init(&n_entries, 0, GFP_KERNEL))
		return -ENOMEM;
	/*
	 * Not SLAB_ACCOUNT: entries are taken by the reserve's worker and
	 * in softirq, for sockets of every user, so no memory cgroup asked
	 * for them; their number is capped host-wide by track_max and
	 * tw_max (load-time parameters) instead.
	 */
	entry_cache = kmem_cache_create("track_entry",
					sizeof(struct track_entry),
					__alignof__(struct track_entry), 0,
					entry_ctor);
	sk_table = kvcalloc(1U << sk_bits, sizeof(*sk_table), GFP_KERNEL);
	tw_table = kvcalloc(1U << tw_bits, sizeof(*tw_table), GFP_KERNEL);
	tw_shards = kcalloc(tw_shard_mask + 1, sizeof(*tw_shards), GFP_KERNEL);
	if (!entry_cache || !sk_table || !tw_table || !tw_shards) {
		kfree(tw_shards);
		kvfree(tw_table);
		kvfree(sk_table);
		kmem_cache_destroy(entry_cache);
		percpu_counter_destroy(&n_entries);
		return -ENOMEM;
	}
	for (i = 0; i < (1U << sk_bits); i++) {
		raw_spin_lock_init(&sk_table[i].lock);
		INIT_HLIST_HEAD(&sk_table[i].head);
	}
	for (i = 0; i < (1U << tw_bits); i++)
		INIT_HLIST_HEAD(&tw_table[i]);
	for (i = 0; i <= tw_shard_mask; i++) {
		raw_spin_lock_init(&tw_shards[i].lock);
		INIT_LIST_HEAD(&tw_shards[i].lru);
	}
	/* The probes' reserve; short of memory, they miss until refilled. */
	pool_refill();
	schedule_delayed_work(&tw_purge, TW_PURGE_INTERVAL);
	return 0;
}

/* After tcpstate_track_detach(): no probe can touch the tables. */
void tcpstate_track_exit(void)
{
	struct track_entry *e;
	struct hlist_node *tmp;
	unsigned int i;

	cancel_delayed_work_sync(&tw_purge);
	/* Nothing queues it any more: the probes are gone, the purge too. */
	cancel_work_sync(&pool_work);
	for (i = 0; i < (1U << sk_bits); i++) {
		hlist_for_each_entry_safe(e, tmp, &sk_table[i].head, node) {
			hlist_del(&e->node);
			percpu_counter_dec(&n_entries);
			obj_free_now(e);
		}
	}
	for (i = 0; i <= tw_shard_mask; i++)
		tw_purge_shard(&tw_shards[i], 0, true);
	stash_drain();
	kfree(tw_shards);
	kvfree(tw_table);
	kvfree(sk_table);
	kmem_cache_destroy(entry_cache);
	percpu_counter_destroy(&n_entries);
}
