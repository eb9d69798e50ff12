// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdlib.h>

#include "unit.h"
#include "../../tools/seqtrack.h"

static struct seqtrack t;

TEST(seq_no_loss_in_order)
{
	uint64_t s, lost = 0;

	seqtrack_init(&t, 100);
	for (s = 101; s <= 5000; s++)
		lost += seqtrack_add(&t, s);
	lost += seqtrack_finish(&t, 5000);
	CHECK_EQ(lost, 0);
	CHECK_EQ(t.received, 4900);
	CHECK_EQ(t.lost, 0);
	CHECK_EQ(t.late, 0);
}

TEST(seq_reordering_is_not_loss)
{
	uint64_t s, lost = 0;

	seqtrack_init(&t, 0);
	for (s = 1; s <= 1000; s += 2) {	/* pairs swapped */
		lost += seqtrack_add(&t, s + 1);
		lost += seqtrack_add(&t, s);
	}
	lost += seqtrack_finish(&t, 1000);
	CHECK_EQ(lost, 0);
	CHECK_EQ(t.received, 1000);
}

TEST(seq_gaps_counted_exactly)
{
	uint64_t s, lost = 0, got = 0, dropped = 10;	/* 10 at the end */

	seqtrack_init(&t, 7);
	for (s = 8; s <= 200000; s++) {
		if (s % 7 == 0 || (s > 50000 && s < 150000)) {
			dropped++;	/* 100k in a row and every 7th */
			continue;
		}
		lost += seqtrack_add(&t, s);
		got++;
	}
	lost += seqtrack_finish(&t, 200010);
	/* What the test dropped, counted here, not by the tracker. */
	CHECK_EQ(t.received, got);
	CHECK_EQ(lost, dropped);
	CHECK_EQ(t.lost, dropped);
}

/*
 * A jump of more than twice the window (a subscriber that fell far behind,
 * or a burst the kernel dropped whole): the numbers past the window's
 * bits are lost too, counted without a bit to look at.
 */
TEST(seq_gap_beyond_two_windows)
{
	const uint64_t w = SEQ_WINDOW;
	uint64_t lost;

	seqtrack_init(&t, 0);
	CHECK_EQ(seqtrack_add(&t, 1), 0);
	lost = seqtrack_add(&t, 1 + 3 * w);
	lost += seqtrack_finish(&t, 1 + 3 * w);
	CHECK_EQ(lost, 3 * w - 1);	/* 2 .. 3w */
	CHECK_EQ(t.lost, 3 * w - 1);
	CHECK_EQ(t.received, 2);
}

TEST(seq_late_and_duplicates)
{
	const uint64_t x = 4 * SEQ_REORDER, r = SEQ_REORDER;

	seqtrack_init(&t, 0);
	/* 1..x-r are more than SEQ_REORDER behind x: lost at once. */
	CHECK_EQ(seqtrack_add(&t, x), x - r);
	/* x-r+1..2x-r except x. */
	CHECK_EQ(seqtrack_add(&t, 2 * x), x - 1);
	CHECK_EQ(t.lost + t.received, 2 * x - r + 1);
	CHECK_EQ(seqtrack_add(&t, 5), 0);	/* already counted lost */
	CHECK_EQ(t.late, 1);
	CHECK_EQ(seqtrack_add(&t, 2 * x), 0);	/* a duplicate in the window */
	CHECK_EQ(seqtrack_finish(&t, 2 * x), r - 1);
	CHECK_EQ(t.lost, 2 * x - 2);
}

TEST(seq_random_order_random_loss)
{
	uint64_t n = 300000, s, lost = 0, got = 0, *order;
	size_t i;

	order = malloc(n * sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = i + 1;
	/* Shuffle within small blocks (reordering), drop 10%. */
	srand(42);
	for (i = 0; i + 64 <= n; i += 64) {
		size_t j, k;

		for (j = 0; j < 64; j++) {
			uint64_t tmp;

			k = (size_t)rand() % 64;
			tmp = order[i + j];
			order[i + j] = order[i + k];
			order[i + k] = tmp;
		}
	}
	uint64_t dropped = 0;

	seqtrack_init(&t, 0);
	for (i = 0; i < n; i++) {
		s = order[i];
		if (rand() % 10 == 0) {
			dropped++;
			continue;
		}
		lost += seqtrack_add(&t, s);
		got++;
	}
	lost += seqtrack_finish(&t, n);
	CHECK_EQ(t.received, got);
	CHECK_EQ(lost, dropped);
	CHECK_EQ(t.lost, dropped);
	CHECK_EQ(t.late, 0);
	free(order);
}

/*
 * What the end of `events` waits for: numbers up to the module's newest
 * that have neither arrived nor been counted lost. Before it waited, an
 * event still in the module's batch at exit was reported lost.
 */
TEST(seq_missing_until_last)
{
	seqtrack_init(&t, 10);
	CHECK_EQ(seqtrack_missing(&t, 10), 0);
	CHECK_EQ(seqtrack_missing(&t, 9), 0);
	CHECK_EQ(seqtrack_missing(&t, 13), 3);
	CHECK_EQ(seqtrack_add(&t, 12), 0);
	CHECK_EQ(seqtrack_missing(&t, 13), 2);
	CHECK_EQ(seqtrack_add(&t, 13), 0);
	CHECK_EQ(seqtrack_add(&t, 11), 0);
	CHECK_EQ(seqtrack_missing(&t, 13), 0);
	/* Nothing was accounted by asking. */
	CHECK_EQ(t.lost, 0);
	CHECK_EQ(t.received, 3);
	CHECK_EQ(seqtrack_finish(&t, 13), 0);
	/* Past the window: all of it is missing. */
	seqtrack_init(&t, 0);
	CHECK_EQ(seqtrack_add(&t, 1), 0);
	CHECK_EQ(seqtrack_missing(&t, 1 + SEQ_WINDOW + 5), SEQ_WINDOW + 5);
}
