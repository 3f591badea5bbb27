#!/bin/sh
# completions/_sd.in: the zsh completion, made as make makes it (generate.sh,
# with sd.bash's table), run in a real zsh: an interactive `zsh -f` in a
# pseudo-terminal (zsh/zpty) loads compinit with the completion first in
# $fpath, is typed a line and TAB, and prints every candidate the
# completion gives compadd, after zsh's own matching (compadd is wrapped,
# as zsh-capture-completion does it), then exits.
. "${SD_TOP:-.}/tests/lib.sh"

if ! command -v zsh >/dev/null 2>&1; then
	echo "1..0 # SKIP no zsh (install zsh)"
	exit 0
fi
if ! zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
	echo "1..0 # SKIP no zsh/zpty module"
	exit 0
fi
TOP=${SD_TOP:-$PWD}
case $TOP in /*) ;; *) TOP=$PWD/$TOP ;; esac
mkdir -p "$T/zfunc" &&
	sh "$TOP/completions/generate.sh" "$TOP/completions/_sd.in" >"$T/zfunc/_sd" ||
	{ echo "Bail out! cannot make _sd"; exit 1; }

. "${SD_TOP:-.}/tests/completion.sh"

# The completing zsh, sourced once started: no prompt, TAB completes, the
# completion system loaded from $fpath (and kept in a dump for the next
# ones); a mark when it is ready; around each completion a mark, and after
# it exit.  Its stderr goes to a file.
: >"$T/comperr"
cat >"$T/setup.zsh" <<EOF
exec 2>>"$T/comperr"
autoload -Uz compinit && compinit -u -C -d "$T/zcompdump"
EOF
cat >>"$T/setup.zsh" <<'EOF'
PS1= PROMPT= RPROMPT=
unsetopt zle_bracketed_paste 2>/dev/null
bindkey '^I' complete-word
zstyle ':completion:*' insert-tab false
_cap_mark() { print -rn -- $'\n\x01\n' }
compprefuncs=(_cap_mark)
comppostfuncs=(_cap_mark exit)
# compadd: each match, after matching, with what is put before it
# (IPREFIX, -P and -p), on a line starting with \x02, and what is shown
# for them (-d), on lines starting with \x04; then the real one.
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	local -a __hits __apre __hpre __disp
	zparseopts -E P:=__apre p:=__hpre d:=__disp
	builtin compadd -A __hits "$@"
	local h
	for h in $__hits; do
		print -r -- $'\x02'"$IPREFIX${__apre[2]-}${__hpre[2]-}$h"
	done
	# What is shown for them, a description after the match.
	[[ -n ${__disp[2]-} ]] && for h in ${(P)__disp[2]}; do
		print -r -- $'\x04'"$h"
	done
	builtin compadd "$@"
}
print -r -- $'\x03'
EOF
# cap.zsh FPATH LINE [4]: the candidates for LINE, a line each; with 4,
# what is shown for them.
cat >"$T/cap.zsh" <<'EOF'
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "fpath=(${(q)1} \$fpath); source ${(q)0:h}/setup.zsh"
local line
while zpty -r z line; do [[ $line == *$'\x03'* ]] && break; done
zpty -w z "$2"$'\t'
while zpty -r z line; do print -r -- "$line"; done | tr -d '\r' | sed -n "s/^\\x0${3:-2}//p"
zpty -d z
EOF

# The programs not built yet need no binary: zsh completes any name.

# z LINE: the completions of LINE (as typed, TAB at its end), sorted, on
# one line
z() {
	timeout 30 zsh -f "$T/cap.zsh" "$T/zfunc" "$1" </dev/null 2>>"$T/comperr" |
		sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'
}
# zd LINE: what is shown for the completions of LINE, a line each, blanks
# squeezed
zd() {
	timeout 30 zsh -f "$T/cap.zsh" "$T/zfunc" "$1" 4 </dev/null 2>>"$T/comperr" |
		sed '/^$/d; s/  */ /g; s/ $//' | sort -u
}
words() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }
like_words() { echo " $1 " | grep -q " $2 "; }

