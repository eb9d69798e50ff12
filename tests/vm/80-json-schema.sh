# Every JSON output, read by a real parser (jsoncheck: strict RFC 8259,
# duplicate keys, UTF-8) instead of grep, and checked against the schema
# the man page documents (json-schema.txt: no key more, none missing, every
# type right); and its numbers equal the table or TSV output of the same
# command: list (and -p), counts (and --by each key, --all-netns), stats,
# events. version has no --json. diagnose (and --all-netns): the schema
# only (83-diagnose checks its numbers).
. /tests/lib.sh
fresh_netns

load_module
start_scen s4 -p 5000 estab:4 closewait:3 finwait2:2 timewait:3 unaccepted:2 >/dev/null || exit 1
start_scen s6 -6 -p 6000 estab:2 closewait:2 >/dev/null || exit 1

# parse NAME [--lines]: jsoncheck /tmp/NAME.json into /tmp/NAME.flat.
parse() {
	if jsoncheck --flat $2 </tmp/$1.json >/tmp/$1.flat 2>/tmp/$1.jerr; then
		ok "$1: jsoncheck accepts it ($(wc -l </tmp/$1.flat) values)"
	else
		fail "$1: jsoncheck rejects it: $(cat /tmp/$1.jerr)"
		head -c 600 /tmp/$1.json
		echo
		: >/tmp/$1.flat
	fi
}

