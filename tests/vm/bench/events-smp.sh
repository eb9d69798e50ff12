# SPDX-License-Identifier: GPL-2.0
# qemu-env: QEMU_ICOUNT=0 QEMU_TCG_OPTS=thread=multi
# Issue 5's benchmark with the subscriber on a core of its own: the same
# rounds as events.sh (loop pinned to CPU 0, subscriber to CPU 1), but the
# guest runs under multi-threaded TCG without -icount, so each vCPU is a
# host thread of its own and the subscriber's work no longer advances the
# loop's clock. Wall-clock timing depends on the host: more and longer
# rounds, medians; run it on an otherwise idle host. (bench/run.sh reads
# the qemu-env line above.) Here the "elapsed" row is the one that
# measures the target; "elapsed minus subscriber CPU" double-counts.
N=${N:-10000}
ROUNDS=${ROUNDS:-15}
. /tests/bench/events.sh
