# SPDX-License-Identifier: GPL-2.0
# Issue 4 benchmark: owning processes for 10,000 sockets (5,000 loopback
# connections, half of them CLOSE_WAIT/FIN_WAIT2) spread over 10 and over
# 1,000 processes: tcpstatectl list -p against ss -tanp and netstat -tanp
# (net-tools, /usr/bin/netstat: busybox netstat has no -p),
# and the cost of -p over a plain list. One boot.
. /tests/bench/lib.sh

load_module
row "| sockets, processes | what | tcpstatectl | median ms | other | median ms | speedup |"
row "|---|---|---|---|---|---|---|"
port=3000
for procs in 10 1000; do
	rm -f /tmp/spread.out
	ownscen spread $port $procs 5000 >/tmp/spread.out 2>&1 &
	for i in $(seq 1 3000); do
		grep -q '^ready' /tmp/spread.out 2>/dev/null && break
		sleep 0.1
	done
	grep -q '^ready' /tmp/spread.out || { cat /tmp/spread.out; exit 1; }
	n=$(tcpstatectl list -H --sport $port | wc -l)
	n=$((n + $(tcpstatectl list -H --dport $port | wc -l)))
	h=$(tcpstatectl list -H -p --comm own-holder | wc -l)
	label="$n, $procs"
	echo "sockets $n, with a named owner $h"
	compare "$label" "list -p vs ss -p" "tcpstatectl list -p" "ss -tanp"
	compare "$label" "list -p vs netstat -p" "tcpstatectl list -p" "/usr/bin/netstat -tanp"
	compare "$label" "CLOSE_WAIT with owners" "tcpstatectl list -p --state CLOSE_WAIT" "ss -tanp state close-wait"
	compare "$label" "cost of -p (other: plain list)" "tcpstatectl list -p" "tcpstatectl list"
	compare "$label" "cost of -p, TSV (other: plain TSV)" "tcpstatectl list -p --tsv" "tcpstatectl list --tsv"
	compare "$label" "counts by process vs ss -p" "tcpstatectl counts --by process --state CLOSE_WAIT" "ss -tanp state close-wait"
	kill "$(sed -n 's/^ready //p' /tmp/spread.out)"
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}"
	done
	sleep 1
	echo "sockets left: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"
	# Let the killed connections' TIME_WAIT and orphaned FIN_WAIT2 sockets
	# expire (60 s; with -icount sleep=off an idle guest skips ahead).
	sleep 70
	port=$((port + 10))
done
