# 50 load/unload cycles, with a query on each, leave a healthy kernel.
# timeout: 600
. /tests/lib.sh

unload_module
n=0
bad=0
while [ $n -lt 50 ]; do
	insmod "$KO" || bad=$((bad + 1))
	tcpstatectl version >/dev/null 2>&1 || bad=$((bad + 1))
	cat /proc/net/tcpstate >/dev/null || bad=$((bad + 1))
	rmmod tcpstate || bad=$((bad + 1))
	n=$((n + 1))
done
expect_eq "50 cycles without an error" "$bad" 0
check "module unloaded at the end" test ! -d /sys/module/tcpstate
load_module
finish
