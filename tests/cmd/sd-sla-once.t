#!/bin/sh
# sd-sla --new-only: each clock told once at risk and once breached, what
# recovered forgotten, the state in .git/sd-sla-told outside git.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
told=$SD_STORE/.git/sd-sla-told
tab=$(printf '\t')

# As in sd-sla.t: SD-1, an incident of priority 3 registered Monday
# 2026-11-23 10:00 (calendar Mon-Fri 07:30-17:00, America/Bogota):
# response 1bh due 11:00, at risk (85 %) from 10:51, breached at 11:00.
sd-new -t incident -s "Printer jams" -r Pedro -c hardware/printer --email p@example.org >/dev/null

mkdir -p "$SD_STORE/hooks"
cat >"$SD_STORE/hooks/sla" <<HOOK
#!/bin/sh
cat >>"$T/hook"
HOOK
chmod +x "$SD_STORE/hooks/sla"

SD_NOW=2026-11-23T10:30:00-05:00 expect 0 "50 %: nothing, exit 0" sd-sla --new-only
is "$(cat "$T/out")" "" "no output"
is "$(cat "$told")" "" "the state file is there, empty"
ok $([ ! -e "$T/hook" ]; echo $?) "no hook run"

SD_NOW=2026-11-23T10:51:00-05:00 expect 1 "85 %: at risk, exit 1" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out" | cut -f1-5)" "SD-1${tab}response${tab}at-risk${tab}2026-11-23T11:00:00-05:00${tab}85" \
	"the at-risk row is told"
is "$(cat "$told")" "SD-1${tab}response${tab}at-risk" "the state file holds it"
is "$(sed 1d "$T/hook" | cut -f1-3)" "SD-1${tab}response${tab}at-risk" "the hook hears it"
rm -f "$T/hook"

SD_NOW=2026-11-23T10:55:00-05:00 expect 1 "still at risk: exit 1 all the same" sd-sla --new-only
is "$(cat "$T/out")" "" "but nothing told again: the table is empty, cron mails nothing"
ok $([ ! -e "$T/hook" ]; echo $?) "nor does the hook run"
SD_NOW=2026-11-23T10:55:00-05:00 expect 1 "tsv: exit 1" sd-sla --new-only --format tsv
is "$(cat "$T/out")" "id${tab}clock${tab}state${tab}due${tab}elapsed_pct${tab}group${tab}assignee${tab}title" \
	"tsv: the header alone"

SD_NOW=2026-11-23T11:12:00-05:00 expect 2 "120 %: breached, exit 2" sd-sla --new-only
like "$T/out" "^SD-1 +response +breached" "the breach is told, though the risk was"
is "$(cat "$told")" "SD-1${tab}response${tab}breached" "the state file holds the breach"
is "$(sed 1d "$T/hook" | cut -f1-3)" "SD-1${tab}response${tab}breached" "the hook hears the breach"
rm -f "$T/hook"
SD_NOW=2026-11-23T11:20:00-05:00 expect 2 "still breached: exit 2" sd-sla --new-only
is "$(cat "$T/out")" "" "not told again"
ok $([ ! -e "$T/hook" ]; echo $?) "no hook run"

# Without --new-only all is as before: every row, and the state untouched.
cp "$told" "$T/told.before"
SD_NOW=2026-11-23T11:20:00-05:00 expect 2 "without --new-only: exit 2" sd-sla --format tsv
is "$(sed 1d "$T/out" | cut -f1-3)" "SD-1${tab}response${tab}breached" "the row printed again"
ok $(cmp -s "$told" "$T/told.before"; echo $?) "the state file untouched"
is "$(sed 1d "$T/hook" | cut -f1-3)" "SD-1${tab}response${tab}breached" "the hook as before"
rm -f "$T/hook"

# A second ticket at 11:00: response due 12:00, at risk from 11:51.
SD_NOW=2026-11-23T11:00:00-05:00 sd-new -t incident -s "No mail" -r Rosa -c hardware/printer \
	--email r@example.org >/dev/null
SD_NOW=2026-11-23T11:52:00-05:00 expect 2 "two tickets: exit 2, the worst" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out" | cut -f1-3)" "SD-2${tab}response${tab}at-risk" "only SD-2's risk is told"
is "$(sed 1d "$T/hook" | cut -f1-3)" "SD-2${tab}response${tab}at-risk" "the hook gets only the new line"
is "$(wc -l <"$T/hook")" 2 "header and one line"
rm -f "$T/hook"
is "$(sort "$told" | tr '\t\n' ' |')" "SD-1 response breached|SD-2 response at-risk|" "both in the state"

