// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "parse.h"

/* Copy a NUL-terminated string attribute, truncating to @size. */
static int get_str(const struct nlattr *a, char *dst, size_t size)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return -EINVAL;
	snprintf(dst, size, "%s", mnl_attr_get_str(a));
	return 0;
}

static int get_u8(const struct nlattr *a, uint8_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return -EINVAL;
	*v = mnl_attr_get_u8(a);
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EINVAL;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return -EINVAL;
	*v = mnl_attr_get_u64(a);
	return 0;
}

static int parse_evstat(const struct nlattr *nest, struct ts_stats *st)
{
	struct ts_evstats tmp = { 0 };
	const struct nlattr *a;
	uint8_t type = 0;
	int ret = 0;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case TCPSTATE_EVSTAT_A_TYPE:
			ret = get_u8(a, &type);
			break;
		case TCPSTATE_EVSTAT_A_SEEN:
			ret = get_u64(a, &tmp.seen);
			break;
		case TCPSTATE_EVSTAT_A_DELIVERED:
			ret = get_u64(a, &tmp.delivered);
			break;
		case TCPSTATE_EVSTAT_A_DROPPED:
			ret = get_u64(a, &tmp.dropped);
			break;
		case TCPSTATE_EVSTAT_A_UNHEARD:
			ret = get_u64(a, &tmp.unheard);
			break;
		}
		if (ret)
			return ret;
	}
	/* An event type this tool does not know is ignored. */
	if (type >= 1 && type <= TCPSTATE_EV_MAX)
		st->ev[type] = tmp;
	return 0;
}

static int parse_stats_nest(const struct nlattr *nest, struct ts_stats *st)
{
	const struct nlattr *a;
	int ret = 0;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EINVAL;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case TCPSTATE_STATS_A_EVENT_SEQ:
			ret = get_u64(a, &st->event_seq);
			break;
		case TCPSTATE_STATS_A_ABORT_ON_CLOSE:
			ret = get_u64(a, &st->abort_on_close);
			break;
		case TCPSTATE_STATS_A_EVTYPE:
			ret = parse_evstat(a, st);
			break;
		case TCPSTATE_STATS_A_TRACK_ENTRIES:
			ret = get_u64(a, &st->track_entries);
			break;
		case TCPSTATE_STATS_A_TRACK_CAPACITY:
			ret = get_u64(a, &st->track_capacity);
			break;
		case TCPSTATE_STATS_A_TRACK_FULL:
			ret = get_u64(a, &st->track_full);
			break;
		case TCPSTATE_STATS_A_TRANSITIONS:
			ret = get_u64(a, &st->transitions);
			break;
		case TCPSTATE_STATS_A_OBJECTS:
			ret = get_u64(a, &st->objects);
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

int ts_parse_stats(const void *attrs, size_t len, struct ts_stats *st)
{
	const struct nlattr *attr;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	mnl_attr_for_each_payload(attrs, len) {
		switch (mnl_attr_get_type(attr)) {
		case TCPSTATE_A_VERSION:
			ret = get_str(attr, st->version, sizeof(st->version));
			break;
		case TCPSTATE_A_CAPS:
			ret = get_u32(attr, &st->caps);
			break;
		case TCPSTATE_A_NETNS:
			ret = get_u32(attr, &st->netns);
			break;
		case TCPSTATE_A_STATS:
			ret = parse_stats_nest(attr, st);
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}
