#!/bin/sh
# The index of tickets' histories (.git/sd-history): sd-show --history
# lists from it what the walk through the whole history lists, and what
# git log says of the ticket's file, after every kind of change to HEAD:
# sd's commands, a push into the store, a git reset by hand, a failed or
# killed writer, a file cut short or changed by hand, writers side by side.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
g=$SD_STORE/.git
idx=$g/sd-history
step 2026-11-23T09:00:00-05:00 ana sd-new -t incident -s "VPN down" -r Pedro \
	-c network/vpn --email pedro@example.org
step 2026-11-23T09:05:00-05:00 ana sd-new -t incident -s "Mail slow" -r Eva \
	-c email --email eva@example.org
step 2026-11-23T09:10:00-05:00 ana sd-note -m "Looking." 1
step 2026-11-23T09:20:00-05:00 ana sd-assign --me 2
step 2026-11-23T09:30:00-05:00 ana sd-note -m "Still down." 1

# ids ID: the full commit ids sd-show --history lists for ID, one a line
ids() {
	sd-show --history --format json "$1" | sed -n 's/^,\{0,1\}{"commit":"\([0-9a-f]*\)".*/\1/p'
}
# walk ID: the same from the walk (no index to read, the lock not to be
# had, so that none is made)
walk() {
	mv "$idx" "$T/aside" 2>/dev/null
	flock "$g/sd.lock" env SD_LOCK_TIMEOUT=0 sh -c \
		'sd-show --history --format json "$1"' sh "$1" |
		sed -n 's/^,\{0,1\}{"commit":"\([0-9a-f]*\)".*/\1/p'
	[ ! -e "$idx" ] || echo made >"$T/made"
	rm -rf "$idx"
	mv "$T/aside" "$idx" 2>/dev/null
}
# gitlog ID: git log of the ticket's file (a linear history)
gitlog() {
	sgit log --format=%H -- "tickets/000/SD-$1.ini"
}
# agree WHAT: for SD-1 and SD-2, the index, the walk and git log agree
agree() {
	for _t in 1 2; do
		ids $_t >"$T/ix"
		rm -f "$T/made"
		walk $_t >"$T/walk"
		ok $([ ! -e "$T/made" ]; echo $?) "$1: SD-$_t: the walk made no index"
		gitlog $_t >"$T/log"
		ok $([ -s "$T/ix" ] && cmp -s "$T/ix" "$T/walk"; echo $?) \
			"$1: SD-$_t from the index as from the walk"
		ok $(cmp -s "$T/ix" "$T/log"; echo $?) "$1: SD-$_t as git log says"
	done
}
marker() { sed -n 's/^sd-history 1 //p' "$idx/HEAD" 2>/dev/null; }

# Commands leave the index where it is (a commit costs no more); the
# next reader brings it up to HEAD, one commit at a time.
ok $([ -n "$(marker)" ] && [ "$(marker)" != "$(head_id)" ]; echo $?) \
	"sd-init made the index; the commands since did not move it"
agree "brought up by the first reading since sd-init"
rm -rf "$idx"
agree "made again by the first reading (a store from before the index)"
is "$(marker)" "$(head_id)" "the index is at HEAD"
is "$(gitlog 1 | wc -l)" 3 "SD-1: made, noted twice (hand-counted)"
is "$(gitlog 2 | wc -l)" 2 "SD-2: made, assigned (hand-counted)"
like "$idx/tickets/000" "^end 2 [0-9a-f]{16}$" "the shard's file: two tickets, and its sum"
expect 0 "sd-fsck finds the store sound beside the index" sd-fsck

# A commit leaves the index behind; a reading puts it first in its line.
before=$(marker)
step 2026-11-23T10:00:00-05:00 ana sd-note -m "Rebooted." 1
is "$(marker)" "$before" "sd-note left the index where it was"
ids 1 >/dev/null
is "$(marker)" "$(head_id)" "the next reading moved it to HEAD"
first=$(sed -n 's/^SD-1\.ini \([0-9a-f]*\).*/\1/p' "$idx/tickets/000")
is "$first" "$(head_id)" "and put the note first in SD-1's line"
step 2026-11-23T10:05:00-05:00 ana sd-solve -m "Fixed the tunnel." 1
step 2026-11-23T10:10:00-05:00 ana sd-note -m "Waiting for Eva." 2
agree "after sd-note, sd-solve"

# A push into the store: HEAD moved without sd, the reader catches up.
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
git clone -q "$central" "$T/work"
expect 0 "a clone becomes a store" sd-fsck -C "$T/work" --repair
SD_STORE=$T/work step 2026-11-23T11:00:00-05:00 ana sd-note -m "From the clone." 2
SD_STORE=$T/work step 2026-11-23T11:05:00-05:00 ana sd-note -m "Again." 1
git --git-dir="$T/work/.git" push -q "$SD_STORE" main:main 2>/dev/null ||
	git --git-dir="$T/work/.git" push -q "file://$SD_STORE" HEAD:refs/heads/main
is "$(head_id)" "$(git --git-dir="$T/work/.git" rev-parse HEAD)" "pushed into the store"
behind=$(marker)
ok $([ "$behind" != "$(head_id)" ]; echo $?) "the index is behind HEAD"
agree "after a push"
is "$(marker)" "$(head_id)" "the reader brought it to HEAD"
expect 0 "the pushed clone's store is sound" sd-fsck --repair

# A git reset by hand (history rewritten), then new commits.
sgit --work-tree="$SD_STORE" reset -q --hard HEAD~2
expect 0 "sd-fsck --repair after the reset" sd-fsck --repair
step 2026-11-23T12:00:00-05:00 ana sd-note -m "After the reset." 2
ok $([ "$(marker)" != "$(head_id)" ]; echo $?) "the writer left an index it cannot extend"
agree "after git reset --hard HEAD~2 and a note"