# SD-1 answered at 12:00: its response clock ended, its entry forgotten.
SD_NOW=2026-11-23T12:00:00-05:00 sd-assign 1 --me >/dev/null
SD_NOW=2026-11-23T12:05:00-05:00 expect 2 "SD-2 breached" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out" | cut -f1-3)" "SD-2${tab}response${tab}breached" "SD-2's breach told"
is "$(cat "$told")" "SD-2${tab}response${tab}breached" "SD-1's ended clock forgotten"
rm -f "$T/hook"
SD_NOW=2026-11-23T12:10:00-05:00 sd-assign 2 --me >/dev/null

# Resolution, 3bd = 28.5 business hours: SD-1's due Thursday 10:00,
# SD-2's 11:00.  Thursday 10:30: SD-1 at 7 + 9.5 + 9.5 + 3 = 29 h, breached;
# SD-2 at 6 + 9.5 + 9.5 + 3 = 28 h, 98 %, at risk.
SD_NOW=2026-11-26T10:30:00-05:00 expect 2 "resolution breached" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out" | cut -f1-3 | tr '\t\n' ' |')" "SD-1 resolution breached|SD-2 resolution at-risk|" \
	"SD-1's resolution breach and SD-2's risk told"
SD_NOW=2026-11-26T10:31:00-05:00 expect 2 "again" sd-sla --new-only
is "$(cat "$T/out")" "" "nothing told twice"
SD_NOW=2026-11-26T10:35:00-05:00 sd-solve 1 -m "Rollers cleaned" >/dev/null
SD_NOW=2026-11-26T10:40:00-05:00 expect 1 "SD-1 solved: SD-2 at risk left, exit 1" sd-sla --new-only
is "$(cat "$T/out")" "" "nothing new"
is "$(cat "$told")" "SD-2${tab}resolution${tab}at-risk" "SD-1 forgotten once solved"
SD_NOW=2026-11-26T10:45:00-05:00 sd-reopen 1 -m "Still jams" >/dev/null
rm -f "$T/hook"
SD_NOW=2026-11-26T10:50:00-05:00 expect 2 "reopened: breached again" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out" | cut -f1-3)" "SD-1${tab}resolution${tab}breached" "the breach after reopening is told again"
is "$(sed 1d "$T/hook" | cut -f1-3)" "SD-1${tab}resolution${tab}breached" "and handed to the hook"
rm -f "$T/hook"

# Outside git: git does not see it, sd-fsck is clean with it.
ok $(sgit ls-tree -r --name-only HEAD | grep -q sd-sla-told; [ $? = 1 ]; echo $?) "not in HEAD's tree"
GIT_INDEX_FILE=$T/index sgit --work-tree="$SD_STORE" read-tree HEAD
is "$(GIT_INDEX_FILE=$T/index sgit --work-tree="$SD_STORE" status --porcelain --untracked-files=all |
	grep -v '^?? hooks/')" "" "git status sees nothing to add"
expect 0 "sd-fsck is clean with it" sd-fsck
clean "store clean"

# A bad state file: one line naming file and line, exit 65, nothing told
# nor changed.
printf 'SD-1\tresolution\tbreached\nSD-2\tresolution\tbroken\n' >"$told"
cp "$told" "$T/told.bad"
SD_NOW=2026-11-26T10:52:00-05:00 expect 3 "a bad state: exit 3 (UNKNOWN)" sd-sla --new-only
one_line_error "$T/err" "one line"
like "$T/err" "sd-sla-told:2: state 'broken' is not at-risk or breached" "it names file, line and state"
is "$(wc -l <"$T/out")" 1 "one line on stdout"
like "$T/out" "^SD-SLA UNKNOWN - .*sd-sla-told:2: state 'broken' is not at-risk or breached\$" \
	"the plugin's UNKNOWN, with the message"
ok $(cmp -s "$told" "$T/told.bad"; echo $?) "the state file left as it was"
ok $([ ! -e "$T/hook" ]; echo $?) "no hook run"
printf 'SD-1\tlunch\tbreached\n' >"$told"
SD_NOW=2026-11-26T10:52:00-05:00 expect 3 "a bad clock: exit 3 (UNKNOWN)" sd-sla --new-only
like "$T/err" "sd-sla-told:1: clock 'lunch' is not response, resolution or unmanaged" "names the clock"
printf 'SD-1\tresolution\tbreached\nSD-1 resolution breached\n' >"$told"
SD_NOW=2026-11-26T10:52:00-05:00 expect 3 "not tab-separated: exit 3 (UNKNOWN)" sd-sla --new-only
like "$T/err" "sd-sla-told:2: not a line of ID, clock and state, by tabs" "names the line"
printf 'SD-1\tresolution\tbreached\nSD-1\tresolution\tat-risk\n' >"$told"
SD_NOW=2026-11-26T10:52:00-05:00 expect 3 "a clock twice: exit 3 (UNKNOWN)" sd-sla --new-only
like "$T/err" "sd-sla-told:2: SD-1 resolution is there twice" "names the second line"
printf 'SD-1\tresolution\tbreached' >"$told"
SD_NOW=2026-11-26T10:52:00-05:00 expect 3 "cut short: exit 3 (UNKNOWN)" sd-sla --new-only
like "$T/err" "sd-sla-told:1: the last line has no newline" "says so"
SD_NOW=2026-11-26T10:52:00-05:00 expect 2 "without --new-only the state is not read" sd-sla
rm -f "$told" "$T/hook"
ln -s "$T/told.bad" "$told"
SD_NOW=2026-11-26T10:52:00-05:00 expect 3 "a symbolic link in its place: exit 3 (UNKNOWN)" sd-sla --new-only
one_line_error "$T/err" "one line"
rm -f "$told"
SD_NOW=2026-11-26T10:52:00-05:00 expect 2 "removed: every finding told afresh" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out" | cut -f1-3 | tr '\t\n' ' |')" "SD-1 resolution breached|SD-2 resolution at-risk|" \
	"both told again"
