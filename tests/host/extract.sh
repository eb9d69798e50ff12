#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copy named definitions out of a module source that cannot compile whole
# in user space, for a test to #include: each with a #line marker, so
# that compiler and sanitizer messages point at the module's own lines.
#   tests/host/extract.sh FILE NAME...
# NAME: a function (from its signature, at column 0, to the "}" that
# closes it at column 0, as kernel style writes them), "struct NAME" (to
# its "};"), or "#define NAME" (with continuation lines). Definitions come
# out in the file's order, whatever the order of the names. A name found
# not exactly once fails loudly: a renamed or removed function must break
# the build, not leave a test checking a stale copy.
set -u
file=$1
shift
[ -r "$file" ] || { echo "extract.sh: cannot read $file" >&2; exit 1; }
[ $# -gt 0 ] || { echo "usage: extract.sh FILE NAME..." >&2; exit 1; }
printf '%s\n' "$@" | awk -v file="$file" '
# The names, one a line on stdin; then the source file.
FNR == NR { want[$0] = 0; next }
function start(name) {
	cur = name
	buf = sprintf("#line %d \"%s\"\n", FNR, file)
	nbuf = 0
}
function keep(line) { buf = buf line "\n"; nbuf++ }
function done() { out = out buf "\n"; want[cur]++; cur = "" }
# Inside a function signature: a ";" before the "{" made it a prototype.
cur != "" && mode == "sig" {
	keep($0)
	if ($0 == "{") { mode = "body"; next }
	if ($0 ~ /;[ \t]*$/) { cur = ""; next }
	next
}
cur != "" && mode == "body" { keep($0); if ($0 == "}") done(); next }
cur != "" && mode == "struct" { keep($0); if ($0 == "};") done(); next }
cur != "" && mode == "define" {
	keep($0)
	if ($0 !~ /\\$/) done()
	next
}
/^#define [A-Za-z_0-9]+/ {
	n = $2; sub(/\(.*/, "", n)
	if (("#define " n) in want) {
		start("#define " n); mode = "define"; keep($0)
		if ($0 !~ /\\$/) done()
	}
	next
}
/^struct [A-Za-z_0-9]+ \{$/ {
	if (("struct " $2) in want) { start("struct " $2); mode = "struct"; keep($0) }
	next
}
/^[A-Za-z_]/ {
	for (n in want) {
		if (n ~ /^(struct|#define) /)
			continue
		if (index($0, " " n "(") || index($0, "*" n "(")) {
			start(n); mode = "sig"; keep($0)
			if ($0 ~ /;[ \t]*$/) cur = ""
			break
		}
	}
}
END {
	bad = 0
	for (n in want)
		if (want[n] != 1) {
			printf "extract.sh: %s: \"%s\" defined %d times, not once\n", file, n, want[n] > "/dev/stderr"
			bad = 1
		}
	if (cur != "") {
		printf "extract.sh: %s: \"%s\" never closed\n", file, cur > "/dev/stderr"
		bad = 1
	}
	if (bad)
		exit 1
	printf "%s", out
}' - "$file"
