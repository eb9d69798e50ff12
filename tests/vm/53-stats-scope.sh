# GET_STATS' module-wide figures (state changes, tracked sockets,
# TIME_WAIT records, module objects) say how busy the whole host is: only
# the initial network namespace, or CAP_NET_ADMIN in the initial user
# namespace, gets them. Per-namespace figures (events, sequence number,
# TCPAbortOnClose) are there for everyone.
. /tests/lib.sh
load_module

hw() { echo "$1" | tr ',{}' '\n\n\n' | sed -n 's/^ *"host_wide": *//p'; }
jfield() { echo "$1" | tr ',{}' '\n\n\n' | sed -n "s/^ *\"$2\": *//p" | head -n 1; }

j=$(tcpstatectl stats --json)
expect_eq "init netns, root: host-wide figures" "$(hw "$j")" true
expect_match "init netns, root: objects is a number" "$(jfield "$j" objects)" '^[0-9]+$'
j=$(runas 1000 tcpstatectl stats --json)
expect_eq "init netns, uid 1000: host-wide figures" "$(hw "$j")" true
j=$(unshare -n tcpstatectl stats --json)
expect_eq "new netns, root of the initial user namespace: host-wide figures" "$(hw "$j")" true

j=$(unshare -n runas 1000 tcpstatectl stats --json)
echo "$j"
expect_eq "new netns, uid 1000: no host-wide figures" "$(hw "$j")" false
expect_eq "new netns, uid 1000: objects absent (null)" "$(jfield "$j" objects)" null
expect_eq "new netns, uid 1000: transitions absent (null)" "$(jfield "$j" transitions)" null
expect_match "new netns, uid 1000: per-namespace figures still there" "$(jfield "$j" event_seq)" '^[0-9]+$'
expect_match "new netns, uid 1000: event counters still there" "$j" '"unread-close": \{"seen": [0-9]+'
t=$(unshare -n runas 1000 tcpstatectl stats)
echo "$t"
expect_match "human output says why they are missing" "$t" 'host-wide figures +- \(initial namespace'
check "human output has no module object count" sh -c "! echo '$t' | grep -q 'module objects allocated'"

# Root of a user namespace of its own, in a new netns.
if j=$(runas 1000 unshare -rn tcpstatectl stats --json 2>/tmp/userns.err); then
	expect_eq "new user+net namespace, its root: no host-wide figures" "$(hw "$j")" false
else
	echo "unprivileged user namespaces unavailable: $(cat /tmp/userns.err)"
fi
finish
