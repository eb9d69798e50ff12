/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-ins for the kernel headers that module/filter.c, evbatch.c,
 * sockwalk.c and the functions taken out of owners.c include, so that
 * those sources compile unchanged in user space (tests/host/run.sh).
 * Every kernel header path they include is a one-line file next to this
 * one that includes it.
 *
 * What the module's logic depends on is the kernel's own code, copied
 * with its semantics: the hlist_nulls operations (include/linux/
 * list_nulls.h, rculist_nulls.h), ipv6_prefix_equal() and the v4-mapped
 * helpers (include/net/ipv6.h), hash_64() (include/linux/hash.h), the
 * sock_common field layout the walk compares (sk_portpair, sk_addrpair),
 * the strict netlink attribute checks that the filter's nested policy
 * relies on (lib/nlattr.c). The rest runs single-threaded: locks only
 * check that they are taken and released in pairs, per-CPU data is an
 * array indexed by shim_cpu, timers and work items run when a test says
 * so (shim_timers_fire(), shim_work_run()), and cond_resched() is where
 * a test changes the hash chains between two lock holds of a walk, as
 * another CPU would.
 */
#ifndef TCPSTATE_HOST_SHIM_H
#define TCPSTATE_HOST_SHIM_H

#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ---- linux/types.h, compiler.h, kconfig.h ---- */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s8 __s8;
typedef s16 __s16;
typedef s32 __s32;
typedef s64 __s64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef unsigned int gfp_t;
typedef s64 ktime_t;

/* The kernel's IS_ENABLED(): 1 for a config option defined as 1. */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define __is_defined(x) ___is_defined(x)
#define IS_ENABLED(option) __is_defined(option)
#define CONFIG_IPV6 1

#define __read_mostly
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) \
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define data_race(expr) (expr)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define rcu_assign_pointer(p, v) smp_store_release(&(p), (v))

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(nr) (1UL << (nr))
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#define U32_MAX ((u32)~0U)

#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a > _b ? _a : _b; })
#define min_t(type, a, b) min((type)(a), (type)(b))
#define max_t(type, a, b) max((type)(a), (type)(b))
#define max3(a, b, c) max(max(a, b), c)

static inline unsigned long __ffs(unsigned long word)
{
	return (unsigned long)__builtin_ctzl(word);
}

/* include/linux/log2.h, for the values the module passes (n > 0). */
#define ilog2(n) ((unsigned int)(63 - __builtin_clzll((unsigned long long)(n))))
#define roundup_pow_of_two(n) \
	((n) <= 1 ? 1UL : 1UL << (64 - __builtin_clzll((unsigned long long)(n) - 1)))

/* include/linux/hash.h, BITS_PER_LONG == 64. */
#define GOLDEN_RATIO_64 0x61C8864680B583EBull
static __always_inline u32 hash_64(u64 val, unsigned int bits)
{
	return val * GOLDEN_RATIO_64 >> (64 - bits);
}

#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }

#define htons(x) htobe16(x)
#define ntohs(x) be16toh(x)
#define htonl(x) htobe32(x)
#define ntohl(x) be32toh(x)
#define cpu_to_be64(x) htobe64(x)

/* A check the shim makes of how the module uses it: fails the run. */
void shim_bug(const char *file, int line, const char *what)
	__attribute__((noreturn));
