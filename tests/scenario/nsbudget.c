// SPDX-License-Identifier: GPL-2.0
/*
 * nsbudget: may one user multiply its dump budget with user namespaces?
 *
 *   nsbudget UID K N sock|counts OUTDIR
 *
 * Run as root. A child drops to UID and creates a user namespace; the
 * parent then writes its uid and gid maps as newuidmap(1) would for a
 * user granted K subordinate ids: in-namespace 0 is UID, 1..K are
 * 100000..100000+K-1. In the namespace, K+1 workers (in-namespace uids
 * 0..K, so K+1 different kuids) each run "h1pin N KIND" with its output
 * in OUTDIR/nsbudget.UID_IN_NS. Prints "ns PID" once the workers run and
 * exits; the workers keep their dumps until killed.
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

static void die(const char *what)
{
	fprintf(stderr, "nsbudget: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	int up[2], down[2], uid, k, len;
	char map[128];
	pid_t pid;

	if (argc != 6) {
		fprintf(stderr, "usage: nsbudget UID K N sock|counts OUTDIR\n");
		return 2;
	}
	uid = atoi(argv[1]);
	k = atoi(argv[2]);
	pid = userns_fork("nsbudget", up, down);
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
		    setresuid(uid, uid, uid))
			die("drop privileges");
		userns_enter("nsbudget", up, down);
		userns_h1pin_workers("nsbudget", 0, k, argv[5], argv[3],
				     argv[4]);
		_exit(0);
	}
	len = snprintf(map, sizeof(map), "0 %d 1\n1 100000 %d\n", uid, k);
	userns_map_child("nsbudget", pid, up, down, map, len);
	return 0;
}
