#!/bin/sh
# Many writers at once on one store (SPEC sections 1, 2 and 8): every
# change is serialised by the store's lock, nothing is lost, no ID is given
# twice, and a writer that cannot have the lock gives up with 75 after
# SD_LOCK_TIMEOUT seconds instead of waiting forever.
#
# $W writers (8) each run $K commands (25; times SD_STRESS_SCALE, which
# `make stress` raises) in a shell loop, all at once: each takes tickets
# of its own through sd-new, sd-assign, sd-note, sd-escalate and sd-solve
# (a third of them registered without an email: pending-info), every fifth
# command notes on SD-1, which all of them share (a lost update shows in
# its events), and every seventh is an sd-close --auto at a later SD_NOW,
# which closes the solved tickets and makes the pending-info ones
# unmanaged, one commit each.  A command refused with 75 is tried again
# at the writer's next turn.  Afterwards: every command succeeded or got
# 75 after waiting SD_LOCK_TIMEOUT and no more than that plus the slack;
# the IDs are 1..N; one commit per successful change, each ticket's
# commits and final status as its writer's log says; sd-fsck, git fsck,
# the files equal HEAD; the lock is free.  Last, with the lock held by
# another process, each kind of command gives up with 75 after
# SD_LOCK_TIMEOUT and changes nothing.
#
# Tunable: SD_STRESS_SCALE (commands per writer: 25 times it),
# SD_STRESS_WRITERS (8), SD_STRESS_LOCK_TIMEOUT (3 s: the SD_LOCK_TIMEOUT
# of the writers; a small one, 0.2, makes them meet 75 often).  When a
# plain sd-show takes over a second (valgrind), 4 writers run 7 commands
# each unless SD_STRESS_WRITERS and SD_STRESS_SCALE say, and the slack
# grows with it.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/stress.sh"
mkstore

early=2026-11-23T10:00:00-05:00
late=2026-12-01T10:00:00-05:00
export SD_NOW=$early

# SD-1: the ticket every writer notes on.
expect 0 "SD-1, the shared ticket" sd-new -t incident -s "Shared" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org

# The measure of this machine and build: sd-show alone, timed (under
# valgrind, `make check-valgrind`, a command takes seconds).
t0=$(now_ms)
expect 0 "sd-show alone" sd-show 1
solo=$(($(now_ms) - t0))
W=${SD_STRESS_WRITERS:-8}
K=$(stress_count 25)
# Under valgrind, 4 writers of 7 commands, unless SD_STRESS_WRITERS and
# SD_STRESS_SCALE say.
if [ "$solo" -gt 1000 ]; then
	[ -n "${SD_STRESS_WRITERS:-}" ] || W=4
	[ -n "${SD_STRESS_SCALE:-}" ] || K=7
fi
# The lock wait ($SD_STRESS_LOCK_TIMEOUT: a small one makes writers give
# up with 75); and the slack: what a command may take beyond its lock
# waits, on a loaded machine, under the sanitizers: 10 s, or, when that
# is longer, five times sd-show alone for each writer (under valgrind the
# writers share the cores, each at many times sd-show's cost).
wait_s=${SD_STRESS_LOCK_TIMEOUT:-3}
export SD_LOCK_TIMEOUT=$wait_s
slack=$((solo * W * 5 / 1000))
[ "$slack" -ge 10 ] || slack=10
echo "# sd-show alone: $solo ms; $W writers x $K commands; SD_LOCK_TIMEOUT=$wait_s, slack $slack s"

