// SPDX-License-Identifier: GPL-2.0
/*
 * GET_SOCK: one message per matching socket. .start captures who asks
 * (requester.c): only it is sure to run in the sender's sendmsg(). The
 * dump state lives in a context allocated and validated by the first
 * .dumpit call, built (owner table) by the second one, outside
 * genetlink's cb_lock, and freed by .done (which netlink calls on
 * completion, on error and when the reader closes the socket mid-dump);
 * cb->ctx holds only the pointers. dump.c says why the steps are split
 * so, and why validation is not in .start. The in-flight dump holds a
 * module reference, so rmmod waits for it instead of pulling code from
 * under it.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "tcpstate.h"
#include "budget.h"
#include "dump.h"
#include "filter.h"
#include "netlink.h"
#include "owners.h"
#include "sockfill.h"
#include "sockwalk.h"
#include "track.h"

struct sock_dump {
	struct tcpstate_filter filter;
	struct tcpstate_walk walk;
	struct tcpstate_cursor cursor;
	struct user_namespace *user_ns;
	struct tcpstate_owners owners;	/* with TCPSTATE_F_PROCESSES */
	bool with_owners;
	bool walking;			/* walk initialised */
	bool packed;			/* TCPSTATE_F_PACKED */
	void *hdr;			/* packed: the message being filled */
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* First .dumpit: the request only; see struct tcpstate_dump_ops. */
static int sock_validate(struct netlink_callback *cb, void *state)
{
	struct sock_dump *d = state;

	if (tcpstate_dump_attrs(cb)[TCPSTATE_A_GROUP_BY]) {
		NL_SET_ERR_MSG(cb->extack, "grouping applies to GET_COUNTS only");
		return -EINVAL;
	}
	return tcpstate_dump_filter(cb, tcpstate_dump_cb(cb)->req, &d->filter);
}

/* Second .dumpit, outside cb_lock: the owner table, charged. */
static int sock_build(struct netlink_callback *cb, void *state)
{
	struct tcpstate_requester *rq = tcpstate_dump_cb(cb)->req;
	struct sock_dump *d = state;
	int ret;

	d->user_ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	if (d->filter.flags & TCPSTATE_F_PROCESSES) {
		ret = tcpstate_owners_build_for(&d->owners, rq, d->filter.net,
						cb->extack);
		if (!ret)
			ret = tcpstate_dump_charge(cb,
						   tcpstate_owners_bytes(&d->owners));
		if (ret) {
			tcpstate_owners_free(&d->owners);
			return ret;
		}
		d->with_owners = true;
	}
	d->packed = d->filter.flags & TCPSTATE_F_PACKED;
	tcpstate_walk_init(&d->walk, &d->filter);
	d->walking = true;
	return 0;
}

static void sock_free(void *state)
{
	struct sock_dump *d = state;

	if (d->walking)
		tcpstate_walk_release(&d->walk);
	if (d->with_owners)
		tcpstate_owners_free(&d->owners);
	kfree(d);
	tcpstate_obj_put();
}

/*
 * Packed: the socket as one TCPSTATE_A_SOCK_REC, appended to the message
 * being filled, which is opened here and closed by the dumpit call. The
 * record is built on the stack and copied: its u64 fields would be only
 * 4-byte aligned in place.
 */
static int fill_rec(struct sock_dump *d, struct sock *sk, int state,
		    const struct tcpstate_age *age)
{
	struct sk_buff *skb = d->skb;
	struct tcpstate_sock_rec r;
	struct nlattr *nla;
	size_t room;

	BUILD_BUG_ON(sizeof(r) % 8);
	room = nla_total_size(sizeof(r) +
			      (d->with_owners ? TCPSTATE_OWNERS_REC_MAX : 0));
	if (!d->hdr)
		room += genlmsg_total_size(0);
	if (skb_tailroom(skb) < room)
		return -EMSGSIZE;
	if (!d->hdr) {
		d->hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
				     d->cb->nlh->nlmsg_seq,
				     &tcpstate_genl_family, NLM_F_MULTI,
				     TCPSTATE_CMD_GET_SOCK);
		if (!d->hdr)
			return -EMSGSIZE;
	}
	nla = __skb_put(skb, NLA_HDRLEN + sizeof(r));
	tcpstate_sock_rec_fill(&r, sk, state, age, d->user_ns);
	if (d->with_owners)
		tcpstate_owners_put_rec(skb, &d->owners, sk, &r);
	memcpy(nla_data(nla), &r, sizeof(r));
	nla->nla_type = TCPSTATE_A_SOCK_REC;
	/* Every part is a multiple of 4 bytes long: no padding. */
	nla->nla_len = skb_tail_pointer(skb) - (unsigned char *)nla;
	return 0;
}

static int fill_one(struct sock *sk, int state, void *arg)
{
	struct sock_dump *d = arg;
	struct tcpstate_age age;
	struct nlattr *nest;
	void *hdr;
	int ret;

	tcpstate_sock_age(sk, state, &age);
	if (age.ms < d->filter.min_age_ms)
		return 0;
	if (d->with_owners &&
	    !tcpstate_owners_match(&d->owners, sk, d->filter.pid,
				   d->filter.comm))
		return 0;
	if (d->packed)
		return fill_rec(d, sk, state, &age);

	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &tcpstate_genl_family,
			  NLM_F_MULTI, TCPSTATE_CMD_GET_SOCK);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(d->skb, TCPSTATE_A_SOCK);
	if (!nest)
		goto cancel;
	ret = tcpstate_put_sock_info(d->skb, sk, state, &age, d->user_ns);
	if (ret)
		goto cancel;
	if (d->with_owners && tcpstate_owners_put(d->skb, &d->owners, sk))
		goto cancel;
	nla_nest_end(d->skb, nest);
	genlmsg_end(d->skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(d->skb, hdr);
	return -EMSGSIZE;
}

static int sock_fill(struct sk_buff *skb, struct netlink_callback *cb,
		     void *state)
{
	struct sock_dump *d = state;
	int ret;

	d->skb = skb;
	d->cb = cb;
	ret = tcpstate_walk(&d->walk, &d->cursor, fill_one, d);
	if (d->hdr) {
		genlmsg_end(skb, d->hdr);
		d->hdr = NULL;
	}
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;	/* buffer full: more to come */
	if (ret)
		return ret;
	return skb->len;	/* 0 once nothing is left: NLMSG_DONE */
}

static const struct tcpstate_dump_ops sock_dump_ops = {
	.size = sizeof(struct sock_dump),
	.validate = sock_validate,
	.build = sock_build,
	.fill = sock_fill,
	.free = sock_free,
};

int tcpstate_sock_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return tcpstate_dumpit(&sock_dump_ops, skb, cb);
}

int tcpstate_sock_dump_done(struct netlink_callback *cb)
{
	return tcpstate_dump_done(&sock_dump_ops, cb);
}
