#!/bin/sh
# sd-close: the requester accepts (closed, with an optional rating and
# comment); --reject (rejected, with a reason); --auto, for cron: solved
# past accept_window -> closed, pending-info past info_window -> unmanaged,
# one commit per ticket, rows id/from/to/reason.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

# SD-1, SD-2: registered Monday 23 10:00, solved by luis at 14:00.
for n in 1 2; do
	new_ticket
	quiet sd-assign $n luis
	quiet env SD_NOW=2026-11-23T14:00:00-05:00 SD_AGENT=luis sd-solve -m "Router restarted" $n
done
std_cli sd-close 1
id_errors sd-close ID

# The requester confirms on Tuesday 09:00, rating 5, with a comment.
export SD_NOW=2026-11-24T09:00:00-05:00
before=$(head_id)
allowed "close SD-1, --rating 5 -m" sd-close --rating 5 -m "Works now, thanks" 1
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 1 status closed close_reason rating updated)" \
	"closed|2026-11-24T09:00:00-05:00|confirmed by requester|5|2026-11-24T09:00:00-05:00" \
	"closed now, confirmed by requester, rating 5"
is "$(jget 1 '[d["rating"], d["solved"], d["resolution"]]')" \
	'[5, "2026-11-23T14:00:00-05:00", "solved"]' "json: rating a number; solved and resolution stay"
is "$(last_event 1)" \
	'{"at": "2026-11-24T09:00:00-05:00", "by": "ana", "action": "close", "from": "solved", "to": "closed", "rating": "5", "text": "Works now, thanks"}' \
	"the event: from, to, rating and the comment"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-1: close (solved -> closed)|SD-1|close" \
	"the commit"

# No rating, no comment.
allowed "close SD-2, bare" sd-close SD-2
out_is "SD-2" "prints the ID"
is "$(fields 2 status close_reason rating)" "closed|confirmed by requester|" "closed, no rating"
is "$(jget 2 'd["rating"]')" "null" "json: rating null"
is "$(last_event 2)" \
	'{"at": "2026-11-24T09:00:00-05:00", "by": "ana", "action": "close", "from": "solved", "to": "closed"}' \
	"the event: no rating, no text"
clean "store clean"
refused 65 "a closed ticket is not closed again" sd-close 1
like "$T/err" "^sd-close: SD-1: the ticket is closed; nothing changes it" "says it is final"

# Each rating 1-5; anything else is 64.
for r in 1 2 3 4; do
	new_ticket
	quiet sd-solve -m "Done" $made
	allowed "--rating $r" sd-close --rating $r $made
	is "$(jget $made '[d["rating"], d["events"][-1]["rating"]]')" "[$r, \"$r\"]" "rating $r, in the ticket and its event"
done
new_ticket
t=$made
quiet sd-solve -m "Done" $t
for r in 0 6 10 05 4.5 x ""; do
	usage_error "--rating '$r'" sd-close --rating "$r" $t
done
like "$T/err" "^sd-close: --rating: '' is not 1 to 5" "says what --rating takes"
usage_error "--rating with --reject" sd-close --rating 3 --reject -m "No" $t
usage_error "--dry-run without --auto" sd-close --dry-run $t
usage_error "--format without --auto" sd-close --format tsv $t
usage_error "-m empty" sd-close -m "" $t
usage_error "no ID" sd-close
usage_error "two IDs" sd-close $t 1
refused 77 "jorge (level 2) does not close" env SD_AGENT=jorge sd-close $t
refused 77 "an unknown agent" env SD_AGENT=nobody sd-close $t
mk assigned
refused 65 "an assigned ticket is not closed" sd-close $made
like "$T/err" "^sd-close: SD-$made: cannot close a ticket that is assigned" "says why"
clean "store clean"

# --reject -m REASON: rejected; close_reason is the reason's first line.
new_ticket
t=$made
export SD_NOW=2026-11-24T09:30:00-05:00
before=$(head_id)
allowed "--reject" sd-close --reject -m "$(printf 'Not ours: the building admin handles it\nExt. 1234')" $t
out_is "SD-$t" "prints the ID alone"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields $t status closed close_reason rating)" \
	"rejected|2026-11-24T09:30:00-05:00|Not ours: the building admin handles it|" \
	"rejected now; close_reason the first line"
