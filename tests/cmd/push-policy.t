#!/bin/sh
# The pre-receive hook of share/hooks: sd-fsck --commits on each push.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "VPN" -r Jorge -c network/vpn --email j@example.org >/dev/null
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"

# A clone where sd works: a store again after sd-fsck --repair.
git clone -q "$central" "$T/work"
expect 0 "a clone becomes a store" sd-fsck -C "$T/work" --repair
W=$T/work
wgit() { git --git-dir="$W/.git" "$@"; }
expect 0 "an agent's change in the clone" env SD_STORE="$W" sd-assign 1 --me
expect 0 "is pushed and accepted" wgit push -q origin main
is "$(git --git-dir="$central" rev-parse main)" "$(wgit rev-parse main)" "the central branch moved"

# forge AUTHOR EMAIL ACTION SED: a hand-made commit on the clone's main that
# applies SED to SD-1's file, with that author and Action: trailer.
forge_commit() {
	_f=tickets/000/SD-1.ini
	wgit show "main:$_f" | sed "$4" >"$T/forged.ini"
	_blob=$(wgit hash-object -w "$T/forged.ini")
	_idx=$T/forge.idx
	GIT_INDEX_FILE=$_idx wgit read-tree main
	GIT_INDEX_FILE=$_idx wgit update-index --cacheinfo "100644,$_blob,$_f"
	_tree=$(GIT_INDEX_FILE=$_idx wgit write-tree)
	rm -f "$_idx"
	_c=$(printf 'SD-1: %s\n\nTicket: SD-1\nAction: %s\n' "$3" "$3" |
		GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$2 \
		wgit commit-tree "$_tree" -p main)
	echo "$_c"
}
try_push() {   # try_push COMMIT: push it as main; rc and stderr in $T
	wgit push -q --force origin "$1:refs/heads/main" >"$T/out" 2>"$T/err"
	rc=$?
}

central_before=$(git --git-dir="$central" rev-parse main)
c=$(forge_commit "Ana Gómez" ana.gomez@example.org close 's/^status = assigned/status = closed/')
try_push "$c"
ok $([ $rc != 0 ]; echo $?) "an illegal move (assigned -> closed by close) is refused"
like "$T/err" "cannot close a ticket that is assigned" "and says why"
c=$(forge_commit "Marta Ríos" marta.rios@example.org suspend 's/^status = assigned/status = suspended/')
try_push "$c"
ok $([ $rc != 0 ]; echo $?) "a role rule broken (marta is not in the ticket's group) is refused"
like "$T/err" "not one of yours" "and says why"
c=$(forge_commit "Mallory" mallory@evil.example note 's/^title = VPN/title = VPN!/')
try_push "$c"
ok $([ $rc != 0 ]; echo $?) "an author who is no agent is refused"
like "$T/err" "no agent of agents.ini" "and says why"
c=$(forge_commit "Ana Gómez" ana.gomez@example.org edit 's/^priority = .*/priority = 9/')
try_push "$c"
ok $([ $rc != 0 ]; echo $?) "a ticket left invalid is refused"
like "$T/err" "priority must be 1 to 4" "and says why"
# A valid edit is what sd-edit makes: the key, its event, `updated`.
mkeditor
SD_SED='s/^title = VPN/title = VPN drops/' EDITOR=$T/editor SD_STORE=$W sd-edit 1 >/dev/null 2>&1
c=$(wgit rev-parse main)
try_push "$c"
is "$rc" 0 "a valid edit by an agent is accepted"
is "$(git --git-dir="$central" rev-parse main)" "$c" "and the branch moved"
c2=$(git --git-dir="$central" rev-parse main)
wgit push -q origin :refs/heads/main >"$T/out" 2>"$T/err"
ok $([ $? != 0 ]; echo $?) "deleting the branch is refused"
is "$(git --git-dir="$central" rev-parse main)" "$c2" "nothing else moved"

# sd-fsck --commits in a store, on its own history.
expect 0 "the store's own history passes" sd-fsck --commits HEAD
expect 64 "a range that is none" sd-fsck --commits nothing..here
expect 64 "--commits with --repair" sd-fsck --repair --commits HEAD
done_testing
