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
	-DTCPSTATE_TOOL_VERSION=\"unit\""
# Everything of the tool but main() and the command front ends.
lib="nl.c parse.c query.c"
srcs=""
for f in $lib; do srcs="$srcs $top/tools/$f"; done
srcs="$srcs $(ls "$top"/tests/unit/*.c)"
# shellcheck disable=SC2086
if ! cc $cflags -o "$out/unit" $srcs $(pkg-config --libs libmnl) 2>"$out/build.log"; then
	cat "$out/build.log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	"$out/unit" "$@"
