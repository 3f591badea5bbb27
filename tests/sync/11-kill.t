#!/bin/sh
# Scenario 11: sd-sync killed (SIGKILL) at $SD_SYNC_KILL_RUNS instants
# (200 unless set; and no more runs once $SD_SYNC_KILL_SECONDS, 300
# unless set, have gone).  Before each run site a notes SD-1 ("kill-K"),
# and every fifth the hub notes it too ("hub-K"), so that runs push, fast-
# forward or replay; each run is killed after a delay drawn (seeded by K)
# from 0 to 1.5 times an unkilled sync's time.  After every kill the
# store is valid (sd-fsck; files behind a HEAD the run moved count as
# valid when the next command brings them in step, as lib/store.c does
# after a push into a store); at the end one sync completes, and the hub
# holds every note exactly once and no commit replayed twice.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a)
RUNS=${SD_SYNC_KILL_RUNS:-200}
SECONDS_MAX=${SD_SYNC_KILL_SECONDS:-300}

ms() { date +%s%3N; }
expect 0 "a note at site a" at a env SD_NOW=2026-11-23T10:30:00-05:00 sd-note -m "kill-0" SD-1
t0=$(ms)
expect 0 "an unkilled sync" sd-sync -C "$T/a" --format tsv
span=$(($(ms) - t0))
echo "# an unkilled sync took $span ms"

start=$(date +%s)
k=1 bad=0 behind=0 done=0 hub_notes=0
while [ $k -le "$RUNS" ] && [ $(($(date +%s) - start)) -lt "$SECONDS_MAX" ]; do
	now=$(printf '2026-11-23T13:%02d:%02d-05:00' $((k / 60 % 60)) $((k % 60)))
	SD_NOW=$now at a sd-note -m "kill-$k" SD-1 >/dev/null 2>"$T/note.err" ||
		{ bad=$((bad + 1)); echo "# run $k: sd-note: $(cat "$T/note.err")" >&2; }
	if [ $((k % 5)) = 0 ]; then
		# The hub's store may be busy with a push the killed run began.
		for _try in 1 2 3; do
			at_hub hub env SD_AGENT=carmen SD_NOW=$now sd-note -m "hub-$k" SD-1 \
				>/dev/null 2>"$T/hub.err" && { hub_notes=$((hub_notes + 1)); break; }
			echo "# run $k: the hub's note: $(cat "$T/hub.err")" >&2
			sleep 1
		done
	fi
	delay=$(awk -v k="$k" -v span="$span" 'BEGIN { srand(k); printf "%.3f", rand() * span * 1.5 / 1000 }')
	sd-sync -C "$T/a" >/dev/null 2>&1 </dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# The store as the next command finds it: valid, or with its files
	# behind a HEAD that moved (as a push into a store leaves it), or the
	# branch's lock of a move killed halfway (as kill.t leaves it), which
	# the next sync's opening brings in step or clears.
	if ! sd-fsck -C "$T/a" >"$T/fsck.out" 2>&1; then
		sd-sync -C "$T/a" >/dev/null 2>&1 </dev/null
		if sd-fsck -C "$T/a" >"$T/fsck2.out" 2>&1; then
			behind=$((behind + 1))
		else
			bad=$((bad + 1))
			echo "# run $k (killed after ${delay}s): sd-fsck: $(cat "$T/fsck.out" "$T/fsck2.out")" >&2
		fi
	fi
	done=$k
	k=$((k + 1))
done
echo "# $done runs in $(($(date +%s) - start)) s; $behind left the files behind HEAD"
ok $([ "$done" -ge 1 ]; echo $?) "$done killed runs"
is "$bad" 0 "the store was valid after every kill"

# A git the killed sd-sync started may still be at work: the last sync
# is tried until it completes (a busy store: 75), a few times.
for i in 1 2 3 4 5; do
	run sd-sync -C "$T/a" --format tsv
	[ "$rc" = 75 ] || break
	sleep 1
done
is "$rc" 0 "the next sync completes"
sed 's/^/# /' "$T/err" >&2
expect 0 "and one more has nothing to do" sd-sync -C "$T/a" --format tsv
is "$(git --git-dir="$A" rev-parse HEAD)" "$(hub_git hub rev-parse HEAD)" "site a at the hub's head"
tshow "$H" SD-1 >"$T/hub.ini"
grep '^text = ' "$T/hub.ini" | sort | uniq -d >"$T/dups"
is "$(wc -l <"$T/dups" | tr -d ' ')" 0 "no note twice at the hub"
sed 's/^/# twice: /' "$T/dups" >&2
is "$(grep -c '^text = kill-[0-9]*$' "$T/hub.ini")" "$((done + 1))" "every note of site a at the hub"
is "$(grep -c '^text = hub-[0-9]*$' "$T/hub.ini")" "$hub_notes" "every note of the hub's ($hub_notes)"
hub_git hub log --format=%B HEAD >"$T/log"
grep '^Replayed-From: ' "$T/log" | sort | uniq -d >"$T/dups"
is "$(wc -l <"$T/dups" | tr -d ' ')" 0 "nothing pushed twice (no Replayed-From twice)"
# The hub's commits that carry a duplicate, to tell which run did it.
while read -r _ rf; do
	hub_git hub log --format='# twice: %h %s (%ad) Replayed-From:' --date=iso-strict \
		--grep="^Replayed-From: $rf\$" HEAD | sed "s/\$/ $rf/" >&2
done <"$T/dups"
ok $(no_merges "$H"; echo $?) "the hub's history is linear"
is "$(git --git-dir="$A" for-each-ref --format='%(refname)' refs/sd/ | grep -c outgoing)" 0 \
	"no refs/sd/outgoing left"
expect 0 "sd-fsck at the hub" hub_fsck hub
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
SD_STORE=$T/a clean "site a's files equal its HEAD"
done_testing
