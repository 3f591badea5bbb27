#!/bin/sh
# sd-mail and real-world mail: bounces and automatic replies ignored with
# exit 0 and counted by reason in .git/sd-mail-ignored, forwarded messages
# kept as text, format=flowed unwrapped.  The samples are tests/mail/*.eml;
# tests/mail/SOURCES says where each comes from.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
M=${SD_TOP:-.}/tests/mail
unset SENDER

# SD-1, by ana, for the Pedro Ruiz who writes tests/mail/reply.eml
new_ticket --email pedro.ruiz@example.org
export SD_AGENT=mail SD_NOW=2026-11-23T12:00:00-05:00
COUNTS=$SD_STORE/.git/sd-mail-ignored

# ignored FILE DESCRIPTION WHY [sd-mail options]: sd-mail < FILE does
# nothing: exit 0, WHY on stderr after "sd-mail: ignored: ", nothing on
# stdout, no commit
ignored() {
	_f=$1 _d=$2 _w=$3
	shift 3
	_b=$(head_id)
	expect_in "$_f" 0 "$_d: exit 0" sd-mail "$@"
	is "$(cat "$T/err")" "sd-mail: ignored: $_w" "$_d: says why, on one line"
	is "$(cat "$T/out")" "" "$_d: nothing on stdout"
	unchanged "$_b" "$_d"
}

# counts_are TEXT DESCRIPTION: the counter file holds printf TEXT exactly
counts_are() {
	printf "$1" >"$T/want"
	if ! cmp -s "$T/want" "$COUNTS"; then
		echo "# want:" >&2; sed 's/^/#   /' "$T/want" >&2
		echo "# got:" >&2; sed 's/^/#   /' "$COUNTS" >&2
	fi
	ok $(cmp -s "$T/want" "$COUNTS"; echo $?) "$2"
}

# --- bounces and automatic replies: ignored, counted --------------------

[ ! -e "$COUNTS" ]
ok $? "no counter file before a message is ignored"

# Postfix's bounce (sisimai): multipart/report, Return-Path: <>,
# MAILER-DAEMON, Auto-Submitted: the report is named.
ignored "$M/postfix-bounce.eml" "a Postfix bounce (RFC 3464)" \
	"a delivery or disposition report (multipart/report; report-type=delivery-status)"
counts_are 'report = 1\n' "counted under report"
is "$(sgit ls-tree -r --name-only HEAD | grep -c sd-mail-ignored)" 0 \
	"the counter file is not in the tree"

# From: MAILER-DAEMON <>, no other sign (DragonFly Mail Agent): it was 65.
ignored "$M/daemon-bounce.eml" "From: MAILER-DAEMON <>" "a bounce (from MAILER-DAEMON)"
ignored "$M/qmail-bounce.eml" "qmail's bounce from MAILER-DAEMON@host" \
	"a bounce (from MAILER-DAEMON@nijo.example.jp)"
counts_are 'report = 1\nmailer-daemon = 2\n' "two under mailer-daemon, in the order of the reasons"

# An RFC 3464 report with no report-type, from postmaster (CPython's).
ignored "$M/ucla-report.eml" "a Sun Internet Mail Server report" \
	"a delivery or disposition report (multipart/report)"

# Out of office: Auto-Submitted alone (Exim), the null sender alone
# (Exchange's "Automatic reply"), and ours, which has both and Precedence.
ignored "$M/vacation.eml" "a vacation reply, Auto-Submitted: auto-replied" \
	"an automatic message (Auto-Submitted: auto-replied)"
ignored "$M/exchange-auto-reply.eml" "Exchange's automatic reply, Return-path: <>" \
	"a bounce (Return-Path: <>)"
ignored "$M/auto-reply.eml" "an auto-reply with every sign" \
	"an automatic message (Auto-Submitted: auto-replied (vacation))"

