#!/bin/sh
# sd-init: make a store.
. "${SD_TOP:-.}/tests/lib.sh"

# is_file_head FILE DESCRIPTION: the store's FILE equals HEAD's
is_file_head() {
	sgit cat-file blob "HEAD:$1" >"$T/head-file" 2>/dev/null
	ok $(cmp -s "$T/head-file" "$SD_STORE/$1"; echo $?) "$2"
}

# The default store, made as ana (SD_AGENT) in a directory that is not there.
expect 0 "makes a store in a new directory" sd-init "$T/s1"
is "$(cat "$T/out")" "made store $(cd "$T/s1" && pwd -P) (prefix SD)" \
	"says what it made, on stdout"
is "$(cat "$T/err")" "" "nothing on stderr"
export SD_STORE=$T/s1
clean "store clean after sd-init"
for f in sd.ini sla.ini escalation.ini agents.ini; do
	is_file_head $f "$f equals HEAD's"
done
ok $(cmp -s "$SD_SHAREDIR/sd.ini" "$SD_STORE/sd.ini"; echo $?) "sd.ini is the default"
ok $(cmp -s "$SD_SHAREDIR/sla.ini" "$SD_STORE/sla.ini"; echo $?) "sla.ini is the default"
ok $(cmp -s "$SD_SHAREDIR/escalation.ini" "$SD_STORE/escalation.ini"; echo $?) \
	"escalation.ini is the default"
is "$(ls -A "$SD_STORE" | tr '\n' ' ')" ".git agents.ini escalation.ini sd.ini sla.ini " \
	"the four files and .git, no tickets yet"
is "$(sgit config core.bare)" "true" "the repository is bare"
ok $([ ! -e "$SD_STORE/.git/index" ]; echo $?) "with no index"
is "$(sgit symbolic-ref HEAD)" "refs/heads/main" "HEAD is branch main"
is "$(sgit log --format='%s|%an|%ae|%(trailers:key=Action,valueonly)' | sed '/^$/d')" \
	"init|ana|ana@sd.sd.invalid|init" "one commit, subject init, by the invoking agent"
is "$(sgit ls-tree --name-only HEAD | tr '\n' ' ')" \
	"agents.ini escalation.ini sd.ini sla.ini " "HEAD holds the four files"
# The agent who made it is a coordinator of the desk.
is "$(ini_get "$SD_STORE/agents.ini" "agent ana" coordinator)" "yes" "ana added as coordinator"
is "$(ini_get "$SD_STORE/agents.ini" "agent ana" groups)" "desk" "in the level-1 group"
head -n "$(wc -l <"$SD_SHAREDIR/agents.ini")" "$SD_STORE/agents.ini" >"$T/agents-head"
ok $(cmp -s "$T/agents-head" "$SD_SHAREDIR/agents.ini"; echo $?) \
	"agents.ini is the default, the agent added at its end"
expect 0 "the store works at once" sd-new -t incident -s "First" -r "Pedro" -c general \
	--email pedro@example.org
is "$(cat "$T/out")" "SD-1" "tickets start at SD-1"
is "$(sd-show --field group 1)" "desk" "in the default level-1 group"
clean "store clean after the first ticket"

# No SD_AGENT: the login name becomes the coordinator.
login=$(id -un)
expect 0 "with no SD_AGENT" env -u SD_AGENT sd-init "$T/s1b"
is "$(ini_get "$T/s1b/agents.ini" "agent $login" coordinator)" "yes" "the login $login is a coordinator"
is "$(ini_get "$T/s1b/agents.ini" "agent $login" login)" "$login" "matched by its login"
is "$(git --git-dir="$T/s1b/.git" log -1 --format=%an)" \
	"$(getent passwd "$login" | cut -d: -f5 | cut -d, -f1 | sed "s/^\$/$login/")" \
	"the first commit is theirs"

# --example
SD_AGENT=carmen expect 0 "--example" sd-init --example "$T/s2"
export SD_STORE=$T/s2
clean "store clean after sd-init --example"
ok $(cmp -s "$SD_SHAREDIR/example/agents.ini" "$SD_STORE/agents.ini"; echo $?) \
	"the example agents (carmen is one already: not added twice)"
