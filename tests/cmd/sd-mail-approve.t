#!/bin/sh
# sd-mail and approvals by reply: an approval request mail carries a token,
# an HMAC of the ticket, the role, the approver and the approval round (the
# event that opened it) keyed with the store's
# secret (.git/sd-mail-secret).  A reply from that approver's address that
# brings it back (the subject's "(ref TOKEN)", or the request's message id
# <SD-N.approval.TOKEN@...> in In-Reply-To or References) and starts with
# aprobado/approved/sí/yes or rechazado/denied/no gives or denies that
# approval as sd-approve does, as that approver.  Anything else carrying a
# token is refused with exit 65 and changes nothing.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
unset SENDER
command -v openssl >/dev/null 2>&1 || { echo "1..0 # SKIP no openssl"; exit 0; }

# The secret, as the first sd_mail_token call would make it: 32 random
# bytes, mode 0600.  (Nothing but an approval request mail makes it.)
SECRET=$SD_STORE/.git/sd-mail-secret
head -c 32 /dev/urandom >"$SECRET" && chmod 600 "$SECRET" || bail "no secret"
KEY=$(od -An -tx1 -v "$SECRET" | tr -d ' \n')

# tok ID ROLE AGENT [ROUND]: the token of ROLE's approval of ID asked of
# AGENT in ROUND (the number of the event that brought the ticket into
# awaiting-approval; 1, its creation, unless given), computed here as
# tests/unit/test_mail_token.c does: the first 24 hex digits of
# HMAC-SHA256(secret, "ID\0ROLE\0AGENT\0ROUND\0")
tok() {
	printf '%s\0%s\0%s\0%s\0' "$1" "$2" "$3" "${4:-1}" |
		openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" | sed 's/.*= *//' | cut -c1-24
}
[ "$(tok SD-1 boss carmen | wc -c)" = 25 ] || bail "tok: no token"

# request: an access/account request (approvals boss, then risk); its
# number in $made
request() {
	quiet env SD_AGENT=ana sd-new -t request -s "Account for Eva" -r "Eva Luna" \
		-c access/account --email eva@example.org
	made=$(sed 's/^SD-//' "$T/quiet.out")
}

