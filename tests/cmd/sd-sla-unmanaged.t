#!/bin/sh
# sd-sla: pending-info tickets about to become unmanaged, as rows of
# their own (clock unmanaged, state at-risk), by hand.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
tab=$(printf '\t')
told=$SD_STORE/.git/sd-sla-told

# The example store: info_window = 24h (wall clock), [sla] warn 80,
# required = category, requester_email.  SD-1, registered Monday
# 2026-11-23 10:00 without an email, is pending-info: unmanaged at Tuesday
# 10:00.  80 % of 24 h is 19.2 h: at risk from Tuesday 05:12.
export SD_NOW=2026-11-23T10:00:00-05:00
quiet sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn
is "$(file_field 1 status)" "pending-info" "SD-1 is pending-info"

SD_NOW=2026-11-24T05:00:00-05:00 expect 0 "Tuesday 05:00, 19 h of 24 (79 %): nothing" sd-sla --format tsv
is "$(sed 1d "$T/out")" "" "no rows"
SD_NOW=2026-11-24T05:12:00-05:00 expect 1 "05:12, 19.2 h (80 %): at risk, exit 1" sd-sla --format tsv
is "$(sed 1d "$T/out")" "SD-1${tab}unmanaged${tab}at-risk${tab}2026-11-24T10:00:00-05:00${tab}80${tab}desk${tab}${tab}VPN down" \
	"the unmanaged row at 80 %"
SD_NOW=2026-11-24T09:00:00-05:00 expect 1 "09:00, 23 h (95 %): exit 1" sd-sla --format tsv
is "$(cat "$T/out")" "$(printf 'id\tclock\tstate\tdue\telapsed_pct\tgroup\tassignee\ttitle\nSD-1\tunmanaged\tat-risk\t2026-11-24T10:00:00-05:00\t95\tdesk\t\tVPN down')" \
	"tsv: header and the row, the instant it becomes unmanaged"
SD_NOW=2026-11-24T09:00:00-05:00 expect 1 "csv" sd-sla --format csv
is "$(tr -d '\r' <"$T/out")" "$(printf 'id,clock,state,due,elapsed_pct,group,assignee,title\nSD-1,unmanaged,at-risk,2026-11-24T10:00:00-05:00,95,desk,,VPN down')" \
	"csv: the same row"
SD_NOW=2026-11-24T09:00:00-05:00 expect 1 "json" sd-sla --format json
is "$(python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r), r[0]["id"], r[0]["clock"], r[0]["state"], r[0]["due"], r[0]["elapsed_pct"] + 0)' <"$T/out")" \
	"1 SD-1 unmanaged at-risk 2026-11-24T10:00:00-05:00 95" "json: one object, elapsed_pct a number"
SD_NOW=2026-11-24T09:00:00-05:00 expect 1 "table" sd-sla
like "$T/out" "^SD-1 +unmanaged +at-risk +2026-11-24T10:00:00-05:00 +95 +desk +VPN down\$" "table: the row"
is "$(wc -l <"$T/out")" 3 "table: the plugin's line, a header and one row"
is "$(head -1 "$T/out")" "SD-SLA WARNING - 1 at risk, 0 breached | at_risk=1;;; breached=0;;; open=1;;;" \
	"table: the plugin's line counts the unmanaged row as at risk"
SD_NOW=2026-11-24T09:00:00-05:00 LC_ALL=es_CO.UTF-8 LANGUAGE=es expect 1 "table in Spanish" sd-sla
like "$T/out" "^SD-1 +sin gestionar +en riesgo " "the clock and state in words"
SD_NOW=2026-11-24T05:00:00-05:00 expect 3 "--warn 79 and a bad argument: usage" sd-sla --warn 79 x
SD_NOW=2026-11-24T05:00:00-05:00 expect 1 "--warn 79: 79 % is at risk" sd-sla --warn 79 --format tsv
is "$(sed 1d "$T/out" | cut -f1-5)" "SD-1${tab}unmanaged${tab}at-risk${tab}2026-11-24T10:00:00-05:00${tab}79" \
	"--warn moves it too"
# Past the instant, before sd-close --auto runs: still at risk, not breached.
SD_NOW=2026-11-24T10:30:00-05:00 expect 1 "10:30, past it: still at risk, exit 1" sd-sla --format tsv
is "$(sed 1d "$T/out" | cut -f1-5)" "SD-1${tab}unmanaged${tab}at-risk${tab}2026-11-24T10:00:00-05:00${tab}102" \
	"102 % used, waiting for sd-close --auto"

# hooks/sla hears the row as the others.
mkdir -p "$SD_STORE/hooks"
printf '#!/bin/sh\ncat >>"%s"\n' "$T/hook" >"$SD_STORE/hooks/sla"
chmod +x "$SD_STORE/hooks/sla"
SD_NOW=2026-11-24T09:00:00-05:00 expect 1 "with a hook" sd-sla
is "$(sed 1d "$T/hook" | cut -f1-4)" "SD-1${tab}unmanaged${tab}at-risk${tab}2026-11-24T10:00:00-05:00" \
	"the hook gets the row as tsv"
