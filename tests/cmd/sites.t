#!/bin/sh
# IDs final when printed: sites.ini and its leases, numbering at a site
# (its block, then its overflow range) and at the hub, and the hub's
# pre-receive hook holding commits to them (commits made by hand with git
# plumbing and pushed).
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
mkeditor
# A desk of many sites: [sync], blocks of 10.
SD_AGENT=carmen SD_SED='$a [sync]\nlease = 10' EDITOR=$T/editor sd-edit sd.ini >/dev/null 2>&1
like "$SD_STORE/sd.ini" '^lease = 10' "sd.ini has [sync] lease = 10"
expect 0 "sd-new at the hub, no site yet" sd-new -t incident -s "VPN" -r Jorge -c network/vpn --email j@example.org
like "$T/out" '^SD-1$' "it is SD-1"
expect 77 "sd-edit refuses sites.ini" env EDITOR=$T/editor sd-edit sites.ini
like "$T/err" "sites.ini: no one edits it; only sd-sync writes it" "and says why"

hub=$T/hub.git
git clone -q --bare "$SD_STORE" "$hub"
cp "$SD_TOP/share/hooks/pre-receive" "$hub/hooks/pre-receive"
hgit() { git --git-dir="$hub" "$@"; }
git clone -q "$hub" "$T/site"
W=$T/site
wgit() { git --git-dir="$W/.git" "$@"; }
expect 0 "a clone becomes a store" sd-fsck -C "$W" --repair
wgit config sd.site bog

expect 75 "sd-new at a site with no block" env SD_STORE="$W" sd-new -t incident -s "Mail" -r Jorge -c network/vpn --email j@example.org
like "$T/err" "this site has no block of numbers yet: run sd-sync --lease" "and says to lease one"

