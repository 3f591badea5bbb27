#!/bin/sh
# Every status of SPEC section 5 against every action command.  A legal
# move exits 0, prints the ID and leaves the status of the table; any other
# move is 65, one line on stderr, and changes nothing.  Each cell acts on a
# fresh ticket, built with the commands (tests/workflow.sh, mk).
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"

# carmen acts: a level-1 coordinator who approves boss, so that no role
# rule of section 3 stands in the way and only the status decides.
export SD_AGENT=carmen

# member ID: an agent of the ticket's group, for sd-assign
member() {
	case $(file_field "$1" group) in
	desk) echo luis ;; apps) echo marta ;; network) echo jorge ;;
	servers) echo sofia ;; telco) echo telco ;;
	esac
}

# act ACTION ID: the action's command on ticket ID, through `run`
act() {
	case $1 in
	assign) run sd-assign "$2" "$(member "$2")" ;;
	escalate)   # the next level; from telco (level 3) down to level 2
		if [ "$(file_field "$2" level)" = 3 ]; then
			run sd-escalate -m "Not the line" --level 2 "$2"
		else
			run sd-escalate -m "Tunnel drops" "$2"
		fi ;;
	suspend) run sd-suspend -m "Waiting for a part" "$2" ;;
	resume) run sd-resume "$2" ;;
	solve) run sd-solve -m "Router restarted" "$2" ;;
	close) run sd-close "$2" ;;
	reject) run sd-close --reject -m "Not ours" "$2" ;;
	reopen) run sd-reopen -m "Still down" "$2" ;;
	approve) run sd-approve --role boss "$2" ;;
	deny) run sd-approve --deny --role boss -m "No budget" "$2" ;;
	note) run sd-note -m "Called the requester" "$2" ;;
	reply) run sd-reply -m "We are on it" "$2" ;;
	link) run sd-link "$2" "$partner" ;;
	esac
}

# cell STATUS ACTION TO: ACTION on a fresh ticket in STATUS; TO is the
# status it must reach, or - when the move is illegal.
cell() {
	mk "$1"
	cid=SD-$made
	before=$(head_id)
	act "$2" "$made"
	if [ "$3" = - ]; then
		got_rc 65 "$1 + $2: illegal (65)"
		one_line_error "$T/err" "$1 + $2: one line on stderr"
		if [ "$1 $2" = "closed reopen" ]; then
			like "$T/err" "register a new ticket with --related" \
				"$1 + $2: says to register a new ticket with --related"
		else
			like "$T/err" "$cid: .*$1" "$1 + $2: the message names the ticket and its status"
		fi
		is "$(cat "$T/out")" "" "$1 + $2: nothing on stdout"
		unchanged "$before" "$1 + $2"
	else
		got_rc 0 "$1 + $2: legal"
		is "$(status_of "$made")" "$3" "$1 + $2 -> $3"
		if [ "$2" = link ]; then
			is "$(sort "$T/out" | tr '\n' ' ')" "$(printf '%s\n' "$cid" "SD-$partner" | sort | tr '\n' ' ')" \
				"$1 + $2: prints both IDs"
		else
			is "$(cat "$T/out")" "$cid" "$1 + $2: prints the ID"
		fi
		is "$(sgit rev-parse HEAD~1)" "$before" "$1 + $2: one commit"
		clean "$1 + $2: store clean"
	fi
}

# row STATUS TO...: the cells of STATUS, one TO per action, in the order
# assign escalate suspend resume solve close reject reopen approve deny note reply link.
# Each row has a store of its own (git fsck stays quick), with SD-1, new,
# the partner of every link.
row() {
	rowst=$1
	shift
	mkstore "$T/$rowst"
	mk new
	partner=$made
	for rowact in assign escalate suspend resume solve close reject reopen approve deny note reply link; do
		cell "$rowst" "$rowact" "$1"
		shift
	done
}

#   status            assign   escalate  suspend   resume   solve  close  reject   reopen   approve           deny     note  reply  link
row new               assigned escalated -         -        solved -      rejected -        -                 -        new   new   new
row pending-info      -        -         -         -        -      -      -        -        -                 -        pending-info pending-info pending-info
# access/account waits for boss, then risk: after boss, still awaiting
row awaiting-approval -        -         -         -        -      -      -        -        awaiting-approval rejected awaiting-approval awaiting-approval awaiting-approval
row assigned          assigned escalated suspended -        solved -      rejected -        -                 -        assigned assigned assigned
# escalated: network (level 2) -> servers (level 3)
row escalated         assigned escalated -         -        solved -      -        -        -                 -        escalated escalated escalated
# provider: telco (level 3) -> --level 2 (network)
row provider          -        escalated suspended -        solved -      -        -        -                 -        provider provider provider
# suspended from assigned: resume goes back to assigned
row suspended         -        -         -         assigned -      -      -        -        -                 -        suspended suspended suspended
row solved            -        -         -         -        -      closed -        reopened -                 -        solved solved solved
# reopened: as assigned
row reopened          assigned escalated suspended -        solved -      rejected -        -                 -        reopened reopened reopened
row closed            -        -         -         -        -      -      -        -        -                 -        -     -     closed
row rejected          -        -         -         -        -      -      -        -        -                 -        -     -     rejected
row unmanaged         -        -         -         -        -      -      -        -        -                 -        -     -     unmanaged

# The rest of the "left by" column: auto-close and unmanaged (sd-close
# --auto) act on solved and pending-info alone; update (sd-update) is
# tested in sd-update.t; approve with every approval given -> new, in
# sd-approve.t.
done_testing
