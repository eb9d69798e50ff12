// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>

#include "addr.h"
#include "countsfmt.h"
#include "json.h"
#include "states.h"

void ts_counts_group_key(char *buf, size_t len, const struct ts_counts *c)
{
	if (c->has_port)
		snprintf(buf, len, "%u", c->port);
	else if (c->has_addr)
		ts_format_addr(buf, len, c->family, c->addr);
	else if (c->has_pid)
		snprintf(buf, len, "%u/%.16s%s", c->pid, c->comm,
			 c->owner_kind == TCPSTATE_OWNER_UNACCEPTED ?
			 " [unaccepted]" : "");
	else if (c->owner_kind == TCPSTATE_OWNER_HIDDEN)
		snprintf(buf, len, "(hidden)");
	else if (c->owner_kind == TCPSTATE_OWNER_CLOSED_BY)
		snprintf(buf, len, "(closed)");
	else
		snprintf(buf, len, "-");
}

void ts_json_counts_states(FILE *out, const uint32_t *states)
{
	unsigned int s;

	fputc('{', out);
	for (s = 1; s <= TCPSTATE_STATE_MAX; s++)
		fprintf(out, "%s\"%s\": %u", s > 1 ? ", " : "",
			ts_state_name(s), states[s]);
	fputc('}', out);
}

void ts_json_counts_group(FILE *out, const struct ts_counts *c)
{
	char key[TS_COUNTS_KEYLEN], comm[sizeof(c->comm) + 1];

	ts_counts_group_key(key, sizeof(key), c);
	fputs("{\"key\": ", out);
	json_str(out, key);
	fprintf(out, ", \"total\": %u, \"states\": ", c->total);
	ts_json_counts_states(out, c->states);
	/*
	 * The key joins them for the table; a program wants them apart.
	 * The key stays, for those that read it, and the new members come
	 * last, so that text matched on the old order still matches.
	 */
	if (c->has_pid) {
		snprintf(comm, sizeof(comm), "%.16s", c->comm);
		fprintf(out, ", \"pid\": %u, \"comm\": ", c->pid);
		json_str(out, comm);
	}
	fputc('}', out);
}
