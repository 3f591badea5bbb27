#!/bin/sh
# The messages a newcomer meets: each says what is wrong, with the exit
# status of sd(7), and changes nothing.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "VPN down" -r "Marta" -m "It fails" >/dev/null 2>&1 ||
	{ echo "Bail out! sd-new failed"; exit 1; }
before=$(head_id)

# Argument errors name the argument.
extra() {  # extra DESCRIPTION EXTRA CMD...: CMD is exit 64 naming EXTRA
	_what=$1 _arg=$2
	shift 2
	expect 64 "$_what: exit 64" "$@"
	is "$(head -1 "$T/err")" "$1: unexpected argument '$_arg'" "$_what: names '$_arg'"
	like "$T/err" "^usage: " "$_what: then the usage"
}
extra "sd-init DIR extra" foo sd-init "$T/new" foo
extra "sd-show ID extra" foo sd-show 1 foo
extra "sd-update ID extra" bar sd-update 1 bar --title x
extra "sd-close ID extra" 2 sd-close 1 2 -m done
extra "sd-note ID extra" 'x y' sd-note 1 'x y' -m hi
extra "sd-solve ID extra" SD-2 sd-solve -m fixed 1 SD-2
extra "sd-resume ID extra" z sd-resume 1 z
extra "sd-assign ID AGENT extra" z sd-assign 1 luis z
extra "sd-assign --me ID extra" z sd-assign --me 1 z z
extra "sd-shell AGENT extra" bob sd-shell --store "$SD_STORE" ana bob
extra "sd-fsck extra" x sd-fsck x
extra "sd-fsck --push OLD NEW REF extra" x sd-fsck --push a b c x
extra "sd-list extra" open sd-list open
expect 64 "sd help with two topics" sd help new show
is "$(head -1 "$T/err")" "sd: unexpected argument 'show'" "sd help: names 'show'"
expect 64 "sd-assign --me ID AGENT" sd-assign --me 1 luis
is "$(head -1 "$T/err")" "sd-assign: 'luis': an AGENT or --me, not both" "says not both"
expect 64 "sd-assign --me without an ID" sd-assign --me
is "$(head -1 "$T/err")" "sd-assign: a ticket ID is required" "asks for the ID"
expect 64 "sd-assign ID without an AGENT" sd-assign 1
is "$(head -1 "$T/err")" "sd-assign: an ID and an AGENT (or --me) are required" \
	"asks for both"
expect 64 "sd-show without an ID" sd-show
is "$(head -1 "$T/err")" "sd-show: a ticket ID is required" "sd-show asks for the ID"
expect 64 "sd-note without an ID" sd-note -m hi
is "$(head -1 "$T/err")" "sd-note: a ticket ID is required" "sd-note asks for the ID"
ok $([ ! -e "$T/new" ]; echo $?) "sd-init made nothing"
unchanged "$before" "after argument errors"

# A configuration file broken by hand: 78, file and line, and the way out.
root=$(cd "$SD_STORE" && pwd -P)
cp "$SD_STORE/sla.ini" "$T/sla.ini.good"
last=$(grep '^\[' "$SD_STORE/sd.ini" | tail -n 1)
echo "bogus = 1" >>"$SD_STORE/sd.ini"
line=$(wc -l <"$SD_STORE/sd.ini")
for c in "sd-list" "sd-show 1" "sd-note -m hi 1" "sd-new -t incident -s x -r y"; do
	expect 78 "${c%% *}: a hand-broken sd.ini is exit 78" $c
	is "$(cat "$T/err")" "${c%% *}: $root/sd.ini:$line: unknown key 'bogus' in $last (changed by hand: restore HEAD's with 'sd fsck --repair', then change it with 'sd edit sd.ini')" \
		"${c%% *}: names file and line, and how to restore and correct it"
done
expect 0 "sd fsck --repair restores it" sd-fsck --repair
expect 0 "then commands run" sd-show 1
sed -i 's/^warn = 80$/warn = lots/' "$SD_STORE/sla.ini"
wline=$(grep -n '^warn' "$SD_STORE/sla.ini" | cut -d: -f1)
expect 78 "a hand-broken sla.ini" sd-list
is "$(cat "$T/err")" "sd-list: $root/sla.ini:$wline: warn must be a whole number from 1 to 100, not 'lots' (changed by hand: restore HEAD's with 'sd fsck --repair', then change it with 'sd edit sla.ini')" \
	"names sla.ini in the way out"
# Broken in HEAD too: restoring HEAD's would not help, and is not offered.
forge "break sla.ini" sla.ini
expect 78 "a broken sla.ini in HEAD" sd-list
like "$T/err" "^sd-list: $root/sla\.ini:$wline: " "file and line"
ok $(! grep -q "fsck --repair" "$T/err"; echo $?) "no restoring offered"
cp "$T/sla.ini.good" "$SD_STORE/sla.ini"
forge "mend sla.ini" sla.ini
before=$(head_id)

# sd-list: one long title does not make every row that wide on a terminal.
long=$(printf 'Re: %.0s' $(seq 100) | cut -c1-300)
long="${long}END"
sd-new -t incident -s "$long" -r "Marta" -m x >/dev/null 2>&1
before=$(head_id)
# widest FILE: the widest line of FILE in characters, carriage returns gone
widest() { python3 -c 'import sys
print(max([len(l.rstrip("\r\n")) for l in open(sys.argv[1], encoding="utf-8")] or [0]))' "$1"; }
if command -v script >/dev/null 2>&1; then
	pty() {  # pty CMD...: as run, on a pty; its carriage returns dropped
		script -qec "$*" /dev/null >"$T/pty" 2>&1 </dev/null
		rc=$?
		tr -d '\r' <"$T/pty" >"$T/out"
	}
	pty env COLUMNS=60 sd-list --fields id,status,title
	is "$rc" 0 "sd-list on a pty, COLUMNS=60"
	is "$(widest "$T/out")" 60 "no line wider than 60"
	is "$(grep '^SD-2' "$T/out")" "SD-2  pending-info  $(printf '%.39s' "$long")…" \
		"the long title cut to 39 characters and an ellipsis"
	like "$T/out" "^SD-1  pending-info  VPN down$" "a short title whole"
	pty env COLUMNS=60 sd-list --fields title,id
	is "$(grep 'SD-2$' "$T/out")" "$(printf '%.53s' "$long")…  SD-2" \
		"a title column not last: cut to 53 and an ellipsis, the next column aligned"
	like "$T/out" "^VPN down {48}SD-1$" "the short one padded to the same width"
	is "$(widest "$T/out")" 60 "no line wider than 60 either"
	pty env COLUMNS=500 sd-list --fields id,status,title
	like "$T/out" "END$" "a wide terminal: the title whole"
	for f in tsv csv json; do
		pty env COLUMNS=60 sd-list --format $f --fields id,title
		like "$T/out" "END" "--format $f on a pty: never cut"
	done
else
	for i in 1 2 3 4 5 6 7 8 9 10; do ok 0 "# SKIP script(1) is not installed"; done
fi
COLUMNS=60 expect 0 "sd-list to a pipe" sd-list --fields id,status,title
like "$T/out" "END$" "to a pipe, COLUMNS or not: the title whole"
ok $(! grep -q '…' "$T/out"; echo $?) "no ellipsis in a pipe"
unchanged "$before" "after sd-list"

done_testing
