#!/bin/sh
# The desk's mail through a real mail server: a private Postfix on
# 127.0.0.1 (tests/mailserver.sh) whose alias desk@desk.test pipes each
# message into sd-mail, run as the desk's user, as sd-mail(1) deploys it;
# swaks sends real SMTP, and the desk's own mail goes out by [mail]
# sendmail into the requesters' Maildirs, where it is read back
# (ms_message, ms_header, ms_text) and answered (ms_reply) as a mail
# program would.  A requester's whole conversation, in Spanish ([store]
# language = es): a mail registers a ticket and its number comes back;
# an agent's sd-reply arrives threaded and the answer to it is a note; a
# stranger's mail does not reach it (a new ticket, or with [mail]
# strangers = refuse a refusal mailed back); the solve mail brings the
# survey, "no funciona" answered to it reopens, "5" after the next solve
# closes; an approval request reaches the approver and the reply to it
# gives the approval; bounces and an auto-reply are ignored and counted; a
# forward and an attachment come through; a send that fails waits in
# .git/sd-outbox until sd-mail --flush delivers it, once; and what the
# mail system makes of sd-mail's exit statuses (65: bounced to the
# sender, 75: deferred, delivered on a later try).  Needs root, postfix
# and swaks (Makefile DEB_PKGS).
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
. "${SD_TOP:-.}/tests/mailserver.sh"

missing=$(ms_missing)
if [ -n "$missing" ]; then
	echo "1..0 # SKIP $missing"
	exit 0
fi

# The desk's user, unique to this run: Postfix runs the alias's command
# as it, and it owns the store and the Maildirs.
u=sdm$$
useradd -M -N -g users -s /bin/sh -d /nonexistent "$u" ||
	{ echo "Bail out! useradd $u failed"; exit 1; }
MS_CLEANUP='userdel "$u" >/dev/null 2>&1'
trap 'userdel "$u" >/dev/null 2>&1; rm -rf "$T"' EXIT

# The programs and share/ where the user can run and read them.
mkdir "$T/bin" "$T/asbin"
cp "$SD_BIN"/sd* "$T/bin/"
cp -r "$SD_SHAREDIR" "$T/share"
chmod -R a+rX "$T/bin" "$T/share"
M=${SD_TOP:-.}/tests/mail

# The store mails through the test's Postfix (git config sd.sendmail, a
# wrapper speaking SMTP: the desk's user may not use /usr/sbin/sendmail
# -C, see tests/mailserver.sh), in
# Spanish; carmen, who approves "boss", reads her mail at
# approver@example.test; access/account waits for boss alone.
mkstore "$T/store"
edit_config sd.ini "/^keywords = /a address = desk@desk.test\\nname = Mesa de servicios"
git -C "$T/store" config sd.sendmail "$MS_SENDMAIL"
edit_config sd.ini "/^prefix = /a language = es"
edit_config agents.ini "s/^email = carmen\\.vargas@example\\.org\$/email = approver@example.test/"
edit_config escalation.ini "/^\\[access\\/account\\]\$/,/^\$/s/^approvals = .*/approvals = boss/"
[ "$(git -C "$T/store" config sd.sendmail)" = "$MS_SENDMAIL" ] &&
	grep -q '^language = es$' "$SD_STORE/sd.ini" &&
	grep -q '^email = approver@example.test$' "$SD_STORE/agents.ini" &&
	[ "$(grep -c '^approvals = boss$' "$SD_STORE/escalation.ini")" = 1 ] ||
	bail "the store's mail settings were not made"
chown -R "$u:users" "$T/store"
unset SD_NOW SENDER
export SD_AGENT=carmen
COUNTS=$SD_STORE/.git/sd-mail-ignored
OUTBOX=$SD_STORE/.git/sd-outbox

