#!/bin/sh
# sd-edit sd.ini or sla.ini: a change of the calendar or the targets
# carries, in the same commit, the due dates of every ticket whose clock
# it moves.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
mkeditor
export EDITOR="$T/editor"

# Wednesday 18 10:00: an incident, medium/medium = 3: resolution 3bd ->
# Monday 23 10:00; solved and closed on the 19th.  Its clock is over
# before the 25th.
step 2026-11-18T10:00:00-05:00 ana sd-new -t incident -s "Old one" -r "Eva Luna" -c email --email eva@example.org
step 2026-11-18T11:00:00-05:00 ana sd-assign SD-1 ana
step 2026-11-19T10:00:00-05:00 ana sd-solve SD-1 -m "Done."
step 2026-11-19T11:00:00-05:00 ana sd-close SD-1
# Monday 23 10:00: an incident (3bd -> Thursday 26 10:00) and a request
# (medium/medium = 3: response 2bh -> 12:00, resolution 5bd -> Monday 30
# 10:00).
step 2026-11-23T10:00:00-05:00 ana sd-new -t incident -s "Mail bounces" -r "Pedro Ruiz" -c email --email pedro@example.org
step 2026-11-23T10:00:00-05:00 ana sd-new -t request -s "A new mailbox" -r "Eva Luna" -c email --email eva@example.org
is "$(fields SD-2 due_response due_resolution)" "2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00" \
	"SD-2's due dates before"
is "$(fields SD-3 due_response due_resolution)" "2026-11-23T12:00:00-05:00|2026-11-30T10:00:00-05:00" \
	"SD-3's due dates before"
closed_before=$(cat "$SD_STORE/tickets/000/SD-1.ini")
before=$(head_id)

# Wednesday 25 made a holiday, by a coordinator.
export SD_NOW=2026-11-23T12:30:00-05:00
SD_SED='s/2026-11-16, 2026-12-08/2026-11-16, 2026-11-25, 2026-12-08/' SD_AGENT=carmen \
	expect 0 "a holiday added with sd-edit sd.ini" sd-edit sd.ini
like "$SD_STORE/sd.ini" "2026-11-25" "the holiday is there"
is "$(fields SD-2 due_response due_resolution)" "2026-11-23T11:00:00-05:00|2026-11-27T10:00:00-05:00" \
	"SD-2: resolution a business day later, Friday 27 10:00"
is "$(fields SD-3 due_response due_resolution)" "2026-11-23T12:00:00-05:00|2026-12-01T10:00:00-05:00" \
	"SD-3: resolution Tuesday 1 December 10:00"
is "$(sgit rev-list --count "$before..HEAD")" 1 "one commit"
is "$(sgit show --name-only --format= HEAD | tr '\n' ' ')" \
	"sd.ini tickets/000/SD-2.ini tickets/000/SD-3.ini " "it holds sd.ini and both open tickets"
is "$(sgit log -1 --format=%s)" "sd.ini: edit; due dates of 2 tickets" "its subject"
sgit log -1 --format=%B >"$T/msg"
like "$T/msg" "^Ticket: SD-2$" "a Ticket: trailer for SD-2"
like "$T/msg" "^Ticket: SD-3$" "and for SD-3"
like "$T/msg" "^Action: edit$" "Action: edit"
is "$(cat "$SD_STORE/tickets/000/SD-1.ini")" "$closed_before" "the closed ticket untouched"
like "$SD_STORE/tickets/000/SD-2.ini" "^text = due dates recomputed$" "SD-2: an event says why"
like "$SD_STORE/tickets/000/SD-2.ini" "^action = repair$" "by the action repair"
like "$SD_STORE/tickets/000/SD-2.ini" "^by = carmen$" "by the coordinator"
expect 0 "sd-fsck finds the store sound" sd-fsck
is "$(cat "$T/out")" "" "and says nothing"
clean "store clean"
expect 0 "the commit passes the hook's check" sd-fsck --commits "$before..HEAD"
is "$(cat "$T/out")" "" "no finding"

# A target changed in sla.ini: incident priority 3, 3bd -> 4bd.
before=$(head_id)
SD_SED='/^\[incident\]/,/^\[/s/^resolution\.3 = 3bd/resolution.3 = 4bd/' SD_AGENT=carmen \
	expect 0 "a target changed with sd-edit sla.ini" sd-edit sla.ini
is "$(fields SD-2 due_resolution)" "2026-11-30T10:00:00-05:00" \
	"SD-2: 4bd from Monday 10:00 past the Wednesday holiday, Monday 30"
# SD-1, closed, is an incident of priority 3 too: its due dates move as
# well (sd-fsck holds every ticket's to the clock), SD-3 (a request) not.
is "$(fields SD-1 status due_resolution)" "closed|2026-11-24T10:00:00-05:00" \
	"SD-1: still closed, resolution 4bd from Wednesday 18 10:00, Tuesday 24"
