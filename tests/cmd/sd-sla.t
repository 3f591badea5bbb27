#!/bin/sh
# sd-sla: findings at 50 %, 85 % and 120 % of each target, by hand.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore

# Calendar Mon-Fri 07:30-17:00, America/Bogota.  SD-1: an incident of
# priority 3 (medium.medium) registered Monday 2026-11-23 10:00:
#   response 1bh    -> due 11:00 Monday
#   resolution 3bd  -> due Thursday 10:00; 3 x 9.5 h = 28.5 business hours
export SD_NOW=2026-11-23T10:00:00-05:00
sd-new -t incident -s "Printer jams" -r Pedro -c hardware/printer --email p@example.org >/dev/null

# Response clock: 50 % at 10:30, 85 % at 10:51, 120 % at 11:12.
SD_NOW=2026-11-23T10:30:00-05:00 expect 0 "50 % of the response target: nothing, exit 0" sd-sla
is "$(cat "$T/out")" "SD-SLA OK - 0 at risk, 0 breached | at_risk=0;;; breached=0;;; open=1;;;" \
	"the plugin's line alone: OK, one open ticket"
is "$(cat "$T/err")" "" "nothing on stderr"
SD_NOW=2026-11-23T10:51:00-05:00 expect 1 "85 %, the table: exit 1" sd-sla
is "$(head -1 "$T/out")" "SD-SLA WARNING - 1 at risk, 0 breached | at_risk=1;;; breached=0;;; open=1;;;" \
	"first line: WARNING, one at risk"
like "$T/out" "^SD-1 +response +at-risk +2026-11-23T11:00:00-05:00 +85 +desk +Printer jams\$" \
	"then the table"
is "$(wc -l <"$T/out")" 3 "the line, the header, the row"
SD_NOW=2026-11-23T11:12:00-05:00 expect 2 "120 %, --format text: exit 2" sd-sla --format text
is "$(head -1 "$T/out")" "SD-SLA CRITICAL - 0 at risk, 1 breached | at_risk=0;;; breached=1;;; open=1;;;" \
	"text: first line CRITICAL, one breached"
# The machine formats keep their shape: no plugin line.
for f in tsv csv; do
	SD_NOW=2026-11-23T10:30:00-05:00 expect 0 "$f, nothing found" sd-sla --format $f
	like "$T/out" "^id.clock.state.due.elapsed_pct.group.assignee.title.?\$" "$f: the header alone"
	is "$(wc -l <"$T/out")" 1 "$f: one line"
done
SD_NOW=2026-11-23T10:30:00-05:00 expect 0 "json, nothing found" sd-sla --format json
is "$(tr -d ' \n' <"$T/out")" "[]" "json: an empty array, no plugin line"
SD_NOW=2026-11-23T10:51:00-05:00 expect 1 "85 %: at risk, exit 1" sd-sla --format tsv
is "$(sed -n 2p "$T/out")" "$(printf 'SD-1\tresponse\tat-risk\t2026-11-23T11:00:00-05:00\t85\tdesk\t\tPrinter jams')" \
	"the at-risk row"
SD_NOW=2026-11-23T11:12:00-05:00 expect 2 "120 %: breached, exit 2" sd-sla --format tsv
is "$(sed -n 2p "$T/out" | cut -f1-5)" "$(printf 'SD-1\tresponse\tbreached\t2026-11-23T11:00:00-05:00\t120')" \
	"the breached row"
SD_NOW=2026-11-23T10:51:00-05:00 expect 0 "--warn 90: 85 % is not at risk" sd-sla --warn 90
SD_NOW=2026-11-23T10:30:00-05:00 expect 1 "--warn 50: 50 % is at risk" sd-sla --warn 50

# The first assignment at 10:05 is the response: only resolution is left.
SD_NOW=2026-11-23T10:05:00-05:00 sd-assign 1 --me >/dev/null
# Resolution clock, 28.5 h: 50 % = 14.25 h -> Mon 7 h + Tue 7.25 h = Tue 14:45;
# 85 % = 24.225 h -> Mon 7 + Tue 9.5 + Wed 7.725 h = Wed 15:13:30;
# 120 % = 34.2 h -> Mon 7 + Tue 9.5 + Wed 9.5 + Thu 8.2 h = Thu 15:42.
SD_NOW=2026-11-24T14:45:00-05:00 expect 0 "resolution at 50 %: nothing" sd-sla
SD_NOW=2026-11-25T15:14:00-05:00 expect 1 "resolution at 85 %: at risk" sd-sla --format csv
is "$(sed -n 2p "$T/out" | tr -d '\r')" \
	"SD-1,resolution,at-risk,2026-11-26T10:00:00-05:00,85,desk,ana,Printer jams" "the csv row"
SD_NOW=2026-11-26T15:42:00-05:00 expect 2 "resolution at 120 %: breached" sd-sla --format json
is "$(python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(r["clock"], r["state"], r["elapsed_pct"])' <"$T/out")" \
	"resolution breached 120" "json: elapsed_pct is a number"

