// SPDX-License-Identifier: GPL-2.0
/*
 * What one user's dumps in flight may hold.
 *
 * A dump keeps its tables (the owner table: every TCP fd of the pid
 * namespace; GET_COUNTS' records: one per socket) from its first .dumpit
 * until the reader has read everything or closes the socket. A user who
 * starts dumps and never reads them would otherwise pin that memory once
 * per netlink socket it opens. Two bounds per user (by real uid, as
 * RLIMIT_NPROC counts): at most user_dumps dumps in flight, and at most
 * user_dump_kb KiB held by them, counting every table and the dump's own
 * state. Requesters with CAP_NET_ADMIN in the initial user namespace are
 * counted but never refused the memory: root can always list a huge host
 * (the count of dumps still applies to them). The allocations themselves
 * are charged to the requester's memory cgroup (GFP_KERNEL_ACCOUNT),
 * wherever the .dumpit runs.
 *
 * A refused dump fails in its first .dumpit with an extack message; its
 * tables are freed at once, and what it had charged is returned.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/netlink.h>

#include "tcpstate.h"
#include "budget.h"
#include "requester.h"

static unsigned int user_dump_kb = 8192;
module_param(user_dump_kb, uint, 0644);
MODULE_PARM_DESC(user_dump_kb,
		 "KiB the dumps in flight of one user may hold (default 8192); CAP_NET_ADMIN in the initial user namespace is exempt");

static unsigned int user_dumps = 16;
module_param(user_dumps, uint, 0644);
MODULE_PARM_DESC(user_dumps,
		 "Dumps in flight one user may have (default 16)");

struct tcpstate_budget_user {
	struct hlist_node node;
	kuid_t uid;
	u32 dumps;
	u64 bytes;
};

#define BUDGET_BITS 6
static DEFINE_HASHTABLE(budget_users, BUDGET_BITS);
/* Guards budget_users and every entry; held for a few instructions. */
static DEFINE_SPINLOCK(budget_lock);

static struct tcpstate_budget_user *budget_find(kuid_t uid)
{
	struct tcpstate_budget_user *u;

	hash_for_each_possible(budget_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

int tcpstate_budget_enter(struct tcpstate_requester *rq,
			  struct netlink_ext_ack *extack)
{
	kuid_t uid = rq->cred->uid;
	struct tcpstate_budget_user *u, *fresh;
	int ret = 0;

	/* Allocated outside the lock; freed again if the user has one. */
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return -ENOMEM;
	spin_lock(&budget_lock);
	u = budget_find(uid);
	if (!u) {
		u = fresh;
		fresh = NULL;
		u->uid = uid;
		hash_add(budget_users, &u->node, __kuid_val(uid));
		tcpstate_obj_get();
	}
	if (u->dumps >= READ_ONCE(user_dumps)) {
		ret = -EBUSY;
		if (!u->dumps) {
			/* user_dumps is 0: the entry is not needed. */
			hash_del(&u->node);
			fresh = u;
			tcpstate_obj_put();
		}
	} else {
		u->dumps++;
		rq->budget_user = u;
	}
	spin_unlock(&budget_lock);
	kfree(fresh);
	if (ret)
		NL_SET_ERR_MSG(extack,
			       "too many dumps in flight for this user (module parameter user_dumps); read or close them");
	return ret;
}

void tcpstate_budget_leave(struct tcpstate_requester *rq)
{
	struct tcpstate_budget_user *u = rq->budget_user, *gone = NULL;

	if (!u)
		return;
	spin_lock(&budget_lock);
	u->bytes -= rq->charged;
	if (!--u->dumps) {
		hash_del(&u->node);
		gone = u;
	}
	spin_unlock(&budget_lock);
	rq->charged = 0;
	rq->budget_user = NULL;
	if (gone) {
		kfree(gone);
		tcpstate_obj_put();
	}
}

int tcpstate_budget_charge(struct tcpstate_requester *rq, size_t bytes)
{
	struct tcpstate_budget_user *u = rq->budget_user;
	u64 limit = (u64)READ_ONCE(user_dump_kb) * 1024;
	int ret = 0;

	if (!u)
		return -EINVAL;	/* not entered: a bug, refuse */
	spin_lock(&budget_lock);
	if (!rq->host_admin && u->bytes + bytes > limit) {
		ret = -ENOBUFS;
	} else {
		u->bytes += bytes;
		rq->charged += bytes;
	}
	spin_unlock(&budget_lock);
	return ret;
}

void tcpstate_budget_uncharge(struct tcpstate_requester *rq, size_t bytes)
{
	struct tcpstate_budget_user *u = rq->budget_user;

	if (!u)
		return;
	bytes = min_t(u64, bytes, rq->charged);
	spin_lock(&budget_lock);
	u->bytes -= bytes;
	rq->charged -= bytes;
	spin_unlock(&budget_lock);
}

void tcpstate_budget_user(kuid_t uid, u32 *dumps, u64 *bytes)
{
	struct tcpstate_budget_user *u;

	*dumps = 0;
	*bytes = 0;
	spin_lock(&budget_lock);
	u = budget_find(uid);
	if (u) {
		*dumps = u->dumps;
		*bytes = u->bytes;
	}
	spin_unlock(&budget_lock);
}
