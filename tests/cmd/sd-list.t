#!/bin/sh
# sd-list: list tickets.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore

# new NOW AGENT ARGS...: register a ticket at NOW as AGENT
new() {
	_now=$1 _agent=$2
	shift 2
	SD_NOW=$_now SD_AGENT=$_agent sd-new "$@" >/dev/null ||
		{ echo "Bail out! sd-new $*"; exit 1; }
}

# The store: calendar Mon-Fri 07:30-17:00, America/Bogota (-05:00).
# 1: Fri 09:00, incident high/high = 1: response 1bh -> Fri 10:00,
#    resolution 4bh -> Fri 13:00
new 2026-11-20T09:00:00-05:00 ana -t incident -s "VPN drops every hour" -r "Juan Soto" \
	--email juan@example.org -c network/vpn -u high -i high
# 2: Fri 16:30, request medium/medium = 3: response 2bh -> 30 min on Friday,
#    1.5 h on Monday -> Mon 09:00; resolution 5bd -> Fri 27 16:30
new 2026-11-20T16:30:00-05:00 luis -t request -s "New laptop for Eva" -r "Eva Luna" \
	--email eva@example.org -c hardware/laptop --channel email
# 3: Mon 08:00, incident high/medium = 2: resolution 8bh -> Mon 16:00
new 2026-11-23T08:00:00-05:00 carmen -t incident -s "Internet down, floor 3" \
	-r "Ana María Paz" --email ampaz@example.org -c network/internet -u high
# 4: Mon 10:00, no category: pending-info, no due dates; priority 3
new 2026-11-23T10:00:00-05:00 ana -t incident -s "Printer offline" -r "Pedro Ruiz"
# 5: Tue 11:00, incident low/low = 4: resolution 5bd -> Tue Dec 1 11:00
new 2026-11-24T11:00:00-05:00 luis -t incident -s 'ERP slow, report "Q3"' -r "Pedro Ruiz" \
	--email pedro@example.org -c software/erp -u low -i low
# 6: Tue 17:30 (closed): incident medium/high = 2: from Wed 07:30,
#    response -> Wed 08:30, resolution 8bh -> Wed 15:30
new 2026-11-24T17:30:00-05:00 carmen -t incident -s 'Path C:\temp is broken' -r "Luz Díaz" \
	--email luz@example.org -c software/office -i high --channel web
# 7: Wed 09:15, a request for access/account: awaiting-approval; priority 3:
#    response 2bh -> Wed 11:15, resolution 5bd -> Wed Dec 2 09:15
new 2026-11-25T09:15:00-05:00 ana -t request -s "Access to the shared drive" -r "Eva Luna" \
	--email eva@example.org -c access/account
# 8: Wed 14:00, incident high/low = 3; at 14:30 urgency medium: medium/low = 4:
#    response 1bh -> Wed 15:00, resolution 5bd -> Wed Dec 2 14:00
new 2026-11-25T14:00:00-05:00 ana -t incident -s "Email bounces" -r "Juan Soto" \
	--email juan@example.org -c email -u high -i low
SD_NOW=2026-11-25T14:30:00-05:00 SD_AGENT=luis sd-update 8 --urgency medium >/dev/null

# What the commands cannot make yet (sd-assign, sd-solve), planted by hand:
# 1 assigned to ana, responded Fri 09:30; 2 solved; 3 escalated to level 2,
# assigned to jorge, responded Mon 08:30; contact attempts 3 and 12 on 5 and 6.
tk=$SD_STORE/tickets/000
sed -i -e 's/^status = new$/status = assigned/' -e 's/^assignee =$/assignee = ana/' \
	-e 's/^responded =$/responded = 2026-11-20T09:30:00-05:00/' "$tk/SD-1.ini"
sed -i -e 's/^status = new$/status = solved/' -e 's/^resolution =$/resolution = solved/' \
	-e 's/^solved =$/solved = 2026-11-23T12:00:00-05:00/' \
	-e 's/^responded =$/responded = 2026-11-23T08:00:00-05:00/' "$tk/SD-2.ini"
sed -i -e 's/^status = new$/status = assigned/' -e 's/^assignee =$/assignee = jorge/' \
	-e 's/^level = 1$/level = 2/' -e 's/^group = desk$/group = network/' \
	-e 's/^escalations = 0$/escalations = 1/' \
	-e 's/^responded =$/responded = 2026-11-23T08:30:00-05:00/' "$tk/SD-3.ini"
