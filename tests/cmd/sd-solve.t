#!/bin/sh
# sd-solve: document the solution (the [solution] section), with a code
# (solved, workaround, unsolvable); status solved; `solved` stops the
# resolution clock, and `responded` is set when it is still empty.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

# SD-1: priority 3, Monday 23 10:00, assigned to luis at once.
new_ticket
quiet sd-assign 1 luis
std_cli sd-solve -m "Done" 1
id_errors sd-solve -m "Done" ID

# luis solves it at 14:00.
export SD_NOW=2026-11-23T14:00:00-05:00 SD_AGENT=luis
before=$(head_id)
allowed "solve SD-1" sd-solve -m "Router restarted" 1
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 1 status resolution solved responded updated assignee)" \
	"solved|solved|2026-11-23T14:00:00-05:00|2026-11-23T10:00:00-05:00|2026-11-23T14:00:00-05:00|luis" \
	"solved; code solved by default; solved now; responded stays"
is "$(fields 1 due_response due_resolution)" "2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00" \
	"the due dates stay"
is "$(sd-show --field solution 1)" "Router restarted" "sd-show --field solution"
is "$(jget 1 'd["solution"]')" "Router restarted" "json: solution"
is "$(sed -n '/^\[solution\]$/,/^$/p' "$SD_STORE/tickets/000/SD-1.ini")" \
	"$(printf '[solution]\ntext = Router restarted')" "the file's [solution] section"
is "$(last_event 1)" \
	'{"at": "2026-11-23T14:00:00-05:00", "by": "luis", "action": "solve", "from": "assigned", "to": "solved", "code": "solved", "text": "Router restarted"}' \
	"the event: from, to, code and the solution"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: solve (assigned -> solved)|SD-1|solve" \
	"the commit"
refused 65 "a solved ticket is not solved again" sd-solve -m "Again" 1
like "$T/err" "^sd-solve: SD-1: cannot solve a ticket that is solved" "says why"

# A new ticket solved on the spot (first contact): responded = solved =
# now, 10:45.
export SD_NOW=2026-11-23T10:00:00-05:00 SD_AGENT=ana
new_ticket
export SD_NOW=2026-11-23T10:45:00-05:00
allowed "solve a new ticket, --code workaround" sd-solve --code workaround -m "Use the web VPN" 2
out_is "SD-2" "prints the ID"
is "$(fields 2 status resolution responded solved assignee)" \
	"solved|workaround|2026-11-23T10:45:00-05:00|2026-11-23T10:45:00-05:00|ana" \
	"solved, workaround; responded set, as it was empty; the solver is the assignee"
is "$(last_event 2)" \
	'{"at": "2026-11-23T10:45:00-05:00", "by": "ana", "action": "solve", "from": "new", "to": "solved", "code": "workaround", "text": "Use the web VPN"}' \
	"the event's code"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-2: solve (new -> solved)|SD-2|solve" "the commit"
clean "store clean"

# --code unsolvable, from escalated, by jorge; a solution from a file with
# what could pass for structure, kept byte for byte.
new_ticket
quiet sd-escalate -m "Tunnel" 3
printf 'Tried:\r\n\n[event 9]\naction = close\n; no comment\n  indented, trailing  \n' >"$T/solution"
allowed "-F FILE, --code unsolvable" env SD_AGENT=jorge sd-solve --code unsolvable -F "$T/solution" 3
is "$(fields 3 status resolution group responded)" "solved|unsolvable|network|2026-11-23T10:45:00-05:00" \
	"solved, unsolvable, in network; responded set"
jget 3 'd["solution"]' >"$T/got"
ok $(cmp -s "$T/solution" "$T/got"; echo $?) "the solution is the file's, byte for byte"
jget 3 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/solution" "$T/got"; echo $?) "the event's text too"
is "$(nevents 3)" 3 "no event was made of the text: new, escalate, solve"
clean "store clean"

