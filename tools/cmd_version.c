// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * tcpstatectl version: the tool's and the loaded module's versions. A
 * mismatch is worth a warning: attributes may be missing on either side.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/tcpstate.h>

#include "ctl.h"
#include "jsonfmt.h"
#include "version.gen.h"
#include "parse.h"
#include "query.h"
#include "request.h"

static void version_usage(FILE *out)
{
	fprintf(out,
		"Usage: tcpstatectl version [--json]\n"
		"\n"
		"Print the version of tcpstatectl and of the loaded tcpstate\n"
		"kernel module. Needs no privilege.\n"
		"\n"
		"  --json               {\"tool\": V, \"module\": V}; module is null\n"
		"                       when the module cannot be asked (exit 1)\n");
}

/*
 * One object, printed whole at the end: the module's version, or null with
 * the reason on stderr and exit 1.
 */
static int version_json(void)
{
	struct ts_stats st;
	struct tsnl nl;
	int ret = ctl_open(&nl);

	if (!ret) {
		ret = ctl_get_stats(&nl, &st);
		if (ret)
			tsnl_perror(&nl, "cannot query the module", ret);
		tsnl_close(&nl);
	}
	ts_json_version(stdout, TCPSTATE_TOOL_VERSION,
			ret ? NULL : st.version[0] ? st.version : "unknown");
	return ret ? EXIT_RUNTIME : EXIT_OK;
}

static int version_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		CTL_HELP_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	struct ts_stats st;
	struct tsnl nl;
	bool json = false;

	while (ctl_getopt(&cmd_version, argc, argv, "", opts) == OPT_JSON)
		json = true;
	if (optind < argc)
		ctl_usage_error("version", "unexpected argument '%.64s'",
				argv[optind]);
	if (json)
		return version_json();

	printf("tcpstatectl %s\n", TCPSTATE_TOOL_VERSION);
	/* Out before the module's error, if any; its own error first. */
	if (fflush(stdout)) {
		ctl_stdout_error("version", errno);
		return EXIT_RUNTIME;
	}
	if (ctl_open_stats(&nl, &st, "cannot query the module"))
		return EXIT_RUNTIME;
	tsnl_close(&nl);
	printf("tcpstate module %s\n", st.version[0] ? st.version : "unknown");
	if (strcmp(st.version, TCPSTATE_TOOL_VERSION) != 0)
		fprintf(stderr,
			"tcpstatectl: warning: tool and module versions differ\n");
	return EXIT_OK;
}

const struct command cmd_version = {
	.name = "version",
	.summary = "show tool and module versions",
	.run = version_run,
	.usage = version_usage,
};
