#!/bin/sh
# The files of a store are written relative to its directory, never
# through a symbolic link, never by opening a FIFO: a link or special file
# planted at any path of the layout that a command writes or reads is
# refused with exit 65 and one line naming it; the link's target outside
# the store is left byte for byte, HEAD does not move, and no command
# hangs.  Temporary names are exclusive and unguessable: a link planted at
# the name sd once used (.FILE.PID.tmp) is not followed.
. "${SD_TOP:-.}/tests/lib.sh"

HANG=${SD_FILES_HANG:-10}
# The template: an example store with SD-1 in it.
mkstore "$T/template"
step 2026-11-23T09:00:00-05:00 ana sd-new -t incident -s "VPN down" -r "Pedro" \
	-c network/vpn --email pedro@example.org
unset SD_STORE

# Outside any store: what a link points at, and its checksum.
mkdir -p "$T/outside/dir/000"
printf 'precious\n' >"$T/outside/file"
cp "$T/template/tickets/000/SD-1.ini" "$T/outside/dir/000/SD-1.ini"
outside_sum() { (cd "$T/outside" && find . -print | sort && find . -type f -exec cat {} +) | cksum; }
sum0=$(outside_sum)

# fresh: $SD_STORE a copy of the template.
k=0
fresh() {
	k=$((k + 1))
	export SD_STORE=$T/s$k
	cp -a "$T/template" "$SD_STORE"
}

cases=0
# refused DESC CMD...: CMD exits 65 with one line, in time; the outside is
# unchanged and so is HEAD.
refused() {
	_d=$1
	shift
	cases=$((cases + 1))
	_b=$(head_id)
	expect 65 "$_d: exit 65" timeout -s KILL "$HANG" "$@"
	one_line_error "$T/err" "$_d: one line"
	is "$(outside_sum)" "$sum0" "$_d: nothing outside the store changed"
	is "$(head_id)" "$_b" "$_d: HEAD unchanged"
}

# The commands that write, as words.
note="sd-note -m A-note 1"
new="sd-new -t incident -s Mail-down -r Eva -c email --email eva@example.org"

# --- symbolic links ------------------------------------------------------
fresh
ln -s "$T/outside/file" "$SD_STORE/tickets/000/SD-2.ini"
refused "a link where sd-new writes the new ticket" $new
ok $([ -L "$SD_STORE/tickets/000/SD-2.ini" ]; echo $?) "the link left where it was"

fresh
rm "$SD_STORE/tickets/000/SD-1.ini"
ln -s "$T/outside/dir/000/SD-1.ini" "$SD_STORE/tickets/000/SD-1.ini"
refused "a link to a copy of the ticket, where sd-note writes" $note
like "$T/err" "tickets/000/SD-1\.ini" "names the ticket file"

fresh
rm -r "$SD_STORE/tickets/000"
ln -s "$T/outside/dir/000" "$SD_STORE/tickets/000"
refused "the shard directory tickets/000 a link (sd-note)" $note
like "$T/err" "tickets/000: a symbolic link" "names the shard directory"
refused "the shard directory tickets/000 a link (sd-new)" $new

fresh
rm -r "$SD_STORE/tickets"
ln -s "$T/outside/dir" "$SD_STORE/tickets"
refused "tickets/ a link (sd-note)" $note
like "$T/err" "/tickets: a symbolic link" "names tickets"
refused "tickets/ a link (sd-new)" $new

for f in sd.ini sla.ini escalation.ini agents.ini; do
	fresh
	cp "$SD_STORE/$f" "$T/outside/$f.copy"
	sum1=$(outside_sum)
	rm "$SD_STORE/$f"
	ln -s "$T/outside/$f.copy" "$SD_STORE/$f"
	_b=$(head_id)
	cases=$((cases + 1))
	expect 65 "$f a link: sd-note exits 65" timeout -s KILL "$HANG" sd-note -m x 1
	one_line_error "$T/err" "$f a link: one line"
	like "$T/err" "$f: a symbolic link" "$f a link: named"
	SD_AGENT=carmen expect 65 "$f a link: sd-edit $f exits 65" \
		timeout -s KILL "$HANG" env EDITOR=true sd-edit "$f"
	is "$(outside_sum)" "$sum1" "$f a link: its target unchanged"
	is "$(head_id)" "$_b" "$f a link: HEAD unchanged"
	rm "$T/outside/$f.copy"
done

