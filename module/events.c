// SPDX-License-Identifier: GPL-2.0
/*
 * Close-time events, from two function-entry hooks.
 *
 * __tcp_close is hooked with an ftrace_ops on its fentry call (the cheapest
 * hook; a kprobe there where ftrace cannot, and a kprobe on tcp_close
 * where __tcp_close cannot be probed at all). __tcp_close runs
 * with the socket owned by the closer (lock_sock in tcp_close), so the
 * receive queue is stable. The probe walks it exactly as __tcp_close is
 * about to: an skb whose data (less a FIN) ends after copied_seq holds
 * unread data, and then the kernel sends a RST instead of a FIN (RFC 2525
 * 2.17) and counts TCPAbortOnClose. The probe reports the closer, the
 * connection and the exact number of unread bytes. With SO_LINGER 0 and no
 * unread data the kernel aborts too; that is a linger-abort event. The
 * tcp_close fallback runs before the socket lock is taken: it counts from
 * the sequence numbers instead of walking the queue, and data arriving
 * meanwhile may or may not be counted.
 *
 * sk_stream_error(sk, flags, -EPIPE), hooked with a kprobe (it runs only
 * on errors), is where a write to a dead
 * connection turns into EPIPE and, without MSG_NOSIGNAL, SIGPIPE. A pending
 * socket error (say ECONNRESET after a peer's RST) is returned instead,
 * without a signal; that write is not an epipe event.
 *
 * Events go to the "events" multicast group of the socket's own network
 * namespace, to subscribers the genetlink core let in (CAP_NET_ADMIN), a
 * few per skb and at most a tick or two late (evbatch.c). The probes run
 * with preemption disabled, possibly with the closing socket owned: they
 * never sleep, and allocate (GFP_ATOMIC) only when their CPU's batches are
 * all waiting. When someone listens, they write the
 * event as a record into a per-CPU batch, and a worker builds and sends
 * the messages; when nobody does, they only count. Every event is
 * counted: seen, delivered (to every subscriber), dropped (no free batch
 * or the namespace's quota of batches in use, could not be built, or
 * some subscriber's buffer was full), unheard
 * (nobody listening). Every event takes the next
 * per-netns sequence number, so a subscriber can count exactly what it
 * lost.
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "tcpstate.h"
#include "events.h"
#include "evbatch.h"
#include "netlink.h"
#include "nlput.h"
#include "sockfill.h"
#include "track.h"

static bool events = true;
module_param(events, bool, 0444);
MODULE_PARM_DESC(events, "Close-time event probes, also recording closers of orphans (default on)");

static bool close_kprobe;
module_param(close_kprobe, bool, 0444);
MODULE_PARM_DESC(close_kprobe,
		 "Hook __tcp_close with a kprobe instead of an ftrace_ops (for testing)");

static bool close_kprobe_fallback;
module_param(close_kprobe_fallback, bool, 0444);
MODULE_PARM_DESC(close_kprobe_fallback,
		 "Probe tcp_close instead of __tcp_close (for testing the fallback)");

static bool close_on, close_locked, close_kp_on, epipe_on;

static const char *const event_names[] = {
	[TCPSTATE_EV_UNREAD_CLOSE] = "unread-close",
	[TCPSTATE_EV_LINGER_ABORT] = "linger-abort",
	[TCPSTATE_EV_EPIPE] = "epipe",
};

const char *tcpstate_event_name(int type)
{
	if (type <= 0 || type > TCPSTATE_EV_MAX)
		return "unknown";
	return event_names[type];
}

static bool is_tcp(const struct sock *sk)
{
	return sk && sk->sk_protocol == IPPROTO_TCP &&
	       sk->sk_type == SOCK_STREAM &&
	       (sk->sk_family == AF_INET || sk->sk_family == AF_INET6);
}

struct event {
	u8 type;
	u8 state;
	bool rst;
	bool sigpipe;
	u32 unread;
};

/*
 * The closer or writer holds the file, so sk_socket stays put under the
 * probe. Read it without sk_callback_lock: sock_i_ino() toggles BHs,
 * which a probe must not do in every context it can fire in.
 */
static unsigned long event_ino(const struct sock *sk)
{
	struct socket *sock = READ_ONCE(sk->sk_socket);

	return sock ? SOCK_INODE(sock)->i_ino : 0;
}

/* Is @ns @owner, or a user namespace created (at any depth) under it? */
static bool userns_under(const struct user_namespace *ns,
			 const struct user_namespace *owner)
{
	while (ns->level > owner->level)
		ns = ns->parent;
	return ns == owner;
}

