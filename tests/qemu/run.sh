#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one Debian kernel series in QEMU (TCG) with the module and run the
# in-guest cases. Ends with "N passed, N failed"; exits non-zero on failure.
#
# Usage: tests/qemu/run.sh SERIES [CASE_REGEX]
#   SERIES   6.1 or 6.12 (the newest of the series is resolved now), or
#            6.1-rt / 6.12-rt, their PREEMPT_RT flavours (not in the
#            default matrix; KERNEL_SERIES="6.12-rt" selects them in
#            tests/build-matrix.sh and tests/check.sh)
#   env: QEMU_TIMEOUT (seconds, default 4200), QEMU_MEM (MiB, default 2048),
#        QEMU_ICOUNT=1 (instruction-counted guest time, for benchmarks),
#        QEMU_TCG_OPTS (e.g. thread=multi; see the note below),
#        QEMU_PLUGIN=insncount (per-vCPU instruction counts, benchmarks),
#        TCPSTATE_CACHE (kernel cache), TCPSTATE_MODE (test|demo),
#        TCPSTATE_KVER (boot this kernel of the cache instead, e.g. the
#        debug kernel of tests/debug/build-kernel.sh),
#        QEMU_APPEND (more kernel command-line options),
#        QEMU_PREPARE_ONLY=1 (build the module and initramfs, fetch what the
#        guest needs, do not boot: lets tests/check.sh prepare serially
#        and then boot several series at once),
#        TCPSTATE_KO + TCPSTATE_TOOL (boot this module and this tcpstatectl
#        instead of building them: the Debian packages' test boots what
#        DKMS built and the package installed; logs go to KVER-pkg)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/kernel.sh"
. "$top/tests/lib/debpkg.sh"

series=${1:?usage: run.sh SERIES [CASE_REGEX]}
cases=${2:-}
mode=${TCPSTATE_MODE:-test}
timeout_s=${QEMU_TIMEOUT:-4200}
mem=${QEMU_MEM:-2048}

fail_all() {
	echo "qemu $series: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

if [ -n "${TCPSTATE_KVER:-}" ]; then
	# A kernel built into the cache, e.g. by tests/debug/build-kernel.sh.
	kver=$TCPSTATE_KVER
	kdir=$TCPSTATE_CACHE/kernels/$kver
	[ -e "$kdir/.complete" ] || fail_all "no kernel $kver in $TCPSTATE_CACHE/kernels"
else
	kver=$(kernel_resolve "$series") || fail_all "cannot resolve a kernel"
	kdir=$(kernel_fetch "$kver") || fail_all "cannot fetch $kver"
fi
# A benchmark or the demo may boot while a test run of the same kernel is
# under way: each mode has its own logs and initramfs.
out=$top/build/qemu/$kver
[ "$mode" = test ] || out=$out-$mode
ko=$top/build/kernels/$kver/tcpstate.ko
if [ -n "${TCPSTATE_KO:-}" ]; then
	[ -f "$TCPSTATE_KO" ] || fail_all "TCPSTATE_KO: no file $TCPSTATE_KO"
	[ -x "${TCPSTATE_TOOL:-}" ] || fail_all "TCPSTATE_KO needs TCPSTATE_TOOL, the tcpstatectl of the same version"
	ko=$TCPSTATE_KO
	out=$out-pkg
fi
mkdir -p "$out"

export TCPSTATE_VERSION=${TCPSTATE_VERSION:-$("$top/scripts/version.sh")}
if [ -z "${TCPSTATE_KO:-}" ]; then
	"$top/tests/build-module.sh" "$kdir" "$top/build/kernels/$kver" ||
		fail_all "module build failed"
fi
# The fail-closed variant (65-events-fail-closed): built as if the kernel
# had no GENL_MCAST_CAP_NET_ADMIN. Only when a case that loads it runs.
variant=
if [ "$mode" = test ] && [ -z "${TCPSTATE_KO:-}" ] && { [ -z "$cases" ] || echo 65-events-fail-closed | grep -qE -- "$cases"; }; then
	TCPSTATE_TEST_NO_MCAST_CAP=1 "$top/tests/build-module.sh" "$kdir" \
		"$top/build/kernels/$kver/nomcast" ||
		fail_all "module build (no-mcast-cap variant) failed"
	variant=$top/build/kernels/$kver/nomcast/tcpstate.ko
fi
# make check boots the series side by side, each running this: one build
# of the shared guest programs at a time (one make in a tree at once).
mkdir -p "$top/build"
flock "$top/build/guest-bin.lock" make -s -C "$top" guest-bin >/dev/null ||
	fail_all "guest programs failed to build"
# Debian's node_exporter scrapes our metrics file in 36-node-exporter; if
# it cannot be fetched, that case (alone) fails and says so.
node_root=$(debpkg_get prometheus-node-exporter usr/bin/prometheus-node-exporter) &&
	export NODE_EXPORTER=$node_root/usr/bin/prometheus-node-exporter
# The DKMS-built module (tests/dkms/host.sh, or TCPSTATE_KO, which DKMS
# built from the package) rides along for 16-dkms-modprobe.
NOMCAST_KO=$variant "$top/tests/qemu/mkinitramfs.sh" "$kdir" "$ko" \
	"$top/build/guest" "$out/initramfs.cpio.gz" "${TCPSTATE_KO:-$top/build/dkms/$kver/tcpstate.ko}" ||
	fail_all "initramfs failed"
if [ "${QEMU_PREPARE_ONLY:-0}" = 1 ]; then
	echo "qemu $series: $kver prepared in $out" >&2
	exit 0
fi

# no_timer_check: under TCG on a loaded host the kernel's check that the
# IO-APIC timer ticks can miss its window and panic the boot ("IO-APIC +
# timer doesn't work!", seen on 6.1); virtual machines skip it as KVM
# guests do.
append="console=ttyS0 quiet panic=-1 oops=panic no_timer_check"
append="$append tcpstate.mode=$mode"
[ "$mode" = bench ] && append="$append tcpstate.bench=${TCPSTATE_BENCH:?}"
# TCPSTATE_BENCH_VARS="N=3000 ROUNDS=15": variables the benchmark reads.
for v in ${TCPSTATE_BENCH_VARS:-}; do
	case $v in
	[A-Z]*=[0-9]*) ;;
	*) echo "qemu: TCPSTATE_BENCH_VARS: '$v' is not NAME=number" >&2; exit 2 ;;
	esac
	case ${v%%=*}${v#*=} in
	*[!A-Z_0-9]*) echo "qemu: TCPSTATE_BENCH_VARS: '$v' is not NAME=number" >&2; exit 2 ;;
	esac
	append="$append tcpstate.benchvar=$v"
