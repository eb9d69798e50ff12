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

static void die(const char *what)
{
	fprintf(stderr, "nsbudget: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_map(pid_t pid, const char *which, int id, int k)
{
	char path[64], map[128];
	int fd, len;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, which);
	len = snprintf(map, sizeof(map), "0 %d 1\n1 100000 %d\n", id, k);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, map, len) != len)
		die(path);
	close(fd);
}

int main(int argc, char **argv)
{
	int up[2], down[2], uid, k, i;
	char c, out[256];
	pid_t pid;

	if (argc != 6) {
		fprintf(stderr, "usage: nsbudget UID K N sock|counts OUTDIR\n");
		return 2;
	}
	uid = atoi(argv[1]);
	k = atoi(argv[2]);
	if (pipe(up) || pipe(down))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
		    setresuid(uid, uid, uid))
			die("drop privileges");
		if (unshare(CLONE_NEWUSER))
			die("unshare(CLONE_NEWUSER)");
		if (write(up[1], "u", 1) != 1 || read(down[0], &c, 1) != 1)
			die("sync");
		for (i = 0; i <= k; i++) {
			pid_t w = fork();
			int fd;

			if (w < 0)
				die("fork");
			if (w)
				continue;
			if (i && (setgroups(0, NULL) || setresgid(i, i, i) ||
				  setresuid(i, i, i)))
				die("setresuid in the namespace");
			snprintf(out, sizeof(out), "%s/nsbudget.%d", argv[5], i);
			fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0)
				die(out);
			dup2(fd, 1);
			dup2(fd, 2);
			execlp("h1pin", "h1pin", argv[3], argv[4], (char *)NULL);
			die("exec h1pin");
		}
		_exit(0);
	}
	if (read(up[0], &c, 1) != 1)
		die("sync");
	write_map(pid, "uid_map", uid, k);
	write_map(pid, "gid_map", uid, k);
	if (write(down[1], "g", 1) != 1)
		die("sync");
	waitpid(pid, NULL, 0);
	printf("ns %d\n", pid);
	return 0;
}
