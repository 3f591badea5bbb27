#!/bin/sh
# Clocks by status, group and priority: named calendars in sd.ini, picked
# by sla.ini per priority and by agents.ini per group, the statuses that
# stop each clock, their errors (78, file and line), and sd-show, sd-sla,
# sd-edit and sd-fsck with them.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
mkeditor
export EDITOR="$T/editor" SD_AGENT=carmen SD_NOW=2026-11-27T12:00:00-05:00
before=$(head_id)

# Errors: one line, the file and line, exit 78, nothing changed.
line=$(($(grep -n '^\[lifecycle\]$' "$SD_STORE/sd.ini" | cut -d: -f1) + 1))
SD_SED='/^\[lifecycle\]$/a response_stops = pending-info, waiting' \
	expect 78 "an unknown status in response_stops" sd-edit sd.ini
one_line_error "$T/err" "one line on stderr"
like "$T/err" "^sd-edit: sd\.ini: draft line $line: response_stops: 'waiting' is not a status\$" \
	"names the file, line, key and status"
SD_SED='/^\[lifecycle\]$/a resolution_stops = solved, Suspended' \
	expect 78 "a status in the wrong case in resolution_stops" sd-edit sd.ini
like "$T/err" "sd\.ini: draft line $line: resolution_stops: 'Suspended' is not a status\$" "names it"
line=$(($(wc -l <"$SD_STORE/sd.ini") + 1))
SD_SED='$a [calendar night]\nzone = Europe/Madrid' \
	expect 78 "a named calendar with no hours" sd-edit sd.ini
like "$T/err" "sd\.ini: draft line $line: \[calendar night\] has no business hours\$" "names it and its line"
SD_SED='$a [calendar default]\nmon = 08:00-17:00' \
	expect 78 "[calendar default]: the name is [calendar]'s" sd-edit sd.ini
like "$T/err" "sd\.ini: draft line $line: 'default' is not a valid calendar name\$" "says so"
SD_SED='$a [calendar 24x7]\nmon = 00:00-24:00\nzone = Mars/Olympus' \
	expect 78 "a named calendar in an unknown zone" sd-edit sd.ini
like "$T/err" "sd\.ini: draft line $((line + 2)): " "names the zone's line"
line=$(($(grep -n '^\[incident\]$' "$SD_STORE/sla.ini" | cut -d: -f1) + 1))
SD_SED='/^\[incident\]$/a calendar.1 = nightly' \
	expect 78 "sla.ini naming an unknown calendar" sd-edit sla.ini
one_line_error "$T/err" "one line on stderr"
like "$T/err" "sla\.ini: draft line $line: calendar\.1: unknown calendar 'nightly' \(sd\.ini has no \[calendar nightly\]\)\$" \
	"names the file, line and calendar"
line=$(($(grep -n '^\[group telco\]$' "$SD_STORE/agents.ini" | cut -d: -f1) + 1))
SD_SED='/^\[group telco\]$/a calendar = 24x7' \
	expect 78 "agents.ini naming an unknown calendar" sd-edit agents.ini
like "$T/err" "agents\.ini: draft line $line: calendar: unknown calendar '24x7'" "names the file, line and calendar"
unchanged "$before" "after the refused edits"

# A provider's calendar, open round the clock; priority-1 incidents count
# on it, and so does every ticket while it is with telco.
SD_SED='$a [calendar 24x7]\nmon = 00:00-24:00\ntue = 00:00-24:00\nwed = 00:00-24:00\nthu = 00:00-24:00\nfri = 00:00-24:00\nsat = 00:00-24:00\nsun = 00:00-24:00' \
	expect 0 "[calendar 24x7] added" sd-edit sd.ini
SD_SED='/^\[incident\]$/a calendar.1 = 24x7' expect 0 "sla.ini: priority 1 on it" sd-edit sla.ini
SD_SED='/^\[group telco\]$/a calendar = 24x7' expect 0 "agents.ini: telco on it" sd-edit agents.ini
is "$(ini_get "$SD_STORE/agents.ini" "group telco" calendar)" "24x7" "the group names it"

# Saturday 2026-11-28 10:00, the desk closed (Mon-Fri 07:30-17:00).
# SD-1, priority 1: 1bh and 4bh on 24x7, 11:00 and 14:00 the same day.
# SD-2, priority 3 on [calendar]: Monday 08:30; 3bd is Thursday 07:30's
# 28.5 business hours, used up by Wednesday's closing, 17:00.
step 2026-11-28T10:00:00-05:00 ana sd-new -t incident -s "Link down" -r Eva -c network/internet \
	--email eva@example.org -u high -i high
step 2026-11-28T10:00:00-05:00 ana sd-new -t incident -s "Slow link" -r Eva -c network/internet \
	--email eva@example.org