# forge MSG FILE PATH [FILE PATH]...: a commit on the site's main by ana
# that writes each FILE at PATH; its id on stdout.
forge() {
	_msg=$1
	shift
	_idx=$T/forge.idx
	GIT_INDEX_FILE=$_idx wgit read-tree main
	while [ $# -gt 1 ]; do
		_blob=$(wgit hash-object -w "$1")
		GIT_INDEX_FILE=$_idx wgit update-index --add --cacheinfo "100644,$_blob,$2"
		shift 2
	done
	_tree=$(GIT_INDEX_FILE=$_idx wgit write-tree)
	rm -f "$_idx"
	printf '%b' "$_msg" | GIT_AUTHOR_NAME=Ana GIT_AUTHOR_EMAIL=ana.gomez@example.org \
		GIT_COMMITTER_NAME=Ana GIT_COMMITTER_EMAIL=ana.gomez@example.org \
		wgit commit-tree "$_tree" -p main
}
# refused WHAT PATTERN COMMIT: pushed as main, refused, the hook says
# PATTERN (one line), the hub unchanged.
refused() {
	_before=$(hgit rev-parse main)
	wgit push -q origin "$3:refs/heads/main" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "$1: refused"
	like "$T/err" "$2" "$1: the hook says why"
	is "$(hgit rev-parse main)" "$_before" "$1: the hub unchanged"
}
accepted() {
	wgit push -q origin "$2:refs/heads/main" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "$T/err" >&2
	is "$rc" 0 "$1: accepted"
	is "$(hgit rev-parse main)" "$2" "$1: the hub moved"
}

# Leases, by hand.  SD-1 is the largest number: the first block is 11-20.
printf '[site bog]\nnumber = 1\nblocks = 1-10\n' >"$T/s1"
c=$(forge 'lease 1-10 to bog\n\nAction: lease\nSite: bog\n' "$T/s1" sites.ini)
refused "a lease under a number used" "the block 1-10 is not above every number of the parent's tree \(1\)" "$c"
printf '[site bog]\nnumber = 1\nblocks = 11-30\n' >"$T/s1"
c=$(forge 'lease 11-30 to bog\n\nAction: lease\nSite: bog\n' "$T/s1" sites.ini)
refused "a lease of the wrong size" "the block 11-30 is not of \[sync\] lease = 10 numbers" "$c"
printf '[site bog]\nnumber = 2\nblocks = 11-20\n' >"$T/s1"
c=$(forge 'lease 11-20 to bog\n\nAction: lease\nSite: bog\n' "$T/s1" sites.ini)
refused "a new site not numbered one more" "a new site's number is one more than the largest, 1, not 2" "$c"
printf '[site bog]\nnumber = 1\nblocks = 11-20\n' >"$T/s1"
c=$(forge 'lease 11-20 to bog\n\nAction: lease\n' "$T/s1" sites.ini)
refused "a lease without Site:" "a lease commit has no Site: trailer" "$c"
c=$(forge 'lease 11-20 to lim\n\nAction: lease\nSite: lim\n' "$T/s1" sites.ini)
refused "a lease for another site than its Site:" "a lease commit adds one block for site lim and changes nothing else" "$c"
wgit show main:tickets/000/SD-1.ini | sed 's/^title = VPN/title = VPN!/' >"$T/t1"
c=$(forge 'lease 11-20 to bog\n\nAction: lease\nSite: bog\n' "$T/s1" sites.ini "$T/t1" tickets/000/SD-1.ini)
refused "a lease that changes a ticket too" "a lease commit changes sites.ini and nothing else" "$c"
c=$(forge 'SD-1: edit\n\nAction: edit\n' "$T/s1" sites.ini)
refused "a hand edit of sites.ini" "edit does not change sites.ini \(only a lease does\)" "$c"
printf '[site bog]\nnumber = 1\nblocks = 11-20\n[site bog]\n' >"$T/s2"
c=$(forge 'lease 11-20 to bog\n\nAction: lease\nSite: bog\n' "$T/s2" sites.ini)
refused "a sites.ini that does not parse" "sites.ini:4: a second section for this site" "$c"

wgit show main:tickets/000/SD-1.ini >"$T/t1"
c=$(forge 'SD-1: note\n\nTicket: SD-1\nAction: note\nSite: bog\n' "$T/t1" tickets/000/SD-1.ini)
refused "a Site: with [sync] and no sites.ini" "Site: 'bog' is no site of sites.ini" "$c"
c=$(forge 'lease 11-20 to bog\n\nAction: lease\nSite: bog\n' "$T/s1" sites.ini)
accepted "a good lease" "$c"
wgit update-ref refs/heads/main "$c"

printf '[site bog]\nnumber = 1\nblocks = 11-20\n\n[site lim]\nnumber = 2\nblocks = 15-24\n' >"$T/s2"
c=$(forge 'lease 15-24 to lim\n\nAction: lease\nSite: lim\n' "$T/s2" sites.ini)
refused "an overlapping lease" "sites.ini:7: blocks: a block overlaps another site's" "$c"
printf '[site bog]\nnumber = 1\nblocks = 11-20, 21-30\n' >"$T/s2"
c=$(forge 'lease 21-30 to bog\n\nAction: lease\nSite: lim\n' "$T/s2" sites.ini)
refused "a lease whose Site: is not the site it extends" "a lease commit adds one block for site lim and changes nothing else" "$c"

# Trailers.
wgit show main:tickets/000/SD-1.ini >"$T/t1"
c=$(forge 'SD-1: note\n\nTicket: SD-1\nAction: note\nSite: nope\n' "$T/t1" tickets/000/SD-1.ini)
refused "a Site: sites.ini does not know" "Site: 'nope' is no site of sites.ini" "$c"
c=$(forge 'SD-1: note\n\nTicket: SD-1\nAction: note\nSite: bog\nReplayed-From: 1234\n' "$T/t1" tickets/000/SD-1.ini)
refused "a Replayed-From: that is no commit id" "Replayed-From: '1234' is not a commit id \(40 hex digits\)" "$c"

# sd-new at the site: its block, every commit saying Site: bog.
expect 0 "sd-new at a site" env SD_STORE="$W" sd-new -t incident -s "Mail 1" -r Jorge -c network/vpn --email j@example.org
like "$T/out" '^SD-11$' "it takes the first number of its block"
like "$W/sites.ini" '^blocks = 11-20$' "the site's files follow the lease"
wgit log -1 --format=%B main >"$T/msg"
like "$T/msg" '^Site: bog$' "its commit says Site: bog"
# A new ticket out of the site's numbers, by hand: SD-25.
wgit show main:tickets/000/SD-11.ini | sed 's/^id = SD-11$/id = SD-25/' >"$T/t25"
c=$(forge 'SD-25: new\n\nTicket: SD-25\nAction: new\nSite: bog\n' "$T/t25" tickets/000/SD-25.ini)
refused "a new ID outside the site's blocks" "SD-25 is not a number site bog may give" "$c"
wgit show main:tickets/000/SD-11.ini | sed 's/^id = SD-11$/id = SD-15/' >"$T/t15"
c=$(forge 'SD-15: new\n\nTicket: SD-15\nAction: new\n' "$T/t15" tickets/000/SD-15.ini)
refused "a new ID of the hub in a site's block" "SD-15 is in a site's block or overflow range; the hub does not give it" "$c"
accepted "the site's new ticket" "$(wgit rev-parse main)"

for i in 2 3 4 5 6 7 8 9 10; do
	env SD_STORE="$W" sd-new -t incident -s "Mail $i" -r Jorge -c network/vpn --email j@example.org >"$T/out" 2>&1
done
like "$T/out" '^SD-20$' "the block runs to its end"
expect 0 "sd-new past the block" env SD_STORE="$W" sd-new -t incident -s "Mail 11" -r Jorge -c network/vpn --email j@example.org
like "$T/out" '^SD-1000000001$' "it takes the site's overflow range"
ok $([ -f "$W/tickets/1000000/SD-1000000001.ini" ]; echo $?) "in shard 1000000"
expect 0 "sd-new again" env SD_STORE="$W" sd-new -t incident -s "Mail 12" -r Jorge -c network/vpn --email j@example.org
like "$T/out" '^SD-1000000002$' "the next of the overflow range"
expect 0 "sd-show of a big ID" env SD_STORE="$W" sd-show SD-1000000002
like "$T/out" 'Mail 12' "shows it"
expect 0 "sd-note on a big ID" env SD_STORE="$W" sd-note SD-1000000002 -m "checked the mailbox"
expect 0 "sd-show --history of a big ID" env SD_STORE="$W" sd-show --history SD-1000000002
like "$T/out" 'checked the mailbox' "its history has the note"
expect 0 "sd-list --grep finds it" env SD_STORE="$W" sd-list --grep mailbox --format tsv
like "$T/out" '^SD-1000000002	' "by its big ID"
expect 0 "sd-fsck --commits of the site's history" sd-fsck -C "$W" --commits HEAD
expect 0 "sd-list" env SD_STORE="$W" sd-list --format tsv
awk -F '\t' '{print $1}' "$T/out" | grep -v '^id$' | tr '\n' ' ' >"$T/ids"
is "$(cat "$T/ids")" "SD-1 SD-11 SD-12 SD-13 SD-14 SD-15 SD-16 SD-17 SD-18 SD-19 SD-20 SD-1000000001 SD-1000000002 " "sd-list sorts the big IDs by number"
expect 0 "sd-fsck is clean at the site" sd-fsck -C "$W"
accepted "the block and the overflow numbers" "$(wgit rev-parse main)"

# The hub numbers above every number below 10^9 and every block.
wgit config --unset sd.site
expect 0 "sd-new as the hub" env SD_STORE="$W" sd-new -t incident -s "Hub" -r Jorge -c network/vpn --email j@example.org
like "$T/out" '^SD-21$' "above the block, below the overflow range"
wgit log -1 --format=%B main >"$T/msg"
ok $(grep -q '^Site:' "$T/msg"; [ $? != 0 ]; echo $?) "no Site: at the hub"
accepted "the hub's new ticket" "$(wgit rev-parse main)"

# A hand change of sites.ini on disk.
wgit config sd.site bog
printf '[site bog]\nnumber = 1\nblocks = 11-99\n' >"$W/sites.ini"
expect 65 "sd-fsck: sites.ini changed by hand" sd-fsck -C "$W"
like "$T/out" "sites.ini.*changed by hand; only sd-sync writes it" "it says only sd-sync writes it"
expect 0 "sd-fsck --repair restores it" sd-fsck -C "$W" --repair
like "$W/sites.ini" '^blocks = 11-20$' "as HEAD has it"

# Without [sync], numbering as before: the next after the largest; a
# site's commits (a plain replay sync) say Site: and the hook takes them.
mkstore "$T/plain"
sd-new -t incident -s "A" -r Jorge -c network/vpn --email j@example.org >"$T/out"
like "$T/out" '^SD-1$' "a store without [sync] numbers from 1"
hub=$T/plain.git
git clone -q --bare "$SD_STORE" "$hub"
cp "$SD_TOP/share/hooks/pre-receive" "$hub/hooks/pre-receive"
rm -rf "$W"
git clone -q "$hub" "$W"
expect 0 "a clone of a desk without [sync] becomes a store" sd-fsck -C "$W" --repair
wgit config sd.site lim
expect 0 "sd-new at a site without [sync]" env SD_STORE="$W" sd-new -t incident -s "B" -r Jorge -c network/vpn --email j@example.org
like "$T/out" '^SD-2$' "numbers as before"
wgit log -1 --format=%B main >"$T/msg"
like "$T/msg" '^Site: lim$' "its commit says Site: lim"
accepted "a site's commit of a desk without [sync]" "$(wgit rev-parse main)"
done_testing
