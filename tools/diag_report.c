// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "diag_report.h"
#include "duration.h"
#include "fmt.h"
#include "json.h"

void diag_wrap(FILE *out, const char *text, size_t indent, size_t used,
	       size_t width)
{
	const char *p = text, *w;
	size_t col = used, len;
	bool first = true;

	if (!width)
		width = 80;
	if (col < indent) {
		fprintf(out, "%*s", (int)(indent - col), "");
		col = indent;
	}
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - w);
		if (!first && col + 1 + len > width) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
			first = true;
		}
		if (!first) {
			fputc(' ', out);
			col++;
		}
		/* A process name may hold anything: print it safely. */
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)w[i];

			fputc(c >= 0x20 && c != 0x7f ? c : '?', out);
		}
		col += len;
		first = false;
	}
	fputc('\n', out);
}

/* "CRITICAL": the severity's name in capitals, as the report heads a finding. */
static void upper_severity(FILE *out, enum diag_severity s)
{
	const char *p;

	for (p = diag_severity_name(s); *p; p++)
		fputc(toupper((unsigned char)*p), out);
}

/* An evidence value as a person reads it. */
static void format_value(char *buf, size_t len, const struct diag_evidence *e)
{
	size_t used = 0;
	unsigned int i;
	char *end;

	buf[0] = '\0';
	switch (e->type) {
	case DIAG_EV_U64:
		snprintf(buf, len, "%" PRIu64 "%s%s", e->u,
			 e->unit && strcmp(e->unit, "%") ? " " : "",
			 e->unit ? e->unit : "");
		break;
	case DIAG_EV_I64:
		snprintf(buf, len, "%" PRId64 "%s%s", e->i,
			 e->unit && strcmp(e->unit, "%") ? " " : "",
			 e->unit ? e->unit : "");
		break;
	case DIAG_EV_MS:
		if (len >= 32) {
			end = ts_fmt_duration(buf, e->u);
			*end = '\0';
		}
		break;
	case DIAG_EV_BOOL:
		snprintf(buf, len, "%s", e->b ? "yes" : "no");
		break;
	case DIAG_EV_STR:
		snprintf(buf, len, "%s", e->str);
		break;
	case DIAG_EV_U64S:
		for (i = 0; i < e->n && used + 24 < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s%" PRIu64,
						 i ? ", " : "", e->list[i]);
		if (e->total > e->n && used + 24 < len)
			snprintf(buf + used, len - used, " (+%" PRIu64 " more)",
				 e->total - e->n);
		break;
	case DIAG_EV_STRS:
		for (i = 0; i < e->n && used + DIAG_STR_LEN + 4 < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 i ? ", " : "", e->strs[i]);
		if (e->total > e->n && used + 24 < len)
			snprintf(buf + used, len - used, " (+%" PRIu64 " more)",
				 e->total - e->n);
		break;
	}
}

static void endpoint(char *buf, int family, const uint8_t *addr,
		     uint16_t port)
{
	*fmt_endpoint(buf, family, addr, port) = '\0';
}

