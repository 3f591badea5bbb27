#!/bin/sh
# The desk's outgoing mail (sd(7) EMAIL CONVERSATION): each change mails
# the requester (or an approval's approvers) through the machine-local
# command of git config sd.sendmail (never sd.ini's),
# here a script that keeps each message it is given in $T/sent/.  The
# queue (.git/sd-outbox) keeps what could not be sent for sd-mail
# --flush, which sends each mail once.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
unset SENDER
SENT=$T/sent
OUTBOX=$SD_STORE/.git/sd-outbox
mkdir -p "$SENT"

# The MTA: fails with 75 while $T/fail exists; waits a little while
# $T/slow does; else keeps the message in a file of its own.
cat >"$T/sendmail" <<EOF
#!/bin/sh
[ "\$*" = "-t -i" ] || { echo "sendmail: not -t -i: \$*" >&2; exit 64; }
[ -e "$T/fail" ] && { cat >/dev/null; exit 75; }
[ -e "$T/slow" ] && sleep 0.3
[ -e "$T/slower" ] && sleep 1
[ -e "$T/hang" ] && { ( sleep 4; touch "$T/late" ) & sleep 30; }
cat >"\$(mktemp "$SENT/m.XXXXXX")"
EOF
chmod +x "$T/sendmail"

# sent: how many messages the MTA has; the only one's path in $msg.
sent() { ls "$SENT" | wc -l | tr -d ' '; }
one() { msg=$SENT/$(ls "$SENT" | head -1); }
reset() { rm -f "$SENT"/*; }
# get FILE HEADER|body: a header decoded and unfolded, or the text.
get() {
	python3 - "$1" "$2" <<'EOF'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
w = sys.argv[2]
sys.stdout.write(m.get_content() if w == 'body' else str(m[w] or ''))
EOF
}
# raw FILE HEADER: a header as it is on the wire, unfolded.
raw() { sed -n '/^$/q;p' "$1" | sed ':a;N;$!ba;s/\n[ \t]/ /g' | sed -n "s/^$2: //p"; }

# Without [mail] address nothing is mailed.
new_ticket
is "$(sent)" 0 "no [mail] address: nothing sent"

edit_config sd.ini "/^keywords = /a address = desk@desk.example\\nname = Mesa de Servicio TI"
grep -q "^name = Mesa de Servicio TI\$" "$SD_STORE/sd.ini" || bail "no [mail] name"

# --- the command: git config sd.sendmail, "sendmail" when unset, -t -i added --
# Unset, "sendmail" from PATH: here a stand-in that records it ran.
mkdir -p "$T/path"
printf '#!/bin/sh\necho "$*" >"%s/default.args"\ncat >/dev/null\n' "$T" >"$T/path/sendmail"
chmod +x "$T/path/sendmail"
quiet env PATH="$T/path:$PATH" sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn \
	--email pedro@example.org
is "$(cat "$T/default.args" 2>/dev/null)" "-t -i" "sd.sendmail unset: sendmail -t -i from PATH"
git -C "$SD_STORE" config sd.sendmail "$T/sendmail"
is "$(git config --file "$SD_STORE/.git/config" sd.sendmail)" "$T/sendmail" "sd.sendmail: in .git/config, machine-local"

# --- registration: the number ------------------------------------------------
reset
new_ticket; t=$made
is "$(sent)" 1 "sd-new: one mail"
one
is "$(get "$msg" To)" "Pedro Ruiz <pedro@example.org>" "to the requester"
is "$(get "$msg" From)" "Mesa de Servicio TI <desk@desk.example>" "from [mail] name and address"
is "$(get "$msg" Subject)" "[SD-$t] Registered: VPN down" "the subject: [SD-N], in English by default"
like "$msg" "^Message-ID: <SD-$t@desk\\.example>\$" "its Message-ID is the ticket's root id"
like "$msg" "^Auto-Submitted: auto-replied\$" "Auto-Submitted: auto-replied"
like "$msg" "^Content-Transfer-Encoding: quoted-printable\$" "quoted-printable"
like "$msg" "^Date: Mon, 23 Nov 2026 10:00:00 -0500\$" "dated SD_NOW in the store's zone"
get "$msg" body >"$T/body"
like "$T/body" "registered as SD-$t: VPN down" "the body gives the number"
is "$(ls "$OUTBOX" 2>/dev/null | wc -l | tr -d ' ')" 0 "sent: nothing left in the outbox"

# --- no requester_email, a note: nothing -------------------------------------
reset
mk pending-info
is "$(sent)" 0 "no requester_email: nothing sent"
quiet env SD_AGENT=carmen sd-note -m "Called, no answer" "$t"
is "$(sent)" 0 "a note: nothing sent"

# --- solve: the survey, the window in words and its end ----------------------
reset
quiet env SD_AGENT=carmen sd-solve -m "Router restarted" "$t"
is "$(sent)" 1 "sd-solve: one mail"
one
is "$(get "$msg" Subject)" "[SD-$t] Solved: VPN down" "the solve mail's subject"
is "$(raw "$msg" In-Reply-To)" "<SD-$t@desk.example>" "In-Reply-To: the ticket's root"
is "$(raw "$msg" References)" "<SD-$t@desk.example>" "References: the ticket's root"
like "$msg" "^Message-ID: <SD-$t\\.3\\.[0-9a-f]{12}@desk\\.example>\$" "Message-ID: ticket, event 3, hash"
get "$msg" body >"$T/body"
like "$T/body" "^Router restarted\$" "the solution"
like "$T/body" "rating\$" "the survey's question"
like "$T/body" "^from 1 to 5" "a rating from 1 to 5"
like "$T/body" "within 48 hours, by Wednesday 25 November 2026 at 10:00 \\(America/Bogota\\)" \
	"the window in words and its end in the store's zone"

# Spanish, and a window of business days.
edit_config sd.ini "/^prefix = /a language = es"
edit_config sd.ini "s/^accept_window = .*/accept_window = 3bd/"
reset
new_ticket; t=$made
one
is "$(get "$msg" Subject)" "[SD-$t] Registrado: VPN down" "language = es: the Spanish template"
reset
quiet env SD_AGENT=carmen sd-solve -m "Se reinició el enrutador" "$t"
one
is "$(get "$msg" Subject)" "[SD-$t] Solucionado: VPN down" "the Spanish solve mail"
get "$msg" body >"$T/body"
like "$T/body" "^Se reinició el enrutador\$" "the solution, UTF-8 through quoted-printable"
like "$T/body" "calificación de 1 a 5" "the survey's question in Spanish"
like "$T/body" "en 3 días hábiles, antes del jueves 26 de noviembre de 2026 a las 10:00 \\(America/Bogota\\)" \
	"3bd in words and the end three business days on"
LC_ALL=C grep -q "$(printf '[\200-\377]')" "$msg"
ok $((!$?)) "only ASCII on the wire"
awk 'length($0) > 78 { bad = 1 } END { exit bad }' "$msg"
ok $? "no line over 78 octets"

# reopen and close in Spanish, threaded on the same root.
reset
quiet env SD_AGENT=carmen sd-reopen -m "Sigue fallando" "$t"
one
is "$(get "$msg" Subject)" "[SD-$t] Reabierto: VPN down" "reopen mailed"
is "$(raw "$msg" In-Reply-To)" "<SD-$t@desk.example>" "reopen: threaded on the root"
edit_config sd.ini "s/^accept_window = .*/accept_window = 48h/"
edit_config sd.ini "/^language = /d"

# --- reject: the reason -------------------------------------------------------
reset
new_ticket; t=$made
reset
quiet env SD_AGENT=carmen sd-close --reject -m "Write to facilities@example.org instead" "$t"
one
is "$(get "$msg" Subject)" "[SD-$t] Not handled by the desk: VPN down" "reject mailed"
get "$msg" body >"$T/body"
like "$T/body" "^Write to facilities@example.org instead\$" "with the redirect text"

# --- a reply, when sd-reply is there ---------------------------------------------
if command -v sd-reply >/dev/null 2>&1; then
	reset
	new_ticket; t=$made
	reset
	quiet env SD_AGENT=carmen sd-reply -m "Please restart your laptop" "$t"
	one
	is "$(get "$msg" Subject)" "[SD-$t] VPN down" "sd-reply mailed"
	is "$(raw "$msg" In-Reply-To)" "<SD-$t@desk.example>" "the reply: In-Reply-To the root"
	get "$msg" body >"$T/body"
	like "$T/body" "^Please restart your laptop\$" "the reply's text"
else
	ok 0 "# SKIP no sd-reply in this build"
fi

# --- the approval request: to the approver, with the token ---------------------
reset
mk awaiting-approval; t=$made
is "$(sent)" 2 "a request awaiting approval: the requester's mail and the approver's"
for f in "$SENT"/*; do
	case $(get "$f" To) in *carmen*) msg=$f ;; esac
done
is "$(get "$msg" To)" "Carmen Vargas <carmen.vargas@example.org>" "to the approver of boss, the first role"
subject=$(get "$msg" Subject)
token=$(printf '%s\n' "$subject" | sed -n 's/.*(ref \([0-9a-f]*\))$/\1/p')
is "${#token}" 24 "the subject ends with (ref TOKEN), 24 hex digits"
like "$msg" "^Message-ID: <SD-$t\\.approval\\.$token@desk\\.example>\$" "the token in the Message-ID"
like "$msg" "^(Subject:)? .*\\(ref $token\\)\$" "(ref TOKEN) on one line of the wire"
get "$msg" body >"$T/body"
like "$T/body" '"approved"' "how to answer"
reset
quiet env SD_AGENT=carmen sd-approve --role boss "$t"
is "$(sent)" 1 "after the first approval: the next role's approver"
one
is "$(get "$msg" To)" "Raúl Mejía <raul.mejia@example.org>" "to raul, who approves risk (UTF-8 name)"
like "$msg" "^To: =\\?UTF-8\\?Q\\?Ra=C3=BAl_Mej=C3=ADa\\?= <raul" "the name as an RFC 2047 word on the wire"
like "$msg" "^Message-ID: <SD-$t\\.approval\\.[0-9a-f]{24}@desk\\.example>\$" "its own token"

# --- a failed send: queued, the change made, flushed once ------------------------
reset
touch "$T/fail"
new_ticket; t=$made
is "$(sed -n 1p "$T/quiet.out")" "SD-$t" "sendmail failing: the command still prints the ID"
expect 0 "sendmail failing: sd-solve exits 0" env SD_AGENT=carmen sd-solve -m "Fixed" "$t"
is "$(wc -l <"$T/err" | tr -d ' ')" 1 "one warning line"
like "$T/err" "^sd-solve: warning: mail not sent, kept for sd-mail --flush: .*exit status 75" \
	"the warning says why and that the mail is kept"
is "$(status_of "SD-$t")" solved "the change is committed"
is "$(ls "$OUTBOX" | wc -l | tr -d ' ')" 2 "both mails queued"
is "$(sent)" 0 "nothing reached the MTA"
expect 75 "sd-mail --flush while the MTA fails: 75" sd-mail --flush
is "$(wc -l <"$T/err" | tr -d ' ')" 2 "one line per mail not sent"
rm -f "$T/fail"
expect 0 "sd-mail --flush: 0 when all went" sd-mail --flush
is "$(sent)" 2 "each queued mail sent"
is "$(cat "$SENT"/* | grep -c '^Message-ID: <SD-'"$t"'[.@]')" 2 "the two mails of SD-$t"
is "$(ls "$OUTBOX" | wc -l | tr -d ' ')" 0 "the outbox is empty"
expect 0 "a second flush" sd-mail --flush
is "$(sent)" 2 "sends nothing again"
expect 64 "--flush with --dry-run: usage" sd-mail --flush --dry-run

# Two flushes at once send each mail once.
reset
touch "$T/fail"
for i in 1 2 3 4; do new_ticket; done
is "$(ls "$OUTBOX" | wc -l | tr -d ' ')" 4 "four mails queued"
rm -f "$T/fail"
touch "$T/slow"
sd-mail --flush >"$T/f1" 2>&1 &
p1=$!
sd-mail --flush >"$T/f2" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
rm -f "$T/slow"
is "$r1$r2" "00" "both flushes exit 0"
is "$(sent)" 4 "four mails sent, not eight"
is "$(cat "$SENT"/* | grep '^Message-ID:' | sort -u | wc -l | tr -d ' ')" 4 "four different ones"

# --- a hung sendmail: stopped at sd.sendmailTimeout, its group too, kept ---------
reset
rm -f "$OUTBOX"/*
git -C "$SD_STORE" config sd.sendmailTimeout 2
touch "$T/hang"
expect 0 "sendmail hanging: sd-new exits 0" sd-new -t incident -s "VPN down" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org
like "$T/err" "^sd-new: warning: mail not sent, kept for sd-mail --flush: .*sendmail did not finish in 2 s \\(git config sd\\.sendmailTimeout\\), stopped\$" \
	"the warning: timed out, kept"
is "$(wc -l <"$T/err" | tr -d ' ')" 1 "timed out: one warning line"
is "$(ls "$OUTBOX" | wc -l | tr -d ' ')" 1 "timed out: the mail stays queued"
sleep 3
ok "$([ ! -e "$T/late" ]; echo $?)" "timed out: what sendmail started is stopped with it"
git -C "$SD_STORE" config sd.sendmailTimeout soon
expect 75 "sd.sendmailTimeout soon: --flush 75" sd-mail --flush
like "$T/err" "git config sd\\.sendmailTimeout must be a number of seconds from 1 to 86400, not 'soon'" \
	"sd.sendmailTimeout soon: says so"
git -C "$SD_STORE" config --unset sd.sendmailTimeout
rm -f "$T/hang"
expect 0 "the MTA back: --flush sends it" sd-mail --flush
is "$(sent)" 1 "the kept mail sent once"

# --- pending-info, the reminder once, unmanaged ------------------------------------
edit_config sd.ini "s/^required = .*/required = category, requester_email, requester_phone/"
reset
quiet env SD_AGENT=carmen SD_NOW=2026-11-24T08:00:00-05:00 sd-new -t incident -s "Printer" \
	-r "Pedro Ruiz" -c network/vpn --email pedro@example.org
t=$(sed 's/^SD-//' "$T/quiet.out")
is "$(status_of "SD-$t")" pending-info "no phone: pending-info"
one
is "$(get "$msg" Subject)" "[SD-$t] We need more information: Printer" "the pending-info mail"
get "$msg" body >"$T/body"
like "$T/body" "we still need your phone number" "what is missing, in words"
like "$T/body" "within 24 hours, by Wednesday 25 November 2026 at 08:00" "until when"
reset
SD_NOW=2026-11-25T01:00:00-05:00 run env SD_AGENT=cron sd-close --auto
is "$(sent)" 0 "17 hours on: no reminder yet (remind_before: a quarter of 24h)"
# The queue cannot take it (a file where its directory goes): not told,
# so the next run reminds.
rm -rf "$OUTBOX"
: >"$OUTBOX"
SD_NOW=2026-11-25T02:00:00-05:00 run env SD_AGENT=cron sd-close --auto
is "$(sent)" 0 "the queue failing: no reminder sent"
like "$T/err" "sd-outbox" "the queue failing: said"
rm -f "$OUTBOX"
SD_NOW=2026-11-25T02:30:00-05:00 run env SD_AGENT=cron sd-close --auto
is "$(sent)" 1 "5.5 hours before the end: the reminder (not lost to the failed queue)"
one
is "$(get "$msg" Subject)" "[SD-$t] Reminder: we still need more information" "the reminder"
is "$(raw "$msg" In-Reply-To)" "<SD-$t@desk.example>" "the reminder is threaded"
SD_NOW=2026-11-25T03:00:00-05:00 run env SD_AGENT=cron sd-close --auto
is "$(sent)" 1 "the reminder goes once"
SD_NOW=2026-11-25T08:30:00-05:00 run env SD_AGENT=cron sd-close --auto
is "$(status_of "SD-$t")" unmanaged "past the window: unmanaged"
is "$(sent)" 2 "the unmanaged mail"
for f in "$SENT"/*; do
	case $(get "$f" Subject) in *"Set aside"*) msg=$f ;; esac
done
is "$(get "$msg" Subject)" "[SD-$t] Set aside: Printer" "unmanaged mailed"

# --- a stranger refused gets the refused mail ------------------------------------
edit_config sd.ini '/^keywords = /a strangers = refuse'
new_ticket; t=$made
reset
sed "s/\[SD-1\]/[SD-$t]/" "${SD_TOP:-.}/tests/mail/stranger.eml" >"$T/stranger.eml"
expect_in "$T/stranger.eml" 0 "a stranger's mail to a ticket: exit 0" env SD_AGENT=mail sd-mail
is "$(sent)" 1 "the stranger is answered"
one
is "$(get "$msg" To)" "$(get "$T/stranger.eml" From)" "to the stranger's address"
is "$(get "$msg" Subject)" "[SD-$t] Your message was not added" "the refused mail"
# Nothing of what the stranger wrote: no spam sent in the desk's name.
sed '1,/^$/d' "$msg" >"$T/refused-body"
ok $(! grep -Eqi 'VPN|down|Mar(=C3=AD|í)a|L(=C3=B3|ó)pez' "$T/refused-body"; echo $?) \
	"the refused mail's text echoes neither their subject nor their name"
like "$T/refused-body" "names the request SD-$t" "it names the ticket"
like "$msg" "^Auto-Submitted: auto-replied\$" "marked automatic, so it is not answered back"
# An automatic message from a stranger is ignored as automatic: never answered.
reset
sed "s/\[SD-1\]/[SD-$t]/" "${SD_TOP:-.}/tests/mail/auto-reply.eml" >"$T/auto.eml"
expect_in "$T/auto.eml" 0 "an auto-reply from a stranger to a ticket: exit 0" env SD_AGENT=mail sd-mail
like "$T/err" "ignored: " "ignored"
is "$(sent)" 0 "and not answered"


# --- a ticket that came by mail threads under the requester's message -------
edit_config sd.ini "s/^required = .*/required = category, requester_email/"
reset
expect_in "${SD_TOP:-.}/tests/mail/multipart-pdf.eml" 0 "a mail with a keyword: a new ticket" \
	env SD_AGENT=mail sd-mail
t=$(sed 's/^SD-//' "$T/out")
is "$(jget "$t" 'd["events"][0]["message_id"]')" "20261123150205.GA1234@example.org" \
	"the first event keeps the requester's Message-ID"
one
is "$(raw "$msg" In-Reply-To)" "<20261123150205.GA1234@example.org>" "the number: In-Reply-To their mail"
is "$(raw "$msg" References)" "<20261123150205.GA1234@example.org>" "References: their mail"
like "$msg" "^Message-ID: <SD-$t@desk\\.example>\$" "and it is the ticket's root"
reset
quiet env SD_AGENT=carmen sd-close --reject -m "Escriba a facturacion@example.org" "$t"
one
is "$(raw "$msg" References)" "<20261123150205.GA1234@example.org> <SD-$t@desk.example>" \
	"a later mail: References their mail and the root"
is "$(raw "$msg" In-Reply-To)" "<SD-$t@desk.example>" "In-Reply-To the root"

# --- sd-close --auto: the close mail with its reason, in Spanish ------------------
edit_config sd.ini "/^prefix = /a language = es"
new_ticket; t=$made
quiet env SD_AGENT=carmen sd-solve -m "Listo" "$t"
reset
SD_NOW=2026-11-25T10:01:00-05:00 run env SD_AGENT=cron sd-close --auto
is "$(status_of "SD-$t")" closed "past accept_window: closed"
for f in "$SENT"/*; do
	case $(get "$f" Subject) in *"SD-$t"*) msg=$f ;; esac
done
is "$(get "$msg" Subject)" "[SD-$t] Cerrado: VPN down" "the close mail"
get "$msg" body >"$T/body"
like "$T/body" "está cerrada \\(aceptada: sin respuesta a tiempo\\)\\.\$" "with sd-close --auto's reason, in Spanish"
is "$(grep -c 'sin respuesta' "$T/body")" 1 "said once"
edit_config sd.ini "/^language = /d"

# --- bad [mail] and [store] keys: 78 naming sd.ini:LINE -------------------------
cp "$SD_STORE/sd.ini" "$T/sd.ini"
line=$(($(wc -l <"$T/sd.ini") + 1))
for bad in "address = nobody" "address = a@b@c" "address = <desk@x.example>" "address = a b@x" \
	"sendmail =" "remind_before = soon" "remind_before = 5" "name ="; do
	{ cat "$T/sd.ini"; echo "$bad"; } >"$SD_STORE/sd.ini"
	forge "sd.ini: $bad" sd.ini || bail "forge"
	expect 78 "[mail] $bad: 78" sd-list
	like "$T/err" "sd\\.ini:$line: " "[mail] $bad: names sd.ini:$line"
	is "$(wc -l <"$T/err" | tr -d ' ')" 1 "[mail] $bad: one line"
done
# sd.ini's sendmail would be a command any commit could set: refused,
# saying where it lives now.
sed "/^keywords = /a sendmail = sh -c 'touch $T/ran'" "$T/sd.ini" >"$SD_STORE/sd.ini"
n=$(grep -n "^sendmail = " "$SD_STORE/sd.ini" | cut -d: -f1)
forge "sd.ini: sendmail" sd.ini || bail "forge"
expect 78 "[mail] sendmail in sd.ini: 78" sd-list
like "$T/err" "^sd-list: .*sd\\.ini:$n: sendmail: set it with git config sd\\.sendmail \\(machine-local\\), not in sd\\.ini\$" \
	"[mail] sendmail: sd.ini:LINE, where it is set now"
is "$(wc -l <"$T/err" | tr -d ' ')" 1 "[mail] sendmail: one line"
expect 78 "[mail] sendmail in sd.ini: sd-new refused too" sd-new -t incident -s "VPN down" \
	-r "Pedro Ruiz" -c network/vpn --email pedro@example.org
ok "$([ ! -e "$T/ran" ]; echo $?)" "[mail] sendmail in sd.ini: never run"
cp "$T/sd.ini" "$SD_STORE/sd.ini"
sed -i "/^prefix = /a language = fr" "$SD_STORE/sd.ini"
forge "sd.ini: language fr" sd.ini || bail "forge"
expect 78 "[store] language = fr: 78" sd-list
like "$T/err" "sd\\.ini:6: .*language must be en or es" "names sd.ini:6"
cp "$T/sd.ini" "$SD_STORE/sd.ini"
forge "sd.ini: mended" sd.ini || bail "forge"

# --- a broken template: 78 naming file:line, the change still made --------------
edit_config sd.ini "s/^required = .*/required = category, requester_email/"
cp -r "$SD_SHAREDIR" "$T/share"
printf 'Subject: [{{id}}] x\n\nHello {{nobody}}\n' >"$T/share/templates/en/new"
reset
run env SD_SHAREDIR="$T/share" SD_AGENT=carmen sd-new -t incident -s "VPN down" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org
is "$rc" 0 "a template with an unknown placeholder: the ticket is registered all the same"
like "$T/err" "templates/en/new:3: unknown placeholder \\{\\{nobody\\}\\}" "the warning names file:line"
is "$(sent)" 0 "and nothing is sent"
rm "$T/share/templates/en/new"
run env SD_SHAREDIR="$T/share" SD_AGENT=carmen sd-new -t incident -s "VPN down" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org
is "$rc$(cat "$T/err")" "0" "no template for a kind: that kind is not mailed, silently"
is "$(sent)" 0 "nothing sent"

# --- never lost: the commits after .git/sd-mailed replayed, once ---------------
MARK=$SD_STORE/.git/sd-mailed
SENTLOG=$SD_STORE/.git/sd-mail-sent
edit_config sd.ini "s/^required = .*/required = category, requester_email/"
rm -f "$OUTBOX"/*
reset
new_ticket; t=$made
is "$(sent)" 1 "a new ticket mailed"
is "$(cat "$MARK")" "$(head_id)" "the mark: HEAD, its mails queued"
one
like "$SENTLOG" "^[0-9]+ SD-$t@desk\\.example\$" "the sent log names the mail sent"
SO=${SD_FAULT_SO:-$SD_BIN/../tests/fault.so}
if [ -f "$SO" ] && [ "$(head -c 4 "$SD_BIN/sd-solve" | od -An -c | tr -d ' ')" = '177ELF' ]; then
	# The shim is never sanitized: ASan must not insist on coming first.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	# sd-solve killed (SIGKILL) as it writes its mail into the outbox:
	# after its commit, before the mail is queued.
	reset
	b=$(head_id)
	SD_AGENT=carmen LD_PRELOAD=$SO FAULT_KILL=@desk.example sd-solve -m "Fixed" "$t" \
		>"$T/out" 2>"$T/err" </dev/null
	is "$?" 137 "sd-solve killed between its commit and its mail"
	is "$(status_of "SD-$t")" solved "the change is committed"
	is "$(sgit rev-parse HEAD~1)" "$b" "one commit"
	is "$(sent)$(ls "$OUTBOX" | wc -l | tr -d ' ')" 00 "its mail neither sent nor queued"
	is "$(cat "$MARK")" "$b" "the mark stays at the commit before"
	expect 0 "sd-mail --flush after the kill: 0" sd-mail --flush
	is "$(sent)" 1 "--flush sends exactly the lost mail"
	one
	is "$(get "$msg" Subject)" "[SD-$t] Solved: VPN down" "the solve mail"
	like "$msg" "^Message-ID: <SD-$t\\.2\\.[0-9a-f]{12}@desk\\.example>\$" "its id: the ticket, event 2 (the solve), hash"
	is "$(cat "$MARK")" "$(head_id)" "the mark moved to HEAD"
	expect 0 "a second --flush" sd-mail --flush
	is "$(sent)" 1 "sends nothing"
	# Killed again; the next mailing command replays it before its own.
	reset
	SD_AGENT=carmen LD_PRELOAD=$SO FAULT_KILL=@desk.example sd-reopen -m "Still down" "$t" \
		>"$T/out" 2>"$T/err" </dev/null
	is "$?$(sent)" 1370 "sd-reopen killed before its mail"
	quiet env SD_AGENT=carmen sd-note -m "Called" "$t"
	is "$(sent)" 1 "the next command (a note) sends the reopen mail"
	one
	is "$(get "$msg" Subject)" "[SD-$t] Reopened: VPN down" "the reopen mail"
	quiet env SD_AGENT=carmen sd-note -m "Called again" "$t"
	is "$(sent)" 1 "and only once"
else
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do ok 0 "# SKIP no $SO"; done
fi

# A replay after normal work: everything since sent already, nothing again.
reset
first=$(head_id)
new_ticket; t=$made
quiet env SD_AGENT=carmen sd-solve -m "Fixed" "$t"
quiet env SD_AGENT=carmen sd-reopen -m "Still down" "$t"
is "$(sent)" 3 "three mails in normal work"
printf '%s\n' "$first" >"$MARK"
expect 0 "the mark put back three commits: --flush" sd-mail --flush
is "$(sent)" 3 "the replay sends none of them again"
is "$(cat "$MARK")" "$(head_id)" "the mark at HEAD again"
# A mail queued and still in the outbox is not queued twice either.
touch "$T/fail"
quiet env SD_AGENT=carmen sd-solve -m "Fixed again" "$t"
rm -f "$T/fail"
is "$(ls "$OUTBOX" | wc -l | tr -d ' ')" 1 "a failed send: queued"
printf '%s\n' "$first" >"$MARK"
expect 0 "replayed with one mail queued: --flush" sd-mail --flush
is "$(sent)" 4 "the queued mail sent once, the rest not again"

# No mark (a store from before, the file removed): set to HEAD, the past
# not mailed; a change's own mail still goes.
reset
rm -f "$MARK" "$SENTLOG"
expect 0 "no mark: --flush" sd-mail --flush
is "$(sent)" 0 "no mark: nothing of the past mailed"
is "$(cat "$MARK")" "$(head_id)" "no mark: set to HEAD"
rm -f "$MARK"
quiet env SD_AGENT=carmen sd-reopen -m "Down again" "$t"
is "$(sent)" 1 "no mark: a change's own mail goes"
is "$(cat "$MARK")" "$(head_id)" "and the mark is set"
# Not a commit id: said, and set to HEAD without a replay.
echo junk >"$MARK"
reset
run env SD_AGENT=carmen sd-note -m "Noted" "$t"
like "$T/err" "sd-mailed: not a commit id" "a spoiled mark: said"
is "$(cat "$MARK")" "$(head_id)" "a spoiled mark: set to HEAD"
is "$(sent)" 0 "and nothing mailed"
# Without [mail] address the mark goes: nothing done meanwhile is mailed
# once it is set again.
edit_config sd.ini "/^address = /d"
quiet env SD_AGENT=carmen sd-note -m "Quiet" "$t"
ok "$([ ! -e "$MARK" ]; echo $?)" "no [mail] address: the mark removed"
quiet env SD_AGENT=carmen sd-solve -m "Fixed quietly" "$t"
edit_config sd.ini "/^keywords = /a address = desk@desk.example"
reset
quiet env SD_AGENT=carmen sd-note -m "Loud" "$t"
is "$(sent)" 0 "[mail] address back: what was done without it is not mailed"
is "$(cat "$MARK")" "$(head_id)" "the mark set again"

# --- two sd-close --auto at once: each reminder once ----------------------------
# The claim is made under the store's lock as the mail is queued: a run
# beside one that is still sending sees it.
edit_config sd.ini "s/^required = .*/required = category, requester_email, requester_phone/"
reset
for i in 1 2 3; do
	quiet env SD_AGENT=carmen SD_NOW=2026-11-24T08:00:00-05:00 sd-new -t incident \
		-s "Printer $i" -r "Pedro Ruiz" -c network/vpn --email pedro@example.org
done
is "$(sent)" 3 "three pending-info tickets mailed"
reset
touch "$T/slower"
SD_NOW=2026-11-25T02:30:00-05:00 SD_AGENT=cron sd-close --auto >"$T/a1" 2>&1 &
a1=$!
sleep 1.5
SD_NOW=2026-11-25T02:31:00-05:00 SD_AGENT=cron sd-close --auto >"$T/a2" 2>&1 &
a2=$!
wait $a1; r1=$?
wait $a2; r2=$?
rm -f "$T/slower"
is "$r1$r2" 00 "two runs at once: both exit 0"
n=0
for f in "$SENT"/*; do
	case $(get "$f" Subject) in *Reminder*) n=$((n + 1)) ;; esac
done
is "$n" 3 "three reminders sent, each once"
is "$(grep -c . "$SD_STORE/.git/sd-mail-reminded")" \
	"$(sort -u "$SD_STORE/.git/sd-mail-reminded" | grep -c .)" "each claimed once"
edit_config sd.ini "s/^required = .*/required = category, requester_email/"

# Commits that come from elsewhere (a push into the store, a pull, a
# reset) were mailed by the store whose commands made them: this store's
# mark follows them, and its catch-up mails none of them again.
reset
quiet env SD_AGENT=carmen sd-new -t incident -s "Before the push" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org
is "$(sent)" 1 "a ticket made here is mailed here"
git clone -q "$SD_STORE/.git" "$T/clone"
expect 0 "the clone becomes a store" sd-fsck -C "$T/clone" --repair
mkdir -p "$T/clone-sent"
printf '#!/bin/sh\ncat >"$(mktemp "%s/m.XXXXXX")"\n' "$T/clone-sent" >"$T/clone-sendmail"
chmod +x "$T/clone-sendmail"
git -C "$T/clone" config sd.sendmail "$T/clone-sendmail"
quiet env SD_STORE="$T/clone" SD_AGENT=carmen sd-new -t incident -s "Made in the clone" \
	-r "Pedro Ruiz" -c network/vpn --email pedro@example.org
is "$(ls "$T/clone-sent" | wc -l | tr -d ' ')" 1 "the clone mails its own ticket"
git -C "$T/clone" push -q origin HEAD >"$T/push.out" 2>&1
is "$?" 0 "and pushes it into the store"
reset
quiet env SD_AGENT=carmen sd-new -t incident -s "After the push" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org
is "$(sent)" 1 "the next command here mails its own ticket alone"
is "$(get "$SENT/$(ls "$SENT" | head -1)" Subject | grep -c "After the push")" 1 \
	"the one made here"
is "$(cat "$SD_STORE/.git/sd-mailed")" "$(sgit rev-parse HEAD)" "the mark at HEAD"
expect 0 "sd-mail --flush" sd-mail --flush
is "$(sent)" 1 "sends nothing more"

done_testing
