/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSTATE_STATES_H
#define _TCPSTATE_STATES_H

/* The kernel's name of a TCP state ("CLOSE_WAIT"), or "UNKNOWN". */
const char *tcpstate_state_name(int state);

#endif /* _TCPSTATE_STATES_H */