# Precedence: a newsletter whose subject has a keyword, and a list's copy
# of a reply tagged [SD-1]: neither makes a ticket or a note.
ignored "$M/bulk.eml" "Precedence: bulk, a keyword in the subject" \
	"a bulk or list message (Precedence: bulk)"
ignored "$M/list.eml" "Precedence: list, tagged [SD-1]" \
	"a bulk or list message (Precedence: list)"
is "$(nevents 1)" 1 "SD-1 has no note from the list"

printf 'From: a@example.org\nX-Autoreply: yes\nSubject: Re: [SD-1] VPN down\n\nAway.\n' >"$T/xar.eml"
ignored "$T/xar.eml" "X-Autoreply: yes" "an automatic reply (X-Autoreply: yes)"
printf 'From: a@example.org\nX-Autorespond: vacation\nSubject: Re: [SD-1] VPN down\n\nAway.\n' >"$T/xars.eml"
ignored "$T/xars.eml" "X-Autorespond" "an automatic reply (X-Autorespond: vacation)"

counts_are 'report = 2\nauto-submitted = 2\nautoreply = 2\nprecedence = 2\nnull-sender = 1\nmailer-daemon = 2\n' \
	"every reason counted, in SD_MAIL_REASONS order"

# The envelope sender: -f, $SENDER (Postfix local(8), Exim), the mbox line.
printf 'From: Pedro <>\nSubject: Re: [SD-1] VPN down\n\nfailed\n' >"$T/noaddr.eml"
_b=$(head_id)
expect_in "$T/noaddr.eml" 65 "no address, no sign of a bounce: still 65" sd-mail
like "$T/err" "^sd-mail: not a mail message: no sender address in From:" "says why"
unchanged "$_b" "refused"
ignored "$T/noaddr.eml" "-f '<>'" "a bounce (the null envelope sender)" -f '<>'
ignored "$T/noaddr.eml" "--sender ''" "a bounce (the null envelope sender)" --sender ''
ignored "$T/noaddr.eml" "-f MAILER-DAEMON (pipe(8)'s null_sender)" \
	"a bounce (the null envelope sender)" -f MAILER-DAEMON
export SENDER=
ignored "$T/noaddr.eml" "SENDER= in the environment" "a bounce (the null envelope sender)"
ignored "$M/daemon-bounce.eml" "SENDER= before MAILER-DAEMON" "a bounce (the null envelope sender)"
export SENDER=pedro.ruiz@example.org
expect_in "$T/noaddr.eml" 65 "SENDER a person: 65" sd-mail
ignored "$T/noaddr.eml" "-f wins over SENDER" "a bounce (the null envelope sender)" -f ''
unset SENDER
{ printf 'From MAILER-DAEMON Mon Nov 23 12:00:00 2026\n'; cat "$T/noaddr.eml"; } >"$T/mbox.eml"
ignored "$T/mbox.eml" "the mbox line's MAILER-DAEMON" "a bounce (the null envelope sender)"
counts_are 'report = 2\nauto-submitted = 2\nautoreply = 2\nprecedence = 2\nnull-sender = 8\nmailer-daemon = 2\n' \
	"six more under null-sender"

# A person's mail with -f their address is theirs.
_b=$(head_id)
expect_in "$M/reply.eml" 0 "-f a person's address: the note is added" sd-mail -f pedro.ruiz@example.org
out_is "SD-1" "prints SD-1"
is "$(sgit rev-parse HEAD~1)" "$_b" "one commit"

# The other reasons are counted too; --dry-run counts nothing.
ignored "$M/no-keyword.eml" "no tag, no keyword" \
	"no ticket [SD-N] and no word of sd.ini [mail] keywords in the subject"
ignored "$M/agent.eml" "from an agent" \
	"from Luis.Perez@Example.org, the desk's own address (luis in agents.ini)"
