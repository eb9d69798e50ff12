# The mission's SIGPIPE case: the peer resets, the server (not having read)
# writes twice: ECONNRESET, then EPIPE, and SIGPIPE kills it. An epipe
# event names the server and the connection and says SIGPIPE was sent; with
# MSG_NOSIGNAL it says it was not.
. /tests/lib.sh
fresh_netns

load_module
# Two subscribers: "ev" filters on epipe; "all" takes everything, so that
# the case knows when the module has sent every event of the scenarios
# (events_caught_up): then "ev" has been sent all of them too, and is
# stopped once it has printed as many epipe events as "all" got. No fixed
# life: it missed late events on a slow guest.
base=$(events_seq)
start_events all --json
all_ev=$EV_PID
start_events ev --json --summary --type epipe
evscen epipe -p 5910 >/tmp/sig.out
evscen epipe -p 5911 -N >/tmp/nosig.out
events_caught_up all "$base"
n_all=$(grep -c '"epipe"' /tmp/all.out)
wait_for 30000 events_printed ev "$n_all" ||
	fail "the filtered subscriber printed $(grep -c . /tmp/ev.out) of the $n_all epipe events"
stop_events $all_ev
stop_events $EV_PID
cat /tmp/sig.out /tmp/nosig.out /tmp/all.out /tmp/ev.out /tmp/ev.err
expect_match "the filtered subscriber lost nothing" "$(cat /tmp/ev.err)" ' 0 lost'
expect_eq "first write: ECONNRESET" "$(kv /tmp/sig.out write1)" "Connection reset by peer"
expect_eq "second write killed the server with SIGPIPE" "$(kv /tmp/sig.out server_killed_by)" 13
expect_eq "MSG_NOSIGNAL: second write EPIPE" "$(kv /tmp/nosig.out write2)" "Broken pipe"
expect_eq "MSG_NOSIGNAL: server survived" "$(kv /tmp/nosig.out server_exit)" 0
expect_eq "two epipe events (one per EPIPE write, none for ECONNRESET)" "$(grep -c '"epipe"' /tmp/ev.out)" 2
e1=$(grep '"local_port": 5910' /tmp/ev.out)
e2=$(grep '"local_port": 5911' /tmp/ev.out)
expect_eq "names the server pid" "$(jf "$e1" pid)" "$(kv /tmp/sig.out server_pid)"
expect_eq "names the server comm" "$(jf "$e1" comm)" ts-server
expect_eq "the connection's peer port" "$(jf "$e1" remote_port)" "$(kv /tmp/sig.out client_port)"
expect_eq "SIGPIPE sent" "$(jf "$e1" sigpipe)" true
expect_eq "MSG_NOSIGNAL: names the server" "$(jf "$e2" pid)" "$(kv /tmp/nosig.out server_pid)"
expect_eq "MSG_NOSIGNAL: SIGPIPE not sent" "$(jf "$e2" sigpipe)" false
# --type filters on the tool side: no other types were printed.
expect_eq "only epipe printed" "$(grep -vc '"epipe"' /tmp/ev.out)" 0

# events | head: the reader going away is the stream's normal end: exit 0
# and nothing on stderr (not "cannot write to standard output"), as with
# SIGPIPE, which events ignores. Scenarios run until events has written
# past head's exit (each run sends several events).
rm -f /tmp/evh.rc
( tcpstatectl events --json 2>/tmp/evh.err; echo $? >/tmp/evh.rc ) |
	head -n 1 >/tmp/evh.out &
sleep $((1 * SLOW))
for i in 1 2 3 4 5 6 7 8; do
	[ -e /tmp/evh.rc ] && break
	evscen epipe -p $((5920 + i)) -N >/dev/null
	wait_for 3000 test -e /tmp/evh.rc
done
wait
expect_eq "events | head: one line read" "$(grep -c '"type"' /tmp/evh.out)" 1
expect_eq "events | head: events exits 0" "$(cat /tmp/evh.rc 2>/dev/null)" 0
expect_eq "events | head: nothing on stderr" "$(cat /tmp/evh.err)" ""
finish