ok $(cmp -s "$SD_SHAREDIR/example/escalation.ini" "$SD_STORE/escalation.ini"; echo $?) \
	"the example categories"
is "$(git --git-dir="$SD_STORE/.git" log --format='%s|%an')" "init|Carmen Vargas" \
	"the first commit is carmen's, with her name from agents.ini"
expect 0 "an example category" sd-new -t incident -s "VPN" -r "Pedro" -c network/vpn \
	--email pedro@example.org
is "$(sd-show --field category --field group 1 | tr '\n' ' ')" "network/vpn desk " \
	"registered in network/vpn, group desk"
clean "store clean"

# --prefix
expect 0 "--prefix HD" sd-init --prefix HD "$T/s3"
export SD_STORE=$T/s3
is "$(ini_get "$SD_STORE/sd.ini" store prefix)" "HD" "sd.ini [store] prefix = HD"
clean "store clean after --prefix"
expect 0 "a ticket in it" sd-new -t incident -s x -r y -c general --email y@example.org
is "$(cat "$T/out")" "HD-1" "numbered HD-1"
is "$(git --git-dir="$SD_STORE/.git" log --format=%ae | tr '\n' ' ')" "ana@hd.sd.invalid ana@hd.sd.invalid " \
	"ana, with no email, commits as ana@hd.sd.invalid (the prefix in lower case)"
expect 0 "and sd-fsck --commits knows her by it" sd-fsck --commits HEAD
ok $([ -f "$SD_STORE/tickets/000/HD-1.ini" ]; echo $?) "in tickets/000/HD-1.ini"
expect 0 "shown as hd-1" sd-show --field id hd-1
is "$(cat "$T/out")" "HD-1" "the ID is HD-1"
expect 65 "SD-1 is not an ID of this store" sd-show SD-1
is "$(cat "$T/err")" "sd-show: SD-1: not a ticket of this store (its prefix is HD)" \
	"names the foreign prefix"
clean "store clean"
expect 65 "a prefix in lower case" sd-init --prefix hd "$T/s3b"
one_line_error "$T/err" "one line on stderr"
like "$T/err" "prefix" "names the prefix"
ok $([ ! -e "$T/s3b" ]; echo $?) "nothing created"

# --timezone
expect 0 "--timezone Europe/Madrid" sd-init --timezone Europe/Madrid "$T/s4"
export SD_STORE=$T/s4
is "$(ini_get "$SD_STORE/sd.ini" store timezone)" "Europe/Madrid" "sd.ini [store] timezone"
expect 0 "a ticket in it" sd-new -t incident -s x -r y -c general --email y@example.org
# 10:00 at -05:00 is 15:00 UTC, 16:00 in Madrid (CET, +01:00 in November).
is "$(sd-show --field created 1)" "2026-11-23T16:00:00+01:00" "times are written in that zone"
clean "store clean"
expect 65 "an unknown zone" sd-init --timezone Mars/Olympus "$T/s4b"
one_line_error "$T/err" "one line on stderr"
like "$T/err" "Mars/Olympus" "names the zone"
ok $([ ! -e "$T/s4b" ]; echo $?) "nothing created"
expect 65 "a zone that is a path" sd-init --timezone ../../etc/passwd "$T/s4c"
ok $([ ! -e "$T/s4c" ]; echo $?) "nothing created"

# --name
expect 0 "--name" sd-init --name "Mesa de ayuda" "$T/s5"
is "$(ini_get "$T/s5/sd.ini" store name)" "Mesa de ayuda" "sd.ini [store] name"
expect 65 "a name with ;" sd-init --name "a;b" "$T/s5b"
ok $([ ! -e "$T/s5b" ]; echo $?) "nothing created"
expect 65 "a name on two lines" sd-init --name "$(printf 'a\nb')" "$T/s5c"
ok $([ ! -e "$T/s5c" ]; echo $?) "nothing created"