fresh
ln -s "$T/outside/file" "$SD_STORE/.git/sd.lock" 2>/dev/null ||
	{ rm -f "$SD_STORE/.git/sd.lock"; ln -s "$T/outside/file" "$SD_STORE/.git/sd.lock"; }
refused "the lock .git/sd.lock a link" $note
like "$T/err" "sd\.lock" "names the lock"

fresh
rm -f "$SD_STORE/.git/sd.lock"
ln -s "$T/outside/nothing" "$SD_STORE/.git/sd.lock"
refused "the lock a dangling link (it would be made)" $note
ok $([ ! -e "$T/outside/nothing" ]; echo $?) "nothing made at the dangling link's target"

fresh
cp "$SD_STORE/.git/sd-head" "$T/outside/sd-head"
sum1=$(outside_sum)
rm "$SD_STORE/.git/sd-head"
ln -s "$T/outside/sd-head" "$SD_STORE/.git/sd-head"
_b=$(head_id)
cases=$((cases + 1))
expect 65 "the marker .git/sd-head a link: exit 65" timeout -s KILL "$HANG" sd-note -m x 1
one_line_error "$T/err" "the marker a link: one line"
is "$(outside_sum)" "$sum1" "the marker a link: its target unchanged"
is "$(head_id)" "$_b" "the marker a link: HEAD unchanged"
rm "$T/outside/sd-head"

fresh
mkdir -p "$T/outside/tmpdir"
sum1=$(outside_sum)
rm -rf "$SD_STORE/.git/sd-tmp"
ln -s "$T/outside/tmpdir" "$SD_STORE/.git/sd-tmp"
_b=$(head_id)
cases=$((cases + 1))
expect 65 "the temporary directory .git/sd-tmp a link: exit 65" timeout -s KILL "$HANG" $note
one_line_error "$T/err" "the temporary directory a link: one line"
is "$(outside_sum)" "$sum1" "the temporary directory a link: nothing written through it"
is "$(head_id)" "$_b" "the temporary directory a link: HEAD unchanged"
rmdir "$T/outside/tmpdir"

# The report's cache, best effort: written through no link, the report
# itself still made (from the tickets).
fresh
mkdir -p "$T/outside/cache" "$SD_STORE/.git/sd-cache"
sum1=$(outside_sum)
rm -rf "$SD_STORE/.git/sd-cache/report"
ln -s "$T/outside/cache" "$SD_STORE/.git/sd-cache/report"
cases=$((cases + 1))
expect 0 "the report cache a link: the report is still made" sd-report
cp "$T/out" "$T/report"
expect 0 "the report cache a link: and without the cache" sd-report --no-cache
is "$(cat "$T/report")" "$(cat "$T/out")" "the report cache a link: the same report"
is "$(outside_sum)" "$sum1" "the report cache a link: nothing written through it"
rmdir "$T/outside/cache"

# --- FIFOs: refused, never waited on ---------------------------------------
fresh
mkfifo "$SD_STORE/tickets/000/SD-2.ini"
refused "a FIFO where sd-new writes" $new
like "$T/err" "SD-2\.ini: a FIFO" "names the FIFO"

fresh
rm "$SD_STORE/tickets/000/SD-1.ini"
mkfifo "$SD_STORE/tickets/000/SD-1.ini"
refused "the ticket file a FIFO (sd-note)" $note
refused "the ticket file a FIFO (sd-show)" sd-show 1
# A FIFO with a writer that never writes: still not waited on.
sleep 30 >"$SD_STORE/tickets/000/SD-1.ini" &
writer=$!
refused "the ticket file a FIFO held open by a writer (sd-show)" sd-show 1
cases=$((cases + 1))
run timeout -s KILL "$HANG" sd-list
ok $([ "$rc" != 137 ] && [ "$rc" != 0 ]; echo $?) "sd-list beside a held FIFO: fails, no hang ($rc)"
kill $writer 2>/dev/null
wait $writer 2>/dev/null

fresh
rm -r "$SD_STORE/tickets/000"
mkfifo "$SD_STORE/tickets/000"
refused "the shard directory a FIFO (sd-new)" $new

fresh
rm -r "$SD_STORE/tickets"
mkfifo "$SD_STORE/tickets"
refused "tickets/ a FIFO (sd-new)" $new

fresh
rm "$SD_STORE/sla.ini"
mkfifo "$SD_STORE/sla.ini"
refused "sla.ini a FIFO (sd-note)" $note

fresh
rm -f "$SD_STORE/.git/sd.lock"
mkfifo "$SD_STORE/.git/sd.lock"
refused "the lock a FIFO" $note

