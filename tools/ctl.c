// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Helpers every command shares: opening the module, usage errors, help. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ctl.h"
#include "diagnose.h"
#include "optval.h"

int ctl_open(struct tsnl *nl)
{
	int ret = tsnl_open(nl);
	struct utsname u;
	char why[1024];

	if (ret == 0)
		return EXIT_OK;
	if (ret == -TSNL_ENOMODULE) {
		/* One line: scripts filter on its start. */
		ts_module_diagnose("", uname(&u) ? "?" : u.release, why,
				   sizeof(why));
		fprintf(stderr, "tcpstatectl: tcpstate module is not loaded: %s\n",
			why);
	} else if (ret == -EPERM || ret == -EACCES) {
		fprintf(stderr,
			"tcpstatectl: cannot reach the tcpstate module: %s (generic netlink sockets are refused to this process: a seccomp filter, an LSM policy or a container's rules)\n",
			strerror(-ret));
	} else {
		tsnl_perror(nl, "cannot reach the tcpstate module", ret);
	}
	return EXIT_RUNTIME;
}

size_t ctl_term_width(void)
{
	const char *e = getenv("COLUMNS");
	struct winsize ws;
	uint64_t v;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		return ws.ws_col;
	if (e && !ts_parse_uint(e, 1, 65535, &v))
		return (size_t)v;
	return 0;
}

static bool stdout_reported, stdout_reader_gone;

void ctl_stdout_error(const char *cmd, int err)
{
	fprintf(stderr, "tcpstatectl: %s%scannot write to standard output: %s\n",
		cmd ? cmd : "", cmd ? ": " : "",
		err ? strerror(err) : "write error");
	stdout_reported = true;
}

void ctl_stdout_reader_gone(void)
{
	stdout_reader_gone = true;
}

void ctl_check_stdout(void)
{
	int err;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return;
	err = errno;
	if (stdout_reader_gone && (err == 0 || err == EPIPE))
		return;
	if (!stdout_reported)
		ctl_stdout_error(NULL, err);
	/* Not exit(): this runs inside it. */
	_exit(EXIT_RUNTIME);
}

void ctl_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tcpstatectl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'tcpstatectl %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	exit(EXIT_USAGE);
}

volatile sig_atomic_t ctl_stop;

static void on_stop(int sig)
{
	(void)sig;
	ctl_stop = 1;
}

void ctl_catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int ctl_getopt(const struct command *cmd, int argc, char **argv,
	       const char *shortopts, const struct option *longopts)
{
	char opts[64];
	int opt;

	/* ':' first: a missing value is ':', not '?'; no message of getopt's. */
	snprintf(opts, sizeof(opts), ":h%s", shortopts);
	opterr = 0;
	opt = getopt_long(argc, argv, opts, longopts, NULL);
	switch (opt) {
	case 'h':
		cmd->usage(stdout);
		exit(EXIT_OK);
	case ':':
		ctl_usage_error(cmd->name, "option '%.64s' needs a value",
				argv[optind - 1]);
	case '?':
		/*
		 * getopt_long sets optopt to a long option's val when it was
		 * given a value it takes none of (--json=1): name it by its
		 * spelling, never by that val (a control byte for long-only
		 * options, another option's letter for the others).
		 */
		if (strncmp(argv[optind - 1], "--", 2) == 0) {
			const char *arg = argv[optind - 1] + 2;
			size_t n = strcspn(arg, "=");
			const struct option *o;

			for (o = longopts; arg[n] == '=' && o && o->name; o++)
				if (strlen(o->name) == n &&
				    !strncmp(o->name, arg, n) &&
				    o->has_arg == no_argument)
					ctl_usage_error(cmd->name,
							"option '--%s' takes no value",
							o->name);
			ctl_usage_error(cmd->name,
					"unknown or ambiguous option '%.64s'",
					argv[optind - 1]);
		}
		if (optopt > 0 && optopt < 128 && optopt != '?')
			ctl_usage_error(cmd->name, "unknown option '-%c'",
					optopt);
		ctl_usage_error(cmd->name, "unknown or ambiguous option '%.64s'",
				argv[optind - 1]);
	}
	return opt;
}
