#!/bin/sh
# Scenario 2: a site exhausts its block offline.  With [sync] lease = 10
# and low = 3, the hub having SD-1, site a holds 11-20 and site b 21-30.
# Site a registers twelve tickets offline: SD-11 to SD-20, then its
# overflow range (site number 1: 1000000001 on) - SD-1000000001 and
# SD-1000000002.  The sync renumbers nothing and takes a new block,
# 31-40 (the first above every number below 10^9 seen: b's block).
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites lease=10 low=3
H=$(hub_gd hub) A=$(site_gd a) B=$(site_gd b)

hub_git hub show HEAD:sites.ini >"$T/sites.ini"
is "$(ini_get "$T/sites.ini" "site a" blocks)" 11-20 "site a's block is 11-20"
is "$(ini_get "$T/sites.ini" "site b" blocks)" 21-30 "site b's block is 21-30"

: >"$T/printed"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	run at a sd-new -t incident -s "Offline $i" -r "R$i" -c network/vpn --email "r$i@example.org"
	[ "$rc" = 0 ] || echo "# sd-new $i: exit $rc: $(cat "$T/err")" >&2
	cat "$T/out" >>"$T/printed"
done
is "$(tr '\n' ' ' <"$T/printed")" \
	"SD-11 SD-12 SD-13 SD-14 SD-15 SD-16 SD-17 SD-18 SD-19 SD-20 SD-1000000001 SD-1000000002 " \
	"offline: the block, then the overflow range"
expect 0 "sd-sync --status offline still works" sd-sync -C "$T/a" --status
like "$T/out" "a" "it names the site"

expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
like "$T/out" "$(printf '\tlease\t')" "the report lists the lease taken"
like "$T/out" "31-40" "naming the new block, 31-40"
is "$(grep -vc "$(printf '\tlease\t')" "$T/out")" 0 "and nothing else"
hub_git hub show HEAD:sites.ini >"$T/sites.ini"
is "$(ini_get "$T/sites.ini" "site a" blocks)" "11-20, 31-40" "the hub's sites.ini gives a 31-40 too"
is "$(ini_get "$T/sites.ini" "site b" blocks)" 21-30 "and b still 21-30"
hub_git hub log -1 --format=%s main >"$T/subject"
like "$T/subject" "^lease 31-40 to a$" "the lease is the hub's last commit"

want="SD-1 SD-11 SD-12 SD-13 SD-14 SD-15 SD-16 SD-17 SD-18 SD-19 SD-20 SD-1000000001 SD-1000000002"
is "$(ids "$H" | tr '\n' ' ')" "$want " "the hub holds all, none renumbered"
is "$(ids "$A" | tr '\n' ' ')" "$want " "site a the same"
is "$(tkey "$H" SD-1000000002 title)" "Offline 12" "SD-1000000002 is the twelfth"
ok $([ "$(tblob "$H" SD-1000000001)" = "$(tblob "$A" SD-1000000001)" ]; echo $?) \
	"an overflow ticket is the same blob at the hub and the site"
ok $(no_aliases "$H" "$A"; echo $?) "no alias anywhere"

expect 0 "site a registers again" at a sd-new -t incident -s "After the sync" -r R13 \
	-c network/vpn --email r13@example.org
is "$(cat "$T/out")" SD-31 "from its new block: SD-31"
expect 0 "site b syncs" sd-sync -C "$T/b" --format tsv
is "$(cat "$T/out")" "" "nothing to report"
expect 0 "site b registers" at b sd-new -t incident -s "At b" -r R14 -c network/vpn --email r14@example.org
is "$(cat "$T/out")" SD-21 "from its own block: SD-21"
expect 0 "site a syncs" sd-sync -C "$T/a" --format tsv
expect 0 "site b syncs" sd-sync -C "$T/b" --format tsv
is "$(ids "$B" | tr '\n' ' ')" "SD-1 SD-11 SD-12 SD-13 SD-14 SD-15 SD-16 SD-17 SD-18 SD-19 SD-20 SD-21 SD-31 SD-1000000001 SD-1000000002 " \
	"site b ends with every ticket"
is "$(tblob "$B" SD-31)" "$(tblob "$H" SD-31)" "SD-31 the same at b and the hub"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
expect 0 "sd-fsck at site b" sd-fsck -C "$T/b"
done_testing
