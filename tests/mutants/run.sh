#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mutation lane (make check-mutants): tests that cannot lie. Each
# tests/mutants/NN-*.patch is one plausible bug, a small `git diff` of
# module/ or tools/ applying with `patch -p1` to the tree. Its header (the
# lines before the diff) says what it simulates and which tests must catch
# it:
#   Cases: REGEX   guest cases (tests/vm/NN-*.sh) that must fail, run on
#                  ONE kernel (SERIES, 6.12 by default) in one boot
#   Unit: yes      the host tests must fail: the tool's unit tests
#                  (tests/unit/run.sh) or the module's pure logic compiled
#                  in user space (tests/host/run.sh); seconds, no guest
# For each mutant this copies the tree (tracked and new, unignored files
# of the work tree, so a new test counts before it is committed) into a
# scratch directory, applies the patch, builds, and runs the named tests:
#   KILLED    some named test failed (non-zero exit, "N failed" with N > 0)
#   SURVIVED  every named test passed: a bug no test sees
#   STALE     the patch no longer applies (the code moved): fix the patch
#   ERROR     the mutant does not build warning-free, or no test was named:
#             a bug that cannot compile proves nothing about the tests
# Prints one line per mutant with its time, and ends with exactly
# "N killed, N survived" (", N errors" when any mutant was STALE or
# ERROR); exits non-zero unless every mutant was killed.
#
# Usage: tests/mutants/run.sh [PATTERN]
#   PATTERN  extended regex on the patch names (e.g. '^0[1-3]-'); all if empty
#   env: SERIES (kernel series, default 6.12), QEMU_TIMEOUT (per boot,
#        default 900 s: a mutant that hangs the guest is killed by it),
#        KEEP=1 (keep the scratch trees), MUTANT_DIR (the patches,
#        default tests/mutants), MUTANT_TMP (scratch parent,
#        default /tmp)
# Logs: build/mutants/NAME.log.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
mdir=${MUTANT_DIR:-$top/tests/mutants}
pattern=${1:-}
series=${SERIES:-6.12}
export QEMU_TIMEOUT=${QEMU_TIMEOUT:-900}
logs=$top/build/mutants
mkdir -p "$logs"
export TCPSTATE_VERSION=${TCPSTATE_VERSION:-$("$top/scripts/version.sh")}

killed=0
survived=0
errors=0
lane_t0=$(date +%s)

# The tree as it is, without build products: what git tracks plus new
# files it does not ignore.
copy_tree() {
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
		tar -xf - -C "$1"
}

