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

static void die(const char *what)
{
	fprintf(stderr, "nsfold: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_map(pid_t pid, const char *which, int base, int count)
{
	char path[64], map[64];
	int fd, len;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, which);
	len = snprintf(map, sizeof(map), "0 %d %d\n", base, count);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, map, len) != len)
		die(path);
	close(fd);
}

int main(int argc, char **argv)
{
	int up[2], down[2], base, count, k, i;
	char c, out[256];
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
	if (pipe(up) || pipe(down))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		/* Created by root: the namespace's owner is the initial root. */
		if (unshare(CLONE_NEWUSER))
			die("unshare(CLONE_NEWUSER)");
		if (write(up[1], "u", 1) != 1 || read(down[0], &c, 1) != 1)
			die("sync");
		for (i = 1; i <= k; i++) {
			pid_t w = fork();
			int fd;

			if (w < 0)
				die("fork");
			if (w)
				continue;
			if (setgroups(0, NULL) || setresgid(i, i, i) ||
			    setresuid(i, i, i))
				die("setresuid in the namespace");
			snprintf(out, sizeof(out), "%s/nsfold.%d", argv[6], i);
			fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0)
				die(out);
			dup2(fd, 1);
			dup2(fd, 2);
			execlp("h1pin", "h1pin", argv[4], argv[5], (char *)NULL);
			die("exec h1pin");
		}
		_exit(0);
	}
	if (read(up[0], &c, 1) != 1)
		die("sync");
	write_map(pid, "uid_map", base, count);
	write_map(pid, "gid_map", base, count);
	if (write(down[1], "g", 1) != 1)
		die("sync");
	waitpid(pid, NULL, 0);
	printf("ns %d\n", pid);
	return 0;
}
