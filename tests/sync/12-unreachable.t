#!/bin/sh
# Scenario 12: the hub unreachable.  With [sync] timeout at its default,
# 30 s (sd.ini takes no less than 1m): a port with nothing listening, a
# server that accepts and never answers (git:// and ssh://), git daemon
# and sshd stopped - each time sd-sync exits 74 within the timeout (plus
# 5 s for starting up and stopping), nothing of the site
# changes (HEAD, refs, files), and sd-new keeps working.  Back online
# with the hub at another port, the site syncs what it made meanwhile.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a) B=$(site_gd b)
LIMIT=35

# A black hole: accepts connections and never says a word.
python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)' >"$T/hole.port" 2>/dev/null </dev/null &
SYNC_PIDS="$SYNC_PIDS $!"
i=0
while [ ! -s "$T/hole.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
HOLE=$(cat "$T/hole.port")
DEAD=$(free_port)

expect 0 "site a notes SD-1, offline" at a env SD_NOW=2026-11-23T10:30:00-05:00 sd-note -m "Offline" SD-1
# state DIR: what must not change: HEAD, every ref, the files
state() {
	(
		git --git-dir="$T/$1/.git" for-each-ref --format='%(refname) %(objectname)'
		git --git-dir="$T/$1/.git" rev-parse HEAD
		cd "$T/$1" && find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum
		cat .git/sd-head
	) 2>&1
}
# unreachable DIR URL WHAT: sd-sync at DIR with its hub at URL: 74 in time,
# nothing changed
unreachable() {
	_real=$(git --git-dir="$T/$1/.git" config sd.hub)
	git --git-dir="$T/$1/.git" config sd.hub "$2"
	state "$1" >"$T/state.before"
	_t0=$(date +%s)
	expect 74 "$3: sd-sync exits 74" sd-sync -C "$T/$1" --format tsv
	_took=$(($(date +%s) - _t0))
	ok $([ "$_took" -le "$LIMIT" ]; echo $?) "$3: within the timeout ($_took s)"
	one_line_error "$T/err" "$3: one line says why"
	state "$1" >"$T/state.after"
	ok $(cmp -s "$T/state.before" "$T/state.after"; echo $?) "$3: nothing changed"
	git --git-dir="$T/$1/.git" config sd.hub "$_real"
}

unreachable a "git://127.0.0.1:$DEAD/hub" "nothing listening (git://)"
unreachable a "git://127.0.0.1:$HOLE/hub" "a server that never answers (git://)"
unreachable b "ssh://$SYNC_USER@127.0.0.1:$HOLE$(hub_dir hub)" "a server that never answers (ssh://)"
expect 0 "sd-new keeps working at site a" at a sd-new -t incident -s "Offline ticket" -r Lia \
	-c network/vpn --email lia@example.org
is "$(cat "$T/out")" SD-1001 "SD-1001, from its block"
expect 0 "sd-sync --status works offline" sd-sync -C "$T/a" --status

kill "$GIT_DAEMON_PID" "$SSHD_PID"
wait "$GIT_DAEMON_PID" "$SSHD_PID" 2>/dev/null
unreachable a "$(url_git hub)" "git daemon stopped"
unreachable b "$(url_ssh hub)" "sshd stopped"
ok $(! tpath "$H" SD-1001 >/dev/null; echo $?) "the hub has no SD-1001"

start_git_daemon
git --git-dir="$A" config sd.hub "$(url_git hub)"
expect 0 "back online (git daemon at another port): site a syncs" sd-sync -C "$T/a" --format tsv
is "$(tkey "$H" SD-1001 title)" "Offline ticket" "the hub has SD-1001"
tshow "$H" SD-1 >"$T/hub.ini"
like "$T/hub.ini" "^text = Offline$" "and the note"
is "$(git --git-dir="$A" rev-parse HEAD)" "$(hub_git hub rev-parse HEAD)" "site a at the hub's head"
expect 0 "sd-fsck at site a" sd-fsck -C "$T/a"
expect 0 "sd-fsck at site b" sd-fsck -C "$T/b"
done_testing
