#!/bin/sh
# tests/bench/run.sh - how long sd's commands take as a store grows.
#
# make bench runs it as
#   SD_BIN=build/bin SD_SHAREDIR=share sh tests/bench/run.sh
#
# For each size N in $SD_BENCH_SIZES (10000 100000 1000000): a store made
# by sd-init --example in a temporary directory ($TMPDIR, else /tmp), N
# tickets written into it by tests/bench/gen.c, then $SD_BENCH_RUNS (15)
# timed runs of each of
#   sd-new          a new ticket each run
#   sd-update       a different open ticket each run, --urgency high
#   sd-show         a random ticket each run
#   sd-list --open  ($SD_BENCH_LIST_RUNS, 5, runs from 1 000 000 tickets)
# and of two baselines:
#   git add && git commit   one new ticket-sized file in a non-bare clone
#                           of the store (git's index holding N files)
#   C read                  tests/bench/read.c: open, read, close every
#                           ticket file
# Each run is timed by build/bench/timeit (tests/bench/timeit.c: fork,
# exec, wait, on the monotonic clock); gen, read and timeit are built into
# build/bench/ first, against build/libsd.a.  Per size: a table of median,
# min and max milliseconds, and the median's ratio to the git baseline's
# and to the C read's.  Last, sd-new's median at the smallest size against
# the largest (target: <= 15 ms, within 30%).  The output goes to stdout and to build/bench/results.txt; progress
# to stderr.  The temporary stores (10 GB at 1 000 000) go at the end.
#
# $SD_BENCH_FSCK_MAX (100000): git fsck the generated store up to that size.
# $SD_BENCH_KEEP set: keep the temporary stores (to profile them after).

set -u
LC_ALL=C
export LC_ALL

top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$top" || exit 1
SD_BIN=${SD_BIN:-$top/build/bin}
SD_SHAREDIR=${SD_SHAREDIR:-$top/share}
export SD_SHAREDIR
sizes=${SD_BENCH_SIZES:-10000 100000 1000000}
runs=${SD_BENCH_RUNS:-15}
list_runs_big=${SD_BENCH_LIST_RUNS:-5}
fsck_max=${SD_BENCH_FSCK_MAX:-100000}
out=$top/build/bench
results=$out/results.txt

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench: %s\n' "$*" >&2; }
# A line of the results: on stdout and in results.txt.
say() { printf '%s\n' "$*"; printf '%s\n' "$*" >>"$results"; }

case $runs in ''|*[!0-9]*|0) die "SD_BENCH_RUNS: '$runs' is not a positive number" ;; esac
for n in $sizes; do
	case $n in ''|*[!0-9]*|0) die "SD_BENCH_SIZES: '$n' is not a positive number" ;; esac
done
[ -f build/libsd.a ] || die "build/libsd.a is missing: run make first"
for p in sd-init sd-new; do
	[ -x "$SD_BIN/$p" ] || die "$SD_BIN/$p is missing: run make first"
done
missing=
for p in sd-update sd-show sd-list; do
	[ -x "$SD_BIN/$p" ] || missing="$missing $p"
done

# The helpers: the generator, the C read, the timer.
mkdir -p "$out" || exit 1
cc=${CC:-cc}
libs=$(pkg-config --libs libgit2 inih) || die "pkg-config: libgit2 or inih missing"
cflags=$(pkg-config --cflags libgit2 inih)
$cc -O2 -g -std=c11 -Wall -Wextra -Iinclude $cflags -o "$out/gen" tests/bench/gen.c \
	build/libsd.a $libs -lm || die "cannot build gen"
$cc -O2 -std=c11 -Wall -Wextra -o "$out/read" tests/bench/read.c || die "cannot build read"
$cc -O2 -std=c11 -Wall -Wextra -o "$out/timeit" tests/bench/timeit.c || die "cannot build timeit"
timeit=$out/timeit