sed -i -e 's/^contact_attempts = 0$/contact_attempts = 3/' "$tk/SD-5.ini"
sed -i -e 's/^contact_attempts = 0$/contact_attempts = 12/' "$tk/SD-6.ini"
forge "plant statuses" tickets/000/SD-1.ini tickets/000/SD-2.ini tickets/000/SD-3.ini \
	tickets/000/SD-5.ini tickets/000/SD-6.ini
clean "store clean after the set-up"

# lists DESCRIPTION WANT ARGS...: sd-list ARGS lists the IDs WANT
lists() {
	_what=$1 _ids=$2
	shift 2
	expect 0 "$_what" sd-list --fields id --format tsv "$@"
	is "$(sed 1d "$T/out" | tr '\n' ' ' | sed 's/ $//')" "$_ids" "$_what: $_ids"
}

# The default listing: every ticket, by ID, the default columns.
expect 0 "no filter" sd-list
cat >"$T/want" <<'EOF'
ID    STATUS             PRIORITY  LEVEL  GROUP    ASSIGNEE  DUE_RESOLUTION             TITLE
SD-1  assigned           1         1      desk     ana       2026-11-20T13:00:00-05:00  VPN drops every hour
SD-2  solved             3         1      desk               2026-11-27T16:30:00-05:00  New laptop for Eva
SD-3  assigned           2         2      network  jorge     2026-11-23T16:00:00-05:00  Internet down, floor 3
SD-4  pending-info       3         1      desk                                          Printer offline
SD-5  new                4         1      desk               2026-12-01T11:00:00-05:00  ERP slow, report "Q3"
SD-6  new                2         1      desk               2026-11-25T15:30:00-05:00  Path C:\temp is broken
SD-7  awaiting-approval  3         1      desk               2026-12-02T09:15:00-05:00  Access to the shared drive
SD-8  new                4         1      desk               2026-12-02T14:00:00-05:00  Email bounces
EOF
ok $(diff "$T/want" "$T/out" >&2; echo $?) "a table: all, by ID, id status priority level group assignee due_resolution title"
is "$(cat "$T/err")" "" "nothing on stderr"
clean "store clean after sd-list"
expect 0 "needs no agent" env SD_AGENT=nobody sd-list
ok $(diff "$T/want" "$T/out" >&2; echo $?) "the same table"
expect 0 "-C" env -u SD_STORE sd-list -C "$SD_STORE"
ok $(diff "$T/want" "$T/out" >&2; echo $?) "the same table"

# Filters
lists "--status new" "SD-5 SD-6 SD-8" --status new
lists "--status with a list" "SD-4 SD-5 SD-6 SD-8" --status new,pending-info
lists "--status list with spaces" "SD-1 SD-2 SD-3" --status "assigned, solved"
lists "--open: not solved" "SD-1 SD-3 SD-4 SD-5 SD-6 SD-7 SD-8" --open
lists "--open --status" "SD-1 SD-3" --open --status assigned,solved
lists "--type request" "SD-2 SD-7" --type request
lists "--type incident" "SD-1 SD-3 SD-4 SD-5 SD-6 SD-8" --type incident
lists "--priority 1,2" "SD-1 SD-3 SD-6" --priority 1,2
lists "--priority 4" "SD-5 SD-8" --priority 4
lists "--level 2" "SD-3" --level 2
lists "--level 3" "" --level 3
lists "--group network" "SD-3" --group network
lists "--group desk" "SD-1 SD-2 SD-4 SD-5 SD-6 SD-7 SD-8" --group desk
lists "--assignee me (ana)" "SD-1" --assignee me
SD_AGENT=jorge lists "--assignee me (jorge)" "SD-3" --assignee me
lists "--assignee jorge" "SD-3" --assignee jorge
lists "--assignee luis" "" --assignee luis
lists "--category network: with network/vpn and network/internet" "SD-1 SD-3" --category network
lists "--category network/vpn" "SD-1" --category network/vpn
lists "--category software" "SD-5 SD-6" --category software
lists "--category access: a parent with subcategories only" "SD-7" --category access
lists "--requester by name, any case" "SD-4 SD-5" --requester "pedro ruiz"
lists "--requester by email, any case" "SD-2 SD-7" --requester EVA@EXAMPLE.ORG
lists "--requester with an accent" "SD-6" --requester "Luz Díaz"
lists "--since a date: midnight, inclusive" "SD-3 SD-4 SD-5 SD-6 SD-7 SD-8" --since 2026-11-23
lists "--until a date: midnight, exclusive" "SD-1 SD-2" --until 2026-11-23
lists "--since RFC 3339: inclusive" "SD-4 SD-5 SD-6 SD-7 SD-8" --since 2026-11-23T10:00:00-05:00
lists "--until RFC 3339: exclusive" "SD-1 SD-2 SD-3" --until 2026-11-23T10:00:00-05:00
lists "--since in UTC" "SD-4 SD-5 SD-6 SD-7 SD-8" --since 2026-11-23T15:00:00Z
lists "--until one second later" "SD-1 SD-2 SD-3 SD-4" --until 2026-11-23T10:00:01-05:00
lists "--since and --until: one day" "SD-5 SD-6" --since 2026-11-24 --until 2026-11-25
lists "filters together" "SD-5" --type incident --priority 4 --requester "Pedro Ruiz" --open
clean "store clean after the filters"

