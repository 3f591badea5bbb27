#!/bin/sh
# completions/sd.bash: the bash completion, run in a real bash with bash-completion.
. "${SD_TOP:-.}/tests/lib.sh"

BC=/usr/share/bash-completion/bash_completion
if [ ! -r "$BC" ]; then
	echo "1..0 # SKIP no $BC (install bash-completion)"
	exit 0
fi
COMPLETION=${SD_TOP:-$PWD}/completions/sd.bash
case $COMPLETION in /*) ;; *) COMPLETION=$PWD/$COMPLETION ;; esac

. "${SD_TOP:-.}/tests/completion.sh"

# The completing shell: COMP_WORDS are the arguments, the last the word
# being completed; COMP_LINE joins them as bash would (no space around "=").
cat >"$T/comp.bash" <<'EOF'
. /usr/share/bash-completion/bash_completion
. "$COMPLETION"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE=""
prev=""
for w in "$@"; do
	if [[ -z $COMP_LINE ]]; then
		COMP_LINE=$w
	elif [[ $w == "=" || $prev == "=" ]]; then
		COMP_LINE+=$w
	else
		COMP_LINE+=" $w"
	fi
	prev=$w
done
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
cmd=$1
# As bash does: a function registered for the program, else none.
spec=$(complete -p "${cmd##*/}" 2>/dev/null) || { echo "no completion for $cmd"; exit 3; }
[[ $spec == *"-F _sd "* ]] || { echo "not _sd: $spec"; exit 3; }
_sd "$cmd" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
EOF
export COMPLETION
: >"$T/comperr"

# c WORD...: the completions, sorted, on one line
c() {
	bash --norc --noprofile -c '. "$0"' "$T/comp.bash" "$@" 2>>"$T/comperr" </dev/null |
		sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'
}

is "$(c sd-new -)" "$(printf '%s\n' -C -F -c -h -i -m -r -s -t -u --category --channel \
	--email --file --help --impact --message --phone --related --requester --title --type \
	--urgency --version | sort | tr '\n' ' ' | sed 's/ $//')" "sd-new: every option, short and long"
is "$(c sd-new '')" "$(c sd-new -)" "sd-new takes no argument: its options"
is "$(c sd-new -t '')" "incident problem request" "sd-new -t: the types"
is "$(c sd-new --type = '')" "incident problem request" "sd-new --type=: the types"
is "$(c sd-new -tin)" "-tincident" "sd-new -tin: a value attached to a short option"
is "$(c sd-new -u '')" "high low medium" "sd-new -u: urgencies"
is "$(c sd-new --imp '')" "high low medium" "sd-new --imp: an abbreviated long option"
is "$(c sd-new -c net)" "network network/internet network/vpn" "sd-new -c net: categories of the store"
is "$(c sd-new --channel '')" "chat email phone teams walk-in web" "sd-new --channel: channels of sd.ini"
is "$(c sd-new -s 'x' -r '')" "" "sd-new -r: free text, nothing offered"
is "$(c sd-new --related SD-)" "SD-1 SD-2 SD-3" "sd-new --related: ticket IDs"

is "$(c sd-show '')" "SD-1 SD-2 SD-3" "sd-show: every ticket of the store"
is "$(c sd-show 2)" "2" "sd-show 2: IDs as numbers"
is "$(c sd-show sd-)" "sd-1 sd-2 sd-3" "sd-show sd-: the case typed is kept"
is "$(c sd-show --format json '')" "SD-1 SD-2 SD-3" "an option's value is not the argument"
is "$(c sd-show --format '')" "ini json text" "sd-show --format: its formats"
is "$(c sd-show --field desc)" "description" "sd-show --field: keys and texts"
like_words() { echo " $1 " | grep -q " $2 "; }
got=$(c sd-show SD-1 '')
ok $(like_words "$got" --history && ! like_words "$got" SD-2; echo $?) \
	"sd-show ID: then its options, no second ID"

is "$(c sd-update '')" "SD-1 SD-3" "sd-update: only open tickets"
is "$(c sd-update -)" "$(printf '%s\n' -C -F -h -m --category --email --file --help --impact \
	--message --phone --title --urgency --version | sort | tr '\n' ' ' | sed 's/ $//')" \
	"sd-update: its options (no -u, -i)"
is "$(c sd-update --urgency '')" "high low medium" "sd-update --urgency"
is "$(c sd-update SD-1 --category net)" "network network/internet network/vpn" \
	"sd-update --category: categories"

is "$(c sd-list --format '')" "csv json table text tsv" "sd-list --format: its formats"
is "$(c sd-list --form '')" "csv json table text tsv" "sd-list --form: abbreviated"
got=$(c sd-list --status new,)
is "$(echo "$got" | wc -w)" 12 "sd-list --status new,: the other 12 statuses"
ok $(! echo "$got" | tr ' ' '\n' | grep -qv '^new,' && ! like_words "$got" new,new &&
	like_words "$got" new,pending-info; echo $?) "each after new, and new not twice"
