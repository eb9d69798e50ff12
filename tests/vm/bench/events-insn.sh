# SPDX-License-Identifier: GPL-2.0
# qemu-env: QEMU_ICOUNT=1 QEMU_PLUGIN=insncount
# Issue 5's benchmark counted exactly, CPU by CPU: the loop of events.sh
# (connect, send, reply, close; both ends in one process pinned to CPU 0)
# with the module not loaded, loaded with no subscriber, and loaded with
# `tcpstatectl events --json` pinned to CPU 1. The insncount QEMU plugin
# counts the instructions each vCPU executes between the loop's two
# markers (evscen loop -m), so the loop's CPU and the subscriber's CPU
# are measured apart: what events.sh can only estimate (under -icount
# both vCPUs advance one clock) and events-smp measures on a noisy clock.
# The loop's instructions per connection on CPU 0 is the cost of the
# closing task's side of every event, the probes and the module's state
# tracking (and of the event worker, when the scheduler runs it there);
# CPU 1 has the subscriber and whatever else ran there.
# The guest prints one INSNRUN line per run; events-insn.post makes the
# table on the host from those and the plugin's marks.
. /tests/bench/lib.sh

N=${N:-3000}
ROUNDS=${ROUNDS:-5}
sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
port=3000
marks=0	# markers executed so far: the plugin numbers them in order
taskset -p 1 $$ >/dev/null
# run KIND SETUP FLAG: one loop of N connections between two markers.
run() {
	taskset 1 evscen loop -p $port -n "$N" -m ${3:+"$3"} >/tmp/run.out ||
		fail "evscen loop failed"
	port=$((port + 1))
	echo "INSNRUN $1 $2 $N $marks" >&3
	marks=$((marks + 2))
}
for kind in clean unread; do
	flag=
	[ $kind = unread ] && flag=-u
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		unload_module
		run $kind off "$flag"
		load_module
		run $kind on "$flag"
		taskset 2 tcpstatectl events --json >/dev/null 2>&1 &
		sub=$!
		sleep 1
		run $kind sub "$flag"
		# Let the last batch (at most a tick late) reach it.
		sleep 0.1
		kill $sub
		wait $sub 2>/dev/null
		r=$((r + 1))
	done
done
n=$(tcpstatectl stats --json | sed 's/.*"unread-close": {"seen": \([0-9]*\), "delivered": \([0-9]*\).*/\1 seen, \2 delivered/')
echo "last load's unread-close events: $n"
