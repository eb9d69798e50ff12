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

struct nlmsghdr;

struct ts_request {
	uint32_t state_mask;	/* 0: every state */
	uint8_t family;		/* 0: both */
	uint16_t sport, dport, port;
	bool has_src, has_dst;
	struct ts_prefix src, dst;
	bool has_min_age;
	uint64_t min_age_ms;
	uint32_t flags;		/* TCPSTATE_F_* */
	uint32_t pid;		/* 0: any */
	char comm[16];		/* "": any */
	uint8_t group_by;	/* counts only */
};

/* Append the request's attributes to @nlh. */
void ts_request_put(struct nlmsghdr *nlh, const struct ts_request *r);

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
};

#define TS_FILTER_LONGOPTS                                           \
	{ "state", required_argument, NULL, OPT_STATE },             \
	{ "sport", required_argument, NULL, OPT_SPORT },             \
	{ "dport", required_argument, NULL, OPT_DPORT },             \
	{ "port", required_argument, NULL, OPT_PORT },               \
	{ "src", required_argument, NULL, OPT_SRC },                 \
	{ "dst", required_argument, NULL, OPT_DST },                 \
	{ "older-than", required_argument, NULL, OPT_OLDER_THAN },   \
	{ "all-netns", no_argument, NULL, OPT_ALL_NETNS }

/* --pid and --comm: owner filters (they imply TCPSTATE_F_PROCESSES). */
#define TS_OWNER_LONGOPTS                                            \
	{ "pid", required_argument, NULL, OPT_PID },                 \
	{ "comm", required_argument, NULL, OPT_COMM }

bool ts_owner_option(struct ts_request *r, int opt, const char *arg,
		     const char *cmd);

/*
 * Handle one filter option (also -4 and -6). Returns true if it was one;
 * a bad value is a usage error that names the problem and exits 2.
 */
bool ts_request_option(struct ts_request *r, int opt, const char *arg,
		       const char *cmd);

#endif
