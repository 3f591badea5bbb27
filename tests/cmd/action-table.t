#!/bin/sh
# The action table against every commit: for every action the commands
# take and every [ticket] key, a commit that changes the key where the
# action may not (or not that way) is refused by sd-fsck --commits and by a
# real push into a bare repository with share/hooks/pre-receive; the
# honest commit the command made is accepted by both.
#
# How: one example store pushes to a central bare repository with the
# hook.  For each action a ticket is brought to the status it needs with
# the commands and pushed, so that central is at HEAD; the command then
# makes C = HEAD.  For each of the 30 keys a commit C_K is forged with
# git plumbing: parent HEAD^, C's tree with the ticket file's key K given
# another valid value, C's message, author and committer.  Whether K may
# change under the action comes from how() below, the table of
# lib/action.c and sd(7) written out again by hand (never read from them
# at run time, so that it is a second, independent statement of it).  Keys the action keeps, and those it may
# only change one way (+1, the event's time, first time, emptied,
# computed), must be refused; keys it sets to any value are only recorded
# as TAP comments.  Per action, a status the transition table does not
# allow, the last event removed, an earlier event edited and the
# description changed are tried too.  The honest commit is checked and
# pushed LAST, so that central stays at HEAD^ while the forged ones are
# tried.
#
# Run time: sd-fsck --commits is run for every forged commit, but a real
# push only for the first key each action keeps and for the honest commit.
# With that the file took 154 s of wall clock (35 s of CPU) on a busy
# 2-core machine; a push per key (receive-pack and the hook's own sd-fsck
# for each of the ~570 forged commits) would have gone far past ~90 s.
# The push and sd-fsck --commits run the same check (share/hooks/
# pre-receive calls sd-fsck --commits), so the pushes show the hook
# works and refuses, and sd-fsck covers every key.
. "${SD_TOP:-.}/tests/lib.sh"

mkstore
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"
chmod +x "$central/hooks/pre-receive"
sgit remote add central "$central"
cgit() { git --git-dir="$central" "$@"; }
mkeditor

KEYS="id type status title category channel urgency impact priority level group
assignee requester requester_email requester_phone created updated responded
solved closed due_response due_resolution resolution close_reason rating
escalations reopened contact_attempts related approvals"

# how ACTION KEY: how ACTION may change KEY - keep, set, step (+1), stamp
# (the event's time), first (the event's time, when empty), clear or calc
# (computed).  link-final is sd-link on a final ticket: the link alone.
how() {
	case $1:$2 in
	link-final:related) echo set; return ;;
	link-final:*) echo keep; return ;;
	*:updated) echo stamp; return ;;
	*:due_response | *:due_resolution) echo calc; return ;;
	esac
	case $1:$2 in
	new:id | new:type | new:status | new:title | new:category | new:channel | \
	new:urgency | new:impact | new:level | new:group | new:requester | \
	new:requester_email | new:requester_phone | new:related | new:approvals) echo set ;;
	new:priority) echo calc ;;
	new:created) echo stamp ;;
	update:status | update:title | update:category | update:urgency | update:impact | \
	update:group | update:requester_email | update:requester_phone | update:approvals) echo set ;;
	update:priority) echo calc ;;
	assign:status | assign:assignee) echo set ;;
	assign:responded) echo first ;;
	escalate:status | escalate:level | escalate:group) echo set ;;
	escalate:assignee) echo clear ;;
	escalate:escalations) echo step ;;
	suspend:status | resume:status) echo set ;;
	solve:status | solve:resolution) echo set ;;
	solve:responded) echo first ;;
	solve:assignee) echo actor ;;
	solve:solved) echo stamp ;;
	close:status | close:close_reason | close:rating) echo set ;;
	close:closed) echo stamp ;;
	reject:status | reject:close_reason | deny:status | deny:close_reason | \
	auto-close:status | auto-close:close_reason | \
	unmanaged:status | unmanaged:close_reason) echo set ;;
	reject:closed | deny:closed | auto-close:closed | unmanaged:closed) echo stamp ;;
	reopen:status | reopen:assignee) echo set ;;
	reopen:solved | reopen:resolution) echo clear ;;
	reopen:reopened) echo step ;;
	approve:status | approve:approvals) echo set ;;
	note:contact_attempts) echo step ;;
	link:related) echo set ;;
	edit:type | edit:title | edit:category | edit:channel | edit:urgency | edit:impact | \
	edit:level | edit:group | edit:assignee | edit:requester | edit:requester_email | \
	edit:requester_phone | edit:responded | edit:solved | edit:closed | \
	edit:resolution | edit:close_reason | edit:rating | edit:related | edit:approvals) echo set ;;
	edit:priority) echo calc ;;
	*) echo keep ;;
	esac
}

