#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every mutant of the mutation lane (tests/mutants/*.patch) still applies
# to today's tree and names what must catch it (guest cases or the unit
# tests). The lane itself takes hours and runs outside make check; a patch
# the code moved away from would only show up there as STALE, after the
# fact (two did).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
for p in "$top"/tests/mutants/[0-9]*.patch; do
	name=$(basename "$p" .patch)
	if ! grep -qE '^# (Cases: |Unit: yes)' "$p"; then
		echo "FAIL mutants: $name names nothing that must catch it (# Cases: REGEX or # Unit: yes)"
		fail=$((fail + 1))
	elif ! patch -s -p1 --dry-run -d "$top" <"$p" >/dev/null 2>&1; then
		echo "FAIL mutants: $name no longer applies: regenerate it against today's code"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