#define SHIM_ASSERT(cond) \
	do { if (!(cond)) shim_bug(__FILE__, __LINE__, #cond); } while (0)

/* ---- atomics, refcount_t ---- */

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
#define ATOMIC_INIT(i) { (i) }

static inline int atomic_read(const atomic_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic_set(atomic_t *v, int i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline int atomic_add_return(int i, atomic_t *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_inc_return(atomic_t *v) { return atomic_add_return(1, v); }
static inline int atomic_dec_return(atomic_t *v) { return atomic_add_return(-1, v); }
static inline void atomic_inc(atomic_t *v) { atomic_add_return(1, v); }
static inline void atomic_dec(atomic_t *v) { atomic_add_return(-1, v); }
static inline s64 atomic64_read(const atomic64_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic64_set(atomic64_t *v, s64 i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline s64 atomic64_add_return(s64 i, atomic64_t *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic64_add(s64 i, atomic64_t *v) { atomic64_add_return(i, v); }
static inline void atomic64_inc(atomic64_t *v) { atomic64_add_return(1, v); }
static inline void atomic64_dec(atomic64_t *v) { atomic64_add_return(-1, v); }
static inline s64 atomic64_cmpxchg(atomic64_t *v, s64 old, s64 new)
{
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

typedef struct { atomic_t refs; } refcount_t;
static inline void refcount_set(refcount_t *r, int n) { atomic_set(&r->refs, n); }
static inline unsigned int refcount_read(const refcount_t *r) { return (unsigned int)atomic_read(&r->refs); }
static inline void refcount_inc(refcount_t *r)
{
	SHIM_ASSERT(atomic_inc_return(&r->refs) > 1);	/* no use after free */
}
static inline bool refcount_inc_not_zero(refcount_t *r)
{
	int old = atomic_read(&r->refs);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&r->refs.counter, &old, old + 1,
					      false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return true;
}
static inline bool refcount_dec_and_test(refcount_t *r)
{
	int n = atomic_dec_return(&r->refs);

	SHIM_ASSERT(n >= 0);	/* no put without a get */
	return n == 0;
}

/* ---- lists: include/linux/list.h, list_nulls.h, rculist_nulls.h ---- */

struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l) { l->next = l->prev = l; }
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}
static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&(pos)->member == (head))
#define list_prepare_entry(pos, head, member) \
	((pos) ? : list_entry(head, __typeof__(*(pos)), member))
#define list_for_each_entry_continue(pos, head, member) \
	for (pos = list_next_entry(pos, member); \
	     !list_entry_is_head(pos, head, member); \
	     pos = list_next_entry(pos, member))

struct hlist_nulls_head {
	struct hlist_nulls_node *first;
};

struct hlist_nulls_node {
	struct hlist_nulls_node *next, **pprev;
};
#define NULLS_MARKER(value) (1UL | (((long)value) << 1))
#define INIT_HLIST_NULLS_HEAD(ptr, nulls) \
	((ptr)->first = (struct hlist_nulls_node *) NULLS_MARKER(nulls))
#define hlist_nulls_entry(ptr, type, member) container_of(ptr, type, member)

static inline int is_a_nulls(const struct hlist_nulls_node *ptr)
{
	return ((unsigned long)ptr & 1);
}

static inline unsigned long get_nulls_value(const struct hlist_nulls_node *ptr)
{
	return ((unsigned long)ptr) >> 1;
}

static inline int hlist_nulls_unhashed(const struct hlist_nulls_node *h)
{
	return !h->pprev;
}

static inline int hlist_nulls_unhashed_lockless(const struct hlist_nulls_node *h)
{
	return !READ_ONCE(h->pprev);
}

static inline int hlist_nulls_empty(const struct hlist_nulls_head *h)
{
	return is_a_nulls(READ_ONCE(h->first));
}

static inline void __hlist_nulls_del(struct hlist_nulls_node *n)
{
	struct hlist_nulls_node *next = n->next;
	struct hlist_nulls_node **pprev = n->pprev;

	WRITE_ONCE(*pprev, next);
	if (!is_a_nulls(next))
		WRITE_ONCE(next->pprev, pprev);
}

/* Leaves n->next as it was: a reader standing on @n goes on from there. */
static inline void hlist_nulls_del_init_rcu(struct hlist_nulls_node *n)
{
	if (!hlist_nulls_unhashed(n)) {
		__hlist_nulls_del(n);
		WRITE_ONCE(n->pprev, NULL);
	}
}

static inline void hlist_nulls_add_head_rcu(struct hlist_nulls_node *n,
					    struct hlist_nulls_head *h)
{
	struct hlist_nulls_node *first = h->first;

	WRITE_ONCE(n->next, first);
	WRITE_ONCE(n->pprev, &h->first);
	rcu_assign_pointer(h->first, n);
	if (!is_a_nulls(first))
		WRITE_ONCE(first->pprev, &n->next);
}

static inline void hlist_nulls_add_tail_rcu(struct hlist_nulls_node *n,
					    struct hlist_nulls_head *h)
{
	struct hlist_nulls_node *i, *last = NULL;

	for (i = h->first; !is_a_nulls(i); i = i->next)
		last = i;

	if (last) {
		WRITE_ONCE(n->next, last->next);
		n->pprev = &last->next;
		rcu_assign_pointer(last->next, n);
	} else {
		hlist_nulls_add_head_rcu(n, h);
	}
}

static inline void hlist_nulls_replace_init_rcu(struct hlist_nulls_node *old,
						struct hlist_nulls_node *new)
{
	struct hlist_nulls_node *next = old->next;

	WRITE_ONCE(new->next, next);
	WRITE_ONCE(new->pprev, old->pprev);
	rcu_assign_pointer(*new->pprev, new);
	if (!is_a_nulls(next))
		WRITE_ONCE(next->pprev, &new->next);
	WRITE_ONCE(old->pprev, NULL);
}

/* ---- locks: single-threaded, so only their pairing is checked ---- */

typedef struct { int locked; } spinlock_t;
typedef spinlock_t raw_spinlock_t;
struct rw_semaphore { int readers; };
#define DEFINE_RAW_SPINLOCK(name) raw_spinlock_t name = { 0 }

/* Locks held right now, of all kinds (cond_resched() wants none). */
extern int shim_locks_held;

static inline void shim_lock(spinlock_t *l)
{
	SHIM_ASSERT(!l->locked);	/* would deadlock */
	l->locked = 1;
	shim_locks_held++;
}
static inline void shim_unlock(spinlock_t *l)
{
	SHIM_ASSERT(l->locked);
	l->locked = 0;
	shim_locks_held--;
}
#define spin_lock_init(l) ((l)->locked = 0)
#define raw_spin_lock_init(l) ((l)->locked = 0)
#define spin_lock(l) shim_lock(l)
#define spin_unlock(l) shim_unlock(l)
#define spin_lock_bh(l) shim_lock(l)
#define spin_unlock_bh(l) shim_unlock(l)
#define raw_spin_lock(l) shim_lock(l)
#define raw_spin_unlock(l) shim_unlock(l)
#define raw_spin_lock_irqsave(l, flags) \
	do { (flags) = 0; shim_lock(l); } while (0)
#define raw_spin_unlock_irqrestore(l, flags) \
	do { (void)(flags); shim_unlock(l); } while (0)
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
static inline void down_read(struct rw_semaphore *s) { s->readers++; shim_locks_held++; }
static inline void up_read(struct rw_semaphore *s) { s->readers--; shim_locks_held--; }

/* ---- sched, time, module parameters ---- */

#define TASK_COMM_LEN 16
#define TASK_INTERRUPTIBLE 1
struct task_struct { int state; };
extern struct task_struct shim_current;
#define current (&shim_current)
/* A test sets it to make a walk see a fatal signal. */
extern bool shim_fatal_signal;
static inline bool fatal_signal_pending(const struct task_struct *t)
{
	(void)t;
	return shim_fatal_signal;
}
#define set_current_state(s) (current->state = (s))
/* Where another CPU would change things between two lock holds. */
void cond_resched(void);
extern void (*shim_resched_hook)(void);

#define NSEC_PER_USEC 1000L
#define HRTIMER_MODE_REL 1
static inline ktime_t ns_to_ktime(u64 ns) { return (ktime_t)ns; }
int schedule_hrtimeout_range(ktime_t *expires, u64 delta, int mode);

extern unsigned long jiffies;

/*
 * module_param(): registered by name, for tests to read and set
 * (shim_param()). The trailing extern takes the macro's semicolon.
 */
void shim_param_register(const char *name, void *p, size_t size);
void *shim_param(const char *name);
#define module_param(name, type, perm) \
	__attribute__((constructor)) static void shim_param_##name(void) \
	{ shim_param_register(#name, &name, sizeof(name)); } \
	extern int shim_param_decl_##name
#define MODULE_PARM_DESC(name, desc) extern int shim_param_desc_##name

/* ---- slab: malloc, with one failure to inject ---- */

#define GFP_KERNEL 0u
#define GFP_ATOMIC 1u
#define GFP_KERNEL_ACCOUNT 2u
/* When > 0: that many allocations later (1: the next one) returns NULL. */
extern int shim_alloc_fail_in;
void *shim_alloc(size_t size, bool zero);
static inline void *kmalloc(size_t size, gfp_t gfp) { (void)gfp; return shim_alloc(size, false); }
static inline void *kzalloc(size_t size, gfp_t gfp) { (void)gfp; return shim_alloc(size, true); }
static inline void *kzalloc_node(size_t size, gfp_t gfp, int node) { (void)node; return kzalloc(size, gfp); }
static inline void kfree(const void *p) { free((void *)p); }
static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, gfp);
}
static inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size, gfp);
}
static inline void kvfree(const void *p) { free((void *)p); }

/* include/linux/sort.h: no stability is promised there either. */
typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);
void sort(void *base, size_t num, size_t size, cmp_func_t cmp, swap_func_t swap);
/* Calls of sort() so far, for tests of when it is needed. */
extern unsigned long shim_sort_calls;

/* ---- per-CPU data, timers, work ---- */

#define SHIM_MAX_CPUS 8
extern unsigned int shim_nr_cpus;	/* possible CPUs, <= SHIM_MAX_CPUS */
extern unsigned int shim_cpu;		/* the one "this" code runs on */
#define DEFINE_PER_CPU(type, name) __typeof__(type) name[SHIM_MAX_CPUS]
#define this_cpu_ptr(ptr) (&(*(ptr))[shim_cpu])
#define per_cpu_ptr(ptr, cpu) (&(*(ptr))[(cpu)])
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < (int)shim_nr_cpus; (cpu)++)
#define num_possible_cpus() shim_nr_cpus
#define cpu_to_node(cpu) ((void)(cpu), 0)

struct timer_list {
	void (*function)(struct timer_list *t);
	unsigned long expires;
	bool pending;
	bool shim_known;
	struct timer_list *shim_next;
};
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
		 unsigned int flags);
int mod_timer(struct timer_list *t, unsigned long expires);
int del_timer_sync(struct timer_list *t);
static inline int timer_pending(const struct timer_list *t) { return t->pending; }
#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*var), timer_fieldname)
/* Fire every pending timer; returns how many fired. */
int shim_timers_fire(void);

struct work_struct {
	void (*func)(struct work_struct *w);
	struct work_struct *shim_next;
	bool shim_pending;
};
struct workqueue_struct;
#define WQ_UNBOUND (1u << 1)
#define INIT_WORK(w, f) \
	do { (w)->func = (f); (w)->shim_next = NULL; (w)->shim_pending = false; } while (0)
struct workqueue_struct *alloc_workqueue(const char *name, unsigned int flags,
					 int max_active);
void destroy_workqueue(struct workqueue_struct *wq);
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
/* Run the work queued (and queued meanwhile); returns how many ran. */
int shim_work_run(void);
int shim_work_queued(void);

/* ---- in6, ipv6 helpers: include/net/ipv6.h ---- */

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define SOCK_STREAM 1

struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be16 u6_addr16[8];
		__be32 u6_addr32[4];
	} in6_u;
};
#define s6_addr in6_u.u6_addr8
#define s6_addr16 in6_u.u6_addr16
#define s6_addr32 in6_u.u6_addr32

