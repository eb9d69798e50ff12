# SPDX-License-Identifier: GPL-2.0
# Where the module's cost in the events benchmark's loop goes: the same
# connect/send/close loop (N connections, one process pinned to CPU 0, no
# subscriber) with the module not loaded, loaded with events=0 (state
# tracking only), loaded with the default ftrace_ops hook on __tcp_close,
# and with close_kprobe=1 (a kprobe there instead). Under -icount guest
# time counts instructions, so 1 ms over N connections is 1,000,000 / N
# instructions per connection. Rounds alternate the setups; medians.
. /tests/bench/lib.sh

N=${N:-10000}
ROUNDS=${ROUNDS:-5}
sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
port=3000
run() {
	taskset 1 evscen loop -p $port -n "$N" $1 >/tmp/run.out
	port=$((port + 1))
	kv /tmp/run.out elapsed_ms
}
row "| loop (N=$N, $ROUNDS rounds) | setup | elapsed ms | instructions per connection over not loaded | throughput vs not loaded |"
row "|---|---|---|---|---|"
for kind in clean unread; do
	flag=
	[ $kind = unread ] && flag=-u
	rm -f /tmp/c.*
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		unload_module
		run "$flag" >>/tmp/c.off
		load_module events=0
		run "$flag" >>/tmp/c.track
		unload_module
		load_module
		run "$flag" >>/tmp/c.ftrace
		unload_module
		load_module close_kprobe=1
		run "$flag" >>/tmp/c.kprobe
		r=$((r + 1))
	done
	off=$(median </tmp/c.off)
	for f in off track ftrace kprobe; do
		case $f in
		off) what="not loaded" ;;
		track) what="loaded, events=0 (state tracking only)" ;;
		ftrace) what="loaded (default: ftrace_ops on __tcp_close)" ;;
		kprobe) what="loaded, close_kprobe=1 (kprobe on __tcp_close)" ;;
		esac
		v=$(median </tmp/c.$f)
		row "| $kind close | $what | $v ($(tr '\n' ' ' </tmp/c.$f| sed 's/ $//')) | $(awk -v a="$v" -v b="$off" -v n="$N" 'BEGIN { printf "%.0f", (a - b) * 1e6 / n }') | $(awk -v a="$v" -v b="$off" 'BEGIN { printf "%.1f%%", b * 100 / a }') |"
	done
done