# No DIR: the current directory, which may exist already (empty).
mkdir "$T/s6"
cd "$T/s6" || exit 1
expect 0 "no DIR: the current directory" sd-init
cd "$T" || exit 1
ok $([ -f "$T/s6/sd.ini" ] && [ -d "$T/s6/.git" ]; echo $?) "the store is there"
SD_STORE=$T/s6 clean "store clean"

# -C DIR, with or without DIR.
mkdir "$T/base" "$T/s7"
expect 0 "-C DIR with DIR" sd-init -C "$T/base" sub
ok $([ -f "$T/base/sub/sd.ini" ]; echo $?) "DIR is taken from -C's directory"
expect 0 "-C DIR alone" sd-init -C "$T/s7"
ok $([ -f "$T/s7/sd.ini" ]; echo $?) "made in -C's directory"
SD_STORE=$T/s7 clean "store clean"

# Where a store is already: 73, and nothing changes.
export SD_STORE=$T/s1
before=$(head_id)
cp "$SD_STORE/sd.ini" "$T/sd.ini.before"
expect 73 "an existing store" sd-init "$T/s1"
one_line_error "$T/err" "one line on stderr"
unchanged "$before" "after sd-init on a store"
ok $(cmp -s "$T/sd.ini.before" "$SD_STORE/sd.ini"; echo $?) "sd.ini untouched"
expect 73 "an existing store, with --example" sd-init --example "$T/s1"
unchanged "$before" "after sd-init --example on a store"
mkdir -p "$T/repo/.git"
expect 73 "a directory with a .git" sd-init "$T/repo"
ok $([ ! -e "$T/repo/sd.ini" ]; echo $?) "no sd.ini written"
expect 73 "a directory whose parent is not there" sd-init "$T/no/such/dir"
ok $([ ! -e "$T/no" ]; echo $?) "nothing created"

# Inside another store: 73, naming it, and nothing made in its tree.
s1=$(cd "$T/s1" && pwd -P)
expect 73 "a new directory in a store's tickets/" sd-init "$T/s1/tickets/sub"
is "$(cat "$T/err")" "sd-init: $T/s1/tickets/sub: inside the store $s1; make a store outside any other" \
	"names the enclosing store"
is "$(cat "$T/out")" "" "nothing on stdout"
ok $([ ! -e "$T/s1/tickets/sub" ] && [ -z "$(ls -d "$T"/s1/tickets/.sub* 2>/dev/null)" ]; echo $?) \
	"nothing made in tickets/"
mkdir "$T/s1/hooks"
expect 73 "an existing directory in a store" sd-init "$T/s1/hooks"
like "$T/err" "^sd-init: .*/hooks: inside the store $s1; " "names the store"
ok $([ -z "$(ls -A "$T/s1/hooks")" ]; echo $?) "nothing made in it"
rmdir "$T/s1/hooks"
expect 73 "the current directory, two levels under a store" \
	sh -c 'mkdir -p "$1/a/b" && cd "$1/a/b" && sd-init' sh "$T/s1"
like "$T/err" "^sd-init: \.: inside the store $s1; " "names the store"
rm -rf "$T/s1/a"
expect 73 "-C into a store, then DIR" sd-init -C "$T/s1" sub
like "$T/err" "^sd-init: sub: inside the store $s1; " "names the store"
unchanged "$before" "after sd-init inside a store"

# Atomic: built in a hidden directory beside DIR (.DIR.sd-init.XXXXXX) and
# renamed into place at the end, or, into an existing directory, built in
# DIR/.sd-init.XXXXXX and moved in with sd.ini last.  A late failure (the
# last rename made to fail by strace) leaves nothing; a kill at any write,
# fsync or rename leaves no store at DIR, and sd-init works there again.
leftovers() { ls -A "$1" | grep 'sd-init\.' | tr '\n' ' '; }
# (LeakSanitizer cannot run under strace's ptrace: off for these.)
san=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0
mkdir "$T/at" "$T/at/e0"
# renames N: how many rename calls `sd-init DIR` makes (the last is the
# one that puts the store in place), counted by strace.
renames() {
	ASAN_OPTIONS=$san strace -f -o "$T/renames" -e trace=rename sd-init "$1" >/dev/null 2>&1
	grep -c 'rename(' "$T/renames"
}
last=$(renames "$T/at/s0")
last_in=$(renames "$T/at/e0")
expect 73 "the final rename failing: 73, cannot create" env ASAN_OPTIONS="$san" \
	strace -f -o /dev/null -e inject=rename:error=EIO:when=$last sd-init "$T/at/s"
