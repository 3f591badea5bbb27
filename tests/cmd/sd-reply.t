#!/bin/sh
# sd-reply: a public answer to the requester, in an event of its own
# (action = reply), apart from the desk's internal notes.  It changes no
# key but updated, stops no clock, goes on any ticket that is not final
# (solved ones too) and is anyone's, as a note; a final ticket takes none.
# Its commit passes sd-fsck --commits and a push through the pre-receive
# hook; forged replies that do more are refused by both.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore

new_ticket
std_cli sd-reply -m "Hello" 1
id_errors sd-reply -m "Hello" ID

# luis answers SD-1's requester at 10:15.
export SD_NOW=2026-11-23T10:15:00-05:00 SD_AGENT=luis
due_before=$(fields 1 due_response due_resolution updated)
is "$due_before" "2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00|2026-11-23T10:00:00-05:00" \
	"before: the clocks of a new ticket (priority 3: 1 business hour, 3 business days)"
before=$(head_id)
allowed "a reply" sd-reply -m "Buenos días, Pedro: ¿desde qué equipo se conecta?" 1
out_is "SD-1" "prints the ID alone"
is "$(sgit rev-parse HEAD~1)" "$before" "one commit"
is "$(last_event 1)" \
	'{"at": "2026-11-23T10:15:00-05:00", "by": "luis", "action": "reply", "text": "Buenos días, Pedro: ¿desde qué equipo se conecta?"}' \
	"the event: action reply, the text, by, at; no from/to"
is "$(commit_info)" "Luis Pérez <luis.perez@example.org>|SD-1: reply|SD-1|reply" \
	"the commit: luis's, subject SD-1: reply, trailers Ticket: SD-1 and Action: reply"
is "$(sgit diff -U0 HEAD~1 HEAD | grep '^[-+][a-z]')" "$(printf '%s\n' \
	'-updated = 2026-11-23T10:00:00-05:00' '+updated = 2026-11-23T10:15:00-05:00' \
	'+at = 2026-11-23T10:15:00-05:00' '+by = luis' '+action = reply' \
	'+text = Buenos días, Pedro: ¿desde qué equipo se conecta?')" \
	"only updated changes, and an event with the text"
is "$(sgit diff --name-only HEAD~1 HEAD)" "tickets/000/SD-1.ini" "the ticket's file alone"
is "$(fields 1 status assignee contact_attempts responded)" "new||0|" \
	"status new, no assignee, no contact attempt, no response"
is "$(fields 1 due_response due_resolution)" \
	"2026-11-23T11:00:00-05:00|2026-11-26T10:00:00-05:00" "the clocks run on: the due dates stay"

# Long options.
export SD_NOW=2026-11-23T10:20:00-05:00
allowed "--message" sd-reply --message "With --message" 1
is "$(jget 1 'd["events"][-1]["text"]')" "With --message" "--message's text"
allowed "--message=TEXT" sd-reply --message="With --message=" 1
is "$(jget 1 'd["events"][-1]["text"]')" "With --message=" "--message='s text"
allowed "the ID before the option" sd-reply SD-1 -m "ID first"
is "$(jget 1 'd["events"][-1]["text"]')" "ID first" "ID first: the text"
allowed "sd reply, through the front command" sd reply -m "Through sd" 1
is "$(jget 1 'd["events"][-1]["action"]')" "reply" "sd reply: a reply"