# Every sd command the test runs (sd-solve, and sd-show for fields, jget
# and the rest) runs as the desk's user, since libgit2 opens a repository
# for its owner alone.  EDITOR and SD_SED pass, for edit_config.
for p in "$T"/bin/sd*; do
	n=${p##*/}
	cat >"$T/asbin/$n" <<EOF
#!/bin/sh
exec runuser -u $u -- env -i PATH=$T/bin:/usr/bin:/bin SD_SHAREDIR=$T/share \\
	SD_STORE="\$SD_STORE" SD_AGENT="\$SD_AGENT" LC_ALL=C.UTF-8 NO_COLOR=1 \\
	SD_LOCK_TIMEOUT=5 HOME=/nonexistent EDITOR="\$EDITOR" SD_SED="\$SD_SED" \\
	$T/bin/$n "\$@"
EOF
	chmod 755 "$T/asbin/$n"
done
chmod 755 "$T/wf-editor"
PATH=$T/asbin:$PATH
sgit() { git -c safe.directory='*' --git-dir="$SD_STORE/.git" "$@"; }

# The alias, as sd-mail(1) gives it; the lock waited for 1 s, not 10.
ms_start "$u" "/usr/bin/env SD_AGENT=mail SD_SHAREDIR=$T/share SD_LOCK_TIMEOUT=1 $T/bin/sd-mail -C $SD_STORE"
ok 0 "a private Postfix answers on 127.0.0.1:$MS_PORT"
like "$MS_LOG" "daemon started -- version [0-9.]+, configuration $MS_CONF\$" \
	"started with its own configuration"

# deliver ENVELOPE-FROM FILE STATUS DESCRIPTION: swaks sends FILE to
# desk@desk.test; Postfix ends with STATUS (sent: sd-mail exited 0).
# Its queue id in $qid.
deliver() {
	ms_send "$1" desk@desk.test "$2"
	_s=$?
	[ $_s = 0 ] || sed 's/^/# swaks: /' "$T/swaks.out" >&2
	qid=$(ms_queue_id)
	ok $([ $_s = 0 ] && [ -n "$qid" ]; echo $?) "$4: the smtpd takes it"
	ms_wait_done "$qid" || echo "# no status for $qid in the log" >&2
	_st=$(ms_status "$qid")
	[ "$_st" = "$3" ] || grep " $qid: " "$MS_LOG" | sed 's/^/# log: /' >&2
	is "$_st" "$3" "$4: status=$3"
}

# received ADDRESS N DESCRIPTION: the Nth message to ADDRESS arrives in
# its Maildir; its file in $msg
received() {
	ms_wait_count "$1" "$2"
	ok $? "$3: in $1's Maildir"
	msg=$(ms_message "$1" "$2")
	[ -n "$msg" ] || msg=$T/no-such-message
}

# raw FILE HEADER: the header as it is on the wire, unfolded
raw() { sed -n '/^$/q;p' "$1" | sed ':a;N;$!ba;s/\n[ \t]/ /g' | sed -n "s/^$2: //p"; }

# wire FILE: the message has only ASCII, in lines of 78 octets at most
wire() {
	LC_ALL=C grep -q "$(printf '[\200-\377]')" "$1" && return 1
	awk 'length($0) > 79 { bad = 1 } END { exit bad }' "$1"
}

# addressed FILE: the sample FILE of tests/mail from requester@example.test
# instead of Pedro Ruiz's addresses, in $T/FILE
addressed() {
	sed -e 's/pedro\.ruiz@example\.org/requester@example.test/g' \
		-e 's/pedro@example\.org/requester@example.test/g' "$M/$1" >"$T/$1"
}

# window_es AT HOURS: the end of a window of HOURS wall-clock hours from
# the ISO 8601 time AT, in the words of the Spanish solve mail
window_es() {
	python3 -c 'import datetime, sys, zoneinfo
at = datetime.datetime.fromisoformat(sys.argv[1])
e = (at + datetime.timedelta(hours=int(sys.argv[2]))).astimezone(zoneinfo.ZoneInfo("America/Bogota"))
d = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"][e.weekday()]
m = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
     "septiembre", "octubre", "noviembre", "diciembre"][e.month - 1]
print("%s %d de %s de %d a las %02d:%02d (America/Bogota)" % (d, e.day, m, e.year, e.hour, e.minute))' "$1" "$2"
}

TITLE='Ayuda: señal caída de la VPN cada 10 minutos'
R=requester@example.test

# --- a mail registers a ticket; the requester receives its number ----------------

cat >"$T/new.eml" <<'EOF'
From: Pedro Ruiz <requester@example.test>
To: Mesa de servicios <desk@desk.test>
Subject: Ayuda: =?UTF-8?Q?se=C3=B1al_ca=C3=ADda?= de la VPN cada 10 minutos
Date: Mon, 07 Dec 2026 09:12:00 -0500
Message-ID: <e2e-new-1@example.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Desde esta mañana la VPN se cae cada 10 minutos.

Pedro
EOF
b=$(head_id)
deliver $R "$T/new.eml" sent "a requester's mail with a keyword"
is "$(fields 1 status channel title requester requester_email)" \
	"new|email|$TITLE|Pedro Ruiz|$R" \
	"SD-1: new, channel email, the subject its title (RFC 2047 decoded), the sender its requester"
is "$(jget 1 'd["description"]')" "$(printf 'Desde esta ma\303\261ana la VPN se cae cada 10 minutos.\n\nPedro')" \
	"SD-1's description: the 8-bit text, whole"
is "$(sgit rev-parse HEAD~1)" "$b" "one commit"
is "$(sgit log -1 --format=%an)" "Mail gateway (sd-mail)" "by the mail agent"
is "$(stat -c %U "$SD_STORE/tickets/000/SD-1.ini")" "$u" \
	"written as the desk's user (Postfix's default_privs for a root-owned aliases file)"

