// SPDX-License-Identifier: GPL-2.0
/*
 * timeit: run shell commands N times each (output to /dev/null), taking
 * turns so that they see the same system state, and print one line per
 * command: "min median max" wall-clock milliseconds. Used by the
 * benchmarks, where busybox's time (10 ms resolution) is too coarse.
 *
 *   timeit [-n RUNS] [-w WARMUPS] 'COMMAND' ['COMMAND'...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

static int run(const char *cmd)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	int opt, runs = 5, warm = 1, i, c, ncmd;
	double *t;

	while ((opt = getopt(argc, argv, "n:w:")) != -1) {
		if (opt == 'n')
			runs = atoi(optarg);
		else if (opt == 'w')
			warm = atoi(optarg);
		else
			return 2;
	}
	ncmd = argc - optind;
	if (ncmd < 1 || runs < 1 || warm < 0) {
		fprintf(stderr, "usage: timeit [-n RUNS] [-w WARMUPS] 'COMMAND'...\n");
		return 2;
	}
	t = calloc((size_t)runs * (size_t)ncmd, sizeof(*t));
	for (i = 0; i < warm; i++)
		for (c = 0; c < ncmd; c++)
			run(argv[optind + c]);
	for (i = 0; i < runs; i++) {
		for (c = 0; c < ncmd; c++) {
			double t0 = now_ms();

			if (run(argv[optind + c]) != 0) {
				fprintf(stderr, "timeit: command failed: %s\n",
					argv[optind + c]);
				return 1;
			}
			t[c * runs + i] = now_ms() - t0;
		}
	}
	for (c = 0; c < ncmd; c++) {
		double *r = t + c * runs;

		qsort(r, (size_t)runs, sizeof(*r), cmp_ms);
		printf("%.1f %.1f %.1f\n", r[0], r[runs / 2], r[runs - 1]);
	}
	return 0;
}
