# tests/workflow.sh - helpers for the tests of the workflow commands
# (sd-assign, sd-escalate, sd-suspend, sd-resume, sd-solve, sd-close,
# sd-reopen, sd-note, sd-approve, sd-link).  Source it after lib.sh; it
# uses lib.sh's run, expect, ok, is, like, one_line_error, clean,
# unchanged, head_id, sgit, fields and $T (the tests use forge too).
#
# The example store (share/example): groups desk (1), apps (2), network (2),
# servers (3), telco (3, provider); agents ana, luis (desk), marta (apps),
# jorge (network), sofia (servers), telco (telco), carmen (desk,
# coordinator, approves boss), raul (servers, approves risk, infra).
# network/vpn escalates desk -> network -> servers; network/internet's
# level 3 is telco; access/account waits for the approvals boss, risk.

# bail MESSAGE: stop the script, as TAP asks
bail() {
	echo "Bail out! $*"
	exit 1
}

# commit_info: author, subject and trailers of HEAD, as
# "Name <email>|subject|Ticket,Ticket|Action"
commit_info() {
	sgit log -1 --format='%an <%ae>|%s|%(trailers:key=Ticket,valueonly,separator=%x2C)|%(trailers:key=Action,valueonly,separator=%x2C)'
}

# file_field N KEY: the value of KEY in ticket N's file, read directly
# (quicker than sd-show, for building and steering tests; plain values only)
file_field() {
	sed -n "/^\[ticket\]\$/,/^\$/s/^$2 = \{0,1\}//p" \
		"$SD_STORE/tickets/$(printf %03d $(($1 / 1000)))/SD-$1.ini" | head -1
}

# status_of ID: the ticket's status
status_of() { sd-show --field status "$1"; }

# jget ID EXPR: EXPR (Python, over the ticket's sd-show --format json
# document d) written as it is (a string) or as JSON (anything else)
jget() {
	sd-show --format json "$1" >"$T/show.json" || return 1
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2])
sys.stdout.write(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))' \
		"$T/show.json" "$2"
}

# last_event ID: the ticket's last event, as JSON ({"at": ..., ...})
last_event() { jget "$1" 'd["events"][-1]'; }

# nevents ID: how many events the ticket has
nevents() { jget "$1" 'len(d["events"])'; }

# got_rc STATUS DESCRIPTION: the last `run` exited with STATUS
got_rc() {
	if [ "$rc" != "$1" ]; then
		echo "# exit $rc, expected $1" >&2
		sed 's/^/# stderr: /' "$T/err" >&2
	fi
	ok $([ "$rc" = "$1" ]; echo $?) "$2"
}

# out_is TEXT DESCRIPTION: the last `run` printed TEXT (newlines kept
# as in $(...)), and nothing went to stderr
out_is() {
	is "$(cat "$T/out")" "$1" "$2"
	is "$(cat "$T/err")" "" "$2: nothing on stderr"
}

# quiet CMD...: run a command that builds a test's data; stop the
# script when it fails
quiet() {
	"$@" >"$T/quiet.out" 2>"$T/quiet.err" </dev/null ||
		{ sed 's/^/# /' "$T/quiet.err"; bail "$* failed"; }
}

# new_ticket [sd-new options]: register an incident in network/vpn for
# Pedro Ruiz, complete (so: new), with the options given added; the new
# ticket's number in $made
new_ticket() {
	quiet sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn \
		--email pedro@example.org "$@"
	made=$(sed 's/^SD-//' "$T/quiet.out")
}

