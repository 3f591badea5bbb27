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
# C1 controls (U+0080..U+009F in UTF-8): CSI U+009B drives some terminals.
csi=$(printf 'a\302\2332Jb')
nel=$(printf 'Ana\302\205Ruiz')
expect 65 "a title with a C1 CSI" sd-new -t incident -s "$csi" -r y
one_line_error "$T/err" "one line on stderr"
like "$T/err" "^sd-new: title has a control character\$" "names the title"
expect 65 "a requester with a C1 NEL" sd-new -t incident -s x -r "$nel"
like "$T/err" "^sd-new: requester has a control character\$" "names the requester"
expect 65 "an email with a C1 control" sd-new -t incident -s x -r y --email "$(printf 'p\302\237@example.org')"
like "$T/err" "^sd-new: requester_email has a control character\$" "names the email"
expect 65 "a category with a C1 control" sd-new -t incident -s x -r y -c "$(printf 'hardware\302\200')"
like "$T/err" "^sd-new: category has a control character\$" "names the category"
expect 65 "invalid email" sd-new -t incident -s x -r y --email not-an-email
expect 77 "unknown agent" env SD_AGENT=nobody sd-new -t incident -s x -r y
expect 77 "a level-2 agent does not register" env SD_AGENT=marta sd-new -t incident -s x -r y
unchanged "$before" "after refusals"

expect 0 "incomplete data leaves it pending-info" sd-new -t request -s "New laptop" -r Pedro
is "$(sd-show --field status --field due_response 2 | tr '\n' ' ')" "pending-info  " \
	"pending-info, clock stopped: no due date"

# --channel: the first of sd.ini's channels by default.
is "$(sd-show --field channel 1)" "phone" "channel phone by default"
expect 0 "--channel" sd-new -t incident -s "By mail" -r Eva -c email --email eva@example.org \
	--channel email
is "$(cat "$T/out")" "SD-3" "SD-3"
is "$(fields 3 channel)" "email" "channel email"
clean "store clean"
before=$(head_id)
expect 65 "an unknown channel" sd-new -t incident -s x -r y --channel fax
one_line_error "$T/err" "one line on stderr"
like "$T/err" "unknown channel 'fax'" "names it"
unchanged "$before" "after an unknown channel"

# --phone
expect 0 "--phone" sd-new -t incident -s "Call me" -r Eva -c email --email eva@example.org \
	--phone "+57 (601) 555-0100 x12"
is "$(fields 4 requester_phone)" "+57 (601) 555-0100 x12" "the phone as given"
clean "store clean"
before=$(head_id)
expect 65 "a phone that is not one" sd-new -t incident -s x -r y --phone "call me"
like "$T/err" "call me" "names it"
expect 65 "a phone with too few digits" sd-new -t incident -s x -r y --phone "12"
unchanged "$before" "after bad phones"

# --related: both tickets linked, in one commit.
export SD_NOW=2026-11-23T11:00:00-05:00
expect 0 "--related" sd-new -t incident -s "Printer jams again" -r "Pedro Ruiz" \
	-c hardware/printer --email pedro@example.org --related sd-1
is "$(cat "$T/out")" "SD-5" "prints the new ID alone"
clean "store clean after a linked ticket"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(sgit diff-tree --no-commit-id --name-only -r HEAD | tr '\n' ' ')" \
	"tickets/000/SD-1.ini tickets/000/SD-5.ini " "that changes both files"
is "$(sgit log -1 --format='%s|%(trailers:key=Ticket,valueonly,separator=%x2C)|%(trailers:key=Action,valueonly)')" \
	"SD-5: new Printer jams again|SD-5,SD-1|new" "with a Ticket: trailer for each"
is "$(fields 5 related)" "SD-1" "the new ticket names SD-1"
is "$(fields 1 related updated)" "SD-5|2026-11-23T11:00:00-05:00" "SD-1 names the new one"
sd-show --format json 1 >"$T/json"
is "$(json_value "$T/json" 'd["events"][-1]')" \
	'{"at": "2026-11-23T11:00:00-05:00", "by": "ana", "action": "link", "related": "SD-5"}' \
	"a link event in SD-1"
