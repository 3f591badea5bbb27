#!/bin/sh
# sd-escalate: to the next level's group of the ticket's category
# (escalation.ini), or to the level or group named, down as well as up; a
# provider group -> provider.  Counts escalations, clears the assignee.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

# network/vpn: desk (1) -> network (2) -> servers (3).  SD-1 registered
# Monday 10:00, priority 3: due_response 11:00, due_resolution Thu 10:00.
new_ticket
quiet sd-assign 1 luis
std_cli sd-escalate -m "Tunnel drops" 1
id_errors sd-escalate -m "Tunnel drops" ID

# Up one level, by the matrix: network, level 2.
export SD_NOW=2026-11-23T10:30:00-05:00
before=$(head_id)
allowed "escalate SD-1" sd-escalate -m "Tunnel drops every 10 minutes" 1
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(fields 1 status group level assignee escalations updated)" \
	"escalated|network|2||1|2026-11-23T10:30:00-05:00" \
	"escalated to network, level 2, assignee cleared, one escalation"
is "$(fields 1 due_response due_resolution)" "2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00" \
	"the due dates stay: the clocks run from created"
is "$(last_event 1)" \
	'{"at": "2026-11-23T10:30:00-05:00", "by": "ana", "action": "escalate", "from": "assigned", "to": "escalated", "group": "network", "level": "2", "text": "Tunnel drops every 10 minutes"}' \
	"the event: from, to, group, level and the diagnosis"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-1: escalate to network (level 2)|SD-1|escalate" \
	"the commit: subject names group and level; trailers"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"

# Up again, by jorge: servers, level 3; the status stays escalated (the
# event has no from/to), the diagnosis from a file.
printf 'Routing table:\n\n  10.0.0.0/8 via tun0 ; lost\n' >"$T/diag"
allowed "-F FILE: up to level 3" env SD_AGENT=jorge sd-escalate -F "$T/diag" 1
out_is "SD-1" "prints the ID"
clean "store clean"
is "$(fields 1 status group level assignee escalations)" "escalated|servers|3||2" \
	"servers, level 3, assignee cleared, two escalations"
jget 1 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/diag" "$T/got"; echo $?) "the diagnosis is the file's, byte for byte"
is "$(jget 1 'sorted(d["events"][-1])')" '["action", "at", "by", "group", "level", "text"]' \
	"no from/to: the status stays"
is "$(commit_info)" "Jorge Díaz <jorge.diaz@example.org>|SD-1: escalate to servers (level 3)|SD-1|escalate" \
	"jorge's commit"

# No level above 3.
refused 65 "level 3 has nowhere up to go" env SD_AGENT=sofia sd-escalate -m "Up?" 1
like "$T/err" "^sd-escalate: SD-1: there is no level above 3: name a group with --group" "says so"

# Down: --level 1 -> desk; --level 2 -> network.
allowed "--level 1: down to the desk" env SD_AGENT=sofia sd-escalate -m "Needs the user's laptop" --level 1 1
is "$(fields 1 status group level escalations)" "escalated|desk|1|3" "desk, level 1, three escalations"
is "$(commit_info)" "Sofía Castro <sofia.castro@example.org>|SD-1: escalate to desk (level 1)|SD-1|escalate" \
	"sofia's commit"
allowed "--level 2" sd-escalate -m "Laptop fine" --level 2 1
is "$(fields 1 group level escalations)" "network|2|4" "network, four escalations"
clean "store clean"
refused 65 "--level of the group it is in" env SD_AGENT=jorge sd-escalate -m "x" --level 2 1
like "$T/err" "^sd-escalate: SD-1: the ticket is in group network already" "says it is there already"
refused 65 "--group of the group it is in" env SD_AGENT=jorge sd-escalate -m "x" --group network 1

# --group: any group, its level with it; --level must agree.
new_ticket
allowed "--group apps" sd-escalate -m "ERP client" --group apps 2
is "$(fields 2 status group level escalations)" "escalated|apps|2|1" "apps, level 2"
is "$(last_event 2)" \
	'{"at": "2026-11-23T10:30:00-05:00", "by": "ana", "action": "escalate", "from": "new", "to": "escalated", "group": "apps", "level": "2", "text": "ERP client"}' \
	"the event names apps"
