#!/bin/sh
# sd-edit: correct a ticket or a configuration file in an editor.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
mkeditor
export EDITOR="$T/editor"

# SD-1: Monday 10:00, incident medium/medium = 3, due Thursday 10:00 (3bd).
sd-new -t incident -s "Printer jams" -r "Pedro Ruiz" -c hardware/printer \
	--email pedro@example.org -m "It jams." >/dev/null
commits=$(sgit rev-list --count HEAD)

# A title
export SD_NOW=2026-11-23T11:00:00-05:00
SD_SED='s/^title = .*/title = Printer jams on tray 2/' \
	expect 0 "edit a ticket's title" sd-edit 1
is "$(cat "$T/out")" "SD-1" "prints the ID"
clean "store clean after sd-edit"
is "$(fields 1 title updated)" "Printer jams on tray 2|2026-11-23T11:00:00-05:00" "the title, updated now"
is "$(sgit rev-list --count HEAD)" $((commits + 1)) "one commit"
is "$(sgit log -1 --format='%an|%s|%(trailers:key=Ticket,valueonly,separator=%x2C)|%(trailers:key=Action,valueonly,separator=%x2C)')" \
	"Ana Gómez|SD-1: edit title|SD-1|edit" "subject SD-1: edit title, with trailers"
sd-show --format json 1 >"$T/json"
is "$(json_value "$T/json" 'd["events"][-1]')" \
	'{"at": "2026-11-23T11:00:00-05:00", "by": "ana", "action": "edit", "changed": "title"}' \
	"an edit event naming what changed"

# The description
SD_SED='s/^text = It jams\.$/text = It jams on page 2./' expect 0 "edit the description" sd-edit 1
is "$(sd-show --field description 1)" "It jams on page 2." "the description"
like "$T/out" "^SD-1$" "prints the ID"
is "$(sgit log -1 --format=%s | cut -d' ' -f1-2)" "SD-1: edit" "subject SD-1: edit ..."
clean "store clean"

# EDITOR with options, run through the shell; VISUAL first.
expect 0 "EDITOR with options" env EDITOR="sed -i s/tray/drawer/" sd-edit 1
is "$(fields 1 title)" "Printer jams on drawer 2" "the editor's change"
before=$(head_id)
expect 0 "VISUAL before EDITOR" env VISUAL=true EDITOR=false sd-edit 1
unchanged "$before" "VISUAL's editor changed nothing"

# No change: exit 0, no commit.
expect 0 "no change" env EDITOR=true sd-edit 1
is "$(cat "$T/out")" "" "nothing on stdout"
is "$(cat "$T/err")" "sd-edit: SD-1: nothing changed" "says nothing changed"
unchanged "$before" "after no change"

# Refused edits: 65, nothing changed.  stdin is not a terminal: no prompt.
SD_SED='s/^status = new$/status = assigned/' expect 65 "the status cannot change" sd-edit 1
one_line_error "$T/err" "one line on stderr, no prompt"
like "$T/err" "status" "says why"
printf 'e\ne\n' >"$T/answer"
SD_SED='s/^status = new$/status = assigned/' \
	expect_in "$T/answer" 65 "stdin not a terminal: no question, even with an answer there" sd-edit 1
ok $(! grep -qi "again" "$T/err"; echo $?) "no prompt"
SD_SED='s/^id = SD-1$/id = SD-2/' expect 65 "the id cannot change" sd-edit 1
like "$T/err" "id" "says why"
SD_SED='s/^requester_email = .*/requester_email = not-an-email/' \
	expect 65 "an invalid email" sd-edit 1
like "$T/err" "not-an-email" "names it"
SD_SED='s/^category = .*/category = nowhere/' expect 65 "an unknown category" sd-edit 1
SD_SED='s/^urgency = .*/urgency = extreme/' expect 65 "urgency outside its set" sd-edit 1
SD_SED='s/^title = .*/title/' expect 65 "a line that does not parse" sd-edit 1
is "$(cat "$T/err")" \
	"sd-edit: tickets/000/SD-1.ini: draft line 5: not a [section] or key = value line" \
	"names the line of the draft"
SD_SED='/^\[description\]$/i [bogus]' expect 65 "an unknown section" sd-edit 1
SD_SED='s/^created = .*/created = yesterday/' expect 65 "a bad time" sd-edit 1
expect 74 "the editor fails" env EDITOR=false sd-edit 1
like "$T/err" "nothing changed" "says nothing changed"
unchanged "$before" "after refused edits"
is "$(fields 1 status title)" "new|Printer jams on drawer 2" "the ticket as it was"

