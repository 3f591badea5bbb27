#!/bin/sh
# sd-report: the desk's figures, on a store whose history was made with the
# commands and whose every figure was worked out by hand.
. "${SD_TOP:-.}/tests/lib.sh"
export SD_NOW=2026-09-01T08:00:00-05:00
mkstore

# h MM-DDTHH:MM AGENT CMD...: CMD at that minute of 2026, Bogotá time
h() { _t=$1; shift; step "2026-$_t:00-05:00" "$@"; }

# The calendar (share/sd.ini): Mon-Fri 07:30-17:00, America/Bogota (-05:00
# all year), a business day of 9.5 h = 570 business minutes (bmin); holidays
# here: Mon 2026-10-12, Mon 2026-11-02, Mon 2026-11-16.  The targets
# (share/sla.ini), in bmin: incident response 1bh = 60, resolution by
# priority 4bh = 240, 8bh = 480, 3bd = 3 * 570 = 1710, 5bd = 2850; request
# response 2bh = 120, resolution 8bh = 480, 2bd = 1140, 5bd = 2850,
# 10bd = 5700 (an Nbd target ends at the same local time N business days
# on, so it is always N * 570 bmin from an instant inside business hours).
# Priority: urgency.impact, medium.medium = 3 unless -u/-i say otherwise.
#
# For each ticket: R = the response clock (created -> responded), S = the
# resolution clock (created -> solved), in bmin; "met" when within the
# target.  The report is taken at Fri 2026-11-27 10:00 (R_NOW below).

# SD-1: a request created Wed 09-30 19:30, after hours (day 2026-09-30,
# week 2026-W40, month 2026-09 - 00:30 the next day in UTC); network,
# email, Eva Luna.  Clocks start at Thu 07:30.  R: assigned Thu 08:00 =
# 30 <= 120 met.  S: solved Thu 09:00 = 90 <= 2850 met.  Level 1, never
# escalated: first-contact resolution (FCR).  Closed by sd-close --auto.
h 09-30T19:30 ana sd-new -t request -s "VPN for the new office" -r "Eva Luna" \
	--email eva@example.org -c network --channel email
h 10-01T08:00 ana sd-assign 1 ana
h 10-01T09:00 ana sd-solve 1 -m "Profile installed."
# SD-2: incident high/high = priority 1, Mon 10-05 08:00, hardware/printer,
# phone, Juan Soto.  R: 08:30 = 30 <= 60 met.  S: 10:00 = 120 <= 240 met.
# FCR.  Closed, rating 5.
h 10-05T08:00 ana sd-new -t incident -s "Printer jams" -r "Juan Soto" --email juan@example.org \
	-c hardware/printer -u high -i high
h 10-05T08:30 ana sd-assign 2 ana
h 10-05T10:00 ana sd-solve 2 -m "Roller cleaned."
h 10-06T09:00 ana sd-close 2 --rating 5
# SD-3: incident p3, Thu 10-08 16:00, network/vpn, email, Luz Díaz.
# R: Fri 09:00 = 60 (Thu 16:00-17:00) + 90 (Fri 07:30-09:00) = 150 > 60:
# late.  Escalated to network (level 2), taken by jorge.  S: Tue 10-13
# 12:00 = 60 + 570 (Fri) + 0 (Mon 10-12, a holiday) + 270 (Tue 07:30-12:00)
# = 900 <= 1710 met.  Escalated, not FCR.  Closed, rating 3.
h 10-08T16:00 luis sd-new -t incident -s "VPN drops" -r "Luz Díaz" --email luz@example.org \
	-c network/vpn --channel email
h 10-09T09:00 luis sd-assign 3 luis
h 10-09T10:00 luis sd-escalate 3 -m "The concentrator drops sessions."
h 10-09T10:30 jorge sd-assign 3 jorge
h 10-13T12:00 jorge sd-solve 3 -m "Firmware updated."
h 10-14T09:00 ana sd-close 3 --rating 3
# SD-4: request p3, Thu 10-15 09:00, software/office, web, Eva Luna.
# R: 10:00 = 60 <= 120 met.  Suspended Thu 11:00, resumed Mon 10-19 09:00:
# S: solved Tue 10-20 10:00 = 120 (Thu 09:00-11:00) + 480 (Mon 09:00-17:00)
# + 150 (Tue 07:30-10:00) = 750 <= 2850 met.  FCR.  Closed by --auto.
h 10-15T09:00 ana sd-new -t request -s "Office licence" -r "Eva Luna" --email eva@example.org \
	-c software/office --channel web
h 10-15T10:00 ana sd-assign 4 ana
h 10-15T11:00 ana sd-suspend 4 -m "Waiting for the licence key."
h 10-19T09:00 ana sd-resume 4
h 10-20T10:00 ana sd-solve 4 -m "Licence installed."
# SD-5: incident high/medium = p2, Tue 10-20 14:00, software/erp, chat,
# Pedro Ruiz.  R: 14:30 = 30 <= 60 met.  Solved Wed 15:00, reopened Thu
# 09:00, solved again Thu 11:00; the clock runs to the latest solve:
# S = 180 (Tue 14:00-17:00) + 570 (Wed) + 210 (Thu 07:30-11:00) = 960 > 480
# late.  FCR (level 1, never escalated); reopened.  Closed, rating 2.
h 10-20T14:00 luis sd-new -t incident -s "ERP slow" -r "Pedro Ruiz" --email pedro@example.org \
	-c software/erp -u high --channel chat
h 10-20T14:30 luis sd-assign 5 luis
h 10-21T15:00 luis sd-solve 5 -m "Cache cleared."
h 10-22T09:00 ana sd-reopen 5 -m "Still slow."
# SD-6: incident medium/low = p4, Thu 10-22 09:30, hardware, phone, Pedro
# Ruiz.  R: 09:50 = 20 <= 60 met.  Suspended at 10:30 and still suspended:
# S stopped at 60 of 2850, not past due: left out.  Open, 36 days old at
# R_NOW: backlog > 30 days.
h 10-22T09:30 ana sd-new -t incident -s "Docking station" -r "Pedro Ruiz" \
	--email pedro@example.org -c hardware -i low
h 10-22T09:50 ana sd-assign 6 ana
h 10-22T10:30 ana sd-suspend 6 -m "Waiting for a spare part."
h 10-22T11:00 luis sd-solve 5 -m "Index rebuilt."
h 10-23T09:00 ana sd-close 5 --rating 2
# SD-7: incident p3, Sunday 10-25 20:00 (day 2026-10-25, ISO week 2026-W43:
# a Sunday ends its week), email, walk-in, Juan Soto.  Rejected Mon 08:20:
# both clocks stop for good at 50 (Mon 07:30-08:20), neither past its
# target: left out of both.  Not solved.
h 10-25T20:00 ana sd-new -t incident -s "My phone" -r "Juan Soto" --email juan@example.org \
	-c email --channel walk-in
h 10-26T08:20 ana sd-close 7 --reject -m "A personal phone: not ours."
# SD-8: incident p1, Wed 10-28 10:00, network/internet, phone, "Paz, Ana
# María".  Escalated at 10:10 (escalating is no response) to network,
# taken by jorge at 10:40: R = 40 <= 60 met.  Escalated again to telco
# (level 3, a provider); solved by telco at 16:00: S = 360 > 240 late.
# Escalated twice, not FCR.  The escalation left it with no assignee; the
# solver, telco, becomes it.  Closed by --auto.
h 10-28T10:00 carmen sd-new -t incident -s "Internet down" -r "Paz, Ana María" \
	--email ampaz@example.org -c network/internet -u high -i high
