# Malformed and unprivileged requests get a clean error with an extack
# message that names the problem; valid ones succeed. The runner checks
# that the kernel stayed healthy.
. /tests/lib.sh

load_module
out=$(nlcheck)
echo "$out"
# expect NAME ERRNO EXTACK_REGEX
expect() {
	local line
	line=$(echo "$out" | grep "^$1 ")
	expect_match "$1 -> errno $2" "$line" "^$1 errno=$2 extack=.*$3"
}
expect ok-dump 0 ''
expect ok-counts 0 ''
expect ok-stats 0 ''
expect ok-port-filter 0 ''
expect bad-family 22 'family must be AF_INET or AF_INET6'
expect state-mask-high-bit 22 '.+'
expect state-mask-empty 22 'empty state mask'
expect unknown-flags 95 'unknown flags'
expect unknown-attr 22 '.+'
expect wrong-len 22 '.+'
expect prefix-no-addr 22 'needs a family and an address'
expect prefix-len-mismatch 22 'address length does not match'
expect prefix-too-long 22 'prefix length too long'
expect prefix-bad-family 22 'must be AF_INET or AF_INET6'
expect prefix-not-nested 22 '.*'
expect stats-with-attr 22 '.+'
expect group-out-of-range 34 'out of range'
expect group-on-sock 22 'grouping applies to GET_COUNTS only'
expect truncated-attr 22 '.*'
expect all-netns 0 ''
expect ok-processes 0 ''
expect ok-counts-by-process 0 ''
expect ok-packed 0 ''
expect ok-packed-processes 0 ''
expect ok-packed-none 0 ''
expect ok-packed-processes-none 0 ''
expect pid-zero 34 '.+'
expect comm-no-nul 22 '.+'
expect comm-too-long 22 '.+'
expect comm-empty 22 'empty process name'
expect unknown-cmd 95 '.*'
expect sock-as-doit 95 '.*'
expect event-cmd 95 '.*'
# Across namespaces only the initial namespace's admin.
u=$(runas 1000 nlcheck all-netns)
echo "$u"
expect_match "all-netns as uid 1000 -> EPERM" "$u" '^all-netns errno=1 extack=all namespaces need CAP_NET_ADMIN'
# The tool prints the kernel's message.
msg=$(runas 1000 tcpstatectl list --all-netns 2>&1)
expect_match "tool shows the extack message" "$msg" 'Operation not permitted: all namespaces need CAP_NET_ADMIN'
finish
