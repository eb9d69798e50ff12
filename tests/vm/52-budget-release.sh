# A finished dump leaves the per-user budget: 40 dumps one after another
# (more than user_dumps, 16, are ever in flight at once: none here) all
# succeed, for root and for uid 1000, and nothing stays counted. Mutant 23
# (the budget never released) survived every other case named for it.
. /tests/lib.sh

load_module
P=/sys/module/tcpstate/parameters
expect_eq "user_dumps is the default, 16" "$(cat $P/user_dumps)" 16
for who in root 1000; do
	bad=0
	for i in $(seq 1 40); do
		if [ $who = root ]; then
			tcpstatectl list -H --sport 1 >/tmp/br.out 2>&1 || bad=$((bad + 1))
		else
			runas 1000 tcpstatectl list -H --sport 1 >/tmp/br.out 2>&1 || bad=$((bad + 1))
		fi
	done
	[ $bad -eq 0 ] || cat /tmp/br.out
	expect_eq "$who: 40 dumps one after another, none refused" "$bad" 0
done
expect_eq "and nothing is left held" \
	"$(runas 1000 tcpstatectl stats --json | tr ',{}' '\n\n\n' | sed -n 's/.*"user_dump_bytes": *//p')" 0
finish