received $R 1 "the registration mail"
is "$(ms_header "$msg" Subject)" "[SD-1] Registrado: $TITLE" \
	"its subject: [SD-1], Spanish, the title"
like "$msg" '^Subject: \[SD-1\] Registrado: Ayuda: =\?UTF-8\?Q\?se=C3=B1al_ca=C3=ADda\?= de la VPN$' \
	"on the wire the non-ASCII words RFC 2047 encoded words"
is "$(ms_header "$msg" From)|$(ms_header "$msg" To)" \
	"Mesa de servicios <desk@desk.test>|Pedro Ruiz <$R>" "from the desk, to the requester"
is "$(raw "$msg" Message-ID)|$(raw "$msg" In-Reply-To)|$(raw "$msg" References)" \
	"<SD-1@desk.test>|<e2e-new-1@example.test>|<e2e-new-1@example.test>" \
	"Message-ID the ticket's root; In-Reply-To and References the requester's mail"
is "$(raw "$msg" Auto-Submitted)|$(raw "$msg" Content-Transfer-Encoding)" \
	"auto-replied|quoted-printable" "Auto-Submitted: auto-replied, a quoted-printable body"
like "$msg" '^Content-Type: text/plain; charset="?UTF-8"?$' "UTF-8 text"
is "$(sed -n 's/^Return-Path: //p' "$msg")" "<desk@desk.test>" "the envelope sender the desk's address"
wire "$msg"
ok $? "only ASCII on the wire, no line over 78 octets"
is "$(ms_text "$msg")" "$(printf 'Hola, Pedro Ruiz:\n\nSu solicitud qued\303\263 registrada con el n\303\272mero SD-1: %s.\n\nConserve SD-1 en el asunto cuando nos escriba sobre ella; si responde a\neste correo, ya lo conserva.\n\nMesa de servicios\n' "$TITLE")" \
	"the text decoded: the number and the title"
reg=$msg

# --- an agent replies; the requester receives it threaded ------------------------

REPLY=$(printf 'Se\303\261al ca\303\255da: reinicie el router y pruebe de nuevo.\nSi sigue igual, resp\303\263ndanos.')
b=$(head_id)
expect 0 "carmen's sd-reply" sd-reply -m "$REPLY" 1
is "$(cat "$T/err")" "" "nothing on stderr: sent"
is "$(jget 1 'd["events"][-1]["action"] + "|" + d["events"][-1]["by"] + "|" + d["events"][-1]["text"]')" \
	"reply|carmen|$REPLY" "a reply event by carmen, the text whole"
received $R 2 "the reply"
is "$(ms_header "$msg" Subject)" "[SD-1] $TITLE" "its subject: [SD-1] and the title"
like "$msg" '^Subject: \[SD-1\] Ayuda: =\?UTF-8\?Q\?se=C3=B1al_ca=C3=ADda\?= de la VPN cada 10$' \
	"RFC 2047 on the wire"
is "$(raw "$msg" In-Reply-To)|$(raw "$msg" References)" "<SD-1@desk.test>|<e2e-new-1@example.test> <SD-1@desk.test>" \
	"threaded: In-Reply-To the registration mail, References the requester's first mail and it"
like "$msg" '^Message-ID: <SD-1\.[0-9]+\.[0-9a-f]{12}@desk\.test>$' "its own Message-ID, of SD-1"
[ "$(raw "$msg" Message-ID)" != "$(raw "$reg" Message-ID)" ]
ok $? "not the registration's"
is "$(raw "$msg" Auto-Submitted)|$(raw "$msg" Content-Transfer-Encoding)" \
	"auto-replied|quoted-printable" "Auto-Submitted, quoted-printable"
wire "$msg"
ok $? "only ASCII on the wire"
is "$(ms_text "$msg")" "$(printf 'Hola, Pedro Ruiz:\n\n%s\n\nPuede contestar respondiendo a este correo.\n\nMesa de servicios\n' "$REPLY")" \
	"the text decoded: the reply, whole"

# --- the requester answers that mail: a note -------------------------------------

ms_reply "$msg" "Pedro Ruiz <$R>" "$(printf 'Ya lo reinici\303\251 y sigue cay\303\251ndose, tambi\303\251n desde la casa.')" >"$T/answer.eml"
b=$(head_id)
deliver $R "$T/answer.eml" sent "the requester's answer to the reply"
is "$(jget 1 'd["events"][-1]["action"] + " " + d["events"][-1]["by"]')" "note mail" \
	"a note by the mail agent"
is "$(jget 1 'd["events"][-1]["text"]')" \
	"$(printf 'From: Pedro Ruiz <%s>\n\nYa lo reinici\303\251 y sigue cay\303\251ndose, tambi\303\251n desde la casa.' $R)" \
	"the note: who wrote, then the answer, the quote left out"
