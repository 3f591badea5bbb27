#!/bin/sh
# sd-sync --renumber OLD NEW: a coordinator's repair of two desks merged.
# The ticket OLD moves to NEW in one commit (action renumber), OLD kept in
# its aliases, where sd-show, sd-note and sd-mail's replies find it.
# Refused: not a coordinator 77, NEW taken 73, OLD missing 66, a
# malformed id 65 (SPEC section 10), OLD = NEW or a missing NEW 64; the
# hook refuses a hand-made renumber that changes anything else.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
unset SENDER
export SD_AGENT=carmen
M=${SD_TOP:-.}/tests/mail
new_ticket --email pedro.ruiz@example.org       # SD-1
new_ticket                                      # SD-2
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"
sgit remote add central "$central"

# refused WHAT STATUS MESSAGE ARGS...: exit STATUS, one line, no commit
refused() {
	_head=$(head_id)
	_what=$1 _st=$2 _msg=$3
	shift 3
	expect "$_st" "$_what" "$@"
	one_line_error "$T/err" "$_what: one line"
	like "$T/err" "$_msg" "$_what: says why"
	is "$(head_id)" "$_head" "$_what: no commit"
}
refused "not a coordinator" 77 "^sd-sync: ana: only coordinators renumber tickets$" \
	env SD_AGENT=ana sd-sync --renumber 1 500
refused "NEW taken" 73 "^sd-sync: SD-2: taken, a ticket of the tree$" sd-sync --renumber 1 2
refused "OLD missing" 66 "^sd-sync: SD-7: no such ticket$" sd-sync --renumber 7 500
refused "a bad OLD" 65 "invalid ticket id" sd-sync --renumber x 500
refused "a bad NEW" 65 "invalid ticket id" sd-sync --renumber 1 SD-0
refused "NEW below OLD" 65 "^sd-sync: SD-1: below SD-2; a ticket is renumbered upwards" \
	sd-sync --renumber 2 1
refused "OLD = NEW" 64 "renumbered to another number" sd-sync --renumber 1 SD-1
sgit config sd.site bog
refused "at a site" 65 "^sd-sync: bog is a site; renumber at the hub" sd-sync --renumber 1 500
sgit config --unset sd.site
expect 64 "NEW missing" sd-sync --renumber 1
expect 64 "with --format" sd-sync --renumber 1 500 --format json
clean "store clean after the refusals"

_head=$(head_id)
expect 0 "renumber SD-1 to SD-500" sd-sync --renumber 1 500
is "$(cat "$T/out")" "SD-500" "prints NEW"
is "$(sgit rev-parse HEAD~1)" "$_head" "one commit"
is "$(sgit log -1 --format=%s)" "SD-1: renumber to SD-500" "its subject"
like_trailer() { sgit log -1 --format=%B | grep -q "^$1$"; ok $? "trailer $1"; }
like_trailer "Action: renumber"
like_trailer "Ticket: SD-500"
ok $([ ! -e "$SD_STORE/tickets/000/SD-1.ini" ]; echo $?) "SD-1's file is gone"
is "$(ini_get "$SD_STORE/tickets/000/SD-500.ini" ticket id)" "SD-500" "id = SD-500"
is "$(ini_get "$SD_STORE/tickets/000/SD-500.ini" ticket aliases)" "SD-1" "aliases = SD-1"
is "$(ini_get "$SD_STORE/tickets/000/SD-500.ini" "event 2" action)" "renumber" "event renumber"
is "$(ini_get "$SD_STORE/tickets/000/SD-500.ini" "event 2" was)" "SD-1" "was = SD-1"
clean "store clean after the renumber"
expect 0 "sd-fsck --commits takes it" sd-fsck --commits HEAD
expect 0 "sd-fsck" sd-fsck
expect 0 "the hook takes it" sgit push -q central HEAD:refs/heads/main

