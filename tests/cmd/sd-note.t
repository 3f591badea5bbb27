#!/bin/sh
# sd-note: a note in an event of its own; --contact-attempt counts a
# failed attempt to reach the requester.  The status stays; a final
# ticket takes no note.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

new_ticket
std_cli sd-note -m "Hello" 1
id_errors sd-note -m "Hello" ID

# luis notes SD-1 at 10:15.
export SD_NOW=2026-11-23T10:15:00-05:00 SD_AGENT=luis
before=$(head_id)
allowed "a note" sd-note -m "Asked for the VPN client version" 1
out_is "SD-1" "prints the ID alone"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(last_event 1)" \
	'{"at": "2026-11-23T10:15:00-05:00", "by": "luis", "action": "note", "text": "Asked for the VPN client version"}' \
	"the event: the text, no from/to"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: note|SD-1|note" "the commit"
is "$(sgit diff -U0 HEAD~1 HEAD | grep '^[-+][a-z]')" "$(printf '%s\n' \
	'-updated = 2026-11-23T10:00:00-05:00' '+updated = 2026-11-23T10:15:00-05:00' \
	'+at = 2026-11-23T10:15:00-05:00' '+by = luis' '+action = note' \
	'+text = Asked for the VPN client version')" \
	"only updated changes, and an event with the text"
is "$(fields 1 status contact_attempts responded)" "new|0|" "status new; no contact attempt; no response"

# --contact-attempt, twice.
export SD_NOW=2026-11-23T10:30:00-05:00
allowed "--contact-attempt" sd-note --contact-attempt -m "No answer on the phone" 1
out_is "SD-1" "prints the ID"
is "$(fields 1 status contact_attempts)" "new|1" "one contact attempt"
is "$(last_event 1)" \
	'{"at": "2026-11-23T10:30:00-05:00", "by": "luis", "action": "note", "contact_attempt": "yes", "text": "No answer on the phone"}' \
	"the event says it was a contact attempt"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: note|SD-1|note" "the commit"
clean "store clean"
export SD_NOW=2026-11-23T11:30:00-05:00
allowed "--contact-attempt after the ID" sd-note -m "Voicemail" 1 --contact-attempt
is "$(fields 1 contact_attempts)" "2" "two contact attempts"
allowed "a plain note does not count" sd-note -m "Emailed the manager" 1
is "$(fields 1 contact_attempts)" "2" "still two"

# Text from a file and from stdin, byte for byte.
printf '[ticket]\nstatus = closed\n; not a comment\r\n\n\ttabbed  \n\\' >"$T/note"
allowed "-F FILE" sd-note -F "$T/note" 1
jget 1 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/note" "$T/got"; echo $?) "the note is the file's, byte for byte"
is "$(fields 1 status)" "new" "nothing in it became structure"
note_stdin() { sd-note -F - 1 <"$T/note"; }
allowed "-F -" note_stdin
jget 1 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/note" "$T/got"; echo $?) "the note from stdin, byte for byte"
clean "store clean"

# Found from below: in tickets/000, with no SD_STORE, the store is the
# nearest directory above that holds sd.ini.
store=$SD_STORE
from_below() { (cd "$store/tickets/000" && unset SD_STORE && exec sd-note -m "From below" 1); }
allowed "the store found from a directory below it" from_below
out_is "SD-1" "prints the ID"

# Any status that is not final takes notes and keeps its status.
for st in pending-info awaiting-approval escalated provider suspended solved reopened; do
	mk $st
	allowed "a note on a $st ticket" env SD_AGENT=carmen sd-note --contact-attempt -m "Called" $made
	is "$(fields $made status contact_attempts)" "$st|1" "$st stays $st, one contact attempt"
done
clean "store clean"

# A final ticket takes no note: 65.
for st in closed rejected unmanaged; do
	mk $st
	refused 65 "no note on a $st ticket" sd-note -m "Called" $made
	like "$T/err" "^sd-note: SD-$made: the ticket is $st; nothing changes it" "says it is $st"
	refused 65 "no contact attempt on a $st ticket" sd-note --contact-attempt -m "Called" $made
done

# Texts and options: 64; bad text: 65.
usage_error "-m missing" sd-note 1
usage_error "--contact-attempt without a text" sd-note --contact-attempt 1
usage_error "-m empty" sd-note -m "" 1
usage_error "-F of an empty file" sd-note -F /dev/null 1
usage_error "-m and -F" sd-note -m x -F "$T/note" 1
usage_error "no ID" sd-note -m x
usage_error "two IDs" sd-note -m x 1 2
usage_error "--contact-attempt=yes" sd-note --contact-attempt=yes -m x 1
refused 65 "invalid UTF-8" sd-note -m "$(printf 'caf\351')" 1
printf 'a\000b\n' >"$T/nul"
refused 65 "a NUL" sd-note -F "$T/nul" 1
refused 77 "an unknown agent" env SD_AGENT=nobody sd-note -m x 1
done_testing