is "$(sgit rev-parse HEAD~1)" "$b" "one commit"
is "$(status_of 1)" new "SD-1 still new"

# --- a stranger's mail to [SD-1] does not reach it -----------------------------

sed 's/maria\.lopez@example\.org/stranger@example.test/' "$M/stranger.eml" >"$T/stranger.eml"
sgit show HEAD:tickets/000/SD-1.ini >"$T/sd1.before"
deliver stranger@example.test "$T/stranger.eml" sent "a stranger's \"5\" tagged [SD-1]"
is "$(fields 2 channel title requester requester_email related)" \
	"email|[SD-1] VPN down|María López|stranger@example.test|" \
	"a new ticket, SD-2, the stranger its requester, related to nothing"
sgit show HEAD:tickets/000/SD-1.ini >"$T/sd1.after"
cmp -s "$T/sd1.before" "$T/sd1.after"
ok $? "SD-1's file unchanged"
received stranger@example.test 1 "SD-2's registration"
is "$(ms_header "$msg" Subject)" "[SD-2] Registrado: [SD-1] VPN down" "to the stranger: SD-2's number"

# --- solved: the survey; "no funciona" reopens; solved again; "5" closes ------------

quiet sd-solve -m "Se reinició el concentrador VPN" 1
is "$(status_of 1)" solved "carmen solves SD-1"
at=$(jget 1 'd["events"][-1]["at"]')
received $R 3 "the solve mail"
is "$(ms_header "$msg" Subject)" "[SD-1] Solucionado: $TITLE" "its subject"
is "$(raw "$msg" In-Reply-To)|$(raw "$msg" References)" "<SD-1@desk.test>|<e2e-new-1@example.test> <SD-1@desk.test>" \
	"threaded on SD-1"
ms_text "$msg" >"$T/solve.txt"
like "$T/solve.txt" "^Se reinició el concentrador VPN\$" "the solution"
like "$T/solve.txt" "^calificación de 1 a 5 \\(5 la mejor\\), o con una palabra: excelente,\$" \
	"the survey's question: a rating from 1 to 5"
is "$(sed -n '/^Si no recibimos/{N;p;}' "$T/solve.txt")" \
	"$(printf 'Si no recibimos respuesta en 48 horas, antes del %s, el caso\nse cierra como aceptado.' "$(window_es "$at" 48)")" \
	"what happens without an answer: the window in words and its end, in the store's zone"

ms_reply "$msg" "Pedro Ruiz <$R>" "$(printf 'No funciona todav\303\255a: la VPN se sigue cayendo cada 10 minutos.')" >"$T/reopen.eml"
deliver $R "$T/reopen.eml" sent "\"No funciona todavía\" answered to the solve mail"
is "$(fields 1 status reopened rating)" "reopened|1|" "SD-1 reopened, once, no rating"
is "$(jget 1 'd["events"][-1]["action"] + "|" + d["events"][-1]["text"]')" \
	"$(printf 'reopen|From: Pedro Ruiz <%s>\n\nNo funciona todav\303\255a: la VPN se sigue cayendo cada 10 minutos.' $R)" \
	"a reopen event, the reply its reason"
received $R 4 "the reopen mail"
is "$(ms_header "$msg" Subject)" "[SD-1] Reabierto: $TITLE" "its subject"
is "$(ms_text "$msg" | sed -n '3p;5p;7p')" \
	"$(printf 'Su solicitud SD-1 est\303\241 abierta de nuevo:\nFrom: Pedro Ruiz <%s>\nNo funciona todav\303\255a: la VPN se sigue cayendo cada 10 minutos.' $R)" \
	"its text: reopened, and why"
like "$msg" '^In-Reply-To: <SD-1@desk\.test>$' "threaded on SD-1"

quiet sd-solve -m "Tunnel MTU lowered to 1400" 1
is "$(status_of 1)" solved "solved again"
received $R 5 "the second solve mail"
is "$(ms_header "$msg" Subject)" "[SD-1] Solucionado: $TITLE" "its subject"
ms_reply "$msg" "Pedro Ruiz <$R>" "5" >"$T/rating.eml"
deliver $R "$T/rating.eml" sent "\"5\" answered to it"
is "$(fields 1 status rating close_reason)" "closed|5|confirmed by requester" \
	"SD-1 closed with rating 5, confirmed by the requester"
is "$(jget 1 'd["events"][-1]["action"] + " " + d["events"][-1]["by"] + " " + str(d["events"][-1]["rating"])')" \
	"close mail 5" "a close event by the mail agent, rating 5"
received $R 6 "the close mail"
is "$(ms_header "$msg" Subject)" "[SD-1] Cerrado: $TITLE" "its subject"
is "$(ms_text "$msg" | sed -n 3p)" "Su solicitud SD-1 está cerrada (confirmada por el solicitante)." \
	"its text: closed, the reason in Spanish words"
