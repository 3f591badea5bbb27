#!/bin/sh
# completions/sd.fish.in: the fish completion, made as make makes it
# (generate.sh, with sd.bash's table) and installed as make installs it
# (sd.fish and a symlink per program), run in a real fish: `fish -c
# 'complete -C LINE'`, with that directory alone on fish_complete_path, so
# that fish loads it by the program's name as it would from
# vendor_completions.d.
. "${SD_TOP:-.}/tests/lib.sh"

if ! command -v fish >/dev/null 2>&1; then
	echo "1..0 # SKIP no fish (install fish)"
	exit 0
fi
TOP=${SD_TOP:-$PWD}
case $TOP in /*) ;; *) TOP=$PWD/$TOP ;; esac
mkdir -p "$T/fish" &&
	sh "$TOP/completions/generate.sh" "$TOP/completions/sd.fish.in" >"$T/fish/sd.fish" ||
	{ echo "Bail out! cannot make sd.fish"; exit 1; }
programs=$(awk '/^_sd_command /{ print $2 }' "$TOP/completions/sd.bash")
for p in $programs; do
	[ "$p" = sd ] || ln -s sd.fish "$T/fish/$p.fish" || { echo "Bail out! ln failed"; exit 1; }
done

# fish loads a program's completion only when the program exists: the
# programs not built yet are stand-ins, found after the built ones.
mkdir -p "$T/stub"
for p in $programs; do
	[ -x "$SD_BIN/$p" ] || printf '#!/bin/sh\nexit 0\n' >"$T/stub/$p"
done
chmod +x "$T"/stub/* 2>/dev/null
PATH=$PATH:$T/stub
# A program named by its path is completed when its name is a command: for
# the tests of the sd-list beside it, the names alone, with no sd-list.
mkdir -p "$T/names"
printf '#!/bin/sh\nexit 0\n' >"$T/names/sd-show" && cp "$T/names/sd-show" "$T/names/sd" &&
	chmod +x "$T/names/sd-show" "$T/names/sd" || { echo "Bail out! cannot make names"; exit 1; }

. "${SD_TOP:-.}/tests/completion.sh"

# fish's own files (history, universal variables) in $T, no configuration.
export XDG_CONFIG_HOME="$T/xdg/config" XDG_DATA_HOME="$T/xdg/data" XDG_CACHE_HOME="$T/xdg/cache"
noconfig=--no-config
fish --no-config -c true 2>/dev/null || noconfig=
: >"$T/comperr"

# fraw LINE: what `complete -C LINE` prints, candidates with descriptions
fraw() {
	fish $noconfig -c 'set -g fish_complete_path $argv[1]; complete -C $argv[2]' \
		"$T/fish" "$1" </dev/null 2>>"$T/comperr"
}
# f LINE: the candidates for LINE (as typed, TAB at its end), sorted, on
# one line
f() { fraw "$1" | cut -f 1 | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'; }
words() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }
like_words() { echo " $1 " | grep -q " $2 "; }

is "$(f 'sd-new -')" "$(words -C -F -c -h -i -m -r -s -t -u --category --channel --email \
	--file --help --impact --message --phone --related --requester --title --type --urgency \
	--version)" "sd-new: every option, short and long"
is "$(f 'sd-new ')" "$(f 'sd-new -')" "sd-new takes no argument: its options"
is "$(f 'sd-new -t ')" "incident problem request" "sd-new -t: the types"
is "$(f 'sd-new --type=')" "--type=incident --type=problem --type=request" "sd-new --type=: the types"
is "$(f 'sd-new -tin')" "-tincident" "sd-new -tin: a value attached to a short option"
is "$(f 'sd-new -u ')" "high low medium" "sd-new -u: urgencies"
is "$(f 'sd-new --imp ')" "high low medium" "sd-new --imp: an abbreviated long option"
is "$(f 'sd-new -c net')" "network network/internet network/vpn" "sd-new -c net: categories of the store"
is "$(f 'sd-new --channel ')" "chat email phone teams walk-in web" "sd-new --channel: channels of sd.ini"
is "$(f 'sd-new -s x -r ')" "" "sd-new -r: free text, nothing offered"
is "$(f 'sd-new --related SD-')" "SD-1 SD-2 SD-3" "sd-new --related: ticket IDs"

is "$(f 'sd-show ')" "SD-1 SD-2 SD-3" "sd-show: every ticket of the store"
is "$(fraw 'sd-show SD-1')" "$(printf 'SD-1\tPrinter jams')" "sd-show: an ID with its title"
is "$(f 'sd-show 2')" "2" "sd-show 2: IDs as numbers"
is "$(f 'sd-show sd-')" "SD-1 SD-2 SD-3" "sd-show sd-: IDs whatever the case"
is "$(f 'sd-show --format json ')" "SD-1 SD-2 SD-3" "an option's value is not the argument"
is "$(f 'sd-show --format ')" "ini json text" "sd-show --format: its formats"
is "$(f 'sd-show --field desc')" "description" "sd-show --field: keys and texts"
got=$(f 'sd-show SD-1 ')
ok $(like_words "$got" --history && ! like_words "$got" SD-2; echo $?) \
	"sd-show ID: then its options, no second ID"

is "$(f 'sd-update ')" "SD-1 SD-3" "sd-update: only open tickets"
is "$(f 'sd-update -')" "$(words -C -F -h -m --category --email --file --help --impact \
	--message --phone --title --urgency --version)" "sd-update: its options (no -u, -i)"
is "$(f 'sd-update --urgency ')" "high low medium" "sd-update --urgency"
is "$(f 'sd-update SD-1 --category net')" "network network/internet network/vpn" \
	"sd-update --category: categories"

is "$(f 'sd-list --format ')" "csv json table text tsv" "sd-list --format: its formats"
is "$(f 'sd-list --form ')" "csv json table text tsv" "sd-list --form: abbreviated"
got=$(f 'sd-list --status new,')
is "$(echo "$got" | wc -w)" 12 "sd-list --status new,: the other 12 statuses"
ok $(! echo "$got" | tr ' ' '\n' | grep -qv '^new,' && ! like_words "$got" new,new &&
	like_words "$got" new,pending-info; echo $?) "each after new, and new not twice"
is "$(f 'sd-list --status=new,pending-info,s')" \
	"--status=new,pending-info,solved --status=new,pending-info,suspended" \
	"sd-list --status=a,b,s: comma list after ="
is "$(f 'sd-list --fields id,st')" "id,status" "sd-list --fields: keys, comma list"
is "$(f 'sd-list --sort due_')" "due_resolution due_response" "sd-list --sort: a key"
is "$(f 'sd-list --priority 1,')" "1,2 1,3 1,4" "sd-list --priority: 1-4, comma list"
is "$(f 'sd-list --level ')" "1 2 3" "sd-list --level: 1-3"
is "$(f 'sd-list --category acc')" "access access/account access/password" \
	"sd-list --category: categories and their parents"
is "$(f 'sd-list --group ')" "apps desk network servers telco" "sd-list --group: groups of agents.ini"
is "$(f 'sd-list --assignee ')" "$(words me $agents)" "sd-list --assignee: me and the agents"

is "$(f 'sd-edit ')" "SD-1 SD-2 SD-3 agents.ini escalation.ini sd.ini sla.ini" \
	"sd-edit: config files and tickets"
is "$(cd "$SD_STORE" && f 'sd-edit tickets/000/SD-1')" "tickets/000/SD-1.ini" "sd-edit PATH: files"
is "$(f 'sd-fsck -')" "--commits --help --progress --push --quiet --repair --version -C -h" "sd-fsck: its options"

is "$(f 'sd-assign ')" "SD-1 SD-3" "sd-assign: open tickets"
is "$(f 'sd-assign SD-1 ')" "$desk" "sd-assign ID: the agents of its group"
is "$(f 'sd-assign --me SD-1 ')" "" "sd-assign --me ID: no agent"
is "$(f 'sd-escalate --group ')" "apps desk network servers telco" "sd-escalate --group"
is "$(f 'sd-resume ')" "SD-3" "sd-resume: suspended tickets only"
is "$(f 'sd-solve --code ')" "no-contact solved unsolvable workaround" "sd-solve --code"
is "$(f 'sd-close ')" "" "sd-close: solved tickets (none)"
is "$(f 'sd-close --reject ')" "SD-1 SD-3" "sd-close --reject: open tickets"
is "$(f 'sd-close --auto ')" "" "sd-close --auto: no ticket"
is "$(f 'sd-note ')" "SD-1 SD-3" "sd-note: tickets not final"
is "$(f 'sd-reply ')" "SD-1 SD-3" "sd-reply: tickets not final"
is "$(f 'sd-approve --role ')" "boss infra risk" "sd-approve --role: roles of escalation.ini"
is "$(f 'sd-link SD-1 SD-')" "SD-1 SD-2 SD-3" "sd-link ID ID...: any ticket"
is "$(f 'sd-sla --format ')" "csv json table text tsv" "sd-sla --format"
is "$(f 'sd-sla --n')" "--new-only" "sd-sla --new-only"

is "$(f 'sd-mail -')" "--dry-run --flush --help --sender --type --version -C -f -h -t" "sd-mail: its options"
is "$(f 'sd-mail ')" "$(f 'sd-mail -')" "sd-mail takes no argument: its options"
is "$(f 'sd-mail -t ')" "incident request" "sd-mail -t: the types"
is "$(f 'sd-mail --type=r')" "--type=request" "sd-mail --type=r"

# sd, the front command: a command, then that command's completion.
commands=$(words approve assign attach close edit escalate fsck init kb link list mail new note reopen reply \
	report resume shell show sla solve suspend sync update)
is "$(f 'sd ')" "$(words $commands help)" "sd: the commands and help"
is "$(f 'sd s')" "shell show sla solve suspend sync" "sd s: the commands starting so"
is "$(f 'sd -')" "--help --version -C -h" "sd -: its options"
is "$(f 'sd show ')" "SD-1 SD-2 SD-3" "sd show: as sd-show"
is "$(f 'sd update ')" "SD-1 SD-3" "sd update: as sd-update, open tickets"
is "$(f 'sd update -')" "$(f 'sd-update -')" "sd update -: sd-update's options"
is "$(f 'sd show --format ')" "ini json text" "sd show --format: sd-show's option"
is "$(f 'sd list --status=new,s')" "--status=new,solved --status=new,suspended" "sd list --status=a,s"
is "$(f 'sd assign SD-1 ')" "$desk" "sd assign ID: the agents of its group"
is "$(f 'sd close --reject ')" "SD-1 SD-3" "sd close --reject: open tickets"
is "$(f 'sd mail --ty')" "--type" "sd mail --ty"
is "$(f "sd -C '$other' show ")" "OT-1" "sd -C DIR show: the store of sd's -C"
is "$(f "sd show -C '$other' ")" "OT-1" "sd show -C DIR: the command's -C"
is "$(f 'sd help ')" "$(words $commands config sd ticket)" "sd help: the commands and the topics"
is "$(f 'sd help co')" "config" "sd help co: a topic"
is "$(f 'sd help t')" "ticket" "sd help t: a topic"
is "$(f 'sd help sh')" "shell show" "sd help sh"
is "$(f 'sd help show ')" "" "sd help COMMAND: nothing more"
is "$(f 'sd nosuch ')" "" "sd with no such command: nothing"
is "$(PATH=/usr/bin:/bin:$T/names; f "$SD_BIN/sd show ")" "SD-1 SD-2 SD-3" \
	"sd by its path: the sd-list beside it"

# An option given is not offered again, under either of its names; one
# that may be repeated is.
is "$(f 'sd new -t incident --')" "$(words --category --channel --email --file --help --impact \
	--message --phone --related --requester --title --urgency --version)" "sd new -t incident --: no --type"
is "$(f 'sd-new --ty incident -')" "$(words -C -F -c -h -i -m -r -s -u --category --channel \
	--email --file --help --impact --message --phone --related --requester --title --urgency \
	--version)" "sd-new --ty incident -: no -t, no --type"
is "$(f 'sd-new -t incident -s x -r ana -')" "$(words -C -F -c -h -i -m -u --category --channel \
	--email --file --help --impact --message --phone --related --urgency --version)" \
	"sd-new -t -s -r: none of the three again"
is "$(f 'sd-close --rating=5 --r')" "--reject" "sd-close --rating=5 --r: no --rating"
is "$(f 'sd-show --format json --f')" "--field" "sd-show --format json --f: no --format"
is "$(f 'sd-show --field id --f')" "--field --format" "sd-show --field id --f: --field may be repeated"
is "$(f "sd -C '$other' show --format json -")" "--attachment --field --help --history --version -h" \
	"sd -C DIR show: no -C again"

# What each is, after a tab.
fraw 'sd ' >"$T/shown"
like "$T/shown" "^new	register a ticket\$" "sd: each command with what it does"
like "$T/shown" "^report	the desk's figures per group of tickets: SLA met" "sd: a text with a colon"
like "$T/shown" "^help	open the manual of a command or of a topic\$" "sd: help with what it does"
fraw 'sd help ' >"$T/shown"
like "$T/shown" "^config	the configuration files\$" "sd help: a topic with what it is"
like "$T/shown" "^show	show one ticket\$" "sd help: a command with what it does"
fraw 'sd-new --' >"$T/shown"
like "$T/shown" "^--type	incident or request\$" "sd-new --: an option with what it does"
fraw 'sd-new -' >"$T/shown"
like "$T/shown" "^-C	the store directory\$" "sd-new -: the options of every program too"
like "$T/shown" "^-t	incident or request\$" "sd-new -: a short option with its long one's text"

# Every option a program's usage names is completed, for every program built.
for prog in "$SD_BIN"/sd "$SD_BIN"/sd-*; do
	[ -x "$prog" ] || continue
	p=${prog##*/}
	want=$("$prog" --help 2>/dev/null | sed 's/^usage: *//; s/^ *[a-z-]* //' |
		grep -oE '(^|[][ |])--?[A-Za-z][a-z-]*' | sed 's/^[][ |]//' | sort -u)
	got=" $(f "$p -") "
	missing=""
	for o in $want; do
		case $got in *" $o "*) ;; *) missing="$missing $o" ;; esac
	done
	[ -z "$missing" ] || echo "# $p: not completed:$missing" >&2
	ok $([ -n "$want" ] && [ -z "$missing" ]; echo $?) "$p: every option of its usage"
