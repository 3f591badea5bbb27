#!/bin/sh
# A writer killed with SIGKILL may leave the branch's lock file
# (.git/refs/heads/main.lock) and a temporary file: the next command that
# holds the store's lock removes them, the lock file once it has stayed
# unchanged for half a second (a push into the store holds it for the
# instant of its update, without sd's lock).  git's own locks (packed-refs.lock, HEAD.lock) are
# not sd's: left alone, and not needed.
#
# The random kills: $(stress_count 20) runs (make stress: 8 times as many).
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/stress.sh"

mkstore
step 2026-11-23T09:00:00-05:00 ana sd-new -t incident -s "VPN down" -r "Pedro" \
	-c network/vpn --email pedro@example.org
g=$SD_STORE/.git

# --- by hand ---------------------------------------------------------------
b=$(head_id)
printf 'half written\n' >"$g/refs/heads/main.lock"
expect 0 "main.lock left by hand: sd-note succeeds" sd-note -m "After the lock" 1
is "$(sgit rev-parse HEAD~1)" "$b" "one commit on top"
ok $([ ! -e "$g/refs/heads/main.lock" ]; echo $?) "main.lock removed"
clean "store clean"
expect 0 "sd-fsck finds nothing" sd-fsck

: >"$g/refs/heads/main.lock"
expect 0 "an empty main.lock: sd-new succeeds" sd-new -t incident -s "Mail" -r Eva \
	-c email --email eva@example.org
is "$(cat "$T/out")" "SD-2" "SD-2 made"

# A push's update holds main.lock for an instant: it is waited on, never
# removed under the pusher.
rm -f "$T/kept"
( : >"$g/refs/heads/main.lock"; sleep 0.25
  [ -e "$g/refs/heads/main.lock" ] && echo kept >"$T/kept"
  rm -f "$g/refs/heads/main.lock" ) &
pusher=$!
sleep 0.05
b=$(head_id)
expect 0 "beside a live update of the branch: sd-note waits, then succeeds" \
	sd-note -m "Beside a push" 1
wait $pusher
is "$(cat "$T/kept" 2>/dev/null)" "kept" "the live update's lock file was left to it"
is "$(sgit rev-parse HEAD~1)" "$b" "one commit on top"

# A temporary file a killed writer left in .git/sd-tmp.
mkdir -p "$g/sd-tmp"
printf 'half\n' >"$g/sd-tmp/.SD-1.ini.0123456789abcdef.tmp"
expect 0 "a leftover temporary file: sd-note succeeds" sd-note -m "Again" 1
is "$(ls -A "$g/sd-tmp")" "" "the leftover removed"

# git's locks: not sd's to remove, and not needed by sd.
: >"$g/packed-refs.lock"
: >"$g/HEAD.lock"
b=$(head_id)
expect 0 "packed-refs.lock and HEAD.lock there: sd-note succeeds" sd-note -m "Beside git" 1
is "$(sgit rev-parse HEAD~1)" "$b" "one commit"
ok $([ -e "$g/packed-refs.lock" ] && [ -e "$g/HEAD.lock" ]; echo $?) "both left alone"
rm -f "$g/packed-refs.lock" "$g/HEAD.lock"
# The branch packed (a clone, git pack-refs): still moved as a loose ref.
sgit pack-refs --all
: >"$g/packed-refs.lock"
expect 0 "the branch packed, packed-refs.lock there: sd-note succeeds" sd-note -m "Packed" 1
rm -f "$g/packed-refs.lock"
clean "store clean"

# A lock file held by a live sd: the store's lock is, so main.lock is not
# touched while a command runs (the next one waits, then works).
flock "$g/sd.lock" sh -c ": >'$g/refs/heads/main.lock'; sleep 1; rm -f '$g/refs/heads/main.lock'" &
holder=$!
sleep 0.3
b=$(head_id)
SD_LOCK_TIMEOUT=5 expect 0 "beside a holder of the store's lock: waits, then succeeds" \
	sd-note -m "Waited" 1
wait $holder
is "$(sgit rev-parse HEAD~1)" "$b" "one commit"

# --- killed at random instants ---------------------------------------------
runs=$(stress_count 20)
head -c 300000 /dev/urandom | base64 >"$T/big"
seed=${SD_KILL_SEED:-$$}
echo "# $runs runs, seed $seed"
awk -v s="$seed" -v n="$runs" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.3f\n", rand() * 0.25 }' \
	>"$T/delays"
bad=0 locks=0 tmps=0 i=0
while read -r delay; do
	i=$((i + 1))
	b=$(head_id)
	case $((i % 3)) in
	0) sd-note -F "$T/big" 1 >/dev/null 2>&1 & ;;
	1) sd-new -t incident -s "Killed $i" -r Eva -c email --email eva@example.org \
		-F "$T/big" >/dev/null 2>&1 & ;;
	2) sd-update -F "$T/big" --urgency high 1 >/dev/null 2>&1 & ;;
	esac
	pid=$!
	sleep "$delay"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ -e "$g/refs/heads/main.lock" ] && locks=$((locks + 1))
	[ -n "$(ls -A "$g/sd-tmp" 2>/dev/null)" ] && tmps=$((tmps + 1))
	if ! sd-note -m "Next $i" 1 >"$T/next.out" 2>"$T/next.err"; then
		echo "# run $i (delay $delay): the next sd-note failed: $(cat "$T/next.err")" >&2
		bad=$((bad + 1))
		continue
	fi
	if ! sd-fsck >"$T/fsck.out" 2>&1; then
		echo "# run $i (delay $delay): sd-fsck found:" >&2
		sed 's/^/#   /' "$T/fsck.out" >&2
		bad=$((bad + 1))
		sd-fsck --repair >/dev/null 2>&1
	fi
done <"$T/delays"
echo "# $locks runs left main.lock, $tmps a temporary file"
is "$bad" 0 "after each of $runs kills the next sd-note succeeds and sd-fsck finds nothing"
clean "store clean at the end"

done_testing