like "$msg" '^In-Reply-To: <SD-1@desk\.test>$' "threaded on SD-1"
sleep 1
is "$(ms_count $R)" 6 "six mails to the requester, no more (a note mails nothing)"

# --- bounces and auto-replies: delivered (exit 0), ignored, counted --------------

b=$(head_id)
deliver "" "$M/postfix-bounce.eml" sent "a Postfix bounce (multipart/report), null sender"
deliver "" "$M/daemon-bounce.eml" sent "From: MAILER-DAEMON <>, null sender"
deliver kijitora@example.test "$M/vacation.eml" sent "a vacation reply (Auto-Submitted: auto-replied)"
is "$(head_id)" "$b" "none of them made a commit"
printf 'report = 1\nauto-submitted = 1\nnull-sender = 1\n' >"$T/want"
cmp -s "$T/want" "$COUNTS" || { echo "# got:" >&2; sed 's/^/#   /' "$COUNTS" >&2; }
ok $(cmp -s "$T/want" "$COUNTS"; echo $?) \
	"counted in .git/sd-mail-ignored: the report, the auto-reply, the null sender as Postfix's SENDER gives it"
is "$(find "$MS_MAIL" -type f | wc -l)" 7 "none of them mailed anything: still the six to the requester and one to the stranger"

# part FILE NAME: the decoded bytes of the part of the message FILE named
# NAME (at any depth, in a forwarded message too)
part() {
	python3 -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
for p in m.walk():
    if p.get_filename() == sys.argv[2]:
        sys.stdout.buffer.write(p.get_payload(decode=True))
        sys.exit(0)
sys.exit(1)' "$1" "$2"
}

# --- a forwarded message keeps its text; attachments come through -----------------

sed 's/carmen\.rojas@example\.org/carmen.rojas@example.test/g' "$M/forward.eml" >"$T/forward.eml"
deliver carmen.rojas@example.test "$T/forward.eml" sent "a forward as attachment (message/rfc822)"
is "$(fields 3 title requester requester_email)" \
	"Ayuda: acceso bloqueado al portal de proveedores|Carmen Rojas|carmen.rojas@example.test" \
	"SD-3: the forward's own subject and sender"
is "$(jget 3 'd["description"]')" \
	"$(printf 'Les reenv\303\255o el correo del proveedor: no puede entrar al portal desde el viernes.\n\nCarmen\n\n---------- Forwarded message ----------\nFrom: Jos\303\251 Pe\303\261a <jose.pena@proveedor.example.com>\nDate: Fri, 20 Nov 2026 17:05:12 -0500\nSubject: Acceso bloqueado al portal de proveedores\n\nBuenas tardes, Carmen:\n\nDesde hoy el portal dice \302\253usuario bloqueado\302\273 al entrar con mi contrase\303\261a.\nAdjunto la captura.\n\nJos\303\251 Pe\303\261a')" \
	"SD-3's description: the forwarded From/Date/Subject and text, through SMTP"
part "$T/forward.eml" captura.png >"$T/captura.png"
is "$(wc -c <"$T/captura.png")" 70 "the forwarded message's PNG: 70 bytes"
is "$(jget 3 '" ".join("%s|%s|%s" % (a["name"], a["type"], a["size"]) for a in d.get("attachments", []))')" \
	"captura.png|image/png|70" "SD-3 keeps it: name, type, size"
sd-show --attachment 1 3 >"$T/got.png"
cmp "$T/captura.png" "$T/got.png"
ok $? "sd-show --attachment 1 SD-3: the forwarded PNG's bytes"
received other@example.test 1 "SD-3's registration (carmen.rojas has no Maildir of her own)"
is "$(ms_header "$msg" To)|$(ms_header "$msg" Subject)" \
	"Carmen Rojas <carmen.rojas@example.test>|[SD-3] Registrado: Ayuda: acceso bloqueado al portal de proveedores" \
	"to the forward's sender, SD-3's number"

sed 's/laura\.mendez@example\.org/laura.mendez@example.test/g' "$M/multipart-pdf.eml" >"$T/pdf.eml"
deliver laura.mendez@example.test "$T/pdf.eml" sent "a message with a PDF attached"
is "$(fields 4 status channel title requester)" \
	"new|email|Ayuda: error al abrir el módulo de facturación|Laura Méndez" \
	"SD-4 registered from it"
part "$T/pdf.eml" "error facturación.pdf" >"$T/error.pdf"
is "$(wc -c <"$T/error.pdf")" 590 "the PDF: 590 bytes, decoded"
is "$(jget 4 '" ".join("%s|%s|%s" % (a["name"], a["type"], a["size"]) for a in d.get("attachments", []))')" \
	"error facturación.pdf|application/pdf|590" "SD-4 keeps it: name, type, size"
sd-show --attachment 1 4 >"$T/got.pdf"
cmp "$T/error.pdf" "$T/got.pdf"
ok $? "sd-show --attachment 1 SD-4: the PDF's bytes"