done
[ -n "$cases" ] && append="$append tcpstate.cases=$cases"
# Tests run with the kernel's debug checks on: any WARN panics, slab
# objects are poisoned, red-zoned and tracked, and kfence samples (it is
# in Debian's 6.12 config, not in 6.1's). Benchmarks measure the kernel as
# Debian ships it, without them.
if [ "$mode" != bench ]; then
	append="$append panic_on_warn=1 slub_debug=FZPU"
	grep -q '^CONFIG_KFENCE=y' "$kdir/root/boot/config-$kver" &&
		append="$append kfence.sample_interval=100"
fi

append="$append${QEMU_APPEND:+ $QEMU_APPEND}"

rm -f "$out/console.log" "$out/results.log"
# A monitor on loopback lets us ask a hung guest for backtraces (SysRq-l
# sends an NMI to every CPU, so it works even with interrupts off).
mport=$((20000 + RANDOM % 20000))
append="$append sysrq_always_enabled=1"
echo "qemu: booting $kver ($mode${cases:+, cases /$cases/})" >&2
start=$(date +%s.%N)
# QEMU_ICOUNT=1 (benchmarks): guest time advances with executed
# instructions, so timings inside the guest no longer depend on the host.
# Both series run on one host thread (round-robin vCPUs). Under QEMU
# 7.2's multi-threaded TCG, code patched while other vCPUs run it (static
# keys, ftrace-based kprobes: text_poke_bp) can execute stale: 6.12 dies
# of "Oops: int3" toggling two tracepoints (tests/vm/manual/emulator-int3.sh)
# and 6.1 of a call to NULL from tcp_close toggling kprobes on
# __tcp_close (tests/vm/manual/emulator-kprobe.sh), both without our
# module and both fine with thread=single. tcpstate patches exactly those
# sites on every insmod/rmmod. QEMU_TCG_OPTS overrides (thread=multi to
# see the emulator bug).
tcg_opts=${QEMU_TCG_OPTS-thread=single}
accel="-accel tcg${tcg_opts:+,$tcg_opts}"
cpu=max
# Under -icount, QEMU 7.2 TCG sometimes gets the flags of cmpxchg16b wrong
# (SLUB's per-cpu fastpath): the guest dies of a double fault in
# kmem_cache_alloc_node, with or without our module
# (tests/vm/manual/emulator-cx16.sh: 4 of 12 guests with -cpu max, 0 of 12
# without cx16). Without cx16 the kernel uses its cmpxchg16b emulation.
if [ "${QEMU_ICOUNT:-0}" = 1 ]; then
	accel="-accel tcg -icount shift=0,sleep=off,align=off"
	cpu=max,-cx16
