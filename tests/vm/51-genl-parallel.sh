# Our dumps must not hold the host-wide genl_mutex: while uid 1000 lists
# 20,000 sockets of 200 processes with owners (list -p, counts --by
# process) in a loop, nlctrl's GETFAMILY (a family without parallel_ops,
# so it takes that lock) keeps answering promptly, timed by genlping from
# another process. The full-scale figures are bench/RESULTS.md's
# genl-latency section.
# timeout: 900
. /tests/lib.sh
load_module

B=7600
PAIRS=$(volume 10000)
PROCS=$(volume 200)
rm -f /tmp/spread.out
ownscen spread $B $PROCS $PAIRS >/tmp/spread.out 2>&1 &
for i in $(seq 1 $((3000 * SLOW))); do
	grep -q '^ready' /tmp/spread.out 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' /tmp/spread.out || { cat /tmp/spread.out; fail "ownscen did not get ready"; finish; }
echo "sockets: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"

idle=$(genlping -n 300 -i 2000)
echo "idle:   $idle"

# The load: two uid 1000 loops, each counting its rounds.
rm -f /tmp/load.list /tmp/load.counts
runas 1000 sh -c 'while :; do tcpstatectl list -p >/dev/null; echo >>/tmp/load.list; done' &
l1=$!
runas 1000 sh -c 'while :; do tcpstatectl counts --by process >/dev/null; echo >>/tmp/load.counts; done' &
l2=$!
sleep 2
loaded=$(genlping -n 300 -i 2000)
echo "loaded: $loaded"
kill $l1 $l2
wait $l1 $l2 2>/dev/null
rounds_list=$(cat /tmp/load.list 2>/dev/null | wc -l)
rounds_counts=$(cat /tmp/load.counts 2>/dev/null | wc -l)
echo "rounds under load: list -p $rounds_list, counts --by process $rounds_counts"

check "the load ran (list -p rounds: $rounds_list)" [ "$rounds_list" -ge 1 ]
check "the load ran (counts rounds: $rounds_counts)" [ "$rounds_counts" -ge 1 ]
# Generous: two busy loops share the guest's two vCPUs with genlping, so
# scheduling alone costs milliseconds; a dump holding genl_mutex costs
# the length of an owner scan (seconds under TCG). genl_bound adds the
# same guest's idle figure (tests/vm/lib.sh).
expect_le "nlctrl p99 under load (us)" "$(genl_field "$loaded" p99)" "$(genl_bound 50 "$idle" p99)"
expect_le "nlctrl max under load (us)" "$(genl_field "$loaded" max)" "$(genl_bound 200 "$idle" max)"

kill "$(sed -n 's/^ready //p' /tmp/spread.out)" 2>/dev/null
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}" 2>/dev/null
done
finish
