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
 * state.
 *
 * A uid is not a person: an unprivileged user may create a user namespace
 * and, with subordinate ids (newuidmap), run processes as many kuids, each
 * of which would have its own budget. So a dump from inside a user
 * namespace also counts for, and is refused against, the budget of the
 * owner of its outermost user namespace (the child of the initial one),
 * i.e. the real user who created it: that user's total over all its
 * namespaces stays within one budget. Namespaces created by root (the
 * owner is the initial root: container managers mapping ranges they were
 * configured with) are not folded onto root, whose budget would otherwise
 * be shared by every container on the host; there each mapped id keeps
 * its own budget, as an administrator's grant.
 *
 * Requesters with CAP_NET_ADMIN in the initial user namespace are never
 * refused the memory, and it is not held against their uid (a capable
 * process running as uid 1000 must not use up that user's budget): root
 * can always list a huge host. The count of dumps still applies to them. The allocations themselves
 * are charged to the requester's memory cgroup (GFP_KERNEL_ACCOUNT),
 * wherever the .dumpit runs.
 *
 * A dump is counted in its first .dumpit and its tables charged in the
 * second (dump.c); a refused dump fails with an extack message, its
 * tables are freed at once, and what it had charged is returned.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>
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
/* Process context only: a spinlock_t, see "Locks" in track.c. */
static DEFINE_SPINLOCK(budget_lock);

static struct tcpstate_budget_user *budget_find(kuid_t uid)
{
	struct tcpstate_budget_user *u;

	hash_for_each_possible(budget_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/*
 * The owner of @cred's outermost user namespace other than the initial
 * one, when its dumps count for that owner too; INVALID_UID otherwise
 * (the initial namespace, a namespace root created, or that owner is the
 * user itself: one entry is charged once).
 */
static kuid_t budget_outer_uid(const struct cred *cred)
{
	const struct user_namespace *ns = cred->user_ns;

	if (ns == &init_user_ns)
		return INVALID_UID;
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	if (uid_eq(ns->owner, GLOBAL_ROOT_UID) || uid_eq(ns->owner, cred->uid))
		return INVALID_UID;
	return ns->owner;
}

/* @uid's entry, made from *@fresh (then NULL) if it has none. */
static struct tcpstate_budget_user *
budget_get(kuid_t uid, struct tcpstate_budget_user **fresh)
{
	struct tcpstate_budget_user *u = budget_find(uid);

	if (!u) {
		u = *fresh;
		*fresh = NULL;
		u->uid = uid;
		hash_add(budget_users, &u->node, __kuid_val(uid));
		tcpstate_obj_get();
	}
	return u;
}

/* Unlink @u if no dump is counted on it; returns it then, for kfree(). */
static struct tcpstate_budget_user *budget_drop(struct tcpstate_budget_user *u)
{
	if (!u || u->dumps)
		return NULL;
	hash_del(&u->node);
	return u;
}

static void budget_free(struct tcpstate_budget_user *u)
{
	if (u) {
		kfree(u);
		tcpstate_obj_put();
	}
}

int tcpstate_budget_enter(struct tcpstate_requester *rq,
			  struct netlink_ext_ack *extack)
{
	kuid_t uid = rq->cred->uid, outer = budget_outer_uid(rq->cred);
	struct tcpstate_budget_user *u, *o = NULL, *fresh[2], *gone[2];
	u32 limit = READ_ONCE(user_dumps);
	int ret = 0;

	/* Allocated outside the lock; freed again if the users have one. */
	fresh[0] = kzalloc(sizeof(*fresh[0]), GFP_KERNEL_ACCOUNT);
	fresh[1] = uid_valid(outer) ?
		   kzalloc(sizeof(*fresh[1]), GFP_KERNEL_ACCOUNT) : NULL;
	if (!fresh[0] || (uid_valid(outer) && !fresh[1])) {
		kfree(fresh[0]);
		kfree(fresh[1]);
		return -ENOMEM;
	}
	spin_lock(&budget_lock);
	u = budget_get(uid, &fresh[0]);
	if (uid_valid(outer))
		o = budget_get(outer, &fresh[1]);
	if (u->dumps >= limit || (o && o->dumps >= limit)) {
		ret = -EBUSY;
		/* Entries made for this dump alone are not needed. */
		gone[0] = budget_drop(u);
		gone[1] = budget_drop(o);
	} else {
		u->dumps++;
		if (o)
			o->dumps++;
		rq->budget_user = u;
		rq->budget_outer = o;
		gone[0] = gone[1] = NULL;
	}
	spin_unlock(&budget_lock);
	kfree(fresh[0]);
	kfree(fresh[1]);
	budget_free(gone[0]);
	budget_free(gone[1]);
	if (ret)
		NL_SET_ERR_MSG(extack,
			       "too many dumps in flight for this user (module parameter user_dumps; a user namespace's dumps count for its owner too); read or close them");
	return ret;
}

void tcpstate_budget_leave(struct tcpstate_requester *rq)
{
	struct tcpstate_budget_user *u = rq->budget_user;
	struct tcpstate_budget_user *o = rq->budget_outer, *gone[2] = {};

	if (!u)
		return;
	spin_lock(&budget_lock);
	if (!rq->host_admin)
		u->bytes -= rq->charged;
	u->dumps--;
	gone[0] = budget_drop(u);
	if (o) {
		if (!rq->host_admin)
			o->bytes -= rq->charged;
		o->dumps--;
		gone[1] = budget_drop(o);
	}
	spin_unlock(&budget_lock);
	rq->charged = 0;
	rq->budget_user = NULL;
	rq->budget_outer = NULL;
	budget_free(gone[0]);
	budget_free(gone[1]);
}

int tcpstate_budget_charge(struct tcpstate_requester *rq, size_t bytes)
{
	struct tcpstate_budget_user *u = rq->budget_user;
	struct tcpstate_budget_user *o = rq->budget_outer;
	u64 limit = (u64)READ_ONCE(user_dump_kb) * 1024;
	int ret = 0;

	if (!u)
		return -EINVAL;	/* not entered: a bug, refuse */
	spin_lock(&budget_lock);
	if (rq->host_admin) {
		/*
		 * Never refused, and not held against its uid either: a
		 * capable process running as uid 1000 that lists a huge
		 * host must not use up that user's budget.
		 */
		rq->charged += bytes;
	} else if (u->bytes + bytes > limit ||
		   (o && o->bytes + bytes > limit)) {
		ret = -ENOBUFS;
	} else {
		u->bytes += bytes;
		if (o)
			o->bytes += bytes;
		rq->charged += bytes;
	}
	spin_unlock(&budget_lock);
	return ret;
}

void tcpstate_budget_uncharge(struct tcpstate_requester *rq, size_t bytes)
{
	struct tcpstate_budget_user *u = rq->budget_user;
	struct tcpstate_budget_user *o = rq->budget_outer;

	if (!u)
		return;
	bytes = min_t(u64, bytes, rq->charged);
	spin_lock(&budget_lock);
	if (!rq->host_admin) {
		u->bytes -= bytes;
		if (o)
			o->bytes -= bytes;
	}
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