is "$(fields SD-1 priority due_response due_resolution)" \
	"1|2026-11-28T11:00:00-05:00|2026-11-28T14:00:00-05:00" "SD-1: a Saturday's hours"
is "$(fields SD-2 priority due_response due_resolution)" \
	"3|2026-11-30T08:30:00-05:00|2026-12-02T17:00:00-05:00" "SD-2: the desk's hours"
SD_NOW=2026-11-28T10:51:00-05:00 expect 1 "sd-sla on Saturday 10:51: SD-1 at risk" sd-sla --format tsv
is "$(sed -n 2p "$T/out" | cut -f1-5)" \
	"$(printf 'SD-1\tresponse\tat-risk\t2026-11-28T11:00:00-05:00\t85')" "85 % of its hour"
is "$(wc -l <"$T/out")" 2 "SD-2's clocks have not started"
SD_NOW=2026-11-28T14:30:00-05:00 expect 2 "at 14:30 both of SD-1's are breached" sd-sla --format tsv
is "$(cut -f1-5 "$T/out" | sed 1d | tr '\t\n' ' |')" \
	"SD-1 response breached 2026-11-28T11:00:00-05:00 450|SD-1 resolution breached 2026-11-28T14:00:00-05:00 112|" \
	"4.5 of 1 hour, 4.5 of 4"

# SD-3, priority 3, Monday 2026-11-30 15:00 at the desk; to network at
# 16:00, to telco on Tuesday 09:00.  3bd is Thursday 15:00's 28.5
# business hours: 3.5 by Tuesday 09:00 on [calendar], 25 on 24x7 from
# there: Wednesday 10:00.
step 2026-11-30T15:00:00-05:00 ana sd-new -t incident -s "No signal" -r Eva -c network/internet \
	--email eva@example.org
step 2026-11-30T16:00:00-05:00 ana sd-escalate -m "Not the LAN" 3
step 2026-12-01T09:00:00-05:00 jorge sd-escalate -m "The carrier's" 3
is "$(fields SD-3 status group due_response due_resolution)" \
	"provider|telco|2026-11-30T16:00:00-05:00|2026-12-02T10:00:00-05:00" \
	"SD-3: the desk's hours, then the provider's"
SD_NOW=2026-12-02T08:00:00-05:00 expect 2 "sd-sla on Wednesday 08:00" sd-sla --format tsv
like "$T/out" "^SD-3	resolution	at-risk	2026-12-02T10:00:00-05:00	92	telco	" \
	"SD-3: 26.5 of 28.5 hours, due at 10:00"
SD_NOW=2026-12-02T08:00:00-05:00 expect 0 "sd-show SD-3" sd-show SD-3
like "$T/out" "2026-12-02T10:00:00-05:00" "sd-show gives the due date"
expect 0 "sd-fsck: the due dates are the clock's" sd-fsck
is "$(cat "$T/out")" "" "no finding"

# The provider's time is not the desk's: provider added to
# resolution_stops, sd-edit carries SD-3's due date (now unknown) in its
# commit, and SD-1's, SD-2's stay.
before=$(head_id)
SD_NOW=2026-12-02T08:00:00-05:00 \
SD_SED='/^\[lifecycle\]$/a resolution_stops = pending-info, suspended, provider' \
	expect 0 "provider stops the resolution clock" sd-edit sd.ini
is "$(fields SD-3 due_resolution)" "" "SD-3: stopped since Tuesday 09:00"
is "$(sgit show --name-only --format= HEAD | tr '\n' ' ')" "sd.ini tickets/000/SD-3.ini " \
	"one commit: sd.ini and SD-3"
SD_NOW=2026-12-02T08:00:00-05:00 expect 2 "sd-sla: SD-3 at 3.5 of 28.5 hours" sd-sla --format tsv
is "$(grep -c '^SD-3	resolution' "$T/out")" 0 "no resolution finding for SD-3"
expect 0 "sd-fsck finds the store sound" sd-fsck
is "$(cat "$T/out")" "" "and says nothing"
clean "store clean"
expect 0 "the hook passes the edit" sd-fsck --commits "$before..HEAD"

# A group's calendar changed with git alone, the due dates left: the
# check refuses it (agents.ini moves clocks too), naming SD-3 alone.
base=$(head_id)
sgit show HEAD:agents.ini | sed 's/^calendar = 24x7$/calendar = default/' >"$T/agents"
sgit show HEAD:sd.ini | sed '/^resolution_stops = /d' >"$T/sdini"
rm -f "$T/idx2"
GIT_INDEX_FILE=$T/idx2 sgit read-tree "$base"
GIT_INDEX_FILE=$T/idx2 sgit update-index --cacheinfo "100644,$(sgit hash-object -w -- "$T/agents"),agents.ini"
GIT_INDEX_FILE=$T/idx2 sgit update-index --cacheinfo "100644,$(sgit hash-object -w -- "$T/sdini"),sd.ini"
c=$(GIT_AUTHOR_NAME=Carmen GIT_AUTHOR_EMAIL=carmen.vargas@example.org \
	GIT_COMMITTER_NAME=Carmen GIT_COMMITTER_EMAIL=carmen.vargas@example.org \
	sgit commit-tree -p "$base" -m "agents.ini: edit" -m "Action: edit" \
	"$(GIT_INDEX_FILE=$T/idx2 sgit write-tree)")
