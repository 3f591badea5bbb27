#!/bin/sh
# Scenario 7: an offline suspend of one business hour moves
# due_resolution by exactly that hour.  SD-1 (Monday 10:00, priority 3:
# due_resolution Thursday 2026-11-26 10:00) is assigned at site a and
# synced; offline, a suspends it at 11:00 and resumes it at 12:00, while
# the hub notes it at 11:30.  After the sync the events run in order of
# their `at` for the clock: due_resolution Thursday 11:00, at the hub and
# at the site.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a)

is "$(tkey "$H" SD-1 due_resolution)" 2026-11-26T10:00:00-05:00 "SD-1 is due Thursday 10:00"
expect 0 "site a takes SD-1 at 10:10" at a env SD_NOW=2026-11-23T10:10:00-05:00 sd-assign SD-1 --me
expect 0 "and syncs" sd-sync -C "$T/a" --format tsv
is "$(tkey "$H" SD-1 due_resolution)" 2026-11-26T10:00:00-05:00 "still due Thursday 10:00"
expect 0 "offline, a suspends it at 11:00" at a \
	env SD_NOW=2026-11-23T11:00:00-05:00 sd-suspend -m "Requester away" SD-1
expect 0 "and resumes it at 12:00" at a env SD_NOW=2026-11-23T12:00:00-05:00 sd-resume SD-1
is "$(tkey "$A" SD-1 due_resolution)" 2026-11-26T11:00:00-05:00 "at the site: due Thursday 11:00"
expect 0 "the hub notes SD-1 at 11:30" at_hub hub \
	env SD_AGENT=carmen SD_NOW=2026-11-23T11:30:00-05:00 sd-note -m "Asked facilities" SD-1
is "$(tkey "$H" SD-1 due_resolution)" 2026-11-26T10:00:00-05:00 "(the hub's alone: Thursday 10:00)"

expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
is "$(cat "$T/out")" "" "nothing to report"
is "$(events "$H" SD-1 | tr '\n' '|')" "1 new|2 assign|3 note|4 suspend|5 resume|" \
	"the hub's note, then the site's suspend and resume"
is "$(tkey "$H" SD-1 due_resolution)" 2026-11-26T11:00:00-05:00 \
	"the hub: due_resolution moved by exactly one business hour"
is "$(tkey "$H" SD-1 due_response)" 2026-11-23T11:00:00-05:00 "due_response unchanged"
is "$(tkey "$H" SD-1 status)" assigned "assigned again"
is "$(tblob "$A" SD-1)" "$(tblob "$H" SD-1)" "the site has the hub's file"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
done_testing
