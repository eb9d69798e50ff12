// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Golden tests of diagnose's report: the printers of tools/diag_report.c
 * on the fixed findings of golden/diag_fixtures.h must write exactly the
 * bytes of golden/diag_expected.h, which diag-gen.sh made from the
 * printers of commit 870d9a6 (before diagnose's JSON went through the
 * JSON writer): the text report, and the JSON document of one namespace
 * and of several.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "../../tools/diag_report.h"
#include "golden/diag_fixtures.h"
#include "golden/diag_expected.h"

/* What diagnose prints for @d: as cmd_diagnose.c does. */
static void report(FILE *f, const struct dg_doc *d)
{
	static struct diag_json j;
	size_t k;

	if (d->kind == DG_TEXT) {
		diag_print_text(f, &d->ns[0], d->width);
		return;
	}
	diag_json_begin(&j, f, d->array);
	for (k = 0; k < d->n_ns; k++)
		diag_json_ns(&j, &d->ns[k]);
	diag_json_end(&j);
}

TEST(diag_golden_every_report)
{
	const size_t n = sizeof(diag_expected) / sizeof(diag_expected[0]);
	size_t i, len;
	char *buf;
	FILE *f;

	dg_count_evidence();
	CHECK_EQ(DG_NDOCS, n);
	for (i = 0; i < DG_NDOCS && i < n; i++) {
		CHECK_STR(dg_docs[i].name, diag_expected[i].name);
		f = open_memstream(&buf, &len);
		CHECK(f != NULL);
		if (!f)
			return;
		report(f, &dg_docs[i]);
		fclose(f);
		CHECK_BYTES(dg_docs[i].name, buf, len, diag_expected[i].bytes,
			    diag_expected[i].len);
		free(buf);
	}
}