/*
 * The closer's pids as the event's subscribers may see them.
 *
 * An event is one multicast to every subscriber of the socket's network
 * namespace, so it cannot differ per subscriber (6.1 has neither a
 * filtered multicast nor a bind hook to know them by). What they share is
 * the namespace's owning user namespace: joining needs CAP_NET_ADMIN
 * there. So the pids are those of the outermost of the task's pid
 * namespaces that belongs to that user namespace (owned by it or by one
 * created under it). For the initial network namespace that is the
 * initial pid namespace: real pids, as before. For a container's (user,
 * pid and network namespaces unshared together) it is the container's
 * pid namespace, so its admin sees its own pids, never a host pid. A task
 * in no such pid namespace (a host process that entered the container's
 * network namespace, a kernel worker finishing a close) is reported as
 * pid 0: its pids are the host's. VPID goes with PID: whoever sees a pid
 * namespace sees those nested in it (NSpid in /proc/PID/status). Cheap
 * and lock-free: current's struct pids and their namespaces stay put.
 */
static void event_pids(struct tcpstate_evrec *rec, const struct net *net)
{
	const struct pid *pid = task_pid(current), *tgid = task_tgid(current);
	unsigned int i;

	rec->pid = 0;
	rec->tid = 0;
	rec->vpid = 0;
	if (!pid || !tgid)
		return;
	for (i = 0; i <= pid->level && i <= tgid->level; i++) {
		if (!userns_under(pid->numbers[i].ns->user_ns, net->user_ns))
			continue;
		rec->tid = pid->numbers[i].nr;
		rec->pid = tgid->numbers[i].nr;
		rec->vpid = tgid->numbers[tgid->level].nr;
		return;
	}
}

/* Most tcpstate_event_build() writes besides the socket's identity. */
#define EVENT_ATTRS_MAX (NLA_HDRLEN + 2 * nla_total_size(1) + \
			 2 * TCPSTATE_NLA_U64_MAX + 5 * nla_total_size(4) + \
			 nla_total_size(TASK_COMM_LEN) + NLA_HDRLEN + \
			 TCPSTATE_NLA_U64_MAX + nla_total_size(4))

/* In the batch's worker (evbatch.c), from what the probe recorded. */
int tcpstate_event_build(struct sk_buff *skb, const struct tcpstate_evrec *rec)
{
	struct nlattr *nest, *snest;
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &tcpstate_genl_family, 0,
			  TCPSTATE_CMD_EVENT);
	if (!hdr)
		return -EMSGSIZE;
	/*
	 * One room check, then the inline writers of nlput.h, as for a
	 * dumped socket.
	 */
	if (skb_tailroom(skb) < EVENT_ATTRS_MAX)
		goto cancel;
	nest = tcpstate_nla_nest(skb, TCPSTATE_A_EVENT);
	tcpstate_nla_u8(skb, TCPSTATE_EV_A_TYPE, rec->type);
	tcpstate_nla_u64(skb, TCPSTATE_EV_A_SEQ, rec->seq, TCPSTATE_EV_A_PAD);
	tcpstate_nla_u64(skb, TCPSTATE_EV_A_TIME_NS, rec->time_ns,
			 TCPSTATE_EV_A_PAD);
	tcpstate_nla_u32(skb, TCPSTATE_EV_A_NETNS, rec->id.netns);
	tcpstate_nla_u32(skb, TCPSTATE_EV_A_PID, rec->pid);
	tcpstate_nla_u32(skb, TCPSTATE_EV_A_TID, rec->tid);
	tcpstate_nla_u32(skb, TCPSTATE_EV_A_VPID, rec->vpid);
	tcpstate_nla_comm(skb, TCPSTATE_EV_A_COMM, rec->comm);
	tcpstate_nla_u32(skb, TCPSTATE_EV_A_UID, rec->uid);
	snest = tcpstate_nla_nest(skb, TCPSTATE_EV_A_SOCK);
	if (tcpstate_put_sock_rec_id(skb, &rec->id) ||
	    skb_tailroom(skb) < TCPSTATE_NLA_U64_MAX + 2 * nla_total_size(4))
		goto cancel;
	tcpstate_nla_u64(skb, TCPSTATE_SOCK_A_INODE, rec->ino,
			 TCPSTATE_SOCK_A_PAD);
	nla_nest_end(skb, snest);
	if (rec->type == TCPSTATE_EV_UNREAD_CLOSE)
		tcpstate_nla_u32(skb, TCPSTATE_EV_A_UNREAD_BYTES, rec->unread);
	if (rec->type != TCPSTATE_EV_EPIPE)
		tcpstate_nla_u8(skb, TCPSTATE_EV_A_RST, rec->rst);
	else
		tcpstate_nla_u8(skb, TCPSTATE_EV_A_SIGPIPE, rec->sigpipe);
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