# At risk and breached (warn = 80 in sla.ini).
# Monday: SD-3's resolution clock (8bh from 08:00, due 16:00) is at risk
# from 80 % of 8 h = 6 h 24 min, at 14:24, and breached at 16:00.  SD-1 is
# responded in time but past its resolution (Friday 13:00): breached.  The
# later tickets' clocks have not started; SD-2 is solved; SD-4 is stopped.
at() { _now=$1; shift; SD_NOW=$_now lists "$@"; }
at 2026-11-23T14:23:59-05:00 "--at-risk one second before 80 %" "" --at-risk
at 2026-11-23T14:24:00-05:00 "--at-risk at 80 %" "SD-3" --at-risk
at 2026-11-23T14:24:00-05:00 "--breached at 14:24" "SD-1" --breached
at 2026-11-23T15:59:59-05:00 "--breached one second before due" "SD-1" --breached
at 2026-11-23T16:00:00-05:00 "--breached when due" "SD-1 SD-3" --breached
at 2026-11-23T16:00:00-05:00 "--at-risk when due" "" --at-risk
# Wednesday: SD-8's response clock (1bh from 14:00, due 15:00) is at risk
# from 48 min (14:48); SD-5 (due Tue 12:00) and SD-6 (Wed 08:30) have no
# response in time: breached.  SD-7's response clock waits for its
# approvals ([lifecycle] response_stops): never at risk nor breached.
at 2026-11-25T14:47:59-05:00 "--at-risk Wednesday 14:47:59" "" --at-risk
at 2026-11-25T14:48:00-05:00 "--at-risk Wednesday 14:48" "SD-8" --at-risk
at 2026-11-25T14:48:00-05:00 "--breached Wednesday 14:48" "SD-1 SD-3 SD-5 SD-6" --breached
at 2026-11-25T14:48:00-05:00 "--at-risk --breached: either" "SD-1 SD-3 SD-5 SD-6 SD-8" \
	--at-risk --breached
at 2026-11-25T15:00:00-05:00 "--breached Wednesday 15:00" "SD-1 SD-3 SD-5 SD-6 SD-8" --breached
at 2026-11-25T15:00:00-05:00 "--at-risk --since" "" --at-risk --since 2026-11-25
clean "store clean after --at-risk and --breached"

# Filter errors
before=$(head_id)
expect 64 "--status outside the set" sd-list --status open
like "$T/err" "usage: sd-list" "usage on stderr"
expect 64 "--type outside the set" sd-list --type bug
expect 64 "--priority 5" sd-list --priority 1,5
expect 64 "--level 4" sd-list --level 4
expect 64 "--level x" sd-list --level x
expect 64 "--since not a date" sd-list --since yesterday
expect 64 "--until not a date" sd-list --until 2026-13-01
expect 65 "--group unknown" sd-list --group nobody
one_line_error "$T/err" "one line on stderr"
like "$T/err" "nobody" "names it"
expect 65 "--assignee unknown" sd-list --assignee nobody
like "$T/err" "nobody" "names it"
expect 77 "--assignee me, no known agent" env SD_AGENT=nobody sd-list --assignee me
one_line_error "$T/err" "one line on stderr"
expect 65 "--category unknown" sd-list --category nowhere
expect 65 "--category: a prefix of a name is not a parent" sd-list --category netw
is "$(cat "$T/out")" "" "nothing on stdout"
unchanged "$before" "after filter errors"

