#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run one benchmark in a QEMU guest (the newest Debian 6.12 kernel, or
# SERIES=6.1) and record its table in bench/RESULTS.md.
#   bench/run.sh NAME       NAME is a script in tests/vm/bench/ (sockets, ...)
# BENCH_SECTION=LABEL files the table under LABEL instead of NAME (the same
# benchmark under another emulator set-up, e.g. QEMU_ICOUNT=0).
# BENCH_VARS="ROUNDS=15 N=3000" sets the benchmark's own size variables.
# Numbers are wall-clock medians inside the guest; only ratios measured in
# the same run mean anything (TCG emulation is slow in absolute terms).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: bench/run.sh NAME}
[ -f "$top/tests/vm/bench/$name.sh" ] || { echo "no tests/vm/bench/$name.sh" >&2; exit 2; }
series=${SERIES:-6.12}
label=${BENCH_SECTION:-$name}
case $label in *[!A-Za-z0-9_-]*) echo "bad BENCH_SECTION" >&2; exit 2 ;; esac
# A benchmark may ask for its own emulator set-up with a line
# "# qemu-env: VAR=value ..." (events-smp: multi-threaded TCG, no -icount).
qenv=$(sed -n 's/^# qemu-env: //p' "$top/tests/vm/bench/$name.sh")
out=$(mktemp)
# shellcheck disable=SC2086
env TCPSTATE_MODE=bench TCPSTATE_BENCH=$name QEMU_TIMEOUT=${QEMU_TIMEOUT:-2400} \
	TCPSTATE_BENCH_VARS="${BENCH_VARS:-}" \
	QEMU_ICOUNT=${QEMU_ICOUNT:-1} $qenv \
	"$top/tests/qemu/run.sh" "$series" >"$out" 2>&1 || { cat "$out"; exit 1; }
kver=$(sed -n 's/^kernel //p' "$out")
rows=$(sed -n 's/^BENCH //p' "$out")
# A benchmark measured by the insncount plugin has its table computed here,
# from the guest's runs (INSNRUN) and the plugin's counts (INSNMARK).
if [ -x "$top/tests/vm/bench/$name.post" ]; then
	rows=$(grep -E '^INSN(RUN|MARK) ' "$out" | "$top/tests/vm/bench/$name.post") ||
		{ cat "$out"; echo "$name.post failed" >&2; exit 1; }
fi
[ -n "$rows" ] || { cat "$out"; echo "no results" >&2; exit 1; }
results=$top/bench/RESULTS.md
[ -f "$results" ] || printf '# Benchmark results\n\nProduced by `bench/run.sh NAME`; each section is replaced when its benchmark is run again.\n' >"$results"
# Which clock the guest's timings ran on: bench/run.sh counts instructions
# unless QEMU_ICOUNT=0 (from the caller or the benchmark's qemu-env line).
case " ${QEMU_ICOUNT:-1} $qenv " in
*" QEMU_PLUGIN=insncount "*) clock="instructions executed per vCPU, counted by the insncount QEMU plugin (exact)" ;;
*" QEMU_ICOUNT=0 "* | " 0 "*) clock="wall-clock guest time" ;;
*) clock="instruction-counted guest time (-icount shift=0: 1 ms is 1 M guest instructions)" ;;
esac
section=$(mktemp)
{
	echo "<!-- bench:$label -->"
	echo "## $label"
	echo
	echo "Command: \`${BENCH_SECTION:+BENCH_SECTION=$label }${BENCH_VARS:+BENCH_VARS=\"$BENCH_VARS\" }${QEMU_ICOUNT:+QEMU_ICOUNT=$QEMU_ICOUNT }bench/run.sh $name\` on $(date -u +%Y-%m-%d), kernel $kver, QEMU TCG, 2 vCPUs."
	echo "Medians of interleaved runs (output to /dev/null)${qenv:+; emulator: $qenv}; $clock."
	echo
	echo "$rows"
	echo "<!-- /bench:$label -->"
} >"$section"
# Replace this benchmark's section, or append it.
awk -v name="$label" -v secfile="$section" '
	BEGIN { while ((getline l < secfile) > 0) sec = sec l "\n" }
	$0 == "<!-- bench:" name " -->" { skip = 1; printf "%s", sec; done = 1 }
	!skip { print }
	$0 == "<!-- /bench:" name " -->" { skip = 0 }
	END { if (!done) printf "\n%s", sec }
' "$results" >"$results.new" && mv "$results.new" "$results"
cat "$section"
rm -f "$out" "$section"
