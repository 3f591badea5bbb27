#!/bin/sh
# The text limit: -F FILE and standard input read at most 1 MiB (SPEC §8);
# a longer text is 65 and changes nothing, however much more is sent.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "Printer" -r Pedro -c hardware/printer --email p@example.org >/dev/null

# 1048576 bytes exactly, and one more; the same with a multi-byte character
# ending exactly at the limit.
head -c 1048576 /dev/zero | tr '\0' a >"$T/max"
head -c 1048577 /dev/zero | tr '\0' a >"$T/over"
{ head -c 1048574 /dev/zero | tr '\0' b; printf '\303\251'; } >"$T/max-utf8"
is "$(wc -c <"$T/max"):$(wc -c <"$T/over"):$(wc -c <"$T/max-utf8")" \
	"1048576:1048577:1048576" "the inputs are the sizes meant"

# last_len: the byte length of the last event's text of SD-1
last_len() {
	sd-show --format json 1 >"$T/json" &&
	python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["events"][-1]["text"].encode()))' "$T/json"
}

expect 0 "-F FILE of 1 MiB exactly" sd-note -F "$T/max" 1
is "$(last_len)" 1048576 "kept whole"
expect_in "$T/max" 0 "-F - of 1 MiB exactly" sd-note -F - 1
is "$(last_len)" 1048576 "kept whole, from stdin"
expect_in "$T/max-utf8" 0 "--file=- of 1 MiB ending in a 2-byte character" sd-note --file=- 1
is "$(last_len)" 1048576 "kept whole"
clean "store clean after the accepted texts"

before=$(head_id)
expect 65 "-F FILE of 1 MiB + 1" sd-note -F "$T/over" 1
one_line_error "$T/err" "one line"
like "$T/err" "over: longer than 1048576 bytes" "names the file and the limit"
expect_in "$T/over" 65 "-F - of 1 MiB + 1" sd-note -F - 1
like "$T/err" "^sd-note: standard input: longer than 1048576 bytes$" "names standard input"
expect_in "$T/over" 65 "sd-new -F - of 1 MiB + 1" \
	sd-new -t incident -s "Big" -r Pedro -c hardware/printer --email p@example.org -F -
expect 65 "sd-new -F FILE of 1 MiB + 1" \
	sd-new -t incident -s "Big" -r Pedro -c hardware/printer --email p@example.org -F "$T/over"
expect_in "$T/over" 65 "sd-update -F - of 1 MiB + 1" sd-update -F - 1
expect 65 "sd-solve -F FILE of 1 MiB + 1" sd-solve --code workaround -F "$T/over" 1

# An endless stream is cut at the limit, not read to the end: this
# returns, and quickly.
start=$(date +%s)
yes 'endless text' | sd-note -F - 1 >"$T/out" 2>"$T/err"
rc=$?
is "$rc" 65 "an endless standard input: 65"
ok $([ $(($(date +%s) - start)) -lt 20 ]; echo $?) "and it stops at the limit"
like "$T/err" "standard input: longer than" "says so"
mkfifo "$T/fifo"
(yes 'endless text' >"$T/fifo" 2>/dev/null &)
run sd-note -F "$T/fifo" 1
is "$rc" 65 "an endless FIFO as -F FILE: 65"
# /dev/zero: a character device, read only as far as the limit, in little
# memory (an unbounded read fails here with "out of memory", 74).
# (Under ASan or valgrind, which need more, without the bound.)
if (ulimit -v 400000; sd-note --version) >/dev/null 2>&1; then
	limit=400000 what="in 400 MB of address space"
else
	limit=unlimited what="(no address space limit here)"
fi
(ulimit -v $limit; sd-note -F /dev/zero 1 >"$T/out" 2>"$T/err")
rc=$?
is "$rc" 65 "-F /dev/zero, $what: 65"
unchanged "$before" "after every refusal"

# An empty text stays a usage error.
expect 64 "-m '' is 64" sd-note -m '' 1
expect_in /dev/null 64 "-F - with nothing on standard input is 64" sd-note -F - 1
done_testing
