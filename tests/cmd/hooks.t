#!/bin/sh
# Hooks (SPEC section 9): after a change is committed, hooks/ACTION runs
# with the ticket ID as its argument and SD_STORE, SD_TICKET, SD_ACTION,
# SD_AGENT set; its failure is a warning and undoes nothing.  The mail
# hooks of share/hooks (new, solve, mail.sh) pipe an RFC 5322 message into
# $SENDMAIL -t.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
unset SD_MAIL_FROM

mkdir "$SD_STORE/hooks"
cp "$SD_SHAREDIR/hooks/new" "$SD_SHAREDIR/hooks/solve" "$SD_SHAREDIR/hooks/mail.sh" "$SD_STORE/hooks/"
chmod +x "$SD_STORE/hooks/new" "$SD_STORE/hooks/solve"

# A stand-in for sendmail: each message in $T/mail/N, its arguments in
# $T/mail/N.args.
mkdir "$T/mail"
cat >"$T/sendmail" <<'EOF'
#!/bin/sh
n=$(ls "$MAILDIR" | grep -c '^[0-9]*$')
n=$((n + 1))
cat >"$MAILDIR/$n"
printf '%s\n' "$@" >"$MAILDIR/$n.args"
EOF
chmod +x "$T/sendmail"
export SENDMAIL=$T/sendmail MAILDIR=$T/mail

nmail() { ls "$T/mail" | grep -c '^[0-9]*$'; }
# header N NAME: header NAME of message N, unfolded, as it is
header() {
	awk -v h="$2:" '
		/^$/ { if (on) print v; exit }
		/^[ \t]/ { if (on) v = v $0; next }
		{ if (on) { print v; exit }; on = (index($0, h) == 1); v = $0 }' "$T/mail/$1" |
		sed 's/^[^:]*: //'
}
# decoded N NAME: the same, RFC 2047 words decoded
decoded() {
	header "$1" "$2" | perl -CS -MEncode -ne 'print decode("MIME-Header", $_)'
}
# body N: the body of message N
body() { sed '1,/^$/d' "$T/mail/$1"; }

# sd-new: a message to the requester with the number in the subject.
expect 0 "sd-new with the new hook" sd-new -t incident -s "VPN down" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org
is "$(cat "$T/out")" "SD-1" "prints the ID alone: the hook writes nothing to stdout"
is "$(cat "$T/err")" "" "nothing on stderr"
clean "store clean: hooks/ is not the store's"
is "$(nmail)" 1 "one message"
is "$(cat "$T/mail/1.args")" "-t" "sendmail -t: recipients from the headers"
is "$(header 1 To)" "Pedro Ruiz <pedro@example.org>" "To the requester"
is "$(header 1 From)" "mesadeservicios@example.org" "From the desk group's email"
is "$(header 1 Subject)" "[SD-1] VPN down" "the ticket number in the subject"
is "$(header 1 Content-Type)" "text/plain; charset=UTF-8" "plain text, UTF-8"
like "$T/mail/1" "^Date: " "a Date header"
like "$T/mail/1" "^Message-ID: <SD-1\\.new\\." "a Message-ID"
body 1 >"$T/body"
like "$T/body" "^    Number: +SD-1\$" "the body gives the number"
like "$T/body" "^    Priority: +3\$" "and the priority"

# A title and a requester that are not ASCII: RFC 2047 encoded words.
expect 0 "sd-new, a title in Spanish" sd-new -t incident -s "Impresora dañada — piso 3" \
	-r "José Núñez" -c hardware/printer --email jose@example.org
is "$(nmail)" 2 "a second message"
sed -n '1,/^$/p' "$T/mail/2" >"$T/headers"
ok $(LC_ALL=C grep -q '[^ -~]' "$T/headers"; [ $? = 1 ]; echo $?) "the headers are plain ASCII"
like "$T/headers" '^Subject: =\?UTF-8\?' "the subject is encoded"
is "$(decoded 2 Subject)" "[SD-2] Impresora dañada — piso 3" "decoded: the number and the title"
is "$(decoded 2 To)" "José Núñez <jose@example.org>" "decoded: the requester"
body 2 >"$T/body"
like "$T/body" "^Hello José Núñez,\$" "the body in UTF-8, 8bit"
# A long one is folded over several lines; decoded, it is whole again.
title="Configuración de la impresora del tercer piso — oficina de contabilidad y tesorería"
expect 0 "sd-new, a long title" sd-new -t incident -s "$title" -r "Pedro Ruiz" \
	-c hardware/printer --email pedro@example.org