# writer N: K commands; its log in $T/log.N (see timed in tests/stress.sh),
# the rows sd-close --auto printed in $T/log.N.rows
writer() {
	_w=$1 _log=$T/log.$1 _cur=- _stage=0 _made=0 _i=0
	_who=ana
	[ $((_w % 2)) = 0 ] && _who=luis
	: >"$_log"
	while [ $_i -lt "$K" ]; do
		_i=$((_i + 1))
		if [ $((_i % 7)) = 0 ]; then
			timed "$_log" auto - env SD_NOW=$late SD_AGENT=cron sd-close --auto --format tsv
			grep '^SD-' "$_log.out" >>"$_log.rows"
			continue
		fi
		if [ $((_i % 5)) = 0 ]; then
			timed "$_log" note SD-1 env SD_AGENT=$_who sd-note -m "writer $_w, command $_i" 1
			continue
		fi
		case $_stage in
		0)
			_made=$((_made + 1))
			if [ $(((_made + _w) % 3)) = 0 ]; then
				timed "$_log" new-pending - env SD_AGENT=$_who sd-new -t incident \
					-s "Writer $_w, ticket $_made" -r "Eva Luna" -c network/vpn
			else
				timed "$_log" new - env SD_AGENT=$_who sd-new -t incident \
					-s "Writer $_w, ticket $_made" -r "Pedro Ruiz" -c network/vpn \
					--email pedro@example.org -m "Writer $_w's ticket $_made"
				[ "$rc" = 0 ] && _cur=$(head -n 1 "$_log.out") _stage=1
			fi ;;
		1)
			timed "$_log" assign "$_cur" env SD_AGENT=$_who sd-assign "$_cur" luis
			[ "$rc" = 0 ] && _stage=2 ;;
		2)
			timed "$_log" note "$_cur" env SD_AGENT=luis sd-note -m "Looked at it ($_w/$_i)" "$_cur"
			[ "$rc" = 0 ] && _stage=3 ;;
		3)
			timed "$_log" escalate "$_cur" env SD_AGENT=luis sd-escalate -m "Tunnel drops" "$_cur"
			[ "$rc" = 0 ] && _stage=4 ;;
		4)
			timed "$_log" solve "$_cur" env SD_AGENT=jorge sd-solve -m "Router restarted" "$_cur"
			[ "$rc" = 0 ] && _stage=0 ;;
		esac
		# Anything but 0 and 75 leaves the ticket where it is.
		[ "$rc" != 0 ] && [ "$rc" != 75 ] && _stage=0
	done
	: >>"$_log.rows"
}

start=$(now_ms)
w=0
pids=
while [ $w -lt "$W" ]; do
	w=$((w + 1))
	writer $w &
	pids="$pids $!"
done
wait $pids
took=$(($(now_ms) - start))
echo "# $W writers x $K commands: $((took / 1000)).$((took % 1000 / 100)) s"

# One last sd-close --auto, alone: every solved ticket closed, every
# pending-info one unmanaged.
timed "$T/last" auto - env SD_NOW=$late SD_AGENT=cron sd-close --auto --format tsv
is "$rc" 0 "the last sd-close --auto"
grep '^SD-' "$T/last.out" >"$T/last.rows"
# sd-close --auto runs git gc --auto, which (at SD_STRESS_SCALE=8) packs
# the objects beside the writers.
echo "# packs: $(ls "$SD_STORE/.git/objects/pack" | grep -c '\.pack$')," \
	"loose objects: $(find "$SD_STORE/.git/objects" -path '*/[0-9a-f][0-9a-f]/*' -type f | wc -l)"

: >"$T/all"
: >"$T/rows"
: >"$T/fail"
w=0
while [ $w -lt "$W" ]; do
	w=$((w + 1))
	cat "$T/log.$w" >>"$T/all"
	cat "$T/log.$w.rows" >>"$T/rows"
	[ -f "$T/log.$w.fail" ] && cat "$T/log.$w.fail" >>"$T/fail"
done
cat "$T/last.rows" >>"$T/rows"
total=$(wc -l <"$T/all")
is "$total" $((W * K)) "every command of every writer ran"
n_ok=$(awk '$3 == 0' "$T/all" | wc -l)
n_changes=$(awk '$3 == 0 && $1 != "auto"' "$T/all" | wc -l)
n_busy=$(awk '$3 == 75' "$T/all" | wc -l)
n_rows=$(wc -l <"$T/rows")
echo "# $n_ok succeeded, $n_busy busy (75), $n_rows closed or made unmanaged by sd-close --auto"

