#!/bin/sh
# sd-suspend and sd-resume: put a ticket on hold with a reason, the SLA
# clocks stopped, and take it off hold, back to the status it had; the due
# dates move out by exactly the business time stopped.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

# The calendar: Mon-Fri 07:30-17:00 (9.5 business hours a day), -05:00, no
# holiday between 2026-11-17 and 2026-12-07.  Incident response 1bh;
# resolution priority 3 = 3bd, priority 4 = 5bd.
#
# SD-1: incident, priority 3, registered Monday 23 10:00, assigned at once
# (responded 10:00).  due_response 11:00, due_resolution Thursday 26 10:00
# (3bd: the same time three business days later) = 28.5 business hours.
new_ticket
quiet sd-assign 1 luis
is "$(fields 1 due_response due_resolution responded)" \
	"2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00|2026-11-23T10:00:00-05:00" "SD-1 as registered"

std_cli sd-suspend -m "Wait" 1
std_cli sd-resume 1
id_errors sd-suspend -m "Wait" ID
id_errors sd-resume ID

# Suspended by luis on Monday 11:00.
export SD_NOW=2026-11-23T11:00:00-05:00 SD_AGENT=luis
before=$(head_id)
allowed "suspend SD-1" sd-suspend -m "Waiting for a spare part" 1
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 1 status assignee updated)" "suspended|luis|2026-11-23T11:00:00-05:00" \
	"suspended, still luis's"
# While the clock stands still there is no resolution due date (as for
# pending-info); the response clock had ended at 10:00, so its date stays.
is "$(fields 1 due_response due_resolution)" "2026-11-23T11:00:00-05:00|" \
	"stopped: no due_resolution; due_response stays"
is "$(last_event 1)" \
	'{"at": "2026-11-23T11:00:00-05:00", "by": "luis", "action": "suspend", "from": "assigned", "to": "suspended", "text": "Waiting for a spare part"}' \
	"the event: from, to and the reason"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: suspend (assigned -> suspended)|SD-1|suspend" \
	"the commit"
refused 65 "a suspended ticket is not suspended again" sd-suspend -m "Again" 1
like "$T/err" "^sd-suspend: SD-1: cannot suspend a ticket that is suspended" "says why"

# Resumed on Tuesday 11:00.  Stopped: Monday 11:00-17:00 = 6 h, Tuesday
# 07:30-11:00 = 3.5 h: 9.5 business hours, one business day.  Used before
# the stop: Monday 10:00-11:00 = 1 h; left 28.5 - 1 = 27.5 h from Tuesday
# 11:00: Tue 11:00-17:00 6 h (21.5 left), Wed 9.5 (12), Thu 9.5 (2.5),
# Fri 07:30 + 2.5 h = Friday 27 10:00 - Thursday 10:00 + one business day.
export SD_NOW=2026-11-24T11:00:00-05:00
before=$(head_id)
allowed "resume SD-1" sd-resume 1
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 1 status due_response due_resolution updated)" \
	"assigned|2026-11-23T11:00:00-05:00|2026-11-27T10:00:00-05:00|2026-11-24T11:00:00-05:00" \
	"back to assigned; due_resolution Friday 10:00; due_response stays"
is "$(last_event 1)" \
	'{"at": "2026-11-24T11:00:00-05:00", "by": "luis", "action": "resume", "from": "suspended", "to": "assigned"}' \
	"the event: from suspended to assigned, no text"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: resume (suspended -> assigned)|SD-1|resume" \
	"the commit"
refused 65 "an assigned ticket is not resumed" sd-resume 1
like "$T/err" "^sd-resume: SD-1: cannot resume a ticket that is assigned" "says why"

# SD-2: the same start; suspended Monday 11:00, resumed Monday 15:30:
# 4.5 h stopped.  Left 27.5 h from Monday 15:30: Mon 1.5 (26), Tue 9.5
# (16.5), Wed 9.5 (7), Thu 07:30 + 7 h = Thursday 14:30.
export SD_NOW=2026-11-23T10:00:00-05:00 SD_AGENT=ana
new_ticket
quiet sd-assign 2 ana
export SD_NOW=2026-11-23T11:00:00-05:00
# An -F FILE that is not there: cannot open input, 66 (sysexits EX_NOINPUT).
refused 66 "-F of a missing file" sd-suspend -F "$T/reason" 2
printf 'Requester on leave\nback at 15:30\n' >"$T/reason"
allowed "suspend SD-2, -F FILE" sd-suspend -F "$T/reason" 2
jget 2 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/reason" "$T/got"; echo $?) "the reason is the file's, byte for byte"
export SD_NOW=2026-11-23T15:30:00-05:00
allowed "resume SD-2 with -m" sd-resume -m "Requester back" 2
is "$(fields 2 status due_resolution)" "assigned|2026-11-26T14:30:00-05:00" \
	"4.5 h stopped: due Thursday 14:30"
