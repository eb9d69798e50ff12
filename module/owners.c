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
 * socket's owners with one hash lookup. Nothing in this table is ever
 * followed, so a socket that dies meanwhile costs nothing but a stale key.
 *
 * Keys must not be reused while a dump runs: TCP sockets are
 * SLAB_TYPESAFE_BY_RCU, so the address of a socket closed after the scan
 * soon belongs to a new socket, which a pointer key would give the old
 * one's owners. Every socket is keyed by its cookie (sock_key()): a
 * 64-bit number from one global counter that never returns, given to a
 * socket the first time someone asks (sock_diag_save_cookie(), exported
 * on 6.1 and 6.12 alike; __sock_gen_cookie() is not) and kept in the
 * socket (sk_cookie, in sock_common) for its whole life. A reused socket
 * starts with none: sk_alloc() zeroes it, and a child takes its request
 * socket's, which reqsk_alloc() zeroed. So a key names one socket, never
 * a later one; the only sockets sharing a cookie are one connection's
 * stages (a request socket and its child; a socket and its TIME_WAIT
 * successor, inet_twsk_alloc()), none of which is looked up by its own
 * key in two stages: a request socket is looked up by its listener's
 * (it holds a reference on that listener), TIME_WAIT sockets have no
 * owners by construction and are not looked up at all. The same key
 * serves a socket with a file and a child still in an accept queue,
 * which has none, so a child accepted while the table is built is found
 * under either. (The keys used before, inode numbers for sockets with a
 * file and a keyed hash of address, netns and 4-tuple for queued
 * children, let a queued child that was reset and freed lend its owners
 * to a new connection with the same 4-tuple at the same address.)
 *
 * The fd table is read under files->file_lock as iterate_fd() does, but
 * only the slots set in its open_fds bitmap are visited: a process forked
 * from one that once had 100,000 fds keeps a table that large, and
 * iterate_fd() would visit every slot of it. Those locks are the
 * process's own (every open() and close() of it takes file_lock), and the
 * table's size is the process's choice: one hold visits at most
 * SCAN_FDS_PER_HOLD open fds and SCAN_SLOTS_PER_HOLD slots of the
 * bitmap, then both locks are dropped, the scan yields (cond_resched())
 * and resumes at the next fd. Under the lock nothing can be allocated
 * either: when our table is full the scan stops the same way, grows it
 * and resumes at that fd. Between two holds the process may open and
 * close fds (ss -p, reading /proc/PID/fd one entry at a time, has the
 * same window): an fd moved from above the resume point to below it is
 * missed, one moved the other way seen twice.
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
 * Privacy: a process is named to whoever may list its /proc/PID/fd and
 * read the links in it, which is what ss -p reads, with the requester's
 * credentials (the build runs with them as current_cred()). Two checks
 * guard that, and may_read_fds() applies both itself (neither function
 * is exported): the directory's permission (proc_fd_permission():
 * generic_permission() on mode 0500, owned by the task's effective ids,
 * or by root of the task's mm's user namespace when it is not dumpable,
 * task_dump_owner(); so the owner, or CAP_DAC_READ_SEARCH or
 * CAP_DAC_OVERRIDE in the requester's user namespace when that maps the
 * owner), and the links' ptrace_may_access(task,
 * PTRACE_MODE_READ_FSCREDS): fsuid and fsgid equal to the task's real,
 * effective and saved ids, a dumpable task (as PR_SET_DUMPABLE and setuid
 * changes leave it) and no permitted capability the requester lacks
 * (commoncap), or CAP_SYS_PTRACE in the user namespaces those checks
 * name. The requester's own thread group passes both. So CAP_SYS_PTRACE
 * alone does not show another uid's processes, nor CAP_DAC_READ_SEARCH
 * alone: /proc needs both. Every capability is asked without an audit
 * record (ns_capable_noaudit(), as PTRACE_MODE_NOAUDIT does): these
 * checks filter a listing, a denial is not an event. What it cannot
 * consult are the other LSMs' ptrace hooks (AppArmor, SELinux, Landlock,
 * Smack): a policy of theirs that hides a process from /proc does not
 * hide it here. CAP_NET_ADMIN alone shows nothing more: it does not open
 * /proc/PID/fd either. Processes outside its pid namespace have no pid
 * it could name and are not scanned at all.
 *
 * Visibility is decided before a process's fd table is read: a process
 * the requester may not see is skipped without any of its locks taken
 * (may_read_fds() reads the ids under RCU alone and takes task_lock()
 * only for a process that passes them, as /proc's own check does), so
 * an unprivileged user's listing neither contends on other users' fd
 * tables and accept queues nor pays, in its budget, for their sockets.
 * Its answer is coarser for it: a socket none of its visible processes
 * holds is reported hidden whenever some process was skipped (no "no
 * fd", no "nobody" for a queued child or a request socket), and a
 * socket it holds with hidden processes is not flagged
 * TCPSTATE_OWNER_F_SOME_HIDDEN. Requesters with CAP_NET_ADMIN in the
 * initial user namespace (tcpstate_requester) scan every process and get
 * both distinctions; the processes they may not see count, but are
 * reported as hidden.
 *
 * Closers (track.c records who closed an orphan) follow the same rule
 * while the closing process exists. Once it is gone there is no /proc to
 * match: it is shown when its recorded ids equal the requester's fsuid
 * and fsgid and it was dumpable with no permitted capability when it
 * closed, or to holders of CAP_SYS_PTRACE and of CAP_DAC_READ_SEARCH or
 * CAP_DAC_OVERRIDE in the initial user namespace (both checks of /proc,
 * as for a live process).
 */
#include <linux/fdtable.h>
#include <linux/hash.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sock_diag.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/ipv6.h>
#include <net/request_sock.h>
#include <net/sock.h>

#include "tcpstate.h"
#include "nlput.h"
#include "budget.h"
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
 * running it (the requester, or whoever reads its socket), and, while the
 * build runs, to the requester's budget (budget.c): before it is
 * allocated, so that the build's peak (a table being doubled is there
 * twice; sort_refs() holds the refs twice) fits in what the user may hold.
 * What the table keeps afterwards is charged by the caller
 * (tcpstate_owners_bytes()).
 */
static int charge(struct tcpstate_owners *o, size_t bytes)
{
	int ret = tcpstate_budget_charge(o->rq, bytes);

	if (!ret)
		o->charged += bytes;
	return ret;
}

static void uncharge(struct tcpstate_owners *o, size_t bytes)
{
	bytes = min(bytes, o->charged);
	tcpstate_budget_uncharge(o->rq, bytes);
	o->charged -= bytes;
}

static int grow(struct tcpstate_owners *o, void **arr, u32 *cap, size_t size,
		u32 min)
{
	u32 n = max3(*cap * 2, min, 16U);
	void *p;
	int ret;

	if (n > INT_MAX / size)
		return -E2BIG;
	ret = charge(o, (size_t)n * size);
	if (ret)
		return ret;
	p = kvmalloc_array(n, size, GFP_KERNEL_ACCOUNT);
	if (!p) {
		uncharge(o, (size_t)n * size);
		return -ENOMEM;
	}
	if (*arr) {
		memcpy(p, *arr, (size_t)*cap * size);
		kvfree(*arr);
		uncharge(o, (size_t)*cap * size);
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

/*
 * The socket's cookie, its key (see the file header); gives it one if it
 * has none yet. Any context: an atomic read, or a per-CPU counter and a
 * cmpxchg. The caller holds @sk (a file, a queue or a reference).
 */
static u64 sock_key(struct sock *sk)
{
	u64 key = atomic64_read(&sk->sk_cookie);
	u32 c[2];

	if (key)
		return key;
	sock_diag_save_cookie(sk, c);
	return (u64)c[1] << 32 | c[0];
}

/* Work one hold of task_lock and files->file_lock may do. */
#define SCAN_FDS_PER_HOLD 256
#define SCAN_SLOTS_PER_HOLD (8192 * BITS_PER_BYTE)	/* 8 KiB of bitmap */

/*
 * For the guest test 57-owner-bigfd, which judges work rather than time
 * (under TCG a vCPU's time slices hide a hold of a fraction of a second):
 * the most open fds looked at in one hold of a process's file_lock since
 * load (or since root wrote 0). Root-only; updated without atomics, so
 * approximate while scans run in parallel.
 */
static unsigned int owner_hold_max;
module_param(owner_hold_max, uint, 0600);
MODULE_PARM_DESC(owner_hold_max, "most open fds looked at in one fd table lock hold (tests)");

struct fd_scan {
	struct tcpstate_owners *o;
	u32 proc;
	unsigned int resume;	/* where the next hold starts */
	bool full;		/* stopped: our table is full */
	bool more;		/* stopped: the hold's work is done */
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
	u64 key;

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
	key = sock_key(sk);
	r = &o->refs[o->n_refs++];
	r->key = key;
	r->proc = s->proc;
	r->fd = fd;
	r->unaccepted = 0;
	if (listener) {
		sock_hold(sk);
		o->listeners[o->n_listeners].sk = sk;
		o->listeners[o->n_listeners].key = key;
		o->n_listeners++;
	}
	return 0;
}

/*
 * Like iterate_fd(), over the open fds only, from @start, for one hold's
 * worth of work: sets s->more and s->resume when the table goes on.
 * Under task_lock().
 */
static void scan_files(struct files_struct *files, unsigned int start,
		       struct fd_scan *s)
{
	unsigned int n, end, visited = 0;
	struct fdtable *fdt;

	if (!files)
		return;
	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	/* The table may have grown or shrunk since the last hold. */
	end = max(start, fdt->max_fds);
	if (end - start > SCAN_SLOTS_PER_HOLD)
		end = start + SCAN_SLOTS_PER_HOLD;
	for (n = find_next_bit(fdt->open_fds, end, start); n < end;
	     n = find_next_bit(fdt->open_fds, end, n + 1)) {
		struct file *file;

		if (visited == SCAN_FDS_PER_HOLD) {
			end = n;
			break;
		}
		visited++;
		file = rcu_dereference_check_fdtable(files, fdt->fd[n]);
		if (!file)
			continue;	/* reserved, not installed yet */
		if (scan_fd(s, file, n))
			break;		/* s->full */
	}
	if (!s->full && end < fdt->max_fds) {
		s->resume = end;
		s->more = true;
	}
	spin_unlock(&files->file_lock);
	if (visited > READ_ONCE(owner_hold_max))
		WRITE_ONCE(owner_hold_max, visited);
}

/*
 * CAP_SYS_PTRACE in @ns for the current credentials, without an audit
 * record: a listing asks this for every process it meets, as reading
 * /proc/PID/status does (PTRACE_MODE_NOAUDIT).
 */
static bool may_ptrace_in(struct user_namespace *ns)
{
	return ns_capable_noaudit(ns, CAP_SYS_PTRACE);
}

/* __ptrace_may_access()'s dumpability test. Under task_lock(@task). */
static bool still_dumpable(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (mm)
		return get_dumpable(mm) == SUID_DUMP_USER ||
		       may_ptrace_in(mm->user_ns);
#ifdef TCPSTATE_COMPAT_USER_DUMPABLE
	/* Exiting: exit_mm() kept the verdict. */
	if (task->user_dumpable)
		return true;
#endif
	/* Without that record: what such kernels check after exit_mm(). */
	return may_ptrace_in(&init_user_ns);
}

/*
 * generic_permission() on @task's /proc/PID/fd for MAY_READ (listing it)
 * and MAY_EXEC (reaching its links), as proc_fd_permission() asks it:
 * the directory is mode 0500, owned as task_dump_owner() says, so only
 * its owner has a permission bit; anyone else needs CAP_DAC_READ_SEARCH
 * or CAP_DAC_OVERRIDE (either opens a directory for both) in its own
 * user namespace, which must map the owner (capable_wrt_inode_uidgid()).
 * @task is the one whose table is read (the leader, or a live thread
 * when it has exited: its /proc/PID/task/TID/fd). Under task_lock(@task)
 * and rcu_read_lock(); @cred is current_cred().
 */
static bool may_open_fd_dir(const struct cred *cred, struct task_struct *task)
{
	const struct cred *tcred = __task_cred(task);
	struct mm_struct *mm = task->mm;
	kuid_t uid = tcred->euid;
	kgid_t gid = tcred->egid;

	if (!mm) {
		uid = GLOBAL_ROOT_UID;
		gid = GLOBAL_ROOT_GID;
	} else if (get_dumpable(mm) != SUID_DUMP_USER) {
		/* Non-dumpable: owned by root of the mm's user namespace. */
		uid = make_kuid(mm->user_ns, 0);
		if (!uid_valid(uid))
			uid = GLOBAL_ROOT_UID;
		gid = make_kgid(mm->user_ns, 0);
		if (!gid_valid(gid))
			gid = GLOBAL_ROOT_GID;
	}
	if (uid_eq(cred->fsuid, uid))
		return true;
	/* Group and others have no bits: only capabilities are left. */
	if (!kuid_has_mapping(cred->user_ns, uid) ||
	    !kgid_has_mapping(cred->user_ns, gid))
		return false;
	return ns_capable_noaudit(cred->user_ns, CAP_DAC_READ_SEARCH) ||
	       ns_capable_noaudit(cred->user_ns, CAP_DAC_OVERRIDE);
}

/*
 * __ptrace_may_access()'s ids (the same ids, or CAP_SYS_PTRACE over the
 * task) and cap_ptrace_access_check() (no permitted capability the
 * requester lacks, or CAP_SYS_PTRACE) for @cred, current_cred(), against
 * @tcred. Under rcu_read_lock().
 */
static bool may_ptrace_creds(const struct cred *cred,
			     const struct cred *tcred)
{
	bool ok;

	ok = (uid_eq(cred->fsuid, tcred->euid) &&
	      uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) &&
	      gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) &&
	      gid_eq(cred->fsgid, tcred->gid)) ||
	     may_ptrace_in(tcred->user_ns);
	if (ok)
		ok = (cred->user_ns == tcred->user_ns &&
		      cap_issubset(tcred->cap_permitted, cred->cap_effective)) ||
		     may_ptrace_in(tcred->user_ns);
	return ok;
}

/*
 * Whether the requester may list @task's /proc/PID/fd and read its links
 * (see the file header): may_open_fd_dir() and ptrace_may_access(@task,
 * PTRACE_MODE_READ_FSCREDS | PTRACE_MODE_NOAUDIT) as far as a module can
 * evaluate it. Judged with o->cred, the credentials captured in the
 * dump's .start: the ids are read from it, and the capability checks
 * (ns_capable_noaudit() judges current_cred()) run where both callers
 * made it current_cred() with override_creds(): the owner build, and
 * closer_visible() in a later .dumpit. Process context; takes
 * task_lock(@task) as ptrace_may_access() does, but only once the ids
 * and capabilities, read under RCU, allow it; never call it under that
 * lock or files->file_lock.
 */
static bool may_read_fds(const struct tcpstate_owners *o,
			 struct task_struct *task)
{
	const struct cred *cred = o->cred;
	bool ok;

	/*
	 * The requester's own process, not current's: a later .dumpit runs
	 * in whichever task reads the socket, whose own fds are not the
	 * requester's to see.
	 */
	if (o->self && task_tgid(task) == o->self)
		return true;
	/* Never the requester's rights judged on someone else's creds. */
	if (WARN_ON_ONCE(current_cred() != cred))
		return false;
	/*
	 * The ids and capabilities first, under RCU alone: another user's
	 * process fails here without any lock of its being taken (the owner
	 * scan asks this of every process before it reads its fd table).
	 */
	rcu_read_lock();
	ok = may_ptrace_creds(cred, __task_cred(task));
	rcu_read_unlock();
	if (!ok)
		return false;
	/*
	 * Then all of it again on one snapshot under task_lock(), as
	 * ptrace_may_access() takes it: the ids may have changed since,
	 * and task->mm (dumpability, the directory's owner) needs it.
	 */
	task_lock(task);
	rcu_read_lock();
	ok = may_ptrace_creds(cred, __task_cred(task));
	rcu_read_unlock();
	/* Dumpability after the ids, as there (commit_creds() orders them). */
	smp_rmb();
	if (ok)
		ok = still_dumpable(task);
	/* /proc/PID/fd's own permission, on the same snapshot of @task. */
	if (ok) {
		rcu_read_lock();
		ok = may_open_fd_dir(cred, task);
		rcu_read_unlock();
	}
	task_unlock(task);
	return ok;
}

bool tcpstate_closer_plain(const struct cred *cred)
{
	struct mm_struct *mm = current->mm;
	bool dumpable = false;

	if (mm)
		dumpable = get_dumpable(mm) == SUID_DUMP_USER;
#ifdef TCPSTATE_COMPAT_USER_DUMPABLE
	else
		dumpable = current->user_dumpable;	/* closing on exit */
#endif
	return dumpable && cap_isclear(cred->cap_permitted);
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
	/*
	 * Visibility before any lock of the process: a requester without
	 * CAP_NET_ADMIN in the initial user namespace takes no lock of a
	 * process it may not see (not its task_lock, not its file_lock for
	 * every SCAN_FDS_PER_HOLD fds, not its listeners' queue locks) and
	 * is not charged for its sockets. What that costs it is the
	 * distinction the skipped holders would have made (see
	 * ownerless_kind()).
	 */
	if (!o->scan_hidden && !may_read_fds(o, t)) {
		o->skipped = true;
		goto out;
	}
	if (o->n_procs == o->cap_procs) {
		ret = grow(o, (void **)&o->procs, &o->cap_procs,
			   sizeof(*o->procs), OWNERS_INITIAL_PROCS);
		if (ret)
			goto out;
	}
	s.proc = o->n_procs;
	for (;;) {
		s.full = false;
		s.more = false;
		task_lock(t);
		scan_files(t->files, start, &s);
		task_unlock(t);
		if (!s.full && !s.more)
			break;
		start = s.resume;
		if (s.more) {
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				goto out;
			}
			cond_resched();
			continue;
		}
		if (o->n_refs == o->cap_refs)
			ret = grow(o, (void **)&o->refs, &o->cap_refs,
				   sizeof(*o->refs), OWNERS_INITIAL_REFS);
		else
			ret = grow(o, (void **)&o->listeners, &o->cap_listeners,
				   sizeof(*o->listeners), 16);
		if (ret)
			goto out;
	}
	if (o->n_refs == before)
		goto out;	/* no TCP socket: no process record */
	p = &o->procs[o->n_procs++];
	p->pid = pid;
	/*
	 * Judged again after the scan, for every requester: the process may
	 * have changed its credentials meanwhile (a setuid execve() between
	 * two holds keeps the open fds and opens new ones), and /proc judges
	 * a link when it is read. A socket opened after commit_creds() meets
	 * the new credentials here. The check before the scan only spared
	 * other users' processes our locks.
	 */
	p->visible = may_read_fds(o, t);
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

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	if (x->fd != y->fd)
		return x->fd < y->fd ? -1 : 1;
	return 0;
}

