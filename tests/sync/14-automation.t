#!/bin/sh
# Scenario 14: automation runs once.  With [sync] automation = hub (the
# default), SD-1 solved at the hub on Monday 10:30: on Wednesday 10:31,
# past accept_window (48h), sd-close --auto at a site says automation
# runs at the hub and does nothing; at the hub it closes SD-1 once and one
# mail goes out; again, nothing more.  A desk with automation =
# everywhere lets the site close.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
hub_mail hub
H=$(hub_gd hub) A=$(site_gd a)
WED=2026-11-25T10:31:00-05:00

expect 0 "the hub solves SD-1 on Monday 10:30" at_hub hub \
	env SD_AGENT=carmen SD_NOW=2026-11-23T10:30:00-05:00 sd-solve -m "Cleaned" SD-1
expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
is "$(tkey "$A" SD-1 status)" solved "site a has SD-1 solved"
rm -f "$T/sent.hub"/*
head=$(git --git-dir="$A" rev-parse HEAD)
expect 0 "sd-close --auto at site a: exit 0" at a env SD_NOW=$WED sd-close --auto
like "$T/err" "automation runs at the hub" "it says automation runs at the hub"
is "$(git --git-dir="$A" rev-parse HEAD)" "$head" "and commits nothing"
is "$(tkey "$A" SD-1 status)" solved "SD-1 still solved at a"
expect 0 "sd-close --auto at site b: exit 0" at b env SD_NOW=$WED sd-close --auto
like "$T/err" "automation runs at the hub" "the same at b"
expect 0 "sd-sync at a: nothing to push" sd-sync -C "$T/a" --format tsv
is "$(tkey "$H" SD-1 status)" solved "the hub's SD-1 still solved"

hub_head=$(hub_git hub rev-parse HEAD)
expect 0 "sd-close --auto at the hub" at_hub hub env SD_AGENT=carmen SD_NOW=$WED sd-close --auto
is "$(tkey "$H" SD-1 status)" closed "closes SD-1"
is "$(hub_git hub rev-list --count "$hub_head..HEAD")" 1 "in one commit"
is "$(sent)" 1 "one mail goes out"
grep -l '^Subject: .*SD-1' "$T/sent.hub"/* >/dev/null 2>&1
ok $? "about SD-1"
expect 0 "sd-close --auto at the hub again" at_hub hub env SD_AGENT=carmen SD_NOW=$WED sd-close --auto
is "$(hub_git hub rev-list --count "$hub_head..HEAD")" 1 "no second commit"
is "$(sent)" 1 "no second mail"
expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
is "$(tkey "$A" SD-1 status)" closed "site a has SD-1 closed"
is "$(events "$H" SD-1 | grep -c close)" 1 "closed once"

# automation = everywhere: the site acts.
make_desk hub2 c d automation=everywhere
expect 0 "hub2 solves SD-1" at_hub hub2 \
	env SD_AGENT=carmen SD_NOW=2026-11-23T10:30:00-05:00 sd-solve -m "Cleaned" SD-1
expect 0 "site c syncs" sd-sync -C "$T/c" --format tsv
expect 0 "automation = everywhere: sd-close --auto at site c" at c env SD_NOW=$WED sd-close --auto
is "$(tkey "$(site_gd c)" SD-1 status)" closed "closes SD-1 there"
expect 0 "and the sync takes the close to the hub" sd-sync -C "$T/c" --format tsv
is "$(tkey "$(hub_gd hub2)" SD-1 status)" closed "the hub has it closed"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at hub2" hub_fsck hub2
done_testing
