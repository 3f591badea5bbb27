#!/bin/sh
# Texts on a terminal: controls and escape sequences shown visibly, as
# cat -v does (ESC ^[, BEL ^G, BS ^H, DEL ^?, C1 CSI U+009B M-^[), newlines
# and tabs of texts kept; to a pipe every format byte-exact.  A terminal
# is a pty made by util-linux script(1).
. "${SD_TOP:-.}/tests/lib.sh"

command -v script >/dev/null 2>&1 || { echo "1..0 # SKIP script(1) is not installed"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is not installed"; exit 0; }
mkstore

# has FILE BYTES: FILE holds BYTES (Python escapes: '\x1b]0;'); lacks the same, negated.
has() { python3 -c 'import sys
d = open(sys.argv[1], "rb").read()
b = sys.argv[2].encode().decode("unicode_escape").encode("latin-1")
sys.exit(0 if b in d else 1)' "$1" "$2"; }
has_ok() { has "$1" "$2"; ok $? "$3"; }
lacks_ok() { ! has "$1" "$2"; ok $? "$3"; }

# tty FILE CMD: CMD (one shell word list, quoted) run on a pty, all its
# output (stdout and stderr, as a terminal shows them) in FILE.
tty() {
	_f=$1
	shift
	script -qec "$*" /dev/null >"$_f" 2>&1 </dev/null
	rc=$?
}

# No raw control of the texts in FILE: ESC, C1 CSI, BEL, BS, DEL.
no_raw() {
	lacks_ok "$1" '\x1b' "$2: no raw ESC"
	lacks_ok "$1" '\xc2\x9b' "$2: no raw C1 CSI"
	lacks_ok "$1" '\x07' "$2: no raw BEL"
	lacks_ok "$1" '\x08' "$2: no raw backspace"
	lacks_ok "$1" '\x7f' "$2: no raw DEL"
}

text=$(printf 'osc \033]0;pwned\007 csi \033[2J c1 \302\2332J bel \007 bs \010 del \177 end\nline2\ttab')
expect 0 "a description with escapes is taken" sd-new -t incident -s "Printer" -r "Luis" \
	-c hardware --email luis@example.org -m "$text"
expect 0 "a note with escapes is taken" sd-note 1 -m "$text"
# A title and a requester with controls can only be planted (a hand edit,
# a push): the file's escapes, and a raw C1 CSI.
tk=$SD_STORE/tickets/000
c1=$(printf '\302\233')
sed -e "s/^title = Printer\$/title = \"Pr\\\\x1b]0;pwned\\\\x07inter\\\\x1b[2J${c1}0m\"/" \
	-e 's/^requester = Luis$/requester = "Lu\\x08\\x7fis"/' "$tk/SD-1.ini" >"$T/planted"
cp "$T/planted" "$tk/SD-1.ini"
forge "$(printf 'SD-1 \033[2J planted')" tickets/000/SD-1.ini
like "$tk/SD-1.ini" '^title = "Pr\\x1b' "the title is planted"
printf '%s' "$text" >"$T/text"  # as given to -m: no newline

# --- on a terminal ---------------------------------------------------
tty "$T/show" sd-show --history 1
is "$rc" 0 "sd-show on a pty"
no_raw "$T/show" "sd-show --history"
has_ok "$T/show" 'SD-1  Pr^[]0;pwned^Ginter^[[2JM-^[0m' "the title shown visibly"
has_ok "$T/show" 'Lu^H^?is' "the requester shown visibly"
has_ok "$T/show" '    osc ^[]0;pwned^G csi ^[[2J c1 M-^[2J bel ^G bs ^H del ^? end' \
	"the description shown visibly"
has_ok "$T/show" '    line2\ttab' "its newline and tab kept"
has_ok "$T/show" 'SD-1 ^[[2J planted' "a commit subject shown visibly"

tty "$T/list" env COLUMNS=200 sd-list    # wide: the title whole
is "$rc" 0 "sd-list on a pty"
no_raw "$T/list" "sd-list"
has_ok "$T/list" '  Pr^[]0;pwned^Ginter^[[2JM-^[0m' "the title in the table"
tty "$T/list-tsv" sd-list --format tsv --fields id,title,requester
no_raw "$T/list-tsv" "sd-list --format tsv"
has_ok "$T/list-tsv" 'SD-1\tPr^[]0;pwned^Ginter^[[2JM-^[0m\tLu^H^?is' "tsv shown visibly"
tty "$T/list-csv" sd-list --format csv --fields id,title
no_raw "$T/list-csv" "sd-list --format csv"
tty "$T/list-json" sd-list --format json --fields id,title
no_raw "$T/list-json" "sd-list --format json"

tty "$T/json" sd-show --format json 1
no_raw "$T/json" "sd-show --format json"
tty "$T/ini" sd-show --format ini 1
no_raw "$T/ini" "sd-show --format ini"
has_ok "$T/ini" 'Pr\\x1b]0;pwned\\x07inter\\x1b[2JM-^[0m' "ini: the file's escapes, the C1 visible"
tty "$T/field" sd-show --field description 1
no_raw "$T/field" "sd-show --field description"
has_ok "$T/field" 'line2\ttab' "--field keeps newlines and tabs"

tty "$T/sla" env SD_NOW=2026-12-30T10:00:00-05:00 sd-sla
is "$rc" 2 "sd-sla on a pty: breached"
no_raw "$T/sla" "sd-sla"
has_ok "$T/sla" 'Pr^[]0;pwned^Ginter^[[2JM-^[0m' "sd-sla's title shown visibly"

tty "$T/report" sd-report --no-cache --by requester
is "$rc" 0 "sd-report on a pty"
no_raw "$T/report" "sd-report --by requester"
has_ok "$T/report" 'Lu^H^?is' "the requester as a report key"
tty "$T/report-csv" sd-report --no-cache --by requester --format csv
no_raw "$T/report-csv" "sd-report --format csv"

# A message quoting the user's input: escaped, C0 as \xHH and C1 as \uHHHH.
tty "$T/err" sd-list --assignee "$(printf 'x\033[2J\302\233')"
is "$rc" 65 "an unknown agent with escapes"
no_raw "$T/err" "the error message"
has_ok "$T/err" "x\\\\x1b[2J\\\\u009b" "the message shows them escaped"

# sd-fsck names a planted file as it is called.
esc_file=$SD_STORE/tickets/000/$(printf 'x\033]0;pwned\007.ini')
: >"$esc_file"
tty "$T/fsck" sd-fsck
no_raw "$T/fsck" "sd-fsck"
has_ok "$T/fsck" 'tickets/000/x^[]0;pwned^G.ini: ' "the planted file's name shown visibly"
sd-fsck >"$T/p-fsck"
has_ok "$T/p-fsck" 'tickets/000/x\x1b]0;pwned\x07.ini: ' "to a pipe, as it is"
rm -f "$esc_file"

# A byte that is no UTF-8 (a lone 0x9b is a CSI to 8-bit terminals), as \xHH.
run sd-list --assignee "$(printf 'x\2332J \303\261')"
is "$rc" 65 "an unknown agent with a stray byte"
lacks_ok "$T/err" '\x9b' "no raw 0x9b in the message"
has_ok "$T/err" "x\\\\x9b2J \xc3\xb1'" "the byte escaped, UTF-8 as it is"

# --- to a pipe: byte-exact -------------------------------------------
sd-show --field description 1 >"$T/p-field"
cmp -s "$T/p-field" "$T/text"
ok $? "--field description to a pipe: the text as stored, byte for byte"
sd-show --format ini 1 >"$T/p-ini"
sgit show HEAD:tickets/000/SD-1.ini >"$T/head-ini"
cmp -s "$T/p-ini" "$T/head-ini"
ok $? "--format ini to a pipe: the file as committed"
has_ok "$T/p-ini" '\xc2\x9b0m' "ini: the raw C1 CSI as stored"
sd-show 1 >"$T/p-show"
has_ok "$T/p-show" 'SD-1  Pr\x1b]0;pwned\x07inter\x1b[2J\xc2\x9b0m' "text to a pipe: raw, as stored"
sd-list --format tsv --fields id,title,requester >"$T/p-tsv"
has_ok "$T/p-tsv" 'SD-1\tPr\x1b]0;pwned\x07inter\x1b[2J\xc2\x9b0m\tLu\x08\x7fis' "tsv to a pipe: raw"
sd-show --format json 1 >"$T/p-json"
has_ok "$T/p-json" '"title":"Pr\\u001b]0;pwned\\u0007inter\\u001b[2J\xc2\x9b0m"' \
	"json to a pipe: as ever (C0 as \\u00XX, the rest raw)"
sd-report --no-cache --by requester --format tsv >"$T/p-report"
has_ok "$T/p-report" 'Lu\x08\x7fis\t' "report tsv to a pipe: raw"
# HTML holds no controls at all: shown visibly wherever it goes.
sd-report --no-cache --by requester --format html >"$T/p-html"
no_raw "$T/p-html" "sd-report --format html"
has_ok "$T/p-html" 'Lu^H^?is' "the requester in the HTML"
# An attachment: a text with escapes shown visibly; a binary refused (65),
# nothing of it written; to a pipe both byte for byte.
printf '%s' "$text" >"$T/esc.txt"
printf 'PK\003\004\000\033[2J\377bin' >"$T/bin.dat"
expect 0 "SD-2 made" sd-new -t incident -s "Scanner" -r "Luis" -c hardware --email luis@example.org
expect 0 "a text with escapes attached" sd-attach 2 "$T/esc.txt"
expect 0 "a binary attached" sd-attach --type application/zip 2 "$T/bin.dat"
tty "$T/att1" sd-show --attachment 1 2
is "$rc" 0 "sd-show --attachment 1 on a pty: the text"
no_raw "$T/att1" "the attached text"
has_ok "$T/att1" 'osc ^[]0;pwned^G csi ^[[2J' "the attached text shown visibly"
tty "$T/att2" sd-show --attachment 2 2
is "$rc" 65 "sd-show --attachment 2 on a pty: a binary, refused"
is "$(tr -d '\r' <"$T/att2")" "sd-show: attachment 2 of SD-2 is not text: redirect standard output to a file or a program" \
	"one line, saying what to do"
lacks_ok "$T/att2" 'PK' "nothing of the binary written"
sd-show --attachment 1 2 >"$T/p-att1"
ok $(cmp -s "$T/p-att1" "$T/esc.txt"; echo $?) "the text to a pipe: byte for byte"
sd-show --attachment 2 2 >"$T/p-att2"
ok $(cmp -s "$T/p-att2" "$T/bin.dat"; echo $?) "the binary to a pipe: byte for byte"
clean "store clean"
done_testing
