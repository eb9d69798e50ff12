/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scenario programs that speak the tcpstate family themselves (without
 * libmnl, to control every byte) all first ask nlctrl for its id.
 */
#ifndef TCPSTATE_SCENARIO_GENL_FAMILY_H
#define TCPSTATE_SCENARIO_GENL_FAMILY_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"

/*
 * The tcpstate family's id, asked on @nl (a NETLINK_GENERIC socket with
 * nothing else pending); exits naming @prog when it cannot be had. With
 * @events_group, also the id of its multicast group named
 * TCPSTATE_MCGRP_EVENTS (left alone when there is none). The reply is read with a
 * buffer of @rxlen bytes (at most 16384): netlink sizes a socket's later
 * dump messages by the largest read it has seen (max_recvmsg_len), so a
 * program that reads dumps with a small buffer must not ask more here.
 */
static uint16_t tcpstate_family_lookup(int nl, size_t rxlen, const char *prog,
				       uint32_t *events_group)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char buf[64];
	} m = { 0 };
	static char rx[16384];
	struct nlattr *a = (struct nlattr *)m.buf;
	uint16_t family = 0;
	ssize_t n;

	m.h.nlmsg_type = GENL_ID_CTRL;
	m.h.nlmsg_flags = NLM_F_REQUEST;
	m.g.cmd = CTRL_CMD_GETFAMILY;
	m.g.version = 1;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(TCPSTATE_GENL_NAME);
	memcpy(a + 1, TCPSTATE_GENL_NAME, sizeof(TCPSTATE_GENL_NAME));
	m.h.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	if (send(nl, &m, m.h.nlmsg_len, 0) < 0) {
		fprintf(stderr, "%s: send: %s\n", prog, strerror(errno));
		exit(1);
	}
	if (rxlen > sizeof(rx))
		rxlen = sizeof(rx);
	n = recv(nl, rx, rxlen, 0);
	if (n > 0 && ((struct nlmsghdr *)rx)->nlmsg_type == GENL_ID_CTRL) {
		struct nlmsghdr *h = (struct nlmsghdr *)rx;
		char *p = (char *)NLMSG_DATA(h) + GENL_HDRLEN;
		char *end = rx + (h->nlmsg_len < (size_t)n ? h->nlmsg_len : (size_t)n);

		while (p + NLA_HDRLEN <= end) {
			struct nlattr *x = (struct nlattr *)p;
			char *xend = p + x->nla_len;

			if (x->nla_len < NLA_HDRLEN || xend > end)
				break;
			if (x->nla_type == CTRL_ATTR_FAMILY_ID)
				family = *(uint16_t *)(x + 1);
			/* One nest per group: its id is all we need. */
			if ((x->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS &&
			    events_group) {
				char *g = (char *)(x + 1);

				while (g + NLA_HDRLEN <= xend) {
					struct nlattr *ga = (struct nlattr *)g;
					char *q = (char *)(ga + 1), *gend = g + ga->nla_len;
					uint32_t id = 0;
					int named = 0;

					if (ga->nla_len < NLA_HDRLEN || gend > xend)
						break;
					while (q + NLA_HDRLEN <= gend) {
						struct nlattr *y = (struct nlattr *)q;

						if (y->nla_len < NLA_HDRLEN ||
						    q + y->nla_len > gend)
							break;
						if (y->nla_type == CTRL_ATTR_MCAST_GRP_ID)
							memcpy(&id, y + 1, sizeof(id));
						if (y->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
						    !strcmp((char *)(y + 1), TCPSTATE_MCGRP_EVENTS))
							named = 1;
						q += NLA_ALIGN(y->nla_len);
					}
					if (named && id)
						*events_group = id;
					g += NLA_ALIGN(ga->nla_len);
				}
			}
			p += NLA_ALIGN(x->nla_len);
		}
	}
	if (!family) {
		fprintf(stderr, "%s: tcpstate family not found\n", prog);
		exit(1);
	}
	return family;
}

static inline uint16_t tcpstate_family_id(int nl, size_t rxlen, const char *prog)
{
	return tcpstate_family_lookup(nl, rxlen, prog, NULL);
}

#endif