# Text from a file and from stdin, byte for byte: many lines, blank
# lines, a CR, tabs, what looks like INI, final newlines.
printf 'Hola Pedro,\n\n[ticket]\nstatus = closed\n; not a comment\r\n\n\ttabbed  \n\\\n\n' >"$T/reply"
allowed "-F FILE" sd-reply -F "$T/reply" 1
jget 1 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/reply" "$T/got"; echo $?) "the reply is the file's, byte for byte"
is "$(fields 1 status)" "new" "nothing in it became structure"
reply_stdin() { sd-reply -F - 1 <"$T/reply"; }
allowed "-F -" reply_stdin
out_is "SD-1" "-F -: prints the ID"
jget 1 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/reply" "$T/got"; echo $?) "the reply from stdin, byte for byte"
reply_file() { sd-reply --file=- 1 <"$T/reply"; }
allowed "--file=-" reply_file
jget 1 'd["events"][-1]["text"]' >"$T/got"
ok $(cmp -s "$T/reply" "$T/got"; echo $?) "--file=-: byte for byte"
is "$(grep -c '^action = reply$' "$SD_STORE/tickets/000/SD-1.ini")" 8 "eight replies in the file"
clean "store clean"

# Notes stay apart: sd-show --history marks what the requester was told.
allowed "a note beside" sd-note -m "Internal: check the concentrator" 1
sd-show --history 1 | sed -n '/^Events:/,/^Commits:/p' >"$T/show"
like "$T/show" "^  2026-11-23T10:15:00-05:00  luis  reply  \\(to the requester\\)\$" \
	"sd-show: a reply reads as one, to the requester"
like "$T/show" "^  2026-11-23T10:20:00-05:00  luis  note\$" "sd-show: a note is a note, unmarked"
is "$(grep -c 'to the requester' "$T/show")" 8 "every reply marked, and nothing else"
is "$(jget 1 '[e["action"] for e in d["events"]][-2:]')" '["reply", "note"]' \
	"sd-show --format json: the actions as they are"

# Any status that is not final takes replies and keeps its status, its
# counters and its clocks; solved ones too.
for st in pending-info awaiting-approval assigned escalated provider suspended solved reopened; do
	mk $st
	[ $st = solved ] && solved=$made
	keep=$(fields $made status assignee group level contact_attempts escalations reopened \
		responded solved resolution due_response due_resolution)
	allowed "a reply on a $st ticket" env SD_AGENT=carmen sd-reply -m "Seguimos con su caso" $made
	is "$(fields $made status assignee group level contact_attempts escalations reopened \
		responded solved resolution due_response due_resolution)" "$keep" "$st: every key but updated as it was"
	is "$(last_event $made)" \
		'{"at": "2026-11-23T10:20:00-05:00", "by": "carmen", "action": "reply", "text": "Seguimos con su caso"}' \
		"$st: the event"
done
# The acceptance window runs on: the solved ticket replied to is still
# closed by sd-close --auto 48 h after its solve (at 10:20, Monday).
expect 0 "the window ran on: sd-close --auto --dry-run 48 h later" \
	env SD_NOW=2026-11-25T10:21:00-05:00 sd-close --auto --dry-run --format tsv
like "$T/out" "^SD-$solved	solved	closed	" "the solved ticket replied to is due, as without the reply"
clean "store clean"

# A final ticket takes no reply: 65, nothing changed.
for st in closed rejected unmanaged; do
	mk $st
	cp "$SD_STORE/tickets/000/SD-$made.ini" "$T/final.ini"
	refused 65 "no reply on a $st ticket" sd-reply -m "Gracias" $made
	like "$T/err" "^sd-reply: SD-$made: the ticket is $st; nothing changes it\$" "says it is $st"
	ok $(cmp -s "$T/final.ini" "$SD_STORE/tickets/000/SD-$made.ini"; echo $?) "$st: the file as it was"
done