# alt KEY CUR PREV: a valid value for KEY that is neither CUR (the honest
# commit's) nor PREV (its parent's)
alt() {
	case $1 in
	escalations | reopened | contact_attempts) echo $(($2 + 5)); return ;;
	id) set -- "$2" "$3" SD-90 SD-91 SD-92 ;;
	type) set -- "$2" "$3" incident request ;;
	status) set -- "$2" "$3" escalated provider suspended ;;
	title) set -- "$2" "$3" "A forged title" "Another forged title" ;;
	category) set -- "$2" "$3" hardware/printer software/erp email ;;
	channel) set -- "$2" "$3" email web chat ;;
	urgency | impact) set -- "$2" "$3" low medium high ;;
	priority) set -- "$2" "$3" 1 2 3 4 ;;
	level) set -- "$2" "$3" 3 2 1 ;;
	group) set -- "$2" "$3" apps servers network ;;
	assignee) set -- "$2" "$3" marta sofia jorge ;;
	requester) set -- "$2" "$3" "Someone Else" "Someone Other" ;;
	requester_email) set -- "$2" "$3" other@example.org another@example.org x@example.org ;;
	requester_phone) set -- "$2" "$3" "+57 601 555 0199" "+57 601 555 0198" "+57 601 555 0197" ;;
	created | updated | responded | solved | closed | due_response | due_resolution)
		set -- "$2" "$3" 2026-11-20T08:17:00-05:00 2026-11-20T08:18:00-05:00 2026-11-20T08:19:00-05:00 ;;
	resolution) set -- "$2" "$3" workaround unsolvable solved ;;
	close_reason) set -- "$2" "$3" "forged reason" "another forged reason" ;;
	rating) set -- "$2" "$3" 1 2 3 ;;
	related) set -- "$2" "$3" SD-90 SD-91 SD-92 ;;
	approvals) set -- "$2" "$3" infra risk boss ;;
	esac
	_cur=$1 _prev=$2
	shift 2
	for _v; do
		[ "$_v" != "$_cur" ] && [ "$_v" != "$_prev" ] && { echo "$_v"; return; }
	done
	echo "Bail out! no other value for $1"
	exit 1
}

