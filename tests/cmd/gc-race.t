#!/bin/sh
# git gc beside writers: a change waits out the locks git's upkeep takes
# (reflog expire and pack-refs hold refs/heads/main.lock, pack-refs
# packed-refs.lock) with a few short retries, instead of failing with 74.
# W writers (4) each add K notes (15; times SD_STRESS_SCALE, which `make
# stress` raises) to a ticket of its own while a loop runs `git gc
# --quiet` and `git pack-refs --all` on the store's repository until they
# are done.  Every command exits 0, every note is in HEAD exactly once,
# one commit each, and sd-fsck and git fsck find the store sound.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/stress.sh"
mkstore
export SD_LOCK_TIMEOUT=30

W=${SD_STRESS_WRITERS:-4}
K=$(stress_count 15)
w=1
while [ "$w" -le "$W" ]; do
	sd-new -t incident -s "Writer $w" -r "Pedro Ruiz" -c network/vpn \
		--email pedro@example.org >/dev/null 2>&1 || { echo "Bail out! sd-new failed"; exit 1; }
	w=$((w + 1))
done
before=$(head_id)

# The upkeep, until the writers are done.
: >"$T/gc.runs"
(
	while [ ! -e "$T/done" ]; do
		sgit gc --quiet >/dev/null 2>&1
		sgit pack-refs --all >/dev/null 2>&1
		echo x >>"$T/gc.runs"
	done
) &
gc=$!
trap 'touch "$T/done"; kill $gc 2>/dev/null; rm -rf "$T"' EXIT

w=1
while [ "$w" -le "$W" ]; do
	(
		i=1
		while [ "$i" -le "$K" ]; do
			sd-note -m "note $w.$i" "$w" >/dev/null 2>"$T/err.$w.$i" </dev/null
			echo "$w.$i $?" >>"$T/rc.$w"
			i=$((i + 1))
		done
	) &
	eval "pid$w=$!"
	w=$((w + 1))
done
w=1
while [ "$w" -le "$W" ]; do
	eval "wait \$pid$w"
	w=$((w + 1))
done
touch "$T/done"
wait $gc

is "$(cat "$T"/rc.* | grep -vc ' 0$')" 0 "every note of $W writers x $K exits 0 beside git gc"
cat "$T"/err.* | head -n 5 | sed 's/^/# /'
is "$(cat "$T"/err.* | wc -l)" 0 "nothing on stderr: no error, no warning"
echo "# $(wc -l <"$T/gc.runs") rounds of git gc and pack-refs"
is "$(sgit rev-list --count "$before..HEAD")" $((W * K)) "one commit per note"
bad=0
w=1
while [ "$w" -le "$W" ]; do
	file=$(printf 'tickets/000/SD-%d.ini' "$w")
	i=1
	while [ "$i" -le "$K" ]; do
		n=$(sgit show "HEAD:$file" | grep -c "^text = note $w\\.$i\$")
		[ "$n" = 1 ] || { bad=1; echo "# note $w.$i: $n times in HEAD"; }
		i=$((i + 1))
	done
	w=$((w + 1))
done
ok $bad "every note in HEAD exactly once"
expect 0 "sd-fsck: sound" sd-fsck
clean "the files equal HEAD; git fsck"
done_testing
