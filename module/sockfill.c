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
 * Most tcpstate_put_sock_id() writes: family, state and the two ports,
 * the netns, two IPv6 addresses and the cookie.
 */
#define SOCK_ID_MAX (4 * nla_total_size(2) + nla_total_size(4) + \
		     2 * nla_total_size(16) + TCPSTATE_NLA_U64_MAX)
/* The rest of tcpstate_put_sock_info(): six u32s, inode and age. */
#define SOCK_INFO_MAX (SOCK_ID_MAX + 6 * nla_total_size(4) + \
		       2 * TCPSTATE_NLA_U64_MAX)

int tcpstate_put_sock_id(struct sk_buff *skb, const struct sock *sk,
			 int state)
{
	u64 cookie = atomic64_read(&sk->sk_cookie);

	if (skb_tailroom(skb) < SOCK_ID_MAX)
		return -EMSGSIZE;
	tcpstate_nla_u8(skb, TCPSTATE_SOCK_A_FAMILY, sk->sk_family);
	tcpstate_nla_u8(skb, TCPSTATE_SOCK_A_STATE, state);
	tcpstate_nla_u16(skb, TCPSTATE_SOCK_A_SPORT, tcpstate_sk_sport(sk));
	tcpstate_nla_u16(skb, TCPSTATE_SOCK_A_DPORT, ntohs(sk->sk_dport));
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_NETNS, sock_net(sk)->ns.inum);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		tcpstate_nla_put(skb, TCPSTATE_SOCK_A_SADDR,
				 &sk->sk_v6_rcv_saddr, sizeof(struct in6_addr));
		tcpstate_nla_put(skb, TCPSTATE_SOCK_A_DADDR,
				 &sk->sk_v6_daddr, sizeof(struct in6_addr));
	} else
#endif
	{
		tcpstate_nla_put(skb, TCPSTATE_SOCK_A_SADDR,
				 &sk->sk_rcv_saddr, sizeof(__be32));
		tcpstate_nla_put(skb, TCPSTATE_SOCK_A_DADDR,
				 &sk->sk_daddr, sizeof(__be32));
	}
	/* Generating a cookie needs an unexported helper: report it if set. */
	if (cookie)
		tcpstate_nla_u64(skb, TCPSTATE_SOCK_A_COOKIE, cookie,
				 TCPSTATE_SOCK_A_PAD);
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

static void put_full_sock(struct sk_buff *skb, struct sock *sk, int state,
			  struct user_namespace *user_ns)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	unsigned long ino;
	kuid_t uid;
	u32 rq, wq;

	if (state == TCP_LISTEN) {
		rq = READ_ONCE(sk->sk_ack_backlog);
		wq = READ_ONCE(sk->sk_max_ack_backlog);
		tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_ACCEPTQ_LEN, rq);
		tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_ACCEPTQ_MAX, wq);
	} else {
		rq = max_t(int, READ_ONCE(tp->rcv_nxt) -
				READ_ONCE(tp->copied_seq), 0);
		wq = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una);
	}
	sock_uid_ino(sk, &uid, &ino);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_RECV_Q, rq);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_SEND_Q, wq);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_UID,
			 from_kuid_munged(user_ns, uid));
	tcpstate_nla_u64(skb, TCPSTATE_SOCK_A_INODE, ino, TCPSTATE_SOCK_A_PAD);
}

int tcpstate_put_sock_info(struct sk_buff *skb, struct sock *sk, int state,
			   const struct tcpstate_age *age,
			   struct user_namespace *user_ns)
{
	int ret;

	if (skb_tailroom(skb) < SOCK_INFO_MAX)
		return -EMSGSIZE;
	ret = tcpstate_put_sock_id(skb, sk, state);
	if (ret)
		return ret;
	if (sk_fullsock(sk)) {
		put_full_sock(skb, sk, state, user_ns);
	} else {
		tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_RECV_Q, 0);
		tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_SEND_Q, 0);
		tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_UID, 0);
		tcpstate_nla_u64(skb, TCPSTATE_SOCK_A_INODE, 0,
				 TCPSTATE_SOCK_A_PAD);
	}
	tcpstate_nla_u64(skb, TCPSTATE_SOCK_A_AGE_MS, age->ms,
			 TCPSTATE_SOCK_A_PAD);
	tcpstate_nla_u32(skb, TCPSTATE_SOCK_A_AGE_FLAGS, age->flags);
	return 0;
}
