// SPDX-License-Identifier: GPL-2.0
/*
 * h2vis: processes whose visibility to uid 1000 /proc decides in
 * different ways, each holding a loopback client socket, for the owner
 * visibility case (55-owner-visibility).
 *
 * h2vis hold PORT (as root): a listener on 127.0.0.1:PORT held by root;
 * then one child per identity below connects to it and stays until
 * killed. Prints "hold NAME PID FD LPORT" per held client socket and
 * "closed NAME PID LPORT" for a connection the child closed itself (a
 * FIN_WAIT2 orphan whose peer the root parent keeps open), then "ready".
 *
 *   h2v-plain     uid 1000, gid 1000, dumpable
 *   h2v-nodump    uid 1000, gid 1000, PR_SET_DUMPABLE 0
 *   h2v-gid       uid 1000, gid 1001, dumpable
 *   h2v-other     uid 1001, gid 1001, dumpable
 *   h2v-caps      uid 1000, gid 1000, dumpable, root's capabilities kept
 *                 in its permitted set (PR_SET_KEEPCAPS)
 *   h2v-root      uid 0
 *   h2v-clplain   uid 1000, dumpable: also closed one connection
 *   h2v-clnodump  uid 1000, not dumpable: also closed one connection
 *
 * h2vis caps UID CAPS CMD [ARGS...] (as root): run CMD as UID (group UID,
 * no supplementary groups) with the comma-separated CAPS (net_admin,
 * sys_ptrace, dac_read_search, dac_override) as its only capabilities
 * (ambient, so they survive the exec). h2vis netadmin UID CMD... is
 * h2vis caps UID net_admin CMD...
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "loopback.h"

static void die(const char *what)
{
	fprintf(stderr, "h2vis: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		die("getsockname");
	return ntohs(a.sin_port);
}

static int dial(int port)
{
	return lo_connect("h2vis", port);
}

static void become(uid_t uid, gid_t gid, int keepcaps)
{
	if (keepcaps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		die("PR_SET_KEEPCAPS");
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		die("setres[ug]id");
}

struct ident {
	const char *name;
	uid_t uid;
	gid_t gid;
	int dumpable;
	int keepcaps;
	int closes;
};

static const struct ident idents[] = {
	{ "h2v-plain", 1000, 1000, 1, 0, 0 },
	{ "h2v-nodump", 1000, 1000, 0, 0, 0 },
	{ "h2v-gid", 1000, 1001, 1, 0, 0 },
	{ "h2v-other", 1001, 1001, 1, 0, 0 },
	{ "h2v-caps", 1000, 1000, 1, 1, 0 },
	{ "h2v-root", 0, 0, 1, 0, 0 },
	{ "h2v-clplain", 1000, 1000, 1, 0, 1 },
	{ "h2v-clnodump", 1000, 1000, 0, 0, 1 },
};

/* One child: connect (and maybe close a second connection), report, wait. */
static void child(const struct ident *id, int port, int pipe_w)
{
	char line[160];
	int fd, fd2, n;

	/* Only its own sockets: not the server ends of earlier children. */
	for (fd = 3; fd < 1024; fd++)
		if (fd != pipe_w)
			close(fd);
	prctl(PR_SET_NAME, id->name, 0, 0, 0);
	if (id->uid)
		become(id->uid, id->gid, id->keepcaps);
	/* Dropping uids made it non-dumpable; set what the case wants. */
	if (prctl(PR_SET_DUMPABLE, id->dumpable, 0, 0, 0))
		die("PR_SET_DUMPABLE");
	fd = dial(port);
	n = snprintf(line, sizeof(line), "hold %s %d %d %d\n", id->name,
		     getpid(), fd, local_port(fd));
	if (id->closes) {
		fd2 = dial(port);
		n += snprintf(line + n, sizeof(line) - n, "closed %s %d %d\n",
			      id->name, getpid(), local_port(fd2));
		close(fd2);
	}
	if (write(pipe_w, line, n) != n)
		die("write");
	close(pipe_w);
	for (;;)
		pause();
}

static void __attribute__((noreturn)) hold(int port)
{
	struct sockaddr_in a = lo_addr(port);
	int one = 1, lsn, p[2], i, n;
	unsigned int k, nconn = 0;
	char buf[4096];

	lsn = socket(AF_INET, SOCK_STREAM, 0);
	if (lsn < 0)
		die("socket");
	setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lsn, (struct sockaddr *)&a, sizeof(a)) || listen(lsn, 64))
		die("listen");
	for (k = 0; k < sizeof(idents) / sizeof(idents[0]); k++) {
		if (pipe(p))
			die("pipe");
		if (!fork()) {
			child(&idents[k], port, p[1]);
		}
		close(p[1]);
		/* Accept what the child opens; the server ends stay open. */
		for (i = 0; i < 1 + idents[k].closes; i++)
			if (accept(lsn, NULL, NULL) < 0)
				die("accept");
		nconn += 1 + idents[k].closes;
		n = read(p[0], buf, sizeof(buf) - 1);
		if (n <= 0)
			die("read");
		buf[n] = 0;
		fputs(buf, stdout);
		close(p[0]);
	}
	printf("ready %u\n", nconn);
	fflush(stdout);
	for (;;)
		pause();
}

static const struct {
	const char *name;
	int cap;
} cap_names[] = {
	{ "net_admin", CAP_NET_ADMIN },
	{ "sys_ptrace", CAP_SYS_PTRACE },
	{ "dac_read_search", CAP_DAC_READ_SEARCH },
	{ "dac_override", CAP_DAC_OVERRIDE },
};

static int with_caps(uid_t uid, const char *caps, char **argv)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = { { 0 } };
	char *list = strdup(caps), *name, *save = NULL;
	int want[8], n = 0, i;
	unsigned int k;

	for (name = strtok_r(list, ",", &save); name && n < 8;
	     name = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < sizeof(cap_names) / sizeof(cap_names[0]); k++)
			if (!strcmp(name, cap_names[k].name))
				break;
		if (k == sizeof(cap_names) / sizeof(cap_names[0])) {
			fprintf(stderr, "h2vis: unknown capability %s\n", name);
			return 2;
		}
		want[n++] = cap_names[k].cap;
	}
	become(uid, uid, 1);
	for (i = 0; i < n; i++)
		d[0].effective |= 1U << want[i];
	d[0].permitted = d[0].inheritable = d[0].effective;
	if (syscall(SYS_capset, &h, d))
		die("capset");
	for (i = 0; i < n; i++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, want[i], 0, 0))
			die("PR_CAP_AMBIENT_RAISE");
	execvp(argv[0], argv);
	die(argv[0]);
	return 127;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "hold"))
		hold(atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "netadmin"))
		return with_caps(atoi(argv[2]), "net_admin", argv + 3);
	if (argc >= 5 && !strcmp(argv[1], "caps"))
		return with_caps(atoi(argv[2]), argv[3], argv + 4);
	fprintf(stderr,
		"usage: h2vis hold PORT | h2vis caps UID CAPS CMD... | h2vis netadmin UID CMD...\n");
	return 2;
}
