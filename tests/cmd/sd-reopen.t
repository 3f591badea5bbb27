#!/bin/sh
# sd-reopen: the requester is not satisfied with a solved ticket; it goes
# back to whoever solved it last, `solved` and `resolution` emptied, the
# reopened counter up.  A closed ticket is never reopened.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

# SD-1: priority 3, Monday 23 10:00 (due_resolution Thursday 26 10:00),
# assigned to luis, but solved by ana at 15:00: the assignee stays luis.
new_ticket
quiet sd-assign 1 luis
quiet env SD_NOW=2026-11-23T15:00:00-05:00 sd-solve -m "Cache cleared" 1
is "$(fields 1 status assignee solved resolution reopened)" \
	"solved|luis|2026-11-23T15:00:00-05:00|solved|0" "SD-1 solved by ana, luis's"
std_cli sd-reopen -m "Still down" 1
id_errors sd-reopen -m "Still down" ID

# Tuesday 09:00: reopened by luis; it goes back to ana, its solver.
export SD_NOW=2026-11-24T09:00:00-05:00 SD_AGENT=luis
before=$(head_id)
allowed "reopen SD-1" sd-reopen -m "Still fails from home" 1
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 1 status assignee solved resolution reopened updated)" \
	"reopened|ana|||1|2026-11-24T09:00:00-05:00" \
	"reopened, back to ana (the last solver), solved and resolution emptied, counted"
# The resolution clock runs again from created, never stopped: Thursday
# 10:00, as registered.
is "$(fields 1 due_response due_resolution responded)" \
	"2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00|2026-11-23T10:00:00-05:00" \
	"the due dates as registered; responded stays"
is "$(last_event 1)" \
	'{"at": "2026-11-24T09:00:00-05:00", "by": "luis", "action": "reopen", "from": "solved", "to": "reopened", "text": "Still fails from home"}' \
	"the event: from, to and the reason"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: reopen (solved -> reopened)|SD-1|reopen" \
	"the commit"
refused 65 "a reopened ticket is not reopened again" sd-reopen -m "Again" 1
like "$T/err" "^sd-reopen: SD-1: cannot reopen a ticket that is reopened" "says why"

# Luis takes it and solves it at 10:00; reopened again at 11:00 by ana,
# it goes back to luis, the last solver now; counted twice.
export SD_NOW=2026-11-24T10:00:00-05:00
quiet sd-assign --me 1
quiet sd-solve -m "VPN profile rebuilt" 1
is "$(fields 1 status solved)" "solved|2026-11-24T10:00:00-05:00" "solved again, at 10:00"
export SD_NOW=2026-11-24T11:00:00-05:00 SD_AGENT=ana
printf 'Works on wifi,\nnot on cable\n' >"$T/reason"
allowed "reopen SD-1 again, -F FILE" sd-reopen -F "$T/reason" 1
is "$(fields 1 status assignee solved reopened)" "reopened|luis||2" "back to luis; reopened twice"
jget 1 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/reason" "$T/got"; echo $?) "the reason is the file's, byte for byte"
clean "store clean"

# A ticket solved in network goes back to its solver there (jorge); the
# desk reopens it (reopen is the desk's, in any group).
export SD_NOW=2026-11-23T10:00:00-05:00
new_ticket
quiet sd-escalate -m "Tunnel" 2
quiet env SD_AGENT=jorge sd-assign --me 2
quiet env SD_AGENT=jorge sd-solve -m "Tunnel rebuilt" 2
allowed "ana reopens a network ticket" sd-reopen -m "Still down" 2
is "$(fields 2 status assignee group level reopened)" "reopened|jorge|network|2|1" \
	"back to jorge, still in network"
allowed "jorge solves it again" env SD_AGENT=jorge sd-solve -m "Router replaced" 2
clean "store clean"

# Texts and options: 64.
usage_error "-m missing" sd-reopen 2
usage_error "-m empty" sd-reopen -m "" 2
usage_error "-F empty" sd-reopen -F /dev/null 2
usage_error "no ID" sd-reopen -m x
usage_error "two IDs" sd-reopen -m x 2 1

# Refusals and illegal moves.
refused 77 "jorge (level 2) does not reopen" env SD_AGENT=jorge sd-reopen -m x 2
refused 77 "an unknown agent" env SD_AGENT=nobody sd-reopen -m x 2
mk assigned
refused 65 "an assigned ticket is not reopened" sd-reopen -m x $made
mk rejected
refused 65 "a rejected ticket is not reopened" sd-reopen -m x $made
like "$T/err" "the ticket is rejected; nothing changes it" "says it is final"
mk unmanaged
refused 65 "an unmanaged ticket is not reopened" sd-reopen -m x $made

# A closed ticket is never reopened: 65, and a new ticket with --related.
export SD_NOW=2026-11-25T09:00:00-05:00
quiet sd-close 2
refused 65 "a closed ticket is never reopened" sd-reopen -m "Down again" 2
like "$T/err" "^sd-reopen: SD-2: a closed ticket is never reopened: register a new ticket with --related" \
	"says to register a new ticket with --related"
is "$(fields 2 status reopened)" "closed|1" "still closed"
export SD_NOW=2026-11-25T10:00:00-05:00
allowed "the new ticket, --related SD-2" sd-new -t incident -s "VPN down again" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org --related SD-2
new=$(cat "$T/out")
is "$(fields "$new" status related)" "new|SD-2" "$new: new, related to SD-2"
is "$(fields 2 status related)" "closed|$new" "SD-2 closed, related to $new"
# SPEC 10: a link is the one change a final ticket accepts: it adds to
# `related` and nothing else - sd-new's link back included (it once also
# set `updated` and added a link event; fixed in a4cde3b).
is "$(sgit diff -U0 HEAD~1 HEAD -- tickets/000/SD-2.ini | grep '^[-+][^-+]')" \
	"$(printf '%s\n' '-related =' "+related = $new")" \
	"the closed SD-2 gains related and nothing else"
clean "store clean"
done_testing
