// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Golden tests of every JSON document the tool prints: the printers of
 * tools/jsonfmt.c on the fixed records of golden/json_fixtures.h must write
 * exactly the bytes of golden/json_expected.h, which json-gen.sh made from
 * the printers of commit 1bea987 (before the single JSON writer): key
 * order, spacing, escapes, everything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../tools/jsonfmt.h"
#include "golden/json_fixtures.h"
#include "golden/json_expected.h"

static void render(FILE *f, const struct golden_doc *d)
{
	struct ts_counts_ns ns[GOLDEN_MAX_NS];
	struct ts_counts groups[GOLDEN_MAX_NS][16];
	struct ts_json_list l;
	size_t k;

	switch (d->kind) {
	case G_LIST:
		ts_json_list_begin(&l, f, d->procs);
		for (k = 0; k < d->nsocks; k++)
			ts_json_list_sock(&l, d->socks[k]);
		ts_json_list_end(&l);
		break;
	case G_COUNTS:
		for (k = 0; k < d->n_ns; k++) {
			ns[k].total = d->totals[k];
			memcpy(groups[k], d->groups[k],
			       d->ngroups[k] * sizeof(groups[k][0]));
			ns[k].groups = groups[k];
			ns[k].n = ns[k].cap = d->ngroups[k];
		}
		ts_json_counts(f, ns, d->n_ns, d->by != 0, d->top, d->array);
		break;
	case G_EVENT:
		ts_json_event(f, d->ev);
		break;
	case G_STATS:
		ts_json_stats(f, d->st);
		break;
	case G_VERSION:
		ts_json_version(f, d->tool, d->module);
		break;
	}
}

TEST(json_golden_every_document)
{
	const size_t n = sizeof(json_expected) / sizeof(json_expected[0]);
	struct golden_doc d;
	size_t i;
	char *buf;
	size_t len;
	FILE *f;

	for (i = 0; golden_doc(i, &d); i++) {
		CHECK(i < n);
		if (i >= n)
			break;
		CHECK_STR(d.name, json_expected[i].name);
		f = open_memstream(&buf, &len);
		CHECK(f != NULL);
		if (!f)
			return;
		render(f, &d);
		fclose(f);
		CHECK_BYTES(d.name, buf, len, json_expected[i].bytes,
			    json_expected[i].len);
		free(buf);
	}
	CHECK_EQ(i, n);
}
