/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TCP state names: the kernel's, ss's, and ss's state groups; and the
 * names of the module's event types and capabilities.
 */
#ifndef TCPSTATECTL_STATES_H
#define TCPSTATECTL_STATES_H

#include <stdint.h>
#include <stdio.h>
#include <linux/tcpstate.h>

#define TS_STATE_BIT(s) (1U << (s))
#define TS_STATES_ALL TCPSTATE_STATE_MASK_ALL

/* "CLOSE_WAIT", or "UNKNOWN" for a number we do not know. */
const char *ts_state_name(unsigned int state);

/* "unread-close", "linger-abort", "epipe", or "unknown". */
const char *ts_event_type_name(unsigned int type);
/*
 * The capability bit (TCPSTATE_CAP_EV_*) a module sets when it has the
 * probe of event type @type; 0 for a type we do not know.
 */
uint32_t ts_event_type_cap(unsigned int type);

/* The module's capability bits (TCPSTATE_CAP_*) that stats names. */
struct ts_cap_name {
	uint32_t bit;
	const char *name;
};
extern const struct ts_cap_name ts_cap_names[];
extern const unsigned int ts_n_cap_names;

/*
 * Parse a comma-separated list of state names and groups into a mask.
 * Accepted, case-insensitively, with '-' and '_' interchangeable or left
 * out: the kernel's names (CLOSE_WAIT), ss's (close-wait, estab, unconn,
 * listening, syn-rcv) and ss's groups (all, connected, synchronized,
 * bucket, big). Returns 0, or -1 with the offending name in @bad.
 */
int ts_parse_states(const char *list, uint32_t *mask, char *bad,
		    size_t badlen);

/* Print the accepted names, for usage errors. */
void ts_print_state_names(FILE *out);

#endif