expect 0 "a second link" sd-new -t incident -s "And again" -r Pedro -c hardware/printer \
	--email pedro@example.org --related 1
is "$(fields 1 related)" "SD-5 SD-6" "SD-1 names both, space-separated"
before=$(head_id)
expect 66 "--related to no ticket" sd-new -t incident -s x -r y --related SD-99
like "$T/err" "SD-99: no such ticket" "no such ticket"
expect 65 "--related with a bad ID" sd-new -t incident -s x -r y --related SD-4x
like "$T/err" "invalid ticket id" "invalid ticket id"
expect 65 "--related 0" sd-new -t incident -s x -r y --related 0
unchanged "$before" "after bad links"
is "$(fields 1 related)" "SD-5 SD-6" "SD-1 as it was"
# A link is the one change a final ticket takes (planted: SD-7 closed).
sd-new -t incident -s "Done" -r Eva -c email --email eva@example.org >/dev/null
sed -i -e 's/^status = new$/status = closed/' -e 's/^resolution =$/resolution = solved/' \
	-e 's/^solved =$/solved = 2026-11-23T11:00:00-05:00/' \
	-e 's/^closed =$/closed = 2026-11-23T11:00:00-05:00/' "$SD_STORE/tickets/000/SD-7.ini"
forge "plant a closed ticket" tickets/000/SD-7.ini
export SD_NOW=2026-11-23T12:00:00-05:00
expect 0 "--related to a closed ticket" sd-new -t incident -s "Done again" -r Eva -c email \
	--email eva@example.org --related 7
is "$(fields 7 status related)" "closed|SD-8" "the closed ticket names the new one"
# SPEC 10: "A link is the one change a final ticket accepts: it adds to
# related and nothing else."
is "$(sgit diff -U0 HEAD~1 HEAD -- tickets/000/SD-7.ini | grep '^[-+][^-+]')" \
	"$(printf '%s\n' '-related =' '+related = SD-8')" "and nothing else changes in it"
clean "store clean"

# -F FILE and -F -: any text comes back byte for byte.
long=$(printf '%0300d' 7)
printf 'First line\r\nCRLF above\n\n\n; not a comment\n# nor this\n[section]\nkey = value\n= equals\ntrailing spaces   \n   leading spaces\nback\\slash \\n \\\n%s\nñandú ; x\nlast\n\n' \
	"$long" >"$T/text"
expect 0 "-F FILE" sd-new -t incident -s "From a file" -r Eva -c email --email eva@example.org \
	-F "$T/text"
n=$(cat "$T/out")
sd-show --format json "$n" >"$T/json"
json_value "$T/json" 'd["description"]' >"$T/got"
ok $(cmp -s "$T/text" "$T/got"; echo $?) "the description, byte for byte"
is "$(LC_ALL=C awk 'length > 200' "$SD_STORE/tickets/000/$n.ini")" "" "no line over 200 bytes in the file"
is "$(grep -c '^\[' "$SD_STORE/tickets/000/$n.ini")" 3 "no section from the text: [ticket], [description], [event 1]"
expect_in "$T/text" 0 "-F - reads stdin" sd-new -t incident -s "From stdin" -r Eva -c email \
	--email eva@example.org -F -
n=$(cat "$T/out")
sd-show --format json "$n" >"$T/json"
json_value "$T/json" 'd["description"]' >"$T/got"
ok $(cmp -s "$T/text" "$T/got"; echo $?) "the description from stdin, byte for byte"
clean "store clean after -F"
# Small texts at the edges of the encoding.
i=0
for t in '\n\n' '  \n  ' ' ;' 'x\r' '"\\x41"'; do
	i=$((i + 1))
	printf "$t" >"$T/edge"
	run sd-new -t incident -s "Edge $i" -r Eva -c email --email eva@example.org -F "$T/edge"
	n=$(cat "$T/out")
	sd-show --format json "$n" >"$T/json" 2>/dev/null
	json_value "$T/json" 'd["description"]' >"$T/got" 2>/dev/null
	cmp -s "$T/edge" "$T/got" || { echo "# text $i ($t) does not come back" >&2; break; }