# --sort
lists "--sort priority: numeric, ties by ID" "SD-1 SD-3 SD-6 SD-2 SD-4 SD-7 SD-5 SD-8" --sort priority
lists "--sort contact_attempts: numeric (3 before 12)" "SD-1 SD-2 SD-3 SD-4 SD-7 SD-8 SD-5 SD-6" \
	--sort contact_attempts
lists "--sort due_resolution: by time, empty last" "SD-1 SD-3 SD-6 SD-2 SD-5 SD-7 SD-8 SD-4" \
	--sort due_resolution
lists "--sort due_response: by time, empty last" "SD-1 SD-2 SD-3 SD-5 SD-6 SD-8 SD-4 SD-7" \
	--sort due_response
lists "--sort title" "SD-7 SD-5 SD-8 SD-3 SD-2 SD-6 SD-4 SD-1" --sort title
lists "--sort assignee: empty last" "SD-1 SD-3 SD-2 SD-4 SD-5 SD-6 SD-7 SD-8" --sort assignee
lists "--sort with a filter" "SD-6 SD-5 SD-8" --status new --sort due_resolution
expect 64 "--sort unknown" sd-list --sort nope
unchanged "$before" "after --sort"

# --fields
expect 0 "--fields" sd-list --fields id,requester,channel --format tsv --status new
is "$(cat "$T/out")" "$(printf 'id\trequester\tchannel\nSD-5\tPedro Ruiz\tphone\nSD-6\tLuz Díaz\tweb\nSD-8\tJuan Soto\tphone')" \
	"the columns asked for, in that order"
expect 0 "--fields with spaces" sd-list --fields "id, category" --format tsv --type request
is "$(cat "$T/out")" "$(printf 'id\tcategory\nSD-2\thardware/laptop\nSD-7\taccess/account')" \
	"the columns asked for"
expect 64 "--fields with an unknown key" sd-list --fields id,nope
like "$T/err" "nope" "names it"
expect 64 "--fields with no key" sd-list --fields ""
expect 64 "--fields description (not a [ticket] key)" sd-list --fields id,description
unchanged "$before" "after --fields"

# --format table
expect 0 "--format table" sd-list --format table --fields id,title --status assigned
is "$(cat "$T/out")" "$(printf 'ID    TITLE\nSD-1  VPN drops every hour\nSD-3  Internet down, floor 3')" \
	"upper-case header, columns aligned"
expect 0 "--format table with no row" sd-list --format table --fields id,title --level 3
is "$(grep -v '^ID  TITLE$' "$T/out")" "" "no row (a header at most)"

# --format tsv
expect 0 "--format tsv" sd-list --format tsv --fields id,priority,assignee,title --priority 2
printf 'id\tpriority\tassignee\ttitle\nSD-3\t2\tjorge\tInternet down, floor 3\nSD-6\t2\t\tPath C:\\\\temp is broken\n' >"$T/want"
ok $(cmp -s "$T/want" "$T/out"; echo $?) "header, tabs, a backslash doubled"
expect 0 "--format tsv, default fields" sd-list --format tsv --status pending-info
is "$(cat "$T/out")" "$(printf 'id\tstatus\tpriority\tlevel\tgroup\tassignee\tdue_resolution\ttitle\nSD-4\tpending-info\t3\t1\tdesk\t\t\tPrinter offline')" \
	"the default fields, names as header"
expect 0 "--format tsv with no row" sd-list --format tsv --fields id --level 3
is "$(cat "$T/out")" "id" "the header alone"
clean "store clean after tsv"

