# Age in state: exact for transitions seen by the module, a marked lower
# bound for sockets that predate it, from the timer for TIME_WAIT, and
# carried over for FIN_WAIT2 timewait sockets.
. /tests/lib.sh

# Sockets that exist before the module: lower bounds.
unload_module
start_scen old -p 5100 estab:3 >/dev/null || exit 1
sleep 1
# Upper bounds are the time measured from before the socket got its state
# (here: before the module's load) to after the age was read, plus the
# clocks' slack (since_ms): a fixed number was a guess at how slow the
# guest would be. The sleeps only make sure of a least age.
t_load=$(uptime_ms)
load_module
sleep 2
lb=$(tcpstatectl list --tsv -H --sport 5100 --state estab | cut -f11 | sort -u)
expect_eq "pre-existing sockets are marked lower bound" "$lb" 1
age=$(ts_ages --sport 5100 --state estab | sort -n | head -n 1)
expect_le "lower bound at least the time since load (2s)" 1900 "$age"
expect_le "lower bound not more than since load" "$age" "$(since_ms $t_load)"
tcpstatectl list --sport 5100 --state estab -H | head -n 1 | grep -q ' >' && ok "table marks it with >" || fail "no > mark in the table"

# New CLOSE_WAIT sockets: exact age after a known sleep.
t_cw=$(uptime_ms)
start_scen cw -p 5200 closewait:4 >/dev/null || exit 1
sleep 3
ages=$(ts_ages --state close-wait --sport 5200) || fail "list of CLOSE_WAIT failed"
since_cw() { since_ms $t_cw; }
echo "CLOSE_WAIT ages: $(echo $ages)"
expect_eq "4 CLOSE_WAIT sockets" "$(echo "$ages" | grep -c .)" 4
for a in $ages; do
	expect_le "age >= 3000ms" 3000 "$a"
	expect_le "age <= time since the scenario started" "$a" "$(since_cw)"
done
expect_eq "not lower bounds" "$(tcpstatectl list --tsv -H --state close-wait --sport 5200 | cut -f11 | sort -u)" 0
# --older-than, applied in the kernel.
expect_eq "--older-than 2s keeps them" "$(tcpstatectl list -H --state close-wait --sport 5200 --older-than 2s | wc -l)" 4
expect_eq "--older-than 1m drops them" "$(tcpstatectl list -H --state close-wait --sport 5200 --older-than 1m | wc -l)" 0
expect_eq "counts --older-than agrees" "$(tcpstatectl counts -H --sport 5200 --state close-wait --older-than 2s | awk '$1 == "CLOSE_WAIT" {print $2}')" 4
# The orphaned clients are FIN_WAIT2 timewait sockets: age carried over.
fw=$(ts_ages --state fin-wait-2 --dport 5200) || fail "list of FIN_WAIT2 failed"
expect_eq "4 FIN_WAIT2 (timewait) peers" "$(echo "$fw" | grep -c .)" 4
for a in $fw; do
	expect_le "FIN_WAIT2 (timewait) age >= 3000ms" 3000 "$a"
	expect_le "FIN_WAIT2 (timewait) age sane" "$a" "$(since_cw)"
done
expect_eq "FIN_WAIT2 timewait sockets not lower bounds" "$(tcpstatectl list --tsv -H --state fin-wait-2 --dport 5200 | cut -f11 | sort -u)" 0

# TIME_WAIT: from the timewait timer.
t_tw=$(uptime_ms)
start_scen tw -x -p 5300 timewait:3 >/dev/null || exit 1
sleep 2
tw=$(ts_ages --state time-wait --dport 5300) || fail "list of TIME_WAIT failed"
expect_eq "3 TIME_WAIT sockets" "$(echo "$tw" | grep -c .)" 3
for a in $tw; do
	expect_le "TIME_WAIT age >= 1900ms" 1900 "$a"
	expect_le "TIME_WAIT age <= time since the scenario started" "$a" "$(since_ms $t_tw)"
done

# A state change resets the age: the same sockets after a shutdown.
t_fw=$(uptime_ms)
start_scen fw -p 5400 finwait2:2 >/dev/null || exit 1
a=$(ts_ages --state fin-wait-2 --dport 5400 | sort -n | tail -n 1)
expect_le "fresh FIN_WAIT2 (full socket): age <= time since the scenario started" "${a:-99999}" "$(since_ms $t_fw)"

# The kprobe fallback records transitions too.
unload_module
load_module track_kprobe=1
expect_match "fallback announced" "$(dmesg | tail -n 5)" 'kprobe on tcp_set_state'
t_kp=$(uptime_ms)
start_scen kp -p 5500 closewait:2 >/dev/null || exit 1
sleep 2
kp=$(ts_ages --state close-wait --sport 5500) || fail "list under the kprobe fallback failed"
expect_eq "kprobe fallback: 2 CLOSE_WAIT sockets" "$(echo "$kp" | grep -c .)" 2
for a in $kp; do
	expect_le "kprobe fallback: age >= 2000ms" 2000 "$a"
	expect_le "kprobe fallback: age <= time since the scenario started" "$a" "$(since_ms $t_kp)"
done
expect_eq "kprobe fallback: exact" "$(tcpstatectl list --tsv -H --state close-wait --sport 5500 | cut -f11 | sort -u)" 0
unload_module
load_module
finish