static inline void ipv6_addr_set(struct in6_addr *addr, __be32 w1, __be32 w2,
				 __be32 w3, __be32 w4)
{
	addr->s6_addr32[0] = w1;
	addr->s6_addr32[1] = w2;
	addr->s6_addr32[2] = w3;
	addr->s6_addr32[3] = w4;
}

static inline void ipv6_addr_set_v4mapped(const __be32 addr,
					  struct in6_addr *v4mapped)
{
	ipv6_addr_set(v4mapped, 0, 0, htonl(0x0000FFFF), addr);
}

static inline bool ipv6_addr_equal(const struct in6_addr *a1,
				   const struct in6_addr *a2)
{
	return ((a1->s6_addr32[0] ^ a2->s6_addr32[0]) |
		(a1->s6_addr32[1] ^ a2->s6_addr32[1]) |
		(a1->s6_addr32[2] ^ a2->s6_addr32[2]) |
		(a1->s6_addr32[3] ^ a2->s6_addr32[3])) == 0;
}

/*
 * The x86-64 version (CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS): the halves
 * are read with memcpy, since struct in6_addr is only 4-byte aligned and
 * UBSan would flag the kernel's direct 64-bit loads.
 */
static inline bool __ipv6_prefix_equal64_half(const __be64 *a1,
					      const __be64 *a2,
					      unsigned int len)
{
	__be64 x, y;

	memcpy(&x, a1, sizeof(x));
	memcpy(&y, a2, sizeof(y));
	if (len && ((x ^ y) & cpu_to_be64((~0UL) << (64 - len))))
		return false;
	return true;
}

