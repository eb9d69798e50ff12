/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Building canned netlink attribute buffers for parser tests. */
#ifndef TCPSTATE_UNIT_NLBUF_H
#define TCPSTATE_UNIT_NLBUF_H

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

/* A message buffer; attributes go after a genlmsghdr, as from the module. */
struct nlbuf {
	char buf[65536];
	struct nlmsghdr *nlh;
};

static inline struct nlmsghdr *nlbuf_init(struct nlbuf *b)
{
	memset(b->buf, 0, sizeof(b->buf));
	b->nlh = mnl_nlmsg_put_header(b->buf);
	mnl_nlmsg_put_extra_header(b->nlh, GENL_HDRLEN);
	return b->nlh;
}

static inline const void *nlbuf_attrs(const struct nlbuf *b, size_t *len)
{
	*len = b->nlh->nlmsg_len - MNL_NLMSG_HDRLEN - GENL_HDRLEN;
	return (const char *)b->nlh + MNL_NLMSG_HDRLEN + GENL_HDRLEN;
}

#endif
