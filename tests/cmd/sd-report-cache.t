#!/bin/sh
# sd-report's cache (.git/sd-cache/report/): one file per shard, keyed on
# the shard's tree in HEAD and the blobs of sd.ini and sla.ini; reused when
# nothing changed, never stale: after every kind of change the next report
# shows it and equals a --no-cache report.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
mkeditor
export EDITOR="$T/editor"
cache=$SD_STORE/.git/sd-cache/report
have_strace=0
strace -f -e trace=openat -o /dev/null true >/dev/null 2>&1 && have_strace=1

# h HH:MM AGENT CMD...: CMD on Monday 2026-11-23 at HH:MM, Bogotá time
h() { _t=$1; shift; step "2026-11-23T$_t:00-05:00" "$@"; }

# Two shards, 000 and 001.  Calendar Mon-Fri 07:30-17:00; incident
# response 1bh = 60 bmin, request 2bh = 120; the resolutions (3bd, 5bd)
# fall due on Thursday or later, after every report here (Mon 10:30).
# SD-1: incident p3 08:00, assigned 08:30: R = 30 met.
h 08:00 ana sd-new -t incident -s "Mail bounces" -r "Eva Luna" --email eva@example.org -c email
h 08:30 ana sd-assign 1 ana
# SD-2: incident p3 08:00, assigned 09:30: R = 90 > 60, late.
h 08:00 luis sd-new -t incident -s "VPN drops" -r "Juan Soto" --email juan@example.org \
	-c network/vpn
h 09:30 luis sd-assign 2 luis
# SD-3: request p3 08:00, web, not responded: due 10:00, past due at 10:30.
h 08:00 ana sd-new -t request -s "New mouse" -r "Luz Díaz" --email luz@example.org \
	-c hardware --channel web
# SD-1000 (planted in shard 001): SD-1's twin, R = 30 met.
mkdir -p "$SD_STORE/tickets/001"
sed -e 's/^id = SD-1$/id = SD-1000/' "$SD_STORE/tickets/000/SD-1.ini" \
	>"$SD_STORE/tickets/001/SD-1000.ini"
forge "plant SD-1000" tickets/001/SD-1000.ini
# SD-1001: incident p3 09:00, email, assigned 09:20: R = 20 met.
h 09:00 ana sd-new -t incident -s "Quota" -r "Pedro Ruiz" --email pedro@example.org -c email \
	--channel email
h 09:20 ana sd-assign 1001 ana
export SD_NOW=2026-11-23T10:30:00-05:00
is "$(sd-list --format tsv --fields id | sed 1d | tr '\n' ' ')" "SD-1 SD-2 SD-3 SD-1000 SD-1001 " \
	"five tickets in two shards"
clean "store clean after the set-up"

# fresh DESCRIPTION WANT [sd-report option...]: the report's (all) row,
# tabs as |, is WANT, and a --no-cache report is the same
fresh() {
	_what=$1 _want=$2
	shift 2
	run sd-report --format tsv "$@"
	_rc1=$rc
	cp "$T/out" "$T/cached"
	sed 's/^/# stderr: /' "$T/err" >&2
	run sd-report --no-cache --format tsv "$@"
	_rc2=$rc
	is "$(tail -1 "$T/cached" | tr '\t' '|')" "$_want" "$_what"
	cmp -s "$T/cached" "$T/out" || diff "$T/out" "$T/cached" | sed 's/^/# /' >&2
	ok $([ "$_rc1$_rc2" = 00 ] && cmp -s "$T/cached" "$T/out"; echo $?) \
		"$_what: the same as --no-cache"
}
# reads N DESCRIPTION [sd-report option...]: the report opens N ticket files
reads() {
	_nfiles=$1 _what=$2
	shift 2
	if [ "$have_strace" = 1 ]; then
		strace -f -e trace=openat -o "$T/trace" sd-report "$@" >/dev/null 2>&1
		is "$(ticket_files_opened "$T/trace")" "$_nfiles" "$_what"
	else
		ok 0 "# SKIP strace not installed"
	fi
}
# cache_state: each cache file's name, inode and modification time
cache_state() { (cd "$cache" 2>/dev/null && stat -c '%n %i %y' -- *); }
# channels [sd-report option...]: the channel:tickets pairs of --by channel
channels() {
	sd-report --by channel --format tsv "$@" | sed 1d | cut -f1,2 | tr '\t\n' ': ' | sed 's/ $//'
}

