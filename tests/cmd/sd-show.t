#!/bin/sh
# sd-show: show one ticket.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore

title='Printer "HP" jams \ tray 2'
desc=$(printf 'It jams on page 2.\n\nTry tray 2.')
sd-new -t incident -s "$title" -r "Pedro Ruiz" -c hardware/printer \
	--email pedro@example.org -m "$desc" >/dev/null
# Monday 11:00: urgency high, impact medium -> priority 2 (8bh from Monday
# 10:00: 7 h on Monday, 1 h on Tuesday -> Tuesday 08:30).
SD_NOW=2026-11-23T11:00:00-05:00 sd-update 1 --urgency high -m "Called back" >/dev/null
sd-new -t request -s "New laptop" -r "Eva Luna" >/dev/null
SD_NOW=2026-11-23T12:00:00-05:00 sd-new -t incident -s "Same printer" -r "Luz" \
	-c hardware/printer --email luz@example.org --related SD-1 >/dev/null
clean "store clean after the set-up"
is "$(sgit rev-list --count HEAD)" 5 "four commits after init"

# Text
expect 0 "text by default" sd-show 1
is "$(head -1 "$T/out")" "SD-1  $title" "ID and title first"
like "$T/out" '^  status +new$' "status"
like "$T/out" '^  priority +2$' "priority recomputed"
like "$T/out" '^  due_resolution +2026-11-24T08:30:00-05:00$' "due date"
like "$T/out" '^  related +SD-3$' "related"
ok $(! grep -q '^  assignee' "$T/out"; echo $?) "empty fields left out"
is "$(sed -n '/^Description:$/,$p' "$T/out")" "$(printf 'Description:\n    It jams on page 2.\n\n    Try tray 2.')" \
	"the description, indented, blank line kept"
ok $(! grep -q '^Events:' "$T/out"; echo $?) "no events without --history"
clean "store clean after sd-show"
cp "$T/out" "$T/text"
expect 0 "--format text" sd-show --format text 1
ok $(cmp -s "$T/out" "$T/text"; echo $?) "the same as the default"

# JSON
expect 0 "--format json" sd-show --format json 1
ok $(python3 -m json.tool <"$T/out" >/dev/null 2>&1; echo $?) "valid JSON"
is "$(json_value "$T/out" 'list(d)')" '["id", "type", "status", "title", "category", "channel", "urgency", "impact", "priority", "level", "group", "assignee", "requester", "requester_email", "requester_phone", "created", "updated", "responded", "solved", "closed", "due_response", "due_resolution", "resolution", "close_reason", "rating", "escalations", "reopened", "contact_attempts", "related", "approvals", "problem", "incidents", "aliases", "description", "solution", "events", "attachments"]' \
	"the [ticket] keys in order, then description, solution, events"
is "$(json_value "$T/out" '[d["priority"], d["level"], d["rating"], d["escalations"], d["reopened"], d["contact_attempts"]]')" \
	"[2, 1, null, 0, 0, 0]" "numbers for priority, level and counters; null for no rating"
is "$(json_value "$T/out" '[d["assignee"], d["responded"], d["related"], d["solution"]]')" \
	'["", "", "SD-3", ""]' "strings, empty ones too"
is "$(json_value "$T/out" 'd["title"]')" "$title" "the title with its quote and backslash"
json_value "$T/out" 'd["description"]' >"$T/got"
printf '%s' "$desc" >"$T/want"
ok $(cmp -s "$T/got" "$T/want"; echo $?) "the description, byte for byte"
is "$(json_value "$T/out" 'd["events"]')" \
	'[{"at": "2026-11-23T10:00:00-05:00", "by": "ana", "action": "new", "to": "new"}, {"at": "2026-11-23T11:00:00-05:00", "by": "ana", "action": "update", "changed": "urgency", "text": "Called back"}, {"at": "2026-11-23T12:00:00-05:00", "by": "ana", "action": "link", "related": "SD-3"}]' \
	"the events, with what each has"