is "$(head -n 1 "$T/zfunc/_sd")" "#compdef $(awk '/^_sd_command /{ printf "%s%s", s, $2; s = " " }' \
	"$TOP/completions/sd.bash")" "#compdef: every program of the table"
like "$T/zfunc/_sd" '^#compdef sd sd-init .* sd-mail ' "#compdef: sd and sd-mail among them"

is "$(z 'sd-new -')" "$(words -C -F -c -h -i -m -r -s -t -u --category --channel --email \
	--file --help --impact --message --phone --related --requester --title --type --urgency \
	--version)" "sd-new: every option, short and long"
is "$(z 'sd-new ')" "$(z 'sd-new -')" "sd-new takes no argument: its options"
is "$(z 'sd-new -t ')" "incident problem request" "sd-new -t: the types"
is "$(z 'sd-new --type=')" "--type=incident --type=problem --type=request" "sd-new --type=: the types"
is "$(z 'sd-new -tin')" "-tincident" "sd-new -tin: a value attached to a short option"
is "$(z 'sd-new -u ')" "high low medium" "sd-new -u: urgencies"
is "$(z 'sd-new --imp ')" "high low medium" "sd-new --imp: an abbreviated long option"
is "$(z 'sd-new -c net')" "network network/internet network/vpn" "sd-new -c net: categories of the store"
is "$(z 'sd-new --channel ')" "chat email phone teams walk-in web" "sd-new --channel: channels of sd.ini"
is "$(z 'sd-new -s x -r ')" "" "sd-new -r: free text, nothing offered"
is "$(z 'sd-new --related SD-')" "SD-1 SD-2 SD-3" "sd-new --related: ticket IDs"

is "$(z 'sd-show ')" "SD-1 SD-2 SD-3" "sd-show: every ticket of the store"
is "$(z 'sd-show 2')" "2" "sd-show 2: IDs as numbers"
is "$(z 'sd-show sd-')" "SD-1 SD-2 SD-3" "sd-show sd-: IDs whatever the case"
is "$(z 'sd-show --format json ')" "SD-1 SD-2 SD-3" "an option's value is not the argument"
is "$(z 'sd-show --format ')" "ini json text" "sd-show --format: its formats"
is "$(z 'sd-show --field desc')" "description" "sd-show --field: keys and texts"
got=$(z 'sd-show SD-1 ')
ok $(like_words "$got" --history && ! like_words "$got" SD-2; echo $?) \
	"sd-show ID: then its options, no second ID"

is "$(z 'sd-update ')" "SD-1 SD-3" "sd-update: only open tickets"
is "$(z 'sd-update -')" "$(words -C -F -h -m --category --email --file --help --impact \
	--message --phone --title --urgency --version)" "sd-update: its options (no -u, -i)"
is "$(z 'sd-update --urgency ')" "high low medium" "sd-update --urgency"
is "$(z 'sd-update SD-1 --category net')" "network network/internet network/vpn" \
	"sd-update --category: categories"

is "$(z 'sd-list --format ')" "csv json table text tsv" "sd-list --format: its formats"
is "$(z 'sd-list --form ')" "csv json table text tsv" "sd-list --form: abbreviated"
got=$(z 'sd-list --status new,')
is "$(echo "$got" | wc -w)" 12 "sd-list --status new,: the other 12 statuses"
ok $(! echo "$got" | tr ' ' '\n' | grep -qv '^new,' && ! like_words "$got" new,new &&
	like_words "$got" new,pending-info; echo $?) "each after new, and new not twice"
is "$(z 'sd-list --status=new,pending-info,s')" \
	"--status=new,pending-info,solved --status=new,pending-info,suspended" \
	"sd-list --status=a,b,s: comma list after ="
