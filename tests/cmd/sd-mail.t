#!/bin/sh
# sd-mail: one message on stdin, as an MTA, procmail or fetchmail hands
# it, becomes a note on the ticket its subject names, a new ticket (a
# keyword of [mail] keywords in the subject), a new ticket related to a
# final one, or nothing, said on stderr.  The samples are tests/mail/*.eml.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
M=${SD_TOP:-.}/tests/mail

std_cli sd-mail

# The MTA runs it as the level-1 agent `mail` of the example desk.
# SD-1, by ana, for the Pedro Ruiz who writes tests/mail/reply.eml
new_ticket --email pedro.ruiz@example.org
export SD_AGENT=mail SD_NOW=2026-11-23T11:45:00-05:00

# mail FILE DESCRIPTION [sd-mail options]: sd-mail < FILE takes it (exit
# 0, one commit, store clean)
mail() {
	_f=$1 _d=$2
	shift 2
	_b=$(head_id)
	expect_in "$_f" 0 "$_d" sd-mail "$@"
	is "$(sgit rev-parse HEAD~1 2>/dev/null)" "$_b" "$_d: one commit"
	clean "$_d: store clean"
}

# ignored FILE DESCRIPTION WHY: sd-mail < FILE does nothing: exit 0, WHY
# on stderr after "sd-mail: ignored: ", nothing on stdout, no commit
ignored() {
	_b=$(head_id)
	expect_in "$1" 0 "$2: exit 0" sd-mail
	is "$(cat "$T/err")" "sd-mail: ignored: $3" "$2: says why, on one line"
	is "$(cat "$T/out")" "" "$2: nothing on stdout"
	unchanged "$_b" "$2"
}

# refused_in FILE STATUS DESCRIPTION CMD...: CMD < FILE exits STATUS with
# one line on stderr, nothing on stdout, and changes nothing
refused_in() {
	_b=$(head_id)
	_f=$1 _s=$2 _d=$3
	shift 3
	expect_in "$_f" "$_s" "$_d" "$@"
	one_line_error "$T/err" "$_d: one line on stderr"
	is "$(cat "$T/out")" "" "$_d: nothing on stdout"
	unchanged "$_b" "$_d"
}

# bytes_are ID EXPR FORMAT DESCRIPTION: the ticket's EXPR (jget) is
# printf FORMAT's bytes exactly
bytes_are() {
	jget "$1" "$2" >"$T/got"
	printf "$3" >"$T/want"
	if ! cmp -s "$T/want" "$T/got"; then
		echo "# want:" >&2; od -c "$T/want" | sed 's/^/#   /' >&2
		echo "# got:" >&2; od -c "$T/got" | sed 's/^/#   /' >&2
	fi
	ok $(cmp -s "$T/want" "$T/got"; echo $?) "$4"
}

# --- a reply to a ticket: the requester's note ---------------------------

mail "$M/reply.eml" "a reply tagged [SD-1]: a note"
out_is "SD-1" "prints the ticket's ID alone"
is "$(last_event 1)" \
	'{"at": "2026-11-23T11:45:00-05:00", "by": "mail", "action": "note", "text": "From: Pedro Ruiz <pedro.ruiz@example.org>\n\nSigue cayéndose cada 10 minutos, también desde la casa."}' \
	"a note event: who wrote it, then the reply without what it quotes"
bytes_are 1 'd["events"][-1]["text"]' \
	'From: Pedro Ruiz <pedro.ruiz@example.org>\n\nSigue cay\303\251ndose cada 10 minutos, tambi\303\251n desde la casa.' \
	"the note's bytes, in UTF-8"
is "$(commit_info)" "Mail gateway (sd-mail) <mail@sd.sd.invalid>|SD-1: note|SD-1|note" \
	"the commit: by the mail agent, a note"
is "$(fields 1 status requester requester_email)" "new|Pedro Ruiz|pedro.ruiz@example.org" \
	"the ticket keeps its status and requester"