# setkey FILE KEY VALUE: FILE with KEY of [ticket] set to VALUE, on stdout
setkey() {
	awk -v k="$2" -v v="$3" '
		/^\[/ { in_t = ($0 == "[ticket]") }
		in_t && index($0, k " =") == 1 { print k " = " v; next }
		{ print }' "$1"
}

# sectionkey FILE SECTION KEY VALUE: the first KEY of [SECTION] set to VALUE
sectionkey() {
	awk -v s="[$2]" -v k="$3" -v v="$4" '
		/^\[/ { in_s = ($0 == s) }
		in_s && !done && index($0, k " =") == 1 { print k " = " v; done = 1; next }
		{ print }' "$1"
}

# drop_last_event FILE: FILE without its last [event N] section
drop_last_event() {
	_l=$(grep -n '^\[event ' "$1" | tail -1 | cut -d: -f1)
	head -n $((_l - 1)) "$1"
}

# forge_from FILE NEWFILE: a commit with HEAD^ for parent, HEAD's tree with
# FILE (a path in the store) replaced by NEWFILE, and HEAD's message,
# author and committer, with their dates (kept by keep_head); its id on
# stdout
forge_from() {
	_blob=$(sgit hash-object -w "$2")
	GIT_INDEX_FILE=$T/forge.idx sgit update-index --cacheinfo "100644,$_blob,$1"
	_tree=$(GIT_INDEX_FILE=$T/forge.idx sgit write-tree)
	GIT_AUTHOR_NAME=$c_an GIT_AUTHOR_EMAIL=$c_ae GIT_AUTHOR_DATE=$c_ad \
		GIT_COMMITTER_NAME=$c_cn GIT_COMMITTER_EMAIL=$c_ce GIT_COMMITTER_DATE=$c_cd \
		sgit commit-tree "$_tree" -p HEAD^ -F "$T/c.msg"
}

# keep_head: what forge_from copies from HEAD - its tree (in an index of
# its own), message, author and committer
keep_head() {
	rm -f "$T/forge.idx"
	GIT_INDEX_FILE=$T/forge.idx sgit read-tree HEAD
	sgit cat-file commit HEAD | sed '1,/^$/d' >"$T/c.msg"
	c_an=$(sgit log -1 --format=%an) c_ae=$(sgit log -1 --format=%ae)
	c_ad=$(sgit log -1 --format=%ad --date=raw) c_cn=$(sgit log -1 --format=%cn)
	c_ce=$(sgit log -1 --format=%ce) c_cd=$(sgit log -1 --format=%cd --date=raw)
}

# fsck_commits COMMIT: sd-fsck --commits HEAD^..COMMIT, its exit status in
# $rc, what it said (its findings on stdout, its errors on stderr) in $T/said
fsck_commits() {
	run sd-fsck --commits "HEAD^..$1"
	cat "$T/out" "$T/err" >"$T/said"
}

# refused WHAT COMMIT PATTERN [push]: sd-fsck --commits HEAD^..COMMIT
# exits 65 and says PATTERN; with push, a real push of COMMIT to central
# is refused too and central's main stays at HEAD^
refused() {
	fsck_commits "$2"
	if [ "$rc" != 65 ]; then
		echo "# sd-fsck --commits HEAD^..$2: exit $rc, expected 65" >&2
		sed 's/^/# said: /' "$T/said" >&2
	fi
	ok $([ "$rc" = 65 ]; echo $?) "$1: sd-fsck --commits refuses it"
	like "$T/said" "$3" "$1: and says why"
	[ "${4:-}" = push ] || return 0
	sgit push -q central "$2:refs/heads/main" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "$1: a push of it is refused"
	like "$T/err" "push refused" "$1: the hook says so"
	is "$(cgit rev-parse main)" "$(sgit rev-parse HEAD^)" "$1: central's main did not move"
}

# push_base WHAT: push HEAD to central, so that it is the base of the next
# action; every commit the commands made on the way is accepted
push_base() {
	sgit push -q central HEAD:refs/heads/main >"$T/out" 2>"$T/err"
	_rc=$?
	[ $_rc = 0 ] || sed 's/^/# push: /' "$T/err" >&2
	ok $_rc "$1: the commits before it are pushed and accepted"
}

# check ACTION ROW ID: HEAD is the honest commit of ACTION on ticket ID;
# ROW names the row of how() it is held to.  Every key and the per-action
# cases are forged and tried; then the honest commit is checked and pushed.
check() {
	_act=$1 _row=$2
	_f=$(printf 'tickets/%03d/SD-%d.ini' $(($3 / 1000)) "$3")
	sgit show "HEAD:$_f" >"$T/c.ini"
	sgit show "HEAD^:$_f" >"$T/p.ini" 2>/dev/null || : >"$T/p.ini"
	keep_head
	is "$(sgit log -1 --format='%(trailers:key=Action,valueonly)' | head -1)" "$_act" \
		"$_act: the command's commit is a $_act"
	_pushed=
	for _k in $KEYS; do
		_cur=$(ini_get "$T/c.ini" ticket "$_k")
		_prev=$(ini_get "$T/p.ini" ticket "$_k")
		_v=$(alt "$_k" "$_cur" "$_prev")
		setkey "$T/c.ini" "$_k" "$_v" >"$T/m.ini"
		_ck=$(forge_from "$_f" "$T/m.ini")
		_how=$(how "$_row" "$_k")
		if [ "$_how" = set ]; then
			fsck_commits "$_ck"
			echo "# $_row: $_k ($_how) '$_cur' -> '$_v': sd-fsck exit $rc$(
				[ $rc = 0 ] || echo ": $(head -1 "$T/said" | cut -c1-160)")"
			continue
		fi
		# What sd-fsck must say: the key, and how the table has it.
		case $_how:$_k in
		keep:id) _why="id '$_v' does not match the file name" ;;
		keep:*) _why="$_act may not change $_k \\('" ;;
		calc:priority) _why="priority is $_v, the matrix says" ;;
		calc:*) _why="$_k is '$_v', the clock says" ;;
		*) _why="$_act changes $_k only as '" ;;
		esac
		if [ -z "$_pushed" ] && [ "$_how" = keep ]; then
			_pushed=1
			refused "$_row: $_k ($_how) '$_cur' -> '$_v'" "$_ck" "$_why" push
		else
			refused "$_row: $_k ($_how) '$_cur' -> '$_v'" "$_ck" "$_why"
		fi
	done
	# A status the transition table does not allow.
	_bad=unmanaged
	[ "$_act" = unmanaged ] && _bad=rejected
	setkey "$T/c.ini" status $_bad >"$T/m.ini"
	refused "$_row: status -> $_bad" "$(forge_from "$_f" "$T/m.ini")" \
		"moves|cannot be|may not change status"
	# The last event removed.
	drop_last_event "$T/c.ini" >"$T/m.ini"
	refused "$_row: the last event removed" "$(forge_from "$_f" "$T/m.ini")" \
		"events removed|appends one event|adds no event"
	# An earlier event changed.
	if [ "$(grep -c '^\[event ' "$T/c.ini")" -ge 2 ]; then
		sectionkey "$T/c.ini" "event 1" at 2026-11-20T08:17:00-05:00 >"$T/m.ini"
		refused "$_row: [event 1] changed" "$(forge_from "$_f" "$T/m.ini")" \
			"\\[event 1\\] changed"
	fi
	# The description changed: new and edit may, the others not.
	if grep -q '^\[description\]' "$T/c.ini"; then
		sectionkey "$T/c.ini" description text "A forged description" >"$T/m.ini"
		_ck=$(forge_from "$_f" "$T/m.ini")
		case $_row in
		new | edit)
			fsck_commits "$_ck"
			echo "# $_row: description changed: sd-fsck exit $rc$(
				[ $rc = 0 ] || echo ": $(head -1 "$T/said" | cut -c1-160)")"
			;;
		*) refused "$_row: the description changed" "$_ck" "may not change \\[description\\]" ;;
		esac
	else
		echo "# $_row: SD-$3 has no description"
	fi
	# The honest commit, last.
	expect 0 "$_act ($_row): the command's commit passes sd-fsck --commits" \
		sd-fsck --commits HEAD^..HEAD
	sgit push -q central HEAD:refs/heads/main >"$T/out" 2>"$T/err"
	_rc=$?
	[ $_rc = 0 ] || sed 's/^/# push: /' "$T/err" >&2
	ok $_rc "$_act ($_row): a push of it is accepted"
	is "$(cgit rev-parse main)" "$(sgit rev-parse HEAD)" "$_act ($_row): central's main moved"
}

