#!/bin/sh
# sd-mail and the requester's replies: to a solved ticket, a rating (the
# first line 1 to 5, or the survey's words in Spanish or English) closes
# it with that rating, anything else reopens it with the mail as the
# reason; a final ticket gets a new related one.  A mail to a ticket from
# anyone but its requester (or the desk) never reaches it: a new ticket
# ([mail] strangers = new) or ignored and counted (refuse).  The samples
# are tests/mail/*.eml; tests/mail/SOURCES says where each comes from.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
M=${SD_TOP:-.}/tests/mail
COUNTS=$SD_STORE/.git/sd-mail-ignored
unset SENDER

# tag N FILE: the sample FILE (tagged [SD-1]) tagged [SD-N], in $T/FILE
tag() {
	sed "s/\[SD-1\]/[SD-$1]/" "$M/$2" >"$T/$2"
}

# mail FILE DESCRIPTION: sd-mail < FILE takes it: exit 0, one commit,
# store clean
mail() {
	_b=$(head_id)
	expect_in "$1" 0 "$2" env SD_AGENT=mail sd-mail
	is "$(sgit rev-parse HEAD~1 2>/dev/null)" "$_b" "$2: one commit"
	clean "$2: store clean"
}

# ignored FILE DESCRIPTION WHY: sd-mail < FILE does nothing: exit 0, WHY
# on stderr after "sd-mail: ignored: ", nothing on stdout, no commit
ignored() {
	_b=$(head_id)
	expect_in "$1" 0 "$2: exit 0" env SD_AGENT=mail sd-mail
	is "$(cat "$T/err")" "sd-mail: ignored: $3" "$2: says why, on one line"
	is "$(cat "$T/out")" "" "$2: nothing on stdout"
	unchanged "$_b" "$2"
}

# file_at N: ticket N's file as HEAD has it
file_at() { sgit show "HEAD:tickets/000/SD-$1.ini"; }

export SD_NOW=2026-11-23T12:10:00-05:00

# --- the requester rates a solved ticket: closed with that rating ----------

mk solved; t=$made                              # Pedro Ruiz <pedro@example.org>
tag $t rating-5.eml
mail "$T/rating-5.eml" "a reply \"5\" to a solved ticket"
is "$(cat "$T/out")" "SD-$t" "prints the ticket's ID"
is "$(fields $t status rating closed close_reason)" \
	"closed|5|2026-11-23T12:10:00-05:00|confirmed by requester" \
	"closed, rating 5, as sd-close --rating 5 leaves it"
is "$(jget $t 'd["events"][-1]["action"] + " " + d["events"][-1]["by"] + " " + str(d["events"][-1]["rating"]) + " " + d["events"][-1]["to"]')" \
	"close mail 5 closed" "the event: a close by the mail agent, rating 5"
is "$(jget $t 'd["events"][-1]["text"].split("\n")[0]')" "From: Pedro Ruiz <pedro@example.org>" \
	"the event's comment: who wrote, then the mail"
is "$(commit_info)" "Mail gateway (sd-mail) <mail@sd.sd.invalid>|SD-$t: close (solved -> closed)|SD-$t|close" \
	"the commit: a close, by the mail agent"

mk solved; t=$made
tag $t rating-excelente.eml
mail "$T/rating-excelente.eml" "Outlook's \"¡Excelente!\" from Pedro@Example.org"
is "$(fields $t status rating)" "closed|5" "excelente: rating 5 (case, accents, punctuation, address case)"

mk solved; t=$made
tag $t rating-muy-malo.eml
mail "$T/rating-muy-malo.eml" "Gmail's \"  MUY  malo.\""
is "$(fields $t status rating)" "closed|1" "muy malo: rating 1"

mk solved; t=$made
printf 'From: pedro@example.org\nSubject: Re: [SD-%s] Solved\n\n\n  very   POOR \n' $t >"$T/en.eml"
mail "$T/en.eml" "\"very   POOR\" after a blank line"
is "$(fields $t status rating)" "closed|1" "very poor: rating 1"

