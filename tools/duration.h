/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Durations: "90", "90s", "1.5s", "500ms", "5m", "1h30m", "2d". */
#ifndef TCPSTATECTL_DURATION_H
#define TCPSTATECTL_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0 with milliseconds in @ms, or -1. A bare number is seconds. */
int ts_parse_duration(const char *s, uint64_t *ms);

/*
 * Compact human form: "850ms", "12.3s", "5m03s", "2h05m", "3d04h". No
 * terminator; at most 24 bytes. Returns the end.
 */
char *ts_fmt_duration(char *p, uint64_t ms);

/* Now, in milliseconds of CLOCK_MONOTONIC: for deadlines and intervals. */
long long ts_now_ms(void);

#endif
