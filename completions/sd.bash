# sd.bash - bash completion for sd, the service-desk toolkit: the front
# command sd and the sd-* programs.
#
# Installed as share/bash-completion/completions/sd, with a symlink per
# program, so that bash-completion loads it on the first TAB after any of
# them.  Needs bash-completion (_init_completion, _filedir).
#
# The table at the end of this file is also the zsh and fish completions'
# (_sd.in, sd.fish.in): make copies its _sd_set, _sd_command and
# _sd_describe lines into them (generate.sh), so a program or an option is
# added here, once, for the three shells.  Its lines must stay plain words that the three shells read
# alike: no $, no globs, no braces, a KIND with | quoted, a TEXT quoted with
# '...', or "..." when it holds an apostrophe.
#
# One function, _sd, serves every program; what a program takes is one entry
# in the table at the end of this file:
#
#	_sd_command NAME ARGS [OPTION...]
#
# NAME    the program, e.g. sd-show.
# ARGS    its positional arguments, a KIND each, comma-separated; the last
#         one may end in "..." to repeat ("id,agent", "id..."); "-" for none.
# OPTION  -x or --long for a flag; -x:KIND or --long:KIND for an option that
#         takes a value.  -C DIR, -h, --help and --version, which every
#         program takes, are added by _sd_command.
# KIND    a fixed set of values, "a|b|c"; or text (nothing to offer), dir,
#         file; or a fixed set named by _sd_set; or the name of a
#         _sd_values_KIND function (a - in KIND read as _) printing the
#         candidates one per line, which may look at the line being
#         completed: words, cword, _sd_pos (the positional arguments so
#         far).  KIND,... is a comma-separated list of KIND.  "command" (as
#         ARGS: sd's) is a command name, or help; the words after it are
#         completed as that program's, and after help a command name.
#
#	_sd_set NAME WORD...
#
# A fixed set of values that is part of sd's contract (SPEC.md), e.g. the
# statuses: KIND NAME offers them.
#
# For example, a program that takes an open ticket and an agent of its group,
# or --me, with text from -m or -F:
#
#	_sd_command sd-assign open-id,group-agent --me
#	_sd_command sd-solve open-id -F:file -m:text --file:file --message:text
#
# Live values (ticket IDs, categories, groups, agents, channels) are asked of
# the store each time, never kept here: IDs from `sd-list --format tsv`, the
# rest from the store's config files.  The store is found as sd finds it: -C
# DIR on the line being completed, else $SD_STORE, else the nearest directory
# at or above $PWD that holds sd.ini.

declare -gA _sd_args=() _sd_opts=() _sd_sets=() _sd_descr=() _sd_same=() _sd_repeat=()

_sd_command()
{
	local name=$1 args=$2
	shift 2
	_sd_args[$name]=$args
	_sd_opts[$name]="-C:dir -h --help --version $*"
	complete -F _sd "$name"
}

_sd_set()
{
	local name=$1
	shift
	_sd_sets[$name]="$*"
}