# Each refusal names the line of the draft it comes from (the lines of
# SD-1: id 2, status 4, title 5, urgency 8, requester_email 15, created 17,
# due_response 22, [event 1] 36), with 65 and nothing changed.
draft_refused() { # SED LINE MESSAGE DESCRIPTION
	SD_SED=$1 expect 65 "$4" sd-edit 1
	is "$(cat "$T/err")" "sd-edit: tickets/000/SD-1.ini: draft line $2: $3" "$4: the line of the draft"
}
draft_refused 's/^id = SD-1$/id = SD-2/' 2 "the id cannot change" "the id"
draft_refused 's/^status = new$/status = assigned/' 4 \
	"the status changes only through the commands (sd(7))" "the status"
draft_refused 's/^title = .*/title = "Bad\\x07title"/' 5 "title has a control character" \
	"a control character"
draft_refused 's/^urgency = .*/urgency = extreme/' 8 \
	"urgency must be high, medium or low, not 'extreme'" "an urgency"
draft_refused 's/^requester_email = .*/requester_email = not-an-email/' 15 \
	"'not-an-email' is not an email address" "an email"
draft_refused 's/^created = .*/created = yesterday/' 17 \
	"created: 'yesterday' is not an RFC 3339 time" "a time"
draft_refused 's/^due_response = .*/due_response = tomorrow/' 22 \
	"due_response: 'tomorrow' is not an RFC 3339 time" "a due date"
draft_refused 's/^by = ana$/by =/' 36 "[event 1] has no 'by'" "an event"
draft_refused '/^urgency = /{p;s/.*/title/}' 9 "not a [section] or key = value line" \
	"a line that does not parse, after one more line"
unchanged "$before" "after the refusals"
clean "store clean after the refusals"

# An edit that changes nothing: exit 0, "nothing changed", no commit.  A
# due date written by hand is the clock's again (SPEC 4), so it alone
# changes nothing; nor do blanks, nor the updated time.
for e in 's/^due_resolution = .*/due_resolution = 2026-12-31T10:00:00-05:00/' \
	's/^due_response = .*/due_response = 2026-11-23T10:30:00-05:00/' \
	's/^title = /title =    /' 's/^updated = .*/updated = 2026-11-25T09:00:00-05:00/'; do
	SD_SED=$e expect 0 "no-op edit: $e" sd-edit 1
	is "$(cat "$T/out")" "" "$e: nothing on stdout"
	is "$(cat "$T/err")" "sd-edit: SD-1: nothing changed" "$e: says nothing changed"
	unchanged "$before" "$e: no commit"
done
clean "store clean after no-op edits"
# The same over a hand change of the file: nothing committed, the hand
# change undone.
sed -i 's/^due_resolution = .*/due_resolution = 2027-01-05T10:00:00-05:00/' \
	"$SD_STORE/tickets/000/SD-1.ini"
expect 0 "a hand-changed due date saved as it is" env EDITOR=true sd-edit 1
is "$(cat "$T/err")" "sd-edit: SD-1: nothing changed" "says nothing changed"
unchanged "$before" "no commit"
clean "the hand change undone"
# A no-op edit of a configuration file's draft saved as it was.
SD_AGENT=carmen expect 0 "sla.ini saved unchanged" env EDITOR=true sd-edit sla.ini
is "$(cat "$T/err")" "sd-edit: sla.ini: nothing changed" "says nothing changed"
unchanged "$before" "no commit"

# A file named by its path, from the store's root.
cd "$SD_STORE" || exit 1
SD_SED='s/^title = .*/title = Printer jams again/' \
	expect 0 "a ticket file by its path" sd-edit tickets/000/SD-1.ini
cd "$T" || exit 1
is "$(fields 1 title)" "Printer jams again" "the ticket changed"
SD_SED='s/^title = .*/title = Printer jams/' \
	expect 0 "a ticket file by its absolute path" sd-edit "$SD_STORE/tickets/000/SD-1.ini"
is "$(fields 1 title)" "Printer jams" "the ticket changed"
is "$(sgit log -1 --format=%s)" "SD-1: edit title" "subject"
clean "store clean"

# Configuration files: a coordinator (carmen) edits them.
before=$(head_id)
SD_AGENT=carmen SD_SED='s/^warn = 80$/warn = 75/' expect 0 "a coordinator edits sla.ini" sd-edit sla.ini
is "$(cat "$T/out")" "" "no ticket ID printed"
clean "store clean after a config edit"
is "$(ini_get "$SD_STORE/sla.ini" sla warn)" "75" "sla.ini changed"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(sgit log -1 --format='%an|%s|%(trailers:key=Ticket,valueonly)|%(trailers:key=Action,valueonly)' | sed '/^$/d')" \
	"Carmen Vargas|sla.ini: edit||edit" "subject sla.ini: edit, no Ticket: trailer"
SD_AGENT=carmen SD_SED='s/^warn = 75$/warn = 70/' \
	expect 0 "a config file by its absolute path" sd-edit "$SD_STORE/sla.ini"
