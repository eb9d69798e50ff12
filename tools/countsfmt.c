// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>

#include "addr.h"
#include "countsfmt.h"
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
