#!/bin/sh
# Scenario 8: a holiday added at the hub while a site registers offline.
# The hub makes Tuesday 2026-11-24 a holiday at 10:05; site a registers
# SD-1001 on Monday 10:00 offline (under its calendar: due_resolution
# Thursday 10:00).  After the sync SD-1001's due dates come from the new
# calendar: due_resolution Friday 2026-11-27 10:00, due_response still
# Monday 11:00 - at the hub and the site; the hub's open SD-1 too.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a)

expect 0 "site a registers SD-1001 on Monday 10:00, offline" at a sd-new -t incident \
	-s "Monitor flickers" -r Pablo -c network/vpn --email pablo@example.org
is "$(cat "$T/out")" SD-1001 "SD-1001"
is "$(tkey "$A" SD-1001 due_resolution)" 2026-11-26T10:00:00-05:00 "due Thursday 10:00 at the site"

printf '#!/bin/sh\nsed -i "s/2026-11-16, /2026-11-16, 2026-11-24, /" "$1"\n' >"$T/holiday"
chmod 755 "$T/holiday"
expect 0 "the hub adds the holiday 2026-11-24 at 10:05" at_hub hub env SD_AGENT=carmen \
	SD_NOW=2026-11-23T10:05:00-05:00 EDITOR="$T/holiday" sd-edit sd.ini
hub_git hub show HEAD:sd.ini >"$T/sd.ini"
like "$T/sd.ini" "2026-11-24" "the hub's sd.ini has it"
is "$(tkey "$H" SD-1 due_resolution)" 2026-11-27T10:00:00-05:00 \
	"the hub's open SD-1 is due Friday 10:00 after the edit"

expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
is "$(cat "$T/out")" "" "nothing to report"
is "$(tkey "$H" SD-1001 due_resolution)" 2026-11-27T10:00:00-05:00 \
	"the hub: SD-1001 due Friday 10:00, from the new calendar"
is "$(tkey "$H" SD-1001 due_response)" 2026-11-23T11:00:00-05:00 "due_response Monday 11:00"
is "$(tkey "$A" SD-1001 due_resolution)" 2026-11-27T10:00:00-05:00 "the site too"
is "$(tblob "$A" SD-1001)" "$(tblob "$H" SD-1001)" "the same file"
is "$(sgit_at a show HEAD:sd.ini | grep -c 2026-11-24)" 1 "the site has the new calendar"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
done_testing