is "$(last_event $t)" \
	"{\"at\": \"2026-11-24T09:30:00-05:00\", \"by\": \"ana\", \"action\": \"reject\", \"from\": \"new\", \"to\": \"rejected\", \"text\": \"Not ours: the building admin handles it\\nExt. 1234\"}" \
	"the event: the whole reason"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-$t: reject (new -> rejected)|SD-$t|reject" \
	"the commit"
# The clocks stop for good: no due dates any more.
is "$(fields $t due_response due_resolution)" "|" "no due dates once rejected"
refused 65 "a rejected ticket is not rejected again" sd-close --reject -m "No" $t
like "$T/err" "the ticket is rejected; nothing changes it" "says it is final"
# From assigned and reopened too; a first line of 1,200 bytes of "é" is
# cut to 1,000 bytes (500 characters), a tab becomes a space.
mk assigned
long=$(python3 -c 'print("é" * 600)')
allowed "--reject an assigned ticket, a long reason" sd-close --reject -m "$long" $made
is "$(fields $made close_reason)" "$(python3 -c 'print("é" * 500)')" "close_reason: 1,000 bytes, whole characters"
mk reopened
printf 'Duplicate\tof SD-1\nsee there\n' >"$T/tabbed"
allowed "--reject a reopened ticket, -F" sd-close --reject -F "$T/tabbed" $made
is "$(fields $made status close_reason)" "rejected|Duplicate of SD-1" "a tab becomes a space"
mk new
allowed "--reject, a CRLF reason" sd-close --reject -m "$(printf 'Duplicate\r\nof SD-1')" $made
is "$(fields $made close_reason)" "Duplicate" "close_reason: the first line, without its CR"
usage_error "--reject without a reason" sd-close --reject 1
usage_error "--reject -m empty" sd-close --reject -m "" 1
mk solved
refused 65 "a solved ticket is not rejected" sd-close --reject -m "No" $made
like "$T/err" "cannot reject a ticket that is solved" "says why"
mk escalated
refused 65 "an escalated ticket is not rejected" sd-close --reject -m "No" $made

# --auto, in a store of its own.  accept_window 48h and info_window 24h
# count wall-clock time.  Registered Monday 23 10:00:
#   SD-1 pending-info                     -> unmanaged after Tue 24 10:00
#   SD-2 solved Monday 10:00              -> closed after Wed 25 10:00
#   SD-3 pending-info, completed 10:30    (new: never)
#   SD-4 solved 10:00, reopened 11:00     (reopened: never)
#   SD-5 solved Monday 12:00              -> closed after Wed 25 12:00
#   SD-6 solved Monday 11:00              -> closed after Wed 25 11:00
#   SD-7 rejected                         (final: never)
mkstore "$T/auto"
export SD_NOW=2026-11-23T10:00:00-05:00
mk pending-info
mk solved
mk pending-info
quiet env SD_NOW=2026-11-23T10:30:00-05:00 sd-update 3 --email pedro@example.org
mk solved
quiet env SD_NOW=2026-11-23T11:00:00-05:00 SD_AGENT=luis sd-reopen -m "Still down" 4
mk assigned
quiet env SD_NOW=2026-11-23T12:00:00-05:00 sd-solve -m "Done" 5
mk assigned
quiet env SD_NOW=2026-11-23T11:00:00-05:00 sd-solve -m "Done" 6
mk rejected
is "$(for n in 1 2 3 4 5 6 7; do status_of $n; done | tr '\n' ' ')" \
	"pending-info solved new reopened solved solved rejected " "the auto store as planned"

auto_empty() {  # auto_empty WHEN: nothing due at WHEN, in any format
	before=$(head_id)
	expect 0 "$1: --auto" env SD_NOW=$2 sd-close --auto
	out_is "" "$1: nothing due, nothing printed (not even a header)"
	expect 0 "$1: --auto --format tsv" env SD_NOW=$2 sd-close --auto --format tsv
	is "$(cat "$T/out")" "$(printf 'id\tfrom\tto\treason')" "$1: tsv: the header alone"
	expect 0 "$1: --auto --format csv" env SD_NOW=$2 sd-close --auto --format csv
	out_bytes 'id,from,to,reason\r\n' "$1: csv: the header alone, CRLF"
	expect 0 "$1: --auto --format json" env SD_NOW=$2 sd-close --auto --format json
	is "$(python3 -c 'import json,sys; print(json.load(sys.stdin))' <"$T/out")" "[]" "$1: json: []"
	unchanged "$before" "$1"
}

