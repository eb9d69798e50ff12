# 100,000+ sockets: the dump completes, counts equal ss, every socket is
# listed once, and the kernel logs no soft lockup or RCU stall (runner).
# Runs in its own netns; the TIME_WAIT sockets are built last and checked
# first, before any of them can expire (60 s).
# timeout: 1200
. /tests/lib.sh
fresh_netns

sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
load_module
t0=$(date +%s)
echo "building sockets"
# The debug lane builds 1/SLOW of the sockets (volume): there 100,000
# would not even be built before the first TIME_WAIT ones expire.
want=$(volume 100000)
# 65,000 connections take about a minute to build under TCG, more on a
# busy host: five minutes were not enough on a host with a load of 12;
# allow ten (only a failure waits that long).
SCEN_WAIT=600 start_scen big -p 5000 -A 8 estab:$(volume 30000) finwait2:$(volume 21000) \
	timewait:$(volume 14000) >/dev/null || exit 1
echo "built in $(( $(date +%s) - t0 ))s"
echo "counting"
total=$(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')
echo "total sockets: $total"
expect_le "at least $want sockets" "$want" "$total"
echo "ss counts"
ssc=$(ss_counts)
tsc=$(ts_counts)
echo "$tsc"
# TIME_WAIT sockets expire while the scenario is still being built on a
# slow guest: their count is compared through the list, which forgives
# sockets that expired between the two snapshots (same_tuples); every
# other state is compared exactly.
expect_eq "counts equal ss at scale (all but TIME_WAIT)" \
	"$(echo "$tsc" | grep -v '^TIME_WAIT ')" "$(echo "$ssc" | grep -v '^TIME_WAIT ')"
same_tuples "TIME_WAIT list equals ss" "ts_tuples --state time-wait" "ss_tuples state time-wait"
echo "    ($(echo "$SAME_WANT" | grep -c .) TIME_WAIT sockets)"
# The rest looks at states that do not expire.
stable="estab,close-wait,fin-wait-2,listen"
echo "listing"
tcpstatectl list -H --state $stable | awk '{print $4, $5}' >/tmp/scale.list
n=$(wc -l </tmp/scale.list)
expect_le "at least $want sockets in stable states" "$want" "$n"
expect_eq "list returns every socket once" "$(sort -u /tmp/scale.list | wc -l)" "$n"
expect_eq "list length equals ss" "$n" "$(ss -tanH state established state close-wait state fin-wait-2 state listening | wc -l)"
expect_eq "CLOSE_WAIT list equals ss" "$(ts_tuples --state close-wait | md5sum)" "$(ss_tuples state close-wait | md5sum)"
echo "8 parallel dumps under churn"
# Eight dumps of the 100,000+ sockets at once while other connections are
# opened and closed as fast as the guest can (clean and unread-data
# closes, to two ports of their own): each completes, lists
# every stable socket once, and the runner sees no soft lockup or RCU
# stall.
# The stable set, minus any socket on the churn's ports (a client's
# ephemeral port can be one of them), before the churn starts.
stable_of() {
	awk -F'\t' '$5 !~ /^610[01]$/ && $7 !~ /^610[01]$/ {print $4, $5, $6, $7}' "$1" | sort
}
tcpstatectl list -H --tsv --state $stable >/tmp/par.0
stable_of /tmp/par.0 >/tmp/ref.stable
m=$(wc -l </tmp/ref.stable)
tb=$(stat_field transitions)
(while :; do evscen loop -p 6100 -n 500 >/dev/null 2>&1; done) &
churn1=$!
(while :; do evscen storm -p 6101 -n 500 >/dev/null 2>&1; done) &
churn2=$!
# Until the churn is under way (a fixed second was a guess).
churning() { [ $(($(stat_field transitions) - tb)) -gt 100 ]; }
wait_for 60000 churning || fail "the churn did not start"
tw0=$(stat_field transitions)
t0=$(date +%s)
pids=
for i in 1 2 3 4 5 6 7 8; do
	tcpstatectl list -H --tsv --state $stable >/tmp/par.$i 2>/tmp/par.$i.err &
	pids="$pids $!"
done
rcs=
for p in $pids; do
	wait $p
	rcs="$rcs $?"
done
t1=$(date +%s)
tw1=$(stat_field transitions)
kill $churn1 $churn2
wait $churn1 $churn2 2>/dev/null
echo "8 dumps in $((t1 - t0)) s, $((tw1 - tw0)) state changes meanwhile"
expect_eq "every dump exited 0" "$(echo $rcs)" "0 0 0 0 0 0 0 0"
check "the churn ran (state changes during the dumps)" [ $((tw1 - tw0)) -gt 100 ]
echo "stable sockets: $m"
for i in 1 2 3 4 5 6 7 8; do
	# Sockets of the churn come and go; the stable set must be whole.
	stable_of /tmp/par.$i >/tmp/par.$i.stable
	expect_eq "dump $i: every stable socket, once" \
		"$(uniq /tmp/par.$i.stable | wc -l) $(wc -l </tmp/par.$i.stable)" "$m $m"
	check "dump $i: the same sockets as before the churn" cmp -s /tmp/par.$i.stable /tmp/ref.stable
done
finish
