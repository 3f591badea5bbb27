#!/bin/sh
# sd-mail keeps attachments: each part's decoded bytes under attachments/
# in the same commit as the ticket or note, referenced from its event; a
# part over sd.ini's [attachments] limits is left out, the mail still
# taken, and the event's text says so.  The samples are tests/mail/*.eml
# (tests/mail/SOURCES); the bytes are checked against Python's own
# decoding of the same part.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
M=${SD_TOP:-.}/tests/mail
new_ticket --email pedro.ruiz@example.org
export SD_AGENT=mail SD_NOW=2026-11-23T11:45:00-05:00

# part EML N OUT: the decoded bytes of the N-th attachment of EML (from 0,
# attached messages' included) into OUT, by Python's email package
part() {
	python3 - "$1" "$2" "$3" <<'PY'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
parts = [p for p in msg.walk() if not p.is_multipart() and p.get_content_type() != "message/rfc822"
         and (p.get_filename() or p.is_attachment())]
open(sys.argv[3], "wb").write(parts[int(sys.argv[2])].get_payload(decode=True))
PY
}
# stored ID N OUT: attachment N (from 1) of ticket ID, by sd-show
stored() { sd-show --attachment "$2" "$1" >"$3"; }

# A new ticket with a PDF.
before=$(head_id)
expect_in "$M/multipart-pdf.eml" 0 "a mail with a PDF: a new ticket" sd-mail
is "$(cat "$T/out")" "SD-2" "prints its ID"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
clean "store clean"
part "$M/multipart-pdf.eml" 0 "$T/want.pdf"
hex=$(sha256sum "$T/want.pdf" | cut -c1-64)
is "$(sgit diff --name-only HEAD~1 HEAD | tr '\n' ' ')" \
	"attachments/$(echo "$hex" | cut -c1-2)/$hex tickets/000/SD-2.ini " "the PDF in the same commit"
is "$(jget 2 'd["attachments"]')" "[{\"name\": \"error facturación.pdf\", \"type\": \"application/pdf\", \"size\": $(wc -c <"$T/want.pdf"), \"sha256\": \"$hex\", \"event\": 1}]" \
	"referenced from the event that registered it"
stored 2 1 "$T/got.pdf"
ok $(cmp -s "$T/got.pdf" "$T/want.pdf"; echo $?) "the stored bytes are the decoded part's"
is "$(head -c 5 "$T/got.pdf")" "%PDF-" "a PDF"

# A forward holding a PNG: the attached message's attachment is kept.
expect_in "$M/forward.eml" 0 "a forwarded message with a PNG: a new ticket" sd-mail
is "$(cat "$T/out")" "SD-3" "prints its ID"
part "$M/forward.eml" 0 "$T/want.png"
stored 3 1 "$T/got.png"
ok $(cmp -s "$T/got.png" "$T/want.png"; echo $?) "the PNG's bytes, decoded from base64"
is "$(jget 3 '[a["name"] + " " + a["type"] for a in d["attachments"]]')" '["captura.png image/png"]' \
	"its name and type"

# A reply to SD-2 with the same PDF: a note; the same bytes, one file.
sed '0,/^Subject: .*/s//Subject: Re: [SD-2] Ayuda/' "$M/multipart-pdf.eml" >"$T/reply-pdf.eml"
expect_in "$T/reply-pdf.eml" 0 "a reply with the same PDF: a note" sd-mail
is "$(sgit diff --name-only HEAD~1 HEAD)" "tickets/000/SD-2.ini" "the note writes the ticket alone"
is "$(jget 2 'd["events"][-1]["action"] + " " + d["events"][-1]["attachment"]')" \
	"note sha256:$hex $(wc -c <"$T/want.pdf") application/pdf error facturación.pdf" \
	"the note's event references it"
is "$(find "$SD_STORE/attachments" -type f | wc -l)" 2 "two files: the PDF and the PNG"


