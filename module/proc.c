// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tcpstate: a plain-text summary of the reader's network namespace,
 * for operators without the tool and for quick `cat` checks.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "tcpstate.h"
#include "proc.h"
#include "version.h"

static int tcpstate_proc_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);

	seq_printf(seq, "version %s\n", TCPSTATE_VERSION);
	seq_printf(seq, "netns %u\n", net->ns.inum);
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
