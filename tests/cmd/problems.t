#!/bin/sh
# Problem management (procedures 001 and 004): a problem is a ticket of
# type problem, with no requester SLA; sd-link --problem links incidents
# to it (the incident names it, it lists them); sd-solve --known-error
# records its workaround; solving it solves its open incidents in the
# same commit, each with its own event and mail; sd-report --by problem
# counts them.  Forged links and statuses are refused by sd-fsck
# --commits and by the pre-receive hook.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
export SD_AGENT=carmen

# The MTA keeps each message in $T/sent.
SENT=$T/sent
mkdir -p "$SENT"
printf '#!/bin/sh\ncat >"$(mktemp "%s/m.XXXXXX")"\n' "$SENT" >"$T/sendmail"
chmod +x "$T/sendmail"
git -C "$SD_STORE" config sd.sendmail "$T/sendmail"
edit_config sd.ini "/^keywords = /a address = desk@desk.example"
sent() { ls "$SENT" | wc -l | tr -d ' '; }

export SD_NOW=2026-11-23T09:00:00-05:00
# --- sd-new -t problem ------------------------------------------------------
expect 0 "sd-new -t problem" sd-new -t problem -s "VPN tunnel drops" -r "Service desk" -c network/vpn
out_is "SD-1" "prints its id"
is "$(fields 1 type status due_response due_resolution)" "problem|new||" \
	"a problem: new (no requester data owed), no due dates (no SLA)"
ok $(grep -Eq '^(problem|incidents) =' "$SD_STORE/tickets/000/SD-1.ini"; [ $? = 1 ]; echo $?) \
	"no problem or incidents key is written while empty"
expect 64 "sd-new -t bogus: usage error" sd-new -t bogus -s x -r y
like "$T/err" "is not incident, request or problem" "and says the types"

new_ticket                      # SD-2
new_ticket                      # SD-3
new_ticket                      # SD-4, closed below
quiet sd-solve -m "Reset" 4
quiet sd-close 4
quiet sd-new -t request -s "Account" -r "Eva Luna" -c access/account --email eva@example.org  # SD-5
quiet sd-new -t problem -s "Printer queue" -r "Service desk" -c hardware/printer              # SD-6
new_ticket                      # SD-7, solved below
quiet sd-solve -m "Cable replaced" 7
new_ticket                      # SD-8, never linked

# --- sd-link --problem ------------------------------------------------------
export SD_NOW=2026-11-23T09:30:00-05:00
before=$(head_id)
expect 0 "sd-link --problem SD-1 with three incidents" sd-link --problem SD-1 2 3 4 7
out_is "$(printf 'SD-1\nSD-2\nSD-3\nSD-4\nSD-7')" "prints the problem, then each incident"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit for all"
is "$(commit_info)" "Carmen Vargas <carmen.vargas@example.org>|SD-1: link incidents SD-2 SD-3 SD-4 SD-7|SD-1,SD-2,SD-3,SD-4,SD-7|link-problem" \
	"the commit: the problem's subject, a trailer each, action link-problem"
is "$(fields 1 incidents)" "SD-2 SD-3 SD-4 SD-7" "the problem lists its incidents"
is "$(fields 2 problem)|$(fields 3 problem)|$(fields 4 problem)" "SD-1|SD-1|SD-1" "each incident names it"
is "$(last_event 1)" '{"at": "2026-11-23T09:30:00-05:00", "by": "carmen", "action": "link-problem", "incidents": "SD-2 SD-3 SD-4 SD-7"}' \
	"the problem's event names the incidents"
is "$(last_event 2)" '{"at": "2026-11-23T09:30:00-05:00", "by": "carmen", "action": "link-problem", "problem": "SD-1"}' \
	"an incident's event names the problem"
is "$(jget 4 'd["events"][-1]["action"]')|$(fields 4 status)" "close|closed" \
	"a closed incident gains the key alone, no event"
clean "store clean"

before=$(head_id)
expect 0 "the same links again" sd-link --problem 1 2 3
out_is "" "nothing changed, nothing printed"
unchanged "$before" "the same links again"