is "$(c sd-list --status = new,pending-info,s)" "new,pending-info,solved new,pending-info,suspended" \
	"sd-list --status=a,b,s: comma list after ="
is "$(c sd-list --fields id,st)" "id,status" "sd-list --fields: keys, comma list"
is "$(c sd-list --sort due_)" "due_resolution due_response" "sd-list --sort: a key"
is "$(c sd-list --priority 1,)" "1,2 1,3 1,4" "sd-list --priority: 1-4, comma list"
is "$(c sd-list --level '')" "1 2 3" "sd-list --level: 1-3"
is "$(c sd-list --type '')" "incident problem request" "sd-list --type"
is "$(c sd-list --category acc)" "access access/account access/password" \
	"sd-list --category: categories and their parents"
is "$(c sd-list --group '')" "apps desk network servers telco" "sd-list --group: groups of agents.ini"
is "$(c sd-list --assignee '')" "$(echo me $agents | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"sd-list --assignee: me and the agents"
got=$(c sd-list '')
ok $(like_words "$got" --open && like_words "$got" --at-risk; echo $?) "sd-list: its options"

is "$(c sd-edit '')" "SD-1 SD-2 SD-3 agents.ini escalation.ini sd.ini sla.ini" \
	"sd-edit: config files and tickets"
is "$(cd "$SD_STORE" && c sd-edit tickets/000/SD-1)" "tickets/000/SD-1.ini" "sd-edit PATH: files"
is "$(c sd-fsck -)" "--commits --help --progress --push --quiet --repair --version -C -h" "sd-fsck: its options"

# The programs that came after: one table entry each.
is "$(c sd-assign '')" "SD-1 SD-3" "sd-assign: open tickets"
is "$(c sd-assign SD-1 '')" "$desk" "sd-assign ID: the agents of its group"
is "$(c sd-assign --me SD-1 '')" "" "sd-assign --me ID: no agent"
is "$(c sd-escalate --group '')" "apps desk network servers telco" "sd-escalate --group"
is "$(c sd-escalate --level '')" "1 2 3" "sd-escalate --level"
is "$(c sd-resume '')" "SD-3" "sd-resume: suspended tickets only"
is "$(c sd-solve --code '')" "no-contact solved unsolvable workaround" "sd-solve --code"
is "$(c sd-close '')" "" "sd-close: solved tickets (none)"
is "$(c sd-close --reject '')" "SD-1 SD-3" "sd-close --reject: open tickets"
is "$(c sd-close --auto '')" "" "sd-close --auto: no ticket"
is "$(c sd-close --rating '')" "1 2 3 4 5" "sd-close --rating"
is "$(c sd-note '')" "SD-1 SD-3" "sd-note: tickets not final"
is "$(c sd-reply '')" "SD-1 SD-3" "sd-reply: tickets not final"
is "$(c sd-reply -)" "--file --help --message --version -C -F -h -m" "sd-reply -: its options"
is "$(c sd-attach '')" "SD-1 SD-3" "sd-attach: tickets not final"
is "$(c sd-attach --n)" "--name" "sd-attach --n: its option"
is "$(c sd-show --att)" "--attachment" "sd-show --att: its option"
is "$(c sd-approve --role '')" "boss infra risk" "sd-approve --role: roles of escalation.ini"
is "$(c sd-link SD-1 SD-)" "SD-1 SD-2 SD-3" "sd-link ID ID...: any ticket"
is "$(c sd-sla --format '')" "csv json table text tsv" "sd-sla --format"
is "$(c sd-sla --n)" "--new-only" "sd-sla --new-only"

# sd-mail: no argument, a type.
is "$(c sd-mail -)" "--dry-run --flush --help --sender --type --version -C -f -h -t" "sd-mail: its options"
is "$(c sd-mail '')" "$(c sd-mail -)" "sd-mail takes no argument: its options"
is "$(c sd-mail -t '')" "incident request" "sd-mail -t: the types"
is "$(c sd-mail --type = r)" "request" "sd-mail --type=r"

# sd, the front command: a command, then that command's completion.
commands="approve assign attach close edit escalate fsck init kb link list mail new note reopen reply report
	resume shell show sla solve suspend sync update"
