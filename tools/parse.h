/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Decoding of tcpstate netlink attributes into plain structs. Pure functions
 * over byte buffers: no sockets, no globals, so the unit tests can feed them
 * canned and hostile input. Unknown attributes are skipped (newer modules may
 * add some); known attributes with a wrong length make the parse fail.
 */
#ifndef TCPSTATECTL_PARSE_H
#define TCPSTATECTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/tcpstate.h>

struct nlattr;

struct ts_evstats {
	uint64_t seen;
	uint64_t delivered;
	uint64_t dropped;
	uint64_t unheard;
};

struct ts_stats {
	char version[64];
	uint32_t caps;
	uint32_t netns;
	uint64_t event_seq;
	uint64_t abort_on_close;
	uint64_t track_entries;
	uint64_t track_capacity;
	uint64_t track_full;
	uint64_t transitions;
	uint64_t objects;
	uint64_t tw_records;
	struct ts_evstats ev[TCPSTATE_EV_MAX + 1];
	/*
	 * The module-wide figures (track_*, transitions, objects,
	 * tw_records) were left out: a namespace other than the initial
	 * one, without CAP_NET_ADMIN in the initial user namespace.
	 */
	bool host_wide_absent;
	/* This user's dumps in flight (modules that report them). */
	bool has_user_dumps;
	uint32_t user_dumps;
	uint64_t user_dump_bytes;
};

struct ts_proc {
	uint32_t pid;
	char comm[16];
	uint32_t fds[TCPSTATE_MAX_FDS_PER_PROC];
	uint32_t nfds;		/* fds listed */
	uint32_t fds_total;	/* fds held, listed or not */
	uint32_t uid;
	bool has_uid;
};

struct ts_sock {
	uint8_t family;
	uint8_t state;
	uint8_t saddr[16];
	uint8_t daddr[16];
	uint16_t sport;
	uint16_t dport;
	uint32_t recv_q;
	uint32_t send_q;
	uint32_t uid;
	uint64_t inode;
	uint64_t age_ms;
	uint32_t age_flags;
	uint32_t netns;
	bool has_acceptq;
	uint32_t acceptq_len;
	uint32_t acceptq_max;
	uint64_t cookie;
	/* owners, with TCPSTATE_F_PROCESSES */
	uint8_t owner_kind;
	uint32_t owner_flags;
	uint32_t procs_total;
	uint32_t nprocs;
	struct ts_proc procs[TCPSTATE_MAX_PROCS_PER_SOCK];
};

struct ts_counts {
	uint32_t netns;
	uint32_t total;
	uint32_t states[TCPSTATE_STATE_MAX + 1];
	bool is_group;		/* any key attribute present */
	bool has_port;
	uint16_t port;
	bool has_addr;
	uint8_t family;
	uint8_t addr[16];
	bool has_pid;
	uint32_t pid;
	char comm[16];
	uint8_t owner_kind;
};

struct ts_event {
	uint8_t type;
	uint64_t seq;
	uint64_t time_ns;
	uint32_t netns;
	uint32_t pid;
	uint32_t tid;
	uint32_t vpid;
	uint32_t uid;
	char comm[16];
	bool has_unread;
	uint32_t unread;
	bool has_rst;
	bool rst;
	bool has_sigpipe;
	bool sigpipe;
	struct ts_sock sk;
};

/* Top-level attributes of a GET_STATS reply. Returns 0 or -EINVAL. */
int ts_parse_stats(const void *attrs, size_t len, struct ts_stats *st);

/*
 * The TCPSTATE_SOCK_A_* attributes inside @nest. Address lengths must match
 * the family; a socket without family or state is rejected.
 */
int ts_parse_sock_nest(const struct nlattr *nest, struct ts_sock *sk);

/*
 * The payload of one TCPSTATE_A_SOCK_REC (packed dump): the socket and its
 * process records, every length checked. Returns 0 or -EINVAL.
 */
int ts_parse_sock_rec(const void *payload, size_t len, struct ts_sock *sk);

/*
 * Every socket of one GET_SOCK message: one TCPSTATE_A_SOCK nest, or
 * (packed) any number of TCPSTATE_A_SOCK_REC records. Each is parsed into
 * @sk and handed to @cb; a negative return of @cb stops the walk and is
 * returned. -EBADMSG for a malformed socket or a message holding none.
 */
int ts_parse_sock_msg(const void *attrs, size_t len, struct ts_sock *sk,
		      int (*cb)(const struct ts_sock *sk, void *data),
		      void *data);

/* Top-level attributes of a GET_SOCK message (one TCPSTATE_A_SOCK). */
int ts_parse_sock(const void *attrs, size_t len, struct ts_sock *sk);

/* Top-level attributes of an EVENT notification (one TCPSTATE_A_EVENT). */
int ts_parse_event(const void *attrs, size_t len, struct ts_event *ev);

/* Top-level attributes of a GET_COUNTS message (one TCPSTATE_A_COUNTS). */
int ts_parse_counts(const void *attrs, size_t len, struct ts_counts *c);

#endif
