# SPDX-License-Identifier: GPL-2.0
# qemu-env: QEMU_ICOUNT=0 QEMU_TCG_OPTS=thread=multi
# What a subscriber on CPU 1 costs the unread-close loop on CPU 0, by kind
# of subscriber, under multi-threaded TCG (wall-clock, as events-smp):
#   idle   joins the events group and never reads: its buffer soon fills
#          and the module's worker (on CPU 1 when it is idle) builds
#          datagrams nobody takes; what is left on CPU 0 is mostly the
#          closing task's own side of each event
#   drain  reads and discards each datagram (woken per datagram)
#   json   tcpstatectl events --json (the real thing)
#   spin   a shell busy loop on CPU 1, no subscriber: the emulator's cost
#          of a busy second vCPU, as a control
# The module stays loaded. Each round is A B B A (A: no subscriber, B: the
# kind), short runs, so the host's slow drifts cancel (see events-smp);
# the table has the median and quartiles of the rounds' A/B.
. /tests/bench/lib.sh

N=${N:-2000}
ROUNDS=${ROUNDS:-15}
sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
port=3000
run() {
	taskset 1 evscen loop -p $port -n "$N" -u >/tmp/run.out
	port=$((port + 1))
	kv /tmp/run.out elapsed_ms
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a * 100 / b }'; }
spread() {
	sort -n | awk '{ v[NR] = $1 } END {
		q = int((NR + 3) / 4); h = int((NR + 1) / 2); t = NR + 1 - q
		printf "%.1f%% [%.1f, %.1f]", v[h], v[q], v[t] }'
}
load_module
row "| on CPU 1 (N=$N unread closes a run, $ROUNDS rounds A B B A) | loop throughput with it, % of without: median [p25, p75] |"
row "|---|---|"
for kind in idle drain json spin; do
	rm -f /tmp/r
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		a1=$(run)
		case $kind in
		idle) taskset 2 nlcheck subscribe-idle 1000 >/dev/null 2>&1 & ;;
		drain) taskset 2 nlcheck subscribe-drain >/dev/null 2>&1 & ;;
		json) taskset 2 tcpstatectl events --json >/dev/null 2>&1 & ;;
		spin) taskset 2 sh -c 'while :; do :; done' & ;;
		esac
		s=$!
		sleep 0.3
		b1=$(run)
		b2=$(run)
		kill $s
		wait $s 2>/dev/null
		a2=$(run)
		pct $((a1 + a2)) $((b1 + b2)) >>/tmp/r
		r=$((r + 1))
	done
	row "| $kind | $(spread </tmp/r) |"
done
