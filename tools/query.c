// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <linux/tcpstate.h>

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
