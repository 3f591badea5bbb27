#!/bin/sh
# Scenario 6: concurrent title edits, at two sites offline: b retitles
# SD-1 at 10:30, a at 10:40.  The later (a's) wins whichever syncs first;
# the losing title is kept in the appended event as overridden =
# title:<value>, and the report says so.  Two desks the same, synced in
# the two orders, end with the same [ticket] section, title included.
# (Their files differ in the order of the last two events alone: the
# events that reach the hub are appended, never reordered.)
. "${SD_TOP:-.}/tests/lib.sh"
. "$SD_TOP/tests/sync/lib-sync.sh"
sync_setup
start_git_daemon
start_sshd
make_desk hub a b
make_desk hub2 a2 b2
tab=$(printf '\t')

for d in 1 2; do
	case $d in 1) A=a B=b ;; 2) A=a2 B=b2 ;; esac
	expect 0 "desk $d: b retitles SD-1 at 10:30" at $B env SD_NOW=2026-11-23T10:30:00-05:00 \
		sd-update --title "Printer jams on floor 2" SD-1
	expect 0 "desk $d: a retitles SD-1 at 10:40" at $A env SD_NOW=2026-11-23T10:40:00-05:00 \
		sd-update --title "Printer jams daily" SD-1
done

# Desk 1: a, then b.
expect 0 "desk 1: a syncs first" sd-sync -C "$T/a" --format tsv
is "$(cat "$T/out")" "" "nothing to report"
expect 0 "desk 1: then b" sd-sync -C "$T/b" --format tsv
is "$(cut -f1,2 "$T/out")" "SD-1${tab}overridden" "b's report: SD-1 overridden"
like "$T/out" "Printer jams on floor 2" "naming the title that lost"
H1=$(hub_gd hub)
is "$(tkey "$H1" SD-1 title)" "Printer jams daily" "desk 1: the later title"
is "$(events "$H1" SD-1 | tr '\n' '|')" \
	"1 new|2 update|3 update overridden=title:Printer jams on floor 2|" \
	"desk 1: b's event appended, its title recorded as overridden"

# Desk 2: b, then a.
expect 0 "desk 2: b syncs first" sd-sync -C "$T/b2" --format tsv
is "$(cat "$T/out")" "" "nothing to report"
expect 0 "desk 2: then a" sd-sync -C "$T/a2" --format tsv
is "$(cut -f1,2 "$T/out")" "SD-1${tab}overridden" "a's report: SD-1 overridden"
H2=$(hub_gd hub2)
is "$(tkey "$H2" SD-1 title)" "Printer jams daily" "desk 2: the later title"
is "$(events "$H2" SD-1 | tr '\n' '|')" \
	"1 new|2 update|3 update overridden=title:Printer jams on floor 2|" \
	"desk 2: a's event appended, b's title recorded as overridden"

ticket_section "$H1" SD-1 >"$T/t1"
ticket_section "$H2" SD-1 >"$T/t2"
ok $(cmp -s "$T/t1" "$T/t2"; echo $?) "either order: the same [ticket] section"
diff "$T/t1" "$T/t2" | sed 's/^/# /' >&2
is "$(ini_get "$T/t1" ticket updated)" 2026-11-23T10:40:00-05:00 "updated: the later edit's at"
for d in a b; do
	sd-sync -C "$T/$d" >/dev/null 2>&1
	is "$(tblob "$(site_gd $d)" SD-1)" "$(tblob "$H1" SD-1)" "desk 1: site $d has the hub's file"
done
expect 0 "sd-fsck at hub 1" hub_fsck hub
expect 0 "sd-fsck at hub 2" hub_fsck hub2
done_testing
