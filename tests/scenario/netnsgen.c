// SPDX-License-Identifier: GPL-2.0
/*
 * netnsgen: many network namespaces with TCP sockets in them.
 *
 *   netnsgen -n N [-p PORT] [-r READYFILE]
 *       N namespaces (one child process each, unshare(CLONE_NEWNET)),
 *       each with loopback up, a listener on PORT and 1 + i % 5
 *       established pairs (namespace i). When all are built it writes
 *       "ready <pid>" and then one "INODE SOCKETS PID" line per namespace
 *       (its /proc/self/ns/net inode, the sockets it holds, the child in
 *       it) to READYFILE (or stdout), and waits; the children die with it.
 *
 *   netnsgen -c SECONDS [-j PARALLEL] [-p PORT] [-w TIMEWAIT]
 *       churn: for SECONDS, PARALLEL children at a time each create a
 *       namespace, a listener, TIMEWAIT connections closed by the client
 *       (TIME_WAIT sockets, which hold no reference on their namespace)
 *       and one connection left unaccepted, hold them briefly and exit, so
 *       that the namespace is torn down with those sockets still hashed.
 *       Prints "cycles=N" at the end.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int port = 5000;

static void die(const char *what)
{
	fprintf(stderr, "netnsgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("SIOCSIFFLAGS");
	close(fd);
}

static struct sockaddr_in loopback(int p)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(p),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	return a;
}

static int listener(int backlog)
{
	struct sockaddr_in a = loopback(port);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (listen(fd, backlog) < 0)
		die("listen");
	return fd;
}

/* One established pair: the client fd, the accepted one in *server. */
static int pair(int lfd, int *server)
{
	struct sockaddr_in a = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	*server = accept(lfd, NULL, NULL);
	if (*server < 0)
		die("accept");
	return fd;
}

static unsigned long netns_inode(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) < 0)
		die("stat /proc/self/ns/net");
	return st.st_ino;
}

/* Child of -n: build, report on @wfd, wait to be killed. */
static void hold_child(int i, int wfd)
{
	int lfd, n = 1 + i % 5, k, s;
	char line[96];

	if (unshare(CLONE_NEWNET) < 0)
		die("unshare");
	lo_up();
	lfd = listener(64);
	for (k = 0; k < n; k++)
		pair(lfd, &s);
	snprintf(line, sizeof(line), "%lu %d %d\n", netns_inode(), 1 + 2 * n,
		 (int)getpid());
	if (write(wfd, line, strlen(line)) != (ssize_t)strlen(line))
		die("write");
	close(wfd);
	for (;;)
		pause();
}

static int hold(int n, const char *ready)
{
	char tmp[4096], line[96];
	int i, p[2];
	FILE *in, *out;

	if (pipe(p) < 0)
		die("pipe");
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(p[0]);
			hold_child(i, p[1]);
		}
	}
	close(p[1]);
	/* Written whole, then renamed: the ready file appears complete. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", ready ? ready : "/dev/null");
	out = ready ? fopen(tmp, "w") : stdout;
	if (!out)
		die("ready file");
	in = fdopen(p[0], "r");
	fprintf(out, "ready %d\n", (int)getpid());
	for (i = 0; i < n && fgets(line, sizeof(line), in); i++)
		fputs(line, out);
	if (i < n) {
		fprintf(stderr, "netnsgen: only %d of %d namespaces built\n", i, n);
		return 1;
	}
	fflush(out);
	if (ready) {
		fclose(out);
		if (rename(tmp, ready) < 0)
			die("rename");
	}
	for (;;)
		pause();
}

/* Child of -c: one short-lived namespace full of sockets. */
static void churn_child(int timewait)
{
	int lfd, fd, s, k, req;
	struct sockaddr_in a;

	if (unshare(CLONE_NEWNET) < 0)
		die("unshare");
	lo_up();
	lfd = listener(timewait + 8);
	for (k = 0; k < timewait; k++) {
		fd = pair(lfd, &s);
		/* The client closes first: its socket goes to TIME_WAIT. */
		close(fd);
		close(s);
	}
	/* A connection left in the accept queue. */
	a = loopback(port);
	req = socket(AF_INET, SOCK_STREAM, 0);
	if (req >= 0)
		connect(req, (struct sockaddr *)&a, sizeof(a));
	usleep(20000);
	_exit(0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int churn(int seconds, int parallel, int timewait)
{
	double end = now_s() + seconds;
	long cycles = 0;
	int running = 0, status;

	while (now_s() < end || running) {
		while (running < parallel && now_s() < end) {
			pid_t pid = fork();

			if (pid < 0)
				die("fork");
			if (pid == 0)
				churn_child(timewait);
			running++;
		}
		if (wait(&status) > 0) {
			running--;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				fprintf(stderr, "netnsgen: a churn child failed\n");
				return 1;
			}
			cycles++;
		}
	}
	printf("cycles=%ld\n", cycles);
	return 0;
}

int main(int argc, char **argv)
{
	int c, n = 0, seconds = 0, parallel = 2, timewait = 40;
	const char *ready = NULL;

	while ((c = getopt(argc, argv, "n:c:j:p:r:w:")) != -1) {
		switch (c) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'c':
			seconds = atoi(optarg);
			break;
		case 'j':
			parallel = atoi(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'r':
			ready = optarg;
			break;
		case 'w':
			timewait = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: netnsgen -n N [-p PORT] [-r READY] | -c SECONDS [-j PAR] [-p PORT] [-w TW]\n");
			return 2;
		}
	}
	if (n > 0)
		return hold(n, ready);
	if (seconds > 0)
		return churn(seconds, parallel, timewait);
	fprintf(stderr, "netnsgen: -n or -c needed\n");
	return 2;
}
