#!/bin/sh
# Scenario 4: the hub solves a ticket that a site, offline, assigned and
# suspended.  The ticket stays solved; both of the site's moves are kept
# as events with superseded = <the hub's head>, changing nothing: the
# [ticket] section - due dates, responded, updated - is byte for byte
# what the hub had with its own events only.  The report has one line.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a) B=$(site_gd b)

expect 0 "site a assigns SD-1 to ana at 10:20, offline" at a \
	env SD_NOW=2026-11-23T10:20:00-05:00 sd-assign SD-1 --me
expect 0 "and suspends it at 10:40" at a \
	env SD_NOW=2026-11-23T10:40:00-05:00 sd-suspend -m "Waiting for the toner" SD-1
expect 0 "the hub solves SD-1 at 10:30" at_hub hub \
	env SD_AGENT=carmen SD_NOW=2026-11-23T10:30:00-05:00 sd-solve -m "Replaced the roller" SD-1
hub_head=$(hub_git hub rev-parse HEAD)
ticket_section "$H" SD-1 >"$T/hub-only"
like "$T/hub-only" "^status = solved$" "(the hub's own: solved)"
like "$T/hub-only" "^due_resolution = " "(with its due dates)"

expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "one report line"
like "$T/out" "^SD-1$(printf '\t')superseded$(printf '\t')" "SD-1, superseded"

ticket_section "$H" SD-1 >"$T/after"
ok $(cmp -s "$T/hub-only" "$T/after"; echo $?) \
	"[ticket] byte for byte as the hub alone had it (status, due dates, updated)"
diff "$T/hub-only" "$T/after" | sed 's/^/# /' >&2
is "$(events "$H" SD-1 | tr '\n' '|')" "1 new|2 solve|3 assign superseded|4 suspend superseded|" \
	"events: the hub's, then both of the site's, superseded"
tshow "$H" SD-1 >"$T/hub.ini"
is "$(ini_get "$T/hub.ini" "event 3" superseded)" "$hub_head" "the assign superseded by the hub's head"
is "$(ini_get "$T/hub.ini" "event 4" superseded)" "$hub_head" "the suspend too"
is "$(ini_get "$T/hub.ini" "event 3" at)" 2026-11-23T10:20:00-05:00 "the assign keeps its at"
is "$(ini_get "$T/hub.ini" "event 4" at)" 2026-11-23T10:40:00-05:00 "the suspend keeps its at"
like "$T/hub.ini" "^text = Waiting for the toner$" "no word of the site's is lost"
is "$(ini_get "$T/hub.ini" ticket assignee)" carmen "the assignee is who solved it at the hub, not ana"
is "$(tblob "$A" SD-1)" "$(tblob "$H" SD-1)" "site a has the hub's file"

expect 0 "site b syncs" sd-sync -C "$T/b" --format tsv
is "$(cat "$T/out")" "" "nothing to report at b"
is "$(tblob "$B" SD-1)" "$(tblob "$H" SD-1)" "site b has it too"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
expect 0 "sd-fsck at site b" sd-fsck -C "$T/b"
expect 0 "site a may act on it again" at a env SD_NOW=2026-11-23T11:00:00-05:00 \
	sd-note -m "Roller confirmed" SD-1
expect 0 "and sync that" sd-sync -C "$T/a" --format tsv
is "$(cat "$T/out")" "" "nothing to report"
done_testing
