/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsbudget and nsfold: a child in a new user namespace whose uid and gid
 * maps the parent (root) writes, as newuidmap(1) or a container manager
 * would, and workers in it that each run "h1pin N KIND" as a different
 * in-namespace uid.
 */
#ifndef TCPSTATE_SCENARIO_USERNS_MAP_H
#define TCPSTATE_SCENARIO_USERNS_MAP_H

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scen_die.h"

/* The pipes of the parent-child handshake (@up, @down) and the child. */
static inline pid_t userns_fork(const char *prog, int up[2], int down[2])
{
	pid_t pid;

	if (pipe(up) || pipe(down))
		scen_die(prog, "pipe");
	pid = fork();
	if (pid < 0)
		scen_die(prog, "fork");
	return pid;
}

/*
 * The child: into a new user namespace, then tell the parent (@up) and
 * wait until it has written the maps (@down).
 */
static inline void userns_enter(const char *prog, int up[2], int down[2])
{
	char c;

	if (unshare(CLONE_NEWUSER))
		scen_die(prog, "unshare(CLONE_NEWUSER)");
	if (write(up[1], "u", 1) != 1 || read(down[0], &c, 1) != 1)
		scen_die(prog, "sync");
}

/*
 * In the namespace: one worker per in-namespace uid @from..@to (uid 0
 * keeps the ids it has), each running "h1pin N KIND" with its output in
 * OUTDIR/PROG.UID.
 */
static inline void userns_h1pin_workers(const char *prog, int from, int to,
					const char *outdir, const char *n,
					const char *kind)
{
	char out[256];
	int i;

	for (i = from; i <= to; i++) {
		pid_t w = fork();
		int fd;

		if (w < 0)
			scen_die(prog, "fork");
		if (w)
			continue;
		if (i && (setgroups(0, NULL) || setresgid(i, i, i) ||
			  setresuid(i, i, i)))
			scen_die(prog, "setresuid in the namespace");
		snprintf(out, sizeof(out), "%s/%s.%d", outdir, prog, i);
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			scen_die(prog, out);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("h1pin", "h1pin", n, kind, (char *)NULL);
		scen_die(prog, "exec h1pin");
	}
}

static inline void userns_write_map(const char *prog, pid_t pid,
				    const char *which, const char *map,
				    int len)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, which);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, map, len) != len)
		scen_die(prog, path);
	close(fd);
}

/*
 * The parent: once child @pid is in its namespace (@up), write @map (@len
 * bytes) as its uid and its gid map, let it go on (@down), wait for it
 * (its workers run on) and print "ns PID".
 */
static inline void userns_map_child(const char *prog, pid_t pid, int up[2],
				    int down[2], const char *map, int len)
{
	char c;

	if (read(up[0], &c, 1) != 1)
		scen_die(prog, "sync");
	userns_write_map(prog, pid, "uid_map", map, len);
	userns_write_map(prog, pid, "gid_map", map, len);
	if (write(down[1], "g", 1) != 1)
		scen_die(prog, "sync");
	waitpid(pid, NULL, 0);
	printf("ns %d\n", pid);
}

#endif
