// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/tcpstate.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * Dump replies come in skbs of up to 32 KiB; a larger buffer lets one
 * recvmsg() take a whole skb plus room for the kernel to grow.
 */
#define TSNL_RXBUF (64 * 1024)

static int set_opt(struct tsnl *nl, int opt)
{
	int one = 1;

	return mnl_socket_setsockopt(nl->sock, opt, &one, sizeof(one));
}

struct family_info {
	uint16_t id;
	uint32_t version;
	uint32_t events_group;
	uint32_t ctrl_group;
	bool want_ctrl;
};

static int mcgrp_cb(const struct nlattr *grp, struct family_info *fi)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				name = mnl_attr_get_str(a);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				id = mnl_attr_get_u32(a);
			break;
		}
	}
	if (!name)
		return 0;
	if (fi->want_ctrl && strcmp(name, "notify") == 0)
		fi->ctrl_group = id;
	else if (!fi->want_ctrl && strcmp(name, TCPSTATE_MCGRP_EVENTS) == 0)
		fi->events_group = id;
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_info *fi = data;
	const struct nlattr *a, *grp;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				fi->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				fi->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, a)
				mcgrp_cb(grp, fi);
			break;
		}
	}
	return MNL_CB_OK;
}

static int resolve(struct tsnl *nl, const char *name, struct family_info *fi)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	nlh = mnl_nlmsg_put_header(nl->txbuf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return tsnl_run(nl, nlh, family_cb, fi);
}

int tsnl_open(struct tsnl *nl)
{
	struct family_info fi = { 0 };
	int ret;

	memset(nl, 0, offsetof(struct tsnl, txbuf));
	nl->rxlen = TSNL_RXBUF;
	nl->rxbuf = malloc(nl->rxlen);
	if (!nl->rxbuf)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		ret = -errno;
		goto err_free;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto err_close;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)getpid() << 8;
	/* Short ACKs, extack messages; both are best effort on old kernels. */
	set_opt(nl, NETLINK_CAP_ACK);
	set_opt(nl, NETLINK_EXT_ACK);

	ret = resolve(nl, TCPSTATE_GENL_NAME, &fi);
	if (ret)
		goto err_close;
	if (!fi.id) {
		ret = -EPROTO;
		goto err_close;
	}
	nl->family = fi.id;
	nl->version = fi.version;
	nl->events_group = fi.events_group;
	return 0;

err_close:
	mnl_socket_close(nl->sock);
	nl->sock = NULL;
err_free:
	free(nl->rxbuf);
	nl->rxbuf = NULL;
	return ret;
}

void tsnl_close(struct tsnl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->rxbuf);
	nl->rxbuf = NULL;
}

struct nlmsghdr *tsnl_request(struct tsnl *nl, uint8_t cmd, bool dump)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->txbuf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = TCPSTATE_GENL_VERSION;
	return nlh;
}

bool tsnl_msg_ok(const struct nlmsghdr *nlh, size_t len)
{
	return len >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= len;
}

bool tsnl_datagram_ok(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;

	while (len >= sizeof(*nlh)) {
		size_t step;

		if (!tsnl_msg_ok(nlh, len))
			return false;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			return true;
		len -= step;
		nlh = (const struct nlmsghdr *)((const char *)nlh + step);
	}
	return true;
}

const struct nlattr *tsnl_attrs(const struct nlmsghdr *nlh, size_t *len)
{
	size_t payload = mnl_nlmsg_get_payload_len(nlh);

	if (payload < GENL_HDRLEN) {
		*len = 0;
		return NULL;
	}
	*len = payload - GENL_HDRLEN;
	return (const struct nlattr *)((const char *)mnl_nlmsg_get_payload(nlh) +
				       GENL_HDRLEN);
}

/* Pull the extack message out of an NLMSG_ERROR or NLMSG_DONE payload. */
static void extack_msg(struct tsnl *nl, const struct nlmsghdr *nlh,
		       size_t skip)
{
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (mnl_nlmsg_get_payload_len(nlh) < skip)
		return;
	mnl_attr_for_each(a, nlh, skip) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
			snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
				 mnl_attr_get_str(a));
		}
	}
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tsnl *nl = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t skip;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* The echoed request is cut to its header when NLM_F_CAPPED. */
	skip = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += err->msg.nlmsg_len - sizeof(err->msg);
	skip = MNL_ALIGN(skip);
	extack_msg(nl, nlh, skip);
	if (err->error == 0)
		return MNL_CB_STOP;
	errno = err->error < 0 ? -err->error : err->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tsnl *nl = data;
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	extack_msg(nl, nlh, MNL_ALIGN(sizeof(int)));
	if (err < 0) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

struct run_ctx {
	struct tsnl *nl;
	mnl_cb_t cb;
	void *data;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct run_ctx *rc = data;

	return rc->cb(nlh, rc->data);
}

static int ctl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	return error_cb(nlh, ((struct run_ctx *)data)->nl);
}

static int ctl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	return done_cb(nlh, ((struct run_ctx *)data)->nl);
}

int tsnl_run(struct tsnl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_NOOP] = noop_cb,
		[NLMSG_ERROR] = ctl_error_cb,
		[NLMSG_DONE] = ctl_done_cb,
	};
	struct run_ctx rc = { .nl = nl, .cb = cb, .data = data };
	unsigned int seq;
	ssize_t n;
	int ret;

	nl->errmsg[0] = '\0';
	seq = req->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->rxbuf, nl->rxlen);
		if (n < 0) {
			if (errno == EINTR)
				return -EINTR;
			return -errno;
		}
		if (!tsnl_datagram_ok(nl->rxbuf, (size_t)n))
			return -EPROTO;
		ret = mnl_cb_run2(nl->rxbuf, (size_t)n, seq, nl->portid,
				  data_cb, &rc, ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return errno ? -errno : -EIO;
	return 0;
}

int tsnl_join_events(struct tsnl *nl)
{
	struct family_info fi = { .want_ctrl = true };

	if (!nl->events_group)
		return -ENOTSUP;
	/*
	 * Resolve the controller first: once we are in the events group,
	 * notifications could interleave with the reply. Its notify group
	 * tells us when the module goes away; it is best effort.
	 */
	if (resolve(nl, "nlctrl", &fi) == 0 && fi.ctrl_group &&
	    mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &fi.ctrl_group, sizeof(fi.ctrl_group)) == 0)
		nl->ctrl_group = fi.ctrl_group;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_group,
				  sizeof(nl->events_group)) < 0)
		return -errno;
	/* Lets the module count what our full buffer made it drop. */
	set_opt(nl, NETLINK_BROADCAST_ERROR);
	return 0;
}

void tsnl_perror(const struct tsnl *nl, const char *what, int err)
{
	if (err < 0)
		err = -err;
	if (nl && nl->errmsg[0])
		fprintf(stderr, "tcpstatectl: %s: %s: %s\n", what,
			strerror(err), nl->errmsg);
	else
		fprintf(stderr, "tcpstatectl: %s: %s\n", what, strerror(err));
}
