#!/bin/sh
# sd-mail and the addresses copied on the requester's mail: a new ticket by
# mail records its Cc: addresses (the desk's, the agents' and the sender's
# left out) in its event's `cc` key; a reply to the ticket from one of them
# is a note, as the requester's would be, but only the requester's reply
# rates or reopens a solved ticket.  Anyone else is a stranger: a new
# ticket ([mail] strangers = new) or ignored (refuse).
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
unset SENDER
export SD_NOW=2026-11-23T12:10:00-05:00

# mail FILE DESCRIPTION: sd-mail < FILE takes it: exit 0, one commit,
# store clean
mail() {
	_b=$(head_id)
	expect_in "$1" 0 "$2" env SD_AGENT=mail sd-mail
	is "$(sgit rev-parse HEAD~1 2>/dev/null)" "$_b" "$2: one commit"
	clean "$2: store clean"
}

# --- a new ticket records its CCs -----------------------------------------

cat >"$T/new.eml" <<'EOF'
From: Pedro Ruiz <pedro@example.org>
To: Mesa de servicios <mesadeservicios@example.org>
Cc: Jefa <Jefa@Example.org>, Luis <luis.perez@example.org>,
 mesadeservicios@example.org, pedro@example.org, Equipo: otro@example.org;,
 jefa@example.org
Subject: Ayuda: la VPN se cae
Date: Mon, 23 Nov 2026 12:00:00 -0500

Se cae cada diez minutos.
EOF
expect_in "$T/new.eml" 0 "--dry-run of a new ticket with Cc" env SD_AGENT=mail sd-mail --dry-run
like "$T/out" "^cc: Jefa@Example.org, otro@example.org\$" \
	"--dry-run: the CCs, the desk's, an agent's and the sender's left out"
mail "$T/new.eml" "a new ticket with Cc"
t=$(sed 's/^SD-//' "$T/out")
is "$(jget $t 'd["events"][0]["action"] + "|" + d["events"][0]["cc"]')" \
	"new|Jefa@Example.org, otro@example.org" "the new event records cc, each address once"
like "$SD_STORE/tickets/000/SD-$t.ini" "^cc = Jefa@Example.org, otro@example.org\$" \
	"the ticket file: cc = ... in [event 1]"
expect 0 "sd-fsck --commits: the cc key is the new event's" sd-fsck --commits HEAD
expect 0 "sd-fsck: the store is sound" sd-fsck

# No Cc, or only the desk's: no cc key.
printf 'From: pedro@example.org\nCc: ana.gomez@example.org\nSubject: help\n\nx\n' >"$T/nocc.eml"
mail "$T/nocc.eml" "a new ticket with only an agent in Cc"
n=$(sed 's/^SD-//' "$T/out")
is "$(jget $n '"cc" in d["events"][0]')" "false" "no cc key"

# --- a CC's reply: a note ------------------------------------------------------

printf 'From: La Jefa <jefa@example.org>\nSubject: RE: [SD-%s] Ayuda: la VPN se cae\nIn-Reply-To: <x@y>\n\nA mí también se me cae.\n\n> Se cae\n' $t >"$T/cc.eml"
mail "$T/cc.eml" "a reply from a recorded CC"
is "$(cat "$T/out")" "SD-$t" "prints the ticket's ID"
is "$(jget $t 'd["events"][-1]["action"] + "|" + d["events"][-1]["by"] + "|" + d["events"][-1]["text"]')" \
	"$(printf 'note|mail|From: La Jefa <jefa@example.org>\n\nA mí también se me cae.')" \
	"a note by the mail agent, who wrote first"
is "$(fields $t status)" "new" "the status stays"

# The CC of a group address (Equipo: otro@...) too.
printf 'From: otro@example.org\nSubject: Re: [SD-%s] VPN\n\nYo igual.\n' $t >"$T/cc2.eml"
mail "$T/cc2.eml" "a reply from a CC of a group"
is "$(jget $t 'd["events"][-1]["action"]')" "note" "a note"

# On a solved ticket, a CC's "5" is a note: only the requester rates.
quiet env SD_AGENT=carmen sd-solve -m "Router restarted" $t
printf 'From: jefa@example.org\nSubject: Re: [SD-%s] Solved\n\n5\n' $t >"$T/cc5.eml"
mail "$T/cc5.eml" "a CC's \"5\" to a solved ticket"
is "$(fields $t status rating)" "solved|" "still solved, no rating"
is "$(jget $t 'd["events"][-1]["action"]')" "note" "a note"
printf 'From: jefa@example.org\nSubject: Re: [SD-%s] Solved\n\nSigue fallando.\n' $t >"$T/ccno.eml"
mail "$T/ccno.eml" "a CC's \"it still fails\" to a solved ticket"
is "$(fields $t status)" "solved" "not reopened: a note"
printf 'From: pedro@example.org\nSubject: Re: [SD-%s] Solved\n\n5\n' $t >"$T/req5.eml"
mail "$T/req5.eml" "the requester's \"5\""
is "$(fields $t status rating)" "closed|5" "closed with rating 5"

# On a final ticket, a CC's mail is a new ticket related to it, theirs.
printf 'From: Jefa <jefa@example.org>\nSubject: Re: [SD-%s] VPN\n\nOtra vez.\n' $t >"$T/ccfinal.eml"
mail "$T/ccfinal.eml" "a CC's mail to a closed ticket"
r=$(sed 's/^SD-//' "$T/out")
is "$(fields $r requester requester_email related)" "Jefa|jefa@example.org|SD-$t" \
	"a new ticket, the CC its requester, related to the closed one"

# --- strangers -----------------------------------------------------------------

new_ticket; s=$made
printf 'From: Otra <extra@example.org>\nSubject: Re: [SD-%s] VPN\n\nHola.\n' $s >"$T/stranger.eml"
mail "$T/stranger.eml" "a stranger's mail, strangers = new"
is "$(fields $(sed 's/^SD-//' "$T/out") requester_email related)" "extra@example.org|" \
	"a new ticket of the stranger's, related to none"
is "$(nevents $s)" 1 "the tagged ticket untouched"
# A CC of another ticket is a stranger to this one.
printf 'From: jefa@example.org\nSubject: Re: [SD-%s] VPN\n\nHola.\n' $s >"$T/other.eml"
mail "$T/other.eml" "another ticket's CC, strangers = new"
is "$(nevents $s)" 1 "the tagged ticket untouched"
edit_config sd.ini '/^keywords = /a strangers = refuse'
_b=$(head_id)
expect_in "$T/stranger.eml" 0 "a stranger's mail, strangers = refuse: exit 0" env SD_AGENT=mail sd-mail
is "$(cat "$T/err")" \
	"sd-mail: ignored: from extra@example.org, neither the requester of SD-$s nor a CC it records (sd.ini [mail] strangers = refuse)" \
	"ignored, says why"
unchanged "$_b" "a stranger's mail, refused"
# A recorded CC still gets through with refuse.
mail "$T/new.eml" "another new ticket with Cc"
u=$(sed 's/^SD-//' "$T/out")
sed "s/\[SD-$t\]/[SD-$u]/" "$T/cc.eml" >"$T/cc3.eml"
mail "$T/cc3.eml" "a recorded CC's reply, strangers = refuse"
is "$(jget $u 'd["events"][-1]["action"] + "|" + d["events"][-1]["text"].split("\n")[0]')" \
	"note|From: La Jefa <jefa@example.org>" "a note"

done_testing
