#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the module with W=1 and sparse (C=1) against the newest headers of
# every supported kernel series and flavour (generic, rt, cloud), and the
# tool with -Werror. Any warning is a failure. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib/kernel.sh"
export TCPSTATE_VERSION=${TCPSTATE_VERSION:-$("$top/scripts/version.sh")}

passed=0
failed=0
report() {
	if [ "$1" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	echo "$1 $2"
}

for series in ${KERNEL_SERIES:-$KERNEL_SERIES_BUILD}; do
	if ! kver=$(kernel_resolve "$series") || ! kdir=$(kernel_fetch "$kver"); then
		report FAIL "module-$series (no kernel headers)"
		continue
	fi
	if "$top/tests/build-module.sh" "$kdir" "$top/build/kernels/$kver"; then
		report PASS "module-$kver (W=1 C=1, no warnings)"
	else
		report FAIL "module-$kver"
	fi
done

if make -s -C "$top/tools" clean >/dev/null && make -s -C "$top/tools" WERROR=1 >"$top/build/tools.log" 2>&1; then
	report PASS "tool (-Werror)"
else
	cat "$top/build/tools.log" >&2
	report FAIL "tool (-Werror)"
fi
# The benchmarks' QEMU plugin (bench/run.sh events-insn) is built only when
# a benchmark asks for it: build it here too, so it cannot rot unseen.
if rm -f "$top/build/insncount.so" &&
	make -s -C "$top" plugin >"$top/build/insncount.log" 2>&1; then
	report PASS "insncount QEMU plugin (-Werror)"
else
	cat "$top/build/insncount.log" >&2
	report FAIL "insncount QEMU plugin"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
