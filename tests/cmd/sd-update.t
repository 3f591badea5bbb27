#!/bin/sh
# sd-update: correct or complete a ticket.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore

# The calendar (share/sd.ini): Mon-Fri 07:30-17:00, America/Bogota (-05:00),
# no holiday in the weeks used here.  Targets (share/sla.ini): incident
# response 1bh, resolution 4bh 8bh 3bd 5bd; request response 2bh,
# resolution 8bh 2bd 5bd 10bd; priority high.high 1, high.medium 2,
# medium.medium 3, low.low 4.

# last_event ID: the last event of ticket ID, as JSON
last_event() {
	sd-show --format json "$1" >"$T/json" && json_value "$T/json" 'd["events"][-1]'
}

# SD-1: Monday 10:00, incident medium/medium = 3: response 1bh -> 11:00,
# resolution 3bd -> Thursday 10:00.
sd-new -t incident -s "Printer jams" -r "Pedro Ruiz" -c hardware/printer \
	--email pedro@example.org >/dev/null
is "$(fields 1 priority due_response due_resolution)" \
	"3|2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00" "SD-1 as registered"

# Urgency high: high.medium = 2, resolution 8bh from Monday 10:00: 7 h on
# Monday, 1 h from Tuesday 07:30 -> Tuesday 08:30.  Response stays.
export SD_NOW=2026-11-23T11:30:00-05:00
expect 0 "--urgency" sd-update 1 --urgency high
is "$(cat "$T/out")" "SD-1" "prints the ID alone"
clean "store clean after sd-update"
is "$(fields 1 urgency impact priority due_response due_resolution updated)" \
	"high|medium|2|2026-11-23T11:00:00-05:00|2026-11-24T08:30:00-05:00|2026-11-23T11:30:00-05:00" \
	"priority 2, resolution due Tuesday 08:30, updated now"
is "$(sgit log -1 --format='%an|%s|%(trailers:key=Ticket,valueonly,separator=%x2C)|%(trailers:key=Action,valueonly,separator=%x2C)')" \
	"Ana Gómez|SD-1: update urgency|SD-1|update" "one commit, by the agent, with trailers"
is "$(sgit rev-list --count HEAD)" 3 "one commit more"
is "$(last_event 1)" \
	'{"at": "2026-11-23T11:30:00-05:00", "by": "ana", "action": "update", "changed": "urgency"}' \
	"an update event naming what changed"

# Impact high: high.high = 1, 4bh from Monday 10:00 -> Monday 14:00.
export SD_NOW=2026-11-23T11:40:00-05:00
expect 0 "--impact" sd-update 1 --impact high
is "$(fields 1 priority due_response due_resolution)" \
	"1|2026-11-23T11:00:00-05:00|2026-11-23T14:00:00-05:00" "priority 1, due Monday 14:00"

# Both low: low.low = 4, 5bd from Monday 10:00 -> the next Monday 10:00.
expect 0 "--urgency and --impact" sd-update 1 --urgency low --impact low
is "$(fields 1 urgency impact priority due_resolution)" \
	"low|low|4|2026-11-30T10:00:00-05:00" "priority 4, due Monday 30 10:00"
is "$(sgit log -1 --format=%s)" "SD-1: update urgency impact" "the subject names both"
clean "store clean"

# The title, as luis.
expect 0 "--title" env SD_AGENT=luis sd-update 1 --title "Printer jams on page 2"
is "$(fields 1 title)" "Printer jams on page 2" "new title"
is "$(sgit log -1 --format='%an|%s')" "Luis Pérez|SD-1: update title" "luis's commit"
last_event 1 >/dev/null
is "$(json_value "$T/json" 'd["events"][-1]["by"]')" "luis" "luis's event"

# Email and phone.
expect 0 "--email and --phone" sd-update 1 --email pedro.ruiz@example.org --phone "+57 601 555 0100"
is "$(fields 1 requester_email requester_phone)" "pedro.ruiz@example.org|+57 601 555 0100" \
	"email and phone"
is "$(sgit log -1 --format=%s)" "SD-1: update requester_email requester_phone" "the subject"
clean "store clean"

# -m alone: a note-like update; nothing but updated and the event changes.
export SD_NOW=2026-11-23T12:00:00-05:00
expect 0 "-m alone" sd-update 1 -m "Called the requester"
is "$(sgit log -1 --format=%s)" "SD-1: update (note)" "subject update (note)"
is "$(sgit diff -U0 HEAD~1 HEAD | grep '^[-+][a-z]')" "$(printf '%s\n' \
	'-updated = 2026-11-23T11:40:00-05:00' '+updated = 2026-11-23T12:00:00-05:00' \
	'+at = 2026-11-23T12:00:00-05:00' '+by = ana' '+action = update' '+text = Called the requester')" \
	"only updated changes, and an event with the text"

# -F FILE: the text of the event, byte for byte, with an option.
printf 'Line one\n\n; not a comment\n[section]\nkey = value \\\n' >"$T/note"
expect 0 "-F FILE with --impact" sd-update 1 --impact medium -F "$T/note"
is "$(fields 1 impact priority due_resolution)" "medium|4|2026-11-30T10:00:00-05:00" \
	"low.medium is 4 still: the due date stays"
