#!/bin/sh
# The push policy of attachments (sd-fsck --push, through share/hooks'
# pre-receive): a commit may add attachments/XX/HEX when HEX is the
# SHA-256 of its bytes, XX its first two digits, and an event the same
# commit adds references it; nothing else under attachments/, and never a
# change or a removal of one.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "VPN" -r Jorge -c network/vpn --email j@example.org >/dev/null
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
