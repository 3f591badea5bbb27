#!/bin/sh
# sd-list --grep: a fixed text in the title, description, notes, replies
# and solution, in any case (Unicode case folding), accents kept; and
# --requester, a part of the name or address in any case.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore

new() { sd-new "$@" >/dev/null || { echo "Bail out! sd-new $*"; exit 1; }; }

# 1: the word in the title, in capitals with an accent.
new -t incident -s "ÁRBOL caído en la sede" -r "Ñandú Pérez" --email nandu@example.org \
	-c network -m "Se cayó sobre el cable."
# 2: in the description, after a blank line and behind a backslash.
new -t incident -s "Printer offline" -r "Pedro Ruiz" --email pedro@example.org \
	-c hardware/printer -m "$(printf 'Floor 2.\n\nPath C:\\spool is full; the impresora Stops.')"
# 3: in a note, and a reply to the requester.
new -t request -s "New laptop" -r "Eva Luna" --email eva@example.org -c hardware/laptop
sd-note 3 -m "Llamé a la señora MUÑOZ, no contesta" >/dev/null
sd-reply 3 -m "Buenos días: ¿qué modelo prefiere, Lenovo o Dell?" >/dev/null
# 4: in the solution; a diagnosis (an escalation's text) is not searched.
new -t incident -s "ERP slow" -r "Luz Díaz" --email luz@example.org -c software/erp
sd-escalate 4 -m "Carburador roto" >/dev/null
SD_AGENT=marta sd-solve 4 -m "Índice RECONSTRUIDO en la base de datos" >/dev/null
# 5: Greek, German and Japanese, a decomposed accent (a + U+0301), and a
# title long enough to go on a continuation line.
long=$(printf 'x%.0s' $(seq 1 180))
new -t incident -s "Σίσυφος: Straße ${long} 東京 tail-word" -r "Hans" --email hans@example.org \
	-c network -m "$(printf 'el a\314\201rbol de la calle ; fin')"
sd-assign 1 ana >/dev/null
# 6: nothing of it.
new -t incident -s "Email bounces" -r "Juan Soto" --email juan@example.org -c email -m "Nothing here"
clean "store clean after the set-up"

# greps DESCRIPTION WANT ARGS...: sd-list --fields id --format tsv ARGS lists WANT
greps() {
	_what=$1 _ids=$2
	shift 2
	expect 0 "$_what" sd-list --fields id --format tsv "$@"
	is "$(sed 1d "$T/out" | tr '\n' ' ' | sed 's/ $//')" "$_ids" "$_what: $_ids"
}

# Each field
greps "the title" "SD-1" --grep "sede"
greps "the description" "SD-2" --grep "impresora"
greps "a note" "SD-3" --grep "no contesta"
greps "a reply" "SD-3" --grep "lenovo o dell"
greps "the solution" "SD-4" --grep "base de datos"
greps "no hit" "" --grep "zanahoria"
greps "not a diagnosis" "" --grep "carburador"
greps "not the requester" "" --grep "Ñandú"
greps "not the keys of the file" "" --grep "status"
greps "not the category" "" --grep "hardware"
# Case and accents
greps "capitals found by small letters" "SD-1" --grep "árbol caído"
greps "small letters found by capitals" "SD-1 SD-5" --grep "ÁRBOL"
greps "Ñ finds ñ" "SD-3" --grep "SEÑORA"
greps "ñ finds Ñ" "SD-3" --grep "muñoz"
greps "mixed case, ASCII" "SD-2" --grep "IMPRESORA stops"
greps "accents kept: arbol is not árbol" "" --grep "arbol"
greps "a decomposed accent is the composed one" "SD-5" --grep "el árbol de"
greps "the solution in capitals" "SD-4" --grep "índice reconstruido"
greps "Greek capitals, final sigma" "SD-5" --grep "ΣΊΣΥΦΟΣ"
greps "ß folds to ss" "SD-5" --grep "STRASSE"
greps "Japanese" "SD-5" --grep "東京"
greps "past a continuation line" "SD-5" --grep "xxx 東京 tail-word"
greps "across an escaped backslash" "SD-2" --grep 'c:\SPOOL'
greps "a ; after a space" "SD-5" --grep "calle ; fin"
greps "a fixed string, not a regular expression" "" --grep "sed."
greps "a dot, literally" "SD-2" --grep "floor 2."
greps "the question mark of a reply" "SD-3" --grep "¿QUÉ MODELO"
# With other filters
greps "--grep --status" "SD-5" --grep "árbol" --status new
greps "--grep --assignee" "SD-1" --grep "árbol" --assignee ana
greps "--grep --open" "SD-1 SD-5" --grep "ÁRBOL" --open
greps "--grep --type request" "" --grep "árbol" --type request
greps "--grep --requester" "SD-1" --grep "árbol" --requester "ñandú"
greps "--grep --status solved" "SD-4" --grep "datos" --status solved
greps "the last --grep counts" "SD-2" --grep "árbol" --grep "impresora"
greps "--grep --sort" "SD-5 SD-1" --grep "ÁRBOL" --sort requester
SD_THREADS=1 greps "--grep on one thread" "SD-1 SD-5" --grep "ÁRBOL"

