#!/bin/sh
# Progress of long work on stderr: sd-fsck (and --repair, a clone's first
# files too), sd-close --auto, sd-report and sd-list show a line updated in
# place ("Reading tickets:  42% (840/2000)", then ", done.") when stderr
# is a terminal, nothing in a pipe; --quiet and --progress force either
# way.  A terminal is a pty made by util-linux script(1).
#
# SD_PROGRESS_DELAY (seconds, 1 by default: work that ends sooner says
# nothing) is a hook for tests alone: 0 here, so that a small store shows
# its progress at once.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"

command -v script >/dev/null 2>&1 || { echo "1..0 # SKIP script(1) is not installed"; exit 0; }
mkstore

# A store of N tickets, made fast: SD-1 solved with the commands, then
# its file copied as SD-2..SD-N, on disk and, through git fast-import, in
# one commit on HEAD (the due dates hang on the contents alone, so every
# copy is sound).
N=1200
new_ticket
quiet sd-solve -m "Router restarted" 1
S=$SD_STORE
branch=$(sgit symbolic-ref HEAD)
LC_ALL=C awk -v N=$N -v S="$S" -v B="$branch" -v P="$(head_id)" '
	{ line[++n] = $0 }
	END {
		printf "commit %s\ncommitter t <t@example.org> 1795000000 +0000\n", B
		printf "data <<EOM\n%d tickets\nEOM\nfrom %s\n", N, P
		for (k = 2; k <= N; k++) {
			rel = sprintf("tickets/%03d/SD-%d.ini", int(k / 1000), k)
			if (k % 1000 == 0)
				system("mkdir -p " S "/tickets/" sprintf("%03d", k / 1000))
			printf "M 100644 inline %s\ndata <<EOT\n", rel
			for (i = 1; i <= n; i++) {
				l = line[i] == "id = SD-1" ? "id = SD-" k : line[i]
				print l >(S "/" rel)
				print l
			}
			print "EOT"
			close(S "/" rel)
		}
	}' "$S/tickets/000/SD-1.ini" | sgit fast-import --quiet || bail "the tickets are not made"
head_id >"$S/.git/sd-head"
files=$(sgit ls-tree -r HEAD | wc -l)
is "$(sgit ls-tree -r --name-only HEAD tickets | wc -l)" $N "the store holds $N tickets"
clean "the store is clean"

# pty FILE CMD: CMD (one shell word list) on a pty, what the terminal
# shows in FILE, each \r a line break, blank lines dropped.
pty() {
	_f=$1
	shift
	script -qfec "$*" /dev/null </dev/null | tr '\r' '\n' | grep -v '^ *$' >"$_f"
}
# has FILE LINE DESCRIPTION: FILE holds exactly LINE
has() { grep -qxF -- "$2" "$1"; ok $? "$3"; }
# shown LINE DESCRIPTION: stderr of the last run holds LINE, between \r
shown() {
	tr '\r' '\n' <"$T/err" | grep -qxF -- "$1"
	_r=$?
	[ $_r = 0 ] || sed 's/^/# stderr: /' "$T/err" >&2
	ok $_r "$2"
}
# none FILE DESCRIPTION: no progress line (": NN% (") in FILE
none() {
	! grep -Eq '^[A-Za-z ]+: +[0-9]+% \(' "$1"
	ok $? "$2"
}

export SD_PROGRESS_DELAY=0

