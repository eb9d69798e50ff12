/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Requests to the tcpstate family built by hand, attribute by attribute
 * (so that a case can send exactly the bytes it means, malformed ones
 * too), and the read of their answer up to the error or done message with
 * its extack text. For nlcheck and h3walktime.
 */
#ifndef TCPSTATE_SCENARIO_GENL_MSG_H
#define TCPSTATE_SCENARIO_GENL_MSG_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#ifndef ALIGN4
#define ALIGN4(x) (((x) + 3) & ~3U)
#endif

struct msg {
	char buf[8192];
	size_t len;
};

/* Requests are numbered 1, 2, ... in the order their headers are put. */
static uint32_t genl_msg_seq = 1;

static inline void put_hdr(struct msg *m, uint16_t type, uint16_t flags,
			   uint8_t cmd)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(h + 1);

	memset(m, 0, sizeof(*m));
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = genl_msg_seq++;
	g->cmd = cmd;
	g->version = 1;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

/* Raw attribute: @len is what the header claims, @plen bytes are copied. */
static inline size_t put_raw(struct msg *m, uint16_t type, uint16_t len,
			     const void *data, size_t plen)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t at = m->len;

	a->nla_type = type;
	a->nla_len = len;
	memcpy(a + 1, data, plen);
	m->len += ALIGN4(NLA_HDRLEN + plen);
	return at;
}

static inline size_t put(struct msg *m, uint16_t type, const void *data,
			 size_t plen)
{
	return put_raw(m, type, (uint16_t)(NLA_HDRLEN + plen), data, plen);
}

static inline void put_u8(struct msg *m, uint16_t t, uint8_t v) { put(m, t, &v, 1); }
static inline void put_u16(struct msg *m, uint16_t t, uint16_t v) { put(m, t, &v, 2); }
static inline void put_u32(struct msg *m, uint16_t t, uint32_t v) { put(m, t, &v, 4); }

static inline size_t nest_start(struct msg *m, uint16_t type)
{
	return put(m, type | NLA_F_NESTED, NULL, 0);
}

static inline void nest_end(struct msg *m, size_t at)
{
	((struct nlattr *)(m->buf + at))->nla_len = (uint16_t)(m->len - at);
}

/*
 * Send @m on @nl and read to the end (64 KiB reads); return 0 or the
 * errno, with the extack text in @ext. The family's messages of the
 * answer are counted in *@msgs when given. With @trace_env set in the
 * environment, each read's length goes to stderr ("recv N").
 */
static inline int genl_run(int nl, struct msg *m, char *ext, size_t extlen,
			   unsigned long *msgs, const char *trace_env)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->buf;
	static char rx[65536];
	int err = 0;

	h->nlmsg_len = (uint32_t)m->len;
	ext[0] = '\0';
	if (msgs)
		*msgs = 0;
	if (send(nl, m->buf, m->len, 0) < 0)
		return errno;
	for (;;) {
		ssize_t n = recv(nl, rx, sizeof(rx), 0);
		struct nlmsghdr *r;

		if (n < 0)
			return errno;
		if (trace_env && getenv(trace_env))
			fprintf(stderr, "recv %zd\n", n);
		for (r = (struct nlmsghdr *)rx; NLMSG_OK(r, (size_t)n);
		     r = NLMSG_NEXT(r, n)) {
			size_t off;

			if (r->nlmsg_type == NLMSG_NOOP)
				continue;	/* a dump's first part */
			if (r->nlmsg_type != NLMSG_ERROR && r->nlmsg_type != NLMSG_DONE) {
				if (msgs)
					(*msgs)++;
				continue;
			}
			if (r->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(r);

				err = -e->error;
				off = sizeof(*e);
				if (!(r->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - sizeof(e->msg);
			} else {
				err = -*(int *)NLMSG_DATA(r);
				off = sizeof(int);
			}
			if (r->nlmsg_flags & NLM_F_ACK_TLVS) {
				char *p = (char *)NLMSG_DATA(r) + ALIGN4(off);
				char *end = (char *)r + r->nlmsg_len;

				while (p + NLA_HDRLEN <= end) {
					struct nlattr *a = (struct nlattr *)p;

					if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
						break;
					if (a->nla_type == NLMSGERR_ATTR_MSG)
						snprintf(ext, extlen, "%s", (char *)(a + 1));
					p += ALIGN4(a->nla_len);
				}
			}
			return err;
		}
	}
}

#endif