# mk STATUS: a fresh ticket in STATUS, built with the commands as carmen
# (a level-1 coordinator who approves boss: no role rule stands in the
# way); its number in $made.  The groups they end in: new, pending-info,
# awaiting-approval, assigned, suspended, solved, reopened, closed,
# rejected: desk (level 1); escalated: network (2); provider: telco (3).
# assigned and suspended are luis's; solved, reopened and closed were
# solved by carmen from new, which made her their assignee.
mk() {
	_mk "$1"
	[ "$(file_field "$made" status)" = "$1" ] ||
		bail "mk $1: SD-$made is $(file_field "$made" status), not $1"
}
_mk() {
	case $1 in
	new) SD_AGENT=carmen new_ticket ;;
	pending-info)   # no requester_email: required data missing
		quiet env SD_AGENT=carmen sd-new -t incident -s "VPN down" -r "Pedro Ruiz" \
			-c network/vpn
		made=$(sed 's/^SD-//' "$T/quiet.out") ;;
	awaiting-approval)
		quiet env SD_AGENT=carmen sd-new -t request -s "Account for Eva" -r "Eva Luna" \
			-c access/account --email eva@example.org
		made=$(sed 's/^SD-//' "$T/quiet.out") ;;
	assigned) _mk new; quiet env SD_AGENT=carmen sd-assign "$made" luis ;;
	escalated) _mk new; quiet env SD_AGENT=carmen sd-escalate -m "Tunnel drops" "$made" ;;
	provider) _mk new
		quiet env SD_AGENT=carmen sd-escalate -m "Line down" --group telco "$made" ;;
	suspended) _mk assigned; quiet env SD_AGENT=carmen sd-suspend -m "Waiting for a part" "$made" ;;
	solved) _mk new; quiet env SD_AGENT=carmen sd-solve -m "Router restarted" "$made" ;;
	reopened) _mk solved; quiet env SD_AGENT=carmen sd-reopen -m "Still down" "$made" ;;
	closed) _mk solved; quiet env SD_AGENT=carmen sd-close "$made" ;;
	rejected) _mk new; quiet env SD_AGENT=carmen sd-close --reject -m "Not ours" "$made" ;;
	unmanaged)  # pending-info since Sunday 09:00; info_window 24h: due Monday 09:00
		quiet env SD_AGENT=carmen SD_NOW=2026-11-22T09:00:00-05:00 sd-new -t incident \
			-s "VPN down" -r "Pedro Ruiz" -c network/vpn
		made=$(sed 's/^SD-//' "$T/quiet.out")
		quiet env SD_AGENT=carmen SD_NOW=2026-11-23T09:01:00-05:00 sd-close --auto ;;
	*) bail "mk: no status $1" ;;
	esac
}

# Editing the configuration as carmen (a coordinator) with sd-edit and an
# EDITOR that applies the sed script $SD_SED.
printf '#!/bin/sh\nexec sed -i -e "$SD_SED" "$1"\n' >"$T/wf-editor"
chmod +x "$T/wf-editor"

# edit_config FILE SED: apply SED to the store's FILE through sd-edit
edit_config() {
	SD_SED=$2 EDITOR=$T/wf-editor quiet env SD_AGENT=carmen sd-edit "$1"
}

# policy KEY yes|no: set a key of sd.ini's [policy]
policy() {
	grep -q "^$1 = " "$SD_STORE/sd.ini" || bail "policy: no $1 in sd.ini"
	edit_config sd.ini "s/^$1 = .*/$1 = $2/"
	grep -q "^$1 = $2\$" "$SD_STORE/sd.ini" || bail "policy: $1 is not $2"
}

# std_cli PROG ARGS...: what every command shares (SPEC section 6): -h and
# --help print the usage on stdout (exit 0), --version its name, a bad
# option the usage on stderr (64), and no store is 66.  ARGS: a valid
# command line for the no-store case.
std_cli() {
	_p=$1
	shift
	run "$_p" -h
	got_rc 0 "$_p -h: exit 0"
	like "$T/out" "^usage: $_p " "$_p -h: usage on stdout"
	run "$_p" --help
	got_rc 0 "$_p --help: exit 0"
	run "$_p" --version
	got_rc 0 "$_p --version: exit 0"
	like "$T/out" "^$_p " "$_p --version: its name"
	_b=$(head_id)
	run "$_p" --bogus "$@"
	got_rc 64 "$_p --bogus: usage error"
	like "$T/err" "usage: $_p " "$_p --bogus: usage on stderr"
	is "$(cat "$T/out")" "" "$_p --bogus: nothing on stdout"
	is "$(head_id)" "$_b" "$_p --bogus: no commit"
	mkdir -p "$T/nostore"
	( cd "$T/nostore" && unset SD_STORE && run "$_p" "$@" && echo "$rc" >"$T/rc" )
	is "$(cat "$T/rc")" 66 "$_p with no store: 66"
	like "$T/err" "^$_p: .*sd-init" "$_p with no store: says how to make one"
}