# schema NAME OUTPUT: every value of /tmp/NAME.flat has a path and type
# the schema gives OUTPUT, and every object has all its required keys.
schema() {
	local bad
	bad=$(awk -v out="$2" '
	NR == FNR {
		if ($0 ~ /^#/ || NF != 4 || ("," $1 ",") !~ ("," out ","))
			next
		type[$2] = $3
		if ($4 == "required") {
			par = $2
			sub(/\.[^.]+$/, "", par)
			req[par] = req[par] " " substr($2, length(par) + 1)
		}
		next
	}
	{
		split($0, f, "\t")
		np = f[1]
		gsub(/\[[0-9]+\]/, "[]", np)
		if (!(np in type))
			bad[++nb] = "unknown " f[1] " (" f[2] ")"
		else if (type[np] != f[2])
			bad[++nb] = f[1] " is " f[2] ", not " type[np]
		seen[f[1]] = 1
		if (f[2] == "object")
			obj[f[1]] = np
	}
	END {
		if (!("$" in seen))
			bad[++nb] = "no document"
		for (p in obj) {
			n = split(req[obj[p]], r, " ")
			for (i = 1; i <= n; i++)
				if (!((p r[i]) in seen))
					bad[++nb] = p r[i] " missing"
		}
		for (i = 1; i <= nb && i <= 10; i++)
			print bad[i]
		if (nb > 10)
			print "(" nb - 10 " more)"
	}' /tests/json-schema.txt /tmp/$1.flat)
	if [ -z "$bad" ]; then
		ok "$1: keys and types are the schema's ($2)"
	else
		fail "$1: not the schema's ($2): $(echo $bad)"
	fi
}

# json NAME OUTPUT [--lines] -- COMMAND...: run it into /tmp/NAME.json,
# parse and check it.
json() {
	local name=$1 out=$2 lines=
	shift 2
	[ "$1" = --lines ] && { lines=--lines; shift; }
	shift
	"$@" >/tmp/$name.json 2>/tmp/$name.err || fail "$name: '$*' failed: $(cat /tmp/$name.err)"
	parse "$name" "$lines"
	schema "$name" "$out"
}

# expect_same DESCRIPTION GOT WANT: equal line sets; on failure only the
# lines that differ are shown.
expect_same() {
	echo "$2" >/tmp/same.got
	echo "$3" >/tmp/same.want
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1: only in the JSON: '$(msdiff /tmp/same.want /tmp/same.got | head -n 10 | tr '\t\n' ' ;')' only in the text: '$(msdiff /tmp/same.got /tmp/same.want | head -n 10 | tr '\t\n' ' ;')'"
	fi
}

# field NAME PATH: the value at PATH in /tmp/NAME.flat.
field() { awk -F'\t' -v p="$2" '$1 == p { print $3 }' /tmp/$1.flat; }

# rows NAME KEY...: per element of the top array, its KEYs' values, TAB
# separated, sorted.
rows() {
	local name=$1
	shift
	awk -F'\t' -v keys="$*" '
	BEGIN { nk = split(keys, k, " ") }
	match($1, /^\$\[[0-9]+\]\./) {
		e = substr($1, 3, RLENGTH - 4)
		v[e, substr($1, RLENGTH + 1)] = $3
		if (e + 1 > ne)
			ne = e + 1
	}
	END {
		for (e = 0; e < ne; e++) {
			s = v[e, k[1]]
			for (i = 2; i <= nk; i++)
				s = s "\t" v[e, k[i]]
			print s
		}
	}' /tmp/$name.flat | sort
}

cols="state recv_q send_q local_addr local_port remote_addr remote_port uid inode age_is_lower_bound netns family"

# --- list: the TSV columns but age_ms (it moves), socket by socket.
json list list -- tcpstatectl list --json
n=$(field list '$')
expect_le "list: the scenarios' sockets listed ($n)" 30 "${n:-0}"
tsv_rows() { tcpstatectl list --tsv -H "$@" | cut -f1-9,11-13 | sort; }
json_rows() {
	tcpstatectl list --json "$@" >/tmp/listb.json && jsoncheck --flat </tmp/listb.json >/tmp/listb.flat &&
		rows listb $cols | awk -F'\t' -v OFS='\t' '{ $10 = ($10 == "true") } { print }' | sort
}
same_tuples "list: every socket's numbers and strings equal the TSV row" json_rows tsv_rows
expect_le "list: rows compared ($(echo "$SAME_WANT" | grep -c .))" 30 "$(echo "$SAME_WANT" | grep -c .)"
# Listeners, and only they, carry accept_queue/accept_backlog, equal to
# the TSV's Recv-Q/Send-Q.
expect_eq "list: accept_queue, accept_backlog on listeners only, equal Recv-Q/Send-Q" \
	"$(rows list state accept_queue accept_backlog recv_q send_q |
		awk -F'\t' '($1 == "LISTEN") != ($2 != "" && $3 != "") || ($2 != "" && ($2 != $4 || $3 != $5))')" ""
expect_le "list: listeners seen" 2 "$(rows list state | grep -c '^LISTEN$')"
# A filter keeps the schema: IPv6 only.
json list6 list -- tcpstatectl list -6 --json
expect_eq "list -6: only inet6" "$(rows list6 family | sort -u)" inet6

# --- list -p: the same, plus the owners: the pids and the total of the
# TSV's Process column ("pid/comm,...,+N", "closed-by ...", "-").
json listp list-p -- tcpstatectl list -p --json
pjson_rows() {
	tcpstatectl list -p --json >/tmp/listpb.json && jsoncheck --flat </tmp/listpb.json >/tmp/listpb.flat || return 1
	awk -F'\t' '
	match($1, /^\$\[[0-9]+\]\./) {
		e = substr($1, 3, RLENGTH - 4)
		k = substr($1, RLENGTH + 1)
		if (e + 1 > ne)
			ne = e + 1
		if (k ~ /^processes\[[0-9]+\]\.pid$/)
			pids[e] = pids[e] (pids[e] == "" ? "" : ",") $3
		else
			v[e, k] = $3
	}
	END {
		for (e = 0; e < ne; e++)
			print v[e, "local_addr"] "\t" v[e, "local_port"] "\t" v[e, "remote_addr"] "\t" \
				v[e, "remote_port"] "\t" v[e, "inode"] "\t" v[e, "state"] "\t" \
				pids[e] "\t" v[e, "processes_total"] "\t" v[e, "owner_kind"]
	}' /tmp/listpb.flat | sort
}
ptsv_rows() {
	tcpstatectl list -p --tsv -H | awk -F'\t' '{
		o = $14
		kind = "fd"
		if (o ~ /^closed-by /) { kind = "closed-by"; sub(/^closed-by /, "", o) }
		if (o ~ / \[unaccepted\]/) kind = "unaccepted"
		sub(/ .*/, "", o)
		n = split(o, it, ",")
		pids = ""
		tot = 0
		for (i = 1; i <= n; i++) {
			if (it[i] ~ /^[0-9]+\//) {
				sub(/\/.*/, "", it[i])
				pids = pids (pids == "" ? "" : ",") it[i]
				tot++
			} else if (it[i] ~ /^\+[0-9]+$/) {
				tot += substr(it[i], 2)
			}
		}
		if (tot == 0)
			kind = "?"
		print $4 "\t" $5 "\t" $6 "\t" $7 "\t" $9 "\t" $1 "\t" pids "\t" tot "\t" kind
	}' | sort
}
# The TSV does not name the kind of an ownerless socket ("-", "(hidden)",
# ...): "?" matches any kind there.
pjson_cmp() { pjson_rows | awk -F'\t' -v OFS='\t' '$8 == 0 { $9 = "?" } { print }'; }
same_tuples "list -p: owners (pids, processes_total, kind) equal the TSV's" pjson_cmp ptsv_rows
expect_le "list -p: sockets with owners compared" 10 "$(echo "$SAME_WANT" | awk -F'\t' '$7 != ""' | wc -l)"
expect_le "list -p: unaccepted sockets compared" 2 "$(echo "$SAME_WANT" | awk -F'\t' '$9 == "unaccepted"' | wc -l)"

