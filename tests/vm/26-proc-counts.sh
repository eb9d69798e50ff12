# /proc/net/tcpstate shows the same per-state counts as tcpstatectl.
. /tests/lib.sh
fresh_netns

load_module
start_scen p -p 5700 estab:4 closewait:3 timewait:2 >/dev/null || exit 1
cat /proc/net/tcpstate
for s in ESTABLISHED CLOSE_WAIT TIME_WAIT LISTEN FIN_WAIT2; do
	expect_eq "$s in proc" "$(awk -v s=$s '$1 == s {print $2}' /proc/net/tcpstate)" \
		"$(tcpstatectl counts -H | awk -v s=$s '$1 == s {print $2}')"
done
expect_eq "total in proc" "$(awk '$1 == "total" {print $2}' /proc/net/tcpstate)" \
	"$(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"
expect_match "age tracking active" "$(cat /proc/net/tcpstate)" 'age_tracking yes'
finish