h 10-28T10:10 ana sd-escalate 8 -m "No link on the router."
h 10-28T10:40 jorge sd-assign 8 jorge
h 10-28T11:00 jorge sd-escalate 8 -m "Fibre cut: the provider's."
h 10-28T16:00 telco sd-solve 8 -m "Fibre spliced."
# SD-9: incident low/low = p4, Tue 11-03 09:00, hardware/laptop, walk-in,
# Eva Luna.  R: 11:00 = 120 > 60 late.  S: Wed 09:00 = 480 + 90 = 570
# <= 2850 met.  FCR.  Closed, rating 4.
h 11-03T09:00 ana sd-new -t incident -s "Laptop fan" -r "Eva Luna" --email eva@example.org \
	-c hardware/laptop -u low -i low --channel walk-in
h 11-03T11:00 ana sd-assign 9 ana
h 11-04T09:00 ana sd-solve 9 -m "Fan replaced."
h 11-04T10:00 ana sd-close 9 --rating 4
# SD-10: request p3, Fri 11-13 16:00, software/erp, email, Luz Díaz.
# R: Tue 11-17 08:30 = 60 (Fri) + 0 (Mon 11-16, a holiday) + 60 = 120
# <= 120: met, on the minute.  Escalated to apps (level 2), marta.
# S: Wed 11-18 12:00 = 60 + 570 + 270 = 900 <= 2850 met.  Not FCR.
# Closed, rating 5.
h 11-13T16:00 luis sd-new -t request -s "ERP report" -r "Luz Díaz" --email luz@example.org \
	-c software/erp --channel email
h 11-17T08:30 luis sd-assign 10 luis
h 11-17T09:00 luis sd-escalate 10 -m "Needs a new report."
h 11-17T09:30 marta sd-assign 10 marta
# SD-11: incident p2, Tue 11-17 10:00, network/vpn, phone, Juan Soto.
# R: 10:45 = 45 met.  Suspended 11:00 to Wed 08:00.  S: Wed 14:00 =
# 60 (Tue 10:00-11:00) + 360 (Wed 08:00-14:00) = 420 <= 480 met (without
# the suspension 420 + 390 = 810: late).  FCR.  Closed by --auto.
h 11-17T10:00 ana sd-new -t incident -s "VPN token" -r "Juan Soto" --email juan@example.org \
	-c network/vpn -u high
h 11-17T10:45 luis sd-assign 11 luis
h 11-17T11:00 luis sd-suspend 11 -m "Waiting for the new token."
h 11-18T08:00 luis sd-resume 11
h 11-18T12:00 marta sd-solve 10 -m "Report added."
h 11-18T14:00 luis sd-solve 11 -m "Token paired."
h 11-19T09:00 ana sd-close 10 --rating 5
# SD-12: incident p3, Thu 11-19 09:00, email, phone, Pedro Ruiz, no email:
# pending-info, then unmanaged by sd-close --auto: counted nowhere unless
# --include-unmanaged, and then with both clocks left out (stopped at 0).
h 11-19T09:00 ana sd-new -t incident -s "Mail bounces" -r "Pedro Ruiz" -c email
# SD-13: incident medium/high = p2, Fri 11-20 15:00, hardware/printer,
# teams, Pedro Ruiz; never touched.  R due Fri 16:00, S due Mon 11-23 13:30
# (120 on Friday + 360 on Monday): both past at R_NOW, not met.  Open, 6
# days 19 hours old: backlog 3-7 days.
h 11-20T15:00 ana sd-new -t incident -s "Printer offline" -r "Pedro Ruiz" \
	--email pedro@example.org -c hardware/printer -i high --channel teams
# SD-14: request p3, Mon 11-23 08:00, software, teams, Pedro Ruiz, no
# email: pending-info, clocks stopped, until sd-update at 11:00.  R: 12:30
# = 90 (11:00-12:30; from 08:00 it would be 270) <= 120 met.  S: Tue 09:00
# = 360 + 90 = 450 <= 2850 met.  FCR.  Closed, rating 1.
h 11-23T08:00 ana sd-new -t request -s "Excel add-in" -r "Pedro Ruiz" -c software --channel teams
h 11-23T11:00 luis sd-update 14 --email pedro@example.org
h 11-23T12:30 luis sd-assign 14 luis
h 11-24T09:00 luis sd-solve 14 -m "Add-in reinstalled."
h 11-25T08:00 ana sd-close 14 --rating 1
# SD-15: incident p1, Wed 11-25 09:00, software/office, chat, "Paz, Ana
# María".  Escalated 09:30 to apps; marta takes it at 10:00: R = 60 <= 60,
# met on the minute.  S due 13:00 (240), not solved: past due, not met.
# Open, 2 days 1 hour old: backlog 1-3 days.
h 11-25T09:00 ana sd-new -t incident -s "Word crashes" -r "Paz, Ana María" \
	--email ampaz@example.org -c software/office -u high -i high --channel chat
h 11-25T09:30 ana sd-escalate 15 -m "A crash in a macro."
h 11-25T10:00 marta sd-assign 15 marta
# sd-close --auto at Wed 11-25 12:00: solved for more than 48 h -> closed:
# SD-1, SD-4, SD-8, SD-11; pending-info for more than 24 h -> unmanaged:
# SD-12.
h 11-25T12:00 cron sd-close --auto
# SD-16: incident low/medium = p4, Wed 11-25 13:00, email, email, Luz Díaz.
# R: 13:20 = 20 met.  S: Thu 08:00 = 240 + 30 = 270 <= 2850 met.  FCR.
# Still solved (its 48 h have not passed).
h 11-25T13:00 luis sd-new -t incident -s "Mailbox full" -r "Luz Díaz" --email luz@example.org \
	-c email -u low --channel email
h 11-25T13:20 luis sd-assign 16 luis
h 11-26T08:00 luis sd-solve 16 -m "Quota raised."
# SD-17: request low/medium = p4, Fri 11-27 09:00, hardware/laptop, web,
# Eva Luna.  R due 11:00, S due Mon 12-14: neither due at R_NOW, both left
# out.  Open, 1 hour old: backlog < 1 day.
h 11-27T09:00 ana sd-new -t request -s "A second screen" -r "Eva Luna" --email eva@example.org \
	-c hardware/laptop -u low --channel web
R_NOW=2026-11-27T10:00:00-05:00
export SD_NOW=$R_NOW
clean "store clean after the history"
is "$(sd-list --format tsv --fields id,status | sed 1d | cut -f2 | tr '\n' ' ')" \
	"closed closed closed closed closed suspended rejected closed closed closed closed unmanaged new closed assigned solved new " \
	"the statuses the history should leave"

# The per-ticket figures above, for the tables below (unmanaged SD-12 left
# out; "-" not counted; bmin of ended clocks):
#   id  status     R          S          FCR esc reop rating  backlog
#   1   closed     30 met     90 met     y   -   -    -       -
#   2   closed     30 met     120 met    y   -   -    5       -
#   3   closed     150 late   900 met    -   y   -    3       -
#   4   closed     60 met     750 met    y   -   -    -       -
#   5   closed     30 met     960 late   y   -   y    2       -
#   6   suspended  20 met     -          -   -   -    -       >30d
#   7   rejected   -          -          -   -   -    -       -
#   8   closed     40 met     360 late   -   y   -    -       -
#   9   closed     120 late   570 met    y   -   -    4       -
#   10  closed     120 met    900 met    -   y   -    5       -
#   11  closed     45 met     420 met    y   -   -    -       -
#   13  new        past due   past due   -   -   -    -       3-7d
#   14  closed     90 met     450 met    y   -   -    1       -
#   15  assigned   60 met     past due   -   y   -    -       1-3d
#   16  solved     20 met     270 met    y   -   -    -       -
#   17  new        -          -          -   -   -    -       <1d

