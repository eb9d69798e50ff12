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
 *    expire after TW_RECORD_LIFE and the oldest is evicted when full.
 *    The full socket's entry becomes its record in place (one object, one
 *    cache): no allocation and no free on the busiest close path, the
 *    active closer's change to TCP_CLOSE.
 *
 * A TIME_WAIT substate socket needs no record: its timer was armed with
 * TCP_TIMEWAIT_LEN on entry, so its age is TCP_TIMEWAIT_LEN - remaining.
 * A request socket's age is the time since its first SYN-ACK.
 *
 * A socket with no usable entry entered its state before the module loaded
 * or while a table was full: its age is reported as a lower bound, the time
 * since the later of module load and the last missed record.
 *
 * Entry times are jiffies: reading a clocksource on every state change of
 * every TCP socket costs more than its precision is worth here (4 ms at
 * HZ=250 for ages measured in seconds). Counters bumped on every state
 * change are per CPU, so that busy hosts do not bounce one cache line.
 *
 * Locking: all table access is under the bucket (or record table) lock,
 * taken with irqsave because state changes happen in process and softirq
 * context. These locks are innermost: they nest inside ehash bucket locks
 * in the counting walk, and nothing is taken inside them.
 */
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/kprobes.h>
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

struct track_bucket {
	spinlock_t lock;
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
 * TIME_WAIT, its timewait record (in tw_table, on tw_lru): the same
 * object, converted in place by tw_remember().
 */
struct track_entry {
	union {
		struct hlist_node node;
		struct track_entry *next_free;	/* in a CPU's stash */
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
 * it holds at most STASH_MAX objects, the rest go back to the cache.
 * Under KASAN (the debug lane) there is none: every free reaches the
 * allocator, which then catches a use after free.
 */
#define STASH_MAX (IS_ENABLED(CONFIG_KASAN) ? 0 : 32)

struct obj_stash {
	struct track_entry *head;
	unsigned int n;
};

static DEFINE_PER_CPU(struct obj_stash, obj_stash);
static struct percpu_counter n_entries;

static DEFINE_SPINLOCK(tw_lock);
static struct hlist_head *tw_table;
static unsigned int tw_bits;
static LIST_HEAD(tw_lru);
static unsigned int n_tw;
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

/* A free object, NULL if there is no memory. Any context. */
static struct track_entry *obj_alloc(void)
{
	struct track_entry *e;
	struct obj_stash *st;
	unsigned long flags;

	local_irq_save(flags);
	st = this_cpu_ptr(&obj_stash);
	e = st->head;
	if (e) {
		st->head = e->next_free;
		st->n--;
	}
	local_irq_restore(flags);
	return e ?: kmem_cache_alloc(entry_cache, GFP_ATOMIC | __GFP_NOWARN);
}

/* A full socket's entry or a timewait record, unlinked. */
static void obj_free(struct track_entry *e)
{
	struct obj_stash *st;
	unsigned long flags;

	/* put_pid() is safe in any context (sk_destruct does it in softirq). */
	put_pid(e->closer.pid);
	e->closer.pid = NULL;	/* constructed state, for the next user */
	tcpstate_obj_put();
	local_irq_save(flags);
	st = this_cpu_ptr(&obj_stash);
	if (st->n < STASH_MAX) {
		e->next_free = st->head;
		st->head = e;
		st->n++;
		e = NULL;
	}
	local_irq_restore(flags);
	if (e)
		kmem_cache_free(entry_cache, e);
}

/* Once nothing can allocate or free: the stashes go back to the cache. */
static void stash_drain(void)
{
	struct track_entry *e;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct obj_stash *st = per_cpu_ptr(&obj_stash, cpu);

		while ((e = st->head)) {
			st->head = e->next_free;
			kmem_cache_free(entry_cache, e);
		}
		st->n = 0;
	}
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

