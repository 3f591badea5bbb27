#!/bin/sh
# sd-fsck --repair makes a git clone of a store a store: a plain clone, a
# bare one (into DIR, or into DIR/.git), one with no checkout, a shallow
# one; and the check of files HEAD does not have still finds each.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
origin=$SD_STORE
sd-new -t incident -s "Mail bounces" -r "Pedro Ruiz" -c email --email pedro@example.org >/dev/null
sd-new -t incident -s "Mail is slow" -r "Eva Luna" -c email --email eva@example.org >/dev/null
SD_NOW=2026-11-23T11:00:00-05:00 sd-note SD-1 -m "Looking at it." >/dev/null

# fsck STATUS WHAT ARGS...: sd-fsck, its stdout and stderr in $T/all
fsck() {
	expect "$@"
	cat "$T/out" "$T/err" >"$T/all"
}

# becomes KIND DIR FIRST: DIR, a clone, is no store; sd-fsck says so
# (FIRST, the pattern of its first finding), --repair makes it one, sound,
# with HEAD's files, where sd-new numbers the next ticket.
becomes() {
	_kind=$1 _d=$2 _first=$3
	fsck 65 "$_kind: sd-fsck finds it is not yet a store" sd-fsck -C "$_d"
	like "$T/all" "$_first" "$_kind: and says why"
	fsck 0 "$_kind: --repair makes it a store" sd-fsck -C "$_d" --repair
	like "$T/all" "$_first.* \(repaired\)$" "$_kind: repaired"
	is "$(grep -vc '(repaired)$' "$T/all")" 0 "$_kind: every finding repaired"
	is "$(git --git-dir="$_d/.git" config core.bare)" true "$_kind: the repository in .git, bare"
	ok $([ ! -e "$_d/.git/index" ]; echo $?) "$_kind: no index"
	fsck 0 "$_kind: then sd-fsck finds it sound" sd-fsck -C "$_d"
	is "$(cat "$T/all")" "" "$_kind: and says nothing"
	SD_STORE=$_d clean "$_kind: its files are HEAD's"
	is "$(cat "$_d/tickets/000/SD-1.ini")" "$(cat "$origin/tickets/000/SD-1.ini")" \
		"$_kind: a ticket byte for byte"
	SD_STORE=$_d expect 0 "$_kind: sd-new works in it" sd-new -t incident -s "In the clone" \
		-r "Ana" -c email --email ana@example.org
	is "$(cat "$T/out")" SD-3 "$_kind: the next ID"
	SD_STORE=$_d expect 0 "$_kind: sd-show works" sd-show SD-1
	fsck 0 "$_kind: sound after" sd-fsck -C "$_d"
	is "$(cat "$T/all")" "" "$_kind: says nothing"
}

git clone -q "$origin" "$T/plain" 2>/dev/null
becomes plain "$T/plain" '^\.git: not a bare repository'

git clone -q --no-checkout "$origin" "$T/nocheckout" 2>/dev/null
becomes no-checkout "$T/nocheckout" '^\.git: a clone of a store with no files'

git clone -q --bare "$origin" "$T/baregit/.git" 2>/dev/null
becomes "bare into DIR/.git" "$T/baregit" '^\.git: a clone of a store with no files'

git clone -q --bare "$origin" "$T/bare" 2>/dev/null
becomes bare "$T/bare" '^\.git: a bare clone of a store'
ok $([ ! -e "$T/bare/HEAD" ] && [ ! -e "$T/bare/objects" ] && [ ! -e "$T/bare/.sd-bare" ]; echo $?) \
	"bare: nothing of the repository left beside .git"

# -C may be left out in the clone's directory.
git clone -q --no-checkout "$origin" "$T/here" 2>/dev/null
(cd "$T/here" && env -u SD_STORE sd-fsck --repair >/dev/null 2>&1)
ok $? "no-checkout: --repair in its directory, without -C"
SD_STORE=$T/here clean "no-checkout: its files are HEAD's"

# A shallow clone: HEAD's objects are all there; the history stops at
# the cut.  It becomes a store; a ticket's history starts at the cut.
git clone -q --depth 1 "file://$origin" "$T/shallow" 2>/dev/null
becomes "shallow (--depth 1)" "$T/shallow" '^\.git: not a bare repository'

# A partial clone (--filter=blob:none) with no checkout: HEAD's blobs are
# at the origin, fetched all at once by --repair.
git --git-dir="$origin/.git" config uploadpack.allowFilter true
git clone -q --filter=blob:none --no-checkout "file://$origin" "$T/partial" 2>/dev/null
is "$(git --git-dir="$T/partial/.git" rev-list --objects --no-walk --missing=print HEAD |
	grep -c '^?')" 6 "partial: HEAD's six blobs are not there"
becomes "partial (--filter=blob:none)" "$T/partial" '^\.git: a clone of a store with no files'
is "$(git --git-dir="$T/partial/.git" rev-list --objects --no-walk --missing=print HEAD |
	grep -c '^?')" 0 "partial: HEAD's blobs fetched"