ok $([ "$(wc -l <"$T/out")" = 1 ]; echo $?) "one line"
clean "store clean after --format json"
expect 0 "json of a pending-info ticket" sd-show --format json 2
is "$(json_value "$T/out" '[d["status"], d["category"], d["due_response"], d["due_resolution"], d["priority"]]')" \
	'["pending-info", "", "", "", 3]' "empty due dates while the clock is stopped"

# INI
expect 0 "--format ini" sd-show --format ini 1
ok $(cmp -s "$T/out" "$SD_STORE/tickets/000/SD-1.ini"; echo $?) "the ticket file, byte for byte"
clean "store clean after --format ini"
expect 0 "--format ini of another" sd-show --format ini sd-2
ok $(cmp -s "$T/out" "$SD_STORE/tickets/000/SD-2.ini"; echo $?) "the ticket file of SD-2"

# --field
expect 0 "--field" sd-show --field id --field status --field priority --field assignee \
	--field due_response 1
is "$(cat "$T/out")" "$(printf 'SD-1\nnew\n2\n\n2026-11-23T11:00:00-05:00')" "one line each, in order"
is "$(wc -l <"$T/out")" 5 "an empty value is an empty line"
expect 0 "--field description" sd-show --field description 1
printf '%s' "$desc" >"$T/want"
ok $(cmp -s "$T/out" "$T/want"; echo $?) "the description byte for byte: no newline added"
is "$(wc -l <"$T/out")" 2 "two newlines, its own"
expect 0 "--field solution, empty" sd-show --field solution 1
is "$(wc -c <"$T/out")" 0 "an empty text is nothing at all"
printf 'Line one\nline two\n' >"$T/nl"
sd-new -t incident -s "From a file" -r "Luz" -F "$T/nl" >/dev/null
expect 0 "--field description ending in a newline" sd-show --field description 4
ok $(cmp -s "$T/out" "$T/nl"; echo $?) "its newline kept, none added"
expect 64 "a text among several --field" sd-show --field title --field solution 1
is "$(head -1 "$T/err")" "sd-show: --field solution goes alone: a text may span lines" \
	"says a text goes alone"
expect 64 "a text first among several --field" sd-show --field description --field id 1
is "$(head -1 "$T/err")" "sd-show: --field description goes alone: a text may span lines" \
	"names the text's key"
is "$(cat "$T/out")" "" "nothing on stdout"
clean "store clean after --field"

# --history
expect 0 "--history" sd-show --history 1
is "$(sed -n '/^Events:$/,/^$/p' "$T/out")" "$(printf 'Events:\n  2026-11-23T10:00:00-05:00  ana  new -> new\n  2026-11-23T11:00:00-05:00  ana  update  changed=urgency\n    Called back\n  2026-11-23T12:00:00-05:00  ana  link  related=SD-3\n')" \
	"the events"
sgit log --format=%H -- tickets/000/SD-1.ini | cut -c1-12 >"$T/want"
sed -n '/^Commits:$/,$p' "$T/out" | sed 1d >"$T/commits"
is "$(cut -c1-12 "$T/commits")" "$(cat "$T/want")" "the commits that changed its file, newest first"
is "$(cut -c13- "$T/commits")" "$(printf '  2026-11-23T12:00:00-05:00  Ana Gómez  SD-3: new Same printer\n  2026-11-23T11:00:00-05:00  Ana Gómez  SD-1: update urgency\n  2026-11-23T10:00:00-05:00  Ana Gómez  SD-1: new %s' "$title")" \
	"each with its time, author and subject"
clean "store clean after --history"
expect 0 "--history --format json" sd-show --history --format json 1
ok $(python3 -m json.tool <"$T/out" >/dev/null 2>&1; echo $?) "valid JSON"
is "$(json_value "$T/out" '"\n".join(c["commit"] for c in d["commits"])')" \
	"$(sgit log --format=%H -- tickets/000/SD-1.ini)" "commits, whole ids"
