// SPDX-License-Identifier: GPL-2.0
/*
 * What GET_SOCK and GET_COUNTS share: the request policy, .start, the
 * requester's budget and memory cgroup, and the order in which a dump is
 * set up.
 *
 * Why the expensive setup waits for the second .dumpit: genl_rcv() holds
 * genetlink's host-wide cb_lock (an rwsem) for reading around every
 * request, and netlink_dump_start() runs .start and the first .dumpit
 * inside that sendmsg(). Registering or unregistering any genl family
 * (loading wireguard, team, macsec...) takes cb_lock for writing and waits
 * for every reader; while it waits, every new genl request on the host
 * queues behind it. An owner scan of every fd, a walk of the socket tables
 * and a sort take seconds on a large host, so the first call does only
 * what is cheap: it counts the dump against its user's budget, allocates
 * the state, validates the request (on 6.1 only a .dumpit error reaches
 * user space with its extack message, see requester.c) and sends one
 * NLMSG_NOOP. With something in the buffer netlink queues it and returns;
 * the next .dumpit runs from the reader's recvmsg(), outside cb_lock, and
 * builds the tables there. Its errors still reach the reader in
 * NLMSG_DONE with their extack message. libmnl's mnl_cb_run() and libnl
 * skip NLMSG_NOOP; so does tcpstatectl (tools/nl.c).
 *
 * Every .dumpit may run in another process than the requester (see
 * requester.c), and GFP_KERNEL_ACCOUNT charges the memory cgroup of
 * current: each call runs with the requester's memory cgroup active
 * (set_active_memcg()), so the tables are charged to the requester's
 * cgroup whoever reads the socket. Frees uncharge the cgroup an object
 * was charged to, whoever frees it.
 */
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "tcpstate.h"
#include "budget.h"
#include "dump.h"
#include "filter.h"
#include "netlink.h"

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

/*
 * The first call: count the dump (until .done, which leaves through
 * tcpstate_requester_free()), charge and allocate its state, validate.
 */
static int dump_begin(const struct tcpstate_dump_ops *ops,
		      struct netlink_callback *cb)
{
	struct tcpstate_dump_cb *dcb = tcpstate_dump_cb(cb);
	void *state;
	int ret;

	ret = tcpstate_budget_enter(dcb->req, cb->extack);
	if (ret)
		return ret;
	ret = tcpstate_dump_charge(cb, ops->size);
	if (ret)
		return ret;
	state = kzalloc(ops->size, GFP_KERNEL_ACCOUNT);
	if (!state)
		return -ENOMEM;
	tcpstate_obj_get();
	ret = ops->validate(cb, state);
	if (ret) {
		ops->free(state);
		return ret;
	}
	dcb->state = state;
	return 0;
}

/* Nothing but "more follows": see the top of this file. */
static int dump_noop(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			NLMSG_NOOP, 0, NLM_F_MULTI);
	if (!nlh)
		return -EMSGSIZE;
	nlmsg_end(skb, nlh);
	return skb->len;
}

int tcpstate_dumpit(const struct tcpstate_dump_ops *ops, struct sk_buff *skb,
		    struct netlink_callback *cb)
{
	struct tcpstate_dump_cb *dcb = tcpstate_dump_cb(cb);
	struct mem_cgroup *old;
	int ret;

	old = set_active_memcg(dcb->req->memcg);
	if (!dcb->state) {
		ret = dump_begin(ops, cb);
		if (!ret)
			ret = dump_noop(skb, cb);
		goto out;
	}
	if (!dcb->built) {
		ret = ops->build(cb, dcb->state);
		if (ret)
			goto out;
		dcb->built = true;
	}
	ret = ops->fill(skb, cb, dcb->state);
out:
	set_active_memcg(old);
	return ret;
}

int tcpstate_dump_done(const struct tcpstate_dump_ops *ops,
		       struct netlink_callback *cb)
{
	struct tcpstate_dump_cb *dcb = tcpstate_dump_cb(cb);

	if (dcb->state)
		ops->free(dcb->state);
	dcb->state = NULL;
	dcb->built = false;
	tcpstate_requester_free(dcb->req);
	dcb->req = NULL;
	return 0;
}