is "$(z 'sd-list --fields id,st')" "id,status" "sd-list --fields: keys, comma list"
is "$(z 'sd-list --sort due_')" "due_resolution due_response" "sd-list --sort: a key"
is "$(z 'sd-list --priority 1,')" "1,2 1,3 1,4" "sd-list --priority: 1-4, comma list"
is "$(z 'sd-list --level ')" "1 2 3" "sd-list --level: 1-3"
is "$(z 'sd-list --category acc')" "access access/account access/password" \
	"sd-list --category: categories and their parents"
is "$(z 'sd-list --group ')" "apps desk network servers telco" "sd-list --group: groups of agents.ini"
is "$(z 'sd-list --assignee ')" "$(words me $agents)" \
	"sd-list --assignee: me and the agents"

is "$(z 'sd-edit ')" "SD-1 SD-2 SD-3 agents.ini escalation.ini sd.ini sla.ini" \
	"sd-edit: config files and tickets"
is "$(cd "$SD_STORE" && z 'sd-edit tickets/000/SD-1')" "tickets/000/SD-1.ini" "sd-edit PATH: files"
is "$(z 'sd-fsck -')" "--commits --help --progress --push --quiet --repair --version -C -h" "sd-fsck: its options"

is "$(z 'sd-assign ')" "SD-1 SD-3" "sd-assign: open tickets"
is "$(z 'sd-assign SD-1 ')" "$desk" "sd-assign ID: the agents of its group"
is "$(z 'sd-assign --me SD-1 ')" "" "sd-assign --me ID: no agent"
is "$(z 'sd-escalate --group ')" "apps desk network servers telco" "sd-escalate --group"
is "$(z 'sd-resume ')" "SD-3" "sd-resume: suspended tickets only"
is "$(z 'sd-solve --code ')" "no-contact solved unsolvable workaround" "sd-solve --code"
is "$(z 'sd-close ')" "" "sd-close: solved tickets (none)"
is "$(z 'sd-close --reject ')" "SD-1 SD-3" "sd-close --reject: open tickets"
is "$(z 'sd-close --auto ')" "" "sd-close --auto: no ticket"
is "$(z 'sd-note ')" "SD-1 SD-3" "sd-note: tickets not final"
is "$(z 'sd-reply ')" "SD-1 SD-3" "sd-reply: tickets not final"
is "$(z 'sd-approve --role ')" "boss infra risk" "sd-approve --role: roles of escalation.ini"
is "$(z 'sd-link SD-1 SD-')" "SD-1 SD-2 SD-3" "sd-link ID ID...: any ticket"
is "$(z 'sd-sla --format ')" "csv json table text tsv" "sd-sla --format"
is "$(z 'sd-sla --n')" "--new-only" "sd-sla --new-only"

is "$(z 'sd-mail -')" "--dry-run --flush --help --sender --type --version -C -f -h -t" "sd-mail: its options"
is "$(z 'sd-mail ')" "$(z 'sd-mail -')" "sd-mail takes no argument: its options"
is "$(z 'sd-mail -t ')" "incident request" "sd-mail -t: the types"
is "$(z 'sd-mail --type=r')" "--type=request" "sd-mail --type=r"

# sd, the front command: a command, then that command's completion.
commands=$(words approve assign attach close edit escalate fsck init kb link list mail new note reopen reply \
	report resume shell show sla solve suspend sync update)
