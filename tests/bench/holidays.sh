#!/bin/sh
# tests/bench/holidays.sh - what a long list of holidays costs a command.
#
# make bench runs it after run.sh (make bench-holidays alone) as
#   SD_BIN=build/bin SD_SHAREDIR=share sh tests/bench/holidays.sh
#
# Two stores made by sd-init --example in a temporary directory: one as it
# comes (18 holidays), one whose sd.ini lists $SD_BENCH_HOLIDAYS (10000)
# holidays, out of order and each twice, put in by sd-edit.  Each holds one
# ticket.  Then $SD_BENCH_RUNS (15) runs of each of, taken in turns so that
# a change of load falls on all of them alike:
#   cat sd.ini              the baseline: reading the big sd.ini, no parse
#   sd-show SD-1            in the example store
#   sd-show SD-1            in the store with the holidays
# timed by build/bench/timeit.  A table of median, min and max milliseconds;
# then the target line: the holidays' store at most 20 ms over the example
# store's median (a parse in linear time; a sort per holiday took 900 ms).
# The output goes to stdout and is appended to build/bench/results.txt.

set -u
LC_ALL=C
export LC_ALL

top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$top" || exit 1
SD_BIN=${SD_BIN:-$top/build/bin}
SD_SHAREDIR=${SD_SHAREDIR:-$top/share}
export SD_SHAREDIR
runs=${SD_BENCH_RUNS:-15}
nhol=${SD_BENCH_HOLIDAYS:-10000}
out=$top/build/bench
results=$out/results.txt

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*"; printf '%s\n' "$*" >>"$results"; }

case $runs in ''|*[!0-9]*|0) die "SD_BENCH_RUNS: '$runs' is not a positive number" ;; esac
case $nhol in ''|*[!0-9]*|0) die "SD_BENCH_HOLIDAYS: '$nhol' is not a positive number" ;; esac
for p in sd-init sd-new sd-edit sd-show; do
	[ -x "$SD_BIN/$p" ] || die "$SD_BIN/$p is missing: run make first"
done
mkdir -p "$out" || exit 1
${CC:-cc} -O2 -std=c11 -Wall -Wextra -o "$out/timeit" tests/bench/timeit.c ||
	die "cannot build timeit"
timeit=$out/timeit

work=$(mktemp -d "${TMPDIR:-/tmp}/sd-bench-hol.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export SD_AGENT=carmen SD_NOW=2026-11-23T10:00:00-05:00
for s in small big; do
	"$SD_BIN/sd-init" --example "$work/$s" >/dev/null 2>&1 || die "sd-init failed"
done
# The holidays: nhol/2 days from 2027-01-01, each twice, scattered (a
# step prime to the count), on indented lines of ten.
awk -v n="$nhol" 'BEGIN {
	half = int((n + 1) / 2); step = 7919
	while (half % step == 0 || step % 2 == 0 && half % 2 == 0 || step % 5 == 0 && half % 5 == 0) step += 2
	split("31 28 31 30 31 30 31 31 30 31 30 31", dm, " ")
	for (i = 0; i < half; i++) {
		# day i after 2027-01-01
		y = 2027; d = i
		for (;;) {
			yl = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365
			if (d < yl) break
			d -= yl; y++
		}
		for (m = 1; m <= 12; m++) {
			ml = dm[m] + (m == 2 && yl == 366)
			if (d < ml) break
			d -= ml
		}
		date[i] = sprintf("%04d-%02d-%02d", y, m, d + 1)
	}
	for (i = 0; i < n; i++) {
		s = (i ? (i % 10 ? ", " : ",\n    ") : "") date[(i * step) % half]
		printf "%s", s
	}
	printf "\n"
}' >"$work/dates" || die "awk failed"
awk -v f="$work/dates" '
	/^holidays *=/ { printf "holidays = "; while ((getline l < f) > 0) print l; skip = 1; next }
	skip && /^[ \t]/ { next }
	{ skip = 0; print }
' "$work/big/sd.ini" >"$work/sd.ini.big" || die "awk failed"
SD_STORE=$work/big EDITOR="cp $work/sd.ini.big" "$SD_BIN/sd-edit" sd.ini >/dev/null ||
	die "sd-edit of the holidays failed"
for s in small big; do
	SD_STORE=$work/$s "$SD_BIN/sd-new" -t incident -s 'Printer jam' -c hardware \
		-r 'Luis Rojas' --email luis@example.org -i high -u high \
		-m 'Tray 2 jams.' >/dev/null || die "sd-new failed in $s"
done

: >"$work/t.cat"; : >"$work/t.small"; : >"$work/t.big"
i=0
while [ "$i" -lt "$runs" ]; do
	"$timeit" cat "$work/big/sd.ini" >>"$work/t.cat" || die "cat failed"
	SD_STORE=$work/small "$timeit" "$SD_BIN/sd-show" SD-1 >>"$work/t.small" || die "sd-show failed"
	SD_STORE=$work/big "$timeit" "$SD_BIN/sd-show" SD-1 >>"$work/t.big" || die "sd-show failed"
	i=$((i + 1))
done

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
row() {
	say "$(sort -n "$2" | awk -v name="$1" '{ v[NR] = $1 }
		END {
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%-40s %5d %9.2f %9.2f %9.2f", name, NR, med, v[1], v[NR]
		}')"
}
say ""
say "holidays: $nhol in sd.ini ($(wc -c <"$work/big/sd.ini") bytes), $runs runs each, ms"
say "$(printf '%-40s %5s %9s %9s %9s' operation runs median min max)"
row "cat sd.ini (baseline)" "$work/t.cat"
row "sd-show, 18 holidays" "$work/t.small"
row "sd-show, $nhol holidays" "$work/t.big"
say "$(awk -v a="$(median "$work/t.small")" -v b="$(median "$work/t.big")" 'BEGIN {
	printf "target: sd-show with the holidays <= 20 ms over without: +%.2f ms: %s\n",
		b - a, b - a <= 20 ? "met" : "NOT met"
}')"