is "$(sgit show --name-only --format= HEAD | tr '\n' ' ')" \
	"sla.ini tickets/000/SD-1.ini tickets/000/SD-2.ini " "sla.ini and the two incidents"
expect 0 "sound" sd-fsck
expect 0 "the hook's check" sd-fsck --commits "$before..HEAD"

# An edit that moves no clock: the file alone.
before=$(head_id)
SD_SED='s/^name = .*/name = Mesa de ayuda/' SD_AGENT=carmen expect 0 "a name changed" sd-edit sd.ini
is "$(sgit show --name-only --format= HEAD | tr '\n' ' ')" "sd.ini " "sd.ini alone"
is "$(sgit log -1 --format=%s)" "sd.ini: edit" "the subject as ever"

# edit_commit BASE PATH=FILE...: a commit on BASE by the coordinator,
# Action: edit, with the files replaced, made with git alone (HEAD does
# not move); its id
edit_commit() {
	_base=$1
	shift
	rm -f "$T/idx2"
	GIT_INDEX_FILE=$T/idx2 sgit read-tree "$_base"
	for _pc; do
		GIT_INDEX_FILE=$T/idx2 sgit update-index --cacheinfo \
			"100644,$(sgit hash-object -w -- "${_pc#*=}"),${_pc%%=*}"
	done
	GIT_AUTHOR_NAME=Carmen GIT_AUTHOR_EMAIL=carmen.vargas@example.org \
	GIT_COMMITTER_NAME=Carmen GIT_COMMITTER_EMAIL=carmen.vargas@example.org \
	sgit commit-tree -p "$_base" -m "sd.ini: edit" -m "Ticket: SD-3
Action: edit" "$(GIT_INDEX_FILE=$T/idx2 sgit write-tree)"
}
base=$(head_id)

# The check still refuses a configuration commit that changes a ticket
# otherwise than its due dates.
sgit show HEAD:tickets/000/SD-3.ini | sed 's/^title = .*/title = Changed with the calendar/' >"$T/sd3"
sgit show HEAD:sd.ini | sed 's/^name = .*/name = Other/' >"$T/sdini"
c=$(edit_commit "$base" sd.ini="$T/sdini" tickets/000/SD-3.ini="$T/sd3")
expect 65 "a configuration edit that changes a title is refused" sd-fsck --commits "$base..$c"
like "$T/out" "SD-3.*title" "naming the ticket and the key"

# A calendar edit committed with git alone, that leaves the due dates
# it moves as they were: refused, each stale ticket named.
sgit show HEAD:sd.ini | sed 's/2026-11-25, 2026-12-08/2026-11-25, 2026-11-26, 2026-12-08/' >"$T/sdini"
c=$(edit_commit "$base" sd.ini="$T/sdini")
expect 65 "a holiday pushed without the due dates it moves is refused" sd-fsck --commits "$base..$c"
like "$T/out" "^tickets/000/SD-2\.ini: commit [0-9a-f]*: due_resolution is '2026-11-30T10:00:00-05:00', the clock says '2026-12-01T10:00:00-05:00' under this commit's configuration$" \
	"SD-2 named, with both dates"
like "$T/out" "^tickets/000/SD-3\.ini: " "SD-3 named"
is "$(grep -c 'SD-1\.ini' "$T/out")" 0 "SD-1, closed before, not (its clock is not moved)"
is "$(head_id)" "$base" "HEAD did not move"
# The same with the due dates: sd-edit's commit, accepted.
SD_SED='s/2026-11-25, 2026-12-08/2026-11-25, 2026-11-26, 2026-12-08/' SD_AGENT=carmen \
	expect 0 "the same holiday with sd-edit" sd-edit sd.ini
is "$(sgit show --name-only --format= HEAD | tr '\n' ' ')" \
	"sd.ini tickets/000/SD-2.ini tickets/000/SD-3.ini " "it carries SD-2 and SD-3"
expect 0 "its commit is accepted" sd-fsck --commits "$base..HEAD"
is "$(cat "$T/out")" "" "no finding"
expect 0 "sound" sd-fsck
# An agents.ini edit moves no clock: no ticket read, none checked.
before=$(head_id)
SD_SED='s/^name = Carmen Vargas$/name = Carmen Vargas R./' SD_AGENT=carmen \
	expect 0 "agents.ini edited" sd-edit agents.ini
is "$(sgit show --name-only --format= HEAD | tr '\n' ' ')" "agents.ini " "agents.ini alone"
expect 0 "accepted" sd-fsck --commits "$before..HEAD"

done_testing