export SD_NOW=2026-11-23T12:10:00-05:00
mail "$M/reply-outlook.eml" "an Outlook reply tagged [sd-1]: a note"
out_is "SD-1" "prints SD-1"
bytes_are 1 'd["events"][-1]["text"]' \
	'From: Pedro Ruiz <pedro.ruiz@example.org>\n\nYa funciona, gracias.\nPueden cerrar el caso.\n\nPedro' \
	"the note leaves out the -----Original Message----- and what follows"

# --- a keyword: a new ticket ---------------------------------------------

export SD_NOW=2026-11-23T12:20:00-05:00
mail "$M/multipart-pdf.eml" "multipart with a PDF, keyword Ayuda: a new ticket"
out_is "SD-2" "prints the new ID alone"
is "$(fields 2 type status channel title requester requester_email group level related)" \
	"incident|new|email|Ayuda: error al abrir el módulo de facturación|Laura Méndez|laura.mendez@example.org|desk|1|" \
	"channel email, title from the subject, requester and email from From:; no category: new, for the desk to classify"
bytes_are 2 'd["description"]' \
	'Buenos d\303\255as,\n\nAl abrir el m\303\263dulo de facturaci\303\263n sale el error del adjunto.\nAdjunto la captura en PDF.\n\nGracias,\nLaura M\303\251ndez\nContabilidad, ext. 4410' \
	"the description: the text part"
is "$(jget 2 'd["events"][0]')" \
	'{"at": "2026-11-23T12:20:00-05:00", "by": "mail", "action": "new", "message_id": "20261123150205.GA1234@example.org", "attachment": "sha256:5a5bcc4a5c7bae9fedbffbcf59bbe7f6164257e39372978a4c230a1317686852 590 application/pdf error facturación.pdf", "to": "new"}' \
	"registered by the mail agent, the PDF and the requester's Message-ID kept"
is "$(commit_info)" \
	"Mail gateway (sd-mail) <mail@sd.sd.invalid>|SD-2: new Ayuda: error al abrir el módulo de facturación|SD-2|new" \
	"the commit"

mail "$M/latin1-qp.eml" "ISO-8859-1, quoted-printable, -t request" -t request
out_is "SD-3" "prints SD-3"
is "$(fields 3 type channel title requester requester_email)" \
	"request|email|Solicitud de soporte: contraseña caducada|Álvaro Núñez|alvaro.nunez@example.org" \
	"-t request; the RFC 2047 subject and name decoded"
bytes_are 3 'd["description"]' \
	'Buenos d\303\255as:\n\nMi contrase\303\261a del correo caduc\303\263 esta ma\303\261ana y no puedo cambiarla desde el portal; sale \302\253usuario bloqueado\302\273 despu\303\251s de tres intentos. \302\277Me la pueden restablecer?\n\nAtentamente,\n\303\201lvaro N\303\272\303\261ez\nBodega, sede Norte' \
	"the description converted to UTF-8"

mail "$M/outlook-html.eml" "Outlook HTML only, Windows-1252, base64" --type incident
out_is "SD-4" "prints SD-4"
is "$(fields 4 title requester requester_email)" \
	"AYUDA – equipo lento después de la actualización|Pérez, Carlos|carlos.perez@example.org" \
	"title and requester from Windows-1252 encoded words"
bytes_are 4 'd["description"]' \
	'Buenos d\303\255as,\n\nDesde la actualizaci\303\263n del lunes el equipo PC-CONT-07 tarda unos 10 minutos en encender\342\200\246 y Excel se cierra con el mensaje \342\200\234No responde\342\200\235.\n\n- Sistema: Windows 11 \342\200\223 16 GB\n- Presupuesto de reparaci\303\263n: < 200 \342\202\254 & sin cambio de equipo\n\nEl informe est\303\241 en la intranet <https://intranet.example.org/informes/pc-cont-07?dia=23&mes=11>.\n\nGracias,\nCarlos P\303\251rez\nContabilidad | Ext. 4412' \
	"the HTML as text: tags out, entities decoded, paragraphs and list items as lines"

