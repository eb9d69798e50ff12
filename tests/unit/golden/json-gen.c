// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Prints json_expected.h: the bytes a commit's own JSON printers write for
 * each document of json_fixtures.h. Built by json-gen.sh against that
 * commit's tools/, once per part (-DGEN_LIST, ... -DGEN_MAIN): each part
 * includes one command's source to reach its static print_json(), which
 * writes to stdout, here pointed at a memory stream. The command's source
 * comes first in its part: it may define feature macros (_GNU_SOURCE).
 */

/* Runs @stmt with stdout pointed at @out. */
#define TO_STREAM(out, stmt)                                                \
	do {                                                                \
		FILE *saved_ = stdout;                                      \
		stdout = (out);                                             \
		stmt;                                                       \
		fflush(stdout);                                             \
		stdout = saved_;                                            \
	} while (0)

#ifdef GEN_LIST
#include "cmd_list.c"
#include "json_fixtures.h"

/* As list_run(): "[" before the dump, emit() for each socket, "]" after. */
static void list_doc(const struct golden_doc *d)
{
	struct list_ctx c = { .fmt = FMT_JSON, .procs = d->procs };
	size_t k;

	putchar('[');
	for (k = 0; k < d->nsocks; k++) {
		print_json(d->socks[k], &c);
		c.n++;
	}
	printf("%s]\n", c.n ? "\n" : "");
}

void gen_list(FILE *out, const struct golden_doc *d)
{
	TO_STREAM(out, list_doc(d));
}
#endif

#ifdef GEN_COUNTS
#include "cmd_counts.c"
#include "json_fixtures.h"

void gen_counts(FILE *out, const struct golden_doc *d)
{
	struct ns_counts ns[GOLDEN_MAX_NS];
	struct group groups[GOLDEN_MAX_NS][16];
	struct counts_ctx x = { .by = d->by, .ns = ns, .n_ns = d->n_ns };
	size_t k, g;

	for (k = 0; k < d->n_ns; k++) {
		ns[k].total = d->totals[k];
		ns[k].groups = groups[k];
		ns[k].n = ns[k].cap = d->ngroups[k];
		for (g = 0; g < d->ngroups[k]; g++)
			groups[k][g].c = d->groups[k][g];
	}
	TO_STREAM(out, print_json(&x, d->top, d->array));
}
#endif

#ifdef GEN_EVENTS
#include "cmd_events.c"
#include "json_fixtures.h"

void gen_event(FILE *out, const struct golden_doc *d)
{
	TO_STREAM(out, print_json(d->ev));
}
#endif

#ifdef GEN_STATS
#include "cmd_stats.c"
#include "json_fixtures.h"

void gen_stats(FILE *out, const struct golden_doc *d)
{
	TO_STREAM(out, print_json(d->st));
}
#endif

#ifdef GEN_VERSION
#include "cmd_version.c"
#include "json_fixtures.h"

/* version_json() asks the module first: its printing part, as it is. */
static void version_doc(const struct golden_doc *d)
{
	printf("{\"tool\": ");
	json_str(stdout, d->tool);
	printf(", \"module\": ");
	if (!d->module)
		printf("null");
	else
		json_str(stdout, d->module);
	printf("}\n");
}

void gen_version(FILE *out, const struct golden_doc *d)
{
	TO_STREAM(out, version_doc(d));
}
#endif

#ifdef GEN_MAIN
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"
#include "json_fixtures.h"
#include "literal.h"

void gen_list(FILE *out, const struct golden_doc *d);
void gen_counts(FILE *out, const struct golden_doc *d);
void gen_event(FILE *out, const struct golden_doc *d);
void gen_stats(FILE *out, const struct golden_doc *d);
void gen_version(FILE *out, const struct golden_doc *d);

int main(int argc, char **argv)
{
	struct golden_doc d;
	char *buf;
	size_t len, i;
	FILE *f;
	static void (*const gen[])(FILE *, const struct golden_doc *) = {
		[G_LIST] = gen_list, [G_COUNTS] = gen_counts,
		[G_EVENT] = gen_event, [G_STATS] = gen_stats,
		[G_VERSION] = gen_version,
	};

	golden_begin("json-gen.sh", "JSON printers", argc > 1 ? argv[1] : "?",
		     "document of json_fixtures.h", "json_expected");
	for (i = 0; golden_doc(i, &d); i++) {
		f = open_memstream(&buf, &len);
		if (!f)
			return 1;
		gen[d.kind](f, &d);
		fclose(f);
		golden_entry(d.name, buf, len);
		free(buf);
	}
	golden_end();
	return 0;
}
#endif