done
ok $(cmp -s "$T/edge" "$T/got"; echo $?) "$i texts at the edges of the encoding come back whole"
# 1 MiB of text, lines of every length up to 300 bytes, comes back; one
# byte more is refused.
python3 -c 'import sys
out, n = [], 0
while n < 1048576:
	line = ("é;#[= \\" * 50)[: n % 301] + "\n"
	out.append(line)
	n += len(line.encode())
b = "".join(out).encode()[:1048576].decode("utf-8", "ignore").encode()
sys.stdout.buffer.write(b + b"x" * (1048576 - len(b)))' >"$T/mib"
is "$(wc -c <"$T/mib")" 1048576 "a text of 1 MiB"
expect 0 "1 MiB of text" sd-new -t incident -s "Big" -r Eva -c email --email eva@example.org -F "$T/mib"
n=$(cat "$T/out")
sd-show --format json "$n" >"$T/json"
json_value "$T/json" 'd["description"]' >"$T/got"
ok $(cmp -s "$T/mib" "$T/got"; echo $?) "comes back byte for byte"
clean "store clean after 1 MiB"
before=$(head_id)
echo >>"$T/mib"
expect 65 "1 MiB and one byte" sd-new -t incident -s "Too big" -r Eva -F "$T/mib"
one_line_error "$T/err" "one line on stderr"
unchanged "$before" "after a text too long"
before=$(head_id)
expect 64 "-m \"\"" sd-new -t incident -s x -r y -m ""
like "$T/err" "usage: sd-new" "usage on stderr"
: >"$T/empty"
expect 64 "-F an empty file" sd-new -t incident -s x -r y -F "$T/empty"
expect_in "$T/empty" 64 "-F - with nothing on stdin" sd-new -t incident -s x -r y -F -
expect 64 "-m and -F" sd-new -t incident -s x -r y -m x -F "$T/text"
printf 'a\0b\n' >"$T/nul"
expect 65 "a text with a NUL" sd-new -t incident -s x -r y -F "$T/nul"
one_line_error "$T/err" "one line on stderr"
printf 'caf\351\n' >"$T/latin1"
expect 65 "a text that is not UTF-8" sd-new -t incident -s x -r y -F "$T/latin1"
expect_in "$T/latin1" 65 "not UTF-8 on stdin" sd-new -t incident -s x -r y -F -
expect 65 "-m not UTF-8" sd-new -t incident -s x -r y -m "$(printf 'caf\351')"
unchanged "$before" "after bad texts"

