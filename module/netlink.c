// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "tcpstate": policies, operations and the
 * GET_STATS command. Socket dumps and events live in their own files.
 *
 * resv_start_op stays 0, so the core validates every command strictly:
 * unknown attributes and trailing garbage are rejected with an extack
 * message before a handler runs. Each command has its own policy.
 *
 * parallel_ops: genetlink does not take its host-wide genl_mutex around
 * our handlers. Without it every doit, .start, .dumpit and .done of ours
 * ran under that lock, and a dump's first .dumpit (owner scan, table walk,
 * sort: seconds on a large host) stalled every other family without
 * parallel_ops (nlctrl, WireGuard, team, macsec...) for its length. What
 * the lock serialised, and why none of it needs it:
 *  - a dump's state (cb->ctx: requester, dump_sock.c / dump_counts.c
 *    tables, sockwalk cursor): one per netlink socket; netlink runs its
 *    .dumpit and .done calls under that socket's cb_mutex, one at a time;
 *  - the socket tables: walked under their own bucket locks, sockets held
 *    by reference (sockwalk.c), as inet_diag does without any genl lock;
 *  - GET_STATS: per-netns atomics, per-CPU sums and tw_lock (track.c);
 *  - module-wide counters (tcpstate_objects) are atomics, the per-user
 *    dump budget has its own spinlock (budget.c);
 *  - unregistering the family still waits for running doits (genetlink's
 *    cb_lock, which parallel families hold too); a dump in flight holds
 *    a module reference.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "tcpstate.h"
#include "budget.h"
#include "dump.h"
#include "events.h"
#include "netlink.h"
#include "track.h"
#include "version.h"

/* GET_STATS takes no attributes; an all-NLA_UNSPEC policy rejects any. */
static const struct nla_policy tcpstate_stats_policy[TCPSTATE_A_MAX + 1] = {
};

static u32 tcpstate_caps(void)
{
	u32 caps = TCPSTATE_CAP_SOCK_DUMP | TCPSTATE_CAP_ALL_NETNS |
		   TCPSTATE_CAP_PROCESSES | TCPSTATE_CAP_PACKED;

	if (tcpstate_track_attached())
		caps |= TCPSTATE_CAP_AGE_TRACKING;
	caps |= tcpstate_events_caps();
#ifdef TCPSTATE_COMPAT_MCAST_CAP
	caps |= TCPSTATE_CAP_EV_RESTRICTED;
#else
	caps |= TCPSTATE_CAP_EV_OFF_UNRESTRICTED;
#endif
	return caps;
}

