/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Counting lost events exactly. The module numbers every event of a
 * network namespace; a subscriber that starts after event S0 expects
 * S0+1, S0+2, ... Events from different CPUs can arrive out of order,
 * so a sequence number only counts as lost once events more than
 * SEQ_REORDER newer have arrived, or at the end. Pure code, unit-tested.
 */
#ifndef TCPSTATECTL_SEQTRACK_H
#define TCPSTATECTL_SEQTRACK_H

#include <stdint.h>

#define SEQ_WINDOW 65536	/* sequence numbers tracked at once */
/*
 * How far out of order an event may be: the module sends events in per-CPU
 * batches at most a tick late, so an event can arrive after a few
 * thousand newer ones of other CPUs.
 */
#define SEQ_REORDER 8192

struct seqtrack {
	uint64_t lo;		/* lowest number not yet accounted for */
	uint64_t hi;		/* one past the highest number seen */
	uint64_t received;
	uint64_t lost;
	uint64_t late;		/* duplicates, or arrived after counted lost */
	uint8_t bits[SEQ_WINDOW / 8];
};

/* @last: the newest event number before we subscribed. */
void seqtrack_init(struct seqtrack *t, uint64_t last);
/* Account for event @seq; returns how many events became lost now. */
uint64_t seqtrack_add(struct seqtrack *t, uint64_t seq);
/*
 * How many numbers up to @last are neither received nor counted lost yet
 * (events the module has numbered but not sent, or lost); accounts
 * nothing.
 */
uint64_t seqtrack_missing(const struct seqtrack *t, uint64_t last);
/* Everything up to @last was generated: returns the newly lost. */
uint64_t seqtrack_finish(struct seqtrack *t, uint64_t last);

#endif
