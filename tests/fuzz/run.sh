#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Coverage-guided fuzzing (libFuzzer, ASan, UBSan) of tcpstatectl's
# decoding of kernel replies and events and of its command-line parsers
# (tests/fuzz/fuzz_tool.c), for a bounded time.
#   env FUZZ_SECONDS (default 60; e.g. FUZZ_SECONDS=3600 for a long run)
# The corpus grows in build/fuzz/corpus across runs (seeded each run from
# tests/fuzz/seeds.c: one well-formed datagram of each kind); a crash,
# leak or timeout leaves its input in build/fuzz/crashes and fails.
# Needs clang (Debian: clang, which brings libclang_rt.fuzzer).
# Prints "ok - ..." or "not ok - ..." per check and ends with
# "N passed, N failed"; exits non-zero if any check failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd -P)
. "$top/tests/lib/tap.sh"
secs=${FUZZ_SECONDS:-60}
out=$top/build/fuzz
mkdir -p "$out/corpus" "$out/crashes"

finish() {
	tap_summary
	exit
}

cc=$(command -v clang || true)
if [ -z "$cc" ]; then
	not_ok "clang not found (Debian: apt-get install clang)"
	finish
fi

lib=$(make -s -C "$top/tools" print-lib-srcs)
srcs=""
for f in $lib; do srcs="$srcs $top/tools/$f"; done
flags="-std=gnu11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
	-fno-sanitize-recover=all -I$top/tools -isystem $top/include/uapi
	$(pkg-config --cflags libmnl)"
# shellcheck disable=SC2086 # word lists
if $cc $flags -fsanitize=fuzzer -o "$out/fuzz_tool" $srcs "$top/tests/fuzz/fuzz_tool.c" \
	$(pkg-config --libs libmnl) >"$out/build.log" 2>&1 &&
	$cc $flags -o "$out/seeds" $srcs "$top/tests/fuzz/seeds.c" \
		$(pkg-config --libs libmnl) >>"$out/build.log" 2>&1; then
	ok "fuzz target and seed writer build with clang ($($cc --version | head -n 1))"
else
	not_ok "fuzz target builds: $(grep -m 5 -E 'error|undefined' "$out/build.log" | tr '\n' ' ')"
	finish
fi

if "$out/seeds" "$out/corpus" >"$out/seeds.log" 2>&1; then
	ok "seed corpus written ($(cat "$out/seeds.log"))"
else
	not_ok "seed corpus: $(cat "$out/seeds.log")"
	finish
fi

rm -f "$out"/crashes/*
before=$(ls "$out/corpus" | wc -l)
"$out/fuzz_tool" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$out/crashes/" \
	"$out/corpus" >"$out/fuzz.log" 2>&1
rc=$?
after=$(ls "$out/corpus" | wc -l)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log" | tail -n 1)
cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$out/fuzz.log" | tail -n 1)
if [ "$rc" -eq 0 ] && [ -z "$(ls "$out/crashes")" ]; then
	ok "${execs:-?} inputs in ${secs} s, no crash, leak or timeout ($cov, corpus $before -> $after)"
else
	art=$(ls "$out"/crashes/* 2>/dev/null | head -n 1)
	not_ok "fuzzer exit $rc: $(grep -m 3 -E 'ERROR|SUMMARY|runtime error' "$out/fuzz.log" | tr '\n' ' ') reproducer: ${art:-none} (see $out/fuzz.log)"
fi
finish
