#!/bin/sh
# Hand edits (SPEC section 11): a file of the store changed by hand, not
# by sd, never enters the history through another command.  Commands that
# would write it exit 65 naming it and changing nothing; sd-edit keeps it
# (validated against HEAD's version), sd-fsck reports it and sd-fsck
# --repair restores HEAD's version.  Files that differ from HEAD only
# because HEAD moved (a push) are no hand edit.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
mkeditor
export EDITOR="$T/editor"
tk=$SD_STORE/tickets/000

# hand FILE SED: apply SED by hand to the store's FILE; a copy of the
# result in $T/hand
hand() {
	sed -i -e "$2" "$SD_STORE/$1" && cp "$SD_STORE/$1" "$T/hand" || bail "hand $1 failed"
}

# still FILE DESCRIPTION: the store's FILE is still as hand left it
still() {
	cmp -s "$T/hand" "$SD_STORE/$1"
	ok $? "$2: $1 still as edited by hand"
}

# held DESCRIPTION FILE WHAT CMD...: CMD exits 65 with one line that names
# FILE, says to keep it with 'sd edit WHAT' or restore it with sd fsck
# --repair; no commit, FILE still as edited
held() {
	_d=$1 _f=$2 _w=$3 _b=$(head_id)
	shift 3
	expect 65 "$_d: exit 65" "$@"
	one_line_error "$T/err" "$_d: one line on stderr"
	is "$(sed 's/^sd-[a-z]*: //' "$T/err")" \
		"$_f: changed by hand; keep it with 'sd edit $_w' or restore it with 'sd fsck --repair'" \
		"$_d: names the file, how to keep it and how to restore it"
	is "$(cat "$T/out")" "" "$_d: nothing on stdout"
	is "$(head_id)" "$_b" "$_d: no commit"
	still "$_f" "$_d"
}

# push SED: a commit of ticket SD-2's file with SED applied, made as a
# push into the store makes it: HEAD moves, the files and .git/sd-head
# stay as they were
push() {
	_idx=$T/push-index
	sgit show HEAD:tickets/000/SD-2.ini | sed -e "$1" >"$T/pushed" &&
	_blob=$(sgit hash-object -w "$T/pushed") &&
	rm -f "$_idx" && GIT_INDEX_FILE=$_idx sgit read-tree HEAD &&
	GIT_INDEX_FILE=$_idx sgit update-index --cacheinfo "100644,$_blob,tickets/000/SD-2.ini" &&
	_tree=$(GIT_INDEX_FILE=$_idx sgit write-tree) &&
	_c=$(GIT_AUTHOR_NAME=push GIT_AUTHOR_EMAIL=push@example.org GIT_COMMITTER_NAME=push \
		GIT_COMMITTER_EMAIL=push@example.org sgit commit-tree "$_tree" -p HEAD -m "pushed") &&
	sgit update-ref HEAD "$_c" || bail "push failed"
	rm -f "$_idx"
}

mk new                  # SD-1
mk new                  # SD-2
t1=tickets/000/SD-1.ini

# --- the issue's case: closed and priority "tres" by hand ----------------
hand $t1 's/^status = new$/status = closed/; s/^priority = .*/priority = tres/'
held "sd-note" $t1 SD-1 sd-note 1 -m "Called back"
held "sd-assign" $t1 SD-1 sd-assign 1 --me
held "sd-link, the hand-edited ticket second" $t1 SD-1 sd-link 2 1
is "$(sgit show HEAD:tickets/000/SD-2.ini | grep '^related')" "related =" "SD-2 not linked"
held "sd-new --related to it" $t1 SD-1 sd-new -t incident -s "Mail down" -r "Eva Luna" \
	-c email --email eva@example.org --related 1
ok $([ ! -e "$tk/SD-3.ini" ]; echo $?) "sd-new --related: no SD-3 written"
b=$(head_id)
sed 's/pedro\.ruiz@/pedro@/' "${SD_TOP:-.}/tests/mail/reply.eml" >"$T/reply.eml"  # SD-1's requester
SD_AGENT=mail expect_in "$T/reply.eml" 65 "sd-mail: a reply to it: exit 65" sd-mail
like "$T/err" "$t1: changed by hand" "sd-mail: names the file"
is "$(head_id)" "$b" "sd-mail: no commit"
still $t1 "sd-mail"
expect 0 "sd-show still reads it" sd-show 1

expect 65 "sd-fsck: exit 65" sd-fsck
is "$(cat "$T/out" "$T/err")" \
	"$t1: differs from HEAD: changed by hand; keep it with 'sd edit SD-1' or restore it with 'sd fsck --repair'" \
	"sd-fsck names the file, how to keep it and how to restore it"
still $t1 "sd-fsck"

