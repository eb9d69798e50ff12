/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Talking to the tcpstate generic netlink family with libmnl: resolve the
 * family, send a request, run the reply through a callback, and turn kernel
 * errors (with their extack messages) into something a person can act on.
 */
#ifndef TCPSTATECTL_NL_H
#define TCPSTATECTL_NL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct tsnl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;	/* resolved generic netlink family id */
	uint32_t version;	/* family version */
	uint32_t events_group;	/* multicast group id, 0 if absent */
	uint32_t ctrl_group;	/* nlctrl "notify" group, to see unloads */
	char errmsg[256];	/* extack message of the last kernel error */
	char *rxbuf;
	size_t rxlen;
	char txbuf[8192];	/* requests are small */
};

/* Returned by tsnl_open() when the family does not exist. */
#define TSNL_ENOMODULE ENOENT

int tsnl_open(struct tsnl *nl);
void tsnl_close(struct tsnl *nl);

/* Start a request for @cmd in nl->txbuf; add attributes with mnl_attr_put*. */
struct nlmsghdr *tsnl_request(struct tsnl *nl, uint8_t cmd, bool dump);

/*
 * Send @req and feed every reply message to @cb until the final ACK or
 * NLMSG_DONE. Returns 0, or a negative errno with nl->errmsg set to the
 * kernel's extack message if it sent one.
 */
int tsnl_run(struct tsnl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/* Join the events group (and the nlctrl notify group). */
int tsnl_join_events(struct tsnl *nl);

/*
 * Whether @nlh is a whole message within @len bytes. Use this, not
 * mnl_nlmsg_ok(): libmnl compares nlmsg_len as an int, so a length of
 * 2 GiB or more passes as negative and the walk runs off the buffer.
 */
bool tsnl_msg_ok(const struct nlmsghdr *nlh, size_t len);
/* Every message of a received datagram is whole (see tsnl_msg_ok). */
bool tsnl_datagram_ok(const void *buf, size_t len);

/* Payload and length of a family message (after the genlmsghdr). */
const struct nlattr *tsnl_attrs(const struct nlmsghdr *nlh, size_t *len);

/* Print "tcpstatectl: what: strerror[: extack]" to stderr. */
void tsnl_perror(const struct tsnl *nl, const char *what, int err);

#endif