id=$(cat "$T/out")
sed -n '1,/^$/p' "$T/mail/3" >"$T/headers"
like "$T/headers" '^[ 	]+=\?UTF-8\?' "the subject is folded"
is "$(decoded 3 Subject)" "[$id] $title" "decoded: the whole title"
rm "$T/mail/3" "$T/mail/3.args"

# sd-solve: the solution and the acceptance window.
quiet sd-assign 1 luis
is "$(nmail)" 2 "no mail on assign (no hooks/assign)"
expect 0 "sd-solve with the solve hook" env SD_AGENT=luis sd-solve \
	-m "$(printf 'Router restarted.\nThe tunnel is up again.')" 1
is "$(cat "$T/out")" "SD-1" "prints the ID alone"
is "$(cat "$T/err")" "" "nothing on stderr"
clean "store clean"
is "$(nmail)" 3 "one message"
is "$(header 3 To)|$(header 3 Subject)" "Pedro Ruiz <pedro@example.org>|[SD-1] Solved: VPN down" \
	"to the requester, solved in the subject"
body 3 >"$T/body"
like "$T/body" "^Router restarted\\.\$" "the solution's first line"
like "$T/body" "^The tunnel is up again\\.\$" "and its second"
like "$T/body" "after 48h" "the acceptance window, from sd.ini"

# No requester_email: no mail, and no failure.
expect 0 "sd-new with no email" sd-new -t incident -s "VPN down" -r "Eva Luna" -c network/vpn
is "$(cat "$T/out")" "SD-4" "prints the ID"
is "$(status_of 4)" "pending-info" "pending-info"
is "$(nmail)" 3 "no message"
like "$T/err" "no requester_email; no mail sent" "the hook says why on stderr"
ok $(grep -q "warning" "$T/err"; [ $? = 1 ]; echo $?) "no warning: the hook succeeded"
clean "store clean"

# A failing sendmail fails the hook: a warning; the change stays.
before=$(head_id)
expect 0 "sd-solve, sendmail failing" env SENDMAIL=false sd-solve -m "Done" 2
is "$(cat "$T/out")" "SD-2" "prints the ID"
like "$T/err" "^sd-solve: warning: hooks/solve failed \\(exit status 1\\)" "a warning on stderr"
is "$(sgit rev-parse HEAD~1)" "$before" "the change is committed"
is "$(status_of 2)" "solved" "SD-2 solved"
clean "store clean"

# A hook that exits 3: a warning, exit 0, the change committed.
printf '#!/bin/sh\necho "hook noise"\nexit 3\n' >"$SD_STORE/hooks/note"
chmod +x "$SD_STORE/hooks/note"
before=$(head_id)
expect 0 "sd-note, its hook exits 3" sd-note -m "Called" 1
is "$(cat "$T/out")" "SD-1" "stdout: the ID alone (the hook's output is not there)"
like "$T/err" "^hook noise\$" "the hook's output goes to stderr"
like "$T/err" "^sd-note: warning: hooks/note failed \\(exit status 3\\)\$" "the warning names the hook and status"
is "$(sgit rev-parse HEAD~1)" "$before" "the change is committed"
is "$(last_event 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])')" "Called" "the note is there"
clean "store clean"
# A hook killed by a signal: the warning names it.
printf '#!/bin/sh\nkill -TERM $$\n' >"$SD_STORE/hooks/note"
allowed "sd-note, its hook killed" sd-note -m "Called once more" 1
like "$T/err" "^sd-note: warning: hooks/note failed \\(signal 15\\)\$" "the warning names the signal"
# A hook that is not executable does not run.
chmod -x "$SD_STORE/hooks/note"
expect 0 "sd-note, its hook not executable" sd-note -m "Called again" 1
is "$(cat "$T/err")" "" "nothing run, nothing said"

