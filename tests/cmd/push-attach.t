#!/bin/sh
# The push policy of attachments (sd-fsck --push, through share/hooks'
# pre-receive): a commit may add attachments/XX/HEX when HEX is the
# SHA-256 of its bytes, XX its first two digits, and an event the same
# commit adds references it; nothing else under attachments/, and never a
# change or a removal of one.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "VPN" -r Jorge -c network/vpn --email j@example.org >/dev/null
# Small limits, so that pushes over them stay small too.
mkeditor
SD_SED='s/^max_size = .*/max_size = 2K/; s/^max_per_ticket = .*/max_per_ticket = 5K/' \
	EDITOR="$T/editor" SD_AGENT=carmen expect 0 "small limits" sd-edit sd.ini
like "$SD_STORE/sd.ini" "^max_per_ticket = 5K$" "they are in sd.ini"
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"
git clone -q "$central" "$T/work"
W=$T/work
wgit() { git --git-dir="$W/.git" "$@"; }
cgit() { git --git-dir="$central" "$@"; }
expect 0 "a clone becomes a store" sd-fsck -C "$W" --repair

# edit BASE OPS...: a commit on BASE by ana, action attach, whose tree is
# BASE's with OPS applied: "add PATH FILE" or "rm PATH".
edit() {
	_base=$1
	shift
	rm -f "$T/e.idx"
	GIT_INDEX_FILE=$T/e.idx wgit read-tree "$_base"
	while [ $# -gt 0 ]; do
		case $1 in
		add) GIT_INDEX_FILE=$T/e.idx wgit update-index --add --cacheinfo \
			"100644,$(wgit hash-object -w "$3"),$2"; shift 3 ;;
		rm) printf '0 0000000000000000000000000000000000000000\t%s\n' "$2" |
			GIT_INDEX_FILE=$T/e.idx wgit update-index --index-info; shift 2 ;;
		esac
	done
	_tree=$(GIT_INDEX_FILE=$T/e.idx wgit write-tree)
	rm -f "$T/e.idx"
	printf 'SD-1: attach\n\nTicket: SD-1\nAction: attach\n' |
		GIT_AUTHOR_NAME="Ana Gómez" GIT_AUTHOR_EMAIL=ana.gomez@example.org \
		GIT_COMMITTER_NAME="Ana Gómez" GIT_COMMITTER_EMAIL=ana.gomez@example.org \
		wgit commit-tree "$_tree" -p "$_base"
}
# refused WHAT PATTERN COMMIT: pushing COMMIT as main is refused, says
# PATTERN, and the central branch stays
refused() {
	_before=$(cgit rev-parse main)
	wgit push -q --force origin "$3:refs/heads/main" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "$1: refused"
	like "$T/err" "$2" "$1: the hook says why"
	is "$(cgit rev-parse main)" "$_before" "$1: the central branch stays"
}

# The honest change: sd-attach in the clone.
printf 'first log\n\001\377 binary\n' >"$T/a.log"
hex=$(sha256sum "$T/a.log" | cut -c1-64)
xx=$(printf %s "$hex" | cut -c1-2)
path=attachments/$xx/$hex
expect 0 "sd-attach in the clone" env SD_STORE="$W" sd-attach 1 "$T/a.log"
H=$(wgit rev-parse main)
base=$(wgit rev-parse main~1)
ticket=$(wgit show "$H:tickets/000/SD-1.ini" >"$T/t.ini"; echo "$T/t.ini")

# Forgeries of it, on its parent.
printf 'something else\n' >"$T/other"
refused "bytes that are not their name's" "$path: commit [0-9a-f]{12}: its bytes' SHA-256 is [0-9a-f]{64}, not its name" \
	"$(edit "$base" add tickets/000/SD-1.ini "$ticket" add "$path" "$T/other")"
refused "an attachment in another directory" "attachments/00/$hex: commit [0-9a-f]{12}: not in its directory \\(belongs in attachments/$xx/\\)" \
	"$(edit "$base" add tickets/000/SD-1.ini "$ticket" add "attachments/00/$hex" "$T/a.log")"
refused "a reference to a file the tree lacks" "tickets/000/SD-1.ini: commit [0-9a-f]{12}: references $path, which is not in the tree" \
	"$(edit "$base" add tickets/000/SD-1.ini "$ticket")"
ohex=$(sha256sum "$T/other" | cut -c1-64)
opath=attachments/$(printf %s "$ohex" | cut -c1-2)/$ohex
refused "an attachment no event references" "$opath: commit [0-9a-f]{12}: an attachment that no event of this commit references" \
	"$(edit "$H" add "$opath" "$T/other")"
