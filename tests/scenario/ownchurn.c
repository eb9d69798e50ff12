// SPDX-License-Identifier: GPL-2.0
/*
 * ownchurn: sockets freed and reallocated while a dump runs, with owners
 * known from their local ports, for the stale-owner case (56-owner-churn).
 *
 * ownchurn LPORT BASE_A N_A BASE_B N_B, on 127.0.0.1, until killed:
 *
 *   oc-server  listens on LPORT, accepts every connection and closes it
 *              when the client resets it
 *   oc-churn   holds N_A connections from local ports BASE_A .. +N_A-1
 *              and replaces them one after the other, for ever: close
 *              with a reset (SO_LINGER 0: the socket is freed at once,
 *              no TIME_WAIT), then a new socket bound to the same port
 *   oc-stable  holds N_B connections from local ports BASE_B .. +N_B-1
 *
 * ownchurn ... QPORT BASE_C N_C adds accept queues that churn:
 *
 *   oc-backlog listens on QPORT and, every 250 ms, accepts what is
 *              queued and resets it: its children wait in the accept
 *              queue (unaccepted: its owner is oc-backlog), then are freed
 *   oc-qchurn  connects to QPORT from local ports BASE_C .. +N_C-1 and
 *              every 500 ms resets and reopens them all, for ever
 *
 * TCP sockets are SLAB_TYPESAFE_BY_RCU: each socket the churn frees is
 * soon reused, by its next client socket or by the server's next accepted
 * one. Prints "server PID", "churn PID", "stable PID", then "ready" once
 * every connection is up; oc-churn counts its rounds in /tmp/ownchurn.rounds
 * (written every 256 connections).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback.h"

static void die(const char *what)
{
	fprintf(stderr, "ownchurn: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int dial_from(int lport, int port)
{
	struct sockaddr_in src = lo_addr(lport), dst = lo_addr(port);
	int one = 1, fd, tries = 0;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* The port of a socket just reset is free at once; retry anyway. */
	while (bind(fd, (struct sockaddr *)&src, sizeof(src))) {
		if (errno != EADDRINUSE || ++tries > 1000)
			die("bind");
		usleep(1000);
	}
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)))
		die("connect");
	return fd;
}

static void reset_close(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static void __attribute__((noreturn)) server(int lsn)
{
	struct epoll_event ev = { .events = EPOLLIN }, evs[64];
	int ep = epoll_create1(0), n, i, fd;
	char buf[256];

	prctl(PR_SET_NAME, "oc-server", 0, 0, 0);
	if (ep < 0)
		die("epoll_create1");
	ev.data.fd = lsn;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lsn, &ev))
		die("epoll_ctl");
	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == lsn) {
				fd = accept(lsn, NULL, NULL);
				if (fd < 0)
					continue;
				ev.data.fd = fd;
				if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
					die("epoll_ctl");
				continue;
			}
			fd = evs[i].data.fd;
			if (read(fd, buf, sizeof(buf)) <= 0)
				close(fd);	/* also leaves the epoll set */
		}
	}
}

static void __attribute__((noreturn)) churn(int port, int base, int n,
					    int ready_w)
{
	int *fds = calloc(n, sizeof(*fds)), i;
	unsigned long rounds = 0;
	FILE *f;

	prctl(PR_SET_NAME, "oc-churn", 0, 0, 0);
	if (!fds)
		die("calloc");
	for (i = 0; i < n; i++)
		fds[i] = dial_from(base + i, port);
	if (write(ready_w, "c", 1) != 1)
		die("write");
	close(ready_w);
	for (;;) {
		for (i = 0; i < n; i++) {
			reset_close(fds[i]);
			fds[i] = dial_from(base + i, port);
			if (!(++rounds & 255)) {
				f = fopen("/tmp/ownchurn.rounds", "w");
				if (f) {
					fprintf(f, "%lu\n", rounds);
					fclose(f);
				}
			}
		}
	}
}

static void __attribute__((noreturn)) stable(int port, int base, int n,
					     int ready_w)
{
	int i;

	prctl(PR_SET_NAME, "oc-stable", 0, 0, 0);
	for (i = 0; i < n; i++)
		dial_from(base + i, port);
	if (write(ready_w, "s", 1) != 1)
		die("write");
	close(ready_w);
	for (;;)
		pause();
}

