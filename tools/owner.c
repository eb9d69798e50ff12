// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "owner.h"

static const char *const kind_names[] = {
	[TCPSTATE_OWNER_UNSPEC] = "none",
	[TCPSTATE_OWNER_FD] = "fd",
	[TCPSTATE_OWNER_UNACCEPTED] = "unaccepted",
	[TCPSTATE_OWNER_CLOSED_BY] = "closed-by",
	[TCPSTATE_OWNER_NONE] = "none",
	[TCPSTATE_OWNER_HIDDEN] = "hidden",
};

const char *ts_owner_kind_name(unsigned int kind)
{
	if (kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "none";
	return kind_names[kind];
}

/* Append to buf[*len], never past cap - 1; the buffer stays terminated. */
static void put(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + 1 >= cap)
		return;
	if (n > cap - 1 - *len)
		n = cap - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/*
 * A comm with anything but printable ASCII shown as '?': it is a column.
 * Writes at most 15 bytes, no terminator; returns the end.
 */
static char *safe_comm(char *out, const char *comm)
{
	/* Each byte as shown: itself, or '?'; NUL stays NUL (the end). */
	static char shown[256];
	size_t i;

	if (!shown['a'])
		for (i = 1; i < 256; i++)
			shown[i] = i > ' ' && i < 127 && i != ',' ? (char)i : '?';
	for (i = 0; i < 15 && comm[i]; i++)
		out[i] = shown[(unsigned char)comm[i]];
	return out + i;
}

/* Longest "," pid "/" comm entry: 1 + 10 + 1 + 15. */
#define ENTRY_MAX 27

size_t ts_format_owner(char *buf, size_t cap, const struct ts_sock *sk)
{
	char item[48];
	size_t len = 0;
	uint32_t i;

	if (!cap)
		return 0;
	buf[0] = '\0';
	if (!sk->nprocs) {
		const char *s = "-";

		if (sk->owner_kind == TCPSTATE_OWNER_HIDDEN)
			s = "(hidden)";
		else if (sk->owner_kind == TCPSTATE_OWNER_CLOSED_BY &&
			 (sk->owner_flags & TCPSTATE_OWNER_F_SOME_HIDDEN))
			s = "(closed by a hidden process)";
		else if (sk->owner_kind == TCPSTATE_OWNER_CLOSED_BY)
			s = "(closed, closer unknown)";
		else if (sk->owner_flags & TCPSTATE_OWNER_F_KERNEL)
			s = "(kernel)";
		else if (sk->owner_flags & TCPSTATE_OWNER_F_NO_FD)
			s = "(no fd)";
		put(buf, cap, &len, s);
		return len;
	}
	if (sk->owner_kind == TCPSTATE_OWNER_CLOSED_BY)
		put(buf, cap, &len, "closed-by ");
	/* By hand, not snprintf: every row of a -p listing has this cell. */
	for (i = 0; i < sk->nprocs; i++) {
		/* Straight into @buf while it has room, else via put(). */
		bool direct = len + ENTRY_MAX < cap;
		char *p = direct ? buf + len : item;

		if (i)
			*p++ = ',';
		p = fmt_u64(p, sk->procs[i].pid);
		*p++ = '/';
		p = safe_comm(p, sk->procs[i].comm);
		*p = '\0';
		if (direct)
			len = (size_t)(p - buf);
		else
			put(buf, cap, &len, item);
	}
	if (sk->procs_total > sk->nprocs) {
		char *p = item;

		*p++ = ',';
		*p++ = '+';
		*fmt_u64(p, sk->procs_total - sk->nprocs) = '\0';
		put(buf, cap, &len, item);
	}
	if (sk->owner_kind == TCPSTATE_OWNER_UNACCEPTED)
		put(buf, cap, &len, " [unaccepted]");
	if (sk->owner_flags & TCPSTATE_OWNER_F_SOME_HIDDEN)
		put(buf, cap, &len, " (+hidden)");
	return len;
}
