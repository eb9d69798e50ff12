# Emulator self-check, not a test of tcpstate: the module is NOT loaded.
# Runs the events benchmark's connect/send/close loops (clean and unread
# close) 30 times each, 3,000 connections a loop, with nothing of ours in
# the kernel. Under QEMU 7.2 TCG with -icount and "-cpu max", the guest
# dies now and then of a double fault in kmem_cache_alloc_node_noprof
# (kmalloc_reserve <- __alloc_skb <- tcp_connect), "Not tainted", with
# EFLAGS holding a register's low bits: the instruction before the faulting
# RIP is SLUB's per-cpu fastpath "cmpxchg16b %gs:(%rsi)", whose flags the
# emulator gets wrong under -icount. Measured on 2026-12-03, 6.12.118:
# "-cpu max" 4 of 12 guests died (2 of 6 with this script, 2 of 6 running
# bench/run.sh events, which loads the module: same function, same
# signature); "-cpu max,-cx16" (the kernel then uses its
# this_cpu_cmpxchg16b_emu fallback) 0 of 12. tests/qemu/run.sh therefore
# boots -icount guests with -cpu max,-cx16. Without -icount no guest ever
# died this way.
# Run: QEMU_ICOUNT=1 QEMU_CPU=max tests/qemu/run.sh 6.12 manual/emulator-cx16
# timeout: 900
. /tests/lib.sh
unload_module
sysctl -qw net.ipv4.tcp_max_tw_buckets=262144
port=3000
i=0
while [ $i -lt ${LOOPS:-30} ]; do
	taskset 1 evscen loop -p $port -n 3000 >/dev/null || { fail "loop $i"; break; }
	taskset 1 evscen loop -p $((port + 1)) -n 3000 -u >/dev/null || { fail "unread loop $i"; break; }
	port=$((port + 2))
	i=$((i + 1))
done
echo "loops: $i"
check "survived" true
finish
