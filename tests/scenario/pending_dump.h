/* SPDX-License-Identifier: GPL-2.0 */
/*
 * deputy and memdeputy: a dump left pending on a generic netlink socket
 * whose smallest receive buffer is already full of replies nobody reads,
 * so that none of the dump is built in the sender's own sendmsg() but in
 * the recvmsg() of whoever reads the socket later.
 */
#ifndef TCPSTATE_SCENARIO_PENDING_DUMP_H
#define TCPSTATE_SCENARIO_PENDING_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "../../include/uapi/linux/tcpstate.h"
#include "scen_die.h"

/* A NETLINK_GENERIC socket (close-on-exec), with extended acks if @ext_ack. */
static inline int pd_nl_open(const char *prog, bool ext_ack)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1;

	if (fd < 0)
		scen_die(prog, "socket(NETLINK_GENERIC)");
	if (ext_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

/*
 * A request to @family with at most a u32 attribute @t1 and then a u8
 * attribute @t2 (type 0: none).
 */
static inline void pd_request(int nl, const char *prog, uint16_t family,
			      uint8_t cmd, uint16_t flags, uint32_t seq,
			      uint16_t t1, uint32_t v1, uint16_t t2, uint8_t v2)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char buf[32];
	} m = { 0 };
	char *p = m.buf;
	struct nlattr *a;

	if (t1) {
		a = (struct nlattr *)p;
		a->nla_type = t1;
		a->nla_len = NLA_HDRLEN + 4;
		memcpy(a + 1, &v1, 4);
		p += 8;
	}
	if (t2) {
		a = (struct nlattr *)p;
		a->nla_type = t2;
		a->nla_len = NLA_HDRLEN + 1;
		memcpy(a + 1, &v2, 1);
		p += 8;
	}
	m.h.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + (p - m.buf);
	m.h.nlmsg_type = family;
	m.h.nlmsg_flags = NLM_F_REQUEST | flags;
	m.h.nlmsg_seq = seq;
	m.g.cmd = cmd;
	m.g.version = 1;
	if (send(nl, &m, m.h.nlmsg_len, 0) < 0)
		scen_die(prog, "send");
}

/*
 * netlink_dump() fills nothing while the socket holds data and a dump
 * buffer (at least NLMSG_GOODSIZE) would take it to its receive buffer
 * size: the dump then waits for a recvmsg().
 */
static inline bool pd_rcvbuf_full(int nl, const char *prog)
{
	uint32_t mi[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mi);

	if (getsockopt(nl, SOL_SOCKET, SO_MEMINFO, mi, &len))
		scen_die(prog, "SO_MEMINFO");
	return mi[SK_MEMINFO_RMEM_ALLOC] > 0 &&
	       mi[SK_MEMINFO_RMEM_ALLOC] + 4096 >= mi[SK_MEMINFO_RCVBUF];
}

/*
 * Fill @nl's receive buffer with GET_STATS replies nobody reads
 * (sequence 100..103), then send @cmd as a dump (sequence 1) with
 * TCPSTATE_A_FLAGS @flags and, if @group, TCPSTATE_A_GROUP_BY @group.
 */
static inline void pending_dump(int nl, const char *prog, uint16_t family,
				uint8_t cmd, uint32_t flags, uint8_t group)
{
	int one = 1, i;

	if (setsockopt(nl, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)))
		scen_die(prog, "SO_RCVBUF");
	for (i = 0; i < 4; i++)
		pd_request(nl, prog, family, TCPSTATE_CMD_GET_STATS, 0, 100 + i,
			   0, 0, 0, 0);
	if (!pd_rcvbuf_full(nl, prog)) {
		fprintf(stderr, "%s: receive buffer not full\n", prog);
		exit(1);
	}
	pd_request(nl, prog, family, cmd, NLM_F_DUMP, 1, TCPSTATE_A_FLAGS,
		   flags, group ? TCPSTATE_A_GROUP_BY : 0, group);
}

#endif
