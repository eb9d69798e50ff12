// SPDX-License-Identifier: GPL-2.0
/*
 * Socket attributes, computed as inet_diag computes them (tcp_diag.c
 * tcp_diag_get_info for the queues, inet_sk_diag_fill for uid and inode),
 * so tcpstatectl and ss agree on every number. Written with the inline
 * writers of nlput.h after one room check: this runs once per socket of
 * a dump.
 */
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/inet_timewait_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "tcpstate.h"
#include "nlput.h"
#include "sockfill.h"

u16 tcpstate_sk_sport(const struct sock *sk)
{
	if (sk->sk_state == TCP_TIME_WAIT)
		return ntohs(inet_twsk(sk)->tw_sport);
	if (sk->sk_state == TCP_NEW_SYN_RECV)
		return sk->sk_num;
	/*
	 * A full socket that reached TCP_CLOSE has been through
	 * inet_put_port(), which zeroes inet_num; inet_sport survives.
	 */
	return ntohs(inet_sk(sk)->inet_sport);
}

/*
 * Most tcpstate_put_sock_rec_id() writes: family, state and the two ports,
 * the netns, two IPv6 addresses and the cookie.
 */
#define SOCK_ID_MAX (4 * nla_total_size(2) + nla_total_size(4) + \
		     2 * nla_total_size(16) + TCPSTATE_NLA_U64_MAX)
/* The rest of tcpstate_put_sock_info(): six u32s, inode and age. */
#define SOCK_INFO_MAX (SOCK_ID_MAX + 6 * nla_total_size(4) + \
		       2 * TCPSTATE_NLA_U64_MAX)

/*
 * The values are computed once, into a struct tcpstate_sock_rec, for both
 * encodings: a packed dump copies the struct, the attribute writers below
 * write one attribute per field from it.
 */
static void rec_id(struct tcpstate_sock_rec *r, const struct sock *sk,
		   int state)
{
	r->family = sk->sk_family;
	r->state = state;
	r->sport = tcpstate_sk_sport(sk);
	r->dport = ntohs(sk->sk_dport);
	r->netns = sock_net(sk)->ns.inum;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		memcpy(r->saddr, &sk->sk_v6_rcv_saddr, sizeof(struct in6_addr));
		memcpy(r->daddr, &sk->sk_v6_daddr, sizeof(struct in6_addr));
	} else
#endif
	{
		memcpy(r->saddr, &sk->sk_rcv_saddr, sizeof(__be32));
		memcpy(r->daddr, &sk->sk_daddr, sizeof(__be32));
	}
	/* Generating a cookie needs an unexported helper: report it if set. */
	r->cookie = atomic64_read(&sk->sk_cookie);
}

static int addr_len(const struct tcpstate_sock_rec *r)
{
	return r->family == AF_INET6 ? sizeof(struct in6_addr) : sizeof(__be32);
}

/* The caller checked the room (SOCK_ID_MAX). */
static void put_id_attrs(struct sk_buff *skb, const struct tcpstate_sock_rec *r)
{
	tcpstate_nla_u8(skb, TCPSTATE_SOCK_A_FAMILY, r->family);
	tcpstate_nla_u8(skb, TCPSTATE_SOCK_A_STATE, r->state);
	tcpstate_nla_u16(skb, TCPSTATE_SOCK_A_SPORT, r->sport);
	tcpstate_nla_u16(skb, TCPSTATE_SOCK_A_DPORT, r->dport);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_NETNS, r->netns);
	tcpstate_nla_put(skb, TCPSTATE_SOCK_A_SADDR, r->saddr, addr_len(r));
	tcpstate_nla_put(skb, TCPSTATE_SOCK_A_DADDR, r->daddr, addr_len(r));
	if (r->cookie)
		tcpstate_nla_u64(skb, TCPSTATE_SOCK_A_COOKIE, r->cookie,
				 TCPSTATE_SOCK_A_PAD);
}

void tcpstate_sock_rec_id(struct tcpstate_sock_rec *r, const struct sock *sk,
			  int state)
{
	rec_id(r, sk, state);
}

int tcpstate_put_sock_rec_id(struct sk_buff *skb,
			     const struct tcpstate_sock_rec *r)
{
	if (skb_tailroom(skb) < SOCK_ID_MAX)
		return -EMSGSIZE;
	put_id_attrs(skb, r);
	return 0;
}

/*
 * sock_i_uid() and sock_i_ino() under one sk_callback_lock section (each
 * takes it, with BHs off, on its own): the lock keeps sock_orphan() from
 * taking sk_socket away while we read its inode.
 */
static void sock_uid_ino(struct sock *sk, kuid_t *uid, unsigned long *ino)
{
	struct socket *sock;

	read_lock_bh(&sk->sk_callback_lock);
	sock = sk->sk_socket;
	*uid = sock ? SOCK_INODE(sock)->i_uid : GLOBAL_ROOT_UID;
	*ino = sock ? SOCK_INODE(sock)->i_ino : 0;
	read_unlock_bh(&sk->sk_callback_lock);
}

static void rec_full_sock(struct tcpstate_sock_rec *r, struct sock *sk,
			  int state, struct user_namespace *user_ns)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	unsigned long ino;
	kuid_t uid;

	if (state == TCP_LISTEN) {
		r->flags |= TCPSTATE_REC_F_ACCEPTQ;
		r->acceptq_len = READ_ONCE(sk->sk_ack_backlog);
		r->acceptq_max = READ_ONCE(sk->sk_max_ack_backlog);
		r->recv_q = r->acceptq_len;
		r->send_q = r->acceptq_max;
	} else {
		r->recv_q = max_t(int, READ_ONCE(tp->rcv_nxt) -
				       READ_ONCE(tp->copied_seq), 0);
		r->send_q = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una);
	}
	sock_uid_ino(sk, &uid, &ino);
	r->uid = from_kuid_munged(user_ns, uid);
	r->inode = ino;
}

void tcpstate_sock_rec_fill(struct tcpstate_sock_rec *r, struct sock *sk,
			    int state, const struct tcpstate_age *age,
			    struct user_namespace *user_ns)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	rec_id(r, sk, state);
	/* Request and TIME_WAIT sockets: no queues, uid 0, inode 0, as ss. */
	if (sk_fullsock(sk))
		rec_full_sock(r, sk, state, user_ns);
	r->age_ms = age->ms;
	r->age_flags = age->flags;
}

int tcpstate_put_sock_info(struct sk_buff *skb, struct sock *sk, int state,
			   const struct tcpstate_age *age,
			   struct user_namespace *user_ns)
{
	struct tcpstate_sock_rec r;

	if (skb_tailroom(skb) < SOCK_INFO_MAX)
		return -EMSGSIZE;
	tcpstate_sock_rec_fill(&r, sk, state, age, user_ns);
	put_id_attrs(skb, &r);
	if (r.flags & TCPSTATE_REC_F_ACCEPTQ) {
		tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_ACCEPTQ_LEN, r.acceptq_len);
		tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_ACCEPTQ_MAX, r.acceptq_max);
	}
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_RECV_Q, r.recv_q);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_SEND_Q, r.send_q);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_UID, r.uid);
	tcpstate_nla_u64(skb, TCPSTATE_SOCK_A_INODE, r.inode,
			 TCPSTATE_SOCK_A_PAD);
	tcpstate_nla_u64(skb, TCPSTATE_SOCK_A_AGE_MS, r.age_ms,
			 TCPSTATE_SOCK_A_PAD);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_AGE_FLAGS, r.age_flags);
	return 0;
}
