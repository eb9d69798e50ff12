/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * tcpstate: which TCP sockets are stuck, who owns them, for how long, and who
 * just threw away unread data.
 *
 * This header is the only definition of the wire ABI between the tcpstate
 * kernel module and its user space (tcpstatectl). It is append-only: values
 * are never renumbered and the meaning of an attribute never changes. New
 * attributes and commands are added at the end of their enum.
 *
 * Documentation
 * =============
 *
 * Generic netlink family TCPSTATE_GENL_NAME, version TCPSTATE_GENL_VERSION,
 * network-namespace aware: every request is answered for the network
 * namespace of the requesting socket, unless TCPSTATE_F_ALL_NETNS is given
 * by a caller with CAP_NET_ADMIN in the initial user namespace. Attributes
 * are validated strictly: an unknown attribute is an error (EINVAL with an
 * extack message). Port numbers are in host byte order; addresses are in
 * network byte order, 4 bytes (AF_INET) or 16 bytes (AF_INET6). State numbers
 * are the kernel's TCP state numbers, enum tcpstate_tcp_state below.
 *
 * TCPSTATE_CMD_GET_STATS
 * ----------------------
 * A plain request (no NLM_F_DUMP), no attributes. The reply carries:
 *
 *    TCPSTATE_A_VERSION: NLA_NUL_STRING, module version
 *    TCPSTATE_A_CAPS: NLA_U32, TCPSTATE_CAP_* bits of this module build
 *        (TCPSTATE_CAP_EV_OFF_UNRESTRICTED: why there are no events)
 *    TCPSTATE_A_NETNS: NLA_U32, inode number of the caller's netns
 *    TCPSTATE_A_STATS: NLA_NESTED, counters of the caller's netns; the
 *        module-wide ones (TRACK_*, TRANSITIONS, OBJECTS, TW_RECORDS) only
 *        when the caller's netns is the initial one or the caller has
 *        CAP_NET_ADMIN in the initial user namespace, else they are absent
 *        TCPSTATE_STATS_A_EVENT_SEQ: NLA_U64, events generated so far
 *        TCPSTATE_STATS_A_ABORT_ON_CLOSE: NLA_U64, module's own tally of
 *            the kernel's TCPAbortOnClose (close with unread data -> RST)
 *        TCPSTATE_STATS_A_EVTYPE: NLA_NESTED, once per event type
 *            TCPSTATE_EVSTAT_A_TYPE: NLA_U8, enum tcpstate_event_type
 *            TCPSTATE_EVSTAT_A_SEEN: NLA_U64, events generated
 *            TCPSTATE_EVSTAT_A_DELIVERED: NLA_U64, reached every subscriber
 *            TCPSTATE_EVSTAT_A_DROPPED: NLA_U64, could not be built, or
 *                a subscriber's receive buffer was full (exact for
 *                subscribers that set NETLINK_BROADCAST_ERROR)
 *            TCPSTATE_EVSTAT_A_UNHEARD: NLA_U64, nobody was subscribed
 *        TCPSTATE_STATS_A_TRACK_ENTRIES: NLA_U64, sockets with a recorded
 *            state-entry time (module-wide)
 *        TCPSTATE_STATS_A_TRACK_CAPACITY: NLA_U64, bound on the above
 *        TCPSTATE_STATS_A_TRACK_FULL: NLA_U64, transitions not recorded
 *            because the table was full (module-wide)
 *        TCPSTATE_STATS_A_TRANSITIONS: NLA_U64, TCP state changes seen
 *            (module-wide)
 *        TCPSTATE_STATS_A_OBJECTS: NLA_U64, objects the module has
 *            allocated and not yet freed (module-wide; leak detector)
 *        TCPSTATE_STATS_A_TW_RECORDS: NLA_U64, records kept for sockets
 *            that left FIN_WAIT1/FIN_WAIT2/CLOSING (the entry times of
 *            timewait sockets); each lives at most 300 s (module-wide).
 *            OBJECTS minus TRACK_ENTRIES minus TW_RECORDS is what live
 *            requests hold.
 *    TCPSTATE_A_USER_DUMPS: NLA_U32, dumps of the caller's user (real
 *        uid) in flight: started and neither read to the end nor closed
 *    TCPSTATE_A_USER_DUMP_BYTES: NLA_U64, memory they hold. Each user
 *        may have a bounded number of dumps in flight holding a bounded
 *        amount (module parameters user_dumps, user_dump_kb); a dump
 *        over either bound fails in its first part, with EBUSY or
 *        ENOBUFS and an extack message.
 *
 * TCPSTATE_CMD_GET_SOCK
 * ---------------------
 * NLM_F_DUMP only. The reply to this dump and to TCPSTATE_CMD_GET_COUNTS
 * begins with one NLMSG_NOOP message, which a reader skips (libmnl and
 * libnl do): the request is checked before it, the tables are built
 * after it, from the reader's recvmsg(), which therefore blocks while
 * they are built, even with MSG_DONTWAIT or MSG_PEEK (the netlink dump
 * runs in it). Optional filters, all applied in the kernel:
 *
 *    TCPSTATE_A_STATE_MASK: NLA_U32, bit (1 << state) per wanted state;
 *        asking for SYN_RECV also returns NEW_SYN_RECV (request sockets)
 *    TCPSTATE_A_FAMILY: NLA_U8, AF_INET or AF_INET6
 *    TCPSTATE_A_SPORT: NLA_U16, local port
 *    TCPSTATE_A_DPORT: NLA_U16, remote port
 *    TCPSTATE_A_PORT: NLA_U16, local or remote port
 *    TCPSTATE_A_SRC: NLA_NESTED, local address prefix
 *        TCPSTATE_PREFIX_A_FAMILY: NLA_U8
 *        TCPSTATE_PREFIX_A_ADDR: NLA_BINARY, 4 or 16 bytes
 *        TCPSTATE_PREFIX_A_LEN: NLA_U8, prefix length (default: full)
 *    TCPSTATE_A_DST: NLA_NESTED, remote address prefix, as TCPSTATE_A_SRC
 *    TCPSTATE_A_MIN_AGE_MS: NLA_U64, only sockets at least this long in
 *        their state (lower-bound ages count with their lower bound)
 *    TCPSTATE_A_FLAGS: NLA_U32, TCPSTATE_F_* (unknown bits: EOPNOTSUPP)
 *    TCPSTATE_A_PID: NLA_U32, only sockets owned by this process (as
 *        seen from the caller's pid namespace); implies TCPSTATE_F_PROCESSES
 *    TCPSTATE_A_COMM: NLA_NUL_STRING, only sockets owned by a process of
 *        this name; implies TCPSTATE_F_PROCESSES
 *
 * An IPv4 prefix also matches IPv4-mapped IPv6 addresses. One message per
 * socket, each holding:
 *
 *    TCPSTATE_A_SOCK: NLA_NESTED
 *        TCPSTATE_SOCK_A_FAMILY: NLA_U8
 *        TCPSTATE_SOCK_A_STATE: NLA_U8, enum tcpstate_tcp_state (for a
 *            TIME_WAIT socket, its substate: TIME_WAIT or FIN_WAIT2)
 *        TCPSTATE_SOCK_A_SADDR, TCPSTATE_SOCK_A_DADDR: NLA_BINARY
 *        TCPSTATE_SOCK_A_SPORT, TCPSTATE_SOCK_A_DPORT: NLA_U16
 *        TCPSTATE_SOCK_A_RECV_Q, TCPSTATE_SOCK_A_SEND_Q: NLA_U32, as ss:
 *            unread/unacked bytes, or accept queue length/backlog for
 *            listeners
 *        TCPSTATE_SOCK_A_UID: NLA_U32, in the caller's user namespace
 *        TCPSTATE_SOCK_A_INODE: NLA_U64
 *        TCPSTATE_SOCK_A_AGE_MS: NLA_U64, time spent in the current state
 *        TCPSTATE_SOCK_A_AGE_FLAGS: NLA_U32, TCPSTATE_AGE_F_*
 *        TCPSTATE_SOCK_A_NETNS: NLA_U32, netns inode number
 *        TCPSTATE_SOCK_A_ACCEPTQ_LEN, TCPSTATE_SOCK_A_ACCEPTQ_MAX:
 *            NLA_U32, listeners only
 *        TCPSTATE_SOCK_A_COOKIE: NLA_U64, socket cookie, if already set
 *        (with TCPSTATE_F_PROCESSES:)
 *        TCPSTATE_SOCK_A_OWNER_KIND: NLA_U8, enum tcpstate_owner_kind
 *        TCPSTATE_SOCK_A_OWNER_FLAGS: NLA_U32, TCPSTATE_OWNER_F_*
 *        TCPSTATE_SOCK_A_PROCS_TOTAL: NLA_U32, processes holding it
 *        TCPSTATE_SOCK_A_PROCS: NLA_NESTED, at most
 *            TCPSTATE_MAX_PROCS_PER_SOCK of
 *            TCPSTATE_PROCS_A_PROC: NLA_NESTED
 *                TCPSTATE_PROC_A_PID: NLA_U32, tgid in the caller's pidns
 *                TCPSTATE_PROC_A_COMM: NLA_NUL_STRING
 *                TCPSTATE_PROC_A_FD: NLA_U32, repeated once per fd (at
 *                    most TCPSTATE_MAX_FDS_PER_PROC)
 *                TCPSTATE_PROC_A_FDS_TOTAL: NLA_U32
 *                TCPSTATE_PROC_A_UID: NLA_U32, closed-by only
 *
 * Packed records (TCPSTATE_F_PACKED, TCPSTATE_CAP_PACKED): the same
 * sockets and the same values, but each socket is one binary attribute
 * and a message carries as many of them as fit:
 *
 *    TCPSTATE_A_SOCK_REC: NLA_BINARY, repeated, one socket each:
 *        struct tcpstate_sock_rec (its first field is its size: read the
 *            process records at that offset, not at sizeof, so a module
 *            that appends fields stays readable)
 *        then nprocs times: struct tcpstate_proc_rec, at its own size,
 *            followed by nfds __u32 fd numbers
 *
 * With one attribute per field, parsing and writing a socket cost more
 * than finding it; this is the format of bulk listings (tcpstatectl list).
 *
 * TCPSTATE_CMD_GET_COUNTS
 * -----------------------
 * NLM_F_DUMP only. Accepts the filters of TCPSTATE_CMD_GET_SOCK (and
 * ignores TCPSTATE_F_PACKED) and:
 *
 *    TCPSTATE_A_GROUP_BY: NLA_U8, enum tcpstate_group_by
 *
 * The first message (per netns with TCPSTATE_F_ALL_NETNS) holds the totals;
 * each following message holds one group. Both use:
 *
 *    TCPSTATE_A_COUNTS: NLA_NESTED
 *        TCPSTATE_COUNTS_A_NETNS: NLA_U32
 *        TCPSTATE_COUNTS_A_TOTAL: NLA_U32
 *        TCPSTATE_COUNTS_A_STATES: NLA_NESTED, attribute type = state
 *            number, NLA_U32 count; states with a zero count are omitted
 *        (groups only, the key:)
 *        TCPSTATE_COUNTS_A_KEY_PORT: NLA_U16
 *        TCPSTATE_COUNTS_A_KEY_FAMILY: NLA_U8
 *        TCPSTATE_COUNTS_A_KEY_ADDR: NLA_BINARY
 *        TCPSTATE_COUNTS_A_KEY_PID: NLA_U32
 *        TCPSTATE_COUNTS_A_KEY_COMM: NLA_NUL_STRING
 *        TCPSTATE_COUNTS_A_KEY_OWNER_KIND: NLA_U8
 *
 * TCPSTATE_CMD_EVENT
 * ------------------
 * Notification only, multicast on group TCPSTATE_MCGRP_EVENTS to listeners
 * in the network namespace where it happened. Joining the group needs
 * CAP_NET_ADMIN in that namespace's user namespace. On a kernel that cannot
 * enforce that (no GENL_MCAST_CAP_NET_ADMIN) the family has no events group
 * at all and GET_STATS reports TCPSTATE_CAP_EV_OFF_UNRESTRICTED.
 *
 *    TCPSTATE_A_EVENT: NLA_NESTED
 *        TCPSTATE_EV_A_TYPE: NLA_U8, enum tcpstate_event_type
 *        TCPSTATE_EV_A_SEQ: NLA_U64, per-netns sequence number; a gap
 *            means lost events
 *        TCPSTATE_EV_A_TIME_NS: NLA_U64, CLOCK_REALTIME
 *        TCPSTATE_EV_A_NETNS: NLA_U32
 *        TCPSTATE_EV_A_PID: NLA_U32, tgid in the outermost of the task's
 *            pid namespaces owned by the netns's user namespace (or one
 *            under it): the initial pid namespace for the initial netns,
 *            a container's own for a container's netns; 0 when the task
 *            is in no such pid namespace (its pid would be a host's)
 *        TCPSTATE_EV_A_TID: NLA_U32, likewise
 *        TCPSTATE_EV_A_COMM: NLA_NUL_STRING
 *        TCPSTATE_EV_A_UID: NLA_U32, in the netns's user namespace
 *        TCPSTATE_EV_A_SOCK: NLA_NESTED, TCPSTATE_SOCK_A_* (family,
 *            state, addresses, ports, inode, cookie)
 *        TCPSTATE_EV_A_UNREAD_BYTES: NLA_U32, unread-close only
 *        TCPSTATE_EV_A_RST: NLA_U8, 1 when a RST replaces the FIN
 *        TCPSTATE_EV_A_SIGPIPE: NLA_U8, epipe only: 1 when SIGPIPE was sent
 *        TCPSTATE_EV_A_VPID: NLA_U32, tgid in the task's own pid namespace;
 *            0 when TCPSTATE_EV_A_PID is
 */

#ifndef _UAPI_LINUX_TCPSTATE_H
#define _UAPI_LINUX_TCPSTATE_H

#include <linux/types.h>

#define TCPSTATE_GENL_NAME "tcpstate"
#define TCPSTATE_GENL_VERSION 1
#define TCPSTATE_MCGRP_EVENTS "events"

/* Bounds of the owner lists in a TCPSTATE_CMD_GET_SOCK reply. */
#define TCPSTATE_MAX_PROCS_PER_SOCK 8
#define TCPSTATE_MAX_FDS_PER_PROC 16

enum tcpstate_cmd {
	TCPSTATE_CMD_UNSPEC,
	TCPSTATE_CMD_GET_STATS,
	TCPSTATE_CMD_GET_SOCK,
	TCPSTATE_CMD_GET_COUNTS,
	TCPSTATE_CMD_EVENT,
	__TCPSTATE_CMD_MAX
};
#define TCPSTATE_CMD_MAX (__TCPSTATE_CMD_MAX - 1)

/* The kernel's TCP state numbers (include/net/tcp_states.h). */
enum tcpstate_tcp_state {
	TCPSTATE_ESTABLISHED = 1,
	TCPSTATE_SYN_SENT,
	TCPSTATE_SYN_RECV,
	TCPSTATE_FIN_WAIT1,
	TCPSTATE_FIN_WAIT2,
	TCPSTATE_TIME_WAIT,
	TCPSTATE_CLOSE,
	TCPSTATE_CLOSE_WAIT,
	TCPSTATE_LAST_ACK,
	TCPSTATE_LISTEN,
	TCPSTATE_CLOSING,
	TCPSTATE_NEW_SYN_RECV,
	__TCPSTATE_STATE_MAX
};
#define TCPSTATE_STATE_MAX (__TCPSTATE_STATE_MAX - 1)
/* Every state a socket dump can return. */
#define TCPSTATE_STATE_MASK_ALL \
	(((1U << __TCPSTATE_STATE_MAX) - 1) & ~1U)

/* TCPSTATE_A_CAPS: what this module build can do. */
enum {
	TCPSTATE_CAP_SOCK_DUMP = 1U << 0,	/* GET_SOCK and GET_COUNTS */
	TCPSTATE_CAP_AGE_TRACKING = 1U << 1,	/* state-entry times recorded */
	TCPSTATE_CAP_PROCESSES = 1U << 2,	/* TCPSTATE_F_PROCESSES */
	TCPSTATE_CAP_EV_UNREAD_CLOSE = 1U << 3,	/* unread-close events */
	TCPSTATE_CAP_EV_EPIPE = 1U << 4,	/* epipe events */
	TCPSTATE_CAP_EV_RESTRICTED = 1U << 5,	/* events need CAP_NET_ADMIN */
	TCPSTATE_CAP_ALL_NETNS = 1U << 6,	/* TCPSTATE_F_ALL_NETNS */
	TCPSTATE_CAP_EV_LINGER_ABORT = 1U << 7,	/* linger-abort events */
	TCPSTATE_CAP_PACKED = 1U << 8,		/* TCPSTATE_F_PACKED */
	/*
	 * Events are off because this kernel cannot restrict the events
	 * group to CAP_NET_ADMIN (no GENL_MCAST_CAP_NET_ADMIN): the module
	 * registers no events group and attaches no event probes rather than
	 * show every local user other users' connections and processes.
	 */
	TCPSTATE_CAP_EV_OFF_UNRESTRICTED = 1U << 9,
};

/* TCPSTATE_A_FLAGS */
enum {
	TCPSTATE_F_PROCESSES = 1U << 0,	/* report owning processes */
	TCPSTATE_F_ALL_NETNS = 1U << 1,	/* every netns (CAP_NET_ADMIN) */
	TCPSTATE_F_PACKED = 1U << 2,	/* GET_SOCK: TCPSTATE_A_SOCK_REC */
	__TCPSTATE_F_ALL = (1U << 3) - 1
};

/* TCPSTATE_SOCK_A_AGE_FLAGS */
enum {
	/* The socket predates the module: the age is at least this much. */
	TCPSTATE_AGE_F_LOWER_BOUND = 1U << 0,
	/* Derived from the TIME_WAIT timer. */
	TCPSTATE_AGE_F_TIMER = 1U << 1,
	/* Request socket: time since its first SYN-ACK. */
	TCPSTATE_AGE_F_SYNACK = 1U << 2,
};

enum tcpstate_owner_kind {
	TCPSTATE_OWNER_UNSPEC,
	TCPSTATE_OWNER_FD,		/* processes hold a file descriptor */
	TCPSTATE_OWNER_UNACCEPTED,	/* in a listener's accept queue */
	TCPSTATE_OWNER_CLOSED_BY,	/* orphaned: who closed it */
	TCPSTATE_OWNER_NONE,		/* nobody (see TCPSTATE_OWNER_F_*) */
	TCPSTATE_OWNER_HIDDEN,		/* held by processes you may not see */
	__TCPSTATE_OWNER_MAX
};
#define TCPSTATE_OWNER_MAX (__TCPSTATE_OWNER_MAX - 1)

/* TCPSTATE_SOCK_A_OWNER_FLAGS */
enum {
	/* A kernel socket: no process can hold it. */
	TCPSTATE_OWNER_F_KERNEL = 1U << 0,
	/* Has a file but no process holds an fd (holder exited, or the fd is
	 * in flight in an SCM_RIGHTS message).
	 */
	TCPSTATE_OWNER_F_NO_FD = 1U << 1,
	/* Some holders were left out because the caller may not see them. */
	TCPSTATE_OWNER_F_SOME_HIDDEN = 1U << 2,
	/* Orphaned and the module did not see the close. */
	TCPSTATE_OWNER_F_CLOSE_UNSEEN = 1U << 3,
	/* The caller (without CAP_NET_ADMIN in the initial user namespace)
	 * was answered from a scan of only the processes it may see: the
	 * others' fd tables were not read. TCPSTATE_OWNER_HIDDEN then means
	 * "no process you may see holds it" (someone hidden, or nobody), and
	 * TCPSTATE_OWNER_F_SOME_HIDDEN is not set. Not on CLOSED_BY owners.
	 */
	TCPSTATE_OWNER_F_PARTIAL = 1U << 4,
};

enum tcpstate_group_by {
	TCPSTATE_GROUP_NONE,
	TCPSTATE_GROUP_LPORT,
	TCPSTATE_GROUP_LADDR,
	TCPSTATE_GROUP_RADDR,
	TCPSTATE_GROUP_PROCESS,
	__TCPSTATE_GROUP_MAX
};
#define TCPSTATE_GROUP_MAX (__TCPSTATE_GROUP_MAX - 1)

enum tcpstate_event_type {
	TCPSTATE_EV_UNSPEC,
	TCPSTATE_EV_UNREAD_CLOSE,	/* close() with unread data: RST */
	TCPSTATE_EV_LINGER_ABORT,	/* close() with SO_LINGER 0: RST */
	TCPSTATE_EV_EPIPE,		/* write after the connection died */
	__TCPSTATE_EV_MAX
};
#define TCPSTATE_EV_MAX (__TCPSTATE_EV_MAX - 1)

enum tcpstate_attr {
	TCPSTATE_A_UNSPEC,
	TCPSTATE_A_PAD,
	TCPSTATE_A_VERSION,		/* NLA_NUL_STRING */
	TCPSTATE_A_CAPS,		/* NLA_U32 */
	TCPSTATE_A_NETNS,		/* NLA_U32 */
	TCPSTATE_A_STATS,		/* NLA_NESTED: TCPSTATE_STATS_A_* */
	TCPSTATE_A_STATE_MASK,		/* NLA_U32 */
	TCPSTATE_A_FAMILY,		/* NLA_U8 */
	TCPSTATE_A_SPORT,		/* NLA_U16 */
	TCPSTATE_A_DPORT,		/* NLA_U16 */
	TCPSTATE_A_PORT,		/* NLA_U16 */
	TCPSTATE_A_SRC,			/* NLA_NESTED: TCPSTATE_PREFIX_A_* */
	TCPSTATE_A_DST,			/* NLA_NESTED: TCPSTATE_PREFIX_A_* */
	TCPSTATE_A_MIN_AGE_MS,		/* NLA_U64 */
	TCPSTATE_A_FLAGS,		/* NLA_U32: TCPSTATE_F_* */
	TCPSTATE_A_PID,			/* NLA_U32 */
	TCPSTATE_A_COMM,		/* NLA_NUL_STRING */
	TCPSTATE_A_GROUP_BY,		/* NLA_U8: enum tcpstate_group_by */
	TCPSTATE_A_SOCK,		/* NLA_NESTED: TCPSTATE_SOCK_A_* */
	TCPSTATE_A_COUNTS,		/* NLA_NESTED: TCPSTATE_COUNTS_A_* */
	TCPSTATE_A_EVENT,		/* NLA_NESTED: TCPSTATE_EV_A_* */
	TCPSTATE_A_SOCK_REC,		/* NLA_BINARY: struct tcpstate_sock_rec */
	TCPSTATE_A_USER_DUMPS,		/* NLA_U32 */
	TCPSTATE_A_USER_DUMP_BYTES,	/* NLA_U64 */
	__TCPSTATE_A_MAX
};
#define TCPSTATE_A_MAX (__TCPSTATE_A_MAX - 1)

enum tcpstate_prefix_attr {
	TCPSTATE_PREFIX_A_UNSPEC,
	TCPSTATE_PREFIX_A_FAMILY,	/* NLA_U8 */
	TCPSTATE_PREFIX_A_ADDR,		/* NLA_BINARY: 4 or 16 bytes */
	TCPSTATE_PREFIX_A_LEN,		/* NLA_U8 */
	__TCPSTATE_PREFIX_A_MAX
};
#define TCPSTATE_PREFIX_A_MAX (__TCPSTATE_PREFIX_A_MAX - 1)

enum tcpstate_stats_attr {
	TCPSTATE_STATS_A_UNSPEC,
	TCPSTATE_STATS_A_PAD,
	TCPSTATE_STATS_A_EVENT_SEQ,	/* NLA_U64 */
	TCPSTATE_STATS_A_ABORT_ON_CLOSE, /* NLA_U64 */
	TCPSTATE_STATS_A_EVTYPE,	/* NLA_NESTED: TCPSTATE_EVSTAT_A_* */
	TCPSTATE_STATS_A_TRACK_ENTRIES,	/* NLA_U64 */
	TCPSTATE_STATS_A_TRACK_CAPACITY, /* NLA_U64 */
	TCPSTATE_STATS_A_TRACK_FULL,	/* NLA_U64 */
	TCPSTATE_STATS_A_TRANSITIONS,	/* NLA_U64 */
	TCPSTATE_STATS_A_OBJECTS,	/* NLA_U64 */
	TCPSTATE_STATS_A_TW_RECORDS,	/* NLA_U64 */
	__TCPSTATE_STATS_A_MAX
};
#define TCPSTATE_STATS_A_MAX (__TCPSTATE_STATS_A_MAX - 1)

enum tcpstate_evstat_attr {
	TCPSTATE_EVSTAT_A_UNSPEC,
	TCPSTATE_EVSTAT_A_PAD,
	TCPSTATE_EVSTAT_A_TYPE,		/* NLA_U8 */
	TCPSTATE_EVSTAT_A_SEEN,		/* NLA_U64 */
	TCPSTATE_EVSTAT_A_DELIVERED,	/* NLA_U64 */
	TCPSTATE_EVSTAT_A_DROPPED,	/* NLA_U64 */
	TCPSTATE_EVSTAT_A_UNHEARD,	/* NLA_U64 */
	__TCPSTATE_EVSTAT_A_MAX
};
#define TCPSTATE_EVSTAT_A_MAX (__TCPSTATE_EVSTAT_A_MAX - 1)

enum tcpstate_sock_attr {
	TCPSTATE_SOCK_A_UNSPEC,
	TCPSTATE_SOCK_A_PAD,
	TCPSTATE_SOCK_A_FAMILY,		/* NLA_U8 */
	TCPSTATE_SOCK_A_STATE,		/* NLA_U8 */
	TCPSTATE_SOCK_A_SADDR,		/* NLA_BINARY: 4 or 16 bytes */
	TCPSTATE_SOCK_A_DADDR,		/* NLA_BINARY: 4 or 16 bytes */
	TCPSTATE_SOCK_A_SPORT,		/* NLA_U16 */
	TCPSTATE_SOCK_A_DPORT,		/* NLA_U16 */
	TCPSTATE_SOCK_A_RECV_Q,		/* NLA_U32 */
	TCPSTATE_SOCK_A_SEND_Q,		/* NLA_U32 */
	TCPSTATE_SOCK_A_UID,		/* NLA_U32 */
	TCPSTATE_SOCK_A_INODE,		/* NLA_U64 */
	TCPSTATE_SOCK_A_AGE_MS,		/* NLA_U64 */
	TCPSTATE_SOCK_A_AGE_FLAGS,	/* NLA_U32: TCPSTATE_AGE_F_* */
	TCPSTATE_SOCK_A_NETNS,		/* NLA_U32 */
	TCPSTATE_SOCK_A_ACCEPTQ_LEN,	/* NLA_U32 */
	TCPSTATE_SOCK_A_ACCEPTQ_MAX,	/* NLA_U32 */
	TCPSTATE_SOCK_A_COOKIE,		/* NLA_U64 */
	TCPSTATE_SOCK_A_OWNER_KIND,	/* NLA_U8: enum tcpstate_owner_kind */
	TCPSTATE_SOCK_A_OWNER_FLAGS,	/* NLA_U32: TCPSTATE_OWNER_F_* */
	TCPSTATE_SOCK_A_PROCS_TOTAL,	/* NLA_U32 */
	TCPSTATE_SOCK_A_PROCS,		/* NLA_NESTED: TCPSTATE_PROCS_A_* */
	__TCPSTATE_SOCK_A_MAX
};
#define TCPSTATE_SOCK_A_MAX (__TCPSTATE_SOCK_A_MAX - 1)

enum tcpstate_procs_attr {
	TCPSTATE_PROCS_A_UNSPEC,
	TCPSTATE_PROCS_A_PROC,		/* NLA_NESTED: TCPSTATE_PROC_A_* */
	__TCPSTATE_PROCS_A_MAX
};
#define TCPSTATE_PROCS_A_MAX (__TCPSTATE_PROCS_A_MAX - 1)

enum tcpstate_proc_attr {
	TCPSTATE_PROC_A_UNSPEC,
	TCPSTATE_PROC_A_PID,		/* NLA_U32 */
	TCPSTATE_PROC_A_COMM,		/* NLA_NUL_STRING */
	TCPSTATE_PROC_A_FD,		/* NLA_U32, repeated */
	TCPSTATE_PROC_A_FDS_TOTAL,	/* NLA_U32 */
	TCPSTATE_PROC_A_UID,		/* NLA_U32 */
	__TCPSTATE_PROC_A_MAX
};
#define TCPSTATE_PROC_A_MAX (__TCPSTATE_PROC_A_MAX - 1)

enum tcpstate_counts_attr {
	TCPSTATE_COUNTS_A_UNSPEC,
	TCPSTATE_COUNTS_A_NETNS,	/* NLA_U32 */
	TCPSTATE_COUNTS_A_TOTAL,	/* NLA_U32 */
	TCPSTATE_COUNTS_A_STATES,	/* NLA_NESTED: type = state, NLA_U32 */
	TCPSTATE_COUNTS_A_KEY_PORT,	/* NLA_U16 */
	TCPSTATE_COUNTS_A_KEY_FAMILY,	/* NLA_U8 */
	TCPSTATE_COUNTS_A_KEY_ADDR,	/* NLA_BINARY: 4 or 16 bytes */
	TCPSTATE_COUNTS_A_KEY_PID,	/* NLA_U32 */
	TCPSTATE_COUNTS_A_KEY_COMM,	/* NLA_NUL_STRING */
	TCPSTATE_COUNTS_A_KEY_OWNER_KIND, /* NLA_U8 */
	__TCPSTATE_COUNTS_A_MAX
};
#define TCPSTATE_COUNTS_A_MAX (__TCPSTATE_COUNTS_A_MAX - 1)

enum tcpstate_event_attr {
	TCPSTATE_EV_A_UNSPEC,
	TCPSTATE_EV_A_PAD,
	TCPSTATE_EV_A_TYPE,		/* NLA_U8: enum tcpstate_event_type */
	TCPSTATE_EV_A_SEQ,		/* NLA_U64 */
	TCPSTATE_EV_A_TIME_NS,		/* NLA_U64 */
	TCPSTATE_EV_A_NETNS,		/* NLA_U32 */
	TCPSTATE_EV_A_PID,		/* NLA_U32 */
	TCPSTATE_EV_A_TID,		/* NLA_U32 */
	TCPSTATE_EV_A_COMM,		/* NLA_NUL_STRING */
	TCPSTATE_EV_A_UID,		/* NLA_U32 */
	TCPSTATE_EV_A_SOCK,		/* NLA_NESTED: TCPSTATE_SOCK_A_* */
	TCPSTATE_EV_A_UNREAD_BYTES,	/* NLA_U32 */
	TCPSTATE_EV_A_RST,		/* NLA_U8 */
	TCPSTATE_EV_A_SIGPIPE,		/* NLA_U8 */
	TCPSTATE_EV_A_VPID,		/* NLA_U32 */
	__TCPSTATE_EV_A_MAX
};
#define TCPSTATE_EV_A_MAX (__TCPSTATE_EV_A_MAX - 1)

/*
 * TCPSTATE_A_SOCK_REC: one socket of a packed GET_SOCK dump. Each field
 * holds what the TCPSTATE_SOCK_A_* attribute of the same name would;
 * fields of a kind of socket that has none are 0. Little-endian hosts and
 * big-endian ones alike: host byte order, as every netlink integer.
 */
struct tcpstate_sock_rec {
	__u16 size;		/* sizeof this struct, as the module knows it */
	__u8 family;
	__u8 state;
	__u16 sport;
	__u16 dport;
	__u16 flags;		/* TCPSTATE_REC_F_* */
	__u8 owner_kind;	/* with TCPSTATE_REC_F_OWNERS */
	__u8 nprocs;		/* process records that follow */
	__u32 recv_q;
	__u32 send_q;
	__u32 uid;
	__u32 netns;
	__u32 age_flags;
	__u32 owner_flags;
	__u32 procs_total;
	__u32 acceptq_len;	/* with TCPSTATE_REC_F_ACCEPTQ */
	__u32 acceptq_max;
	__u64 inode;
	__u64 age_ms;
	__u64 cookie;		/* 0: not set */
	__u8 saddr[16];		/* 4 bytes used for AF_INET */
	__u8 daddr[16];
};

/* tcpstate_sock_rec.flags */
enum {
	TCPSTATE_REC_F_ACCEPTQ = 1U << 0,	/* a listener: acceptq_* */
	TCPSTATE_REC_F_OWNERS = 1U << 1,	/* owner_*, procs_total */
};

struct tcpstate_proc_rec {
	__u16 size;		/* sizeof this struct; the fds follow */
	__u16 nfds;		/* __u32 fd numbers that follow */
	__u32 pid;		/* TCPSTATE_PROC_A_PID */
	__u32 fds_total;
	__u32 flags;		/* TCPSTATE_PROC_REC_F_* */
	__u32 uid;		/* with TCPSTATE_PROC_REC_F_UID */
	char comm[16];		/* NUL-terminated */
};

/* tcpstate_proc_rec.flags */
enum {
	TCPSTATE_PROC_REC_F_UID = 1U << 0,	/* closed-by: the closer's uid */
};

#endif /* _UAPI_LINUX_TCPSTATE_H */
