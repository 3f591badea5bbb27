#!/bin/sh
# faults: a change is in HEAD and the command exits 0 (a late failure is a
# warning), or it is not and the command exits non-zero - never both.  An
# LD_PRELOAD shim (tests/fault/fault.c) fails the Nth call of one kind
# (write, pwrite, fsync, fdatasync, rename, renameat, open with O_CREAT,
# close) of the command alone - libgit2's own calls included - with ENOSPC
# or EIO, for every N up to the number of such calls the change makes
# (counted by the shim first): under `make stress` (SD_STRESS_SCALE above
# 1) each N with both, in `make check` ENOSPC for odd N and EIO for even.  After each: a failed command run again
# makes the change once (no duplicate), the next command brings the files
# in line, and sd-fsck finds the store sound.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"

SO=${SD_FAULT_SO:-$SD_BIN/../tests/fault.so}
if [ ! -f "$SO" ]; then
	echo "1..0 # SKIP no $SO (make units builds it)"
	exit 0
fi
# The shim must be preloaded into sd's programs themselves, not a wrapper
# (make check-valgrind's scripts).
if [ "$(head -c 4 "$SD_BIN/sd-note" | od -An -c | tr -d ' ')" != '177ELF' ]; then
	echo "1..0 # SKIP $SD_BIN/sd-note is no program of its own (a wrapper)"
	exit 0
fi
# The shim comes before an AddressSanitizer runtime in a sanitized build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
mkstore
new_ticket              # SD-1, for the notes
runs=0

