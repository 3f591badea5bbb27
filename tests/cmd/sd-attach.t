#!/bin/sh
# sd-attach: a file kept with a ticket, in one commit: its bytes under
# attachments/XX/HEX (the SHA-256), an attachment line in the event; the
# same bytes twice are one file; sd-show lists them and writes one back
# exactly; sd.ini's [attachments] limits hold.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

new_ticket
printf 'hello\n' >"$T/hello.txt"
std_cli sd-attach 1 "$T/hello.txt"
id_errors sd-attach ID "$T/hello.txt"

# A binary file with every byte value, NULs and CRs included.
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 40 + b"\r\n\0end")' >"$T/scan.pdf"
hex=$(sha256sum "$T/scan.pdf" | cut -c1-64)
xx=$(printf %s "$hex" | cut -c1-2)
size=$(wc -c <"$T/scan.pdf")
export SD_NOW=2026-11-23T10:15:00-05:00 SD_AGENT=luis
allowed "an attachment" sd-attach -m "The scanned form" 1 "$T/scan.pdf"
out_is "SD-1" "prints the ID alone"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: attach|SD-1|attach" "the commit"
is "$(sgit diff --name-only HEAD~1 HEAD | tr '\n' ' ')" "attachments/$xx/$hex tickets/000/SD-1.ini " \
	"the commit writes the file and the ticket"
is "$(sgit diff -U0 HEAD~1 HEAD -- tickets | grep '^[-+][a-z]')" "$(printf '%s\n' \
	'-updated = 2026-11-23T10:00:00-05:00' '+updated = 2026-11-23T10:15:00-05:00' \
	'+at = 2026-11-23T10:15:00-05:00' '+by = luis' '+action = attach' \
	'+text = The scanned form' "+attachment = sha256:$hex $size application/pdf scan.pdf")" \
	"only updated changes, and an event with the text and the reference"
ok $(cmp -s "$SD_STORE/attachments/$xx/$hex" "$T/scan.pdf"; echo $?) "the file holds the bytes"
is "$(sgit cat-file -p "HEAD:attachments/$xx/$hex" | cmp - "$T/scan.pdf" && echo same)" same \
	"and so does the tree"
is "$(fields 1 status)" "new" "the status stays"

# The same bytes again, under another name, read from stdin: one file.
export SD_NOW=2026-11-23T10:20:00-05:00
before=$(head_id)
expect_in "$T/scan.pdf" 0 "the same bytes from stdin" \
	sd-attach --name "Informe año 2026 ; v2 .pdf" --type application/x-scan 1 -
is "$(cat "$T/out")" "SD-1" "prints the ID"
is "$(sgit diff --name-only "$before" HEAD)" "tickets/000/SD-1.ini" "writes the ticket alone"
is "$(find "$SD_STORE/attachments" -type f | wc -l)" 1 "one file for both"
is "$(last_event 1)" "{\"at\": \"2026-11-23T10:20:00-05:00\", \"by\": \"luis\", \"action\": \"attach\", \"attachment\": \"sha256:$hex $size application/x-scan Informe año 2026 ; v2 .pdf\"}" \
	"the event: the reference, no text"
clean "store clean"

# sd-show: the list, and the bytes back.
run sd-show 1
like "$T/out" "^Attachments:$" "sd-show has an Attachments list"
is "$(sed -n '/^Attachments:/,$p' "$T/out")" "$(printf '%s\n' "Attachments:" \
	"  1. scan.pdf (application/pdf, 10.0 KiB)" \
	"  2. Informe año 2026 ; v2 .pdf (application/x-scan, 10.0 KiB)")" "numbered: name, type, size"
is "$(jget 1 'd["attachments"]')" "[{\"name\": \"scan.pdf\", \"type\": \"application/pdf\", \"size\": $size, \"sha256\": \"$hex\", \"event\": 2}, {\"name\": \"Informe año 2026 ; v2 .pdf\", \"type\": \"application/x-scan\", \"size\": $size, \"sha256\": \"$hex\", \"event\": 3}]" \
	"json: an attachments array"