# --- counts: states and total equal the table's rows.
table_counts() { tcpstatectl counts -H "$@" | awk '{ print $1, $2 }' | sort; }
json_counts() {
	awk -F'\t' -v p="$2" 'index($1, p ".states.") == 1 { sub(/.*\./, "", $1); print $1, $3 }
		$1 == p ".total" { print "Total", $3 }' /tmp/$1.flat | sort
}
json counts counts -- tcpstatectl counts --json
if [ "$(json_counts counts '$')" != "$(table_counts)" ]; then
	# A TIME_WAIT socket may have expired in between: once more.
	json counts counts -- tcpstatectl counts --json
fi
expect_same "counts: every state and the total equal the table" "$(json_counts counts '$')" "$(table_counts)"
expect_eq "counts: the states add up to the total" \
	"$(awk -F'\t' '$1 ~ /^\$\.states\./ { s += $3 } END { print s + 0 }' /tmp/counts.flat)" "$(field counts '$.total')"
expect_le "counts: CLOSE_WAIT counted" 5 "$(field counts '$.states.CLOSE_WAIT')"
expect_eq "counts: netns is stats' netns" "$(field counts '$.netns')" "$(stat_field netns)"

# --- counts --by KEY: per group, total and each state column of the
# table (the key is the first columns, the numbers the last ones).
by_table() {
	tcpstatectl counts --by "$1" | awk '
	NR == 1 { n = 0; for (i = NF; i > 0 && $i != "Total"; i--) st[++n] = $i; next }
	/^\(/ && / more groups\)$/ { next }
	{
		k = $1
		for (i = 2; i <= NF - n - 1; i++)
			k = k " " $i
		print k "\tTotal\t" $(NF - n)
		for (i = 1; i <= n; i++)
			print k "\t" st[i] "\t" $(NF - i + 1)
	}' | sort
}
by_json() {
	awk -F'\t' '
	match($1, /^\$\.groups\[[0-9]+\]\./) {
		g = substr($1, 10, RLENGTH - 11)
		k = substr($1, RLENGTH + 1)
		if (k == "key") key[g] = $3
		else if (k == "total") v[g, "Total"] = $3
		else if (k ~ /^states\./) { sub(/^states\./, "", k); v[g, k] = $3; st[k] = 1 }
		if (g + 1 > ng) ng = g + 1
	}
	END {
		for (g = 0; g < ng; g++) {
			print key[g] "\tTotal\t" v[g, "Total"]
			for (s in st)
				print key[g] "\t" s "\t" v[g, s]
		}
	}' /tmp/$1.flat | sort
}
for by in lport laddr raddr process; do
	json "by-$by" counts-by -- tcpstatectl counts --by "$by" --json
	# The table has a column only for the states that occur in the
	# namespace; the JSON lists every state: compare those columns.
	cols_t=$(tcpstatectl counts --by "$by" | head -n 1)
	want=$(by_table "$by")
	got=$(by_json "by-$by" | awk -F'\t' -v h=" $cols_t " '$2 == "Total" || index(h, " " $2 " ")')
	if [ "$got" != "$want" ]; then
		json "by-$by" counts-by -- tcpstatectl counts --by "$by" --json
		want=$(by_table "$by")
		got=$(by_json "by-$by" | awk -F'\t' -v h=" $cols_t " '$2 == "Total" || index(h, " " $2 " ")')
	fi
	expect_same "counts --by $by: each group's total and states equal the table" "$got" "$want"
	expect_le "counts --by $by: groups compared" 2 "$(echo "$want" | grep -c '	Total	')"
	expect_eq "counts --by $by: the groups' totals add up to at least the total" \
		"$(awk -F'\t' '$1 ~ /^\$\.groups\[[0-9]+\]\.total$/ { s += $3 } END { print (s >= t) }' \
			t="$(field "by-$by" '$.total')" /tmp/by-$by.flat)" 1