# faulty KIND N ERRNO CMD...: CMD with the Nth call of KIND failing
faulty() {
	_k=$1 _n=$2 _e=$3
	shift 3
	LD_PRELOAD=$SO FAULT_CALL=$_k FAULT_N=$_n FAULT_ERRNO=$_e "$@" \
		>"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# sound: the next command (sd-show opens the store, bringing the files in
# line) and sd-fsck exit 0, and the files are HEAD's, the mark HEAD
sound() {
	sd-show 1 >/dev/null 2>"$T/next.err" || { sed 's/^/# next: /' "$T/next.err"; return 1; }
	sd-fsck >"$T/fsck.out" 2>&1 || { sed 's/^/# fsck: /' "$T/fsck.out"; return 1; }
	[ "$(cat "$SD_STORE/.git/sd-head")" = "$(head_id)" ] || { echo "# mark is not HEAD"; return 1; }
	GIT_INDEX_FILE=$T/index sgit --work-tree="$SD_STORE" read-tree HEAD || return 1
	_st=$(GIT_INDEX_FILE=$T/index sgit --work-tree="$SD_STORE" status --porcelain \
		--untracked-files=all | grep -v '^?? hooks/')
	rm -f "$T/index"
	[ -z "$_st" ] || { printf '# %s\n' "$_st"; return 1; }
}

# matrix NAME: for every kind, N and errno, prep_NAME TAG (what the change
# needs), do_NAME TAG under the fault (a failed one run again without),
# then once_NAME TAG (the change in HEAD once) and sound.  The calls are
# counted on a first change, do_NAME count.  One test line per kind and
# errno.
matrix() {
	_name=$1
	prep_$_name count
	pre="env LD_PRELOAD=$SO FAULT_COUNT=$T/counts"
	do_$_name count ||
		{ sed 's/^/# /' "$T/err"; bail "$_name: the counting run failed"; }
	pre=
	while read -r _kind _count; do
		if [ "$_count" = 0 ]; then
			echo "# $_name: no $_kind"
			continue
		fi
		for _e in ENOSPC EIO; do
			_bad=0 _i=1 _tried=0
			while [ "$_i" -le "$_count" ]; do
				# make check: ENOSPC for odd N, EIO for even; make stress: both.
				if [ "${SD_STRESS_SCALE:-1}" = 1 ] && [ $((_i % 2)) = "$([ $_e = ENOSPC ]; echo $?)" ]; then
					_i=$((_i + 1))
					continue
				fi
				_tried=$((_tried + 1))
				_tag="$_kind-$_i-$_e"
				prep_$_name "$_tag"
				_before=$(head_id)
				pre="env LD_PRELOAD=$SO FAULT_CALL=$_kind FAULT_N=$_i FAULT_ERRNO=$_e"
				do_$_name "$_tag"
				_rc=$?
				pre=
				runs=$((runs + 1))
				_after=$(head_id)
				if [ "$_rc" = 0 ]; then
					[ "$(sgit rev-parse "$_after~1")" = "$_before" ] ||
						{ _bad=1; echo "# $_name $_tag: exit 0, HEAD not one commit on"; }
				elif [ "$_after" != "$_before" ]; then
					_bad=1
					echo "# $_name $_tag: exit $_rc, but HEAD moved"
				elif ! do_$_name "$_tag" || [ "$(sgit rev-parse HEAD~1)" != "$_before" ]; then
					_bad=1
					echo "# $_name $_tag: run again, not one commit"
				fi
				once_$_name "$_tag" || { _bad=1; echo "# $_name $_tag: not once in HEAD"; }
				sound || { _bad=1; echo "# $_name $_tag: not sound after"; }
				_i=$((_i + 1))
			done
			ok $_bad "$_name: $_kind $_e, $_tried of $_count calls: in HEAD and 0, or not and non-zero; sound"
		done
	done <"$T/counts"
}

# $pre: how the command is run (env with the shim's variables, or nothing).
pre=
prep_note() { :; }
do_note() { $pre sd-note -m "note $1" 1 >"$T/out" 2>"$T/err" </dev/null; }
once_note() { [ "$(sgit show HEAD:tickets/000/SD-1.ini | grep -c "note $1\$")" = 1 ]; }

prep_new() { :; }
do_new() {
	$pre sd-new -t incident -s "Fault $1" -r "Pedro Ruiz" -c network/vpn \
		--email pedro@example.org >"$T/out" 2>"$T/err" </dev/null
}
once_new() { [ "$(sgit grep -l "^title = Fault $1\$" HEAD -- tickets | wc -l)" = 1 ]; }

# A ticket assigned to ana for each run, made without the shim.
prep_solve() {
	new_ticket
	quiet sd-assign "$made" ana
	solve=$made
}
do_solve() { $pre sd-solve -m "solved $1" "$solve" >"$T/out" 2>"$T/err" </dev/null; }
once_solve() {
	sgit show "HEAD:$(printf 'tickets/%03d/SD-%d.ini' $((solve / 1000)) "$solve")" >"$T/ticket" &&
	grep -q '^status = solved$' "$T/ticket" &&
	[ "$(grep -c "^text = solved $1\$" "$T/ticket")" = 2 ]    # its event and [solution]
}

matrix note
matrix new
matrix solve
echo "# $runs fault runs"

# The three renames of a note, one by one: the branch's (its lock file
# renamed into place by libgit2, rename), then the ticket file's and the
# mark's (renamed from sd's temporary directory, renameat 1 and 2).
before=$(head_id)
pre="env LD_PRELOAD=$SO FAULT_CALL=rename FAULT_N=1 FAULT_ERRNO=ENOSPC"
do_note ref; rc=$?
is "$rc" 74 "the branch's rename fails: exit 74"
one_line_error "$T/err" "one line on stderr"
like "$T/err" "^sd-note: moving the branch: .*No space left on device" "says the branch did not move"
is "$(head_id)" "$before" "HEAD unchanged"
ok $(sound; echo $?) "sound"
for n in 2 3; do
	what=$([ $n = 2 ] && echo "tickets/000/SD-1.ini" || echo ".git/sd-head")
	before=$(head_id)
	pre="env LD_PRELOAD=$SO FAULT_CALL=renameat FAULT_N=$((n - 1)) FAULT_ERRNO=ENOSPC"
	do_note "rename $n"; rc=$?
	is "$rc" 0 "$what's rename fails after the branch moved: exit 0"
	is "$(wc -l <"$T/err")" 1 "$what: one line on stderr"
	like "$T/err" "^sd-note: warning: the change is made, but .*/$what: No space left on device; the next command brings the files in line\$" \
		"$what: a warning naming it"
	is "$(sgit rev-parse HEAD~1)" "$before" "$what: one commit"
	ok $(once_note "rename $n"; echo $?) "$what: the note once"
	ok $(sound; echo $?) "$what: sound"
done
pre=
done_testing
