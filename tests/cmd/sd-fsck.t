#!/bin/sh
# sd-fsck: check a store, and repair it.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore

# fsck [ARGS...]: run sd-fsck; its findings, stdout and stderr, in $T/all
fsck() {
	expect "$@"
	cat "$T/out" "$T/err" >"$T/all"
}

# lineno FILE PATTERN: the number of the first line of the store's FILE
# matching PATTERN
lineno() { grep -n -- "$2" "$SD_STORE/$1" | head -1 | cut -d: -f1; }

# Monday 10:00: two incidents, email, medium/medium = 3: response 1bh ->
# 11:00, resolution 3bd -> Thursday 26 10:00.
sd-new -t incident -s "Mail bounces" -r "Pedro Ruiz" -c email --email pedro@example.org >/dev/null
sd-new -t incident -s "Mail is slow" -r "Eva Luna" -c email --email eva@example.org >/dev/null
tk=$SD_STORE/tickets/000

fsck 0 "a sound store" sd-fsck
is "$(cat "$T/all")" "" "says nothing"
clean "store clean after sd-fsck"
expect 0 "needs no agent" env SD_AGENT=nobody sd-fsck
expect 0 "-C" env -u SD_STORE sd-fsck -C "$SD_STORE"

# Defects, one at a time; each is found with its path, exit 65.
before=$(head_id)
echo "; a note by hand" >>"$tk/SD-1.ini"
fsck 65 "a ticket file changed by hand" sd-fsck
like "$T/all" "^tickets/000/SD-1\.ini: .*differs from HEAD" "names the file"
is "$(wc -l <"$T/all")" 1 "one finding"
sgit show HEAD:tickets/000/SD-1.ini >"$tk/SD-1.ini"
echo "notes" >"$tk/notes.txt"
fsck 65 "an extra file" sd-fsck
like "$T/all" "^tickets/000/notes\.txt: " "names it"
rm "$tk/notes.txt"
echo "half" >"$tk/.SD-1.ini.123.tmp"
fsck 65 "a leftover of an interrupted write" sd-fsck
like "$T/all" "^tickets/000/\.SD-1\.ini\.123\.tmp: " "names it"
rm "$tk/.SD-1.ini.123.tmp"
mv "$tk/SD-2.ini" "$T/SD-2.ini"
fsck 65 "a missing file" sd-fsck
like "$T/all" "^tickets/000/SD-2\.ini: .*missing" "names it"
mv "$T/SD-2.ini" "$tk/SD-2.ini"
cp "$SD_STORE/sd.ini" "$T/sd.ini"
sed -i 's/^name = .*/name = Changed by hand/' "$SD_STORE/sd.ini"
fsck 65 "a config file changed by hand" sd-fsck
like "$T/all" "^sd\.ini: .*differs from HEAD" "names it"
cp "$T/sd.ini" "$SD_STORE/sd.ini"
touch "$SD_STORE/.git/refs/heads/main.lock"
fsck 65 "a stale ref lock" sd-fsck
like "$T/all" "^\.git/refs/heads/main\.lock: .*lock" "names it"
rm "$SD_STORE/.git/refs/heads/main.lock"
unchanged "$before" "sd-fsck changes nothing"
fsck 0 "sound again" sd-fsck
is "$(cat "$T/all")" "" "says nothing"

# A wrong due date, committed: only the due date is wrong.
sed -i 's/^due_response = .*/due_response = 2026-11-23T12:00:00-05:00/' "$tk/SD-1.ini"
forge "plant a wrong due date" tickets/000/SD-1.ini
clean "store clean with the planted commit"
before=$(head_id)
fsck 65 "a wrong due date" sd-fsck
like "$T/all" "^tickets/000/SD-1\.ini:$(lineno tickets/000/SD-1.ini '^due_response'): .*2026-11-23T12:00:00-05:00.*2026-11-23T11:00:00-05:00" \
	"names the file, the line, what it is and what the clock says"
is "$(wc -l <"$T/all")" 1 "one finding"
unchanged "$before" "after a check"

