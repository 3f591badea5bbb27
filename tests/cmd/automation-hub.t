#!/bin/sh
# Automation runs once (sd(7), [sync] automation): at a site (git config
# sd.site) of a desk whose sd.ini has [sync] automation = hub, sd-close
# --auto, sd-sla's alerts (--new-only, hooks/sla), sd-mail (a message,
# --flush), the mail after an action and the mail hooks do nothing and say
# so on one line, exit 0; the listing of sd-sla still works.  With
# automation = everywhere, at the hub, and without [sync], they act.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
M=${SD_TOP:-.}/tests/mail
unset SENDER
line_of() { echo "$1: automation runs at the hub ([sync] automation = hub); nothing done here"; }

# The MTA: keeps each message in $T/sent.
mkdir -p "$T/sent"
printf '#!/bin/sh\ncat >"$(mktemp "%s/sent/m.XXXXXX")"\n' "$T" >"$T/sendmail"
chmod +x "$T/sendmail"
sent() { ls "$T/sent" | wc -l | tr -d ' '; }

# The desk: [mail] address, the MTA, a mail hook on notes (mail.sh's
# send_mail), hooks/sla recording what it hears.  Monday 23 10:00:
#   SD-1 new, for Pedro Ruiz who writes tests/mail/reply.eml
#   SD-2 pending-info (no email): unmanaged after Tue 24 10:00
mkstore "$T/base"
export SD_NOW=2026-11-23T10:00:00-05:00 SENDMAIL=$T/sendmail
git -C "$SD_STORE" config sd.sendmail "$T/sendmail"
edit_config sd.ini "/^keywords = /a address = desk@desk.example"
new_ticket --email pedro.ruiz@example.org
mk pending-info
mkdir -p "$SD_STORE/hooks"
cp "$SD_TOP/share/hooks/mail.sh" "$SD_STORE/hooks/"
printf '#!/bin/sh\n. "$(dirname "$0")/mail.sh"\necho "We answered" | send_mail "Answer on $SD_TICKET"\n' \
	>"$SD_STORE/hooks/reply"
printf '#!/bin/sh\ncat >>"%s/sla-hook"\n' "$T" >"$SD_STORE/hooks/sla"
chmod +x "$SD_STORE/hooks/reply" "$SD_STORE/hooks/sla"