# --- sd-fsck --------------------------------------------------------------
pty "$T/p" sd-fsck
has "$T/p" "Checking files:   0% (0/$files)" "sd-fsck on a terminal: the count begins at 0 of HEAD's $files files"
has "$T/p" "Checking files: 100% ($files/$files), done." "sd-fsck on a terminal: ends with done"
is "$(grep -c ', done\.$' "$T/p")" 1 "sd-fsck: one stage, done once"
awk -F'[(/]' '/^Checking files/ { if ($2 + 0 < last) bad = 1; last = $2 + 0 } END { exit bad }' "$T/p"
ok $? "sd-fsck: the count never goes back"
expect 0 "sd-fsck in a pipe: sound" sd-fsck
is "$(cat "$T/err")" "" "sd-fsck in a pipe: nothing on stderr"
is "$(cat "$T/out")" "" "sd-fsck in a pipe: nothing on stdout"
pty "$T/p" sd-fsck --quiet
none "$T/p" "sd-fsck --quiet on a terminal: no progress"
is "$(cat "$T/p")" "" "sd-fsck --quiet on a terminal: nothing at all"
expect 0 "sd-fsck --progress in a pipe" sd-fsck --progress
shown "Checking files: 100% ($files/$files), done." "sd-fsck --progress in a pipe: shown, to done"
is "$(cat "$T/out")" "" "sd-fsck --progress: stdout untouched"
expect 0 "--repair --progress" sd-fsck --repair --progress
shown "Checking files: 100% ($files/$files), done." "sd-fsck --repair --progress: shown"
pty "$T/p" sd-fsck --progress --quiet
none "$T/p" "the last of --progress and --quiet wins: --quiet"
pty "$T/p" sd-fsck --quiet --progress
has "$T/p" "Checking files: 100% ($files/$files), done." "the last of --quiet and --progress wins: --progress"

# Work within the delay (a second) says nothing, on a terminal too.
mkstore "$T/small"
pty "$T/p" env -u SD_PROGRESS_DELAY sd-fsck
none "$T/p" "a small store's check, quicker than the delay: no progress"
is "$(cat "$T/p")" "" "a small store's check: nothing at all"
export SD_STORE=$S

# Findings go to stdout on lines of their own: the progress line is
# wiped before each.
echo "stray" >"$S/tickets/001/stray.txt"
pty "$T/p" sd-fsck
has "$T/p" "tickets/001/stray.txt: not in HEAD" "a finding: on its own line"
has "$T/p" "Checking files: 100% ($files/$files), done." "and the progress still ends with done"
rm -f "$S/tickets/001/stray.txt"

# --- the first repair of a clone: its files written, then checked ----------
git clone -q --no-checkout "$S/.git" "$T/clone" || bail "git clone failed"
pty "$T/p" sd-fsck -C "$T/clone" --repair
has "$T/p" ".git: a clone of a store with no files, not yet one (repaired)" "the clone is made a store"
has "$T/p" "Writing files: 100% ($files/$files), done." "its files written out: counted, to done"
has "$T/p" "Checking files: 100% ($files/$files), done." "then checked"
is "$(grep -c ', done\.$' "$T/p")" 2 "two stages, each done once"
! grep -q ' $' "$T/p"
ok $? "no line left ending in blanks (a shorter line wipes the longer first)"
rm -rf "$T/clone"
git clone -q --no-checkout "$S/.git" "$T/clone" || bail "git clone failed"
expect 0 "a clone's repair in a pipe" sd-fsck -C "$T/clone" --repair
none "$T/err" "a clone's repair in a pipe: no progress"

# --- sd-list, sd-report ---------------------------------------------------
pty "$T/p" "sd-list >/dev/null"
has "$T/p" "Reading tickets: 100% ($N/$N), done." "sd-list on a terminal: tickets read, to done"
expect 0 "sd-list in a pipe" sd-list --format tsv
is "$(cat "$T/err")" "" "sd-list in a pipe: nothing on stderr"
is "$(wc -l <"$T/out")" $((N + 1)) "sd-list in a pipe: the header and $N rows, untouched"
pty "$T/p" "sd-list --quiet >/dev/null"
is "$(cat "$T/p")" "" "sd-list --quiet: nothing"
expect 0 "sd-list --progress in a pipe" sd-list --progress --open
shown "Reading tickets: 100% ($N/$N), done." "sd-list --progress in a pipe: shown"
# Rows to the terminal: each begins a line, never after a progress line.
pty "$T/p" sd-list --fields id
has "$T/p" "SD-$N" "sd-list's rows on the terminal too"
! grep -q '[0-9])SD-' "$T/p"
ok $? "no row is glued to a progress line"