# report_is DESCRIPTION [sd-report option...] <<EOF: sd-report --format
# tsv with these options exits 0 and its rows, after the header, are the
# lines given, with | for a tab.  The columns after the --by keys:
#   tickets|open|solved|closed|rejected|response_met_pct|resolution_met_pct|
#   response_median_bmin|response_p90_bmin|resolution_median_bmin|
#   resolution_p90_bmin|fcr_pct|escalated_pct|reopen_pct|rating_mean|ratings|
#   backlog_lt1d|backlog_1to3d|backlog_3to7d|backlog_7to30d|backlog_gt30d
report_is() {
	_what=$1
	shift
	cat >"$T/want"
	run sd-report --format tsv "$@"
	[ "$rc" = 0 ] || { echo "# sd-report $*: exit $rc" >&2; sed 's/^/# stderr: /' "$T/err" >&2; }
	sed 1d "$T/out" | tr '\t' '|' >"$T/got"
	cmp -s "$T/want" "$T/got" || diff "$T/want" "$T/got" | sed 's/^/# /' >&2
	ok $([ "$rc" = 0 ] && cmp -s "$T/want" "$T/got"; echo $?) "$_what"
}

# The header: the --by keys, then the figures, in the documented order.
columns=tickets,open,solved,closed,rejected,response_met_pct,resolution_met_pct
columns=$columns,response_median_bmin,response_p90_bmin,resolution_median_bmin
columns=$columns,resolution_p90_bmin,fcr_pct,escalated_pct,reopen_pct,rating_mean,ratings
columns=$columns,backlog_lt1d,backlog_1to3d,backlog_3to7d,backlog_7to30d,backlog_gt30d
expect 0 "sd-report" sd-report --format tsv --by level,month
is "$(head -1 "$T/out" | tr '\t' ',')" "level,month,$columns" \
	"the header: keys, then the columns in order"
is "$(cat "$T/err")" "" "nothing on stderr"

# The totals, 16 tickets (SD-12 left out).
#   open: 6 13 15 17 = 4; solved (a solve time): 1-5 8-11 14 16 = 11;
#   closed: 1-5 8-11 14 = 10; rejected: 7 = 1.
#   response: counted 13 ended + 13 past due = 14 (7 and 17 left out), met
#   11 (not 3, 9, 13): 11/14 = 78.571 -> 78.6.  The 13 ended, sorted:
#   20 20 30 30 30 40 45 60 60 90 120 120 150; median rank ceil(6.5) = 7:
#   45; p90 rank ceil(11.7) = 12: 120.
#   resolution: counted 11 ended + 13, 15 past due = 13, met 9 (not 5, 8,
#   13, 15): 9/13 = 69.23 -> 69.2.  The 11 ended: 90 120 270 360 420 450 570
#   750 900 900 960; median rank ceil(5.5) = 6: 450; p90 rank ceil(9.9) =
#   10: 900.
#   fcr: of the 11 solved, 1 2 4 5 9 11 14 16 = 8/11 = 72.7; escalated: 3 8
#   10 15 = 4/16 = 25.0; reopened: 5 = 1/11 = 9.1; ratings 5 3 2 4 5 1 =
#   20/6 = 3.33, 6 of them; backlog: 17 | 15 | 13 | - | 6.
report_is "the totals row alone without --by" <<'EOF'
16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF

