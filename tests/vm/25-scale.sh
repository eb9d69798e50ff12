# 100,000+ sockets: the dump completes, counts equal ss, every socket is
# listed once, and the kernel logs no soft lockup or RCU stall (runner).
# Runs in its own netns; the TIME_WAIT sockets are built last and checked
# first, before any of them can expire (60 s).
# timeout: 900
. /tests/lib.sh
fresh_netns

sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
load_module
t0=$(date +%s)
echo "building sockets"
start_scen big -p 5000 -A 8 estab:30000 finwait2:21000 timewait:14000 >/dev/null || exit 1
echo "built in $(( $(date +%s) - t0 ))s"
echo "counting"
total=$(tcpstatectl counts -n | awk '$1 == "Total" {print $2}')
echo "total sockets: $total"
expect_le "at least 100,000 sockets" 100000 "$total"
echo "ss counts"
ssc=$(ss_counts)
tsc=$(ts_counts)
echo "$tsc"
expect_eq "counts equal ss at scale" "$tsc" "$ssc"
expect_eq "TIME_WAIT list equals ss" "$(ts_tuples --state time-wait | md5sum)" "$(ss_tuples state time-wait | md5sum)"
# The rest looks at states that do not expire.
stable="estab,close-wait,fin-wait-2,listen"
echo "listing"
tcpstatectl list -n --state $stable | awk '{print $4, $5}' >/tmp/scale.list
n=$(wc -l </tmp/scale.list)
expect_le "at least 100,000 sockets in stable states" 100000 "$n"
expect_eq "list returns every socket once" "$(sort -u /tmp/scale.list | wc -l)" "$n"
expect_eq "list length equals ss" "$n" "$(ss -tanH state established state close-wait state fin-wait-2 state listening | wc -l)"
expect_eq "CLOSE_WAIT list equals ss" "$(ts_tuples --state close-wait | md5sum)" "$(ss_tuples state close-wait | md5sum)"
echo "parallel dumps"
# Concurrent dumps do not disturb each other.
pids=
for i in 1 2 3 4; do
	tcpstatectl list -n --tsv --state $stable >/tmp/par.$i &
	pids="$pids $!"
done
# Only these: a bare wait would also wait for the scenario daemon.
wait $pids
for i in 1 2 3 4; do
	expect_eq "parallel dump $i complete" "$(wc -l </tmp/par.$i)" "$n"
done
finish
