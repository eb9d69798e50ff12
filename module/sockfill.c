// SPDX-License-Identifier: GPL-2.0
/*
 * Socket attributes, computed as inet_diag computes them (tcp_diag.c
 * tcp_diag_get_info for the queues, inet_sk_diag_fill for uid and inode),
 * so tcpstatectl and ss agree on every number.
 */
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/inet_timewait_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "tcpstate.h"
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

int tcpstate_put_sock_id(struct sk_buff *skb, const struct sock *sk,
			 int state)
{
	u64 cookie = atomic64_read(&sk->sk_cookie);

	if (nla_put_u8(skb, TCPSTATE_SOCK_A_FAMILY, sk->sk_family) ||
	    nla_put_u8(skb, TCPSTATE_SOCK_A_STATE, state) ||
	    nla_put_u16(skb, TCPSTATE_SOCK_A_SPORT, tcpstate_sk_sport(sk)) ||
	    nla_put_u16(skb, TCPSTATE_SOCK_A_DPORT, ntohs(sk->sk_dport)) ||
	    nla_put_u32(skb, TCPSTATE_SOCK_A_NETNS, sock_net(sk)->ns.inum))
		return -EMSGSIZE;
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		if (nla_put_in6_addr(skb, TCPSTATE_SOCK_A_SADDR,
				     &sk->sk_v6_rcv_saddr) ||
		    nla_put_in6_addr(skb, TCPSTATE_SOCK_A_DADDR,
				     &sk->sk_v6_daddr))
			return -EMSGSIZE;
	} else
#endif
	{
		if (nla_put_in_addr(skb, TCPSTATE_SOCK_A_SADDR,
				    sk->sk_rcv_saddr) ||
		    nla_put_in_addr(skb, TCPSTATE_SOCK_A_DADDR, sk->sk_daddr))
			return -EMSGSIZE;
	}
	/* Generating a cookie needs an unexported helper: report it if set. */
	if (cookie && nla_put_u64_64bit(skb, TCPSTATE_SOCK_A_COOKIE, cookie,
					TCPSTATE_SOCK_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int put_full_sock(struct sk_buff *skb, struct sock *sk, int state,
			 struct user_namespace *user_ns)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	u32 rq, wq;

	if (state == TCP_LISTEN) {
		rq = READ_ONCE(sk->sk_ack_backlog);
		wq = READ_ONCE(sk->sk_max_ack_backlog);
		if (nla_put_u32(skb, TCPSTATE_SOCK_A_ACCEPTQ_LEN, rq) ||
		    nla_put_u32(skb, TCPSTATE_SOCK_A_ACCEPTQ_MAX, wq))
			return -EMSGSIZE;
	} else {
		rq = max_t(int, READ_ONCE(tp->rcv_nxt) -
				READ_ONCE(tp->copied_seq), 0);
		wq = READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una);
	}
	if (nla_put_u32(skb, TCPSTATE_SOCK_A_RECV_Q, rq) ||
	    nla_put_u32(skb, TCPSTATE_SOCK_A_SEND_Q, wq) ||
	    nla_put_u32(skb, TCPSTATE_SOCK_A_UID,
			from_kuid_munged(user_ns, sock_i_uid(sk))) ||
	    nla_put_u64_64bit(skb, TCPSTATE_SOCK_A_INODE, sock_i_ino(sk),
			      TCPSTATE_SOCK_A_PAD))
		return -EMSGSIZE;
	return 0;
}

int tcpstate_put_sock_info(struct sk_buff *skb, struct sock *sk, int state,
			   const struct tcpstate_age *age,
			   struct user_namespace *user_ns)
{
	int ret;

	ret = tcpstate_put_sock_id(skb, sk, state);
	if (ret)
		return ret;
	if (sk_fullsock(sk)) {
		ret = put_full_sock(skb, sk, state, user_ns);
		if (ret)
			return ret;
	} else if (nla_put_u32(skb, TCPSTATE_SOCK_A_RECV_Q, 0) ||
		   nla_put_u32(skb, TCPSTATE_SOCK_A_SEND_Q, 0) ||
		   nla_put_u32(skb, TCPSTATE_SOCK_A_UID, 0) ||
		   nla_put_u64_64bit(skb, TCPSTATE_SOCK_A_INODE, 0,
				     TCPSTATE_SOCK_A_PAD)) {
		return -EMSGSIZE;
	}
	if (nla_put_u64_64bit(skb, TCPSTATE_SOCK_A_AGE_MS, age->ms,
			      TCPSTATE_SOCK_A_PAD) ||
	    nla_put_u32(skb, TCPSTATE_SOCK_A_AGE_FLAGS, age->flags))
		return -EMSGSIZE;
	return 0;
}