last_event 1 >/dev/null
json_value "$T/json" 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/note" "$T/got"; echo $?) "the event's text is the file's"
is "$(json_value "$T/json" 'd["events"][-1]["changed"]')" "impact" "changed impact"
clean "store clean"

# Category: at level 1 the ticket moves to the category's level-1 group.
# A second level-1 group, field, and a category onsite that it serves:
sed -i 's/^\[agent ana\]$/[group field]\nlevel = 1\n\n[agent ana]/' "$SD_STORE/agents.ini"
printf '\n[onsite]\nlevel1 = field\nlevel2 = apps\nlevel3 = servers\n' >>"$SD_STORE/escalation.ini"
forge "add group field and category onsite" agents.ini escalation.ini
expect 0 "--category at level 1" sd-update 1 --category onsite
is "$(fields 1 category group level)" "onsite|field|1" "the group follows the category"
is "$(sgit log -1 --format=%s)" "SD-1: update category" "the subject"
expect 0 "--category back" sd-update 1 --category network/vpn
is "$(fields 1 category group level)" "network/vpn|desk|1" "back to desk"
clean "store clean"
# Above level 1 the group stays (planted: SD-2 at level 2, group apps).
sd-new -t incident -s "ERP error" -r "Eva" -c software/erp --email eva@example.org >/dev/null
sed -i -e 's/^level = 1$/level = 2/' -e 's/^group = desk$/group = apps/' \
	-e 's/^status = new$/status = escalated/' -e 's/^escalations = 0$/escalations = 1/' \
	"$SD_STORE/tickets/000/SD-2.ini"
forge "plant an escalation" tickets/000/SD-2.ini
expect 0 "--category at level 2" sd-update 2 --category software/office
is "$(fields 2 category group level status)" "software/office|apps|2|escalated" \
	"the group and status stay"
clean "store clean"

# Pending-info: registered Monday 10:00 with no category and no email.
export SD_NOW=2026-11-23T10:00:00-05:00
sd-new -t request -s "New laptop" -r "Eva Luna" >/dev/null
is "$(fields 3 status priority due_response due_resolution)" "pending-info|3||" \
	"SD-3 pending-info, no due dates"
export SD_NOW=2026-11-24T09:00:00-05:00
expect 0 "completing part of it" sd-update 3 --category hardware/laptop
is "$(fields 3 status category due_response)" "pending-info|hardware/laptop|" \
	"still pending-info: the email is missing"
is "$(last_event 3)" \
	'{"at": "2026-11-24T09:00:00-05:00", "by": "ana", "action": "update", "changed": "category"}' \
	"no status change in the event"
# Tuesday 15:00, complete: new, and the clocks start now.  Response 2bh ->
# 17:00, a closing time.  Resolution: request medium/medium = 3, 5bd; the
# clock was stopped since Monday 10:00 and runs from Tuesday 15:00: 2 h on
# Tuesday, 9.5 h on Wed, Thu, Fri and Mon 30, 7.5 h on Tuesday Dec 1 (47.5 bh,
# 5 business days from Monday 10:00) -> Tuesday Dec 1 15:00.
export SD_NOW=2026-11-24T15:00:00-05:00
expect 0 "completing it" sd-update 3 --email eva@example.org
is "$(fields 3 status due_response due_resolution)" \
	"new|2026-11-24T17:00:00-05:00|2026-12-01T15:00:00-05:00" \
	"new, due dates counted from now"
is "$(last_event 3)" \
	'{"at": "2026-11-24T15:00:00-05:00", "by": "ana", "action": "update", "changed": "requester_email", "from": "pending-info", "to": "new"}' \
	"the event moves it from pending-info to new"
is "$(sgit log -1 --format=%s)" "SD-3: update requester_email" "the subject"
clean "store clean"
# A request whose category needs approvals waits for them once complete.
sd-new -t request -s "New account" -r "Luz" -c access/account >/dev/null
expect 0 "completing a request that needs approvals" sd-update 4 --email luz@example.org
is "$(fields 4 status approvals)" "awaiting-approval|boss risk" "awaiting-approval, roles in order"
clean "store clean"

