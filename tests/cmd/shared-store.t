#!/bin/sh
# A store shared by a group (sd(7), SHARED STORES), with real users:
# sd-init --group GROUP makes it (core.sharedRepository = group, setgid
# directories, group-writable files); user A registers a ticket, user B
# notes it, a third member, the MTA's user, runs sd-mail; a user not in
# the group is refused with 77 and one line.  Needs root (useradd,
# groupadd, runuser); the users and the group, unique to this run, are
# removed at the end.
. "${SD_TOP:-.}/tests/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
	echo "1..0 # SKIP needs root, useradd and runuser"
	exit 0
fi

tag=sd$$$(date +%S)
grp=${tag}g
ua=${tag}a ub=${tag}b um=${tag}m uo=${tag}o
cleanup() {
	for u in $ua $ub $um $uo; do userdel "$u" >/dev/null 2>&1; done
	groupdel "$grp" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
groupadd "$grp" || { echo "Bail out! groupadd failed"; exit 1; }
for u in $ua $ub $um; do
	useradd -M -N -g users -G "$grp" -s /bin/sh -d /nonexistent "$u" ||
		{ echo "Bail out! useradd $u failed"; exit 1; }
done
useradd -M -N -g users -s /bin/sh -d /nonexistent "$uo" || { echo "Bail out! useradd failed"; exit 1; }

# The programs and share/ where the users can run and read them.
chmod 755 "$T"
mkdir "$T/bin" "$T/srv"
cp "$SD_BIN"/sd* "$T/bin/"
cp -r "$SD_SHAREDIR" "$T/share"
chmod -R a+rX "$T/bin" "$T/share"
# The administrator's part: a directory the group may make stores in.
chgrp "$grp" "$T/srv"
chmod 2775 "$T/srv"
M=$SD_TOP/tests/mail
cp "$M/reply.eml" "$T/reply.eml"
chmod 644 "$T/reply.eml"
S=$T/srv/desk

# as USER AGENT CMD...: run CMD as USER, acting as AGENT, in the store.
as() {
	_u=$1 _a=$2
	shift 2
	runuser -u "$_u" -- env -i PATH="$T/bin:/usr/bin:/bin" SD_SHAREDIR="$T/share" \
		SD_STORE="$S" SD_AGENT="$_a" SD_NOW="$SD_NOW" LC_ALL=C.UTF-8 SD_LOCK_TIMEOUT=5 \
		HOME=/nonexistent "$@"
}

# --- sd-init --group -------------------------------------------------------
expect 0 "$ua: sd-init --group $grp" as "$ua" carmen sd-init --group "$grp" --example "$S"
is "$(stat -c '%U %G %A' "$S")" "$ua $grp drwxrwsr-x" "the store: A's, the group's, setgid"
is "$(git --git-dir="$S/.git" config core.sharedRepository)" "group" \
	"core.sharedRepository = group"
is "$(stat -c '%G %A' "$S/sd.ini")" "$grp -rw-rw-r--" "sd.ini: the group's, group-writable"
is "$(stat -c '%G %A' "$S/.git/refs/heads")" "$grp drwxrwsr-x" ".git/refs/heads: setgid, group-writable"
is "$(find "$S" -type d ! -perm -2070 | head -3)" "" "every directory setgid and group-writable"

# --- A registers, B notes, the MTA mails ------------------------------------
expect 0 "$ua registers a ticket" as "$ua" carmen sd-new -t incident -s "VPN down" -r Pedro \
	-c network/vpn --email pedro.ruiz@example.org
is "$(cat "$T/out")" "SD-1" "SD-1"
is "$(stat -c '%U %G %A' "$S/tickets/000/SD-1.ini")" "$ua $grp -rw-rw-r--" \
	"the ticket file: A's, the group's, group-writable"
is "$(stat -c '%G %A' "$S/tickets/000")" "$grp drwxrwsr-x" "its shard: the group's, setgid"
expect 0 "$ub (another member) notes it" as "$ub" ana sd-note -m "Looking" 1
is "$(stat -c '%U %G' "$S/tickets/000/SD-1.ini")" "$ub $grp" "rewritten by B, still the group's"
expect 0 "$ua notes it again after B" as "$ua" carmen sd-note -m "Thanks" 1
expect_in "$T/reply.eml" 0 "$um (the MTA's user, a member) runs sd-mail" \
	as "$um" mail sd-mail
is "$(cat "$T/out")" "SD-1" "the mail became a note on SD-1"
expect 0 "$um registers a ticket with sd-new" as "$um" mail sd-new -t request -s "Printer" \
	-r Eva -c email --email eva@example.org
is "$(git --git-dir="$S/.git" log --format=%s | wc -l)" 6 "six commits"
expect 0 "$ub: sd-show" as "$ub" ana sd-show 1
expect 0 "$ub: sd-fsck finds nothing (git fsck trusts the shared store)" as "$ub" ana sd-fsck
is "$(find "$S" ! -group "$grp" | head -3)" "" "every file the group's"
is "$(find "$S/.git/objects" -type d ! -perm -2070 | head -3)" "" \
	"every object directory setgid and group-writable"
expect 0 "$ua: sd-fsck" as "$ua" carmen sd-fsck

# --- not in the group --------------------------------------------------------
b=$(git --git-dir="$S/.git" rev-parse HEAD)
expect 77 "$uo (not in the group): sd-note refused, 77" as "$uo" ana sd-note -m "Intruder" 1
one_line_error "$T/err" "one line"
like "$T/err" "not shared with a group of yours" "says why"
expect 77 "$uo: sd-show refused too" as "$uo" ana sd-show 1
one_line_error "$T/err" "one line"
expect_in "$T/reply.eml" 77 "$uo: sd-mail refused" as "$uo" mail sd-mail
is "$(git --git-dir="$S/.git" rev-parse HEAD)" "$b" "HEAD unchanged"

# --- a store that is not shared ----------------------------------------------
expect 0 "$ua: a store of A's own, not shared" as "$ua" carmen sd-init --example "$T/srv/own"
S=$T/srv/own
expect 77 "$ub cannot open A's unshared store: 77" as "$ub" ana sd-show 1
one_line_error "$T/err" "one line"

# --- sd-init --group into an existing directory -------------------------------
mkdir "$T/srv/here"
chown "$ua" "$T/srv/here"
chgrp users "$T/srv/here"
chmod 755 "$T/srv/here"
S=$T/srv/here
expect 0 "$ua: sd-init --group into an existing directory" \
	as "$ua" carmen sd-init --group "$grp" --example "$S"
is "$(stat -c '%G %A' "$S")" "$grp drwxrwsr-x" "the directory made the group's, setgid"
expect 0 "$ub works in it" as "$ub" ana sd-new -t incident -s "Here" -r Pedro -c network/vpn \
	--email pedro@example.org

# --- sd-init --group: bad groups -----------------------------------------------
S=$T/srv/bad
expect 65 "--group with no such group: 65" as "$ua" carmen sd-init --group "${tag}none" "$S"
ok $([ ! -e "$S" ]; echo $?) "nothing made"
is "$(ls -A "$T/srv" | grep sd-init)" "" "no temporary directory left"
expect 77 "--group of a group A is not in: 77" as "$ua" carmen sd-init --group root "$S"
one_line_error "$T/err" "one line"
ok $([ ! -e "$S" ]; echo $?) "nothing made"
is "$(ls -A "$T/srv" | grep sd-init)" "" "no temporary directory left"

done_testing
