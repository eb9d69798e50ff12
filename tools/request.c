// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/tcpstate.h>

#include "ctl.h"
#include "optval.h"
#include "request.h"
#include "states.h"

static void put_prefix(struct nlmsghdr *nlh, int type,
		       const struct ts_prefix *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, (uint16_t)type);

	mnl_attr_put_u8(nlh, TCPSTATE_PREFIX_A_FAMILY, (uint8_t)p->family);
	mnl_attr_put(nlh, TCPSTATE_PREFIX_A_ADDR,
		     p->family == AF_INET ? 4 : 16, p->addr);
	mnl_attr_put_u8(nlh, TCPSTATE_PREFIX_A_LEN, (uint8_t)p->len);
	mnl_attr_nest_end(nlh, nest);
}

void ts_request_put(struct nlmsghdr *nlh, const struct ts_request *r)
{
	uint32_t states = ts_request_states(r);
	uint16_t port;

	if (states)
		mnl_attr_put_u32(nlh, TCPSTATE_A_STATE_MASK, states);
	if (r->family)
		mnl_attr_put_u8(nlh, TCPSTATE_A_FAMILY, r->family);
	/* A list or a range of ports: all ports, filtered after the dump. */
	port = ts_portset_single(&r->sport);
	if (port)
		mnl_attr_put_u16(nlh, TCPSTATE_A_SPORT, port);
	port = ts_portset_single(&r->dport);
	if (port)
		mnl_attr_put_u16(nlh, TCPSTATE_A_DPORT, port);
	port = ts_portset_single(&r->port);
	if (port)
		mnl_attr_put_u16(nlh, TCPSTATE_A_PORT, port);
	if (r->has_src)
		put_prefix(nlh, TCPSTATE_A_SRC, &r->src);
	if (r->has_dst)
		put_prefix(nlh, TCPSTATE_A_DST, &r->dst);
	if (r->has_min_age)
		mnl_attr_put_u64(nlh, TCPSTATE_A_MIN_AGE_MS, r->min_age_ms);
	if (r->flags)
		mnl_attr_put_u32(nlh, TCPSTATE_A_FLAGS, r->flags);
	if (r->pid)
		mnl_attr_put_u32(nlh, TCPSTATE_A_PID, r->pid);
	if (r->comm[0])
		mnl_attr_put_strz(nlh, TCPSTATE_A_COMM, r->comm);
	if (r->group_by)
		mnl_attr_put_u8(nlh, TCPSTATE_A_GROUP_BY, r->group_by);
}

static void port_opt(struct ts_portset *set, const char *arg,
		     const char *name, const char *cmd)
{
	if (ts_parse_portset(arg, set))
		ctl_usage_error(cmd,
				"--%s: '%.32s' is not a port, range or list (P, P-Q, P,Q,...; 1-65535; at most %d)",
				name, arg, TS_PORTSET_MAX);
}

void ts_request_check(const struct ts_request *r, const char *cmd,
		      bool kernel_only)
{
	const char *what;

	if (r->not_state_mask && !ts_request_states(r))
		ctl_usage_error(cmd, "--not-state excludes every state asked for");
	if (!kernel_only)
		return;
	what = ts_request_tool_only(r);
	if (what)
		ctl_usage_error(cmd,
				"%s: the kernel counts and cannot filter on it (list can)",
				what);
}

static void prefix_opt(struct ts_prefix *p, bool *has, const char *arg,
		       const char *name, const char *cmd)
{
	char err[128];

	if (ts_parse_prefix(arg, p, err, sizeof(err)))
		ctl_usage_error(cmd, "--%s: %s", name, err);
	*has = true;
}

bool ts_request_option(struct ts_request *r, int opt, const char *arg,
		       const char *cmd)
{
	uint32_t mask;
	char bad[80];

	switch (opt) {
	case '4':
	case '6':
		if (r->family)
			ctl_usage_error(cmd, "-4 and -6 exclude each other");
		r->family = opt == '4' ? AF_INET : AF_INET6;
		return true;
	case OPT_STATE:
	case OPT_NOT_STATE:
		if (ts_parse_states(arg, &mask, bad, sizeof(bad))) {
			fprintf(stderr, "tcpstatectl: %s: unknown state '%s'\n",
				cmd, bad);
			ts_print_state_names(stderr);
			exit(EXIT_USAGE);
		}
		/* Repeated, they add up, as repeated state clauses do in ss. */
		if (opt == OPT_STATE)
			r->state_mask |= mask;
		else
			r->not_state_mask |= mask;
		return true;
	case OPT_SPORT:
		port_opt(&r->sport, arg, "sport", cmd);
		return true;
	case OPT_DPORT:
		port_opt(&r->dport, arg, "dport", cmd);
		return true;
	case OPT_PORT:
		port_opt(&r->port, arg, "port", cmd);
		return true;
	case OPT_NOT_SPORT:
		port_opt(&r->not_sport, arg, "not-sport", cmd);
		return true;
	case OPT_NOT_DPORT:
		port_opt(&r->not_dport, arg, "not-dport", cmd);
		return true;
	case OPT_NOT_PORT:
		port_opt(&r->not_port, arg, "not-port", cmd);
		return true;
	case OPT_NOT_SRC:
		prefix_opt(&r->not_src, &r->has_not_src, arg, "not-src", cmd);
		return true;
	case OPT_NOT_DST:
		prefix_opt(&r->not_dst, &r->has_not_dst, arg, "not-dst", cmd);
		return true;
	case OPT_SRC:
		prefix_opt(&r->src, &r->has_src, arg, "src", cmd);
		return true;
	case OPT_DST:
		prefix_opt(&r->dst, &r->has_dst, arg, "dst", cmd);
		return true;
	case OPT_OLDER_THAN:
		r->min_age_ms = ctl_opt_duration(cmd, "older-than", arg);
		r->has_min_age = true;
		return true;
	case OPT_ALL_NETNS:
		r->flags |= TCPSTATE_F_ALL_NETNS;
		return true;
	}
	return false;
}

bool ts_owner_option(struct ts_request *r, int opt, const char *arg,
		     const char *cmd)
{
	switch (opt) {
	case OPT_PID:
	case OPT_NOT_PID:
		*(opt == OPT_PID ? &r->pid : &r->not_pid) = (uint32_t)
			ctl_opt_uint(cmd, opt == OPT_PID ? "pid" : "not-pid",
				     arg, 1, 0x7fffffff);
		break;
	case OPT_COMM:
	case OPT_NOT_COMM:
		if (!arg[0] || strlen(arg) >= sizeof(r->comm))
			ctl_usage_error(cmd,
					"--%s needs a name of 1 to %zu bytes (as in /proc/PID/comm)",
					opt == OPT_COMM ? "comm" : "not-comm",
					sizeof(r->comm) - 1);
		strcpy(opt == OPT_COMM ? r->comm : r->not_comm, arg);
		break;
	default:
		return false;
	}
	r->flags |= TCPSTATE_F_PROCESSES;
	return true;
}