# Each refusal: 65, one line, nothing changed.
refuse() {
	_what=$1
	shift
	_b=$(head_id)
	expect 65 "$_what: 65" "$@"
	one_line_error "$T/err" "$_what: one line"
	unchanged "$_b" "$_what"
}
refuse "linked to an incident" sd-link --problem 2 8
like "$T/err" "SD-2 is not a problem" "says SD-2 is no problem"
refuse "a request linked" sd-link --problem 1 5
like "$T/err" "SD-5 is not an incident" "says SD-5 is no incident"
refuse "a problem linked as an incident" sd-link --problem 1 6
refuse "an incident of another problem" sd-link --problem 6 2
like "$T/err" "SD-2 is linked to problem SD-1 already" "names the problem it has"
refuse "a problem linked to itself" sd-link --problem 1 1
refuse "an incident named twice" sd-link --problem 6 8 8
refuse "a malformed problem id" sd-link --problem SD-x 8
_b=$(head_id)
expect 66 "a problem that is not there: 66" sd-link --problem SD-99 8
unchanged "$_b" "a problem that is not there"
expect 64 "--problem with no incident: usage error" sd-link --problem 1
unchanged "$_b" "--problem with no incident"

# --- known error ------------------------------------------------------------
export SD_NOW=2026-11-23T10:00:00-05:00
refuse "an incident is no known error" sd-solve --known-error -m "Restart" 2
like "$T/err" "only a problem is a known error" "says so"
_b=$(head_id)
expect 64 "--known-error with no workaround" sd-solve --known-error 1
expect 64 "--known-error with --code" sd-solve --known-error --code solved -m x 1
unchanged "$_b" "usage errors"
expect 0 "sd-solve --known-error" sd-solve --known-error -m "Restart the tunnel" 1
out_is "SD-1" "prints the problem alone"
is "$(fields 1 status assignee)" "known-error|carmen" "known-error, the agent its assignee"
is "$(jget 1 'd["solution"]')" "Restart the tunnel" "the workaround is its solution so far"
is "$(last_event 1)" '{"at": "2026-11-23T10:00:00-05:00", "by": "carmen", "action": "known-error", "from": "new", "to": "known-error", "text": "Restart the tunnel"}' \
	"its event: known-error, from new"
is "$(fields 2 status)" "new" "its incidents wait"
expect 0 "a known error is reassigned" sd-assign 1 luis
is "$(fields 1 status assignee)" "known-error|luis" "and stays a known error"
refuse "a known error is not closed" sd-close 1

