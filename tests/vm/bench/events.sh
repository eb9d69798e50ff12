# SPDX-License-Identifier: GPL-2.0
# Issue 5 benchmark: a loopback connect/send/close loop (both ends in one
# process, pinned to CPU 0) with the module not loaded, loaded with no
# subscriber, and loaded with a subscriber (pinned to CPU 1) printing
# every event as JSON. Run with QEMU_ICOUNT=1 (bench/run.sh does): guest
# time counts executed instructions, so runs repeat to within 1%.
# Rounds alternate the three setups; medians.
. /tests/bench/lib.sh

N=${N:-3000}
ROUNDS=${ROUNDS:-5}
sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
row "| loop (N=$N, $ROUNDS rounds) | measure | not loaded | loaded, no subscriber | loaded, subscribed |"
row "|---|---|---|---|---|"
port=3000
# CPU time of everything that ran on CPU 1, in ns: rq_cpu_time, the 8th
# field of its line in /proc/schedstat (the subscriber, the module's event
# worker, any other thread there; not interrupts taken while it idled).
# This shell and what it starts stay on CPU 0 (below), so the readings
# themselves are not in it.
cpu1_ns() { awk '$1 == "cpu1" { print $8 }' /proc/schedstat; }
taskset -p 1 $$ >/dev/null
# One run: "elapsed_ms cpu_us cpu1_ms" (CPU 1's task time during the run).
run() {
	local s0 s1
	s0=$(cpu1_ns)
	taskset 1 evscen loop -p $port -n "$N" $1 >/tmp/run.out
	s1=$(cpu1_ns)
	port=$((port + 1))
	echo "$(kv /tmp/run.out elapsed_ms) $(kv /tmp/run.out cpu_us)" \
		"$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')"
}
for kind in clean unread; do
	flag=
	[ $kind = unread ] && flag=-u
	rm -f /tmp/b.*
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		unload_module
		run "$flag" >>/tmp/b.off
		load_module
		run "$flag" >>/tmp/b.on
		taskset 2 tcpstatectl events --json >/dev/null 2>&1 &
		sub=$!
		sleep 1
		run "$flag" >>/tmp/b.sub
		kill $sub
		wait $sub 2>/dev/null
		r=$((r + 1))
	done
	for m in 1 2 3; do
		for f in off on sub; do
			if [ $m = 3 ]; then
				# elapsed minus CPU 1's task time
				v=$(awk '{ print $1 - $3 }' /tmp/b.$f | median)
			else
				v=$(cut -d' ' -f$m /tmp/b.$f | median)
			fi
			eval "v_$f=$v"
		done
		# Throughput: connections per second of loop CPU time, or of
		# elapsed time (all CPUs' work, the subscriber's included). With
		# -icount every vCPU's instructions advance one guest clock, so
		# work on CPU 1 (the subscriber, the module's event worker)
		# lengthens the loop's elapsed and CPU time as if they shared a
		# core; the third measure takes the time of the tasks that ran
		# on CPU 1 (schedstat) out of the elapsed time: the loop with a
		# core of its own. Interrupts CPU 1 took while idle stay in, and so
		# does the closing task's side of every event (capturing it into
		# the per-CPU batch). events-smp measures the same directly, on
		# a noisier clock.
		if [ $m = 2 ]; then
			what="loop CPU time: conn/s"
			scale=1000000
		elif [ $m = 3 ]; then
			what="elapsed minus CPU 1 task time: conn/s"
			scale=1000
		else
			what="elapsed (all CPUs): conn/s"
			scale=1000
		fi
		tp() { awk -v n="$N" -v t="$1" -v s="$scale" 'BEGIN { printf "%.0f", n * s / t }'; }
		pct() { awk -v a="$1" -v b="$v_off" 'BEGIN { printf "%.1f%%", b * 100 / a }'; }
		row "| $kind close | $what | $(tp $v_off) | $(tp $v_on) ($(pct $v_on)) | $(tp $v_sub) ($(pct $v_sub)) |"
	done
done
echo "unread close, CPU 1 task ms per subscribed run: $(cut -d' ' -f3 /tmp/b.sub | tr '\n' ' ')"
n=$(tcpstatectl stats --json | sed 's/.*"unread-close": {"seen": \([0-9]*\), "delivered": \([0-9]*\).*/\1 seen, \2 delivered/')
echo "last load's unread-close events: $n"