# An id that does not match its path.
sed 's/^title = .*/title = A copy/' "$tk/SD-2.ini" >"$tk/SD-3.ini"
forge "plant a misnamed ticket" tickets/000/SD-3.ini
fsck 65 "an id that does not match the file" sd-fsck
like "$T/all" "^tickets/000/SD-3\.ini:$(lineno tickets/000/SD-3.ini '^id'): .*SD-2" \
	"names the file, the line and the id"

# --repair mends what it can: files from HEAD, leftovers, stale locks, due
# dates (one commit); not the misnamed ticket.
echo "; a note by hand" >>"$tk/SD-2.ini"
echo "notes" >"$tk/notes.txt"
echo "half" >"$tk/.SD-1.ini.123.tmp"
touch "$SD_STORE/.git/refs/heads/main.lock"
before=$(head_id)
fsck 65 "--repair with a defect it cannot mend" sd-fsck --repair
like "$T/all" "^tickets/000/SD-3\.ini:[0-9]+: " "the misnamed ticket remains"
ok $(! grep '^tickets/000/SD-3' "$T/all" | grep -q 'repaired'; echo $?) \
	"and is not said to be repaired"
like "$T/all" "^tickets/000/SD-2\.ini: .*repaired" "the changed file repaired"
like "$T/all" "^tickets/000/notes\.txt: .*repaired" "the extra file repaired"
like "$T/all" "^tickets/000/\.SD-1\.ini\.123\.tmp: .*repaired" "the leftover repaired"
like "$T/all" "^\.git/refs/heads/main\.lock: .*repaired" "the lock repaired"
like "$T/all" "^tickets/000/SD-1\.ini:[0-9]+: .*due_response.*repaired" "the due date repaired"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(sgit log -1 --format='%an|%s|%(trailers:key=Ticket,valueonly,separator=%x2C)|%(trailers:key=Action,valueonly)' | sed '/^$/d')" \
	"Ana Gómez|repair: due dates of 1 ticket|SD-1|repair" "subject repair: ..., a Ticket: trailer"
is "$(sd-show --field due_response 1)" "2026-11-23T11:00:00-05:00" "the due date rewritten"
ok $([ ! -e "$tk/notes.txt" ] && [ ! -e "$tk/.SD-1.ini.123.tmp" ] &&
	[ ! -e "$SD_STORE/.git/refs/heads/main.lock" ]; echo $?) "the extra files are gone"
clean "store clean after --repair"
rm "$tk/SD-3.ini"
forge "remove the misnamed ticket" tickets/000/SD-3.ini
fsck 0 "sound" sd-fsck
is "$(cat "$T/all")" "" "says nothing"

echo "; a note by hand" >>"$tk/SD-1.ini"
echo "notes" >"$SD_STORE/notes.txt"
fsck 0 "--repair mends everything: exit 0" sd-fsck --repair
is "$(grep -vc 'repaired' "$T/all")" 0 "each finding repaired"
fsck 0 "then sd-fsck is clean" sd-fsck
is "$(cat "$T/all")" "" "says nothing"
clean "store clean"

# A holiday added to the calendar moves due dates: Thursday 26 closed, the
# 3bd from Monday 10:00 end on Friday 27 10:00.  Repaired by nobody: the
# commit is sd's.
sed -i 's/^    2026-12-25$/    2026-11-26, 2026-12-25/' "$SD_STORE/sd.ini"
forge "add a holiday" sd.ini
before=$(head_id)
fsck 65 "due dates that the calendar moved" sd-fsck
is "$(grep -c 'due_resolution' "$T/all")" 2 "both tickets"
fsck 0 "--repair rewrites them" env SD_AGENT=nobody sd-fsck --repair
is "$(sd-show --field due_resolution 1; sd-show --field due_resolution 2)" \
	"$(printf '2026-11-27T10:00:00-05:00\n2026-11-27T10:00:00-05:00')" "due Friday 10:00"
is "$(sgit rev-parse HEAD~1)" "$before" "in one commit"
is "$(sgit log -1 --format='%s|%(trailers:key=Ticket,valueonly,separator=%x2C)')" \
	"repair: due dates of 2 tickets|SD-1,SD-2" "a Ticket: trailer per ticket"