commands=$(echo $commands)
is "$(c sd '')" "$(echo $commands help | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"sd: the commands and help"
is "$(c sd s)" "shell show sla solve suspend sync" "sd s: the commands starting so"
is "$(c sd -)" "--help --version -C -h" "sd -: its options"
is "$(c sd show '')" "SD-1 SD-2 SD-3" "sd show: as sd-show"
is "$(c sd update '')" "SD-1 SD-3" "sd update: as sd-update, open tickets"
is "$(c sd update -)" "$(c sd-update -)" "sd update -: sd-update's options"
is "$(c sd show --format '')" "ini json text" "sd show --format: sd-show's option"
is "$(c sd list --status = new,s)" "new,solved new,suspended" "sd list --status=a,s"
is "$(c sd assign SD-1 '')" "$desk" "sd assign ID: the agents of its group"
is "$(c sd close --reject '')" "SD-1 SD-3" "sd close --reject: open tickets"
is "$(c sd mail --ty)" "--type" "sd mail --ty"
is "$(c sd -C "'$other'" show '')" "OT-1" "sd -C DIR show: the store of sd's -C"
is "$(c sd show -C "'$other'" '')" "OT-1" "sd show -C DIR: the command's -C"
is "$(c sd help '')" "$(echo $commands config sd ticket | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"sd help: the commands and the topics"
is "$(c sd help co)" "config" "sd help co: a topic"
is "$(c sd help t)" "ticket" "sd help t: a topic"
is "$(c sd help sh)" "shell show" "sd help sh"
is "$(c sd help show '')" "" "sd help COMMAND: nothing more"
is "$(c sd nosuch '')" "" "sd with no such command: nothing"
is "$(PATH=/usr/bin:/bin; c "$SD_BIN/sd" show '')" "SD-1 SD-2 SD-3" \
	"sd by its path: the sd-list beside it"

# An option given is not offered again, under either of its names; one
# that may be repeated is.
is "$(c sd new -t incident --)" "--category --channel --email --file --help --impact --message \
--phone --related --requester --title --urgency --version" "sd new -t incident --: no --type"
is "$(c sd-new --ty incident -)" "$(printf '%s\n' -C -F -c -h -i -m -r -s -u --category --channel \
	--email --file --help --impact --message --phone --related --requester --title --urgency \
	--version | sort | tr '\n' ' ' | sed 's/ $//')" "sd-new --ty incident -: no -t, no --type"
is "$(c sd-new -t incident -s x -r ana -)" "$(printf '%s\n' -C -F -c -h -i -m -u --category --channel \
	--email --file --help --impact --message --phone --related --urgency --version | sort |
	tr '\n' ' ' | sed 's/ $//')" "sd-new -t -s -r: none of the three again"
is "$(c sd-new -ti -)" "$(c sd-new --type i -)" "sd-new -ti: -t given, its value attached"
is "$(c sd-close --rating = 5 --r)" "--reject" "sd-close --rating=5 --r: no --rating"
is "$(c sd-show --format json --f)" "--field" "sd-show --format json --f: no --format"
is "$(c sd-show --field id --f)" "--field --format" "sd-show --field id --f: --field may be repeated"
got=$(c sd-show --history SD-1 '')
ok $(! like_words "$got" --history && like_words "$got" --format; echo $?) \
	"sd-show --history ID: the options left"
is "$(c sd -C "'$other'" show --format json -)" "--attachment --field --help --history --version -h" \
	"sd -C DIR show: no -C again"

# The table describes what sd describes: each command as `sd --help` does,
# the topics of `sd help` those of cmd/sd.c.
is "$(bash --norc --noprofile -c '. /usr/share/bash-completion/bash_completion; . "$0"
	for p in "${!_sd_descr[@]}"; do
		[[ $p == sd-* && $p != *" "* ]] && printf "   %-10s %s\n" "${p#sd-}" "${_sd_descr[$p]}"
	done' "$COMPLETION" 2>&1 | sort)" "$(sd --help | grep '^   [a-z]' | sort)" \
	"the table's commands and texts are sd --help's"