auto_empty "Tuesday 09:59, a minute before info_window" 2026-11-24T09:59:00-05:00

# Tuesday 10:01: SD-1 is due.  --dry-run says so and changes nothing.
export SD_NOW=2026-11-24T10:01:00-05:00
table=$(printf '%s\n' 'ID    FROM          TO         REASON' \
	'SD-1  pending-info  unmanaged  no information in time')
before=$(head_id)
expect 0 "--auto --dry-run" sd-close --auto --dry-run
out_is "$table" "--dry-run: the row it would change, as a table"
expect 0 "--auto --dry-run --format tsv" sd-close --auto --dry-run --format tsv
is "$(cat "$T/out")" "$(printf 'id\tfrom\tto\treason\nSD-1\tpending-info\tunmanaged\tno information in time')" \
	"--dry-run --format tsv"
unchanged "$before" "--dry-run"
is "$(status_of 1)" "pending-info" "--dry-run: SD-1 still pending-info"
# It changes nothing: no agent needed; the run itself still needs one.
expect 0 "--auto --dry-run by no known agent" env SD_AGENT=nobody sd-close --auto --dry-run
out_is "$table" "--dry-run by no known agent: the same rows"
is "$(cat "$T/err")" "" "--dry-run by no known agent: nothing on stderr"
expect 77 "--auto by no known agent" env SD_AGENT=nobody sd-close --auto
like "$T/err" "^sd-close: .*nobody" "names the unknown agent"
one_line_error "$T/err" "one line"
unchanged "$before" "--dry-run and the refused run"

# The run itself, by marta: any known agent may.
expect 0 "--auto at Tuesday 10:01" env SD_AGENT=marta sd-close --auto
out_is "$table" "the row it changed, as a table"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 1 status close_reason updated)" \
	"unmanaged|no information in time|2026-11-24T10:01:00-05:00" "SD-1 unmanaged, and why"
is "$(last_event 1)" \
	'{"at": "2026-11-24T10:01:00-05:00", "by": "marta", "action": "unmanaged", "from": "pending-info", "to": "unmanaged", "text": "no information in time"}' \
	"the unmanaged event"
is "$(commit_info)" "Marta Ríos <marta.rios@example.org>|SD-1: unmanaged (pending-info -> unmanaged)|SD-1|unmanaged" \
	"the commit: marta's, action unmanaged"
is "$(for n in 2 3 4 5 6 7; do status_of $n; done | tr '\n' ' ')" \
	"solved new reopened solved solved rejected " "nothing else changed"

auto_empty "Tuesday 10:01 again (idempotent)" 2026-11-24T10:01:00-05:00
auto_empty "Wednesday 09:59, a minute before accept_window" 2026-11-25T09:59:00-05:00

# Wednesday 10:01: SD-2 is due.
export SD_NOW=2026-11-25T10:01:00-05:00
before=$(head_id)
expect 0 "--auto --format tsv at Wednesday 10:01" sd-close --auto --format tsv
out_is "$(printf 'id\tfrom\tto\treason\nSD-2\tsolved\tclosed\taccepted: no answer in time')" \
	"tsv: the header and SD-2's row"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 2 status closed close_reason rating)" \
	"closed|2026-11-25T10:01:00-05:00|accepted: no answer in time|" "SD-2 closed, and why"
is "$(last_event 2)" \
	'{"at": "2026-11-25T10:01:00-05:00", "by": "ana", "action": "auto-close", "from": "solved", "to": "closed", "text": "accepted: no answer in time"}' \
	"the auto-close event"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-2: auto-close (solved -> closed)|SD-2|auto-close" \
	"the commit: action auto-close"

auto_empty "Wednesday 10:59, a minute before SD-6's window" 2026-11-25T10:59:00-05:00

# Wednesday 12:01: SD-5 and SD-6, one commit each.
export SD_NOW=2026-11-25T12:01:00-05:00
before=$(head_id)
expect 0 "--auto --format json at Wednesday 12:01" sd-close --auto --format json
is "$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))' <"$T/out")" \
	'[{"id": "SD-5", "from": "solved", "to": "closed", "reason": "accepted: no answer in time"}, {"id": "SD-6", "from": "solved", "to": "closed", "reason": "accepted: no answer in time"}]' \
	"json: an array of the two rows"