# Texts and options: 64, nothing changed.
cp "$SD_STORE/tickets/000/SD-1.ini" "$T/one.ini"
usage_error "no text" sd-reply 1
like "$T/err" "^sd-reply: -m TEXT or -F FILE is required" "says a text is required"
usage_error "-m empty" sd-reply -m "" 1
like "$T/err" "^sd-reply: the text is empty" "says the text is empty"
usage_error "-F of an empty file" sd-reply -F /dev/null 1
_b=$(head_id)
expect 64 "-F - with nothing on stdin" sd-reply -F - 1
like "$T/err" "^usage: sd-reply " "-F - with nothing on stdin: the usage on stderr"
unchanged "$_b" "-F - with nothing on stdin"
usage_error "-m and -F" sd-reply -m x -F "$T/reply" 1
like "$T/err" "^sd-reply: give -m or -F, not both" "says not both"
usage_error "no ID" sd-reply -m x
like "$T/err" "^sd-reply: a ticket ID is required" "says the ID is required"
usage_error "two IDs" sd-reply -m x 1 2
usage_error "an unknown option" sd-reply --bogus -m x 1
usage_error "a note's option is no reply's" sd-reply --contact-attempt -m x 1
usage_error "-m without its value" sd-reply 1 -m
ok $(cmp -s "$T/one.ini" "$SD_STORE/tickets/000/SD-1.ini"; echo $?) "usage errors: SD-1's file as it was"

# Bad data: 65; no input: 66; no agent: 77; nothing changed.
refused 65 "invalid UTF-8" sd-reply -m "$(printf 'caf\351')" 1
refused 65 "a malformed ID" sd-reply -m x SD-1x
like "$T/err" "^sd-reply: .*invalid ticket id" "says the id is invalid"
printf 'a\000b\n' >"$T/nul"
refused 65 "a NUL" sd-reply -F "$T/nul" 1
head -c 1048577 /dev/zero | tr '\0' a >"$T/big"
refused 65 "a text over 1 MiB" sd-reply -F "$T/big" 1
refused 66 "no such ticket" sd-reply -m x 999
like "$T/err" "^sd-reply: .*no such ticket" "says there is no such ticket"
refused 66 "no such file" sd-reply -F "$T/missing" 1
refused 77 "an unknown agent" env SD_AGENT=nobody sd-reply -m x 1
like "$T/err" "^sd-reply: unknown agent 'nobody'" "names the unknown agent"
ok $(cmp -s "$T/one.ini" "$SD_STORE/tickets/000/SD-1.ini"; echo $?) "refusals: SD-1's file as it was"

# hooks/reply: run after the commit with the ID; a failing one is a warning.
mkdir -p "$SD_STORE/hooks"
printf '#!/bin/sh\nprintf "%%s|%%s|%%s|%%s\\n" "$1" "$SD_ACTION" "$SD_TICKET" "$SD_AGENT" >"%s"\n' \
	"$T/hooked" >"$SD_STORE/hooks/reply"
chmod +x "$SD_STORE/hooks/reply"
allowed "a reply with hooks/reply" sd-reply -m "Hooked" 1
out_is "SD-1" "the hook writes nothing to stdout"
is "$(cat "$T/hooked")" "SD-1|reply|SD-1|luis" "hooks/reply ran: the ID, SD_ACTION, SD_TICKET, SD_AGENT"
printf '#!/bin/sh\nexit 3\n' >"$SD_STORE/hooks/reply"
allowed "a failing hooks/reply" sd-reply -m "Hook fails" 1
is "$(cat "$T/out")" "SD-1" "still prints the ID"
like "$T/err" "^sd-reply: warning: .*hooks/reply" "a warning names the hook"
rm -rf "$SD_STORE/hooks"

# The store's history passes sd-fsck --commits, and a push of it passes
# the pre-receive hook of a central repository.
expect 0 "the history with its replies passes sd-fsck --commits" sd-fsck --commits HEAD
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"
chmod +x "$central/hooks/pre-receive"
cgit() { git --git-dir="$central" "$@"; }
allowed "a reply to push" env SD_AGENT=marta sd-reply -m "Desde aplicaciones: ¿qué pantalla?" 1
expect 0 "sd-fsck --commits takes the reply commit" sd-fsck --commits HEAD~1..HEAD
sgit push -q "$central" HEAD:refs/heads/main >"$T/out" 2>"$T/err"
ok $? "a push of the reply is accepted by the pre-receive hook"
is "$(cgit rev-parse main)" "$(head_id)" "the central branch moved to it"
is "$(cgit log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)" "reply" \
	"central's last commit: Action: reply"