cp "$COUNTS" "$T/before"
expect_in "$M/postfix-bounce.eml" 0 "--dry-run of a bounce" sd-mail --dry-run
cmp -s "$T/before" "$COUNTS"
ok $? "--dry-run leaves the counts as they were"
counts_are 'report = 2\nauto-submitted = 2\nautoreply = 2\nprecedence = 2\nnull-sender = 8\nmailer-daemon = 2\nown-address = 1\nno-route = 1\n' \
	"own-address and no-route counted"

# A key sd does not know (a later version's) is kept, after sd's own.
printf 'future = 7\nreport = 2\n' >"$COUNTS"
ignored "$M/vacation.eml" "a counter file with another key" \
	"an automatic message (Auto-Submitted: auto-replied)"
counts_are 'report = 2\nauto-submitted = 1\nfuture = 7\n' "its key kept, after sd's own"

# A counter file that is not KEY = N lines: refused with 65, naming the
# line, and left as it is for the administrator to mend.
printf 'report = 2\nreport: 3\n' >"$COUNTS"
cp "$COUNTS" "$T/broken"
_b=$(head_id)
expect_in "$M/vacation.eml" 65 "a broken counter file: 65" sd-mail
one_line_error "$T/err" "one line on stderr"
like "$T/err" "^sd-mail: .*/\.git/sd-mail-ignored:2: not a line KEY = N" "names the file and line"
unchanged "$_b" "a broken counter file"
cmp -s "$T/broken" "$COUNTS"
ok $? "the broken file is left as it was"
for bad in 'Report = 1' 'report = -1' 'report = ' ' = 1' 'report = 1x' 'report = 99999999999999999999999'; do
	printf '%s\n' "$bad" >"$COUNTS"
	expect_in "$M/vacation.eml" 65 "counter line '$bad': 65" sd-mail
done
rm "$COUNTS"

# Busy: another process holds the lock; the count waits, exit 75.
lock=$SD_STORE/.git/sd.lock
flock -o "$lock" sleep 30 >/dev/null 2>&1 </dev/null &
holder=$!
i=0
while flock -n "$lock" true && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
SD_LOCK_TIMEOUT=1 expect_in "$M/vacation.eml" 75 "a busy store: 75, the bounce comes again" sd-mail
like "$T/err" "^sd-mail: store busy" "says the store is busy"
kill "$holder"
wait "$holder" 2>/dev/null
[ ! -e "$COUNTS" ]
ok $? "nothing counted while busy"
ignored "$M/vacation.eml" "once free, it is counted" \
	"an automatic message (Auto-Submitted: auto-replied)"
counts_are 'auto-submitted = 1\n' "a new file, one line"

# --- forwarded messages: their text kept ---------------------------------

export SD_NOW=2026-11-23T12:40:00-05:00
_b=$(head_id)
expect_in "$M/forward.eml" 0 "a forward as attachment (message/rfc822): a new ticket" sd-mail
out_is "SD-2" "prints SD-2"
is "$(fields 2 title requester requester_email)" \
	"Ayuda: acceso bloqueado al portal de proveedores|Carmen Rojas|carmen.rojas@example.org" \
	"the forward's own subject and sender"
bytes_are() {
	jget "$1" "$2" >"$T/got"
	printf "$3" >"$T/want"
	if ! cmp -s "$T/want" "$T/got"; then
		echo "# want:" >&2; od -c "$T/want" | sed 's/^/#   /' >&2
		echo "# got:" >&2; od -c "$T/got" | sed 's/^/#   /' >&2
	fi
	ok $(cmp -s "$T/want" "$T/got"; echo $?) "$4"
}
bytes_are 2 'd["description"]' \
	'Les reenv\303\255o el correo del proveedor: no puede entrar al portal desde el viernes.\n\nCarmen\n\n---------- Forwarded message ----------\nFrom: Jos\303\251 Pe\303\261a <jose.pena@proveedor.example.com>\nDate: Fri, 20 Nov 2026 17:05:12 -0500\nSubject: Acceso bloqueado al portal de proveedores\n\nBuenas tardes, Carmen:\n\nDesde hoy el portal dice \302\253usuario bloqueado\302\273 al entrar con mi contrase\303\261a.\nAdjunto la captura.\n\nJos\303\251 Pe\303\261a' \
	"the description: the forward's text (flowed), the forwarded From/Date/Subject and text (Latin-1), its attachment"

