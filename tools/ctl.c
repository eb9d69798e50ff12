// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Helpers every command shares: opening the module, usage errors, help. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

int ctl_open(struct tsnl *nl)
{
	int ret = tsnl_open(nl);

	if (ret == 0)
		return EXIT_OK;
	if (ret == -TSNL_ENOMODULE)
		fprintf(stderr,
			"tcpstatectl: tcpstate module is not loaded "
			"(try: sudo modprobe tcpstate)\n");
	else
		tsnl_perror(nl, "cannot reach the tcpstate module", ret);
	return EXIT_RUNTIME;
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

void ctl_help_if_asked(const struct command *cmd, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			cmd->usage(stdout);
			exit(EXIT_OK);
		}
	}
}
