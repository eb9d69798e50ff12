// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The filter options, as list and counts parse them. */
#include <stdint.h>

#include "unit.h"
#include "../../tools/request.h"
#include "../../tools/states.h"

TEST(request_state_repeated_adds)
{
	struct ts_request r = { 0 };

	CHECK(ts_request_option(&r, OPT_STATE, "estab", "list"));
	CHECK(ts_request_option(&r, OPT_STATE, "close-wait,time-wait", "list"));
	CHECK_EQ(r.state_mask, TS_STATE_BIT(TCPSTATE_ESTABLISHED) |
			       TS_STATE_BIT(TCPSTATE_CLOSE_WAIT) |
			       TS_STATE_BIT(TCPSTATE_TIME_WAIT));
	CHECK(ts_request_option(&r, OPT_STATE, "all", "list"));
	CHECK_EQ(r.state_mask, TS_STATES_ALL);
}