static inline bool ipv6_prefix_equal(const struct in6_addr *addr1,
				     const struct in6_addr *addr2,
				     unsigned int prefixlen)
{
	const __be64 *a1 = (const __be64 *)addr1;
	const __be64 *a2 = (const __be64 *)addr2;
	__be64 x, y;

	if (prefixlen >= 64) {
		memcpy(&x, a1, sizeof(x));
		memcpy(&y, a2, sizeof(y));
		if (x ^ y)
			return false;
		return __ipv6_prefix_equal64_half(a1 + 1, a2 + 1, prefixlen - 64);
	}
	return __ipv6_prefix_equal64_half(a1, a2, prefixlen);
}

/* ---- netlink attributes: include/net/netlink.h, lib/nlattr.c ---- */

struct nlattr {
	__u16 nla_len;
	__u16 nla_type;
};
#define NLA_F_NESTED (1 << 15)
#define NLA_F_NET_BYTEORDER (1 << 14)
#define NLA_TYPE_MASK ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)
#define NLA_ALIGNTO 4
#define NLA_ALIGN(len) (((len) + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1))
#define NLA_HDRLEN ((int)NLA_ALIGN(sizeof(struct nlattr)))

enum {
	NLA_UNSPEC,
	NLA_U8,
	NLA_U16,
	NLA_U32,
	NLA_U64,
	NLA_STRING,
	NLA_FLAG,
	NLA_MSECS,
	NLA_NESTED,
	NLA_NESTED_ARRAY,
	NLA_NUL_STRING,
	NLA_BINARY,
};
enum { NLA_VALIDATE_NONE, NLA_VALIDATE_MIN = 2 };

