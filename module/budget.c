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
 * be shared by every container on the host.
 *
 * Each mapped id of such a namespace is a kuid of its own, with a budget
 * of its own: a container mapping 65,536 ids (LXD's default) could pin
 * 65,536 budgets. So every dump from inside a user namespace also counts
 * for, and is refused against, a budget of its outermost user namespace
 * (the child of the initial one: a container and everything nested in
 * it are one tenant), bounded by userns_dumps and userns_dump_kb. For a
 * namespace a user created this bounds nothing the owner's budget does
 * not; for one root created it is what bounds the container.
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

/*
 * A namespace gets four users' worth: one of its ids, held to the
 * per-user figures, cannot use it all up and lock its root and other
 * users out; LXD's 65,536 ids still cannot multiply the per-user budget.
 */
static unsigned int userns_dump_kb = 4 * 8192;
module_param(userns_dump_kb, uint, 0644);
MODULE_PARM_DESC(userns_dump_kb,
		 "KiB the dumps in flight from inside one user namespace (the outermost below the initial one, all its ids and nested namespaces together) may hold (default 32768)");

static unsigned int userns_dumps = 4 * 16;
module_param(userns_dumps, uint, 0644);
MODULE_PARM_DESC(userns_dumps,
		 "Dumps in flight from inside one user namespace may have (default 64)");

/*
 * One user's entry (@uid valid, @ns NULL) or one user namespace's (@ns,
 * @uid INVALID_UID). An entry exists only while a dump is counted on it,
 * and every such dump's requester holds credentials in @ns or below it,
 * which hold @ns: the pointer cannot be freed and reused for another
 * namespace while it is a key here.
 */
struct tcpstate_budget_user {
	struct hlist_node node;
	kuid_t uid;
	const struct user_namespace *ns;
	u32 dumps;
	u64 bytes;
};

#define BUDGET_BITS 6
static DEFINE_HASHTABLE(budget_users, BUDGET_BITS);
/* Guards budget_users and every entry; held for a few instructions. */
/* Process context only: a spinlock_t, see "Locks" in track.c. */
static DEFINE_SPINLOCK(budget_lock);

static unsigned long budget_key(kuid_t uid, const struct user_namespace *ns)
{
	return ns ? (unsigned long)ns : __kuid_val(uid);
}

static struct tcpstate_budget_user *
budget_find(kuid_t uid, const struct user_namespace *ns)
{
	struct tcpstate_budget_user *u;

	hash_for_each_possible(budget_users, u, node, budget_key(uid, ns))
		if (u->ns == ns && uid_eq(u->uid, uid))
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

/* @cred's outermost user namespace other than the initial one, or NULL. */
static const struct user_namespace *budget_outer_ns(const struct cred *cred)
{
	const struct user_namespace *ns = cred->user_ns;

	if (ns == &init_user_ns)
		return NULL;
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	return ns;
}

/* The bounds of entry @u: a namespace's, or a user's. */
static u32 budget_max_dumps(const struct tcpstate_budget_user *u)
{
	return READ_ONCE(*(u->ns ? &userns_dumps : &user_dumps));
}

static u64 budget_max_bytes(const struct tcpstate_budget_user *u)
{
	return (u64)READ_ONCE(*(u->ns ? &userns_dump_kb : &user_dump_kb)) *
	       1024;
}

/* The entry of (@uid, @ns), made from *@fresh (then NULL) if none. */
static struct tcpstate_budget_user *
budget_get(kuid_t uid, const struct user_namespace *ns,
	   struct tcpstate_budget_user **fresh)
{
	struct tcpstate_budget_user *u = budget_find(uid, ns);

	if (!u) {
		u = *fresh;
		*fresh = NULL;
		u->uid = uid;
		u->ns = ns;
		hash_add(budget_users, &u->node, budget_key(uid, ns));
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
	struct tcpstate_budget_user *e[TCPSTATE_BUDGET_ENTRIES] = {};
	struct tcpstate_budget_user *fresh[TCPSTATE_BUDGET_ENTRIES] = {};
	kuid_t uid[TCPSTATE_BUDGET_ENTRIES];
	const struct user_namespace *ns[TCPSTATE_BUDGET_ENTRIES] = {};
	int ret = 0, i;

	/* The user, its namespace's owner, its outermost namespace. */
	uid[0] = rq->cred->uid;
	uid[1] = budget_outer_uid(rq->cred);
	uid[2] = INVALID_UID;
	ns[2] = budget_outer_ns(rq->cred);
	/* Allocated outside the lock; freed again if the keys have one. */
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++) {
		if (!uid_valid(uid[i]) && !ns[i])
			continue;
		fresh[i] = kzalloc(sizeof(*fresh[i]), GFP_KERNEL_ACCOUNT);
		if (!fresh[i])
			goto err_nomem;
	}
	spin_lock(&budget_lock);
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++) {
		if (!fresh[i])
			continue;
		e[i] = budget_get(uid[i], ns[i], &fresh[i]);
		/* The first limit hit is named: the user's own before its namespace's. */
		if (!ret && e[i]->dumps >= budget_max_dumps(e[i]))
			ret = e[i]->ns ? -EDQUOT : -EBUSY;
	}
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++) {
		if (!e[i])
			continue;
		if (!ret) {
			e[i]->dumps++;
			rq->budget[i] = e[i];
		} else {
			/* Entries made for this dump alone are not needed. */
			e[i] = budget_drop(e[i]);
		}
	}
	spin_unlock(&budget_lock);
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++) {
		kfree(fresh[i]);
		if (ret)
			budget_free(e[i]);
	}
	if (ret == -EDQUOT) {
		NL_SET_ERR_MSG(extack,
			       "too many dumps in flight from this user namespace (module parameter userns_dumps); read or close them");
		ret = -EBUSY;
	} else if (ret) {
		NL_SET_ERR_MSG(extack,
			       "too many dumps in flight for this user (module parameter user_dumps; a user namespace's dumps count for its owner too); read or close them");
	}
	return ret;

