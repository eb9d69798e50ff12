# SPDX-License-Identifier: GPL-2.0 OR MIT
# bash completion for tcpstatectl(8). Self-contained: works with or without
# the bash-completion package. Commands, options and values follow
# tools/tcpstatectl.c, tools/cmd_*.c and tools/states.c.

# Complete the current word from a list of words, after an optional prefix
# that stays in front of every candidate (for --opt=value and S,S lists).
# Matched here rather than with compgen -W, which would expand $(...) in
# the words (process names are anybody's to choose). The lists hold no
# glob characters.
_tcpstatectl_words()
{
	local prefix=$1 cur=$2 words=$3 w
	local IFS=$' \t\n'

	for w in $words; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$prefix$w")
	done
	return 0
}

# Is word $2 one of the words of $1?
_tcpstatectl_has()
{
	local w
	local IFS=$' \t\n'

	for w in $1; do
		[[ $w == "$2" ]] && return 0
	done
	return 1
}

# File names (--output). compgen -f takes the word as a plain prefix
# (nothing in it is expanded); -o filenames quotes the candidates and puts
# a slash after directories.
_tcpstatectl_files()
{
	local prefix=$1 cur=$2 f
	local IFS=$'\n'

	for f in $(compgen -f -- "$cur"); do
		COMPREPLY+=("$prefix$f")
	done
	compopt -o filenames 2>/dev/null
	return 0
}

# A comma-separated list (--state, --type): complete the last element.
_tcpstatectl_list()
{
	local prefix=$1 cur=$2 words=$3

	if [[ $cur == *,* ]]; then
		prefix+=${cur%,*},
		cur=${cur##*,}
	fi
	_tcpstatectl_words "$prefix" "$cur" "$words"
}

_tcpstatectl()
{
	local cur prev cmd opt prefix
	local commands='list counts events stats metrics diagnose version help'
	local global_opts='-h --help -V --version'
	# Kernel names (tools/states.c kernel_names), ss spellings and groups.
	local states='ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2
		TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN CLOSING NEW_SYN_RECV
		established estab syn-sent syn-recv fin-wait-1 fin-wait-2
		time-wait close closed unconn close-wait last-ack listen
		listening closing new-syn-recv
		all connected synchronized bucket big'
	local types='unread-close linger-abort epipe'
	local by_keys='lport laddr raddr process'
	local sort_keys='age state local remote recv-q send-q process'
	local severities='info warning critical'
	local filter_opts='--state --sport --dport --port --src --dst
		--older-than --all-netns -4 -6 --pid --comm --not-state'
	# Negations list can finish after the dump; counts cannot.
	local not_opts='--not-sport --not-dport --not-port --not-src
		--not-dst --not-pid --not-comm'
	local opts='' argopts=''

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	[[ $COMP_CWORD -gt 0 ]] && prev=${COMP_WORDS[COMP_CWORD - 1]}

	# The command is the first word after tcpstatectl.
	if [[ $COMP_CWORD -le 1 ]]; then
		if [[ $cur == -* ]]; then
			_tcpstatectl_words '' "$cur" "$global_opts"
		else
			_tcpstatectl_words '' "$cur" "$commands"
		fi
		return 0
	fi
	cmd=${COMP_WORDS[1]}

	case $cmd in
	list)
		opts="$filter_opts $not_opts -p --processes --json --tsv -H
			--no-header -n --numeric --sort -r --reverse -W --wide --help"
		argopts="--state --sport --dport --port --src --dst --older-than
			--pid --comm --not-state $not_opts --sort"
		;;
	counts)
		opts="$filter_opts --by --top --json -H --no-header -n --numeric
			--help"
		argopts='--state --sport --dport --port --src --dst --older-than
			--pid --comm --not-state --by --top'
		;;
	events)
		opts='--type --pid --port --count --timeout --json --summary
			--buffer --help'
		argopts='--type --pid --port --count --timeout --buffer'
		;;
	stats)
		opts='--json --help'
		;;
	metrics)
		opts='--output --top --all-netns --help'
		argopts='--output --top'
		;;
	diagnose)
		opts='--interval --json --all-netns --min-severity
			--close-wait-min --close-wait-age --port-share --tw-share
			--orphan-share --events-min --help'
		argopts='--interval --min-severity --close-wait-min
			--close-wait-age --port-share --tw-share --orphan-share
			--events-min'
		;;
	version)
		opts='--json --help'
		;;
	help)
		[[ $COMP_CWORD -eq 2 ]] &&
			_tcpstatectl_words '' "$cur" "${commands% help}"
		return 0
		;;
	*)
		return 0
		;;
	esac

	# Which option's value is being completed, if any? Handle
	# "--opt value", "--opt=value" (= a word break or not) and "--opt=".
	opt=
	prefix=
	if [[ $cur == = && $prev == --* ]]; then
		opt=$prev
		cur=
	elif [[ $prev == = && $COMP_CWORD -ge 2 &&
		${COMP_WORDS[COMP_CWORD - 2]} == --* ]]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		prefix=$opt=
		cur=${cur#*=}
	elif [[ $prev == --* ]] && _tcpstatectl_has "$argopts" "$prev"; then
		opt=$prev
	fi

	if [[ -n $opt ]]; then
		# Only options of this command that take a value.
		_tcpstatectl_has "$argopts" "$opt" || return 0
		case $opt in
		--state | --not-state)
			_tcpstatectl_list "$prefix" "$cur" "$states"
			;;
		--type)
			_tcpstatectl_list "$prefix" "$cur" "$types"
			;;
		--by)
			_tcpstatectl_words "$prefix" "$cur" "$by_keys"
			;;
		--sort)
			_tcpstatectl_words "$prefix" "$cur" "$sort_keys"
			;;
		--pid | --not-pid)
			local pids=() p
			for p in /proc/[0-9]*; do
				pids+=("${p#/proc/}")
			done
			_tcpstatectl_words "$prefix" "$cur" "${pids[*]}"
			;;
		--comm | --not-comm)
			local comms
			comms=$(cat /proc/[0-9]*/comm 2>/dev/null |
				LC_ALL=C grep -x '[[:alnum:]._:+@-]\{1,15\}' |
				sort -u)
			_tcpstatectl_words "$prefix" "$cur" "$comms"
			;;
		--older-than)
			_tcpstatectl_words "$prefix" "$cur" '30s 1m 5m 10m 30m 1h 1d'
			;;
		--interval | --close-wait-age)
			_tcpstatectl_words "$prefix" "$cur" '0 1s 5s 10s 30s 1m 5m'
			;;
		--min-severity)
			_tcpstatectl_words "$prefix" "$cur" "$severities"
			;;
		--output)
			_tcpstatectl_files "$prefix" "$cur"
			;;
		esac
		# Ports, addresses, counts, seconds and bytes: nothing to offer.
		return 0
	fi

	if [[ $cur == -* ]]; then
		_tcpstatectl_words '' "$cur" "$opts"
	fi
	return 0
}

complete -F _tcpstatectl tcpstatectl
