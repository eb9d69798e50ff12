/* SPDX-License-Identifier: GPL-2.0 */
/* Writing a socket into a TCPSTATE_SOCK_A_* attribute set. */
#ifndef _TCPSTATE_SOCKFILL_H
#define _TCPSTATE_SOCKFILL_H

#include <linux/skbuff.h>
#include <linux/user_namespace.h>
#include <net/sock.h>

#include "tcpstate.h"
#include "track.h"

/* Local port of a full, TIME_WAIT or request socket, even after close. */
u16 tcpstate_sk_sport(const struct sock *sk);

/*
 * Identity of a socket: family, state, addresses, ports, namespace and
 * cookie. Valid for full, TIME_WAIT and request sockets.
 */
void tcpstate_sock_rec_id(struct tcpstate_sock_rec *r, const struct sock *sk,
			  int state);
/*
 * The identity fields of @r (set by tcpstate_sock_rec_id(), the others
 * unread) as attributes: the same as a dumped socket's.
 */
int tcpstate_put_sock_rec_id(struct sk_buff *skb,
			     const struct tcpstate_sock_rec *r);

/*
 * Everything GET_SOCK reports without owners: identity, queues, uid and
 * inode (full sockets), age, and the accept queue of listeners. @user_ns
 * is the reader's, for the uid.
 */
int tcpstate_put_sock_info(struct sk_buff *skb, struct sock *sk, int state,
			   const struct tcpstate_age *age,
			   struct user_namespace *user_ns);

/*
 * The same values as a packed record (TCPSTATE_A_SOCK_REC), owner fields
 * and process records left for the owners code.
 */
void tcpstate_sock_rec_fill(struct tcpstate_sock_rec *r, struct sock *sk,
			    int state, const struct tcpstate_age *age,
			    struct user_namespace *user_ns);

#endif /* _TCPSTATE_SOCKFILL_H */