# sd-edit keeps a hand change only when it is valid against HEAD's version.
expect 65 "sd-edit keeping a status changed by hand: exit 65" env EDITOR=true sd-edit 1
one_line_error "$T/err" "sd-edit: one line on stderr"
like "$T/err" "$t1: draft line [0-9]+: the status changes only through the commands" "sd-edit: says why"
is "$(head_id)" "$b" "sd-edit: no commit"
still $t1 "sd-edit"

expect 0 "sd-fsck --repair restores HEAD's version" sd-fsck --repair
is "$(cat "$T/out" "$T/err")" "$t1: differs from HEAD (repaired)" "says so"
clean "store clean after sd-fsck --repair"
is "$(fields 1 status priority)" "new|3" "SD-1 as HEAD has it"
is "$(head_id)" "$b" "sd-fsck --repair: no commit"
expect 0 "then sd-note works" sd-note 1 -m "Called back"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-1: note|SD-1|note" "the note's commit"
clean "store clean after sd-note"

# --- sd-edit over hand edits ---------------------------------------------
# An invalid hand edit: refused, on no terminal with no question.
hand $t1 's/^priority = .*/priority = tres/'
b=$(head_id)
expect 65 "sd-edit keeping priority tres: exit 65" env EDITOR=true sd-edit 1
one_line_error "$T/err" "one line on stderr, no question"
like "$T/err" "priority" "says why"
is "$(head_id)" "$b" "no commit"
still $t1 "after an invalid hand edit"
# Undone in the editor: HEAD's version again, so no change, no commit.
SD_SED='s/^priority = tres$/priority = 3/' expect 0 "the editor undoes it: exit 0" sd-edit 1
like "$T/err" "^sd-edit: SD-1: nothing changed$" "nothing changed"
is "$(cat "$T/out")" "" "nothing on stdout"
unchanged "$b" "the hand change undone"

# A valid hand edit, kept as it is.
hand $t1 's/^title = .*/title = VPN down since Monday/'
expect 0 "sd-edit keeps a valid hand edit" env EDITOR=true sd-edit 1
is "$(cat "$T/out")" "SD-1" "prints the ID"
is "$(commit_info)" "Ana Gómez <ana.gomez@example.org>|SD-1: edit title|SD-1|edit" \
	"one commit, action edit, naming the field changed by hand"
is "$(last_event 1)" \
	'{"at": "2026-11-23T10:00:00-05:00", "by": "ana", "action": "edit", "changed": "title"}' \
	"an edit event"
is "$(fields 1 title)" "VPN down since Monday" "the title kept"
is "$(sgit rev-parse HEAD~1)" "$b" "one commit"
clean "store clean after keeping it"

# A hand edit and one more change in the editor: both kept; the priority
# follows (high.high = 1).
hand $t1 's/^urgency = medium$/urgency = high/'
SD_SED='s/^impact = medium$/impact = high/' expect 0 "hand edit plus the editor's" sd-edit 1
is "$(fields 1 urgency impact priority)" "high|high|1" "both kept, priority recomputed"
is "$(sgit log -1 --format=%s)" "SD-1: edit urgency impact priority" "the fields changed from HEAD"
clean "store clean"

# The status changed by hand is put back in the editor; the rest is kept.
hand $t1 's/^status = new$/status = solved/; s/^requester_phone =.*/requester_phone = 555-0101/'
SD_SED='s/^status = solved$/status = new/' expect 0 "a hand status put back, the rest kept" sd-edit 1
is "$(fields 1 status requester_phone)" "new|555-0101" "status HEAD's, the phone kept"
is "$(sgit log -1 --format=%s)" "SD-1: edit requester_phone" "subject"
clean "store clean"

# A hand change that the editor reverts: no commit, the file HEAD's again.
hand $t1 's/^title = .*/title = Not this/'
b=$(head_id)
SD_SED='s/^title = Not this$/title = VPN down since Monday/' \
	expect 0 "the editor reverts a hand change: exit 0" sd-edit 1
like "$T/err" "^sd-edit: SD-1: nothing changed$" "nothing changed"
unchanged "$b" "the file HEAD's again"

# --- sd-close --auto goes on past a hand-edited ticket -------------------
mk solved               # SD-3, solved Monday 10:00; accept_window 48h
mk solved               # SD-4
t3=tickets/000/SD-3.ini
hand $t3 's/^title = .*/title = Changed by hand/'
b=$(head_id)
expect 65 "sd-close --auto with a hand-edited solved ticket: exit 65" \
	env SD_NOW=2026-11-25T10:01:00-05:00 sd-close --auto --format tsv
is "$(cut -f1-3 "$T/out")" "$(printf 'id\tfrom\tto\nSD-4\tsolved\tclosed')" "the other one closed"
like "$T/err" "^sd-close: tickets/000/SD-3.ini: changed by hand; keep it with 'sd edit SD-3'" \
	"and the hand-edited one is named"