# The figures (columns as in sd-report.t): response counted 5, met 3
# (SD-2 late, SD-3 past due) = 60.0; ended 20 30 30 90: median rank 2 =
# 30, p90 rank ceil(3.6) = 4 = 90; nothing solved; all 5 open < 1 day.
ok $([ ! -e "$cache" ]; echo $?) "no cache before the first report"
fresh "the first report" "5|5|0|0|0|60.0||30|90||||0.0|||0|5|0|0|0|0"
t0=$(sgit rev-parse HEAD:tickets/000) t1=$(sgit rev-parse HEAD:tickets/001)
is "$(ls "$cache" | sed 's/-[0-9a-f]\{16\}$/-FP/' | tr '\n' ' ')" "000-$t0-FP 001-$t1-FP " \
	"a cache file per shard, named by the shard's tree and the configuration"
clean "the cache is outside the files git tracks: store clean"

# Reused when nothing changed: no ticket file read, no cache file rewritten.
state=$(cache_state)
reads 0 "a repeated report reads no ticket file"
fresh "a repeated report" "5|5|0|0|0|60.0||30|90||||0.0|||0|5|0|0|0|0"
is "$(cache_state)" "$state" "the cache files untouched (inode, mtime)"
reads 5 "--no-cache reads every ticket file" --no-cache
is "$(cache_state)" "$state" "--no-cache writes no cache"
reads 0 "the cache serves any --by and filters" --by channel,level --type incident
rm -rf "$cache"
run sd-report --no-cache
ok $([ ! -e "$cache" ]; echo $?) "--no-cache makes no cache"
reads 5 "a cold report reads every file"
state=$(cache_state)

# An sd command: SD-1 solved at 10:15: S = 135 (08:00-10:15) met.  Only
# shard 000 is read again; 001's cache file stays as it was.
h 10:15 ana sd-solve 1 -m "Bounce rule removed."
reads 3 "after sd-solve: shard 000's three files read, shard 001 from the cache"
fresh "after sd-solve" "5|4|1|0|0|60.0|100.0|30|90|135|135|100.0|0.0|0.0||0|4|0|0|0|0"
is "$(cache_state | grep '^001-')" "$(echo "$state" | grep '^001-')" "shard 001's cache file untouched"
is "$(ls "$cache" | grep -c '^000-')" 1 "one cache file for shard 000: the old one removed"

# sd-edit of a ticket: SD-2's channel, phone -> chat.
SD_SED='s/^channel = phone$/channel = chat/' step 2026-11-23T10:16:00-05:00 ana sd-edit 2
is "$(channels)" "chat:1 email:1 phone:2 web:1 (all):5" "after sd-edit of a ticket: SD-2 on chat"
is "$(channels --no-cache)" "chat:1 email:1 phone:2 web:1 (all):5" "the same without the cache"
fresh "after sd-edit of a ticket" "5|4|1|0|0|60.0|100.0|30|90|135|135|100.0|0.0|0.0||0|4|0|0|0|0"
c3=$(head_id)
sd-report --format tsv --by channel >"$T/at-c3"

# sd-edit of sla.ini: incident response 1bh -> 2bh (120): SD-2's 90 is met
# now: 4/5 = 80.0.  Every shard is read again (the fingerprint changed).
SD_SED='s/^response = 1bh$/response = 2bh/' step 2026-11-23T10:17:00-05:00 carmen sd-edit sla.ini
is "$(ini_get "$SD_STORE/sla.ini" incident response)" "2bh" "sla.ini edited"
reads 5 "after sd-edit sla.ini: every shard read again"
fresh "after sd-edit of sla.ini: the met % changes" \
	"5|4|1|0|0|80.0|100.0|30|90|135|135|100.0|0.0|0.0||0|4|0|0|0|0"

