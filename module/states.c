// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel.h>
#include <net/tcp_states.h>

#include "tcpstate.h"
#include "states.h"

static const char *const names[] = {
	[TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_SYN_SENT] = "SYN_SENT",
	[TCP_SYN_RECV] = "SYN_RECV",
	[TCP_FIN_WAIT1] = "FIN_WAIT1",
	[TCP_FIN_WAIT2] = "FIN_WAIT2",
	[TCP_TIME_WAIT] = "TIME_WAIT",
	[TCP_CLOSE] = "CLOSE",
	[TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCP_LAST_ACK] = "LAST_ACK",
	[TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING",
	[TCP_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *tcpstate_state_name(int state)
{
	/* The uapi numbering must stay the kernel's. */
	BUILD_BUG_ON((int)TCPSTATE_ESTABLISHED != (int)TCP_ESTABLISHED);
	BUILD_BUG_ON((int)TCPSTATE_CLOSE_WAIT != (int)TCP_CLOSE_WAIT);
	BUILD_BUG_ON((int)TCPSTATE_LISTEN != (int)TCP_LISTEN);
	BUILD_BUG_ON((int)TCPSTATE_NEW_SYN_RECV != (int)TCP_NEW_SYN_RECV);

	if (state <= 0 || state >= ARRAY_SIZE(names) || !names[state])
		return "UNKNOWN";
	return names[state];
}