# From provider, by telco; from reopened, by luis: solved is the latest
# solve, the solution the latest.
new_ticket
quiet sd-escalate -m "Line down" --group telco 4
allowed "telco solves a provider ticket" env SD_AGENT=telco sd-solve -m "Line repaired" 4
is "$(last_event 4 | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["from"], e["to"], e["by"])')" \
	"provider solved telco" "from provider, by telco"
export SD_NOW=2026-11-24T09:00:00-05:00
quiet env SD_AGENT=luis sd-reopen -m "Still down" 1
is "$(fields 1 status solved resolution)" "reopened||" "SD-1 reopened: solved and resolution emptied"
export SD_NOW=2026-11-24T10:00:00-05:00
allowed "solve a reopened ticket" env SD_AGENT=luis sd-solve -m "Firmware updated" 1
is "$(fields 1 status solved resolution responded)" \
	"solved|2026-11-24T10:00:00-05:00|solved|2026-11-23T10:00:00-05:00" "solved is the latest solve"
is "$(sd-show --field solution 1)" "Firmware updated" "the latest solution"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: solve (reopened -> solved)|SD-1|solve" \
	"the commit"
clean "store clean"

# Texts and options: 64.
new_ticket
usage_error "-m missing" sd-solve 5
usage_error "-m empty" sd-solve -m "" 5
usage_error "-F empty file" sd-solve -F /dev/null 5
usage_error "--code bogus" sd-solve -m x --code bogus 5
like "$T/err" "^sd-solve: --code: 'bogus' is not solved, workaround, unsolvable or no-contact" "names the code"
usage_error "--code empty" sd-solve -m x --code "" 5
usage_error "--code Solved (case counts)" sd-solve -m x --code Solved 5
usage_error "no ID" sd-solve -m x
usage_error "two IDs" sd-solve -m x 5 2

# Bad data, refusals, illegal moves.
refused 65 "invalid UTF-8 in the solution" sd-solve -m "$(printf 'caf\351')" 5
refused 77 "marta does not solve a desk ticket" env SD_AGENT=marta sd-solve -m x 5
mk escalated
refused 77 "ana does not solve a network ticket" sd-solve -m x $made
refused 77 "an unknown agent" env SD_AGENT=nobody sd-solve -m x 5
mk pending-info
refused 65 "a pending-info ticket is not solved" sd-solve -m x $made
like "$T/err" "cannot solve a ticket that is pending-info" "says why"
quiet sd-close 2
refused 65 "a closed ticket is not solved" sd-solve -m x 2
like "$T/err" "^sd-solve: SD-2: the ticket is closed; nothing changes it" "says it is final"

# The solver becomes the assignee of a ticket that has none (the solve
# row's "assignee actor"), so per-agent figures credit them; one who may
# not hold it (not in its group, under group_scope) leaves it empty.
export SD_AGENT=luis
# solved_by AGENT: the solved column of AGENT's row of sd-report --by assignee
solved_by() { sd-report --by assignee --format tsv | awk -F '\t' -v a="$1" '$1 == a { print $4 }'; }
is "$(solved_by luis)" 1 "sd-report --by assignee: luis has solved SD-1"
new_ticket
fcr=$made
allowed "luis solves a new ticket at first contact" sd-solve -m "Cable replugged" $fcr
is "$(fields $fcr status assignee responded solved)" \
	"solved|luis|$SD_NOW|$SD_NOW" "assignee luis, responded and solved now"
ev=$(jget SD-$fcr 'd["events"][-1]["action"] + "/" + d["events"][-1]["by"]')
is "$ev" "solve/luis" "one event, the solve, by luis"
expect 0 "sd-fsck --commits holds the commit to the row" sd-fsck --commits HEAD^..HEAD
is "$(solved_by luis)" 2 "sd-report --by assignee: luis credited with it too"
mk assigned
allowed "carmen solves luis's ticket" env SD_AGENT=carmen sd-solve -m "Done" $made
is "$(fields $made assignee)" "luis" "an assignee stays: luis"
mk escalated
esc=$made
allowed "carmen (coordinator, desk) solves a network ticket" \
	env SD_AGENT=carmen sd-solve -m "Done" $esc
