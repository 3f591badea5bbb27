#!/bin/sh
# sd-assign: give a ticket to an agent of its group; the first assignment
# sets `responded` and so stops the response clock.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

# SD-1: incident medium/medium = priority 3, Monday 2026-11-23 10:00 (the
# calendar: Mon-Fri 07:30-17:00, -05:00).  Response 1bh -> 11:00;
# resolution 3bd -> Thursday 26 10:00.
new_ticket
is "$(fields 1 status due_response due_resolution responded)" \
	"new|2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00|" "SD-1 as registered"

std_cli sd-assign 1 luis
id_errors sd-assign ID luis

# ana gives it to luis at 10:20: the response, 40 minutes before it is due.
export SD_NOW=2026-11-23T10:20:00-05:00
before=$(head_id)
allowed "assign to luis" sd-assign 1 luis
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(fields 1 status assignee responded updated)" \
	"assigned|luis|2026-11-23T10:20:00-05:00|2026-11-23T10:20:00-05:00" \
	"assigned to luis; responded and updated now"
is "$(fields 1 due_response due_resolution)" "2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00" \
	"the due dates stay: the response clock stopped at 10:20, before 11:00"
is "$(last_event 1)" \
	'{"at": "2026-11-23T10:20:00-05:00", "by": "ana", "action": "assign", "from": "new", "to": "assigned", "assignee": "luis"}' \
	"an assign event: from, to, assignee"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-1: assign to luis|SD-1|assign" \
	"one commit by ana: subject, Ticket and Action trailers"
is "$(sgit rev-parse HEAD~1)" "$before" "exactly one commit"
is "$(sgit diff -U0 HEAD~1 HEAD | grep '^[-+][a-z]' | sort)" "$(printf '%s\n' \
	'+action = assign' '+assignee = luis' '+assignee = luis' '+at = 2026-11-23T10:20:00-05:00' \
	'+by = ana' '+from = new' '+responded = 2026-11-23T10:20:00-05:00' '+status = assigned' \
	'+to = assigned' '+updated = 2026-11-23T10:20:00-05:00' '-assignee =' '-responded =' \
	'-status = new' '-updated = 2026-11-23T10:00:00-05:00' | sort)" \
	"the file changes in status, assignee, responded, updated and a new event alone"

# --me, at 10:40: a reassignment keeps the first response; the status
# stays, so the event has no from/to.
export SD_NOW=2026-11-23T10:40:00-05:00
allowed "--me" sd-assign --me 1
out_is "SD-1" "prints the ID"
clean "store clean"
is "$(fields 1 status assignee responded updated)" \
	"assigned|ana|2026-11-23T10:20:00-05:00|2026-11-23T10:40:00-05:00" \
	"ana's now; responded is still the first assignment"
is "$(last_event 1)" \
	'{"at": "2026-11-23T10:40:00-05:00", "by": "ana", "action": "assign", "assignee": "ana"}' \
	"the event: no from/to when the status stays"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-1: assign to ana|SD-1|assign" "the commit"
allowed "--me after the ID" sd-assign 1 --me
is "$(fields 1 assignee)" "ana" "ana still (to herself again)"
allowed "sd-1, lower case" sd-assign sd-1 luis
out_is "SD-1" "prints the ID in its own form"

# A late first assignment: SD-2 registered 10:00, assigned 11:30, after
# due_response 11:00.  responded = 11:30; due_response does not move.
export SD_NOW=2026-11-23T10:00:00-05:00
new_ticket
# SD_NOW in UTC: 16:30Z is 11:30 in the store's zone (-05:00), as written.
export SD_NOW=2026-11-23T16:30:00Z
allowed "a late assignment" env SD_AGENT=luis sd-assign SD-2 luis
is "$(fields 2 responded due_response)" "2026-11-23T11:30:00-05:00|2026-11-23T11:00:00-05:00" \
	"responded 11:30 (-05:00), past due_response 11:00, which stays"
is "$(sgit log -1 --format='%an|%s')" "Luis Pérez|SD-2: assign to luis" "luis's commit"

# An escalated ticket that nobody took: jorge (network) takes it; the
# first assignment, at 13:00, is its response.
export SD_NOW=2026-11-23T10:00:00-05:00
new_ticket
quiet sd-escalate -m "Tunnel drops" 3
is "$(fields 3 status group responded)" "escalated|network|" "SD-3 escalated to network, no response yet"
export SD_NOW=2026-11-23T13:00:00-05:00
allowed "jorge takes SD-3" env SD_AGENT=jorge sd-assign --me 3
is "$(fields 3 status assignee responded)" "assigned|jorge|2026-11-23T13:00:00-05:00" \
	"assigned to jorge, responded 13:00"
is "$(last_event 3)" \
	'{"at": "2026-11-23T13:00:00-05:00", "by": "jorge", "action": "assign", "from": "escalated", "to": "assigned", "assignee": "jorge"}' \
	"from escalated to assigned"
clean "store clean"

# -C DIR, from elsewhere, with no SD_STORE.
store=$SD_STORE
allowed "-C DIR" elsewhere sd-assign -C "$store" 2 ana
out_is "SD-2" "prints the ID"
is "$(fields 2 assignee)" "ana" "-C DIR: SD-2 is ana's"

# Usage errors: 64, nothing changed.
usage_error "no argument" sd-assign
usage_error "an ID alone" sd-assign 1
usage_error "an AGENT and --me" sd-assign 1 luis --me
usage_error "two agents" sd-assign 1 luis ana

# Bad data, refusals, illegal moves.
refused 65 "an agent not in agents.ini" sd-assign 1 nobody
like "$T/err" "^sd-assign: SD-1: unknown agent 'nobody'" "names the agent"
refused 77 "an assignee outside the group" sd-assign 1 marta
like "$T/err" "^sd-assign: SD-1: marta is not in group desk" "says marta is not in desk"
refused 77 "an agent outside the group does not assign" env SD_AGENT=marta sd-assign 1 luis
refused 77 "an unknown acting agent" env SD_AGENT=nobody sd-assign 1 luis
quiet sd-solve -m "Router restarted" 1
refused 65 "a solved ticket is not assigned" sd-assign 1 luis
like "$T/err" "^sd-assign: SD-1: cannot assign a ticket that is solved" "says why"
quiet sd-close 1
refused 65 "nor a closed one" sd-assign 1 luis
done_testing
