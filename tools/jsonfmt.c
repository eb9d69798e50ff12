// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "fmt.h"
#include "json.h"
#include "jsonfmt.h"
#include "owner.h"
#include "states.h"

static const char *family_name(uint8_t family)
{
	return family == AF_INET6 ? "inet6" : "inet";
}

/* A process name: 16 bytes, anything but NUL, NUL-terminated if shorter. */
static inline void json_comm(struct json_w *w, const char *key, size_t klen,
			     const char *comm, size_t size)
{
	json_w_strn(w, key, klen, comm, strnlen(comm, size));
}

void ts_json_owner(struct json_w *w, const struct ts_sock *sk)
{
	static const struct {
		uint32_t flag;
		const char *key;
		size_t klen;
	} flags[] = {
		{ TCPSTATE_OWNER_F_SOME_HIDDEN, JSON_KEY("some_hidden") },
		{ TCPSTATE_OWNER_F_KERNEL, JSON_KEY("kernel") },
		{ TCPSTATE_OWNER_F_NO_FD, JSON_KEY("no_fd") },
		{ TCPSTATE_OWNER_F_CLOSE_UNSEEN, JSON_KEY("closer_unknown") },
		{ TCPSTATE_OWNER_F_PARTIAL, JSON_KEY("owners_partial") },
	};
	uint32_t i, j;

	json_w_name(w, JSON_KEY("owner_kind"), ts_owner_kind_name(sk->owner_kind));
	json_w_u64(w, JSON_KEY("processes_total"), sk->procs_total);
	json_w_arr(w, JSON_KEY("processes"));
	for (i = 0; i < sk->nprocs; i++) {
		const struct ts_proc *p = &sk->procs[i];

		json_w_obj(w, JSON_ITEM);
		json_w_u64(w, JSON_KEY("pid"), p->pid);
		json_comm(w, JSON_KEY("comm"), p->comm, sizeof(p->comm));
		json_w_arr(w, JSON_KEY("fds"));
		for (j = 0; j < p->nfds; j++)
			json_w_u64(w, JSON_ITEM, p->fds[j]);
		json_w_arr_end(w);
		json_w_u64(w, JSON_KEY("fds_total"), p->fds_total);
		if (p->has_uid)
			json_w_u64(w, JSON_KEY("uid"), p->uid);
		json_w_obj_end(w);
	}
	json_w_arr_end(w);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (sk->owner_flags & flags[i].flag)
			json_w_bool(w, flags[i].key, flags[i].klen, true);
}

void ts_json_list_begin(struct ts_json_list *l, FILE *out, bool procs)
{
	json_w_init(&l->w, out);
	l->procs = procs;
	json_w_arr_lines(&l->w, JSON_ITEM);
}

void ts_json_list_sock(struct ts_json_list *l, const struct ts_sock *sk)
{
	struct json_w *w = &l->w;

	json_w_obj(w, JSON_ITEM);
	json_w_name(w, JSON_KEY("family"), family_name(sk->family));
	json_w_name(w, JSON_KEY("state"), ts_state_name(sk->state));
	json_w_addr(w, JSON_KEY("local_addr"), sk->family, sk->saddr);
	json_w_u64(w, JSON_KEY("local_port"), sk->sport);
	json_w_addr(w, JSON_KEY("remote_addr"), sk->family, sk->daddr);
	json_w_u64(w, JSON_KEY("remote_port"), sk->dport);
	json_w_u64(w, JSON_KEY("recv_q"), sk->recv_q);
	json_w_u64(w, JSON_KEY("send_q"), sk->send_q);
	json_w_u64(w, JSON_KEY("uid"), sk->uid);
	json_w_u64(w, JSON_KEY("inode"), sk->inode);
	json_w_u64(w, JSON_KEY("age_ms"), sk->age_ms);
	json_w_bool(w, JSON_KEY("age_is_lower_bound"),
		    sk->age_flags & TCPSTATE_AGE_F_LOWER_BOUND);
	json_w_u64(w, JSON_KEY("netns"), sk->netns);
	if (sk->has_acceptq) {
		json_w_u64(w, JSON_KEY("accept_queue"), sk->acceptq_len);
		json_w_u64(w, JSON_KEY("accept_backlog"), sk->acceptq_max);
	}
	if (l->procs)
		ts_json_owner(w, sk);
	json_w_obj_end(w);
	json_w_flush(w);
}

