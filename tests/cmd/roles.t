#!/bin/sh
# Who may act (SPEC section 3, section 10 "Agents"): every role rule, and
# the [policy] key of sd.ini that relaxes it.  A refusal is 77, one line,
# nothing changed.  The policy is changed with sd-edit sd.ini as carmen.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
export SD_AGENT=ana

# Group scope: assign, escalate, suspend, resume and solve only while the
# ticket is in one of the agent's groups.  SD-1 is in desk.
new_ticket
t1=$made
refused 77 "marta (apps) does not assign a desk ticket" env SD_AGENT=marta sd-assign $t1 luis
like "$T/err" "^sd-assign: SD-$t1: marta: the ticket is in group desk, not one of yours" \
	"names the agent and the ticket's group"
refused 77 "jorge (network) does not escalate a desk ticket" \
	env SD_AGENT=jorge sd-escalate -m "Tunnel drops" $t1
refused 77 "marta does not solve a desk ticket" env SD_AGENT=marta sd-solve -m "Done" $t1
allowed "ana (desk) assigns it" sd-assign $t1 luis
refused 77 "sofia (servers) does not suspend it" env SD_AGENT=sofia sd-suspend -m "Wait" $t1
allowed "luis (desk) suspends it" env SD_AGENT=luis sd-suspend -m "Waiting for a part" $t1
refused 77 "jorge does not resume it" env SD_AGENT=jorge sd-resume $t1
allowed "luis resumes it" env SD_AGENT=luis sd-resume $t1
allowed "a note is anyone's: marta notes a desk ticket" env SD_AGENT=marta sd-note -m "Seen in apps" $t1
allowed "a reply is anyone's too: marta answers a desk ticket's requester" \
	env SD_AGENT=marta sd-reply -m "Which ERP screen fails?" $t1
is "$(status_of $t1)|$(fields $t1 assignee)" "assigned|luis" "SD-$t1 assigned to luis"

# A coordinator acts on any group's ticket.  SD-2 goes to network.
new_ticket
t2=$made
allowed "ana escalates SD-$t2 to network" sd-escalate -m "Tunnel drops" $t2
is "$(fields $t2 group level)" "network|2" "SD-$t2 in network, level 2"
refused 77 "ana (desk) no longer assigns it" sd-assign $t2 jorge
refused 77 "luis does not take it (--me)" env SD_AGENT=luis sd-assign --me $t2
allowed "carmen (coordinator) assigns it to jorge" env SD_AGENT=carmen sd-assign $t2 jorge
allowed "carmen suspends it" env SD_AGENT=carmen sd-suspend -m "Waiting for the provider" $t2
allowed "carmen resumes it" env SD_AGENT=carmen sd-resume $t2
allowed "carmen solves it" env SD_AGENT=carmen sd-solve -m "Tunnel rebuilt" $t2
is "$(fields $t2 status assignee group)" "solved|jorge|network" "solved, still jorge's, in network"

# An assignee must be in the ticket's group - coordinators included, and
# --me too.  An agent that is not in agents.ini is bad data (65).
new_ticket
t3=$made
refused 77 "ana does not give a desk ticket to jorge (network)" sd-assign $t3 jorge
like "$T/err" "^sd-assign: SD-$t3: jorge is not in group desk" "says jorge is not in desk"
new_ticket
t4=$made
quiet sd-escalate -m "Tunnel drops" $t4
refused 77 "carmen does not take a network ticket (--me)" env SD_AGENT=carmen sd-assign --me $t4
like "$T/err" "carmen is not in group network" "says carmen is not in network"
refused 65 "an assignee not in agents.ini" sd-assign $t3 nobody
like "$T/err" "unknown agent 'nobody'" "names the unknown agent"

# group_scope = no: anyone acts on any group's ticket, and an assignee
# need not be in its group either (SPEC 3: each rule can be relaxed; the
# group bullet holds both).
policy group_scope no
new_ticket
t5=$made
allowed "group_scope = no: marta assigns a desk ticket" env SD_AGENT=marta sd-assign $t5 luis
allowed "group_scope = no: to jorge (network), outside its group" env SD_AGENT=marta sd-assign $t5 jorge
allowed "group_scope = no: jorge suspends it" env SD_AGENT=jorge sd-suspend -m "Wait" $t5
allowed "group_scope = no: sofia resumes it" env SD_AGENT=sofia sd-resume $t5
allowed "group_scope = no: marta solves it" env SD_AGENT=marta sd-solve -m "Done" $t5
is "$(fields $t5 status assignee group)" "solved|jorge|desk" "SD-$t5 solved, jorge's, in desk"
policy group_scope yes
new_ticket
refused 77 "group_scope = yes again: marta is refused" env SD_AGENT=marta sd-assign $made luis
refused 77 "group_scope = yes again: no assignee outside the group" sd-assign $made jorge