is "$(z 'sd ')" "$(words $commands help)" "sd: the commands and help"
is "$(z 'sd s')" "shell show sla solve suspend sync" "sd s: the commands starting so"
is "$(z 'sd -')" "--help --version -C -h" "sd -: its options"
is "$(z 'sd show ')" "SD-1 SD-2 SD-3" "sd show: as sd-show"
is "$(z 'sd update ')" "SD-1 SD-3" "sd update: as sd-update, open tickets"
is "$(z 'sd update -')" "$(z 'sd-update -')" "sd update -: sd-update's options"
is "$(z 'sd show --format ')" "ini json text" "sd show --format: sd-show's option"
is "$(z 'sd list --status=new,s')" "--status=new,solved --status=new,suspended" "sd list --status=a,s"
is "$(z 'sd assign SD-1 ')" "$desk" "sd assign ID: the agents of its group"
is "$(z 'sd close --reject ')" "SD-1 SD-3" "sd close --reject: open tickets"
is "$(z 'sd mail --ty')" "--type" "sd mail --ty"
is "$(z "sd -C '$other' show ")" "OT-1" "sd -C DIR show: the store of sd's -C"
is "$(z "sd show -C '$other' ")" "OT-1" "sd show -C DIR: the command's -C"
is "$(z 'sd help ')" "$(words $commands config sd ticket)" "sd help: the commands and the topics"
is "$(z 'sd help co')" "config" "sd help co: a topic"
is "$(z 'sd help t')" "ticket" "sd help t: a topic"
is "$(z 'sd help sh')" "shell show" "sd help sh"
is "$(z 'sd help show ')" "" "sd help COMMAND: nothing more"
is "$(z 'sd nosuch ')" "" "sd with no such command: nothing"
is "$(PATH=/usr/bin:/bin; z "$SD_BIN/sd show ")" "SD-1 SD-2 SD-3" \
	"sd by its path: the sd-list beside it"

# An option given is not offered again, under either of its names; one
# that may be repeated is.
is "$(z 'sd new -t incident --')" "$(words --category --channel --email --file --help --impact \
	--message --phone --related --requester --title --urgency --version)" "sd new -t incident --: no --type"
is "$(z 'sd-new --ty incident -')" "$(words -C -F -c -h -i -m -r -s -u --category --channel \
	--email --file --help --impact --message --phone --related --requester --title --urgency \
	--version)" "sd-new --ty incident -: no -t, no --type"
is "$(z 'sd-new -t incident -s x -r ana -')" "$(words -C -F -c -h -i -m -u --category --channel \
	--email --file --help --impact --message --phone --related --urgency --version)" \
	"sd-new -t -s -r: none of the three again"
is "$(z 'sd-close --rating=5 --r')" "--reject" "sd-close --rating=5 --r: no --rating"
is "$(z 'sd-show --format json --f')" "--field" "sd-show --format json --f: no --format"
is "$(z 'sd-show --field id --f')" "--field --format" "sd-show --field id --f: --field may be repeated"
is "$(z "sd -C '$other' show --format json -")" "--attachment --field --help --history --version -h" \
	"sd -C DIR show: no -C again"

# What each is, shown beside it.
zd 'sd ' >"$T/shown"
like "$T/shown" '^new -- register a ticket$' "sd: each command with what it does"
like "$T/shown" "^report -- the desk's figures per group of tickets: SLA met" "sd: a text with a colon"
like "$T/shown" '^help -- open the manual of a command or of a topic$' "sd: help with what it does"
zd 'sd help ' >"$T/shown"
like "$T/shown" '^config -- the configuration files$' "sd help: a topic with what it is"
like "$T/shown" '^show -- show one ticket$' "sd help: a command with what it does"
zd 'sd-new --' >"$T/shown"
like "$T/shown" '^--type -- incident or request$' "sd-new --: an option with what it does"
like "$T/shown" '^--version -- show the version$' "sd-new --: the options of every program too"
zd 'sd new -t incident --' >"$T/shown"
like "$T/shown" '^--requester -- who asks$' "sd new ... --: with what each does"
ok $(! grep -q -- '--type' "$T/shown"; echo $?) "and --type not even shown"

