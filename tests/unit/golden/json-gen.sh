#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate tests/unit/golden/json_expected.h from the JSON printers of
# commit REV (default 1bea987, before issue 25's single JSON writer): the
# golden tests (tests/unit/test_json_golden.c) then hold today's printers to
# the bytes that commit printed. REV must still have each command's own
# static print_json() (1bea987 and before); the golden file is not meant to
# be regenerated from the code it checks.
#   tests/unit/golden/json-gen.sh [REV] [> FILE]   (default: prints it)
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tests/unit/golden
rev=${1:-1bea987}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$top" archive "$rev" tools include | tar -x -C "$tmp"
echo '#define TCPSTATE_TOOL_VERSION "golden"' >"$tmp/tools/version.gen.h"
cflags="-std=gnu11 -O1 -g -I$tmp/tools -isystem $tmp/include/uapi $(pkg-config --cflags libmnl)"
lib=$(make -s -C "$tmp/tools" print-lib-srcs)
objs=""
for part in LIST COUNTS EVENTS STATS VERSION MAIN; do
	# shellcheck disable=SC2086
	cc $cflags -DGEN_$part -c -o "$tmp/gen-$part.o" "$here/json-gen.c"
	objs="$objs $tmp/gen-$part.o"
done
srcs=""
for f in $lib; do srcs="$srcs $tmp/tools/$f"; done
# shellcheck disable=SC2086,SC2046 # word lists
cc $cflags -o "$tmp/gen" $objs $srcs $(pkg-config --libs libmnl)
"$tmp/gen" "$(git -C "$top" rev-parse --short "$rev")"