sgit log -1 --format=%an >"$T/author"
like "$T/author" "^sd.*Service desk" "authored by sd with the store's name"
clean "store clean"

# A broken config file in HEAD: 78, for sd-fsck and every command.
cp "$SD_STORE/sla.ini" "$T/sla.ini"
sed -i 's/^warn = 80$/warn = lots/' "$SD_STORE/sla.ini"
forge "break sla.ini" sla.ini
before=$(head_id)
fsck 78 "a broken config file" sd-fsck
like "$T/all" "sla\.ini:$(lineno sla.ini '^warn'): .*lots" "names the file and line"
fsck 78 "--repair cannot mend it" sd-fsck --repair
expect 78 "other commands refuse too" sd-show 1
like "$T/err" "sla\.ini:$(lineno sla.ini '^warn'): " "naming the file and line"
unchanged "$before" "after a broken config"
cp "$T/sla.ini" "$SD_STORE/sla.ini"
forge "mend sla.ini" sla.ini
fsck 0 "sound again" sd-fsck

# A plain git clone becomes a store with sd-fsck --repair.
git clone -q "$SD_STORE" "$T/clone" 2>/dev/null
fsck 65 "a plain clone" sd-fsck -C "$T/clone"
like "$T/all" "^\.git: .*bare" "not bare, with an index"
fsck 0 "--repair makes it a store" sd-fsck -C "$T/clone" --repair
is "$(git --git-dir="$T/clone/.git" config core.bare)" "true" "bare"
ok $([ ! -e "$T/clone/.git/index" ]; echo $?) "no index"
fsck 0 "then it is sound" sd-fsck -C "$T/clone"
is "$(cat "$T/all")" "" "says nothing"
SD_STORE=$T/clone expect 0 "sd-new works in it" sd-new -t incident -s "In the clone" -r "Eva" \
	-c email --email eva@example.org
is "$(cat "$T/out")" "SD-3" "the next ID"
SD_STORE=$T/clone clean "the clone clean"
SD_STORE=$T/clone expect 0 "sd-fsck after" sd-fsck
is "$(cat "$T/out" "$T/err")" "" "says nothing"

# HEAD moved by a push: the next command brings the files up to date,
# touching only what changed.
git clone -q "$SD_STORE" "$T/work" 2>/dev/null
w=$T/work/tickets/000
sed -e 's/^id = SD-2$/id = SD-3/' -e 's/^title = .*/title = Pushed ticket/' "$w/SD-2.ini" >"$w/SD-3.ini"
sed -i 's/^title = .*/title = Mail is slow (pushed)/' "$w/SD-2.ini"
git -C "$T/work" add tickets >/dev/null &&
git -C "$T/work" -c user.name=Remote -c user.email=remote@example.org commit -q -m "SD-3: pushed" &&
git -C "$T/work" push -q origin HEAD:main 2>/dev/null
ok $? "pushed into the store"
is "$(sgit rev-parse HEAD)" "$(git -C "$T/work" rev-parse HEAD)" "the store's HEAD moved"
stat -c '%i %y' "$tk/SD-1.ini" "$SD_STORE/sd.ini" >"$T/stat.before"
expect 0 "the next command" sd-show --field title 3
is "$(cat "$T/out")" "Pushed ticket" "shows the pushed ticket"
is "$(sd-show --field title 2)" "Mail is slow (pushed)" "and the pushed change"
stat -c '%i %y' "$tk/SD-1.ini" "$SD_STORE/sd.ini" >"$T/stat.after"
ok $(cmp -s "$T/stat.before" "$T/stat.after"; echo $?) "untouched files kept (inode and mtime)"
clean "store clean after the push"
fsck 0 "sound" sd-fsck
expect 0 "a ticket after the push" sd-new -t incident -s "After" -r "Eva" -c email --email eva@example.org
is "$(cat "$T/out")" "SD-4" "numbered after the pushed one"

