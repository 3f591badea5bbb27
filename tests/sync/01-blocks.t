#!/bin/sh
# Scenario 1: two sites register three tickets each offline.  Each keeps
# the numbers it printed (its block: a 1001-2000, b 2001-3000, the hub
# having SD-1), all six reach the hub and both sites byte for byte, and no
# ticket anywhere has an alias.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a) B=$(site_gd b)

hub_git hub show HEAD:sites.ini >"$T/sites.ini"
is "$(ini_get "$T/sites.ini" "site a" number)" 1 "site a is number 1"
is "$(ini_get "$T/sites.ini" "site a" blocks)" 1001-2000 "its block is 1001-2000"
is "$(ini_get "$T/sites.ini" "site b" number)" 2 "site b is number 2"
is "$(ini_get "$T/sites.ini" "site b" blocks)" 2001-3000 "its block is 2001-3000"
is "$(sgit_at a config sd.site)" a "site a knows its name"
is "$(sgit_at b config sd.hub)" "$(url_ssh hub)" "site b its hub's ssh:// URL"

: >"$T/printed"
for i in 1 2 3; do
	for s in a b; do
		SD_NOW=2026-11-23T1$i:0$i:00-05:00 run at $s sd-new -t incident -s "Site $s ticket $i" \
			-r "Requester $s$i" -c network/vpn --email "r$s$i@example.org"
		cat "$T/out" >>"$T/printed"
		[ "$rc" = 0 ] || echo "# sd-new at $s: $(cat "$T/err")" >&2
	done
done
is "$(tr '\n' ' ' <"$T/printed")" "SD-1001 SD-2001 SD-1002 SD-2002 SD-1003 SD-2003 " \
	"offline, each site prints numbers of its block"

expect 0 "site a syncs (git://)" sd-sync -C "$T/a" --format tsv
is "$(cat "$T/out")" "" "nothing to report"
expect 0 "site b syncs (ssh://)" sd-sync -C "$T/b" --format tsv
is "$(cat "$T/out")" "" "nothing to report"
expect 0 "site a syncs again" sd-sync -C "$T/a" --format tsv
is "$(cat "$T/out")" "" "nothing to report"

want="SD-1 SD-1001 SD-1002 SD-1003 SD-2001 SD-2002 SD-2003"
is "$(ids "$H" | tr '\n' ' ')" "$want " "the hub holds all seven, none renumbered"
is "$(ids "$A" | tr '\n' ' ')" "$want " "site a holds the same"
is "$(ids "$B" | tr '\n' ' ')" "$want " "site b holds the same"
for id in $want; do
	hb=$(tblob "$H" "$id")
	ok $([ "$hb" != none ] && [ "$(tblob "$A" "$id")" = "$hb" ] && [ "$(tblob "$B" "$id")" = "$hb" ]; echo $?) \
		"$id: the same blob at the hub and both sites"
done
is "$(tkey "$H" SD-2002 title)" "Site b ticket 2" "SD-2002 is site b's second ticket"
is "$(git --git-dir="$A" rev-parse HEAD)" "$(hub_git hub rev-parse HEAD)" "site a is at the hub's head"
is "$(git --git-dir="$B" rev-parse HEAD)" "$(hub_git hub rev-parse HEAD)" "site b is at the hub's head"
ok $(no_aliases "$H" "$A" "$B"; echo $?) "no alias anywhere"
ok $(no_merges "$H"; echo $?) "the hub's history is linear"
hub_git hub log --format=%B -1 --grep='^Ticket: SD-1001$' main >"$T/msg"
like "$T/msg" '^Site: a$' "SD-1001's commit says Site: a"
hub_git hub log --format=%B -1 --grep='^Ticket: SD-2003$' main >"$T/msg"
like "$T/msg" '^Site: b$' "SD-2003's commit says Site: b"
hub_git hub log --format=%B -1 --grep='^Ticket: SD-1$' main >"$T/msg"
ok $(! grep -q '^Site:' "$T/msg"; echo $?) "the hub's own commit has no Site:"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
expect 0 "sd-fsck at site b" sd-fsck -C "$T/b"
SD_STORE=$T/a clean "site a's files equal its HEAD"
SD_STORE=$T/b clean "site b's files equal its HEAD"
done_testing
