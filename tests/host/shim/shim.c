// SPDX-License-Identifier: GPL-2.0
/* The out-of-line part of the kernel stand-ins (shim.h). */
#include <stdio.h>

#include "shim.h"

int shim_locks_held;
struct task_struct shim_current;
bool shim_fatal_signal;
void (*shim_resched_hook)(void);
unsigned long jiffies = 1000;
int shim_alloc_fail_in;
unsigned int shim_nr_cpus = 4;
unsigned int shim_cpu;
int (*shim_multicast)(struct net *net, struct sk_buff *skb);
void (*shim_sock_destructor)(struct sock *sk);

struct net init_net = {
	.count = { ATOMIC_INIT(1) },
	.list = LIST_HEAD_INIT(init_net.list),
};
LIST_HEAD(net_namespace_list);
struct rw_semaphore net_rwsem;
struct pid_namespace init_pid_ns;

void shim_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: shim check failed: %s\n", file, line, what);
	abort();
}

void cond_resched(void)
{
	SHIM_ASSERT(!shim_locks_held);	/* it may sleep */
	if (shim_resched_hook)
		shim_resched_hook();
}

int schedule_hrtimeout_range(ktime_t *expires, u64 delta, int mode)
{
	(void)expires;
	(void)delta;
	(void)mode;
	current->state = 0;
	return 0;
}

void *shim_alloc(size_t size, bool zero)
{
	if (shim_alloc_fail_in > 0 && --shim_alloc_fail_in == 0)
		return NULL;
	/* Never 0 bytes: malloc(0) may return NULL, kmalloc(0) does not. */
	return zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
}

unsigned long shim_sort_calls;

void sort(void *base, size_t num, size_t size, cmp_func_t cmp, swap_func_t swap)
{
	SHIM_ASSERT(!swap);
	shim_sort_calls++;
	if (num)
		qsort(base, num, size, cmp);
}

/* ---- module parameters ---- */

static struct {
	const char *name;
	void *p;
} params[32];
static int n_params;

void shim_param_register(const char *name, void *p, size_t size)
{
	(void)size;
	SHIM_ASSERT(n_params < (int)ARRAY_SIZE(params));
	params[n_params].name = name;
	params[n_params].p = p;
	n_params++;
}

void *shim_param(const char *name)
{
	int i;

	for (i = 0; i < n_params; i++)
		if (!strcmp(params[i].name, name))
			return params[i].p;
	shim_bug(__FILE__, __LINE__, name);
}

/* ---- timers ---- */

static struct timer_list *timers;

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
		 unsigned int flags)
{
	(void)flags;
	t->function = fn;
	t->pending = false;
	if (!t->shim_known) {
		t->shim_known = true;
		t->shim_next = timers;
		timers = t;
	}
}

int mod_timer(struct timer_list *t, unsigned long expires)
{
	int was = t->pending;

	SHIM_ASSERT(t->function);
	t->expires = expires;
	t->pending = true;
	return was;
}

int del_timer_sync(struct timer_list *t)
{
	int was = t->pending;

	t->pending = false;
	return was;
}

int shim_timers_fire(void)
{
	struct timer_list *t;
	int n = 0;

	SHIM_ASSERT(!shim_locks_held);	/* softirq: no lock of ours held */
	for (t = timers; t; t = t->shim_next) {
		if (!t->pending)
			continue;
		t->pending = false;
		t->function(t);
		n++;
	}
	return n;
}

/* ---- work: one FIFO for every queue ---- */

struct workqueue_struct {
	const char *name;
};
static struct work_struct *work_head, **work_tail = &work_head;
static int work_n;

struct workqueue_struct *alloc_workqueue(const char *name, unsigned int flags,
					 int max_active)
{
	struct workqueue_struct *wq = shim_alloc(sizeof(*wq), true);

	(void)flags;
	(void)max_active;
	if (wq)
		wq->name = name;
	return wq;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	SHIM_ASSERT(wq);
	if (work->shim_pending)
		return false;
	work->shim_pending = true;
	work->shim_next = NULL;
	*work_tail = work;
	work_tail = &work->shim_next;
	work_n++;
	return true;
}

int shim_work_run(void)
{
	struct work_struct *w;
	int n = 0;

	SHIM_ASSERT(!shim_locks_held);
	while ((w = work_head)) {
		work_head = w->shim_next;
		if (!work_head)
			work_tail = &work_head;
		work_n--;
		w->shim_pending = false;
		w->func(w);
		n++;
	}
	return n;
}

int shim_work_queued(void)
{
	return work_n;
}

/* destroy_workqueue() runs what is still queued, then frees. */
void destroy_workqueue(struct workqueue_struct *wq)
{
	shim_work_run();
	free(wq);
}