	spin_lock_irqsave(&b->lock, flags);
	e = sk_find(b, sk);
	if (e)
		hlist_del(&e->node);
	spin_unlock_irqrestore(&b->lock, flags);
	return e;
}

static void sk_record(const struct sock *sk, int state, u64 now)
{
	struct track_bucket *b = sk_bucket(sk);
	struct track_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	e = sk_find(b, sk);
	if (!e) {
		/* Approximate (per-CPU batches), which is all a bound needs. */
		if (percpu_counter_read(&n_entries) >= (s64)track_max) {
			spin_unlock_irqrestore(&b->lock, flags);
			note_miss();
			return;
		}
		e = obj_alloc();
		if (!e) {
			spin_unlock_irqrestore(&b->lock, flags);
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
	spin_unlock_irqrestore(&b->lock, flags);
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

static struct hlist_head *tw_head(const struct tw_key *k)
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
	return &tw_table[h & ((1U << tw_bits) - 1)];
}

static bool tw_key_equal(const struct tw_key *a, const struct tw_key *b)
{
	return a->net == b->net && a->sport == b->sport &&
	       a->dport == b->dport && a->family == b->family &&
	       ipv6_addr_equal(&a->daddr, &b->daddr) &&
	       ipv6_addr_equal(&a->saddr, &b->saddr);
}

/* Under tw_lock; @head is tw_head(@k), computed once by the caller. */
static struct track_entry *tw_find(struct hlist_head *head,
				   const struct tw_key *k)
{
	struct track_entry *r;

	hlist_for_each_entry(r, head, node)
		if (tw_key_equal(&r->key, k))
			return r;
	return NULL;
}

/* Under tw_lock; the caller frees outside the lock. */
static void tw_unlink(struct track_entry *r)
{
	hlist_del(&r->node);
	list_del(&r->lru);
	n_tw--;
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
	unsigned long flags;
	struct tw_key k;

	tw_key_of(sk, &k);
	head = tw_head(&k);
	if (e) {
		/* Overwrites sk, entered and state: the caller has read them. */
		e->key = k;
		e->created = now;
		e->fw2_entered = fw2_entered;
	}

	spin_lock_irqsave(&tw_lock, flags);
	old = tw_find(head, &k);
	if (old)
		tw_unlink(old);
	if (e) {
		if (n_tw >= tw_max && !list_empty(&tw_lru)) {
			evicted = list_first_entry(&tw_lru, struct track_entry,
						   lru);
			tw_unlink(evicted);
		}
		hlist_add_head(&e->node, head);
		list_add_tail(&e->lru, &tw_lru);
		n_tw++;
	}
	spin_unlock_irqrestore(&tw_lock, flags);

	if (old)
		obj_free(old);
	if (evicted) {
		/* Its timewait socket may still exist: its age is now unknown. */
		if (now - evicted->created < TW_RECORD_LIFE)
			note_miss();
		obj_free(evicted);
	}
}

static void tw_purge_work(struct work_struct *work)
{
	u64 now = get_jiffies_64();
	struct track_entry *r, *tmp;
	unsigned long flags;
	LIST_HEAD(dead);

	spin_lock_irqsave(&tw_lock, flags);
	list_for_each_entry_safe(r, tmp, &tw_lru, lru) {
		if (now - r->created < TW_RECORD_LIFE)
			break;
		hlist_del(&r->node);
		list_move(&r->lru, &dead);
		n_tw--;
	}
	spin_unlock_irqrestore(&tw_lock, flags);
	list_for_each_entry_safe(r, tmp, &dead, lru)
		obj_free(r);
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
	 * an empty bucket is safe: nothing can add an entry for a socket
	 * that is being destroyed.
	 */
	if (is_tcp(sk) && !hlist_empty(&sk_bucket(sk)->head)) {
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
	struct track_entry *r;
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
	spin_lock_irqsave(&tw_lock, flags);
	r = tw_find(tw_head(&k), &k);
	if (r)
		fw2 = r->fw2_entered;
	spin_unlock_irqrestore(&tw_lock, flags);
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
		spin_lock_irqsave(&b->lock, flags);
		e = sk_find(b, sk);
		if (e && e->state == state)
			entered = e->entered;
		spin_unlock_irqrestore(&b->lock, flags);
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
	struct pid *old = NULL;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	e = sk_find(b, sk);
	if (e) {
		old = e->closer.pid;
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
	spin_unlock_irqrestore(&b->lock, flags);
	put_pid(old);
}

bool tcpstate_track_closer(const struct sock *sk, struct tcpstate_closer *c)
{
	unsigned long flags;
	bool found = false;

	if (sk->sk_state == TCP_TIME_WAIT) {
		struct track_entry *r;
		struct tw_key k;

		tw_key_of(sk, &k);
		spin_lock_irqsave(&tw_lock, flags);
		r = tw_find(tw_head(&k), &k);
		if (r && r->closer.pid) {
			*c = r->closer;
			get_pid(c->pid);
			found = true;
		}
		spin_unlock_irqrestore(&tw_lock, flags);
	} else {
		struct track_bucket *b = sk_bucket(sk);
		struct track_entry *e;

		spin_lock_irqsave(&b->lock, flags);
		e = sk_find(b, sk);
		if (e && e->closer.pid) {
			*c = e->closer;
			get_pid(c->pid);
			found = true;
		}
		spin_unlock_irqrestore(&b->lock, flags);
	}
	return found;
}

void tcpstate_track_get_stats(struct tcpstate_track_stats *st)
{
	unsigned long flags;
	int cpu;

	st->entries = percpu_counter_sum_positive(&n_entries);
	st->capacity = track_max;
	st->full = atomic64_read(&n_full);
	st->transitions = 0;
	for_each_possible_cpu(cpu)
		st->transitions += per_cpu(n_transitions, cpu);
	spin_lock_irqsave(&tw_lock, flags);
	st->tw_records = n_tw;
	spin_unlock_irqrestore(&tw_lock, flags);
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
	if (percpu_counter_init(&n_entries, 0, GFP_KERNEL))
		return -ENOMEM;
	entry_cache = kmem_cache_create("track_entry",
					sizeof(struct track_entry),
					__alignof__(struct track_entry), 0,
					entry_ctor);
	sk_table = kvcalloc(1U << sk_bits, sizeof(*sk_table), GFP_KERNEL);
	tw_table = kvcalloc(1U << tw_bits, sizeof(*tw_table), GFP_KERNEL);
	if (!entry_cache || !sk_table || !tw_table) {
		kvfree(tw_table);
		kvfree(sk_table);
		kmem_cache_destroy(entry_cache);
		percpu_counter_destroy(&n_entries);
		return -ENOMEM;
	}
	for (i = 0; i < (1U << sk_bits); i++) {
		spin_lock_init(&sk_table[i].lock);
		INIT_HLIST_HEAD(&sk_table[i].head);
	}
	for (i = 0; i < (1U << tw_bits); i++)
		INIT_HLIST_HEAD(&tw_table[i]);
	schedule_delayed_work(&tw_purge, TW_PURGE_INTERVAL);
	return 0;
}

/* After tcpstate_track_detach(): no probe can touch the tables. */
void tcpstate_track_exit(void)
{
	struct track_entry *e, *r, *rtmp;
	struct hlist_node *tmp;
	unsigned int i;

	cancel_delayed_work_sync(&tw_purge);
	for (i = 0; i < (1U << sk_bits); i++) {
		hlist_for_each_entry_safe(e, tmp, &sk_table[i].head, node) {
			hlist_del(&e->node);
			entry_free(e);
		}
	}
	list_for_each_entry_safe(r, rtmp, &tw_lru, lru) {
		tw_unlink(r);
		obj_free(r);
	}
	stash_drain();
	kvfree(tw_table);
	kvfree(sk_table);
	kmem_cache_destroy(entry_cache);
	percpu_counter_destroy(&n_entries);
}
