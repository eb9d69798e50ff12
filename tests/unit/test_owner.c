// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "../../tools/jsonfmt.h"
#include "../../tools/owner.h"

static struct ts_sock two_procs(void)
{
	struct ts_sock sk;

	memset(&sk, 0, sizeof(sk));
	sk.owner_kind = TCPSTATE_OWNER_FD;
	sk.nprocs = 2;
	sk.procs_total = 2;
	sk.procs[0].pid = 10;
	strcpy(sk.procs[0].comm, "nginx");
	sk.procs[0].fds[0] = 3;
	sk.procs[0].nfds = 1;
	sk.procs[0].fds_total = 1;
	sk.procs[1].pid = 11;
	strcpy(sk.procs[1].comm, "a b,\"c");
	return sk;
}

TEST(owner_column)
{
	struct ts_sock sk = two_procs();
	char buf[128];

	ts_format_owner(buf, sizeof(buf), &sk);
	/* Spaces, commas and control characters cannot break the column. */
	CHECK_STR(buf, "10/nginx,11/a?b?\"c");
	sk.procs_total = 12;
	sk.owner_flags = TCPSTATE_OWNER_F_SOME_HIDDEN;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "10/nginx,11/a?b?\"c,+10 (+hidden)");
	sk.owner_kind = TCPSTATE_OWNER_UNACCEPTED;
	sk.owner_flags = 0;
	sk.procs_total = 1;
	sk.nprocs = 1;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "10/nginx [unaccepted]");
	sk.owner_kind = TCPSTATE_OWNER_CLOSED_BY;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "closed-by 10/nginx");
	sk.owner_kind = TCPSTATE_OWNER_UNACCEPTED;
	/* Truncated to the buffer, always terminated. */
	ts_format_owner(buf, 5, &sk);
	CHECK_STR(buf, "10/n");
}

TEST(owner_column_nobody)
{
	struct ts_sock sk;
	char buf[64];

	memset(&sk, 0, sizeof(sk));
	sk.owner_kind = TCPSTATE_OWNER_HIDDEN;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "(hidden)");
	sk.owner_kind = TCPSTATE_OWNER_CLOSED_BY;
	sk.owner_flags = TCPSTATE_OWNER_F_CLOSE_UNSEEN;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "(closed, closer unknown)");
	sk.owner_flags = TCPSTATE_OWNER_F_SOME_HIDDEN;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "(closed by a hidden process)");
	sk.owner_kind = TCPSTATE_OWNER_NONE;
	sk.owner_flags = TCPSTATE_OWNER_F_KERNEL;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "(kernel)");
	sk.owner_flags = TCPSTATE_OWNER_F_NO_FD;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "(no fd)");
	sk.owner_flags = 0;
	ts_format_owner(buf, sizeof(buf), &sk);
	CHECK_STR(buf, "-");
	CHECK_STR(ts_owner_kind_name(200), "none");
}

TEST(owner_json)
{
	struct ts_sock sk = two_procs();
	char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");
	struct json_w w;

	json_w_init(&w, f);
	json_w_obj(&w, JSON_ITEM);
	json_w_u64(&w, JSON_KEY("inode"), 1);
	ts_json_owner(&w, &sk);
	json_w_obj_end(&w);
	json_w_flush(&w);
	fclose(f);
	CHECK_STR(out, "{\"inode\": 1, \"owner_kind\": \"fd\", \"processes_total\": 2, "
		  "\"processes\": [{\"pid\": 10, \"comm\": \"nginx\", "
		  "\"fds\": [3], \"fds_total\": 1}, {\"pid\": 11, "
		  "\"comm\": \"a b,\\\"c\", \"fds\": [], \"fds_total\": 0}]}");
}