MON=2026-11-23T10:00:00-05:00
WED=2026-11-25T12:00:00-05:00
THU=2026-11-26T14:00:00-05:00
NOW=2026-11-26T15:00:00-05:00

# auto-close: SD-1 solved on Monday, past accept_window on Wednesday.
step $MON ana sd-new -t incident -s "Printer jams" -r Pedro -c hardware/printer \
	--email p@example.org -m "It jams"
step $MON ana sd-solve -m "Cleaned the rollers" 1
push_base auto-close
step $WED ana sd-close --auto
check auto-close auto-close 1

# unmanaged: SD-2 pending-info on Wednesday, past info_window on Thursday.
step $WED ana sd-new -t request -s "New mouse" -r Eva -c hardware -m "A mouse"
push_base unmanaged
step $THU ana sd-close --auto
check unmanaged unmanaged 2

# new, update, assign, escalate on SD-3.
push_base new
step $NOW ana sd-new -t incident -s "VPN drops" -r Jorge -c network/vpn \
	--email j@example.org -m "The VPN drops"
check new new 3
step $NOW ana sd-update 3 --urgency high
check update update 3
step $NOW ana sd-assign 3 luis
check assign assign 3
step $NOW ana sd-escalate -m "Tunnel drops every hour" 3
check escalate escalate 3

# update out of pending-info: SD-4.
step $NOW ana sd-new -t request -s "Printer toner" -r Eva -c hardware/printer -m "Toner"
push_base "update (pending-info)"
step $NOW ana sd-update 4 --email eva@example.org
check update update 4

# suspend, resume, solve, close on SD-5.
step $NOW ana sd-new -t incident -s "Mail down" -r Raúl -c email --email r@example.org -m "No mail"
step $NOW ana sd-assign 5 luis
push_base suspend
step $NOW ana sd-suspend -m "Waiting for the provider" 5
check suspend suspend 5
step $NOW ana sd-resume 5
check resume resume 5
step $NOW ana sd-solve -m "Queue flushed" 5
check solve solve 5
step $NOW ana sd-close --rating 4 -m "Works" 5
check close close 5

# reopen, note, reply, link on SD-6.
step $NOW ana sd-new -t incident -s "Laptop slow" -r Eva -c hardware/laptop \
	--email eva@example.org -m "Slow"
