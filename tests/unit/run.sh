#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host unit tests of tcpstatectl's pure code, built with ASan and UBSan.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/unit
mkdir -p "$out"
cflags="-std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer
	-fsanitize=address,undefined -fno-sanitize-recover=all
	-isystem $top/include/uapi $(pkg-config --cflags libmnl)
	"
# Everything of the tool but main() and the command front ends.
lib=$(make -s -C "$top/tools" print-lib-srcs)
srcs=""
for f in $lib; do srcs="$srcs $top/tools/$f"; done
srcs="$srcs $(ls "$top"/tests/unit/*.c)"
# shellcheck disable=SC2086
if ! cc $cflags -o "$out/unit" $srcs $(pkg-config --libs libmnl) 2>"$out/build.log"; then
	cat "$out/build.log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
# part NAME COMMAND...: run one part into $out/NAME.log, keeping its exit
# status (a pipe into tee would hide a crash) in $out/NAME.rc.
part() {
	local name=$1
	shift
	"$@" 2>&1 | tee "$out/$name.log"
	echo "${PIPESTATUS[0]}" >"$out/$name.rc"
}
part unit "$out/unit" "$@"
# The real binary, sanitized, for the command-line checks.
if make -s -C "$top/tools" O="$out/tool" CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all" \
	LDFLAGS="-fsanitize=address,undefined" WERROR=1 >"$out/tool.log" 2>&1; then
	part cli "$top/tests/unit/cli.sh" "$out/tool/tcpstatectl"
else
	cat "$out/tool.log" >&2
	echo "0 passed, 1 failed" >"$out/cli.log"
	echo 1 >"$out/cli.rc"
fi
# Man page, completion and make install (host only, no module).
part packaging "$top/tests/unit/packaging.sh" "$out/tool/tcpstatectl"
# Not inside the mutation lane (tests/mutants/run.sh sets TCPSTATE_MUTANT):
# there the tree carries one mutant applied, which this check would report
# as no longer applying, and so kill every "Unit: yes" mutant by itself.
if [ -z "${TCPSTATE_MUTANT:-}" ]; then
	part mutants "$top/tests/unit/mutants.sh"
else
	echo "0 passed, 0 failed" >"$out/mutants.log"
	echo 0 >"$out/mutants.rc"
fi
# One summary for the parts. A part whose last line is not its
# summary, or that exited non-zero without counting a failure (a crash,
# a sanitizer abort), counts as one failure more.
p=0
failed_sum=0
for name in unit cli packaging mutants; do
	line=$(tail -n 1 "$out/$name.log")
	rc=$(cat "$out/$name.rc" 2>/dev/null || echo 1)
	if ! echo "$line" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
		echo "unit: $name ended without a summary line (exit $rc)" >&2
		failed_sum=$((failed_sum + 1))
		continue
	fi
	f=${line#*passed, }
	f=${f%% failed}
	p=$((p + ${line%% passed*}))
	failed_sum=$((failed_sum + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "unit: $name exited with status $rc and counted no failure" >&2
		failed_sum=$((failed_sum + 1))
	fi
done
echo "$p passed, ${failed_sum} failed"
[ "$failed_sum" -eq 0 ]