# A shard's file cut short, at a line's end and within one, and changed.
f=$idx/tickets/000
head -n 2 "$f" >"$T/cut"; tail -n 1 "$f" >>"$T/cut"; cp "$T/cut" "$f"
agree "a line taken out (the sum and count catch it)"
like "$f" "^end 2 " "rebuilt: both tickets again"
size=$(wc -c <"$f")
truncate -s $((size - 7)) "$f"
agree "cut short within its last line"
sed -i 's/^\(SD-2\.ini [0-9a-f]\{10\}\)[0-9a-f]/\1x/' "$f"
agree "a digit changed by hand"
sed -i '1s/^sd-history 1$/sd-history 9/' "$f"
agree "an unknown header"
: >"$f"
agree "empty"
rm -f "$f"
agree "removed"
printf 'sd-history 1 %s\n' "$(sgit rev-parse HEAD~3)" >"$idx/HEAD"
agree "a marker set back by hand (the commits after it applied again, once)"
printf 'garbage\n' >"$idx/HEAD"
agree "a marker not well formed"
# shard LINE...: a shard's file of those lines, its count and its sum
# (FNV-1a, 64 bits) as sd writes them
shard() {
	printf 'sd-history 1\n' >"$T/s"
	for _l; do printf '%s\n' "$_l" >>"$T/s"; done
	# perl's doubles lose the low bits of the product: bigint.
	_sum=$(perl -Mbigint -e 'local $/; my $d = <STDIN>; my $h = 0xcbf29ce484222325;
		for my $c (unpack "C*", $d) { $h ^= $c; $h = ($h * 0x100000001b3) % 2**64; }
		print substr("0" x 16 . $h->as_hex =~ s/^0x//r, -16)' <"$T/s")
	printf 'end %d %s\n' $# "$_sum" >>"$T/s"
	cat "$T/s"
}
# The index is what is read: a file that checks is believed.
shard "SD-1.ini $(head_id)" "SD-2.ini $(gitlog 2 | tr '\n' ' ' | sed 's/ $//')" >"$f"
is "$(ids 1)" "$(head_id)" "a well-formed file is read as it says (one commit for SD-1)"
is "$(ids 2)" "$(gitlog 2)" "and SD-2's line from it"
# A shard's file that checks but lacks a ticket HEAD has.
shard >"$f"
ids 1 >"$T/ix"
ok $([ -s "$T/ix" ] && cmp -s "$T/ix" "$(gitlog 1 >"$T/log"; echo "$T/log")"; echo $?) \
	"a well-formed file without SD-1: rebuilt, SD-1's line as git log says"

# A writer killed while writing the index (its marker says "pending").
step 2026-11-23T13:00:00-05:00 ana sd-note -m "Before the kill." 1
printf 'sd-history 1 pending\n' >"$idx/HEAD"
printf 'sd-history 1\nSD-1.ini %s\nend 1 0000000000000000\n' "$(head_id)" >"$f"
agree "a writer killed between its marker and its shard"
# A reader whose index write fails (the shim fails each call in turn):
# what it lists is still right, and the next reading's too.
SO=$SD_BIN/../tests/fault.so
if [ -f "$SO" ] && [ "$(head -c 4 "$SD_BIN/sd-show" | od -An -c | tr -d ' ')" = '177ELF' ]; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	ids 1 >/dev/null
	sd-note -m "counted" 1 >/dev/null 2>&1
	LD_PRELOAD=$SO FAULT_COUNT=$T/count sd-show --history 1 >/dev/null 2>&1
	n=$(sed -n 's/^renameat //p' "$T/count")
	bad=0
	i=1
	while [ "$i" -le "${n:-0}" ]; do
		sd-note -m "fault $i" 1 >/dev/null 2>&1 </dev/null
		LD_PRELOAD=$SO FAULT_CALL=renameat FAULT_N=$i FAULT_ERRNO=EIO \
			sd-show --history --format json 1 </dev/null 2>/dev/null |
			sed -n 's/^,\{0,1\}{"commit":"\([0-9a-f]*\)".*/\1/p' >"$T/ix"
		gitlog 1 >"$T/log"
		cmp -s "$T/ix" "$T/log" || { bad=1; echo "# renameat $i: the failed reading differs"; }
		for t in 1 2; do
			ids $t >"$T/ix"; gitlog $t >"$T/log"
			cmp -s "$T/ix" "$T/log" || { bad=1; echo "# renameat $i: SD-$t differs"; }
		done
		i=$((i + 1))
	done
	ok $([ "${n:-0}" -ge 2 ] && [ $bad = 0 ]; echo $?) \
		"renameat failing at each of its $n calls in a reading: the history as git log says"
else
	ok 0 "# SKIP no fault shim"
fi

# Writers side by side, on different tickets, then compared.
before=$(gitlog 1 | wc -l)
( for i in 1 2 3 4 5 6; do sd-note -m "A $i" 1 >/dev/null 2>&1; done ) &
p1=$!
( for i in 1 2 3 4 5 6; do sd-note -m "B $i" 2 >/dev/null 2>&1; done ) &
p2=$!
( for i in 1 2 3 4 5 6; do ids 1 >/dev/null; done ) &
p3=$!
wait $p1 $p2 $p3
is "$(ids 1 | wc -l)" $((before + 6)) "SD-1: its six notes more"
is "$(marker)" "$(head_id)" "after the writers, the index at HEAD"
agree "after two writers side by side and a reader"
expect 0 "sound" sd-fsck

done_testing