# Kept of _sd_describe NAME TEXT [WORDS TEXT]...: the texts, in
# _sd_descr[NAME] and _sd_descr[NAME WORD]; for a program, the options that
# are one with OPT, comma-separated, in _sd_same[NAME OPT], and
# _sd_repeat[NAME OPT] set when OPT may be given again.  Bash shows no
# text; zsh and fish do.
_sd_describe()
{
	local name=$1 w o
	_sd_descr[$name]=$2
	shift 2
	[[ ${_sd_sets[$name]+set} ]] ||
		set -- -C 'the store directory' -h,--help 'show the usage' --version 'show the version' "$@"
	while (($# >= 2)); do
		w=${1%...}
		for o in ${w//,/ }; do
			_sd_descr[$name $o]=$2
			_sd_same[$name $o]=$w
			[[ $1 == *... ]] && _sd_repeat[$name $o]=1
		done
		shift 2
	done
}

# _sd_dequote WORD: WORD as the shell would pass it, quotes and backslashes
# removed, a leading ~ and $NAME or ${NAME} expanded; without eval.  Sets
# REPLY.
_sd_dequote()
{
	local w=$1 out="" c q="" i re='^\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))'

	if [[ $w == "~" || $w == "~/"* ]]; then
		w=$HOME${w:1}
	elif [[ $w =~ ^~([A-Za-z0-9._-]+)(/.*)?$ ]]; then
		local home
		home=$(getent passwd "${BASH_REMATCH[1]}" 2>/dev/null | cut -d: -f6)
		[[ $home ]] && w=$home${BASH_REMATCH[2]}
	fi
	for ((i = 0; i < ${#w}; i++)); do
		c=${w:i:1}
		if [[ $q == "'" ]]; then
			[[ $c == "'" ]] && q="" || out+=$c
		elif [[ $c == '\' ]]; then
			((i++))
			out+=${w:i:1}
		elif [[ $c == '$' && ${w:i} =~ $re ]]; then
			c=${BASH_REMATCH[2]}${BASH_REMATCH[3]}
			out+=${!c-}
			((i += ${#BASH_REMATCH[0]} - 1))
		elif [[ $q == '"' ]]; then
			[[ $c == '"' ]] && q="" || out+=$c
		elif [[ $c == "'" || $c == '"' ]]; then
			q=$c
		else
			out+=$c
		fi
	done
	REPLY=$out
}

# _sd_store: the store's root in $store, as sd finds it; 1 when there is none.
# $_sd_dir is the -C of the line being completed.
_sd_store()
{
	local d
	store=""
	if [[ ${_sd_dir-} ]]; then
		d=$_sd_dir
		[[ $d == /* ]] || d=$PWD/$d
	elif [[ ${SD_STORE-} ]]; then
		d=$SD_STORE
	else
		d=$PWD
		while [[ $d && ! -f $d/sd.ini ]]; do
			if [[ $d == / ]]; then
				d=""
			else
				d=${d%/*}
				d=${d:-/}
			fi
		done
	fi
	[[ $d && -f $d/sd.ini ]] && store=$d
	[[ $store ]]
}

# _sd_sections FILE [PREFIX]: the section names of an INI file of the store,
# those starting with PREFIX without it.
_sd_sections()
{
	local store
	_sd_store || return 0
	awk -v p="${2-}" '
		/^[ \t]*[;#]/ { next }
		/^[ \t]*\[/ {
			s = $0
			sub(/^[ \t]*\[/, "", s)
			if (!sub(/\].*$/, "", s)) next
			if (index(s, p) == 1) print substr(s, length(p) + 1)
		}' "$store/$1" 2>/dev/null
}

# _sd_ini FILE: the values of an INI file of the store, a line each:
# SECTION<tab>KEY<tab>ITEM, with a list value split at its commas.  Read as
# inih reads it: a value continued on indented lines, " ;" a comment.
_sd_ini()
{
	local store
	_sd_store || return 0
	awk '
		function add(v,    n, a, i) {
			sub(/[ \t];.*$/, "", v)
			n = split(v, a, ",")
			for (i = 1; i <= n; i++) {
				gsub(/^[ \t]+|[ \t]+$/, "", a[i])
				if (a[i] != "") print sec "\t" key "\t" a[i]
			}
		}
		/^[ \t]*([;#]|$)/ { next }
		/^[ \t]/ && key != "" { add($0); next }
		/^[ \t]*\[/ {
			sec = $0
			sub(/^[ \t]*\[/, "", sec)
			sub(/\].*$/, "", sec)
			key = ""
			next
		}
		/[=:]/ {
			key = $0
			sub(/[ \t]*[=:].*$/, "", key)
			sub(/^[ \t]*/, "", key)
			v = $0
			sub(/^[^=:]*[=:]/, "", v)
			add(v)
		}' "$store/$1" 2>/dev/null
}

# _sd_prog NAME: the sd program NAME beside the one being completed (when
# it is named by its path), else the one on $PATH.
_sd_prog()
{
	if [[ ${words[0]} == */* && -x ${words[0]%/*}/$1 ]]; then
		printf '%s\n' "${words[0]%/*}/$1"
	else
		printf '%s\n' "$1"
	fi
}

# _sd_ids [sd-list option...]: ticket IDs, asked of sd-list.
_sd_ids()
{
	local store
	_sd_store || return 0
	"$(_sd_prog sd-list)" -C "$store" --format tsv --fields id "$@" </dev/null 2>/dev/null |
		tail -n +2
}

# Tickets as an action wants them; the status rules are sd's (SPEC section
# 5), only the broad lines are followed here.
_sd_values_id() { _sd_ids; }
_sd_values_open_id() { _sd_ids --open; }
_sd_values_solved_id() { _sd_ids --status solved; }
_sd_values_suspended_id() { _sd_ids --status suspended; }
_sd_values_approval_id() { _sd_ids --status awaiting-approval; }

# Not final: a note, a close.
_sd_values_live_id()
{
	local s list=""
	for s in ${_sd_sets[status]}; do
		[[ $s =~ ^(closed|rejected|unmanaged)$ ]] || list+=${list:+,}$s
	done
	_sd_ids --status "$list"
}

# sd-close: a solved ticket; with --reject, an open one; with --auto, none.
_sd_values_close_id()
{
	local w ids=(--status solved)
	for w in "${words[@]:1:cword-1}"; do
		case $w in
		--au*) return ;;
		--rej*) ids=(--open) ;;
		esac
	done
	_sd_ids "${ids[@]}"
}

_sd_values_category() { _sd_sections escalation.ini; }
_sd_values_group() { _sd_sections agents.ini 'group '; }
_sd_values_agent() { _sd_sections agents.ini 'agent '; }
_sd_values_role() { _sd_ini escalation.ini | awk -F '\t' '$2 == "approvals" && !seen[$3]++ { print $3 }'; }

# A category with its subcategories: the parents count too (sd-list).
_sd_values_category_tree()
{
	_sd_sections escalation.ini | awk '{
		n = split($0, p, "/"); s = ""
		for (i = 1; i <= n; i++) { s = s (i > 1 ? "/" : "") p[i]; if (!seen[s]++) print s }
	}'
}

_sd_values_assignee()
{
	echo me
	_sd_values_agent
}

# sd-assign: the agents of the group of the ticket named first on the line;
# every agent when that is not known.
_sd_values_group_agent()
{
	local store group="" w
	for w in "${words[@]:1:cword-1}"; do
		[[ $w == --me ]] && return
	done
	_sd_store || return 0
	[[ ${_sd_pos[0]-} ]] &&
		group=$("$(_sd_prog sd-show)" -C "$store" --field group "${_sd_pos[0]}" </dev/null 2>/dev/null)
	[[ $group ]] || { _sd_values_agent; return; }
	_sd_ini agents.ini | awk -F '\t' -v g="$group" \
		'$1 ~ /^agent / && $2 == "groups" && $3 == g { print substr($1, 7) }'
}

# sd-show --field: the keys and the texts.
_sd_values_field() { printf '%s\n' ${_sd_sets[key]} description solution; }

# Without the key, the channels are sd's default.
_sd_values_channel()
{
	local c
	c=$(_sd_ini sd.ini | awk -F '\t' '$1 == "lifecycle" && $2 == "channels" { print $3 }')
	[[ $c ]] || c=$(printf '%s\n' ${_sd_sets[default-channel]})
	printf '%s\n' "$c"
}

# sd-edit: a configuration file or a ticket of the store.
_sd_values_edit()
{
	local store
	_sd_store || return 0
	printf '%s\n' ${_sd_sets[config]}
	_sd_ids
}

# sd: the commands, the programs of the table without "sd-"; and help, but
# after it the topics of the manual instead.
_sd_values_command()
{
	local p
	for p in "${!_sd_opts[@]}"; do
		[[ $p == sd-* ]] && printf '%s\n' "${p#sd-}"
	done
	if [[ ${_sd_pos[0]-} == help ]]; then
		printf '%s\n' ${_sd_sets[topic]}
	else
		echo help
	fi
}

_sd_values_timezone()
{
	local dir=${TZDIR:-/usr/share/zoneinfo}
	if [[ -r $dir/tzdata.zi ]]; then
		awk '$1 == "Z" { print $2 } $1 == "L" { print $3 }' "$dir/tzdata.zi"
	elif [[ -r $dir/zone1970.tab ]]; then
		awk '!/^#/ { print $3 }' "$dir/zone1970.tab"
	fi
}

# _sd_kind OPT: the option's KIND in $kind ("" for a flag), its whole name
# in $oname; 1 when the program has no such option.  A long option may be
# abbreviated, as getopt_long allows.
_sd_kind()
{
	local o found="" n=0
	for o in ${_sd_opts[$cmd]}; do
		if [[ ${o%%:*} == "$1" ]]; then
			found=$o n=1
			break
		fi
		if [[ $1 == --?* && ${o%%:*} == "$1"* ]]; then
			found=$o
			((n++))
		fi
	done
	((n == 1)) || return 1
	oname=${found%%:*}
	[[ $found == *:* ]] && kind=${found#*:} || kind=""
	return 0
}

# _sd_options: COMPREPLY for $cur as an option of $cmd, but not one given
# already ($_sd_given), under any of its names, unless it may be repeated.
_sd_options()
{
	local o n g
	local -a names=()
	for o in ${_sd_opts[$cmd]}; do
		n=${o%%:*}
		if [[ ! ${_sd_repeat[$cmd $n]-} ]]; then
			for g in "${_sd_given[@]}"; do
				[[ ,${_sd_same[$cmd $n]:-$n}, == *,"$g",* ]] && continue 2
			done
		fi
		names+=("$n")
	done
	mapfile -t COMPREPLY < <(compgen -W "${names[*]}" -- "$cur")
}

# _sd_complete KIND [PREFIX]: COMPREPLY for $cur as a value of KIND, each
# candidate preceded by PREFIX (an attached short option, -tin).
_sd_complete()
{
	local kind=$1 prefix=${2-} head="" c v
	local -a cand=()
	case $kind in
	text | -) return ;;
	dir | file)
		[[ $kind == dir ]] && _filedir -d || _filedir
		[[ $prefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
		return
		;;
	edit)
		# sd-edit takes a config file or a ticket by its path, too.
		[[ $cur == */* ]] && { _filedir ini; return; }
		;;
	esac
	if [[ $kind == *,... ]]; then
		kind=${kind%,...}
		[[ $cur == *,* ]] && head=${cur%,*},
		cur=${cur##*,}
		compopt -o nospace 2>/dev/null
	fi
	if [[ $kind == *'|'* ]]; then
		IFS='|' read -ra cand <<<"$kind"
	elif [[ ${_sd_sets[$kind]+set} ]]; then
		read -ra cand <<<"${_sd_sets[$kind]}"
	elif declare -F "_sd_values_${kind//-/_}" >/dev/null; then
		mapfile -t cand < <("_sd_values_${kind//-/_}")
	fi
	COMPREPLY=()
	for c in "${cand[@]}"; do
		[[ ,$head == *,"$c",* ]] && continue
		if [[ $c == *-[0-9]* && $cur =~ ^[0-9]+$ && $kind =~ (^|-)id$|^edit$ ]]; then
			c=${c##*-}              # 42 for SD-42, as sd takes it
		fi
		if [[ ${c,,} == "${cur,,}"* ]]; then
			v=$cur${c:${#cur}}      # sd-4 -> sd-42: the case typed is kept
			COMPREPLY+=("$prefix$head$v")
		fi
	done
}

_sd()
{
	local cur prev words cword split
	_init_completion -s || return

	local cmd=${1##*/}
	[[ ${_sd_opts[$cmd]+set} ]] || cmd=${words[0]##*/}
	[[ ${_sd_opts[$cmd]+set} ]] || return
	_sd_main "$cmd"
}

# _sd_subcommand I: sd's COMMAND is words[I]; the words after it are
# completed as that program's, with sd's options before them (-C DIR):
# `sd -C DIR show --format <TAB>` as `sd-show -C DIR --format <TAB>`.
_sd_subcommand()
{
	local i=$1 name=sd-${words[$1]} prog
	if [[ ${words[i]} == help ]]; then
		((cword == i + 1)) && _sd_complete command
		return
	fi
	[[ ${_sd_opts[$name]+set} ]] || return
	prog=$name
	[[ ${words[0]} == */* ]] && prog=${words[0]%/*}/$name
	words=("$prog" "${words[@]:1:i-1}" "${words[@]:i+1}")
	((cword--))
	_sd_main "$name"
}

# _sd_main CMD: COMPREPLY for words[cword], CMD's name in the table.
_sd_main()
{
	local cmd=$1

	# The words before this one: positional arguments, -C, and whether
	# this word is the value of an option.
	local _sd_dir="" kind oname want="" w o npos=0 i j dashdash="" REPLY
	local -a _sd_pos=() _sd_given=()
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		if [[ $dashdash || $w != -?* ]]; then
			_sd_pos[npos++]=$w
			# sd stops at its COMMAND: what follows is the command's.
			if [[ ${_sd_args[$cmd]} == command ]]; then
				_sd_subcommand "$i"
				return
			fi
			continue
		fi
		if [[ $w == -- ]]; then
			dashdash=1
			continue
		fi
		if [[ $w == --* ]]; then
			_sd_kind "${w%%=*}" || continue
			_sd_given+=("$oname")
			[[ $kind && $w != *=* ]] || continue
			if ((i + 1 < cword)); then
				((i++))
			else
				want=$kind
			fi
			continue
		fi
		# A cluster of short options, the last perhaps with its value: -Cdir.
		for ((j = 1; j < ${#w}; j++)); do
			o=-${w:j:1}
			_sd_kind "$o" || break
			_sd_given+=("$o")
			[[ $kind ]] || continue
			if ((j + 1 < ${#w})); then
				[[ $o == -C ]] && _sd_dequote "${w:j+1}" && _sd_dir=$REPLY
			elif ((i + 1 < cword)); then
				((i++))
				[[ $o == -C ]] && _sd_dequote "${words[i]}" && _sd_dir=$REPLY
			else
				want=$kind
			fi
			break
		done
	done

	# The value of an option: --opt=cur, --opt cur, -x cur.
	if [[ $split == true ]]; then
		_sd_kind "$prev" && [[ $kind ]] && _sd_complete "$kind"
		return
	fi
	if [[ $want ]]; then
		_sd_complete "$want"
		return
	fi

	# An option, or a short option with its value attached: -tinc.
	if [[ ! $dashdash && $cur == -* ]]; then
		if [[ $cur != --* ]]; then
			for ((j = 1; j < ${#cur}; j++)); do
				o=-${cur:j:1}
				_sd_kind "$o" || break
				[[ $kind ]] || continue
				if ((j + 1 < ${#cur})); then
					local p=${cur:0:j+1}
					cur=${cur:j+1}
					_sd_complete "$kind" "$p"
					return
				fi
				break
			done
		fi
		_sd_options
		return
	fi

	# A positional argument; with none left to give, the options.
	local -a args
	IFS=, read -ra args <<<"${_sd_args[$cmd]}"
	kind=-
	if ((npos < ${#args[@]})); then
		kind=${args[npos]}
	elif ((${#args[@]})) && [[ ${args[-1]} == *... ]]; then
		kind=${args[-1]}
	fi
	kind=${kind%...}
	if [[ $kind == - ]]; then
		[[ $dashdash ]] || _sd_options
		return
	fi
	_sd_complete "$kind"
}

# The table.  The fixed sets: statuses (SPEC section 5), the ticket keys
# (section 4), the channels when sd.ini names none, the configuration files,
# the topics of `sd help`.
_sd_set status new pending-info awaiting-approval assigned escalated provider suspended \
	solved reopened closed rejected unmanaged known-error
_sd_set key id type status title category channel urgency impact priority level group \
	assignee requester requester_email requester_phone created updated responded solved \
	closed due_response due_resolution resolution close_reason rating escalations \
	reopened contact_attempts related approvals problem incidents
_sd_set default-channel phone email web chat teams walk-in
_sd_set config sd.ini sla.ini escalation.ini agents.ini
# The manual pages `sd help` opens besides the commands' (cmd/sd.c,
# topics[]; tests/cmd/completion.t holds them equal).
_sd_set topic sd ticket config

# One entry per program, options sorted as in its usage().
_sd_command sd command
_sd_command sd-init dir \
	--example --group:text --name:text --prefix:text --timezone:timezone
_sd_command sd-new - \
	-F:file -c:category -i:'high|medium|low' -m:text -r:text -s:text \
	-t:'incident|request|problem' -u:'high|medium|low' --category:category \
	--channel:channel --email:text --file:file --impact:'high|medium|low' \
	--message:text --phone:text --related:id --requester:text --title:text \
	--type:'incident|request|problem' --urgency:'high|medium|low'
_sd_command sd-mail - \
	-f:text -t:'incident|request' --dry-run --flush --sender:text \
	--type:'incident|request'
_sd_command sd-show id \
	--attachment:text --field:field --format:'text|json|ini' --history
_sd_command sd-list - \
	--assignee:assignee --at-risk --breached --category:category-tree \
	--fields:key,... --format:'table|text|tsv|csv|json' --grep:text --group:group \
	--level:'1|2|3' --open --priority:'1|2|3|4,...' --progress --provider-ref:text --quiet \
	--requester:text --since:text --sort:key --status:status,... \
	--type:'incident|request|problem' --until:text
_sd_command sd-update open-id \
	-F:file -m:text --category:category --email:text --file:file \
	--impact:'high|medium|low' --message:text --phone:text --title:text \
	--urgency:'high|medium|low'
_sd_command sd-edit edit
_sd_command sd-fsck - \
	--commits:text --progress --push --quiet --repair
_sd_command sd-sync - \
	-q --dry-run --enroll:text --format:'text|tsv|json' --lease --no-push --promote --quiet \
	--site:text --status
_sd_command sd-assign open-id,group-agent \
	--me
_sd_command sd-escalate open-id \
	-F:file -m:text --file:file --group:group --level:'1|2|3' --message:text \
	--provider-ref:text
_sd_command sd-suspend open-id \
	-F:file -m:text --file:file --message:text
_sd_command sd-resume suspended-id \
	-F:file -m:text --file:file --message:text
_sd_command sd-solve open-id \
	-F:file -m:text --code:'solved|workaround|unsolvable|no-contact' --file:file --kb:text \
	--known-error --message:text
_sd_command sd-close close-id \
	-F:file -m:text --auto --dry-run --file:file --format:'table|text|tsv|csv|json' \
	--message:text --progress --quiet --rating:'1|2|3|4|5' --reject
_sd_command sd-reopen solved-id \
	-F:file -m:text --file:file --message:text
_sd_command sd-note live-id \
	-F:file -m:text --contact-attempt --file:file --message:text
_sd_command sd-reply live-id \
	-F:file -m:text --file:file --message:text
_sd_command sd-attach live-id,file \
	-m:text --message:text --name:text --type:text
_sd_command sd-approve approval-id \
	-F:file -m:text --deny --file:file --message:text --role:role
_sd_command sd-kb 'new|show|list|search|edit',text \
	-F:file -c:category -m:text -s:text --category:category --file:file \
	--message:text --title:text
_sd_command sd-link id,id... \
	--problem:id
_sd_command sd-sla - \
	--format:'table|text|tsv|csv|json' --new-only --warn:text
_sd_command sd-shell agent \
	--store:dir
_sd_command sd-report - \
	--assignee:assignee \
	--by:'status|type|priority|level|group|assignee|category|channel|requester|day|week|month|problem,...' \
	--category:category-tree --format:'table|text|tsv|csv|json|html' --group:group \
	--include-unmanaged --kb --level:'1|2|3' --no-cache --open --priority:'1|2|3|4,...' \
	--progress --quiet --requester:text --since:text --status:status,... \
	--type:'incident|request|problem' \
	--until:text

# What each program, option and fixed value is, in a line, for the shells
# that show it (zsh, fish); and which options may be given twice:
#
#	_sd_describe NAME TEXT [WORDS TEXT]...
#
# NAME    a program of the table (TEXT: what it does, as `sd --help` says),
#         or a fixed set of _sd_set (TEXT: what it is).
# WORDS   for a program, its options that are one, comma-separated
#         (-F,--file), and TEXT what they do; WORDS ending in "..." may be
#         given more than once, the others are not offered again once
#         given.  For a set, one of its values.  -C, -h, --help and
#         --version are described by _sd_describe itself.
_sd_describe topic 'open the manual of a command or of a topic' \
	sd 'the desk: its procedure, statuses and rules' \
	ticket 'the ticket file' \
	config 'the configuration files'
_sd_describe sd 'the front command'
_sd_describe sd-init 'make a service-desk store' \
	--example 'with example categories, groups and agents' \
	--group 'the first group' --name 'the desk name' \
	--prefix 'the prefix of ticket IDs' --timezone 'the desk time zone'
_sd_describe sd-new 'register a ticket' \
	-t,--type 'incident or request' -s,--title 'the title' \
	-r,--requester 'who asks' -c,--category 'the category' \
	-F,--file 'the description, from a file' -m,--message 'the description' \
	-i,--impact 'how widely it is felt' -u,--urgency 'how soon it is needed' \
	--channel 'how it came in' --email 'the requester email address' \
	--phone 'the requester phone number' --related 'a ticket it relates to'
_sd_describe sd-mail 'register tickets and notes from email' \
	-t,--type 'the type of new tickets' -f,--sender 'the sender, for the envelope' \
	--dry-run 'say what would be done, do nothing' --flush 'retry the mail kept back'
_sd_describe sd-show 'show one ticket' \
	--field... 'only the value of a key, or a text' --format 'the output format' \
	--history 'with the record of changes' --attachment 'an attached file, by number'
_sd_describe sd-list 'list tickets, one per row' \
	--assignee 'assigned to an agent, or me' --at-risk 'with a clock at risk' \
	--breached 'with a clock past due' --category 'in a category or below' \
	--fields 'the columns' --format 'the output format' \
	--grep 'holding a text, any case' --group 'of a group' \
	--level 'at a level' --open 'open tickets only' --priority 'of priorities' \
	--provider-ref 'with a provider case number' \
	--requester 'of a requester, or a part of it' --since 'created at or after a date' \
	--sort 'sort by a key' --status 'in statuses' --type 'incidents, requests or problems' \
	--until 'created before a date' --progress 'show progress, even in a pipe' \
	--quiet 'show no progress'
_sd_describe sd-update 'correct or complete a ticket' \
	-F,--file 'a note, from a file' -m,--message 'a note' \
	--category 'the new category' --email 'the requester email address' \
	--impact 'the new impact' --phone 'the requester phone number' \
	--title 'the new title' --urgency 'the new urgency'
_sd_describe sd-edit 'correct a ticket or a configuration file in an editor'
_sd_describe sd-fsck 'check a store, and repair it' \
	--repair 'repair what can be repaired' --commits 'check commits, as a hook' \
	--push 'check a push, as a hook' --progress 'show progress, even in a pipe' \
	--quiet 'show no progress'
_sd_describe sd-sync "exchange a site's work with its desk's hub" \
	--dry-run 'fetch and replay, change nothing' --enroll 'make DIR a site of the hub at URL' \
	--format 'the report format' --lease 'take a block of ticket numbers now' \
	--no-push 'replay onto the hub here, push later' --promote 'make this site the hub' \
	-q,--quiet 'show no progress' --site "the new site's name" --status "this site's state"
_sd_describe sd-assign 'give a ticket to an agent of its group' \
	--me 'to yourself'
_sd_describe sd-escalate 'move a ticket to another level or group, with a diagnosis' \
	-F,--file 'the diagnosis, from a file' -m,--message 'the diagnosis' \
	--group 'the group it goes to' --level 'the level it goes to' \
	--provider-ref 'the provider case number'
_sd_describe sd-approve 'give or deny one approval of a request' \
	-F,--file 'the reason, from a file' -m,--message 'the reason' \
	--deny 'deny, with a reason' --role 'the approving role'
_sd_describe sd-suspend 'put a ticket on hold, its SLA clocks stopped' \
	-F,--file 'the reason, from a file' -m,--message 'the reason'
_sd_describe sd-resume 'take a suspended ticket off hold' \
	-F,--file 'a note, from a file' -m,--message 'a note'
_sd_describe sd-note 'add a note to a ticket, or count a failed contact attempt' \
	-F,--file 'the note, from a file' -m,--message 'the note' \
	--contact-attempt 'a failed attempt to reach the requester'
_sd_describe sd-reply "answer a ticket's requester, in the ticket's record" \
	-F,--file 'the answer, from a file' -m,--message 'the answer'
_sd_describe sd-attach 'keep a file with a ticket' \
	-m,--message 'a note about the file' --name 'the name it is kept under' \
	--type 'its media type'
_sd_describe sd-kb "write, show, list and search the knowledge base's articles" \
	-s,--title 'the title of a new article' -c,--category 'its category; list: of a category' \
	-F,--file 'the text, from a file' -m,--message 'the text'
_sd_describe sd-link 'relate tickets both ways, or incidents to their problem' \
	--problem 'link incidents to their problem'
_sd_describe sd-solve 'document the solution of a ticket' \
	-F,--file 'the solution, from a file' -m,--message 'the solution' \
	--code 'how it was solved' --kb 'the knowledge-base article it was solved with' \
	--known-error 'a problem: its cause known, a workaround given'
_sd_describe sd-close 'close a solved ticket, reject one, or close what is due' \
	-F,--file 'a comment or reason, from a file' -m,--message 'a comment or reason' \
	--auto 'close every solved ticket that is due' --dry-run 'with --auto: say, do nothing' \
	--format 'the output format of --auto' --rating 'the requester rating, 1 to 5' \
	--reject 'reject an open ticket' --progress 'with --auto: show progress, even in a pipe' \
	--quiet 'with --auto: show no progress'
_sd_describe sd-reopen 'reopen a solved ticket the requester is not satisfied with' \
	-F,--file 'the reason, from a file' -m,--message 'the reason'
_sd_describe sd-sla 'open tickets at risk of missing their SLA, or past it' \
	--format 'the output format' --new-only 'only what was not reported before' \
	--warn 'the share of a target that is at risk, in percent'
_sd_describe sd-report "the desk's figures per group of tickets: SLA met, times, satisfaction" \
	--assignee 'assigned to an agent, or me' --by 'the keys to group by' \
	--category 'in a category or below' --format 'the output format' \
	--group 'of a group' --include-unmanaged 'count unmanaged tickets too' \
	--kb 'how many tickets each article solved' \
	--level 'at a level' --no-cache 'read every ticket, not the cache' \
	--open 'open tickets only' --priority 'of priorities' \
	--requester 'of a requester, or a part of it' --since 'created at or after a date' \
	--status 'in statuses' --type 'incidents, requests or problems' \
	--until 'created before a date' --progress 'show progress, even in a pipe' \
	--quiet 'show no progress'
_sd_describe sd-shell 'run one sd command for an SSH key bound to an agent' \
	--store 'the store directory'

# ex: filetype=sh