# forge_reply SED [FILE]: a commit on HEAD, by Ana, Action: reply, whose
# ticket FILE (SD-1's) is HEAD's through SED
forge_reply() {
	_path=tickets/000/${2:-SD-1}.ini
	sgit show "HEAD:$_path" | sed "$1" >"$T/forged"
	_blob=$(sgit hash-object -w "$T/forged")
	rm -f "$T/i"
	GIT_INDEX_FILE=$T/i sgit read-tree HEAD
	GIT_INDEX_FILE=$T/i sgit update-index --cacheinfo "100644,$_blob,$_path"
	_tree=$(GIT_INDEX_FILE=$T/i sgit write-tree)
	rm -f "$T/i"
	printf '%s: reply\n\nTicket: %s\nAction: reply\n' "${2:-SD-1}" "${2:-SD-1}" |
		GIT_AUTHOR_NAME=Ana GIT_AUTHOR_EMAIL=ana.gomez@example.org \
		GIT_COMMITTER_NAME=Ana GIT_COMMITTER_EMAIL=ana.gomez@example.org \
		sgit commit-tree "$_tree" -p HEAD
}
# reply_event AT: a sed script that appends a reply event by ana at AT
# and sets updated to AT, as sd-reply writes it
reply_event() {
	_next=$(($(sgit show "HEAD:tickets/000/${2:-SD-1}.ini" | grep -c '^\[event ') + 1))
	printf '%s\n' '$a\' '\' "[event $_next]\\" "at = $1\\" 'by = ana\' 'action = reply\' \
		'text = forged' "s/^updated = .*/updated = $1/"
}
# push_refused COMMIT WHAT PATTERN: sd-fsck --commits and a push refuse it
push_refused() {
	_cb=$(cgit rev-parse main)
	expect 65 "$2: sd-fsck --commits refuses it" sd-fsck --commits "HEAD..$1"
	like "$T/out" "$3" "$2: and says why"
	sgit push -q "$central" "+$1:refs/heads/main" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "$2: a push is refused"
	like "$T/err" "$3" "$2: the hook says why"
	is "$(cgit rev-parse main)" "$_cb" "$2: the central branch did not move"
}
AT=2026-11-23T10:20:00-05:00
honest=$(forge_reply "$(reply_event $AT)")
expect 0 "a reply forged as sd-reply writes it passes sd-fsck --commits" \
	sd-fsck --commits "HEAD..$honest"
push_refused "$(forge_reply "s/^contact_attempts = 0/contact_attempts = 1/
$(reply_event $AT)")" "a reply that counts a contact attempt" \
	"reply may not change contact_attempts"
push_refused "$(forge_reply "s/^status = new/status = assigned/
s/^assignee =.*/assignee = ana/
$(reply_event $AT)")" "a reply that assigns" "reply moves a new ticket to assigned|may not change"
push_refused "$(forge_reply "s/^title = .*/title = Forged/
$(reply_event $AT)")" "a reply that retitles" "reply may not change title"
push_refused "$(forge_reply "$(reply_event $AT | sed 's/^action = reply/action = note/')")" \
	"a note's event in a reply commit" "is a note, in a commit whose action is reply"
push_refused "$(forge_reply "$(reply_event $AT | sed 's/^by = ana/by = luis/')")" \
	"a reply event by someone else" "is by luis, not by ana"
# A reply forged onto a final ticket.
fin=$(sd-list --status closed --format tsv --fields id | sed -n '2s/^SD-//p')
push_refused "$(forge_reply "$(reply_event $AT SD-$fin)" SD-$fin)" \
	"a reply on a closed ticket" "the ticket is closed; nothing changes it"
clean "store clean"
done_testing
