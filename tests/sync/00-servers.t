#!/bin/sh
# The servers of the sync scenarios (tests/sync/lib-sync.sh) on their own,
# with plain git: a hub store with sd's pre-receive hook behind git daemon
# and behind sshd (a test user's key bound to git-shell); clones over
# git:// and ssh:// made stores, a good push over each accepted and the
# hub's files follow, bad pushes refused with the hook's reason and
# nothing of the hub moved, the key good for git alone.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
start_git_daemon
start_sshd
make_hub hub lease=10 low=3
H=$(hub_dir hub)

expect 0 "the hub's sd.ini has [sync], committed" hub_fsck hub
like "$H/sd.ini" '^lease = 10$' "[sync] lease = 10 is in the hub's sd.ini"
hub_git hub show HEAD:sd.ini >"$T/committed.ini"
like "$T/committed.ini" '^\[sync\]$' "and in its HEAD"
is "$(hub_git hub log -1 --format=%an)" "Carmen Vargas" "committed by carmen through sd-edit"
find "$H" ! -user "$SYNC_USER" >"$T/foreign"
is "$(wc -l <"$T/foreign")" 0 "the hub belongs to the test user"
is "$(hub_git hub config core.bare)" true "its repository is bare (the files beside it)"
ok $(listening "$GIT_PORT"; echo $?) "git daemon listens on 127.0.0.1:$GIT_PORT"
ok $(listening "$SSH_PORT"; echo $?) "sshd listens on 127.0.0.1:$SSH_PORT"
ok $(python3 -c 'import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(s.connect_ex(("127.0.0.2", int(sys.argv[1]))) == 0)' "$GIT_PORT"; echo $?) \
	"and on no other address (127.0.0.2 refused)"

# Over git://: a clone made a store, an agent's change pushed.
G=$T/g
expect 0 "git clone over git://" git clone -q "$(url_git hub)" "$G"
expect 0 "the clone becomes a store" sd-fsck -C "$G" --repair
expect 0 "a ticket registered in the git:// clone" env SD_STORE="$G" \
	sd-new -t incident -s "VPN down" -r Jorge -c network/vpn --email j@example.org
expect 0 "pushed over git:// and accepted by the hook" git -C "$G" push -q origin main
is "$(hub_git hub rev-parse main)" "$(git -C "$G" rev-parse main)" "the hub's branch moved to it"
expect 0 "the hub's commands see the ticket" at_hub hub sd-show --field title SD-1
is "$(cat "$T/out")" "VPN down" "its title"
ok $([ -f "$H/tickets/000/SD-1.ini" ]; echo $?) "the hub's files followed"

# Over ssh://: another clone, a note pushed.
S=$T/s
expect 0 "git clone over ssh:// (git-shell)" git clone -q "$(url_ssh hub)" "$S"
expect 0 "the clone becomes a store" sd-fsck -C "$S" --repair
expect 0 "a note in the ssh:// clone" env SD_STORE="$S" sd-note 1 -m "Called the ISP"
expect 0 "pushed over ssh:// and accepted by the hook" git -C "$S" push -q origin main
is "$(hub_git hub rev-parse main)" "$(git -C "$S" rev-parse main)" "the hub's branch moved to it"
expect 0 "the hub shows the note" at_hub hub sd-show --format ini SD-1
like "$T/out" "Called the ISP" "the note's text"
find "$H" ! -user "$SYNC_USER" >"$T/foreign"
is "$(wc -l <"$T/foreign")" 0 "what the pushes and commands made at the hub is the test user's"

# Bad pushes: refused by the hook, the hub unchanged.
hub_before=$(hub_git hub rev-parse main)
# forge_in DIR AUTHOR EMAIL SED: a commit on DIR's origin/main changing
# SD-1's file by SED, as a note by that author.
forge_in() {
	_d=$1
	git -C "$_d" show origin/main:tickets/000/SD-1.ini | sed "$4" >"$T/forged.ini"
	_blob=$(git -C "$_d" hash-object -w "$T/forged.ini")
	GIT_INDEX_FILE=$T/forge.idx git -C "$_d" read-tree origin/main
	GIT_INDEX_FILE=$T/forge.idx git -C "$_d" update-index --cacheinfo "100644,$_blob,tickets/000/SD-1.ini"
	_tree=$(GIT_INDEX_FILE=$T/forge.idx git -C "$_d" write-tree)
	rm -f "$T/forge.idx"
	printf 'SD-1: note\n\nTicket: SD-1\nAction: note\n' |
		GIT_AUTHOR_NAME=$2 GIT_AUTHOR_EMAIL=$3 GIT_COMMITTER_NAME=$2 GIT_COMMITTER_EMAIL=$3 \
		git -C "$_d" commit-tree "$_tree" -p origin/main
}
git -C "$S" fetch -q origin
c=$(forge_in "$S" Mallory mallory@evil.example 's/^title = VPN down/title = VPN up/')
expect 1 "a commit by no agent, over ssh://: refused" git -C "$S" push -q origin "$c:refs/heads/main"
like "$T/err" "no agent of agents.ini" "the hook says why, through sshd"
is "$(hub_git hub rev-parse main)" "$hub_before" "the hub did not move"
git -C "$G" fetch -q origin
c=$(forge_in "$G" Mallory mallory@evil.example 's/^title = VPN down/title = VPN up/')
expect 1 "the same over git://: refused" git -C "$G" push -q origin "$c:refs/heads/main"
like "$T/err" "no agent of agents.ini" "the hook says why, through git daemon"
is "$(hub_git hub rev-parse main)" "$hub_before" "the hub did not move"
expect 1 "a rewind by force over git://: refused" git -C "$G" push -q --force origin "main~1:refs/heads/main"
like "$T/err" "not a fast-forward" "the hook says why"
is "$(hub_git hub rev-parse main)" "$hub_before" "the hub did not move"
expect 0 "the hub is still a clean store" hub_fsck hub

# The key opens git-shell alone: no shell, no other command.
expect 128 "the key runs no command but git's" sh -c "$GIT_SSH_COMMAND -p $SSH_PORT $SYNC_USER@127.0.0.1 id"
like "$T/err" "unrecognized command|fatal" "git-shell says no"
done_testing