# A sender with no name; an address sd refuses (pending-info, as sd-new).
printf 'From: eva.luna@example.org\nSubject: help: no sound\n\nNo sound since today.\n' >"$T/noname.eml"
mail "$T/noname.eml" "a sender with no display name"
is "$(fields 5 requester requester_email)" "eva.luna@example.org|eva.luna@example.org" \
	"the requester is the address"
printf 'From: Eva <eva>\nSubject: help\n\nx\n' >"$T/badaddr.eml"
mail "$T/badaddr.eml" "a sender address sd refuses"
is "$(fields 6 requester requester_email status)" "Eva||pending-info" \
	"no requester_email: pending-info, as sd-new would leave it"
is "$(jget 6 'd["events"][0]["to"]')" "pending-info" "the event: born pending-info"

# What pending-info waits on is the requester's alone: the phone, when
# sd.ini requires it, holds a mail's ticket there; category, urgency and
# impact are the desk's to set and never do.
edit_config sd.ini 's/^required = .*/required = category, urgency, impact, requester_email, requester_phone/'
mail "$T/noname.eml" "required phone, the mail has none"
n=$(cat "$T/out")
is "$(fields "${n#SD-}" status category requester_email requester_phone)" \
	"pending-info||eva.luna@example.org|" "no phone (the requester's to give): pending-info"
edit_config sd.ini 's/^required = .*/required = category, urgency, impact/'
mail "$T/noname.eml" "only the desk's keys required"
n=$(cat "$T/out")
is "$(fields "${n#SD-}" status category)" "new|" "no category (the desk's to set): new"
edit_config sd.ini 's/^required = .*/required = category, requester_email/'

# --- a final ticket: a new ticket related to it --------------------------

export SD_AGENT=carmen
mk closed
closed=$made
export SD_AGENT=mail SD_NOW=2026-11-23T13:00:00-05:00
# (mk's tickets are pedro@example.org's)
sed -e "s/\[SD-1\]/[SD-$closed]/" -e 's/pedro\.ruiz@/pedro@/' "$M/reply.eml" >"$T/closed.eml"
mail "$T/closed.eml" "a reply tagged with a closed ticket: a new related ticket"
new=$((closed + 1))
out_is "SD-$new" "prints the new ticket's ID"
is "$(fields $new channel title requester related)" "email|VPN down|Pedro Ruiz|SD-$closed" \
	"related to the closed ticket; its tag and Re: RV: out of the title"
is "$(fields $closed status related)" "closed|SD-$new" "the closed ticket gains the link alone"
is "$(sgit diff-tree --no-commit-id --name-only -r HEAD | wc -l | tr -d ' ')" 2 \
	"one commit for both tickets"
bytes_are $new 'd["description"]' \
	'Sigue cay\303\251ndose cada 10 minutos, tambi\303\251n desde la casa.' \
	"the description: the reply alone"

# A tag that names no ticket is as no tag.
sed 's/\[SD-1\]/[SD-999]/' "$M/reply.eml" >"$T/missing.eml"
ignored "$T/missing.eml" "a tag naming no ticket, no keyword" \
	"no ticket [SD-N] and no word of sd.ini [mail] keywords in the subject"
sed 's/^Subject: .*/Subject: Re: [SD-999] ayuda con la VPN/' "$M/reply.eml" >"$T/missing-kw.eml"
mail "$T/missing-kw.eml" "a tag naming no ticket, and a keyword: a new ticket"
is "$(fields $((new + 1)) title related)" "[SD-999] ayuda con la VPN|" "not related to anything"

# --- ignored ------------------------------------------------------------

ignored "$M/auto-reply.eml" "an auto-reply" \
	"an automatic message (Auto-Submitted: auto-replied (vacation))"
ignored "$M/no-keyword.eml" "no tag and no keyword" \
	"no ticket [SD-N] and no word of sd.ini [mail] keywords in the subject"
ignored "$M/agent.eml" "from an agent's own address" \
	"from Luis.Perez@Example.org, the desk's own address (luis in agents.ini)"
printf 'From: Mesa <mesadeservicios@example.org>\nSubject: [SD-1] help\n\nx\n' >"$T/group.eml"
ignored "$T/group.eml" "from a group's address" \
	"from mesadeservicios@example.org, the desk's own address (desk in agents.ini)"
printf 'From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered: [SD-1] help\n\nx\n' >"$T/bounce.eml"
ignored "$T/bounce.eml" "a bounce" "a bounce (from MAILER-DAEMON@mx.example.org)"
printf 'From: list@example.org\nPrecedence: list\nSubject: help\n\nx\n' >"$T/list.eml"
ignored "$T/list.eml" "a list message" "a bulk or list message (Precedence: list)"
printf 'From: pedro.ruiz@example.org\nAuto-Submitted: no\nSubject: Re: [SD-1]\n\nOk.\n' >"$T/no.eml"
mail "$T/no.eml" "Auto-Submitted: no is a person's"

# --- --dry-run: says what it would do, changes nothing --------------------

before=$(head_id)
expect_in "$M/reply-outlook.eml" 0 "--dry-run, a note" sd-mail --dry-run
out_bytes 'action: note\nticket: SD-1\n\nFrom: Pedro Ruiz <pedro.ruiz@example.org>\n\nYa funciona, gracias.\nPueden cerrar el caso.\n\nPedro\n' \
	"--dry-run prints the note it would add"
unchanged "$before" "--dry-run, a note"
expect_in "$M/multipart-pdf.eml" 0 "--dry-run, a new ticket" sd-mail --dry-run -t request
out_bytes 'action: new\ntype: request\nchannel: email\ntitle: Ayuda: error al abrir el m\303\263dulo de facturaci\303\263n\nrequester: Laura M\303\251ndez\nrequester_email: laura.mendez@example.org\nattachment: error facturaci\303\263n.pdf (application/pdf, 590 bytes)\n\nBuenos d\303\255as,\n\nAl abrir el m\303\263dulo de facturaci\303\263n sale el error del adjunto.\nAdjunto la captura en PDF.\n\nGracias,\nLaura M\303\251ndez\nContabilidad, ext. 4410\n' \
	"--dry-run prints the ticket it would register"
unchanged "$before" "--dry-run, a new ticket"
expect_in "$T/closed.eml" 0 "--dry-run, a related ticket" sd-mail --dry-run
like "$T/out" "^related: SD-$closed\$" "--dry-run names the final ticket"
unchanged "$before" "--dry-run, a related ticket"
expect_in "$M/auto-reply.eml" 0 "--dry-run, ignored" sd-mail --dry-run
is "$(cat "$T/out")" "" "--dry-run of an ignored message: nothing on stdout"
like "$T/err" "^sd-mail: ignored: an automatic message" "and why on stderr"
unchanged "$before" "--dry-run, ignored"

# --- -C, hooks ------------------------------------------------------------

store=$SD_STORE
from_c() { (cd "$T" && unset SD_STORE && exec sd-mail -C "$store"); }
before=$(head_id)
expect_in "$M/reply.eml" 0 "-C DIR names the store" from_c
out_is "SD-1" "prints SD-1"
is "$(sgit rev-parse HEAD~1)" "$before" "-C DIR: one commit"
clean "-C DIR: store clean"

mkdir -p "$SD_STORE/hooks"
printf '#!/bin/sh\necho "$SD_ACTION $1 $SD_AGENT" >>"%s"\n' "$T/hooks.log" >"$SD_STORE/hooks/note"
cp "$SD_STORE/hooks/note" "$SD_STORE/hooks/new"
chmod +x "$SD_STORE/hooks/note" "$SD_STORE/hooks/new"
mail "$M/reply.eml" "a note runs hooks/note"
mail "$M/latin1-qp.eml" "a new ticket runs hooks/new"
mail "$T/closed.eml" "a related ticket runs hooks/new"
is "$(cat "$T/hooks.log")" "$(printf 'note SD-1 mail\nnew SD-%s mail\nnew SD-%s mail' \
	$((new + 2)) $((new + 3)))" "each hook with the ID and the agent"
rm -r "$SD_STORE/hooks"

# --- errors -----------------------------------------------------------------

refused_in "$M/garbage.eml" 65 "garbage: 65" sd-mail
like "$T/err" "^sd-mail: not a mail message: no sender address in From:" "says it is not a message"
refused_in /dev/null 65 "empty input: 65" sd-mail
like "$T/err" "^sd-mail: not a mail message: the input is empty" "says it is empty"
refused_in "$M/garbage.eml" 65 "garbage with --dry-run: 65" sd-mail --dry-run
refused_in / 74 "a standard input that cannot be read: 74" sd-mail
like "$T/err" "^sd-mail: reading the message: " "says so"

# The ticket a tag names does not parse: said, not taken for no ticket.
cp "$SD_STORE/tickets/000/SD-1.ini" "$T/SD-1.ini"
printf 'no equals sign here\n' >>"$SD_STORE/tickets/000/SD-1.ini"
forge "break SD-1" tickets/000/SD-1.ini
refused_in "$M/reply.eml" 65 "a tagged ticket that does not parse: 65" sd-mail
like "$T/err" "^sd-mail: .*SD-1\.ini:[0-9]+: " "names the file and line"
cp "$T/SD-1.ini" "$SD_STORE/tickets/000/SD-1.ini"
forge "mend SD-1" tickets/000/SD-1.ini

usage_error "-t outside its set" sd-mail -t problem
like "$T/err" "^sd-mail: -t: 'problem' is not incident or request" "says why"
usage_error "an argument" sd-mail SD-1
usage_error "--dry-run=yes" sd-mail --dry-run=yes

refused_in "$M/reply.eml" 77 "an unknown agent: 77" env SD_AGENT=nobody sd-mail
like "$T/err" "^sd-mail: unknown agent 'nobody'" "names the agent"
refused_in "$M/multipart-pdf.eml" 77 "a level-2 agent registers nothing: 77" env SD_AGENT=marta sd-mail

# Busy: another process holds the lock; the MTA is to try again later.
lock=$SD_STORE/.git/sd.lock
flock -o "$lock" sleep 30 >/dev/null 2>&1 </dev/null &
holder=$!
i=0
while flock -n "$lock" true && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
SD_LOCK_TIMEOUT=1 refused_in "$M/multipart-pdf.eml" 75 "a busy store, a new ticket: 75" sd-mail
like "$T/err" "^sd-mail: store busy" "says the store is busy"
SD_LOCK_TIMEOUT=1 refused_in "$M/reply.eml" 75 "a busy store, a note: 75" sd-mail
kill "$holder"
wait "$holder" 2>/dev/null

# Bad configuration: 78.  A store whose channels lack email...
edit_config sd.ini 's/^channels = .*/channels = phone, web/'
refused_in "$M/multipart-pdf.eml" 78 "no email channel: 78" sd-mail
like "$T/err" "channels lacks email" "says so"
mail "$M/reply.eml" "a note needs no channel"
edit_config sd.ini 's/^channels = .*/channels = phone, email, web, chat, teams, walk-in/'
# ...and a broken configuration file in HEAD.
cp "$SD_STORE/sla.ini" "$T/sla.ini"
sed -i 's/^warn = 80$/warn = lots/' "$SD_STORE/sla.ini"
forge "break sla.ini" sla.ini
refused_in "$M/reply.eml" 78 "a broken sla.ini: 78" sd-mail
like "$T/err" "^sd-mail: .*sla\.ini:[0-9]+: .*lots" "names the file and line"
cp "$T/sla.ini" "$SD_STORE/sla.ini"
forge "mend sla.ini" sla.ini
mail "$M/reply.eml" "mended, it works again"

# No keywords in sd.ini: tags alone make changes.
edit_config sd.ini '/^keywords = /d'
ignored "$M/latin1-qp.eml" "no [mail] keywords" \
	"no ticket [SD-N] in the subject, and sd.ini has no [mail] keywords"
done_testing