# Only level-1 agents close, reject and reopen (the desk talks to the
# requester); the rule knows no group.
mk solved
t6=$made
refused 77 "jorge (level 2) does not close" env SD_AGENT=jorge sd-close $t6
like "$T/err" "^sd-close: SD-$t6: jorge: only level-1 agents close tickets" "says only level 1 closes"
refused 77 "raul (level 3) does not close" env SD_AGENT=raul sd-close --rating 5 $t6
refused 77 "sofia (level 3) does not reopen" env SD_AGENT=sofia sd-reopen -m "Still down" $t6
like "$T/err" "only level-1 agents reopen tickets" "says only level 1 reopens"
new_ticket
t7=$made
refused 77 "marta (level 2) does not reject" env SD_AGENT=marta sd-close --reject -m "Not ours" $t7
like "$T/err" "only level-1 agents reject tickets" "says only level 1 rejects"
allowed "luis (level 1) reopens" env SD_AGENT=luis sd-reopen -m "Still down" $t6
allowed "luis rejects" env SD_AGENT=luis sd-close --reject -m "Not ours" $t7
quiet sd-solve -m "Router restarted" $t6
allowed "ana closes" sd-close $t6
is "$(status_of $t6)|$(status_of $t7)" "closed|rejected" "closed and rejected"

# level1_closes = no: any level closes, rejects and reopens.
policy level1_closes no
mk solved
t8=$made
allowed "level1_closes = no: sofia reopens" env SD_AGENT=sofia sd-reopen -m "Still down" $t8
quiet sd-solve -m "Router restarted" $t8
allowed "level1_closes = no: jorge closes" env SD_AGENT=jorge sd-close --rating 4 $t8
new_ticket
allowed "level1_closes = no: marta rejects" env SD_AGENT=marta sd-close --reject -m "Not ours" $made
is "$(status_of $t8)|$(status_of $made)" "closed|rejected" "closed and rejected"
policy level1_closes yes
mk solved
refused 77 "level1_closes = yes again: jorge is refused" env SD_AGENT=jorge sd-close $made

# The first escalation out of level 1 is a level-1 agent's.  marta is
# made a coordinator (level 2), so that group scope lets her try.
edit_config agents.ini '/^\[agent marta\]$/a coordinator = yes'
new_ticket
t9=$made
refused 77 "marta (level-2 coordinator) does not escalate first" \
	env SD_AGENT=marta sd-escalate -m "Tunnel drops" $t9
like "$T/err" "^sd-escalate: SD-$t9: marta: the first escalation out of level 1 is a level-1 agent's" \
	"says the first escalation is level 1's"
refused 77 "nor with --group" env SD_AGENT=marta sd-escalate -m "Tunnel drops" --group network $t9
refused 77 "nor with --level 3" env SD_AGENT=marta sd-escalate -m "Tunnel drops" --level 3 $t9
allowed "ana (level 1) escalates first" sd-escalate -m "Tunnel drops" $t9
allowed "a second escalation, by jorge (level 2), is fine" \
	env SD_AGENT=jorge sd-escalate -m "Server side" $t9
allowed "sofia (level 3) sends it down to level 1" \
	env SD_AGENT=sofia sd-escalate -m "Needs the user" --level 1 $t9
is "$(fields $t9 group level escalations)" "desk|1|3" "back in desk, three escalations"
allowed "out of level 1 again, not the first time: marta may" \
	env SD_AGENT=marta sd-escalate -m "Tunnel drops" $t9
is "$(fields $t9 group level escalations)" "network|2|4" "in network, four escalations"
# Group scope off, the rule still holds for a level-2 agent.
policy group_scope no
new_ticket
refused 77 "group_scope = no: jorge (level 2) does not escalate first" \
	env SD_AGENT=jorge sd-escalate -m "Tunnel drops" $made
policy group_scope yes

# level1_escalates_first = no: marta escalates first.
policy level1_escalates_first no
new_ticket
t10=$made
allowed "level1_escalates_first = no: marta escalates first" \
	env SD_AGENT=marta sd-escalate -m "Tunnel drops" $t10
is "$(fields $t10 group level escalations)" "network|2|1" "in network, one escalation"
policy level1_escalates_first yes