# --format csv
expect 0 "--format csv" sd-list --format csv --fields id,priority,title --priority 4
printf 'id,priority,title\r\nSD-5,4,"ERP slow, report ""Q3"""\r\nSD-8,4,Email bounces\r\n' >"$T/want"
ok $(cmp -s "$T/want" "$T/out"; echo $?) "RFC 4180: quotes doubled, a comma quoted, CRLF"
expect 0 "--format csv with a backslash" sd-list --format csv --fields id,title,requester --status new
printf 'id,title,requester\r\nSD-5,"ERP slow, report ""Q3""",Pedro Ruiz\r\nSD-6,Path C:\\temp is broken,Luz Díaz\r\nSD-8,Email bounces,Juan Soto\r\n' >"$T/want"
ok $(cmp -s "$T/want" "$T/out"; echo $?) "a backslash as it is"
python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[1] == ["SD-5", "ERP slow, report \"Q3\"", "Pedro Ruiz"], rows
assert len(rows) == 4 and all(len(r) == 3 for r in rows)' "$T/out" 2>&2
ok $? "Python's csv module reads it back"

# --format json
expect 0 "--format json" sd-list --format json
ok $(python3 -m json.tool <"$T/out" >/dev/null 2>&1; echo $?) "valid JSON"
is "$(json_value "$T/out" '[r["id"] for r in d]')" \
	'["SD-1", "SD-2", "SD-3", "SD-4", "SD-5", "SD-6", "SD-7", "SD-8"]' "an array of every ticket, by ID"
is "$(json_value "$T/out" 'd[2]')" \
	'{"id": "SD-3", "status": "assigned", "priority": 2, "level": 2, "group": "network", "assignee": "jorge", "due_resolution": "2026-11-23T16:00:00-05:00", "title": "Internet down, floor 3"}' \
	"objects with the default fields; numbers for priority and level"
is "$(json_value "$T/out" '[d[4]["title"], d[5]["title"]]')" \
	'["ERP slow, report \"Q3\"", "Path C:\\temp is broken"]' "quotes and backslashes read back"
expect 0 "--format json with --fields" sd-list --format json --fields id,rating,contact_attempts,solved \
	--type request
is "$(json_value "$T/out" 'd')" \
	'[{"id": "SD-2", "rating": null, "contact_attempts": 0, "solved": "2026-11-23T12:00:00-05:00"}, {"id": "SD-7", "rating": null, "contact_attempts": 0, "solved": ""}]' \
	"null for no rating, numbers for counters, strings for times"
expect 0 "--format json with no row" sd-list --format json --level 3
is "$(json_value "$T/out" 'd')" "[]" "an empty array"
expect 64 "--format ini is not for lists" sd-list --format ini
expect 64 "an unknown --format" sd-list --format xml
clean "store clean after the formats"

# A title holding a tab and a newline cannot be typed in (control
# characters are refused), so plant one, encoded as sd-ticket(5) says.
sed -e 's/^id = SD-8$/id = SD-9/' \
	-e 's/^title = .*/title = "Tab\\there, line\\nnext \\\\ end"/' "$tk/SD-8.ini" >"$tk/SD-9.ini"
forge "plant a title with a tab and a newline" tickets/000/SD-9.ini
expect 0 "--format tsv escapes tab, newline and backslash" sd-list --format tsv --fields id,title \
	--since 2026-11-25T14:00:00-05:00
printf 'id\ttitle\nSD-8\tEmail bounces\nSD-9\tTab\\there, line\\nnext \\\\ end\n' >"$T/want"
ok $(cmp -s "$T/want" "$T/out"; echo $?) "tab, newline and backslash escaped in tsv"
expect 0 "--format csv quotes them" sd-list --format csv --fields id,title \
	--since 2026-11-25T14:00:00-05:00
printf 'id,title\r\nSD-8,Email bounces\r\nSD-9,"Tab\there, line\nnext \\ end"\r\n' >"$T/want"
ok $(cmp -s "$T/want" "$T/out"; echo $?) "a quoted field across lines in csv"
expect 0 "--format json escapes them" sd-list --format json --fields id,title \
	--since 2026-11-25T14:00:00-05:00
is "$(json_value "$T/out" 'd[1]["title"] == "Tab\there, line\nnext \\ end"')" "true" \
	"the title read back from JSON"
rm "$tk/SD-9.ini"
forge "remove it" tickets/000/SD-9.ini
clean "store clean"

# CSV injection (OWASP): a cell a spreadsheet would run as a formula, one
# starting with = + - @ TAB or CR, is quoted with a ' before it; numbers
# of numeric columns are not; tsv, for programs, stays as it is.
sed -e 's/^id = SD-8$/id = SD-9/' -e "s/^title = .*/title = =cmd|' \\/C calc'!A0/" \
	-e 's/^requester = .*/requester = @admin/' "$tk/SD-8.ini" >"$tk/SD-9.ini"