done

if [ -r "${TZDIR:-/usr/share/zoneinfo}/tzdata.zi" ]; then
	is "$(f 'sd-init --timezone America/Bog')" "America/Bogota" "sd-init --timezone: zones"
else
	ok 0 "sd-init --timezone # SKIP no tzdata.zi"
fi
is "$(cd "$T/dirs" && f 'sd-init ')" "alpha/ beta/" "sd-init DIR: directories"
is "$(cd "$T/dirs" && f 'sd-new -F a')" "afile alpha/" "sd-new -F: files"
is "$(cd "$T/dirs" && f 'sd-new -Fa')" "-Fafile -Falpha/" "sd-new -Fa: files after the option"
is "$(cd "$T/dirs" && f 'sd-new --file=a')" "--file=afile --file=alpha/" "sd-new --file=a"
is "$(cd "$T/dirs" && f 'sd-show -C ')" "alpha/ beta/" "-C: directories"

# The store: -C, else SD_STORE, else the nearest with sd.ini at or above.
is "$(f "sd-show -C '$other' ")" "OT-1" "-C DIR elsewhere: its tickets"
is "$(f "sd-show -C'$other' ")" "OT-1" "-CDIR attached"
is "$(cd "$T" && f 'sd-show -C other\ store ')" "OT-1" "-C relative, with a backslash"
is "$(HOME=$T; f 'sd-show -C ~/"other store" ')" "OT-1" "-C ~/..."
is "$(D=$other; export D; f 'sd-show -C "$D" ')" "OT-1" "-C \"\$VAR\""
is "$(f "sd-new -C '$other' -c tel")" "telecom" "-C DIR: its categories"
is "$(f 'sd-new -c tel')" "" "and not in this store"
is "$(f "sd-new -C '$other' --channel ")" "email fax phone radio" \
	"channels continued on indented lines, comments left out"