struct nla_policy {
	u8 type;
	u8 validation_type;
	u16 len;
	s64 min;
};
#define NLA_POLICY_MIN_LEN(_len) \
	{ .type = NLA_BINARY, .validation_type = NLA_VALIDATE_MIN, .min = (_len) }

struct netlink_ext_ack {
	const char *_msg;
	const struct nlattr *bad_attr;
};
#define NL_SET_ERR_MSG(extack, msg) \
	do { if (extack) (extack)->_msg = (msg); } while (0)
#define NL_SET_ERR_MSG_ATTR(extack, attr, msg) \
	do { if (extack) { (extack)->_msg = (msg); (extack)->bad_attr = (attr); } } while (0)

static inline void *nla_data(const struct nlattr *nla) { return (char *)nla + NLA_HDRLEN; }
static inline int nla_len(const struct nlattr *nla) { return nla->nla_len - NLA_HDRLEN; }
static inline int nla_type(const struct nlattr *nla) { return nla->nla_type & NLA_TYPE_MASK; }
static inline u8 nla_get_u8(const struct nlattr *nla) { return *(u8 *)nla_data(nla); }
static inline u16 nla_get_u16(const struct nlattr *nla) { u16 v; memcpy(&v, nla_data(nla), 2); return v; }
static inline u32 nla_get_u32(const struct nlattr *nla) { u32 v; memcpy(&v, nla_data(nla), 4); return v; }
static inline u64 nla_get_u64(const struct nlattr *nla) { u64 v; memcpy(&v, nla_data(nla), 8); return v; }
static inline __be32 nla_get_in_addr(const struct nlattr *nla) { return (__be32)nla_get_u32(nla); }
static inline struct in6_addr nla_get_in6_addr(const struct nlattr *nla)
{
	struct in6_addr a;

	memcpy(&a, nla_data(nla), sizeof(a));
	return a;
}
ssize_t nla_strscpy(char *dst, const struct nlattr *nla, size_t dstsize);
/* __nla_parse() with NL_VALIDATE_STRICT, as nla_parse_nested() calls it. */
int nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
		     const struct nla_policy *policy,
		     struct netlink_ext_ack *extack);