one_line_error "$T/err" "one line"
ok $([ ! -e "$T/at/s" ]; echo $?) "no store at DIR"
is "$(leftovers "$T/at")" "" "no temporary directory left"
mkdir "$T/at/e"
touch "$T/at/e/README"
expect 73 "moving sd.ini into an existing directory failing: an error" \
	env ASAN_OPTIONS="$san" strace -f -o /dev/null -e inject=rename:error=EACCES:when=$last_in \
	sd-init "$T/at/e"
is "$(ls -A "$T/at/e" | tr '\n' ' ')" "README " "the existing directory as it was"
expect 0 "sd-init there again" sd-init "$T/at/e"
is "$(ls -A "$T/at/e" | tr '\n' ' ')" ".git README agents.ini escalation.ini sd.ini sla.ini " \
	"the store moved in, beside what was there"
rm "$T/at/e/README"
SD_STORE=$T/at/e clean "store clean"
# How many writes, fsyncs and renames a whole sd-init makes.
calls="write,fsync,rename,renameat,renameat2,mkdir,mkdirat,openat"
ASAN_OPTIONS=$san strace -f -c -o "$T/count" -e trace=$calls sd-init "$T/at/count" >/dev/null 2>&1
n=$(awk '$NF == "total" { print $4 }' "$T/count")
[ -n "$n" ] && [ "$n" -gt 20 ] || n=200
step=$(( n / 25 + 1 ))
killed=0 half=0 none=0 whole=0
i=1
while [ $i -le "$n" ]; do
	rm -rf "$T/at/k"
	ASAN_OPTIONS=$san strace -f -o /dev/null -e trace=$calls -e inject=$calls:signal=KILL:when=$i \
		sd-init "$T/at/k" >/dev/null 2>&1
	killed=$((killed + 1))
	if [ ! -e "$T/at/k" ]; then
		none=$((none + 1))
	elif SD_STORE=$T/at/k sd-fsck >/dev/null 2>&1; then
		whole=$((whole + 1))    # the call number was past the last: not killed
	else
		half=$((half + 1))
		echo "# killed at call $i: a half store at $T/at/k" >&2
	fi
	i=$((i + step))
done
echo "# $killed runs: $none left nothing at DIR, $whole a whole store, $half half a store"
is "$half" 0 "killed at $killed calls of $n: never a half store at DIR"
ok $([ "$none" -gt 5 ]; echo $?) "most were killed before the end ($none)"
rm -rf "$T/at/k"
expect 0 "sd-init after the kills" sd-init "$T/at/k"
SD_STORE=$T/at/k clean "store clean"
rm -rf "$T"/at/.k.sd-init.*

# -h, --version, bad options
expect 0 "-h" sd-init -h
like "$T/out" "^usage: sd-init" "usage on stdout"
is "$(cat "$T/err")" "" "nothing on stderr"
expect 0 "--help" sd-init --help
like "$T/out" "^usage: sd-init" "usage on stdout"
expect 0 "--version" sd-init --version
like "$T/out" "^sd-init .*[0-9]+\.[0-9]+" "name and version"
expect 64 "a bad option" sd-init --bogus "$T/s8"
like "$T/err" "usage: sd-init" "usage on stderr"
is "$(cat "$T/out")" "" "nothing on stdout"
ok $([ ! -e "$T/s8" ]; echo $?) "nothing created"
expect 64 "two directories" sd-init "$T/s8" "$T/s9"
like "$T/err" "usage: sd-init" "usage on stderr"
ok $([ ! -e "$T/s8" ] && [ ! -e "$T/s9" ]; echo $?) "nothing created"
expect 64 "--prefix without its value" sd-init --prefix
done_testing
