# sd.bash - bash completion for sd, the service-desk toolkit: the front
# command sd and the sd-* programs.
#
# Installed as share/bash-completion/completions/sd, with a symlink per
# program, so that bash-completion loads it on the first TAB after any of
# them.  Needs bash-completion (_init_completion, _filedir).
#
# The table at the end of this file is also the zsh and fish completions'
# (_sd.in, sd.fish.in): make copies its _sd_set and _sd_command lines into
# them (generate.sh), so a program or an option is added here, once, for the
# three shells.  Its lines must stay plain words that the three shells read
# alike: no $, no globs, no braces, a KIND with | quoted.
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

declare -gA _sd_args=() _sd_opts=() _sd_sets=()

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
# not after it.
_sd_values_command()
{
	local p
	for p in "${!_sd_opts[@]}"; do
		[[ $p == sd-* ]] && printf '%s\n' "${p#sd-}"
	done
	[[ ${_sd_pos[0]-} == help ]] || echo help
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

# _sd_kind OPT: the option's KIND in $kind ("" for a flag); 1 when the
# program has no such option.  A long option may be abbreviated, as
# getopt_long allows.
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
	[[ $found == *:* ]] && kind=${found#*:} || kind=""
	return 0
}

# _sd_options: COMPREPLY for $cur as an option of $cmd.
_sd_options()
{
	local o
	local -a names=()
	for o in ${_sd_opts[$cmd]}; do
		names+=("${o%%:*}")
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
	local _sd_dir="" kind want="" w o npos=0 i j dashdash="" REPLY
	local -a _sd_pos=()
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
# (section 4), the channels when sd.ini names none, the configuration files.
_sd_set status new pending-info awaiting-approval assigned escalated provider suspended \
	solved reopened closed rejected unmanaged
_sd_set key id type status title category channel urgency impact priority level group \
	assignee requester requester_email requester_phone created updated responded solved \
	closed due_response due_resolution resolution close_reason rating escalations \
	reopened contact_attempts related approvals
_sd_set default-channel phone email web chat teams walk-in
_sd_set config sd.ini sla.ini escalation.ini agents.ini

# One entry per program, options sorted as in its usage().
_sd_command sd command
_sd_command sd-init dir \
	--example --group:text --name:text --prefix:text --timezone:timezone
_sd_command sd-new - \
	-F:file -c:category -i:'high|medium|low' -m:text -r:text -s:text \
	-t:'incident|request' -u:'high|medium|low' --category:category \
	--channel:channel --email:text --file:file --impact:'high|medium|low' \
	--message:text --phone:text --related:id --requester:text --title:text \
	--type:'incident|request' --urgency:'high|medium|low'
_sd_command sd-mail - \
	-f:text -t:'incident|request' --dry-run --flush --sender:text \
	--type:'incident|request'
_sd_command sd-show id \
	--attachment:text --field:field --format:'text|json|ini' --history
_sd_command sd-list - \
	--assignee:assignee --at-risk --breached --category:category-tree \
	--fields:key,... --format:'table|text|tsv|csv|json' --group:group \
	--level:'1|2|3' --open --priority:'1|2|3|4,...' --requester:text \
	--since:text --sort:key --status:status,... --type:'incident|request' \
	--until:text
_sd_command sd-update open-id \
	-F:file -m:text --category:category --email:text --file:file \
	--impact:'high|medium|low' --message:text --phone:text --title:text \
	--urgency:'high|medium|low'
_sd_command sd-edit edit
_sd_command sd-fsck - \
	--commits:text --push --repair
_sd_command sd-assign open-id,group-agent \
	--me
_sd_command sd-escalate open-id \
	-F:file -m:text --file:file --group:group --level:'1|2|3' --message:text
_sd_command sd-suspend open-id \
	-F:file -m:text --file:file --message:text
_sd_command sd-resume suspended-id \
	-F:file -m:text --file:file --message:text
_sd_command sd-solve open-id \
	-F:file -m:text --code:'solved|workaround|unsolvable|no-contact' --file:file --kb:text \
	--message:text
_sd_command sd-close close-id \
	-F:file -m:text --auto --dry-run --file:file --format:'table|text|tsv|csv|json' \
	--message:text --rating:'1|2|3|4|5' --reject
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
_sd_command sd-link id,id...
_sd_command sd-sla - \
	--format:'table|text|tsv|csv|json' --new-only --warn:text
_sd_command sd-shell agent \
	--store:dir
_sd_command sd-report - \
	--assignee:assignee \
	--by:'status|type|priority|level|group|assignee|category|channel|requester|day|week|month,...' \
	--category:category-tree --format:'table|text|tsv|csv|json|html' --group:group \
	--include-unmanaged --kb --level:'1|2|3' --no-cache --open --priority:'1|2|3|4,...' \
	--requester:text --since:text --status:status,... --type:'incident|request' \
	--until:text

# ex: filetype=sh
