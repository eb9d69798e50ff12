# Load/unload cycles while sockets are created and destroyed at a high rate
# (connect/close loops, unread-data closes firing events), with a dump in
# flight and an event subscriber connected at each unload. No WARN, oops
# or taint (runner), no leaked memory, probes always detached.
# timeout: 1800
. /tests/lib.sh
fresh_netns
# That no kprobe of ours is left registered is read from debugfs. Without
# it the case cannot check what it is for: a skip (README), not a pass.
[ -r /sys/kernel/debug/kprobes/list ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -r /sys/kernel/debug/kprobes/list ] ||
	skip "debugfs will not mount (no /sys/kernel/debug/kprobes/list): cannot check that the probes are gone"

# make check runs 100 cycles (about 3 minutes per kernel under TCG); the
# longer soak (make soak) is tests/vm/manual/lifecycle-soak.sh.
CYCLES=${CYCLES:-$(volume 100)}
unload_module
meminfo_kb() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }
slab0=$(meminfo_kb Slab)
sunr0=$(meminfo_kb SUnreclaim)
# Churn: connections that close cleanly and with unread data, forever.
(while :; do evscen loop -p 6100 -n 200 >/dev/null 2>&1; done) &
churn1=$!
(while :; do evscen storm -p 6101 -n 200 >/dev/null 2>&1; done) &
churn2=$!
held=$(start_scen held -p 6102 estab:300 closewait:200) || exit 1

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
	# A dump holds it for a moment: 10 s (times SLOW) of refusals is
	# not a moment.
	deadline=$(($(uptime_ms) + $(late 0 10000)))
	while ! rmmod tcpstate 2>/dev/null; do
		busy=$((busy + 1))
		[ "$(uptime_ms)" -lt "$deadline" ] || { fail "rmmod kept failing at cycle $i"; break 2; }
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
# The point of the case: some unloads met a request in flight (rmmod is
# refused while a dump holds the module), not only an idle module. On the
# debug lane's kernel the cycles are a quarter as many and the module is
# loaded between them for longer, so whether one meets a dump is luck
# (0 of 25 on 2026-12-07): a note there, a check on Debian's kernels.
if debug_kernel && [ "$busy" -eq 0 ]; then
	echo "note: no unload met a dump in flight on this kernel ($ok_cycles cycles)"
else
	expect_le "some unloads found a request in flight" 1 "$busy"
fi
check "module unloaded at the end" test ! -d /sys/module/tcpstate
# Probes are gone: no tcpstate kprobe left registered.
expect_eq "no kprobes left" "$(grep -c tcpstate /sys/kernel/debug/kprobes/list)" 0
# ...and no ftrace hook (the __tcp_close ftrace_ops).
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
expect_eq "no ftrace hook left" "$(grep -c '__tcp_close\|tcpstate' /sys/kernel/tracing/enabled_functions)" 0
slab1=$(meminfo_kb Slab)
sunr1=$(meminfo_kb SUnreclaim)
# No leaked memory: once every socket of this namespace is gone (the
# churn's TIME_WAIT sockets live 60 s, its orphans tcp_fin_timeout), the
# kernel's unreclaimable slab is back where it was before the first load,
# within the slack of slabs the allocator keeps partly used. 200 leaked
# socket-sized objects per cycle would be 40,000 objects, tens of MB.
kill "$held"
wait "$held" 2>/dev/null
deadline=$(( $(cut -d. -f1 /proc/uptime) + 150 * SLOW ))
while [ "$(ss -tanH | wc -l)" -gt 0 ] && [ "$(cut -d. -f1 /proc/uptime)" -lt "$deadline" ]; do
	sleep 2
done
left=$(ss -tanH | wc -l)
expect_eq "every socket of the churn is gone" "$left" 0
[ "$left" -eq 0 ] || ss -tan | head -n 20
# Freed sockets reach the slab's free lists through RCU and per-CPU
# caches: wait for the figure to come back (a leak never does), instead
# of a fixed 2 s.
settled() {
	sunr2=$(meminfo_kb SUnreclaim)
	[ $((sunr2 - sunr0)) -le 2048 ]
}
debug_kernel || wait_for 30000 settled
slab2=$(meminfo_kb Slab)
sunr2=$(meminfo_kb SUnreclaim)
echo "Slab before: ${slab0} kB, after the cycles: ${slab1} kB, with no socket left: ${slab2} kB"
echo "SUnreclaim before: ${sunr0} kB, after the cycles: ${sunr1} kB, with no socket left: ${sunr2} kB"
if debug_kernel; then
	echo "  note: KASAN kernel: slab figures include its quarantine, not compared"
else
	expect_le "unreclaimable slab back within 2048 kB ($((sunr2 - sunr0)) kB more)" \
		"$((sunr2 - sunr0))" 2048
fi
load_module
expect_eq "module objects after reload" "$(stat_field objects)" 0
finish