refused "a file of no attachment's name" "attachments/$xx/notes.txt: commit [0-9a-f]{12}: not an attachment's file name" \
	"$(edit "$H" add "attachments/$xx/notes.txt" "$T/other")"
# A reference with the wrong size.
sed "s/^attachment = sha256:$hex [0-9]* /attachment = sha256:$hex 3 /" "$ticket" >"$T/t3.ini"
refused "a reference of the wrong size" "references $path as 3 bytes; it holds [0-9]+" \
	"$(edit "$base" add tickets/000/SD-1.ini "$T/t3.ini" add "$path" "$T/a.log")"

# The honest one goes through.
wgit push -q origin main >"$T/out" 2>"$T/err"
is "$?" 0 "the honest attachment is accepted"
is "$(cgit rev-parse main)" "$H" "and the central branch moved"
is "$(cgit cat-file -p "main:$path" | cmp - "$T/a.log" && echo same)" same "the bytes are in the central tree"

# Within sd.ini's limits, as sd-attach holds them: one over max_size is
# refused before its bytes are read, and references over max_per_ticket.
# attach_event FILE...: the ticket of H with one more attach event
# referencing each FILE, on stdout.
attach_event() {
	cat "$ticket"
	printf '\n[event 3]\nat = %s\nby = ana\naction = attach\n' \
		"$(sed -n 's/^at = //p' "$ticket" | tail -n 1)"
	for _f; do
		printf 'attachment = sha256:%s %s application/octet-stream %s\n' \
			"$(sha256sum "$_f" | cut -c1-64)" "$(wc -c <"$_f" | tr -d ' ')" "${_f##*/}"
	done
}
# with_files FILE...: edit's ops adding each FILE at its attachment path
with_files() {
	for _f; do
		_h=$(sha256sum "$_f" | cut -c1-64)
		printf 'add attachments/%s/%s %s ' "$(printf %s "$_h" | cut -c1-2)" "$_h" "$_f"
	done
}
head -c 3000 /dev/urandom >"$T/big.bin"
attach_event "$T/big.bin" >"$T/tbig.ini"
refused "an attachment over max_size" "commit [0-9a-f]{12}: 3000 bytes, over the 2 KiB limit of an attachment \\(\\[attachments\\] max_size\\)" \
	"$(edit "$H" add tickets/000/SD-1.ini "$T/tbig.ini" $(with_files "$T/big.bin"))"
like "$T/err" "tickets/000/SD-1.ini: commit [0-9a-f]{12}: big.bin: 3000 bytes, over the 2 KiB limit" \
	"the reference is refused too"
for n in 1 2 3; do head -c 2000 /dev/urandom >"$T/part$n.bin"; done
attach_event "$T/part1.bin" "$T/part2.bin" "$T/part3.bin" >"$T/tparts.ini"
refused "attachments over max_per_ticket" "tickets/000/SD-1.ini: commit [0-9a-f]{12}: part3.bin: 2000 bytes, over the 5 KiB limit of a ticket's attachments, which hold 4020 bytes" \
	"$(edit "$H" add tickets/000/SD-1.ini "$T/tparts.ini" $(with_files "$T/part1.bin" "$T/part2.bin" "$T/part3.bin"))"
attach_event "$T/part1.bin" "$T/part2.bin" >"$T/tparts2.ini"
P=$(edit "$H" add tickets/000/SD-1.ini "$T/tparts2.ini" $(with_files "$T/part1.bin" "$T/part2.bin"))
expect 0 "within both limits, the same forged shape is accepted by the check" \
	sd-fsck -C "$W" --commits "$H..$P"

# Once in, it is never changed or removed.
refused "an attachment changed" "$path: commit [0-9a-f]{12}: an attachment is never changed" \
	"$(edit "$H" add "$path" "$T/other")"
refused "an attachment removed" "$path: commit [0-9a-f]{12}: an attachment is never removed" \
	"$(edit "$H" rm "$path")"

# The same bytes again: the tree is as it was; the new event references them.
expect 0 "the same file attached again" env SD_STORE="$W" sd-attach --name again.log 1 "$T/a.log"
is "$(wgit diff --name-only main~1 main)" "tickets/000/SD-1.ini" "the commit writes the ticket alone"
wgit push -q origin main >"$T/out" 2>"$T/err"
is "$?" 0 "and is accepted"
expect 0 "sd-fsck --commits passes the whole history" sd-fsck -C "$W" --commits main
done_testing