step $NOW ana sd-solve -m "Disk cleaned" 6
push_base reopen
step $NOW ana sd-reopen -m "Still slow" 6
check reopen reopen 6
step $NOW ana sd-note -m "Called the requester" 6
check note note 6
step $NOW ana sd-note --contact-attempt -m "No answer" 6
check note note 6
step $NOW ana sd-reply -m "We are looking into it" 6
check reply reply 6
step $NOW ana sd-link 6 3
check link link 6
step $NOW ana sd-link 6 5
check link link-final 5
step $NOW ana env EDITOR="$T/editor" SD_SED='s/^title = .*/title = Laptop slow at boot/' sd-edit 6
check edit edit 6

# reject on SD-7.
step $NOW ana sd-new -t incident -s "Coffee machine" -r Eva -c hardware \
	--email eva@example.org -m "No coffee"
push_base reject
step $NOW ana sd-close --reject -m "Not ours" 7
check reject reject 7

# approve, deny on SD-8 (access/account: boss, then risk).
step $NOW ana sd-new -t request -s "ERP account" -r Eva -c access/account \
	--email eva@example.org -m "An account"
push_base approve
step $NOW carmen sd-approve --role boss 8
check approve approve 8
step $NOW raul sd-approve --deny --role risk -m "Too risky" 8
check deny deny 8

# repair: a coordinator's sla.ini committed with git alone (sd-edit would
# carry the due dates with it) makes due dates stale; sd-fsck --repair.
sed -i 's/^response = 1bh$/response = 2bh/' "$SD_STORE/sla.ini"
rm -f "$T/sla-idx"
GIT_INDEX_FILE=$T/sla-idx sgit read-tree HEAD &&
GIT_INDEX_FILE=$T/sla-idx sgit update-index --add --cacheinfo \
	"100644,$(sgit hash-object -w -- "$SD_STORE/sla.ini"),sla.ini" &&
sla_commit=$(GIT_AUTHOR_NAME=Carmen GIT_AUTHOR_EMAIL=carmen.vargas@example.org \
	GIT_COMMITTER_NAME=Carmen GIT_COMMITTER_EMAIL=carmen.vargas@example.org \
	sgit commit-tree "$(GIT_INDEX_FILE=$T/sla-idx sgit write-tree)" -p HEAD \
	-m "sla.ini: edit" -m "Action: edit") &&
sgit update-ref HEAD "$sla_commit" && echo "$sla_commit" >"$SD_STORE/.git/sd-head" ||
	echo "Bail out! cannot commit sla.ini"
# The hook refuses it (its due dates stale): central takes it by hand,
# as a store of before that check would hold it.
sgit push -q central HEAD:refs/heads/main >"$T/out" 2>"$T/err"
ok $([ $? != 0 ]; echo $?) "sla.ini with stale due dates: a push of it is refused"
like "$T/err" "the clock says .* under this commit's configuration" "sla.ini: the hook says why"
git --git-dir="$central" fetch -q "$SD_STORE/.git" "+HEAD:refs/heads/main"
is "$(sgit log -1 --format='%(trailers:key=Action,valueonly)' | head -1)" edit \
	"sla.ini edited by a coordinator: an edit"
step $NOW carmen sd-fsck --repair
rid=$(sgit diff-tree --no-commit-id --name-only -r HEAD | head -1 | sed 's/.*SD-\([0-9]*\)\.ini/\1/')
check repair repair "$rid"

# sd-close --auto as cron runs it: as the example's agent `cron`, which has
# no email.  Its commit is authored <cron@sd.sd.invalid>, the address
# lib/change.c derives from its id, by which sd-fsck --commits, and so the
# hook, know it.
step $NOW ana sd-new -t incident -s "Scanner" -r Eva -c hardware --email eva@example.org -m "No scan"
step $NOW ana sd-solve -m "Driver installed" 9
push_base "auto-close by cron"
step 2026-11-30T16:00:00-05:00 cron sd-close --auto
is "$(sgit log -1 --format='%(trailers:key=Action,valueonly)' | head -1)" auto-close \
	"sd-close --auto as cron: an auto-close"
is "$(sgit log -1 --format=%ae)" cron@sd.sd.invalid "sd-close --auto as cron: by its id's address"
fsck_commits HEAD
sed 's/^/# /' "$T/said"
is "$rc" 0 "sd-close --auto as cron: its commit passes sd-fsck --commits"
sgit push -q central HEAD:refs/heads/main >"$T/out" 2>"$T/err"
is "$?" 0 "sd-close --auto as cron: a push of it is accepted"
done_testing
