// SPDX-License-Identifier: GPL-2.0
/*
 * rtchurn: a burst of short loopback connections, as fast as the guest
 * allows, for a fixed time: every TCP state change the module records,
 * removes or turns into a TIME_WAIT record, thousands of times a second.
 *
 *   rtchurn [-p PORT] [-w WORKERS] [-t SECONDS] [-A NADDR]
 *   rtchurn -o N [-p PORT]
 *
 * WORKERS processes (default 4), each with its own listener on PORT+i,
 * connect, accept, exchange a byte and close, rotating over three ways of
 * ending a connection:
 *   - the client closes first: client FIN_WAIT1 -> FIN_WAIT2 -> TIME_WAIT
 *     (a timewait record per connection), server CLOSE_WAIT -> LAST_ACK;
 *   - the server closes first: the same, sides swapped;
 *   - the client aborts (SO_LINGER 0): RST, both sides straight to CLOSE.
 * Clients bind to 127.0.0.1 .. 127.0.0.NADDR (default 32) so that the
 * TIME_WAIT sockets of a long run do not use up one address's ports.
 * Prints "connections=N" (all workers) and "elapsed_ms=N".
 *
 * -o N: N orphans that outlive their closer. N clients connect and shut
 * down writing, and never read. A child process accepts the N server
 * sockets (CLOSE_WAIT), reads to the end, fills each send buffer and
 * closes: N LAST_ACK orphans, their FIN stuck behind the data, whose
 * closer is the child. The child exits and is reaped (its struct pid
 * lives on only through references such as the module's closer record);
 * a second later the clients close, unread data and all, so RSTs take
 * the orphans from LAST_ACK to CLOSE in softirq, where the module drops
 * the closer with the entry. Prints "orphans=N".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

static int port = 7000;
static int naddr = 32;

static void die(const char *what)
{
	fprintf(stderr, "rtchurn: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int listener(int p)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_port = htons(p);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024))
		die("listen");
	return fd;
}

/* A connected client from 127.0.0.(1 + n % naddr); -1 if out of ports. */
static int client(int p, unsigned int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK + n % (unsigned int)naddr);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	a.sin_port = htons(p);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (errno == EADDRNOTAVAIL || errno == EADDRINUSE) {
			close(fd);
			return -1;
		}
		die("connect");
	}
	return fd;
}

static void linger0(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

static int orphans(int n)
{
	int lfd = listener(port), *c, i, status, small = 4096;
	pid_t pid;

	c = calloc((size_t)n, sizeof(*c));
	if (!c)
		die("calloc");
	for (i = 0; i < n; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET };

		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (c[i] < 0)
			die("socket");
		/* A small window, so that the server's data fills it. */
		setsockopt(c[i], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
		a.sin_port = htons(port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (connect(c[i], (struct sockaddr *)&a, sizeof(a)))
			die("connect");
		shutdown(c[i], SHUT_WR);	/* the server: CLOSE_WAIT */
	}
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		static char buf[65536];

		prctl(PR_SET_NAME, "rtchurn-closer", 0, 0, 0);
		for (i = 0; i < n; i++) {
			int s = accept(lfd, NULL, NULL);

			if (s < 0)
				die("accept");
			while (read(s, buf, sizeof(buf)) > 0)
				;	/* to the client's FIN: nothing unread */
			setsockopt(s, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
			while (send(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
			close(s);	/* LAST_ACK, FIN behind unsent data */
		}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("closer child");
	sleep(1);	/* an RCU grace period: the kernel's own pid refs go */
	for (i = 0; i < n; i++) {
		linger0(c[i]);
		close(c[i]);
	}
	printf("orphans=%d\n", n);
	return 0;
}

static long worker(int p, long long until)
{
	int lfd = listener(p), fd, sfd;
	unsigned int n = 0;
	long done = 0;
	char c = 'x';

	prctl(PR_SET_NAME, "rtchurn", 0, 0, 0);
	while (mono_ms() < until) {
		fd = client(p, n++);
		if (fd < 0) {
			usleep(1000);
			continue;
		}
		sfd = accept(lfd, NULL, NULL);
		if (sfd < 0)
			die("accept");
		if (write(fd, &c, 1) != 1 || read(sfd, &c, 1) != 1)
			die("exchange");
		switch (n % 3) {
		case 0:		/* client first: its TIME_WAIT */
			close(fd);
			close(sfd);
			break;
		case 1:		/* server first: the server's TIME_WAIT */
			close(sfd);
			close(fd);
			break;
		default:	/* abort: RST */
			linger0(fd);
			close(fd);
			close(sfd);
			break;
		}
		done++;
	}
	close(lfd);
	return done;
}

int main(int argc, char **argv)
{
	int opt, workers = 4, seconds = 20, i, status, norphans = 0;
	long *counts, total = 0;
	int bad = 0;
	long long t0, until;

	while ((opt = getopt(argc, argv, "p:w:t:A:o:")) != -1) {
		switch (opt) {
		case 'o':
			norphans = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'w':
			workers = atoi(optarg);
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		case 'A':
			naddr = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: see the comment in rtchurn.c\n");
			return 2;
		}
	}
	if (workers < 1 || workers > 64 || seconds < 1 || naddr < 1 || naddr > 250) {
		fprintf(stderr, "rtchurn: bad arguments\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (norphans > 0)
		return orphans(norphans);
	counts = mmap(NULL, sizeof(long) * (size_t)workers, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED)
		die("mmap");
	t0 = mono_ms();
	until = t0 + seconds * 1000LL;
	for (i = 0; i < workers; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			counts[i] = worker(port + i, until);
			_exit(0);
		}
	}
	for (i = 0; i < workers; i++) {
		if (wait(&status) < 0)
			die("wait");
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "rtchurn: a worker failed (status %d)\n", status);
			bad = 1;
		}
	}
	for (i = 0; i < workers; i++)
		total += counts[i];
	printf("connections=%ld\nelapsed_ms=%lld\n", total, mono_ms() - t0);
	return bad;
}
