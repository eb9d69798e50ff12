#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host micro-benchmark of events --json's printer (bench/json-events.c):
# N records to /dev/null, printed by the printer of REV (default 1bea987,
# before issue 25's single JSON writer) and by the work tree's, interleaved
# RUNS times each; then, with valgrind, callgrind's instructions per record
# (N=CG_N records, the setup's own instructions taken out by a run of 0).
#   bench/json-events.sh [REV]     env N (3000000), RUNS (5), CG_N (200000)
# Prints one line per run and a Markdown table: median and lowest CPU
# ns/record, and instructions per record.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:-1bea987}
n=${N:-3000000}
runs=${RUNS:-5}
cg_n=${CG_N:-200000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# build NAME TREE: $tmp/NAME from TREE's tools/ with the tool's own flags.
build() {
	local name=$1 tree=$2 def="" srcs="" f
	[ -f "$tree/tools/jsonfmt.h" ] || def=-DOLD_CMD_EVENTS
	echo '#define TCPSTATE_TOOL_VERSION "bench"' >"$tmp/version.gen.h"
	for f in $(make -s -C "$tree/tools" print-lib-srcs); do srcs="$srcs $tree/tools/$f"; done
	# shellcheck disable=SC2086,SC2046 # word lists
	cc -std=gnu11 -O2 -g -D_FORTIFY_SOURCE=2 $def -I"$tree/tools" -I"$tmp" \
		-isystem "$tree/include/uapi" $(pkg-config --cflags libmnl) \
		-o "$tmp/$name" "$top/bench/json-events.c" $srcs $(pkg-config --libs libmnl)
}
mkdir "$tmp/tree"
git -C "$top" archive "$rev" tools include | tar -x -C "$tmp/tree"
build old "$tmp/tree"
build new "$top"
# The same bytes, or the comparison means nothing.
"$tmp/old" 100000 >"$tmp/old.out" 2>/dev/null
"$tmp/new" 100000 >"$tmp/new.out" 2>/dev/null
cmp -s "$tmp/old.out" "$tmp/new.out" || { echo "old and new print different bytes" >&2; exit 1; }

for i in $(seq "$runs"); do
	for v in old new; do
		r=$("$tmp/$v" "$n" 2>&1 >/dev/null | sed -n 's/^ns\/record //p')
		echo "run $i $v $r ns/record"
		echo "$r" >>"$tmp/$v.times"
	done
done
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mo=$(median "$tmp/old.times")
mn=$(median "$tmp/new.times")
lo=$(sort -n "$tmp/old.times" | head -n 1)
ln=$(sort -n "$tmp/new.times" | head -n 1)
io=- in=-
if command -v valgrind >/dev/null; then
	# insns VARIANT N: instructions of a run of N records (callgrind's total).
	insns() {
		valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$tmp/$1" "$2" \
			>/dev/null 2>"$tmp/cg.log"
		sed -n 's/^summary: //p' "$tmp/cg.out"
	}
	# ipr VARIANT: instructions per record, the setup's (a run of 0) taken out.
	ipr() {
		local a b
		a=$(insns "$1" 0)
		b=$(insns "$1" "$cg_n")
		awk -v a="$a" -v b="$b" -v n="$cg_n" 'BEGIN { printf "%.1f", (b - a) / n }'
	}
	io=$(ipr old)
	in=$(ipr new)
fi
echo
echo "| printer | CPU ns/record, median (N=$n, $runs runs) | lowest | instructions/record (callgrind, N=$cg_n) |"
echo "|---|---|---|---|"
echo "| old ($(git -C "$top" rev-parse --short "$rev")) | $mo | $lo | $io |"
echo "| new (work tree) | $mn | $ln | $in |"
awk -v o="$mo" -v n="$mn" -v a="$lo" -v b="$ln" -v i="$io" -v j="$in" \
	'BEGIN { printf "new/old: median time %.3f, lowest time %.3f, instructions %s\n", n / o, b / a,
		(i + 0 > 0 ? sprintf("%.3f", j / i) : "-") }'