# Machine formats
expect 0 "--format json" sd-list --grep "muñoz" --fields id,title --format json
is "$(tr -d '\n' <"$T/out")" '[{"id":"SD-3","title":"New laptop"}]' "json: one object"
expect 0 "--format csv" sd-list --grep "ÁRBOL" --fields id,requester --format csv
is "$(cat "$T/out")" "$(printf 'id,requester\r\nSD-1,Ñandú Pérez\r\nSD-5,Hans\r')" "csv: two rows"
expect 0 "--format tsv, no hit" sd-list --grep "zanahoria" --fields id,title --format tsv
is "$(cat "$T/out")" "$(printf 'id\ttitle')" "tsv: the header alone"

# --requester: a part of the name or the address, any case
greps "--requester a part of the name" "SD-2" --requester "RUIZ"
greps "--requester a part of the address" "SD-1 SD-2 SD-3 SD-4 SD-5 SD-6" --requester "EXAMPLE.ORG"
greps "--requester with accents, any case" "SD-4" --requester "DÍAZ"
greps "--requester Ñ" "SD-1" --requester "ñandú p"
greps "--requester no one" "" --requester "zanahoria"

# Usage and data errors
expect 64 "an empty --grep" sd-list --grep ""
like "$T/err" "^sd-list: --grep: give a text to look for$" "says so"
expect 64 "--grep with no text" sd-list --grep
expect 65 "--grep not UTF-8" sd-list --grep "$(printf 'a\377b')"
like "$T/err" "^sd-list: --grep: not valid UTF-8$" "says so"
expect 64 "an empty --requester" sd-list --requester ""
like "$T/err" "^sd-list: --requester: give a name or address$" "says so"
expect 65 "--requester not UTF-8" sd-list --requester "$(printf '\303')"
like "$T/err" "^sd-list: --requester: not valid UTF-8$" "says so"

# Invalid UTF-8 in a ticket's text: reported with its path, the others
# listed, never a crash; a ticket left out by its fields is not read.
tk=$SD_STORE/tickets/000
cp "$tk/SD-6.ini" "$T/SD-6.ini"
sed -i "s/^text = Nothing here\$/text = bad $(printf '\377\376') bytes and árbol/" "$tk/SD-6.ini"
forge "plant invalid UTF-8" tickets/000/SD-6.ini
greps "invalid UTF-8 left out by its fields" "SD-1" --grep "árbol" --requester "ñandú"
expect 65 "invalid UTF-8 in a ticket read in full" sd-list --grep "árbol" --fields id --format tsv
is "$(sed 1d "$T/out" | tr '\n' ' ')" "SD-1 SD-5 " "the others listed"
like "$T/err" "^sd-list: tickets/000/SD-6.ini:[0-9]+: .*UTF-8" "the bad file named, and why"
is "$(wc -l <"$T/err")" 1 "one line"
expect 65 "the same, a pattern not in its bytes" sd-list --grep "zanahoria" --fields id --format tsv
is "$(sed 1d "$T/out")" "" "nothing listed"
# The bad bytes at the very end of the file, no newline after them.
cp "$T/SD-6.ini" "$tk/SD-6.ini"
printf 'text = árbol \303' >>"$tk/SD-6.ini"
forge "plant a cut UTF-8 sequence" tickets/000/SD-6.ini
expect 65 "a cut sequence at the end of a file" sd-list --grep "ÁRBOL" --fields id --format tsv
is "$(sed 1d "$T/out" | tr '\n' ' ')" "SD-1 SD-5 " "the others listed"
like "$T/err" "^sd-list: tickets/000/SD-6.ini:[0-9]+: " "the bad file named"
expect 0 "the others, the bad one left out by its fields" sd-list --grep "ÁRBOL" --status new --type incident --requester hans --fields id --format tsv
is "$(sed 1d "$T/out")" "SD-5" "SD-5"
clean "store clean at the end"

done_testing
