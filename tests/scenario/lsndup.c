// SPDX-License-Identifier: GPL-2.0
/*
 * lsndup: one process holding N fds of TCP sockets, either N fds of one
 * listener or N fds of one connection's ends, for 58-owner-listeners.
 *
 *   lsndup PORT N listen|conn
 *
 * listen: a listener on 127.0.0.1:PORT, dup()ed to N fds in all.
 * conn:   a loopback connection to PORT; its client end dup()ed to N - 1
 *         fds and its server end (1 fd); the listener is closed.
 * Either way the owner table has N refs of this process. Prints
 * "ready PID" and waits until killed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "lsndup: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int lsn, fd, one = 1, n, i, conn;
	struct rlimit rl;

	if (argc != 4) {
		fprintf(stderr, "usage: lsndup PORT N listen|conn\n");
		return 2;
	}
	n = atoi(argv[2]);
	conn = !strcmp(argv[3], "conn");
	rl.rlim_cur = rl.rlim_max = n + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	a.sin_port = htons(atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lsn, (struct sockaddr *)&a, sizeof(a)) || listen(lsn, 16))
		die("listen");
	fd = lsn;
	if (conn) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
			die("connect");
		if (accept(lsn, NULL, NULL) < 0)
			die("accept");
		close(lsn);
		n--;
	}
	for (i = 1; i < n; i++)
		if (dup(fd) < 0)
			die("dup");
	printf("ready %d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
}