# sd-edit of sd.ini: Mondays open at 09:00.  SD-1 (created 08:00,
# responded 08:30, solved 10:15): R = 0, S = 75 (09:00-10:15); SD-2: R =
# 30 (09:00-09:30); SD-3: the request's 120 run from 09:00, due 11:00: not
# yet, left out; SD-1000: R = 0; SD-1001: R = 20.  R 4/4 = 100.0, ended 0
# 0 20 30: median rank 2 = 0, p90 rank 4 = 30; S 75.
SD_SED='s/^mon = 07:30-17:00$/mon = 09:00-17:00/' step 2026-11-23T10:18:00-05:00 carmen sd-edit sd.ini
is "$(ini_get "$SD_STORE/sd.ini" calendar mon)" "09:00-17:00" "sd.ini edited"
reads 5 "after sd-edit sd.ini: every shard read again"
fresh "after sd-edit of sd.ini: the business minutes change" \
	"5|4|1|0|0|100.0|100.0|0|30|75|75|100.0|0.0|0.0||0|4|0|0|0|0"

# A git push into the store from a clone: SD-1001 responded at 10:20
# instead of 09:20 (R = 80, still met; p90 rank 4 = 80) and moved to
# walk-in.  The store's next command - this report - brings the files up
# to date and reads shard 001 alone.
git clone -q "$SD_STORE" "$T/clone" 2>/dev/null || echo "Bail out! git clone failed"
sed -i -e 's/^responded = 2026-11-23T09:20:00-05:00$/responded = 2026-11-23T10:20:00-05:00/' \
	-e 's/^channel = email$/channel = walk-in/' "$T/clone/tickets/001/SD-1001.ini"
git -C "$T/clone" -c user.name=Test -c user.email=test@example.org commit -qam "SD-1001 by hand" &&
	git -C "$T/clone" push -q origin HEAD 2>/dev/null || echo "Bail out! git push failed"
pushed=$(git -C "$T/clone" rev-parse HEAD)
is "$(head_id)" "$pushed" "the push moved the store's HEAD"
reads 2 "the report after a push reads the changed shard only"
clean "the files brought up to date"
fresh "after a push" "5|4|1|0|0|100.0|100.0|0|80|75|75|100.0|0.0|0.0||0|4|0|0|0|0"
is "$(channels)" "chat:1 phone:2 walk-in:1 web:1 (all):5" "SD-1001 on walk-in"

# The branch moved back, as git reset --soft does, three commits: to the
# commit after the sd-edit of SD-2 (sla.ini, sd.ini and SD-1001 as they
# were then).  The next command brings the files back.
sgit reset -q --soft HEAD~3 2>/dev/null || sgit update-ref HEAD "$(sgit rev-parse HEAD~3)"
is "$(head_id)" "$c3" "HEAD back at the older commit"
fresh "after a reset to an older commit" "5|4|1|0|0|60.0|100.0|30|90|135|135|100.0|0.0|0.0||0|4|0|0|0|0"
clean "the files brought back"
is "$(ini_get "$SD_STORE/sla.ini" incident response)" "1bh" "sla.ini as it was"
sd-report --format tsv --by channel >"$T/now"
ok $(cmp -s "$T/at-c3" "$T/now"; echo $?) "--by channel as it was at that commit"

# A deleted cache: the same figures, the cache made again.
rm -rf "$SD_STORE/.git/sd-cache"
fresh "after the cache was deleted" "5|4|1|0|0|60.0|100.0|30|90|135|135|100.0|0.0|0.0||0|4|0|0|0|0"
is "$(ls "$cache" | wc -l)" 2 "the cache files made again"
reads 0 "and used"

