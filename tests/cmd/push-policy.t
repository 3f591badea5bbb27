#!/bin/sh
# The pre-receive hook of share/hooks: sd-fsck --push on each ref update,
# tried with plain git push, into a bare repository and through git daemon.
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
like "$T/err" "refs/heads/main: the store's branch may not be deleted" "and says why"
is "$(git --git-dir="$central" rev-parse main)" "$c2" "nothing else moved"

cgit() { git --git-dir="$central" "$@"; }
# refused WHAT PATTERN PUSH-ARGS...: a push from the clone is refused, the
# hook says PATTERN, and no ref of the central repository moved.
refused() {
	_what=$1 _pat=$2
	shift 2
	cgit for-each-ref >"$T/refs.before"
	wgit push -q "$@" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "$_what: refused"
	like "$T/err" "$_pat" "$_what: the hook says why"
	cgit for-each-ref >"$T/refs.after"
	ok $(cmp -s "$T/refs.before" "$T/refs.after"; echo $?) "$_what: no central ref moved"
}
# forge_tree AUTHOR EMAIL ACTION PATH FILE [PARENT]: a commit adding FILE at
# PATH to main's tree (PARENT main, or none when "-")
forge_tree() {
	_blob=$(wgit hash-object -w "$5")
	rm -f "$T/forge.idx"
	GIT_INDEX_FILE=$T/forge.idx wgit read-tree main
	GIT_INDEX_FILE=$T/forge.idx wgit update-index --add --cacheinfo "100755,$_blob,$4"
	_tree=$(GIT_INDEX_FILE=$T/forge.idx wgit write-tree)
	rm -f "$T/forge.idx"
	_p="-p ${6:-main}"
	[ "${6:-}" = - ] && _p=
	printf 'SD-1: %s\n\nTicket: SD-1\nAction: %s\n' "$3" "$3" |
		GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$2 \
		wgit commit-tree "$_tree" $_p
}

# Rewinding the branch by five commits (SD-2..SD-4 and two notes).
for i in 2 3 4; do
	SD_STORE=$W sd-new -t incident -s "Printer $i" -r Eva -c hardware --email eva@example.org >/dev/null
done
SD_STORE=$W sd-note -m "first" 2 >/dev/null
SD_STORE=$W sd-note -m "second" 3 >/dev/null
expect 0 "five changes are pushed" wgit push -q origin main
refused "a force-push rewinding main by five commits" \
	"refs/heads/main: not a fast-forward of [0-9a-f]{12}: the store's history only moves forward" \
	--force origin main~5:refs/heads/main
is "$(cgit show main:tickets/000/SD-4.ini | sed -n 's/^id = //p')" SD-4 "SD-4 is still there"
# A rewrite: the last commit made again, the same change by the same
# agent, on the same parent (a new date).
c=$(printf 'SD-3: note\n\nTicket: SD-3\nAction: note\n' |
	GIT_AUTHOR_NAME="Ana Gómez" GIT_AUTHOR_EMAIL=ana.gomez@example.org \
	GIT_AUTHOR_DATE="2026-11-23T11:00:00-05:00" wgit commit-tree "main^{tree}" -p main~1)
refused "a rewrite of the last commit" "not a fast-forward" --force origin "$c:refs/heads/main"

# A forged root: a history of its own, by an unknown author, holding the
# four files only, whose agents.ini makes Mallory a coordinator.
wgit show main:agents.ini >"$T/agents"
printf '\n[agent mallory]\nemail = mallory@evil.example\ngroups = desk\ncoordinator = yes\n' >>"$T/agents"
rm -f "$T/root.idx"
for f in sd.ini sla.ini escalation.ini; do
	GIT_INDEX_FILE=$T/root.idx wgit update-index --add --cacheinfo \
		"100644,$(wgit rev-parse "main:$f"),$f"
done
GIT_INDEX_FILE=$T/root.idx wgit update-index --add --cacheinfo \
	"100644,$(wgit hash-object -w "$T/agents"),agents.ini"
c=$(printf 'init\n\nAction: init\n' | GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=mallory@evil.example \
	GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=mallory@evil.example \
	wgit commit-tree "$(GIT_INDEX_FILE=$T/root.idx wgit write-tree)")
rm -f "$T/root.idx"
refused "a forged root commit by an unknown author" "not a fast-forward" --force origin "$c:refs/heads/main"
is "$(cgit show main:agents.ini | grep -c mallory)" 0 "agents.ini is not replaced"
is "$(cgit ls-tree -r --name-only main | grep -c "^tickets/")" 4 "SD-1..SD-4 are there"
# The same forged root on top of the history: a second root, by a merge.
m=$(printf 'SD-1: note\n\nAction: note\n' | GIT_AUTHOR_NAME=Ana GIT_AUTHOR_EMAIL=ana.gomez@example.org \
	wgit commit-tree "main^{tree}" -p main -p "$c")
