#!/bin/sh
# Scenario 13: the hub lost.  Sites a (block 1001-2000) and b (2001-3000)
# have synced SD-1001 and SD-2001, then each registered one more offline
# (SD-1002, SD-2002) when the hub's disk was lost.  Site a is promoted
# (sd-sync --promote) and served in the hub's place; b is re-pointed at it
# (git config sd.hub) and syncs.  Syncing resumes and no number is
# issued twice: the new hub gives SD-3001 (above every block), b goes on
# in its block (SD-2003), a new site c is leased 4001-5000.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
B=$(site_gd b)
: >"$T/printed"
new_at() {   # new_at WHERE TITLE CMD-PREFIX...: sd-new, its number kept
	_title=$1
	shift
	expect 0 "sd-new ($_title)" "$@" sd-new -t incident -s "$_title" -r Rosa -c network/vpn \
		--email rosa@example.org
	cat "$T/out" >>"$T/printed"
}

new_at "a 1" at a
new_at "b 1" at b
expect 0 "a syncs" sd-sync -C "$T/a" --format tsv
expect 0 "b syncs" sd-sync -C "$T/b" --format tsv
new_at "a 2, offline" at a
new_at "b 2, offline" at b
is "$(tr '\n' ' ' <"$T/printed")" "SD-1001 SD-2001 SD-1002 SD-2002 " "the numbers so far"

rm -rf "$(hub_dir hub)"
expect 74 "the hub lost: a's sync fails" sd-sync -C "$T/a" --format tsv
expect 0 "site a is promoted" sd-sync -C "$T/a" --promote
ok $(! git --git-dir="$T/a/.git" config sd.site >/dev/null; echo $?) "it is no site any more"
ok $(! git --git-dir="$T/a/.git" config sd.hub >/dev/null; echo $?) "and has no hub"
# Served in the hub's place, as the test user, with the hook.
mv "$T/a" "$SYNC_SRV/newhub"
chown -R "$SYNC_UID:$SYNC_GID" "$SYNC_SRV/newhub"
install_hook "$SYNC_SRV/newhub"
chown "$SYNC_UID:$SYNC_GID" "$SYNC_SRV/newhub/.git/hooks/pre-receive"
hub_now newhub 2026-12-01T12:00:00-05:00
N=$(hub_gd newhub)
expect 0 "the new hub is a clean store" hub_fsck newhub

git --git-dir="$B" config sd.hub "$(url_ssh newhub)"
expect 0 "b, re-pointed at the new hub, syncs" sd-sync -C "$T/b" --format tsv
is "$(ids "$N" | tr '\n' ' ')" "SD-1 SD-1001 SD-1002 SD-2001 SD-2002 " "the new hub has every ticket"
is "$(tkey "$N" SD-2002 title)" "b 2, offline" "b's offline ticket kept its number"
new_at "at the new hub" at_hub newhub env SD_AGENT=carmen
is "$(tail -1 "$T/printed")" SD-3001 "the new hub numbers above every block: SD-3001"
new_at "b 3" at b
is "$(tail -1 "$T/printed")" SD-2003 "b goes on in its block: SD-2003"
expect 0 "b syncs" sd-sync -C "$T/b" --format tsv
enroll c "$(url_git newhub)"
hub_git newhub show HEAD:sites.ini >"$T/sites.ini"
is "$(ini_get "$T/sites.ini" "site c" blocks)" 4001-5000 "a new site c: 4001-5000"
ok $([ "$(ini_get "$T/sites.ini" "site c" number)" -gt 2 ]; echo $?) "and a site number of its own"
new_at "c 1" at c
is "$(tail -1 "$T/printed")" SD-4001 "c: SD-4001"
expect 0 "c syncs" sd-sync -C "$T/c" --format tsv
expect 0 "b syncs" sd-sync -C "$T/b" --format tsv
sort "$T/printed" | uniq -d >"$T/dups"
is "$(wc -l <"$T/dups" | tr -d ' ')" 0 "no number printed twice"
is "$(ids "$N" | tr '\n' ' ')" "SD-1 SD-1001 SD-1002 SD-2001 SD-2002 SD-2003 SD-3001 SD-4001 " \
	"the new hub has every ticket"
is "$(ids "$B" | tr '\n' ' ')" "SD-1 SD-1001 SD-1002 SD-2001 SD-2002 SD-2003 SD-3001 SD-4001 " \
	"so has b"
ok $(no_aliases "$N" "$B"; echo $?) "no alias anywhere"
expect 0 "sd-fsck at the new hub" hub_fsck newhub
expect 0 "sd-fsck at b" sd-fsck -C "$T/b"
done_testing