# Exit statuses: 0, or 75 after a bounded wait.
[ -s "$T/fail" ] && sed 's/^/# /' "$T/fail" >&2
is "$(awk '$3 != 0 && $3 != 75 { print $1, $2, "exit", $3 }' "$T/all" | sort | uniq -c)" "" \
	"every command succeeded or got 75 (busy)"
is "$(awk -v t=$SD_LOCK_TIMEOUT '$3 == 75 && $4 < t * 1000 { print $1, $2, $4 " ms" }' "$T/all")" "" \
	"75 only after SD_LOCK_TIMEOUT ($SD_LOCK_TIMEOUT s) of waiting"
# A command takes the lock at most twice (once to bring the files up to
# date when it opens the store, once for its change); sd-close --auto
# once more for each ticket it found due (its rows, give or take those
# another one closed first).  Each wait is at most SD_LOCK_TIMEOUT.
is "$(awk -v t=$SD_LOCK_TIMEOUT -v s=$slack '
	{ locks = $1 == "auto" ? 2 + ($5 > 1 ? $5 - 1 : 0) : 2 }
	$4 > (locks * t + s) * 1000 { print $1, $2, "exit", $3, $4 " ms" }' "$T/all")" "" \
	"no command ran longer than its lock waits ($SD_LOCK_TIMEOUT s each) and $slack s"
awk '$1 != "auto" && $3 == 0 { print $4 }' "$T/all" | sort -n | awk '{ v[NR] = $1 }
	END { if (NR) printf "# changes took (ms): median %d, 90%% %d, longest %d\n",
	    v[int((NR + 1) / 2)], v[int((NR * 9 + 9) / 10)], v[NR] }'
echo "# longest sd-close --auto: $(awk '$1 == "auto" && $4 > m { m = $4 } END { print m + 0 }' "$T/all") ms"

# IDs: unique, dense.
{ echo SD-1; awk '($1 == "new" || $1 == "new-pending") && $3 == 0 { print $6 }' "$T/all"; } |
	sed 's/^SD-//' | sort -n >"$T/ids"
n_new=$(wc -l <"$T/ids")
is "$(sort -u "$T/ids" | wc -l)" "$n_new" "every ID sd-new gave is unique ($n_new)"
is "$(seq 1 "$n_new" | cmp - "$T/ids" >/dev/null 2>&1; echo $?)" 0 "the IDs are 1..$n_new, no gap"
ok $(ids_dense >&2; echo $?) "the ticket files are SD-1..SD-$n_new"
like "$T/all" "^new-pending - 0 " "some tickets went pending-info"

# Commits: init, one per successful command, one per ticket moved by
# sd-close --auto; and, ticket by ticket, as the logs say.
is "$(sgit rev-list --count HEAD)" $((1 + 1 + n_changes + n_rows)) \
	"one commit per change: init, SD-1, $n_changes by the writers, $n_rows by sd-close --auto"
is "$(sgit log --format='%(trailers:key=Action,valueonly)' | grep . | sort | uniq -c)" \
	"$({ echo new; echo init
	     awk '$3 == 0 && $1 != "auto" { sub(/-pending/, "", $1); print $1 }' "$T/all"
	     awk '{ print $3 == "closed" ? "auto-close" : "unmanaged" }' "$T/rows"; } | sort | uniq -c)" \
	"the commits' actions are the changes that succeeded"
# Ticket by ticket: its commits.
awk '$3 == 0 && $1 != "auto" { print ($1 ~ /^new/ ? $6 : $2) }' "$T/all" >"$T/touched"
is "$(sgit log --format='%(trailers:key=Ticket,valueonly)' | grep . | sort | uniq -c)" \
	"$({ echo SD-1; cat "$T/touched"; cut -f1 "$T/rows"; } | sort | uniq -c)" \
	"each ticket has one commit per change it had"