# The guest's scenario programs do not change with a mutant of module/ or
# tools/: built once per lane, then copied into each scratch tree (newer
# than their sources there, so make keeps them).
scen_cache=
prepare_scenarios() {
	local base
	[ -n "$scen_cache" ] && return 0
	base=$(mktemp -d "${MUTANT_TMP:-/tmp}/tcpstate-mutbase.XXXXXX")
	copy_tree "$base"
	# shellcheck disable=SC2046
	if ! make -s -C "$base" $(cd "$base" && ls tests/scenario/*.c |
		sed 's|tests/scenario/\(.*\)\.c|build/guest/scenario/\1|') >"$logs/scenarios.log" 2>&1; then
		echo "mutants: the scenario programs do not build (see $logs/scenarios.log)" >&2
		rm -rf "$base"
		return 1
	fi
	scen_cache=$base/build/guest/scenario
}

# header FILE KEY: the value of "# KEY: value" before the diff.
header() {
	sed -n '/^diff \|^--- /q; s/^# '"$2"': *//p' "$1" | head -n 1
}

# summary_failed LOG: the N of the last "N passed, N failed" line, or
# empty when there is none.
summary_failed() {
	grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 |
		sed 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/'
}

# run_tests LOG: 0 when every named test passed, 1 when one failed, 2
# when the mutant did not build.
run_tests() {
	local log=$1 rc f

	if [ "$unit" = yes ]; then
		echo "--- tests/unit/run.sh" >>"$log"
		TCPSTATE_MUTANT=$name "$work/tests/unit/run.sh" >>"$log.unit" 2>&1
		rc=$?
		cat "$log.unit" >>"$log"
		if grep -q 'error:' "$work/build/unit/build.log" 2>/dev/null ||
		   grep -q 'error:' "$work/build/unit/tool.log" 2>/dev/null; then
			return 2
		fi
		f=$(summary_failed "$log.unit")
		if [ "$rc" -ne 0 ] || [ "${f:-1}" -ne 0 ]; then
			return 1
		fi
		echo "--- tests/host/run.sh" >>"$log"
		"$work/tests/host/run.sh" >"$log.host" 2>&1
		rc=$?
		cat "$log.host" >>"$log"
		if grep -q 'error:' "$work/build/host/build.log" 2>/dev/null; then
			return 2
		fi
		f=$(summary_failed "$log.host")
		if [ "$rc" -ne 0 ] || [ "${f:-1}" -ne 0 ]; then
			return 1
		fi
	fi
	if [ -n "$cases" ]; then
		echo "--- tests/qemu/run.sh $series '$cases'" >>"$log"
		"$work/tests/qemu/run.sh" "$series" "$cases" >"$log.qemu" 2>&1
		rc=$?
		cat "$log.qemu" >>"$log"
		# run.sh's own messages for a build that failed (warnings
		# count): not a kill.
		if grep -qE '^qemu [^ ]+: (module build|module build \(no-mcast-cap variant\)|guest programs) failed' "$log.qemu"; then
			return 2
		fi
		f=$(summary_failed "$log.qemu")
		if [ "$rc" -ne 0 ] || [ "${f:-1}" -ne 0 ]; then
			return 1
		fi
	fi
	return 0
}

n=0
for patch in "$mdir"/[0-9]*.patch; do
	[ -e "$patch" ] || continue
	name=$(basename "$patch" .patch)
	if [ -n "$pattern" ] && ! echo "$name" | grep -qE -- "$pattern"; then
		continue
	fi
	n=$((n + 1))
	cases=$(header "$patch" Cases)
	unit=$(header "$patch" Unit)
	log=$logs/$name.log
	rm -f "$log" "$log.unit" "$log.host" "$log.qemu"
	t0=$(date +%s)
	what="${cases:+cases /$cases/}${cases:+${unit:+, }}${unit:+unit}"
	if [ -z "$cases" ] && [ "$unit" != yes ]; then
		echo "ERROR    $name: names no test (Cases: or Unit: yes)"
		errors=$((errors + 1))
		continue
	fi
	work=$(mktemp -d "${MUTANT_TMP:-/tmp}/tcpstate-mutant.XXXXXX")
	copy_tree "$work"
	if ! patch -s -p1 -d "$work" <"$patch" >"$log" 2>&1; then
		echo "STALE    $name: does not apply (see $log)"
		errors=$((errors + 1))
		[ "${KEEP:-0}" = 1 ] || rm -rf "$work"
		continue
	fi
	verdict=
	# The tool first (seconds): a tools/ mutant with a warning is an
	# error, whatever its tests would say.
	if grep -q '^+++ b/tools/' "$patch" &&
	   ! make -s -C "$work/tools" WERROR=1 >>"$log" 2>&1; then
		verdict=ERROR
	elif [ -n "$cases" ] && ! prepare_scenarios; then
		verdict=ERROR
	fi
	if [ -z "$verdict" ]; then
		if [ -n "$cases" ]; then
			mkdir -p "$work/build/guest/scenario"
			cp -a "$scen_cache"/. "$work/build/guest/scenario/"
		fi
		run_tests "$log"
		case $? in
		0) verdict=SURVIVED ;;
		1) verdict=KILLED ;;
		*) verdict=ERROR ;;
		esac
	fi
	secs=$(($(date +%s) - t0))
	case $verdict in
	KILLED) killed=$((killed + 1)) ;;
	SURVIVED) survived=$((survived + 1)) ;;
	*) errors=$((errors + 1)) ;;
	esac
	detail=
	[ "$verdict" = KILLED ] &&
		detail=": $(grep -hE '\] FAIL |^not ok|FAIL - |^FAIL |^test_[a-z]+: FAIL |^  CHECK' "$log" | head -n 1 | sed 's/^ *//' | cut -c1-100)"
	[ "$verdict" = ERROR ] && detail=": does not build warning-free (see $log)"
	printf '%-9s%s (%s) %ss%s\n' "$verdict" "$name" "$what" "$secs" "$detail"
	rm -f "$log.unit" "$log.host" "$log.qemu"
	[ "${KEEP:-0}" = 1 ] || rm -rf "$work"
done
[ -n "$scen_cache" ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$(dirname "$(dirname "$(dirname "$scen_cache")")")"

if [ "$n" -eq 0 ]; then
	echo "mutants: no patch matches '${pattern}'" >&2
	errors=$((errors + 1))
fi
echo "lane: $n mutants on $series in $(($(date +%s) - lane_t0))s"
if [ "$errors" -gt 0 ]; then
	echo "$killed killed, $survived survived, $errors errors"
else
	echo "$killed killed, $survived survived"
fi
[ "$survived" -eq 0 ] && [ "$errors" -eq 0 ]