is "$(last_event 2)" \
	'{"at": "2026-11-23T15:30:00-05:00", "by": "ana", "action": "resume", "from": "suspended", "to": "assigned", "text": "Requester back"}' \
	"the resume event keeps its text"
# A second stop adds up: Tuesday 09:00-10:00, 1 h: Thursday 15:30.
export SD_NOW=2026-11-24T09:00:00-05:00
allowed "suspend SD-2 again" sd-suspend -m "Power cut" 2
export SD_NOW=2026-11-24T10:00:00-05:00
allowed "resume SD-2 again" sd-resume 2
is "$(fields 2 status due_resolution)" "assigned|2026-11-26T15:30:00-05:00" \
	"two stops, 5.5 h: due Thursday 15:30"
clean "store clean"

# SD-3: priority 4 (low/low), 5bd = 47.5 h from Monday 23 10:00: due
# Monday 30 10:00.  Suspended Friday 27 16:00 (used: Mon 7 + Tue-Thu 28.5 +
# Fri 07:30-16:00 8.5 = 44 h, 3.5 h left); resumed Monday 30 08:30 (stopped:
# Fri 16:00-17:00 and Mon 07:30-08:30, 2 business hours, over a weekend):
# Monday 30 08:30 + 3.5 h = Monday 30 12:00.
export SD_NOW=2026-11-23T10:00:00-05:00
new_ticket -u low -i low
quiet sd-assign 3 luis
is "$(fields 3 priority due_resolution)" "4|2026-11-30T10:00:00-05:00" "SD-3: priority 4, due Monday 30 10:00"
export SD_NOW=2026-11-27T16:00:00-05:00
allowed "suspend SD-3 on Friday" sd-suspend -m "Weekend" 3
export SD_NOW=2026-11-30T08:30:00-05:00
allowed "resume SD-3 on Monday" sd-resume 3
is "$(fields 3 due_resolution)" "2026-11-30T12:00:00-05:00" "2 business hours over the weekend: Monday 12:00"

# SD-4: with the provider before any response.  Registered Monday 23
# 10:00, escalated to telco at once (provider, no response yet),
# suspended 10:30, resumed Tuesday 10:30: stopped Mon 10:30-17:00 6.5 h +
# Tue 07:30-10:30 3 h = 9.5 h.  Response: 0.5 h used, 0.5 h left from
# Tuesday 10:30 -> Tuesday 11:00.  Resolution: 28 h left from Tuesday
# 10:30: Tue 6.5 (21.5), Wed 9.5 (12), Thu 9.5 (2.5) -> Friday 10:00.
export SD_NOW=2026-11-23T10:00:00-05:00
new_ticket
quiet sd-escalate -m "Line down" --group telco 4
export SD_NOW=2026-11-23T10:30:00-05:00
allowed "telco suspends SD-4" env SD_AGENT=telco sd-suspend -m "Waiting for a permit" 4
is "$(fields 4 status due_response due_resolution responded)" "suspended|||" \
	"suspended before the response: both clocks stopped, no due dates"
is "$(last_event 4)" \
	'{"at": "2026-11-23T10:30:00-05:00", "by": "telco", "action": "suspend", "from": "provider", "to": "suspended", "text": "Waiting for a permit"}' \
	"from provider"
refused 77 "ana (desk) does not resume a telco ticket" sd-resume 4
like "$T/err" "^sd-resume: SD-4: ana: the ticket is in group telco, not one of yours" "says why"
export SD_NOW=2026-11-24T10:30:00-05:00
allowed "carmen (coordinator) resumes it" env SD_AGENT=carmen sd-resume 4
is "$(fields 4 status due_response due_resolution)" \
	"provider|2026-11-24T11:00:00-05:00|2026-11-27T10:00:00-05:00" \
	"back to provider; response due Tuesday 11:00, resolution Friday 10:00"
is "$(commit_info)" "Carmen Vargas <carmen.vargas@example.org>|SD-4: resume (suspended -> provider)|SD-4|resume" \
	"carmen's commit"
