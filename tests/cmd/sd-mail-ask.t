#!/bin/sh
# Approval requests are made only by who can read the store's secret
# (.git/sd-mail-secret, the owner's alone even in a shared store): a
# change that asks an approval queues an entry, N.ROUND.ROLE, in
# .git/sd-outbox-approvals/; the command composes its mail right after
# when it can read the secret, else sd-mail --flush does, run by the mail
# gateway's user.  The queued mail that carries a token is the owner's
# alone too.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
unset SENDER
SENT=$T/sent
ASKS=$SD_STORE/.git/sd-outbox-approvals
OUTBOX=$SD_STORE/.git/sd-outbox
SECRET=$SD_STORE/.git/sd-mail-secret
mkdir -p "$SENT"
cat >"$T/sendmail" <<EOF2
#!/bin/sh
[ -e "$T/fail" ] && { cat >/dev/null; exit 75; }
cat >"\$(mktemp "$SENT/m.XXXXXX")"
EOF2
chmod 755 "$T/sendmail"
sent() { ls "$SENT" | wc -l | tr -d ' '; }
to_carmen() { grep -l '^To: Carmen Vargas' "$SENT"/* 2>/dev/null | wc -l | tr -d ' '; }
edit_config sd.ini "/^keywords = /a address = desk@desk.example"
git -C "$SD_STORE" config sd.sendmail "$T/sendmail"

# --- a shared store with no secret yet: the gateway's to make ------------------
git -C "$SD_STORE" config core.sharedRepository group
mk awaiting-approval; t=$made
is "$(sent)" 1 "shared, no secret: the requester's mail only"
is "$(ls "$ASKS" 2>/dev/null)" "$t.1.boss" "the request queued: ticket, round, role"
ok "$([ ! -e "$SECRET" ]; echo $?)" "no secret made by the command"
expect 0 "sd-mail --flush: composes and sends it" sd-mail --flush
is "$(cat "$T/err")" "" "--flush: nothing to say"
is "$(to_carmen)" 1 "the approval request sent to carmen"
is "$(ls "$ASKS" | wc -l | tr -d ' ')" 0 "the entry done with"
is "$(stat -c %a "$SECRET")" 600 "the secret: 0600 in a shared store too"
expect 0 "--flush again: nothing" sd-mail --flush
is "$(to_carmen)" 1 "sent once"

# --- the secret readable: the command composes it, the queued copy 0600 ----------
rm -f "$SENT"/*
touch "$T/fail"
expect 0 "sd-approve while the MTA fails" env SD_AGENT=carmen sd-approve --role boss "$t"
is "$(ls "$ASKS" | wc -l | tr -d ' ')" 0 "composed by the command: no entry left"
f=$(ls "$OUTBOX" | grep '\.approval\.')
is "$(stat -c %a "$OUTBOX/$f")" 600 "the queued approval request: 0600, the owner's alone"
new_ticket
g=$(ls -t "$OUTBOX" | grep -v '\.approval\.' | head -1)
is "$(stat -c %a "$OUTBOX/$g")" 660 "a requester's mail: the group's too"
rm -f "$T/fail"
expect 0 "--flush sends both" sd-mail --flush
is "$(sent)" 2 "two sent"
grep -q '^To: .*raul' "$SENT"/*
ok $? "the risk request to raul"

# --- another user, who cannot read the secret: left to the gateway -------------
if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
	echo "# skipped: another user needs root, useradd and runuser"
	done_testing
fi
tag=sd$$
grp=${tag}g u=${tag}u
cleanup() { userdel "$u" >/dev/null 2>&1; groupdel "$grp" >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
groupadd "$grp" || bail "groupadd"
useradd -M -N -g users -G "$grp" -s /bin/sh -d /nonexistent "$u" || bail "useradd"
chmod 755 "$T"
mkdir "$T/bin"
cp "$SD_BIN"/sd* "$T/bin/"
cp -r "$SD_SHAREDIR" "$T/share"
chmod -R a+rX "$T/bin" "$T/share"
chmod 777 "$SENT"
chgrp -R "$grp" "$SD_STORE"
chmod -R g+rwX "$SD_STORE"
find "$SD_STORE" -type d -exec chmod g+s {} +
chmod 600 "$SECRET"
rm -f "$SENT"/*
runuser -u "$u" -- env -i PATH="$T/bin:/usr/bin:/bin" SD_SHAREDIR="$T/share" SD_STORE="$SD_STORE" \
	SD_AGENT=ana SD_NOW="$SD_NOW" LC_ALL=C.UTF-8 HOME=/nonexistent \
	sd-new -t request -s "Account for Eva" -r "Eva Luna" -c access/account --email eva@example.org \
	>"$T/out" 2>"$T/err"
is "$?" 0 "$u, who cannot read the secret: the request made"
is "$(cat "$T/err")" "" "nothing said: sending it is the gateway's job"
u_t=$(sed 's/^SD-//' "$T/out")
is "$(ls "$ASKS")" "$u_t.1.boss" "its approval request queued"
is "$(to_carmen)" 0 "not sent by $u"
is "$(sent)" 1 "the requester's mail sent by $u"
expect 0 "the owner's --flush" sd-mail --flush
is "$(to_carmen)" 1 "the owner's flush sends the request"
is "$(ls "$ASKS" | wc -l | tr -d ' ')" 0 "the entry done with"
done_testing