# Its final status: what its last successful command left, then auto.
awk '$3 == 0 && $1 != "auto" && $1 != "note" {
		id = ($1 ~ /^new/ ? $6 : $2)
		if ($1 == "new") st[id] = "new"
		else if ($1 == "new-pending") st[id] = "unmanaged"
		else if ($1 == "assign") st[id] = "assigned"
		else if ($1 == "escalate") st[id] = "escalated"
		else st[id] = "closed"
	}
	END { for (id in st) print id "\t" st[id] }' "$T/all" >"$T/want"
echo "SD-1	new" >>"$T/want"
sort -t- -k2n "$T/want" >"$T/want.sorted"
sd-list --fields id,status --format tsv | tail -n +2 >"$T/got"
is "$(cat "$T/got")" "$(cat "$T/want.sorted")" "each ticket's status is what its commands made it"
# SD-1: a note event for each note that succeeded; no lost update.
notes=$(awk '$1 == "note" && $2 == "SD-1" && $3 == 0' "$T/all" | wc -l)
is "$(sd-show --format json 1 | json_value /dev/stdin \
	'str(len([e for e in d["events"] if e["action"] == "note"]))')" "$notes" \
	"SD-1 has all $notes notes the writers added"
# The notes' texts: each writer's, none twice.
is "$(sd-show --format json 1 | json_value /dev/stdin \
	'"\n".join(sorted(e["text"] for e in d["events"] if e["action"] == "note"))' | sort -u | wc -l)" \
	"$notes" "each note once"

# The store.
expect 0 "sd-fsck: sound" sd-fsck
is "$(cat "$T/out" "$T/err")" "" "sd-fsck finds nothing"
clean "files equal HEAD, git fsck clean, .git/sd-head is HEAD"
ok $(flock -n "$SD_STORE/.git/sd.lock" true; echo $?) "the lock is free"
SD_LOCK_TIMEOUT=0 expect 0 "a change with SD_LOCK_TIMEOUT=0 has the lock at once" \
	sd-note -m "After the writers" 1

# Busy: the lock held by another process, each kind of command gives up
# with 75 after SD_LOCK_TIMEOUT (1 s), no later than the slack after it,
# and changes nothing.
lock=$SD_STORE/.git/sd.lock
expect 0 "a ticket for the busy store" sd-new -t incident -s "Busy" -r "Pedro Ruiz" \
	-c network/vpn --email pedro@example.org
busy=$(head -n 1 "$T/out")
expect 0 "solved, for sd-close --auto" sd-solve -m "Done" "$busy"
flock -o "$lock" sleep 30 >/dev/null 2>&1 </dev/null &
holder=$!
i=0
while flock -n "$lock" true && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
before=$(head_id)
: >"$T/b"
export SD_LOCK_TIMEOUT=1
timed "$T/b" new - sd-new -t incident -s "Waits" -r "Pedro Ruiz" -c network/vpn --email p@example.org
timed "$T/b" assign "$busy" sd-assign "$busy" luis
timed "$T/b" note "$busy" sd-note -m "Waits" "$busy"
timed "$T/b" escalate 1 sd-escalate -m "Waits" 1
timed "$T/b" solve 1 sd-solve -m "Waits" 1
timed "$T/b" auto - env SD_NOW=$late sd-close --auto
export SD_LOCK_TIMEOUT=$wait_s
kill "$holder"
wait "$holder" 2>/dev/null
is "$(awk '{ print $1, $3 }' "$T/b" | tr '\n' ' ')" \
	"new 75 assign 75 note 75 escalate 75 solve 75 auto 75 " "a held lock: 75 for each"
is "$(awk -v s=$slack '$4 < 1000 || $4 > (1 + s) * 1000 { print $1, $4 " ms" }' "$T/b")" "" \
	"each after 1 s of waiting, and no more than $slack s later"
sed 's/^/# /' "$T/b"
like "$T/b.err" "busy" "says the store is busy"
unchanged "$before" "after a busy store"

done_testing
