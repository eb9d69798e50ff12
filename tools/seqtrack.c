// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "seqtrack.h"

static int test_and_clear(struct seqtrack *t, uint64_t seq)
{
	uint64_t i = seq % SEQ_WINDOW;
	int was = t->bits[i / 8] >> (i % 8) & 1;

	t->bits[i / 8] &= (uint8_t)~(1u << (i % 8));
	return was;
}

/* Account for every number below @upto. */
static uint64_t finalize(struct seqtrack *t, uint64_t upto)
{
	uint64_t lost = 0, checked;

	if (upto <= t->lo)
		return 0;
	/*
	 * Only numbers below lo + WINDOW can have a bit set: seqtrack_add()
	 * finalizes before recording anything further out. Numbers past that
	 * were never received; their bit slots were just cleared above.
	 */
	checked = upto < t->lo + SEQ_WINDOW ? upto : t->lo + SEQ_WINDOW;
	while (t->lo < checked) {
		lost += !test_and_clear(t, t->lo);
		t->lo++;
	}
	lost += upto - t->lo;
	t->lo = upto;
	t->lost += lost;
	return lost;
}

void seqtrack_init(struct seqtrack *t, uint64_t last)
{
	memset(t, 0, sizeof(*t));
	t->lo = t->hi = last + 1;
}

uint64_t seqtrack_add(struct seqtrack *t, uint64_t seq)
{
	uint64_t lost = 0, i;

	if (seq < t->lo) {
		t->late++;	/* counted lost already, or a duplicate */
		return 0;
	}
	if (seq >= t->lo + SEQ_WINDOW)
		lost += finalize(t, seq - SEQ_WINDOW + 1);
	i = seq % SEQ_WINDOW;
	if (t->bits[i / 8] & (1u << (i % 8))) {
		t->late++;	/* a duplicate */
		return lost;
	}
	t->bits[i / 8] |= (uint8_t)(1u << (i % 8));
	t->received++;
	if (seq >= t->hi)
		t->hi = seq + 1;
	if (t->hi > t->lo + SEQ_REORDER)
		lost += finalize(t, t->hi - SEQ_REORDER);
	return lost;
}

uint64_t seqtrack_finish(struct seqtrack *t, uint64_t last)
{
	return finalize(t, last + 1);
}

uint64_t seqtrack_missing(const struct seqtrack *t, uint64_t last)
{
	uint64_t seq, end = last + 1, missing = 0, i;

	if (end <= t->lo)
		return 0;
	/* Beyond the window nothing can have been recorded. */
	if (end > t->lo + SEQ_WINDOW) {
		missing = end - (t->lo + SEQ_WINDOW);
		end = t->lo + SEQ_WINDOW;
	}
	for (seq = t->lo; seq < end; seq++) {
		i = seq % SEQ_WINDOW;
		missing += !(t->bits[i / 8] >> (i % 8) & 1);
	}
	return missing;
}