# --dry-run says so and changes nothing.
mk solved; t=$made
tag $t rating-5.eml
_b=$(head_id)
expect_in "$T/rating-5.eml" 0 "--dry-run of a rating" env SD_AGENT=mail sd-mail --dry-run
is "$(sed -n 1,3p "$T/out" | tr '\n' '|')" "action: close|ticket: SD-$t|rating: 5|" \
	"--dry-run: action close, the ticket, the rating"
unchanged "$_b" "--dry-run of a rating"

# --- anything else reopens it, the mail its reason --------------------------

tag $t reopen.eml
mail "$T/reopen.eml" "\"No funciona todavía\" to a solved ticket"
is "$(cat "$T/out")" "SD-$t" "prints the ticket's ID"
is "$(fields $t status rating reopened resolution solved)" "reopened||1||" \
	"reopened, once, resolution and solved cleared, no rating"
is "$(last_event $t)" \
	"{\"at\": \"2026-11-23T12:10:00-05:00\", \"by\": \"mail\", \"action\": \"reopen\", \"from\": \"solved\", \"to\": \"reopened\", \"text\": \"From: Pedro Ruiz <pedro@example.org>\\n\\nNo funciona todavía: la VPN se sigue cayendo cada 10 minutos.\"}" \
	"the event: a reopen by the mail agent, the reply (quote left out) its reason"

# A "5" to a ticket that is not solved is a note, not a rating.
tag $t rating-5.eml
mail "$T/rating-5.eml" "\"5\" to a reopened ticket"
is "$(fields $t status rating)" "reopened|" "still reopened, no rating"
is "$(jget $t 'd["events"][-1]["action"]')" "note" "a note"

# A rating with more words on its line is no rating: reopened.
mk solved; t=$made
printf 'From: pedro@example.org\nSubject: Re: [SD-%s] Solved\n\n5 but it still fails\n' $t >"$T/more.eml"
mail "$T/more.eml" "\"5 but it still fails\""
is "$(fields $t status rating)" "reopened|" "reopened, no rating"

# --- a final ticket: a new related ticket, as before --------------------------

mk closed; closed=$made
tag $closed reopen.eml
mail "$T/reopen.eml" "a reply to a closed ticket"
new=$((closed + 1))
is "$(cat "$T/out")" "SD-$new" "prints the new ticket's ID"
is "$(fields $new channel title requester_email related)" \
	"email|Solved: VPN down|pedro@example.org|SD-$closed" "a new ticket related to the closed one"
is "$(fields $closed status rating related)" "closed||SD-$new" "the closed one gains the link alone"
mk rejected; t=$made
tag $t rating-5.eml
mail "$T/rating-5.eml" "\"5\" to a rejected ticket"
is "$(fields $((t + 1)) related)" "SD-$t" "a new ticket related to the rejected one"
is "$(fields $t status rating)" "rejected|" "the rejected one keeps no rating"

# --- strangers -----------------------------------------------------------------

# strangers = new (the default): a "5" from another address to a solved
# ticket is no rating; a new ticket, unrelated, the tag left in its title.
mk solved; t=$made
tag $t stranger.eml
file_at $t >"$T/before.ini"
mail "$T/stranger.eml" "a stranger's \"5\" to a solved ticket"
new=$((t + 1))
is "$(cat "$T/out")" "SD-$new" "prints the new ticket's ID"
is "$(fields $new channel title requester requester_email related status)" \
	"email|[SD-$t] VPN down|María López|maria.lopez@example.org||new" \
	"a new ticket: the stranger its requester, not related"
file_at $t >"$T/after.ini"
cmp -s "$T/before.ini" "$T/after.ini"
ok $? "the solved ticket's file unchanged"
is "$(sgit diff-tree --no-commit-id --name-only -r HEAD)" "tickets/000/SD-$new.ini" \
	"the commit touches the new ticket alone"

# The same to an open ticket.
mk new; t=$made
tag $t stranger.eml
file_at $t >"$T/before.ini"
mail "$T/stranger.eml" "a stranger's mail to an open ticket, strangers = new"
is "$(cat "$T/out")" "SD-$((t + 1))" "a new ticket"
file_at $t >"$T/after.ini"
cmp -s "$T/before.ini" "$T/after.ini"
ok $? "the open ticket's file unchanged"

