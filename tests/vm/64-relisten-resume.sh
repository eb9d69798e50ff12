# A dump resumes at the right place in a chain whose sockets leave and
# come back while it is read: a SO_REUSEPORT group of stable listeners
# mixed with churn ones, listed by relisten (a scenario helper) a
# page per read; after each read, each churn listener that read returned
# is shut down and listens again: the same socket, back at the head of
# the chain (IPv4) or at its tail (IPv6). The walk holds the last sockets
# it went past to find its place; one that came back elsewhere must not
# be taken for it (a walk that does lists the chain again from the head,
# or ends it at the tail and misses the rest). Every stable listener is
# listed exactly once; for IPv4 no row at all twice. For IPv6 a churn
# listener that went past and came back at the tail is listed again
# (nothing in a bounded walk can tell): those are shown, not judged.
# timeout: 900
. /tests/lib.sh
fresh_netns
load_module

S=$(volume 300)
C=$(volume 600)
port=7300
for fam in 4 6; do
	for run in 1 2 3; do
		port=$((port + 1))
		opt=
		[ $fam = 6 ] && opt=-6
		out=$(relisten -s $S -c $C -p $port $opt 2>&1)
		rc=$?
		echo "IPv$fam run $run: $out"
		expect_eq "IPv$fam run $run: relisten ran" "$rc" 0
		set -- $(echo "$out" | tr '=' ' ')
		# round R reads N rows N stable_once N stable_missing N stable_dup N dup_rows N ended 0|1
		expect_eq "IPv$fam run $run: every stable listener listed once" \
			"$8 missing ${10} twice ${12}" "$S missing 0 twice 0"
		expect_eq "IPv$fam run $run: the dump ended" "${16}" 1
		[ $fam = 4 ] && expect_eq "IPv$fam run $run: no row twice" "${14}" 0
	done
done
finish