struct capture_args {
	struct sock *sk;
	const struct event *ev;
	struct net *net;
	u64 seq;
};

/*
 * In the probe, into the batch's record: what only the probe can see
 * (the closer, the socket as it is now). Cheap: stores, no allocation.
 */
static void capture_event(struct tcpstate_evrec *rec, void *arg)
{
	const struct capture_args *ca = arg;
	const struct event *ev = ca->ev;

	tcpstate_sock_rec_id(&rec->id, ca->sk, ev->state);
	rec->seq = ca->seq;
	rec->time_ns = ktime_get_real_ns();
	rec->ino = event_ino(ca->sk);
	event_pids(rec, ca->net);
	rec->uid = from_kuid_munged(ca->net->user_ns, current_uid());
	rec->unread = ev->unread;
	rec->type = ev->type;
	rec->rst = ev->rst;
	rec->sigpipe = ev->sigpipe;
	/* Lockless, as trace events do (get_task_comm takes task_lock). */
	memcpy(rec->comm, current->comm, sizeof(rec->comm));
	rec->comm[sizeof(rec->comm) - 1] = '\0';
	/*
	 * A process the namespace's side cannot name (pid 0: a host process
	 * that entered a container's netns) keeps its name to itself too;
	 * a kernel thread's name reveals no one.
	 */
	if (!rec->pid && !(current->flags & PF_KTHREAD))
		memset(rec->comm, 0, sizeof(rec->comm));
}

static void emit(struct sock *sk, const struct event *ev)
{
	struct net *net = sock_net(sk);
	struct tcpstate_net *tn = tcpstate_pernet(net);
	struct tcpstate_evstats *st;
	struct capture_args ca;
	u64 seq;

	/*
	 * No state for this namespace: it is being set up and our pernet
	 * init has not run (or failed, and an earlier subsystem's exit
	 * closes a kernel socket while setup_net() unwinds).
	 */
	if (unlikely(!tn))
		return;
	st = &tn->ev[ev->type];
	atomic64_inc(&st->seen);
	seq = atomic64_inc_return(&tn->event_seq);
	/* Cheap test first: most of the time nobody is subscribed. */
	if (!READ_ONCE(net->genl_sock) ||
	    !genl_has_listeners(&tcpstate_genl_family, net, 0)) {
		atomic64_inc(&st->unheard);
		return;
	}
	/* Into this CPU's batch; delivered or dropped when it is sent. */
	ca.sk = sk;
	ca.ev = ev;
	ca.net = net;
	ca.seq = seq;
	if (tcpstate_evbatch_add(net, capture_event, &ca))
		atomic64_inc(&st->dropped);
}

/*
 * Unread bytes in the receive queue, decided per skb the way __tcp_close
 * does (data less a FIN that ends after copied_seq). Needs the socket
 * owned: __tcp_close's hooks only.
 */
static u32 unread_bytes(struct sock *sk)
{
	u32 copied = READ_ONCE(tcp_sk(sk)->copied_seq), unread = 0;
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_receive_queue, skb) {
		u32 seq = TCP_SKB_CB(skb)->seq;
		u32 end = TCP_SKB_CB(skb)->end_seq;

		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN)
			end--;
		if (after(end, copied))
			unread += end - (before(seq, copied) ? copied : seq);
	}
	return unread;
}

/*
 * The same count without the socket lock (the tcp_close fallback): there
 * the queue must not be walked, since tcp_prune_queue() and tcp_collapse()
 * free and replace its skbs under us. In sequence space it is what arrived
 * in order (rcv_nxt) less what was read (copied_seq), less the peer's FIN
 * once it arrived (tcp_fin() sets SOCK_DONE, and reading it moves
 * copied_seq past it), as tcp_inq() counts. That equals the walk under
 * the lock: skbs that recvmsg or zerocopy receive consumed are gone from
 * the queue and behind copied_seq, a partly read one counts from
 * copied_seq, out-of-order data is in neither. copied_seq first, then
 * rcv_nxt: both only grow and copied_seq never passes rcv_nxt, so the
 * difference cannot go negative; data arriving meanwhile may or may not
 * be counted.
 */
