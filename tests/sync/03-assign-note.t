#!/bin/sh
# Scenario 3: an assign at the hub and a note at a site, of the same
# ticket, meanwhile: both kept, in the order they reached the hub (the
# hub's first, the site's appended, each with its own `at`), the same
# file everywhere, sd-fsck clean everywhere.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a) B=$(site_gd b)

expect 0 "the hub assigns SD-1 to luis at 10:30" at_hub hub \
	env SD_AGENT=carmen SD_NOW=2026-11-23T10:30:00-05:00 sd-assign SD-1 luis
hub_head=$(hub_git hub rev-parse HEAD)
expect 0 "site a notes SD-1 at 10:45, offline" at a \
	env SD_NOW=2026-11-23T10:45:00-05:00 sd-note -m "Paper tray is bent" SD-1
expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
is "$(cat "$T/out")" "" "nothing to report"

is "$(events "$H" SD-1 | tr '\n' '|')" "1 new|2 assign|3 note|" "the hub: new, assign, note"
tshow "$H" SD-1 >"$T/hub.ini"
like "$T/hub.ini" "^text = Paper tray is bent$" "the note's text is there"
is "$(ini_get "$T/hub.ini" "event 2" at)" 2026-11-23T10:30:00-05:00 "the assign keeps its at"
is "$(ini_get "$T/hub.ini" "event 3" at)" 2026-11-23T10:45:00-05:00 "the note keeps its at"
is "$(ini_get "$T/hub.ini" "event 3" by)" ana "and its agent"
is "$(ini_get "$T/hub.ini" ticket assignee)" luis "assigned to luis"
is "$(ini_get "$T/hub.ini" ticket status)" assigned "status assigned"
is "$(ini_get "$T/hub.ini" ticket updated)" 2026-11-23T10:45:00-05:00 "updated by the note"
is "$(hub_git hub rev-parse HEAD~1)" "$hub_head" "the note's commit is on top of the hub's assign"
hub_git hub log -1 --format=%B >"$T/msg"
like "$T/msg" '^Site: a$' "it says Site: a"
like "$T/msg" '^Replayed-From: [0-9a-f]{40}$' "and Replayed-From"
is "$(hub_git hub log -1 --format='%an|%ad' --date=iso-strict)" "Ana Gómez|2026-11-23T10:45:00-05:00" \
	"with the site's author and author date"

expect 0 "site b syncs" sd-sync -C "$T/b" --format tsv
is "$(tblob "$A" SD-1)" "$(tblob "$H" SD-1)" "site a has the hub's file"
is "$(tblob "$B" SD-1)" "$(tblob "$H" SD-1)" "site b too"
ok $(no_merges "$H"; echo $?) "the hub's history is linear"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
expect 0 "sd-fsck at site b" sd-fsck -C "$T/b"
SD_STORE=$T/a clean "site a's files equal its HEAD"
done_testing
