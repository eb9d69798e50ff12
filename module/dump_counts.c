// SPDX-License-Identifier: GPL-2.0
/*
 * GET_COUNTS: per-state counts computed in the kernel, optionally grouped
 * by local port, local address or remote address (a TIME_WAIT pile-up
 * toward one server shows up as one remote address with thousands of
 * sockets).
 *
 * The first .dumpit call validates the request (see dump.c for why not
 * .start, and why nothing else happens there); the second does all the
 * counting, in process context, outside genetlink's cb_lock: the plain
 * count of one namespace walks the tables under the bucket locks and only
 * increments counters; grouped or all-namespace counts collect one small
 * record per socket and sort them. .dumpit then emits a totals message per
 * netns followed by one message per group, resuming from an index.
 * IPv4-mapped IPv6 addresses are grouped with their IPv4 address.
 *
 * Grouped by process, a socket counts once for every process holding it
 * (a listener shared by 8 workers counts for each); the totals still
 * count it once. Sockets no visible process holds are grouped by their
 * owner kind (hidden, closed-by, none).
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "tcpstate.h"
#include "budget.h"
#include "dump.h"
#include "filter.h"
#include "netlink.h"
#include "owners.h"
#include "sockwalk.h"
#include "track.h"

#define N_STATES (TCPSTATE_STATE_MAX + 1)

struct count_rec {
	u32 netns;
	u16 port;
	u8 family;
	u8 state;
	struct in6_addr addr;
	/* by process */
	u32 proc;	/* 1 + index into owners.procs; 0: no visible owner */
	u8 kind;	/* TCPSTATE_OWNER_* */
	bool extra;	/* another owner of a socket already counted */
};

struct net_total {
	u32 netns;
	u32 first;	/* index of its first record */
	u32 n;		/* number of its records */
	u32 states[N_STATES];
};

struct counts_dump {
	struct tcpstate_filter filter;
	u8 group_by;
	struct tcpstate_owners owners;
	bool with_owners;
	struct netlink_callback *cb;	/* for the budget, during setup */
	/* collect(): the socket being recorded, for its owners */
	u32 cur_netns;
	u8 cur_state;
	bool cur_counted;
	struct count_rec *recs;
	u32 n_recs;
	u32 cap_recs;
	struct net_total *nets;
	u32 n_nets;
	/* emission cursor */
	u32 net_idx;
	u32 rec_idx;	/* next record of the current netns */
	bool total_sent;
};

static bool age_ok(const struct tcpstate_filter *f, const struct sock *sk,
		   int state)
{
	struct tcpstate_age age;

	if (!f->min_age_ms)
		return true;
	tcpstate_sock_age(sk, state, &age);
	return age.ms >= f->min_age_ms;
}

/* Fast path: one netns, no groups. Runs under the bucket lock. */
static void count_locked(const struct sock *sk, int state, void *arg)
{
	struct counts_dump *d = arg;

	if (state < N_STATES && age_ok(&d->filter, sk, state))
		d->nets[0].states[state]++;
}

/*
 * The new array is charged before it is allocated, the old one returned
 * once freed: the budget bounds the peak of the copy too.
 */
static int grow_recs(struct counts_dump *d)
{
	u32 cap = d->cap_recs ? d->cap_recs * 2 : 4096;
	struct count_rec *n;
	int ret;

	if (cap > INT_MAX / sizeof(*n))
		return -ENOMEM;
	ret = tcpstate_dump_charge(d->cb, (size_t)cap * sizeof(*n));
	if (ret)
		return ret;
	n = kvmalloc_array(cap, sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n) {
		tcpstate_budget_uncharge(tcpstate_dump_cb(d->cb)->req,
					 (size_t)cap * sizeof(*n));
		return -ENOMEM;
	}
	if (d->recs) {
		memcpy(n, d->recs, d->n_recs * sizeof(*n));
		kvfree(d->recs);
		tcpstate_budget_uncharge(tcpstate_dump_cb(d->cb)->req,
					 (size_t)d->cap_recs * sizeof(*n));
	} else {
		tcpstate_obj_get();
	}
	d->recs = n;
	d->cap_recs = cap;
	return 0;
}

