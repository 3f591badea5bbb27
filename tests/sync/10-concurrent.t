#!/bin/sh
# Scenario 10: two sites syncing many commits each at the same instant.
# Each site, offline, notes SD-1 $SD_SYNC_COMMITS times (500 unless set)
# - a the texts a-1.., at 11:00:01 on, b b-1.., at 12:00:01 on - and a
# tenth of the time registers a ticket.  Both sd-sync run at once: both
# succeed (the one the hub moved under replays again), the hub's history
# is linear, it took every commit once and holds every event once.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a) B=$(site_gd b)
N=${SD_SYNC_COMMITS:-500}
before=$(hub_git hub rev-list --count HEAD)

# gen SITE HOUR: SITE's N commits, offline
gen() {
	_i=1 _bad=0
	while [ $_i -le "$N" ]; do
		_now=$(printf '2026-11-23T%s:%02d:%02d-05:00' "$2" $((_i / 60)) $((_i % 60)))
		if [ $((_i % 10)) = 0 ]; then
			SD_NOW=$_now at "$1" sd-new -t incident -s "$1 ticket $_i" -r "R $1$_i" \
				-c network/vpn --email "r$_i@example.org" >/dev/null 2>"$T/gen.err" || _bad=$((_bad + 1))
		else
			SD_NOW=$_now at "$1" sd-note -m "$1-$_i" SD-1 >/dev/null 2>"$T/gen.err" || _bad=$((_bad + 1))
		fi
		_i=$((_i + 1))
	done
	[ $_bad = 0 ] || echo "# $1: $_bad commands failed: $(cat "$T/gen.err")" >&2
	return $_bad
}
gen a 11
ok $? "site a made its $N commits"
gen b 12
ok $? "site b made its $N commits"

sd-sync -C "$T/a" --format tsv >"$T/a.out" 2>"$T/a.err" </dev/null &
pa=$!
sd-sync -C "$T/b" --format tsv >"$T/b.out" 2>"$T/b.err" </dev/null &
pb=$!
wait $pa
ra=$?
wait $pb
rb=$?
is "$ra" 0 "site a's sync succeeds"
sed 's/^/# a: /' "$T/a.err" >&2
is "$rb" 0 "site b's sync succeeds"
sed 's/^/# b: /' "$T/b.err" >&2
is "$(cat "$T/a.out" "$T/b.out")" "" "nothing to report"

ok $(no_merges "$H"; echo $?) "the hub's history is linear"
is "$(hub_git hub rev-list --count HEAD)" "$((before + 2 * N))" "the hub took each of the $((2 * N)) commits once"
hub_git hub log --format=%B HEAD >"$T/log"
grep '^Replayed-From: ' "$T/log" | sort | uniq -d >"$T/dups"
is "$(wc -l <"$T/dups" | tr -d ' ')" 0 "no commit replayed twice"
tshow "$H" SD-1 >"$T/hub.ini"
for s in a b; do
	grep "^text = $s-[0-9]*\$" "$T/hub.ini" | sort | uniq -d >"$T/dups"
	is "$(wc -l <"$T/dups" | tr -d ' ')" 0 "no note of $s twice"
	is "$(grep -c "^text = $s-[0-9]*\$" "$T/hub.ini")" "$((N - N / 10))" "every note of $s at the hub"
	is "$(ids "$H" | grep -c "^SD-$([ $s = a ] && echo 1 || echo 2)0")" "$((N / 10))" \
		"every ticket of $s at the hub"
done
expect 0 "site a syncs again" sd-sync -C "$T/a" --format tsv
expect 0 "site b syncs again" sd-sync -C "$T/b" --format tsv
is "$(git --git-dir="$A" rev-parse HEAD)" "$(hub_git hub rev-parse HEAD)" "site a at the hub's head"
is "$(git --git-dir="$B" rev-parse HEAD)" "$(hub_git hub rev-parse HEAD)" "site b at the hub's head"
is "$(tblob "$A" SD-1)" "$(tblob "$H" SD-1)" "SD-1 the same at a and the hub"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
expect 0 "sd-fsck at site b" sd-fsck -C "$T/b"
done_testing
