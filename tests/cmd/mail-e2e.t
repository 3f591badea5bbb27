#!/bin/sh
# The desk's mail through a real mail server: a private Postfix on
# 127.0.0.1 (tests/mailserver.sh) whose alias desk@desk.test pipes each
# message into sd-mail, run as the desk's user, as sd-mail(1) deploys it;
# swaks sends real SMTP.  A requester's whole conversation: a mail
# registers a ticket, a reply is a note, a stranger's mail does not reach
# it, "no funciona" reopens it after a solve, "5" closes it after the
# next; bounces and an auto-reply are ignored and counted; a forward and
# an attachment come through; and what the mail system makes of sd-mail's
# exit statuses (65: bounced to the sender, 75: deferred, delivered on a
# later try).  Needs root, postfix and swaks (Makefile DEB_PKGS).
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
. "${SD_TOP:-.}/tests/mailserver.sh"

missing=$(ms_missing)
if [ -n "$missing" ]; then
	echo "1..0 # SKIP $missing"
	exit 0
fi

# Sent when sd sends mail (issue 15), to be added here, each read back
# from the requester's Maildir with ms_wait_count, ms_message, ms_header
# and ms_text, and answered with ms_reply and deliver; sd.ini's [mail]
# sendmail set to "$MS_SENDMAIL -t" (the desk's user, who runs sd-mail
# and every command here, is not root: see tests/mailserver.sh):
#  - registration: requester@example.test receives [SD-1] and its number,
#    Auto-Submitted: auto-replied, a Message-ID to thread on;
#  - an agent's sd-reply: the requester receives it, In-Reply-To and
#    References naming the registration mail; their reply to it (swaks,
#    In-Reply-To set) is a note;
#  - the solve mail with the survey question and the window in words;
#    the "no funciona" and "5" replies below answer that mail;
#  - an approval request to approver@example.test, approved by its reply
#    carrying the token; a forged reply without it changes nothing;
#  - nothing is mailed for a note, a bounce or an auto-reply.

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

mkstore "$T/store"
chown -R "$u:users" "$T/store"
unset SD_NOW SENDER
export SD_AGENT=carmen
COUNTS=$SD_STORE/.git/sd-mail-ignored