# Errors change nothing.
# Every failure met once the options are read (invalid email, unknown
# category, bad or missing ID, unknown agent, final ticket, ...) has its
# exit status: 65, 66 or 77.
before=$(head_id)
expect 64 "nothing to change" sd-update 1
like "$T/err" "nothing to change" "says so"
like "$T/err" "usage: sd-update" "usage on stderr"
expect 0 "the value it has already: nothing to do" sd-update 1 --title "Printer jams on page 2"
is "$(cat "$T/out")" "" "no ID printed: nothing changed"
expect 64 "no ID" sd-update --title x
expect 64 "two IDs" sd-update 1 2 --title x
expect 64 "--urgency outside its set" sd-update 1 --urgency urgent
expect 64 "--impact outside its set" sd-update 1 --impact huge
expect 64 "an empty -m" sd-update 1 -m ""
expect 64 "-m and -F" sd-update 1 -m x -F "$T/note"
expect 64 "a bad option" sd-update 1 --status closed
unchanged "$before" "after usage errors"
expect 65 "an invalid email" sd-update 1 --email not-an-email
one_line_error "$T/err" "one line on stderr"
like "$T/err" "not-an-email" "names it"
expect 65 "an unknown category" sd-update 1 --category nowhere
like "$T/err" "unknown category 'nowhere'" "names it"
expect 65 "a title with a control character" sd-update 1 --title "$(printf 'a\tb')"
expect 65 "a title of 1001 bytes" sd-update 1 --title "$(printf '%01001d' 0)"
expect 65 "a phone that is not one" sd-update 1 --phone "call me"
printf 'bad \377 byte\n' >"$T/bad"
expect 65 "a text that is not UTF-8" sd-update 1 -F "$T/bad"
expect 65 "a good option and a bad one" sd-update 1 --title "Fine" --email bad
expect 65 "an empty value" sd-update 1 --phone ""
like "$T/err" "requester_phone" "names the field"
expect 65 "a bad ID" sd-update SD-4x --title x
like "$T/err" "invalid ticket id" "invalid ticket id"
expect 66 "no such ticket" sd-update 99 --title x
like "$T/err" "SD-99: no such ticket" "no such ticket"
expect 77 "an unknown agent" env SD_AGENT=nobody sd-update 1 --title x
one_line_error "$T/err" "one line on stderr"
unchanged "$before" "after refusals"
is "$(fields 1 title requester_email)" "Printer jams on page 2|pedro.ruiz@example.org" \
	"the ticket is as it was"

# A final ticket: nothing changes it, not even a note (planted: SD-5 closed).
sd-new -t incident -s "Old one" -r "Eva" -c email --email eva@example.org >/dev/null
sed -i -e 's/^status = new$/status = closed/' -e 's/^resolution =$/resolution = solved/' \
	-e 's/^solved =$/solved = 2026-11-24T16:00:00-05:00/' \
	-e 's/^closed =$/closed = 2026-11-24T16:30:00-05:00/' "$SD_STORE/tickets/000/SD-5.ini"
forge "plant a closed ticket" tickets/000/SD-5.ini
before=$(head_id)
expect 65 "a closed ticket" sd-update 5 --title "Reopen me"
one_line_error "$T/err" "one line on stderr"
like "$T/err" "closed" "says it is closed"
expect 65 "not even a note" sd-update 5 -m "Still there?"
sed -i -e 's/^status = closed$/status = rejected/' "$SD_STORE/tickets/000/SD-5.ini"
forge "plant a rejected ticket" tickets/000/SD-5.ini
before=$(head_id)
expect 65 "a rejected ticket" sd-update 5 --urgency high
unchanged "$before" "after refusing final tickets"

# A new ticket that came without a category (the desk's to set, so it was
# never pending-info): classifying it into a category with approvals sends
# a request to wait for them, as registering it so would have.  A store
# of its own: SD-1, SD-2 requests, SD-3 an incident.
mkstore "$T/classify"
export SD_NOW=2026-11-24T15:00:00-05:00
new0=$(sd-new -t request -s "Account for Ana" -r "Ana" --email ana@example.org)
new1=$(sd-new -t request -s "Account for Leo" -r "Leo" --email leo@example.org)
new2=$(sd-new -t incident -s "Locked out" -r "Ivo" --email ivo@example.org)
is "$(fields "${new0#SD-}" status category)|$(fields "${new2#SD-}" status)" "new||new" \
	"no category: new, to classify"
expect 0 "classifying a request into access/account" sd-update "$new0" --category access/account
is "$(fields "${new0#SD-}" status approvals)" "awaiting-approval|boss risk" \
	"the request waits for its approvals"
is "$(last_event "${new0#SD-}")" \
	'{"at": "2026-11-24T15:00:00-05:00", "by": "ana", "action": "update", "changed": "category", "from": "new", "to": "awaiting-approval"}' \
	"the event moves it from new to awaiting-approval"
expect 0 "classifying a request into a category without approvals" \
	sd-update "$new1" --category hardware/laptop
is "$(fields "${new1#SD-}" status approvals)" "new|" "stays new"
expect 0 "classifying an incident into access/account" sd-update "$new2" --category access/account
is "$(fields "${new2#SD-}" status approvals)" "new|" "an incident needs no approvals: stays new"
expect 0 "a classified request changes category" sd-update "$new1" --category access/account
is "$(fields "${new1#SD-}" status approvals)" "new|" \
	"only the first classification asks for approvals (as before for any ticket)"
expect 0 "sd-fsck accepts the moves" sd-fsck
clean "store clean"

# Usage
expect 0 "-h" sd-update -h
like "$T/out" "^usage: sd-update" "usage on stdout"
expect 0 "--version" sd-update --version
like "$T/out" "^sd-update .*[0-9]+\.[0-9]+" "name and version"
done_testing