/*
 * dial_from(), but a connect the racing resets refuse (the new SYN can
 * meet the old connection's server end before its reset) is retried.
 */
static int qdial(int lport, int port)
{
	struct sockaddr_in src = lo_addr(lport), dst = lo_addr(port);
	int one = 1, fd, tries;

	for (tries = 0; tries < 10000; tries++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!bind(fd, (struct sockaddr *)&src, sizeof(src)) &&
		    !connect(fd, (struct sockaddr *)&dst, sizeof(dst)))
			return fd;
		close(fd);
		usleep(1000);
	}
	die("qdial");
	return -1;
}

/* Accept what is queued every 250 ms, and reset it. */
static void __attribute__((noreturn)) backlog(int lsn)
{
	int fd;

	prctl(PR_SET_NAME, "oc-backlog", 0, 0, 0);
	for (;;) {
		usleep(250000);
		while ((fd = accept4(lsn, NULL, NULL, SOCK_NONBLOCK)) >= 0)
			reset_close(fd);
	}
}

static void __attribute__((noreturn)) qchurn(int port, int base, int n,
					     int ready_w)
{
	int *fds = calloc(n, sizeof(*fds)), i;

	prctl(PR_SET_NAME, "oc-qchurn", 0, 0, 0);
	if (!fds)
		die("calloc");
	for (i = 0; i < n; i++)
		fds[i] = qdial(base + i, port);
	if (write(ready_w, "q", 1) != 1)
		die("write");
	close(ready_w);
	for (;;) {
		usleep(500000);
		for (i = 0; i < n; i++) {
			reset_close(fds[i]);
			fds[i] = qdial(base + i, port);
		}
	}
}

int main(int argc, char **argv)
{
	struct rlimit rl = { 65536, 65536 };
	int port, base_a, n_a, base_b, n_b, lsn, one = 1, p[2];
	struct sockaddr_in a;
	pid_t srv, ch, st, bl = 0, qc = 0;
	int qport = 0, base_c = 0, n_c = 0, waits = 2;
	char c;

	if (argc != 6 && argc != 9) {
		fprintf(stderr,
			"usage: ownchurn LPORT BASE_A N_A BASE_B N_B [QPORT BASE_C N_C]\n");
		return 2;
	}
	if (argc == 9) {
		qport = atoi(argv[6]);
		base_c = atoi(argv[7]);
		n_c = atoi(argv[8]);
	}
	port = atoi(argv[1]);
	base_a = atoi(argv[2]);
	n_a = atoi(argv[3]);
	base_b = atoi(argv[4]);
	n_b = atoi(argv[5]);
	setrlimit(RLIMIT_NOFILE, &rl);
	a = lo_addr(port);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	if (lsn < 0)
		die("socket");
	setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lsn, (struct sockaddr *)&a, sizeof(a)) || listen(lsn, 4096))
		die("listen");
	srv = fork();
	if (!srv)
		server(lsn);
	close(lsn);
	if (pipe(p))
		die("pipe");
	st = fork();
	if (!st)
		stable(port, base_b, n_b, p[1]);
	ch = fork();
	if (!ch)
		churn(port, base_a, n_a, p[1]);
	if (qport) {
		a = lo_addr(qport);
		lsn = socket(AF_INET, SOCK_STREAM, 0);
		if (lsn < 0)
			die("socket");
		setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(lsn, (struct sockaddr *)&a, sizeof(a)) ||
		    listen(lsn, 4096))
			die("listen");
		bl = fork();
		if (!bl)
			backlog(lsn);
		close(lsn);
		qc = fork();
		if (!qc)
			qchurn(qport, base_c, n_c, p[1]);
		waits++;
	}
	close(p[1]);
	while (waits--)
		if (read(p[0], &c, 1) != 1)
			die("a child failed");
	printf("server %d\nchurn %d\nstable %d\n", srv, ch, st);
	if (qport)
		printf("backlog %d\nqchurn %d\n", bl, qc);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
