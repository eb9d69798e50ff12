# SPDX-License-Identifier: GPL-2.0
# qemu-env: QEMU_ICOUNT=0 QEMU_TCG_OPTS=thread=multi
# Issue 5's benchmark with the subscriber on a core of its own: the loop
# of events.sh (both ends in one process, pinned to CPU 0) and
# `tcpstatectl events --json` pinned to CPU 1, under multi-threaded TCG
# without -icount, so each vCPU is a host thread and the subscriber's work
# does not advance the loop's clock. (bench/run.sh reads the qemu-env line.)
#
# Wall-clock time on this host is not steady: the same loop, alone in the
# guest, runs at one speed for tens of seconds and then 10-80% slower for
# as long (150 back-to-back runs of 5,000 connections: 930 to 2,046 ms).
# Medians of whole runs taken tens of seconds apart inherit those shifts.
# So each round is short (N connections per run, a few seconds a round)
# and mirrored, A B C C B A (A not loaded, B loaded with no subscriber, C
# loaded and subscribed): a drift within the round cancels to first
# order. Each round gives its own ratios; the table has their median and
# quartiles.
. /tests/bench/lib.sh

N=${N:-2000}
ROUNDS=${ROUNDS:-31}
sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
port=3000
# One run of the loop; prints its elapsed milliseconds.
run() {
	taskset 1 evscen loop -p $port -n "$N" $1 >/tmp/run.out
	port=$((port + 1))
	kv /tmp/run.out elapsed_ms
}
# The round's percentage of the first sum over the second.
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a * 100 / b }'; }
# "median [p25, p75]" of the numbers on stdin.
spread() {
	sort -n | awk '{ v[NR] = $1 } END {
		q = int((NR + 3) / 4); h = int((NR + 1) / 2); t = NR + 1 - q
		printf "%.1f%% [%.1f, %.1f]", v[h], v[q], v[t] }'
}
row "| loop (N=$N, $ROUNDS rounds A B C C B A) | not loaded: conn/s | loaded, no subscriber (B/A) | loaded, subscribed (C/A) | subscribed vs loaded (C/B) | events lost |"
row "|---|---|---|---|---|---|"
for kind in clean unread; do
	flag=
	[ $kind = unread ] && flag=-u
	rm -f /tmp/r.*
	lost=0
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		unload_module
		a1=$(run "$flag")
		load_module
		b1=$(run "$flag")
		taskset 2 tcpstatectl events --json >/dev/null 2>&1 &
		sub=$!
		sleep 0.5
		c1=$(run "$flag")
		c2=$(run "$flag")
		# Let the last batch (at most a tick late) reach it.
		sleep 0.1
		kill $sub
		wait $sub 2>/dev/null
		b2=$(run "$flag")
		d=$(tcpstatectl stats --json | sed 's/.*"unread-close": {[^}]*"dropped": \([0-9]*\).*/\1/')
		lost=$((lost + d))
		unload_module
		a2=$(run "$flag")
		a=$((a1 + a2)) b=$((b1 + b2)) c=$((c1 + c2))
		echo "$a" >>/tmp/r.a
		pct $a $b >>/tmp/r.ba
		pct $a $c >>/tmp/r.ca
		pct $b $c >>/tmp/r.cb
		r=$((r + 1))
	done
	tput=$(median </tmp/r.a | awk -v n="$N" '{ printf "%.0f", 2 * n * 1000 / $1 }')
	row "| $kind close | $tput | $(spread </tmp/r.ba) | $(spread </tmp/r.ca) | $(spread </tmp/r.cb) | $lost |"
	echo "$kind: per-round C/A: $(tr '\n' ' ' </tmp/r.ca)"
done
