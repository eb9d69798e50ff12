/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What every tcpstatectl command shares: the command table, exit codes and
 * the way errors are reported.
 */
#ifndef TCPSTATECTL_CTL_H
#define TCPSTATECTL_CTL_H

#include <stdio.h>

#include "nl.h"

enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* the system said no, or failed */
	EXIT_USAGE = 2,		/* the command line is wrong */
};

struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *out);
};

extern const struct command cmd_version;
extern const struct command cmd_list;
extern const struct command cmd_counts;
extern const struct command cmd_events;
extern const struct command cmd_stats;
extern const struct command cmd_metrics;

/*
 * Open the netlink socket and resolve the family. On failure print the
 * reason (with the fix for a missing module) and return EXIT_RUNTIME.
 */
int ctl_open(struct tsnl *nl);

/* Print "tcpstatectl: CMD: message" and a pointer to --help; exit 2. */
void ctl_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* If argv has -h/--help before "--", print usage to stdout and exit 0. */
void ctl_help_if_asked(const struct command *cmd, int argc, char **argv);

#endif