void ts_json_list_end(struct ts_json_list *l)
{
	json_w_arr_end(&l->w);
	json_w_endline(&l->w);
}

/* "states": {"ESTABLISHED": N, ...}: every state, zeros included. */
static void counts_states(struct json_w *w, const uint32_t *states)
{
	char key[32];
	unsigned int s;

	json_w_obj(w, JSON_KEY("states"));
	for (s = 1; s <= TCPSTATE_STATE_MAX; s++)
		json_w_u64(w, key, json_key(key, ts_state_name(s)), states[s]);
	json_w_obj_end(w);
}

/*
 * The key joins pid and comm for the table; a program wants them apart.
 * The key stays, for those that read it, and the new members come last,
 * so that text matched on the old order still matches.
 */
void ts_json_counts_group(struct json_w *w, const struct ts_counts *c)
{
	char key[TS_COUNTS_KEYLEN];

	ts_counts_group_key(key, sizeof(key), c);
	json_w_obj(w, JSON_ITEM);
	json_w_str(w, JSON_KEY("key"), key);
	json_w_u64(w, JSON_KEY("total"), c->total);
	counts_states(w, c->states);
	if (c->has_pid) {
		json_w_u64(w, JSON_KEY("pid"), c->pid);
		json_comm(w, JSON_KEY("comm"), c->comm, sizeof(c->comm));
	}
	json_w_obj_end(w);
}

void ts_json_counts(FILE *out, const struct ts_counts_ns *ns, size_t n_ns,
		    bool groups, size_t top, bool array)
{
	struct json_w w;
	size_t i, g;

	json_w_init(&w, out);
	if (array)
		json_w_arr(&w, JSON_ITEM);
	for (i = 0; i < n_ns; i++) {
		json_w_obj(&w, JSON_ITEM);
		json_w_u64(&w, JSON_KEY("netns"), ns[i].total.netns);
		json_w_u64(&w, JSON_KEY("total"), ns[i].total.total);
		counts_states(&w, ns[i].total.states);
		if (groups) {
			json_w_arr_lines(&w, JSON_KEY("groups"));
			for (g = 0; g < ns[i].n && g < top; g++)
				ts_json_counts_group(&w, &ns[i].groups[g]);
			json_w_arr_end(&w);
		}
		json_w_obj_end(&w);
	}
	if (array)
		json_w_arr_end(&w);
	json_w_endline(&w);
}

/*
 * One JSON object per line, one fwrite: events can come in tens of
 * thousands per second and the subscriber must keep up.
 */