static int put_evstats(struct sk_buff *skb, int type,
		       const struct tcpstate_evstats *ev)
{
	struct nlattr *nest = nla_nest_start(skb, TCPSTATE_STATS_A_EVTYPE);

	if (!nest ||
	    nla_put_u8(skb, TCPSTATE_EVSTAT_A_TYPE, type) ||
	    nla_put_u64_64bit(skb, TCPSTATE_EVSTAT_A_SEEN,
			      atomic64_read(&ev->seen), TCPSTATE_EVSTAT_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_EVSTAT_A_DELIVERED,
			      atomic64_read(&ev->delivered),
			      TCPSTATE_EVSTAT_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_EVSTAT_A_DROPPED,
			      atomic64_read(&ev->dropped),
			      TCPSTATE_EVSTAT_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_EVSTAT_A_UNHEARD,
			      atomic64_read(&ev->unheard),
			      TCPSTATE_EVSTAT_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The module-wide figures: how busy the host's TCP is (transitions), how
 * many sockets it has (tracked entries, TIME_WAIT records) and what the
 * module holds. A tenant in its own network namespace learns nothing of
 * other namespaces from us, so only the initial namespace, or
 * CAP_NET_ADMIN in the initial user namespace, gets them.
 */
static int put_host_stats(struct sk_buff *skb)
{
	struct tcpstate_track_stats ts;

	tcpstate_track_get_stats(&ts);
	if (nla_put_u64_64bit(skb, TCPSTATE_STATS_A_TRACK_ENTRIES, ts.entries,
			      TCPSTATE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_STATS_A_TRACK_CAPACITY, ts.capacity,
			      TCPSTATE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_STATS_A_TRACK_FULL, ts.full,
			      TCPSTATE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_STATS_A_TRANSITIONS, ts.transitions,
			      TCPSTATE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_STATS_A_OBJECTS,
			      atomic64_read(&tcpstate_objects),
			      TCPSTATE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_STATS_A_TW_RECORDS, ts.tw_records,
			      TCPSTATE_STATS_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int tcpstate_fill_stats(struct sk_buff *skb, struct net *net,
			       bool host_wide)
{
	struct tcpstate_net *tn = tcpstate_pernet(net);
	struct nlattr *nest;
	int type;

	nest = nla_nest_start(skb, TCPSTATE_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, TCPSTATE_STATS_A_EVENT_SEQ,
			      atomic64_read(&tn->event_seq),
			      TCPSTATE_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, TCPSTATE_STATS_A_ABORT_ON_CLOSE,
			      atomic64_read(&tn->abort_on_close),
			      TCPSTATE_STATS_A_PAD))
		goto nla_put_failure;
	for (type = 1; type <= TCPSTATE_EV_MAX; type++)
		if (put_evstats(skb, type, &tn->ev[type]))
			goto nla_put_failure;
	if (host_wide && put_host_stats(skb))
		goto nla_put_failure;
	nla_nest_end(skb, nest);
	return 0;

nla_put_failure:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int tcpstate_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sk_buff *msg;
	u64 dump_bytes;
	void *hdr;
	u32 dumps;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &tcpstate_genl_family, 0,
				TCPSTATE_CMD_GET_STATS);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}

	/* A doit runs in the sender's sendmsg(): current is the requester. */
	tcpstate_budget_user(current_uid(), &dumps, &dump_bytes);
	if (nla_put_string(msg, TCPSTATE_A_VERSION, TCPSTATE_VERSION) ||
	    nla_put_u32(msg, TCPSTATE_A_CAPS, tcpstate_caps()) ||
	    nla_put_u32(msg, TCPSTATE_A_NETNS, net->ns.inum) ||
	    nla_put_u32(msg, TCPSTATE_A_USER_DUMPS, dumps) ||
	    nla_put_u64_64bit(msg, TCPSTATE_A_USER_DUMP_BYTES, dump_bytes,
			      TCPSTATE_A_PAD)) {
		ret = -EMSGSIZE;
		goto err_free;
	}
	/* A doit runs in the sender's sendmsg(): netlink_capable() judges it. */
	ret = tcpstate_fill_stats(msg, net,
				  net_eq(net, &init_net) ||
				  netlink_capable(skb, CAP_NET_ADMIN));
	if (ret)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static const struct genl_ops tcpstate_genl_ops[] = {
	{
		.cmd = TCPSTATE_CMD_GET_STATS,
		.doit = tcpstate_get_stats_doit,
		.policy = tcpstate_stats_policy,
		.maxattr = TCPSTATE_A_MAX,
	},
	{
		.cmd = TCPSTATE_CMD_GET_SOCK,
		.start = tcpstate_dump_start,
		.dumpit = tcpstate_sock_dumpit,
		.done = tcpstate_sock_dump_done,
		.policy = tcpstate_dump_policy,
		.maxattr = TCPSTATE_A_MAX,
	},
	{
		.cmd = TCPSTATE_CMD_GET_COUNTS,
		.start = tcpstate_dump_start,
		.dumpit = tcpstate_counts_dumpit,
		.done = tcpstate_counts_dump_done,
		.policy = tcpstate_dump_policy,
		.maxattr = TCPSTATE_A_MAX,
	},
};

/*
 * Events may describe any user's connections and processes, so joining the
 * group needs CAP_NET_ADMIN in the user namespace owning the netns. A
 * kernel without GENL_MCAST_CAP_NET_ADMIN (6.1.y before its backport)
 * cannot restrict a group, and genl_bind() there would let every local user
 * join: such a build registers no group at all (the event probes stay off
 * too, events.c) and says so in the CAPS attribute.
 */
#ifdef TCPSTATE_COMPAT_MCAST_CAP
static const struct genl_multicast_group tcpstate_mcgrps[] = {
	{
		.name = TCPSTATE_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};
#endif

struct genl_family tcpstate_genl_family __ro_after_init = {
	.name = TCPSTATE_GENL_NAME,
	.version = TCPSTATE_GENL_VERSION,
	.maxattr = TCPSTATE_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = tcpstate_genl_ops,
	.n_ops = ARRAY_SIZE(tcpstate_genl_ops),
#ifdef TCPSTATE_COMPAT_MCAST_CAP
	.mcgrps = tcpstate_mcgrps,
	.n_mcgrps = ARRAY_SIZE(tcpstate_mcgrps),
#endif
};

int __init tcpstate_genl_init(void)
{
	return genl_register_family(&tcpstate_genl_family);
}

void tcpstate_genl_exit(void)
{
	genl_unregister_family(&tcpstate_genl_family);
}
