/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File descriptors handed from one process to another over a unix socket
 * (SCM_RIGHTS, with one byte of data), as deputy and memdeputy hand their
 * pending dumps' sockets to the parent that reads them, and ownscen spread
 * its sockets to their holders.
 */
#ifndef TCPSTATE_SCENARIO_FDPASS_H
#define TCPSTATE_SCENARIO_FDPASS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "scen_die.h"

/*
 * The unix socket pair and the child: the child keeps @sv[1] (to send
 * on), the parent @sv[0] (to receive on); each closes the other end.
 */
static inline pid_t fdpass_fork(const char *prog, int sv[2])
{
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		scen_die(prog, "socketpair");
	pid = fork();
	if (pid < 0)
		scen_die(prog, "fork");
	close(pid ? sv[1] : sv[0]);
	return pid;
}

/* The kernel's SCM_MAX_FD: the most fds one message may carry. */
#define FDPASS_MAX 253

/* @n (at most FDPASS_MAX) fds @fds in one message. */
static inline void send_fd_array(const char *prog, int us, const int *fds,
				  int n)
{
	char cbuf[CMSG_SPACE(FDPASS_MAX * sizeof(int))] = { 0 };
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	if (sendmsg(us, &mh, 0) != 1)
		scen_die(prog, "sendmsg(SCM_RIGHTS)");
}

static inline void send_fds(const char *prog, int us, int a, int b)
{
	int fds[2] = { a, b };

	send_fd_array(prog, us, fds, 2);
}

static inline void recv_fds(const char *prog, int us, int *a, int *b)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fds[2];

	if (recvmsg(us, &mh, 0) != 1)
		scen_die(prog, "recvmsg(SCM_RIGHTS)");
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(fds))) {
		fprintf(stderr, "%s: no fds received\n", prog);
		exit(1);
	}
	memcpy(fds, CMSG_DATA(c), sizeof(fds));
	*a = fds[0];
	*b = fds[1];
}

#endif
