# An orphan whose close the module never saw (closed before it was
# loaded) is "closed by" an unknown closer, not a socket nobody owns.
# 29-owners' orphan was closed under the module, so its closer is on
# record; the ownerless path (a full socket, SOCK_DEAD, no record) went
# untested, and the mutation lane's 09-owner-orphan-kind-none survived.
. /tests/lib.sh
fresh_netns

# A FIN_WAIT2 orphan stays a full socket only when tcp_fin_timeout is
# longer than TIME_WAIT's 60 s; otherwise it becomes a timewait socket.
sysctl -qw net.ipv4.tcp_fin_timeout=$((180 * SLOW))
unload_module
start_scen orph82 -p 5840 closewait:3 >/dev/null || exit 1
load_module

n=$(ss -tanH state fin-wait-2 dport = :5840 | wc -l)
expect_eq "ss sees the 3 FIN_WAIT2 orphans" "$n" 3
procs=$(tcpstatectl list -H -p --tsv --state fin-wait-2 --dport 5840 | awk -F'\t' '{ print $NF }' | sort -u)
expect_eq "closed, closer unknown" "$procs" "(closed, closer unknown)"
json=$(tcpstatectl list -p --json --state fin-wait-2 --dport 5840)
expect_eq "owner_kind closed-by, three times" "$(echo "$json" | grep -c '"owner_kind": "closed-by"')" 3
expect_eq "closer_unknown, three times" "$(echo "$json" | grep -c '"closer_unknown": true')" 3
finish