/*
 * Group the refs by socket, each socket's refs in ref_cmp() order (process,
 * then fd), and index the groups by a hash of the socket's key.
 *
 * The refs are counting-sorted by hash bucket (one stable pass: a bucket
 * keeps the scan's (process, fd) order), then each bucket, one or two refs
 * long on average, is insertion-sorted by key, again stably. The
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
static u32 ref_bucket(const struct tcpstate_owners *o, u64 key)
{
	return hash_64(key, o->index_bits);
}

/* Bytes of an index of 2^@bits buckets. */
static size_t index_bytes(unsigned int bits)
{
	return (((size_t)1 << bits) + 1) * sizeof(u32);
}

static int sort_refs(struct tcpstate_owners *o)
{
	struct tcpstate_owner_ref *tmp, *src = o->refs, r;
	u32 n = o->n_refs, nb, i, j, b, start, *index;
	unsigned int bits;
	size_t scratch;
	int ret;

	if (o->index) {
		free_table(o->index);
		uncharge(o, index_bytes(o->index_bits));
		o->index = NULL;
	}
	if (!n)
		return 0;
	/* About one ref a bucket; at least 16 buckets. */
	bits = max_t(unsigned int, 4, ilog2(roundup_pow_of_two(n)));
	nb = 1U << bits;
	/* The sorted copy and the index, while the refs are still there. */
	scratch = (size_t)n * sizeof(*tmp) + index_bytes(bits);
	ret = charge(o, scratch);
	if (ret)
		return ret;
	tmp = kvmalloc_array(n, sizeof(*tmp), GFP_KERNEL_ACCOUNT);
	index = kvcalloc(nb + 1, sizeof(*index), GFP_KERNEL_ACCOUNT);
	if (!tmp || !index) {
		kvfree(tmp);
		kvfree(index);
		uncharge(o, scratch);
		return -ENOMEM;
	}
	tcpstate_obj_get();
	o->index = index;
	o->index_bits = bits;
	for (i = 0; i < n; i++)
		index[ref_bucket(o, src[i].key) + 1]++;
	for (b = 0; b < nb; b++)
		index[b + 1] += index[b];
	/* Scatter with index[b] as bucket b's cursor; it ends at b + 1's start. */
	for (i = 0; i < n; i++)
		tmp[index[ref_bucket(o, src[i].key)]++] = src[i];
	for (b = nb; b > 0; b--)
		index[b] = index[b - 1];
	index[0] = 0;
	/* The sorted refs are in tmp: keep it, no copy back. */
	kvfree(o->refs);
	uncharge(o, (size_t)o->cap_refs * sizeof(*o->refs));
	o->refs = tmp;
	o->cap_refs = n;
	for (b = 0; b < nb; b++) {
		for (i = index[b] + 1; i < index[b + 1]; i++) {
			r = tmp[i];
			for (j = i; j > index[b] && tmp[j - 1].key > r.key; j--)
				tmp[j] = tmp[j - 1];
			tmp[j] = r;
		}
	}
	/* Runs of one socket that are not in (process, fd) order. */
	for (start = 0; start < n; start = i) {
		bool sorted = true;

		for (i = start + 1; i < n && o->refs[i].key == o->refs[start].key; i++)
			if (ref_cmp(&o->refs[i - 1], &o->refs[i]) > 0)
				sorted = false;
		if (!sorted)
			sort(o->refs + start, i - start, sizeof(*o->refs),
			     ref_cmp, NULL);
	}
	return 0;
}

