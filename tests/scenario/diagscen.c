// SPDX-License-Identifier: GPL-2.0
/*
 * diagscen: situations for tcpstatectl diagnose (tests/vm/83-diagnose.sh)
 * on loopback, each in a process of its own name, built in two steps: the
 * first before diagnose starts watching (then "ready PID" goes to
 * READYFILE), the second on SIGUSR1, while it watches. Runs until killed.
 *
 *   diagscen leak -p PORT -n N -g G [-i MS] [-l NOFILE] -r READYFILE
 *       "cw-leaker": its soft RLIMIT_NOFILE set to NOFILE (default 64),
 *       it accepts N connections whose clients (its own sockets) close,
 *       and never closes its end: N CLOSE_WAIT sockets. On SIGUSR1, G
 *       more, one every MS ms (default 500).
 *   diagscen acceptq -p PORT -b BACKLOG -n N -c C -s S -r READYFILE
 *       "aq-server": listens with BACKLOG and never accepts; N clients
 *       connect (into its accept queue) and C of them close: C CLOSE_WAIT
 *       sockets inside the queue. On SIGUSR1, S more connects, one every
 *       300 ms: past a full queue their SYNs are dropped
 *       (ListenOverflows).
 *   diagscen orphans -p PORT -n N -r READYFILE
 *       "or-closer" accepts N connections from "or-peer" (a child with a
 *       4 KiB receive buffer that never reads), writes to each until its
 *       send buffer is full and closes it: N orphans in FIN_WAIT1, their
 *       data and FIN behind a zero window, for a minute or so.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "loopback.h"

static int port = 6100;
static volatile sig_atomic_t go;

static void die(const char *what)
{
	scen_die("diagscen", what);
}

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

static int listener(int backlog)
{
	return lo_listener("diagscen", port, backlog);
}

/* A connect that does not wait for the handshake. */
static int start_connect(void)
{
	struct sockaddr_in a = lo_addr(port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) && errno != EINPROGRESS)
		die("connect");
	return fd;
}

static void wait_fd(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };

	if (poll(&p, 1, 60000) != 1) {
		errno = ETIMEDOUT;
		die("poll");
	}
}

/* One connection whose peer closes: the accepted end stays CLOSE_WAIT. */
static void one_leak(int lfd)
{
	int c = start_connect(), s;
	char b;

	s = accept(lfd, NULL, NULL);
	if (s < 0)
		die("accept");
	wait_fd(c, POLLOUT);
	close(c);
	/* The FIN has arrived when a read would return 0. */
	for (;;) {
		wait_fd(s, POLLIN);
		if (recv(s, &b, 1, MSG_PEEK) == 0)
			break;
	}
}

static void ready(const char *file)
{
	FILE *f = fopen(file, "w");

	if (!f)
		die("ready file");
	fprintf(f, "ready %d\n", (int)getpid());
	fclose(f);
}

static void wait_go(void)
{
	while (!go)
		pause();
}

int main(int argc, char **argv)
{
	int opt, n = 0, g = 0, ms = 500, nofile = 64, backlog = 8, closed = 0;
	int extra = 0, lfd, i, *fds;
	/* The numeric options, by letter (-r READYFILE is the other). */
	int *const num[128] = {
		['p'] = &port, ['n'] = &n, ['g'] = &g, ['i'] = &ms,
		['l'] = &nofile, ['b'] = &backlog, ['c'] = &closed, ['s'] = &extra,
	};
	const char *mode, *readyfile = NULL;
	struct sigaction sa = { .sa_handler = on_usr1 };

	if (argc < 2) {
		fprintf(stderr, "usage: see the comment in diagscen.c\n");
		return 2;
	}
	optind = 2;	/* the options follow the mode */
	while ((opt = getopt(argc, argv, "p:n:g:i:l:b:c:s:r:")) != -1) {
		if (opt == 'r')
			readyfile = optarg;
		else if (opt > 0 && opt < 128 && num[opt])
			*num[opt] = atoi(optarg);
		else
			return 2;
	}
	mode = argv[1];
	if (!readyfile || n < 0 || n > 10000 || closed > n) {
		fprintf(stderr, "diagscen: bad arguments\n");
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "leak")) {
		struct rlimit rl;

		prctl(PR_SET_NAME, "cw-leaker", 0, 0, 0);
		if (getrlimit(RLIMIT_NOFILE, &rl))
			die("getrlimit");
		rl.rlim_cur = (rlim_t)nofile;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("setrlimit");
		lfd = listener(128);
		for (i = 0; i < n; i++)
			one_leak(lfd);
		printf("leaked %d\n", n);
		ready(readyfile);
		wait_go();
		for (i = 0; i < g; i++) {
			usleep((useconds_t)ms * 1000);
			one_leak(lfd);
		}
		printf("leaked %d more\n", g);
	} else if (!strcmp(mode, "acceptq")) {
		prctl(PR_SET_NAME, "aq-server", 0, 0, 0);
		lfd = listener(backlog);
		fds = calloc((size_t)n + 1, sizeof(*fds));
		if (!fds)
			die("calloc");
		for (i = 0; i < n; i++) {
			fds[i] = start_connect();
			wait_fd(fds[i], POLLOUT);
		}
		for (i = 0; i < closed; i++)
			close(fds[i]);
		/* Let the FINs reach the queued connections. */
		usleep(300000);
		printf("queued %d, closed %d\n", n, closed);
		ready(readyfile);
		wait_go();
		for (i = 0; i < extra; i++) {
			start_connect();
			usleep(300000);
		}
		printf("extra connects %d\n", extra);
	} else if (!strcmp(mode, "orphans")) {
		static char chunk[65536];
		pid_t peer;

		lfd = listener(128);
		peer = fork();
		if (peer < 0)
			die("fork");
		if (peer == 0) {
			int small = 4096;

			prctl(PR_SET_NAME, "or-peer", 0, 0, 0);
			for (i = 0; i < n; i++) {
				struct sockaddr_in a = lo_addr(port);
				int fd = socket(AF_INET, SOCK_STREAM, 0);

				if (fd < 0 ||
				    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small,
					       sizeof(small)) ||
				    connect(fd, (struct sockaddr *)&a, sizeof(a)))
					die("or-peer connect");
			}
			for (;;)
				pause();
		}
		prctl(PR_SET_NAME, "or-closer", 0, 0, 0);
		for (i = 0; i < n; i++) {
			int s = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

			if (s < 0 && errno == EAGAIN) {
				wait_fd(lfd, POLLIN);
				i--;
				continue;
			}
			if (s < 0)
				die("accept");
			while (write(s, chunk, sizeof(chunk)) > 0)
				;
			if (errno != EAGAIN)
				die("write");
			close(s);
		}
		printf("orphans %d\n", n);
		ready(readyfile);
	} else {
		fprintf(stderr, "diagscen: unknown mode '%s'\n", mode);
		return 2;
	}
	for (;;)
		pause();
}
