/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Owning processes of TCP sockets: one pass over the processes of the
 * caller's pid namespace and their fd tables per dump, into a table sorted
 * by socket (its cookie), looked up once per reported socket.
 */
#ifndef _TCPSTATE_OWNERS_H
#define _TCPSTATE_OWNERS_H

#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <uapi/linux/tcpstate.h>

struct net;
struct sk_buff;
struct sock;

struct tcpstate_owner_proc {
	pid_t pid;			/* tgid in the caller's pid namespace */
	bool visible;			/* the caller may see it */
	char comm[TASK_COMM_LEN];
};

/* One (socket, process, fd) triple: the socket by its key (owners.c). */
struct tcpstate_owner_ref {
	u64 key;
	u32 proc;			/* index into procs */
	/* fds are below sysctl_nr_open_max (< 2^31): 16 bytes a ref */
	u32 fd : 31;
	u32 unaccepted : 1;		/* TCPSTATE_OWNER_UNACCEPTED, else _FD */
};

/* A listener met in an fd table, referenced until the build ends. */
struct tcpstate_owner_listener {
	struct sock *sk;
	u64 key;
};

struct tcpstate_owners {
	struct tcpstate_owner_proc *procs;
	u32 n_procs, cap_procs;
	struct tcpstate_owner_ref *refs;
	u32 n_refs, cap_refs;
	/* Refs grouped by socket and hashed: see sort_refs(). */
	u32 *index;
	unsigned int index_bits;
	/* Only while the build runs: freed when it ends. */
	struct tcpstate_owner_listener *listeners;
	u32 n_listeners, cap_listeners;

	struct pid_namespace *pidns;	/* the requester's */
	const struct net *net;		/* only sockets of this netns; NULL: all */
	struct user_namespace *user_ns;	/* the caller's, for closers' uids */
	/* The requester's, to judge closers in later .dumpit calls. */
	const struct cred *cred;
	/* The requester's process: its own fds are always its to see. */
	struct pid *self;
	/*
	 * The requester has CAP_NET_ADMIN in the initial user namespace:
	 * every process is scanned, those it may not see counted as hidden.
	 * Others' scans skip those processes before taking any of their
	 * locks (owners.c), and set @skipped when they did.
	 */
	bool scan_hidden;
	bool skipped;
	/* While the build runs: whose budget its tables count against. */
	struct tcpstate_requester *rq;
	size_t charged;			/* bytes of them charged to it */
};

/**
 * tcpstate_closer_plain() - whether the closing task needs no privilege
 * @cred: current's credentials
 *
 * For the close probe, about current: dumpable and without permitted
 * capabilities, what the visibility rule asks of a closer that has exited
 * by the time a dump shows it. Any context.
 */
struct cred;
bool tcpstate_closer_plain(const struct cred *cred);

/*
 * Build the table for sockets of @net (NULL: every netns), as seen by @rq:
 * its pid namespace and credentials, never current's. Process context;
 * sleeps. Every table the build holds, scratch included, is charged to
 * @rq's budget (budget.h; @rq has entered it) while the build runs, so
 * that its peak fits in it too: -ENOBUFS when it does not. All of it is
 * returned when the build ends; the caller charges what the built table
 * keeps (tcpstate_owners_bytes()). On error the table is empty and
 * tcpstate_owners_free() must still be called.
 */
struct tcpstate_requester;
int tcpstate_owners_build(struct tcpstate_owners *o, const struct net *net,
			  struct tcpstate_requester *rq);
void tcpstate_owners_free(struct tcpstate_owners *o);

/* Bytes the tables of a built @o hold. */
size_t tcpstate_owners_bytes(const struct tcpstate_owners *o);

/*
 * The same for a dump request, run with @rq's credentials in force (so
 * that permission checks inside judge the requester, not whoever reads
 * the socket); sets an extack message on failure.
 */
struct netlink_ext_ack;
int tcpstate_owners_build_for(struct tcpstate_owners *o,
			      struct tcpstate_requester *rq,
			      const struct net *net,
			      struct netlink_ext_ack *extack);

/*
 * Call @fn once per visible owning process of @sk, or once with @p NULL
 * when none is visible; @kind is TCPSTATE_OWNER_*. Stops at an error.
 */
typedef int (*tcpstate_owner_fn)(void *arg,
				 const struct tcpstate_owner_proc *p, u8 kind);
int tcpstate_owners_each(const struct tcpstate_owners *o, struct sock *sk,
			 tcpstate_owner_fn fn, void *arg);

/*
 * The owner filter: true without one (@pid 0, @comm ""), else whether a
 * visible owner of @sk has that pid and/or name.
 */
bool tcpstate_owners_match(const struct tcpstate_owners *o, struct sock *sk,
			   pid_t pid, const char *comm);

/* TCPSTATE_SOCK_A_OWNER_KIND, _OWNER_FLAGS, _PROCS_TOTAL and _PROCS. */
int tcpstate_owners_put(struct sk_buff *skb, const struct tcpstate_owners *o,
			struct sock *sk);

/*
 * Packed: the owner fields of @r, and the process records appended to
 * @skb after it. The caller checked the room, TCPSTATE_OWNERS_REC_MAX.
 */
struct tcpstate_sock_rec;
void tcpstate_owners_put_rec(struct sk_buff *skb,
			     const struct tcpstate_owners *o, struct sock *sk,
			     struct tcpstate_sock_rec *r);
#define TCPSTATE_OWNERS_REC_MAX \
	(TCPSTATE_MAX_PROCS_PER_SOCK * (sizeof(struct tcpstate_proc_rec) + \
					TCPSTATE_MAX_FDS_PER_PROC * sizeof(u32)))

#endif /* _TCPSTATE_OWNERS_H */
