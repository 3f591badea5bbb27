#!/bin/sh
# tests/bench/sync.sh - how long sd-sync takes between a hub and a site.
#
# make bench runs it after run.sh as
#   SD_BIN=build/bin SD_SHAREDIR=share sh tests/bench/sync.sh
#
# Issue 16's targets (SYNC-DESIGN: the hub a bare repository with
# share/hooks/pre-receive, sites made by sd-sync --enroll), for each size N
# of $SD_BENCH_SYNC_SIZES (10000; issue 16 sets its targets at 1000000):
#   a store G made by sd-init --example and tests/bench/gen.c, [sync]
#   added to its sd.ini by sd-edit; the hub a bare clone of G with the
#   hook; the hub's own commits are made in H, a clone of the hub made a
#   store by sd-fsck --repair, and pushed by git push (through the hook);
#   the transfer is git's over a path (so "transfer excluded" is close to
#   true: no network).
# Timed, $SD_BENCH_SYNC_RUNS (3) runs each:
#   sd-sync --enroll HUB DIR --site NAME   a new site each run; before it
#                               git clone --bare of the hub (the transfer),
#                               after it the C read of DIR (target: enroll
#                               <= the transfer + 2 x the read)
#   sd-sync, nothing to do      the site in step with the hub (<= 1 s)
#   sd-sync, fast-forward       the site as it was before the hub's
#                               $SD_BENCH_SYNC_COMMITS (1000) commits
#                               (sd-note at H, pushed): <= 2 s
#   sd-sync --dry-run, replay   as below, nothing changed: the fetch and the
#                               replay into memory (replay <= 2 s)
#   sd-sync, replay and push    the site with as many local commits (sd-note,
#                               a fifth of them on tickets the hub's notes
#                               changed too) and the hub as after the
#                               fast-forward: the replay onto the hub's
#                               head and the push (<= 10 s)
#   the hook's check            GIT_DIR=HUB sd-fsck --push OLD NEW REF, as
#                               the hook runs it, of the push just made
#                               (<= 2 s); and of the hub's side's push
#   sd-new at the site          (<= 15 ms, and as at the hub's side: H)
#   C read of the site          the baseline of the /read column
# Each run of the sync starts from a copy of the site (and of the hub) as
# it was: cp -a of stores of N tickets (about 4 KB a ticket on disk).
# sd-sync not built: the lines that need it say so; the hook's check of
# the hub's own 1000-commit push and sd-new are still timed.
# The output goes to stdout and to build/bench/sync.txt; progress to
# stderr.  $SD_BENCH_KEEP set: keep the temporary directory.

set -u
LC_ALL=C
export LC_ALL

top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$top" || exit 1
SD_BIN=${SD_BIN:-$top/build/bin}
SD_SHAREDIR=${SD_SHAREDIR:-$top/share}
export SD_SHAREDIR
sizes=${SD_BENCH_SYNC_SIZES-10000}
runs=${SD_BENCH_SYNC_RUNS:-3}
commits=${SD_BENCH_SYNC_COMMITS:-1000}
out=$top/build/bench
results=$out/sync.txt

die() { printf 'bench-sync: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench-sync: %s\n' "$*" >&2; }
say() { printf '%s\n' "$*"; printf '%s\n' "$*" >>"$results"; }

case $runs in ''|*[!0-9]*|0) die "SD_BENCH_SYNC_RUNS: '$runs' is not a positive number" ;; esac
case $commits in ''|*[!0-9]*|0) die "SD_BENCH_SYNC_COMMITS: '$commits' is not a positive number" ;; esac
for n in $sizes; do
	case $n in ''|*[!0-9]*|0) die "SD_BENCH_SYNC_SIZES: '$n' is not a positive number" ;; esac
done
[ -f build/libsd.a ] || die "build/libsd.a is missing: run make first"
for p in sd-init sd-new sd-note sd-edit sd-fsck; do
	[ -x "$SD_BIN/$p" ] || die "$SD_BIN/$p is missing: run make first"
done
have_sync=no
[ -x "$SD_BIN/sd-sync" ] && have_sync=yes
# The hook runs sd-fsck from the PATH.
PATH=$SD_BIN:$PATH
export PATH

# Its own helpers' directory: run.sh's may be in use by a run beside it.
hb=$out/sync-bin
mkdir -p "$hb" || exit 1
cc=${CC:-cc}
libs=$(pkg-config --libs libgit2 inih libcrypto) || die "pkg-config: libgit2, inih or libcrypto missing"
cflags=$(pkg-config --cflags libgit2 inih)
$cc -O2 -g -std=c11 -Wall -Wextra -Iinclude $cflags -o "$hb/gen" tests/bench/gen.c \
	build/libsd.a $libs -lunistring -lm || die "cannot build gen"
