# Events fail closed. On a kernel without GENL_MCAST_CAP_NET_ADMIN (a 6.1.y
# before its backport, which dkms.conf accepts, or a header probe that
# missed) the genetlink core cannot keep ordinary users out of a multicast
# group. The module built as if that were so (TCPSTATE_TEST_NO_MCAST_CAP=1,
# tests/qemu/run.sh puts it at /lib/tcpstate/nomcast/) must register no
# events group, attach no event probe, and say why in stats and events.
. /tests/lib.sh
fresh_netns

V=/lib/tcpstate/nomcast/tcpstate.ko
if [ ! -f $V ]; then
	fail "the no-mcast-cap variant is not in the guest (tests/qemu/run.sh builds it)"
	finish
fi
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
[ -r /sys/kernel/debug/kprobes/list ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null

unload_module
n0=$(dmesg | wc -l)
insmod $V
msg=$(dmesg | tail -n +$((n0 + 1)))
echo "$msg"
expect_match "the log says why" "$msg" 'close-time events off: this kernel cannot restrict them to CAP_NET_ADMIN'

# The family, as CTRL_CMD_GETFAMILY describes it to anyone.
groups=$(h4genl groups)
echo "$groups"
expect_eq "no events group" "$(echo "$groups" | grep -c '^group events ')" 0
join=$(runas 1000 h4genl join events)
echo "uid 1000: $join"
expect_eq "uid 1000 has no events group to join" "$join" "join events absent"

# No probe of ours on __tcp_close, tcp_close or sk_stream_error.
expect_eq "no ftrace hook on __tcp_close" \
	"$(grep -c '^__tcp_close.*tcpstate' /sys/kernel/tracing/enabled_functions)" 0
expect_eq "no kprobe of ours" "$(grep -c tcpstate /sys/kernel/debug/kprobes/list 2>/dev/null)" 0
evscen unread -p 5651 -n 1000 >/tmp/65.gen
expect_eq "the scenario's close reset the connection" "$(kv /tmp/65.gen server_read)" "Connection reset by peer"
expect_eq "no event was seen" "$(tcpstatectl stats --json | sed 's/.*"unread-close": {"seen": \([0-9]*\).*/\1/')" 0

# The tool says why, in both commands.
st=$(tcpstatectl stats)
echo "$st"
expect_match "stats says events are off and why" "$st" '^events: off: this kernel cannot restrict them to CAP_NET_ADMIN'
caps=$(echo "$st" | grep '^capabilities:')
expect_match "capability bit set" "$caps" ' events-off-unrestricted'
case "$caps" in
*unread-close* | *epipe* | *linger-abort*) fail "no event type advertised: '$caps'" ;;
*) ok "no event type advertised" ;;
esac
out=$(tcpstatectl events --timeout 1 2>&1)
rc=$?
echo "$out"
expect_eq "events: exit 1" "$rc" 1
expect_match "events says why" "$out" 'events: off: this kernel cannot restrict them to CAP_NET_ADMIN'
out=$(runas 1000 tcpstatectl events --timeout 1 2>&1)
expect_match "the same for uid 1000" "$out" 'events: off: this kernel cannot restrict'

# Everything else works as usual.
check "list works" tcpstatectl list -H
rmmod tcpstate
load_module
expect_match "the usual build has the group" "$(h4genl groups)" '^group events [0-9]+'
expect_match "and keeps uid 1000 out of it" "$(runas 1000 h4genl join events)" '^join events errno=(1|13)$'
finish
