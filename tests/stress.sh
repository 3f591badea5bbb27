# tests/stress.sh - helpers for the concurrency and crash tests
# (tests/cmd/concurrency.t, tests/stress/kill.sh).  Source it after
# tests/lib.sh; it uses lib.sh's $T and $SD_STORE.

# stress_count BASE: BASE times $SD_STRESS_SCALE (a whole number, default
# 1); `make stress` runs with a larger scale
stress_count() {
	_scale=${SD_STRESS_SCALE:-1}
	case $_scale in
	'' | *[!0-9]* | 0)
		echo "Bail out! SD_STRESS_SCALE must be a whole number from 1, not '$_scale'"
		exit 1 ;;
	esac
	echo $(($1 * _scale))
}

# now_ms: milliseconds since the epoch
now_ms() { date +%s%3N; }

# timed LOG TAG TICKET CMD...: run CMD (stdin /dev/null, stdout in
# $LOG.out, stderr in $LOG.err; a command still running after
# $SD_STRESS_HANG seconds, default 120, is killed: exit 124) and append to
# LOG one line "TAG TICKET RC MS LINES FIRST": MS its wall time in
# milliseconds, LINES the number of lines of its stdout, FIRST the first
# ("-" when empty).  A failure other than 75 also appends the command and
# its stderr to LOG.fail.  $rc is CMD's exit status.
timed() {
	_log=$1 _tag=$2 _tk=$3
	shift 3
	_t0=$(now_ms)
	timeout -s KILL "${SD_STRESS_HANG:-120}" "$@" >"$_log.out" 2>"$_log.err" </dev/null
	rc=$?
	_t1=$(now_ms)
	[ "$rc" = 137 ] && rc=124      # timeout -s KILL: the command hung
	_first=$(head -n 1 "$_log.out")
	echo "$_tag $_tk $rc $((_t1 - _t0)) $(wc -l <"$_log.out") ${_first:--}" >>"$_log"
	if [ "$rc" != 0 ] && [ "$rc" != 75 ]; then
		{ echo "exit $rc: $*"; sed 's/^/  /' "$_log.err"; } >>"$_log.fail"
	fi
}

# store_problems [DIR]: print what is wrong with the store DIR (default
# $SD_STORE) as lib.sh's `clean` sees it - files that differ from HEAD's
# tree (hooks/ aside), errors of git fsck, .git/sd-head not HEAD - one per
# line; exit 1 when anything is, 0 when nothing
store_problems() {
	_s=${1:-${SD_STORE:?}}
	_idx=$T/stress-index.$$
	_bad=0
	rm -f "$_idx"
	if ! GIT_INDEX_FILE=$_idx git --git-dir="$_s/.git" --work-tree="$_s" read-tree HEAD \
	    2>/dev/null; then
		echo "HEAD has no tree"
		_bad=1
	else
		_st=$(GIT_INDEX_FILE=$_idx git --git-dir="$_s/.git" --work-tree="$_s" \
			status --porcelain --untracked-files=all --ignored=no 2>&1 | grep -v '^?? hooks/')
		[ -z "$_st" ] || { printf 'files: %s\n' "$_st"; _bad=1; }
	fi
	rm -f "$_idx"
	if ! git --git-dir="$_s/.git" fsck --no-dangling --no-progress >"$T/stress-fsck" 2>&1; then
		sed 's/^/git fsck: /' "$T/stress-fsck"
		_bad=1
	fi
	_head=$(git --git-dir="$_s/.git" rev-parse -q --verify HEAD 2>/dev/null)
	_mark=$(cat "$_s/.git/sd-head" 2>/dev/null)
	[ -n "$_head" ] && [ "$_mark" = "$_head" ] ||
		{ echo ".git/sd-head is '$_mark', HEAD is '$_head'"; _bad=1; }
	return $_bad
}

# ids_dense [DIR]: the tickets of the store DIR (default $SD_STORE), by
# their file names, are PREFIX-1 to PREFIX-N with no gap and no double;
# else print the numbers and exit 1
ids_dense() {
	_s=${1:-${SD_STORE:?}}
	find "$_s/tickets" -name '*-[0-9]*.ini' ! -name '.*' 2>/dev/null |
		sed 's/.*-\([0-9]*\)\.ini$/\1/' | sort -n >"$T/stress-ids"
	_n=$(wc -l <"$T/stress-ids")
	if [ "$_n" = 0 ] || seq 1 "$_n" | cmp -s - "$T/stress-ids"; then
		return 0
	fi
	echo "ticket numbers are not 1..$_n:" $(tr '\n' ' ' <"$T/stress-ids")
	return 1
}

# kill_after US OUT ERR CMD...: start CMD (stdin /dev/null, stdout to the
# file OUT, stderr to ERR), send it SIGKILL US microseconds later unless it
# is done, reap it, and print "killed", "exit N" or "signal N" (another
# signal).  Only CMD's own process gets the signal, as when it crashes; a
# child of it (an editor, git gc) lives on.
kill_after() {
	perl -MPOSIX=:sys_wait_h -MTime::HiRes=usleep -e '
		my ($us, $out, $err) = splice(@ARGV, 0, 3);
		my $pid = fork() // die "fork: $!\n";
		if (!$pid) {
			open(STDIN, "<", "/dev/null");
			open(STDOUT, ">", $out) or die "$out: $!\n";
			open(STDERR, ">", $err) or die "$err: $!\n";
			exec(@ARGV) or exit(127);
		}
		usleep($us) if $us > 0;
		if (waitpid($pid, WNOHANG) == 0) {
			kill("KILL", $pid);
			waitpid($pid, 0);
		}
		print !WIFSIGNALED($?) ? "exit " . WEXITSTATUS($?) . "\n" :
		    WTERMSIG($?) == 9 ? "killed\n" : "signal " . WTERMSIG($?) . "\n";
	' "$@"
}

# big_text FILE KIB: FILE, KIB KiB of printable text in lines of 76
# characters (varied, so that zlib has work)
big_text() {
	head -c $(($2 * 1024 * 3 / 4)) /dev/urandom | base64 -w 76 >"$1"
}