# msg FILE FROM SUBJECT TEXT [HEADER]: a reply in FILE
msg() {
	{
		printf 'From: %s\nTo: mesadeservicios@example.org\nSubject: %s\n' "$2" "$3"
		[ $# -gt 4 ] && printf '%s\n' "$5"
		printf 'Date: Mon, 23 Nov 2026 11:00:00 -0500\n\n%s\n' "$4"
	} >"$1"
}

CARMEN="Carmen Vargas <carmen.vargas@example.org>"
RAUL="Raúl Mejía <raul.mejia@example.org>"

# taken FILE DESCRIPTION: sd-mail < FILE exits 0, one commit, store clean
taken() {
	_b=$(head_id)
	expect_in "$1" 0 "$2" env SD_AGENT=mail sd-mail
	is "$(sgit rev-parse HEAD~1 2>/dev/null)" "$_b" "$2: one commit"
	clean "$2: store clean"
}

# refused_mail FILE STATUS DESCRIPTION MESSAGE: sd-mail < FILE exits STATUS
# with the one line "sd-mail: MESSAGE", nothing on stdout, no commit
refused_mail() {
	_b=$(head_id)
	expect_in "$1" "$2" "$3: exit $2" env SD_AGENT=mail sd-mail
	one_line_error "$T/err" "$3: one line on stderr"
	is "$(cat "$T/err")" "sd-mail: $4" "$3: says which"
	is "$(cat "$T/out")" "" "$3: nothing on stdout"
	unchanged "$_b" "$3"
}

export SD_NOW=2026-11-23T11:00:00-05:00

# --- approved, in Spanish, by the subject's token ------------------------------

request; t=$made
is "$(fields $t status approvals)" "awaiting-approval|boss risk" "SD-$t waits for boss, then risk"
msg "$T/a.eml" "$CARMEN" "RE: [SD-$t] Aprobación requerida: Account for Eva (ref $(tok SD-$t boss carmen))" \
	"Aprobado."
expect_in "$T/a.eml" 0 "--dry-run of an approval" env SD_AGENT=mail sd-mail --dry-run
is "$(cat "$T/out")" "$(printf 'action: approve\nticket: SD-%s\nrole: boss\nby: carmen' $t)" \
	"--dry-run: approve, the ticket, the role, the approver"
is "$(fields $t approvals)" "boss risk" "--dry-run changes nothing"
taken "$T/a.eml" "carmen's \"Aprobado.\" with the subject's token"
is "$(cat "$T/out")" "SD-$t" "prints the ticket's ID"
is "$(fields $t status approvals)" "awaiting-approval|risk" "boss given: risk left"
is "$(last_event $t)" '{"at": "2026-11-23T11:00:00-05:00", "by": "carmen", "action": "approve", "role": "boss"}' \
	"the event: an approve by carmen, the role, no text"
is "$(commit_info)" "Carmen Vargas <carmen.vargas@example.org>|SD-$t: approve|SD-$t|approve" \
	"the commit: by the approver, as sd-approve's"
refused_mail "$T/a.eml" 65 "the same reply again" \
	"SD-$t: the token is not that of approval 'risk' asked of carmen"

# --- approved, in English, by In-Reply-To's message id; Outlook's quote -------

printf 'Approved - go ahead.\n\n________________________________\nFrom: Mesa de servicios <mesadeservicios@example.org>\nSent: Monday, November 23, 2026 10:40 AM\nTo: Raúl Mejía\nSubject: [SD-%s] Approval needed\n\nPlease approve or deny.\n' $t >"$T/body"
msg "$T/b.eml" "$RAUL" "RE: [SD-$t] Approval needed" "$(cat "$T/body")" \
	"In-Reply-To: <SD-$t.approval.$(tok SD-$t risk raul)@sd.example.org>"
taken "$T/b.eml" "raul's Outlook \"Approved - go ahead.\" with In-Reply-To's token"
is "$(fields $t status approvals)" "new|" "all given: new"
is "$(jget $t '[d["events"][-1][k] for k in ("by", "action", "from", "to", "role", "text")]')" \
	'["raul", "approve", "awaiting-approval", "new", "risk", "go ahead."]' \
	"the event: by raul, to new, what follows the word its text, the quote left out"
is "$(commit_info)" "Raúl Mejía <raul.mejia@example.org>|SD-$t: approve (awaiting-approval -> new)|SD-$t|approve" \
	"the commit: by raul"

# Spanish "Sí" with capitals and an accent; References (the last id) only.
request; t=$made
msg "$T/c.eml" "$CARMEN" "Re: Aprobación" "¡SÍ!" \
	"References: <SD-$t.new@sd.example.org> <SD-$t.approval.$(tok SD-$t boss carmen)@sd.example.org>"
taken "$T/c.eml" "\"¡SÍ!\" with References' token, no tag in the subject"
is "$(fields $t approvals)" "risk" "boss given"
# "yes" by raul, the token in the subject, the address in capitals.
msg "$T/d.eml" "Raúl Mejía <RAUL.MEJIA@EXAMPLE.ORG>" "Re: [SD-$t] (ref $(tok SD-$t risk raul))" "yes"
taken "$T/d.eml" "\"yes\" from the address in capitals"
is "$(fields $t status approvals)" "new|" "new"

# --- denied, with the reason -------------------------------------------------

request; t=$made
msg "$T/e.eml" "$CARMEN" "RE: [SD-$t] Aprobación requerida (ref $(tok SD-$t boss carmen))" \
	"$(printf 'Rechazado: no hay presupuesto este año.\nPidan de nuevo en enero.')"
expect_in "$T/e.eml" 0 "--dry-run of a denial" env SD_AGENT=mail sd-mail --dry-run
is "$(sed -n 1p "$T/out")" "action: deny" "--dry-run: deny"
taken "$T/e.eml" "carmen's \"Rechazado: ...\""
is "$(fields $t status close_reason closed)" \
	"rejected|no hay presupuesto este año.|2026-11-23T11:00:00-05:00" \
	"rejected; close_reason the reason's first line"
is "$(jget $t '[d["events"][-1][k] for k in ("by", "action", "role", "text")]')" \
	'["carmen", "deny", "boss", "no hay presupuesto este año.\nPidan de nuevo en enero."]' \
	"the event: a deny by carmen, the reason whole"
is "$(commit_info)" "Carmen Vargas <carmen.vargas@example.org>|SD-$t: deny (awaiting-approval -> rejected)|SD-$t|deny" \
	"the commit: a deny by carmen"

# "No" alone: the reason is the whole text.
request; t=$made
quiet env SD_AGENT=carmen sd-approve --role boss $t
msg "$T/f.eml" "$RAUL" "Re: [SD-$t] Approval (ref $(tok SD-$t risk raul))" "No"
taken "$T/f.eml" "raul's \"No\" alone"
is "$(fields $t status close_reason)" "rejected|No" "rejected, the reason \"No\""
is "$(jget $t 'd["events"][-1]["action"] + " " + d["events"][-1]["role"]')" "deny risk" "a deny of risk"

# --- refused: exit 65, one line, nothing changed ----------------------------

request; t=$made
request; other=$made
BOSS=$(tok SD-$t boss carmen)

msg "$T/g.eml" "$CARMEN" "Re: [SD-$t] Aprobación (ref 0123456789abcdef01234567)" "Aprobado"
refused_mail "$T/g.eml" 65 "a wrong token" "SD-$t: the token is not that of approval 'boss' asked of carmen"

msg "$T/g.eml" "$RAUL" "Re: [SD-$t] Approval (ref $(tok SD-$t risk raul))" "Approved"
refused_mail "$T/g.eml" 65 "risk's token before boss is given" \
	"SD-$t: the token is that of approval 'risk', but 'boss' comes first"

msg "$T/g.eml" "$RAUL" "Re: [SD-$t] Approval (ref $BOSS)" "Approved"
refused_mail "$T/g.eml" 65 "raul replying with carmen's token" \
	"SD-$t: the token of approval 'boss' was sent to carmen, not to raul"

msg "$T/g.eml" "$CARMEN" "Re: [SD-$t] Approval (ref $(tok SD-$other boss carmen))" "Approved"
refused_mail "$T/g.eml" 65 "the token of another ticket" \
	"SD-$t: the token is not that of approval 'boss' asked of carmen"
msg "$T/g.eml" "$CARMEN" "Re: [SD-$other] Approval" "Approved" \
	"In-Reply-To: <SD-$other.approval.$BOSS@sd.example.org>"
refused_mail "$T/g.eml" 65 "a message id naming another ticket" \
	"SD-$other: the token is not that of approval 'boss' asked of carmen"

msg "$T/g.eml" "Eva Luna <eva@example.org>" "Re: [SD-$t] Approval (ref $BOSS)" "Aprobado"
refused_mail "$T/g.eml" 65 "the right token from a requester's address" \
	"SD-$t: an approval reply from eva@example.org, which is no agent's address in agents.ini"

msg "$T/g.eml" "$CARMEN" "Re: Approval (ref $BOSS)" "Aprobado"
refused_mail "$T/g.eml" 65 "a token with no tag" \
	"an approval reply (ref $BOSS) with no ticket [SD-N] in its subject"

msg "$T/g.eml" "$CARMEN" "Re: [SD-999] Approval (ref $(tok SD-999 boss carmen))" "Aprobado"
refused_mail "$T/g.eml" 65 "a ticket that is not there" "SD-999: an approval reply to no such ticket"

msg "$T/g.eml" "$CARMEN" "Re: [SD-$t] Approval (ref $BOSS)" \
	"$(printf '¿De qué cuenta se trata?\n\n> Please approve')"
refused_mail "$T/g.eml" 65 "the right token, neither approved nor denied" \
	"SD-$t: the approval reply neither approves nor denies 'boss': its first word must be approved or denied (aprobado, rechazado)"
# the first word of a sentence is not an answer ("si": "if")
for said in "No problem, go ahead" "Si es necesario, adelante" "Si no hay presupuesto, rechazado"; do
	msg "$T/g.eml" "$CARMEN" "Re: [SD-$t] Approval (ref $BOSS)" "$said"
	refused_mail "$T/g.eml" 65 "\"$said\": neither approved nor denied" \
		"SD-$t: the approval reply neither approves nor denies 'boss': its first word must be approved or denied (aprobado, rechazado)"
done

new_ticket; inc=$made
msg "$T/g.eml" "$CARMEN" "Re: [SD-$inc] Approval (ref $(tok SD-$inc boss carmen))" "Aprobado"
refused_mail "$T/g.eml" 65 "a ticket not awaiting approval" \
	"SD-$inc: an approval reply to a ticket that is new, not awaiting approval"
is "$(fields $inc status approvals)" "new|" "the ticket as it was"

# The action table decides: ana's token checks, but ana approves nothing.
msg "$T/g.eml" "Ana Gómez <ana.gomez@example.org>" "Re: [SD-$t] Approval (ref $(tok SD-$t boss ana))" "Aprobado"
refused_mail "$T/g.eml" 77 "a token asked of ana, who approves nothing" \
	"SD-$t: ana: does not approve 'boss'"
is "$(fields $t status approvals)" "awaiting-approval|boss risk" "nothing given"

# A secret that is not one: 65, naming the file.
cp "$SECRET" "$T/secret"
printf 'short' >"$SECRET"
msg "$T/g.eml" "$CARMEN" "Re: [SD-$t] Approval (ref $BOSS)" "Aprobado"
_b=$(head_id)
expect_in "$T/g.eml" 65 "a broken secret: 65" env SD_AGENT=mail sd-mail
like "$T/err" "^sd-mail: .*sd-mail-secret: not a secret of 32 bytes" "names the secret's file"
unchanged "$_b" "a broken secret"
cp "$T/secret" "$SECRET"

# The requester's reply in a thread that held an approval request: a note,
# References counting only from an agent.
msg "$T/k.eml" "Eva Luna <eva@example.org>" "Re: [SD-$t] Account for Eva" "¿Ya está?" \
	"References: <SD-$t.approval.$BOSS@sd.example.org> <SD-$t.reply.1@sd.example.org>"
taken "$T/k.eml" "the requester's reply with an approval id in References"
is "$(jget $t 'd["events"][-1]["action"] + "|" + d["events"][-1]["text"]')" \
	"$(printf 'note|From: Eva Luna <eva@example.org>\n\n¿Ya está?')" "a note, as before"
is "$(fields $t approvals)" "boss risk" "no approval given"

# Without a token, an agent's mail is the desk's own, as before: ignored.
msg "$T/h.eml" "$CARMEN" "Re: [SD-$t] Approval" "Aprobado"
_b=$(head_id)
expect_in "$T/h.eml" 0 "an agent's \"Aprobado\" without a token: exit 0" env SD_AGENT=mail sd-mail
is "$(cat "$T/err")" \
	"sd-mail: ignored: from carmen.vargas@example.org, the desk's own address (carmen in agents.ini)" \
	"ignored as the desk's own address"
unchanged "$_b" "an agent's mail without a token"
# A malformed token is no token.
msg "$T/h.eml" "$CARMEN" "Re: [SD-$t] Approval (ref ${BOSS}0)" "Aprobado"
expect_in "$T/h.eml" 0 "a token of 25 digits is none: ignored" env SD_AGENT=mail sd-mail
like "$T/err" "ignored: from carmen" "ignored as the desk's own address"
# The desk's own group address bringing a token back: its own mail, ignored.
msg "$T/h.eml" "Mesa <mesadeservicios@example.org>" "[SD-$t] Approval (ref $BOSS)" "Please approve"
expect_in "$T/h.eml" 0 "the desk's group address with a token: ignored" env SD_AGENT=mail sd-mail
like "$T/err" "ignored: from mesadeservicios@example.org, the desk's own address \\(desk in agents.ini\\)" \
	"ignored as the desk's own address"
# An automatic reply carrying the token: ignored first.
msg "$T/h.eml" "$CARMEN" "Automatic reply: [SD-$t] Approval (ref $BOSS)" "Aprobado" "Auto-Submitted: auto-replied"
expect_in "$T/h.eml" 0 "an automatic reply with the token: ignored" env SD_AGENT=mail sd-mail
like "$T/err" "ignored: an automatic message" "ignored as automatic"
is "$(fields $t status approvals)" "awaiting-approval|boss risk" "still nothing given"

# --- two roles in order, and the hooks ----------------------------------------

mkdir -p "$SD_STORE/hooks"
for h in approve deny; do
	printf '#!/bin/sh\necho "$SD_ACTION $1 $SD_AGENT" >>"%s/hooks.log"\n' "$T" >"$SD_STORE/hooks/$h"
	chmod +x "$SD_STORE/hooks/$h"
done
msg "$T/i.eml" "$CARMEN" "Re: [SD-$t] Approval (ref $BOSS)" "apruebo"
taken "$T/i.eml" "boss first"
msg "$T/j.eml" "$RAUL" "Re: [SD-$t] Approval (ref $(tok SD-$t risk raul))" "Denied. Too much access."
taken "$T/j.eml" "then risk, denied"
is "$(fields $t status close_reason)" "rejected|Too much access." "rejected at risk"
is "$(cat "$T/hooks.log" | tr '\n' '|')" "approve SD-$t carmen|deny SD-$t raul|" \
	"hooks/approve and hooks/deny ran, as the approver"

# --- a later round: the earlier round's token gives nothing ------------------

request; t=$made
OLD=$(tok SD-$t boss carmen 1)
msg "$T/r.eml" "$CARMEN" "Re: [SD-$t] Approval (ref $OLD)" "Approved"
taken "$T/r.eml" "round 1: boss"
msg "$T/r.eml" "$RAUL" "Re: [SD-$t] Approval (ref $(tok SD-$t risk raul 1))" "Approved"
taken "$T/r.eml" "round 1: risk"
is "$(fields $t status approvals)" "new|" "round 1 over: new"
# A new round: the category emptied by hand, then classified again.
mkeditor
SD_SED='s/^category = .*/category =/' EDITOR="$T/editor" quiet sd-edit "$t"
is "$(fields $t status category)" "new|" "round 1 over, unclassified by hand"
quiet env SD_AGENT=ana sd-update --category access/account "$t"
is "$(fields $t status approvals)" "awaiting-approval|boss risk" "round 2: awaiting approval again"
n=$(jget $t 'len(d["events"])')
msg "$T/r.eml" "$CARMEN" "Re: [SD-$t] Approval (ref $OLD)" "Approved"
refused_mail "$T/r.eml" 65 "round 1's token replayed in round 2" \
	"SD-$t: the token is not that of approval 'boss' asked of carmen"
msg "$T/r.eml" "$CARMEN" "Re: [SD-$t] Approval" "Approved" \
	"In-Reply-To: <SD-$t.approval.$OLD@sd.example.org>"
refused_mail "$T/r.eml" 65 "round 1's message id replayed in round 2" \
	"SD-$t: the token is not that of approval 'boss' asked of carmen"
msg "$T/r.eml" "$CARMEN" "Re: [SD-$t] Approval (ref $(tok SD-$t boss carmen $n))" "Approved"
taken "$T/r.eml" "round 2's own token (round $n) is taken"
is "$(fields $t approvals)" "risk" "round 2: boss given"

# --- real mail programs: Outlook's HTML reply, Thunderbird's flowed one --------

M=${SD_TOP:-.}/tests/mail
# sample FILE N ROLE AGENT: tests/mail/FILE for SD-N, its token ROLE's asked
# of AGENT, in $T/FILE
sample() {
	sed "s/SD-1\([].]\)/SD-$2\1/g; s/000000000000000000000000/$(tok SD-$2 $3 $4)/g" "$M/$1" >"$T/$1"
}
request; t=$made
sample approval-outlook.eml $t boss carmen
expect_in "$T/approval-outlook.eml" 0 "--dry-run of Outlook's HTML approval" env SD_AGENT=mail sd-mail --dry-run
is "$(sed -n 1,4p "$T/out" | tr '\n' '|')" "action: approve|ticket: SD-$t|role: boss|by: carmen|" \
	"--dry-run: carmen approves boss"
taken "$T/approval-outlook.eml" "Outlook's HTML-only \"Aprobado, por un año.\""
is "$(fields $t approvals)" "risk" "boss given"
is "$(jget $t 'd["events"][-1]["text"].split("\n")[0]')" "por un año." \
	"the comment: what follows the word, the quoted request left out"
jget $t 'd["events"][-1]["text"]' >"$T/comment"
grep -q "Responda" "$T/comment"
ok $([ $? = 1 ]; echo $?) "the quoted request is not in the comment"
sample approval-deny.eml $t risk raul
taken "$T/approval-deny.eml" "Thunderbird's flowed \"Denied: ...\" with References"
is "$(fields $t status close_reason)" \
	"rejected|an account with access to payroll needs the data owner's request first." \
	"rejected, the flowed reason unwrapped on one line"

# --- an approver's fresh mail (no token): answered, the request again ---------
# With [mail] address set, the approver who writes instead of replying is
# told why it does not count, with the request again (its token).
SENT=$T/sent
mkdir -p "$SENT"
printf '#!/bin/sh\ncat >"$(mktemp "%s/m.XXXXXX")"\n' "$SENT" >"$T/sendmail"
chmod +x "$T/sendmail"
git -C "$SD_STORE" config sd.sendmail "$T/sendmail"
edit_config sd.ini "/^keywords = /a address = mesa@sd.example.org"
# subject FILE: the Subject header as on the wire, unfolded
subject() { sed -n '/^$/q;p' "$1" | sed ':a;N;$!ba;s/\n[ \t]/ /g' | sed -n 's/^Subject: //p'; }
request; t=$made
rm -f "$SENT"/*
BOSS=$(tok SD-$t boss carmen)
msg "$T/f.eml" "$CARMEN" "[SD-$t] Account for Eva" "Aprobado" "Message-ID: <fresh.1@example.org>"
_b=$(head_id)
expect_in "$T/f.eml" 0 "carmen's fresh \"Aprobado\": exit 0" env SD_AGENT=mail sd-mail
unchanged "$_b" "carmen's fresh mail"
is "$(fields $t approvals)" "boss risk" "no approval given"
is "$(sed -n 2p "$T/err")" \
	"sd-mail: SD-$t: an approval is given only by a reply to its request; the request is sent again to carmen.vargas@example.org" \
	"says the request is sent again"
is "$(ls "$SENT" | wc -l | tr -d ' ')" 1 "one mail"
f=$(ls "$SENT"/* | head -1)
like "$f" "^To: Carmen Vargas <carmen\\.vargas@example\\.org>\$" "to carmen"
like "$f" "^In-Reply-To: <fresh\\.1@example\\.org>\$" "in reply to her mail"
is "$(subject "$f")" "[SD-$t] Approval needed (boss): Account for Eva (ref $BOSS)" \
	"the request's subject, with her token for boss"
like "$f" "only by a reply to the request mail" "says why her mail did not count"
# The same mail delivered again: answered once.
expect_in "$T/f.eml" 0 "the same mail again: exit 0" env SD_AGENT=mail sd-mail
is "$(ls "$SENT" | wc -l | tr -d ' ')" 1 "answered once"
# A reply to that mail counts.
msg "$T/g2.eml" "$CARMEN" "RE: [SD-$t] Approval needed (boss): Account for Eva (ref $BOSS)" "Approved"
taken "$T/g2.eml" "a reply to the mail sent again approves"
is "$(fields $t approvals)" "risk" "boss given"
# raul is asked risk now; carmen is asked nothing: no answer to her.
rm -f "$SENT"/*
msg "$T/f.eml" "$CARMEN" "[SD-$t] Account for Eva" "Aprobado" "Message-ID: <fresh.2@example.org>"
expect_in "$T/f.eml" 0 "carmen, no longer asked: exit 0" env SD_AGENT=mail sd-mail
is "$(ls "$SENT" | wc -l | tr -d ' ')" 0 "not asked: nothing sent"
is "$(wc -l <"$T/err" | tr -d ' ')" 1 "the ignored line alone"
# In Spanish for raul.
edit_config sd.ini "/^prefix = /a language = es"
msg "$T/f.eml" "$RAUL" "Re: [SD-$t] Cuenta" "Sí" "Message-ID: <fresh.3@example.org>"
expect_in "$T/f.eml" 0 "raul's fresh mail: exit 0" env SD_AGENT=mail sd-mail
is "$(ls "$SENT" | wc -l | tr -d ' ')" 1 "raul answered"
f=$(ls "$SENT"/* | head -1)
like "$f" "^Message-ID: <SD-$t\\.0\\.[0-9a-f]{12}@sd\\.example\\.org>\$" "an id of its own"
is "$(subject "$f" | sed 's/.*(ref \(.*\))$/\1/')" "$(tok SD-$t risk raul)" "his token for risk"
like "$f" "no se tom=C3=B3 como respuesta" "in Spanish"
# A ticket not awaiting approval: nothing.
rm -f "$SENT"/*
quiet env SD_AGENT=ana sd-new -t incident -s "VPN" -r "Eva Luna" -c network/vpn --email eva@example.org
n=$(sed 's/^SD-//' "$T/quiet.out")
rm -f "$SENT"/*
msg "$T/f.eml" "$CARMEN" "[SD-$n] VPN" "Aprobado" "Message-ID: <fresh.4@example.org>"
expect_in "$T/f.eml" 0 "an agent's mail about a ticket not awaiting approval" env SD_AGENT=mail sd-mail
is "$(ls "$SENT" | wc -l | tr -d ' ')" 0 "nothing sent"

done_testing