# --- solve cascade ----------------------------------------------------------
export SD_NOW=2026-11-23T11:00:00-05:00
n0=$(sgit rev-list --count HEAD)
rm -f "$SENT"/*
f7=$(sgit rev-parse HEAD:tickets/000/SD-7.ini)
f4=$(sgit rev-parse HEAD:tickets/000/SD-4.ini)
expect 0 "sd-solve the problem" sd-solve --code workaround -m "Firmware updated on the concentrator" 1
out_is "$(printf 'SD-1\nSD-2\nSD-3')" "prints the problem and the incidents it solved"
is "$(sgit rev-list --count HEAD)" "$((n0 + 1))" "one commit"
is "$(commit_info)" "Carmen Vargas <carmen.vargas@example.org>|SD-1: solve (known-error -> solved)|SD-1,SD-2,SD-3|solve" \
	"the commit names the three, action solve"
is "$(fields 1 status resolution)" "solved|workaround" "the problem solved"
for i in 2 3; do
	is "$(fields $i status resolution assignee solved)" \
		"solved|workaround|carmen|2026-11-23T11:00:00-05:00" "SD-$i solved with the problem's code"
	is "$(jget $i 'd["solution"]')" "Firmware updated on the concentrator" "SD-$i: the problem's solution"
	is "$(last_event $i)" '{"at": "2026-11-23T11:00:00-05:00", "by": "carmen", "action": "solve", "from": "new", "to": "solved", "code": "workaround", "text": "Firmware updated on the concentrator"}' \
		"SD-$i: its own solve event"
done
is "$(sgit rev-parse HEAD:tickets/000/SD-7.ini)" "$f7" "a solved incident untouched"
is "$(sgit rev-parse HEAD:tickets/000/SD-4.ini)" "$f4" "a closed incident untouched"
is "$(sent)" 2 "two mails: one to each incident's requester (the problem has none)"
is "$(grep -l '^Subject:.*SD-2' "$SENT"/* | wc -l | tr -d ' ')|$(grep -l '^Subject:.*SD-3' "$SENT"/* | wc -l | tr -d ' ')" \
	"1|1" "one about SD-2, one about SD-3"
expect 0 "sd-fsck --commits accepts the whole history" sd-fsck --commits "$(sgit rev-list --max-parents=0 HEAD)..HEAD"
clean "store clean"

# --- reports ----------------------------------------------------------------
expect 0 "sd-report --type incident --by problem" sd-report --no-cache --type incident --by problem --format tsv
is "$(cut -f1-4 "$T/out")" "$(printf 'problem\ttickets\topen\tsolved\n\t1\t1\t0\nSD-1\t4\t0\t4\n(all)\t5\t1\t4')" \
	"four incidents of SD-1 (all solved), one of none"
expect 0 "sd-report --by type" sd-report --no-cache --by type --format tsv
is "$(grep '^problem' "$T/out" | cut -f1-8)" "$(printf 'problem\t2\t1\t1\t0\t0\t\t')" \
	"problems: counted, solved when solved, in no SLA figure"
expect 0 "sd-list --type problem" sd-list --type problem --format tsv --fields id,incidents
is "$(cat "$T/out")" "$(printf 'id\tincidents\nSD-1\tSD-2 SD-3 SD-4 SD-7\nSD-6\t')" "the two problems, with their incidents"

# --- forged pushes ----------------------------------------------------------
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"
cgit() { git --git-dir="$central" "$@"; }
# forge_file ACTION PATH SED: a commit on HEAD by Ana whose PATH is HEAD's
# version through SED
forge_file() {
	sgit show "HEAD:$2" | sed "$3" >"$T/forged"
	_blob=$(sgit hash-object -w "$T/forged")
	rm -f "$T/i"
	GIT_INDEX_FILE=$T/i sgit read-tree HEAD
	GIT_INDEX_FILE=$T/i sgit update-index --add --cacheinfo "100644,$_blob,$2"
	_tree=$(GIT_INDEX_FILE=$T/i sgit write-tree)
	_id=$(basename "$2" .ini)
	printf '%s: %s\n\nTicket: %s\nAction: %s\n' "$_id" "$1" "$_id" "$1" |
		GIT_AUTHOR_NAME=Ana GIT_AUTHOR_EMAIL=ana.gomez@example.org \
		GIT_COMMITTER_NAME=Ana GIT_COMMITTER_EMAIL=ana.gomez@example.org \
		sgit commit-tree "$_tree" -p HEAD
}
# refused COMMIT WHAT PATTERN: sd-fsck --commits and a push refuse it
refused() {
	_before=$(cgit rev-parse main)
	expect 65 "$2: sd-fsck --commits refuses it" sd-fsck --commits "HEAD..$1"
	like "$T/out" "$3" "$2: and says why"
	sgit push -q "$central" "+$1:refs/heads/main" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "$2: a push is refused"
	like "$T/err" "$3" "$2: the hook says why"
	is "$(cgit rev-parse main)" "$_before" "$2: the central branch did not move"
}
# event ACTION KEY VALUE [MORE]: a sed script appending SD-8's second event
event() {
	printf '%s\n' '$a\' '\' '[event 2]\' 'at = 2026-11-23T12:00:00-05:00\' 'by = ana\' \
		"action = $1\\" "$2 = $3${4-}" 's/^updated = .*/updated = 2026-11-23T12:00:00-05:00/'
}
V8=tickets/000/SD-8.ini
V6=tickets/000/SD-6.ini

honest=$(forge_file note $V8 "$(event note text moved)")
expect 0 "a note forged as sd-note writes it passes" sd-fsck --commits "HEAD..$honest"
c=$(forge_file note $V8 "s/^approvals =.*/&\\nproblem = SD-6/
$(event note text moved)")
refused "$c" "a note that links a problem" "note may not change problem"
c=$(forge_file link-problem $V8 "s/^approvals =.*/&\\nproblem = SD-6/
$(event link-problem problem SD-6)")
refused "$c" "an incident linked to a problem that does not list it" "SD-6 is not a problem that lists SD-8"
c=$(forge_file link-problem $V8 "s/^approvals =.*/&\\nproblem = SD-5/
$(event link-problem problem SD-5)")
refused "$c" "an incident linked to a request" "SD-5 is not a problem that lists SD-8"
c=$(forge_file link-problem $V6 "s/^approvals =.*/&\\nincidents = SD-8/
$(event link-problem incidents SD-8)")
refused "$c" "a problem listing an incident that does not name it" "SD-8 is not an incident linked to SD-6"
c=$(forge_file link-problem $V8 "s/^approvals =.*/&\\nincidents = SD-3/
$(event link-problem incidents SD-3)")
refused "$c" "an incident listing incidents" "only a problem lists incidents"
c=$(forge_file link-problem tickets/000/SD-2.ini "s/^problem = SD-1/problem = SD-6/
s/^updated = .*/updated = 2026-11-23T12:00:00-05:00/")
refused "$c" "an incident moved to another problem" "linked to SD-1 already"
c=$(forge_file known-error $V8 "s/^status = new/status = known-error/
$(event known-error from new '\
to = known-error\
text = Restart')")
refused "$c" "an incident made a known error" "only a problem is a known error"

done_testing