/* ---- skb, genetlink ---- */

struct sk_buff {
	unsigned int len, size;
	void *shim_priv;	/* the test's, per message */
};
/* NLMSG_GOODSIZE on x86-64 (4 KiB page) less the netlink header. */
#define NLMSG_DEFAULT_SIZE (3776 - 16)
static inline int skb_tailroom(const struct sk_buff *skb) { return (int)(skb->size - skb->len); }
struct sk_buff *genlmsg_new(size_t payload, gfp_t flags);
void kfree_skb(struct sk_buff *skb);

struct genl_family { const char *name; };
struct net;
/* Consumes @skb; returns what shim_multicast (the test's) says. */
int genlmsg_multicast_netns(const struct genl_family *family, struct net *net,
			    struct sk_buff *skb, u32 portid, unsigned int group,
			    gfp_t flags);
extern int (*shim_multicast)(struct net *net, struct sk_buff *skb);

/* ---- network namespaces ---- */

struct inet_hashinfo;
struct net {
	refcount_t count;
	struct list_head list;
	struct {
		struct { struct inet_hashinfo *hashinfo; } tcp_death_row;
	} ipv4;
	u32 hash_mix;
	void *shim_priv;	/* the test's struct tcpstate_net */
};
extern struct net init_net;
extern struct list_head net_namespace_list;
extern struct rw_semaphore net_rwsem;
static inline bool net_eq(const struct net *a, const struct net *b) { return a == b; }
static inline struct net *maybe_get_net(struct net *net)
{
	return refcount_inc_not_zero(&net->count) ? net : NULL;
}
static inline struct net *get_net(struct net *net)
{
	refcount_inc(&net->count);
	return net;
}
/* A test's namespace is its own: the last put only makes it dying. */
static inline void put_net(struct net *net) { refcount_dec_and_test(&net->count); }

/* ---- sockets: one struct for full, TIME_WAIT and request sockets ---- */

enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
	TCP_NEW_SYN_RECV,
	TCP_BOUND_INACTIVE,
	TCP_MAX_STATES
};
#define TCPF_LISTEN (1 << TCP_LISTEN)
#define TCPF_TIME_WAIT (1 << TCP_TIME_WAIT)
#define TCPF_NEW_SYN_RECV (1 << TCP_NEW_SYN_RECV)

enum { SOCK_DEAD = 1 };

struct socket;
struct sock;
struct request_sock {
	struct request_sock *dl_next;
	struct sock *sk;
};
struct request_sock_queue {
	spinlock_t rskq_lock;
	struct request_sock *rskq_accept_head;
};

struct tcp_sock {
	u32 snd_una;
	u32 write_seq;
	u64 bytes_acked;
};

struct sock {
	/* struct sock_common, with its unions */
	union {
		u64 sk_addrpair;
		struct {
			__be32 sk_daddr;
			__be32 sk_rcv_saddr;
		};
	};
	u32 sk_hash;
	union {
		u32 sk_portpair;
		struct {
			__be16 sk_dport;
			u16 sk_num;
		};
	};
	unsigned short sk_family;
	volatile unsigned char sk_state;
	int sk_bound_dev_if;
	struct hlist_nulls_node sk_nulls_node;
	struct net *sk_net;
	struct in6_addr sk_v6_daddr;
	struct in6_addr sk_v6_rcv_saddr;
	atomic64_t sk_cookie;
	refcount_t sk_refcnt;
	/* inet_timewait_sock */
	volatile unsigned char tw_substate;
	/* request_sock */
	struct sock *rsk_listener;
	/* the full socket */
	bool sk_net_refcnt;
	bool sk_kern_sock;
	u16 sk_protocol;
	u16 sk_type;
	int sk_disconnects;
	unsigned long sk_flags;
	struct socket *sk_socket;
	u32 sk_ack_backlog;
	struct request_sock_queue icsk_accept_queue;
	struct tcp_sock tcp;
	/* the test's */
	unsigned long shim_id;
};
#define inet_sk(sk) (sk)
#define inet_csk(sk) (sk)
#define inet_twsk(sk) (sk)
#define inet_reqsk(sk) (sk)
#define tcp_sk(sk) (&(sk)->tcp)
#define inet_num sk_num
#define inet_rcv_saddr sk_rcv_saddr