# A stale branch lock no longer fails a change: the next command that
# holds the store's lock removes it (tests/cmd/kill.t).  sd-fsck reports
# one, and --repair removes it.
touch "$SD_STORE/.git/refs/heads/main.lock"
before=$(head_id)
expect 0 "a change beside a stale ref lock" sd-new -t incident -s x -r y -c email --email y@example.org
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
ok $([ ! -e "$SD_STORE/.git/refs/heads/main.lock" ]; echo $?) "the lock removed by the change"
touch "$SD_STORE/.git/refs/heads/main.lock"
fsck 65 "the stale lock" sd-fsck
like "$T/all" "^\.git/refs/heads/main\.lock: " "reported"
fsck 0 "repaired" sd-fsck --repair
like "$T/all" "^\.git/refs/heads/main\.lock: .*repaired" "said repaired"
ok $([ ! -e "$SD_STORE/.git/refs/heads/main.lock" ]; echo $?) "gone"
expect 0 "then changes work" sd-new -t incident -s x -r y -c email --email y@example.org
clean "store clean"

# Object files libgit2 left half written when killed (it writes them in
# .git/objects/ and links them in place): a warning (a change may be
# under way), removed by --repair, which holds the lock.
printf 'half' >"$SD_STORE/.git/objects/tmp_object_git2_XyZ123"
mkdir -p "$SD_STORE/.git/objects/ab"
printf 'half' >"$SD_STORE/.git/objects/ab/tmp_object_git2_Old456"
fsck 0 "a half-written object file is a warning" sd-fsck
like "$T/all" "^sd-fsck: warning: \.git/objects/tmp_object_git2_XyZ123: .*half written" "reported as a warning"
like "$T/all" "^sd-fsck: warning: \.git/objects/ab/tmp_object_git2_Old456: .*half written" "in objects/XX/ too"
ok $([ -e "$SD_STORE/.git/objects/tmp_object_git2_XyZ123" ]; echo $?) "left alone by a check"
fsck 0 "removed by --repair" sd-fsck --repair
like "$T/all" "^\.git/objects/tmp_object_git2_XyZ123: .*repaired" "said repaired"
ok $([ ! -e "$SD_STORE/.git/objects/tmp_object_git2_XyZ123" ] &&
	[ ! -e "$SD_STORE/.git/objects/ab/tmp_object_git2_Old456" ]; echo $?) "gone"
fsck 0 "then sound" sd-fsck
is "$(cat "$T/all")" "" "nothing to say"

# HEAD's layout (SPEC sections 1 and 2), as a push may leave it: each
# defect reported with its path, exit 65, also by --repair, which cannot
# mend history; sd-new passes an empty shard over and refuses a ticket out
# of its shard, overwriting nothing.
mkstore "$T/layout"
for t in 1 2 3; do
	sd-new -t incident -s "Ticket $t" -r Eva -c email --email eva@example.org >/dev/null
done
tk=$SD_STORE/tickets/000
cp "$tk/SD-1.ini" "$tk/SD-3.ini" "$T/"
# push TICKETS: a commit on HEAD, as a push would make it, whose tickets/
# is the tree TICKETS; then a command brings the files up to date
push() {
	_root=$( (sgit ls-tree HEAD | grep -v "	tickets\$"; printf '040000 tree %s\ttickets\n' "$1") |
		sgit mktree) &&
	_c=$(GIT_AUTHOR_NAME=push GIT_AUTHOR_EMAIL=push@example.org GIT_COMMITTER_NAME=push \
		GIT_COMMITTER_EMAIL=push@example.org sgit commit-tree "$_root" -p HEAD -m "a push") &&
	sgit update-ref HEAD "$_c" && sd-list >/dev/null
}
empty=$(sgit hash-object -t tree -w /dev/null)
push "$( (sgit ls-tree HEAD:tickets; printf '040000 tree %s\t999\n' "$empty") | sgit mktree)"
ok $? "pushed an empty shard tickets/999"
fsck 65 "an empty shard" sd-fsck
is "$(cat "$T/all")" "tickets/999: an empty shard" "names it"
fsck 65 "--repair cannot mend it" sd-fsck --repair
is "$(cat "$T/all")" "tickets/999: an empty shard" "nor says it did"
expect 0 "sd-new passes it over" sd-new -t incident -s "Ticket 4" -r Eva -c email \
	--email eva@example.org