static u32 unread_bytes_unlocked(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 copied, nxt, unread;
	bool done;

	/*
	 * SOCK_DONE is read before rcv_nxt and again after: a FIN arriving
	 * in between would otherwise be subtracted without being counted in
	 * rcv_nxt. The flag goes from 0 to 1 once, so this loops at most
	 * twice.
	 */
	do {
		done = sock_flag(sk, SOCK_DONE);
		copied = READ_ONCE(tp->copied_seq);
		smp_rmb();	/* rcv_nxt no older than copied_seq, the flag */
		nxt = READ_ONCE(tp->rcv_nxt);
		smp_rmb();
	} while (done != sock_flag(sk, SOCK_DONE));
	unread = nxt - copied;
	if ((s32)unread < 0)
		return 0;
	if (unread && done)
		unread--;
	return unread;
}

/*
 * The reset tcp_disconnect() sends when SO_LINGER 0 aborts (its
 * tcp_need_reset() is static to net/ipv4/tcp.c, so the states are here).
 */
static bool linger_abort_resets(struct sock *sk, int state)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return ((1 << state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 |
				TCPF_SYN_RECV)) ||
	       (tp->snd_nxt != tp->write_seq &&
		(1 << state) & (TCPF_CLOSING | TCPF_LAST_ACK));
}

static void on_close(struct sock *sk)
{
	struct tcpstate_net *tn;
	struct event ev = {};
	bool repair;
	int state;

	if (!is_tcp(sk))
		return;
	state = READ_ONCE(sk->sk_state);
	if (state == TCP_LISTEN)
		return;	/* __tcp_close stops listeners before the queue */
	repair = tcp_sk(sk)->repair;
	ev.state = state;
	ev.unread = READ_ONCE(close_locked) ? unread_bytes(sk) :
					      unread_bytes_unlocked(sk);
	if (ev.unread) {
		/* Already-dead connections lose their data without a RST. */
		ev.type = TCPSTATE_EV_UNREAD_CLOSE;
		ev.rst = state != TCP_CLOSE && !repair;
		tn = tcpstate_pernet(sock_net(sk));
		if (ev.rst && tn)	/* see emit() */
			atomic64_inc(&tn->abort_on_close);
		emit(sk, &ev);
	} else if (state != TCP_CLOSE && !repair && sock_flag(sk, SOCK_LINGER) &&
		   !READ_ONCE(sk->sk_lingertime)) {
		ev.type = TCPSTATE_EV_LINGER_ABORT;
		ev.rst = linger_abort_resets(sk, state);
		emit(sk, &ev);
	}
	/*
	 * Whoever closes it is its owner once it is orphaned (list -p). Only
	 * __tcp_close's FIN path orphans a socket in a state with an entry:
	 * an unread-data or linger abort, repair mode and an already-closed
	 * socket all end in TCP_CLOSE, which frees the entry at once.
	 */
	if (!ev.type && !repair && state != TCP_CLOSE)
		tcpstate_track_closed(sk);
}

static int kp_close_pre(struct kprobe *p, struct pt_regs *regs)
{
	on_close((struct sock *)regs_get_kernel_argument(regs, 0));
	return 0;
}

static int kp_epipe_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct sock *sk = (struct sock *)regs_get_kernel_argument(regs, 0);
	int flags = (int)regs_get_kernel_argument(regs, 1);
	int err = (int)regs_get_kernel_argument(regs, 2);
	struct event ev = {};

	/* A pending error is returned instead, without SIGPIPE. */
	if (err != -EPIPE || !is_tcp(sk) || READ_ONCE(sk->sk_err))
		return 0;
	ev.type = TCPSTATE_EV_EPIPE;
	ev.state = READ_ONCE(sk->sk_state);
	ev.sigpipe = !(flags & MSG_NOSIGNAL);
	emit(sk, &ev);
	return 0;
}

static struct kprobe kp_close = {
	.pre_handler = kp_close_pre,
};

#ifdef TCPSTATE_HAVE_FTRACE_HOOK
/*
 * The preferred __tcp_close hook: an ftrace_ops on its fentry call, the
 * same patched call site a kprobe there uses (kprobes on ftrace), without
 * what the kprobe adds on every close: a full pt_regs save, the kprobe
 * hash lookup and the per-cpu kprobe state. Measured under -icount
 * (bench/run.sh events-cost) it costs 100 to 300 instructions less per
 * connection (three runs; the benchmark's 1 ms resolution is 100
 * instructions per connection). The ops has no FTRACE_OPS_FL_RECURSION:
 * this callback guards itself, so ftrace calls it straight from the
 * function's trampoline.
 * ftrace_test_recursion_trylock() also disables preemption, as a kprobe
 * handler runs. unregister_ftrace_function() returns once no CPU can be
 * in the trampoline or the callback (ftrace synchronizes RCU-tasks for a
 * module's ops).
 */
