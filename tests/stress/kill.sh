#!/bin/sh
# tests/stress/kill.sh - commands killed at random instants (SPEC section 8:
# "a command killed at any instant leaves the store valid: the next
# command or sd-fsck --repair finds and finishes or undoes what was half
# done").
#
# make stress runs it as
#   $(TEST_ENV) sh tests/stress/kill.sh
# (SD_BIN, SD_SHAREDIR, SD_TOP set as for the other tests).
#
# Each run starts one changing command, in turn
#   new      sd-new -F BIG              (a new ticket of BIG's size)
#   update   sd-update -F BIG --urgency high on a fresh ticket
#   solve    sd-solve -F BIG on a fresh ticket
#   edit     sd-edit of a fresh BIG ticket, its title changed by an EDITOR
#            script
#   link     sd-link of two fresh BIG tickets (two files in one commit)
#   auto     sd-close --auto at a later SD_NOW, with tickets solved and
#            pending-info waiting (one commit each)
# and sends it SIGKILL after a random delay, from 0 up to a reach that
# starts at the longer of $SD_KILL_MAX_MS (30) ms and the median of three
# runs of that command, whole, timed at the start, and follows what the
# command takes on this machine now: 10% shorter after a run that ended
# before its kill, 2% longer after a kill (so that some 15% of the runs
# end by themselves, and the kills fall all along the command's work, its
# end - the branch moved, the files and the mark being written - too);
# every other run of a kind draws from the last quarter of the reach.
# BIG is $SD_KILL_KIB (256) KiB of text, to widen the window.  Then:
#   - the killed command moved HEAD by whole commits from where it was,
#     at most its own (one; sd-close --auto one per due ticket), and, when
#     it finished before the kill, exactly those;
#   - "clean at once" when sd-fsck exits 0 and the files equal HEAD, git
#     fsck is clean and .git/sd-head is HEAD (tests/stress.sh
#     store_problems);
#   - the next command (sd-note on a ticket kept for it, with
#     SD_LOCK_TIMEOUT=2), run in every case, must not get 75 (a stale
#     lock) nor hang; when it succeeds it makes one commit on top of HEAD;
#     a store valid at once must be valid after it too (sd-fsck exits 0,
#     store_problems finds nothing: .git/sd-head is HEAD);
#   - "made valid by the next command" when the store was not valid at
#     once but is after it;
#   - else sd-fsck --repair must exit 0, and after it all of the above
#     must hold and a next command succeed: "needed repair", with what it
#     mended tallied.
# Anything else is a failure: the store is kept, with a note of the run,
# under a directory /tmp/sd-kill.XXXXXX, and a fresh store is made.  Each
# store serves $SD_KILL_STORE_RUNS (25) runs, then its ticket numbers are
# checked (1..N, no gap) and it is thrown away.
#
# $SD_KILL_RUNS (500) runs; $SD_KILL_KINDS (all: "new update solve edit
# link auto") the commands, in turn; $SD_KILL_SEED (from the clock, and
# printed) seeds the random draws (the reach follows the machine, so a run
# again is alike, not the same).  Last, a summary; exit 0 when no run
# failed, 1 when one did, 2 when the script itself could not go on.

. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/stress.sh"

runs=${SD_KILL_RUNS:-500}
max_ms=${SD_KILL_MAX_MS:-30}
kib=${SD_KILL_KIB:-256}
store_runs=${SD_KILL_STORE_RUNS:-25}
seed=${SD_KILL_SEED:-$(($(date +%s%N) % 2147483648))}
seed0=$seed
late=2026-12-01T10:00:00-05:00
kinds=${SD_KILL_KINDS:-new update solve edit link auto}
nkinds=$(echo $kinds | wc -w)
for k in $kinds; do
	case " new update solve edit link auto " in
	*" $k "*) ;;
	*) echo "kill.sh: SD_KILL_KINDS: no kind '$k'" >&2; exit 64 ;;
	esac