# run_id ID PROG ARGS...: `run` PROG ARGS with ID in place of the word ID
run_id() {
	_new=$1
	shift
	_rcount=$#
	for _a; do
		if [ "$_a" = ID ]; then set -- "$@" "$_new"; else set -- "$@" "$_a"; fi
	done
	shift "$_rcount"
	run "$@"
}

# id_errors PROG ARGS...: ARGS is a command line with the word ID where
# the ticket ID goes: a malformed ID is 65, a ticket that is not there 66,
# and neither changes anything
id_errors() {
	_p=$1
	shift
	_b=$(head_id)
	for _bad in SD-4x ../x SD-0; do
		run_id "$_bad" "$_p" "$@"
		got_rc 65 "$_p $_bad: invalid ticket id (65)"
	done
	like "$T/err" "^$_p: .*invalid ticket id" "$_p: says the id is invalid"
	run_id SD-999 "$_p" "$@"
	got_rc 66 "$_p SD-999: no such ticket (66)"
	like "$T/err" "^$_p: .*no such ticket" "$_p: says there is no such ticket"
	is "$(head_id)" "$_b" "$_p: bad ids change nothing"
}

# refused STATUS DESCRIPTION CMD...: CMD exits STATUS (65, 66, 77) with
# one line on stderr, nothing on stdout, and changes nothing
refused() {
	_rb=$(head_id)
	_rs=$1 _rd=$2
	shift 2
	expect "$_rs" "$_rd" "$@"
	one_line_error "$T/err" "$_rd: one line on stderr"
	is "$(cat "$T/out")" "" "$_rd: nothing on stdout"
	unchanged "$_rb" "$_rd"
}

# usage_error DESCRIPTION CMD...: CMD exits 64 with the usage on stderr,
# nothing on stdout, and changes nothing
usage_error() {
	_rb=$(head_id)
	_rd=$1
	shift
	expect 64 "$_rd" "$@"
	like "$T/err" "^usage: $1 " "$_rd: the usage on stderr"
	is "$(cat "$T/out")" "" "$_rd: nothing on stdout"
	unchanged "$_rb" "$_rd"
}

# allowed DESCRIPTION CMD...: CMD exits 0, one commit more, store clean
allowed() {
	_rb=$(head_id)
	_rd=$1
	shift
	expect 0 "$_rd" "$@"
	is "$(sgit rev-parse HEAD~1 2>/dev/null)" "$_rb" "$_rd: one commit"
	clean "$_rd: store clean"
}

# elsewhere CMD...: CMD run from $T/elsewhere (no store there or above),
# with SD_STORE unset
elsewhere() {
	mkdir -p "$T/elsewhere"
	(cd "$T/elsewhere" && unset SD_STORE && exec "$@")
}

# out_bytes FORMAT DESCRIPTION: the last `run` printed printf FORMAT's
# bytes exactly (CRs and final newlines included)
out_bytes() {
	printf "$1" >"$T/want"
	if ! cmp -s "$T/want" "$T/out"; then
		echo "# want:" >&2; od -c "$T/want" | sed 's/^/#   /' >&2
		echo "# got:" >&2; od -c "$T/out" | sed 's/^/#   /' >&2
	fi
	ok $(cmp -s "$T/want" "$T/out"; echo $?) "$2"
}