# --- exit 65: Postfix bounces the message to its sender ------------------------------

printf 'From: Pedro <>\nTo: desk@desk.test\nSubject: Re: [SD-4] Ayuda\n\nno address\n' >"$T/noaddr.eml"
b=$(head_id)
n=$(ms_count requester@example.test)
deliver requester@example.test "$T/noaddr.eml" bounced "no address in From: (sd-mail exits 65)"
like "$MS_LOG" " $qid: to=<desk@desk.test>.* dsn=5\.6\.0, status=bounced \(data format error\. Command output: sd-mail: not a mail message: no sender address in From: \)\$" \
	"the log: 65 is a hard failure, \"data format error\", with sd-mail's line"
is "$(head_id)" "$b" "no commit"
ms_wait_count requester@example.test $((n + 1))
bounce=$(ms_message requester@example.test $((n + 1)))
is "$(ms_header "$bounce" Subject)|$(ms_header "$bounce" From)" \
	"Undelivered Mail Returned to Sender|Mail Delivery System <MAILER-DAEMON@desk.test>" \
	"the sender gets Postfix's bounce"
ms_text "$bounce" | tr -s ' \n' '  ' >"$T/bounce.txt"
like "$T/bounce.txt" "<desk@desk.test>: data format error\. Command output: sd-mail: not a mail message: no sender address in From:" \
	"the bounce tells the sender sd-mail's one line"

# --- exit 75: Postfix keeps the message and tries again ------------------------------

lock=$SD_STORE/.git/sd.lock
flock -o "$lock" sleep 30 >/dev/null 2>&1 </dev/null &
holder=$!
MS_CLEANUP="kill $holder 2>/dev/null; $MS_CLEANUP"
i=0
while flock -n "$lock" true && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sed -e 's/^Subject: .*/Subject: Ayuda: la impresora no imprime/' \
	-e 's/^Message-ID: .*/Message-ID: <e2e-busy@example.test>/' "$T/new.eml" >"$T/busy.eml"
b=$(head_id)
deliver requester@example.test "$T/busy.eml" deferred "a new ticket while the store is busy (sd-mail exits 75)"
like "$MS_LOG" " $qid: to=<desk@desk.test>.* dsn=4\.[0-9.]+, status=deferred \(temporary failure\. Command output: sd-mail: store busy" \
	"the log: a temporary failure, sd-mail's line"
postqueue -c "$MS_CONF" -p >"$T/mailq"
like "$T/mailq" "^$qid\*? .* requester@example.test\$" "the message waits in the queue"
is "$(head_id)" "$b" "no commit while busy"
kill "$holder"
wait "$holder" 2>/dev/null
postqueue -c "$MS_CONF" -f
ms_wait_log " $qid: to=<desk@desk.test>.* status=sent" ||
	grep " $qid: " "$MS_LOG" | sed 's/^/# log: /' >&2
is "$(ms_status "$qid")" sent "once the store is free, a later try delivers it"
is "$(fields 5 title requester_email)" "Ayuda: la impresora no imprime|requester@example.test" \
	"SD-5 registered, once"
ms_wait_queue_empty
ok $? "the queue is empty"

# --- the outgoing path: how sd's mail reaches the requester's Maildir ------------------

# Postfix's sendmail -C: as root, into the private instance.
printf 'From: Mesa de servicios <desk@desk.test>\nTo: Pedro Ruiz <requester@example.test>\nSubject: [SD-1] root\n\nhola\n' >"$T/out1.eml"
n=$(ms_count requester@example.test)
/usr/sbin/sendmail -C "$MS_CONF" -t <"$T/out1.eml"
ok $? "/usr/sbin/sendmail -C DIR -t as root: taken"
ms_wait_count requester@example.test $((n + 1))
is "$(ms_header "$(ms_message requester@example.test $((n + 1)))" Subject)" "[SD-1] root" \
	"in requester@example.test's Maildir"
# ... but not from another user, whatever the system's main.cf says.
runuser -u "$u" -- /usr/sbin/sendmail -C "$MS_CONF" -t <"$T/out1.eml" 2>"$T/err"
is "$?" 75 "sendmail -C DIR as the desk's user: refused (75)"
like "$T/err" "^sendmail: fatal: " "saying why"
# $MS_SENDMAIL: any user, by SMTP.
printf 'From: Mesa de servicios <desk@desk.test>\nTo: =?UTF-8?Q?Pedro_Ru=C3=ADz?= <requester@example.test>\nBcc: approver@example.test\nSubject: =?UTF-8?Q?[SD-1]_Soluci=C3=B3n?=\nMessage-ID: <sd-SD-1-solve@desk.test>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\nSu caso fue solucionado: =C2=BFfunciona?\n.\n' >"$T/out2.eml"
runuser -u "$u" -- "$MS_SENDMAIL" -t <"$T/out2.eml"
is "$?" 0 "\$MS_SENDMAIL -t as the desk's user: taken"
ms_wait_count requester@example.test $((n + 2)) && ms_wait_count approver@example.test 1
ok $? "delivered to the To: and the Bcc: addresses"
msg=$(ms_message requester@example.test $((n + 2)))
is "$(ms_header "$msg" Subject)|$(ms_header "$msg" To)|$(ms_header "$msg" Message-ID)" \
	"[SD-1] Solución|Pedro Ruíz <requester@example.test>|<sd-SD-1-solve@desk.test>" \
	"ms_header: the headers decoded"