sd-show --format ini 1 >"$T/ini"
ok $(cmp -s "$T/ini" "$SD_STORE/tickets/000/SD-1.ini"; echo $?) "ini: the file as it is"
for n in 1 2; do
	run sd-show --attachment "$n" 1
	got_rc 0 "sd-show --attachment $n"
	ok $(cmp -s "$T/out" "$T/scan.pdf"; echo $?) "sd-show --attachment $n: the bytes exactly"
done
for bad in 0 3 99999999999999999999; do
	run sd-show --attachment "$bad" 1
	got_rc 65 "sd-show --attachment $bad: out of range (65)"
done
like "$T/err" "^sd-show: SD-1 has no attachment 99999999999999999999 \(it has 2\)$" "says how many it has"
for bad in x -1 1x "" +1; do
	run sd-show --attachment "$bad" 1
	got_rc 64 "sd-show --attachment '$bad': not a number (64)"
done
run sd-show --attachment 1 --format json 1
got_rc 64 "--attachment with --format: usage"
run sd-show --attachment 1 --history 1
got_rc 64 "--attachment with --history: usage"
run sd-show 2>/dev/null --attachment 1 SD-999
got_rc 66 "--attachment of a ticket that is not there: 66"

# A ticket with none.
new_ticket
run sd-show "$made"
ok $(grep -q Attachments "$T/out"; [ $? = 1 ]; echo $?) "no list when it has none"
is "$(jget "$made" 'd["attachments"]')" "[]" "json: an empty array"
run sd-show --attachment 1 "$made"
got_rc 65 "--attachment 1 of a ticket with none: 65"

# Defaults: the name is FILE's base name, the type by its extension.
mkdir -p "$T/dir"
printf 'a,b\n1,2\n' >"$T/dir/Data.CSV"
printf 'x' >"$T/dir/noext"
allowed "a CSV file" sd-attach 1 "$T/dir/Data.CSV"
allowed "a file without an extension" sd-attach 1 "$T/dir/noext"
is "$(jget 1 '" | ".join(a["name"] + " " + a["type"] for a in d["attachments"][2:])')" \
	"Data.CSV text/csv | noext application/octet-stream" "names and types by default"
printf '' >"$T/empty"
allowed "an empty file" sd-attach 1 "$T/empty"
is "$(jget 1 'd["attachments"][-1]["size"]')" 0 "of size 0"

# Errors: nothing changes.
usage_error "no FILE" sd-attach 1
usage_error "three arguments" sd-attach 1 "$T/hello.txt" "$T/hello.txt"
usage_error "stdin without --name" sd-attach 1 -
usage_error "a name with a control character" sd-attach --name "$(printf 'a\tb')" 1 "$T/hello.txt"
usage_error "an empty name" sd-attach --name "" 1 "$T/hello.txt"
usage_error "a name with a bidirectional control" sd-attach --name "$(printf 'invoice\342\200\256fdp.exe')" 1 "$T/hello.txt"
like "$T/err" "^sd-attach: --name: an attachment's name holds a bidirectional control character$" "says so"
usage_error "a type that is no MIME type" sd-attach --type pdf 1 "$T/hello.txt"
usage_error "-m with an empty text" sd-attach -m "" 1 "$T/hello.txt"
cp "$T/hello.txt" "$T/$(printf 'bad\001name')"
usage_error "a file whose base name has a control character" \
	sd-attach 1 "$T/$(printf 'bad\001name')"
refused 66 "a file that is not there" sd-attach 1 "$T/nonexistent"
like "$T/err" "^sd-attach: $T/nonexistent: No such file or directory$" "says so"
refused 66 "a directory" sd-attach 1 "$T/dir"
if [ "$(id -u)" != 0 ]; then
	cp "$T/hello.txt" "$T/secret"
	chmod 000 "$T/secret"
	refused 66 "an unreadable file" sd-attach 1 "$T/secret"
