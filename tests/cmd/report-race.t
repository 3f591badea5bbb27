#!/bin/sh
# sd-report beside a writer: the report cache is named by each shard's
# tree in HEAD, and filled only from files that are HEAD's (the mark, and
# HEAD not moved while the shard was read), so that it is never read under
# a HEAD it does not describe.  Reports run in a loop, as fast as they go,
# while a writer makes N changes (30; times SD_STRESS_SCALE), registering,
# assigning and solving tickets: a report that starts between the move of
# the branch and the writing of the files must not cache what it read.
# After each change, with HEAD still: sd-report equals sd-report
# --no-cache, twice (the second from the cache).  Last, sd-fsck finds the
# store and its cache sound.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/stress.sh"
mkstore
export SD_LOCK_TIMEOUT=30

N=$(stress_count 30)
by=status,priority,assignee

trap 'touch "$T/done"; rm -rf "$T"' EXIT
# The reports, in a loop.
(
	while [ ! -e "$T/done" ]; do
		sd-report --by $by >/dev/null 2>>"$T/rerr" </dev/null
		echo "$?" >>"$T/rrc"
	done
) &
reports=$!

bad=0 wbad=0 k=1 id=
while [ "$k" -le "$N" ]; do
	case $((k % 3)) in
	1) id=$(sd-new -t incident -s "Race $k" -r "Pedro Ruiz" -c network/vpn \
		--email pedro@example.org 2>>"$T/werr" </dev/null) || wbad=$((wbad + 1)) ;;
	2) sd-assign "$id" ana >/dev/null 2>>"$T/werr" </dev/null || wbad=$((wbad + 1)) ;;
	0) sd-solve -m "done" "$id" >/dev/null 2>>"$T/werr" </dev/null || wbad=$((wbad + 1)) ;;
	esac
	sleep 0.1
	sd-report --by $by >"$T/a" 2>&1 </dev/null
	sd-report --by $by --no-cache >"$T/b" 2>&1 </dev/null
	sd-report --by $by >"$T/c" 2>&1 </dev/null
	if ! cmp -s "$T/a" "$T/b" || ! cmp -s "$T/b" "$T/c"; then
		bad=$((bad + 1))
		echo "# change $k: the reports differ"
		diff "$T/b" "$T/a" | head -n 6 | sed 's/^/#   /'
	fi
	k=$((k + 1))
done
touch "$T/done"
wait $reports
is "$bad" 0 "after each of $N changes beside reports: cached equals --no-cache"
is "$wbad" 0 "every change exits 0"
is "$(grep -vc '^0$' "$T/rrc")" 0 "every report of the loop exits 0 ($(wc -l <"$T/rrc") of them)"
expect 0 "sd-fsck: sound, its cache too" sd-fsck
done_testing