# A corrupted cache file is ignored and made again: cut short, cut to
# nothing, a byte flipped in its strings, in its records, in its count.
f0=$cache/$(ls "$cache" | grep '^000-')
cp "$f0" "$T/good"
size=$(wc -c <"$T/good")
# corrupt NAME CMD...: CMD damages $f0; the report is right, the file good
corrupt() {
	_what=$1
	shift
	"$@"
	ok $(! cmp -s "$f0" "$T/good"; echo $?) "$_what: the cache file is damaged"
	fresh "$_what: ignored" "5|4|1|0|0|60.0|100.0|30|90|135|135|100.0|0.0|0.0||0|4|0|0|0|0"
	is "$(wc -c <"$f0")" "$size" "$_what: made again"
	reads 0 "$_what: and used again"
}
flip() {  # flip OFFSET: invert the byte at OFFSET of $f0
	python3 -c 'import sys
p, o = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read())
b[o] ^= 0xff
open(p, "wb").write(bytes(b))' "$f0" "$1"
}
corrupt "truncated to 10 bytes" truncate -s 10 "$f0"
corrupt "truncated by one byte" truncate -s $((size - 1)) "$f0"
corrupt "emptied" truncate -s 0 "$f0"
corrupt "a byte of the magic" flip 0
corrupt "a byte of the record count" flip 22
corrupt "a byte of the strings" flip 40
corrupt "the last byte" flip $((size - 1))
corrupt "one byte more" sh -c 'printf x >>"$1"' sh "$f0"
clean "store clean after the corruptions"

# A change that is in no commit: a ticket file edited by hand (not by
# sd-edit), read by a report, then restored by sd-fsck --repair.  The files
# equal HEAD again; so must the report.
rm -rf "$SD_STORE/.git/sd-cache"
sed -i 's/^channel = web$/channel = phone/' "$SD_STORE/tickets/000/SD-3.ini"
run sd-report --format tsv
expect 0 "sd-fsck --repair restores the file" sd-fsck --repair
clean "the file as HEAD has it"
is "$(channels --no-cache)" "chat:1 email:1 phone:2 web:1 (all):5" "--no-cache: SD-3 on web"
# The cache filled while SD-3.ini differed from HEAD goes with sd-fsck --repair.
is "$(channels)" "chat:1 email:1 phone:2 web:1 (all):5" "after a repair, the cache agrees with the files"

# A cache file under HEAD's tree that holds another tree's records (what a
# report racing a change once left): sd-fsck says so (65), --repair
# removes it, and the report then agrees with --no-cache.
run sd-report --format tsv
expect 0 "sd-fsck: the cache HEAD's tickets give" sd-fsck
cache=$(ls "$SD_STORE/.git/sd-cache/report/" | grep '^000-')
cp "$SD_STORE/.git/sd-cache/report/$cache" "$T/old-cache"
sed -i 's/^channel = web$/channel = chat/' "$SD_STORE/tickets/000/SD-3.ini"
forge "SD-3 on chat" tickets/000/SD-3.ini
run sd-report --format tsv
cache=$(ls "$SD_STORE/.git/sd-cache/report/" | grep '^000-')
cp "$T/old-cache" "$SD_STORE/.git/sd-cache/report/$cache"
is "$(channels)" "chat:1 email:1 phone:2 web:1 (all):5" "the planted cache is read: SD-3 on web"
expect 65 "sd-fsck: a cache file that HEAD's tickets do not give" sd-fsck
like "$T/out" "^\.git/sd-cache/report/$cache: a report cache file that HEAD's tickets do not give\$" \
	"the file named"
expect 0 "sd-fsck --repair removes it" sd-fsck --repair
like "$T/out" "do not give \(repaired\)\$" "said repaired"
is "$(channels)" "chat:2 email:1 phone:2 (all):5" "the report agrees with the tickets"
is "$(channels --no-cache)" "chat:2 email:1 phone:2 (all):5" "as --no-cache"
expect 0 "sd-fsck: sound" sd-fsck
clean "store clean at the end"
done_testing