static void key_addr(const struct sock *sk, bool local, struct count_rec *r)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		const struct in6_addr *a = local ? &sk->sk_v6_rcv_saddr :
						   &sk->sk_v6_daddr;

		if (!ipv6_addr_v4mapped(a)) {
			r->family = AF_INET6;
			r->addr = *a;
			return;
		}
		r->family = AF_INET;
		ipv6_addr_set_v4mapped(a->s6_addr32[3], &r->addr);
		return;
	}
#endif
	r->family = AF_INET;
	ipv6_addr_set_v4mapped(local ? sk->sk_rcv_saddr : sk->sk_daddr,
			       &r->addr);
}

/* A zeroed record in @rp, or grow_recs()' error (-ENOBUFS: the budget). */
static int new_rec(struct counts_dump *d, struct count_rec **rp)
{
	int ret;

	if (d->n_recs == d->cap_recs) {
		ret = grow_recs(d);
		if (ret)
			return ret;
	}
	*rp = &d->recs[d->n_recs++];
	memset(*rp, 0, sizeof(**rp));
	return 0;
}

/* One record per owning process (or per owner kind when none is visible). */
static int collect_owner(void *arg, const struct tcpstate_owner_proc *p,
			 u8 kind)
{
	struct counts_dump *d = arg;
	struct count_rec *r;
	int ret = new_rec(d, &r);

	if (ret)
		return ret;
	r->netns = d->cur_netns;
	r->state = d->cur_state;
	r->kind = kind;
	r->extra = d->cur_counted;
	d->cur_counted = true;
	/* One record per process in the table: its index is its identity. */
	if (p)
		r->proc = p - d->owners.procs + 1;
	return 0;
}

/* Grouped or all-netns path: one record per socket, in process context. */
static int collect(struct sock *sk, int state, void *arg)
{
	struct counts_dump *d = arg;
	struct count_rec *r;
	int ret;

	if (state >= N_STATES || !age_ok(&d->filter, sk, state))
		return 0;
	if (d->with_owners &&
	    !tcpstate_owners_match(&d->owners, sk, d->filter.pid,
				   d->filter.comm))
		return 0;
	if (d->group_by == TCPSTATE_GROUP_PROCESS) {
		d->cur_netns = sock_net(sk)->ns.inum;
		d->cur_state = state;
		d->cur_counted = false;
		return tcpstate_owners_each(&d->owners, sk, collect_owner, d);
	}
	ret = new_rec(d, &r);
	if (ret)
		return ret;
	r->netns = sock_net(sk)->ns.inum;
	r->state = state;
	switch (d->group_by) {
	case TCPSTATE_GROUP_LPORT:
		r->port = sk->sk_num;
		break;
	case TCPSTATE_GROUP_LADDR:
		key_addr(sk, true, r);
		break;
	case TCPSTATE_GROUP_RADDR:
		key_addr(sk, false, r);
		break;
	}
	return 0;
}

/* Order by netns, then group key; the state is not part of the key. */
static int rec_cmp(const void *a, const void *b)
{
	const struct count_rec *x = a, *y = b;

	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	return memcmp(&x->addr, &y->addr, sizeof(x->addr));
}

static bool same_key(const struct count_rec *x, const struct count_rec *y)
{
	return x->netns == y->netns && x->port == y->port &&
	       x->family == y->family && x->kind == y->kind &&
	       x->proc == y->proc &&
	       !memcmp(&x->addr, &y->addr, sizeof(x->addr));
}

static int build_totals(struct counts_dump *d)
{
	u32 i, n = 0;
	int ret;

	for (i = 0; i < d->n_recs; i++)
		if (!i || d->recs[i].netns != d->recs[i - 1].netns)
			n++;
	n = max_t(u32, n, 1);
	ret = tcpstate_dump_charge(d->cb, (size_t)n * sizeof(*d->nets));
	if (ret)
		return ret;
	d->nets = kvcalloc(n, sizeof(*d->nets), GFP_KERNEL_ACCOUNT);
	if (!d->nets)
		return -ENOMEM;
	tcpstate_obj_get();
	for (i = 0; i < d->n_recs; i++) {
		struct net_total *t;

		if (!i || d->recs[i].netns != d->recs[i - 1].netns) {
			t = &d->nets[d->n_nets++];
			t->netns = d->recs[i].netns;
			t->first = i;
		}
		t = &d->nets[d->n_nets - 1];
		t->n++;
		if (!d->recs[i].extra)
			t->states[d->recs[i].state]++;
	}
	return 0;
}