work=$(mktemp -d "${TMPDIR:-/tmp}/sd-bench.XXXXXX") || die "mktemp failed"
cleanup() {
	if [ -n "${SD_BENCH_KEEP:-}" ]; then
		note "kept the stores in $work (SD_BENCH_KEEP): remove it when done"
	else
		note "removing $work"
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

: >"$results" || exit 1
say "sd benchmark, $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
say "host: $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cpus, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
say "$(git --version), libgit2 $(pkg-config --modversion libgit2)"
say "sizes: $sizes; runs: $runs (sd-list --open: $list_runs_big from 1000000 tickets)"
say "times in ms, wall clock, warm page cache; /git and /read: median over the median of"
say "'git add && git commit' and of the C read at the same size"
[ -n "$missing" ] && say "NOT BUILT, so not timed:$missing"

# timed FILE CMD...: one timed run, its ms appended to FILE.  A failed
# run is counted in FILE.fail.
timed() {
	_f=$1
	shift
	if ! "$timeit" "$@" >>"$_f"; then
		echo x >>"$_f.fail"
		note "failed: $*"
	fi
}

# row NAME FILE: the table row of the times in FILE.
row() {
	_fails=0
	[ -f "$2.fail" ] && _fails=$(wc -l <"$2.fail")
	if [ ! -s "$2" ]; then
		say "$(printf '%-40s %5s   (no successful run%s)' "$1" 0 \
			"$([ "$_fails" -gt 0 ] && echo ", $_fails failed")")"
		return
	fi
	say "$(sort -n "$2" | awk -v name="$1" -v git="$gitmed" -v rd="$readmed" -v fails="$_fails" '
		{ v[NR] = $1 }
		END {
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%-40s %5d %9.2f %9.2f %9.2f", name, NR, med, v[1], v[NR]
			printf " %8s", (git > 0 ? sprintf("%.3f", med / git) : "-")
			printf " %8s", (rd > 0 ? sprintf("%.3f", med / rd) : "-")
			if (fails > 0) printf "  (%d failed)", fails
		}')"
}

median() {
	[ -s "$1" ] || { echo 0; return; }
	sort -n "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

first_size=
last_size=
for n in $sizes; do
	say ""
	store=$work/store-$n
	clone=$work/clone-$n
	t=$work/t-$n
	mkdir -p "$t"

	note "$n tickets: making the store"
	"$SD_BIN/sd-init" "$store" --example >/dev/null || die "sd-init failed"
	SD_AGENT=ana "$out/gen" "$store" "$n" "$t/open" 2>"$t/gen.log"
	rc=$?
	cat "$t/gen.log" >&2
	[ $rc -eq 0 ] || die "gen failed"
	if [ "$n" -le "$fsck_max" ]; then
		note "$n tickets: git fsck"
		git --git-dir "$store/.git" fsck --no-progress >"$t/fsck" 2>&1 ||
			{ cat "$t/fsck" >&2; die "git fsck of the generated store failed"; }
		fsck="git fsck clean"
	else
		fsck="git fsck not run (SD_BENCH_FSCK_MAX=$fsck_max)"
	fi
	note "$n tickets: cloning for the git baseline"
	git clone -q "$store/.git" "$clone" || die "git clone failed"
	git -C "$clone" config gc.auto 0
	git -C "$clone" config user.name "Bench"
	git -C "$clone" config user.email "bench@example.org"

	say "== $n tickets =="
	sed -n 's/^gen: /generated: /p' "$t/gen.log" | while IFS= read -r l; do say "$l"; done
	say "store: .git $(du -sh "$store/.git" | cut -f1), tickets/ $(du -sh "$store/tickets" | cut -f1); $fsck"

	export SD_STORE="$store" SD_AGENT=ana
	# One run for every size but the biggest few of sd-list and the C read.
	lruns=$runs
	[ "$n" -ge 1000000 ] && [ "$list_runs_big" -lt "$runs" ] && lruns=$list_runs_big

	note "$n tickets: sd-new x $runs"
	i=1
	while [ "$i" -le "$runs" ]; do
		timed "$t/new" "$SD_BIN/sd-new" -t incident -s "Benchmark ticket $i" -r "Pedro Pérez" \
			-c network --email pedro@example.org -m "Run $i of the benchmark.
A second line."
		i=$((i + 1))
	done

	if [ -x "$SD_BIN/sd-update" ]; then
		note "$n tickets: sd-update x $runs"
		# Open tickets of urgency not high, spread over the store; past
		# the end of the list, again, alternating low and high.
		awk -v runs="$runs" '{ id[NR] = $1 }
			END {
				if (!NR) exit 1
				step = NR >= runs ? int(NR / runs) : 1
				for (i = 0; i < runs; i++) {
					k = i * step
					print id[k % NR + 1], int(k / NR) % 2 ? "low" : "high"
				}
			}' "$t/open" >"$t/update-ids" || die "no open ticket to update"
		while read -r id urg; do
			timed "$t/update" "$SD_BIN/sd-update" "$id" --urgency "$urg"
		done <"$t/update-ids"
	fi

	if [ -x "$SD_BIN/sd-show" ]; then
		note "$n tickets: sd-show x $runs"
		awk -v runs="$runs" -v n="$n" 'BEGIN { srand(n); for (i = 0; i < runs; i++) print int(rand() * n) + 1 }' |
		while read -r id; do
			timed "$t/show" "$SD_BIN/sd-show" "SD-$id"
		done
	fi

	if [ -x "$SD_BIN/sd-list" ]; then
		note "$n tickets: sd-list --open x $lruns"
		i=1
		while [ "$i" -le "$lruns" ]; do
			timed "$t/list" "$SD_BIN/sd-list" --open
			i=$((i + 1))
		done
		open_rows=$("$SD_BIN/sd-list" --open --format tsv | wc -l)
		open_rows=$((open_rows - 1))
	fi

	note "$n tickets: git add && git commit x $runs"
	# A ticket-sized file under a new number each run.
	i=1
	while [ "$i" -le "$runs" ]; do
		num=$((n + 1000 + i))
		rel=tickets/$(printf '%03d' $((num / 1000)))/SD-$num.ini
		mkdir -p "$clone/${rel%/*}"
		sed "s/^id = SD-1\$/id = SD-$num/" "$store/tickets/000/SD-1.ini" >"$clone/$rel"
		timed "$t/git" git -C "$clone" add "$rel" '&&' git -C "$clone" commit -q -m x
		i=$((i + 1))
	done

	note "$n tickets: C read x $runs"
	i=1
	while [ "$i" -le "$runs" ]; do
		timed "$t/read" "$out/read" "$store"
		i=$((i + 1))
	done
	readwhat=$("$out/read" "$store")

	# The files still equal HEAD's tree after all that?
	if [ "$(cat "$store/.git/sd-head")" = "$(git --git-dir "$store/.git" rev-parse HEAD)" ]; then
		sync="files in step with HEAD"
	else
		sync="WARNING: .git/sd-head is not HEAD"
	fi

	gitmed=$(median "$t/git")
	readmed=$(median "$t/read")
	say "$(printf '%-40s %5s %9s %9s %9s %8s %8s' operation runs median min max /git /read)"
	row "sd-new" "$t/new"
	[ -x "$SD_BIN/sd-update" ] && row "sd-update ID --urgency" "$t/update"
	[ -x "$SD_BIN/sd-show" ] && row "sd-show ID" "$t/show"
	[ -x "$SD_BIN/sd-list" ] && row "sd-list --open ($open_rows rows)" "$t/list"
	row "git add && git commit (clone)" "$t/git"
	row "C read ($readwhat)" "$t/read"
	say "after the runs: $sync"

	eval "newmed_$n=\$(median \"\$t/new\")"
	eval "newmin_$n=\$(sort -n \"\$t/new\" | head -n 1)"
	[ -z "$first_size" ] && first_size=$n
	last_size=$n
done

say ""
eval "a=\$newmed_$first_size a1=\$newmin_$first_size"
eval "b=\$newmed_$last_size b1=\$newmin_$last_size"
say "$(awk -v n1="$first_size" -v n2="$last_size" -v a="$a" -v b="$b" 'BEGIN {
	printf "sd-new median: %.2f ms at %d tickets, %.2f ms at %d", a, n1, b, n2
	if (a > 0 && n1 != n2) {
		r = b / a
		printf "; ratio %.3f", r
		printf " (target: <= 15 ms and within 30%%: %s)", (a <= 15 && b <= 15 && r <= 1.3 && r >= 1 / 1.3) ? "met" : "NOT met"
	}
}')"
say "$(awk -v n1="$first_size" -v n2="$last_size" -v a="${a1:-0}" -v b="${b1:-0}" 'BEGIN {
	printf "sd-new min:    %.2f ms at %d tickets, %.2f ms at %d", a, n1, b, n2
	if (a > 0 && n1 != n2)
		printf "; ratio %.3f", b / a
}')"
note "results in $results"
