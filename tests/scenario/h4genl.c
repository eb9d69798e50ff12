// SPDX-License-Identifier: GPL-2.0
/*
 * h4genl: what CTRL_CMD_GETFAMILY says about the tcpstate family's
 * multicast groups, and whether the caller may join them.
 *
 *   h4genl groups        one "group NAME ID" line per group, then
 *                        "groups N"
 *   h4genl join NAME     "join NAME ok", "join NAME errno=E" (the
 *                        kernel refused) or "join NAME absent" (no such
 *                        group); exits 0 in every case the family exists
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../../include/uapi/linux/tcpstate.h"

#define ALIGN4(x) (((x) + 3) & ~3U)
#define MAX_GROUPS 16

struct group {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

static struct group groups[MAX_GROUPS];
static int ngroups;

static void parse_group(const char *p, const char *end)
{
	struct group *g = &groups[ngroups];

	memset(g, 0, sizeof(*g));
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *x = (const struct nlattr *)p;
		size_t plen;

		if (x->nla_len < NLA_HDRLEN || p + x->nla_len > end)
			break;
		plen = x->nla_len - NLA_HDRLEN;
		if (x->nla_type == CTRL_ATTR_MCAST_GRP_ID && plen >= 4)
			memcpy(&g->id, x + 1, 4);
		if (x->nla_type == CTRL_ATTR_MCAST_GRP_NAME && plen)
			snprintf(g->name, sizeof(g->name), "%.*s", (int)plen,
				 (const char *)(x + 1));
		p += ALIGN4(x->nla_len);
	}
	if (ngroups < MAX_GROUPS)
		ngroups++;
}

/* CTRL_CMD_GETFAMILY for tcpstate; 0, or exits when it is not there. */
static void resolve(int nl)
{
	struct {
		struct nlmsghdr h;
		struct genlmsghdr g;
		char attrs[64];
	} req;
	static char rx[16384];
	struct nlattr *a;
	struct nlmsghdr *h;
	const char *p, *end;
	int found = 0;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_type = GENL_ID_CTRL;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = 1;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	a = (struct nlattr *)req.attrs;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(TCPSTATE_GENL_NAME);
	memcpy(a + 1, TCPSTATE_GENL_NAME, sizeof(TCPSTATE_GENL_NAME));
	req.h.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + ALIGN4(a->nla_len);
	if (send(nl, &req, req.h.nlmsg_len, 0) < 0) {
		perror("h4genl: send");
		exit(1);
	}
	n = recv(nl, rx, sizeof(rx), 0);
	h = (struct nlmsghdr *)rx;
	if (n < (ssize_t)NLMSG_LENGTH(GENL_HDRLEN) || h->nlmsg_type != GENL_ID_CTRL ||
	    h->nlmsg_len > (size_t)n) {
		fprintf(stderr, "h4genl: tcpstate family not found\n");
		exit(1);
	}
	p = (const char *)NLMSG_DATA(h) + GENL_HDRLEN;
	end = rx + h->nlmsg_len;
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *x = (const struct nlattr *)p;

		if (x->nla_len < NLA_HDRLEN || p + x->nla_len > end)
			break;
		if (x->nla_type == CTRL_ATTR_FAMILY_ID)
			found = 1;
		if ((x->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			const char *q = (const char *)(x + 1);
			const char *qend = p + x->nla_len;

			/* One nest per group. */
			while (q + NLA_HDRLEN <= qend) {
				const struct nlattr *g = (const struct nlattr *)q;

				if (g->nla_len < NLA_HDRLEN || q + g->nla_len > qend)
					break;
				parse_group(q + NLA_HDRLEN, q + g->nla_len);
				q += ALIGN4(g->nla_len);
			}
		}
		p += ALIGN4(x->nla_len);
	}
	if (!found) {
		fprintf(stderr, "h4genl: tcpstate family not found\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int nl, i;

	if (argc < 2 || (strcmp(argv[1], "groups") && strcmp(argv[1], "join")) ||
	    (!strcmp(argv[1], "join") && argc != 3)) {
		fprintf(stderr, "usage: h4genl groups | h4genl join NAME\n");
		return 2;
	}
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (nl < 0 || bind(nl, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("h4genl: socket");
		return 1;
	}
	resolve(nl);
	if (!strcmp(argv[1], "groups")) {
		for (i = 0; i < ngroups; i++)
			printf("group %s %u\n", groups[i].name, groups[i].id);
		printf("groups %d\n", ngroups);
		return 0;
	}
	for (i = 0; i < ngroups; i++) {
		if (strcmp(groups[i].name, argv[2]))
			continue;
		if (setsockopt(nl, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &groups[i].id, sizeof(groups[i].id)))
			printf("join %s errno=%d\n", argv[2], errno);
		else
			printf("join %s ok\n", argv[2]);
		return 0;
	}
	printf("join %s absent\n", argv[2]);
	return 0;
}