static void counts_free(void *state)
{
	struct counts_dump *d = state;

	if (d->with_owners)
		tcpstate_owners_free(&d->owners);
	if (d->recs) {
		kvfree(d->recs);
		tcpstate_obj_put();
	}
	if (d->nets) {
		kvfree(d->nets);
		tcpstate_obj_put();
	}
	kfree(d);
	tcpstate_obj_put();
}

/* Both are too large for the stack. */
struct count_walk {
	struct tcpstate_walk walk;
	struct tcpstate_cursor cursor;
};

static int count_all(struct counts_dump *d)
{
	struct count_walk *cw;
	struct tcpstate_walk *w;
	int ret;

	/* Freed before the setup returns: charged to the memcg only. */
	cw = kzalloc(sizeof(*cw), GFP_KERNEL_ACCOUNT);
	if (!cw)
		return -ENOMEM;
	w = &cw->walk;
	tcpstate_walk_init(w, &d->filter);
	if (d->filter.net && d->group_by == TCPSTATE_GROUP_NONE &&
	    !d->with_owners) {
		ret = tcpstate_dump_charge(d->cb, sizeof(*d->nets));
		if (!ret) {
			ret = -ENOMEM;
			d->nets = kvcalloc(1, sizeof(*d->nets),
					   GFP_KERNEL_ACCOUNT);
		}
		if (d->nets) {
			tcpstate_obj_get();
			d->n_nets = 1;
			d->nets[0].netns = d->filter.net->ns.inum;
			tcpstate_walk_locked(w, count_locked, d);
			ret = 0;
		}
	} else {
		ret = tcpstate_walk(w, &cw->cursor, collect, d);
		if (!ret) {
			sort(d->recs, d->n_recs, sizeof(*d->recs), rec_cmp, NULL);
			ret = build_totals(d);
			/* The caller's netns is reported even when empty. */
			if (!ret && !d->n_nets && d->filter.net) {
				d->n_nets = 1;
				d->nets[0].netns = d->filter.net->ns.inum;
			}
		}
	}
	tcpstate_walk_release(w);
	kfree(cw);
	return ret;
}

/* First .dumpit: the request only; see struct tcpstate_dump_ops. */
static int counts_validate(struct netlink_callback *cb, void *state)
{
	struct nlattr **attrs = tcpstate_dump_attrs(cb);
	struct counts_dump *d = state;
	int ret;

	ret = tcpstate_dump_filter(cb, tcpstate_dump_cb(cb)->req, &d->filter);
	if (ret)
		return ret;
	if (attrs[TCPSTATE_A_GROUP_BY])
		d->group_by = nla_get_u8(attrs[TCPSTATE_A_GROUP_BY]);
	return 0;
}

/* Second .dumpit, outside cb_lock: owners, walk, sort, all charged. */
static int counts_build(struct netlink_callback *cb, void *state)
{
	struct counts_dump *d = state;
	int ret;

	d->cb = cb;
	if ((d->filter.flags & TCPSTATE_F_PROCESSES) ||
	    d->group_by == TCPSTATE_GROUP_PROCESS) {
		ret = tcpstate_owners_build_for(&d->owners,
						tcpstate_dump_cb(cb)->req,
						d->filter.net, cb->extack);
		if (!ret)
			ret = tcpstate_dump_charge(cb,
						   tcpstate_owners_bytes(&d->owners));
		if (ret) {
			tcpstate_owners_free(&d->owners);
			goto out;
		}
		d->with_owners = true;
	}
	ret = count_all(d);
out:
	d->cb = NULL;		/* only valid during this call */
	return ret;
}