done
# A string in the titles of this script's tickets, to know its sd-edit
# leftovers in /tmp.
marker=sd-kill-$$-$(date +%s)

for v in runs max_ms kib store_runs seed; do
	eval "x=\$$v"
	case $x in
	'' | *[!0-9]*) echo "kill.sh: $v must be a whole number, not '$x'" >&2; exit 64 ;;
	esac
done

# rand N: a number from 0 to N-1 in $r (a linear congruential generator)
rand() {
	seed=$(((seed * 1103515245 + 12345) % 2147483648))
	r=$(((seed / 256) % $1))
}

big=$T/big
big_text "$big" "$kib"
# The EDITOR of sd-edit: it changes the title (keeping the marker).
cat >"$T/editor" <<'EOF'
#!/bin/sh
exec sed -i -e 's/^title = .*/& (edited)/' "$1"
EOF
chmod +x "$T/editor"

# die MESSAGE: stop, as a test harness error (not a finding)
die() {
	echo "kill.sh: $*" >&2
	exit 2
}

# sdq CMD...: run a command that prepares a run; its stdout's first line
# in $got; exit 1 (with its stderr in $T/q.err) when it fails
sdq() {
	"$@" >"$T/q.out" 2>"$T/q.err" </dev/null || return 1
	got=$(head -n 1 "$T/q.out")
}

# small [sd-new options]: a fresh ticket, its ID in $got
small() {
	sdq sd-new -t incident -s "Kill test $marker" -r "Pedro Ruiz" -c network/vpn \
		--email pedro@example.org "$@"
}

# new_store: a fresh store in $T/store.G, and in it $keep_id, the ticket
# the next commands note on
gen=0
new_store() {
	gen=$((gen + 1))
	mkstore "$T/store.$gen"
	small -m "The ticket for the commands after a kill" || die "cannot make a ticket"
	keep_id=$got
	store_used=0
}

# end_store: check the ticket numbers of the store, count libgit2's
# temporary files that kills left in .git/objects, and throw it away
git_tmp_left=0
end_store() {
	if ! ids_dense >"$T/dense" 2>&1; then
		fail "store $gen: ticket numbers" "$(cat "$T/dense")"
	fi
	git_tmp_left=$((git_tmp_left + $(find "$T/store.$gen/.git/objects" -name 'tmp_*' | wc -l)))
	rm -rf "$T/store.$gen"
}

