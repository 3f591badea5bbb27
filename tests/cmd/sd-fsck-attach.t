#!/bin/sh
# sd-fsck and attachments: every file under attachments/ holds the bytes
# its name's SHA-256 gives, every reference names such a file with its
# size, and every file is referenced by some ticket (else a stray).
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "VPN" -r Jorge -c network/vpn --email j@example.org >/dev/null
sd-new -t incident -s "Printer" -r Eva -c hardware --email eva@example.org >/dev/null

# fsck STATUS DESCRIPTION CMD...: as expect, stdout and stderr in $T/all
fsck() {
	_want=$1 _what=$2
	shift 2
	"$@" >"$T/all" 2>&1 </dev/null
	rc=$?
	[ "$rc" = "$_want" ] || { echo "# exit $rc, expected $_want" >&2; sed 's/^/# /' "$T/all" >&2; }
	ok $([ "$rc" = "$_want" ]; echo $?) "$_what"
}
# path FILE: attachments/XX/HEX of FILE's bytes
path() { _h=$(sha256sum "$1" | cut -c1-64); echo "attachments/$(echo "$_h" | cut -c1-2)/$_h"; }

printf 'log one\n' >"$T/one.log"
printf '\211PNG\r\n\032\n\000\000' >"$T/two.png"
sd-attach 1 "$T/one.log" >/dev/null
sd-attach 2 "$T/two.png" >/dev/null
sd-attach --name copy.png 1 "$T/two.png" >/dev/null
p1=$(path "$T/one.log")
p2=$(path "$T/two.png")
fsck 0 "a store with attachments is sound" sd-fsck
is "$(cat "$T/all")" "" "says nothing"

# A stray: bytes at their right name, referenced by no ticket.
printf 'nobody refers to me\n' >"$T/stray"
p3=$(path "$T/stray")
mkdir -p "$SD_STORE/$(dirname "$p3")"
cp "$T/stray" "$SD_STORE/$p3"
forge "plant a stray attachment" "$p3"
before=$(head_id)
fsck 65 "a stray attachment" sd-fsck
is "$(cat "$T/all")" "$p3: a stray attachment: no ticket references it" "named, and why"
unchanged "$before" "after the check"
rm "$SD_STORE/$p3"
rmdir "$SD_STORE/$(dirname "$p3")" 2>/dev/null
forge "remove the stray" "$p3"
fsck 0 "sound again" sd-fsck

# Bytes that are not their name's.
cp "$SD_STORE/$p1" "$T/saved"
printf 'log ONE\n' >"$SD_STORE/$p1"
forge "damage an attachment" "$p1"
fsck 65 "an attachment whose bytes changed" sd-fsck
is "$(cat "$T/all")" "$p1: its bytes' SHA-256 is $(printf 'log ONE\n' | sha256sum | cut -c1-64), not its name" \
	"names the file and the digest its bytes have"
cp "$T/saved" "$SD_STORE/$p1"
forge "mend it" "$p1"
fsck 0 "sound again" sd-fsck

# A missing file: both tickets that reference it are told.
rm "$SD_STORE/$p2"
forge "lose an attachment" "$p2"
fsck 65 "a referenced attachment missing" sd-fsck
is "$(cat "$T/all")" "$(printf '%s\n%s' \
	"tickets/000/SD-1.ini: references $p2, which is not in HEAD" \
	"tickets/000/SD-2.ini: references $p2, which is not in HEAD")" "each ticket that references it"
cp "$T/two.png" "$SD_STORE/$p2"
forge "find it again" "$p2"
fsck 0 "sound again" sd-fsck

# A reference of the wrong size.
sed -i "s|^attachment = sha256:\([0-9a-f]*\) 8 |attachment = sha256:\1 9 |" "$SD_STORE/tickets/000/SD-1.ini"
forge "a wrong size" tickets/000/SD-1.ini
fsck 65 "a reference of the wrong size" sd-fsck
is "$(cat "$T/all")" "tickets/000/SD-1.ini: references $p1 as 9 bytes; it holds 8" "says both sizes"
sed -i "s|^attachment = sha256:\([0-9a-f]*\) 9 |attachment = sha256:\1 8 |" "$SD_STORE/tickets/000/SD-1.ini"
forge "the right size" tickets/000/SD-1.ini

# A malformed reference, and files out of the layout.
sed -i "s|^attachment = sha256:\([0-9a-f]*\) 8 text/plain|attachment = sha256:\1 8 text|" \
	"$SD_STORE/tickets/000/SD-1.ini"
forge "a malformed reference" tickets/000/SD-1.ini
fsck 65 "a malformed reference" sd-fsck
like "$T/all" "^tickets/000/SD-1\.ini: \[event 2\] attachment: 'text' is not a MIME type \(type/subtype\)$" \
	"names the event and what is wrong"
sed -i "s|^attachment = sha256:\([0-9a-f]*\) 8 text |attachment = sha256:\1 8 text/plain |" \
	"$SD_STORE/tickets/000/SD-1.ini"
forge "mend the reference" tickets/000/SD-1.ini
fsck 0 "sound again" sd-fsck
mkdir -p "$SD_STORE/attachments/zz" "$SD_STORE/attachments/00"
echo x >"$SD_STORE/attachments/zz/x"
echo x >"$SD_STORE/attachments/00/notes.txt"
forge "out of the layout" attachments/zz/x attachments/00/notes.txt
fsck 65 "files out of the layout under attachments/" sd-fsck
like "$T/all" "^attachments/zz: not an attachments directory" "a directory that is no digest's"
like "$T/all" "^attachments/00/notes\.txt: not an attachment's file name" "a file that is no digest"

done_testing