# Suspended: the clock stops; no finding while it is stopped and not over.
SD_NOW=2026-11-25T15:00:00-05:00 sd-suspend 1 -m "waiting for a part" >/dev/null
SD_NOW=2026-11-26T15:42:00-05:00 expect 1 "suspended at 84 %: its use stands still, still at risk" sd-sla --format tsv
is "$(sed -n 2p "$T/out" | cut -f2,3,4,5)" "$(printf 'resolution\tat-risk\t\t84')" \
	"no due date while stopped; 24 h of 28.5 used (Mon 7 + Tue 9.5 + Wed 7.5)"
clean "store clean"

# hooks/sla gets the findings as tsv on stdin, with no argument.
mkdir -p "$SD_STORE/hooks"
cat >"$SD_STORE/hooks/sla" <<HOOK
#!/bin/sh
{ echo "args:\$#"; echo "ticket:\${SD_TICKET-unset}"; echo "action:\$SD_ACTION"; cat; } >"$T/hook"
HOOK
chmod +x "$SD_STORE/hooks/sla"
SD_NOW=2026-11-26T15:42:00-05:00 expect 1 "with a hook" sd-sla
is "$(sed -n 1,3p "$T/hook" | tr '\n' ' ')" "args:0 ticket:unset action:sla " "no argument, SD_TICKET unset"
is "$(sed -n 4p "$T/hook" | cut -f1-3)" "$(printf 'id\tclock\tstate')" "tsv header on stdin"
is "$(sed -n 5p "$T/hook" | cut -f1)" "SD-1" "the finding on stdin"
rm -f "$T/hook"
SD_NOW=2026-11-23T10:00:00-05:00 expect 0 "nothing found: the hook does not run" sd-sla
ok $([ ! -e "$T/hook" ]; echo $?) "no hook run"
printf '#!/bin/sh\nexit 3\n' >"$SD_STORE/hooks/sla"
SD_NOW=2026-11-26T15:42:00-05:00 expect 1 "a failing hook is a warning" sd-sla
like "$T/err" "warning: hooks/sla failed" "the warning says so"

# Its own errors are the plugin's UNKNOWN, exit 3 (not 64, 66 or 78):
# the message and usage on stderr as ever, the plugin's line on stdout
# for the formats for people, nothing there for the others.
expect 3 "--warn outside 1-100" sd-sla --warn 0
is "$(cat "$T/out")" "SD-SLA UNKNOWN - --warn: '0' is not a percent from 1 to 100" \
	"the plugin's line says what is wrong"
like "$T/err" "^usage: sd-sla" "the usage on stderr"
expect 3 "--warn not a number" sd-sla --warn abc
expect 3 "--format outside its set" sd-sla --format xml
like "$T/out" "^SD-SLA UNKNOWN - --format: " "UNKNOWN: --format"
expect 3 "an argument" sd-sla SD-1
like "$T/out" "^SD-SLA UNKNOWN - unexpected argument 'SD-1'\$" "UNKNOWN: the argument"
expect 3 "an unknown option" sd-sla --bogus
is "$(cat "$T/out")" "SD-SLA UNKNOWN - bad usage (see standard error)" "UNKNOWN: see stderr"
like "$T/err" "unrecognized option" "getopt's message on stderr"
expect 3 "--format tsv and a bad --warn" sd-sla --format tsv --warn 0
is "$(cat "$T/out")" "" "tsv: nothing on stdout"
expect 0 "-h" sd-sla -h
like "$T/out" "^usage: sd-sla" "usage on stdout"
SD_STORE=$T/none expect 3 "no store" sd-sla
like "$T/out" "^SD-SLA UNKNOWN - .*sd-init" "UNKNOWN: no store, says how to make one"
like "$T/err" "^sd-sla: .*sd-init" "and on stderr as ever"
SD_STORE=$T/none expect 3 "no store, json" sd-sla --format json
is "$(cat "$T/out")" "" "json: nothing on stdout"
cp "$SD_STORE/sla.ini" "$T/sla.ini"
printf '[sla]\nwarn = lots\n' >>"$SD_STORE/sla.ini"
expect 3 "a broken sla.ini" sd-sla
like "$T/out" "^SD-SLA UNKNOWN - .*sla.ini" "UNKNOWN: names the file"
like "$T/err" "sla.ini" "stderr names it too"
cp "$T/sla.ini" "$SD_STORE/sla.ini"
# A ticket file that does not parse, nothing else found: UNKNOWN, with
# what was read.
sgit show HEAD:tickets/000/SD-1.ini >"$T/sd1"
printf 'garbage\n' >"$SD_STORE/tickets/000/SD-1.ini"
SD_NOW=2026-11-23T10:30:00-05:00 expect 3 "an unreadable ticket" sd-sla
is "$(cat "$T/out")" "SD-SLA UNKNOWN - 0 at risk, 0 breached, 1 not read | at_risk=0;;; breached=0;;; open=0;;;" \
	"UNKNOWN: 1 not read"
cp "$T/sd1" "$SD_STORE/tickets/000/SD-1.ini"
clean "store clean"
done_testing
