// SPDX-License-Identifier: GPL-2.0
/*
 * ownscen: sockets whose owners are hard to name, on loopback, held until
 * killed. Ports are BASE .. BASE+6 (default 7000):
 *
 *   BASE    fork:   one accepted socket held by a parent (own-parent) and
 *                   its child (own-child), same fd number in both
 *   BASE+1  dup:    a client socket held by own-dup through two fds
 *   BASE+2  scm:    a client socket created by own-sender, passed with
 *                   SCM_RIGHTS to own-recv, closed by the sender
 *   BASE+3  thread: a client socket opened by one of 4 threads of
 *                   own-threads (one process)
 *   BASE+4  unacc:  a listener of own-lsn whose accept queue holds 2
 *                   connections the clients already closed (CLOSE_WAIT)
 *   BASE+5  closer: own-closer connects, closes and exits: its socket
 *                   lives on as FIN_WAIT2 (the server holds CLOSE_WAIT)
 *   BASE+6  leak:   3 own-leak workers each accept and never close 2, 3
 *                   and 4 connections the clients closed (CLOSE_WAIT)
 *
 * Facts the test checks are printed as "name value..." lines on stdout,
 * then "ready". Every process is in this process group.
 *
 * ownscen spread BASE NPROCS NPAIRS: NPAIRS loopback connections (every
 * other one half-closed by its client: CLOSE_WAIT on the server side,
 * FIN_WAIT2 on the client side), both ends of each spread evenly over
 * NPROCS holder processes (own-holder), for benchmarks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"
#include "loopback.h"

static int base = 7000;

static void die(const char *what)
{
	fprintf(stderr, "ownscen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int listener(int port, int backlog)
{
	return lo_listener("ownscen", port, backlog);
}

static int connect_to(int port)
{
	return lo_connect("ownscen", port);
}

static void name(const char *comm)
{
	prctl(PR_SET_NAME, comm, 0, 0, 0);
}

static void hold(void)
{
	for (;;)
		pause();
}

/*
 * Fork a named holder that keeps only fds @keep1 and @keep2 (and stdio)
 * of what it inherited, runs @fn, then sleeps forever.
 */
static pid_t spawn(const char *comm, void (*fn)(void *), void *arg,
		   int keep1, int keep2)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		for (fd = 3; fd < 1024; fd++)
			if (fd != keep1 && fd != keep2)
				close(fd);
		name(comm);
		fn(arg);
		hold();
	}
	return pid;
}

static void wait_readable(int fd)
{
	char c;

	/* Until EOF: the peer's FIN has arrived. */
	while (recv(fd, &c, 1, MSG_PEEK) > 0)
		usleep(1000);
}

static void *thread_idle(void *arg)
{
	(void)arg;
	hold();
	return NULL;
}

static void *thread_connect(void *arg)
{
	int *fd = arg;

	*fd = connect_to(base + 3);
	return NULL;
}

static void run_threads(void *arg)
{
	int *pipefd = arg, fd = -1, i;
	pthread_t t;

	for (i = 0; i < 3; i++)
		pthread_create(&t, NULL, thread_idle, NULL);
	pthread_create(&t, NULL, thread_connect, &fd);
	pthread_join(t, NULL);
	if (write(pipefd[1], &fd, sizeof(fd)) != sizeof(fd))
		die("write");
}

static void run_closer(void *arg)
{
	int fd = connect_to(base + 5);

	(void)arg;
	close(fd);
	_exit(0);
}

struct leak {
	int lfd, n, pipefd;
};

static void run_leak(void *arg)
{
	struct leak *l = arg;
	int i, fd;

	for (i = 0; i < l->n; i++) {
		fd = accept(l->lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		wait_readable(fd);
	}
	close(l->lfd);
	if (write(l->pipefd, &i, sizeof(i)) != sizeof(i))
		die("write");
}

static void run_recv(void *arg)
{
	int us = *(int *)arg, fd;
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (recvmsg(us, &m, 0) != 1)
		die("recvmsg");
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		die("no fd");
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	/* Report the fd number it got back to the parent. */
	if (send(us, &fd, sizeof(fd), 0) != sizeof(fd))
		die("send");
}

static void nothing(void *arg)
{
	(void)arg;
}

static void close_range_fds(unsigned int lo, unsigned int hi)
{
	if (lo <= hi)
		syscall(SYS_close_range, lo, hi, 0);
}

/*
 * A holder of spread(): keeps only its end @s of the socketpair, takes
 * the fds the parent passes until EOF, acknowledges with one byte.
 */
static void holder(int s)
{
	char cbuf[CMSG_SPACE(FDPASS_MAX * sizeof(int))], c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	ssize_t n;

	close_range_fds(3, s - 1);
	close_range_fds(s + 1, ~0U);
	name("own-holder");
	for (;;) {
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };

		n = recvmsg(s, &m, 0);
		if (n < 0)
			die("holder recvmsg");
		if (n == 0)
			break;
		if (m.msg_flags & MSG_CTRUNC)
			die("holder: fds lost (MSG_CTRUNC)");
	}
	if (write(s, "k", 1) != 1)
		die("holder ack");
	close(s);
	hold();
}

/* Pass fds @fds[0..n) to the holder at @s, FDPASS_MAX per message. */
static void pass_fds(int s, const int *fds, int n)
{
	while (n > 0) {
		int k = n < FDPASS_MAX ? n : FDPASS_MAX;

		send_fd_array("ownscen", s, fds, k);
		fds += k;
		n -= k;
	}
}

