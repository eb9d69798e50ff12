/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Close-time events: close() with unread data (RST instead of FIN),
 * close() with SO_LINGER 0, and writes that fail with EPIPE (SIGPIPE).
 */
#ifndef _TCPSTATE_EVENTS_H
#define _TCPSTATE_EVENTS_H

#include <linux/types.h>

/* Best effort: a probe that cannot attach is logged and left out. */
void tcpstate_events_attach(void);
void tcpstate_events_detach(void);
/* TCPSTATE_CAP_EV_* bits of the probes that are attached. */
u32 tcpstate_events_caps(void);
const char *tcpstate_event_name(int type);

#endif /* _TCPSTATE_EVENTS_H */