# The hook's environment and argument, for every action: one script,
# copied under each action's name, logs "$0 $1 SD_ACTION SD_TICKET
# SD_AGENT SD_STORE" and the last commit's subject (it runs after the
# commit).  A store of its own, so that the mail hooks stay out.
mkstore "$T/store2"
mkdir "$SD_STORE/hooks"
cat >"$SD_STORE/hooks/record" <<'EOF'
#!/bin/sh
printf '%s|%s|%s|%s|%s|%s|%s\n' "${0##*/}" "$1" "$SD_ACTION" "${SD_TICKET-(unset)}" \
	"$SD_AGENT" "$SD_STORE" "$(git --git-dir "$SD_STORE/.git" log -1 --format=%s)" >>"$HOOKLOG"
env >"$HOOKENV.${0##*/}"
EOF
for a in new assign escalate suspend resume solve close reject reopen note reply approve deny \
	link auto-close unmanaged; do
	cp "$SD_STORE/hooks/record" "$SD_STORE/hooks/$a"
	chmod +x "$SD_STORE/hooks/$a"
done
export HOOKLOG=$T/hooklog HOOKENV=$T/env
store=$(cd "$SD_STORE" && pwd -P)

# hooked DESCRIPTION LINE CMD...: CMD exits 0 and its hook logged LINE
hooked() {
	: >"$HOOKLOG"
	_hd=$1 _hl=$2
	shift 2
	expect 0 "$_hd" "$@"
	is "$(cat "$HOOKLOG")" "$_hl" "$_hd: the hook's argument and environment"
	clean "$_hd: store clean"
}
hooked "new" "new|SD-1|new|SD-1|ana|$store|SD-1: new VPN down" \
	sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn --email pedro@example.org
hooked "assign, as luis" "assign|SD-1|assign|SD-1|luis|$store|SD-1: assign to luis" \
	env SD_AGENT=luis sd-assign --me 1
hooked "suspend" "suspend|SD-1|suspend|SD-1|ana|$store|SD-1: suspend (assigned -> suspended)" \
	sd-suspend -m "Wait" 1
hooked "resume" "resume|SD-1|resume|SD-1|ana|$store|SD-1: resume (suspended -> assigned)" \
	sd-resume 1
hooked "escalate" "escalate|SD-1|escalate|SD-1|ana|$store|SD-1: escalate to network (level 2)" \
	sd-escalate -m "Tunnel" 1
hooked "solve, as jorge" "solve|SD-1|solve|SD-1|jorge|$store|SD-1: solve (escalated -> solved)" \
	env SD_AGENT=jorge sd-solve -m "Done" 1
hooked "reopen" "reopen|SD-1|reopen|SD-1|ana|$store|SD-1: reopen (solved -> reopened)" \
	sd-reopen -m "Still down" 1
hooked "note" "note|SD-1|note|SD-1|ana|$store|SD-1: note" sd-note -m "Hi" 1
hooked "reply" "reply|SD-1|reply|SD-1|ana|$store|SD-1: reply" sd-reply -m "We are on it" 1
quiet env SD_AGENT=jorge sd-solve -m "Done" 1
hooked "close" "close|SD-1|close|SD-1|ana|$store|SD-1: close (solved -> closed)" sd-close 1
quiet sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn --email pedro@example.org
hooked "reject" "reject|SD-2|reject|SD-2|ana|$store|SD-2: reject (new -> rejected)" \
	sd-close --reject -m "Not ours" 2
quiet sd-new -t request -s "Account" -r "Eva" -c access/account --email eva@example.org
hooked "approve, as carmen" "approve|SD-3|approve|SD-3|carmen|$store|SD-3: approve" \
	env SD_AGENT=carmen sd-approve --role boss 3
hooked "deny, as raul" "deny|SD-3|deny|SD-3|raul|$store|SD-3: deny (awaiting-approval -> rejected)" \
	env SD_AGENT=raul sd-approve --deny --role risk -m "No" 3
hooked "link: once per ticket" "$(printf '%s\n' "link|SD-1|link|SD-1|ana|$store|SD-1: link SD-2" \
	"link|SD-2|link|SD-2|ana|$store|SD-1: link SD-2")" sd-link 1 2