allowed "--group servers --level 3" env SD_AGENT=marta sd-escalate -m "DB" --group servers --level 3 2
is "$(fields 2 group level escalations)" "servers|3|2" "servers, level 3"
refused 65 "--group and --level disagree" env SD_AGENT=sofia sd-escalate -m "x" --group network --level 3 2
like "$T/err" "group network is level 2, not 3" "says what disagrees"
refused 65 "an unknown group" env SD_AGENT=sofia sd-escalate -m "x" --group nowhere 2
like "$T/err" "^sd-escalate: SD-2: unknown group 'nowhere'" "names the group"

# A provider group: status provider.  --group telco from level 1 ...
new_ticket
allowed "--group telco" sd-escalate -m "Line down" --group telco 3
is "$(fields 3 status group level escalations)" "provider|telco|3|1" "provider, telco, level 3"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-3: escalate to telco (level 3)|SD-3|escalate" \
	"the commit"
# ... or by the matrix: network/internet's level 3 is telco.
new_ticket -c network/internet
allowed "network/internet: up to network" sd-escalate -m "No link" 4
allowed "network/internet: up to telco" env SD_AGENT=jorge sd-escalate -m "Carrier fault" 4
is "$(fields 4 status group level escalations)" "provider|telco|3|2" "the matrix: telco -> provider"
is "$(last_event 4)" \
	'{"at": "2026-11-23T10:30:00-05:00", "by": "jorge", "action": "escalate", "from": "escalated", "to": "provider", "group": "telco", "level": "3", "text": "Carrier fault"}' \
	"from escalated to provider"
# Out of provider, down to level 2: escalated again.
allowed "provider -> --level 2" env SD_AGENT=telco sd-escalate -m "Line fine, router?" --level 2 4
is "$(fields 4 status group level escalations)" "escalated|network|2|3" "escalated, network"
clean "store clean"

# A ticket with no category escalates only with --group.  required =
# requester_email alone, so that it registers as new.
edit_config sd.ini 's/^required = .*/required = requester_email/'
quiet sd-new -t incident -s "Something odd" -r "Eva" --email eva@example.org
is "$(fields 5 status category group)" "new||desk" "SD-5: new, no category"
refused 65 "no category: no next level" sd-escalate -m "x" 5
like "$T/err" "^sd-escalate: SD-5: the ticket has no category: name a group with --group" "says so"
refused 65 "no category: no --level either" sd-escalate -m "x" --level 2 5
allowed "no category, --group" sd-escalate -m "Looks like the ERP" --group apps 5
is "$(fields 5 group level)" "apps|2" "apps"

# Texts and options: 64, nothing changed.
new_ticket
usage_error "-m missing" sd-escalate 6
like "$T/err" "required" "says the text is required"
usage_error "-m empty" sd-escalate -m "" 6
usage_error "-F of an empty file" sd-escalate -F /dev/null 6
usage_error "-m and -F" sd-escalate -m x -F "$T/diag" 6
usage_error "--level 4" sd-escalate -m x --level 4 6
like "$T/err" "^sd-escalate: --level: '4' is not 1, 2 or 3" "says 4 is not a level"
usage_error "--level 0" sd-escalate -m x --level 0 6
usage_error "--level two" sd-escalate -m x --level two 6
usage_error "--level 12" sd-escalate -m x --level 12 6
usage_error "no ID" sd-escalate -m x
usage_error "two IDs" sd-escalate -m x 6 1
printf 'Cable\ncut\n' >"$T/stdin"
expect_stdin() { sd-escalate -F - 6 <"$T/stdin"; }
allowed "-F -: the diagnosis from stdin" expect_stdin
out_is "SD-6" "prints the ID"
jget 6 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/stdin" "$T/got"; echo $?) "the text from stdin, final newline kept"
clean "store clean"

# Illegal moves: 65.  Refusals: 77.
quiet env SD_AGENT=jorge sd-solve -m "Fixed" 6
refused 65 "a solved ticket is not escalated" sd-escalate -m x 6
like "$T/err" "^sd-escalate: SD-6: cannot escalate a ticket that is solved" "says why"
refused 77 "an agent outside the group" env SD_AGENT=marta sd-escalate -m x 4
refused 77 "an unknown agent" env SD_AGENT=nobody sd-escalate -m x 4
done_testing