/*
 * The holders are forked first, while this process holds a few fds, and
 * get their shares over SCM_RIGHTS: forking after the pairs were made
 * copied the whole fd table into each holder, which then closed all but
 * its share: NPROCS x NPAIRS work (100,000 sockets and 1,000 holders did
 * not finish set-up in 40 minutes of emulation). Now it is NPAIRS.
 */
static int spread(int nprocs, int npairs)
{
	/* Both ends of every pair and one socketpair end per holder. */
	rlim_t need = 2 * (rlim_t)npairs + nprocs + 64;
	struct rlimit rl = { .rlim_cur = need, .rlim_max = need };
	int lfd, i, per, *fds, *to;
	char ack;

	if (nprocs < 1 || npairs < nprocs)
		return 2;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	fds = calloc(2 * (size_t)npairs, sizeof(*fds));
	to = calloc(nprocs, sizeof(*to));
	if (!fds || !to)
		die("calloc");
	for (i = 0; i < nprocs; i++) {
		int sv[2];

		if (!fdpass_fork("ownscen", sv))
			holder(sv[1]);
		to[i] = sv[0];
	}
	lfd = listener(base, 4096);
	for (i = 0; i < npairs; i++) {
		int c = connect_to(base), a = accept(lfd, NULL, NULL);

		if (a < 0)
			die("accept");
		if (i % 2)
			shutdown(c, SHUT_WR);
		fds[2 * i] = c;
		fds[2 * i + 1] = a;
	}
	close(lfd);
	/* Both ends of a pair in order, the last holder takes the rest. */
	per = 2 * npairs / nprocs;
	for (i = 0; i < nprocs; i++) {
		int lo = i * per, n = i == nprocs - 1 ? 2 * npairs - lo : per;

		pass_fds(to[i], fds + lo, n);
		shutdown(to[i], SHUT_WR);
		while (--n >= 0)
			close(fds[lo + n]);
	}
	/* Every share received (none left in flight) before "ready". */
	for (i = 0; i < nprocs; i++) {
		if (read(to[i], &ack, 1) != 1)
			die("holder did not acknowledge");
		close(to[i]);
	}
	free(fds);
	free(to);
	close_range_fds(3, ~0U);
	printf("ready %d\n", getpid());
	hold();
	return 0;
}

int main(int argc, char **argv)
{
	int l0, l1, l2, l3, l4, l5, l6, s0, c0, c1, d1, c5, sv[2], fd, i;
	int pipefd[2], workers[3] = { 2, 3, 4 };
	pid_t child, recv_pid, thr, lsn, closer, w[3];
	char cbuf[CMSG_SPACE(sizeof(int))], c = 'x';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "spread")) {
		base = atoi(argv[2]);
		return spread(atoi(argv[3]), atoi(argv[4]));
	}
	if (argc > 1)
		base = atoi(argv[1]);
	signal(SIGPIPE, SIG_IGN);
	name("own-parent");

	/* fork: the accepted socket is inherited by the child. */
	l0 = listener(base, 16);
	c0 = connect_to(base);
	s0 = accept(l0, NULL, NULL);
	child = spawn("own-child", nothing, NULL, s0, -1);
	printf("fork %d %d %d\n", getpid(), child, s0);

	/* dup */
	l1 = listener(base + 1, 16);
	c1 = connect_to(base + 1);
	d1 = dup2(c1, 100);
	printf("dup %d %d %d\n", getpid(), c1, d1);

	/* scm: created here, passed to own-recv, closed here. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	recv_pid = spawn("own-recv", run_recv, &sv[1], sv[1], -1);
	l2 = listener(base + 2, 16);
	fd = connect_to(base + 2);
	cm = (struct cmsghdr *)cbuf;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	if (sendmsg(sv[0], &m, 0) != 1)
		die("sendmsg");
	close(fd);
	if (recv(sv[0], &fd, sizeof(fd), MSG_WAITALL) != sizeof(fd))
		die("recv");
	printf("scm %d %d\n", recv_pid, fd);

	/* thread */
	l3 = listener(base + 3, 16);
	if (pipe(pipefd))
		die("pipe");
	thr = spawn("own-threads", run_threads, pipefd, pipefd[1], -1);
	if (read(pipefd[0], &fd, sizeof(fd)) != sizeof(fd))
		die("read");
	printf("thread %d %d\n", thr, fd);

	/* unaccepted: the listener belongs to own-lsn only. */
	l4 = listener(base + 4, 4);
	lsn = spawn("own-lsn", nothing, NULL, l4, -1);
	close(l4);
	for (i = 0; i < 2; i++)
		close(connect_to(base + 4));
	printf("unacc %d\n", lsn);

	/* closer: the server side stays CLOSE_WAIT, held here. */
	l5 = listener(base + 5, 16);
	closer = spawn("own-closer", run_closer, NULL, -1, -1);
	c5 = accept(l5, NULL, NULL);
	waitpid(closer, NULL, 0);
	wait_readable(c5);
	printf("closer %d\n", closer);

	/* leak: workers accept in turn, clients close at once. */
	l6 = listener(base + 6, 64);
	for (i = 0; i < 3; i++) {
		struct leak lk = { .lfd = l6, .n = workers[i],
				   .pipefd = pipefd[1] };
		int j, got;

		w[i] = spawn("own-leak", run_leak, &lk, l6, pipefd[1]);
		for (j = 0; j < workers[i]; j++)
			close(connect_to(base + 6));
		if (read(pipefd[0], &got, sizeof(got)) != sizeof(got))
			die("read");
	}
	close(l6);
	printf("leak %d %d %d\n", w[0], w[1], w[2]);
	printf("ready %d\n", getpid());
	(void)l1; (void)l2; (void)l3; (void)c0; (void)d1;
	hold();
	return 0;
}