/*
 * Index of the first ref of @key among the first @n refs, or @n: the refs
 * indexed by the last sort_refs(), which covered exactly those @n.
 */
static u32 first_ref_in(const struct tcpstate_owners *o, u64 key, u32 n)
{
	u32 i, end, b;

	if (!o->index)
		return n;	/* no refs */
	b = ref_bucket(o, key);
	end = min(o->index[b + 1], n);
	for (i = o->index[b]; i < end; i++)
		if (o->refs[i].key == key)
			return i;
	return n;
}

/* The run [*first, return value) of @key's refs in the sorted table. */
static u32 refs_of(const struct tcpstate_owners *o, u64 key, u32 *first)
{
	u32 end;

	*first = first_ref_in(o, key, o->n_refs);
	for (end = *first; end < o->n_refs && o->refs[end].key == key; end++)
		;
	return end;
}

/*
 * The refs of @sk, [*first, return value) (empty when none), keyed as
 * the file header says; *@via_listener when they are its listener's.
 * The caller holds @sk.
 */
static u32 find_refs(const struct tcpstate_owners *o, struct sock *sk,
		     u32 *first, bool *via_listener)
{
	u32 end;

	*via_listener = false;
	*first = o->n_refs;
	if (sk->sk_state == TCP_TIME_WAIT)
		return o->n_refs;
	if (sk->sk_state == TCP_NEW_SYN_RECV) {
		/* A request socket holds a reference on its listener. */
		struct sock *lsk = READ_ONCE(inet_reqsk(sk)->rsk_listener);

		*via_listener = true;
		return lsk ? refs_of(o, sock_key(lsk), first) : o->n_refs;
	}
	end = refs_of(o, sock_key(sk), first);
	/*
	 * Unaccepted refs: queued at scan time, and maybe accepted since
	 * (its acceptor is not in the table then). An orphan now (its
	 * listener closed, or it was accepted and closed) is no longer its
	 * listener holders'.
	 */
	if (end != *first && o->refs[*first].unaccepted &&
	    sock_flag(sk, SOCK_DEAD))
		*first = end = o->n_refs;
	return end;
}