clean "store clean"

# Outside business hours nothing stops: SD-5, priority 3 (due Thursday
# 26 10:00), suspended Monday 17:30, resumed Tuesday 07:00: 0 business
# hours stopped, the due date stays.
export SD_NOW=2026-11-23T10:00:00-05:00
new_ticket
quiet sd-assign 5 ana
quiet env SD_NOW=2026-11-23T17:30:00-05:00 sd-suspend -m "Night" 5
allowed "resume SD-5 before opening" env SD_NOW=2026-11-24T07:00:00-05:00 sd-resume 5
is "$(fields 5 due_resolution)" "2026-11-26T10:00:00-05:00" "closed hours stopped: Thursday 10:00 still"
# Past due before the stop: SD-6, high/high = priority 1, 4bh -> Monday
# 14:00; suspended Monday 15:00, 5 h used, past due; resumed Tuesday 09:00:
# the due date stays Monday 14:00, the target having been used up.
new_ticket -u high -i high
quiet sd-assign 6 ana
is "$(fields 6 priority due_resolution)" "1|2026-11-23T14:00:00-05:00" "SD-6: priority 1, due Monday 14:00"
quiet env SD_NOW=2026-11-23T15:00:00-05:00 sd-suspend -m "Late" 6
is "$(fields 6 due_resolution)" "2026-11-23T14:00:00-05:00" "suspended past due: the due date stays"
allowed "resume SD-6" env SD_NOW=2026-11-24T09:00:00-05:00 sd-resume 6
is "$(fields 6 due_resolution)" "2026-11-23T14:00:00-05:00" "resumed: Monday 14:00 still"

# A response at the very instant of registration (a script that registers
# and assigns at once), then a suspension at that instant: the response
# clock had ended (0 minutes used), so due_response stays 11:00 (SPEC 10:
# "a stop after the response moves due_resolution, not due_response").
# The resolution clock: 28.5 h from the resumption, Tuesday 10:00, with
# one business day stopped: Friday 27 10:00.
export SD_NOW=2026-11-23T10:00:00-05:00
new_ticket
t=$made
quiet sd-assign $t ana
quiet sd-suspend -m "At once" $t
is "$(fields $t responded due_response)" "2026-11-23T10:00:00-05:00|2026-11-23T11:00:00-05:00" \
	"responded at registration, suspended at once: due_response stays"
allowed "resume it a day later" env SD_NOW=2026-11-24T10:00:00-05:00 sd-resume $t
is "$(fields $t due_response due_resolution)" "2026-11-23T11:00:00-05:00|2026-11-27T10:00:00-05:00" \
	"resumed: due_response 11:00, due_resolution Friday 10:00"

# A reopened ticket resumes as reopened.
export SD_NOW=2026-11-23T10:00:00-05:00
mk reopened
t=$made
allowed "suspend a reopened ticket" sd-suspend -m "Wait" $t
allowed "resume it" sd-resume $t
is "$(status_of $t)" "reopened" "back to reopened"

# Texts and options: 64.
usage_error "sd-suspend: -m missing" sd-suspend 2
usage_error "sd-suspend: -m empty" sd-suspend -m "" 2
usage_error "sd-suspend: no ID" sd-suspend -m x
usage_error "sd-suspend: two IDs" sd-suspend -m x 2 3
usage_error "sd-resume: -m empty" sd-resume -m "" 2
usage_error "sd-resume: no ID" sd-resume
usage_error "sd-resume: -m and -F" sd-resume -m x -F "$T/reason" 2

# Illegal moves and refusals.
quiet sd-escalate -m "Tunnel" 3
refused 65 "an escalated ticket is not suspended" sd-suspend -m x 3
like "$T/err" "cannot suspend a ticket that is escalated" "says why"
refused 77 "ana does not suspend a network ticket" sd-suspend -m x 4
refused 77 "marta does not suspend a desk ticket" env SD_AGENT=marta sd-suspend -m x 2
refused 77 "an unknown agent" env SD_AGENT=nobody sd-suspend -m x 2
quiet sd-solve -m "Done" 2
refused 65 "a solved ticket is not suspended" sd-suspend -m x 2
quiet sd-close 2
refused 65 "a closed ticket is not resumed" sd-resume 2
like "$T/err" "^sd-resume: SD-2: the ticket is closed; nothing changes it" "says it is final"
done_testing