clean "store clean"
is "$(sgit rev-parse HEAD~2)" "$before" "two commits"
is "$(sgit log -2 --format='%s|%(trailers:key=Ticket,valueonly,separator=%x2C)|%(trailers:key=Action,valueonly,separator=%x2C)' | sort)" \
	"$(printf '%s\n' 'SD-5: auto-close (solved -> closed)|SD-5|auto-close' \
		'SD-6: auto-close (solved -> closed)|SD-6|auto-close')" \
	"one commit per ticket, one Ticket trailer each"
is "$(for n in 1 2 3 4 5 6 7; do status_of $n; done | tr '\n' ' ')" \
	"unmanaged closed new reopened closed closed rejected " "the new, reopened and rejected ones stay"
auto_empty "Wednesday 12:01 again (idempotent)" 2026-11-25T12:01:00-05:00

# Wall-clock windows over a weekend: SD-8 solved Friday 27 16:00 closes
# after Sunday 29 16:00 (48 h, not business hours); SD-9, pending-info
# since Friday 17:30, is unmanaged after Saturday 28 17:30.
export SD_NOW=2026-11-27T16:00:00-05:00
mk solved
export SD_NOW=2026-11-27T17:30:00-05:00
mk pending-info
auto_empty "Saturday 17:29" 2026-11-28T17:29:00-05:00
expect 0 "--auto --format csv at Saturday 17:31" env SD_NOW=2026-11-28T17:31:00-05:00 sd-close --auto --format csv
out_bytes 'id,from,to,reason\r\nSD-9,pending-info,unmanaged,no information in time\r\n' "csv: SD-9's row"
auto_empty "Sunday 15:59" 2026-11-29T15:59:00-05:00
expect 0 "--auto --format csv at Sunday 16:01" env SD_NOW=2026-11-29T16:01:00-05:00 sd-close --auto --format csv
out_bytes 'id,from,to,reason\r\nSD-8,solved,closed,accepted: no answer in time\r\n' "csv: SD-8's row"
is "$(status_of 8)|$(status_of 9)" "closed|unmanaged" "SD-8 closed, SD-9 unmanaged"
clean "store clean"

# The window to the minute, wall clock (the default 24h): SD-10, pending-info
# since Friday 4 December 18:00, is due at Saturday 5 18:00 exactly, not
# a minute before.
export SD_NOW=2026-12-04T18:00:00-05:00
mk pending-info
auto_empty "Saturday 17:59, a minute before 24 h" 2026-12-05T17:59:00-05:00
expect 0 "--auto --format tsv at Saturday 18:00" env SD_NOW=2026-12-05T18:00:00-05:00 sd-close --auto --format tsv
is "$(cat "$T/out")" "$(printf 'id\tfrom\tto\treason\nSD-10\tpending-info\tunmanaged\tno information in time')" \
	"24 h to the minute: SD-10 unmanaged"
clean "store clean"

# info_window in business days, on the store's calendar (Mon-Fri
# 07:30-17:00, holiday Tuesday 8 December): SD-1, pending-info since
# Friday 4 December 18:00 (after hours), counts from the next opening,
# Monday 7 07:30: three business days are Monday 7, Wednesday 9 and
# Thursday 10 (the holiday skipped), used up at Thursday 10 17:00, the
# closing time.  Not on Saturday at 18:00 (24 wall-clock hours), not on
# Wednesday (three days by the wall clock), not at Thursday 16:59.
mkstore "$T/bdays"
edit_config sd.ini 's/^info_window = .*/info_window = 3bd/'
grep -q '^info_window = 3bd$' "$SD_STORE/sd.ini" || bail "info_window is not 3bd"
export SD_NOW=2026-12-04T18:00:00-05:00
mk pending-info
auto_empty "3bd: Saturday 18:00" 2026-12-05T18:00:00-05:00
auto_empty "3bd: Monday 18:00" 2026-12-07T18:00:00-05:00
auto_empty "3bd: Wednesday 9 17:00" 2026-12-09T17:00:00-05:00
auto_empty "3bd: Thursday 10 16:59" 2026-12-10T16:59:00-05:00
expect 0 "3bd: --auto at Thursday 10 17:00" env SD_NOW=2026-12-10T17:00:00-05:00 sd-close --auto --format tsv
is "$(cat "$T/out")" "$(printf 'id\tfrom\tto\treason\nSD-1\tpending-info\tunmanaged\tno information in time')" \
	"3bd: SD-1 unmanaged at the close of the third business day"