# --by status: assigned = 15; closed = 1-5 8-11 14: R 8/10 met (3, 9 late),
# ended 30 30 30 40 45 60 90 120 120 150 -> median rank 5: 45, p90 rank 9:
# 120; S 8/10 (5, 8 late), 90 120 360 420 450 570 750 900 900 960 -> 450,
# 900; fcr 1 2 4 5 9 11 14 = 7/10; escalated 3 8 10 = 3/10; reopened 1/10;
# ratings 20/6.  new = 13, 17: R 13 past due 0/1, S 0/1; no minutes.
# rejected = 7: nothing counted, escalated 0/1 = 0.0.
report_is "--by status" --by status <<'EOF'
assigned|1|1|0|0|0|100.0|0.0|60|60||||100.0|||0|0|1|0|0|0
closed|10|0|10|10|0|80.0|80.0|45|120|450|900|70.0|30.0|10.0|3.33|6|0|0|0|0|0
new|2|2|0|0|0|0.0|0.0||||||0.0|||0|1|0|1|0|0
rejected|1|0|0|0|1||||||||0.0|||0|0|0|0|0|0
solved|1|0|1|0|0|100.0|100.0|20|20|270|270|100.0|0.0|0.0||0|0|0|0|0|0
suspended|1|1|0|0|0|100.0||20|20||||0.0|||0|0|0|0|0|1
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by type: request = 1 4 10 14 17: R 30 60 120 90 all met (17 out):
# 4/4, sorted 30 60 90 120 -> rank 2: 60, rank 4: 120; S 90 750 900 450:
# 4/4, 90 450 750 900 -> 450, 900; fcr 1 4 14 = 3/4; escalated 10 = 1/5;
# ratings 5 1 = 3.00.  incident = the other 11: R 7/10 (3 9 13 not), ended
# 20 20 30 30 40 45 60 120 150 -> rank 5: 40, rank ceil(8.1) = 9: 150; S
# 5/9 (5 8 13 15 not), 120 270 360 420 570 900 960 -> rank 4: 420, rank
# ceil(6.3) = 7: 960;
# fcr 2 5 9 11 16 = 5/7 = 71.4; escalated 3 8 15 = 3/11 = 27.3; reopened
# 1/7 = 14.3; ratings 5 3 2 4 = 3.50.
report_is "--by type" --by type <<'EOF'
incident|11|3|7|6|1|70.0|55.6|40|150|420|960|71.4|27.3|14.3|3.50|4|0|1|1|0|1
request|5|1|4|4|0|100.0|100.0|60|120|450|900|75.0|20.0|0.0|3.00|2|1|0|0|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by priority: 1 = 2 8 15 (R 30 40 60 all met; S 120 met, 360 late, 15
# past due: 1/3 = 33.3); 2 = 5 11 13 (R 30 45, 13 past due: 2/3; S 960
# late, 420 met, 13 past due: 1/3; reopened 5: 1/2); 3 = 1 3 4 7 10 14 (R
# 30 150 60 120 90, 7 out: 4/5, 30 60 90 120 150 -> 90, 150; S 90 900 750
# 900 450: 5/5 -> 750, 900; fcr 1 4 14 = 3/5; escalated 3 10 = 2/6; ratings
# 3 5 1 = 3.00); 4 = 6 9 16 17 (R 20 120 20: 2/3, 20 20 120 -> 20, 120;
# S 570 270: 2/2 -> 270, 570).
report_is "--by priority" --by priority <<'EOF'
1|3|1|2|2|0|100.0|33.3|40|60|120|360|50.0|66.7|0.0|5.00|1|0|1|0|0|0
2|3|1|2|2|0|66.7|33.3|30|45|420|960|100.0|0.0|50.0|2.00|1|0|0|1|0|0
3|6|0|5|5|1|80.0|100.0|90|150|750|900|60.0|33.3|0.0|3.00|3|0|0|0|0|0
4|4|2|2|1|0|66.7|100.0|20|120|270|570|100.0|0.0|0.0|4.00|1|1|0|0|0|1
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by level (the level a ticket is at now): 1 = the other twelve: R
# counted 1 2 4 5 6 9 11 13 14 16 = 10, met all but 9 and 13 = 8: 80.0;
# ended 20 20 30 30 30 45 60 90 120 -> rank 5: 30, rank ceil(8.1) = 9:
# 120; S counted 1 2 4 5 9 11 13 14 16 = 9, met all but 5 and 13 = 7:
# 77.8; ended 90 120 270 420 450 570 750 960 -> rank 4: 420, rank
# ceil(7.2) = 8: 960; every solved one FCR: 8/8; reopened 1/8 = 12.5;
# ratings 5 2 4 1 = 3.00.  2 = 3 10 15 (R 150 late, 120 and 60 met: 2/3,
# 60 120 150 -> rank 2: 120, rank 3: 150; S 900 900 met, 15 past due:
# 2/3).  3 = 8.
report_is "--by level" --by level <<'EOF'
1|12|3|8|7|1|80.0|77.8|30|120|420|960|100.0|0.0|12.5|3.00|4|1|0|1|0|1
2|3|1|2|2|0|66.7|66.7|120|150|900|900|0.0|100.0|0.0|4.00|2|0|1|0|0|0
3|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by group: apps = 10 15; desk = level 1's twelve; network = 3; telco = 8.
report_is "--by group" --by group <<'EOF'
apps|2|1|1|1|0|100.0|50.0|60|120|900|900|0.0|100.0|0.0|5.00|1|0|1|0|0|0
desk|12|3|8|7|1|80.0|77.8|30|120|420|960|100.0|0.0|12.5|3.00|4|1|0|1|0|1
network|1|0|1|1|0|0.0|100.0|150|150|900|900|0.0|100.0|0.0|3.00|1|0|0|0|0|0
telco|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by assignee: "" (sorted first) = 7 13 17 (R 13 past due: 0/1; S 13
# past due: 0/1; solved none; escalated none: 0/3); ana = 1 2 4 6 9 (R 30 30
# 60 20 120: 4/5, 20 30 30 60 120 -> 30, 120; S 90 120 750 570: 4/4 ->
# rank 2: 120, rank 4: 750; ratings 5 4 = 4.50); jorge = 3; luis = 5 11 14
# 16 (R 30 45 90 20: 4/4 -> 20 30 45 90: 30, 90; S 960 420 450 270: 3/4
# -> 270 420 450 960: 420, 960; reopened 1/4; ratings 2 1 = 1.50); marta =
# 10 15; telco = 8, solved from provider with no assignee (as --by group).
report_is "--by assignee" --by assignee <<'EOF'
|3|2|0|0|1|0.0|0.0||||||0.0|||0|1|0|1|0|0
ana|5|1|4|4|0|80.0|100.0|30|120|120|750|100.0|0.0|0.0|4.50|2|0|0|0|0|1
jorge|1|0|1|1|0|0.0|100.0|150|150|900|900|0.0|100.0|0.0|3.00|1|0|0|0|0|0
luis|4|0|4|3|0|100.0|75.0|30|90|420|960|100.0|0.0|25.0|1.50|2|0|0|0|0|0
marta|2|1|1|1|0|100.0|50.0|60|120|900|900|0.0|100.0|0.0|5.00|1|0|1|0|0|0
telco|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by category: email = 7 16; hardware = 6; hardware/laptop = 9 17;
# hardware/printer = 2 13; network = 1; network/internet = 8; network/vpn
# = 3 11 (R 150 late, 45: 1/2, 45 150 -> rank 1: 45, rank 2: 150); software
# = 14; software/erp = 5 10 (S 960 late, 900: 1/2; reopened 1/2); software/
# office = 4 15 (S 750, 15 past due: 1/2; escalated 15: 1/2).
report_is "--by category" --by category <<'EOF'
email|2|0|1|0|1|100.0|100.0|20|20|270|270|100.0|0.0|0.0||0|0|0|0|0|0
hardware|1|1|0|0|0|100.0||20|20||||0.0|||0|0|0|0|0|1
hardware/laptop|2|1|1|1|0|0.0|100.0|120|120|570|570|100.0|0.0|0.0|4.00|1|1|0|0|0|0
hardware/printer|2|1|1|1|0|50.0|50.0|30|30|120|120|100.0|0.0|0.0|5.00|1|0|0|1|0|0
network|1|0|1|1|0|100.0|100.0|30|30|90|90|100.0|0.0|0.0||0|0|0|0|0|0
network/internet|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
network/vpn|2|0|2|2|0|50.0|100.0|45|150|420|900|50.0|50.0|0.0|3.00|1|0|0|0|0|0
software|1|0|1|1|0|100.0|100.0|90|90|450|450|100.0|0.0|0.0|1.00|1|0|0|0|0|0
software/erp|2|0|2|2|0|100.0|50.0|30|120|900|960|50.0|50.0|50.0|3.50|2|0|0|0|0|0
software/office|2|1|1|1|0|100.0|50.0|60|60|750|750|100.0|50.0|0.0||0|0|1|0|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by channel: chat = 5 15; email = 1 3 10 16 (R 30 150 120 20: 3/4,
# 20 30 120 150 -> rank 2: 30, rank 4: 150; S 90 900 900 270 -> 270, 900;
# fcr 1 16 = 2/4; escalated 3 10 = 2/4; ratings 3 5 = 4.00); phone = 2 6 8
# 11 (R 30 20 40 45: 4/4 -> 20 30 40 45: 30, 45; S 120 360 420: 2/3 -> 360,
# 420); teams = 13 14; walk-in = 7 9; web = 4 17.
report_is "--by channel" --by channel <<'EOF'
chat|2|1|1|1|0|100.0|0.0|30|60|960|960|100.0|50.0|100.0|2.00|1|0|1|0|0|0
email|4|0|4|3|0|75.0|100.0|30|150|270|900|50.0|50.0|0.0|4.00|2|0|0|0|0|0
phone|4|1|3|3|0|100.0|66.7|30|45|360|420|66.7|25.0|0.0|5.00|1|0|0|0|0|1
teams|2|1|1|1|0|50.0|50.0|90|90|450|450|100.0|0.0|0.0|1.00|1|0|0|1|0|0
walk-in|2|0|1|1|1|0.0|100.0|120|120|570|570|100.0|0.0|0.0|4.00|1|0|0|0|0|0
web|2|1|1|1|0|100.0|100.0|60|60|750|750|100.0|0.0|0.0||0|1|0|0|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by requester (the name, byte order): Eva Luna = 1 4 9 17 (R 30 60 120:
# 2/3 -> 60, 120; S 90 750 570 -> 570, 750); Juan Soto = 2 7 11; Luz Díaz
# = 3 10 16 (R 150 120 20: 2/3, 20 120 150 -> 120, 150; fcr 16: 1/3);
# "Paz, Ana María" = 8 15; Pedro Ruiz = 5 6 13 14 (R 30 20 90, 13: 3/4 ->
# 20 30 90: 30, 90; S 960 late, 450, 13 past due: 1/3; reopened 1/2).
report_is "--by requester" --by requester <<'EOF'
Eva Luna|4|1|3|3|0|66.7|100.0|60|120|570|750|100.0|0.0|0.0|4.00|1|1|0|0|0|0
Juan Soto|3|0|2|2|1|100.0|100.0|30|45|120|420|100.0|0.0|0.0|5.00|1|0|0|0|0|0
Luz Díaz|3|0|3|2|0|66.7|100.0|120|150|900|900|33.3|66.7|0.0|4.00|2|0|0|0|0|0
Paz, Ana María|2|1|1|1|0|100.0|0.0|40|60|360|360|0.0|100.0|0.0||0|0|1|0|0|0
Pedro Ruiz|4|2|2|2|0|75.0|33.3|30|90|450|960|100.0|0.0|50.0|1.50|2|0|0|1|0|1
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by day: the local day of creation; SD-1 (19:30) is 09-30 and SD-7
# (Sunday 20:00) 10-25 although both are the next day in UTC; 11-25 = 15
# 16 (R 60 20 -> rank 1: 20, rank 2: 60; S 15 past due, 270: 1/2).
report_is "--by day" --by day <<'EOF'
2026-09-30|1|0|1|1|0|100.0|100.0|30|30|90|90|100.0|0.0|0.0||0|0|0|0|0|0
2026-10-05|1|0|1|1|0|100.0|100.0|30|30|120|120|100.0|0.0|0.0|5.00|1|0|0|0|0|0
2026-10-08|1|0|1|1|0|0.0|100.0|150|150|900|900|0.0|100.0|0.0|3.00|1|0|0|0|0|0
2026-10-15|1|0|1|1|0|100.0|100.0|60|60|750|750|100.0|0.0|0.0||0|0|0|0|0|0
2026-10-20|1|0|1|1|0|100.0|0.0|30|30|960|960|100.0|0.0|100.0|2.00|1|0|0|0|0|0
2026-10-22|1|1|0|0|0|100.0||20|20||||0.0|||0|0|0|0|0|1
2026-10-25|1|0|0|0|1||||||||0.0|||0|0|0|0|0|0
2026-10-28|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
2026-11-03|1|0|1|1|0|0.0|100.0|120|120|570|570|100.0|0.0|0.0|4.00|1|0|0|0|0|0
2026-11-13|1|0|1|1|0|100.0|100.0|120|120|900|900|0.0|100.0|0.0|5.00|1|0|0|0|0|0
2026-11-17|1|0|1|1|0|100.0|100.0|45|45|420|420|100.0|0.0|0.0||0|0|0|0|0|0
2026-11-20|1|1|0|0|0|0.0|0.0||||||0.0|||0|0|0|1|0|0
2026-11-23|1|0|1|1|0|100.0|100.0|90|90|450|450|100.0|0.0|0.0|1.00|1|0|0|0|0|0
2026-11-25|2|1|1|0|0|100.0|50.0|20|60|270|270|100.0|50.0|0.0||0|0|1|0|0|0
2026-11-27|1|1|0|0|0||||||||0.0|||0|1|0|0|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by week, ISO 8601: W40 = 1 (Sep 28-Oct 4); W41 = 2 3; W42 = 4; W43 =
# 5 6 7 (Oct 19-25, Sunday 7 included: R 30 20, 7 out -> 20, 30; S 960
# late, 6 and 7 out: 0/1); W44 = 8; W45 = 9; W46 = 10; W47 = 11 13 (12
# left out); W48 = 14 15 16 17 (R 90 60 20, 17 out: 3/3 -> 20 60 90: 60,
# 90; S 450 270 met, 15 past due: 2/3 -> 270, 450; escalated 15: 1/4).
report_is "--by week" --by week <<'EOF'
2026-W40|1|0|1|1|0|100.0|100.0|30|30|90|90|100.0|0.0|0.0||0|0|0|0|0|0
2026-W41|2|0|2|2|0|50.0|100.0|30|150|120|900|50.0|50.0|0.0|4.00|2|0|0|0|0|0
2026-W42|1|0|1|1|0|100.0|100.0|60|60|750|750|100.0|0.0|0.0||0|0|0|0|0|0
2026-W43|3|1|1|1|1|100.0|0.0|20|30|960|960|100.0|0.0|100.0|2.00|1|0|0|0|0|1
2026-W44|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
2026-W45|1|0|1|1|0|0.0|100.0|120|120|570|570|100.0|0.0|0.0|4.00|1|0|0|0|0|0
2026-W46|1|0|1|1|0|100.0|100.0|120|120|900|900|0.0|100.0|0.0|5.00|1|0|0|0|0|0
2026-W47|2|1|1|1|0|50.0|50.0|45|45|420|420|100.0|0.0|0.0||0|0|0|1|0|0
2026-W48|4|2|2|1|0|100.0|66.7|60|90|270|450|100.0|25.0|0.0|1.00|1|1|1|0|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# --by month: 09 = 1; 10 = 2-8 (R 30 150 60 30 20 40: 5/6, 20 30 30 40 60
# 150 -> rank 3: 30, rank ceil(5.4) = 6: 150; S 120 900 750 960 360: 3/5 ->
# 120 360 750 900 960: 750, 960; fcr 2 4 5 = 3/5; escalated 3 8 = 2/7 =
# 28.6; reopened 1/5; ratings 5 3 2 = 3.33); 11 = 9-11 13-17 (R 120 late,
# 120 45 90 60 20 met, 13 past due: 5/7 = 71.4, 20 45 60 90 120 120 ->
# rank 3: 60, rank ceil(5.4) = 6: 120; S 570 900 420 450 270 met, 13 15
# past due: 5/7, 270 420 450 570 900 -> 450, 900; fcr 9 11 14 16 = 4/5;
# escalated 10 15 = 2/8; ratings 4 5 1 = 3.33).
report_is "--by month" --by month <<'EOF'
2026-09|1|0|1|1|0|100.0|100.0|30|30|90|90|100.0|0.0|0.0||0|0|0|0|0|0
2026-10|7|1|5|5|1|83.3|60.0|30|150|750|960|60.0|28.6|20.0|3.33|3|0|0|0|0|1
2026-11|8|3|5|4|0|71.4|71.4|60|120|450|900|80.0|25.0|0.0|3.33|3|1|1|1|0|0
(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# Two keys: a row per pair that has tickets, sorted by the first key, then
# the second; the totals row "(all)" in every key column.
# 1/2026-10 = 2 4 5 6 7 (R 30 60 30 20: 4/4 -> 20 30 30 60: 30, 60; S 120
# 750 960: 2/3 -> 750, 960; reopened 1/3; ratings 5 2 = 3.50); 1/2026-11 =
# 9 11 13 14 16 17 (R 120 late, 45 90 20 met, 13 past due: 3/5, 20 45 90
# 120 -> rank 2: 45, rank 4: 120; S 570 420 450 270, 13: 4/5 -> 270 420
# 450 570: 420, 570; ratings 4 1 = 2.50); 2/2026-10 = 3; 2/2026-11 = 10 15.
report_is "--by level,month" --by level,month <<'EOF'
1|2026-09|1|0|1|1|0|100.0|100.0|30|30|90|90|100.0|0.0|0.0||0|0|0|0|0|0
1|2026-10|5|1|3|3|1|100.0|66.7|30|60|750|960|100.0|0.0|33.3|3.50|2|0|0|0|0|1
1|2026-11|6|2|4|3|0|60.0|80.0|45|120|420|570|100.0|0.0|0.0|2.50|2|1|0|1|0|0
2|2026-10|1|0|1|1|0|0.0|100.0|150|150|900|900|0.0|100.0|0.0|3.00|1|0|0|0|0|0
2|2026-11|2|1|1|1|0|100.0|50.0|60|120|900|900|0.0|100.0|0.0|5.00|1|0|1|0|0|0
3|2026-10|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
(all)|(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# desk/closed = 1 2 4 5 9 11 14 (R 30 30 60 30 120 45 90: 6/7 = 85.7, 30
# 30 30 45 60 90 120 -> rank 4: 45, rank ceil(6.3) = 7: 120; S 90 120 750
# 960 570 420 450: 6/7 -> 90 120 420 450 570 750 960: 450, 960; fcr 7/7;
# reopened 1/7 = 14.3; ratings 5 2 4 1 = 3.00).
report_is "--by group,status" --by group,status <<'EOF'
apps|assigned|1|1|0|0|0|100.0|0.0|60|60||||100.0|||0|0|1|0|0|0
apps|closed|1|0|1|1|0|100.0|100.0|120|120|900|900|0.0|100.0|0.0|5.00|1|0|0|0|0|0
desk|closed|7|0|7|7|0|85.7|85.7|45|120|450|960|100.0|0.0|14.3|3.00|4|0|0|0|0|0
desk|new|2|2|0|0|0|0.0|0.0||||||0.0|||0|1|0|1|0|0
desk|rejected|1|0|0|0|1||||||||0.0|||0|0|0|0|0|0
desk|solved|1|0|1|0|0|100.0|100.0|20|20|270|270|100.0|0.0|0.0||0|0|0|0|0|0
desk|suspended|1|1|0|0|0|100.0||20|20||||0.0|||0|0|0|0|0|1
network|closed|1|0|1|1|0|0.0|100.0|150|150|900|900|0.0|100.0|0.0|3.00|1|0|0|0|0|0
telco|closed|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
(all)|(all)|16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
clean "store clean after the reports"

# Unmanaged tickets: counted nowhere unless --include-unmanaged, and then
# as tickets with no clock counted: 17 tickets, escalated 4/17 = 23.5,
# every other figure as before.
report_is "--include-unmanaged: a row of its own, one more ticket" --include-unmanaged --by status <<'EOF'
assigned|1|1|0|0|0|100.0|0.0|60|60||||100.0|||0|0|1|0|0|0
closed|10|0|10|10|0|80.0|80.0|45|120|450|900|70.0|30.0|10.0|3.33|6|0|0|0|0|0
new|2|2|0|0|0|0.0|0.0||||||0.0|||0|1|0|1|0|0
rejected|1|0|0|0|1||||||||0.0|||0|0|0|0|0|0
solved|1|0|1|0|0|100.0|100.0|20|20|270|270|100.0|0.0|0.0||0|0|0|0|0|0
suspended|1|1|0|0|0|100.0||20|20||||0.0|||0|0|0|0|0|1
unmanaged|1|0|0|0|0||||||||0.0|||0|0|0|0|0|0
(all)|17|4|11|10|1|78.6|69.2|45|120|450|900|72.7|23.5|9.1|3.33|6|1|1|1|0|1
EOF
report_is "the unmanaged ticket's day: nothing without --include-unmanaged" \
	--since 2026-11-19 --until 2026-11-20 --by channel <<'EOF'
(all)|0|0|0|0|0|||||||||||0|0|0|0|0|0
EOF
report_is "the unmanaged ticket's day with --include-unmanaged: empty percentages" \
	--since 2026-11-19 --until 2026-11-20 --by channel --include-unmanaged <<'EOF'
phone|1|0|0|0|0||||||||0.0|||0|0|0|0|0|0
(all)|1|0|0|0|0||||||||0.0|||0|0|0|0|0|0
EOF
report_is "--status unmanaged without --include-unmanaged: nothing" --status unmanaged <<'EOF'
0|0|0|0|0|||||||||||0|0|0|0|0|0
EOF
# 12 and 13 (Fri 11-20): phone = 12 alone, teams = 13: both clocks past due.
report_is "--include-unmanaged and filters" --include-unmanaged --since 2026-11-19 \
	--until 2026-11-21 --by channel <<'EOF'
phone|1|0|0|0|0||||||||0.0|||0|0|0|0|0|0
teams|1|1|0|0|0|0.0|0.0||||||0.0|||0|0|0|1|0|0
(all)|2|1|0|0|0|0.0|0.0||||||0.0|||0|0|0|1|0|0
EOF

# The filters, sd-list's.  The question of the issue: how did each level do
# against the SLA last month (October: 2-8), and how satisfied were the
# requesters.  Level 1 = 2 4 5 6 7: R 30 60 30 20 (7 out): 4/4 -> 20 30 30
# 60: 30, 60; S 120 750 960: 2/3 -> 750, 960; fcr 3/3; reopened 1/3 = 33.3;
# ratings 5 2 = 3.50.  Level 2 = 3, level 3 = 8; the totals are October's.
report_is "--since/--until, a month by level" --by level --since 2026-10-01 --until 2026-11-01 <<'EOF'
1|5|1|3|3|1|100.0|66.7|30|60|750|960|100.0|0.0|33.3|3.50|2|0|0|0|0|1
2|1|0|1|1|0|0.0|100.0|150|150|900|900|0.0|100.0|0.0|3.00|1|0|0|0|0|0
3|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
(all)|7|1|5|5|1|83.3|60.0|30|150|750|960|60.0|28.6|20.0|3.33|3|0|0|0|0|1
EOF
# --since a date: from its midnight, inclusive: 14 15 16 17 = W48 above.
report_is "--since a date" --since 2026-11-23 <<'EOF'
4|2|2|1|0|100.0|66.7|60|90|270|450|100.0|25.0|0.0|1.00|1|1|1|0|0|0
EOF
# RFC 3339 bounds: since inclusive, until exclusive: SD-1 alone, created at
# 19:30; then nothing before it.
report_is "--since RFC 3339 is inclusive" --since 2026-09-30T19:30:00-05:00 --until 2026-10-01 <<'EOF'
1|0|1|1|0|100.0|100.0|30|30|90|90|100.0|0.0|0.0||0|0|0|0|0|0
EOF
report_is "--until RFC 3339 is exclusive: no ticket, empty figures" \
	--until 2026-10-01T00:30:00Z <<'EOF'
0|0|0|0|0|||||||||||0|0|0|0|0|0
EOF
report_is "--until one second later, in UTC" --until 2026-10-01T00:30:01Z <<'EOF'
1|0|1|1|0|100.0|100.0|30|30|90|90|100.0|0.0|0.0||0|0|0|0|0|0
EOF
# --status closed,solved: the ten closed and 16: R 11 counted, 9 met (3 9
# late) = 81.8, 20 30 30 30 40 45 60 90 120 120 150 -> rank 6: 45, rank
# ceil(9.9) = 10: 120; S 9/11; escalated 3 8 10 = 3/11 = 27.3.
report_is "--status" --status closed,solved <<'EOF'
11|0|11|10|0|81.8|81.8|45|120|450|900|72.7|27.3|9.1|3.33|6|0|0|0|0|0
EOF
# --open: 6 13 15 17: R 20 met, 60 met, 13 past due, 17 out: 2/3 = 66.7,
# 20 60 -> rank 1: 20, rank 2: 60; S 13 15 past due, 6 17 out: 0/2;
# escalated 15: 1/4.
report_is "--open" --open <<'EOF'
4|4|0|0|0|66.7|0.0|20|60||||25.0|||0|1|1|1|0|1
EOF
report_is "--type request" --type request <<'EOF'
5|1|4|4|0|100.0|100.0|60|120|450|900|75.0|20.0|0.0|3.00|2|1|0|0|0|0
EOF
report_is "--group apps" --group apps <<'EOF'
2|1|1|1|0|100.0|50.0|60|120|900|900|0.0|100.0|0.0|5.00|1|0|1|0|0|0
EOF
report_is "--level 2" --level 2 <<'EOF'
3|1|2|2|0|66.7|66.7|120|150|900|900|0.0|100.0|0.0|4.00|2|0|1|0|0|0
EOF
# --category software, with software/office and software/erp: 4 5 10 14
# 15: R 60 30 120 90 60: 5/5 -> 30 60 60 90 120: 60, 120; S 750 960 900
# 450, 15: 3/5 -> 450 750 900 960: rank 2: 750, rank 4: 960; fcr 4 5 14 =
# 3/4; escalated 10 15 = 2/5; reopened 1/4; ratings 2 5 1 = 2.67.
report_is "--category with its subcategories" --category software <<'EOF'
5|1|4|4|0|100.0|60.0|60|120|750|960|75.0|40.0|25.0|2.67|3|0|1|0|0|0
EOF
# --category hardware: 2 6 9 13 17: R 30 20 met, 120 late, 13 past due:
# 2/4 -> 20 30 120: 30, 120; S 120 570, 13: 2/3 -> 120, 570.
report_is "--category hardware: hardware and hardware/*" --category hardware <<'EOF'
5|3|2|2|0|50.0|66.7|30|120|120|570|100.0|0.0|0.0|4.50|2|1|0|1|0|1
EOF
report_is "--category network/vpn: a leaf" --category network/vpn <<'EOF'
2|0|2|2|0|50.0|100.0|45|150|420|900|50.0|50.0|0.0|3.00|1|0|0|0|0|0
EOF
report_is "--requester by name, any case" --requester "eva luna" <<'EOF'
4|1|3|3|0|66.7|100.0|60|120|570|750|100.0|0.0|0.0|4.00|1|1|0|0|0|0
EOF
report_is "--requester by email, any case" --requester LUZ@EXAMPLE.ORG <<'EOF'
3|0|3|2|0|66.7|100.0|120|150|900|900|33.3|66.7|0.0|4.00|2|0|0|0|0|0
EOF
report_is "--assignee me: ana" --assignee me <<'EOF'
5|1|4|4|0|80.0|100.0|30|120|120|750|100.0|0.0|0.0|4.50|2|0|0|0|0|1
EOF
SD_AGENT=luis report_is "--assignee me: luis" --assignee me <<'EOF'
4|0|4|3|0|100.0|75.0|30|90|420|960|100.0|0.0|25.0|1.50|2|0|0|0|0|0
EOF
report_is "--assignee AGENT" --assignee marta <<'EOF'
2|1|1|1|0|100.0|50.0|60|120|900|900|0.0|100.0|0.0|5.00|1|0|1|0|0|0
EOF
# --priority 1,2: 2 5 8 11 13 15: R 30 30 40 45 60, 13: 5/6 -> rank 3:
# 40, rank 5: 60; S 120 met, 960 360 late, 420 met, 13 15: 2/6 -> 120 360
# 420 960: 360, 960; fcr 2 5 11 = 3/4; escalated 8 15 = 2/6; reopened 1/4.
report_is "--priority" --priority 1,2 <<'EOF'
6|2|4|4|0|83.3|33.3|40|60|360|960|75.0|33.3|25.0|3.50|2|0|1|1|0|0
EOF
# Filters and keys together: the incidents by group; desk's = 2 5 6 7 9
# 11 13 16: R counted 2 5 6 9 11 13 16 = 7, met all but 9 and 13 = 5:
# 71.4; ended 20 20 30 30 45 120 -> rank 3: 30, rank ceil(5.4) = 6: 120;
# S counted 2 5 9 11 13 16 = 6, met 2 9 11 16 = 4: 66.7; ended 120 270 420
# 570 960 -> rank 3: 420, rank 5: 960; fcr 5/5; reopened 1/5 = 20.0;
# ratings 5 2 4 = 3.67.
report_is "--type incident --by group" --type incident --by group <<'EOF'
apps|1|1|0|0|0|100.0|0.0|60|60||||100.0|||0|0|1|0|0|0
desk|8|2|5|4|1|71.4|66.7|30|120|420|960|100.0|0.0|20.0|3.67|3|0|0|1|0|1
network|1|0|1|1|0|0.0|100.0|150|150|900|900|0.0|100.0|0.0|3.00|1|0|0|0|0|0
telco|1|0|1|1|0|100.0|0.0|40|40|360|360|0.0|100.0|0.0||0|0|0|0|0|0
(all)|11|3|7|6|1|70.0|55.6|40|150|420|960|71.4|27.3|14.3|3.50|4|0|1|1|0|1
EOF
clean "store clean after the filters"

# The formats agree: table, tsv, csv and json hold the same rows, read
# back with python3; text is table.
cat >"$T/formats.py" <<'EOF'
import csv, json, sys

d = sys.argv[1]
fig = sys.argv[2].split(",")


def untsv(s):
    out, i = "", 0
    while i < len(s):
        if s[i] == "\\":
            out += {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[s[i + 1]]
            i += 2
        else:
            out += s[i]
            i += 1
    return out


lines = open(d + "/r.tsv", encoding="utf-8").read().split("\n")
assert lines[-1] == "", "tsv: no final newline"
rows = [[untsv(c) for c in l.split("\t")] for l in lines[:-1]]
names = rows[0]
assert names[len(names) - len(fig):] == fig, "tsv: the columns"
raw = open(d + "/r.csv", "rb").read()
assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n"), "csv: CR LF"
with open(d + "/r.csv", newline="", encoding="utf-8") as f:
    assert list(csv.reader(f)) == rows, "csv differs from tsv"
objs = json.load(open(d + "/r.json", encoding="utf-8"))
assert len(objs) == len(rows) - 1, "json: one object per row"
for obj, row in zip(objs, rows[1:]):
    assert list(obj) == names, "json: the members, in order"
    for n, v in zip(names, row):
        j = obj[n]
        if n not in fig:
            assert j == v, "json key %s: %r, tsv %r" % (n, j, v)
        elif v == "":
            assert j is None, "json %s: %r for an empty cell" % (n, j)
        else:
            assert type(j) in (int, float) and j == float(v), "json %s: %r, tsv %r" % (n, j, v)
            assert (type(j) is int) == ("." not in v), "json %s: %r" % (n, j)
tab = open(d + "/r.table", encoding="utf-8").read().split("\n")
assert tab[-1] == "", "table: no final newline"
head = tab[0]
assert head.split() == [n.upper() for n in names], "table: the header"
starts = [i for i, c in enumerate(head) if c != " " and (i == 0 or head[i - 1] == " ")]
for line, row in zip(tab[1:-1], rows[1:]):
    cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
    assert cells == row, "table: %r, tsv %r" % (cells, row)
assert len(tab) == len(rows) + 1, "table: one line per row"
print("ok")
EOF
for by in "" level,month requester assignee,channel week; do
	for f in table tsv csv json; do
		sd-report ${by:+--by "$by"} --format $f >"$T/r.$f" 2>"$T/err.$f"
	done
	python3 "$T/formats.py" "$T" "$columns" >"$T/fmt" 2>&1
	ok $(grep -qx ok "$T/fmt"; echo $?) "${by:-no --by}: table, tsv, csv and json agree"
	grep -vx ok "$T/fmt" | sed 's/^/# /' >&2
	is "$(cat "$T"/err.*)" "" "${by:-no --by}: nothing on stderr"
done
sd-report --by requester --format csv >"$T/r.csv"
like "$T/r.csv" '^"Paz, Ana María",2,1,1,1,0,100\.0,0\.0,40,60,' "csv quotes a key with a comma"
sd-report --by requester --format json >"$T/r.json"
is "$(json_value "$T/r.json" '[d[-1]["requester"], d[-1]["rating_mean"], d[-1]["fcr_pct"], d[3]["rating_mean"], d[-1]["tickets"]]')" \
	'["(all)", 3.33, 72.7, null, 16]' "json: numbers, null when empty, the totals row last"
sd-report --by status --format json >"$T/r.json"
is "$(json_value "$T/r.json" '[d[3]["status"], d[3]["response_met_pct"], d[3]["fcr_pct"], d[3]["escalated_pct"], d[3]["rejected"]]')" \
	'["rejected", null, null, 0.0, 1]' "json: a percentage with no denominator is null, 0 of 1 is 0.0"
sd-report --by level --format table >"$T/table"
sd-report --by level --format text >"$T/text"
ok $(cmp -s "$T/table" "$T/text"; echo $?) "--format text is table"
is "$(sed -n 1p "$T/table" | cut -c1-40)" "LEVEL  TICKETS  OPEN  SOLVED  CLOSED  RE" \
	"table: a header in capitals, columns two spaces apart"
is "$(sed -n 5p "$T/table" | cut -c1-23)" "(all)  16       4     1" "table: the totals row last"

# The instant of the report: at 11:00 SD-17's response falls due (2 h from
# 09:00) and counts, not met: 11/15 = 73.3; nothing else moves but the
# backlog (SD-17 is 2 hours old, still < 1 day).  The same at 10:59:59.
SD_NOW=2026-11-27T11:00:00-05:00 report_is "SD_NOW: a clock falls due" <<'EOF'
16|4|11|10|1|73.3|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
SD_NOW=2026-11-27T10:59:59-05:00 report_is "SD_NOW: a second before" <<'EOF'
16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1
EOF
# Mon 12-14 10:00: the backlog has aged: 17 (17 d 1 h), 15 (19 d 1 h) and
# 13 (23 d 19 h) are 7-30 days old, 6 still > 30; 17's response (due 11-27
# 11:00) and its resolution (due 12-14 09:00) are past due: R 11/15 = 73.3,
# S 9/14 = 64.3.
SD_NOW=2026-12-14T10:00:00-05:00 report_is "SD_NOW later: the backlog ages" <<'EOF'
16|4|11|10|1|73.3|64.3|45|120|450|900|72.7|25.0|9.1|3.33|6|0|0|0|3|1
EOF

# The time zone is the store's, whatever TZ says: the days stay Bogotá's.
sd-report --by day,week --format tsv >"$T/bogota"
TZ=Asia/Tokyo sd-report --by day,week --format tsv >"$T/tokyo"
ok $(cmp -s "$T/bogota" "$T/tokyo"; echo $?) "TZ does not move the days"
TZ=UTC sd-report --by month --no-cache --format tsv | cut -f1,2 >"$T/utc"
is "$(tr '\t\n' ': ' <"$T/utc")" "month:tickets 2026-09:1 2026-10:7 2026-11:8 (all):16 " \
	"nor, without the cache, the months"

# No agent needed; -C; the store found from below.
expect 0 "needs no agent" env SD_AGENT=nobody sd-report --format tsv
is "$(sed -n 2p "$T/out" | cut -f1-5)" "$(printf '16\t4\t11\t10\t1')" "the same figures"
expect 0 "-C DIR" env -u SD_STORE sd-report -C "$SD_STORE" --format tsv
is "$(sed -n 2p "$T/out" | cut -f1)" 16 "the store of -C"
expect 0 "the store found from a directory below" \
	sh -c 'cd "$SD_STORE/tickets/000" && unset SD_STORE && sd-report --format tsv'
is "$(sed -n 2p "$T/out" | cut -f1)" 16 "the store above"
clean "store clean"

# A ticket file that does not parse (planted): named with its path and
# line, the others counted, exit 65 - each time, as it is never cached.
sed -e 's/^id = SD-17$/id = SD-18/' -e 's/^title = .*/title = Broken/' \
	-e 's/^level = 1$/level = 1\nnot a key and a value/' \
	"$SD_STORE/tickets/000/SD-17.ini" >"$SD_STORE/tickets/000/SD-18.ini"
bad=$(grep -n '^not a key' "$SD_STORE/tickets/000/SD-18.ini" | cut -d: -f1)
forge "plant a broken ticket" tickets/000/SD-18.ini
for i in 1 2; do
	expect 65 "a broken ticket file: exit 65 (run $i)" sd-report --format tsv
	like "$T/err" "^sd-report: tickets/000/SD-18\.ini:$bad: " "path and line on stderr (run $i)"
	is "$(sed -n 2p "$T/out" | tr '\t' '|')" \
		"16|4|11|10|1|78.6|69.2|45|120|450|900|72.7|25.0|9.1|3.33|6|1|1|1|0|1" \
		"the others counted (run $i)"
done
expect 65 "a broken ticket file, --no-cache" sd-report --no-cache --by level
like "$T/err" "SD-18\.ini:$bad:" "named"
clean "store clean after a broken file"
rm -f "$SD_STORE/tickets/000/SD-18.ini"
forge "remove the broken ticket" tickets/000/SD-18.ini
expect 0 "the broken file gone: exit 0" sd-report

# Errors.
before=$(head_id)
expect 64 "--by bogus" sd-report --by bogus
like "$T/err" "^sd-report: --by: 'bogus' is not one of" "names the key"
like "$T/err" "^usage: sd-report" "and the usage"
expect 64 "--by with one bad key of two" sd-report --by level,bogus
expect 64 "--by nothing" sd-report --by ,
expect 64 "--format xml" sd-report --format xml
like "$T/err" "xml" "names the format"
expect 64 "--at-risk is sd-list's" sd-report --at-risk
like "$T/err" "^usage: sd-report" "usage on stderr"
expect 64 "--breached is sd-list's" sd-report --breached
expect 64 "--status bogus" sd-report --status bogus
expect 64 "--since not a date" sd-report --since yesterday
expect 64 "--level 4" sd-report --level 4
expect 64 "--priority 5" sd-report --priority 5
expect 64 "--type bug" sd-report --type bug
expect 64 "an argument" sd-report extra
expect 64 "a bad option" sd-report --bogus
like "$T/err" "usage: sd-report" "usage on stderr"
expect 65 "an unknown group" sd-report --group nowhere
one_line_error "$T/err" "one line on stderr"
like "$T/err" "unknown group 'nowhere'" "names the group"
expect 65 "an unknown category" sd-report --category nowhere
like "$T/err" "unknown category 'nowhere'" "names the category"
expect 65 "an unknown agent" sd-report --assignee nobody
expect 77 "--assignee me, no known agent" env SD_AGENT=nobody sd-report --assignee me
mkdir -p "$T/nostore"
expect 66 "no store" sh -c 'cd "$1" && unset SD_STORE && exec sd-report' sh "$T/nostore"
one_line_error "$T/err" "one line on stderr"
like "$T/err" "sd-init" "says how to make one"
expect 66 "-C a directory that is no store" env -u SD_STORE sd-report -C "$T/nostore"
unchanged "$before" "after the errors"
expect 0 "-h" sd-report -h
like "$T/out" "^usage: sd-report" "usage on stdout"
like "$T/out" "--by KEY" "with --by"
is "$(cat "$T/err")" "" "nothing on stderr"
expect 0 "--version" sd-report --version
like "$T/out" "^sd-report .*[0-9]+\.[0-9]+" "name and version"

# SPEC 10: "A response is met when responded <= due_response", and a due
# date that uses up its target at a closing time is that closing time,
# "never at the next opening".  Two tickets of a store of their own:
mkstore "$T/edge"
# E-1: incident p3 Thu 11-19 16:00 (email): due_response Thu 17:00 (60);
# assigned Fri 07:30, at the next opening: responded 07:30 > 17:00 the
# day before: late (sd-sla says breached from Thu 17:00), though the
# business minutes used are 60 = the target.
h 11-19T16:00 ana sd-new -t incident -s "Late at the opening" -r "Eva Luna" \
	--email eva@example.org -c email
SD_NOW=2026-11-19T17:00:00-05:00 run sd-sla --format tsv
is "$(sed 1d "$T/out" | cut -f1-3 | tr '\t' ' ')" "SD-1 response breached" \
	"sd-sla: E-1's response breached at Thu 17:00"
h 11-20T07:30 ana sd-assign 1 ana
# E-2: incident p1 Mon 11-23 13:00 (email): due_resolution 17:00 (240);
# responded 13:10, solved at 17:30, after hours: solved 17:30 > 17:00:
# late, though 240 bmin = the target.
h 11-23T13:00 ana sd-new -t incident -s "Solved after hours" -r "Juan Soto" \
	--email juan@example.org -c email -u high -i high
h 11-23T13:10 ana sd-assign 2 ana
h 11-23T17:30 ana sd-solve 2 -m "Done after hours."
is "$(fields 1 responded due_response)" "2026-11-20T07:30:00-05:00|2026-11-19T17:00:00-05:00" \
	"E-1: responded after due_response"
is "$(fields 2 solved due_resolution)" "2026-11-23T17:30:00-05:00|2026-11-23T17:00:00-05:00" \
	"E-2: solved after due_resolution"
# Met means responded <= due_response (SPEC 10): after due but before the
# next opening is late.
report_is "E-1: a response at the next opening after due is late" --requester "Eva Luna" <<'EOF'
1|1|0|0|0|0.0|0.0|60|60||||0.0|||0|0|0|0|1|0
EOF
report_is "E-2: a solution after hours past due is late" --requester "Juan Soto" <<'EOF'
1|0|1|0|0|100.0|0.0|10|10|240|240|100.0|0.0|0.0||0|0|0|0|0|0
EOF
clean "edge store clean"

# CSV injection (OWASP): a key a spreadsheet would run as a formula is
# quoted with a ' first; the figures, numbers sd computes, never.
expect 0 "a requester like a formula" sd-new -t request -s "Toner" -r "=1+1 Ana" -c hardware \
	--email ana@example.org
expect 0 "--format csv" sd-report --no-cache --by requester --format csv --requester "=1+1 Ana"
sed -n 2p "$T/out" | cut -d, -f1-6 >"$T/got"
printf '"'"'"'=1+1 Ana",1,1,0,0,0\n' >"$T/want"
ok $(cmp -s "$T/want" "$T/got"; echo $?) "the key quoted with a ', the figures as they are"
expect 0 "--format tsv" sd-report --no-cache --by requester --format tsv --requester "=1+1 Ana"
is "$(sed -n 2p "$T/out" | cut -f1-6)" "$(printf '=1+1 Ana\t1\t1\t0\t0\t0')" "tsv: as it is"
clean "store clean after the formulas"
done_testing