static void notrace close_ftrace(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *op,
				 struct ftrace_regs *fregs)
{
	int bit = ftrace_test_recursion_trylock(ip, parent_ip);

	if (bit < 0)
		return;
	on_close((struct sock *)ftrace_regs_get_argument(fregs, 0));
	ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops close_ops = {
	.func = close_ftrace,
};

static bool close_ftrace_on;

static int close_ftrace_attach(void)
{
	unsigned char name[] = "__tcp_close";
	int ret;

	/* An exact name: no glob characters, one function or none. */
	ret = ftrace_set_filter(&close_ops, name, sizeof(name) - 1, 1);
	if (!ret)
		ret = register_ftrace_function(&close_ops);
	if (ret) {
		ftrace_free_filter(&close_ops);
		return ret;
	}
	close_ftrace_on = true;
	return 0;
}

static void close_ftrace_detach(void)
{
	if (!close_ftrace_on)
		return;
	unregister_ftrace_function(&close_ops);
	ftrace_free_filter(&close_ops);
	close_ftrace_on = false;
}
#else
static int close_ftrace_attach(void)
{
	return -EOPNOTSUPP;
}

static void close_ftrace_detach(void)
{
}
#endif

static struct kprobe kp_epipe = {
	.symbol_name = "sk_stream_error",
	.pre_handler = kp_epipe_pre,
};

void tcpstate_events_attach(void)
{
	int ret;

	if (!events) {
		pr_info("close-time events off (events=0)\n");
		return;
	}
	/*
	 * Fail closed: without GENL_MCAST_CAP_NET_ADMIN the family has no
	 * events group (netlink.c), since anyone could join it; nothing
	 * would hear these probes.
	 */
	if (!TCPSTATE_MCAST_RESTRICTABLE) {
		pr_warn("close-time events off: this kernel cannot restrict them to CAP_NET_ADMIN (no GENL_MCAST_CAP_NET_ADMIN)\n");
		return;
	}
	ret = tcpstate_evbatch_init();
	if (ret) {
		pr_warn("close-time events off (no memory for batches: %d)\n",
			ret);
		return;
	}

	if (!close_kprobe_fallback && !close_kprobe) {
		ret = close_ftrace_attach();
		if (!ret) {
			close_on = close_locked = true;
			pr_info("close events from an ftrace hook on __tcp_close\n");
		} else
			pr_info("no ftrace hook on __tcp_close (%d): trying a kprobe\n",
				ret);
	}
	if (!close_on && !close_kprobe_fallback) {
		kp_close.symbol_name = "__tcp_close";
		ret = register_kprobe(&kp_close);
		if (!ret) {
			close_on = close_locked = true;
			close_kp_on = true;
			pr_info("close events from a kprobe on __tcp_close\n");
		}
	}
	if (!close_on) {
		/* Inlined, blacklisted or told so: the unlocked entry point. */
		memset(&kp_close, 0, sizeof(kp_close));
		kp_close.symbol_name = "tcp_close";
		kp_close.pre_handler = kp_close_pre;
		ret = register_kprobe(&kp_close);
		if (ret)
			pr_warn("no unread-close events (kprobe tcp_close: %d)\n",
				ret);
		else
			close_on = close_kp_on = true;
		if (close_on)
			pr_info("close events from tcp_close: byte counts may race\n");
	}
	ret = register_kprobe(&kp_epipe);
	if (ret)
		pr_warn("no epipe events (kprobe sk_stream_error: %d)\n", ret);
	else
		epipe_on = true;
}

void tcpstate_events_detach(void)
{
	/* Both unregister calls wait for running handlers. */
	if (epipe_on)
		unregister_kprobe(&kp_epipe);
	if (close_kp_on)
		unregister_kprobe(&kp_close);
	close_ftrace_detach();
	epipe_on = close_on = close_locked = close_kp_on = false;
	/* No probe can add now: send the batches still waiting. */
	tcpstate_evbatch_exit();
}

u32 tcpstate_events_caps(void)
{
	u32 caps = 0;

	if (close_on)
		caps |= TCPSTATE_CAP_EV_UNREAD_CLOSE | TCPSTATE_CAP_EV_LINGER_ABORT;
	if (epipe_on)
		caps |= TCPSTATE_CAP_EV_EPIPE;
	return caps;
}
