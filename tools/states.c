// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "states.h"

static const char *const kernel_names[] = {
	[TCPSTATE_ESTABLISHED] = "ESTABLISHED",
	[TCPSTATE_SYN_SENT] = "SYN_SENT",
	[TCPSTATE_SYN_RECV] = "SYN_RECV",
	[TCPSTATE_FIN_WAIT1] = "FIN_WAIT1",
	[TCPSTATE_FIN_WAIT2] = "FIN_WAIT2",
	[TCPSTATE_TIME_WAIT] = "TIME_WAIT",
	[TCPSTATE_CLOSE] = "CLOSE",
	[TCPSTATE_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCPSTATE_LAST_ACK] = "LAST_ACK",
	[TCPSTATE_LISTEN] = "LISTEN",
	[TCPSTATE_CLOSING] = "CLOSING",
	[TCPSTATE_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *ts_state_name(unsigned int state)
{
	if (state >= sizeof(kernel_names) / sizeof(kernel_names[0]) ||
	    !kernel_names[state])
		return "UNKNOWN";
	return kernel_names[state];
}

static const char *const event_type_names[] = {
	[TCPSTATE_EV_UNREAD_CLOSE] = "unread-close",
	[TCPSTATE_EV_LINGER_ABORT] = "linger-abort",
	[TCPSTATE_EV_EPIPE] = "epipe",
};

/* The capability bit of each event type's probe. */
static const uint32_t event_type_caps[] = {
	[TCPSTATE_EV_UNREAD_CLOSE] = TCPSTATE_CAP_EV_UNREAD_CLOSE,
	[TCPSTATE_EV_LINGER_ABORT] = TCPSTATE_CAP_EV_LINGER_ABORT,
	[TCPSTATE_EV_EPIPE] = TCPSTATE_CAP_EV_EPIPE,
};

const char *ts_event_type_name(unsigned int type)
{
	return type >= 1 && type <= TCPSTATE_EV_MAX ? event_type_names[type] :
						      "unknown";
}

uint32_t ts_event_type_cap(unsigned int type)
{
	return type >= 1 && type <= TCPSTATE_EV_MAX ? event_type_caps[type] : 0;
}

const struct ts_cap_name ts_cap_names[] = {
	{ TCPSTATE_CAP_SOCK_DUMP, "sockets" },
	{ TCPSTATE_CAP_AGE_TRACKING, "age-tracking" },
	{ TCPSTATE_CAP_PROCESSES, "processes" },
	{ TCPSTATE_CAP_EV_UNREAD_CLOSE, "unread-close" },
	{ TCPSTATE_CAP_EV_LINGER_ABORT, "linger-abort" },
	{ TCPSTATE_CAP_EV_EPIPE, "epipe" },
	{ TCPSTATE_CAP_EV_RESTRICTED, "events-need-cap-net-admin" },
	{ TCPSTATE_CAP_ALL_NETNS, "all-netns" },
	{ TCPSTATE_CAP_EV_OFF_UNRESTRICTED, "events-off-unrestricted" },
};
const unsigned int ts_n_cap_names =
	sizeof(ts_cap_names) / sizeof(ts_cap_names[0]);

#define B(s) TS_STATE_BIT(TCPSTATE_##s)
/* ss treats request sockets as SYN-RECV; so do its groups here. */
#define SYN_RECV_ALL (B(SYN_RECV) | B(NEW_SYN_RECV))

static const struct {
	const char *name;	/* lower case, separators removed */
	uint32_t mask;
} aliases[] = {
	{ "established", B(ESTABLISHED) },
	{ "estab", B(ESTABLISHED) },
	{ "synsent", B(SYN_SENT) },
	{ "synrecv", SYN_RECV_ALL },
	{ "synrcv", SYN_RECV_ALL },
	{ "finwait1", B(FIN_WAIT1) },
	{ "finwait2", B(FIN_WAIT2) },
	{ "timewait", B(TIME_WAIT) },
	{ "close", B(CLOSE) },
	{ "closed", B(CLOSE) },
	{ "unconn", B(CLOSE) },
	{ "unconnected", B(CLOSE) },
	{ "closewait", B(CLOSE_WAIT) },
	{ "lastack", B(LAST_ACK) },
	{ "listen", B(LISTEN) },
	{ "listening", B(LISTEN) },
	{ "closing", B(CLOSING) },
	{ "newsynrecv", B(NEW_SYN_RECV) },
	/* ss's groups (iproute2 misc/ss.c scan_state) */
	{ "all", TS_STATES_ALL },
	{ "connected", TS_STATES_ALL & ~(B(CLOSE) | B(LISTEN)) },
	{ "synchronized", TS_STATES_ALL & ~(B(CLOSE) | B(LISTEN) | B(SYN_SENT)) },
	{ "bucket", SYN_RECV_ALL | B(TIME_WAIT) },
	{ "big", TS_STATES_ALL & ~(SYN_RECV_ALL | B(TIME_WAIT)) },
};

static bool lookup(const char *word, size_t len, uint32_t *mask)
{
	char norm[32];
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (word[i] == '-' || word[i] == '_')
			continue;
		if (n + 1 >= sizeof(norm))
			return false;
		norm[n++] = (char)tolower((unsigned char)word[i]);
	}
	norm[n] = '\0';
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(norm, aliases[i].name) == 0) {
			*mask |= aliases[i].mask;
			return true;
		}
	}
	return false;
}

int ts_parse_states(const char *list, uint32_t *mask, char *bad,
		    size_t badlen)
{
	const char *p = list, *end;
	size_t len;

	*mask = 0;
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || !lookup(p, len, mask)) {
			if (badlen)
				snprintf(bad, badlen, "%.*s",
					 (int)(len > 64 ? 64 : len), p);
			return -1;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

void ts_print_state_names(FILE *out)
{
	fprintf(out,
		"valid states: ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2\n"
		"  TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN CLOSING NEW_SYN_RECV\n"
		"  (any case; ss spellings like close-wait, estab, unconn too)\n"
		"valid groups: all connected synchronized bucket big\n");
}