static void print_finding_text(FILE *out, const struct diag_finding *f,
			       size_t width)
{
	char value[DIAG_STRS_MAX * (DIAG_STR_LEN + 2) + 64], ep[64];
	char culprit[256];
	size_t used = 0;
	unsigned int i;

	upper_severity(out, f->severity);
	fprintf(out, " %s\n", diag_rule_name(f->rule));
	diag_wrap(out, f->summary, 2, 0, width);
	culprit[0] = '\0';
	if (f->has_process)
		used += (size_t)snprintf(culprit + used, sizeof(culprit) - used,
					 "process %u/%s", f->process.pid,
					 f->process.comm);
	if (f->has_listener) {
		endpoint(ep, f->lfamily, f->laddr, f->lport);
		used += (size_t)snprintf(culprit + used, sizeof(culprit) - used,
					 "%slistener %s", used ? ", " : "", ep);
	}
	if (f->has_peer && used < sizeof(culprit)) {
		endpoint(ep, f->pfamily, f->paddr, f->pport);
		snprintf(culprit + used, sizeof(culprit) - used, "%speer %s",
			 used ? ", " : "", ep);
	}
	if (culprit[0]) {
		fputs("  Culprit: ", out);
		diag_wrap(out, culprit, 4, 11, width);
	}
	fputs("  Evidence:\n", out);
	for (i = 0; i < f->nevidence; i++) {
		const struct diag_evidence *e = &f->evidence[i];
		int n;

		format_value(value, sizeof(value), e);
		n = fprintf(out, "    %-38s", e->label);
		if (n > 42) {
			fputc('\n', out);
			n = 0;
		}
		diag_wrap(out, value, 43, (size_t)(n > 0 ? n : 0), width);
	}
	fputs("  What is happening:\n", out);
	diag_wrap(out, f->explanation ? f->explanation : "", 4, 0, width);
	fputs("  Fix:\n", out);
	diag_wrap(out, f->advice, 4, 0, width);
}

void diag_print_text(FILE *out, const struct diag_report *r, size_t width)
{
	const struct diag_result *res = r->result;
	size_t i, shown = 0, below = 0, crit = 0, warn = 0, info = 0, used;
	char head[200], dur[32];

	for (i = 0; i < res->n; i++) {
		const struct diag_finding *f = &res->findings[i];

		if (f->severity < r->min) {
			below++;
			continue;
		}
		shown++;
		crit += f->severity == DIAG_CRITICAL;
		warn += f->severity == DIAG_WARNING;
		info += f->severity == DIAG_INFO;
	}
	if (r->interval_ms) {
		*ts_fmt_duration(dur, r->interval_ms) = '\0';
		used = (size_t)snprintf(head, sizeof(head), "netns %u, watched %s: ",
					r->netns, dur);
	} else {
		used = (size_t)snprintf(head, sizeof(head),
					"netns %u, one snapshot: ", r->netns);
	}
	if (!shown)
		used += (size_t)snprintf(head + used, sizeof(head) - used,
					 "no finding");
	else
		used += (size_t)snprintf(head + used, sizeof(head) - used,
					 "%zu finding%s (%zu critical, %zu warning, %zu info)",
					 shown, shown == 1 ? "" : "s", crit, warn,
					 info);
	if (below && used < sizeof(head))
		snprintf(head + used, sizeof(head) - used, "; %zu more below %s",
			 below, diag_severity_name(r->min));
	diag_wrap(out, head, 0, 0, width);
	for (i = 0; i < res->n; i++) {
		if (res->findings[i].severity < r->min)
			continue;
		fputc('\n', out);
		print_finding_text(out, &res->findings[i], width);
	}
	if (res->nskipped) {
		fputs("\nSkipped:\n", out);
		for (i = 0; i < res->nskipped; i++) {
			int n = fprintf(out, "  %s: ",
					diag_rule_name(res->skipped[i].rule));

			diag_wrap(out, res->skipped[i].reason, 4,
				  (size_t)(n > 0 ? n : 0), width);
		}
	}
}

/*
 * The key of evidence @e's member, with @suffix ("_total" for a list's
 * count): the evidence keys are the rules' own names, nothing to escape.
 */
static size_t evidence_key(char *key, const struct diag_evidence *e,
			   const char *suffix)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%s", e->key, suffix);
	return json_key(key, name);
}

