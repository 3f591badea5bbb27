#!/bin/sh
# sd-fsck beside writers: it reads HEAD and the files as one snapshot (the
# store's lock held shared: changes wait, other readers do not), so it
# reports no defect that is only a change half made.  W writers (3) add
# notes and tickets in a loop while sd-fsck runs R times (20; times
# SD_STRESS_SCALE): each run exits 0 with nothing on its output, every
# writer's command exits 0.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/stress.sh"
mkstore
export SD_LOCK_TIMEOUT=30

W=${SD_STRESS_WRITERS:-3}
R=$(stress_count 20)
sd-new -t incident -s "Shared" -r "Pedro Ruiz" -c network/vpn \
	--email pedro@example.org >/dev/null 2>&1 || { echo "Bail out! sd-new failed"; exit 1; }

trap 'touch "$T/done"; rm -rf "$T"' EXIT
w=1
while [ "$w" -le "$W" ]; do
	(
		i=1
		while [ ! -e "$T/done" ]; do
			if [ $((i % 3)) = 0 ]; then
				sd-new -t request -s "W$w $i" -r "Eva" -c hardware -m "x" \
					>/dev/null 2>>"$T/werr" </dev/null
			else
				sd-note -m "note $w.$i" 1 >/dev/null 2>>"$T/werr" </dev/null
			fi
			echo "$?" >>"$T/wrc.$w"
			i=$((i + 1))
		done
	) &
	eval "pid$w=$!"
	w=$((w + 1))
done

bad=0 r=1
h0=$(head_id)
while [ "$r" -le "$R" ]; do
	sd-fsck >"$T/fsck.$r" 2>&1 </dev/null
	frc=$?
	if [ "$frc" != 0 ] || [ -s "$T/fsck.$r" ]; then
		bad=$((bad + 1))
		echo "# sd-fsck run $r: exit $frc"
		sed 's/^/#   /' "$T/fsck.$r" | head -n 5
	fi
	r=$((r + 1))
done
touch "$T/done"
w=1
while [ "$w" -le "$W" ]; do
	eval "wait \$pid$w"
	w=$((w + 1))
done
is "$bad" 0 "$R runs of sd-fsck beside $W writers: each exits 0, no finding"
is "$(cat "$T"/wrc.* | grep -vc '^0$')" 0 "every writer's command exits 0"
head -n 5 "$T/werr" 2>/dev/null | sed 's/^/# /'
n=$(sgit rev-list --count "$h0..HEAD")
echo "# $n changes made meanwhile"
ok $([ "$n" -gt 0 ]; echo $?) "the writers wrote while sd-fsck ran"
expect 0 "sd-fsck after: sound" sd-fsck
clean "the files equal HEAD"
done_testing