# A bare clone whose move into .git was killed halfway: taken up again.
git clone -q --bare "$origin" "$T/half" 2>/dev/null
mkdir "$T/half/.sd-bare" && mv "$T/half/HEAD" "$T/half/objects" "$T/half/.sd-bare/"
fsck 0 "a bare clone's move, killed halfway, is finished" sd-fsck -C "$T/half" --repair
SD_STORE=$T/half clean "and the store is whole"

# Not a clone of a store: still no store, nothing changed.
mkdir "$T/empty"
fsck 66 "an empty directory is no store" sd-fsck -C "$T/empty" --repair
like "$T/all" "not a store \(no sd\.ini\)" "says so"
ok $([ -z "$(ls -A "$T/empty")" ]; echo $?) "nothing written there"
git init -q "$T/other" && echo x >"$T/other/f" && git -C "$T/other" add f &&
	git -C "$T/other" -c user.name=A -c user.email=a@example.org commit -qm x
fsck 66 "a repository that holds no store is no store" sd-fsck -C "$T/other" --repair
is "$(ls -A "$T/other" | tr '\n' ' ')" ".git f " "nothing written there"
git init -q --bare "$T/otherbare"
fsck 66 "an empty bare repository is no store" sd-fsck -C "$T/otherbare" --repair
ok $([ -e "$T/otherbare/HEAD" ] && [ ! -e "$T/otherbare/.git" ]; echo $?) "nothing moved"

# Files HEAD does not have, at every depth, each found and named.
s=$T/plain
echo notes >"$s/notes.txt"
echo x >"$s/tickets/000/SD-99.ini"
mkdir -p "$s/tickets/000/sub" "$s/tickets/007" "$s/extra/deep"
echo x >"$s/tickets/000/sub/f"
echo x >"$s/tickets/007/SD-7001.ini"
echo x >"$s/extra/deep/file"
ln -s SD-1.ini "$s/tickets/000/link.ini"
echo x >"$s/tickets/000/.SD-1.ini.42.tmp"
fsck 65 "files HEAD does not have" sd-fsck -C "$s"
sort "$T/all" >"$T/got"
cat >"$T/want" <<'EOF'
extra/deep/file: not in HEAD
notes.txt: not in HEAD
tickets/000/.SD-1.ini.42.tmp: leftover of an interrupted write
tickets/000/SD-99.ini: not in HEAD
tickets/000/link.ini: a symbolic link that HEAD does not have
tickets/000/sub/f: not in HEAD
tickets/007/SD-7001.ini: not in HEAD
EOF
is "$(cat "$T/got")" "$(cat "$T/want")" "each named, nothing else"
fsck 0 "--repair removes them" sd-fsck -C "$s" --repair
is "$(grep -c '(repaired)$' "$T/all")" 7 "seven repaired"
ok $([ ! -e "$s/notes.txt" ] && [ ! -e "$s/extra/deep/file" ] && [ ! -L "$s/tickets/000/link.ini" ]; echo $?) \
	"gone"
fsck 0 "sound again" sd-fsck -C "$s"
SD_STORE=$s clean "clean"

# A ticket of HEAD missing on disk is restored, not taken for a stray.
rm "$s/tickets/000/SD-2.ini"
fsck 65 "a missing ticket" sd-fsck -C "$s"
is "$(cat "$T/all")" "tickets/000/SD-2.ini: missing (it is in HEAD)" "named as missing"
fsck 0 "restored" sd-fsck -C "$s" --repair
SD_STORE=$s clean "clean"

# Names next to HEAD's (a prefix of one, one longer, one sorting between
# two, a directory beside a file), each looked up in HEAD's tree
# of its directory, not in a list of every path: each still found.
mkdir "$s/tickets/000/SD-1.ini.d"
echo x >"$s/tickets/000/SD-1.ini.d/f"
for f in SD-1.in SD-1.ini~ SD-10.ini SD-1.inj SD-2 sd-1.ini; do echo x >"$s/tickets/000/$f"; done
# ... and many in one shard, among HEAD's files: every one of them.
i=100
while [ $i -lt 1600 ]; do : >"$s/tickets/000/SD-$i.ini"; i=$((i + 1)); done
fsck 65 "strays beside HEAD's names, and 1500 in one shard" sd-fsck -C "$s"
is "$(grep -c ': not in HEAD$' "$T/all")" 1507 "each found once"
is "$(grep -v ': not in HEAD$' "$T/all")" "" "nothing else"
for f in SD-1.in SD-1.ini~ SD-10.ini SD-1.inj SD-2 sd-1.ini SD-1.ini.d/f SD-100.ini SD-1599.ini; do
	like "$T/all" "^tickets/000/$f: not in HEAD\$" "tickets/000/$f"
done
fsck 0 "--repair removes them" sd-fsck -C "$s" --repair
fsck 0 "sound again" sd-fsck -C "$s"
SD_STORE=$s clean "clean"

done_testing