# edit_leftovers: count and remove the temporary directories of sd-edit
# runs of this script that a kill left in /tmp (sd-edit makes them in
# /tmp whatever TMPDIR says): those with a copy of one of its tickets, and
# those made since it started that hold nothing but empty files (killed
# before sd-edit wrote its copy; another sd-edit's is empty for a few
# microseconds only)
edit_left=0
touch "$T/started"
edit_leftovers() {
	sleep 0.2       # an orphaned editor finishing
	for d in /tmp/sd-edit.*; do
		[ -d "$d" ] || continue
		if grep -qs -- "$marker" "$d"/* 2>/dev/null ||
		    { [ -n "$(find "$d" -maxdepth 0 -newer "$T/started")" ] &&
		      [ -z "$(find "$d" -type f -size +0c)" ]; }; then
			edit_left=$((edit_left + 1))
			rm -rf "$d"
		fi
	done
}

keep=
failures=0
# fail WHAT DETAIL: a failed run: keep the store, with a note
fail() {
	failures=$((failures + 1))
	[ -n "$keep" ] || keep=$(mktemp -d /tmp/sd-kill.XXXXXX)
	_dir=$keep/run-$run-$kind
	mkdir -p "$_dir"
	[ -d "$_dir/store" ] || cp -a "$SD_STORE" "$_dir/store" 2>/dev/null
	{
		echo "run $run, kind $kind, delay ${delay:-?} us, result ${result:-?}, seed $seed0"
		echo "what: $1"
		echo "$2"
		echo "--- command: $cmdline"
		echo "--- its stdout:"; cat "$T/k.out" 2>/dev/null
		echo "--- its stderr:"; cat "$T/k.err" 2>/dev/null
		echo
	} >>"$_dir/README"
	echo "FAIL run $run ($kind, ${delay:-?} us, ${result:-?}): $1" >&2
	echo "$2" | sed 's/^/    /' >&2
	run_failed=1
}

# prepare KIND: make what the command needs; the command in "$@" is set
# by the caller from $cmd (a string, eval'd)
prepare() {
	case $1 in
	new)
		cmd='sd-new -t incident -s "Kill test $marker, run $run" -r "Pedro Ruiz" \
			-c network/vpn --email pedro@example.org -F "$big"' ;;
	update)
		small || return 1
		cmd="sd-update -F \"\$big\" --urgency high $got" ;;
	solve)
		small || return 1
		cmd="sd-solve -F \"\$big\" $got" ;;
	edit)
		small -F "$big" || return 1
		cmd="env EDITOR=\"\$T/editor\" sd-edit $got" ;;
	link)
		small -F "$big" || return 1
		_a=$got
		small -F "$big" || return 1
		cmd="sd-link $_a $got" ;;
	auto)
		small || return 1
		sdq sd-solve -m "Router restarted" "$got" || return 1
		small || return 1
		sdq sd-solve -m "Cable replaced" "$got" || return 1
		sdq sd-new -t incident -s "Kill test $marker, no email" -r "Eva Luna" \
			-c network/vpn || return 1
		cmd="env SD_NOW=$late SD_AGENT=cron sd-close --auto --format tsv" ;;
	esac
	cmdline=$cmd
}

# Each kind of command timed, whole, once: how far the delays reach.
run=0
new_store
for kind in $kinds; do
	for i in 1 2 3; do
		prepare "$kind" || die "cannot prepare $kind: $(cat "$T/q.err")"
		t0=$(now_ms)
		eval "$cmd" >"$T/k.out" 2>"$T/k.err" </dev/null || die "$kind: $(cat "$T/k.err")"
		echo $(($(now_ms) - t0))
	done >"$T/times"
	t=$(sort -n "$T/times" | sed -n 2p)
	[ "$t" -lt "$max_ms" ] && t=$max_ms
	[ "$t" -gt 0 ] || t=1
	eval "reach_$kind=$((t * 1000))"
	eval "n_$kind=0 killed_$kind=0 done_$kind=0 nocommit_$kind=0 unfinished_$kind=0"
	eval "once_$kind=0 next_$kind=0 repair_$kind=0 failed_$kind=0"
done
end_store
new_store
: >"$T/mended"

echo "kill.sh: $runs runs, seed $seed0, $kib KiB texts, reach at the start:$(for k in $kinds; do
	eval "printf ' %s %s ms' $k \$((reach_$k / 1000))"; done)"

run=0
while [ $run -lt "$runs" ]; do
	run=$((run + 1))
	run_failed=0
	delay= result=
	if [ "$store_used" -ge "$store_runs" ]; then
		end_store
		new_store
	fi
	store_used=$((store_used + 1))
	set -- $kinds
	shift $(((run - 1) % nkinds))
	kind=$1
	eval "n_$kind=\$((n_$kind + 1))"
	if ! prepare "$kind"; then
		fail "preparing the run failed" "$(cat "$T/q.err")"
		end_store
		new_store
		continue
	fi
	due=0
	if [ "$kind" = auto ]; then
		SD_NOW=$late sd-close --auto --dry-run --format tsv 2>/dev/null </dev/null >"$T/due"
		due=$(grep -c '^SD-' "$T/due")
	fi
	eval "rand \$reach_$kind"
	delay=$r
	# Every other run of a kind, in the last quarter of the reach, where
	# the branch moves and the files are written.
	eval "[ \$((n_$kind % 2)) = 0 ] && delay=\$((reach_$kind * 3 / 4 + r / 4))"
	before=$(head_id)

	eval "result=\$(kill_after $delay \"\$T/k.out\" \"\$T/k.err\" $cmd)"
	# The reach follows what the command takes: shorter after it ended by
	# itself, a little longer after a kill.
	case $result in
	killed)
		eval "killed_$kind=\$((killed_$kind + 1))"
		eval "reach_$kind=\$((reach_$kind * 102 / 100))" ;;
	"exit 0")
		eval "done_$kind=\$((done_$kind + 1))"
		eval "reach_$kind=\$((reach_$kind * 90 / 100))"
		eval "[ \$reach_$kind -ge $((max_ms * 1000)) ] || reach_$kind=$((max_ms * 1000))" ;;
	*) fail "the command ended with $result, not killed" "$(cat "$T/k.err")" ;;
	esac

	# HEAD: whole commits on top of where it was.
	after=$(sgit rev-parse -q --verify HEAD 2>/dev/null)
	if [ -z "$after" ]; then
		moved=-1
		fail "HEAD names no commit" ""
	elif [ "$after" = "$before" ]; then
		moved=0
	elif sgit merge-base --is-ancestor "$before" "$after" 2>/dev/null; then
		moved=$(sgit rev-list --count "$before..$after")
	else
		moved=-1
		fail "HEAD is not a descendant of the commit before" "$before -> $after"
	fi
	allowed=1
	[ "$kind" = auto ] && allowed=$due
	if [ "$moved" -gt "$allowed" ]; then
		fail "HEAD moved by $moved commits, more than $allowed" ""
	fi
	if [ "$result" = "exit 0" ]; then
		want=1
		[ "$kind" = auto ] && want=$(grep -c '^SD-' "$T/k.out")
		[ "$moved" = "$want" ] || fail "finished, but HEAD moved by $moved commits, not $want" ""
	fi
	if [ "$moved" = 0 ]; then
		eval "nocommit_$kind=\$((nocommit_$kind + 1))"
	elif [ "$moved" -gt 0 ] && [ "$(cat "$SD_STORE/.git/sd-head" 2>/dev/null)" != "$after" ]; then
		eval "unfinished_$kind=\$((unfinished_$kind + 1))"
	fi
	# A new ticket in HEAD is whole: its file holds all of BIG.
	if [ "$kind" = new ] && [ "$moved" = 1 ]; then
		id=$(sgit log -1 --format='%(trailers:key=Ticket,valueonly)' "$after" | head -n 1)
		n=${id#SD-}
		size=$(sgit cat-file -s "$after:tickets/$(printf %03d $((n / 1000)))/$id.ini" 2>/dev/null)
		[ "${size:-0}" -gt "$(wc -c <"$big")" ] ||
			fail "$id, committed, is not whole in HEAD" "its size: ${size:-none}"
	fi

	# Valid at once?
	clean0=1
	store_problems >"$T/probs0" || clean0=0
	sd-fsck >"$T/fsck0" 2>&1 </dev/null || clean0=0
	# The next command: never 75; one commit on top; then all is well.
	SD_LOCK_TIMEOUT=2 timed "$T/next" next "$keep_id" \
		sd-note -m "After run $run ($kind)" "$keep_id"
	[ "$rc" = 75 ] && fail "the next command got 75: a stale lock" "$(cat "$T/next.err")"
	[ "$rc" = 124 ] && fail "the next command hung" "$(cat "$T/next.err")"
	if [ "$rc" = 0 ] && [ "$(sgit rev-parse HEAD~1)" != "$after" ]; then
		fail "the next command did not make one commit on top of HEAD" ""
	fi
	clean1=0
	if [ "$rc" = 0 ] && sd-fsck >"$T/fsck1" 2>&1 </dev/null && store_problems >"$T/probs1"; then
		clean1=1
	fi
	if [ "$clean0" = 1 ]; then
		state=once
		[ "$clean1" = 1 ] || fail "valid after the kill, not after the next command (exit $rc)" \
			"$(cat "$T/next.err" "$T/fsck1" "$T/probs1" 2>/dev/null)"
	elif [ "$clean1" = 1 ]; then
		state=next
	else
		# sd-fsck --repair, then all must be well.
		{ echo "after the kill:"; cat "$T/fsck0" "$T/probs0"
		  echo "the next command: exit $rc"; cat "$T/next.err"; } >"$T/before-repair"
		sd-fsck --repair >"$T/repair" 2>&1 </dev/null
		repair_rc=$?
		sed -n 's/^.*: \(.*\) (repaired)$/\1/p' "$T/repair" >>"$T/mended"
		if [ "$repair_rc" != 0 ]; then
			fail "sd-fsck --repair: exit $repair_rc" "$(cat "$T/before-repair" "$T/repair")"
		elif ! sd-fsck >"$T/fsck2" 2>&1 </dev/null; then
			fail "sd-fsck after sd-fsck --repair" "$(cat "$T/before-repair" "$T/fsck2")"
		elif ! store_problems >"$T/probs2"; then
			fail "the store after sd-fsck --repair" "$(cat "$T/before-repair" "$T/probs2")"
		else
			SD_LOCK_TIMEOUT=2 timed "$T/next" next "$keep_id" \
				sd-note -m "After the repair of run $run" "$keep_id"
			if [ "$rc" != 0 ]; then
				fail "a command after sd-fsck --repair: exit $rc" "$(cat "$T/next.err")"
			elif ! store_problems >"$T/probs3"; then
				fail "the store after a command after the repair" "$(cat "$T/probs3")"
			fi
		fi
		state=repair
	fi
	if [ "$run_failed" = 1 ]; then
		eval "failed_$kind=\$((failed_$kind + 1))"
		end_store
		new_store
	else
		eval "${state}_$kind=\$((${state}_$kind + 1))"
	fi
	[ $((run % 50)) = 0 ] && echo "kill.sh: $run runs, $failures failed" >&2
done
end_store
edit_leftovers

# The summary.
echo
printf '%-7s %5s %6s %8s %9s %10s %6s %6s %6s %6s\n' command runs killed finished \
	no-commit unfinished clean next repair FAILED
tot="0 0 0 0 0 0 0 0 0"
for k in $kinds; do
	eval "line=\"\$n_$k \$killed_$k \$done_$k \$nocommit_$k \$unfinished_$k \$once_$k \$next_$k \$repair_$k \$failed_$k\""
	printf '%-7s %5s %6s %8s %9s %10s %6s %6s %6s %6s\n' "$k" $line
	tot=$(echo "$tot $line" | awk '{ for (i = 1; i <= 9; i++) printf "%d ", $i + $(i + 9) }')
done
printf '%-7s %5s %6s %8s %9s %10s %6s %6s %6s %6s\n' total $tot
cat <<EOF

  killed      SIGKILLed before it ended       finished    ended by itself first (exit 0)
  no-commit   HEAD did not move               unfinished  HEAD moved, .git/sd-head not yet
  clean       valid at once                   next        made valid by the next command
  repair      needed sd-fsck --repair         FAILED      see above
EOF
if [ -s "$T/mended" ]; then
	echo
	echo "what sd-fsck --repair mended (times):"
	sed 's/^/  /' "$T/mended" | sort | uniq -c | sort -rn
fi
[ "$edit_left" = 0 ] ||
	echo "sd-edit's temporary directories left in /tmp by a kill (removed): $edit_left"
[ "$git_tmp_left" = 0 ] ||
	echo "libgit2's temporary object files left in .git/objects by a kill: $git_tmp_left"
echo
echo "reach at the end:$(for k in $kinds; do
	eval "printf ' %s %s ms' $k \$((reach_$k / 1000))"; done)"
echo "runs: $runs, seed $seed0; clean at once: $(echo $tot | cut -d' ' -f6)," \
	"made valid by the next command: $(echo $tot | cut -d' ' -f7)," \
	"needed repair: $(echo $tot | cut -d' ' -f8), failed: $(echo $tot | cut -d' ' -f9)" \
	"($failures findings)"
if [ "$failures" != 0 ]; then
	echo "the failing stores, with a README each: $keep"
	exit 1
fi
exit 0
