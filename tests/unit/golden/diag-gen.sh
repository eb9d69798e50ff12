#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate tests/unit/golden/diag_expected.h from the diagnose printers
# of commit REV (default 870d9a6, the last before diagnose's JSON went
# through the single JSON writer): tests/unit/test_diag_golden.c then
# holds today's printers to the bytes that commit printed, text and JSON.
# The golden file is not meant to be regenerated from the code it checks.
#   tests/unit/golden/diag-gen.sh [REV] [> FILE]   (default: prints it)
set -eu
# shellcheck source=tests/unit/golden/gen-lib.sh
. "$(dirname "$0")/gen-lib.sh"
golden_tree "${1:-870d9a6}"
# shellcheck disable=SC2086 # word lists
cc $cflags -o "$tmp/gen" "$here/diag-gen.c" $libsrcs $libs
"$tmp/gen" "$shortrev"
