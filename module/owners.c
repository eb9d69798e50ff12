// SPDX-License-Identifier: GPL-2.0
/*
 * Which processes own which TCP sockets.
 *
 * ss -p answers this by reading every /proc/PID/fd/N link, one syscall per
 * fd. Here one pass over the thread groups of the caller's pid namespace
 * (find_ge_pid, as /proc's readdir does) reads each fd table under
 * task_lock() and files->file_lock (as fs/proc/fd.c and iterate_fd() do),
 * keeps every fd whose file is a TCP socket, and sorts the (socket,
 * process, fd) triples by socket (sort_refs()), so that the dump finds a
 * socket's owners with one hash lookup. Socket pointers are keys only:
 * nothing in this table is ever followed, so a socket that dies meanwhile
 * costs nothing but a stale key.
 *
 * The fd table is read under files->file_lock as iterate_fd() does, but
 * only the slots set in its open_fds bitmap are visited: a process forked
 * from one that once had 100,000 fds keeps a table that large, and
 * iterate_fd() would visit every slot of it. Under the lock nothing can
 * be allocated: when the table is full the scan stops, grows the table
 * outside the locks and resumes at that fd.
 *
 * Only the thread group leader's fd table is read (what /proc/PID/fd
 * shows), or, when the leader has exited, that of the first live thread:
 * threads share one table, so a process counts once.
 *
 * Sockets still in a listener's accept queue have no fd yet; they belong
 * to whoever holds the listener. Every listener met in an fd table is held
 * until its accept queue was read (under rskq_lock, the lock that
 * inet_csk_accept() takes), and its children inherit its owners, marked
 * TCPSTATE_OWNER_UNACCEPTED. Request sockets (SYN_RECV) are attributed to
 * their listener the same way.
 *
 * Privacy: /proc/PID/fd needs ptrace access, which is how ss -p hides
 * other users' processes. A caller without CAP_NET_ADMIN or CAP_SYS_PTRACE
 * (in the user namespace owning its pid namespace) sees only processes
 * whose uid, euid and suid all equal its fsuid; the others count, but
 * are reported as hidden. Processes outside its pid namespace have no pid
 * it could name and are not scanned at all.
 */
#include <linux/fdtable.h>
#include <linux/hash.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/sock.h>

#include "tcpstate.h"
#include "nlput.h"
#include "owners.h"
#include "requester.h"
#include "track.h"

/*
 * First sizes of the tables; they double as needed. There is no size hint
 * carried from one build to the next: one requester's host-sized table
 * must not make every later requester allocate that much.
 */
#define OWNERS_INITIAL_REFS 1024
#define OWNERS_INITIAL_PROCS 256

/*
 * Every table of the build is charged to the memory cgroup of the process
 * running it (the requester, or whoever reads its socket); what a dump
 * keeps afterwards also counts against its user's budget (budget.c,
 * tcpstate_owners_bytes()).
 */