expect 65 "telco back on [calendar], its due dates left stale" sd-fsck --commits "$base..$c"
like "$T/out" "^tickets/000/SD-3\.ini: commit [0-9a-f]*: due_resolution is '', the clock says '2026-12-03T15:00:00-05:00' under this commit's configuration\$" \
	"SD-3 named: 28.5 hours on [calendar] from Monday 15:00"
is "$(grep -c 'SD-[12]\.ini' "$T/out")" 0 "SD-1 and SD-2 not: their clocks do not move"

# A request waits for approvals from Thursday 2026-12-03 10:00: its
# response clock stops (response_stops by default), its resolution clock
# runs: 5bd is Friday 11 10:00 (Tuesday 8 a holiday).  All approved on
# Friday 4 at 09:00: 2bh on, 11:00.
step 2026-12-03T10:00:00-05:00 ana sd-new -t request -s "Account for Eva" -r Eva -c access/account \
	--email eva@example.org
is "$(fields SD-4 status due_response due_resolution)" \
	"awaiting-approval||2026-12-11T10:00:00-05:00" "SD-4: no response due while it waits"
step 2026-12-03T12:00:00-05:00 carmen sd-approve --role boss 4
is "$(fields SD-4 due_response)" "" "still none after one approval of two"
step 2026-12-04T09:00:00-05:00 raul sd-approve --role risk 4
is "$(fields SD-4 status due_response due_resolution)" \
	"new|2026-12-04T11:00:00-05:00|2026-12-11T10:00:00-05:00" "SD-4: 2bh from the last approval"
SD_NOW=2026-12-04T10:36:00-05:00 expect 2 "sd-sla at 10:36" sd-sla --format tsv
like "$T/out" "^SD-4	response	at-risk	2026-12-04T11:00:00-05:00	80	" "SD-4: 96 of 120 minutes"

# sd-report measures on the same calendars: SD-5, priority 1, Saturday
# 2026-12-05 10:00, assigned at 10:30 and solved at 15:00, took 30 and
# 300 minutes of 24x7 (none of the desk's): its 4bh target missed.
step 2026-12-05T10:00:00-05:00 ana sd-new -t incident -s "Core down" -r Eva -c network/internet \
	--email eva@example.org -u high -i high
step 2026-12-05T10:30:00-05:00 ana sd-assign 5 --me
step 2026-12-05T15:00:00-05:00 ana sd-solve 5 -m "Card replaced."
SD_NOW=2026-12-05T15:00:00-05:00 expect 0 "sd-report on the solved" \
	sd-report --format tsv --by priority --status solved
is "$(sed -n 2p "$T/out" | cut -f1,2,7-11)" "$(printf '1\t1\t100.0\t0.0\t30\t30\t300')" \
	"priority 1: response met in 30 minutes, resolution missed in 300"

# The desk on 24x7 too, with sd-edit agents.ini: the commit carries the
# due dates it moves.  SD-2 (Saturday 10:00): 1bh, 11:00; 3bd of 24x7,
# Tuesday 10:00.  SD-4: the response as it was; 5bd of 24x7 from
# Thursday 10:00, Tuesday 8 10:00 (no holiday on 24x7).  SD-1, SD-3 and
# SD-5 keep theirs.
before=$(head_id)
SD_NOW=2026-12-05T16:00:00-05:00 SD_SED='/^\[group desk\]$/a calendar = 24x7' \
	expect 0 "the desk's group on 24x7" sd-edit agents.ini
is "$(fields SD-2 due_response due_resolution)" \
	"2026-11-28T11:00:00-05:00|2026-12-01T10:00:00-05:00" "SD-2 on 24x7"
is "$(fields SD-4 due_response due_resolution)" \
	"2026-12-04T11:00:00-05:00|2026-12-08T10:00:00-05:00" "SD-4 on 24x7"
is "$(sgit show --name-only --format= HEAD | tr '\n' ' ')" \
	"agents.ini tickets/000/SD-2.ini tickets/000/SD-4.ini " "one commit: agents.ini, SD-2 and SD-4"
expect 0 "the hook passes it" sd-fsck --commits "$before..HEAD"
expect 0 "sd-fsck finds the store sound" sd-fsck
is "$(cat "$T/out")" "" "and says nothing"
done_testing
