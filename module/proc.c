// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tcpstate: a plain-text summary of the reader's network
 * namespace (socket counts per state and the module's counters), for
 * operators without the tool and for quick `cat` checks.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "tcpstate.h"
#include "events.h"
#include "filter.h"
#include "proc.h"
#include "sockwalk.h"
#include "states.h"
#include "track.h"
#include "version.h"

static void count_one(const struct sock *sk, int state, void *arg)
{
	u32 *counts = arg;

	if (state <= TCPSTATE_STATE_MAX)
		counts[state]++;
}

static int tcpstate_proc_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct tcpstate_net *tn = tcpstate_pernet(net);
	u32 counts[TCPSTATE_STATE_MAX + 1] = {};
	struct tcpstate_filter f = {
		.net = net,
		.states = TCPSTATE_STATE_MASK_ALL,
	};
	struct tcpstate_walk *w;
	u32 total = 0;
	int s;

	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	tcpstate_walk_init(w, &f);
	tcpstate_walk_locked(w, count_one, counts);
	tcpstate_walk_release(w);
	kfree(w);

	seq_printf(seq, "version %s\n", TCPSTATE_VERSION);
	seq_printf(seq, "netns %u\n", net->ns.inum);
	seq_printf(seq, "age_tracking %s\n",
		   tcpstate_track_attached() ? "yes" : "no");
	seq_puts(seq, "\nstate         count\n");
	for (s = 1; s <= TCPSTATE_STATE_MAX; s++) {
		seq_printf(seq, "%-13s %u\n", tcpstate_state_name(s), counts[s]);
		total += counts[s];
	}
	seq_printf(seq, "%-13s %u\n", "total", total);

	seq_puts(seq, "\nevent                 seen   delivered     dropped     unheard\n");
	for (s = 1; s <= TCPSTATE_EV_MAX; s++) {
		const struct tcpstate_evstats *ev = &tn->ev[s];

		seq_printf(seq, "%-13s %11lld %11lld %11lld %11lld\n",
			   tcpstate_event_name(s),
			   (long long)atomic64_read(&ev->seen),
			   (long long)atomic64_read(&ev->delivered),
			   (long long)atomic64_read(&ev->dropped),
			   (long long)atomic64_read(&ev->unheard));
	}
	seq_printf(seq, "event_seq %lld\n",
		   (long long)atomic64_read(&tn->event_seq));
	seq_printf(seq, "abort_on_close %lld\n",
		   (long long)atomic64_read(&tn->abort_on_close));
	return 0;
}

int tcpstate_proc_net_init(struct net *net)
{
	if (!proc_create_net_single("tcpstate", 0444, net->proc_net,
				    tcpstate_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

void tcpstate_proc_net_exit(struct net *net)
{
	remove_proc_entry("tcpstate", net->proc_net);
}
