// SPDX-License-Identifier: GPL-2.0 OR MIT
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

static const char *upper_severity(enum diag_severity s)
{
	switch (s) {
	case DIAG_CRITICAL:
		return "CRITICAL";
	case DIAG_WARNING:
		return "WARNING";
	default:
		return "INFO";
	}
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

	fprintf(out, "%s %s\n", upper_severity(f->severity),
		diag_rule_name(f->rule));
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

static void json_addr(FILE *out, const char *key, int family,
		      const uint8_t *addr)
{
	char buf[64];

	*fmt_addr(buf, family, addr) = '\0';
	fprintf(out, "\"%s\": \"%s\"", key, buf);
}

static void json_evidence(FILE *out, const struct diag_evidence *e)
{
	unsigned int i;

	fprintf(out, "\"%s\": ", e->key);
	switch (e->type) {
	case DIAG_EV_U64:
	case DIAG_EV_MS:
		fprintf(out, "%" PRIu64, e->u);
		break;
	case DIAG_EV_I64:
		fprintf(out, "%" PRId64, e->i);
		break;
	case DIAG_EV_BOOL:
		fputs(e->b ? "true" : "false", out);
		break;
	case DIAG_EV_STR:
		json_str(out, e->str);
		break;
	case DIAG_EV_U64S:
		fputc('[', out);
		for (i = 0; i < e->n; i++)
			fprintf(out, "%s%" PRIu64, i ? ", " : "", e->list[i]);
		fprintf(out, "], \"%s_total\": %" PRIu64, e->key, e->total);
		break;
	case DIAG_EV_STRS:
		fputc('[', out);
		for (i = 0; i < e->n; i++) {
			if (i)
				fputs(", ", out);
			json_str(out, e->strs[i]);
		}
		fprintf(out, "], \"%s_total\": %" PRIu64, e->key, e->total);
		break;
	}
}

static void print_finding_json(FILE *out, const struct diag_finding *f)
{
	unsigned int i;

	fprintf(out, "{\"rule\": \"%s\", \"severity\": \"%s\", \"summary\": ",
		diag_rule_name(f->rule), diag_severity_name(f->severity));
	json_str(out, f->summary);
	fputs(", \"explanation\": ", out);
	json_str(out, f->explanation ? f->explanation : "");
	fputs(", \"advice\": ", out);
	json_str(out, f->advice);
	if (f->has_process) {
		fprintf(out, ", \"process\": {\"pid\": %u, \"comm\": ",
			f->process.pid);
		json_str(out, f->process.comm);
		fputc('}', out);
	}
	if (f->has_listener) {
		fputs(", \"listener\": {", out);
		json_addr(out, "local_addr", f->lfamily, f->laddr);
		fprintf(out, ", \"local_port\": %u}", f->lport);
	}
	if (f->has_peer) {
		fputs(", \"peer\": {", out);
		json_addr(out, "remote_addr", f->pfamily, f->paddr);
		fprintf(out, ", \"remote_port\": %u}", f->pport);
	}
	fputs(", \"evidence\": {", out);
	for (i = 0; i < f->nevidence; i++) {
		if (i)
			fputs(", ", out);
		json_evidence(out, &f->evidence[i]);
	}
	fputs("}}", out);
}

void diag_print_json(FILE *out, const struct diag_report *r)
{
	const struct diag_result *res = r->result;
	size_t i, n = 0;

	fprintf(out, "{\"netns\": %u, \"interval_ms\": %" PRIu64 ", \"findings\": [",
		r->netns, r->interval_ms);
	for (i = 0; i < res->n; i++) {
		if (res->findings[i].severity < r->min)
			continue;
		fputs(n++ ? ",\n  " : "\n  ", out);
		print_finding_json(out, &res->findings[i]);
	}
	fprintf(out, "%s], \"skipped\": [", n ? "\n" : "");
	for (i = 0; i < res->nskipped; i++) {
		fprintf(out, "%s{\"rule\": \"%s\", \"reason\": ", i ? ", " : "",
			diag_rule_name(res->skipped[i].rule));
		json_str(out, res->skipped[i].reason);
		fputc('}', out);
	}
	fputs("]}", out);
}