is "$(ms_text "$msg")" "$(printf 'Su caso fue solucionado: \302\277funciona?\n.\n')" \
	"ms_text: the body decoded, the lone dot kept"
grep -qi '^Bcc:' "$msg"
ok $([ $? = 1 ]; echo $?) "no Bcc: line delivered"
is "$(sed -n 's/^Return-Path: //p' "$msg")" "<desk@desk.test>" "the envelope sender the From: address"

# A reply to it, as the requester's mail program makes it (ms_reply):
# SD-1 is closed, so it registers SD-6, related to SD-1.
ms_reply "$msg" requester@example.test "Gracias, ya funciona." >"$T/re.eml"
is "$(ms_header "$T/re.eml" Subject)|$(ms_header "$T/re.eml" In-Reply-To)|$(ms_header "$T/re.eml" To)" \
	"Re: [SD-1] Solución|<sd-SD-1-solve@desk.test>|Mesa de servicios <desk@desk.test>" \
	"ms_reply: Re: the subject, In-Reply-To its Message-ID, To its From:"
deliver requester@example.test "$T/re.eml" sent "the requester's reply to it"
is "$(fields 6 title related requester_email)" "Solución|SD-1|requester@example.test" \
	"to the closed SD-1: a new ticket SD-6, related to it"
is "$(jget 6 'd["description"]')" "Gracias, ya funciona." "its text, the quote left out"


# --- an approval asked by mail, given by the approver's reply ------------------------

a=$(ms_count approver@example.test)
r=$(ms_count $R)
quiet sd-new -t request -s "Cuenta para Eva Luna" -r "Pedro Ruiz" -c access/account --email $R
t=$(sed 's/^SD-//' "$T/quiet.out")
is "$t" 7 "SD-7 registered"
is "$(fields $t status approvals)" "awaiting-approval|boss" "SD-7 waits for boss's approval"
received $R $((r + 1)) "SD-7's registration"
is "$(ms_header "$msg" Subject)" "[SD-7] Registrado: Cuenta para Eva Luna" "to the requester: the number"
received approver@example.test $((a + 1)) "the approval request"
subject=$(ms_header "$msg" Subject)
token=$(printf '%s\n' "$subject" | sed -n 's/.*(ref \([0-9a-f]\{24\}\))$/\1/p')
is "$subject" "[SD-7] Se requiere su aprobación (boss): Cuenta para Eva Luna (ref $token)" \
	"its subject: the ticket, the role, the title, a token of 24 hex digits"
is "$(ms_header "$msg" To)" "Carmen Vargas <approver@example.test>" "to carmen, boss's approver, at her agents.ini address"
is "$(raw "$msg" Message-ID)|$(raw "$msg" Auto-Submitted)" "<SD-7.approval.$token@desk.test>|auto-replied" \
	"the token in its Message-ID too"
ms_text "$msg" >"$T/approval.txt"
like "$T/approval.txt" '^primera línea; para rechazarla, "rechazado" y el motivo en las líneas$' \
	"how to answer, in Spanish"
approval=$msg

# A reply without the token: not an approval; an agent's mail is the
# desk's own coming back.
printf 'From: Carmen Vargas <approver@example.test>\nTo: desk@desk.test\nSubject: Re: [SD-7] Se requiere su aprobaci\303\263n\nMessage-ID: <forged-1@example.test>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\naprobado\n' >"$T/forged.eml"
deliver approver@example.test "$T/forged.eml" sent "carmen's \"aprobado\" with no token"
is "$(fields $t status approvals)" "awaiting-approval|boss" "no token: SD-7 still waits for boss"
is "$(nevents $t)|$(sgit log -1 --format=%s)" "1|SD-7: new Cuenta para Eva Luna" "no event, no commit"
is "$(sed -n 's/^own-address = //p' "$COUNTS")" 1 "ignored as the desk's own mail coming back, and counted (sd-mail(1))"

