#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test runner in turn. Each prints "N passed, N failed";
# this adds them up, prints the total the same way, and fails if any failed.
#   env: KERNEL_SERIES="6.1 6.12" (QEMU and build matrix), CASES=regex
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. "$top/tests/lib/kernel.sh"
mkdir -p build
export TCPSTATE_VERSION=${TCPSTATE_VERSION:-$(scripts/version.sh)}

total_p=0
total_f=0
total_s=0
summary=""
# account NAME SECONDS RC: add up the summary of build/check-NAME.log,
# which must be its last line: "N passed, N failed" (", N skipped" may
# follow). No such last line, or a non-zero exit status with no failure
# counted (a crash, a kill), is one failure more: a runner never passes
# by saying nothing.
account() {
	local name=$1 secs=$2 rc=${3:-1} log=build/check-$1.log line p f s

	line=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)
	if ! echo "$line" | grep -qE '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'; then
		echo "$name: runner ended without a summary (exit $rc)" >&2
		echo "$name: runner ended without a summary (exit $rc)" >>"$log"
		line="0 passed, 1 failed"
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	s=0
	case "$line" in *skipped) s=${line##*failed, }; s=${s%% skipped} ;; esac
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: runner exited with status $rc but counted no failure" >&2
		echo "$name: runner exited with status $rc but counted no failure" >>"$log"
		f=1
		line="$line (exit $rc: counted as 1 failed)"
	fi
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	total_s=$((total_s + s))
	summary="$summary$(printf '  %-14s %s (%ss)' "$name" "$line" "$secs")\n"
}

run() {
	local name=$1 t0 rc
	shift
	echo "==> $name"
	t0=$(date +%s)
	"$@" 2>&1 | tee "build/check-$name.log"
	rc=${PIPESTATUS[0]}
	account "$name" $(($(date +%s) - t0)) "$rc"
}

scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }

# The cases a series runs: CASES if given, else every case, except on the
# cloud flavour, which runs the cases of KERNEL_CASES_CLOUD (the load,
# socket-table, owners and events cases), and on the rt flavour, which
# runs KERNEL_CASES_RT (every case if it is set empty: make check-rt);
# tests/lib/kernel.sh says why.
series_cases() {
	if [ -n "${CASES:-}" ]; then
		echo "$CASES"
	else
		case $1 in
		*-cloud) echo "$KERNEL_CASES_CLOUD" ;;
		*-rt) echo "$KERNEL_CASES_RT" ;;
		esac
	fi
}

run unit tests/unit/run.sh
run host tests/host/run.sh
run jsoncheck tests/unit/jsoncheck.sh
run fuzz tests/fuzz/run.sh
run promtool tests/unit/promtool.sh
run build-matrix tests/build-matrix.sh
# Before the guests: it leaves the DKMS-built module for 16-dkms-modprobe.
run dkms tests/dkms/host.sh ${KERNEL_SERIES:-$KERNEL_SERIES_BUILD}
# The Debian packages: built, linted, installed with apt (DKMS builds the
# module for the 6.1 and 6.12 headers it installs), booted, upgraded,
# purged. Only on the generic series make check runs (the packages do
# not differ by flavour; tests/dkms/host.sh builds for the rt headers).
deb_series=$(for s in ${KERNEL_SERIES:-$KERNEL_SERIES_ALL}; do
	case $s in *-*) ;; *) echo "$s" ;; esac
done)
[ -n "$deb_series" ] && run deb tests/deb/run.sh $deb_series
# The guests. Each is one host thread (TCG thread=single), so they run
# side by side, as many at once as there are cores: prepared one after
# the other first (module, initramfs, the Debian packages they share in
# one cache), then booted from a queue, each into its own log, shown when
# all are done. QEMU_PARALLEL=0 runs them in turn.
series_all=${KERNEL_SERIES:-$KERNEL_SERIES_ALL}
nseries=$(echo "$series_all" | wc -w)
slots=$(nproc)
[ "${QEMU_PARALLEL:-1}" = 1 ] || slots=1
if [ "$slots" -gt 1 ] && [ "$nseries" -gt 1 ]; then
	for series in $series_all; do
		echo "==> qemu-$series: prepare"
		QEMU_PREPARE_ONLY=1 tests/qemu/run.sh "$series" 2>&1
	done
	rm -f build/check-qemu-*.secs build/check-qemu-*.rc
	running=0
	for series in $series_all; do
		if [ "$running" -ge "$slots" ]; then
			wait -n
			running=$((running - 1))
		fi
		(
			t0=$(date +%s)
			tests/qemu/run.sh "$series" "$(series_cases "$series")" \
				>"build/check-qemu-$series.log" 2>&1
			echo $? >"build/check-qemu-$series.rc"
			echo $(($(date +%s) - t0)) >"build/check-qemu-$series.secs"
		) &
		running=$((running + 1))
		echo "==> qemu-$series: booted in the background (build/check-qemu-$series.log)"
	done
	wait
	for series in $series_all; do
		echo "==> qemu-$series"
		cat "build/check-qemu-$series.log"
		account "qemu-$series" "$(cat "build/check-qemu-$series.secs" 2>/dev/null)" \
			"$(cat "build/check-qemu-$series.rc" 2>/dev/null || echo 1)"
	done
else
	for series in $series_all; do
		run "qemu-$series" tests/qemu/run.sh "$series" "$(series_cases "$series")"
	done
fi

# CI keeps only the tail of this output: name every failure here, with
# the end of a failed guest case's console output, so the tail explains.
if [ "$total_f" -ne 0 ]; then
	echo
	echo "==> failures"
	for log in build/check-*.log; do
		grep -E '^not ok|\] FAIL |runner ended without|^qemu [0-9.]+: ' "$log" |
			sed "s|^|  $(basename "$log" .log | sed 's/^check-//'): |"
	done
	for log in build/check-qemu-*.log; do
		console=$(sed -n 's/^qemu .*console log \(.*\)$/\1/p' "$log" | tail -n 1)
		[ -f "$console" ] || continue
		for c in $(sed -n 's/^  \[[0-9.]*\] FAIL \([^ ]*\) .*/\1/p' "$log"); do
			echo "--- end of $c in $console"
			tr -d '\r' <"$console" |
				sed -n "/^=== case $c /,/^--- dmesg tail after $c\$/p" |
				tail -n 40
		done
	done
fi

# Skips are never passes: name each one and its reason.
if [ "$total_s" -ne 0 ]; then
	echo
	echo "==> skipped"
	for log in build/check-*.log; do
		grep -E '\] SKIP |^skip ' "$log" |
			sed "s|^|  $(basename "$log" .log | sed 's/^check-//'): |"
	done
fi

echo
echo "==> summary"
printf "%b" "$summary"
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