/*
 * The keys of the children waiting in @lsk's accept queue. Allocates
 * outside the queue lock and retries if the queue grew in between.
 */
static int accept_queue(struct tcpstate_owners *o, struct sock *lsk,
			u64 **out, u32 *n, size_t *bytes)
{
	struct request_sock_queue *q = &inet_csk(lsk)->icsk_accept_queue;
	struct request_sock *req;
	u32 cap = READ_ONCE(lsk->sk_ack_backlog) + 16, i;
	u64 *kids;
	int ret;

	for (;;) {
		/* Charged like every table: a backlog is the user's choice. */
		ret = charge(o, (size_t)cap * sizeof(*kids));
		if (ret)
			return ret;
		kids = kvmalloc_array(cap, sizeof(*kids), GFP_KERNEL_ACCOUNT);
		if (!kids) {
			uncharge(o, (size_t)cap * sizeof(*kids));
			return -ENOMEM;
		}
		i = 0;
		spin_lock_bh(&q->rskq_lock);
		/* The queue holds its children: their identity is stable. */
		for (req = q->rskq_accept_head; req && i < cap; req = req->dl_next)
			if (req->sk)
				kids[i++] = sock_key(req->sk);
		spin_unlock_bh(&q->rskq_lock);
		if (!req)
			break;
		kvfree(kids);
		uncharge(o, (size_t)cap * sizeof(*kids));
		if (cap > INT_MAX / 2)
			return -E2BIG;
		cap *= 2;
	}
	*out = kids;
	*n = i;
	*bytes = (size_t)cap * sizeof(*kids);
	return 0;
}

