#!/bin/sh
# SD_LOCK_TIMEOUT: digits with an optional fraction, 0 to 86400 seconds;
# anything else is exit 78 (a broken setting), one line, and nothing changed, for readers
# and writers alike.
. "${SD_TOP:-.}/tests/lib.sh"

mkstore
step 2026-11-23T09:00:00-05:00 ana sd-new -t incident -s "One" -r Pedro -c network/vpn \
	--email pedro@example.org
before=$(head_id)

# Refused values, with the reason each one tries.
n=0
while IFS='|' read -r value why; do
	n=$((n + 1))
	SD_LOCK_TIMEOUT=$value expect 78 "'$value' ($why): sd-note exits 78" sd-note -m "x" 1
	one_line_error "$T/err" "'$value': one line"
	like "$T/err" "^sd-note: SD_LOCK_TIMEOUT: '" "'$value': names SD_LOCK_TIMEOUT"
	unchanged "$before" "'$value'"
	SD_LOCK_TIMEOUT=$value expect 78 "'$value': sd-show exits 78 too" sd-show 1
done <<'TABLE'
nan|not a number
NaN|not a number, capitals
inf|infinite
infinity|infinite, spelt out
-1|negative
-0|a sign
+5|a sign
1e999|exponent, infinite as a double
1e3|exponent
0x10|hexadecimal
abc|letters
|empty
 5|a leading space
5 |a trailing space
5s|a unit
1.|a point without a fraction
.5|a fraction without digits before it
1,5|a comma
86401|more than a day
99999999999999999999|far more than a day
1.2.3|two points
TABLE
is "$n" 21 "21 refused values tried"

# Accepted values: the command runs, the wait is the one given.
for value in 0 0.5 2 10 86400 0086400 1.25; do
	SD_LOCK_TIMEOUT=$value expect 0 "'$value' is accepted" sd-show --field id 1
done
SD_LOCK_TIMEOUT=0 expect 0 "SD_LOCK_TIMEOUT=0 changes at once" sd-note -m "zero" 1
expect 0 "unset: the default" env -u SD_LOCK_TIMEOUT sd-show --field id 1

# A held lock: the value given is the wait, no more.
flock "$SD_STORE/.git/sd.lock" sleep 3 &
holder=$!
sleep 0.3
t0=$(date +%s%N)
SD_LOCK_TIMEOUT=0.5 expect 75 "a held lock, 0.5 s: 75" sd-note -m "busy" 1
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
ok $([ "$ms" -ge 450 ] && [ "$ms" -lt 2500 ]; echo $?) "waited about 0.5 s ($ms ms)"
like "$T/err" "0.5 s" "the message gives the wait"
wait $holder

done_testing
