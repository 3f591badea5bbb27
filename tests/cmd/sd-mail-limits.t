#!/bin/sh
# sd-mail's limits (sd.ini [mail]): a message larger than max_size is
# refused before it is parsed, one nested deeper than max_depth or with
# more MIME parts than max_parts is refused (65) without memory growing
# with it, and a ticket takes at most notes_per_hour notes by mail in an
# hour (75: the mail system tries again later).  Refusals change nothing,
# so they do not grow the repository.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
new_ticket                                      # SD-1
new_ticket                                      # SD-2
export SD_AGENT=mail SD_NOW=2026-11-23T11:00:00-05:00

# refused_in FILE STATUS DESCRIPTION CMD...: CMD < FILE exits STATUS with
# one line on stderr, nothing on stdout, and changes nothing
refused_in() {
	_b=$(head_id)
	_f=$1 _s=$2 _d=$3
	shift 3
	expect_in "$_f" "$_s" "$_d" "$@"
	one_line_error "$T/err" "$_d: one line on stderr"
	is "$(cat "$T/out")" "" "$_d: nothing on stdout"
	unchanged "$_b" "$_d"
}

# sized N FILE: a reply to SD-1 of exactly N bytes
sized() {
	python3 -c 'import sys
n = int(sys.argv[1])
head = "From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-1] VPN down\n\n"
sys.stdout.write(head + "x" * (n - len(head) - 1) + "\n")' "$1" >"$2"
	[ "$(wc -c <"$2")" = "$1" ] || bail "sized $1: $(wc -c <"$2") bytes"
}

# nested DEPTH FILE: a reply to SD-1 of DEPTH multiparts one inside
# another, the innermost holding a text part
nested() {
	python3 -c 'import sys
d = int(sys.argv[1])
out = "From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-1] VPN down\nMIME-Version: 1.0\n"
for i in range(d):
    out += "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n" % (i, i)
out += "Content-Type: text/plain\n\ninnermost\n"
for i in reversed(range(d)):
    out += "--b%d--\n" % i
sys.stdout.write(out)' "$1" >"$2"
}

# flat LEAVES FILE: a reply to SD-1, one multipart holding LEAVES text
# parts: LEAVES + 1 parts
flat() {
	python3 -c 'import sys
n = int(sys.argv[1])
out = "From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-1] VPN down\nMIME-Version: 1.0\n"
out += "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
for i in range(n):
    out += "--b\nContent-Type: text/plain\n\npart %d\n" % i
sys.stdout.write(out + "--b--\n")' "$1" >"$2"
}

# mail_config SED: apply SED to sd.ini through sd-edit (as carmen)
mail_config() { edit_config sd.ini "$1"; }

# dry FILE DESCRIPTION: sd-mail --dry-run < FILE takes it (exit 0, a note
# on SD-1)
dry() {
	expect_in "$1" 0 "$2" sd-mail --dry-run
	is "$(head -2 "$T/out" | tr '\n' ' ')" "action: note ticket: SD-1 " "$2: a note on SD-1"
}

# rss_kb FILE CMD...: CMD < FILE run under GNU time; its peak RSS in KiB
# in $rss ("" without GNU time), its status in $rc, stderr in $T/err
have_time=no
/usr/bin/time -f %M -o "$T/rss" true 2>/dev/null && have_time=yes
rss_kb() {
	_f=$1
	shift
	rss=
	if [ "$have_time" = yes ]; then
		/usr/bin/time -f %M -o "$T/rss" "$@" <"$_f" >"$T/out" 2>"$T/err"
		rc=$?
		rss=$(tail -1 "$T/rss")
	else
		"$@" <"$_f" >"$T/out" 2>"$T/err"
		rc=$?
	fi
}
# rss_below KIB DESCRIPTION: the last rss_kb's peak was under KIB
rss_below() {
	if [ "$have_time" = yes ]; then
		[ "$rss" -lt "$1" ] 2>/dev/null || echo "# peak RSS $rss KiB" >&2
		ok $([ "$rss" -lt "$1" ] 2>/dev/null; echo $?) "$2 (peak $rss KiB)"
	else
		ok 0 "$2 # SKIP no GNU time (/usr/bin/time)"
	fi
}

git_kb() { du -sk "$SD_STORE/.git" | cut -f1; }