# A forwarded message in a reply (to SD-2, Carmen Rojas's): its text is
# not cut as a quote.
sed '0,/^Subject: .*/s//Subject: Re: [SD-2] Acceso/' "$M/forward.eml" >"$T/fwd-reply.eml"
expect_in "$T/fwd-reply.eml" 0 "a reply tagged [SD-2] with a forwarded message: a note" sd-mail
bytes_are 2 'd["events"][-1]["text"]' \
	'From: Carmen Rojas <carmen.rojas@example.org>\n\nLes reenv\303\255o el correo del proveedor: no puede entrar al portal desde el viernes.\n\nCarmen\n\n---------- Forwarded message ----------\nFrom: Jos\303\251 Pe\303\261a <jose.pena@proveedor.example.com>\nDate: Fri, 20 Nov 2026 17:05:12 -0500\nSubject: Acceso bloqueado al portal de proveedores\n\nBuenas tardes, Carmen:\n\nDesde hoy el portal dice \302\253usuario bloqueado\302\273 al entrar con mi contrase\303\261a.\nAdjunto la captura.\n\nJos\303\251 Pe\303\261a' \
	"the note keeps the forwarded header block and text"

# [mail] max_text bounds the forwarded text as the rest.
edit_config sd.ini '/^keywords = /a max_text = 1K'
head -c 2000 /dev/zero | tr '\0' 'x' | fold -w 70 >"$T/long.txt"
{ sed '/^Buenas tardes, Carmen:$/q' "$M/forward.eml"; cat "$T/long.txt"; sed -n '/^Jos=E9 Pe=F1a$/,$p' "$M/forward.eml"; } >"$T/fwd-long.eml"
expect_in "$T/fwd-long.eml" 0 "a long forwarded text" sd-mail --dry-run
like "$T/out" '^\[\.\.\. the rest of the message is left out: sd keeps texts of up to 1 KiB\]$' \
	"cut at [mail] max_text, saying so"
edit_config sd.ini '/^max_text = 1K$/d'

# --- format=flowed --------------------------------------------------------

expect_in "$M/flowed.eml" 0 "a Thunderbird format=flowed reply: a note" sd-mail
bytes_are 1 'd["events"][-1]["text"]' \
	'From: Pedro Ruiz <pedro.ruiz@example.org>\n\nHi, the VPN still drops every ten minutes, from home too and with the network cable plugged in. I can send screenshots if you need them.\n\nFrom 3 pm yesterday on it has not changed.\n\n-- \nPedro Ruiz' \
	"soft breaks joined, the stuffed space gone, the flowed quotes cut"
expect_in "$M/flowed-delsp.eml" 0 "Apple Mail's format=flowed; delsp=yes: a new ticket" sd-mail
out_is "SD-3" "prints SD-3"
bytes_are 3 'd["description"]' \
	'Buenos d\303\255as:\n\nDesde esta ma\303\261ana la impresora del piso 3 no imprime: muestra \342\200\234papel atascado\342\200\235 aunque la bandeja est\303\241 vac\303\255a. El c\303\263digo de error es E-40.\n\nGracias,\nLaura' \
	"DelSp=yes: the break's space deleted, a split word joined"
sed 's/; delsp=yes//' "$M/flowed-delsp.eml" >"$T/no-delsp.eml"
expect_in "$T/no-delsp.eml" 0 "the same without delsp" sd-mail --dry-run
printf 'muestra  \342\200\234papel atascado\342\200\235 aunque la bandeja est\303\241 vac\303\255a. El c\303\263digo de er ror es E-40.\n' >"$T/want"
grep -qF -f "$T/want" "$T/out"
ok $? "without DelSp the spaces stay"

done_testing
