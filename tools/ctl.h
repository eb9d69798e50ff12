/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What every tcpstatectl command shares: the command table, exit codes and
 * the way errors are reported.
 */
#ifndef TCPSTATECTL_CTL_H
#define TCPSTATECTL_CTL_H

#include <getopt.h>
#include <signal.h>
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
extern const struct command cmd_diagnose;

/*
 * Open the netlink socket and resolve the family. On failure print the
 * reason (with the fix for a missing module) and return EXIT_RUNTIME.
 */
int ctl_open(struct tsnl *nl);

/*
 * Registered with atexit() by main(): output that could not be written
 * (a full disk, a closed pipe with SIGPIPE ignored) turns any exit into
 * exit 1 with a message, in every command and output mode, --help too.
 */
void ctl_check_stdout(void);
/*
 * A stream that ends when its reader goes away (events | head): EPIPE on
 * standard output from now on is that normal end, not an error.
 */
void ctl_stdout_reader_gone(void);
/* Report a failed write to standard output now (ctl_check_stdout is quiet). */
void ctl_stdout_error(const char *cmd, int err);

/*
 * The width of the terminal on standard output (TIOCGWINSZ, else $COLUMNS),
 * or 0 if standard output is no terminal or its width is unknown.
 */
size_t ctl_term_width(void);

/*
 * Set once SIGINT or SIGTERM came, after ctl_catch_stop(): the end of a
 * command that runs until stopped (events, diagnose).
 */
extern volatile sig_atomic_t ctl_stop;
void ctl_catch_stop(void);

/* Print "tcpstatectl: CMD: message" and a pointer to --help; exit 2. */
void ctl_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* Every command's --help: put it in the long options given ctl_getopt(). */
#define CTL_HELP_LONGOPT { "help", no_argument, NULL, 'h' }

/*
 * getopt_long() for command @cmd, with -h added to @shortopts: -h and
 * --help print the usage and exit 0 (only where they are options: the
 * value of an option that takes one is a value, "--comm -h"); an unknown
 * option or a missing value is one usage error (exit 2), getopt's own
 * message suppressed.
 */
int ctl_getopt(const struct command *cmd, int argc, char **argv,
	       const char *shortopts, const struct option *longopts);

#endif
