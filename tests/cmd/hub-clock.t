#!/bin/sh
# The hub's clock (sd(7), [sync] max_skew): with sd.ini's [sync], the
# pre-receive hook of share/hooks (sd-fsck --push, its clock sd_cli_now's:
# $SD_NOW, which a local push passes down to the hook) refuses a commit
# adding an event dated later than the clock plus max_skew; sd-fsck
# --commits the same.  Without [sync], any date passes as before.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
export SD_NOW=2026-11-23T10:00:00-05:00
new_ticket
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"
git clone -q "$central" "$T/work"
quiet sd-fsck -C "$T/work" --repair
export SD_STORE=$T/work
hub() { git --git-dir="$central" rev-parse main; }

# try_push NOW DESCRIPTION: push the work store's main with the hook's
# clock at NOW; rc and stderr in $T.
try_push() {
	SD_NOW=$1 sgit push -q origin main >"$T/out" 2>"$T/err"
	rc=$?
}
accepted() {
	try_push "$1"
	got_rc 0 "$2: accepted"
	is "$(hub)" "$(sgit rev-parse main)" "$2: the hub has it"
}
refused_push() {
	_before=$(hub)
	try_push "$1"
	ok $([ $rc != 0 ]; echo $?) "$2: refused"
	is "$(hub)" "$_before" "$2: the hub unchanged"
}

# Without [sync]: a note dated a year ahead of the hub's clock passes.
quiet env SD_NOW=2027-11-23T10:00:00-05:00 sd-note -m "From the future" 1
accepted 2026-11-23T10:00:00-05:00 "no [sync], an event a year ahead"
expect 0 "no [sync]: sd-fsck --commits passes it too" sd-fsck --commits HEAD~1..HEAD

# With [sync] (max_skew 5m by default).
edit_config sd.ini '$a \\n[sync]\nautomation = hub'
accepted 2026-11-23T10:00:00-05:00 "[sync] given"

# SD-2 at 10:10 by the site's clock: the hub's clock at 10:04:59 is more
# than 5 minutes behind; at 10:05:00 exactly 5.
SD_NOW=2026-11-23T10:10:00-05:00 new_ticket
refused_push 2026-11-23T10:04:59-05:00 "a new ticket 5m01s ahead"
like "$T/err" "tickets/000/SD-2.ini: commit [0-9a-f]{12}: SD-2: event 1 is dated 2026-11-23T10:10:00-05:00, later than this clock \(2026-11-23T10:04:59-05:00\) and \[sync\] max_skew \(300s\) allow" \
	"names the file, ticket, event, its time and the clock"
is "$(grep -c 'event .* is dated' "$T/err")" 1 "one line"
expect 65 "sd-fsck --commits with that clock: refused, 65" \
	env SD_NOW=2026-11-23T10:04:59-05:00 sd-fsck --commits HEAD~1..HEAD
like "$T/out" "SD-2: event 1 is dated 2026-11-23T10:10:00-05:00" "sd-fsck --commits: the same line"
expect 0 "sd-fsck --commits, 5m ahead: passes" \
	env SD_NOW=2026-11-23T10:05:00-05:00 sd-fsck --commits HEAD~1..HEAD
accepted 2026-11-23T10:05:00-05:00 "exactly max_skew ahead"

# A later event on a ticket: only the events the commit adds count.
quiet env SD_NOW=2026-11-23T10:20:00-05:00 sd-note -m "Called" 2
refused_push 2026-11-23T10:10:00-05:00 "a note 10m ahead"
like "$T/err" "SD-2: event 2 is dated 2026-11-23T10:20:00-05:00" "names event 2"
ok $(! grep -q "event 1 " "$T/err"; echo $?) "not the event the hub has"
accepted 2026-11-23T10:20:00-05:00 "the hub's clock caught up"

# max_skew = 1h.
edit_config sd.ini 's/^automation = hub/automation = hub\nmax_skew = 1h/'
grep -q '^max_skew = 1h$' "$SD_STORE/sd.ini" || bail "no max_skew = 1h"
accepted 2026-11-23T10:20:00-05:00 "max_skew set"
quiet env SD_NOW=2026-11-23T11:30:00-05:00 sd-note -m "Again" 2
accepted 2026-11-23T10:30:00-05:00 "an hour ahead, max_skew 1h"
quiet env SD_NOW=2026-11-23T11:40:00-05:00 sd-note -m "Again" 2
refused_push 2026-11-23T10:30:00-05:00 "an hour and ten minutes ahead"
like "$T/err" "max_skew \(3600s\)" "says max_skew"

# The hook's clock must be a time.
refused_push garbage "SD_NOW not a time"
like "$T/err" "SD_NOW: 'garbage' is not an RFC 3339 time" "says so"
expect 64 "sd-fsck --commits: SD_NOW not a time is 64" env SD_NOW=garbage sd-fsck --commits HEAD
done_testing