refused "a merge bringing in a forged root" "a merge commit" origin "$m:refs/heads/main"

# Paths outside the layout, in a commit that is otherwise a note.
printf '#!/bin/sh\ntouch "%s/ran"\n' "$T" >"$T/evil"
chmod +x "$T/evil"
c=$(forge_tree "Ana Gómez" ana.gomez@example.org note hooks/new "$T/evil")
refused "a hooks/new file" "hooks/new: commit [0-9a-f]{12}: hooks/ is each machine's own" \
	origin "$c:refs/heads/main"
c=$(forge_tree "Ana Gómez" ana.gomez@example.org note notes.txt "$T/evil")
refused "a stray notes.txt" "notes.txt: commit [0-9a-f]{12}: not part of a store's layout" \
	origin "$c:refs/heads/main"
c=$(forge_tree "Ana Gómez" ana.gomez@example.org note tickets/000/evil.sh "$T/evil")
refused "a stray tickets/000/evil.sh" "tickets/000/evil.sh: commit [0-9a-f]{12}: not a ticket file name" \
	origin "$c:refs/heads/main"
# ... and the same file two commits deep, under a valid note.
SD_STORE=$W sd-note -m "third" 2 >/dev/null
c=$(forge_tree "Ana Gómez" ana.gomez@example.org note notes.txt "$T/evil" main~1)
c=$(wgit commit-tree "main^{tree}" -p "$c" -m "SD-2: note" -m "Ticket: SD-2
Action: note")
refused "a stray file under a valid commit" "notes.txt: commit [0-9a-f]{12}: not part" \
	origin "$c:refs/heads/main"
expect 0 "the honest note is pushed" wgit push -q origin main

# Other refs: refused until sd.ini's push_refs lists them.
wgit tag v1 main
refused "a tag" "refs/tags/v1: only refs/heads/main is pushed here" origin refs/tags/v1
refused "another branch" "refs/heads/other: only refs/heads/main is pushed here" \
	origin main:refs/heads/other
refused "a note ref" "refs/notes/commits: only refs/heads/main" origin main:refs/notes/commits
run env SD_SED='/^prefix = /a push_refs = tags/v*' SD_AGENT=carmen \
	EDITOR="$T/editor" SD_STORE="$W" sd-edit sd.ini
is "$rc" 78 "push_refs naming no ref under refs/: 78"
like "$T/err" "sd\.ini: draft line [0-9]+: push_refs: 'tags/v\\*' is not a ref name" "names file, line and value"
run env SD_SED='/^prefix = /a push_refs = refs/tags/../x' SD_AGENT=carmen \
	EDITOR="$T/editor" SD_STORE="$W" sd-edit sd.ini
is "$rc" 78 "push_refs with '..': 78"
run env SD_SED='/^prefix = /a push_refs = refs/tags/v* refs/notes/*' SD_AGENT=carmen \
	EDITOR="$T/editor" SD_STORE="$W" sd-edit sd.ini
is "$rc" 0 "a coordinator lists tags v* and notes in push_refs"
expect 0 "the configuration edit is pushed" wgit push -q origin main
expect 0 "now the tag is accepted" wgit push -q origin refs/tags/v1
is "$(cgit rev-parse v1)" "$(wgit rev-parse v1)" "and is there"
refused "a tag push_refs does not list" "refs/tags/w1: only refs/heads/main" origin main:refs/tags/w1
refused "another branch still" "refs/heads/other: only" origin main:refs/heads/other

# Agents with no email commit as <id>@<prefix>.sd.invalid: the example's
# cron closes a solved ticket in the clone, as the README's cron does.
SD_STORE=$W sd-solve -m "Toner replaced" 4 >/dev/null
expect 0 "the solve is pushed" wgit push -q origin main
expect 0 "cron closes it by sd-close --auto" \
	env SD_STORE="$W" SD_AGENT=cron SD_NOW=2026-11-30T16:00:00-05:00 sd-close --auto
is "$(wgit log -1 --format=%ae)" cron@sd.sd.invalid "authored by cron's address"
expect 0 "an agent without email: the push is accepted" wgit push -q origin main
is "$(cgit rev-parse main)" "$(wgit rev-parse main)" "and the central branch moved"
# An impostor: ana has an email, so ana@sd.sd.invalid is nobody.
c=$(forge_commit "Ana Gómez" ana@sd.sd.invalid note 's/^title = VPN drops/title = VPN drops!/')
refused "an impostor as <ana@sd.sd.invalid>" "the author <ana@sd.sd.invalid> is no agent" \
	--force origin "$c:refs/heads/main"
c=$(forge_commit cron cron@other.sd.invalid note 's/^title = VPN drops/title = VPN drops!/')
refused "cron's address under another prefix" "the author <cron@other.sd.invalid> is no agent" \
	--force origin "$c:refs/heads/main"

# Hooks are never taken from the history: one that entered the central
# repository before its hook did, cloned and made a store, is neither
# kept nor run.
legacy=$T/legacy.git
git clone -q --bare "$central" "$legacy"
c=$(forge_tree "Ana Gómez" ana.gomez@example.org note hooks/new "$T/evil")
wgit push -q "$legacy" "$c:refs/heads/main"
git clone -q "$legacy" "$T/w2"
ok $([ -x "$T/w2/hooks/new" ]; echo $?) "git clone wrote out hooks/new"
expect 65 "sd-fsck --repair of the clone reports the history's hooks/" sd-fsck -C "$T/w2" --repair
like "$T/out" "hooks/new: written out from the store's history" "names hooks/new"
ok $([ ! -e "$T/w2/hooks/new" ]; echo $?) "and removed it"
# Put back by hand, the same file still does not run.
cp "$T/evil" "$T/w2/hooks/new"
chmod +x "$T/w2/hooks/new"
expect 0 "sd-new in that store" env SD_STORE="$T/w2" sd-new -t incident -s Y -r Eva -c hardware \
	--email eva@example.org
ok $([ ! -e "$T/ran" ]; echo $?) "the history's hooks/new did not run"
like "$T/err" "hooks/new: not run, the store's history holds" "and says why"
rm -f "$T/w2/hooks/new"
expect 65 "sd-edit takes no hooks/ path" env SD_STORE="$W" SD_AGENT=carmen EDITOR=true \
	sd-edit hooks/new

# Through git daemon: the git:// protocol runs the same hook.  On
# 127.0.0.1, a free port (tried again should another take it first), the
# daemon stopped on exit.
dpid=
trap '[ -z "$dpid" ] || kill "$dpid" 2>/dev/null; rm -rf "$T"' EXIT
up=1
if [ -x "$(git --exec-path)/git-daemon" ]; then
	for attempt in 1 2 3; do
		port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		git daemon --listen=127.0.0.1 --port="$port" --base-path="$T" --export-all \
			--enable=receive-pack --reuseaddr >"$T/daemon.log" 2>&1 &
		dpid=$!
		url=git://127.0.0.1:$port/central.git
		i=0
		until git ls-remote "$url" >/dev/null 2>&1 || [ $i -ge 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		git ls-remote "$url" >/dev/null 2>&1 && { up=0; break; }
		kill "$dpid" 2>/dev/null
		wait "$dpid" 2>/dev/null
		dpid=
	done
fi
if [ $up = 0 ]; then
	before=$(cgit rev-parse main)
	wgit push -q --force "$url" "main~3:refs/heads/main" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "git://: a rewind is refused"
	like "$T/err" "not a fast-forward" "git://: the hook says why"
	is "$(cgit rev-parse main)" "$before" "git://: main did not move"
	SD_STORE=$W sd-note -m "over git" 2 >/dev/null
	wgit push -q "$url" main >"$T/out" 2>"$T/err"
	is "$?" 0 "git://: an honest note is accepted"
	is "$(cgit rev-parse main)" "$(wgit rev-parse main)" "git://: main moved"
	kill "$dpid" 2>/dev/null
	wait "$dpid" 2>/dev/null
	dpid=
else
	for what in "a rewind is refused" "the hook says why" "main did not move" \
	    "an honest note is accepted" "main moved"; do
		_n=$((_n + 1))
		echo "ok $_n # SKIP git daemon did not start (git-daemon missing?)"
	done
fi

# sd-fsck --push by hand, and --commits, in a store.
z=0000000000000000000000000000000000000000
expect 64 "--push with two operands" sd-fsck --push "$z" "$z"
expect 64 "--push with no ref" sd-fsck --push "$z" "$z" main
expect 64 "--push with no commit" sd-fsck --push nothing "$z" refs/heads/main
expect 64 "--push with --repair" sd-fsck --repair --push "$z" "$z" refs/heads/main
expect 64 "--push with --commits" sd-fsck --commits HEAD --push "$z" "$z" refs/heads/main
expect 65 "--push deleting main" sd-fsck --push "$(head_id)" "$z" refs/heads/main
expect 0 "--push creating main with the store's history" sd-fsck --push "$z" "$(head_id)" refs/heads/main

# sd-fsck --commits in a store, on its own history.
expect 0 "the store's own history passes" sd-fsck --commits HEAD
expect 64 "a range that is none" sd-fsck --commits nothing..here
expect 64 "--commits with --repair" sd-fsck --repair --commits HEAD
done_testing