static inline struct net *sock_net(const struct sock *sk) { return sk->sk_net; }
static inline bool sock_flag(const struct sock *sk, int flag)
{
	return sk->sk_flags & (1UL << flag);
}
static inline bool sk_fullsock(const struct sock *sk)
{
	return (1 << sk->sk_state) & ~(TCPF_TIME_WAIT | TCPF_NEW_SYN_RECV);
}
static inline int inet_sk_state_load(const struct sock *sk)
{
	return smp_load_acquire(&sk->sk_state);
}
/* The last reference gone: the test's destructor, or free(). */
void shim_sock_free(struct sock *sk);
extern void (*shim_sock_destructor)(struct sock *sk);
static inline void sock_hold(struct sock *sk) { refcount_inc(&sk->sk_refcnt); }
static inline void sock_put(struct sock *sk)
{
	if (refcount_dec_and_test(&sk->sk_refcnt))
		shim_sock_free(sk);
}
#define sock_gen_put(sk) sock_put(sk)
/* net/core/sock_diag.c: a cookie from one global counter, kept for life. */
void sock_diag_save_cookie(struct sock *sk, __u32 *cookie);

/* ---- the hash tables: include/net/inet_hashtables.h ---- */

struct inet_ehash_bucket {
	struct hlist_nulls_head chain;
};
struct inet_listen_hashbucket {
	spinlock_t lock;
	struct hlist_nulls_head nulls_head;
};
struct inet_hashinfo {
	struct inet_ehash_bucket *ehash;
	spinlock_t *ehash_locks;
	unsigned int ehash_mask;
	unsigned int ehash_locks_mask;
	bool pernet;
	struct inet_listen_hashbucket *lhash2;
	unsigned int lhash2_mask;
};
#define LISTENING_NULLS_BASE (1U << 29)
static inline spinlock_t *inet_ehash_lockp(struct inet_hashinfo *h,
					   unsigned int hash)
{
	return &h->ehash_locks[hash & h->ehash_locks_mask];
}
/*
 * Not the kernel's jhash, only as deterministic: the walk needs these to
 * agree with where a test hashed a listener, nothing more.
 */
static inline u32 shim_mix(u32 x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}
static inline u32 ipv4_portaddr_hash(const struct net *net, __be32 saddr,
				     unsigned int port)
{
	return shim_mix(saddr ^ net->hash_mix) ^ port;
}
static inline u32 ipv6_portaddr_hash(const struct net *net,
				     const struct in6_addr *addr6,
				     unsigned int port)
{
	u32 h = net->hash_mix;
	int i;

	for (i = 0; i < 4; i++)
		h = shim_mix(h ^ addr6->s6_addr32[i]);
	return h ^ port;
}

/* ---- pid, credentials (the owner table only holds them) ---- */

typedef struct { uid_t val; } kuid_t;
typedef struct { gid_t val; } kgid_t;
struct pid;
struct cred;
struct user_namespace;
struct pid_namespace { int level; };
extern struct pid_namespace init_pid_ns;
static inline void put_pid_ns(struct pid_namespace *ns) { (void)ns; }
static inline void put_user_ns(struct user_namespace *ns) { (void)ns; }
static inline void put_cred(const struct cred *c) { (void)c; }
static inline void put_pid(struct pid *p) { (void)p; }

#endif /* TCPSTATE_HOST_SHIM_H */
