/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The error exit of the scenario programs, for the shared headers: the
 * line each program's own die() prints ("PROG: WHAT: strerror(errno)"),
 * so that a step moved into a header fails with the same words and the
 * same exit code (1) as it did in the program.
 */
#ifndef TCPSTATE_SCENARIO_SCEN_DIE_H
#define TCPSTATE_SCENARIO_SCEN_DIE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void __attribute__((noreturn))
scen_die(const char *prog, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(1);
}

#endif