is "$(sed -n '/^} topics\[\] = {/,/^};/s/^\t{ "\([^"]*\)".*/\1/p' "${SD_TOP:-.}/cmd/sd.c" | sort |
	tr '\n' ' ')" "$(awk '$1 == "_sd_set" && $2 == "topic" { $1 = $2 = ""; print }' "$COMPLETION" |
	tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ')" "the table's topics are cmd/sd.c's"
ok $(bash --norc --noprofile -c '. /usr/share/bash-completion/bash_completion; . "$0"
	for p in "${!_sd_opts[@]}"; do
		[[ ${_sd_descr[$p]+set} ]] || { echo "# $p: no text" >&2; exit 1; }
		for o in ${_sd_opts[$p]}; do
			[[ ${_sd_descr[$p ${o%%:*}]+set} ]] || { echo "# $p ${o%%:*}: no text" >&2; exit 1; }
		done
	done' "$COMPLETION"; echo $?) "every program and option of the table has its text"

# Every option a program's usage names is completed, for every program built.
for prog in "$SD_BIN"/sd "$SD_BIN"/sd-*; do
	[ -x "$prog" ] || continue
	p=${prog##*/}
	want=$("$prog" --help 2>/dev/null | sed 's/^usage: *//; s/^ *[a-z-]* //' |
		grep -oE '(^|[][ |])--?[A-Za-z][a-z-]*' | sed 's/^[][ |]//' | sort -u)
	got=" $(c "$p" -) "
	missing=""
	for o in $want; do
		case $got in *" $o "*) ;; *) missing="$missing $o" ;; esac
	done
	[ -z "$missing" ] || echo "# $p: not completed:$missing" >&2
	ok $([ -n "$want" ] && [ -z "$missing" ]; echo $?) "$p: every option of its usage"
done

if [ -r "${TZDIR:-/usr/share/zoneinfo}/tzdata.zi" ]; then
	is "$(c sd-init --timezone America/Bog)" "America/Bogota" "sd-init --timezone: zones"
else
	ok 0 "sd-init --timezone # SKIP no tzdata.zi"
fi
is "$(cd "$T/dirs" && c sd-init '')" "alpha beta" "sd-init DIR: directories"
is "$(cd "$T/dirs" && c sd-new -F a)" "afile alpha" "sd-new -F: files"
is "$(cd "$T/dirs" && c sd-show -C '')" "alpha beta" "-C: directories"

# The store: -C, else SD_STORE, else the nearest with sd.ini at or above.
is "$(c sd-show -C "'$other'" '')" "OT-1" "-C DIR elsewhere: its tickets"
is "$(c sd-show -C"'$other'" '')" "OT-1" "-CDIR attached"
is "$(cd "$T" && c sd-show -C other\\\ store '')" "OT-1" "-C relative, with a backslash"
is "$(HOME=$T; c sd-show -C '~/"other store"' '')" "OT-1" "-C ~/..."
is "$(D=$other; export D; c sd-show -C '"$D"' '')" "OT-1" "-C \"\$VAR\""
is "$(c sd-new -C "'$other'" -c tel)" "telecom" "-C DIR: its categories"
is "$(c sd-new -c tel)" "" "and not in this store"
is "$(c sd-new -C "'$other'" --channel '')" "email fax phone radio" \
	"channels continued on indented lines, comments left out"
is "$(cd "$T/nostore" && SD_STORE=$other && c sd-update '')" "OT-1" "SD_STORE"
is "$(main=$SD_STORE; SD_STORE=$other; c sd-show -C "$main" '')" "SD-1 SD-2 SD-3" "-C before SD_STORE"
is "$(cd "$SD_STORE/tickets/000" && env -u SD_STORE bash -c '. "$0"' "$T/comp.bash" sd-show '' 2>>"$T/comperr" |
	sort | tr '\n' ' ')" "SD-1 SD-2 SD-3 " "no SD_STORE: the store at or above the current directory"
is "$(PATH=/usr/bin:/bin; c "$SD_BIN/sd-show" '')" "SD-1 SD-2 SD-3" \
	"a program by its path: the sd-list beside it"

# No store: nothing, quietly.
nostore() { (cd "$T/nostore/sub" && unset SD_STORE && c "$@"); }
is "$(nostore sd-show '')" "" "no store: no IDs"
is "$(nostore sd-new -c '')" "" "no store: no categories"
is "$(nostore sd-edit '')" "" "no store: nothing to edit"
is "$(nostore sd-list --group '')" "" "no store: no groups"
is "$(nostore sd-new -t '')" "incident problem request" "no store: fixed sets still"
is "$(SD_STORE=$T/nowhere; c sd-show '')" "" "SD_STORE naming no store: no IDs"
is "$(c sd-show -C "$T/nowhere" '')" "" "-C naming no store: no IDs"
ok $([ ! -s "$T/comperr" ]; echo $?) "nothing on stderr"
[ -s "$T/comperr" ] && sed 's/^/# stderr: /' "$T/comperr" >&2

# Loaded the way bash-completion loads it: by the program's name, through
# the symlink the Makefile installs, from inside a function.
mkdir -p "$T/bc/completions" && cp "$COMPLETION" "$T/bc/completions/sd" &&
	ln -s sd "$T/bc/completions/sd-show"
is "$(BASH_COMPLETION_USER_DIR=$T/bc bash --norc --noprofile -c '
	. /usr/share/bash-completion/bash_completion
	if declare -F _comp_load >/dev/null; then _comp_load sd-show; else __load_completion sd-show; fi || exit 1
	COMP_WORDS=(sd-show --format "") COMP_CWORD=2 COMP_LINE="sd-show --format " COMP_POINT=17
	_sd sd-show "" --format
	echo "${COMPREPLY[*]}"; complete -p sd-list sd sd-mail' 2>&1)" \
	"text json ini
complete -F _sd sd-list
complete -F _sd sd
complete -F _sd sd-mail" "loaded through the symlink, every program registered"

clean "completion leaves the store clean"
done_testing
