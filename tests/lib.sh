# tests/lib.sh - a tiny TAP harness for the command tests.
#
# Each test script sources this file, then calls `plan N` (or `done_testing`
# at the end), and checks with the functions below.  Every script gets a
# fresh temporary directory $T, removed on exit, and a pinned environment:
# SD_NOW, SD_AGENT, LC_ALL, no colour, no editor, lock wait of 2 s.

set -u

: "${SD_BIN:?SD_BIN must name the directory of the built programs}"
: "${SD_SHAREDIR:?SD_SHAREDIR must name the share directory}"
PATH=$SD_BIN:$PATH
export PATH SD_SHAREDIR
export SD_NOW=2026-11-23T10:00:00-05:00
export SD_AGENT=ana
export LC_ALL=C.UTF-8 NO_COLOR=1 SD_LOCK_TIMEOUT=2
unset SD_STORE VISUAL EDITOR LANGUAGE

T=$(mktemp -d "${TMPDIR:-/tmp}/sd-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
_n=0
_failed=0

plan() { echo "1..$1"; }
done_testing() { echo "1..$_n"; [ "$_failed" = 0 ]; exit $?; }

ok() {  # ok STATUS DESCRIPTION: pass when STATUS is 0
	_n=$((_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}

# run CMD...: run a command, keeping its stdout in $T/out, stderr in
# $T/err and exit status in $rc.  stdin is /dev/null.
run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# expect STATUS DESCRIPTION CMD...: run CMD and check its exit status.
expect() {
	_want=$1 _what=$2
	shift 2
	run "$@"
	if [ "$rc" != "$_want" ]; then
		echo "# $*: exit $rc, expected $_want" >&2
		sed 's/^/# stderr: /' "$T/err" >&2
	fi
	ok $([ "$rc" = "$_want" ]; echo $?) "$_what"
}

# is GOT WANT DESCRIPTION
is() {
	if [ "$1" != "$2" ]; then
		printf '# got:  %s\n# want: %s\n' "$1" "$2" >&2
	fi
	ok $([ "$1" = "$2" ]; echo $?) "$3"
}

# like FILE PATTERN DESCRIPTION: grep -E PATTERN in FILE
like() {
	if ! grep -Eq -- "$2" "$1"; then
		echo "# no /$2/ in $1:" >&2
		sed 's/^/#   /' "$1" >&2
	fi
	ok $(grep -Eq -- "$2" "$1"; echo $?) "$3"
}

# one_line FILE DESCRIPTION: FILE holds exactly one line, starting "prog: "
one_line_error() {
	_lines=$(wc -l <"$1")
	ok $([ "$_lines" = 1 ] && grep -q '^sd-[a-z]*: ' "$1"; echo $?) "$2"
}

# mkstore [DIR] [sd-init options]: an example store; prints nothing
mkstore() {
	_dir=${1:-$T/store}
	[ $# -gt 0 ] && shift
	SD_AGENT=carmen sd-init "$@" --example "$_dir" >/dev/null 2>&1 || {
		echo "Bail out! sd-init failed" ; exit 1; }
	export SD_STORE=$_dir
}

# clean DESCRIPTION: the store's files equal HEAD's tree and git fsck is clean
clean() {
	_s=${SD_STORE:?}
	_idx=$T/index.$$
	_ok=0
	GIT_INDEX_FILE=$_idx git --git-dir="$_s/.git" --work-tree="$_s" read-tree HEAD 2>/dev/null || _ok=1
	_st=$(GIT_INDEX_FILE=$_idx git --git-dir="$_s/.git" --work-tree="$_s" \
		status --porcelain --untracked-files=all --ignored=no 2>&1 | grep -v '^?? hooks/')
	rm -f "$_idx"
	[ -z "$_st" ] || { _ok=1; printf '# %s\n' "$_st" >&2; }
	git --git-dir="$_s/.git" fsck --no-dangling >/dev/null 2>&1 || { _ok=1; echo "# git fsck failed" >&2; }
	[ "$(cat "$_s/.git/sd-head" 2>/dev/null)" = "$(git --git-dir="$_s/.git" rev-parse HEAD)" ] ||
		{ _ok=1; echo "# .git/sd-head is not HEAD" >&2; }
	ok $_ok "$1"
}

# head_id: the store's HEAD commit id
head_id() { git --git-dir="${SD_STORE:?}/.git" rev-parse HEAD; }

# unchanged BEFORE DESCRIPTION: HEAD is still BEFORE and the store is clean
unchanged() {
	is "$(head_id)" "$1" "$2: no commit"
	clean "$2: store clean"
}

# run_in FILE CMD...: as run, with stdin from FILE instead of /dev/null
run_in() {
	_in=$1
	shift
	"$@" >"$T/out" 2>"$T/err" <"$_in"
	rc=$?
}

# expect_in FILE STATUS DESCRIPTION CMD...: as expect, with stdin from FILE
expect_in() {
	_in=$1 _want=$2 _what=$3
	shift 3
	run_in "$_in" "$@"
	if [ "$rc" != "$_want" ]; then
		echo "# $*: exit $rc, expected $_want" >&2
		sed 's/^/# stderr: /' "$T/err" >&2
	fi
	ok $([ "$rc" = "$_want" ]; echo $?) "$_what"
}

# sgit ARGS...: git on the store's repository
sgit() { git --git-dir="${SD_STORE:?}/.git" "$@"; }

# forge SUBJECT PATH...: commit the store's files PATH (relative to its
# root) as they are on disk - or their removal, when gone - with git
# plumbing alone, and mark the files equal to the new HEAD, as sd would
# have left them.  For planting what the commands cannot make.
forge() {
	_subject=$1
	shift
	_idx=$T/forge-index.$$
	rm -f "$_idx"
	GIT_INDEX_FILE=$_idx sgit read-tree HEAD || return 1
	for _p; do
		if [ -e "$SD_STORE/$_p" ]; then
			_blob=$(sgit hash-object -w -- "$SD_STORE/$_p") &&
			GIT_INDEX_FILE=$_idx sgit update-index --add --cacheinfo "100644,$_blob,$_p" || return 1
		else
			GIT_INDEX_FILE=$_idx sgit --work-tree="$SD_STORE" update-index --force-remove \
				-- "$_p" || return 1
		fi
	done
	_tree=$(GIT_INDEX_FILE=$_idx sgit write-tree) || return 1
	rm -f "$_idx"
	_commit=$(GIT_AUTHOR_NAME=forge GIT_AUTHOR_EMAIL=forge@example.org \
		GIT_COMMITTER_NAME=forge GIT_COMMITTER_EMAIL=forge@example.org \
		sgit commit-tree "$_tree" -p HEAD -m "$_subject") || return 1
	sgit update-ref HEAD "$_commit" "$(sgit rev-parse HEAD)" || return 1
	echo "$_commit" >"$SD_STORE/.git/sd-head"
}

# mkeditor: $T/editor, an EDITOR that applies the sed script $SD_SED to
# the file it is given
mkeditor() {
	printf '#!/bin/sh\nexec sed -i -e "$SD_SED" "$1"\n' >"$T/editor"
	chmod +x "$T/editor"
}

# json_value FILE EXPR: EXPR (Python, over the JSON document d read from
# FILE) written as it is, with no newline added; exit 1 if FILE is not JSON
json_value() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2])
sys.stdout.write(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

# fields ID KEY...: ticket ID's values of KEY..., separated by |
fields() {
	_id=$1
	shift
	for _k; do set -- "$@" --field "$_k"; shift; done
	sd-show "$@" "$_id" | tr '\n' '|' | sed 's/|$//'
}

# ini_get FILE SECTION KEY: the value of KEY in [SECTION] of FILE
ini_get() {
	awk -v s="[$2]" -v k="$3" '
		/^\[/ { in_s = ($0 == s); next }
		in_s && index($0, k " =") == 1 {
			v = substr($0, length(k) + 3); sub(/^ +/, "", v); print v; exit
		}' "$1"
}

# step NOW AGENT CMD...: run CMD at the instant NOW as AGENT, its output
# discarded; bail out when it fails.  For building a known history.
step() {
	_now=$1 _agent=$2
	shift 2
	SD_NOW=$_now SD_AGENT=$_agent "$@" >/dev/null 2>"$T/step.err" </dev/null || {
		echo "Bail out! $_now $_agent: $* failed: $(head -1 "$T/step.err")"
		exit 1
	}
}

# ticket_files_opened FILE: how many ticket files the strace log FILE
# (strace -f -e trace=openat) shows opened
ticket_files_opened() {
	grep -c '[/"][A-Za-z0-9]*-[0-9]*\.ini"' "$1"
}