# sd-close --auto: SD-4 solved Monday 10:00 (closed after Wednesday
# 10:00), SD-5 pending-info since Monday 10:00 (unmanaged after Tuesday).
quiet sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn --email pedro@example.org
quiet sd-solve -m "Done" 4
quiet sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn
hooked "--auto: auto-close and unmanaged, as marta" "$(printf '%s\n' \
	"auto-close|SD-4|auto-close|SD-4|marta|$store|SD-4: auto-close (solved -> closed)" \
	"unmanaged|SD-5|unmanaged|SD-5|marta|$store|SD-5: unmanaged (pending-info -> unmanaged)")" \
	env SD_AGENT=marta SD_NOW=2026-11-25T10:01:00-05:00 sd-close --auto
: >"$HOOKLOG"
expect 0 "--auto --dry-run" env SD_NOW=2026-11-30T10:00:00-05:00 sd-close --auto --dry-run
is "$(cat "$HOOKLOG")" "" "--dry-run runs no hook"
hooked "sd-show changes nothing and runs no hook" "" sd-show 1
hooked "a link made already changes nothing and runs no hook" "" sd-link 2 1
: >"$HOOKLOG"
refused 77 "a refused note" env SD_AGENT=nobody sd-note -m "x" 1
is "$(cat "$HOOKLOG")" "" "a refused command runs no hook"
refused 65 "an illegal move" sd-assign 1 luis
is "$(cat "$HOOKLOG")" "" "an illegal move runs no hook"
usage_error "a usage error" sd-note 1
is "$(cat "$HOOKLOG")" "" "a usage error runs no hook"
clean "store clean"

# The whole environment of one run: the variables set, the rest kept.
grep -E '^(SD_STORE|SD_TICKET|SD_ACTION|SD_AGENT|HOOKLOG)=' "$T/env.note" | sort >"$T/got"
printf '%s\n' "HOOKLOG=$HOOKLOG" "SD_ACTION=note" "SD_AGENT=ana" "SD_STORE=$store" "SD_TICKET=SD-1" >"$T/want"
ok $(cmp -s "$T/want" "$T/got"; echo $?) "hooks/note's env: SD_STORE, SD_TICKET, SD_ACTION, SD_AGENT, and the caller's"

# trust_env_agent = no: SD_AGENT in the hook is the agent by login, not
# the caller's SD_AGENT.
login=$(id -un)
case $login in
ana|luis|marta|jorge|sofia|telco|carmen|raul|cron) echo "# skipped: login $login is an agent id" >&2 ;;
*)
	quiet sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn --email pedro@example.org
	edit_config agents.ini "/^\\[agent luis\\]\$/a login = $login"
	policy trust_env_agent no
	hooked "trust_env_agent = no: the hook's SD_AGENT is luis" \
		"note|SD-6|note|SD-6|luis|$store|SD-6: note" env SD_AGENT=ana sd-note -m "x" 6 ;;
esac
# A requester's name with a comma and an address (it may come by mail):
# one recipient still, the name a quoted string (mail.sh's display_name,
# which builds To:).
name_of() { (. "${SD_TOP:-.}/share/hooks/mail.sh"; display_name "$1"); }
is "$(name_of 'Pedro Ruiz')" "Pedro Ruiz" "a name of words as it is"
is "$(name_of "O'Brien")" "O'Brien" "an apostrophe is a word's"
is "$(name_of 'Eve, victim@evil.example "x" \y')" '"Eve, victim@evil.example \"x\" \\y"' \
	"commas, @, quotes and backslashes: a quoted string"
is "$(printf 'To: %s <eve@example.org>' "$(name_of 'Eve, victim@evil.example')" | python3 -c '
import sys, email.utils
print(" ".join(a for _, a in email.utils.getaddresses([sys.stdin.read()[4:]])))')" \
	"eve@example.org" "one recipient: the requester's address"
is "$(name_of 'José, x@y' | perl -CS -MEncode -ne 'print decode("MIME-Header", $_)')" "José, x@y" \
	"not ASCII: encoded words, the name whole"

done_testing
