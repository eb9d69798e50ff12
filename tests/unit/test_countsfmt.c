// SPDX-License-Identifier: GPL-2.0 OR MIT
/* counts --json groups: pid and comm apart, the joined key kept. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "../../tools/countsfmt.h"
#include "../../tools/jsonfmt.h"

static const char *group_json(const struct ts_counts *c)
{
	static char out[1024];
	struct json_w w;
	FILE *f;

	memset(out, 0, sizeof(out));
	f = fmemopen(out, sizeof(out) - 1, "w");
	json_w_init(&w, f);
	ts_json_counts_group(&w, c);
	json_w_flush(&w);
	fclose(f);
	return out;
}

TEST(counts_json_process_group)
{
	struct ts_counts c = { 0 };

	c.is_group = true;
	c.has_pid = true;
	c.pid = 1234;
	strcpy(c.comm, "ngi\"nx");
	c.total = 3;
	c.states[TCPSTATE_CLOSE_WAIT] = 3;
	CHECK(strstr(group_json(&c), "{\"key\": \"1234/ngi\\\"nx\", "
				     "\"total\": 3, \"states\": {") != NULL);
	CHECK(strstr(group_json(&c), "}, \"pid\": 1234, \"comm\": \"ngi\\\"nx\"}") != NULL);
	CHECK(strstr(group_json(&c), "\"CLOSE_WAIT\": 3") != NULL);
	/* A comm of all 16 bytes, no NUL: still 16 bytes at most. */
	memset(c.comm, 'a', sizeof(c.comm));
	CHECK(strstr(group_json(&c), "\"comm\": \"aaaaaaaaaaaaaaaa\"}") != NULL);
}

TEST(counts_json_other_groups)
{
	struct ts_counts c = { 0 };

	c.is_group = true;
	c.owner_kind = TCPSTATE_OWNER_HIDDEN;
	CHECK(strstr(group_json(&c), "{\"key\": \"(hidden)\", \"total\": 0") != NULL);
	CHECK(strstr(group_json(&c), "\"pid\"") == NULL);
	c.has_port = true;
	c.port = 443;
	CHECK(strstr(group_json(&c), "{\"key\": \"443\", \"total\"") != NULL);
}