done
expect_eq "counts --by lport: port 5000 is a group" \
	"$(awk -F'\t' '$1 ~ /\.key$/ && $3 == 5000 { print $3 }' /tmp/by-lport.flat)" 5000
expect_match "counts --by process: the scenario is a group" "$(awk -F'\t' '$1 ~ /\.key$/ { print $3 }' /tmp/by-process.flat)" '^[0-9]+/tcpscen'
json by-top counts-by -- tcpstatectl counts --by lport --top 1 --json
expect_eq "counts --by --top 1: one group" "$(field by-top '$.groups')" 1

# --- counts --all-netns: an array, this namespace among them, equal to
# counts --json; a listener in a second namespace makes it two objects.
rm -f /tmp/other.ready
unshare -n sh -c 'ip link set lo up; exec tcpscen -r /tmp/other.ready -p 5100 listen' >/tmp/other.log 2>&1 &
other=$!
for i in $(seq 1 $((100 * SLOW))); do
	[ -s /tmp/other.ready ] && break
	sleep 0.1
done
[ -s /tmp/other.ready ] || fail "the second namespace's listener did not get ready: $(cat /tmp/other.log)"
json all counts-all -- tcpstatectl counts --all-netns --json
me=$(field counts '$.netns')
i=$(awk -F'\t' -v n="$me" '$1 ~ /^\$\[[0-9]+\]\.netns$/ && $3 == n { print substr($1, 3, index($1, "]") - 3) }' /tmp/all.flat)
expect_match "counts --all-netns: this namespace listed once" "$i" '^[0-9]+$'
# Sockets expire (TIME_WAIT): counts taken right after, and once more if
# they differ.
json counts2 counts -- tcpstatectl counts --json
json_counts counts2 '$' >/tmp/c1
json_counts all "\$[$i]" >/tmp/c2
if ! cmp -s /tmp/c1 /tmp/c2; then
	json all counts-all -- tcpstatectl counts --all-netns --json
	json counts2 counts -- tcpstatectl counts --json
	i=$(awk -F'\t' -v n="$me" '$1 ~ /^\$\[[0-9]+\]\.netns$/ && $3 == n { print substr($1, 3, index($1, "]") - 3) }' /tmp/all.flat)
	json_counts counts2 '$' >/tmp/c1
	json_counts all "\$[$i]" >/tmp/c2
fi
expect_eq "counts --all-netns: this namespace's counts equal counts --json" "$(cat /tmp/c2)" "$(cat /tmp/c1)"
expect_le "counts --all-netns: both namespaces" 2 "$(field all '$')"
# (Earlier cases may leave sockets in other namespaces: at least one.)
expect_le "counts --all-netns: the other namespace's listener" 1 \
	"$(awk -F'\t' -v n="$me" '$1 ~ /^\$\[[0-9]+\]\.netns$/ && $3 != n { print substr($1, 1, index($1, "]")) }' /tmp/all.flat |
		while read -r p; do field all "$p.states.LISTEN"; done | awk '{ s += $1 } END { print s + 0 }')"