# Approvals: only by an agent who approves the role, in order.  SD-N
# waits for boss (carmen), then risk (raul).  Approving knows no group:
# raul is in servers, the request in desk.
mk awaiting-approval
t11=$made
is "$(fields $t11 approvals)" "boss risk" "waits for boss, then risk"
refused 77 "ana does not approve boss" sd-approve --role boss $t11
like "$T/err" "^sd-approve: SD-$t11: ana: does not approve 'boss'" "says ana does not approve boss"
refused 77 "raul does not approve boss" env SD_AGENT=raul sd-approve --role boss $t11
refused 65 "risk before boss is out of order" env SD_AGENT=raul sd-approve --role risk $t11
like "$T/err" "out of order: 'boss' comes first" "says boss comes first"
refused 65 "a role the ticket does not wait for" env SD_AGENT=raul sd-approve --role infra $t11
allowed "carmen approves boss" env SD_AGENT=carmen sd-approve --role boss $t11
is "$(fields $t11 status approvals)" "awaiting-approval|risk" "risk still to come"
refused 77 "carmen does not approve risk" env SD_AGENT=carmen sd-approve --role risk $t11
allowed "raul approves risk" env SD_AGENT=raul sd-approve --role risk $t11
is "$(fields $t11 status approvals)" "new|" "all given: new"
mk awaiting-approval
t12=$made
refused 77 "raul does not deny boss" env SD_AGENT=raul sd-approve --deny --role boss -m "No" $t12
refused 77 "ana does not deny boss" sd-approve --deny --role boss -m "No" $t12
allowed "carmen denies boss" env SD_AGENT=carmen sd-approve --deny --role boss -m "No budget" $t12
is "$(status_of $t12)" "rejected" "denied: rejected"

# An unknown agent does nothing, not even a note or a cron run.
refused 77 "unknown agent: no note" env SD_AGENT=nobody sd-note -m "Hello" $t1
like "$T/err" "^sd-note: unknown agent 'nobody'" "names the unknown agent"
refused 77 "unknown agent: no reply" env SD_AGENT=nobody sd-reply -m "Hello" $t1
like "$T/err" "^sd-reply: unknown agent 'nobody'" "names the unknown agent"
refused 77 "unknown agent: no assign" env SD_AGENT=nobody sd-assign $t3 luis
refused 77 "unknown agent: no sd-close --auto" env SD_AGENT=nobody sd-close --auto
refused 77 "unknown agent: no link" env SD_AGENT=nobody sd-link $t1 $t3

# Only level-1 agents register (level1_registers).
refused 77 "marta (level 2) does not register" \
	env SD_AGENT=marta sd-new -t incident -s "ERP error" -r "Eva" -c software/erp --email eva@example.org
policy level1_registers no
expect 0 "level1_registers = no: marta registers" \
	env SD_AGENT=marta sd-new -t incident -s "ERP error" -r "Eva" -c software/erp --email eva@example.org
is "$(fields "$(cat "$T/out")" group level status)" "desk|1|new" "in the category's level-1 group"
clean "store clean"
policy level1_registers yes

# trust_env_agent = no: SD_AGENT is ignored; the login name decides.
login=$(id -un)
case $login in
ana|luis|marta|jorge|sofia|telco|carmen|raul|cron)
	echo "# skipped: the login name $login is an agent's id" >&2 ;;
*)
	edit_config agents.ini "/^\\[agent luis\\]\$/a login = $login"
	policy trust_env_agent no
	allowed "trust_env_agent = no: SD_AGENT=ana is ignored" env SD_AGENT=ana sd-note -m "Who am I" $t1
	is "$(last_event $t1)" \
		'{"at": "2026-11-23T10:00:00-05:00", "by": "luis", "action": "note", "text": "Who am I"}' \
		"the note is luis's, by his login"
	is "$(sgit log -1 --format='%an <%ae>')" "Luis Pérez <luis.perez@example.org>" "luis's commit"
	allowed "trust_env_agent = no: SD_AGENT=nobody is no refusal" \
		env SD_AGENT=nobody sd-note -m "Still me" $t1
	allowed "trust_env_agent = no: SD_AGENT=marta does not stop luis assigning in desk" \
		env SD_AGENT=marta sd-assign $t3 luis
	is "$(sgit log -1 --format='%an|%s')" "Luis Pérez|SD-$t3: assign to luis" "by luis"
	# A store where the login is no agent's: 77, whatever SD_AGENT says.
	mkstore "$T/store2"
	new_ticket
	policy trust_env_agent no
	refused 77 "trust_env_agent = no, the login unknown: refused" env SD_AGENT=ana sd-note -m "Hi" $made
	like "$T/err" "unknown agent '$login' \\(login\\)" "names the login";;
esac
done_testing