rm -f "$T/hook"

# --new-only tells it once.
SD_NOW=2026-11-24T09:00:00-05:00 expect 1 "--new-only: told" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out" | cut -f1-3)" "SD-1${tab}unmanaged${tab}at-risk" "the row is new"
is "$(cat "$told")" "SD-1${tab}unmanaged${tab}at-risk" "the state file holds it"
is "$(sed 1d "$T/hook" | cut -f1-3)" "SD-1${tab}unmanaged${tab}at-risk" "the hook heard it"
rm -f "$T/hook"
SD_NOW=2026-11-24T09:30:00-05:00 expect 1 "--new-only again: exit 1 still" sd-sla --new-only
is "$(cat "$T/out")" "" "not told again"
ok $([ ! -e "$T/hook" ]; echo $?) "no hook run"
# An old file with a clock of the two before reads as it did.
printf 'SD-1\tresponse\tat-risk\n' >"$told"
SD_NOW=2026-11-24T09:30:00-05:00 expect 1 "an older state file" sd-sla --new-only --format tsv
is "$(sed 1d "$T/out" | cut -f1-3)" "SD-1${tab}unmanaged${tab}at-risk" "the unmanaged row is new to it"
is "$(cat "$told")" "SD-1${tab}unmanaged${tab}at-risk" "the response line, not found, forgotten"
printf 'SD-1\tlunch\tat-risk\n' >"$told"
SD_NOW=2026-11-24T09:30:00-05:00 expect 3 "a bad clock in the state file" sd-sla --new-only
like "$T/err" "sd-sla-told:1: clock 'lunch' is not response, resolution or unmanaged" "names it"
rm -f "$told" "$T/hook"

# Completed (the email given): new, no row any more.
SD_NOW=2026-11-24T09:40:00-05:00 quiet sd-update 1 --email pedro@example.org
is "$(file_field 1 status)" "new" "SD-1 completed: new"
SD_NOW=2026-11-24T09:45:00-05:00 expect 0 "no row once completed" sd-sla --format tsv
is "$(sed 1d "$T/out" | grep -c unmanaged)" 0 "no unmanaged row"

# A business window across a holiday: info_window 3bd, calendar Mon-Fri
# 07:30-17:00, Tuesday 8 December a holiday.  SD-3, pending-info since
# Friday 4 December 18:00 (after hours), counts from Monday 7 07:30; three
# business days (28.5 h: Monday 7, Wednesday 9, Thursday 10) end Thursday
# 10 17:00.  80 % = 22.8 h: Monday 9.5 + Wednesday 9.5 + Thursday 3.8 h
# (3 h 48 min) = Thursday 11:18.
mkstore "$T/bdays"
edit_config sd.ini 's/^info_window = .*/info_window = 3bd/'
grep -q '^info_window = 3bd$' "$SD_STORE/sd.ini" || bail "info_window is not 3bd"
told=$SD_STORE/.git/sd-sla-told
SD_NOW=2026-12-04T18:00:00-05:00 quiet sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn
is "$(file_field 1 status)" "pending-info" "SD-1 is pending-info"
SD_NOW=2026-12-08T23:00:00-05:00 expect 0 "3bd, the holiday's night: 9.5 h of 28.5, nothing" sd-sla
SD_NOW=2026-12-10T11:17:00-05:00 expect 0 "3bd, Thursday 11:17: 79.9 %, nothing" sd-sla --format tsv
is "$(sed 1d "$T/out")" "" "no rows"
SD_NOW=2026-12-10T11:18:00-05:00 expect 1 "3bd, Thursday 11:18: 80 %, at risk" sd-sla --format tsv
is "$(sed 1d "$T/out" | cut -f1-5)" "SD-1${tab}unmanaged${tab}at-risk${tab}2026-12-10T17:00:00-05:00${tab}80" \
	"due at Thursday's close, not three wall days"
# 16:00: 27.5 h of 28.5 = 96 %.
SD_NOW=2026-12-10T16:00:00-05:00 expect 1 "3bd, Thursday 16:00" sd-sla --format tsv
is "$(sed 1d "$T/out" | cut -f4,5)" "2026-12-10T17:00:00-05:00${tab}96" "96 %"

# A ticket lacking only the category, the desk's to give, is new and
# never listed as about to become unmanaged (its own clocks aside).
mkstore "$T/desk"
SD_NOW=2026-11-23T10:00:00-05:00 quiet sd-new -t incident -s "No mail" -r "Rosa" --email r@example.org
is "$(file_field 1 status)" "new" "SD-1 lacking its category is new"
SD_NOW=2026-11-24T09:00:00-05:00 run sd-sla --format tsv
is "$(sed 1d "$T/out" | cut -f2 | tr '\n' ' ')" "response " "its response clock only, no unmanaged row"
SD_NOW=2026-11-25T10:30:00-05:00 run sd-sla --format tsv
is "$(sed 1d "$T/out" | grep -c "${tab}unmanaged${tab}")" 0 "nor past the window"
done_testing