static int put_states(struct sk_buff *skb, const u32 *states, u32 *total)
{
	struct nlattr *nest;
	int s;

	*total = 0;
	nest = nla_nest_start(skb, TCPSTATE_COUNTS_A_STATES);
	if (!nest)
		return -EMSGSIZE;
	for (s = 1; s < N_STATES; s++) {
		if (!states[s])
			continue;
		*total += states[s];
		if (nla_put_u32(skb, s, states[s]))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_key(struct sk_buff *skb, const struct count_rec *r,
		   const struct counts_dump *d)
{
	const struct tcpstate_owner_proc *p;

	switch (d->group_by) {
	case TCPSTATE_GROUP_LPORT:
		return nla_put_u16(skb, TCPSTATE_COUNTS_A_KEY_PORT, r->port);
	case TCPSTATE_GROUP_LADDR:
	case TCPSTATE_GROUP_RADDR:
		if (nla_put_u8(skb, TCPSTATE_COUNTS_A_KEY_FAMILY, r->family))
			return -EMSGSIZE;
		if (r->family == AF_INET)
			return nla_put_in_addr(skb, TCPSTATE_COUNTS_A_KEY_ADDR,
					       r->addr.s6_addr32[3]);
		return nla_put_in6_addr(skb, TCPSTATE_COUNTS_A_KEY_ADDR,
					&r->addr);
	case TCPSTATE_GROUP_PROCESS:
		p = r->proc ? &d->owners.procs[r->proc - 1] : NULL;
		if (p &&
		    (nla_put_u32(skb, TCPSTATE_COUNTS_A_KEY_PID, p->pid) ||
		     nla_put_string(skb, TCPSTATE_COUNTS_A_KEY_COMM, p->comm)))
			return -EMSGSIZE;
		return nla_put_u8(skb, TCPSTATE_COUNTS_A_KEY_OWNER_KIND,
				  r->kind);
	}
	return 0;
}

/* One message: the totals of a netns (@key NULL) or one group. */
static int put_counts(struct sk_buff *skb, struct netlink_callback *cb,
		      u32 netns, const u32 *states,
		      const struct count_rec *key,
		      const struct counts_dump *d)
{
	struct nlattr *nest;
	u32 total;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tcpstate_genl_family, NLM_F_MULTI,
			  TCPSTATE_CMD_GET_COUNTS);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, TCPSTATE_A_COUNTS);
	if (!nest)
		goto cancel;
	if (nla_put_u32(skb, TCPSTATE_COUNTS_A_NETNS, netns) ||
	    put_states(skb, states, &total) ||
	    nla_put_u32(skb, TCPSTATE_COUNTS_A_TOTAL, total))
		goto cancel;
	if (key && put_key(skb, key, d))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int counts_fill(struct sk_buff *skb, struct netlink_callback *cb,
		       void *state)
{
	struct counts_dump *d = state;
	u32 states[N_STATES];

	while (d->net_idx < d->n_nets) {
		struct net_total *t = &d->nets[d->net_idx];
		u32 end = t->first + t->n, i;

		if (!d->total_sent) {
			if (put_counts(skb, cb, t->netns, t->states, NULL, d))
				return skb->len ?: -EMSGSIZE;
			d->total_sent = true;
			d->rec_idx = t->first;
		}
		while (d->group_by != TCPSTATE_GROUP_NONE && d->rec_idx < end) {
			memset(states, 0, sizeof(states));
			for (i = d->rec_idx; i < end &&
			     same_key(&d->recs[i], &d->recs[d->rec_idx]); i++)
				states[d->recs[i].state]++;
			if (put_counts(skb, cb, t->netns, states,
				       &d->recs[d->rec_idx], d))
				return skb->len ?: -EMSGSIZE;
			d->rec_idx = i;
		}
		d->net_idx++;
		d->total_sent = false;
	}
	return skb->len;
}

static const struct tcpstate_dump_ops counts_dump_ops = {
	.size = sizeof(struct counts_dump),
	.validate = counts_validate,
	.build = counts_build,
	.fill = counts_fill,
	.free = counts_free,
};

int tcpstate_counts_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return tcpstate_dumpit(&counts_dump_ops, skb, cb);
}

int tcpstate_counts_dump_done(struct netlink_callback *cb)
{
	return tcpstate_dump_done(&counts_dump_ops, cb);
}
