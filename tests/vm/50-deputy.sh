# Confused deputy: a dump requested by uid 1000 whose first .dumpit runs
# in a root process's recvmsg() (the requester filled its own receive
# buffer and handed the socket over) must answer with uid 1000's view:
# root's listener is hidden, in GET_SOCK -p and in GET_COUNTS by process.
# The control (root's own request) names it.
. /tests/lib.sh
fresh_netns
load_module

out=$(deputy 7400 1000 2>&1)
rc=$?
echo "$out"
expect_match "both dumps were pending when the requester left" "$out" '^started=1$'
expect_match "control: root's own request names the root listener" "$out" \
	'^control=1 [0-9]+/dep-root$'
expect_match "uid 1000's request read by root: the listener is hidden" "$out" \
	'^listener=5 -$'
expect_match "uid 1000's counts read by root: no group for the root process" "$out" \
	'^count_groups=0$'
expect_eq "deputy's verdict (0: root not named)" "$rc" 0
finish