is "$(ini_get "$SD_STORE/sla.ini" sla warn)" "70" "sla.ini changed"
is "$(sgit log -1 --format=%s)" "sla.ini: edit" "subject"
before=$(head_id)
rm -f "$T/ran"
expect 77 "not a coordinator" env EDITOR="touch $T/ran" sd-edit sla.ini
one_line_error "$T/err" "one line on stderr"
ok $([ ! -e "$T/ran" ]; echo $?) "the editor is not even started"
unchanged "$before" "after a refused config edit"
SD_AGENT=carmen SD_SED='s/^warn = 70$/warn = lots/' expect 78 "a broken config file" sd-edit sla.ini
one_line_error "$T/err" "one line on stderr"
is "$(cat "$T/err")" \
	"sd-edit: sla.ini: draft line 31: warn must be a whole number from 1 to 100, not 'lots'" \
	"names the file and the line of the draft"
SD_AGENT=carmen SD_SED='s/^\[sla\]$/[sla/' expect 78 "a config file that does not parse" sd-edit sla.ini
is "$(cat "$T/err")" "sd-edit: sla.ini: draft line 29: not a [section] or key = value line" \
	"names the file and the line of the draft"
SD_AGENT=carmen SD_SED='s/^level1 = desk$/level1 = nobody/' \
	expect 78 "escalation.ini naming an unknown group" sd-edit escalation.ini
like "$T/err" "escalation\.ini" "names the file"
SD_AGENT=carmen SD_SED='s/^timezone = .*/timezone = Mars\/Olympus/' \
	expect 78 "sd.ini with an unknown zone" sd-edit sd.ini
unchanged "$before" "after broken config files"
is "$(ini_get "$SD_STORE/sla.ini" sla warn)" "70" "sla.ini as it was"

# Targets bounded by what the calendar counts to (sd-config(5)): the
# example's Monday-to-Friday calendar, 07:30-17:00, with 18 holidays on
# weekdays counts 2600 * 5 * 34200 - 18 * 34200 - 204 * 34200 s, 12778
# days of 34200 s (fewer than 2600 * 5 - 18 - 1 = 12981 days).  99999bd was taken once, and
# every priority-1 sd-new failed after it.
SD_AGENT=carmen SD_SED='s/^resolution\.1 = 4bh$/resolution.1 = 99999bd/' \
	expect 78 "a 99999bd target" sd-edit sla.ini
one_line_error "$T/err" "one line on stderr"
like "$T/err" "^sd-edit: sla\.ini: draft line 17: resolution\.1: 99999bd is more business time than the calendar can count to \(at most 12778bd\)\$" \
	"names the file, line, key and the bound"
SD_AGENT=carmen SD_SED='s/^resolution\.1 = 4bh$/resolution.1 = 12779bd/' \
	expect 78 "the bound and a day" sd-edit sla.ini
like "$T/err" "12779bd is more .*at most 12778bd" "names the bound"
unchanged "$before" "after the refused targets"
is "$(ini_get "$SD_STORE/sla.ini" incident resolution.1)" "4bh" "sla.ini as it was"
expect 0 "a priority-1 sd-new after the refusals" sd-new -t incident -s "Server down" -r Eva \
	-c hardware --email eva@example.org -u high -i high
is "$(sd-show --field priority --field due_resolution "$(cat "$T/out")" | tr '\n' ' ')" \
	"1 2026-11-23T15:00:00-05:00 " "priority 1, due 4bh on"
SD_AGENT=carmen SD_SED='s/^resolution\.1 = 4bh$/resolution.1 = 12778bd/' \
	expect 0 "the bound itself" sd-edit sla.ini
expect 0 "a priority-1 sd-new at the bound" sd-new -t incident -s "Server down again" -r Eva \
	-c hardware --email eva@example.org -u high -i high
# 12778 weekdays after Monday 2026-11-23 11:00 but the holidays left in 2026
# (12-08, 12-25): counted apart, Monday 2075-11-18.
is "$(sd-show --field due_resolution "$(cat "$T/out")")" "2075-11-18T11:00:00-05:00" \
	"due 12778 business days on"
SD_AGENT=carmen SD_SED='s/^resolution\.1 = 12778bd$/resolution.1 = 4bh/' \
	expect 0 "back to 4bh" sd-edit sla.ini
# The windows of sd.ini in business time are bounded the same, its holidays
# counted: one more on a weekday, one day less.
SD_AGENT=carmen SD_SED='s/^    2026-12-25$/    2026-12-25, 2026-12-28/' \
	expect 0 "one more holiday: 12777 days, enough for 10bd" sd-edit sd.ini
SD_AGENT=carmen SD_SED='s/^accept_window = 48h$/accept_window = 12777bd/' \
	expect 0 "accept_window at the bound" sd-edit sd.ini