is "$(cd "$T/nostore" && SD_STORE=$other && f 'sd-update ')" "OT-1" "SD_STORE"
is "$(main=$SD_STORE; SD_STORE=$other; f "sd-show -C $main ")" "SD-1 SD-2 SD-3" "-C before SD_STORE"
is "$(cd "$SD_STORE/tickets/000" && unset SD_STORE && f 'sd-show ')" "SD-1 SD-2 SD-3" \
	"no SD_STORE: the store at or above the current directory"
is "$(PATH=/usr/bin:/bin:$T/names; f "$SD_BIN/sd-show ")" "SD-1 SD-2 SD-3" \
	"a program by its path: the sd-list beside it"

# No store: nothing, quietly.
nostore() { (cd "$T/nostore/sub" && unset SD_STORE && f "$@"); }
is "$(nostore 'sd-show ')" "" "no store: no IDs"
is "$(nostore 'sd-new -c ')" "" "no store: no categories"
is "$(nostore 'sd-edit ')" "" "no store: nothing to edit"
is "$(nostore 'sd-list --group ')" "" "no store: no groups"
is "$(nostore 'sd-new -t ')" "incident problem request" "no store: fixed sets still"
is "$(SD_STORE=$T/nowhere; f 'sd-show ')" "" "SD_STORE naming no store: no IDs"
is "$(f "sd-show -C $T/nowhere ")" "" "-C naming no store: no IDs"

# Loaded by fish through one program's file, then another's: each program
# has its one completion, not one per load.
is "$(fish $noconfig -c 'set -g fish_complete_path $argv[1]
	complete -C "sd-show " >/dev/null; complete -C "sd-new -t " >/dev/null
	complete -c sd-show; complete -c sd-new; complete -c sd' "$T/fish" </dev/null 2>>"$T/comperr")" \
	"complete --no-files sd-show -a '(_sd)'
complete --no-files sd-new -a '(_sd)'
complete --no-files sd -a '(_sd)'" "loaded twice, each program registered once"
ok $([ ! -s "$T/comperr" ]; echo $?) "nothing on stderr"
[ -s "$T/comperr" ] && sed 's/^/# stderr: /' "$T/comperr" >&2

clean "completion leaves the store clean"
done_testing
