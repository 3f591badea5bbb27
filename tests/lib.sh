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