SD_AGENT=carmen SD_SED='s/^accept_window = 12777bd$/accept_window = 12778bd/' \
	expect 78 "accept_window past the bound" sd-edit sd.ini
like "$T/err" "^sd-edit: sd\.ini: draft line [0-9]+: accept_window: 12778bd is more .*at most 12777bd" "names it"
SD_AGENT=carmen SD_SED='s/^accept_window = 12777bd$/accept_window = 48h/' \
	expect 0 "accept_window back" sd-edit sd.ini
clean "store clean after the targets"
before=$(head_id)

# Unknown targets
expect 65 "not a ticket or config file" sd-edit notes.txt
one_line_error "$T/err" "one line on stderr"
expect 65 "an .ini that is not the store's" sd-edit other.ini
cp "$SD_STORE/sd.ini" "$T/sd.ini"
SD_AGENT=carmen expect 65 "an sd.ini outside the store" sd-edit "$T/sd.ini"
expect 65 "a bad ID" sd-edit SD-4x
like "$T/err" "invalid ticket id" "invalid ticket id"
expect 66 "no such ticket" sd-edit 99
like "$T/err" "no such ticket" "no such ticket"
expect 77 "an unknown agent" env SD_AGENT=nobody sd-edit 1
expect 64 "no argument" sd-edit
like "$T/err" "usage: sd-edit" "usage on stderr"
expect 64 "two arguments" sd-edit 1 2
expect 64 "a bad option" sd-edit --bogus 1
unchanged "$before" "after unknown targets"

# A final ticket is not edited (planted: SD-2 closed).
sd-new -t incident -s "Old one" -r "Eva" -c email --email eva@example.org >/dev/null
sed -i -e 's/^status = new$/status = closed/' -e 's/^resolution =$/resolution = solved/' \
	-e 's/^solved =$/solved = 2026-11-23T11:00:00-05:00/' \
	-e 's/^closed =$/closed = 2026-11-23T11:30:00-05:00/' "$SD_STORE/tickets/000/SD-2.ini"
forge "plant a closed ticket" tickets/000/SD-2.ini
before=$(head_id)
SD_SED='s/^title = .*/title = Changed/' expect 65 "a closed ticket" sd-edit 2
like "$T/err" "closed" "says it is closed"
unchanged "$before" "after refusing a closed ticket"

# Urgency edited by hand: priority and due dates follow the matrix.
# urgency medium -> high: high.medium is priority 2 (SPEC 4: "recomputed
# when urgency or impact change"), and 8bh from Monday 10:00 is Tuesday 08:30.
SD_SED='s/^urgency = medium$/urgency = high/' expect 0 "edit the urgency" sd-edit 1
is "$(fields 1 urgency priority due_response due_resolution)" \
	"high|2|2026-11-23T11:00:00-05:00|2026-11-24T08:30:00-05:00" \
	"priority from the matrix, due dates recomputed"
clean "store clean"

expect 0 "-h" sd-edit -h
like "$T/out" "^usage: sd-edit" "usage on stdout"
expect 0 "--version" sd-edit --version
like "$T/out" "^sd-edit .*[0-9]+\.[0-9]+" "name and version"
# On a terminal, a bad edit asks again; any answer but q keeps the draft
# (here a stray "x"), q quits with nothing changed.
if command -v script >/dev/null 2>&1; then
	rm -f "$T/tries"
	cat >"$T/editor2" <<'EOF2'
#!/bin/sh
# The first run breaks the title with a control character, the next fixes it.
n=$(cat "$T_DIR/tries" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$T_DIR/tries"
if [ $n = 1 ]; then sed -i 's/^title = .*/title = "Bad\\x07title"/' "$1"
else sed -i 's/^title = .*/title = Printer on tray 3/' "$1"; fi
EOF2
	chmod 755 "$T/editor2"
	b=$(head_id)
	printf 'x\n' | T_DIR=$T EDITOR="$T/editor2" script -qec "sd-edit 1" /dev/null >"$T/pty" 2>&1
	is "$(cat "$T/tries")" 2 "a stray answer: the editor opened again on the draft"
	is "$(fields 1 title)" "Printer on tray 3" "the second try committed"
	is "$(sgit rev-list --count HEAD)" "$(( $(sgit rev-list --count "$b") + 1 ))" "one commit"
	rm -f "$T/tries"
	b=$(head_id)
	printf 'q\n' | T_DIR=$T EDITOR="$T/editor2" script -qec "sd-edit 1" /dev/null >"$T/pty" 2>&1
	is "$(cat "$T/tries")" 1 "q: the editor not opened again"
	is "$(head_id)" "$b" "q: nothing committed"
	is "$(fields 1 title)" "Printer on tray 3" "q: the ticket as it was"
	clean "store clean after the prompts"
fi

done_testing
