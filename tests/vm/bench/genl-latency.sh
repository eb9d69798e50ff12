# SPDX-License-Identifier: GPL-2.0
# Issue 23 finding 1: does a tcpstate dump stall other generic netlink
# families? genlping times nlctrl's CTRL_CMD_GETFAMILY (nlctrl has no
# parallel_ops: it runs under genl_mutex) idle, then while uid 1000 runs
# tcpstatectl list -p and counts --by process in two loops over N
# sockets held by P processes (default 100,000 and 1,000). One boot.
. /tests/bench/lib.sh

PAIRS=${PAIRS:-50000}
PROCS=${PROCS:-1000}
PINGS=${PINGS:-200}
load_module
# 50,000 client ports toward one server port: more than the default range.
sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
B=7700
rm -f /tmp/spread.out
ownscen spread $B $PROCS $PAIRS >/tmp/spread.out 2>&1 &
for i in $(seq 1 12000); do
	grep -q '^ready' /tmp/spread.out 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' /tmp/spread.out || { cat /tmp/spread.out; exit 1; }
n=$(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')
echo "sockets $n"
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
out_row() {
	row "| $n, $PROCS | $1 | $(ms "$(field "$2" p50)") | $(ms "$(field "$2" p99)") | $(ms "$(field "$2" max)") | $3 |"
}
row "| sockets, processes | load (uid 1000) | nlctrl GETFAMILY p50 ms | p99 ms | max ms | load rounds |"
row "|---|---|---|---|---|---|"
idle=$(genlping -n "$PINGS" -i 2000)
out_row "none" "$idle" "-"
rm -f /tmp/load.list /tmp/load.counts
runas 1000 sh -c 'while :; do tcpstatectl list -p >/dev/null; echo >>/tmp/load.list; done' &
l1=$!
runas 1000 sh -c 'while :; do tcpstatectl counts --by process >/dev/null; echo >>/tmp/load.counts; done' &
l2=$!
sleep 2
loaded=$(genlping -n "$PINGS" -i 2000)
kill $l1 $l2
wait $l1 $l2 2>/dev/null
out_row "list -p + counts --by process loops" "$loaded" \
	"$(wc -l </tmp/load.list) + $(wc -l </tmp/load.counts)"
