// SPDX-License-Identifier: GPL-2.0
/*
 * evscen: the close-time failures of the mission, on loopback, with named
 * processes ("ts-client", "ts-server") so that tests can check who an event
 * names. Prints key=value lines describing what happened.
 *
 *   evscen unread [-p PORT] [-n BYTES] [-c]
 *       A client sends a request, the server replies BYTES (default 5000),
 *       the client closes without reading: RST instead of FIN, and the
 *       server's next read fails with ECONNRESET. -c: the client reads
 *       everything first (a clean close, FIN, no event).
 *   evscen epipe [-p PORT] [-N]
 *       The client resets the connection (SO_LINGER 0); the server, not
 *       having read, writes twice: ECONNRESET, then EPIPE with SIGPIPE
 *       (which kills it), or with -N (MSG_NOSIGNAL) EPIPE without it.
 *   evscen linger [-p PORT]
 *       The client closes with SO_LINGER 0 and nothing unread.
 *   evscen storm [-p PORT] [-n COUNT]
 *       COUNT closes with unread data, as fast as possible.
 *   evscen loop [-p PORT] [-n COUNT] [-u] [-m]
 *       The benchmark loop: COUNT times connect, send 1 KiB, reply 1 KiB,
 *       close; prints elapsed_ms. -u: the client closes without reading
 *       the reply (an unread-close event each time); otherwise it reads it
 *       and the server closes first (no event). cpu_us is the CPU time
 *       of this process: the loop's work, including what the kernel does
 *       in its context (the module's probes, loopback packet processing).
 *       -m: execute the insncount plugin's marker right before and after
 *       the loop (insnmark.h), for per-CPU instruction counts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "insnmark.h"

static int port = 5900;

static void die(const char *what)
{
	fprintf(stderr, "evscen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void name(const char *comm)
{
	prctl(PR_SET_NAME, comm, 0, 0, 0);
}

static int listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4096))
		die("listen");
	return fd;
}

static int connect_to(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	return fd;
}

static int local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &len);
	return ntohs(a.sin_port);
}

static void write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0)
			die("write");
		buf += w;
		n -= (size_t)w;
	}
}

/* Wait until @n bytes sit unread in @fd's receive queue. */
static void wait_unread(int fd, int n)
{
	int avail = 0, i;

	for (i = 0; i < 2000; i++) {
		if (ioctl(fd, FIONREAD, &avail) == 0 && avail >= n)
			return;
		usleep(1000);
	}
	fprintf(stderr, "evscen: only %d of %d bytes arrived\n", avail, n);
	exit(1);
}