else
	ok 0 "# SKIP an unreadable file: root reads everything"
fi
mk closed
refused 65 "a final ticket takes no attachment" sd-attach "$made" "$T/hello.txt"
like "$T/err" "^sd-attach: SD-$made: " "names the ticket"
SD_AGENT=nobody refused 77 "an unknown agent" sd-attach 1 "$T/hello.txt"

# Limits: [attachments] max_size per attachment, max_per_ticket per ticket.
# sd.ini's own [attachments] (the shipped one has it) out, ours in.
awk '/^\[/ { skip = $0 == "[attachments]" } !skip' "$SD_STORE/sd.ini" >"$T/sd.ini"
printf '\n[attachments]\nmax_size = 2K\nmax_per_ticket = 5K\n' >>"$T/sd.ini"
cp "$T/sd.ini" "$SD_STORE/sd.ini"
forge "set the limits" sd.ini
head -c 2048 /dev/urandom >"$T/2k"
head -c 2049 /dev/urandom >"$T/2k1"
new_ticket
t=$made
refused 65 "a file over max_size" sd-attach "$t" "$T/2k1"
is "$(cat "$T/err")" "sd-attach: 2k1: 2049 bytes, over the 2 KiB limit of an attachment ([attachments] max_size)" \
	"one line: its size and the limit"
expect_in "$T/2k1" 65 "over max_size from stdin" sd-attach --name big.bin "$t" -
is "$(cat "$T/err")" "sd-attach: big.bin: 2049 bytes, over the 2 KiB limit of an attachment ([attachments] max_size)" \
	"the same from stdin"
before=$(head_id)
cat "$T/2k1" | sd-attach --name piped.bin "$t" - >"$T/out" 2>"$T/err"
is "$?" 65 "over max_size through a pipe: 65"
is "$(cat "$T/err")" "sd-attach: piped.bin: over the 2 KiB limit of an attachment ([attachments] max_size)" \
	"through a pipe: the limit, its size unknown"
unchanged "$before" "through a pipe"
allowed "2 KiB: at the limit" sd-attach "$t" "$T/2k"
head -c 2048 /dev/urandom >"$T/2kb"
allowed "4 KiB in all" sd-attach "$t" "$T/2kb"
head -c 2000 /dev/urandom >"$T/2kc"
refused 65 "over max_per_ticket" sd-attach "$t" "$T/2kc"
is "$(cat "$T/err")" "sd-attach: SD-$t: 2kc: 2000 bytes, over the 5 KiB limit of a ticket's attachments, which hold 4 KiB ([attachments] max_per_ticket)" \
	"one line: the size, the limit and what the ticket holds"
printf 'abc' >"$T/3b"
allowed "a small one still fits" sd-attach "$t" "$T/3b"

# A bad limit is sd.ini:LINE, 78.
sed -i 's/^max_size = 2K/max_size = lots/' "$SD_STORE/sd.ini"
forge "a bad limit" sd.ini
run sd-attach "$t" "$T/3b"
got_rc 78 "a bad max_size: 78"
like "$T/err" "^sd-attach: .*/sd\.ini:[0-9]+: max_size: 'lots' is not a size" "names the file, the line and the key"
sed -i 's/^max_size = lots/max_size = 2G/' "$SD_STORE/sd.ini"
forge "a limit too high" sd.ini
run sd-attach "$t" "$T/3b"
got_rc 78 "a max_size over 1024M: 78"
sed -i 's/^max_size = 2G/max_per_teacket = 1K/' "$SD_STORE/sd.ini"
forge "an unknown key" sd.ini
run sd-attach "$t" "$T/3b"
got_rc 78 "an unknown key of [attachments]: 78"
like "$T/err" "unknown key 'max_per_teacket' in \[attachments\]" "says which"
done_testing