is "$(json_value "$T/out" '[sorted(d["commits"][1]), d["commits"][1]["subject"], d["commits"][1]["email"]]')" \
	'[["at", "author", "commit", "email", "subject"], "SD-1: update urgency", "ana.gomez@example.org"]' \
	"each commit with commit, at, author, email and subject"
is "$(json_value "$T/out" 'len(d["events"])')" 3 "the events too"

# ID forms
for id in SD-1 sd-1 1; do
	expect 0 "ID given as $id" sd-show "$id"
	ok $(cmp -s "$T/out" "$T/text"; echo $?) "$id shows SD-1"
done
before=$(head_id)
for id in ../x SD-4x SD-0 0 01 SD-01 SD- XX-01 1234567890123456789012345 ""; do
	expect 65 "bad ID '$id'" sd-show "$id"
	like "$T/err" "invalid ticket id" "says invalid ticket id"
	one_line_error "$T/err" "one line on stderr"
done
unchanged "$before" "after bad IDs"
# Another store's ID: exit 65 still, and named as such.
for id in XY-4 xy-4 HD2-17; do
	expect 65 "another store's ID '$id'" sd-show "$id"
	is "$(cat "$T/err")" "sd-show: $id: not a ticket of this store (its prefix is SD)" \
		"'$id' is named another store's"
done
expect 65 "another store's ID to sd-note" sd-note XY-4 -m hola
is "$(cat "$T/err")" "sd-note: XY-4: not a ticket of this store (its prefix is SD)" \
	"sd-note names it too"
unchanged "$before" "after other stores' IDs"
expect 66 "no such ticket" sd-show 99
is "$(cat "$T/err")" "sd-show: SD-99: no such ticket" "says so"
expect 66 "no such ticket in another shard" sd-show SD-1000
like "$T/err" "no such ticket" "says so"
unchanged "$before" "after missing tickets"

# Finding the store
mkdir "$T/empty"
cd "$T/empty" || exit 1
expect 66 "no store here or above" env -u SD_STORE sd-show 1
one_line_error "$T/err" "one line on stderr"
like "$T/err" "sd-init" "says how to make one"
expect 66 "-C a directory that is not a store" env -u SD_STORE sd-show -C "$T/empty" 1
expect 66 "SD_STORE that is not a store" env SD_STORE="$T/empty" sd-show 1
expect 0 "-C wins over SD_STORE" env SD_STORE="$T/empty" sd-show -C "$T/store" --field id 1
is "$(cat "$T/out")" "SD-1" "the ticket of -C's store"
cd "$SD_STORE/tickets/000" || exit 1
expect 0 "found at or above the current directory" env -u SD_STORE sd-show --field id 1
is "$(cat "$T/out")" "SD-1" "the ticket"
cd "$T" || exit 1
expect 0 "no agent needed" env SD_AGENT=nobody sd-show --field id 1
unchanged "$before" "after finding the store"

# Usage
expect 64 "unknown --field" sd-show --field nope 1
like "$T/err" "usage: sd-show" "usage on stderr"
expect 64 "unknown --format" sd-show --format xml 1
expect 64 "--format table is sd-list's" sd-show --format table 1
expect 64 "no ID" sd-show
expect 64 "two IDs" sd-show 1 2
expect 64 "--field with --format" sd-show --field title --format json 1
expect 64 "a bad option" sd-show --bogus 1
like "$T/err" "usage: sd-show" "usage on stderr"
is "$(cat "$T/out")" "" "nothing on stdout"
unchanged "$before" "after usage errors"
expect 0 "-h" sd-show -h
like "$T/out" "^usage: sd-show" "usage on stdout"
expect 0 "--version" sd-show --version
like "$T/out" "^sd-show .*[0-9]+\.[0-9]+" "name and version"
done_testing
