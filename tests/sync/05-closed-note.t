#!/bin/sh
# Scenario 5: a note, offline, on a ticket the hub closed meanwhile: kept
# as an event with superseded = <the hub's head>, and the hub's file is
# otherwise byte for byte what it was: its old text, then the event.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a)

expect 0 "the hub solves SD-1 at 10:30" at_hub hub \
	env SD_AGENT=carmen SD_NOW=2026-11-23T10:30:00-05:00 sd-solve -m "Cleaned" SD-1
expect 0 "and closes it at 10:40" at_hub hub \
	env SD_AGENT=carmen SD_NOW=2026-11-23T10:40:00-05:00 sd-close SD-1
hub_head=$(hub_git hub rev-parse HEAD)
tshow "$H" SD-1 >"$T/before"
expect 0 "site a notes SD-1 at 10:50, offline" at a \
	env SD_NOW=2026-11-23T10:50:00-05:00 sd-note -m "It jams again" SD-1
expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
is "$(cat "$T/out" | cut -f1,2)" "SD-1$(printf '\t')superseded" "the report: SD-1 superseded"

tshow "$H" SD-1 >"$T/after"
n=$(wc -c <"$T/before")
ok $(head -c "$n" "$T/after" | cmp -s - "$T/before"; echo $?) \
	"the hub's file begins with all it had, byte for byte"
tail -c +"$((n + 1))" "$T/after" >"$T/tail"
is "$(grep -c '^\[' "$T/tail")" 1 "what follows is one section"
like "$T/tail" '^\[event 4\]$' "event 4"
is "$(ini_get "$T/tail" "event 4" action)" note "a note"
is "$(ini_get "$T/tail" "event 4" at)" 2026-11-23T10:50:00-05:00 "at 10:50"
is "$(ini_get "$T/tail" "event 4" by)" ana "by ana"
is "$(ini_get "$T/tail" "event 4" text)" "It jams again" "her words"
is "$(ini_get "$T/tail" "event 4" superseded)" "$hub_head" "superseded by the hub's head"
is "$(tkey "$H" SD-1 status)" closed "still closed"
is "$(tblob "$A" SD-1)" "$(tblob "$H" SD-1)" "the site has the hub's file"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
done_testing
