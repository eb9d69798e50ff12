# Load/unload cycles while sockets are created and destroyed at a high rate
# (connect/close loops, unread-data closes firing events), with a dump in
# flight and an event subscriber connected at each unload. No WARN, oops
# or taint (runner), no leaked memory, probes always detached.
# timeout: 1800
. /tests/lib.sh
fresh_netns

# make check runs 200 cycles (about 6 minutes per kernel under TCG); the
# longer soak (make soak) is tests/vm/manual/lifecycle-soak.sh.
CYCLES=${CYCLES:-200}
unload_module
slab0=$(awk '/^Slab:/ {print $2}' /proc/meminfo)
# Churn: connections that close cleanly and with unread data, forever.
(while :; do evscen loop -p 6100 -n 200 >/dev/null 2>&1; done) &
churn1=$!
(while :; do evscen storm -p 6101 -n 200 >/dev/null 2>&1; done) &
churn2=$!
start_scen held -p 6102 estab:300 closewait:200 >/dev/null || exit 1

ok_cycles=0
busy=0
i=0
while [ $i -lt "$CYCLES" ]; do
	insmod "$KO" || { fail "insmod failed at cycle $i"; break; }
	tcpstatectl events --json >/dev/null 2>&1 &
	sub=$!
	tcpstatectl list --tsv >/dev/null 2>&1 &
	dump=$!
	tcpstatectl counts --by raddr >/dev/null 2>&1
	# rmmod while the subscriber is joined and the dump may be running:
	# refused while a dump holds the module, never a crash.
	n=0
	while ! rmmod tcpstate 2>/dev/null; do
		busy=$((busy + 1))
		n=$((n + 1))
		[ $n -gt 200 ] && { fail "rmmod kept failing at cycle $i"; break 2; }
		sleep 0.05
	done
	wait $sub $dump 2>/dev/null
	ok_cycles=$((ok_cycles + 1))
	i=$((i + 1))
done
kill $churn1 $churn2
wait $churn1 $churn2 2>/dev/null
echo "cycles: $ok_cycles, rmmod refused while busy: $busy times"
expect_eq "all cycles done" "$ok_cycles" "$CYCLES"
check "module unloaded at the end" test ! -d /sys/module/tcpstate
# Probes are gone: no tcpstate kprobe left registered.
if [ -r /sys/kernel/debug/kprobes/list ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null; then
	expect_eq "no kprobes left" "$(grep -c tcpstate /sys/kernel/debug/kprobes/list 2>/dev/null)" 0
fi
sleep 2
slab1=$(awk '/^Slab:/ {print $2}' /proc/meminfo)
echo "Slab before: ${slab0} kB, after: ${slab1} kB"
load_module
expect_eq "module objects after reload" "$(stat_field objects)" 0
finish