kill $other

# --- stats: the text's numbers. Counters move (other namespaces' sockets
# close in the background): JSON taken between two texts must lie
# between them.
tcpstatectl stats >/tmp/st1.txt
json stats stats -- tcpstatectl stats --json
tcpstatectl stats >/tmp/st2.txt
# "PATH VALUE" lines from the text, as the JSON's paths.
st_text() {
	awk '
	NR == 1 { v = $2; sub(/,$/, "", v); print "$.version", v; print "$.netns", $4 }
	/^capabilities:/ { for (i = 2; i <= NF; i++) print "$.capabilities[" i - 2 "]", $i }
	/^(unread-close|linger-abort|epipe) / {
		print "$.events." $1 ".seen", $2; print "$.events." $1 ".delivered", $3
		print "$.events." $1 ".dropped", $4; print "$.events." $1 ".unheard", $5
	}
	/^last event sequence number/ { print "$.event_seq", $NF }
	/^TCPAbortOnClose/ { print "$.abort_on_close", $NF }
	/^state changes seen/ { print "$.transitions", $NF }
	/^sockets with entry times/ { print "$.track_entries", $(NF - 2); print "$.track_capacity", $NF }
	/^entry times not recorded/ { print "$.track_full", $NF }
	/^TIME_WAIT entry records/ { print "$.tw_records", $NF }
	/^module objects allocated/ { print "$.objects", $NF }' "$1"
}
st_text /tmp/st1.txt >/tmp/st1.kv
st_text /tmp/st2.txt >/tmp/st2.kv
bad=$(awk -F'\t' 'FILENAME == "/tmp/st1.kv" { a[$1] = $2; next } FILENAME == "/tmp/st2.kv" { b[$1] = $2; next }
	{ j[$1] = $3 }
	END {
		for (p in a) {
			n++
			if (!(p in j)) { print p " not in the JSON"; continue }
			if (a[p] ~ /^[0-9]+$/ && b[p] ~ /^[0-9]+$/) {
				lo = a[p] + 0; hi = b[p] + 0
				if (lo > hi) { t = lo; lo = hi; hi = t }
				if (j[p] + 0 < lo || j[p] + 0 > hi) print p ": " j[p] ", text " a[p] " then " b[p]
			} else if (j[p] != a[p] || a[p] != b[p]) {
				print p ": \"" j[p] "\", text \"" a[p] "\""
			}
		}
		if (n < 20) print "only " n " text values"
	}' FS=' ' /tmp/st1.kv /tmp/st2.kv FS='\t' /tmp/stats.flat)
expect_eq "stats: every number and string equals the text's" "$bad" ""
expect_eq "stats: as many capabilities as the text" "$(field stats '$.capabilities')" \
	"$(awk '/^capabilities:/ { print NF - 1 }' /tmp/st1.txt)"

# --- events: one JSON subscriber and one text subscriber see the same
# events (unread-close, linger-abort, epipe with and without SIGPIPE).
start_events evj --json --timeout $(late 8 8)
evj=$EV_PID
start_events evt --timeout $(late 8 8)
evt=$EV_PID
evscen unread -p 5801 -n 3000 >/tmp/e1.out
evscen linger -p 5802 >/tmp/e2.out
evscen epipe -p 5803 >/tmp/e3.out
evscen epipe -p 5804 -N >/tmp/e4.out
wait $evj
wait $evt
cp /tmp/evj.out /tmp/events.json
parse events --lines
schema events events
expect_le "events: four or more events" 4 "$(field events '$')"
# The text line each JSON event must have printed, time included (the
# guest's local time is UTC).
ev_text() {
	awk -F'\t' '
	match($1, /^\$\[[0-9]+\]\./) {
		e = substr($1, 3, RLENGTH - 4)
		v[e, substr($1, RLENGTH + 1)] = $3
		if (e + 1 > ne) ne = e + 1
	}
	function ep(a, p) { return (a ~ /:/ ? "[" a "]" : a) ":" p }
	END {
		for (e = 0; e < ne; e++) {
			ns = v[e, "time_ns"]
			s = substr(ns, 1, length(ns) - 9) % 86400
			t = sprintf("%02d:%02d:%02d.%s", s / 3600, s / 60 % 60, s % 60, substr(ns, length(ns) - 8, 6))
			ty = v[e, "type"]
			w = sprintf("%s %-12s %s -> %s %s pid %s (%s) uid %s: ", t, ty,
				ep(v[e, "local_addr"], v[e, "local_port"]), ep(v[e, "remote_addr"], v[e, "remote_port"]),
				v[e, "state"], v[e, "pid"], v[e, "comm"], v[e, "uid"])
			if (ty == "unread-close")
				w = w "closed with " v[e, "unread_bytes"] " unread bytes, " \
					(v[e, "rst"] == "true" ? "RST sent instead of FIN" : "data discarded (connection already closed)")
			else if (ty == "linger-abort")
				w = w "closed with SO_LINGER 0, " (v[e, "rst"] == "true" ? "RST sent" : "no RST needed")
			else if (ty == "epipe")
				w = w "wrote to a dead connection, " \
					(v[e, "sigpipe"] == "true" ? "SIGPIPE sent" : "EPIPE returned (MSG_NOSIGNAL)")
			print w
			# time and time_ns are one instant.
			if (substr(v[e, "time"], 12) != substr(t, 1, 9) substr(ns, length(ns) - 8) "Z")
				print "time " v[e, "time"] " is not time_ns " ns
		}
	}' /tmp/events.flat | sort
}
expect_same "events: each JSON event is the text subscriber's line" "$(ev_text)" "$(sort /tmp/evt.out)"
expect_eq "events: the unread bytes" \
	"$(rows events type unread_bytes remote_port | awk -F'\t' '$3 == 5801 { print $2 }')" 3000
# Events of several CPUs may arrive out of order (tools/seqtrack.h), but
# none is lost or repeated here: their numbers are one run, each once.
expect_eq "events: sequence numbers distinct and contiguous" \
	"$(awk -F'\t' '$1 ~ /\.seq$/ { print $3 }' /tmp/events.flat | sort -n |
		awk 'NR == 1 { lo = $1 } { if (NR > 1 && $1 + 0 != l + 1) bad = 1; l = $1 }
			END { print (NR > 0 && !bad) ? "yes" : "no: " NR " events, " lo " to " l }')" yes
expect_eq "events: both SIGPIPE cases" "$(rows events type sigpipe | grep '^epipe' | cut -f2 | sort | tr '\n' ' ')" "false true "

# --- diagnose: one snapshot (--interval 0: the event rules skipped), the
# scenarios' CLOSE_WAIT sockets a finding at once (--close-wait-age 0):
# exit status 3, which diag3 takes for success. Its numbers are
# 83-diagnose's.
diag3() {
	tcpstatectl diagnose "$@"
	[ $? -eq 3 ]
}
json diag diagnose -- diag3 --interval 0 --close-wait-age 0 --min-severity info --json
expect_le "diagnose: findings" 1 "$(field diag '$.findings')"
expect_le "diagnose: the event rules skipped" 3 "$(field diag '$.skipped')"
expect_eq "diagnose: netns is stats' netns" "$(field diag '$.netns')" "$(stat_field netns)"
json diag-all diagnose-all -- diag3 --all-netns --interval 0 --close-wait-age 0 --min-severity info --json
expect_eq "diagnose --all-netns: this namespace first" "$(field diag-all '$[0].netns')" "$(field diag '$.netns')"

# --- version --json: the tool's version (as --version) and the module's
# (as stats), both strings while the module is loaded.
vj=$(tcpstatectl version --json)
expect_eq "version --json: exit status" "$?" 0
expect_eq "version --json: tool and module" "$vj" \
	"{\"tool\": \"$(tcpstatectl --version | sed 's/^tcpstatectl //')\", \"module\": \"$(stat_field version | tr -d '"')\"}"
finish
