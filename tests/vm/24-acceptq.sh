# A listener whose accept queue holds connections the server never
# accepted, already in CLOSE_WAIT: the listener shows the queue length
# and backlog (like ss), and the queued sockets are listed. The backlog
# (10) is larger than the queue (6), so the two columns cannot be swapped
# unnoticed (mutant 22 survived when both were 6).
. /tests/lib.sh

load_module
start_scen q -p 5600 -q 10 unaccepted:6 >/dev/null || exit 1
row=$(tcpstatectl list -H --state listen --sport 5601)
echo "$row"
expect_eq "Recv-Q is the accept queue length" "$(echo "$row" | awk '{print $2}')" 6
expect_eq "Send-Q is the backlog" "$(echo "$row" | awk '{print $3}')" 10
expect_eq "same as ss" "$(echo "$row" | awk '{print $2, $3}')" "$(ss -tanH state listening sport = :5601 | awk '{print $1, $2}')"
expect_match "JSON accept_queue keys" "$(tcpstatectl list --json --state listen --sport 5601)" '"accept_queue": 6, "accept_backlog": 10'
expect_eq "the queued sockets are CLOSE_WAIT" "$(tcpstatectl list -H --state close-wait --sport 5601 | wc -l)" 6
finish
