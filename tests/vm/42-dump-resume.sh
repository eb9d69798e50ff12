# A dump resumes where it stopped even when the socket it stopped on is gone
# by the next read (tests/scenario/dumpresume.c): in a netns whose ehash has
# a single bucket, so that every stop is in the middle of one long chain,
# the last socket of each read is reset before the kernel fills the next.
# Every socket that stays must be listed exactly once, in both formats, with
# small and large reads, and when the last 8 sockets of each read are reset
# (the cursor remembers a bucket's last 16 visited sockets). inet_diag
# resumes by position alone: there each such reset hides the socket after it.
# timeout: 300
. /tests/lib.sh
load_module
sysctl -qw net.ipv4.tcp_child_ehash_entries=1
n=$(volume 1000)
run() {
	unshare -n sh -c '
		ip link set lo up
		echo "ehash=$(sysctl -n net.ipv4.tcp_ehash_entries)"
		dumpresume '"$*"'
	'
}
for args in "-b 8192" "-b 8192 -P" "-b 16384" "-b 32768 -P" "-b 8192 -k 8" \
	"-b 16384 -P -k 8"; do
	out=$(run -n "$n" $args)
	rc=$?
	echo "dumpresume $args: $(echo $out)"
	expect_match "$args: the netns has a one-bucket ehash" "$out" "^ehash=1$"
	resets=$(echo "$out" | sed -n 's/.*resets=\([0-9]*\).*/\1/p')
	check "$args: the dump stopped and resumed (resets: ${resets:-none})" \
		[ "${resets:-0}" -ge 2 ]
	expect_match "$args: nothing missing, nothing twice" "$out" "missing=0 twice=0"
	expect_eq "$args: dumpresume exit status" "$rc" 0
done
sysctl -qw net.ipv4.tcp_child_ehash_entries=0
finish