is "$(cat "$T/out")" "SD-4" "the next ID"
ok $(cmp -s "$T/SD-1.ini" "$tk/SD-1.ini" && cmp -s "$T/SD-3.ini" "$tk/SD-3.ini"; echo $?) \
	"the tickets before untouched"
clean "store clean"

s000=$(sgit ls-tree HEAD:tickets/000 | grep -v '	SD-4\.ini$' | sgit mktree)
s001=$(sgit ls-tree HEAD:tickets/000 | grep '	SD-4\.ini$' | sgit mktree)
cp "$tk/SD-4.ini" "$T/SD-4.ini"
push "$(printf '040000 tree %s\t000\n040000 tree %s\t001\n' "$s000" "$s001" | sgit mktree)"
ok $? "pushed SD-4 into tickets/001"
fsck 65 "a ticket in the wrong shard" sd-fsck
is "$(cat "$T/all")" "tickets/001/SD-4.ini: not in its shard (belongs in tickets/000/)" "names it"
fsck 65 "--repair cannot mend it" sd-fsck --repair
is "$(cat "$T/all")" "tickets/001/SD-4.ini: not in its shard (belongs in tickets/000/)" \
	"nor says it did"
before=$(head_id)
expect 65 "sd-new refuses" sd-new -t incident -s x -r Eva -c email --email eva@example.org
like "$T/err" "^sd-new: tickets/001/SD-4\.ini: not in its shard \(belongs in tickets/000/\); run sd-fsck\$" \
	"naming the path and sd-fsck"
unchanged "$before" "after the refusal"
ok $(cmp -s "$T/SD-4.ini" "$SD_STORE/tickets/001/SD-4.ini"; echo $?) "SD-4 untouched"

# Paths outside the layout, hooks/ among them.
mkdir "$SD_STORE/kb" "$SD_STORE/hooks"
echo "notes" >"$SD_STORE/notes.txt"
echo "VPN" >"$SD_STORE/kb/vpn.md"
echo "#!/bin/sh" >"$SD_STORE/hooks/new"
forge "outside the layout" notes.txt kb/vpn.md hooks/new
fsck 65 "paths outside the layout" sd-fsck
like "$T/all" "^hooks: hooks/ is each machine's own" "hooks/"
like "$T/all" "^kb/vpn\.md: not an article's name \\(KB-N\.txt\\)\$" "kb/: a file of no article's name"
like "$T/all" "^notes\.txt: not part of a store's layout\$" "notes.txt"
# hooks/new on disk is HEAD's: as a plain clone would have written it out.
like "$T/all" "^hooks/new: written out from the store's history" \
	"hooks/new on disk, equal to HEAD's: reported as the history's"
is "$(wc -l <"$T/all")" 5 "and the ticket in the wrong shard"
rm -r "$SD_STORE/kb" "$SD_STORE/notes.txt" "$SD_STORE/hooks"
mv "$SD_STORE/tickets/001/SD-4.ini" "$tk/SD-4.ini"
forge "back in the layout" notes.txt kb/vpn.md hooks/new tickets/001/SD-4.ini tickets/000/SD-4.ini
fsck 0 "sound again" sd-fsck
is "$(cat "$T/all")" "" "says nothing"

# Usage
expect 64 "an argument" sd-fsck extra
like "$T/err" "usage: sd-fsck" "usage on stderr"
expect 64 "a bad option" sd-fsck --bogus
expect 0 "-h" sd-fsck -h
like "$T/out" "^usage: sd-fsck" "usage on stdout"
expect 0 "--version" sd-fsck --version
like "$T/out" "^sd-fsck .*[0-9]+\.[0-9]+" "name and version"
mkdir "$T/empty"
expect 66 "no store" env SD_STORE="$T/empty" sd-fsck
done_testing