rm -f "$T/hook"

# A ticket file that does not parse keeps what was told of it.
cp "$SD_STORE/tickets/000/SD-2.ini" "$T/SD-2.ini"
printf 'garbage\n' >"$SD_STORE/tickets/000/SD-2.ini"
SD_NOW=2026-11-26T10:53:00-05:00 run sd-sla --new-only --format tsv
is "$(sed 1d "$T/out")" "" "nothing new told"
like "$told" "^SD-2${tab}resolution${tab}at-risk" "SD-2 still told"
cp "$T/SD-2.ini" "$SD_STORE/tickets/000/SD-2.ini"
SD_NOW=2026-11-26T10:54:00-05:00 expect 2 "the file back" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out")" "" "SD-2's risk not told again"

# Runs at once tell each clock once: 400 tickets at risk (SD-3 and its
# copies, planted with git plumbing), eight runs started together.
rm -f "$told" "$T/hook"
SD_NOW=2026-11-27T08:00:00-05:00 sd-new -t incident -s "Burst" -r Rosa -c hardware/printer \
	--email r@example.org >/dev/null
i=4
while [ $i -le 402 ]; do
	sed "s/^id = SD-3\$/id = SD-$i/" "$SD_STORE/tickets/000/SD-3.ini" >"$SD_STORE/tickets/000/SD-$i.ini"
	echo "tickets/000/SD-$i.ini"
	i=$((i + 1))
done >"$T/paths"
rm -f "$T/forge-index"
GIT_INDEX_FILE=$T/forge-index sgit read-tree HEAD
(cd "$SD_STORE" && sgit hash-object -w --stdin-paths <"$T/paths") | paste - "$T/paths" |
	sed 's/^/100644 /' | GIT_INDEX_FILE=$T/forge-index sgit update-index --index-info
tree=$(GIT_INDEX_FILE=$T/forge-index sgit write-tree)
commit=$(GIT_AUTHOR_NAME=forge GIT_AUTHOR_EMAIL=forge@example.org GIT_COMMITTER_NAME=forge \
	GIT_COMMITTER_EMAIL=forge@example.org sgit commit-tree "$tree" -p HEAD -m "400 tickets")
sgit update-ref HEAD "$commit"
echo "$commit" >"$SD_STORE/.git/sd-head"
SD_NOW=2026-11-27T08:52:00-05:00 expect 2 "400 at risk, 2 breached: exit 2" sd-sla --format tsv
is "$(sed 1d "$T/out" | wc -l)" 402 "402 findings, SD-1 and SD-2 with them"
rm -f "$T/hook"
i=0
while [ $i -lt 8 ]; do
	SD_NOW=2026-11-27T08:52:00-05:00 sd-sla --new-only --format tsv >"$T/par.$i" 2>"$T/parerr.$i" &
	i=$((i + 1))
done
wait
is "$(cat "$T"/par.* | grep -v '^id' | cut -f1-3 | sort | uniq -d | head -3)" "" "no clock told twice"
is "$(cat "$T"/par.* | grep -v '^id' | wc -l)" 402 "every clock told once"
is "$(cat "$T"/parerr.*)" "" "no errors"
is "$(grep -v '^id' "$T/hook" | wc -l)" 402 "the hooks heard each once"
is "$(wc -l <"$told")" 402 "all in the state"

# The store busy: exit 75, nothing told.
if command -v flock >/dev/null; then
	rm -f "$told"
	flock "$SD_STORE/.git/sd.lock" sleep 3 &
	sleep 0.5
	SD_LOCK_TIMEOUT=0.5 SD_NOW=2026-11-27T08:55:00-05:00 expect 3 "store busy: exit 3 (UNKNOWN)" sd-sla --new-only
	ok $([ ! -e "$told" ]; echo $?) "no state written"
	wait
else
	ok 0 "# SKIP no flock(1)"
	ok 0 "# SKIP no flock(1)"
fi

expect 0 "-h" sd-sla -h
like "$T/out" "--new-only" "the usage names --new-only"
expect 3 "--new-only takes no argument" sd-sla --new-only=yes
done_testing
