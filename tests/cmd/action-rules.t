#!/bin/sh
# The cases that got past the commit checker before the action table, each
# refused by sd-fsck --commits and by a real push into a central repository
# with share/hooks/pre-receive, with its message, and nothing moved.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "VPN drops" -r Jorge -c network/vpn --email j@example.org >/dev/null
sd-new -t incident -s "Printer" -r Eva -c hardware/printer --email e@example.org >/dev/null
sd-assign 2 --me >/dev/null
SD_NOW=2026-11-23T11:00:00-05:00 sd-solve 2 -m "Toner replaced" >/dev/null
SD_NOW=2026-11-23T11:30:00-05:00 sd-close 2 --rating 5 >/dev/null
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"
cgit() { git --git-dir="$central" "$@"; }

# forge_file ACTION AUTHOR EMAIL PATH SED [PARENT]: a commit on PARENT
# (HEAD) whose PATH is HEAD's version through SED, with ACTION's trailer
forge_file() {
	_parent=${6:-HEAD}
	sgit show "$_parent:$4" 2>/dev/null | sed "$5" >"$T/forged"
	_blob=$(sgit hash-object -w "$T/forged")
	_idx=$T/forge.idx
	rm -f "$_idx"
	GIT_INDEX_FILE=$_idx sgit read-tree "$_parent"
	GIT_INDEX_FILE=$_idx sgit update-index --add --cacheinfo "100644,$_blob,$4"
	_tree=$(GIT_INDEX_FILE=$_idx sgit write-tree)
	rm -f "$_idx"
	_id=$(basename "$4" .ini)
	printf '%s: %s\n\nTicket: %s\nAction: %s\n' "$_id" "$1" "$_id" "$1" |
		GIT_AUTHOR_NAME=$2 GIT_AUTHOR_EMAIL=$3 GIT_COMMITTER_NAME=$2 GIT_COMMITTER_EMAIL=$3 \
		sgit commit-tree "$_tree" -p "$_parent"
}
# forge_blob FILE PATH SUBJECT ACTION TICKET: a commit on HEAD that puts
# FILE at PATH, by Mallory when ACTION is repair, else by Ana
forge_blob() {
	_blob=$(sgit hash-object -w "$1")
	rm -f "$T/i"
	GIT_INDEX_FILE=$T/i sgit read-tree HEAD
	GIT_INDEX_FILE=$T/i sgit update-index --add --cacheinfo "100644,$_blob,$2"
	_tree=$(GIT_INDEX_FILE=$T/i sgit write-tree)
	case $4 in
	repair) _who="Mallory mallory@evil.example" ;;
	*) _who="Ana ana.gomez@example.org" ;;
	esac
	printf '%s\n\nTicket: %s\nAction: %s\n' "$3" "$5" "$4" |
		GIT_AUTHOR_NAME=${_who% *} GIT_AUTHOR_EMAIL=${_who#* } \
		GIT_COMMITTER_NAME=${_who% *} GIT_COMMITTER_EMAIL=${_who#* } \
		sgit commit-tree "$_tree" -p HEAD
}
# refused COMMIT WHAT PATTERN [HOOK]: sd-fsck --commits and a push both
# refuse it, the hook saying PATTERN or HOOK (what sd-fsck printed is kept
# in $T/fsck.out)
refused() {
	_before=$(cgit rev-parse main)
	expect 65 "$2: sd-fsck --commits refuses it" sd-fsck --commits "HEAD..$1"
	like "$T/out" "$3" "$2: and says why"
	cp "$T/out" "$T/fsck.out"
	sgit push -q "$central" "+$1:refs/heads/main" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "$2: a push is refused"
	like "$T/err" "${4:-$3}" "$2: the hook says why"
	is "$(cgit rev-parse main)" "$_before" "$2: the central branch did not move"
}
V1=tickets/000/SD-1.ini
V2=tickets/000/SD-2.ini
# event_by AGENT: a sed script that appends a note event by AGENT
event_by() {
	printf '%s\n' '$a\' '\' '[event 2]\' 'at = 2026-11-23T10:00:00-05:00\' "by = $1\\" \
		'action = note\' 'text = moved' 's/^updated = .*/updated = 2026-11-23T10:00:00-05:00/'
}
event_note=$(event_by jorge)

# A level-2 agent's note that regroups, reassigns and re-prioritises a
# level-1 ticket.
c=$(forge_file note "Jorge Díaz" jorge.diaz@example.org $V1 \
	"s/^group = desk/group = network/; s/^level = 1/level = 2/; s/^assignee =.*/assignee = jorge/; s/^priority = 3/priority = 1/
$event_note")
refused "$c" "a note that regroups" "note may not change group"
like "$T/fsck.out" "note may not change assignee" "the reassignment is named too"
like "$T/fsck.out" "note may not change priority" "and the new priority"

# A link that rewrites a closed ticket's solution.
c=$(forge_file link "Ana Gómez" ana.gomez@example.org $V2 \
	's/^related = .*/related = SD-1/; s/^text = Toner replaced$/text = Nothing was done/')
refused "$c" "a link that rewrites a closed solution" "may not change \\[solution\\]"

# A repair by an author who is no agent: a closed ticket rewritten, and a
# ticket born closed.
c=$(forge_file repair "Mallory" mallory@evil.example $V2 's/^rating = 5/rating = 1/')
refused "$c" "a repair that rewrites a closed ticket" "repair may not change rating"
sgit show HEAD:$V2 | sed 's/SD-2/SD-3/' >"$T/born"
c=$(forge_blob "$T/born" tickets/000/SD-3.ini "repair: due dates" repair SD-3)
refused "$c" "a repair that adds a ticket born closed" "a new ticket in a commit whose action is 'repair'"

# A merge that makes an agent a coordinator: refused whatever its author.
side=$(forge_file edit "Mallory" mallory@evil.example agents.ini \
	's/^groups = network$/groups = network\ncoordinator = yes/')
_tree=$(sgit rev-parse "$side^{tree}")
c=$(printf 'Merge\n\nAction: edit\n' |
	GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=mallory@evil.example \
	GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=mallory@evil.example \
	sgit commit-tree "$_tree" -p HEAD -p "$side")
refused "$c" "a merge that rewrites agents.ini" "a merge commit"
c=$(forge_file edit "Luis Pérez" luis.perez@example.org agents.ini \
	's/^groups = network$/groups = network\ncoordinator = yes/')
refused "$c" "agents.ini edited by an agent who is no coordinator" "only coordinators edit the configuration"

# Due dates written by hand.
c=$(forge_file note "Ana Gómez" ana.gomez@example.org $V1 \
	"s/^due_resolution = .*/due_resolution = 2027-01-01T08:00:00-05:00/
$(event_by ana)")
refused "$c" "a due date written by hand" "due_resolution is '2027-01-01T08:00:00-05:00', the clock says"

# An event rewritten, an event removed.
c=$(forge_file note "Ana Gómez" ana.gomez@example.org $V1 \
	"s/^to = new$/to = assigned/
$(event_by ana)")
sgit show "$c:$V1" | grep -q '^to = assigned' || echo "# the forged file has no changed event" >&2
refused "$c" "an earlier event rewritten" "events are only appended"

# A path outside the store's layout, an empty shard, a misplaced ticket.
printf '#!/bin/sh\necho pwned\n' >"$T/hook"
c=$(forge_blob "$T/hook" hooks/new "SD-1: note" note SD-1)
refused "$c" "a hooks/ file in a commit" "hooks/new: .*hooks/ is each machine's own"
empty=$(sgit hash-object -t tree -w /dev/null)
_tickets=$( (sgit ls-tree HEAD:tickets; printf '040000 tree %s\t999\n' "$empty") | sgit mktree)
_tree=$( (sgit ls-tree HEAD | grep -v '	tickets$'; printf '040000 tree %s\ttickets\n' "$_tickets") | sgit mktree)
c=$(printf 'SD-1: note\n\nTicket: SD-1\nAction: note\n' |
	GIT_AUTHOR_NAME=Ana GIT_AUTHOR_EMAIL=ana.gomez@example.org sgit commit-tree "$_tree" -p HEAD)
refused "$c" "an empty shard" "tickets/999: .*an empty shard"
sgit show HEAD:$V1 | sed 's/SD-1/SD-3/' >"$T/misplaced"
c=$(forge_blob "$T/misplaced" tickets/004/SD-3.ini "SD-3: new" new SD-3)
refused "$c" "a ticket in the wrong shard" "tickets/004/SD-3.ini: .*not in its shard \\(belongs in tickets/000/\\)"

# The commit as a whole: its Action, its trailers, the configuration.
c=$(forge_file fly "Ana Gómez" ana.gomez@example.org $V1 "$(event_by ana)")
refused "$c" "an Action that is none" "Action: fly is no action of sd\\(7\\)"
honest=$(forge_file note "Ana Gómez" ana.gomez@example.org $V1 "$(event_by ana)")
expect 0 "a note forged as sd-note writes it passes" sd-fsck --commits "HEAD..$honest"
c=$(printf 'SD-1: note\n\nAction: note\n' | GIT_AUTHOR_NAME=Ana GIT_AUTHOR_EMAIL=ana.gomez@example.org \
	sgit commit-tree "$honest^{tree}" -p HEAD)
refused "$c" "a ticket changed with no Ticket: trailer" "SD-1 changed, but the commit has no 'Ticket: SD-1' trailer"
c=$(forge_file note "Carmen Vargas" carmen.vargas@example.org sla.ini 's/^warn = 80$/warn = 70/')
refused "$c" "a note that changes sla.ini" "note does not change the configuration files"
sgit show HEAD:sla.ini | sed 's/^warn = 80$/warn = 70/' >"$T/sla"
_blob=$(sgit hash-object -w "$T/sla")
rm -f "$T/i"
GIT_INDEX_FILE=$T/i sgit read-tree "$honest"
GIT_INDEX_FILE=$T/i sgit update-index --cacheinfo "100644,$_blob,sla.ini"
_tree=$(GIT_INDEX_FILE=$T/i sgit write-tree)
c=$(printf 'sla.ini: edit\n\nTicket: SD-1\nAction: edit\n' |
	GIT_AUTHOR_NAME=Carmen GIT_AUTHOR_EMAIL=carmen.vargas@example.org sgit commit-tree "$_tree" -p HEAD)
# A configuration edit carries only the due-date repairs it causes
# (lib/due.c): any other ticket change is checked as a repair, and refused.
refused "$c" "a configuration edit that changes a ticket too" "\[event 2\] is a note, in a commit whose action is repair"
rm -f "$T/i"
GIT_INDEX_FILE=$T/i sgit read-tree HEAD
GIT_INDEX_FILE=$T/i sgit --work-tree="$SD_STORE" update-index --force-remove escalation.ini
_tree=$(GIT_INDEX_FILE=$T/i sgit write-tree)
c=$(printf 'sla.ini: edit\n\nAction: edit\n' |
	GIT_AUTHOR_NAME=Carmen GIT_AUTHOR_EMAIL=carmen.vargas@example.org sgit commit-tree "$_tree" -p HEAD)
refused "$c" "a configuration file removed" "escalation.ini: .*a configuration file may not be removed"
c=$(printf 'SD-1: note\n\nTicket: SD-1\nAction: note\n' |
	GIT_AUTHOR_NAME=Ana GIT_AUTHOR_EMAIL=ana.gomez@example.org sgit commit-tree "HEAD^{tree}")
refused "$c" "a new root commit that is not init" "the first commit is sd-init's, action init" \
	"refs/heads/main: not a fast-forward of [0-9a-f]{12}: the store's history only moves forward"

# What the commands make passes: the whole history, and a push of it.
expect 0 "the store's own history passes" sd-fsck --commits HEAD
sgit push -q "$central" HEAD:refs/heads/main >"$T/out" 2>"$T/err"
is "$?" 0 "a push of what the commands made is accepted"
clean "the store is clean"
done_testing