err_nomem:
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++)
		kfree(fresh[i]);
	return -ENOMEM;
}

void tcpstate_budget_leave(struct tcpstate_requester *rq)
{
	struct tcpstate_budget_user *gone[TCPSTATE_BUDGET_ENTRIES] = {};
	int i;

	if (!rq->budget[0])
		return;
	spin_lock(&budget_lock);
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++) {
		struct tcpstate_budget_user *u = rq->budget[i];

		if (!u)
			continue;
		if (!rq->host_admin)
			u->bytes -= rq->charged;
		u->dumps--;
		gone[i] = budget_drop(u);
		rq->budget[i] = NULL;
	}
	spin_unlock(&budget_lock);
	rq->charged = 0;
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++)
		budget_free(gone[i]);
}

int tcpstate_budget_charge(struct tcpstate_requester *rq, size_t bytes)
{
	int ret = 0, i;

	if (!rq->budget[0])
		return -EINVAL;	/* not entered: a bug, refuse */
	spin_lock(&budget_lock);
	if (rq->host_admin) {
		/*
		 * Never refused, and not held against its uid either: a
		 * capable process running as uid 1000 that lists a huge
		 * host must not use up that user's budget.
		 */
		rq->charged += bytes;
		goto out;
	}
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++) {
		struct tcpstate_budget_user *u = rq->budget[i];

		if (u && u->bytes + bytes > budget_max_bytes(u)) {
			ret = -ENOBUFS;
			goto out;
		}
	}
	for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++)
		if (rq->budget[i])
			rq->budget[i]->bytes += bytes;
	rq->charged += bytes;
out:
	spin_unlock(&budget_lock);
	return ret;
}

void tcpstate_budget_uncharge(struct tcpstate_requester *rq, size_t bytes)
{
	int i;

	if (!rq->budget[0])
		return;
	bytes = min_t(u64, bytes, rq->charged);
	spin_lock(&budget_lock);
	if (!rq->host_admin)
		for (i = 0; i < TCPSTATE_BUDGET_ENTRIES; i++)
			if (rq->budget[i])
				rq->budget[i]->bytes -= bytes;
	rq->charged -= bytes;
	spin_unlock(&budget_lock);
}

void tcpstate_budget_user(kuid_t uid, u32 *dumps, u64 *bytes)
{
	struct tcpstate_budget_user *u;

	*dumps = 0;
	*bytes = 0;
	spin_lock(&budget_lock);
	u = budget_find(uid, NULL);
	if (u) {
		*dumps = u->dumps;
		*bytes = u->bytes;
	}
	spin_unlock(&budget_lock);
}