static int grow(void **arr, u32 *cap, size_t size, u32 min)
{
	u32 n = max3(*cap * 2, min, 16U);
	void *p;

	if (n > INT_MAX / size)
		return -E2BIG;
	p = kvmalloc_array(n, size, GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	if (*arr) {
		memcpy(p, *arr, (size_t)*cap * size);
		kvfree(*arr);
	} else {
		tcpstate_obj_get();
	}
	*arr = p;
	*cap = n;
	return 0;
}

/* A table grow() or sort_refs() allocated, counted as a module object. */
static void free_table(void *p)
{
	if (p) {
		kvfree(p);
		tcpstate_obj_put();
	}
}

static bool is_inet_tcp(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_TCP && sk->sk_type == SOCK_STREAM &&
	       (sk->sk_family == AF_INET || sk->sk_family == AF_INET6);
}

struct fd_scan {
	struct tcpstate_owners *o;
	u32 proc;
	unsigned int resume;	/* the fd that did not fit */
	bool full;
};

/* Under task_lock and files->file_lock: no sleeping, no allocation. */
static int scan_fd(const void *arg, struct file *file, unsigned int fd)
{
	struct fd_scan *s = (struct fd_scan *)arg;
	struct tcpstate_owners *o = s->o;
	struct tcpstate_owner_ref *r;
	struct socket *sock;
	struct sock *sk;
	bool listener;

	sock = sock_from_file(file);
	if (!sock)
		return 0;
	/* The file holds the socket, and the fd table holds the file. */
	sk = READ_ONCE(sock->sk);
	if (!sk || !is_inet_tcp(sk))
		return 0;
	if (o->net && !net_eq(sock_net(sk), o->net))
		return 0;
	/* Read once: the room check and the store must agree. */
	listener = READ_ONCE(sk->sk_state) == TCP_LISTEN;
	if (o->n_refs == o->cap_refs ||
	    (listener && o->n_listeners == o->cap_listeners)) {
		s->resume = fd;
		s->full = true;
		return 1;
	}
	r = &o->refs[o->n_refs++];
	r->sk = sk;
	r->proc = s->proc;
	r->fd = fd;
	r->unaccepted = 0;
	if (listener) {
		sock_hold(sk);
		o->listeners[o->n_listeners++] = sk;
	}
	return 0;
}

/* Like iterate_fd(), over the open fds only. Under task_lock(). */
static int scan_files(struct files_struct *files, unsigned int start,
		      struct fd_scan *s)
{
	struct fdtable *fdt;
	unsigned int n;
	int res = 0;

	if (!files)
		return 0;
	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	for (n = find_next_bit(fdt->open_fds, fdt->max_fds, start);
	     n < fdt->max_fds;
	     n = find_next_bit(fdt->open_fds, fdt->max_fds, n + 1)) {
		struct file *file;

		file = rcu_dereference_check_fdtable(files, fdt->fd[n]);
		if (!file)
			continue;	/* reserved, not installed yet */
		res = scan_fd(s, file, n);
		if (res)
			break;
	}
	spin_unlock(&files->file_lock);
	return res;
}

/* The privacy rule, for fd holders and closers alike. */
static bool may_see_ids(const struct tcpstate_owners *o, kuid_t uid,
			kuid_t euid, kuid_t suid)
{
	return o->privileged ||
	       (uid_eq(uid, o->uid) && uid_eq(euid, o->uid) &&
		uid_eq(suid, o->uid));
}

static bool caller_may_see(const struct tcpstate_owners *o,
			   struct task_struct *task)
{
	const struct cred *cred;
	bool ok;

	if (o->privileged)
		return true;
	rcu_read_lock();
	cred = __task_cred(task);
	ok = may_see_ids(o, cred->uid, cred->euid, cred->suid);
	rcu_read_unlock();
	return ok;
}

/*
 * Terminated, and zeroes after the name: a packed record copies all
 * TASK_COMM_LEN bytes, and must not carry what followed an older name.
 */
static void comm_pad(char *comm)
{
	size_t n = strnlen(comm, TASK_COMM_LEN - 1);

	memset(comm + n, 0, TASK_COMM_LEN - n);
}

/* The task whose fd table stands for the process: leader, or a live thread. */
static struct task_struct *files_task(struct task_struct *leader)
{
	struct task_struct *t, *found = NULL;

	if (READ_ONCE(leader->files)) {
		get_task_struct(leader);
		return leader;
	}
	rcu_read_lock();
	for_each_thread(leader, t) {
		if (READ_ONCE(t->files)) {
			found = t;
			get_task_struct(found);
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

static int scan_process(struct tcpstate_owners *o, struct task_struct *leader,
			pid_t pid)
{
	struct tcpstate_owner_proc *p;
	struct task_struct *t;
	struct fd_scan s = { .o = o };
	unsigned int start = 0;
	u32 before = o->n_refs;
	int ret = 0;

	if (leader->flags & PF_KTHREAD)
		return 0;
	t = files_task(leader);
	if (!t)
		return 0;
	if (o->n_procs == o->cap_procs) {
		ret = grow((void **)&o->procs, &o->cap_procs, sizeof(*o->procs),
			   OWNERS_INITIAL_PROCS);
		if (ret)
			goto out;
	}
	s.proc = o->n_procs;
	for (;;) {
		s.full = false;
		task_lock(t);
		scan_files(t->files, start, &s);
		task_unlock(t);
		if (!s.full)
			break;
		start = s.resume;
		if (o->n_refs == o->cap_refs)
			ret = grow((void **)&o->refs, &o->cap_refs,
				   sizeof(*o->refs), OWNERS_INITIAL_REFS);
		else
			ret = grow((void **)&o->listeners, &o->cap_listeners,
				   sizeof(*o->listeners), 16);
		if (ret)
			goto out;
	}
	if (o->n_refs == before)
		goto out;	/* no TCP socket: no process record */
	p = &o->procs[o->n_procs++];
	p->pid = pid;
	p->visible = caller_may_see(o, leader);
	/* Racy against prctl(PR_SET_NAME) like every comm reader; terminated. */
	task_lock(leader);
	memcpy(p->comm, leader->comm, sizeof(p->comm));
	task_unlock(leader);
	comm_pad(p->comm);
out:
	put_task_struct(t);
	return ret;
}

static int ref_cmp(const void *a, const void *b)
{
	const struct tcpstate_owner_ref *x = a, *y = b;

	if (x->sk != y->sk)
		return x->sk < y->sk ? -1 : 1;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	if (x->fd != y->fd)
		return x->fd < y->fd ? -1 : 1;
	return 0;
}

/*
 * Group the refs by socket, each socket's refs in ref_cmp() order (process,
 * then fd), and index the groups by a hash of the socket pointer.
 *
 * The refs are counting-sorted by hash bucket (one stable pass: a bucket
 * keeps the scan's (process, fd) order), then each bucket, one or two refs
 * long on average, is insertion-sorted by socket pointer, again stably. The
 * dump then finds a socket's refs with one hash and a look at its bucket
 * instead of a binary search over all refs (14 steps at 10,000), and the
 * grouping costs one pass instead of a radix sort's four or five. Bucket b
 * holds refs [index[b], index[b + 1]).
 *
 * The unaccepted refs appended after the scan are in process order per
 * socket too; a socket that also has fd refs (accepted while the table was
 * built) may end up out of order within its run, which the final pass puts
 * right with lib/sort on that run alone.
 */
static u32 ref_bucket(const struct tcpstate_owners *o, const struct sock *sk)
{
	return hash_ptr(sk, o->index_bits);
}

static int sort_refs(struct tcpstate_owners *o)
{
	struct tcpstate_owner_ref *tmp, *src = o->refs, r;
	u32 n = o->n_refs, nb, i, j, b, start, *index;
	unsigned int bits;

	free_table(o->index);
	o->index = NULL;
	if (!n)
		return 0;
	/* About one ref a bucket; at least 16 buckets. */
	bits = max_t(unsigned int, 4, ilog2(roundup_pow_of_two(n)));
	nb = 1U << bits;
	tmp = kvmalloc_array(n, sizeof(*tmp), GFP_KERNEL_ACCOUNT);
	index = kvcalloc(nb + 1, sizeof(*index), GFP_KERNEL_ACCOUNT);
	if (!tmp || !index) {
		kvfree(tmp);
		kvfree(index);
		return -ENOMEM;
	}
	tcpstate_obj_get();
	o->index = index;
	o->index_bits = bits;
	for (i = 0; i < n; i++)
		index[ref_bucket(o, src[i].sk) + 1]++;
	for (b = 0; b < nb; b++)
		index[b + 1] += index[b];
	/* Scatter with index[b] as bucket b's cursor; it ends at b + 1's start. */
	for (i = 0; i < n; i++)
		tmp[index[ref_bucket(o, src[i].sk)]++] = src[i];
	for (b = nb; b > 0; b--)
		index[b] = index[b - 1];
	index[0] = 0;
	/* The sorted refs are in tmp: keep it, no copy back. */
	kvfree(o->refs);
	o->refs = tmp;
	o->cap_refs = n;
	for (b = 0; b < nb; b++) {
		for (i = index[b] + 1; i < index[b + 1]; i++) {
			r = tmp[i];
			for (j = i; j > index[b] && tmp[j - 1].sk > r.sk; j--)
				tmp[j] = tmp[j - 1];
			tmp[j] = r;
		}
	}
	/* Runs of one socket that are not in (process, fd) order. */
	for (start = 0; start < n; start = i) {
		bool sorted = true;

		for (i = start + 1; i < n && o->refs[i].sk == o->refs[start].sk; i++)
			if (ref_cmp(&o->refs[i - 1], &o->refs[i]) > 0)
				sorted = false;
		if (!sorted)
			sort(o->refs + start, i - start, sizeof(*o->refs),
			     ref_cmp, NULL);
	}
	return 0;
}

/*
 * Index of the first ref of @sk among the first @n refs, or @n: the refs
 * indexed by the last sort_refs(), which covered exactly those @n.
 */
static u32 first_ref_in(const struct tcpstate_owners *o, const struct sock *sk,
			u32 n)
{
	u32 i, end, b;

	if (!o->index)
		return n;	/* no refs */
	b = ref_bucket(o, sk);
	end = min(o->index[b + 1], n);
	for (i = o->index[b]; i < end; i++)
		if (o->refs[i].sk == sk)
			return i;
	return n;
}

/* The same over the whole table, once it is sorted. */
static u32 first_ref(const struct tcpstate_owners *o, const struct sock *sk)
{
	return first_ref_in(o, sk, o->n_refs);
}

/*
 * Children waiting in @lsk's accept queue. Allocates outside the queue
 * lock and retries if the queue grew in between.
 */
static int accept_queue(struct sock *lsk, const struct sock ***out, u32 *n)
{
	struct request_sock_queue *q = &inet_csk(lsk)->icsk_accept_queue;
	const struct sock **kids;
	struct request_sock *req;
	u32 cap = READ_ONCE(lsk->sk_ack_backlog) + 16, i;

	for (;;) {
		kids = kvmalloc_array(cap, sizeof(*kids), GFP_KERNEL_ACCOUNT);
		if (!kids)
			return -ENOMEM;
		i = 0;
		spin_lock_bh(&q->rskq_lock);
		for (req = q->rskq_accept_head; req && i < cap; req = req->dl_next)
			if (req->sk)
				kids[i++] = req->sk;
		spin_unlock_bh(&q->rskq_lock);
		if (!req)
			break;
		kvfree(kids);
		if (cap > INT_MAX / 2)
			return -E2BIG;
		cap *= 2;
	}
	*out = kids;
	*n = i;
	return 0;
}

/* Give each accept-queue child the owners of its listener. */
static int add_unaccepted(struct tcpstate_owners *o)
{
	u32 n_fd = o->n_refs, l, i, k;
	int ret = 0;

	for (l = 0; l < o->n_listeners; l++) {
		struct sock *lsk = o->listeners[l];
		const struct sock **kids;
		u32 n_kids, first, n_owners = 0;

		/* A listener held through several fds: read its queue once. */
		for (i = 0; i < l; i++)
			if (o->listeners[i] == lsk)
				break;
		if (i < l)
			continue;
		/*
		 * Only the fd refs are indexed: the unaccepted ones appended
		 * for earlier listeners are not, and are not looked at.
		 */
		first = first_ref_in(o, lsk, n_fd);
		while (first + n_owners < n_fd && o->refs[first + n_owners].sk == lsk)
			n_owners++;
		if (!n_owners)
			continue;
		ret = accept_queue(lsk, &kids, &n_kids);
		if (ret)
			return ret;
		for (k = 0; k < n_kids && !ret; k++) {
			for (i = 0; i < n_owners; i++) {
				struct tcpstate_owner_ref *r, *lr;

				lr = &o->refs[first + i];
				/* One entry per process, not per listener fd. */
				if (i && o->refs[first + i - 1].proc == lr->proc)
					continue;
				if (o->n_refs == o->cap_refs) {
					ret = grow((void **)&o->refs, &o->cap_refs,
						   sizeof(*o->refs),
						   OWNERS_INITIAL_REFS);
					if (ret)
						break;
					lr = &o->refs[first + i];
				}
				r = &o->refs[o->n_refs++];
				r->sk = kids[k];
				r->proc = lr->proc;
				r->fd = 0;
				r->unaccepted = 1;
			}
		}
		kvfree(kids);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static void release_listeners(struct tcpstate_owners *o)
{
	u32 i;

	for (i = 0; i < o->n_listeners; i++)
		sock_put(o->listeners[i]);
	o->n_listeners = 0;
}

int tcpstate_owners_build_for(struct tcpstate_owners *o,
			      const struct tcpstate_requester *rq,
			      const struct net *net,
			      struct netlink_ext_ack *extack)
{
	const struct cred *old;
	int ret;

	/*
	 * This may run in the recvmsg() of a process other than the
	 * requester: whatever inside asks current_cred() (a ptrace access
	 * check) must get the requester's answer.
	 */
	old = override_creds(rq->cred);
	ret = tcpstate_owners_build(o, net, rq);
	revert_creds(old);
	if (ret && ret != -EINTR)
		NL_SET_ERR_MSG(extack, "cannot build the process table");
	return ret;
}

int tcpstate_owners_build(struct tcpstate_owners *o, const struct net *net,
			  const struct tcpstate_requester *rq)
{
	struct pid_namespace *ns = rq->pidns;
	pid_t nr = 1;
	int ret;

	memset(o, 0, sizeof(*o));
	o->pidns = get_pid_ns(ns);
	o->user_ns = get_user_ns(rq->cred->user_ns);
	o->net = net;
	o->privileged = rq->owners_privileged;
	o->uid = rq->cred->fsuid;
	ret = grow((void **)&o->refs, &o->cap_refs, sizeof(*o->refs),
		   OWNERS_INITIAL_REFS);
	if (!ret)
		ret = grow((void **)&o->procs, &o->cap_procs, sizeof(*o->procs),
			   OWNERS_INITIAL_PROCS);
	if (!ret)
		ret = grow((void **)&o->listeners, &o->cap_listeners,
			   sizeof(*o->listeners), 16);
	while (!ret) {
		struct task_struct *task = NULL;
		struct pid *pid;

		rcu_read_lock();
		pid = find_ge_pid(nr, ns);
		if (pid) {
			nr = pid_nr_ns(pid, ns);
			task = pid_task(pid, PIDTYPE_TGID);
			if (task)
				get_task_struct(task);
		}
		rcu_read_unlock();
		if (!pid)
			break;
		if (task) {
			ret = scan_process(o, task, nr);
			put_task_struct(task);
		}
		nr++;
		if (fatal_signal_pending(current))
			ret = -EINTR;
		cond_resched();
	}
	if (!ret)
		ret = sort_refs(o);
	if (!ret) {
		u32 n_fd = o->n_refs;

		ret = add_unaccepted(o);
		if (!ret && o->n_refs != n_fd)
			ret = sort_refs(o);
	}
	release_listeners(o);
	if (ret) {
		tcpstate_owners_free(o);
		return ret;
	}
	return 0;
}

size_t tcpstate_owners_bytes(const struct tcpstate_owners *o)
{
	size_t n = (size_t)o->cap_refs * sizeof(*o->refs) +
		   (size_t)o->cap_procs * sizeof(*o->procs) +
		   (size_t)o->cap_listeners * sizeof(*o->listeners);

	if (o->index)
		n += ((size_t)1 << o->index_bits) * sizeof(*o->index) +
		     sizeof(*o->index);
	return n;
}

void tcpstate_owners_free(struct tcpstate_owners *o)
{
	release_listeners(o);
	free_table(o->refs);
	free_table(o->index);
	free_table(o->procs);
	free_table(o->listeners);
	if (o->pidns)
		put_pid_ns(o->pidns);
	if (o->user_ns)
		put_user_ns(o->user_ns);
	memset(o, 0, sizeof(*o));
}

/*
 * The socket the owners are looked up for: a request socket belongs to its
 * listener's owners (its full child, once created, is in the accept queue).
 */
static const struct sock *owner_key(const struct sock *sk, bool *via_listener)
{
	*via_listener = false;
	if (sk->sk_state == TCP_NEW_SYN_RECV) {
		*via_listener = true;
		return inet_reqsk(sk)->rsk_listener;
	}
	return sk;
}

bool tcpstate_owners_match(const struct tcpstate_owners *o,
			   const struct sock *sk, pid_t pid, const char *comm)
{
	bool via;
	const struct sock *key = owner_key(sk, &via);
	u32 i;

	if (!pid && !comm[0])
		return true;
	for (i = first_ref(o, key); i < o->n_refs && o->refs[i].sk == key; i++) {
		const struct tcpstate_owner_proc *p = &o->procs[o->refs[i].proc];

		if (!p->visible)
			continue;
		if (pid && p->pid != pid)
			continue;
		if (comm[0] && strncmp(p->comm, comm, sizeof(p->comm)))
			continue;
		return true;
	}
	return false;
}

/* Kind and flags of a socket nobody in the table holds. */
static u8 ownerless_kind(const struct tcpstate_owners *o, struct sock *sk,
			 u32 *flags)
{
	struct socket *sock;

	if (sk->sk_state == TCP_TIME_WAIT) {
		*flags |= TCPSTATE_OWNER_F_CLOSE_UNSEEN;
		return TCPSTATE_OWNER_CLOSED_BY;
	}
	if (!sk_fullsock(sk))
		return TCPSTATE_OWNER_NONE;	/* request socket, listener gone */
	if (sk->sk_kern_sock) {
		*flags |= TCPSTATE_OWNER_F_KERNEL;
		return TCPSTATE_OWNER_NONE;
	}
	sock = READ_ONCE(sk->sk_socket);
	if (!sock) {
		if (sock_flag(sk, SOCK_DEAD)) {
			*flags |= TCPSTATE_OWNER_F_CLOSE_UNSEEN;
			return TCPSTATE_OWNER_CLOSED_BY;
		}
		/* Left the accept queue after the scan, or not yet grafted. */
		return TCPSTATE_OWNER_NONE;
	}
	/* A holder outside the caller's pid namespace is not ours to name. */
	if (o->pidns != &init_pid_ns)
		return TCPSTATE_OWNER_HIDDEN;
	*flags |= TCPSTATE_OWNER_F_NO_FD;
	return TCPSTATE_OWNER_NONE;
}

struct owner_class {
	u32 first, end;		/* the socket's refs */
	u32 visible;		/* visible processes */
	u32 flags;		/* TCPSTATE_OWNER_F_* */
	u8 kind;
};

static void classify(const struct tcpstate_owners *o, struct sock *sk,
		     struct owner_class *c)
{
	bool via_listener;
	const struct sock *key = owner_key(sk, &via_listener);
	u32 hidden = 0;

	memset(c, 0, sizeof(*c));
	c->kind = TCPSTATE_OWNER_FD;
	c->first = first_ref(o, key);
	for (c->end = c->first;
	     c->end < o->n_refs && o->refs[c->end].sk == key; c->end++) {
		/* Count processes, not fds: refs of one process are adjacent. */
		if (c->end > c->first &&
		    o->refs[c->end - 1].proc == o->refs[c->end].proc)
			continue;
		if (o->procs[o->refs[c->end].proc].visible)
			c->visible++;
		else
			hidden++;
	}
	if (c->first == c->end) {
		c->kind = ownerless_kind(o, sk, &c->flags);
	} else if (!c->visible) {
		c->kind = TCPSTATE_OWNER_HIDDEN;
	} else {
		if (hidden)
			c->flags |= TCPSTATE_OWNER_F_SOME_HIDDEN;
		if (via_listener ||
		    o->refs[c->first].unaccepted)
			c->kind = TCPSTATE_OWNER_UNACCEPTED;
	}
}

int tcpstate_owners_each(const struct tcpstate_owners *o, struct sock *sk,
			 tcpstate_owner_fn fn, void *arg)
{
	struct owner_class c;
	u32 i;
	int ret;

	classify(o, sk, &c);
	if (!c.visible)
		return fn(arg, NULL, c.kind);
	for (i = c.first; i < c.end; i++) {
		const struct tcpstate_owner_proc *p = &o->procs[o->refs[i].proc];

		if (i > c.first && o->refs[i - 1].proc == o->refs[i].proc)
			continue;
		if (!p->visible)
			continue;
		ret = fn(arg, p, c.kind);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * What a socket's owner fields say, worked out once for either encoding
 * (attributes or a packed record): kind, flags, the number of visible
 * processes, and the processes shown, each with the run of its refs (its
 * fds), or the closer of an orphan.
 */
struct owner_view {
	u8 kind;
	u32 flags;
	u32 total;			/* visible processes */
	u32 shown;			/* entries of procs[], or 1 closer */
	bool with_fds;
	struct {
		const struct tcpstate_owner_proc *p;
		u32 first, end;		/* its refs */
	} procs[TCPSTATE_MAX_PROCS_PER_SOCK];
	/* TCPSTATE_OWNER_CLOSED_BY with a visible closer (shown == 1) */
	pid_t closer_pid;
	u32 closer_uid;
	char closer_comm[TASK_COMM_LEN];
};

/*
 * An orphan: the process the close probe saw closing it, if the caller may
 * see it (same rule as for holders; its pid must exist in the caller's pid
 * namespace). The module records closers only for sockets it tracks.
 */
static void view_closer(const struct tcpstate_owners *o, struct sock *sk,
			struct owner_view *v)
{
	struct tcpstate_closer cl;
	pid_t nr;

	if (!tcpstate_track_closer(sk, &cl))
		return;
	v->flags &= ~TCPSTATE_OWNER_F_CLOSE_UNSEEN;
	nr = pid_nr_ns(cl.pid, o->pidns);
	put_pid(cl.pid);
	if (!nr || !may_see_ids(o, cl.uid, cl.euid, cl.suid)) {
		v->flags |= TCPSTATE_OWNER_F_SOME_HIDDEN;
		return;
	}
	v->total = v->shown = 1;
	v->closer_pid = nr;
	v->closer_uid = from_kuid_munged(o->user_ns, cl.uid);
	memcpy(v->closer_comm, cl.comm, sizeof(v->closer_comm));
	comm_pad(v->closer_comm);
}

static void owner_view(const struct tcpstate_owners *o, struct sock *sk,
		       struct owner_view *v)
{
	struct owner_class c;
	u32 i, j;

	classify(o, sk, &c);
	v->kind = c.kind;
	v->flags = c.flags;
	v->total = 0;
	v->shown = 0;
	v->with_fds = c.kind == TCPSTATE_OWNER_FD;
	if (c.kind == TCPSTATE_OWNER_CLOSED_BY) {
		view_closer(o, sk, v);
		return;
	}
	v->total = c.visible;
	for (i = c.first; i < c.end && v->shown < TCPSTATE_MAX_PROCS_PER_SOCK;
	     i = j) {
		const struct tcpstate_owner_proc *p = &o->procs[o->refs[i].proc];

		for (j = i; j < c.end && o->refs[j].proc == o->refs[i].proc; j++)
			;
		if (!p->visible)
			continue;
		v->procs[v->shown].p = p;
		v->procs[v->shown].first = i;
		v->procs[v->shown].end = j;
		v->shown++;
	}
}

/* Fds of one shown process that are reported, at most the bound. */
static u32 view_nfds(const struct owner_view *v, u32 k)
{
	if (!v->with_fds)
		return 0;
	return min_t(u32, v->procs[k].end - v->procs[k].first,
		     TCPSTATE_MAX_FDS_PER_PROC);
}

/* Most one process record takes: nest, pid, comm, the fds, fds_total. */
#define PROC_MAX(nfds) (NLA_HDRLEN + 3 * nla_total_size(4) + \
			nla_total_size(TASK_COMM_LEN) + (nfds) * nla_total_size(4))
/* Kind, flags, total and the PROCS nest. */
#define OWNER_HEAD_MAX (3 * nla_total_size(4) + NLA_HDRLEN)

/* Room the attributes of @v take at most. */
static int owners_room(const struct owner_view *v)
{
	int room = OWNER_HEAD_MAX;
	u32 k;

	for (k = 0; k < v->shown; k++)
		room += PROC_MAX(v->kind == TCPSTATE_OWNER_CLOSED_BY ? 0 :
				 view_nfds(v, k));
	return room;
}

/* The caller checked the room (PROC_MAX). */
static void put_proc(struct sk_buff *skb, const struct tcpstate_owners *o,
		     const struct owner_view *v, u32 k)
{
	const struct tcpstate_owner_proc *p = v->procs[k].p;
	u32 i, n = view_nfds(v, k);
	struct nlattr *nest;

	nest = tcpstate_nla_nest(skb, TCPSTATE_PROCS_A_PROC);
	tcpstate_nla_u32(skb, TCPSTATE_PROC_A_PID, p->pid);
	tcpstate_nla_comm(skb, TCPSTATE_PROC_A_COMM, p->comm);
	for (i = 0; i < n; i++)
		tcpstate_nla_u32(skb, TCPSTATE_PROC_A_FD,
				 o->refs[v->procs[k].first + i].fd);
	/* All of its fds, even beyond the bound: the fds of unaccepted
	 * sockets are the listener's and are not reported.
	 */
	tcpstate_nla_u32(skb, TCPSTATE_PROC_A_FDS_TOTAL,
			 v->with_fds ? v->procs[k].end - v->procs[k].first : 0);
	nla_nest_end(skb, nest);
}

static void put_closer(struct sk_buff *skb, const struct owner_view *v)
{
	struct nlattr *proc;

	proc = tcpstate_nla_nest(skb, TCPSTATE_PROCS_A_PROC);
	tcpstate_nla_u32(skb, TCPSTATE_PROC_A_PID, v->closer_pid);
	tcpstate_nla_comm(skb, TCPSTATE_PROC_A_COMM, v->closer_comm);
	tcpstate_nla_u32(skb, TCPSTATE_PROC_A_FDS_TOTAL, 0);
	tcpstate_nla_u32(skb, TCPSTATE_PROC_A_UID, v->closer_uid);
	nla_nest_end(skb, proc);
}

int tcpstate_owners_put(struct sk_buff *skb, const struct tcpstate_owners *o,
			struct sock *sk)
{
	struct owner_view v;
	struct nlattr *nest;
	u32 k;

	owner_view(o, sk, &v);
	if (skb_tailroom(skb) < owners_room(&v))
		return -EMSGSIZE;
	tcpstate_nla_u8(skb, TCPSTATE_SOCK_A_OWNER_KIND, v.kind);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_OWNER_FLAGS, v.flags);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_PROCS_TOTAL, v.total);
	if (!v.shown)
		return 0;
	nest = tcpstate_nla_nest(skb, TCPSTATE_SOCK_A_PROCS);
	if (v.kind == TCPSTATE_OWNER_CLOSED_BY)
		put_closer(skb, &v);
	else
		for (k = 0; k < v.shown; k++)
			put_proc(skb, o, &v, k);
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The caller checked the room (TCPSTATE_OWNERS_REC_MAX). Every field is
 * written (the struct has no padding): no memset of the skb's bytes first.
 * @comm: TASK_COMM_LEN bytes, NUL-terminated and zero-padded.
 */
static void rec_proc(struct sk_buff *skb, pid_t pid, const char *comm,
		     u32 nfds, u32 fds_total, u32 flags, u32 uid)
{
	struct tcpstate_proc_rec pr = {
		.size = sizeof(pr),
		.nfds = nfds,
		.pid = pid,
		.fds_total = fds_total,
		.flags = flags,
		.uid = uid,
	};

	BUILD_BUG_ON(sizeof(pr) != 20 + sizeof(pr.comm));
	BUILD_BUG_ON(sizeof(pr.comm) != TASK_COMM_LEN);
	memcpy(pr.comm, comm, sizeof(pr.comm));
	memcpy(__skb_put(skb, sizeof(pr)), &pr, sizeof(pr));
}

void tcpstate_owners_put_rec(struct sk_buff *skb,
			     const struct tcpstate_owners *o, struct sock *sk,
			     struct tcpstate_sock_rec *r)
{
	struct owner_view v;
	u32 k, i, n;
	u32 *fds;

	BUILD_BUG_ON(sizeof(struct tcpstate_proc_rec) % 4);
	owner_view(o, sk, &v);
	r->flags |= TCPSTATE_REC_F_OWNERS;
	r->owner_kind = v.kind;
	r->owner_flags = v.flags;
	r->procs_total = v.total;
	r->nprocs = v.shown;
	if (v.kind == TCPSTATE_OWNER_CLOSED_BY) {
		if (v.shown)
			rec_proc(skb, v.closer_pid, v.closer_comm, 0, 0,
				 TCPSTATE_PROC_REC_F_UID, v.closer_uid);
		return;
	}
	for (k = 0; k < v.shown; k++) {
		n = view_nfds(&v, k);
		rec_proc(skb, v.procs[k].p->pid, v.procs[k].p->comm, n,
			 v.with_fds ? v.procs[k].end - v.procs[k].first : 0,
			 0, 0);
		fds = __skb_put(skb, n * sizeof(*fds));
		for (i = 0; i < n; i++)
			fds[i] = o->refs[v.procs[k].first + i].fd;
	}
}