void ts_json_event(FILE *out, const struct ts_event *ev)
{
	static time_t cached_sec = -1;
	static char tbuf[32];
	static size_t tlen;
	const struct ts_sock *sk = &ev->sk;
	time_t sec = (time_t)(ev->time_ns / 1000000000ULL);
	uint64_t frac;
	struct json_w w;
	struct tm tm;
	char *p;
	int i;

	/* Events come in bursts: format the date once per second. */
	if (sec != cached_sec) {
		gmtime_r(&sec, &tm);
		tlen = strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = sec;
	}
	json_w_init(&w, out);
	json_w_obj(&w, JSON_ITEM);
	json_w_name(&w, JSON_KEY("type"), ts_event_type_name(ev->type));
	json_w_u64(&w, JSON_KEY("seq"), ev->seq);
	p = json_w_raw(&w, JSON_KEY("time"), sizeof(tbuf) + 13);
	*p++ = '"';
	memcpy(p, tbuf, tlen);
	p += tlen;
	*p++ = '.';
	frac = ev->time_ns % 1000000000ULL;
	for (i = 8; i >= 0; i--) {
		p[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	p += 9;
	*p++ = 'Z';
	*p++ = '"';
	json_w_commit(&w, p);
	json_w_u64(&w, JSON_KEY("time_ns"), ev->time_ns);
	json_w_u64(&w, JSON_KEY("netns"), ev->netns);
	json_w_u64(&w, JSON_KEY("pid"), ev->pid);
	json_w_u64(&w, JSON_KEY("tid"), ev->tid);
	json_comm(&w, JSON_KEY("comm"), ev->comm, sizeof(ev->comm));
	json_w_u64(&w, JSON_KEY("uid"), ev->uid);
	json_w_name(&w, JSON_KEY("family"), family_name(sk->family));
	json_w_name(&w, JSON_KEY("state"), ts_state_name(sk->state));
	json_w_addr(&w, JSON_KEY("local_addr"), sk->family, sk->saddr);
	json_w_u64(&w, JSON_KEY("local_port"), sk->sport);
	json_w_addr(&w, JSON_KEY("remote_addr"), sk->family, sk->daddr);
	json_w_u64(&w, JSON_KEY("remote_port"), sk->dport);
	json_w_u64(&w, JSON_KEY("inode"), sk->inode);
	if (ev->has_unread)
		json_w_u64(&w, JSON_KEY("unread_bytes"), ev->unread);
	if (ev->has_rst)
		json_w_bool(&w, JSON_KEY("rst"), ev->rst);
	if (ev->has_sigpipe)
		json_w_bool(&w, JSON_KEY("sigpipe"), ev->sigpipe);
	json_w_obj_end(&w);
	json_w_endline(&w);
}

void ts_json_stats(FILE *out, const struct ts_stats *st)
{
	/* The module-wide figures: null where they were left out. */
	static const struct {
		const char *key;
		size_t klen;
	} host_wide[] = {
		{ JSON_KEY("track_entries") }, { JSON_KEY("track_capacity") },
		{ JSON_KEY("track_full") }, { JSON_KEY("transitions") },
		{ JSON_KEY("objects") }, { JSON_KEY("tw_records") },
	};
	const uint64_t hw[] = {
		st->track_entries, st->track_capacity, st->track_full,
		st->transitions, st->objects, st->tw_records,
	};
	struct json_w w;
	char key[32];
	unsigned int t, i;

	json_w_init(&w, out);
	json_w_obj(&w, JSON_ITEM);
	json_w_strn(&w, JSON_KEY("version"), st->version,
		    strnlen(st->version, sizeof(st->version)));
	json_w_u64(&w, JSON_KEY("netns"), st->netns);
	json_w_arr(&w, JSON_KEY("capabilities"));
	for (i = 0; i < ts_n_cap_names; i++)
		if (st->caps & ts_cap_names[i].bit)
			json_w_name(&w, JSON_ITEM, ts_cap_names[i].name);
	json_w_arr_end(&w);
	json_w_obj(&w, JSON_KEY("events"));
	for (t = 1; t <= TCPSTATE_EV_MAX; t++) {
		json_w_obj(&w, key, json_key(key, ts_event_type_name(t)));
		json_w_u64(&w, JSON_KEY("seen"), st->ev[t].seen);
		json_w_u64(&w, JSON_KEY("delivered"), st->ev[t].delivered);
		json_w_u64(&w, JSON_KEY("dropped"), st->ev[t].dropped);
		json_w_u64(&w, JSON_KEY("unheard"), st->ev[t].unheard);
		json_w_obj_end(&w);
	}
	json_w_obj_end(&w);
	json_w_u64(&w, JSON_KEY("event_seq"), st->event_seq);
	json_w_u64(&w, JSON_KEY("abort_on_close"), st->abort_on_close);
	json_w_bool(&w, JSON_KEY("host_wide"), !st->host_wide_absent);
	for (i = 0; i < sizeof(hw) / sizeof(hw[0]); i++) {
		if (st->host_wide_absent)
			json_w_null(&w, host_wide[i].key, host_wide[i].klen);
		else
			json_w_u64(&w, host_wide[i].key, host_wide[i].klen, hw[i]);
	}
	if (st->has_user_dumps) {
		json_w_u64(&w, JSON_KEY("user_dumps"), st->user_dumps);
		json_w_u64(&w, JSON_KEY("user_dump_bytes"), st->user_dump_bytes);
	}
	json_w_obj_end(&w);
	json_w_endline(&w);
}

void ts_json_version(FILE *out, const char *tool, const char *module)
{
	struct json_w w;

	json_w_init(&w, out);
	json_w_obj(&w, JSON_ITEM);
	json_w_str(&w, JSON_KEY("tool"), tool);
	if (module)
		json_w_str(&w, JSON_KEY("module"), module);
	else
		json_w_null(&w, JSON_KEY("module"));
	json_w_obj_end(&w);
	json_w_endline(&w);
}