# Every sd command the test runs (sd-solve, and sd-show for fields, jget
# and the rest) runs as the desk's user, since libgit2 opens a repository
# for its owner alone.
for p in "$T"/bin/sd*; do
	n=${p##*/}
	cat >"$T/asbin/$n" <<EOF
#!/bin/sh
exec runuser -u $u -- env -i PATH=$T/bin:/usr/bin:/bin SD_SHAREDIR=$T/share \\
	SD_STORE="\$SD_STORE" SD_AGENT="\$SD_AGENT" LC_ALL=C.UTF-8 NO_COLOR=1 \\
	SD_LOCK_TIMEOUT=5 HOME=/nonexistent $T/bin/$n "\$@"
EOF
	chmod 755 "$T/asbin/$n"
done
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

# addressed FILE: the sample FILE of tests/mail from requester@example.test
# instead of Pedro Ruiz's addresses, in $T/FILE
addressed() {
	sed -e 's/pedro\.ruiz@example\.org/requester@example.test/g' \
		-e 's/pedro@example\.org/requester@example.test/g' "$M/$1" >"$T/$1"
}

# --- a mail registers a ticket ------------------------------------------------

cat >"$T/new.eml" <<'EOF'
From: Pedro Ruiz <requester@example.test>
To: Mesa de servicios <desk@desk.test>
Subject: Ayuda: la VPN se cae cada 10 minutos
Date: Mon, 07 Dec 2026 09:12:00 -0500
Message-ID: <e2e-new-1@example.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Desde esta mañana la VPN se cae cada 10 minutos.

Pedro
EOF
b=$(head_id)
deliver requester@example.test "$T/new.eml" sent "a requester's mail with a keyword"
is "$(fields 1 status channel title requester requester_email)" \
	"new|email|Ayuda: la VPN se cae cada 10 minutos|Pedro Ruiz|requester@example.test" \
	"SD-1: new, channel email, the subject its title, the sender its requester"
is "$(jget 1 'd["description"]')" "$(printf 'Desde esta ma\303\261ana la VPN se cae cada 10 minutos.\n\nPedro')" \
	"SD-1's description: the 8-bit text, whole"
is "$(sgit rev-parse HEAD~1)" "$b" "one commit"
is "$(sgit log -1 --format=%an)" "Mail gateway (sd-mail)" "by the mail agent"
is "$(stat -c %U "$SD_STORE/tickets/000/SD-1.ini")" "$u" \
	"written as the desk's user (Postfix's default_privs for a root-owned aliases file)"

# --- the requester's reply is a note ------------------------------------------

addressed reply.eml
deliver requester@example.test "$T/reply.eml" sent "a reply tagged [SD-1] (Gmail, multipart/alternative)"
is "$(jget 1 'd["events"][-1]["action"] + " " + d["events"][-1]["by"]')" "note mail" \
	"a note by the mail agent"
is "$(jget 1 'd["events"][-1]["text"]')" \
	"$(printf 'From: Pedro Ruiz <requester@example.test>\n\nSigue cay\303\251ndose cada 10 minutos, tambi\303\251n desde la casa.')" \
	"the note: who wrote, then the reply, the quote left out"
is "$(status_of 1)" new "SD-1 still new"

# --- a stranger's mail to [SD-1] does not reach it -----------------------------

sgit show HEAD:tickets/000/SD-1.ini >"$T/sd1.before"
deliver stranger@example.test "$M/stranger.eml" sent "a stranger's \"5\" tagged [SD-1]"
is "$(fields 2 channel title requester requester_email related)" \
	"email|[SD-1] VPN down|María López|maria.lopez@example.org|" \
	"a new ticket, SD-2, the stranger its requester, related to nothing"
sgit show HEAD:tickets/000/SD-1.ini >"$T/sd1.after"
cmp -s "$T/sd1.before" "$T/sd1.after"
ok $? "SD-1's file unchanged"

# --- solved, "no funciona" reopens, solved again, "5" closes ---------------------

quiet sd-solve -m "Router restarted" 1
is "$(status_of 1)" solved "carmen solves SD-1"
addressed reopen.eml
deliver requester@example.test "$T/reopen.eml" sent "\"No funciona todavía\" to the solved ticket"
is "$(fields 1 status reopened rating)" "reopened|1|" "SD-1 reopened, once, no rating"
is "$(jget 1 'd["events"][-1]["action"] + "|" + d["events"][-1]["text"]')" \
	"$(printf 'reopen|From: Pedro Ruiz <requester@example.test>\n\nNo funciona todav\303\255a: la VPN se sigue cayendo cada 10 minutos.')" \
	"a reopen event, the reply its reason"
quiet sd-solve -m "Tunnel MTU lowered to 1400" 1
is "$(status_of 1)" solved "solved again"
addressed rating-5.eml
deliver requester@example.test "$T/rating-5.eml" sent "\"5\" to the solved ticket (Thunderbird)"
is "$(fields 1 status rating close_reason)" "closed|5|confirmed by requester" \
	"SD-1 closed with rating 5, confirmed by the requester"
is "$(jget 1 'd["events"][-1]["action"] + " " + d["events"][-1]["by"] + " " + str(d["events"][-1]["rating"])')" \
	"close mail 5" "a close event by the mail agent, rating 5"

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

# --- a forwarded message keeps its text; an attachment comes through ----------------

deliver carmen.rojas@example.test "$M/forward.eml" sent "a forward as attachment (message/rfc822)"
is "$(fields 3 title requester)" "Ayuda: acceso bloqueado al portal de proveedores|Carmen Rojas" \
	"SD-3: the forward's own subject and sender"
is "$(jget 3 'd["description"]')" \
	"$(printf 'Les reenv\303\255o el correo del proveedor: no puede entrar al portal desde el viernes.\n\nCarmen\n\n---------- Forwarded message ----------\nFrom: Jos\303\251 Pe\303\261a <jose.pena@proveedor.example.com>\nDate: Fri, 20 Nov 2026 17:05:12 -0500\nSubject: Acceso bloqueado al portal de proveedores\n\nBuenas tardes, Carmen:\n\nDesde hoy el portal dice \302\253usuario bloqueado\302\273 al entrar con mi contrase\303\261a.\nAdjunto la captura.\n\nJos\303\251 Pe\303\261a\n\nAttachments, not kept in the ticket:\n- captura.png (image/png, 70 bytes)')" \
	"SD-3's description: the forwarded From/Date/Subject and text, through SMTP"
deliver laura.mendez@example.test "$M/multipart-pdf.eml" sent "a message with a PDF attached"
is "$(fields 4 status channel title requester)" \
	"new|email|Ayuda: error al abrir el módulo de facturación|Laura Méndez" \
	"SD-4 registered from it"
jget 4 'd["description"]' >"$T/sd4.txt"
is "$(tail -2 "$T/sd4.txt")" "$(printf 'Attachments, not kept in the ticket:\n- error facturaci\303\263n.pdf (application/pdf, 590 bytes)')" \
	"the attachment listed, with its decoded size"

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

ms_stop
ms_master_pid >/dev/null
ok $([ $? = 1 ]; echo $?) "the Postfix stopped"

done_testing