static void json_evidence(struct json_w *w, const struct diag_evidence *e)
{
	char key[64 + 4];
	size_t klen = evidence_key(key, e, "");
	unsigned int i;

	switch (e->type) {
	case DIAG_EV_U64:
	case DIAG_EV_MS:
		json_w_u64(w, key, klen, e->u);
		return;
	case DIAG_EV_I64:
		json_w_i64(w, key, klen, e->i);
		return;
	case DIAG_EV_BOOL:
		json_w_bool(w, key, klen, e->b);
		return;
	case DIAG_EV_STR:
		json_w_strn(w, key, klen, e->str, strnlen(e->str, sizeof(e->str)));
		return;
	case DIAG_EV_U64S:
		json_w_arr(w, key, klen);
		for (i = 0; i < e->n; i++)
			json_w_u64(w, JSON_ITEM, e->list[i]);
		break;
	case DIAG_EV_STRS:
		json_w_arr(w, key, klen);
		for (i = 0; i < e->n; i++)
			json_w_strn(w, JSON_ITEM, e->strs[i],
				    strnlen(e->strs[i], sizeof(e->strs[i])));
		break;
	}
	/* A list: how many entries there were, beside the ones kept. */
	json_w_arr_end(w);
	klen = evidence_key(key, e, "_total");
	json_w_u64(w, key, klen, e->total);
}

static void json_finding(struct json_w *w, const struct diag_finding *f)
{
	unsigned int i;

	json_w_obj(w, JSON_ITEM);
	json_w_name(w, JSON_KEY("rule"), diag_rule_name(f->rule));
	json_w_name(w, JSON_KEY("severity"), diag_severity_name(f->severity));
	json_w_str(w, JSON_KEY("summary"), f->summary);
	json_w_str(w, JSON_KEY("explanation"),
		   f->explanation ? f->explanation : "");
	json_w_str(w, JSON_KEY("advice"), f->advice);
	if (f->has_process) {
		json_w_obj(w, JSON_KEY("process"));
		json_w_u64(w, JSON_KEY("pid"), f->process.pid);
		json_w_strn(w, JSON_KEY("comm"), f->process.comm,
			    strnlen(f->process.comm, sizeof(f->process.comm)));
		json_w_obj_end(w);
	}
	if (f->has_listener) {
		json_w_obj(w, JSON_KEY("listener"));
		json_w_addr(w, JSON_KEY("local_addr"), f->lfamily, f->laddr);
		json_w_u64(w, JSON_KEY("local_port"), f->lport);
		json_w_obj_end(w);
	}
	if (f->has_peer) {
		json_w_obj(w, JSON_KEY("peer"));
		json_w_addr(w, JSON_KEY("remote_addr"), f->pfamily, f->paddr);
		json_w_u64(w, JSON_KEY("remote_port"), f->pport);
		json_w_obj_end(w);
	}
	json_w_obj(w, JSON_KEY("evidence"));
	for (i = 0; i < f->nevidence; i++)
		json_evidence(w, &f->evidence[i]);
	json_w_obj_end(w);
	json_w_obj_end(w);
}

void diag_json_begin(struct diag_json *j, FILE *out, bool array)
{
	json_w_init(&j->w, out);
	j->array = array;
	if (array)
		json_w_arr(&j->w, JSON_ITEM);
}

void diag_json_ns(struct diag_json *j, const struct diag_report *r)
{
	const struct diag_result *res = r->result;
	struct json_w *w = &j->w;
	size_t i;

	json_w_obj(w, JSON_ITEM);
	json_w_u64(w, JSON_KEY("netns"), r->netns);
	json_w_u64(w, JSON_KEY("interval_ms"), r->interval_ms);
	json_w_arr_lines(w, JSON_KEY("findings"));
	for (i = 0; i < res->n; i++)
		if (res->findings[i].severity >= r->min)
			json_finding(w, &res->findings[i]);
	json_w_arr_end(w);
	json_w_arr(w, JSON_KEY("skipped"));
	for (i = 0; i < res->nskipped; i++) {
		json_w_obj(w, JSON_ITEM);
		json_w_name(w, JSON_KEY("rule"),
			    diag_rule_name(res->skipped[i].rule));
		json_w_str(w, JSON_KEY("reason"), res->skipped[i].reason);
		json_w_obj_end(w);
	}
	json_w_arr_end(w);
	json_w_obj_end(w);
	json_w_flush(w);
}

void diag_json_end(struct diag_json *j)
{
	if (j->array)
		json_w_arr_end(&j->w);
	json_w_endline(&j->w);
}