is "$(sgit rev-parse HEAD~1)" "$b" "one commit, SD-4's"
is "$(sgit show HEAD:$t3 | grep '^status')" "status = solved" "SD-3 still solved in HEAD"
still $t3 "sd-close --auto"
expect 0 "sd-fsck --repair" sd-fsck --repair
expect 0 "then sd-close --auto closes it" env SD_NOW=2026-11-25T10:02:00-05:00 sd-close --auto
is "$(fields 3 status title)" "closed|VPN down" "SD-3 closed, its title HEAD's"
clean "store clean"

# --- configuration files --------------------------------------------------
export SD_AGENT=carmen
hand sd.ini 's/^name = .*/name = Changed by hand/'
b=$(head_id)
SD_SED='s/^warn = 80$/warn = 75/' expect 0 "sd-edit sla.ini beside a hand-edited sd.ini" sd-edit sla.ini
is "$(sgit show --name-only --format= HEAD)" "sla.ini" "only sla.ini committed"
is "$(sgit rev-parse HEAD~1)" "$b" "one commit"
still sd.ini "sd-edit sla.ini"
expect 65 "sd-fsck finds sd.ini" sd-fsck
is "$(cat "$T/out" "$T/err")" \
	"sd.ini: differs from HEAD: changed by hand; keep it with 'sd edit sd.ini' or restore it with 'sd fsck --repair'" \
	"and says how to keep or restore it"
expect 0 "sd-edit sd.ini keeps it" env EDITOR=true sd-edit sd.ini
is "$(sgit log -1 --format=%s)" "sd.ini: edit" "subject"
is "$(ini_get "$SD_STORE/sd.ini" store name)" "Changed by hand" "the name kept"
clean "store clean"
hand sla.ini 's/^warn = 75$/warn = lots/'
b=$(head_id)
expect 78 "a broken hand edit of sla.ini is not kept" env EDITOR=true sd-edit sla.ini
like "$T/err" "sla\.ini:[0-9]+: " "names the file and line"
is "$(head_id)" "$b" "no commit"
still sla.ini "a broken sla.ini"
expect 0 "sd-fsck --repair restores it" sd-fsck --repair
is "$(ini_get "$SD_STORE/sla.ini" sla warn)" "75" "sla.ini as HEAD has it"
clean "store clean"
export SD_AGENT=ana

# --- files that HEAD lacks, links -----------------------------------------
sed 's/^id = SD-4$/id = SD-5/' "$tk/SD-4.ini" >"$tk/SD-5.ini"
b=$(head_id)
expect 65 "a ticket file put there by hand, where sd-new would write" \
	sd-new -t incident -s "Mail down" -r "Eva Luna" -c email --email eva@example.org
is "$(sed 's/^sd-[a-z]*: //' "$T/err")" \
	"tickets/000/SD-5.ini: not in HEAD, put there by hand; remove it with 'sd fsck --repair'" \
	"names it and how to remove it"
is "$(head_id)" "$b" "no commit"
rm "$tk/SD-5.ini"
mv "$tk/SD-2.ini" "$T/SD-2.ini"
ln -s SD-1.ini "$tk/SD-2.ini"
expect 65 "a symbolic link in a ticket's place" sd-note 2 -m "x"
like "$T/err" "tickets/000/SD-2\.ini: a symbolic link where the store's layout wants a regular file" "names it, a link"
is "$(head_id)" "$b" "no commit"
ok $([ -L "$tk/SD-2.ini" ]; echo $?) "the link left alone"
expect 0 "sd-fsck --repair" sd-fsck --repair
clean "store clean"
cmp -s "$T/SD-2.ini" "$tk/SD-2.ini"
ok $? "SD-2.ini restored"

# --- HEAD moved by a push: no hand edit ---------------------------------
push 's/^title = .*/title = VPN down (pushed)/'
expect 65 "sd-fsck after a push" sd-fsck
like "$T/out" "^tickets/000/SD-2\.ini: differs from HEAD\$" "SD-2 differs from HEAD"
ok $(! grep -q "by hand" "$T/out" "$T/err"; echo $?) "and is not said to be changed by hand"
hand $t1 's/^title = .*/title = By hand, beside a push/'
expect 0 "sd-note on the pushed ticket" sd-note 2 -m "Seen"
is "$(fields 2 title)" "VPN down (pushed)" "the pushed title"
is "$(sgit log -2 --format=%s | tr '\n' '|')" "SD-2: note|pushed|" "the note on top of the push"
held "sd-note on the other, hand-edited" $t1 SD-1 sd-note 1 -m "Seen"
expect 0 "sd-fsck --repair" sd-fsck --repair
clean "store clean at the end"
done_testing
