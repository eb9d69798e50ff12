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
"$out/unit" "$@" | tee "$out/unit.log"
# The real binary, sanitized, for the command-line checks.
if make -s -C "$top/tools" O="$out/tool" CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all" \
	LDFLAGS="-fsanitize=address,undefined" WERROR=1 >"$out/tool.log" 2>&1; then
	"$top/tests/unit/cli.sh" "$out/tool/tcpstatectl" | tee "$out/cli.log"
else
	cat "$out/tool.log" >&2
	echo "0 passed, 1 failed" >"$out/cli.log"
fi
# Man page, completion and make install (host only, no module).
"$top/tests/unit/packaging.sh" "$out/tool/tcpstatectl" | tee "$out/packaging.log"
# One summary for the three parts.
p=0; f=0
for log in "$out/unit.log" "$out/cli.log" "$out/packaging.log"; do
	line=$(tail -n 1 "$log")
	p=$((p + ${line%% passed*}))
	f=${line#*passed, }
	f=$((${f%% failed} + 0)) && true
	failed_sum=$(( ${failed_sum:-0} + f ))
done
echo "$p passed, ${failed_sum} failed"
[ "$failed_sum" -eq 0 ]