fi
cpu=${QEMU_CPU:-$cpu}
# QEMU_PLUGIN=insncount (a benchmark's qemu-env line): count each vCPU's
# instructions, logged at the guest's markers (tests/qemu/insncount.c).
plugin=()
rm -f "$out/plugin.log"
if [ "${QEMU_PLUGIN:-}" = insncount ]; then
	make -s -C "$top" plugin >/dev/null ||
		fail_all "insncount plugin failed to build"
	plugin=(-plugin "$top/build/insncount.so" -d plugin -D "$out/plugin.log")
fi
# shellcheck disable=SC2086
qemu-system-x86_64 $accel -cpu "$cpu" -smp 2 -m "$mem" \
	-nodefaults -display none -no-reboot \
	-monitor "tcp:127.0.0.1:$mport,server,nowait" \
	-serial "file:$out/console.log" -serial "file:$out/results.log" \
	-kernel "$kdir/vmlinuz" -initrd "$out/initramfs.cpio.gz" \
	-append "$append" "${plugin[@]}" </dev/null >"$out/qemu.log" 2>&1 &
qpid=$!
hung=0
deadline=$(( $(date +%s) + timeout_s ))
while kill -0 "$qpid" 2>/dev/null; do
	if [ "$(date +%s)" -ge "$deadline" ]; then
		hung=1
		echo "qemu: guest hung after ${timeout_s}s; asking for backtraces" >&2
		if exec 9<>"/dev/tcp/127.0.0.1/$mport"; then
			for k in l w; do
				echo "sendkey alt-sysrq-$k" >&9
				sleep 8
			done
			exec 9>&-
		fi
		kill "$qpid" 2>/dev/null
		sleep 2
		kill -9 "$qpid" 2>/dev/null
		break
	fi
	sleep 1
done
wait "$qpid" 2>/dev/null
qrc=$?
[ "$hung" = 1 ] && qrc=124
end=$(date +%s.%N)
elapsed=$(echo "$end - $start" | bc)

if [ "$mode" = bench ]; then
	echo "kernel $kver"
	tr -d '\r' <"$out/results.log" | grep -E '^(BENCH|INSNRUN) '
	[ -f "$out/plugin.log" ] && sed -n 's/^MARK /INSNMARK /p' "$out/plugin.log"
	grep -q 'RESULT DONE' "$out/results.log" 2>/dev/null || {
		echo "benchmark did not finish (see $out/console.log)" >&2
		exit 1
	}
	exit 0
fi
if [ "$mode" = demo ]; then
	tr -d '\r' <"$out/console.log" | sed -n '/^==== tcpstate demo/,$p' |
		grep -v -E '^\[ *[0-9]+\.[0-9]+\]|reboot: Power down'
	grep -q 'RESULT DONE' "$out/results.log" 2>/dev/null || {
		echo "demo did not finish (see $out/console.log)" >&2
		exit 1
	}
	exit 0
fi

tr -d '\r' <"$out/results.log" 2>/dev/null | grep '^RESULT ' >"$out/results.txt"
passed=$(grep -c '^RESULT PASS' "$out/results.txt")
failed=$(grep -c '^RESULT FAIL' "$out/results.txt")
skipped=$(grep -c '^RESULT SKIP' "$out/results.txt")
grep -E '^RESULT (PASS|FAIL|SKIP)' "$out/results.txt" | sed "s/^RESULT /  [$series] /"
if ! grep -q '^RESULT DONE' "$out/results.txt"; then
	last=$(grep '^RESULT START' "$out/results.txt" | tail -n 1 | cut -d' ' -f3)
	if [ "$qrc" -eq 124 ]; then
		why="guest hung: killed after ${timeout_s}s"
	else
		why="guest died (qemu exit $qrc)"
	fi
	echo "  [$series] FAIL ${last:-boot} $why" >&2
	grep -E -A 30 'Kernel panic|BUG:|WARNING:|Oops|sysrq: Show' "$out/console.log" | head -n 80 >&2
	failed=$((failed + 1))
fi
# A pattern that matched no case ran nothing: that is no pass.
if grep -q '^RESULT DONE' "$out/results.txt" && [ $((passed + failed + skipped)) -eq 0 ]; then
	echo "  [$series] FAIL no case matched '${cases:-}'" >&2
	failed=1
fi
echo "qemu $kver: ${elapsed%.*}s, console log $out/console.log" >&2
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
