#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one Debian kernel series in QEMU (TCG) with the module and run the
# in-guest cases. Ends with "N passed, N failed"; exits non-zero on failure.
#
# Usage: tests/qemu/run.sh SERIES [CASE_REGEX]
#   SERIES   6.1 or 6.12 (the newest of the series is resolved now)
#   env: QEMU_TIMEOUT (seconds, default 1200), QEMU_MEM (MiB, default 2048),
#        TCPSTATE_CACHE (kernel cache), TCPSTATE_MODE (test|demo)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/kernel.sh"

series=${1:?usage: run.sh SERIES [CASE_REGEX]}
cases=${2:-}
mode=${TCPSTATE_MODE:-test}
timeout_s=${QEMU_TIMEOUT:-1200}
mem=${QEMU_MEM:-2048}

fail_all() {
	echo "qemu $series: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

kver=$(kernel_resolve "$series") || fail_all "cannot resolve a kernel"
kdir=$(kernel_fetch "$kver") || fail_all "cannot fetch $kver"
out=$top/build/qemu/$kver
mkdir -p "$out"

export TCPSTATE_VERSION=${TCPSTATE_VERSION:-$("$top/scripts/version.sh")}
"$top/tests/build-module.sh" "$kdir" "$top/build/kernels/$kver" ||
	fail_all "module build failed"
make -s -C "$top" guest-bin >/dev/null || fail_all "guest programs failed to build"
"$top/tests/qemu/mkinitramfs.sh" "$kdir" "$top/build/kernels/$kver/tcpstate.ko" \
	"$top/build/guest" "$out/initramfs.cpio.gz" || fail_all "initramfs failed"

append="console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1 slub_debug=FZPU"
append="$append tcpstate.mode=$mode"
[ -n "$cases" ] && append="$append tcpstate.cases=$cases"
# kfence exists in Debian's 6.12 config, not in 6.1's.
grep -q '^CONFIG_KFENCE=y' "$kdir/root/boot/config-$kver" &&
	append="$append kfence.sample_interval=100"

rm -f "$out/console.log" "$out/results.log"
echo "qemu: booting $kver ($mode${cases:+, cases /$cases/})" >&2
start=$(date +%s.%N)
timeout --foreground -k 10 "$timeout_s" \
	qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "$mem" \
	-nodefaults -display none -no-reboot -monitor none \
	-serial "file:$out/console.log" -serial "file:$out/results.log" \
	-kernel "$kdir/vmlinuz" -initrd "$out/initramfs.cpio.gz" \
	-append "$append" </dev/null >"$out/qemu.log" 2>&1
qrc=$?
end=$(date +%s.%N)
elapsed=$(echo "$end - $start" | bc)

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
grep -E '^RESULT (PASS|FAIL)' "$out/results.txt" | sed "s/^RESULT /  [$series] /"
if ! grep -q '^RESULT DONE' "$out/results.txt"; then
	last=$(grep '^RESULT START' "$out/results.txt" | tail -n 1 | cut -d' ' -f3)
	if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
		why="guest hung: killed after ${timeout_s}s"
	else
		why="guest died (qemu exit $qrc)"
	fi
	echo "  [$series] FAIL ${last:-boot} $why" >&2
	grep -E -A 30 'Kernel panic|BUG:|WARNING:|Oops' "$out/console.log" | head -n 60 >&2
	failed=$((failed + 1))
fi
echo "qemu $kver: ${elapsed%.*}s, console log $out/console.log" >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