pty "$T/p" "sd-report --no-cache >/dev/null"
has "$T/p" "Reading tickets: 100% ($N/$N), done." "sd-report, cold, on a terminal: tickets read, to done"
expect 0 "sd-report in a pipe" sd-report --no-cache
is "$(cat "$T/err")" "" "sd-report in a pipe: nothing on stderr"
pty "$T/p" "sd-report --no-cache --quiet >/dev/null"
is "$(cat "$T/p")" "" "sd-report --quiet: nothing"
expect 0 "sd-report --progress in a pipe" sd-report --no-cache --progress
shown "Reading tickets: 100% ($N/$N), done." "sd-report --progress in a pipe: shown"

# --- sd-close --auto ------------------------------------------------------
# At SD_NOW nothing is due (solved now, accept_window 48 h): read only.
pty "$T/p" sd-close --auto
has "$T/p" "Reading tickets: 100% ($N/$N), done." "sd-close --auto: tickets read, to done"
expect 0 "sd-close --auto in a pipe" sd-close --auto
is "$(cat "$T/err")" "" "sd-close --auto in a pipe (cron): nothing on stderr"
pty "$T/p" sd-close --auto --quiet
is "$(cat "$T/p")" "" "sd-close --auto --quiet: nothing"
# A week later all are due: a dry run checks each.
pty "$T/p" "env SD_NOW=2026-11-30T10:00:00-05:00 sd-close --auto --dry-run >/dev/null"
has "$T/p" "Checking tickets: 100% ($N/$N), done." "sd-close --auto --dry-run: each due ticket checked, to done"
expect 0 "--dry-run --progress in a pipe" env SD_NOW=2026-11-30T10:00:00-05:00 sd-close --auto --dry-run --progress --format tsv
is "$(wc -l <"$T/out")" $((N + 1)) "--dry-run: the header and $N rows"
shown "Checking tickets: 100% ($N/$N), done." "--dry-run --progress in a pipe: shown"
before=$(head_id)
expect 64 "--quiet without --auto: a usage error" sd-close --quiet 1
shown "sd-close: --dry-run, --format, --quiet and --progress go with --auto" "says so"
expect 64 "--progress without --auto: a usage error" sd-close --progress 1
unchanged "$before" "the usage errors"

# The time left, once a stage has run a second: six tickets due, each
# closing taking 0.3 s at least (its hooks/auto-close sleeps).
mkstore "$T/slow"
for i in 1 2 3 4 5 6; do
	new_ticket
	quiet sd-solve -m "Router restarted" "$made"
done
mkdir -p "$T/slow/hooks"
printf '#!/bin/sh\nsleep 0.3\n' >"$T/slow/hooks/auto-close"
chmod +x "$T/slow/hooks/auto-close"
pty "$T/p" "env SD_NOW=2026-11-30T10:00:00-05:00 sd-close --auto >/dev/null"
has "$T/p" "Closing tickets: 100% (6/6), done." "sd-close --auto: the closings counted, to done"
grep -Eq '^Closing tickets: +[0-9]+% \([1-5]/6\), [0-9]+ s left$' "$T/p"
ok $? "after a second, the time left"
! grep -Eq '^Closing tickets: +[0-9]+% \(0/6\),' "$T/p"
ok $? "not before any is done"
is "$(grep -c '^SD-[1-6]' "$T/p")" 0 "(the rows went to stdout)"
is "$(env SD_STORE="$T/slow" sd-list --status closed --format tsv --fields id | wc -l)" 7 "all six closed"
export SD_STORE=$S

# --- in Spanish -----------------------------------------------------------
if locale -a 2>/dev/null | grep -Eqix 'es_CO\.utf-?8'; then
	env -u LC_ALL LANG=es_CO.UTF-8 sd-list --progress --open >/dev/null 2>"$T/err"
	shown "Leyendo casos: 100% ($N/$N), hecho." "in Spanish: Leyendo casos ..., hecho."
	env -u LC_ALL LANG=es_CO.UTF-8 sd-fsck --progress 2>"$T/err"
	shown "Comprobando archivos: 100% ($files/$files), hecho." "in Spanish: Comprobando archivos"
else
	ok 0 "# SKIP the locale es_CO.UTF-8 is not installed"
	ok 0 "# SKIP the locale es_CO.UTF-8 is not installed"
fi

done_testing