# Over max_size: the mail is taken, the part left out and told.
edit_config() {
	_f=$1
	shift
	sed -i "$@" "$SD_STORE/$_f"
	forge "configure" "$_f"
}
# sd.ini's own [attachments] (the shipped one has it) out, ours in.
awk '/^\[/ { skip = $0 == "[attachments]" } !skip' "$SD_STORE/sd.ini" >"$T/sd.ini"
printf '\n[attachments]\nmax_size = 1K\nmax_per_ticket = 2K\n' >>"$T/sd.ini"
cp "$T/sd.ini" "$SD_STORE/sd.ini"
forge "set the limits" sd.ini
# big.eml: the PDF's message with a second part of 2000 bytes.
head -c 2000 /dev/urandom >"$T/big.bin"
{
	sed '/^--=-=-=sd-boundary-1=-=-=--/,$d' "$M/multipart-pdf.eml"
	printf -- '--=-=-=sd-boundary-1=-=-=\nContent-Type: application/octet-stream; name="big.bin"\n'
	printf 'Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="big.bin"\n\n'
	base64 "$T/big.bin"
	printf '\n--=-=-=sd-boundary-1=-=-=--\n'
} >"$T/big.eml"
before=$(head_id)
expect_in "$T/big.eml" 0 "a part over max_size: still a new ticket" sd-mail
is "$(cat "$T/out")" "SD-4" "prints its ID"
is "$(cat "$T/err")" "" "nothing on stderr"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(jget 4 '[a["name"] for a in d["attachments"]]')" '["error facturación.pdf"]' \
	"the PDF kept, the big part not"
jget 4 'd["description"]' >"$T/desc"
is "$(tail -2 "$T/desc")" "$(printf '%s\n%s' "Attachments left out:" \
	"- big.bin (application/octet-stream, 2000 bytes) left out: over the 1 KiB limit of an attachment")" \
	"the description says which and why"
is "$(find "$SD_STORE/attachments" -type f | wc -l)" 2 "no file for the big part"
# max_per_ticket: SD-2 holds the PDF twice (1180 bytes): once more fits
# (1770), then no more (2360 > 2048).
expect_in "$T/reply-pdf.eml" 0 "a reply whose PDF fits" sd-mail
is "$(jget 2 'len(d["attachments"])')" 3 "SD-2 references it three times"
expect_in "$T/reply-pdf.eml" 0 "a reply over max_per_ticket: still a note" sd-mail
is "$(jget 2 'len(d["attachments"])')" 3 "SD-2 takes no more"
is "$(jget 2 'd["events"][-1]["action"]')" note "the note is there"
jget 2 'd["events"][-1]["text"]' >"$T/note"
is "$(tail -2 "$T/note")" "$(printf '%s\n%s' "Attachments left out:" \
	"- error facturación.pdf (application/pdf, 590 bytes) left out: over the 2 KiB limit of a ticket's attachments")" \
	"the note says which and why"
# RT's multipart/related sample (tests/mail/SOURCES), with a keyword in
# its subject: its two base64 parts, decoded.
sed '0,/^Subject: .*/s//Subject: Ayuda: multipart\/related/' "$M/rt-related-attachments.eml" >"$T/rt.eml"
expect_in "$T/rt.eml" 0 "RT's multipart/related message: a new ticket" sd-mail
rt=$(sed 's/^SD-//' "$T/out")
is "$(jget "$rt" '[a["name"] + " " + a["type"] + " " + str(a["size"]) for a in d["attachments"]]')" \
	'["data1.bin application/octet-stream 12", "data2.bin application/octet-stream 14"]' \
	"both parts, named and typed"
is "$(sd-show --attachment 1 "$rt")" "hello world" "the first part's bytes"
is "$(sd-show --attachment 2 "$rt" | od -An -c | tr -s ' ')" " g o o d b y e w o r l d \n" \
	"the second's, its newline kept"
part "$T/rt.eml" 1 "$T/want.bin"
sd-show --attachment 2 "$rt" >"$T/got.bin"
ok $(cmp -s "$T/got.bin" "$T/want.bin"; echo $?) "as Python decodes it"
like "$T/out" "^SD-[0-9]+$" "prints the ID"
jget "$rt" 'd["description"]' >"$T/desc"
like "$T/desc" "^UNIQUEPLAINBODY" "the text/plain root is the description"

expect 0 "sd-fsck finds the store sound" sd-fsck
# A name with bidirectional controls (U+202E would show "factura\u202Efdp.exe"
# as "facturaexe.pdf"): each becomes '_', as a control does.
sed -e "s/^Message-ID: <20261123150205.GA1234@example.org>/Message-ID: <bidi-1@example.org>/" \
	-e "s/filename\*=UTF-8''error%20facturaci%C3%B3n.pdf/filename*=UTF-8''factura%E2%80%AEfdp.exe%E2%81%A6x/" \
	"$M/multipart-pdf.eml" >"$T/bidi.eml"
expect_in "$T/bidi.eml" 0 "a part whose name holds bidi controls: a new ticket" sd-mail
bidi=$(cat "$T/out")
is "$(jget "${bidi#SD-}" '[a["name"] for a in d["attachments"]]')" '["factura_fdp.exe_x"]' \
	"the controls are '_' in the stored name"

done_testing