b=$(head_id)
ms_reply "$approval" "Carmen Vargas <approver@example.test>" "aprobado" >"$T/approve.eml"
is "$(ms_header "$T/approve.eml" In-Reply-To)" "<SD-7.approval.$token@desk.test>" "the reply names the request"
deliver approver@example.test "$T/approve.eml" sent "carmen's \"aprobado\" answered to the request"
is "$(fields $t status approvals)" "new|" "boss given: SD-7 new, no approval left"
is "$(jget $t '[d["events"][-1][k] for k in ("by", "action", "role", "from", "to")]')" \
	'["carmen", "approve", "boss", "awaiting-approval", "new"]' "an approve event by carmen, of boss"
is "$(sgit rev-parse HEAD~1)" "$b" "one commit"
is "$(sgit log -1 --format='%an <%ae>|%s')" \
	"Carmen Vargas <approver@example.test>|SD-7: approve (awaiting-approval -> new)" \
	"the commit's author: the approver"

# --- [mail] strangers = refuse: the stranger is told ---------------------------------

edit_config sd.ini "/^keywords = /a strangers = refuse"
grep -q '^strangers = refuse$' "$SD_STORE/sd.ini" || bail "no strangers = refuse"
s=$(ms_count stranger@example.test)
printf 'From: =?UTF-8?Q?Mar=C3=ADa_L=C3=B3pez?= <stranger@example.test>\nTo: desk@desk.test\nSubject: Re: [SD-7] Cuenta para Eva Luna\nMessage-ID: <stranger-2@example.test>\n\nYo tambi\303\251n quiero una cuenta.\n' >"$T/stranger2.eml"
b=$(head_id)
deliver stranger@example.test "$T/stranger2.eml" sent "a stranger's mail to [SD-7]"
is "$(head_id)" "$b" "no commit: neither SD-7 nor a new ticket"
received stranger@example.test $((s + 1)) "the refusal"
is "$(ms_header "$msg" Subject)|$(ms_header "$msg" To)" \
	"[SD-7] Su mensaje no se agregó|María López <stranger@example.test>" "told so, by name"
is "$(raw "$msg" In-Reply-To)|$(raw "$msg" Auto-Submitted)" "<stranger-2@example.test>|auto-replied" \
	"an answer to the stranger's mail, automatic"
ms_text "$msg" >"$T/refused.txt"
like "$T/refused.txt" '^agregarle algo, así que no se agregó\. Para pedir algo usted mismo,$' "why, in Spanish"

# --- sendmail failing: the mail waits in .git/sd-outbox; --flush sends it once -----------

closed=$(ms_free_port)
printf '#!/bin/sh\nexec python3 %s/smtp-sendmail.py --port %s "$@"\n' "$MS_DIR" "$closed" >"$T/closed-sendmail"
chmod 755 "$T/closed-sendmail"
git config --file "$SD_STORE/.git/config" sd.sendmail "$T/closed-sendmail" && chown "$u:users" "$SD_STORE/.git/config"
r=$(ms_count $R)
b=$(head_id)
expect 0 "sd-reply while the smtpd cannot be reached: exit 0" sd-reply -m "Su cuenta está lista." $t
is "$(sed -n 1p "$T/err")" "sendmail: [Errno 111] Connection refused" \
	"on stderr: what sendmail said (sd lets it through)"
is "$(sed 1d "$T/err" | wc -l | tr -d ' ')" 1 "then one warning line"
is "$(sed -n 2p "$T/err" | grep -c '^sd-reply: warning: mail not sent, kept for sd-mail --flush: .*exit status 75')" 1 \
	"the warning says why and that the mail is kept"
is "$(sgit rev-parse HEAD~1)" "$b" "the reply committed"
is "$(jget $t 'd["events"][-1]["action"]')" reply "a reply event"
is "$(find "$OUTBOX" -type f | wc -l)" 1 "the mail waits in .git/sd-outbox"
expect 75 "sd-mail --flush while the smtpd cannot be reached: 75" sd-mail --flush
is "$(find "$OUTBOX" -type f | wc -l)" 1 "still waiting"

git config --file "$SD_STORE/.git/config" sd.sendmail "$MS_SENDMAIL" && chown "$u:users" "$SD_STORE/.git/config"
expect 0 "sd-mail --flush once the smtpd is reached: 0" sd-mail --flush
is "$(find "$OUTBOX" -type f | wc -l)" 0 "the outbox is empty"
received $R $((r + 1)) "the queued reply"
is "$(ms_header "$msg" Subject)|$(raw "$msg" In-Reply-To)" "[SD-7] Cuenta para Eva Luna|<SD-7@desk.test>" \
	"SD-7's reply, threaded"
is "$(ms_text "$msg" | sed -n 3p)" "Su cuenta está lista." "its text"
expect 0 "a second sd-mail --flush" sd-mail --flush
ms_wait_queue_empty
sleep 1
is "$(ms_count $R)" $((r + 1)) "delivered exactly once"

ms_stop
ms_master_pid >/dev/null
ok $([ $? = 1 ]; echo $?) "the Postfix stopped"

done_testing
