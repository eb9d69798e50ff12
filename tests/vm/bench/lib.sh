# SPDX-License-Identifier: GPL-2.0
# Helpers for in-guest benchmarks. Rows go to fd 3 (the result port) as
# "BENCH <markdown table row>"; bench/run.sh collects them.
. /tests/lib.sh

RUNS=${RUNS:-5}

row() { echo "BENCH $*" >&3; echo "$*"; }

# compare SIZE WHAT 'OURS' 'THEIRS': interleaved runs, medians, speedup.
compare() {
	local size=$1 what=$2 ours=$3 theirs=$4 out a b
	out=$(timeit -n "$RUNS" -w 1 "$ours" "$theirs") || {
		row "| $size | $what | \`$ours\` | failed | \`$theirs\` | failed | - |"
		return
	}
	a=$(echo "$out" | sed -n 1p | cut -d' ' -f2)
	b=$(echo "$out" | sed -n 2p | cut -d' ' -f2)
	row "| $size | $what | \`$ours\` | $a | \`$theirs\` | $b | $(echo "$b $a" | awk '{ if ($2 > 0) printf "%.1fx", $1 / $2; else print "-" }') |"
}
