// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "addr.h"
#include "fmt.h"
#include "json.h"
#include "jsonfmt.h"
#include "owner.h"
#include "states.h"

static const char *family_name(uint8_t family)
{
	return family == AF_INET6 ? "inet6" : "inet";
}

void ts_json_list_begin(struct ts_json_list *l, FILE *out, bool procs)
{
	l->out = out;
	l->procs = procs;
	l->n = 0;
	fputc('[', out);
}

void ts_json_list_sock(struct ts_json_list *l, const struct ts_sock *sk)
{
	char laddr[TS_ADDRSTRLEN], raddr[TS_ADDRSTRLEN];
	FILE *out = l->out;

	ts_format_addr(laddr, sizeof(laddr), sk->family, sk->saddr);
	ts_format_addr(raddr, sizeof(raddr), sk->family, sk->daddr);
	fprintf(out, "%s\n  {\"family\": \"%s\", \"state\": \"%s\", "
	       "\"local_addr\": \"%s\", \"local_port\": %u, "
	       "\"remote_addr\": \"%s\", \"remote_port\": %u, "
	       "\"recv_q\": %u, \"send_q\": %u, \"uid\": %u, "
	       "\"inode\": %llu, \"age_ms\": %llu, "
	       "\"age_is_lower_bound\": %s, \"netns\": %u",
	       l->n ? "," : "", family_name(sk->family),
	       ts_state_name(sk->state), laddr, sk->sport, raddr, sk->dport,
	       sk->recv_q, sk->send_q, sk->uid,
	       (unsigned long long)sk->inode, (unsigned long long)sk->age_ms,
	       sk->age_flags & TCPSTATE_AGE_F_LOWER_BOUND ? "true" : "false",
	       sk->netns);
	if (sk->has_acceptq)
		fprintf(out, ", \"accept_queue\": %u, \"accept_backlog\": %u",
		       sk->acceptq_len, sk->acceptq_max);
	if (l->procs)
		ts_json_owner(out, sk);
	fputc('}', out);
	l->n++;
}

void ts_json_list_end(struct ts_json_list *l)
{
	fprintf(l->out, "%s]\n", l->n ? "\n" : "");
}

