// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/tcpstate.h>

#include "ctl.h"
#include "query.h"

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const void *attrs;
	size_t len;

	attrs = tsnl_attrs(nlh, &len);
	if (!attrs || ts_parse_stats(attrs, len, data) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int ctl_get_stats(struct tsnl *nl, struct ts_stats *st)
{
	struct nlmsghdr *req = tsnl_request(nl, TCPSTATE_CMD_GET_STATS, false);

	return tsnl_run(nl, req, stats_cb, st);
}

int ctl_open_stats(struct tsnl *nl, struct ts_stats *st, const char *what)
{
	int ret;

	if (ctl_open(nl))
		return EXIT_RUNTIME;
	ret = ctl_get_stats(nl, st);
	if (!ret)
		return EXIT_OK;
	tsnl_perror(nl, what, ret);
	tsnl_close(nl);
	return EXIT_RUNTIME;
}

struct sock_ctx {
	ts_sock_cb cb;
	void *data;
	struct ts_sock sk;
};

static int sock_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sock_ctx *c = data;
	const void *attrs;
	size_t len;
	int ret;

	attrs = tsnl_attrs(nlh, &len);
	ret = attrs ? ts_parse_sock_msg(attrs, len, &c->sk, c->cb, c->data) :
		      -EBADMSG;
	if (ret < 0) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Packed records unless TCPSTATECTL_PACKED=0 (to compare the two formats
 * in tests); a module without them refuses the flag with EOPNOTSUPP before
 * sending anything, and is asked again without it.
 */
static bool want_packed(void)
{
	const char *e = getenv("TCPSTATECTL_PACKED");

	return !e || strcmp(e, "0");
}

int ctl_dump_socks(struct tsnl *nl, const struct ts_request *r, ts_sock_cb cb,
		   void *data)
{
	struct ts_request packed = *r;
	struct nlmsghdr *req;
	struct sock_ctx *c;
	int ret = -EOPNOTSUPP;

	/* ts_sock is large with its owner lists: keep it off the stack. */
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->cb = cb;
	c->data = data;
	if (want_packed()) {
		packed.flags |= TCPSTATE_F_PACKED;
		req = tsnl_request(nl, TCPSTATE_CMD_GET_SOCK, true);
		ts_request_put(req, &packed);
		ret = tsnl_run(nl, req, sock_msg_cb, c);
	}
	if (ret == -EOPNOTSUPP && !(r->flags & TCPSTATE_F_PACKED)) {
		req = tsnl_request(nl, TCPSTATE_CMD_GET_SOCK, true);
		ts_request_put(req, r);
		ret = tsnl_run(nl, req, sock_msg_cb, c);
	}
	free(c);
	return ret;
}

struct counts_ctx {
	ts_counts_cb cb;
	void *data;
};

static int counts_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counts_ctx *c = data;
	struct ts_counts counts;
	const void *attrs;
	size_t len;
	int ret;

	attrs = tsnl_attrs(nlh, &len);
	if (!attrs || ts_parse_counts(attrs, len, &counts) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	ret = c->cb(&counts, c->data);
	if (ret < 0) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int ctl_dump_counts(struct tsnl *nl, const struct ts_request *r,
		    ts_counts_cb cb, void *data)
{
	struct nlmsghdr *req = tsnl_request(nl, TCPSTATE_CMD_GET_COUNTS, true);
	struct counts_ctx c = { .cb = cb, .data = data };

	ts_request_put(req, r);
	return tsnl_run(nl, req, counts_msg_cb, &c);
}
