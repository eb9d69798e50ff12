# Emulator self-check, not a test of tcpstate: the module is NOT loaded.
# Toggles two tracepoints (i.e. their static keys, patched with
# text_poke_bp's int3 protocol) while other CPUs run the patched code in
# connect/close loops. Under QEMU 7.2 multi-threaded TCG the 6.12 guest
# dies within a second with "Oops: int3" in inet_sk_state_store or
# tcp_done: a vCPU executes a stale translation of the int3 after the
# kernel finished patching. 6.1 survives this one (not
# emulator-kprobe.sh), and 6.12 with -accel tcg,thread=single survives it,
# which is why tests/qemu/run.sh boots both series that way.
# Run: QEMU_TCG_OPTS=thread=multi tests/qemu/run.sh 6.12 manual/emulator-int3
# timeout: 900
. /tests/lib.sh
unload_module
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
(while :; do evscen loop -p 6100 -n 200 >/dev/null 2>&1; done) &
c1=$!
(while :; do evscen storm -p 6101 -n 200 >/dev/null 2>&1; done) &
c2=$!
i=0
while [ $i -lt 300 ]; do
  echo 1 > /sys/kernel/tracing/events/sock/inet_sock_set_state/enable
  echo 1 > /sys/kernel/tracing/events/tcp/tcp_destroy_sock/enable 2>/dev/null
  sleep 0.05
  echo 0 > /sys/kernel/tracing/events/sock/inet_sock_set_state/enable
  echo 0 > /sys/kernel/tracing/events/tcp/tcp_destroy_sock/enable 2>/dev/null
  i=$((i+1))
done
kill $c1 $c2
echo "toggles: $i"
check "survived" true
finish