# Every option a program's usage names is completed, for every program built.
for prog in "$SD_BIN"/sd "$SD_BIN"/sd-*; do
	[ -x "$prog" ] || continue
	p=${prog##*/}
	want=$("$prog" --help 2>/dev/null | sed 's/^usage: *//; s/^ *[a-z-]* //' |
		grep -oE '(^|[][ |])--?[A-Za-z][a-z-]*' | sed 's/^[][ |]//' | sort -u)
	got=" $(z "$p -") "
	missing=""
	for o in $want; do
		case $got in *" $o "*) ;; *) missing="$missing $o" ;; esac
	done
	[ -z "$missing" ] || echo "# $p: not completed:$missing" >&2
	ok $([ -n "$want" ] && [ -z "$missing" ]; echo $?) "$p: every option of its usage"
done

if [ -r "${TZDIR:-/usr/share/zoneinfo}/tzdata.zi" ]; then
	is "$(z 'sd-init --timezone America/Bog')" "America/Bogota" "sd-init --timezone: zones"
else
	ok 0 "sd-init --timezone # SKIP no tzdata.zi"
fi
is "$(cd "$T/dirs" && z 'sd-init ')" "alpha beta" "sd-init DIR: directories"
is "$(cd "$T/dirs" && z 'sd-new -F a')" "afile alpha" "sd-new -F: files"
is "$(cd "$T/dirs" && z 'sd-new -Fa')" "-Fafile -Falpha" "sd-new -Fa: files after the option"
is "$(cd "$T/dirs" && z 'sd-show -C ')" "alpha beta" "-C: directories"

# The store: -C, else SD_STORE, else the nearest with sd.ini at or above.
is "$(z "sd-show -C '$other' ")" "OT-1" "-C DIR elsewhere: its tickets"
is "$(z "sd-show -C'$other' ")" "OT-1" "-CDIR attached"
is "$(cd "$T" && z 'sd-show -C other\ store ')" "OT-1" "-C relative, with a backslash"
is "$(HOME=$T; z 'sd-show -C ~/"other store" ')" "OT-1" "-C ~/..."
is "$(D=$other; export D; z 'sd-show -C "$D" ')" "OT-1" "-C \"\$VAR\""
is "$(D=$other; export D; z 'sd-show -C ${D} ')" "OT-1" "-C \${VAR}"
is "$(z "sd-new -C '$other' -c tel")" "telecom" "-C DIR: its categories"
is "$(z 'sd-new -c tel')" "" "and not in this store"
is "$(z "sd-new -C '$other' --channel ")" "email fax phone radio" \
	"channels continued on indented lines, comments left out"
is "$(cd "$T/nostore" && SD_STORE=$other && z 'sd-update ')" "OT-1" "SD_STORE"
is "$(main=$SD_STORE; SD_STORE=$other; z "sd-show -C $main ")" "SD-1 SD-2 SD-3" "-C before SD_STORE"
is "$(cd "$SD_STORE/tickets/000" && unset SD_STORE && z 'sd-show ')" "SD-1 SD-2 SD-3" \
	"no SD_STORE: the store at or above the current directory"
is "$(PATH=/usr/bin:/bin; z "$SD_BIN/sd-show ")" "SD-1 SD-2 SD-3" \
	"a program by its path: the sd-list beside it"

# No store: nothing, quietly.
nostore() { (cd "$T/nostore/sub" && unset SD_STORE && z "$@"); }
is "$(nostore 'sd-show ')" "" "no store: no IDs"
is "$(nostore 'sd-new -c ')" "" "no store: no categories"
is "$(nostore 'sd-edit ')" "" "no store: nothing to edit"
is "$(nostore 'sd-list --group ')" "" "no store: no groups"
is "$(nostore 'sd-new -t ')" "incident problem request" "no store: fixed sets still"
is "$(SD_STORE=$T/nowhere; z 'sd-show ')" "" "SD_STORE naming no store: no IDs"
is "$(z "sd-show -C $T/nowhere ")" "" "-C naming no store: no IDs"
ok $([ ! -s "$T/comperr" ]; echo $?) "nothing on stderr"
[ -s "$T/comperr" ] && sed 's/^/# stderr: /' "$T/comperr" >&2

clean "completion leaves the store clean"
done_testing