static int listener_cmp(const void *a, const void *b)
{
	const struct tcpstate_owner_listener *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return 0;
}

/* Give each accept-queue child the owners of its listener. */
static int add_unaccepted(struct tcpstate_owners *o)
{
	u32 n_fd = o->n_refs, l, i, k;
	int ret = 0;

	/*
	 * A listener held through several fds (dup, fork) is listed once
	 * per fd: sorted, its queue is read once, in O(n log n).
	 */
	sort(o->listeners, o->n_listeners, sizeof(*o->listeners),
	     listener_cmp, NULL);
	for (l = 0; l < o->n_listeners; l++) {
		struct sock *lsk = o->listeners[l].sk;
		u64 key = o->listeners[l].key, *kids;
		u32 n_kids, first, n_owners = 0;
		size_t kids_bytes;

		if (l && o->listeners[l - 1].key == key)
			continue;
		/*
		 * Only the fd refs are indexed: the unaccepted ones appended
		 * for earlier listeners are not, and are not looked at.
		 */
		first = first_ref_in(o, key, n_fd);
		while (first + n_owners < n_fd &&
		       o->refs[first + n_owners].key == key)
			n_owners++;
		if (!n_owners)
			continue;
		ret = accept_queue(o, lsk, &kids, &n_kids, &kids_bytes);
		if (ret)
			return ret;
		for (k = 0; k < n_kids && !ret; k++) {
			/*
			 * Accepted since the scan, by a process it met: the
			 * fd refs say who holds it; listing the listener's
			 * holders as well would mix the kinds in one run.
			 */
			if (first_ref_in(o, kids[k], n_fd) != n_fd)
				continue;
			for (i = 0; i < n_owners; i++) {
				struct tcpstate_owner_ref *r, *lr;

				lr = &o->refs[first + i];
				/* One entry per process, not per listener fd. */
				if (i && o->refs[first + i - 1].proc == lr->proc)
					continue;
				if (o->n_refs == o->cap_refs) {
					ret = grow(o, (void **)&o->refs,
						   &o->cap_refs, sizeof(*o->refs),
						   OWNERS_INITIAL_REFS);
					if (ret)
						break;
					lr = &o->refs[first + i];
				}
				r = &o->refs[o->n_refs++];
				r->key = kids[k];
				r->proc = lr->proc;
				r->fd = 0;
				r->unaccepted = 1;
			}
		}
		kvfree(kids);
		uncharge(o, kids_bytes);
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
		sock_put(o->listeners[i].sk);
	o->n_listeners = 0;
}

int tcpstate_owners_build_for(struct tcpstate_owners *o,
			      struct tcpstate_requester *rq,
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
	if (ret == -ENOBUFS)
		NL_SET_ERR_MSG(extack, TCPSTATE_BUDGET_MSG);
	else if (ret && ret != -EINTR)
		NL_SET_ERR_MSG(extack, "cannot build the process table");
	return ret;
}

int tcpstate_owners_build(struct tcpstate_owners *o, const struct net *net,
			  struct tcpstate_requester *rq)
{
	struct pid_namespace *ns = rq->pidns;
	pid_t nr = 1;
	int ret;

	memset(o, 0, sizeof(*o));
	o->pidns = get_pid_ns(ns);
	o->user_ns = get_user_ns(rq->cred->user_ns);
	o->net = net;
	o->rq = rq;
	/* Admins' scans name hidden holders as such; see scan_process(). */
	o->scan_hidden = rq->host_admin;
	/*
	 * Who judges visibility, here and for closers in later .dumpit
	 * calls: @rq's credentials (build_for() made them current's).
	 */
	o->cred = get_current_cred();
	o->self = get_pid(rq->tgid);
	ret = grow(o, (void **)&o->refs, &o->cap_refs, sizeof(*o->refs),
		   OWNERS_INITIAL_REFS);
	if (!ret)
		ret = grow(o, (void **)&o->procs, &o->cap_procs,
			   sizeof(*o->procs), OWNERS_INITIAL_PROCS);
	if (!ret)
		ret = grow(o, (void **)&o->listeners, &o->cap_listeners,
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
	/*
	 * The listeners' array served the accept queues only: freed here,
	 * not kept (and charged) for as long as the dump is read.
	 */
	free_table(o->listeners);
	o->listeners = NULL;
	o->cap_listeners = 0;
	/* The caller charges what the table keeps (see owners.h). */
	uncharge(o, o->charged);
	o->rq = NULL;
	if (ret) {
		tcpstate_owners_free(o);
		return ret;
	}
	return 0;
}

size_t tcpstate_owners_bytes(const struct tcpstate_owners *o)
{
	size_t n = (size_t)o->cap_refs * sizeof(*o->refs) +
		   (size_t)o->cap_procs * sizeof(*o->procs);

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
	if (o->cred)
		put_cred(o->cred);
	put_pid(o->self);
	memset(o, 0, sizeof(*o));
}

bool tcpstate_owners_match(const struct tcpstate_owners *o, struct sock *sk,
			   pid_t pid, const char *comm)
{
	u32 i, end;
	bool via;

	if (!pid && !comm[0])
		return true;
	end = find_refs(o, sk, &i, &via);
	for (; i < end; i++) {
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
	/*
	 * The scan skipped processes the requester may not see: any of them
	 * may hold the socket, its listener, or the listener of its queue,
	 * so "nobody" cannot be told from "someone hidden"; say hidden.
	 */
	if (!sk_fullsock(sk))	/* request socket: its listener has none */
		return o->skipped ? TCPSTATE_OWNER_HIDDEN : TCPSTATE_OWNER_NONE;
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
		if (o->skipped)
			return TCPSTATE_OWNER_HIDDEN;
		/* Left the accept queue after the scan, or not yet grafted. */
		return TCPSTATE_OWNER_NONE;
	}
	if (o->skipped)
		return TCPSTATE_OWNER_HIDDEN;
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
	u32 hidden = 0, i;

	memset(c, 0, sizeof(*c));
	c->kind = TCPSTATE_OWNER_FD;
	c->end = find_refs(o, sk, &c->first, &via_listener);
	for (i = c->first; i < c->end; i++) {
		/* Count processes, not fds: refs of one process are adjacent. */
		if (i > c->first && o->refs[i - 1].proc == o->refs[i].proc)
			continue;
		if (o->procs[o->refs[i].proc].visible)
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
 * Whether the requester may see the closer @cl (see the file header):
 * while its process exists, may_read_fds() with the requester's
 * credentials (a later .dumpit may run in whichever task reads the
 * socket); once it is gone, the ids and plainness recorded at close.
 */
static bool closer_visible(const struct tcpstate_owners *o,
			   const struct tcpstate_closer *cl)
{
	const struct cred *old, *cred;
	struct task_struct *task;
	bool ok;

	task = get_pid_task(cl->pid, PIDTYPE_TGID);
	old = override_creds(o->cred);
	if (task) {
		ok = may_read_fds(o, task);
		put_task_struct(task);
	} else {
		cred = current_cred();
		ok = (cl->plain && uid_eq(cred->fsuid, cl->uid) &&
		      uid_eq(cred->fsuid, cl->euid) &&
		      uid_eq(cred->fsuid, cl->suid) &&
		      gid_eq(cred->fsgid, cl->gid) &&
		      gid_eq(cred->fsgid, cl->egid) &&
		      gid_eq(cred->fsgid, cl->sgid)) ||
		     (may_ptrace_in(&init_user_ns) &&
		      ((cl->plain && uid_eq(cred->fsuid, cl->euid)) ||
		       ns_capable_noaudit(&init_user_ns, CAP_DAC_READ_SEARCH) ||
		       ns_capable_noaudit(&init_user_ns, CAP_DAC_OVERRIDE)));
	}
	revert_creds(old);
	return ok;
}

/*
 * An orphan: the process the close probe saw closing it, if the caller may
 * see it (closer_visible(); its pid must exist in the caller's pid
 * namespace). The module records closers only for sockets it tracks.
 */
static void view_closer(const struct tcpstate_owners *o, struct sock *sk,
			struct owner_view *v)
{
	struct tcpstate_closer cl;
	pid_t nr;
	bool ok;

	if (!tcpstate_track_closer(sk, &cl))
		return;
	v->flags &= ~TCPSTATE_OWNER_F_CLOSE_UNSEEN;
	nr = pid_nr_ns(cl.pid, o->pidns);
	ok = nr && closer_visible(o, &cl);
	put_pid(cl.pid);
	if (!ok) {
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
	/* The holders come from a scan that left processes out: say so. */
	if (o->skipped)
		v->flags |= TCPSTATE_OWNER_F_PARTIAL;
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
