#!/bin/sh
# Scenario 9: what the hub's hook refuses, pushed with plain git from a
# site over git:// and ssh://: a force-push that rewinds, a merge, an
# author who is no agent, trailers that do not match the files, a new ID
# outside the site's blocks, an event dated the future (later than the
# hub's clock + max_skew, 5 minutes).  Each refused with the hook's
# reason, the hub unchanged; then sd-sync with the future event: 65.
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
two_sites
H=$(hub_gd hub) A=$(site_gd a)
hub_now hub 2026-11-23T12:00:00-05:00
ag() { git --git-dir="$A" "$@"; }

expect 0 "a valid note at site a" at a env SD_NOW=2026-11-23T10:30:00-05:00 sd-note -m "Checked" SD-1
expect 0 "a valid ticket at site a" at a env SD_NOW=2026-11-23T10:40:00-05:00 sd-new -t incident \
	-s "Keyboard" -r Lia -c network/vpn --email lia@example.org
expect 0 "synced" sd-sync -C "$T/a" --format tsv
base=$(ag rev-parse HEAD)
is "$(hub_git hub rev-parse HEAD)" "$base" "the hub is at site a's head"
expect 0 "another note at site a (not synced)" at a \
	env SD_NOW=2026-11-23T10:50:00-05:00 sd-note -m "Still" SD-1
note=$(ag rev-parse HEAD)

# commit TREE MESSAGE-FILE AUTHOR EMAIL PARENT...: a commit in site a's
# repository, authored and committed at Monday 10:50.
commit() {
	_tree=$1 _msg=$2 _an=$3 _ae=$4
	shift 4
	_ps=
	for _p; do _ps="$_ps -p $_p"; done
	GIT_AUTHOR_NAME=$_an GIT_AUTHOR_EMAIL=$_ae GIT_COMMITTER_NAME=$_an GIT_COMMITTER_EMAIL=$_ae \
		GIT_AUTHOR_DATE=2026-11-23T10:50:00-05:00 GIT_COMMITTER_DATE=2026-11-23T10:50:00-05:00 \
		ag commit-tree "$_tree" $_ps <"$_msg"
}
# refused WHAT PATTERN URL REFSPEC [--force]: the push is refused, the
# hook (or git) says PATTERN, the hub's branch has not moved.
refused() {
	_what=$1 _pat=$2
	shift 2
	expect 1 "$_what: refused" ag push "$@"
	like "$T/err" "$_pat" "$_what: why"
	is "$(hub_git hub rev-parse HEAD)" "$base" "$_what: the hub unchanged"
}

refused "a force-push rewinding the hub (ssh://)" "not a fast-forward" \
	--force "$(url_ssh hub)" "$base~1:refs/heads/main"

ag log -1 --format=%B "$note" >"$T/note.msg"
side=$(printf 'SD-1: note\n\nTicket: SD-1\nAction: note\nSite: a\n' |
	GIT_AUTHOR_NAME="Ana Gómez" GIT_AUTHOR_EMAIL=ana.gomez@example.org \
	GIT_COMMITTER_NAME="Ana Gómez" GIT_COMMITTER_EMAIL=ana.gomez@example.org \
	GIT_AUTHOR_DATE=2026-11-23T10:49:00-05:00 ag commit-tree "$note^{tree}" -p "$base")
merge=$(commit "$note^{tree}" "$T/note.msg" "Ana Gómez" ana.gomez@example.org "$note" "$side")
refused "a merge (git://)" "merge commit" "$(url_git hub)" "$merge:refs/heads/main"

mallory=$(commit "$note^{tree}" "$T/note.msg" Mallory mallory@evil.example "$base")
refused "an author who is no agent (ssh://)" "no agent of agents.ini" \
	"$(url_ssh hub)" "$mallory:refs/heads/main"

sed 's/^Action: note$/Action: solve/' "$T/note.msg" >"$T/solve.msg"
liar=$(commit "$note^{tree}" "$T/solve.msg" "Ana Gómez" ana.gomez@example.org "$base")
refused "trailers that do not match the files: a note called a solve (git://)" "." \
	"$(url_git hub)" "$liar:refs/heads/main"

# SD-1001's commit again, its ticket made SD-2500 (in site b's block).
new=$(ag log -1 --format=%H --grep='^Ticket: SD-1001$' "$base")
p=$(ag ls-tree -r --name-only "$new" -- tickets/ | grep '/SD-1001\.ini$')
ag show "$new:$p" | sed 's/^id = SD-1001$/id = SD-2500/' >"$T/SD-2500.ini"
blob=$(ag hash-object -w "$T/SD-2500.ini")
GIT_INDEX_FILE=$T/idx ag read-tree "$new^"
GIT_INDEX_FILE=$T/idx ag update-index --add --cacheinfo "100644,$blob,${p%/*/*}/002/SD-2500.ini"
tree=$(GIT_INDEX_FILE=$T/idx ag write-tree)
rm -f "$T/idx"
ag log -1 --format=%B "$new" | sed 's/SD-1001/SD-2500/g' >"$T/new.msg"
like "$T/new.msg" "^Site: a$" "(the forged ticket's commit says Site: a)"
outside=$(commit "$tree" "$T/new.msg" "Ana Gómez" ana.gomez@example.org "$base")
# On top of base: its parent must be base for the push to be a fast-forward.
refused "a new ID outside the site's blocks, SD-2500 of b's (ssh://)" "2500" \
	"$(url_ssh hub)" "$outside:refs/heads/main"

# The hub's clock: Monday 12:00.  An event at 12:04 passes, at 12:06 not.
expect 0 "site b notes SD-1 at 12:04 (within max_skew)" at b \
	env SD_NOW=2026-11-23T12:04:00-05:00 sd-note -m "Near now" SD-1
expect 0 "and syncs: accepted" sd-sync -C "$T/b" --format tsv
base=$(hub_git hub rev-parse HEAD)
expect 0 "site b notes SD-1 at 12:06, beyond max_skew" at b \
	env SD_NOW=2026-11-23T12:06:00-05:00 sd-note -m "The future" SD-1
refused "an event dated the future (ssh://)" "." "$(url_ssh hub)" "HEAD:refs/heads/main"
expect 65 "sd-sync of it: 65, the hub refused it" sd-sync -C "$T/b" --format tsv
like "$T/err" "^sd-sync: " "sd-sync says why"
is "$(hub_git hub rev-parse HEAD)" "$base" "the hub unchanged"
expect 0 "the hub is a clean store" hub_fsck hub
tshow "$H" SD-1 >"$T/hub.ini"
ok $(! grep -Eq '^text = (Still|The future)$' "$T/hub.ini"; echo $?) "none of the refused notes reached it"
done_testing