/* ---- skb, genetlink ---- */

struct sk_buff *genlmsg_new(size_t payload, gfp_t flags)
{
	struct sk_buff *skb = shim_alloc(sizeof(*skb), true);

	(void)flags;
	if (skb)
		skb->size = (unsigned int)payload;
	return skb;
}

void kfree_skb(struct sk_buff *skb)
{
	if (skb)
		free(skb->shim_priv);
	free(skb);
}

int genlmsg_multicast_netns(const struct genl_family *family, struct net *net,
			    struct sk_buff *skb, u32 portid, unsigned int group,
			    gfp_t flags)
{
	int ret = 0;

	(void)family;
	(void)portid;
	(void)group;
	(void)flags;
	if (shim_multicast)
		ret = shim_multicast(net, skb);
	kfree_skb(skb);
	return ret;
}

/* ---- netlink attributes ---- */

ssize_t nla_strscpy(char *dst, const struct nlattr *nla, size_t dstsize)
{
	size_t srclen = (size_t)nla_len(nla);
	const char *src = nla_data(nla);
	ssize_t ret;
	size_t len;

	if (dstsize == 0 || dstsize > SSIZE_MAX)
		return -E2BIG;
	if (srclen > 0 && src[srclen - 1] == '\0')
		srclen--;
	if (srclen >= dstsize) {
		len = dstsize - 1;
		ret = -E2BIG;
	} else {
		len = srclen;
		ret = (ssize_t)len;
	}
	memcpy(dst, src, len);
	memset(dst + len, 0, dstsize - len);
	return ret;
}

/*
 * The checks of lib/nlattr.c's strict validation (NL_VALIDATE_STRICT)
 * for the policy types the module's nested policies use: a type beyond
 * maxtype or without a policy refused, integers of their exact size,
 * NLA_POLICY_MIN_LEN's minimum, no trailing bytes; the last of two
 * attributes of one type wins.
 */
int nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
		     const struct nla_policy *policy,
		     struct netlink_ext_ack *extack)
{
	static const int exact[] = {
		[NLA_U8] = 1, [NLA_U16] = 2, [NLA_U32] = 4, [NLA_U64] = 8,
	};
	const char *p = nla_data(nla);
	int rem = nla_len(nla);

	if (!(nla->nla_type & NLA_F_NESTED)) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "NLA_F_NESTED is missing");
		return -EINVAL;
	}
	memset(tb, 0, sizeof(*tb) * (size_t)(maxtype + 1));
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		const struct nla_policy *pt;
		int type = nla_type(a), len = nla_len(a);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem)
			break;
		if (type == 0 || type > maxtype) {
			NL_SET_ERR_MSG_ATTR(extack, a, "Unknown attribute type");
			return -EINVAL;
		}
		pt = &policy[type];
		if (pt->type == NLA_UNSPEC) {
			NL_SET_ERR_MSG_ATTR(extack, a, "Unsupported attribute");
			return -EINVAL;
		}
		if (pt->type < ARRAY_SIZE(exact) && exact[pt->type] &&
		    len != exact[pt->type]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "invalid attribute length");
			return -EINVAL;
		}
		if (pt->type == NLA_BINARY &&
		    pt->validation_type == NLA_VALIDATE_MIN && len < pt->min) {
			NL_SET_ERR_MSG_ATTR(extack, a, "min value not reached");
			return -ERANGE;
		}
		tb[type] = (struct nlattr *)a;
		p += NLA_ALIGN(a->nla_len);
		rem -= NLA_ALIGN(a->nla_len);
	}
	if (rem > 0) {
		NL_SET_ERR_MSG(extack, "bytes leftover after parsing attributes");
		return -EINVAL;
	}
	return 0;
}

/* ---- sockets ---- */

void shim_sock_free(struct sock *sk)
{
	SHIM_ASSERT(hlist_nulls_unhashed(&sk->sk_nulls_node));
	if (shim_sock_destructor)
		shim_sock_destructor(sk);
	else
		free(sk);
}

void sock_diag_save_cookie(struct sock *sk, __u32 *cookie)
{
	static atomic64_t next = ATOMIC_INIT(0);
	u64 res = (u64)atomic64_read(&sk->sk_cookie);

	if (!res) {
		/* The kernel's per-CPU batches of a global counter: never 0. */
		u64 new = (u64)atomic64_add_return(1, &next);

		res = (u64)atomic64_cmpxchg(&sk->sk_cookie, 0, (s64)new);
		if (!res)
			res = new;
	}
	cookie[0] = (u32)res;
	cookie[1] = (u32)(res >> 32);
}
