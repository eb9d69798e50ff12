# A container's mapped ids share one budget. Root creates a user namespace
# mapping 65,536 ids (as LXD does; its owner is the initial root, so its
# dumps are not folded onto an owning user, 54-userns-budget), and K
# workers with K different in-namespace uids (K different kuids to the
# host) each start 16 unread GET_COUNTS by process dumps over the
# sockets of ownscen spread. Each kuid has a budget of its own
# (user_dumps 16, user_dump_kb 8 MiB), so without a bound for the
# namespace they pin K times that; with it the namespace's total stays
# within userns_dumps dumps and userns_dump_kb (set to NS_KB here) bytes.
# Root and a host user still list meanwhile.
# timeout: 900
. /tests/lib.sh
load_module

B=8700
PAIRS=$(volume 2000)
K=6
NS_KB=1024
BASE=200000
P=/sys/module/tcpstate/parameters
rm -f /tmp/fold.out
ownscen spread $B 20 $PAIRS >/tmp/fold.out 2>&1 &
wait_for 300000 grep -q '^ready' /tmp/fold.out
grep -q '^ready' /tmp/fold.out || { cat /tmp/fold.out; fail "ownscen did not get ready"; finish; }
echo "sockets: $(tcpstatectl counts -H | awk '$1 == "Total" {print $2}')"

if [ -e $P/userns_dump_kb ]; then
	old_kb=$(cat $P/userns_dump_kb)
	echo $NS_KB >$P/userns_dump_kb
	ns_dumps=$(cat $P/userns_dumps)
else
	echo "no userns_dump_kb parameter: no namespace budget"
	ns_dumps=16
fi
OUT=/tmp/nsf
rm -rf $OUT
mkdir -m 1777 $OUT
nsfold $BASE 65536 $K 16 counts $OUT
wait_for 300000 sh -c "[ \$(cat $OUT/nsfold.* 2>/dev/null | grep -c '^ready') -ge $K ]"
grep . $OUT/nsfold.*
ready=$(cat $OUT/nsfold.* | grep -c '^ready')
accepted=$(cat $OUT/nsfold.* | sed -n 's/^accepted=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
st() { runas "$1" tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n "s/.*\"$2\": *//p"; }
per=""
bytes=0
for i in $(seq 1 $K); do
	u=$((BASE + i))
	b=$(st $u user_dump_bytes)
	per="$per $u:$(st $u user_dumps)/$b"
	bytes=$((bytes + ${b:-0}))
done
echo "module, kuid:dumps/bytes:$per"
echo "the namespace's dumps in flight: $accepted, holding $bytes bytes"
expect_eq "all $K kuids started their dumps" "$ready" $K
expect_le "dumps in flight across the namespace's kuids (userns_dumps $ns_dumps)" \
	"$accepted" "$ns_dumps"
expect_le "bytes they hold in all (userns_dump_kb $NS_KB KiB)" "$bytes" $((NS_KB * 1024))
check "the namespace was refused further dumps" grep -q '^refused:' $OUT/nsfold.*

# Others are not held up by the container's budget.
check "root still counts by process" sh -c "tcpstatectl counts --by process >/dev/null"
check "root still lists with owners" sh -c "tcpstatectl list -H -p >/dev/null"
check "uid 1000 on the host still lists with owners" \
	sh -c "runas 1000 tcpstatectl list -H -p >/dev/null"

for f in $OUT/nsfold.*; do
	kill "$(sed -n 's/^ready //p' $f)" 2>/dev/null
done
sleep 1
left=0
for i in $(seq 1 $K); do
	left=$((left + $(st $((BASE + i)) user_dump_bytes)))
done
expect_eq "nothing left held by the namespace's kuids" "$left" 0
[ -n "${old_kb:-}" ] && echo "$old_kb" >$P/userns_dump_kb
kill "$(sed -n 's/^ready //p' /tmp/fold.out)" 2>/dev/null
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = own-holder ] && kill "${p#/proc/}" 2>/dev/null
done
finish