$cc -O2 -std=c11 -Wall -Wextra -o "$hb/read" tests/bench/read.c || die "cannot build read"
$cc -O2 -std=c11 -Wall -Wextra -o "$hb/timeit" tests/bench/timeit.c || die "cannot build timeit"
timeit=$hb/timeit

work=$(mktemp -d "${TMPDIR:-/tmp}/sd-bench-sync.XXXXXX") || die "mktemp failed"
cleanup() {
	if [ -n "${SD_BENCH_KEEP:-}" ]; then
		note "kept $work (SD_BENCH_KEEP): remove it when done"
	else
		note "removing $work"
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

: >"$results" || exit 1
say "sd-sync benchmark, $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
say "host: $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cpus, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
say "$(git --version), libgit2 $(pkg-config --modversion libgit2)"
say "sizes: $sizes; runs: $runs; commits on each side: $commits; the hub a bare repository on a path"
say "times in ms, wall clock, warm page cache; /read: median over the C read of the site's files"
[ "$have_sync" = yes ] || say "NOT BUILT: $SD_BIN/sd-sync; its lines are not timed"

timed() {
	_f=$1
	shift
	if ! "$timeit" "$@" >>"$_f"; then
		echo x >>"$_f.fail"
		note "failed: $*"
	fi
}

median() {
	[ -s "$1" ] || { echo 0; return; }
	sort -n "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

header() {
	say "$(printf '%-44s %5s %9s %9s %9s %9s %8s' operation runs median min max 'peak MiB' /read)"
}

# row NAME FILE: the times in FILE, their ratio to $readmed.
row() {
	_fails=0
	[ -f "$2.fail" ] && _fails=$(wc -l <"$2.fail")
	if [ ! -s "$2" ]; then
		say "$(printf '%-44s %5s   (no successful run%s)' "$1" 0 \
			"$([ "$_fails" -gt 0 ] && echo ", $_fails failed")")"
		return
	fi
	say "$(sort -n "$2" | awk -v name="$1" -v rd="$readmed" -v fails="$_fails" '
		{ v[NR] = $1; if ($2 > peak) peak = $2 }
		END {
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%-44s %5d %9.2f %9.2f %9.2f %9.1f", name, NR, med, v[1], v[NR], peak / 1024
			printf " %8s", (rd > 0 ? sprintf("%.3f", med / rd) : "-")
			if (fails > 0) printf "  (%d failed)", fails
		}')"
}

# target WHAT VALUE LIMIT UNIT: VALUE <= LIMIT (0: not measured).
target() {
	say "$(awk -v what="$1" -v v="${2:-0}" -v lim="$3" -v unit="$4" -v n="$n" 'BEGIN {
		if (v <= 0) { printf "target: %s <= %s%s: not measured\n", what, lim, unit; exit }
		printf "target: %s <= %s%s: %.3f%s at %d tickets: %s\n", what, lim, unit, v, unit, n,
			v <= lim ? "met" : "NOT met"
	}')"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (a > 0 && b > 0) ? a / b : 0 }'
}

# notes STORE FROM COUNT: COUNT sd-note commits in STORE, on the open
# tickets of $t/open from line FROM on, round and round.
notes() {
	awk -v from="$2" -v count="$3" '{ id[NR] = $1 }
		END { for (i = 0; i < count; i++) print id[(from - 1 + i) % NR + 1] }' "$t/open" |
	while read -r id; do
		SD_STORE=$1 "$SD_BIN/sd-note" -m "A note of the sync benchmark." "$id" >/dev/null ||
			{ note "sd-note $id in $1 failed"; exit 1; }
	done
}

# restore NAME: $work/NAME as in its copy $work/NAME.0.
restore() {
	rm -rf "${work:?}/$1"
	cp -a "$work/$1.0" "$work/$1"
}

for n in $sizes; do
	t=$work/t-$n
	rm -rf "$t" "$work/g" "$work/hub" "$work/h" "$work/site" "$work"/*.0
	mkdir -p "$t"
	g=$work/g hub=$work/hub h=$work/h site=$work/site
	export SD_AGENT=ana

	note "$n tickets: making the store"
	"$SD_BIN/sd-init" "$g" --example >/dev/null || die "sd-init failed"
	"$hb/gen" "$g" "$n" "$t/open" 2>"$t/gen.log" || { cat "$t/gen.log" >&2; die "gen failed"; }
	# [sync] in sd.ini, as a desk of many sites has it (by carmen, the
	# example's coordinator).
	cat >"$t/editor" <<-'EOF'
	#!/bin/sh
	printf '\n[sync]\nlease = 1000\nlow = 100\n' >>"$1"
	EOF
	chmod +x "$t/editor"
	EDITOR=$t/editor SD_STORE=$g SD_AGENT=carmen "$SD_BIN/sd-edit" sd.ini >"$t/edit.log" 2>&1 ||
		{ cat "$t/edit.log" >&2; die "sd-edit sd.ini failed"; }
	branch=$(git --git-dir "$g/.git" symbolic-ref --short HEAD) || die "no branch in $g"

	note "$n tickets: the hub (bare, with the hook)"
	git clone -q --bare "$g" "$hub" || die "git clone --bare failed"
	cp "$SD_SHAREDIR/hooks/pre-receive" "$hub/hooks/pre-receive" || die "no hook"
	chmod +x "$hub/hooks/pre-receive"
	open_n=$(wc -l <"$t/open")
	[ "$open_n" -gt 0 ] || die "no open ticket"

	say ""
	say "== $n tickets =="
	sed -n 's/^gen: /generated: /p' "$t/gen.log" | while IFS= read -r l; do say "$l"; done

	if [ "$have_sync" = yes ]; then
		note "$n tickets: sd-sync --enroll x $runs"
		i=1
		while [ "$i" -le "$runs" ]; do
			timed "$t/etransfer" git clone -q --bare --no-tags "$hub" "$work/et$i"
			rm -rf "$work/et$i"
			timed "$t/enroll" -o "$t/enroll.out" "$SD_BIN/sd-sync" --enroll "$hub" "$work/e$i" --site "e$i"
			timed "$t/eread" "$hb/read" "$work/e$i"
			[ "$i" -gt 1 ] && rm -rf "$work/e$i"
			i=$((i + 1))
		done
		if [ -d "$work/e1" ]; then
			mv "$work/e1" "$site"
			"$SD_BIN/sd-sync" -C "$site" >"$t/settle.log" 2>&1 ||
				note "the first sd-sync at the site: $(head -n 1 "$t/settle.log")"
		fi
	fi
	if [ ! -d "$site" ]; then
		# No site: a plain clone of the hub, so that sd-new and the read
		# have a store to run in.
		git clone -q "$hub" "$site" || die "git clone of the hub failed"
		"$SD_BIN/sd-fsck" -C "$site" --repair >/dev/null 2>&1 || die "sd-fsck --repair failed"
	fi

	if [ "$have_sync" = yes ]; then
		note "$n tickets: sd-sync, nothing to do, x $runs"
		i=1
		while [ "$i" -le "$runs" ]; do
			timed "$t/noop" -o "$t/noop.out" "$SD_BIN/sd-sync" -C "$site"
			i=$((i + 1))
		done
	fi
	cp -a "$site" "$site.0"

	note "$n tickets: $commits notes at the hub's side, pushed"
	old=$(git --git-dir "$hub" rev-parse "refs/heads/$branch")
	# H made now: the hub holds the sites' leases.
	git clone -q "$hub" "$h" || die "git clone of the hub failed"
	"$SD_BIN/sd-fsck" -C "$h" --repair >"$t/repair.log" 2>&1 ||
		{ cat "$t/repair.log" >&2; die "sd-fsck --repair in H failed"; }
	notes "$h" 1 "$commits" || die "notes at the hub's side failed"
	git -C "$h" push -q origin "HEAD:refs/heads/$branch" 2>"$t/push.log" ||
		{ cat "$t/push.log" >&2; die "the push of the hub's side was refused"; }
	new=$(git --git-dir "$hub" rev-parse "refs/heads/$branch")
	hubpushed=$(git --git-dir "$hub" rev-list --count "$old..$new")
	note "$n tickets: the hook's check of that push ($hubpushed commits) x $runs"
	i=1
	while [ "$i" -le "$runs" ]; do
		timed "$t/hookh" env GIT_DIR="$hub" "$SD_BIN/sd-fsck" --push "$old" "$new" "refs/heads/$branch"
		i=$((i + 1))
	done
	cp -a "$hub" "$hub.0"

	if [ "$have_sync" = yes ]; then
		note "$n tickets: sd-sync, fast-forward of $hubpushed commits, x $runs"
		i=1
		while [ "$i" -le "$runs" ]; do
			restore site
			timed "$t/ff" -o "$t/ff.out" "$SD_BIN/sd-sync" -C "$site"
			i=$((i + 1))
		done
		ffhead=$(git --git-dir "$site/.git" rev-parse HEAD)
		[ "$ffhead" = "$new" ] && ffok="the site at the hub's head" ||
			ffok="WARNING: the site at ${ffhead:-?}, not the hub's head $new"

		note "$n tickets: $commits notes at the site"
		restore site
		# Starting where the hub's last fifth started: those tickets
		# changed on both sides (all of them when there are fewer open
		# tickets than commits).
		from=$(awk -v c="$commits" -v o="$open_n" 'BEGIN { print (int(c * 4 / 5) % o) + 1 }')
		notes "$site" "$from" "$commits" || die "notes at the site failed"
		rm -rf "$site.0"
		mv "$site" "$site.0"
		note "$n tickets: sd-sync --dry-run and sd-sync, $commits local onto $hubpushed remote, x $runs"
		i=1
		while [ "$i" -le "$runs" ]; do
			restore site
			restore hub
			timed "$t/dry" -o "$t/dry.out" "$SD_BIN/sd-sync" -C "$site" --dry-run
			timed "$t/replay" -o "$t/replay.out" "$SD_BIN/sd-sync" -C "$site"
			i=$((i + 1))
		done
		top2=$(git --git-dir "$hub" rev-parse "refs/heads/$branch")
		pushed=$(git --git-dir "$hub" rev-list --count "$new..$top2")
		superseded=$(grep -c superseded "$t/replay.out" 2>/dev/null)
		overridden=$(grep -c overridden "$t/replay.out" 2>/dev/null)
		note "$n tickets: the hook's check of the site's push ($pushed commits) x $runs"
		i=1
		while [ "$i" -le "$runs" ]; do
			timed "$t/hooks" env GIT_DIR="$hub" "$SD_BIN/sd-fsck" --push "$new" "$top2" "refs/heads/$branch"
			i=$((i + 1))
		done
		restore site
	fi

	note "$n tickets: sd-new at the site and at the hub's side, x $runs"
	i=1
	while [ "$i" -le "$runs" ]; do
		timed "$t/newsite" env SD_STORE="$site" "$SD_BIN/sd-new" -t incident -s "Benchmark ticket $i" \
			-r "Pedro Pérez" -c network --email pedro@example.org -m "Run $i."
		timed "$t/newhub" env SD_STORE="$h" "$SD_BIN/sd-new" -t incident -s "Benchmark ticket $i" \
			-r "Pedro Pérez" -c network --email pedro@example.org -m "Run $i."
		i=$((i + 1))
	done
	note "$n tickets: C read of the site x $runs"
	i=1
	while [ "$i" -le "$runs" ]; do
		timed "$t/read" "$hb/read" "$site"
		i=$((i + 1))
	done
	readwhat=$("$hb/read" "$site")

	readmed=$(median "$t/read")
	header
	if [ "$have_sync" = yes ]; then
		row "git clone --bare of the hub (the transfer)" "$t/etransfer"
		row "sd-sync --enroll (a new site)" "$t/enroll"
		row "C read of the enrolled site" "$t/eread"
		row "sd-sync, nothing to do" "$t/noop"
		row "sd-sync, fast-forward of $hubpushed hub commits" "$t/ff"
		row "sd-sync --dry-run, $commits onto $hubpushed" "$t/dry"
		row "sd-sync, $commits local replayed onto $hubpushed" "$t/replay"
		row "hook: sd-fsck --push of the site's $pushed" "$t/hooks"
	fi
	row "hook: sd-fsck --push of the hub's $hubpushed" "$t/hookh"
	row "sd-new at the site" "$t/newsite"
	row "sd-new at the hub's side" "$t/newhub"
	row "C read of the site ($readwhat)" "$t/read"
	if [ "$have_sync" = yes ]; then
		say "fast-forward: $ffok"
		say "replay: $pushed commits reached the hub; $superseded superseded and $overridden overridden lines"
		target "sd-sync, nothing to do" "$(median "$t/noop")" 1000 " ms"
		target "sd-sync, fast-forward of $hubpushed" "$(median "$t/ff")" 2000 " ms"
		target "sd-sync, $commits replayed onto $hubpushed, and the push" "$(median "$t/replay")" 10000 " ms"
		target "sd-sync --dry-run (the fetch and the replay)" "$(median "$t/dry")" 2000 " ms"
		target "the hook's check of the site's $pushed-commit push" "$(median "$t/hooks")" 2000 " ms"
		# Issue 16: the transfer + at most 2 x the C read; here, what
		# enrolling takes beyond the transfer, over the read.
		target "(sd-sync --enroll - the transfer) / C read" \
			"$(ratio "$(awk -v e="$(median "$t/enroll")" -v c="$(median "$t/etransfer")" \
			'BEGIN { print e - c }')" "$(median "$t/eread")")" 2 x
	fi
	target "the hook's check of the hub's $hubpushed-commit push" "$(median "$t/hookh")" 2000 " ms"
	target "sd-new at the site" "$(median "$t/newsite")" 15 " ms"
done
note "results in $results"