# Every command taking an id finds OLD as NEW, printing nothing extra.
expect 0 "sd-show SD-1" sd-show SD-1
like "$T/out" "^SD-500 " "sd-show SD-1 shows SD-500"
is "$(cat "$T/err")" "" "nothing on stderr"
expect 0 "sd-note 1" sd-note 1 -m "noted by the old number"
is "$(ini_get "$SD_STORE/tickets/000/SD-500.ini" "event 3" text)" "noted by the old number" \
	"the note is SD-500's"
ok $([ ! -e "$SD_STORE/tickets/000/SD-1.ini" ]; echo $?) "no SD-1 made again"
expect 0 "a new ticket is never given an alias's number" sd-new -t incident -s "C" -r Eva \
	-c network/internet
is "$(cat "$T/out")" "SD-501" "SD-501, above SD-500"
refused "NEW a ticket's, above OLD" 73 "^sd-sync: SD-501: taken, a ticket of the tree$" \
	sd-sync --renumber 2 501
expect 0 "renumber SD-500 again, to SD-600" sd-sync --renumber 500 600
is "$(ini_get "$SD_STORE/tickets/000/SD-600.ini" ticket aliases)" "SD-1 SD-500" "both aliases"
refused "NEW an alias" 73 "^sd-sync: SD-500: taken, an alias of SD-600$" sd-sync --renumber 2 500
refused "OLD an alias is no file" 66 "^sd-sync: SD-1: no such ticket$" sd-sync --renumber 1 700

# sd-mail: a reply naming [SD-1] lands on SD-600.
expect_in "$M/reply.eml" 0 "a reply naming SD-1" env SD_AGENT=mail sd-mail
is "$(ini_get "$SD_STORE/tickets/000/SD-600.ini" "event 5" action)" "note" "SD-600 gains the note"
ok $([ ! -e "$SD_STORE/tickets/000/SD-1.ini" ]; echo $?) "no SD-1 made by the mail"
clean "store clean after the mail"
expect 0 "the hook takes the rest" sgit push -q central HEAD:refs/heads/main

# A hand-made renumber that changes anything else: refused by the hook.
# forged DESCRIPTION SED [KEEP]: sd-sync's own renumber of SD-2 to SD-800,
# with SED applied to SD-800's file (and SD-2's file kept when KEEP), made
# again by the same author on the same parent and pushed: 1 refused.
expect 0 "renumber SD-2 to SD-800 here" sd-sync --renumber 2 800
R=$(head_id)
P=$(sgit rev-parse HEAD~1)
forged() {
	_idx=$T/forged-index
	rm -f "$_idx"
	sgit show "$R:tickets/000/SD-800.ini" | sed "$2" >"$T/forged.ini"
	GIT_INDEX_FILE=$_idx sgit read-tree "$P"
	[ -n "${3:-}" ] || GIT_INDEX_FILE=$_idx sgit --work-tree="$SD_STORE" update-index --force-remove -- tickets/000/SD-2.ini
	_blob=$(sgit hash-object -w "$T/forged.ini")
	GIT_INDEX_FILE=$_idx sgit update-index --add --cacheinfo "100644,$_blob,tickets/000/SD-800.ini"
	_tree=$(GIT_INDEX_FILE=$_idx sgit write-tree)
	_c=$(GIT_AUTHOR_NAME=carmen GIT_AUTHOR_EMAIL=carmen.vargas@example.org \
		GIT_COMMITTER_NAME=carmen GIT_COMMITTER_EMAIL=carmen.vargas@example.org \
		sgit commit-tree "$_tree" -p "$P" -m "$(sgit log -1 --format=%B "$R")")
	expect 1 "$1: the hook refuses it" sgit push -q central "$_c:refs/heads/main"
	like "$T/err" "${4:-a renumber changes the id}" "$1: says why"
}
forged "the title changed too" 's/^title = .*/title = Forged/'
forged "no alias" '/^aliases = /d'
forged "was another id" 's/^was = SD-2$/was = SD-3/'
forged "the old file kept" 's/x/x/' keep "removes one ticket file and adds one"
_c=$R
expect 0 "the true renumber: the hook takes it" sgit push -q central "$R:refs/heads/main"
clean "store clean at the end"
done_testing