void ts_json_counts(FILE *out, const struct ts_counts_ns *ns, size_t n_ns,
		    bool groups, size_t top, bool array)
{
	size_t i, g;

	if (array)
		fputc('[', out);
	for (i = 0; i < n_ns; i++) {
		fprintf(out, "%s{\"netns\": %u, \"total\": %u, \"states\": ",
		       i ? ", " : "", ns[i].total.netns, ns[i].total.total);
		ts_json_counts_states(out, ns[i].total.states);
		if (groups) {
			fprintf(out, ", \"groups\": [");
			for (g = 0; g < ns[i].n && g < top; g++) {
				fprintf(out, "%s\n  ", g ? "," : "");
				ts_json_counts_group(out, &ns[i].groups[g]);
			}
			fprintf(out, "%s]", ns[i].n ? "\n" : "");
		}
		fputc('}', out);
	}
	if (array)
		fputc(']', out);
	fputc('\n', out);
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* One JSON object per line, built in one buffer: events can come in tens
 * of thousands per second and the subscriber must keep up.
 */
void ts_json_event(FILE *out, const struct ts_event *ev)
{
	static time_t cached_sec = -1;
	static char tbuf[32];
	const struct ts_sock *sk = &ev->sk;
	time_t sec = (time_t)(ev->time_ns / 1000000000ULL);
	char line[1024], *p = line;
	uint64_t frac;
	int i;
	struct tm tm;

	/* Events come in bursts: format the date once per second. */
	if (sec != cached_sec) {
		gmtime_r(&sec, &tm);
		strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = sec;
	}
	p = put_str(p, "{\"type\": \"");
	p = put_str(p, ts_event_type_name(ev->type));
	p = put_str(p, "\", \"seq\": ");
	p = fmt_u64(p, ev->seq);
	p = put_str(p, ", \"time\": \"");
	p = put_str(p, tbuf);
	*p++ = '.';
	frac = ev->time_ns % 1000000000ULL;
	for (i = 8; i >= 0; i--) {
		p[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	p += 9;
	p = put_str(p, "Z\"");
	p = put_str(p, ", \"time_ns\": ");
	p = fmt_u64(p, ev->time_ns);
	p = put_str(p, ", \"netns\": ");
	p = fmt_u64(p, ev->netns);
	p = put_str(p, ", \"pid\": ");
	p = fmt_u64(p, ev->pid);
	p = put_str(p, ", \"tid\": ");
	p = fmt_u64(p, ev->tid);
	p = put_str(p, ", \"comm\": ");
	/* The name may hold anything: 15 bytes escape to at most 92. */
	p = json_str_buf(p, 100, ev->comm);
	p = put_str(p, ", \"uid\": ");
	p = fmt_u64(p, ev->uid);
	p = put_str(p, sk->family == AF_INET6 ? ", \"family\": \"inet6\"" :
					       ", \"family\": \"inet\"");
	p = put_str(p, ", \"state\": \"");
	p = put_str(p, ts_state_name(sk->state));
	p = put_str(p, "\", \"local_addr\": \"");
	p = fmt_addr(p, sk->family, sk->saddr);
	p = put_str(p, "\", \"local_port\": ");
	p = fmt_u64(p, sk->sport);
	p = put_str(p, ", \"remote_addr\": \"");
	p = fmt_addr(p, sk->family, sk->daddr);
	p = put_str(p, "\", \"remote_port\": ");
	p = fmt_u64(p, sk->dport);
	p = put_str(p, ", \"inode\": ");
	p = fmt_u64(p, sk->inode);
	if (ev->has_unread) {
		p = put_str(p, ", \"unread_bytes\": ");
		p = fmt_u64(p, ev->unread);
	}
	if (ev->has_rst)
		p = put_str(p, ev->rst ? ", \"rst\": true" : ", \"rst\": false");
	if (ev->has_sigpipe)
		p = put_str(p, ev->sigpipe ? ", \"sigpipe\": true" :
					     ", \"sigpipe\": false");
	p = put_str(p, "}\n");
	fwrite(line, 1, (size_t)(p - line), out);
}

void ts_json_stats(FILE *out, const struct ts_stats *st)
{
	unsigned int t, i;

	fprintf(out, "{\"version\": \"%s\", \"netns\": %u, \"capabilities\": [",
	       st->version, st->netns);
	for (i = 0, t = 0; i < ts_n_cap_names; i++)
		if (st->caps & ts_cap_names[i].bit)
			fprintf(out, "%s\"%s\"", t++ ? ", " : "",
				ts_cap_names[i].name);
	fprintf(out, "], \"events\": {");
	for (t = 1; t <= TCPSTATE_EV_MAX; t++)
		fprintf(out, "%s\"%s\": {\"seen\": %llu, \"delivered\": %llu, "
		       "\"dropped\": %llu, \"unheard\": %llu}",
		       t > 1 ? ", " : "", ts_event_type_name(t),
		       (unsigned long long)st->ev[t].seen,
		       (unsigned long long)st->ev[t].delivered,
		       (unsigned long long)st->ev[t].dropped,
		       (unsigned long long)st->ev[t].unheard);
	fprintf(out, "}, \"event_seq\": %llu, \"abort_on_close\": %llu, "
	       "\"host_wide\": %s",
	       (unsigned long long)st->event_seq,
	       (unsigned long long)st->abort_on_close,
	       st->host_wide_absent ? "false" : "true");
	if (st->host_wide_absent)
		fprintf(out, ", \"track_entries\": null, \"track_capacity\": null, "
		       "\"track_full\": null, \"transitions\": null, "
		       "\"objects\": null, \"tw_records\": null");
	else
		fprintf(out, ", \"track_entries\": %llu, \"track_capacity\": %llu, "
		       "\"track_full\": %llu, \"transitions\": %llu, "
		       "\"objects\": %llu, \"tw_records\": %llu",
		       (unsigned long long)st->track_entries,
		       (unsigned long long)st->track_capacity,
		       (unsigned long long)st->track_full,
		       (unsigned long long)st->transitions,
		       (unsigned long long)st->objects,
		       (unsigned long long)st->tw_records);
	if (st->has_user_dumps)
		fprintf(out, ", \"user_dumps\": %u, \"user_dump_bytes\": %llu",
		       st->user_dumps, (unsigned long long)st->user_dump_bytes);
	fprintf(out, "}\n");
}

void ts_json_version(FILE *out, const char *tool, const char *module)
{
	fprintf(out, "{\"tool\": ");
	json_str(out, tool);
	fprintf(out, ", \"module\": ");
	if (!module)
		fprintf(out, "null");
	else
		json_str(out, module);
	fprintf(out, "}\n");
}
