#!/bin/sh
# sd-approve: give or deny one approval of a request, in the order of its
# category (escalation.ini `approvals`); all given -> new, one denied ->
# rejected with the reason.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

# access/account waits for boss (carmen), then risk (raul);
# infrastructure/server for boss, then infra (raul).
request() {  # request CATEGORY: a request, its number in $made
	quiet sd-new -t request -s "Account for Eva" -r "Eva Luna" -c "$1" --email eva@example.org
	made=$(sed 's/^SD-//' "$T/quiet.out")
}
request access/account
is "$(fields 1 status approvals group level)" "awaiting-approval|boss risk|desk|1" \
	"SD-1 waits for boss, then risk"
std_cli sd-approve --role boss 1
id_errors sd-approve --role boss ID

# carmen approves boss at 10:30: still waiting, for risk.
export SD_NOW=2026-11-23T10:30:00-05:00
before=$(head_id)
allowed "carmen approves boss" env SD_AGENT=carmen sd-approve --role boss 1
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 1 status approvals updated)" "awaiting-approval|risk|2026-11-23T10:30:00-05:00" \
	"awaiting-approval, risk left"
is "$(last_event 1)" \
	'{"at": "2026-11-23T10:30:00-05:00", "by": "carmen", "action": "approve", "role": "boss"}' \
	"the event: the role; no from/to, the status stays"
is "$(commit_info)" "Carmen Vargas <carmen.vargas@example.org>|SD-1: approve|SD-1|approve" "the commit"
refused 65 "boss is given already" env SD_AGENT=carmen sd-approve --role boss 1
like "$T/err" "^sd-approve: SD-1: 'boss' is not an approval this ticket waits for \\(risk\\)" \
	"says what it waits for"

# raul approves risk at 11:00: all given -> new.
export SD_NOW=2026-11-23T11:00:00-05:00
before=$(head_id)
allowed "raul approves risk" env SD_AGENT=raul sd-approve --role risk 1
out_is "SD-1" "prints the ID"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields 1 status approvals group)" "new||desk" "all given: new, in desk"
is "$(last_event 1)" \
	'{"at": "2026-11-23T11:00:00-05:00", "by": "raul", "action": "approve", "from": "awaiting-approval", "to": "new", "role": "risk"}' \
	"the event: from, to and the role"
is "$(commit_info)" "Raúl Mejía <raul.mejia@example.org>|SD-1: approve (awaiting-approval -> new)|SD-1|approve" \
	"the commit"
refused 65 "a new ticket takes no approval" env SD_AGENT=raul sd-approve --role risk 1
like "$T/err" "^sd-approve: SD-1: cannot approve a ticket that is new" "says why"
allowed "and is assigned as any other" sd-assign 1 luis
is "$(status_of 1)" "assigned" "assigned"

# In order: risk before boss is 65; a role it does not wait for is 65.
request access/account
t=$made
refused 65 "risk before boss" env SD_AGENT=raul sd-approve --role risk $t
like "$T/err" "^sd-approve: SD-$t: approval out of order: 'boss' comes first" "says boss comes first"
refused 65 "nor denied before boss" env SD_AGENT=raul sd-approve --deny --role risk -m "No" $t
refused 65 "infra: not one of this ticket's" env SD_AGENT=raul sd-approve --role infra $t
like "$T/err" "'infra' is not an approval this ticket waits for \\(boss risk\\)" "names what it waits for"
# A role that is only part of one the ticket waits for is not one of them
# (it was once taken for "out of order", a substring match; fixed in
# 82785ee).
refused 65 "ris: not one of this ticket's" env SD_AGENT=raul sd-approve --role ris $t
like "$T/err" "'ris' is not an approval this ticket waits for \\(boss risk\\)" "says ris is not awaited"
refused 77 "ana approves nothing" sd-approve --role boss $t
like "$T/err" "^sd-approve: SD-$t: ana: does not approve 'boss'" "says so"
refused 77 "raul does not approve boss" env SD_AGENT=raul sd-approve --role boss $t
refused 77 "an unknown agent" env SD_AGENT=nobody sd-approve --role boss $t

# --deny: rejected; close_reason the first line of the reason.
export SD_NOW=2026-11-23T12:00:00-05:00
before=$(head_id)
allowed "carmen denies boss" env SD_AGENT=carmen sd-approve --deny --role boss \
	-m "$(printf 'No budget this year\nAsk again in January')" $t
out_is "SD-$t" "prints the ID"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(fields $t status close_reason closed)" \
	"rejected|No budget this year|2026-11-23T12:00:00-05:00" \
	"rejected; close_reason the first line; closed now"
is "$(last_event $t)" \
	"{\"at\": \"2026-11-23T12:00:00-05:00\", \"by\": \"carmen\", \"action\": \"deny\", \"from\": \"awaiting-approval\", \"to\": \"rejected\", \"role\": \"boss\", \"text\": \"No budget this year\\nAsk again in January\"}" \
	"the event: from, to, role and the whole reason"
is "$(commit_info)" "Carmen Vargas <carmen.vargas@example.org>|SD-$t: deny (awaiting-approval -> rejected)|SD-$t|deny" \
	"the commit: action deny"
refused 65 "a rejected ticket takes no approval" env SD_AGENT=carmen sd-approve --role boss $t
like "$T/err" "the ticket is rejected; nothing changes it" "says it is final"

# The second approval denied; -F for the reason.
request access/account
t=$made
quiet env SD_AGENT=carmen sd-approve --role boss $t
printf 'Too much access\n' >"$T/reason"
allowed "raul denies risk, -F" env SD_AGENT=raul sd-approve --deny --role risk -F "$T/reason" $t
is "$(fields $t status close_reason)" "rejected|Too much access" "rejected at risk"
is "$(jget $t '[d["events"][-1][k] for k in ("action", "role", "text")]')" \
	'["deny", "risk", "Too much access\n"]' "the deny event"

# Another category: infrastructure/server, boss then infra.
request infrastructure/server
t=$made
is "$(fields $t status approvals)" "awaiting-approval|boss infra" "waits for boss, then infra"
allowed "carmen approves boss" env SD_AGENT=carmen sd-approve --role boss $t
allowed "raul approves infra" env SD_AGENT=raul sd-approve --role infra $t
is "$(fields $t status approvals)" "new|" "new"
clean "store clean"

# An incident in access/account waits for nobody.
quiet sd-new -t incident -s "Account locked" -r "Eva Luna" -c access/account --email eva@example.org
is "$(fields "$(cat "$T/quiet.out")" status approvals)" "new|" "an incident: new, no approvals"

# Options: 64.
request access/account
t=$made
usage_error "--role missing" sd-approve $t
usage_error "--role empty" sd-approve --role "" $t
usage_error "--deny without a reason" sd-approve --deny --role boss $t
usage_error "--deny -m empty" sd-approve --deny --role boss -m "" $t
usage_error "no ID" sd-approve --role boss
usage_error "two IDs" sd-approve --role boss $t 1
is "$(fields $t status approvals)" "awaiting-approval|boss risk" "nothing given"
done_testing
