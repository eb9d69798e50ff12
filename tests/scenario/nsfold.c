// SPDX-License-Identifier: GPL-2.0
/*
 * nsfold: may a container with many mapped ids multiply the dump budget?
 *
 *   nsfold BASE COUNT K N sock|counts OUTDIR
 *
 * Run as root. A child creates a user namespace as root (its owner is
 * the initial root, as LXD's or a container manager's are) and the
 * parent maps in-namespace ids 0..COUNT-1 to BASE..BASE+COUNT-1, uids and
 * gids alike (LXD maps 65,536). In the namespace, K workers with
 * in-namespace uids 1..K (kuids BASE+1..BASE+K, K different users to the
 * host) each run "h1pin N KIND" with its output in OUTDIR/nsfold.UID_IN_NS.
 * Prints "ns PID" once the workers run and exits; the workers keep their
 * dumps until killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "userns_map.h"

int main(int argc, char **argv)
{
	int up[2], down[2], base, count, k, len;
	char map[64];
	pid_t pid;

	if (argc != 7) {
		fprintf(stderr,
			"usage: nsfold BASE COUNT K N sock|counts OUTDIR\n");
		return 2;
	}
	base = atoi(argv[1]);
	count = atoi(argv[2]);
	k = atoi(argv[3]);
	if (k < 1 || k >= count)
		return 2;
	pid = userns_fork("nsfold", up, down);
	if (!pid) {
		/* Created by root: the namespace's owner is the initial root. */
		userns_enter("nsfold", up, down);
		userns_h1pin_workers("nsfold", 1, k, argv[6], argv[4], argv[5]);
		_exit(0);
	}
	len = snprintf(map, sizeof(map), "0 %d %d\n", base, count);
	userns_map_child("nsfold", pid, up, down, map, len);
	return 0;
}
