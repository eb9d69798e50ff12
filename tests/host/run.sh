#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the module's pure logic: module/filter.c, evbatch.c and
# sockwalk.c compiled whole, and the owner index taken out of owners.c
# (extract.sh), in user space against the kernel stand-ins of
# tests/host/shim, with ASan and UBSan. Needs only a C compiler and awk;
# builds into build/host. Ends with "N passed, N failed".
#   tests/host/run.sh [NAME-SUBSTRING]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/host
out=$top/build/host
mkdir -p "$out"
cflags="-std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer
	-fsanitize=address,undefined -fno-sanitize-recover=all
	-I$here/shim -I$top/include -I$top/module -I$here -I$top/tests/unit -I$out"
# The owner index's functions, out of owners.c, which as a whole needs
# the kernel's tasks, fd tables and credentials.
owners=(
	"#define OWNERS_INITIAL_REFS" "#define OWNERS_INITIAL_PROCS"
	charge uncharge grow free_table sock_key
	ref_cmp ref_bucket index_bytes sort_refs first_ref_in refs_of find_refs
	accept_queue listener_cmp add_unaccepted release_listeners
	tcpstate_owners_bytes tcpstate_owners_free tcpstate_owners_match
	ownerless_kind "struct owner_class" classify tcpstate_owners_each
)
build() {
	"$here/extract.sh" "$top/module/owners.c" "${owners[@]}" >"$out/owners_extract.c" || return 1
	# shellcheck disable=SC2086
	cc $cflags -o "$out/host" \
		"$top/tests/unit/unit.c" "$here/shim/shim.c" "$here/host.c" \
		"$top/module/filter.c" "$top/module/evbatch.c" \
		"$top/module/sockwalk.c" "$here"/test_*.c
}
if ! build >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
"$out/host" "$@" 2>&1 | tee "$out/host.log"
rc=${PIPESTATUS[0]}
# A crash, a sanitizer report or a leak found at exit leaves no summary
# as the last line, or a failing exit status with none counted: one
# failure more.
line=$(tail -n 1 "$out/host.log")
if ! echo "$line" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
	echo "host: the test binary ended without its summary (exit $rc)"
	echo "$(grep -c '^PASS ' "$out/host.log") passed, $(($(grep -c '^FAIL ' "$out/host.log") + 1)) failed"
	exit 1
fi
if [ "$rc" -ne 0 ] && [ "${line#*passed, }" = "0 failed" ]; then
	echo "host: the test binary exited with status $rc"
	echo "${line%% passed*} passed, 1 failed"
	exit 1
fi
exit "$rc"
