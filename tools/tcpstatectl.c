// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl: command-line front end of the tcpstate kernel module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "version.gen.h"

static const struct command *const commands[] = {
	&cmd_list,
	&cmd_counts,
	&cmd_events,
	&cmd_stats,
	&cmd_metrics,
	&cmd_diagnose,
	&cmd_version,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: tcpstatectl COMMAND [OPTIONS]\n"
		"       tcpstatectl COMMAND --help\n"
		"\n"
		"Find stuck TCP sockets, who owns them and for how long, and who\n"
		"throws away unread data, from the tcpstate kernel module.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name,
			commands[i]->summary);
	fprintf(out,
		"  %-10s %s\n"
		"\n"
		"Exit status: 0 ok, 1 runtime error, 2 usage error.\n",
		"help", "show help for a command");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
	const struct command *cmd;

	/*
	 * Listings can be 100,000 lines: write them in large blocks, unless a
	 * person is watching (streaming commands flush per line anyway).
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	atexit(ctl_check_stdout);

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("tcpstatectl %s\n", TCPSTATE_TOOL_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return EXIT_OK;
		}
		cmd = find_command(argv[2]);
		if (!cmd)
			ctl_usage_error(NULL, "unknown command '%s'", argv[2]);
		cmd->usage(stdout);
		return EXIT_OK;
	}
	if (argv[1][0] == '-')
		ctl_usage_error(NULL, "unknown option '%s'", argv[1]);

	cmd = find_command(argv[1]);
	if (!cmd)
		ctl_usage_error(NULL, "unknown command '%s'", argv[1]);
	return cmd->run(argc - 1, argv + 1);
}
