# SPDX-License-Identifier: GPL-2.0
# Helpers for in-guest cases. Each case is a busybox sh script; it prints
# "ok - ..." / "FAIL - ..." lines for people and exits non-zero on failure.

KO=/lib/tcpstate/tcpstate.ko
FAILS=0

ok() { echo "  ok - $*"; }
fail() {
	echo "  FAIL - $*"
	FAILS=$((FAILS + 1))
}

# check DESCRIPTION COMMAND...: pass if the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1: got '$2', want '$3'"
	fi
}

# expect_match DESCRIPTION TEXT EXTENDED_REGEX
expect_match() {
	if echo "$2" | grep -qE -- "$3"; then
		ok "$1"
	else
		fail "$1: '$2' does not match /$3/"
	fi
}

# expect_le DESCRIPTION A B: A <= B (integers)
expect_le() {
	if [ "$2" -le "$3" ] 2>/dev/null; then
		ok "$1 ($2 <= $3)"
	else
		fail "$1: $2 > $3"
	fi
}

finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "  $FAILS check(s) failed"
		exit 1
	fi
	exit 0
}

module_loaded() { [ -d /sys/module/tcpstate ]; }

load_module() {
	module_loaded || insmod "$KO" "$@"
}

unload_module() {
	local i
	module_loaded || return 0
	# An in-flight netlink dump holds a module reference for a moment.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rmmod tcpstate 2>/dev/null && return 0
		sleep 0.2
	done
	rmmod tcpstate
}

# Kill what cases started and return to "module loaded, nothing running".
# Only the init (PID 1) and the calling shell survive; kernel threads have
# no /proc/PID/exe and are never touched.
cleanup_guest() {
	local p
	for p in $(ls /proc | grep -E '^[0-9]+$'); do
		[ "$p" -le 1 ] && continue
		[ "$p" = "$$" ] && continue
		[ -e "/proc/$p/exe" ] && kill -9 "$p" 2>/dev/null
	done
	sleep 0.2
	load_module
}