# reply TICKET TEXT FILE: a reply to SD-TICKET in FILE
reply() {
	printf 'From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-%s] VPN down\n\n%s\n' "$1" "$2" >"$3"
}
reply 1 "one" "$T/r.eml"

# --- bad values: 78, naming sd.ini and the line --------------------------
# The example sd.ini's [mail] and its keywords: the key goes on the
# line after them.
kw=$(grep -n '^keywords = ' "$SD_STORE/sd.ini" | cut -d: -f1)
line=$((kw + 1))
is "$(sed -n "$((kw - 1)),${kw}p" "$SD_STORE/sd.ini" | tr '\n' '|')" "[mail]|keywords = support, soporte, ayuda, help|" \
	"the example sd.ini has [mail] and its keywords on two lines"
# Up to there: what follows [mail] (its [attachments]) left out.
head -"$kw" "$SD_STORE/sd.ini" >"$T/sd.ini"
for bad in "max_size = 0" "max_size = 1023" "max_size = 1k" "max_size = 10MB" \
	"max_size = 65M" "max_size = 67108865" "max_size = 1.5M" "max_size = -1" \
	"max_size = M" "max_size = 99999999999999999999999" "max_size =" \
	"max_depth = 0" "max_depth = 101" "max_depth = ten" \
	"max_parts = 0" "max_parts = 1001" "max_parts = 1e3" \
	"notes_per_hour = -1" "notes_per_hour = 100001" "notes_per_hour = 5/h" \
	"max_text = 512" "max_text = 2M" "max_text = 1025K"; do
	{ cat "$T/sd.ini"; echo "$bad"; } >"$SD_STORE/sd.ini"
	forge "sd.ini: $bad" sd.ini || bail "forge"
	refused_in "$T/r.eml" 78 "[mail] $bad: 78" sd-mail
	val=${bad#*=}
	val=${val# }
	like "$T/err" "^sd-mail: .*sd\.ini:$line: .*'$val'" "[mail] $bad: names sd.ini's line and the value"
done
for good in "max_size = 1K" "max_size = 64M" "max_size = 67108864" "max_size = 1024" \
	"max_depth = 1" "max_depth = 100" "max_parts = 1" "max_parts = 1000" \
	"notes_per_hour = 0" "notes_per_hour = 100000" "max_text = 1K" "max_text = 1M"; do
	{ cat "$T/sd.ini"; echo "$good"; } >"$SD_STORE/sd.ini"
	forge "sd.ini: $good" sd.ini || bail "forge"
	run sd-list
	is "$rc" 0 "[mail] $good: taken"
done
cp "$T/sd.ini" "$SD_STORE/sd.ini"
forge "sd.ini: mended" sd.ini || bail "forge"

# --- max_size --------------------------------------------------------------
mail_config '/^keywords = /a max_size = 2K'
is "$(ini_get "$SD_STORE/sd.ini" mail max_size)" "2K" "max_size = 2K in sd.ini"
sized 2048 "$T/at.eml"
sized 2049 "$T/over.eml"
dry "$T/at.eml" "2048 bytes, at max_size = 2K: taken"
b=$(head_id)
expect_in "$T/at.eml" 0 "2048 bytes: a note" sd-mail
is "$(cat "$T/out")" "SD-1" "2048 bytes: prints SD-1"
is "$(sgit rev-parse HEAD~1)" "$b" "2048 bytes: one commit"
refused_in "$T/over.eml" 65 "2049 bytes, past max_size = 2K: 65" sd-mail
is "$(cat "$T/err")" "sd-mail: the message is larger than 2048 bytes ([mail] max_size)" \
	"2049 bytes: says the limit"
refused_in "$T/over.eml" 65 "2049 bytes, --dry-run: 65 too" sd-mail --dry-run
# An mbox From line counts: it is part of what the mail system hands over.
{ echo "From pedro@example.org Mon Nov 23 10:00:00 2026"; cat "$T/at.eml"; } >"$T/mbox.eml"
refused_in "$T/mbox.eml" 65 "2048 bytes after a From line: 65" sd-mail
# The default, 10 MiB: back to it.
mail_config '/^max_size = /d'
sized 10485760 "$T/at.eml"
sized 10485761 "$T/over.eml"
dry "$T/at.eml" "10 MiB, at the default max_size: taken"
refused_in "$T/over.eml" 65 "10 MiB and a byte: 65" sd-mail
like "$T/err" "larger than 10485760 bytes" "10 MiB and a byte: says the limit"
# 60 MiB: refused, read to its end (no broken pipe for the mail system),
# not kept: the memory is that of 10 MiB.
python3 -c 'import sys
sys.stdout.write("From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-1] VPN down\n\n")
line = "x" * 1023 + "\n"
for i in range(60 * 1024):
    sys.stdout.write(line)' >"$T/huge.eml"
b=$(head_id)
rss_kb "$T/huge.eml" sd-mail
is "$rc" 65 "60 MiB: 65"
is "$(cat "$T/err")" "sd-mail: the message is larger than 10485760 bytes ([mail] max_size)" \
	"60 MiB: one line"
rss_below 100000 "60 MiB: read within 100 MB of memory"
unchanged "$b" "60 MiB"
# A writer of a message larger than max_size sees no broken pipe.
(cat "$T/huge.eml"; echo "writer: $?" >"$T/writer") | sd-mail >/dev/null 2>&1
is "$(cat "$T/writer")" "writer: 0" "60 MiB through a pipe: its writer finishes cleanly"
rm -f "$T/huge.eml" "$T/at.eml" "$T/over.eml"

# --- max_text --------------------------------------------------------------
# A note keeps at most max_text bytes of the message's text, the line
# saying it was cut included; the From: line comes on top.
mail_config '/^keywords = /a max_text = 2K'
sized 5000 "$T/long.eml"
expect_in "$T/long.eml" 0 "max_text = 2K: a 5000-byte reply taken" sd-mail
is "$(jget 1 'len(d["events"][-1]["text"].encode())')" "$((36 + 2 + 2048))" \
	"max_text = 2K: the note is the From: line, a blank line and 2048 bytes"
is "$(jget 1 'd["events"][-1]["text"].split("\n")[-1]')" \
	"[... the rest of the message is left out: sd keeps texts of up to 2 KiB]" \
	"max_text = 2K: its last line says it was cut"
mail_config '/^max_text = /d'
expect_in "$T/long.eml" 0 "the default max_text, 1 MiB: a 5000-byte reply taken" sd-mail
is "$(jget 1 'len(d["events"][-1]["text"].encode())')" "$((36 + 2 + 5000 - 68))" \
	"the default: the whole text kept"

# --- MIME depth and parts: the defaults, 10 and 100 -----------------------
nested 10 "$T/d10.eml"
nested 11 "$T/d11.eml"
dry "$T/d10.eml" "10 multiparts in one another: taken"
like "$T/out" "^innermost$" "10 deep: the innermost text read"
refused_in "$T/d11.eml" 65 "11 multiparts in one another: 65" sd-mail
is "$(cat "$T/err")" "sd-mail: the message nests MIME parts more than 10 deep ([mail] max_depth)" \
	"11 deep: says the limit"
flat 99 "$T/p100.eml"
flat 100 "$T/p101.eml"
dry "$T/p100.eml" "a multipart of 99 texts, 100 parts: taken"
like "$T/out" "^part 98$" "100 parts: the last text read"
refused_in "$T/p101.eml" 65 "a multipart of 100 texts, 101 parts: 65" sd-mail
is "$(cat "$T/err")" "sd-mail: the message has more than 100 MIME parts ([mail] max_parts)" \
	"101 parts: says the limit"
# Configured lower.
mail_config '/^keywords = /a max_depth = 2\nmax_parts = 5'
nested 2 "$T/d2.eml"
nested 3 "$T/d3.eml"
flat 4 "$T/p5.eml"
flat 5 "$T/p6.eml"
dry "$T/d2.eml" "max_depth = 2: 2 deep taken"
refused_in "$T/d3.eml" 65 "max_depth = 2: 3 deep refused" sd-mail
like "$T/err" "more than 2 deep" "max_depth = 2: says 2"
dry "$T/p5.eml" "max_parts = 5: 5 parts taken"
refused_in "$T/p6.eml" 65 "max_parts = 5: 6 parts refused" sd-mail
like "$T/err" "more than 5 MIME parts" "max_parts = 5: says 5"
# The most max_parts allows, 1000, each part with its Content-Type,
# passes the count that comes before the parser.
mail_config 's/^max_parts = 5$/max_parts = 1000/'
flat 999 "$T/p1000.eml"
flat 1000 "$T/p1001.eml"
dry "$T/p1000.eml" "max_parts = 1000: 1000 parts taken"
like "$T/out" "^part 998$" "max_parts = 1000: the last text read"
refused_in "$T/p1001.eml" 65 "max_parts = 1000: 1001 parts refused" sd-mail
like "$T/err" "more than 1000 MIME parts" "max_parts = 1000: says 1000"
mail_config '/^max_depth = /d; /^max_parts = /d'
# 200 000 empty parts (800 KB, well under max_size): refused before the
# MIME parser makes them, quickly and in little memory.
python3 -c 'import sys
sys.stdout.write("From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-1] VPN down\n"
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n")
sys.stdout.write("--b\n" * 200000 + "--b--\n")' >"$T/many.eml"
b=$(head_id)
rss_kb "$T/many.eml" sd-mail
is "$rc" 65 "200 000 parts: 65"
is "$(cat "$T/err")" "sd-mail: the message has more than 10000 lines that could begin a MIME part" \
	"200 000 parts: one line"
rss_below 200000 "200 000 parts: within 200 MB of memory"
unchanged "$b" "200 000 parts"
# 9 000 of them reach the parser, and are refused by max_parts.
python3 -c 'import sys
sys.stdout.write("From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-1] VPN down\n"
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n")
sys.stdout.write("--b\n\nx\n" * 9000 + "--b--\n")' >"$T/many.eml"
rss_kb "$T/many.eml" sd-mail
is "$rc" 65 "9 000 parts: 65"
like "$T/err" "more than 100 MIME parts" "9 000 parts: past max_parts"
rss_below 200000 "9 000 parts: within 200 MB of memory"
# 9 000 attached messages in a digest (three objects each) likewise.
python3 -c 'import sys
sys.stdout.write("From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-1] VPN down\n"
    "MIME-Version: 1.0\nContent-Type: multipart/digest; boundary=b\n\n")
sys.stdout.write("--b\n\nFrom: x@example.org\n\nx\n" * 9000 + "--b--\n")' >"$T/digest.eml"
rss_kb "$T/digest.eml" sd-mail
is "$rc" 65 "a digest of 9 000 messages: 65"
like "$T/err" "more than 100 MIME parts" "a digest of 9 000 messages: past max_parts"
rss_below 200000 "a digest of 9 000 messages: within 200 MB of memory"
# Attached messages nested 11 deep: refused.
python3 -c 'import sys
out = "From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-1] VPN down\n"
for i in range(11):
    out += "Content-Type: message/rfc822\n\nFrom: x%d@example.org\n" % i
sys.stdout.write(out + "\nhi\n")' >"$T/msgs.eml"
refused_in "$T/msgs.eml" 65 "attached messages 11 deep: 65" sd-mail
like "$T/err" "more than 10 deep" "attached messages 11 deep: past max_depth"

# --- notes_per_hour ------------------------------------------------------
mail_config '/^keywords = /a notes_per_hour = 3'
n0=$(nevents 1)
for t in 14:00:00 14:10:00 14:20:00; do
	SD_NOW=2026-11-23T$t-05:00 expect_in "$T/r.eml" 0 "notes_per_hour = 3: a note at $t" sd-mail
done
is "$(nevents 1)" "$((n0 + 3))" "three notes on SD-1"
SD_NOW=2026-11-23T14:30:00-05:00 refused_in "$T/r.eml" 75 "a fourth within the hour: 75" sd-mail
is "$(cat "$T/err")" \
	"sd-mail: SD-1: 3 notes by mail in the last hour, the limit of [mail] notes_per_hour: try again later" \
	"the fourth: says why, and that it is for later"
SD_NOW=2026-11-23T14:59:59-05:00 refused_in "$T/r.eml" 75 "at 14:59:59, the 14:00 note still counts: 75" sd-mail
# Another ticket has its own count; agents' notes do not count.
reply 2 "two" "$T/r2.eml"
SD_NOW=2026-11-23T14:30:00-05:00 expect_in "$T/r2.eml" 0 "SD-2 at 14:30: taken" sd-mail
SD_NOW=2026-11-23T14:31:00-05:00 expect 0 "sd-note by an agent is not limited" env SD_AGENT=ana sd-note -m "Called him" 1
# An hour after the first: it no longer counts.
SD_NOW=2026-11-23T15:00:00-05:00 expect_in "$T/r.eml" 0 "at 15:00 the 14:00 note is an hour old: taken" sd-mail
SD_NOW=2026-11-23T15:05:00-05:00 refused_in "$T/r.eml" 75 "at 15:05: 14:10, 14:20, 15:00 count: 75" sd-mail
# A mail to a final ticket makes a related ticket: no note, not limited.
# 0: no limit.
mail_config 's/^notes_per_hour = 3$/notes_per_hour = 0/'
SD_NOW=2026-11-23T15:05:00-05:00 expect_in "$T/r.eml" 0 "notes_per_hour = 0: no limit" sd-mail
# The default, 20: the 21st note in an hour is refused.
mail_config '/^notes_per_hour = /d'
reply 2 "again" "$T/r2.eml"
i=0
while [ $i -lt 19 ]; do        # SD-2 has one from 14:30
	SD_NOW=2026-11-23T15:10:$(printf %02d $i)-05:00 sd-mail <"$T/r2.eml" >/dev/null 2>&1 || break
	i=$((i + 1))
done
is "$i" 19 "the default: 19 more notes on SD-2, 20 in the hour"
SD_NOW=2026-11-23T15:20:00-05:00 refused_in "$T/r2.eml" 75 "the default: the 21st refused" sd-mail
like "$T/err" "20 notes by mail in the last hour" "the default is 20"

# --- headers of megabytes: read once, not once per id or tag --------------
# (a scan per '<' or '(' of the rest of a header made one such mail cost
# minutes; `timeout` only keeps a broken build from hanging the suite)
python3 -c 'import sys
tok = "0123456789abcdef01234567"
sys.stdout.write("From: Pedro Ruiz <pedro@example.org>\n")
sys.stdout.write("Subject: Re: [SD-1] VPN down" + " (ref [SD-9" * 200000 + "\n")
sys.stdout.write("In-Reply-To:" + " <@>" * 1300000 + "\n")
sys.stdout.write("References:" + " <SD-1.approval." * 150000 + "<x@y>\n")
sys.stdout.write("\nStill down.\n")' >"$T/long.eml"
ok $([ "$(wc -c <"$T/long.eml")" -gt 9000000 ]; echo $?) "the message is over 9 MB"
b=$(head_id)
SD_NOW=2026-11-23T18:00:00-05:00 expect_in "$T/long.eml" 0 "headers of megabytes: taken" \
	timeout 20 sd-mail
is "$(cat "$T/out")" "SD-1" "headers of megabytes: a note on SD-1"
is "$(sgit rev-parse HEAD~1)" "$b" "headers of megabytes: one commit"
clean "headers of megabytes: store clean"
rm -f "$T/long.eml"

# --- the repository does not grow with refused mail -----------------------
kb=$(git_kb)
objects=$(find "$SD_STORE/.git/objects" -type f | wc -l)
sized 10485761 "$T/over.eml"
python3 -c 'import sys
sys.stdout.write("From: Pedro Ruiz <pedro@example.org>\nSubject: Re: [SD-2] VPN down\n\n")
sys.stdout.write(("y" * 1023 + "\n") * 1000)' >"$T/big-note.eml"
i=0
while [ $i -lt 40 ]; do
	SD_NOW=2026-11-23T15:20:00-05:00 sd-mail <"$T/big-note.eml" >/dev/null 2>&1
	echo $? >>"$T/rcs"
	sd-mail <"$T/over.eml" >/dev/null 2>&1
	echo $? >>"$T/rcs"
	sd-mail <"$T/d11.eml" >/dev/null 2>&1
	echo $? >>"$T/rcs"
	i=$((i + 1))
done
is "$(sort "$T/rcs" | uniq -c | sed 's/^ *//' | tr '\n' ' ')" "80 65 40 75 " \
	"120 refused mails: 40 past the hourly limit (75), 80 too large or too many parts (65)"
is "$(find "$SD_STORE/.git/objects" -type f | wc -l)" "$objects" "no object written"
after=$(git_kb)
ok $([ "$after" -le $((kb + 64)) ]; echo $?) "the repository grew by $((after - kb)) KiB (at most 64)"
clean "the store is clean"
rm -f "$T/over.eml" "$T/big-note.eml"
done_testing
