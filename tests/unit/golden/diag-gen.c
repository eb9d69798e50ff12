// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Prints diag_expected.h: the bytes a commit's diagnose printers
 * (diag_print_text, and diag_print_json: one namespace's object, without
 * a newline) write for each report of diag_fixtures.h. Built by
 * diag-gen.sh against that commit's tools/.
 */
#include <stdio.h>
#include <stdlib.h>

#include "diag_report.h"
#include "diag_fixtures.h"
#include "literal.h"

/*
 * The document around the objects, as the command prints it: a newline
 * after the object; with --all-netns the objects in an array, after "["
 * and ", " and before "]" (the layout of counts --all-netns --json and
 * of the JSON writer's arrays; before it, diagnose put ",\n" between them).
 */
static void doc(FILE *f, const struct dg_doc *d)
{
	size_t k;

	if (d->kind == DG_TEXT) {
		diag_print_text(f, &d->ns[0], d->width);
		return;
	}
	if (d->array)
		fputc('[', f);
	for (k = 0; k < d->n_ns; k++) {
		if (k)
			fputs(", ", f);
		diag_print_json(f, &d->ns[k]);
	}
	fputs(d->array ? "]\n" : "\n", f);
}

int main(int argc, char **argv)
{
	char *buf;
	size_t len, i;
	FILE *f;

	dg_count_evidence();
	golden_begin("diag-gen.sh", "diagnose printers",
		     argc > 1 ? argv[1] : "?", "report of diag_fixtures.h",
		     "diag_expected");
	for (i = 0; i < DG_NDOCS; i++) {
		f = open_memstream(&buf, &len);
		if (!f)
			return 1;
		doc(f, &dg_docs[i]);
		fclose(f);
		golden_entry(dg_docs[i].name, buf, len);
		free(buf);
	}
	golden_end();
	return 0;
}
