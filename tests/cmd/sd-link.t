#!/bin/sh
# sd-link: relate tickets both ways, in one commit.  A link is the one
# change a final ticket accepts: it adds to `related` and nothing else.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

new_ticket
new_ticket
new_ticket
std_cli sd-link 1 2
id_errors sd-link 1 ID

# ana links SD-1 and SD-2 at 10:30.
export SD_NOW=2026-11-23T10:30:00-05:00
before=$(head_id)
allowed "link SD-1 SD-2" sd-link 1 SD-2
out_is "$(printf 'SD-1\nSD-2')" "prints both IDs, one a line"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit for both"
is "$(fields 1 related updated status)" "SD-2|2026-11-23T10:30:00-05:00|new" "SD-1 related to SD-2"
is "$(fields 2 related updated status)" "SD-1|2026-11-23T10:30:00-05:00|new" "SD-2 related to SD-1"
is "$(last_event 1)" '{"at": "2026-11-23T10:30:00-05:00", "by": "ana", "action": "link", "related": "SD-2"}' \
	"SD-1's event names SD-2"
is "$(last_event 2)" '{"at": "2026-11-23T10:30:00-05:00", "by": "ana", "action": "link", "related": "SD-1"}' \
	"SD-2's event names SD-1"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-1: link SD-2|SD-1,SD-2|link" \
	"the commit: two Ticket trailers, action link"
is "$(sgit show --format= --name-only HEAD | sort | tr '\n' ' ')" \
	"tickets/000/SD-1.ini tickets/000/SD-2.ini " "the commit changes the two files"

# Linked already: nothing to do, nothing printed, no commit.
before=$(head_id)
expect 0 "the same link again" sd-link 2 1
out_is "" "nothing changed, nothing printed"
unchanged "$before" "the same link again"

# Three at once, by marta (a link is anyone's); SD-1 and SD-2 gain SD-3,
# SD-3 gains both.
export SD_NOW=2026-11-23T10:45:00-05:00
allowed "link three" env SD_AGENT=marta sd-link 1 2 3
out_is "$(printf 'SD-1\nSD-2\nSD-3')" "prints the three"
is "$(fields 1 related)|$(fields 2 related)|$(fields 3 related)" "SD-2 SD-3|SD-1 SD-3|SD-1 SD-2" \
	"each related to the other two, in order"
is "$(last_event 3)" '{"at": "2026-11-23T10:45:00-05:00", "by": "marta", "action": "link", "related": "SD-1 SD-2"}' \
	"SD-3's event names both"
is "$(commit_info)" "Marta Ríos <marta.rios@example.org>|SD-1: link SD-2 SD-3|SD-1,SD-2,SD-3|link" \
	"one commit, three Ticket trailers"
clean "store clean"

# A closed ticket gains `related` and nothing else: no event, no updated.
mk closed
c=$made
new_ticket
t=$made
export SD_NOW=2026-11-23T11:00:00-05:00
before=$(head_id)
allowed "link a new ticket to a closed one" sd-link $t $c
out_is "$(printf 'SD-%s\nSD-%s' $t $c)" "prints both"
clean "store clean"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(sgit diff -U0 HEAD~1 HEAD -- tickets/000/SD-$c.ini | grep '^[-+][^-+]')" \
	"$(printf '%s\n' '-related =' "+related = SD-$t")" \
	"the closed ticket's file: the related line alone"
is "$(fields $c status)" "closed" "still closed"
is "$(fields $t related updated)" "SD-$c|2026-11-23T11:00:00-05:00" "the open one: related and updated"
is "$(last_event $t)" "{\"at\": \"2026-11-23T11:00:00-05:00\", \"by\": \"ana\", \"action\": \"link\", \"related\": \"SD-$c\"}" \
	"the open one: an event"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-$t: link SD-$c|SD-$t,SD-$c|link" "the commit"

# Rejected and unmanaged likewise, linked to each other.
mk rejected
r=$made
mk unmanaged
u=$made
before=$(head_id)
allowed "link two final tickets" sd-link $r $u
out_is "$(printf 'SD-%s\nSD-%s' $r $u)" "prints both"
is "$(sgit diff -U0 HEAD~1 HEAD | grep '^[-+][^-+]')" \
	"$(printf '%s\n' '-related =' "+related = SD-$u" '-related =' "+related = SD-$r")" \
	"both files: the related line alone"
is "$(fields $r status)|$(fields $u status)" "rejected|unmanaged" "still rejected and unmanaged"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-$r: link SD-$u|SD-$r,SD-$u|link" "one commit"
clean "store clean"

# Errors: a ticket linked to itself 65; unknown 66; usage 64.
new_ticket
a=$made
new_ticket
b=$made
refused 65 "a ticket linked to itself" sd-link 1 1
like "$T/err" "^sd-link: a ticket cannot be linked to itself" "says so"
refused 65 "itself, in another spelling" sd-link 1 sd-1
refused 65 "itself, among others" sd-link $a $b SD-$a
refused 66 "an unknown ticket" sd-link $a 99
like "$T/err" "^sd-link: .*no such ticket" "says there is no such ticket"
refused 66 "an unknown ticket first" sd-link 99 $a
refused 65 "a malformed ID" sd-link $a SD-4x
refused 77 "an unknown agent" env SD_AGENT=nobody sd-link $a $b
usage_error "one ID" sd-link $a
usage_error "no ID" sd-link
is "$(fields $a related)|$(fields $b related)" "|" "nothing was linked"
done_testing
