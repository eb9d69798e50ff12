# SPDX-License-Identifier: GPL-2.0
# Helpers for in-guest benchmarks. Rows go to fd 3 (the result port) as
# "BENCH <markdown table row>"; bench/run.sh collects them.
. /tests/lib.sh

RUNS=${RUNS:-5}

# The median of the numbers on stdin, one per line.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

row() { echo "BENCH $*" >&3; echo "$*"; }

# A command as a markdown table cell: in backticks, with | escaped.
cell() { printf '`%s`' "$(echo "$1" | sed 's/|/\\|/g')"; }

# compare SIZE WHAT 'OURS' 'THEIRS': interleaved runs, medians, speedup.
compare() {
	local size=$1 what=$2 ours=$3 theirs=$4 out a b
	if ! out=$(timeit -n "$RUNS" -w 1 "$ours" "$theirs"); then
		row "| $size | $what | $(cell "$ours") | failed | $(cell "$theirs") | failed | - |"
		return
	fi
	a=$(echo "$out" | sed -n 1p | cut -d' ' -f2)
	b=$(echo "$out" | sed -n 2p | cut -d' ' -f2)
	row "| $size | $what | $(cell "$ours") | $a | $(cell "$theirs") | $b | $(echo "$b $a" | awk '{ if ($2 > 0) printf "%.1fx", $1 / $2; else print "-" }') |"
}