# --dry-run says it is a new ticket.
expect_in "$T/stranger.eml" 0 "--dry-run of a stranger's mail" env SD_AGENT=mail sd-mail --dry-run
is "$(sed -n 1p "$T/out")" "action: new" "--dry-run: action new"

# strangers = refuse: ignored, counted under stranger; the ticket as it was.
edit_config sd.ini '/^keywords = /a strangers = refuse'
grep -q '^strangers = refuse$' "$SD_STORE/sd.ini" || bail "no strangers = refuse"
ignored "$T/stranger.eml" "a stranger's mail to an open ticket, strangers = refuse" \
	"from maria.lopez@example.org, neither the requester of SD-$t nor a CC it records (sd.ini [mail] strangers = refuse)"
printf 'stranger = 1\n' >"$T/want"
cmp -s "$T/want" "$COUNTS"
ok $? "counted under stranger in .git/sd-mail-ignored"
file_at $t >"$T/after.ini"
cmp -s "$T/before.ini" "$T/after.ini"
ok $? "the tagged ticket's file unchanged"
mk solved; t=$made
tag $t stranger.eml
ignored "$T/stranger.eml" "a stranger's \"5\" to a solved ticket, strangers = refuse" \
	"from maria.lopez@example.org, neither the requester of SD-$t nor a CC it records (sd.ini [mail] strangers = refuse)"
is "$(fields $t status rating)" "solved|" "still solved, no rating"
printf 'stranger = 2\n' >"$T/want"
cmp -s "$T/want" "$COUNTS"
ok $? "counted twice"

# The requester still gets through; the envelope sender does not make one
# the requester (From: does).
tag $t rating-5.eml
mail "$T/rating-5.eml" "the requester's \"5\", strangers = refuse"
is "$(fields $t status rating)" "closed|5" "closed with rating 5"

# An agent's mail is the desk's own: ignored as before, never a stranger's.
mk new; t=$made
printf 'From: Luis <luis.perez@example.org>\nSubject: Re: [SD-%s] VPN down\n\nLooking.\n' $t >"$T/agent.eml"
ignored "$T/agent.eml" "an agent's mail to the ticket" \
	"from luis.perez@example.org, the desk's own address (luis in agents.ini)"
printf 'own-address = 1\nstranger = 2\n' >"$T/want"
cmp -s "$T/want" "$COUNTS"
ok $? "counted under own-address, not stranger"

# A ticket with no requester email: every mail to it is a stranger's.
mk pending-info; t=$made
printf 'From: pedro@example.org\nSubject: Re: [SD-%s] VPN down\n\nMy address.\n' $t >"$T/noemail.eml"
ignored "$T/noemail.eml" "a mail to a ticket with no requester_email, refuse" \
	"from pedro@example.org, neither the requester of SD-$t nor a CC it records (sd.ini [mail] strangers = refuse)"

# --- a bad value: 78, naming sd.ini and the line -------------------------------

cp "$SD_STORE/sd.ini" "$T/sd.ini"
line=$(grep -n '^strangers = ' "$SD_STORE/sd.ini" | cut -d: -f1)
for bad in "strangers = ignore" "strangers = New" "strangers =" "strangers = new, refuse"; do
	sed "s/^strangers = .*/$bad/" "$T/sd.ini" >"$SD_STORE/sd.ini"
	forge "sd.ini: $bad" sd.ini || bail "forge"
	_b=$(head_id)
	expect_in "$T/rating-5.eml" 78 "[mail] $bad: 78" env SD_AGENT=mail sd-mail
	one_line_error "$T/err" "[mail] $bad: one line"
	val=${bad#*=}
	val=${val# }
	like "$T/err" "^sd-mail: .*sd\.ini:$line: strangers must be new or refuse, not '$val'" \
		"[mail] $bad: names sd.ini:$line and the value"
	is "$(head_id)" "$_b" "[mail] $bad: no commit"
done
sed "s/^strangers = .*/strangers = new/" "$T/sd.ini" >"$SD_STORE/sd.ini"
forge "sd.ini: new" sd.ini || bail "forge"
mk new; t=$made
tag $t stranger.eml
mail "$T/stranger.eml" "strangers = new written out"
is "$(cat "$T/out")" "SD-$((t + 1))" "a new ticket"

done_testing