# A title of 1,000 bytes with what looks like INI structure, a leading
# space and a trailing one, comes back whole; 1,001 bytes do not.
title=$(python3 -c 'import sys
u = " ; [ticket] id = SD-9 # é \\ x = \"y\" ;"
b = (u * 100).encode()[:999].decode("utf-8", "ignore").encode()
sys.stdout.write((b + b" " * (1000 - len(b))).decode())')
is "$(printf '%s' "$title" | wc -c)" 1000 "a title of 1000 bytes"
expect 0 "a 1000-byte title" sd-new -t incident -s "$title" -r Eva -c email --email eva@example.org
n=$(cat "$T/out")
sd-show --format json "$n" >"$T/json"
json_value "$T/json" 'd["title"]' >"$T/got"
printf '%s' "$title" >"$T/want"
ok $(cmp -s "$T/want" "$T/got"; echo $?) "comes back byte for byte"
is "$(fields "$n" id requester)" "$n|Eva" "the other fields are what they were"
is "$(LC_ALL=C awk 'length > 200' "$SD_STORE/tickets/000/$n.ini")" "" "no line over 200 bytes"
is "$(grep -c '^\[' "$SD_STORE/tickets/000/$n.ini")" 2 "no section from the title"
sgit log -1 --format=%s >"$T/subject"
like "$T/subject" "^$n: new  ; \[ticket\]" "the subject: ID, action, title"
ok $([ "$(wc -c <"$T/subject")" -le 100 ]; echo $?) "a short subject"
clean "store clean after a long title"
before=$(head_id)
expect 65 "a title of 1001 bytes" sd-new -t incident -s "${title}x" -r Eva
unchanged "$before" "after a long title"

# -h, --version
expect 0 "-h" sd-new -h
like "$T/out" "^usage: sd-new" "usage on stdout"
is "$(cat "$T/err")" "" "nothing on stderr"
expect 0 "--version" sd-new --version
like "$T/out" "^sd-new .*[0-9]+\.[0-9]+" "name and version"
expect 64 "a bad option" sd-new --bogus -t incident -s x -r y
like "$T/err" "usage: sd-new" "usage on stderr"
expect 64 "an argument" sd-new -t incident -s x -r y extra

# A busy store: the lock held by another process.
lock=$SD_STORE/.git/sd.lock
# hold SECONDS: hold the store's lock in the background, as $pid
hold() {
	flock -o "$lock" sleep "$1" >/dev/null 2>&1 </dev/null &
	pid=$!
	_i=0
	while flock -n "$lock" true && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
}
before=$(head_id)
hold 3
SD_LOCK_TIMEOUT=0.5 expect 75 "a busy store" sd-new -t incident -s x -r y -c email --email y@example.org
one_line_error "$T/err" "one line on stderr"
like "$T/err" "busy" "says it is busy"
kill "$pid"
wait "$pid" 2>/dev/null
unchanged "$before" "after a busy store"
hold 0.5
SD_LOCK_TIMEOUT=5 expect 0 "the lock is waited for" sd-new -t incident -s "Waited" -r y -c email \
	--email y@example.org
wait "$pid" 2>/dev/null
clean "store clean after waiting"

# Policy: level1_registers = no lets other levels register.
sed -i 's/^level1_registers = yes$/level1_registers = no/' "$SD_STORE/sd.ini"
forge "policy: level1_registers = no" sd.ini
expect 0 "level1_registers = no: a level-2 agent registers" env SD_AGENT=marta \
	sd-new -t incident -s "Seen by a specialist" -r Eva -c software/erp --email eva@example.org
n=$(cat "$T/out")
is "$(fields "$n" group level status)" "desk|1|new" "in the category's level-1 group"
is "$(sgit log -1 --format=%an)" "Marta Ríos" "marta's commit"
clean "store clean"
# With no category, a level-2 agent's ticket goes to a level-1 group (the
# first of the store, desk), at level 1: a ticket sd-fsck accepts.
expect 0 "a level-2 agent, no category" env SD_AGENT=marta sd-new -t incident -s "No category" -r Eva
n=$(cat "$T/out")
is "$(fields "$n" status level)" "pending-info|1" "pending-info at level 1"
# The requester's address given, the category alone missing: the desk's
# to set, so the ticket is new (to classify), not pending-info, and its
# clock runs.
expect 0 "no category, an email" env SD_AGENT=marta sd-new -t incident -s "No category" -r Eva \
	--email eva@example.org
n=$(cat "$T/out")
is "$(fields "$n" status level category)" "new|1|" "new at level 1, no category"
is "$(fields "$n" created due_response)" "2026-11-23T12:00:00-05:00|2026-11-23T13:00:00-05:00" \
	"its clock runs: response due 1 business hour on"
expect 0 "the tickets are sound" sd-fsck
is "$(cat "$T/out" "$T/err")" "" "sd-fsck finds nothing"
clean "store clean"

# Policy: trust_env_agent = no: SD_AGENT is ignored, the login name counts.
login=$(id -un)
sed -i 's/^trust_env_agent = yes$/trust_env_agent = no/' "$SD_STORE/sd.ini"
forge "policy: trust_env_agent = no" sd.ini
before=$(head_id)
if grep -q "^login = $login\$\|^\[agent $login\]\$" "$SD_STORE/agents.ini"; then
	ok 0 "# SKIP the login $login is an agent"
else
	expect 77 "trust_env_agent = no: SD_AGENT ignored" sd-new -t incident -s x -r y -c email \
		--email y@example.org
	one_line_error "$T/err" "one line on stderr"
	like "$T/err" "$login" "names the login"
fi
unchanged "$before" "after an unknown login"
sed -i "s/^\[agent ana\]\$/[agent ana]\nlogin = $login/" "$SD_STORE/agents.ini"
forge "ana logs in as $login" agents.ini
expect 0 "the login's agent acts, whatever SD_AGENT says" env SD_AGENT=marta \
	sd-new -t incident -s "By login" -r Eva -c email --email eva@example.org
is "$(cat "$T/err")" "sd-new: SD_AGENT ignored: sd.ini [policy] trust_env_agent = no; acting as $login" \
	"says once, on stderr, that SD_AGENT is ignored"
is "$(sgit log -1 --format=%an)" "Ana Gómez" "ana's commit"
n=$(cat "$T/out")
expect 0 "a note, SD_AGENT ignored" env SD_AGENT=marta sd-note -m "hola" "$n"
is "$(cat "$T/err")" "sd-note: SD_AGENT ignored: sd.ini [policy] trust_env_agent = no; acting as $login" \
	"sd-note says it once too"
expect 0 "--assignee me, SD_AGENT ignored" env SD_AGENT=marta sd-list --assignee me
is "$(cat "$T/err")" "sd-list: SD_AGENT ignored: sd.ini [policy] trust_env_agent = no; acting as $login" \
	"sd-list --assignee me says it"
expect 0 "without SD_AGENT" env -u SD_AGENT sd-note -m "hola" "$n"
is "$(cat "$T/err")" "" "nothing to say without SD_AGENT"
expect 0 "sd-show needs no agent" env SD_AGENT=marta sd-show "$n"
is "$(cat "$T/err")" "" "nothing said where no agent acts"
sd-show --format json "$n" >"$T/json"
is "$(json_value "$T/json" 'd["events"][0]["by"]')" "ana" "ana's event"
clean "store clean"

# The next number: the highest in use + 1, a gap kept; a ticket out of its
# shard where the number is read refuses it (65, naming the path), with
# nothing changed.
mkstore "$T/shards"
for t in 1 2 3; do
	sd-new -t incident -s "Ticket $t" -r Eva -c email --email eva@example.org >/dev/null
done
tk=$SD_STORE/tickets/000
sed -e 's/^id = SD-3$/id = SD-7/' "$tk/SD-3.ini" >"$tk/SD-7.ini"
forge "SD-7: a gap before it" tickets/000/SD-7.ini
expect 0 "after a gap" sd-new -t incident -s "After the gap" -r Eva -c email --email eva@example.org
is "$(cat "$T/out")" "SD-8" "the highest + 1, the gap kept"
clean "store clean"
mkdir "$SD_STORE/tickets/001"
mv "$tk/SD-8.ini" "$SD_STORE/tickets/001/SD-8.ini"
forge "SD-8 moved to the wrong shard" tickets/000/SD-8.ini tickets/001/SD-8.ini
cp "$SD_STORE/tickets/001/SD-8.ini" "$T/SD-8.ini"
before=$(head_id)
expect 65 "a ticket in the wrong shard" sd-new -t incident -s x -r Eva -c email \
	--email eva@example.org
one_line_error "$T/err" "one line on stderr"
like "$T/err" "^sd-new: tickets/001/SD-8\.ini: not in its shard \(belongs in tickets/000/\); run sd-fsck\$" \
	"names the path, its shard and sd-fsck"
unchanged "$before" "after the refusal"
ok $(cmp -s "$T/SD-8.ini" "$SD_STORE/tickets/001/SD-8.ini"; echo $?) "the ticket untouched"
mv "$SD_STORE/tickets/001/SD-8.ini" "$tk/SD-8.ini"
rmdir "$SD_STORE/tickets/001"
sed -e 's/^id = SD-8$/id = SD-1500/' "$tk/SD-8.ini" >"$tk/SD-1500.ini"
forge "SD-8 back, SD-1500 in the wrong shard" tickets/000/SD-8.ini tickets/001/SD-8.ini \
	tickets/000/SD-1500.ini
before=$(head_id)
expect 65 "a higher number in the last shard" sd-new -t incident -s x -r Eva -c email \
	--email eva@example.org
like "$T/err" "^sd-new: tickets/000/SD-1500\.ini: not in its shard \(belongs in tickets/001/\); run sd-fsck\$" \
	"names it"
unchanged "$before" "after the refusal"
rm "$tk/SD-1500.ini"
forge "SD-1500 gone" tickets/000/SD-1500.ini
expect 0 "sound again" sd-new -t incident -s "Next" -r Eva -c email --email eva@example.org
is "$(cat "$T/out")" "SD-9" "SD-9"
clean "store clean"
done_testing