is "$(fields $esc group assignee)" "network|" "not in network: no assignee"
policy group_scope no
mk escalated
allowed "group_scope no: carmen solves a network ticket" \
	env SD_AGENT=carmen sd-solve -m "Done" $made
is "$(fields $made group assignee)" "network|carmen" "group_scope no: carmen, the solver"
expect 0 "sd-fsck clean" sd-fsck

# no-contact (ICETEX: "al no lograr contacto con el solicitante después de
# 3 intentos"): refused (65) before [lifecycle] contact_attempts failed
# attempts, 3 by default, since the ticket was registered or reopened.
policy group_scope yes
export SD_AGENT=luis SD_NOW=2026-11-23T10:00:00-05:00
new_ticket
nc=$made
quiet sd-assign $nc luis
refused 65 "no-contact with no attempt" sd-solve --code no-contact -m "No answer" $nc
like "$T/err" "^sd-solve: SD-$nc: no-contact needs 3 failed contact attempts \(sd-note --contact-attempt\) since the ticket was registered or reopened; it has 0\$" \
	"says how many it needs and has"
quiet sd-note --contact-attempt -m "Called: no answer" $nc
quiet sd-note -m "An ordinary note" $nc
quiet sd-note --contact-attempt -m "Mailed: no answer" $nc
refused 65 "no-contact after 2 attempts" sd-solve --code no-contact -m "No answer" $nc
like "$T/err" "it has 2\$" "2 of them (an ordinary note is none)"
is "$(fields $nc contact_attempts status)" "2|assigned" "the counter: 2; still assigned"
quiet sd-note --contact-attempt -m "Chat: no answer" $nc
allowed "no-contact after 3 attempts" sd-solve --code no-contact -m "Three attempts, no answer" $nc
is "$(fields $nc status resolution solved)" "solved|no-contact|$SD_NOW" "solved, code no-contact"
expect 0 "sd-fsck --commits holds it to the rule" sd-fsck --commits HEAD^..HEAD
# The acceptance window runs as for any solve (ICETEX: closed 3 days
# later, taken as accepted): accept_window 48h -> Wednesday 10:00.
expect 0 "sd-close --auto before the window: nothing" env SD_NOW=2026-11-25T09:59:00-05:00 sd-close --auto
is "$(fields $nc status)" "solved" "still solved"
expect 0 "sd-close --auto after it" env SD_NOW=2026-11-25T10:00:00-05:00 sd-close --auto
is "$(fields $nc status resolution)" "closed|no-contact" "closed, as accepted"

# A reopening is the requester's answer: the count starts again.
new_ticket
nc=$made
for i in 1 2 3; do quiet sd-note --contact-attempt -m "Attempt $i" $nc; done
quiet sd-solve --code no-contact -m "No answer" $nc
quiet env SD_AGENT=carmen sd-reopen -m "I was away" $nc
refused 65 "reopened: no-contact needs 3 new attempts" sd-solve --code no-contact -m x $nc
like "$T/err" "it has 0\$" "none since the reopening"
is "$(fields $nc contact_attempts)" "3" "though the counter keeps all 3"
allowed "another code is never held to it" sd-solve --code workaround -m "Reset remotely" $nc

# [lifecycle] contact_attempts = 1.
edit_config sd.ini '/^info_window = /a contact_attempts = 1'
new_ticket
nc=$made
refused 65 "contact_attempts = 1: none is too few" sd-solve --code no-contact -m x $nc
like "$T/err" "needs 1 failed" "says 1"
quiet sd-note --contact-attempt -m "Called" $nc
allowed "one is enough" sd-solve --code no-contact -m "No answer" $nc
b=$(head_id)
SD_SED='s/^contact_attempts = 1$/contact_attempts = 0/' EDITOR=$T/wf-editor \
	expect 78 "contact_attempts = 0 is refused" env SD_AGENT=carmen sd-edit sd.ini
like "$T/err" "sd.ini: draft line [0-9]+: contact_attempts must be a whole number from 1 to 99, not '0'" \
	"names the file, the line and the bounds"
is "$(head_id)" "$b" "nothing changed"
done_testing
