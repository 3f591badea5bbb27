#!/bin/sh
# A ticket's message_id (the key of the `new` event sd-mail writes, that
# the desk's mail names in In-Reply-To: and References:) must be a
# message id: printable ASCII without blanks or <>, at most 250 bytes.
# sd-fsck, sd-edit and the push policy refuse anything else (65), so
# that a hand-edited or pushed ticket cannot add a header to that mail.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "VPN" -r Jorge -c network/vpn --email j@example.org >/dev/null
f=tickets/000/SD-1.ini
cp "$SD_STORE/$f" "$T/good.ini"

# with_id VALUE OUT: SD-1's file, message_id = VALUE in its first event
with_id() {
	awk -v v="$1" '{ print } /^action = new$/ && !done { print "message_id = " v; done = 1 }' \
		"$T/good.ini" >"$2"
}
long=$(printf '%0150d' 0)
cr=$(printf 'x\rBcc: victim@example.org')
bad_ids="a b@x.example.org|<a@x.example.org>|a>b@x|é@x.example.org|tab	x@y|$(printf '%0251d' 0)|$cr"
good_ids="CAF=abc+d/e@mail.example.org|$long"

# --- sd-fsck, on a committed ticket -------------------------------------------
IFS='|'
for v in $good_ids; do
	unset IFS
	with_id "$v" "$SD_STORE/$f"
	forge "a message id" "$f"
	expect 0 "sd-fsck: '$(printf %.20s "$v")' is a message id" sd-fsck
	IFS='|'
done
for v in $bad_ids; do
	unset IFS
	with_id "$v" "$SD_STORE/$f"
	forge "a forged message id" "$f"
	before=$(head_id)
	expect 65 "sd-fsck: '$(printf %.20s "$v" | tr '\r\t' '??')' is refused" sd-fsck
	cat "$T/out" "$T/err" >"$T/all"
	is "$(wc -l <"$T/all")" 1 "one finding"
	unchanged "$before" "nothing changed"
	IFS='|'
done
unset IFS
cp "$T/good.ini" "$SD_STORE/$f"
forge "back to sound" "$f"
expect 0 "sound again" sd-fsck
with_id "a b@x.example.org" "$SD_STORE/$f"
forge "a forged message id" "$f"
expect 65 "sd-fsck names what is wrong" sd-fsck
like "$T/out" "SD-1\.ini: \[event 1\] message_id is not a message id: printable ASCII without blanks or <>, at most 250 bytes" \
	"the file, the event and the rule"
cp "$T/good.ini" "$SD_STORE/$f"
forge "back to sound" "$f"

# --- sd-edit ------------------------------------------------------------------
mkeditor
before=$(head_id)
SD_SED='/^action = new$/a message_id = a b@x.example.org' expect 65 "sd-edit refuses a forged message id" \
	env EDITOR="$T/editor" sd-edit 1
like "$T/err" "message_id is not a message id" "and says why"
unchanged "$before" "sd-edit changed nothing"

# --- the push policy: a `new` commit whose ticket has a forged message id ------
push_new() {   # push_new VALUE: sd-fsck --push of a commit adding SD-2
	sed -e 's/^id = SD-1$/id = SD-2/' "$T/good.ini" >"$T/sd2.ini"
	with_id "$1" "$T/sd2.ini.m"
	sed -e 's/^id = SD-1$/id = SD-2/' "$T/sd2.ini.m" >"$T/sd2.ini"
	_blob=$(sgit hash-object -w "$T/sd2.ini")
	_idx=$T/push.idx
	rm -f "$_idx"
	GIT_INDEX_FILE=$_idx sgit read-tree HEAD
	GIT_INDEX_FILE=$_idx sgit update-index --add --cacheinfo "100644,$_blob,tickets/000/SD-2.ini"
	_tree=$(GIT_INDEX_FILE=$_idx sgit write-tree)
	rm -f "$_idx"
	_old=$(head_id)
	_c=$(printf 'SD-2: new\n\nTicket: SD-2\nAction: new\n' |
		GIT_AUTHOR_NAME=Ana GIT_AUTHOR_EMAIL=ana.gomez@example.org \
		GIT_COMMITTER_NAME=Ana GIT_COMMITTER_EMAIL=ana.gomez@example.org \
		sgit commit-tree "$_tree" -p HEAD)
	run sd-fsck --push "$_old" "$_c" refs/heads/main
}
push_new "CAF=abc@mail.example.org"
is "$rc" 0 "a pushed ticket with a message id is accepted"
[ "$rc" = 0 ] || sed 's/^/# /' "$T/err" >&2
push_new "a b@x.example.org"
is "$rc" 65 "a pushed ticket with a blank in its message id is refused"
like "$T/out" "^tickets/000/SD-2\.ini: commit [0-9a-f]*: \[event 1\] message_id is not a message id" "and says why"
push_new "$cr"
ok $([ "$rc" != 0 ]; echo $?) "a pushed ticket with a CR in its message id is refused"
clean "store clean"
done_testing