sed -e 's/^id = SD-8$/id = SD-10/' -e 's/^title = .*/title = "\\t-2+3, \\rx"/' \
	-e 's/^requester = .*/requester = +57 300/' "$tk/SD-8.ini" >"$tk/SD-10.ini"
forge "plant formulas" tickets/000/SD-9.ini tickets/000/SD-10.ini
expect 0 "--format csv with formulas" sd-list --format csv --fields id,title,requester,priority \
	--since 2026-11-25T14:00:00-05:00
printf '%s\r\n' 'id,title,requester,priority' 'SD-8,Email bounces,Juan Soto,4' \
	"SD-9,\"'=cmd|' /C calc'!A0\",\"'@admin\",4" \
	"SD-10,\"'	-2+3, $(printf '\r')x\",\"'+57 300\",4" >"$T/want"
ok $(cmp -s "$T/want" "$T/out"; echo $?) "formulas quoted with a ' first, numbers as they are"
python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[2] == ["SD-9", "'"'"'=cmd|'"'"' /C calc'"'"'!A0", "'"'"'@admin", "4"], rows
assert rows[3] == ["SD-10", "'"'"'\t-2+3, \rx", "'"'"'+57 300", "4"], rows' "$T/out" 2>&2
ok $? "Python's csv module reads the quoted cells back"
expect 0 "--format tsv with formulas" sd-list --format tsv --fields id,title,requester \
	--since 2026-11-25T14:00:00-05:00
printf '%s\n' 'id	title	requester' 'SD-8	Email bounces	Juan Soto' \
	"SD-9	=cmd|' /C calc'!A0	@admin" 'SD-10	\t-2+3, \rx	+57 300' >"$T/want"
ok $(cmp -s "$T/want" "$T/out"; echo $?) "tsv as it was"
rm "$tk/SD-9.ini" "$tk/SD-10.ini"
forge "remove them" tickets/000/SD-9.ini tickets/000/SD-10.ini
clean "store clean after the formulas"

# A ticket file that does not parse: the others are listed, the file is
# named with its line on stderr, exit 65.
cp "$tk/SD-8.ini" "$tk/SD-9.ini"
sed -i -e 's/^id = SD-8$/id = SD-9/' -e '5s/^title = /title /' "$tk/SD-9.ini"
forge "plant a bad file" tickets/000/SD-9.ini
before=$(head_id)
expect 65 "a bad ticket file" sd-list --fields id --format tsv
is "$(sed 1d "$T/out" | tr '\n' ' ')" "SD-1 SD-2 SD-3 SD-4 SD-5 SD-6 SD-7 SD-8 " "goes on past it"
like "$T/err" "^sd-list: tickets/000/SD-9\.ini:5: " "names its path and line"
one_line_error "$T/err" "one line on stderr"
unchanged "$before" "after a bad ticket file"
mv "$tk/SD-9.ini" "$T/SD-9.ini"
sed -e 's/^id = SD-8$/id = SD-9/' "$tk/SD-8.ini" >"$tk/SD-9.ini"
sed -i -e 's/^urgency = /urgent = /' "$tk/SD-9.ini"
forge "plant an unknown key" tickets/000/SD-9.ini
expect 65 "a ticket with an unknown key, filtered on" sd-list --fields id --format tsv --status new
is "$(sed 1d "$T/out" | tr '\n' ' ')" "SD-5 SD-6 SD-8 " "the others listed"
like "$T/err" "^sd-list: tickets/000/SD-9\.ini:8: .*urgent" "names its path, line and key"
clean "store clean"

# Usage
expect 64 "an argument" sd-list SD-1
like "$T/err" "usage: sd-list" "usage on stderr"
expect 64 "a bad option" sd-list --bogus
expect 0 "-h" sd-list -h
like "$T/out" "^usage: sd-list" "usage on stdout"
expect 0 "--version" sd-list --version
like "$T/out" "^sd-list .*[0-9]+\.[0-9]+" "name and version"
mkdir "$T/empty"
expect 66 "no store" env SD_STORE="$T/empty" sd-list
one_line_error "$T/err" "one line on stderr"
done_testing
