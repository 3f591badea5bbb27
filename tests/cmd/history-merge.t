#!/bin/sh
# sd-show --history in a history with merges (made by hand with git, or
# brought by a clone): only the commits that changed the ticket's file as
# HEAD holds it.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
step 2026-11-23T10:00:00-05:00 ana sd-new -t incident -s "Mail bounces" -r "Pedro Ruiz" -c email --email pedro@example.org
new1=$(head_id)
step 2026-11-23T10:05:00-05:00 ana sd-new -t incident -s "Mail is slow" -r "Eva Luna" -c email --email eva@example.org
new2=$(head_id)
base=$new2
step 2026-11-23T11:00:00-05:00 ana sd-note SD-1 -m "Looking at it."
a1=$(head_id)

# commit_with TREE PARENT... SUBJECT: a commit by plumbing, dated so that
# the walk's order is known; its id
n=0
commit_with() {
	_tree=$1
	shift
	_p=
	while [ $# -gt 1 ]; do _p="$_p -p $1"; shift; done
	n=$((n + 1))
	GIT_AUTHOR_NAME=site GIT_AUTHOR_EMAIL=site@example.org GIT_COMMITTER_NAME=site \
	GIT_COMMITTER_EMAIL=site@example.org GIT_AUTHOR_DATE="2026-11-23T12:0$n:00-05:00" \
	GIT_COMMITTER_DATE="2026-11-23T12:0$n:00-05:00" sgit commit-tree "$_tree" $_p -m "$1"
}

# tree_with BASE PATH=CONTENT-FILE...: BASE's tree with the files replaced
tree_with() {
	_idx=$T/idx
	rm -f "$_idx"
	GIT_INDEX_FILE=$_idx sgit read-tree "$1"
	shift
	for _pc; do
		_b=$(sgit hash-object -w -- "${_pc#*=}")
		GIT_INDEX_FILE=$_idx sgit update-index --cacheinfo "100644,$_b,${_pc%%=*}"
	done
	GIT_INDEX_FILE=$_idx sgit write-tree
}

f1=tickets/000/SD-1.ini f2=tickets/000/SD-2.ini
# A side line from $base: another SD-1 (as a second site would number
# it), then a change of SD-2.
sgit show "$base:$f1" | sed 's/^title = .*/title = Printer jams (the other site'"'"'s SD-1)/' >"$T/other1"
s1=$(commit_with "$(tree_with "$base" "$f1=$T/other1")" "$base" "SD-1: the other site's ticket")
sgit show "$base:$f2" | sed 's/^title = .*/title = Mail is slow (edited at the site)/' >"$T/side2"
s2=$(commit_with "$(tree_with "$s1" "$f2=$T/side2")" "$s1" "SD-2: edited at the site")
# The merge keeps this side's SD-1 and the site's SD-2.
sgit show "$a1:$f1" >"$T/a1one"
m=$(commit_with "$(tree_with "$a1" "$f2=$T/side2")" "$a1" "$s2" "Merge the site")
sgit update-ref HEAD "$m"
expect 0 "the files brought to the merge" sd-fsck --repair
expect 0 "sound" sd-fsck

# commits ID: the short ids sd-show --history lists for ID, one line
commits() {
	sd-show --history "$1" | sed -n '/^Commits:/,$p' | awk 'NR > 1 && NF { print $1 }' | tr '\n' ' '
}
short() { for _c; do printf '%.12s ' "$_c"; done; }

is "$(commits SD-1)" "$(short "$a1" "$new1")" \
	"SD-1: its note and its birth; not the other site's SD-1, not the merge"
is "$(commits SD-2)" "$(short "$s2" "$new2")" \
	"SD-2: the site's edit, followed through the merge's second parent, and its birth"
expect 0 "--format json" sd-show --history --format json SD-1
like "$T/out" "\"$a1\"" "json: the note's commit"
ok $(! grep -q "$s1\|$m" "$T/out"; echo $?) "json: neither the other SD-1 nor the merge"

# A merge whose file is in neither parent's state (merged by hand) is a
# change of its own: listed, and both sides followed.
sed 's/^impact = .*/impact = high/' "$T/other1" >"$T/mixed1"
m2=$(commit_with "$(tree_with "$m" "$f1=$T/mixed1")" "$m" "$s1" "Merge by hand")
sgit update-ref HEAD "$m2"
expect 0 "the files brought to the second merge" sd-fsck --repair
is "$(commits SD-1)" "$(short "$m2" "$s1" "$a1" "$new1")" \
	"SD-1 after a merge that changed it: the merge, both sides, the birth, newest first"
is "$(commits SD-2)" "$(short "$s2" "$new2")" "SD-2: unchanged by that merge"

# A shallow clone: the history stops at the cut.
git clone -q --depth 1 "file://$SD_STORE" "$T/shallow" 2>/dev/null
SD_STORE=$T/shallow expect 0 "a shallow clone becomes a store" sd-fsck --repair
is "$(SD_STORE=$T/shallow commits SD-2)" "$(short "$m2")" \
	"shallow: the commit at the cut is the first it knows"
SD_STORE=$T/shallow step 2026-11-23T13:00:00-05:00 ana sd-note SD-2 -m "After the clone."
is "$(SD_STORE=$T/shallow commits SD-2 | wc -w)" 2 "shallow: a new note, and the cut"

done_testing
