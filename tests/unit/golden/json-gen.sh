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
# shellcheck source=tests/unit/golden/gen-lib.sh
. "$(dirname "$0")/gen-lib.sh"
golden_tree "${1:-1bea987}"
objs=""
for part in LIST COUNTS EVENTS STATS VERSION MAIN; do
	# shellcheck disable=SC2086
	cc $cflags -DGEN_$part -c -o "$tmp/gen-$part.o" "$here/json-gen.c"
	objs="$objs $tmp/gen-$part.o"
done
# shellcheck disable=SC2086 # word lists
cc $cflags -o "$tmp/gen" $objs $libsrcs $libs
"$tmp/gen" "$shortrev"