static void linger0(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

static int unread(int bytes, int clean)
{
	int lfd = listener(), sv[2], status;
	char req[100], *reply, buf[65536];
	pid_t server;
	ssize_t n;

	memset(req, 'q', sizeof(req));
	reply = malloc((size_t)bytes);
	memset(reply, 'r', (size_t)bytes);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	server = fork();
	if (server == 0) {
		int fd;

		name("ts-server");
		fd = accept(lfd, NULL, NULL);
		n = read(fd, buf, sizeof(req));
		write_all(fd, reply, (size_t)bytes);
		/* Wait for the client's close, then see what reading gives. */
		read(sv[1], buf, 1);
		usleep(200000);
		n = read(fd, buf, sizeof(buf));
		printf("server_pid=%d\nserver_read=%s\n", (int)getpid(),
		       n < 0 ? strerror(errno) : n == 0 ? "EOF" : "data");
		fflush(stdout);
		_exit(0);
	}
	name("ts-client");
	{
		int fd = connect_to();

		write_all(fd, req, sizeof(req));
		wait_unread(fd, bytes);
		if (clean)
			while (bytes > 0 && (n = read(fd, buf, sizeof(buf))) > 0)
				bytes -= (int)n;
		printf("client_pid=%d\nclient_port=%d\nserver_port=%d\nunread=%d\n",
		       (int)getpid(), local_port(fd), port, clean ? 0 : bytes);
		fflush(stdout);
		close(fd);
	}
	write(sv[0], "x", 1);
	waitpid(server, &status, 0);
	return 0;
}

static int epipe(int nosignal)
{
	int lfd = listener(), sv[2], status;
	pid_t server;
	char c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	server = fork();
	if (server == 0) {
		struct pollfd p;
		int fd, r1, r2, e1, e2;

		name("ts-server");
		fd = accept(lfd, NULL, NULL);
		printf("server_pid=%d\nserver_port=%d\n", (int)getpid(), port);
		fflush(stdout);
		/* Wait for the peer's RST without reading (which would
		 * consume the error).
		 */
		read(sv[1], &c, 1);
		p.fd = fd;
		p.events = 0;
		poll(&p, 1, 5000);
		r1 = (int)send(fd, "a", 1, nosignal ? MSG_NOSIGNAL : 0);
		e1 = errno;
		printf("write1=%s\n", r1 < 0 ? strerror(e1) : "ok");
		fflush(stdout);
		r2 = (int)send(fd, "b", 1, nosignal ? MSG_NOSIGNAL : 0);
		e2 = errno;
		printf("write2=%s\n", r2 < 0 ? strerror(e2) : "ok");
		fflush(stdout);
		_exit(0);
	}
	name("ts-client");
	{
		int fd = connect_to();

		printf("client_port=%d\n", local_port(fd));
		fflush(stdout);
		usleep(100000);
		linger0(fd);
		close(fd);	/* RST */
	}
	write(sv[0], "x", 1);
	waitpid(server, &status, 0);
	if (WIFSIGNALED(status))
		printf("server_killed_by=%d\n", WTERMSIG(status));
	else
		printf("server_exit=%d\n", WEXITSTATUS(status));
	return 0;
}

static int linger(void)
{
	int lfd = listener(), fd, sfd;

	name("ts-client");
	fd = connect_to();
	sfd = accept(lfd, NULL, NULL);
	printf("client_pid=%d\nclient_port=%d\nserver_port=%d\n", (int)getpid(),
	       local_port(fd), port);
	fflush(stdout);
	linger0(fd);
	close(fd);
	usleep(100000);
	close(sfd);
	return 0;
}

/* COUNT connections, each closed by the client with 1 unread byte. */
static int storm(int count)
{
	int lfd = listener(), i, fd, sfd;

	name("ts-client");
	for (i = 0; i < count; i++) {
		fd = connect_to();
		sfd = accept(lfd, NULL, NULL);
		if (sfd < 0)
			die("accept");
		write_all(sfd, "x", 1);
		wait_unread(fd, 1);
		close(fd);	/* unread data: RST */
		close(sfd);
	}
	printf("storm=%d\nclient_pid=%d\n", count, (int)getpid());
	return 0;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* CPU time this task has run, in ns (sum_exec_runtime). */
static long long cpu_ns(void)
{
	long long ns = -1;
	FILE *f = fopen("/proc/self/schedstat", "r");

	if (f) {
		if (fscanf(f, "%lld", &ns) != 1)
			ns = -1;
		fclose(f);
	}
	return ns;
}

static int loop(int count, int unread_close, int mark)
{
	int lfd = listener(), i, fd, sfd;
	long long t0, c0;
	char buf[1024];

	memset(buf, 'b', sizeof(buf));
	name("ts-client");
	t0 = mono_ms();
	c0 = cpu_ns();
	if (mark)
		insn_mark();
	for (i = 0; i < count; i++) {
		fd = connect_to();
		sfd = accept(lfd, NULL, NULL);
		if (sfd < 0)
			die("accept");
		write_all(fd, buf, sizeof(buf));
		if (read(sfd, buf, sizeof(buf)) <= 0)
			die("server read");
		write_all(sfd, buf, sizeof(buf));
		if (unread_close) {
			wait_unread(fd, sizeof(buf));
			close(fd);	/* RST: an unread-close event */
			close(sfd);
		} else {
			int got = 0;

			while (got < (int)sizeof(buf)) {
				ssize_t r = read(fd, buf, sizeof(buf));

				if (r <= 0)
					die("client read");
				got += (int)r;
			}
			close(sfd);	/* the server's TIME_WAIT, not ours */
			close(fd);
		}
	}
	if (mark)
		insn_mark();
	printf("elapsed_ms=%lld\ncpu_us=%lld\n", mono_ms() - t0,
	       (cpu_ns() - c0) / 1000);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, n = -1, clean = 0, nosignal = 0, unread_close = 0, mark = 0;
	const char *mode;

	if (argc < 2) {
		fprintf(stderr, "usage: see the comment in evscen.c\n");
		return 2;
	}
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "p:n:cNum")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'c':
			clean = 1;
			break;
		case 'N':
			nosignal = 1;
			break;
		case 'u':
			unread_close = 1;
			break;
		case 'm':
			mark = 1;
			break;
		default:
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "unread"))
		return unread(n > 0 ? n : 5000, clean);
	if (!strcmp(mode, "epipe"))
		return epipe(nosignal);
	if (!strcmp(mode, "linger"))
		return linger();
	if (!strcmp(mode, "storm"))
		return storm(n > 0 ? n : 20000);
	if (!strcmp(mode, "loop"))
		return loop(n > 0 ? n : 5000, unread_close, mark);
	fprintf(stderr, "evscen: unknown mode '%s'\n", mode);
	return 2;
}
