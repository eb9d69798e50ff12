// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdint.h>

#include "unit.h"
#include "../../tools/states.h"

#define B(s) TS_STATE_BIT(TCPSTATE_##s)

static uint32_t mask(const char *s)
{
	char bad[80];
	uint32_t m = 0;

	if (ts_parse_states(s, &m, bad, sizeof(bad)))
		return 0xdeadbeef;
	return m;
}

TEST(states_kernel_names_any_case)
{
	CHECK_EQ(mask("CLOSE_WAIT"), B(CLOSE_WAIT));
	CHECK_EQ(mask("close_wait"), B(CLOSE_WAIT));
	CHECK_EQ(mask("Close_Wait"), B(CLOSE_WAIT));
	CHECK_EQ(mask("FIN_WAIT1"), B(FIN_WAIT1));
	CHECK_EQ(mask("NEW_SYN_RECV"), B(NEW_SYN_RECV));
	CHECK_EQ(mask("LISTEN"), B(LISTEN));
}

TEST(states_ss_spellings)
{
	CHECK_EQ(mask("close-wait"), B(CLOSE_WAIT));
	CHECK_EQ(mask("estab"), B(ESTABLISHED));
	CHECK_EQ(mask("established"), B(ESTABLISHED));
	CHECK_EQ(mask("fin-wait-1"), B(FIN_WAIT1));
	CHECK_EQ(mask("fin-wait-2"), B(FIN_WAIT2));
	CHECK_EQ(mask("time-wait"), B(TIME_WAIT));
	CHECK_EQ(mask("listening"), B(LISTEN));
	CHECK_EQ(mask("unconn"), B(CLOSE));
	CHECK_EQ(mask("closed"), B(CLOSE));
	CHECK_EQ(mask("syn-rcv"), B(SYN_RECV) | B(NEW_SYN_RECV));
	CHECK_EQ(mask("syn-recv"), B(SYN_RECV) | B(NEW_SYN_RECV));
	CHECK_EQ(mask("last-ack"), B(LAST_ACK));
}

TEST(states_groups_as_ss)
{
	/*
	 * Spelled out state by state from iproute2's misc/ss.c (its
	 * connected/synchronized/bucket/big), not computed the way
	 * states.c computes them.
	 */
	uint32_t synrecv = B(SYN_RECV) | B(NEW_SYN_RECV);
	uint32_t all = B(ESTABLISHED) | B(SYN_SENT) | B(SYN_RECV) |
		       B(FIN_WAIT1) | B(FIN_WAIT2) | B(TIME_WAIT) | B(CLOSE) |
		       B(CLOSE_WAIT) | B(LAST_ACK) | B(LISTEN) | B(CLOSING) |
		       B(NEW_SYN_RECV);

	CHECK_EQ(mask("all"), all);
	CHECK_EQ(TS_STATES_ALL, all);
	CHECK_EQ(mask("connected"),
		 B(ESTABLISHED) | B(SYN_SENT) | synrecv | B(FIN_WAIT1) |
		 B(FIN_WAIT2) | B(TIME_WAIT) | B(CLOSE_WAIT) | B(LAST_ACK) |
		 B(CLOSING));
	CHECK_EQ(mask("synchronized"),
		 B(ESTABLISHED) | synrecv | B(FIN_WAIT1) | B(FIN_WAIT2) |
		 B(TIME_WAIT) | B(CLOSE_WAIT) | B(LAST_ACK) | B(CLOSING));
	CHECK_EQ(mask("bucket"), synrecv | B(TIME_WAIT));
	CHECK_EQ(mask("big"),
		 B(ESTABLISHED) | B(SYN_SENT) | B(FIN_WAIT1) | B(FIN_WAIT2) |
		 B(CLOSE) | B(CLOSE_WAIT) | B(LAST_ACK) | B(LISTEN) |
		 B(CLOSING));
}

TEST(states_lists)
{
	CHECK_EQ(mask("close-wait,TIME_WAIT"), B(CLOSE_WAIT) | B(TIME_WAIT));
	CHECK_EQ(mask("estab,estab"), B(ESTABLISHED));
}

TEST(states_bad_names_reported)
{
	char bad[80];
	uint32_t m;

	CHECK_EQ(ts_parse_states("bogus", &m, bad, sizeof(bad)), -1);
	CHECK_STR(bad, "bogus");
	CHECK_EQ(ts_parse_states("estab,nope", &m, bad, sizeof(bad)), -1);
	CHECK_STR(bad, "nope");
	CHECK_EQ(ts_parse_states("", &m, bad, sizeof(bad)), -1);
	CHECK_EQ(ts_parse_states("estab,", &m, bad, sizeof(bad)), -1);
	CHECK_EQ(ts_parse_states(",", &m, bad, sizeof(bad)), -1);
	CHECK_EQ(ts_parse_states("closewaitttttttttttttttttttttttttttttttttttttt",
				 &m, bad, sizeof(bad)), -1);
}

TEST(states_names)
{
	CHECK_STR(ts_state_name(TCPSTATE_CLOSE_WAIT), "CLOSE_WAIT");
	CHECK_STR(ts_state_name(0), "UNKNOWN");
	CHECK_STR(ts_state_name(13), "UNKNOWN");
	CHECK_STR(ts_state_name(255), "UNKNOWN");
}

/*
 * Each event type: its name, and its probe's capability bit, which stats
 * names as the type (diagnose reads a type's bit to tell why a rule that
 * needs its events cannot run).
 */
TEST(states_event_types)
{
	unsigned int t, i, named;

	CHECK_STR(ts_event_type_name(TCPSTATE_EV_UNREAD_CLOSE), "unread-close");
	CHECK_STR(ts_event_type_name(TCPSTATE_EV_EPIPE), "epipe");
	CHECK_STR(ts_event_type_name(0), "unknown");
	CHECK_STR(ts_event_type_name(TCPSTATE_EV_MAX + 1), "unknown");
	CHECK_EQ(ts_event_type_cap(TCPSTATE_EV_LINGER_ABORT),
		 TCPSTATE_CAP_EV_LINGER_ABORT);
	CHECK_EQ(ts_event_type_cap(0), 0);
	CHECK_EQ(ts_event_type_cap(TCPSTATE_EV_MAX + 1), 0);
	for (t = 1; t <= TCPSTATE_EV_MAX; t++) {
		named = 0;
		for (i = 0; i < ts_n_cap_names; i++)
			if (ts_cap_names[i].bit == ts_event_type_cap(t))
				named += !strcmp(ts_cap_names[i].name,
						 ts_event_type_name(t));
		CHECK_EQ(named, 1);
	}
}