# store NAME SYNC SITE: a copy of the desk in $T/NAME, sd.ini's [sync]
# SYNC ("" for none, else its automation), a site named SITE ("" the hub).
store() {
	rm -rf "$T/$1"
	cp -a "$T/base" "$T/$1"
	export SD_STORE=$T/$1
	if [ -n "$2" ]; then
		edit_config sd.ini "\$a \\\\n[sync]\\nautomation = $2"
		grep -q "^automation = $2\$" "$SD_STORE/sd.ini" || bail "no [sync] automation = $2"
	fi
	[ -z "$3" ] || git -C "$SD_STORE" config sd.site "$3"
	rm -rf "$T/sent"/* "$T/sla-hook"
}

# snapshot: every file of the store, .git too, and its bytes
snapshot() { (cd "$SD_STORE" && find . -type f ! -name '*.lock' | sort | xargs sha1sum); }

# idle NAME: at this store each automation does nothing and says so.
idle() {
	snapshot >"$T/snap.before"
	export SD_NOW=2026-11-24T10:01:00-05:00
	expect 0 "$1: sd-close --auto: exit 0" sd-close --auto
	is "$(cat "$T/out")" "" "$1: sd-close --auto: nothing on stdout"
	is "$(cat "$T/err")" "$(line_of sd-close)" "$1: sd-close --auto: says so on one line"
	expect 0 "$1: sd-close --auto --dry-run: exit 0" sd-close --auto --dry-run --format tsv
	is "$(cat "$T/out")" "" "$1: --dry-run: no rows, not even a header"
	is "$(cat "$T/err")" "$(line_of sd-close)" "$1: --dry-run: says so"
	is "$(status_of 2)" "pending-info" "$1: SD-2 still pending-info"
	expect_in "$M/reply.eml" 0 "$1: sd-mail < a reply: exit 0" env SD_AGENT=mail sd-mail
	is "$(cat "$T/out")" "" "$1: sd-mail: nothing on stdout"
	is "$(cat "$T/err")" "$(line_of sd-mail)" "$1: sd-mail: says so"
	expect 0 "$1: sd-mail --flush: exit 0" sd-mail --flush
	is "$(cat "$T/err")" "$(line_of sd-mail)" "$1: sd-mail --flush: says so"
	expect 0 "$1: sd-sla --new-only: exit 0 though SD-1 is breached" sd-sla --new-only
	is "$(cat "$T/out")" "" "$1: sd-sla --new-only: nothing on stdout"
	is "$(cat "$T/err")" "$(line_of sd-sla)" "$1: sd-sla --new-only: says so"
	ok $([ ! -e "$SD_STORE/.git/sd-sla-told" ]; echo $?) "$1: no state file written"
	is "$(snapshot)" "$(cat "$T/snap.before")" "$1: not a byte of the store changed"
	expect 2 "$1: sd-sla lists: exit 2, breached" sd-sla --format tsv
	is "$(cut -f1-3 "$T/out" | sed 1d | tr '\n' ' ')" "SD-1	response	breached SD-2	unmanaged	at-risk " \
		"$1: sd-sla: the rows"
	is "$(cat "$T/err")" "$(line_of sd-sla)" "$1: sd-sla: the alert's hook not run, said"
	ok $([ ! -e "$T/sla-hook" ]; echo $?) "$1: hooks/sla did not run"
	# An action still acts; its mail and its hook's mail wait for the hub.
	before=$(head_id)
	expect 0 "$1: sd-reply acts" env SD_AGENT=carmen sd-reply -m "Restart it" 1
	is "$(sgit rev-parse HEAD~1)" "$before" "$1: sd-reply: one commit"
	is "$(cat "$T/err")" "$(line_of hooks/reply)" "$1: the mail hook says it sends nothing"
	is "$(sent)" 0 "$1: no mail sent"
	ok $([ ! -e "$SD_STORE/.git/sd-outbox" ] || [ -z "$(ls "$SD_STORE/.git/sd-outbox")" ]; echo $?) \
		"$1: none queued"
}

# acts NAME: at this store each automation acts.
acts() {
	export SD_NOW=2026-11-24T10:01:00-05:00
	before=$(head_id)
	expect 0 "$1: sd-close --auto: exit 0" sd-close --auto --format tsv
	is "$(sed 1d "$T/out")" "SD-2	pending-info	unmanaged	no information in time" \
		"$1: sd-close --auto: the row"
	is "$(sgit rev-parse HEAD~1)" "$before" "$1: sd-close --auto: one commit"
	is "$(status_of 2)" "unmanaged" "$1: SD-2 unmanaged"
	before=$(head_id)
	expect_in "$M/reply.eml" 0 "$1: sd-mail < a reply: exit 0" env SD_AGENT=mail sd-mail
	is "$(cat "$T/out")" "SD-1" "$1: sd-mail: the note on SD-1"
	is "$(sgit rev-parse HEAD~1)" "$before" "$1: sd-mail: one commit"
	expect 0 "$1: sd-mail --flush: exit 0" sd-mail --flush
	is "$(cat "$T/err")" "" "$1: sd-mail --flush: nothing said"
	expect 2 "$1: sd-sla --new-only: breached" sd-sla --new-only --format tsv
	is "$(cut -f1-3 "$SD_STORE/.git/sd-sla-told")" "SD-1	response	breached" "$1: the state file"
	is "$(sed 1d "$T/sla-hook" | cut -f1-3)" "SD-1	response	breached" "$1: hooks/sla heard it"
	rm -f "$T/sent"/*
	expect 0 "$1: sd-reply acts" env SD_AGENT=carmen sd-reply -m "Restart it" 1
	is "$(cat "$T/err")" "" "$1: sd-reply: nothing said"
	# The desk's own mail of the reply (sd-mail-out), and the hook's.
	is "$(sent)" 2 "$1: two mails: the desk's and the hook's"
	ok $(grep -l "^Subject: Answer on SD-1" "$T/sent"/* >/dev/null; echo $?) "$1: the hook's mail"
}

store site hub bog
idle "a site, automation = hub"
store default "" bog
edit_config sd.ini '$a \\n[sync]\nlease = 1000'
is "$(sed -n '/^\[sync\]/,$p' "$SD_STORE/sd.ini" | tr '\n' ' ')" "[sync] lease = 1000 " \
	"[sync] without automation: hub by default"
idle "a site, [sync] without automation"
store everywhere everywhere bog
acts "a site, automation = everywhere"
store hub hub ""
acts "the hub"
store alone "" bog
acts "a store without [sync] (sd.site set)"
done_testing
