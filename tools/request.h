/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The filter of a list or counts request, as the command line gave it,
 * and its encoding into netlink attributes.
 */
#ifndef TCPSTATECTL_REQUEST_H
#define TCPSTATECTL_REQUEST_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "filter.h"

struct nlmsghdr;

/*
 * Each filter also comes negated (--not-NAME): a socket passes if it
 * matches every filter given and no negated one. What the kernel cannot
 * express is finished in the tool (filter.h).
 */
struct ts_request {
	uint32_t state_mask;	/* 0: every state */
	uint32_t not_state_mask;
	uint8_t family;		/* 0: both */
	struct ts_portset sport, dport, port;
	struct ts_portset not_sport, not_dport, not_port;
	bool has_src, has_dst, has_not_src, has_not_dst;
	struct ts_prefix src, dst, not_src, not_dst;
	bool has_min_age;
	uint64_t min_age_ms;
	uint32_t flags;		/* TCPSTATE_F_* */
	uint32_t pid;		/* 0: any */
	uint32_t not_pid;	/* 0: none */
	char comm[16];		/* "": any */
	char not_comm[16];	/* "": none */
	uint8_t group_by;	/* counts only */
};

/*
 * Append the request's attributes to @nlh: the widest kernel filter that
 * is still correct (ts_request_match() does the rest).
 */
void ts_request_put(struct nlmsghdr *nlh, const struct ts_request *r);

/*
 * After the options: a usage error if the states asked for and those
 * excluded leave none, or, with @kernel_only (counts: the kernel counts),
 * if a filter needs the tool.
 */
void ts_request_check(const struct ts_request *r, const char *cmd,
		      bool kernel_only);

/*
 * The filter options list and counts share. Option values below are
 * returned by getopt_long for the long options in TS_FILTER_LONGOPTS.
 */
enum {
	OPT_SPORT = 0x100,
	OPT_DPORT,
	OPT_PORT,
	OPT_SRC,
	OPT_DST,
	OPT_OLDER_THAN,
	OPT_STATE,
	OPT_JSON,
	OPT_TSV,
	OPT_BY,
	OPT_ALL_NETNS,
	OPT_PID,
	OPT_COMM,
	OPT_TOP,
	OPT_OUTPUT,
	OPT_TYPE,
	OPT_COUNT,
	OPT_TIMEOUT,
	OPT_SORT,
	OPT_NOT_STATE,
	OPT_NOT_SPORT,
	OPT_NOT_DPORT,
	OPT_NOT_PORT,
	OPT_NOT_SRC,
	OPT_NOT_DST,
	OPT_NOT_PID,
	OPT_NOT_COMM,
};

#define TS_FILTER_LONGOPTS                                           \
	{ "state", required_argument, NULL, OPT_STATE },             \
	{ "sport", required_argument, NULL, OPT_SPORT },             \
	{ "dport", required_argument, NULL, OPT_DPORT },             \
	{ "port", required_argument, NULL, OPT_PORT },               \
	{ "src", required_argument, NULL, OPT_SRC },                 \
	{ "dst", required_argument, NULL, OPT_DST },                 \
	{ "older-than", required_argument, NULL, OPT_OLDER_THAN },   \
	{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },           \
	{ "not-state", required_argument, NULL, OPT_NOT_STATE },     \
	{ "not-sport", required_argument, NULL, OPT_NOT_SPORT },     \
	{ "not-dport", required_argument, NULL, OPT_NOT_DPORT },     \
	{ "not-port", required_argument, NULL, OPT_NOT_PORT },       \
	{ "not-src", required_argument, NULL, OPT_NOT_SRC },         \
	{ "not-dst", required_argument, NULL, OPT_NOT_DST }

/* --pid and --comm: owner filters (they imply TCPSTATE_F_PROCESSES). */
#define TS_OWNER_LONGOPTS                                            \
	{ "pid", required_argument, NULL, OPT_PID },                 \
	{ "comm", required_argument, NULL, OPT_COMM },               \
	{ "not-pid", required_argument, NULL, OPT_NOT_PID },         \
	{ "not-comm", required_argument, NULL, OPT_NOT_COMM }

bool ts_owner_option(struct ts_request *r, int opt, const char *arg,
		     const char *cmd);

/*
 * Handle one filter option (also -4 and -6). Returns true if it was one;
 * a bad value is a usage error that names the problem and exits 2.
 */
bool ts_request_option(struct ts_request *r, int opt, const char *arg,
		       const char *cmd);

#endif
