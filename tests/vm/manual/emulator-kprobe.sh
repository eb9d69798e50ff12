# Emulator self-check, not a test of tcpstate: the module is NOT loaded.
# Adds, enables, disables and removes kprobes on __tcp_close and
# sk_stream_error (the functions tcpstate probes) through tracefs
# kprobe_events, 300 times, while other CPUs run connect/close loops
# through those functions. The probes sit on the functions' fentry sites,
# so each toggle rewrites live code (ftrace, text_poke_bp). If this kills
# the guest, a crash in 40-lifecycle-churn at the same place is not ours.
# Under QEMU 7.2 multi-threaded TCG, 6.1 dies within seconds (a call to
# NULL returning to tcp_close+0x1f, the call of __tcp_close); with
# thread=single it survives all 300 (327 s). The 200-cycle soak of
# tcpstate on 6.1 had died the same way under thread=multi.
# Run: QEMU_TCG_OPTS=thread=multi tests/qemu/run.sh 6.1 manual/emulator-kprobe
# timeout: 900
. /tests/lib.sh
unload_module
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
t=/sys/kernel/tracing
(while :; do evscen loop -p 6100 -n 200 >/dev/null 2>&1; done) &
c1=$!
(while :; do evscen storm -p 6101 -n 200 >/dev/null 2>&1; done) &
c2=$!
i=0
while [ $i -lt ${TOGGLES:-300} ]; do
	echo 'p:tsclose __tcp_close' >>$t/kprobe_events || { fail "kprobe_events add"; break; }
	echo 'p:tsepipe sk_stream_error' >>$t/kprobe_events
	echo 1 >$t/events/kprobes/tsclose/enable
	echo 1 >$t/events/kprobes/tsepipe/enable
	sleep 0.05
	echo 0 >$t/events/kprobes/tsclose/enable
	echo 0 >$t/events/kprobes/tsepipe/enable
	echo '-:tsclose' >>$t/kprobe_events
	echo '-:tsepipe' >>$t/kprobe_events
	i=$((i + 1))
done
kill $c1 $c2
echo "toggles: $i"
check "survived" true
finish
