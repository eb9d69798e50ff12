/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Option values: one parser for every number and every duration a command
 * takes, and one message for a bad one:
 *   tcpstatectl: CMD: --NAME: 'VALUE' is not a KIND (HINT)
 */
#ifndef TCPSTATECTL_OPTVAL_H
#define TCPSTATECTL_OPTVAL_H

#include <stdint.h>

/*
 * Decimal digits only (no sign, no blanks, no base prefix), in
 * [@min, @max]. Returns 0 with the value in @v, or -1.
 */
int ts_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v);

/* The value of option --@name, or a usage error of command @cmd (exit 2). */
uint64_t ctl_opt_uint(const char *cmd, const char *name, const char *arg,
		      uint64_t min, uint64_t max);
/* A duration as --older-than takes it (ts_parse_duration), in ms. */
uint64_t ctl_opt_duration(const char *cmd, const char *name, const char *arg);

#endif