is "$(fields 1 status updated)" "unmanaged|2026-12-10T17:00:00-05:00" "SD-1 unmanaged then"
clean "store clean"
# In business hours: SD-2, pending-info since Wednesday 9 10:00, is due
# three business days on at the same time, Monday 14 10:00 (Thursday 10,
# Friday 11, and the weekend skipped).
export SD_NOW=2026-12-09T10:00:00-05:00
mk pending-info
auto_empty "3bd from Wednesday 10:00: Saturday 12 10:00" 2026-12-12T10:00:00-05:00
auto_empty "3bd from Wednesday 10:00: Monday 14 09:59" 2026-12-14T09:59:00-05:00
expect 0 "3bd: --auto at Monday 14 10:00" env SD_NOW=2026-12-14T10:00:00-05:00 sd-close --auto --format tsv
is "$(cat "$T/out")" "$(printf 'id\tfrom\tto\treason\nSD-2\tpending-info\tunmanaged\tno information in time')" \
	"3bd: SD-2 unmanaged at Monday 14 10:00"
# A business-hours window: 9bh from Friday 18:00 is Monday 7 16:30.
edit_config sd.ini 's/^info_window = .*/info_window = 9bh/'
export SD_NOW=2026-12-11T18:00:00-05:00
mk pending-info
auto_empty "9bh: Monday 14 16:29" 2026-12-14T16:29:00-05:00
expect 0 "9bh: --auto at Monday 14 16:30" env SD_NOW=2026-12-14T16:30:00-05:00 sd-close --auto --format tsv
is "$(cat "$T/out")" "$(printf 'id\tfrom\tto\treason\nSD-3\tpending-info\tunmanaged\tno information in time')" \
	"9bh: SD-3 unmanaged after nine business hours"
clean "store clean"
# A pending-info ticket that owes nothing of the requester's any more (here
# sd.ini stopped requiring the email; or one left pending-info for its
# category alone before the desk's keys stopped holding tickets) waits on
# the desk: --auto never leaves it unmanaged; an update moves it to new.
export SD_NOW=2026-12-14T09:00:00-05:00
mk pending-info
edit_config sd.ini 's/^required = .*/required = category/'
auto_empty "owing the requester nothing, days past 9bh" 2026-12-18T09:00:00-05:00
is "$(status_of 4)" "pending-info" "SD-4 still pending-info"
expect 0 "an update" env SD_NOW=2026-12-18T09:00:00-05:00 sd-update 4 --urgency high
is "$(status_of 4)" "new" "the update moves it to new"

# --auto: its usage.
usage_error "--auto with an ID" sd-close --auto 3
usage_error "--auto with -m" sd-close --auto -m "x"
usage_error "--auto with --rating" sd-close --auto --rating 3
usage_error "--auto with --reject" sd-close --auto --reject
usage_error "--auto --format bogus" sd-close --auto --format bogus
refused 77 "--auto by an unknown agent" env SD_AGENT=nobody sd-close --auto

# A ticket file that does not parse does not stop the others (STYLE: a
# command working through many tickets goes on past one bad ticket and
# returns the worst status it met).  A store of its own: SD-1, solved
# Monday 30 10:00, closes on Wednesday 2 10:01 all the same; SD-2 is
# planted broken; the run ends with 65, naming the bad file (SPEC 4: "A
# file that does not parse is reported with its path and line").
mkstore "$T/broken"
export SD_NOW=2026-11-30T10:00:00-05:00
mk solved
printf '[ticket]\nid = SD-2\nstatus = bogus\n' >"$SD_STORE/tickets/000/SD-2.ini"
forge "plant a broken ticket" tickets/000/SD-2.ini
expect 65 "--auto past a broken ticket: 65" env SD_NOW=2026-12-02T10:01:00-05:00 sd-close --auto --format tsv
is "$(cat "$T/out")" "$(printf 'id\tfrom\tto\treason\nSD-1\tsolved\tclosed\taccepted: no answer in time')" \
	"the others are closed all the same"
is "$(status_of 1)" "closed" "SD-1 closed"
# The message names the file (and the line), as SPEC 4 asks of a file
# that does not parse.
like "$T/err" "SD-2" "the message names the broken ticket"
clean "store clean"
done_testing
