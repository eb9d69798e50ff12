# SPDX-License-Identifier: GPL-2.0
# Host test runners' reporting: one "ok - ..." or "not ok - ..." line per
# check, and the "N passed, N failed" line every runner ends with.
# Source it; then ok/not_ok/check, and tap_summary last (its status is
# non-zero when a check failed).
passed=0
failed=0

ok() {
	passed=$((passed + 1))
	echo "ok - $*"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $*"
}

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	local desc=$1

	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
	fi
}

tap_summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