fresh
rm "$SD_STORE/.git/sd-head"
mkfifo "$SD_STORE/.git/sd-head"
refused "the marker a FIFO" $note

# A device and a socket, where root can make them.
fresh
if mknod "$SD_STORE/tickets/000/SD-2.ini" c 1 3 2>/dev/null; then     # /dev/null's
	refused "a device where sd-new writes" $new
	like "$T/err" "a device" "says a device"
	fresh
	rm -f "$SD_STORE/.git/sd.lock"
	mknod "$SD_STORE/.git/sd.lock" c 1 3
	refused "the lock a device" $note
else
	echo "# no devices: mknod needs root (CAP_MKNOD)"
fi
if command -v python3 >/dev/null; then
	fresh
	python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' \
		"$SD_STORE/tickets/000/SD-2.ini"
	refused "a socket where sd-new writes" $new
	like "$T/err" "a socket" "says a socket"
fi

# --- temporary names -----------------------------------------------------
# sd once wrote .SD-2.ini.PID.tmp then renamed it: a link planted at that
# name, PID known in advance (exec keeps the shell's), made it overwrite
# any file.  Now the name is exclusive and unguessable.
fresh
cases=$((cases + 1))
expect 0 "a link at the old temporary name of the new ticket: sd-new succeeds" sh -c '
	ln -s "$1" "$SD_STORE/tickets/000/.SD-2.ini.$$.tmp"
	ln -s "$1" "$SD_STORE/.git/.sd-head.$$.tmp"
	ln -s "$1" "$SD_STORE/.git/sd-head.tmp"
	exec sd-new -t incident -s "Mail down" -r "Eva" -c email --email eva@example.org' sh \
	"$T/outside/file"
is "$(outside_sum)" "$sum0" "the link's target unchanged"
ok $([ -f "$SD_STORE/tickets/000/SD-2.ini" ] && [ ! -L "$SD_STORE/tickets/000/SD-2.ini" ]; echo $?) \
	"SD-2.ini a regular file"
cases=$((cases + 1))
expect 0 "a link at the old temporary name of an existing ticket: sd-note succeeds" sh -c '
	ln -s "$1" "$SD_STORE/tickets/000/.SD-1.ini.$$.tmp"
	exec sd-note -m "A note" 1' sh "$T/outside/file"
is "$(outside_sum)" "$sum0" "the link's target unchanged"
ls -a "$SD_STORE/tickets/000" "$SD_STORE/.git" | grep '\.tmp$' | grep -v '^\.SD-[12]\.ini\.[0-9]*\.tmp$' |
	grep -v '^\.sd-head\.[0-9]*\.tmp$' | grep -v '^sd-head\.tmp$' >"$T/tmps"
is "$(cat "$T/tmps")" "" "no temporary file of sd's left"
# Two temporary names are never the same.
sd-note -m "Again" 1 >/dev/null 2>&1
is "$(sd-show --field id 1)" "SD-1" "the store still works"

# --- sd-fsck --repair and a tickets link -------------------------------------
fresh
rm -r "$SD_STORE/tickets"
ln -s "$T/outside/dir" "$SD_STORE/tickets"
cases=$((cases + 1))
expect 65 "sd-fsck --repair with tickets a link: a defect, exit 65" sd-fsck --repair
like "$T/out" "tickets" "tickets reported"
is "$(outside_sum)" "$sum0" "the link's target unchanged"
expect 0 "a second sd-fsck --repair mends it" sd-fsck --repair
ok $([ -d "$SD_STORE/tickets" ] && [ ! -L "$SD_STORE/tickets" ] &&
	[ -f "$SD_STORE/tickets/000/SD-1.ini" ]; echo $?) "tickets a directory again, SD-1 in it"
clean "store clean after the repairs"

fresh
rm "$SD_STORE/tickets/000/SD-1.ini"
mkfifo "$SD_STORE/tickets/000/SD-1.ini"
cases=$((cases + 1))
expect 65 "sd-fsck with a FIFO in a ticket's place: 65, no hang" timeout -s KILL "$HANG" sd-fsck
expect 0 "sd-fsck --repair replaces the FIFO (renamed over, not written into)" \
	timeout -s KILL "$HANG" sd-fsck --repair
ok $([ -f "$SD_STORE/tickets/000/SD-1.ini" ] && [ ! -p "$SD_STORE/tickets/000/SD-1.ini" ]; echo $?) \
	"SD-1.ini a regular file again"
clean "store clean"

echo "# $cases planted cases"
done_testing
