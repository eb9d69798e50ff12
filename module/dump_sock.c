// SPDX-License-Identifier: GPL-2.0
/*
 * GET_SOCK: one message per matching socket. .start captures who asks
 * (requester.c): only it is sure to run in the sender's sendmsg(). The
 * dump state lives in a context set up by the first .dumpit call and freed
 * by .done (which netlink calls on completion, on error and when the
 * reader closes the socket mid-dump); cb->ctx holds only the pointers. The
 * request is validated in that first .dumpit call, not in .start: on 6.1 a
 * .start callback has no extack, so its error messages would be lost,
 * while a .dumpit error reaches user space in NLMSG_DONE with its extack
 * on both kernels. The in-flight dump holds a module reference, so rmmod
 * waits for it instead of pulling code from under it.
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

const struct nla_policy tcpstate_dump_policy[TCPSTATE_A_MAX + 1] = {
	[TCPSTATE_A_STATE_MASK] = NLA_POLICY_MASK(NLA_U32,
						  TCPSTATE_STATE_MASK_ALL),
	[TCPSTATE_A_FAMILY] = { .type = NLA_U8 },
	[TCPSTATE_A_SPORT] = { .type = NLA_U16 },
	[TCPSTATE_A_DPORT] = { .type = NLA_U16 },
	[TCPSTATE_A_PORT] = { .type = NLA_U16 },
	[TCPSTATE_A_SRC] = NLA_POLICY_NESTED(tcpstate_prefix_policy),
	[TCPSTATE_A_DST] = NLA_POLICY_NESTED(tcpstate_prefix_policy),
	[TCPSTATE_A_MIN_AGE_MS] = { .type = NLA_U64 },
	[TCPSTATE_A_FLAGS] = { .type = NLA_U32 },
	[TCPSTATE_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[TCPSTATE_A_COMM] = { .type = NLA_NUL_STRING,
			      .len = TASK_COMM_LEN - 1 },
	[TCPSTATE_A_GROUP_BY] = NLA_POLICY_MAX(NLA_U8, TCPSTATE_GROUP_MAX),
};

struct sock_dump {
	struct tcpstate_filter filter;
	struct tcpstate_walk walk;
	struct tcpstate_cursor cursor;
	struct user_namespace *user_ns;
	struct tcpstate_owners owners;	/* with TCPSTATE_F_PROCESSES */
	bool with_owners;
	bool packed;			/* TCPSTATE_F_PACKED */
	void *hdr;			/* packed: the message being filled */
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

int tcpstate_dump_start(struct netlink_callback *cb)
{
	struct tcpstate_dump_cb *dcb = tcpstate_dump_cb(cb);

	dcb->req = tcpstate_requester_capture(cb->skb);
	return dcb->req ? 0 : -ENOMEM;
}

int tcpstate_dump_charge(struct netlink_callback *cb, size_t bytes)
{
	int ret = tcpstate_budget_charge(tcpstate_dump_cb(cb)->req, bytes);

	if (ret == -ENOBUFS)
		NL_SET_ERR_MSG(cb->extack, TCPSTATE_BUDGET_MSG);
	return ret;
}

int tcpstate_dump_filter(struct netlink_callback *cb,
			 const struct tcpstate_requester *rq,
			 struct tcpstate_filter *f)
{
	struct nlattr **attrs = tcpstate_dump_attrs(cb);
	struct net *net = sock_net(cb->skb->sk);
	int ret;

	ret = tcpstate_filter_parse(f, attrs, net, cb->extack);
	if (ret)
		return ret;
	if (f->flags & TCPSTATE_F_ALL_NETNS) {
		/* Other namespaces are other tenants: initial-ns admins only. */
		if (!rq->host_admin) {
			NL_SET_ERR_MSG(cb->extack,
				       "all namespaces need CAP_NET_ADMIN in the initial user namespace");
			return -EPERM;
		}
		f->net = NULL;
	}
	return 0;
}

static int sock_dump_setup(struct netlink_callback *cb)
{
	struct tcpstate_dump_cb *dcb = tcpstate_dump_cb(cb);
	struct sock_dump *d;
	int ret;

	if (tcpstate_dump_attrs(cb)[TCPSTATE_A_GROUP_BY]) {
		NL_SET_ERR_MSG(cb->extack, "grouping applies to GET_COUNTS only");
		return -EINVAL;
	}
	/* Counted until .done, which leaves (tcpstate_requester_free()). */
	ret = tcpstate_budget_enter(dcb->req, cb->extack);
	if (ret)
		return ret;
	ret = tcpstate_dump_charge(cb, sizeof(*d));
	if (ret)
		return ret;
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	tcpstate_obj_get();
	ret = tcpstate_dump_filter(cb, dcb->req, &d->filter);
	if (ret)
		goto err_free;
	d->user_ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	if (d->filter.flags & TCPSTATE_F_PROCESSES) {
		ret = tcpstate_owners_build_for(&d->owners, dcb->req,
						d->filter.net, cb->extack);
		if (!ret)
			ret = tcpstate_dump_charge(cb,
						   tcpstate_owners_bytes(&d->owners));
		if (ret) {
			tcpstate_owners_free(&d->owners);
			goto err_free;
		}
		d->with_owners = true;
	}
	d->packed = d->filter.flags & TCPSTATE_F_PACKED;
	tcpstate_walk_init(&d->walk, &d->filter);
	dcb->state = d;
	return 0;

err_free:
	kfree(d);
	tcpstate_obj_put();
	return ret;
}

int tcpstate_sock_dump_done(struct netlink_callback *cb)
{
	struct tcpstate_dump_cb *dcb = tcpstate_dump_cb(cb);
	struct sock_dump *d = dcb->state;

	if (d) {
		tcpstate_walk_release(&d->walk);
		if (d->with_owners)
			tcpstate_owners_free(&d->owners);
		kfree(d);
		tcpstate_obj_put();
		dcb->state = NULL;
	}
	tcpstate_requester_free(dcb->req);
	dcb->req = NULL;
	return 0;
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

int tcpstate_sock_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sock_dump *d = tcpstate_dump_cb(cb)->state;
	int ret;

	if (!d) {
		ret = sock_dump_setup(cb);
		if (ret)
			return ret;
		d = tcpstate_dump_cb(cb)->state;
	}
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
