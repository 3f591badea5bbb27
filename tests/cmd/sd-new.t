#!/bin/sh
# sd-new: register tickets.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore

expect 0 "registers an incident" sd-new -t incident -s "Printer jams" -r "Pedro Ruiz" \
	-c hardware/printer --email pedro@example.org -m "It jams on page 2."
is "$(cat "$T/out")" "SD-1" "prints the new ID alone"
clean "store clean after sd-new"
is "$(sd-show --field status --field group --field level --field priority 1 | tr '\n' ' ')" \
	"new desk 1 3 " "status new, level-1 group of the category, priority from the matrix"
is "$(sd-show --field due_response --field due_resolution 1 | tr '\n' ' ')" \
	"2026-11-23T11:00:00-05:00 2026-11-26T10:00:00-05:00 " "due dates: 1bh and 3bd from Monday 10:00"
is "$(git --git-dir="$SD_STORE/.git" log -1 --format='%an|%s|%(trailers:key=Ticket,valueonly)' | head -1)" \
	"Ana Gómez|SD-1: new Printer jams|SD-1" "one commit, authored by the agent, with trailers"

before=$(head_id)
expect 64 "missing -t is a usage error" sd-new -s x -r y
unchanged "$before" "after a usage error"
expect 64 "-t outside its set" sd-new -t bug -s x -r y
expect 65 "unknown category" sd-new -t incident -s x -r y -c nowhere
one_line_error "$T/err" "one line on stderr"
like "$T/err" "unknown category 'nowhere'" "names what is wrong"
unchanged "$before" "after a refused category"
expect 65 "title with a control character" sd-new -t incident -s "$(printf 'a\tb')" -r y
expect 65 "invalid email" sd-new -t incident -s x -r y --email not-an-email
expect 77 "unknown agent" env SD_AGENT=nobody sd-new -t incident -s x -r y
expect 77 "a level-2 agent does not register" env SD_AGENT=marta sd-new -t incident -s x -r y
unchanged "$before" "after refusals"

expect 0 "incomplete data leaves it pending-info" sd-new -t request -s "New laptop" -r Pedro
is "$(sd-show --field status --field due_response 2 | tr '\n' ' ')" "pending-info  " \
	"pending-info, clock stopped: no due date"
done_testing
