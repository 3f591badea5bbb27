#!/bin/sh
# sd-sync --enroll URL DIR --site NAME: a site made from its hub on a
# local path in one step: the hub cloned bare into DIR/.git, HEAD's files
# written, sd.site and sd.hub set, the first block of numbers taken when
# the desk leases them; any failure leaves nothing behind.
. "${SD_TOP:-.}/tests/lib.sh"

hub=$T/hub
mkstore "$hub"
cp "$SD_TOP/share/hooks/pre-receive" "$hub/.git/hooks/pre-receive"
chmod +x "$hub/.git/hooks/pre-receive"
SD_AGENT=carmen sd-new -t incident -s "Printer jams" -r "Rosa" -c email \
	--email rosa@example.org >/dev/null || { echo "Bail out! sd-new failed"; exit 1; }
hgit() { git --git-dir="$hub/.git" "$@"; }
sgit() { git --git-dir="$1/.git" config "$2"; }
# nothing_at DIR DESCRIPTION: DIR is not there
nothing_at() { ok $([ ! -e "$1" ] && [ ! -L "$1" ]; echo $?) "$2"; }

# --- a desk without [sync]: a site, no lease ----------------------------
expect 0 "a hub without [sync]: enrolled" sd-sync --enroll "$hub" "$T/plain" --site plain
is "$(cat "$T/out" "$T/err")" "" "says nothing"
SD_STORE=$T/plain clean "the site's files are HEAD's"
is "$(git --git-dir="$T/plain/.git" rev-parse HEAD)" "$(hgit rev-parse HEAD)" "HEAD is the hub's"
is "$(cat "$T/plain/tickets/000/SD-1.ini")" "$(hgit show HEAD:tickets/000/SD-1.ini)" \
	"a ticket byte for byte"
is "$(sgit "$T/plain" sd.site)" plain "sd.site"
is "$(sgit "$T/plain" sd.hub)" "$hub" "sd.hub: the hub's path"
is "$(sgit "$T/plain" core.bare)" true "the repository bare, in .git"
is "$(sgit "$T/plain" transfer.fsckObjects)" true "objects checked on every fetch"
nothing_at "$T/plain/.git/index" "no index"
nothing_at "$T/plain/hooks" "no hooks/: each machine's own"
ok $(hgit cat-file -e HEAD:sites.ini 2>/dev/null; [ $? != 0 ]; echo $?) "no lease: no sites.ini"
expect 0 "sd-fsck finds the site sound" sd-fsck -C "$T/plain"
expect 0 "sd-show works there" sd-show -C "$T/plain" SD-1

# --- a desk that leases numbers: the first block taken -------------------
printf '#!/bin/sh\nprintf "\\n[sync]\\nlease = 10\\nlow = 3\\n" >>"$1"\n' >"$T/add-sync"
chmod +x "$T/add-sync"
SD_AGENT=carmen EDITOR=$T/add-sync sd-edit -C "$hub" sd.ini >/dev/null 2>&1 ||
	{ echo "Bail out! sd-edit sd.ini failed"; exit 1; }
mkdir "$T/bog"
expect 0 "a relative path, an empty directory: enrolled" \
	sh -c 'cd "$1" && sd-sync --enroll hub bog --site bog' sh "$T"
is "$(hgit show HEAD:sites.ini)" "[site bog]
number = 1
blocks = 11-20" "the hub leased the site its first block"
is "$(git --git-dir="$T/bog/.git" rev-parse HEAD)" "$(hgit rev-parse HEAD)" \
	"the site is at the hub's head, the lease's commit"
SD_STORE=$T/bog clean "the site's files are HEAD's, sites.ini too"
is "$(sgit "$T/bog" sd.hub)" "$hub" "sd.hub made absolute"
SD_AGENT=ana sd-new -C "$T/bog" -t incident -s "At the site" -r "Eva" -c email \
	--email eva@example.org >"$T/id" 2>"$T/err"
is "$(cat "$T/id")" SD-11 "sd-new at the site numbers from its block"

# --- refused: nothing made, nothing changed ------------------------------
hub_head=$(hgit rev-parse HEAD)
for name in Bog "a_b" "" "abcdefghijklmnopqrstuvwxyz-0123456"; do
	expect 64 "a bad site name '$name': 64" sd-sync --enroll "$hub" "$T/x" --site "$name"
	like "$T/err" "^sd-sync: --site: '$name' is not a site's name" "'$name': says why"
	nothing_at "$T/x" "'$name': no directory made"
done
mkdir "$T/full" && echo keep >"$T/full/file"
expect 73 "a directory that is not empty: 73" sd-sync --enroll "$hub" "$T/full" --site x
like "$T/err" "^sd-sync: $T/full: not empty; a site is made in a new or empty directory$" \
	"says why"
is "$(ls -A "$T/full")" file "nothing added there"
expect 73 "a file in the way: 73" sd-sync --enroll "$hub" "$T/full/file" --site x
expect 74 "a hub that is not there: 74" sd-sync --enroll "$T/nowhere" "$T/x" --site x
like "$T/err" "^sd-sync: git clone: .*nowhere" "git's words"
nothing_at "$T/x" "nothing left"
mkdir "$T/empty"
expect 74 "into an empty directory: 74" sd-sync --enroll "file://$T/nowhere" "$T/empty" --site x
is "$(ls -A "$T/empty")" "" "the directory left, empty"
git init -q "$T/other" && echo x >"$T/other/f" && git -C "$T/other" add f &&
	git -C "$T/other" -c user.name=A -c user.email=a@example.org commit -qm x
expect 66 "a repository that holds no store: 66" sd-sync --enroll "$T/other" "$T/x" --site x
like "$T/err" "not a store's repository \(its HEAD has no sd.ini\)$" "says why"
nothing_at "$T/x" "nothing left"
# A lease the hub refuses: its hook fails every push.
mv "$hub/.git/hooks/pre-receive" "$T/pre-receive"
printf '#!/bin/sh\necho "no pushes today" >&2\nexit 1\n' >"$hub/.git/hooks/pre-receive"
chmod +x "$hub/.git/hooks/pre-receive"
expect 65 "the hub refuses the lease: 65" sd-sync --enroll "$hub" "$T/x" --site late
like "$T/err" "no pushes today" "the hub's words"
nothing_at "$T/x" "nothing left"
mv "$T/pre-receive" "$hub/.git/hooks/pre-receive"
is "$(hgit rev-parse HEAD)" "$hub_head" "the hub unchanged by all of these"

done_testing
