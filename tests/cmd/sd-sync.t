#!/bin/sh
# sd-sync: a site's work exchanged with its hub on a local path.  The hub
# is a store with share/hooks/pre-receive in its repository, sd.ini's
# [sync] small (blocks of 10, a new one under 3 left); sites are made by
# sd-sync --enroll and take their first block with --lease.
. "${SD_TOP:-.}/tests/lib.sh"

hub=$T/hub
mkstore "$hub"
cp "$SD_TOP/share/hooks/pre-receive" "$hub/.git/hooks/pre-receive"
chmod +x "$hub/.git/hooks/pre-receive"
printf '#!/bin/sh\nprintf "\\n[sync]\\nlease = 10\\nlow = 3\\n" >>"$1"\n' >"$T/add-sync"
chmod +x "$T/add-sync"
SD_AGENT=carmen EDITOR=$T/add-sync sd-edit -C "$hub" sd.ini >/dev/null 2>&1 ||
	{ echo "Bail out! sd-edit sd.ini failed"; exit 1; }
url=$hub/.git
site=$T/bog

hgit() { git --git-dir="$hub/.git" "$@"; }
bgit() { git --git-dir="$site/.git" "$@"; }
refs() { bgit for-each-ref --format='%(objectname) %(refname)'; }
new_at() {  # new_at STORE TITLE: sd-new there, its ID printed
	sd-new -C "$1" -t incident -s "$2" -r "Pedro Ruiz" -c email --email pedro@example.org
}

# --- the command line -------------------------------------------------
expect 64 "an unknown option: 64" sd-sync --bogus
expect 64 "--status and --lease together: 64" sd-sync -C "$hub" --status --lease
expect 64 "--dry-run with --status: 64" sd-sync -C "$hub" --status --dry-run
expect 64 "--site without --enroll: 64" sd-sync -C "$hub" --site bog
expect 64 "an argument without --enroll: 64" sd-sync -C "$hub" extra
expect 64 "--format xml: 64" sd-sync -C "$hub" --format xml
expect 64 "--enroll without --site: 64" sd-sync --enroll "$url" "$site"
expect 64 "--promote with --format: 64" sd-sync -C "$hub" --promote --format tsv
like "$T/err" "^sd-sync: --format goes with a sync, --lease or --status$" \
	"--promote --format: says why, then the usage"
expect 0 "--help: 0" sd-sync --help
like "$T/out" "^usage: sd-sync \[-C DIR\]" "--help: the usage on stdout"
expect 0 "--version: 0" sd-sync --version
like "$T/out" "^sd-sync \(sd\) " "--version: name and version"

# --- no store, no hub -------------------------------------------------
expect 66 "no store: 66" sd-sync -C "$T/nowhere"
hub_head=$(hgit rev-parse HEAD)
expect 66 "a store with no hub (git config sd.hub): 66" sd-sync -C "$hub"
like "$T/err" "^sd-sync: no hub: git config sd.hub is not set" "no hub: says so"
is "$(hgit rev-parse HEAD)" "$hub_head" "no hub: the hub's branch unchanged"
expect 65 "--promote at the hub: 65" sd-sync -C "$hub" --promote
like "$T/err" "this store is the hub already" "--promote at the hub: says so"

# --- a site ---------------------------------------------------------------
expect 0 "--enroll makes a site, its first block taken" sd-sync --enroll "$url" "$site" --site bog
expect 73 "--enroll into a store already there: 73" sd-sync --enroll "$url" "$site" --site lima
is "$(bgit config sd.site)" bog "--enroll refused: the site as it was"
is "$(hgit show HEAD:sites.ini)" "[site bog]
number = 1
blocks = 1-10" "--enroll: the hub has the block"
is "$(bgit rev-parse HEAD)" "$(hgit rev-parse HEAD)" "--enroll: the site is the hub's head"
SD_STORE=$site clean "--enroll: the site's files are HEAD's"

# --- fast-forward of the hub's commits ------------------------------------
SD_AGENT=carmen new_at "$hub" "Hub one" >"$T/id"
is "$(cat "$T/id")" SD-11 "the hub numbers above every block"
SD_NOW=2026-11-23T10:00:30-05:00 SD_AGENT=carmen sd-assign -C "$hub" SD-11 ana >/dev/null
expect 0 "hub commits: sd-sync follows them" sd-sync -C "$site"
is "$(cat "$T/out")" "" "a sync with nothing to report prints nothing"
is "$(bgit rev-parse HEAD)" "$(hgit rev-parse HEAD)" "the site's branch is the hub's"
is "$(cat "$site/tickets/000/SD-11.ini")" "$(hgit show HEAD:tickets/000/SD-11.ini)" \
	"the hub's ticket written out at the site"
SD_STORE=$site clean "fast-forward: the site's files are HEAD's"
ok $([ -z "$(bgit for-each-ref refs/sd/outgoing refs/sd/outgoing-base)" ]; echo $?) \
	"fast-forward: no outgoing ref left"
is "$(cat "$site/.git/sd-sync-last")" "2026-11-23T10:00:00-05:00 30" \
	"sd-sync-last: the time and the hub's clock 30 s ahead"

# --- --status ---------------------------------------------------------
new_at "$site" "Site one" >"$T/id"
is "$(cat "$T/id")" SD-1 "the site numbers from its block"
expect 0 "--status: 0" sd-sync -C "$site" --status --format tsv
is "$(cat "$T/out")" "site	bog
hub	$url
ahead	1
behind	0
left	9
last	2026-11-23T10:00:00-05:00
offset	30" "--status --format tsv: every field"
expect 0 "--status --format json" sd-sync -C "$site" --status --format json
is "$(json_value "$T/out" '"%s %s %d %d %d %s %d" % (d["site"], d["hub"], d["ahead"], d["behind"], d["left"], d["last"], d["offset"])')" \
	"bog $url 1 0 9 2026-11-23T10:00:00-05:00 30" "--status --format json: every field"
expect 0 "--status as text" sd-sync -C "$site" --status
like "$T/out" "^numbers left: 9$" "--status: numbers left, for people"
# From here the clock is past every event the tests date by hand: the
# hub's hook refuses events later than its clock and [sync] max_skew.
export SD_NOW=2026-11-23T13:00:00-05:00

# --- --no-push, then a push -------------------------------------------
before=$(bgit rev-parse HEAD)
expect 0 "--no-push: 0" sd-sync -C "$site" --no-push
is "$(hgit rev-parse HEAD)" "$(hgit rev-parse HEAD~0)" "--no-push: (the hub's head)"
ok $(hgit cat-file -e "$before" 2>/dev/null; [ $? != 0 ]; echo $?) "--no-push: nothing pushed"
is "$(bgit rev-parse HEAD)" "$before" "--no-push: the site's branch as it was (nothing to replay)"
expect 0 "a local commit: sd-sync pushes it" sd-sync -C "$site"
is "$(cat "$T/out")" "" "the push: nothing printed"
is "$(hgit rev-parse HEAD)" "$before" "the hub's branch is the site's commit"
is "$(bgit rev-parse HEAD)" "$before" "the site's branch unchanged"
expect 0 "--status after the push" sd-sync -C "$site" --status --format tsv
like "$T/out" "^ahead	0$" "--status: nothing ahead after the push"

# --- both moved: replay -----------------------------------------------
SD_NOW=2026-11-23T10:05:00-05:00 SD_AGENT=carmen sd-assign -C "$hub" SD-1 ana >/dev/null
SD_NOW=2026-11-23T10:03:00-05:00 sd-note -C "$site" SD-1 -m "Called Pedro." >/dev/null
refs >"$T/refs.before"
site_head=$(bgit rev-parse HEAD)
hub_head=$(hgit rev-parse HEAD)
expect 0 "--dry-run with both moved: 0" sd-sync -C "$site" --dry-run
is "$(cat "$T/out")" "" "--dry-run: nothing to report"
refs >"$T/refs.after"
is "$(cat "$T/refs.after")" "$(cat "$T/refs.before")" "--dry-run: no ref of the site moved"
is "$(hgit rev-parse HEAD)" "$hub_head" "--dry-run: the hub unchanged"
SD_STORE=$site clean "--dry-run: the site's files are HEAD's"
expect 0 "both moved: the site's note replayed onto the hub's assign" sd-sync -C "$site"
is "$(hgit rev-list --count "$hub_head..HEAD")" 1 "one commit pushed"
is "$(hgit rev-parse HEAD~1)" "$hub_head" "on top of the hub's head"
is "$(cat "$T/out")" "" "a note after an assign: nothing reported"
hgit log -1 --format=%B HEAD >"$T/msg"
like "$T/msg" "^Replayed-From: $site_head$" "the pushed commit says what it replayed"
like "$T/msg" "^Site: bog$" "and its site"
is "$(bgit rev-parse HEAD)" "$(hgit rev-parse HEAD)" "the site's branch is the hub's"
SD_STORE=$site clean "replay: the site's files are HEAD's"
expect 0 "the site sound after the replay" sd-fsck -C "$site"

# --- a report: a move no longer legal -------------------------------------
SD_NOW=2026-11-23T11:00:00-05:00 SD_AGENT=carmen sd-solve -C "$hub" SD-11 -m "Fixed." \
	>/dev/null 2>&1 || echo "# sd-solve at the hub failed" >&2
SD_NOW=2026-11-23T10:50:00-05:00 sd-suspend -C "$site" SD-11 -m "Waiting." >/dev/null
expect 0 "--dry-run --format tsv: the report" sd-sync -C "$site" --dry-run --format tsv
is "$(cut -f1,2 "$T/out")" "SD-11	superseded" "tsv: ID, kind, detail"
is "$(awk -F'\t' '{ print NF }' "$T/out")" 3 "tsv: three columns"
expect 0 "--dry-run --format json: the report" sd-sync -C "$site" --dry-run --format json
is "$(json_value "$T/out" '" ".join(x["id"] + "/" + x["kind"] for x in d)')" "SD-11/superseded" \
	"json: an array of objects"
expect 0 "the sync reports the superseded move" sd-sync -C "$site"
like "$T/out" "^SD-11: superseded: " "text: ID: kind: detail"
is "$(wc -l <"$T/out")" 1 "text: one line per ticket per kind"
is "$(sd-show -C "$site" --field status SD-11)" solved "the hub's solve kept"
expect 0 "nothing left to do: sd-sync again" sd-sync -C "$site"
is "$(cat "$T/out")" "" "nothing left: nothing printed"

# --- a lease when few numbers are left -----------------------------------
for i in 2 3 4 5 6 7 8; do new_at "$site" "Site $i" >/dev/null; done
expect 0 "two numbers left (3 is low): sd-sync leases a block" sd-sync -C "$site" --format tsv
is "$(cat "$T/out")" "21-30	lease	leased to bog" "the lease reported"
is "$(hgit show HEAD:sites.ini | sed -n 3p)" "blocks = 1-10, 21-30" "the hub has the new block"
is "$(bgit rev-parse HEAD)" "$(hgit rev-parse HEAD)" "the site's branch is the hub's"

# --- the hub unreachable ------------------------------------------------
bgit config sd.hub "$T/nothere"
refs >"$T/refs.before"
new_at "$site" "Offline" >/dev/null
site_head=$(bgit rev-parse HEAD)
expect 74 "the hub unreachable: 74" sd-sync -C "$site"
one_line_error "$T/err" "unreachable: a one-line message"
like "$T/err" "^sd-sync: git fetch: " "unreachable: git's words"
is "$(bgit rev-parse HEAD)" "$site_head" "unreachable: the branch unchanged"
is "$(refs)" "$(sed "s/^[0-9a-f]* refs\/heads\/main$/$site_head refs\/heads\/main/" "$T/refs.before")" \
	"unreachable: no other ref changed"
bgit config sd.hub "$url"
expect 0 "reachable again: the offline ticket pushed" sd-sync -C "$site"
is "$(hgit rev-parse HEAD)" "$site_head" "the hub has it"

# --- outgoing adopted after a run cut short -----------------------------
SD_NOW=2026-11-23T11:55:00-05:00 SD_AGENT=carmen sd-note -C "$hub" SD-1 -m "At the hub." >/dev/null
SD_NOW=2026-11-23T12:00:00-05:00 sd-note -C "$site" SD-1 -m "Again." >/dev/null
local_tip=$(bgit rev-parse HEAD)
expect 0 "--no-push: the note replayed here" sd-sync -C "$site" --no-push
replayed=$(bgit rev-parse HEAD)
ok $([ "$replayed" != "$local_tip" ]; echo $?) "--no-push: the branch moved to the replay"
# The run that would have pushed it: the push made, then killed before
# its branch moved.
bgit push -q "$url" "$replayed:refs/heads/main" 2>/dev/null
is "$(hgit rev-parse HEAD)" "$replayed" "(the replay pushed by hand)"
bgit update-ref refs/heads/main "$local_tip"
bgit update-ref refs/sd/outgoing "$replayed"
bgit update-ref refs/sd/outgoing-base "$local_tip"
hub_count=$(hgit rev-list --count HEAD)
expect 0 "refs/sd/outgoing on the hub: adopted" sd-sync -C "$site"
is "$(hgit rev-list --count HEAD)" "$hub_count" "adopted: nothing pushed twice"
is "$(hgit show HEAD:tickets/000/SD-1.ini | grep -c 'Again\.')" 1 "adopted: the site's note once"
is "$(bgit rev-parse HEAD)" "$replayed" "adopted: the branch is the replay the hub took"
ok $([ -z "$(bgit for-each-ref refs/sd/outgoing refs/sd/outgoing-base)" ]; echo $?) \
	"adopted: refs/sd/outgoing gone"
SD_STORE=$site clean "adopted: the site's files are HEAD's"
# An outgoing ref the hub never took is no reason to skip a commit.
hgit commit-tree -m stray "$(hgit rev-parse HEAD^{tree})" >"$T/stray"
bgit update-ref refs/sd/outgoing "$(bgit rev-parse HEAD)"
bgit update-ref refs/sd/outgoing-base "$(bgit rev-parse HEAD)"
SD_NOW=2026-11-23T12:10:00-05:00 sd-note -C "$site" SD-1 -m "Third." >/dev/null
expect 0 "refs/sd/outgoing at the hub's head: the new note still pushed" sd-sync -C "$site"
is "$(hgit rev-parse HEAD)" "$(bgit rev-parse HEAD)" "the hub has the new note"

# --- the hub keeps moving: [sync] tries rounds, then 75 -------------
# A git whose every push is told the hub moved first, counting them.
mkdir "$T/movinggit"
realgit=$(command -v git)
cat >"$T/movinggit/git" <<EOF
#!/bin/sh
for a; do
	case \$a in
	push) echo x >>"$T/pushes"
		printf '!\\tx:refs/heads/main\\t[rejected] (fetch first)\\n'
		exit 1 ;;
	-*|*=*) ;;
	*) break ;;
	esac
done
exec "$realgit" "\$@"
EOF
chmod +x "$T/movinggit/git"
SD_NOW=2026-11-23T12:05:00-05:00 sd-note -C "$site" SD-1 -m "Moving." >/dev/null
site_head=$(bgit rev-parse HEAD)
hub_head=$(hgit rev-parse HEAD)
: >"$T/pushes"
PATH=$T/movinggit:$PATH expect 75 "the hub moved at every push: 75" sd-sync -C "$site"
is "$(cat "$T/err")" "sd-sync: the hub moved during each of 5 tries; run sd-sync again" \
	"tries exhausted: says so"
is "$(wc -l <"$T/pushes")" 5 "tries exhausted: [sync] tries (5) pushes tried"
is "$(bgit rev-parse HEAD)" "$site_head" "tries exhausted: the branch unchanged"
is "$(hgit rev-parse HEAD)" "$hub_head" "tries exhausted: the hub unchanged"
ok $([ -z "$(bgit for-each-ref refs/sd/outgoing refs/sd/outgoing-base)" ]; echo $?) \
	"tries exhausted: no outgoing ref left"
expect 0 "then a sync pushes it" sd-sync -C "$site"
is "$(hgit rev-parse HEAD)" "$site_head" "the hub has the note"

# --- a ticket registered while the sync pushes ---------------------------
# A git that, when pushing, lets an sd-new in at the site first: the
# branch moved meanwhile, so the new commit is replayed on what the hub
# took, and left to the next sync.
mkdir "$T/busygit"
cat >"$T/busygit/git" <<EOF
#!/bin/sh
for a; do
	case \$a in
	push) SD_NOW=2026-11-23T12:07:00-05:00 sd-new -C "$site" -t incident -s "Meanwhile" \\
		-r "Eva Luna" -c email --email eva@example.org >"$T/meanwhile"; break ;;
	-*|*=*) ;;
	*) break ;;
	esac
done
exec "$realgit" "\$@"
EOF
chmod +x "$T/busygit/git"
SD_NOW=2026-11-23T12:06:00-05:00 sd-note -C "$site" SD-1 -m "Before." >/dev/null
pushed=$(bgit rev-parse HEAD)
PATH=$T/busygit:$PATH expect 0 "an sd-new during the push: 0" sd-sync -C "$site"
is "$(cat "$T/meanwhile")" SD-10 "(the ticket registered meanwhile)"
is "$(hgit rev-parse HEAD)" "$pushed" "the hub took what was there when the sync began"
is "$(bgit rev-parse HEAD~1)" "$pushed" "the new ticket on top of it at the site"
is "$(bgit log -1 --format=%s)" "SD-10: new Meanwhile" "the new ticket's commit kept"
SD_STORE=$site clean "meanwhile: the site's files are HEAD's"
expect 0 "the next sync pushes it" sd-sync -C "$site"
is "$(hgit rev-parse HEAD)" "$(bgit rev-parse HEAD)" "the hub has the new ticket"

# --- --lease: a block now, whatever is left ------------------------------
expect 0 "--lease: a block taken now" sd-sync -C "$site" --lease
is "$(cat "$T/out")" "31-40: lease: leased to bog" "--lease: the block told, above every block"
is "$(hgit show HEAD:sites.ini | sed -n 3p)" "blocks = 1-10, 21-30, 31-40" "--lease: the hub has it"
is "$(bgit rev-parse HEAD)" "$(hgit rev-parse HEAD)" "--lease: the site is the hub's head"
SD_STORE=$site clean "--lease: the site's files are HEAD's"

# --- a run killed earlier: its leftovers --------------------------------
mkdir -p "$site/.git/refs/sd"
: >"$site/.git/refs/sd/outgoing-base.lock"
new_at "$site" "After a kill" >"$T/id"
expect 0 "a stale ref lock under refs/sd: sd-sync clears it" sd-sync -C "$site"
ok $([ ! -e "$site/.git/refs/sd/outgoing-base.lock" ]; echo $?) "the stale ref lock is gone"
is "$(hgit log -1 --format=%s)" "$(cat "$T/id"): new After a kill" "the hub has the new ticket"
# A move of the branch killed halfway leaves libgit2's lock of it.
: >"$site/.git/refs/heads/main.lock"
touch -d '-1 minute' "$site/.git/refs/heads/main.lock"
expect 0 "the branch's stale lock: sd-sync with nothing to do" sd-sync -C "$site"
ok $([ ! -e "$site/.git/refs/heads/main.lock" ]; echo $?) "the branch's stale lock is gone"
expect 0 "sd-fsck clean after it" sd-fsck -C "$site"
new_at "$site" "While another runs" >"$T/id"
expect 75 "another sd-sync holding .git/sd-sync.lock: 75" \
	flock "$site/.git/sd-sync.lock" sd-sync -C "$site"
like "$T/err" "^sd-sync: another sd-sync is running$" "the second run says why"
ok $([ "$(hgit log -1 --format=%s)" != "$(cat "$T/id"): new While another runs" ]; echo $?) \
	"the second run pushed nothing"
pk=$site/.git/objects/pack
mkdir -p "$pk"
printf 'PACK half' >"$pk/tmp_pack_0123456789abcdef0123456789abcdef01234567"
printf '\377tOc half' >"$pk/tmp_idx_0123456789abcdef0123456789abcdef01234567"
printf '\377tOc half' >"$pk/tmp_pack-0123456789abcdef0123456789abcdef01234567.idx"
printf 'PACK half' >"$pk/pack-89abcdef0123456789abcdef0123456789abcdef.pack"
expect 0 "an orphan pack and stale tmp files: sd-list works" sd-list -C "$site"
expect 0 "an orphan pack and stale tmp files: sd-fsck works" sd-fsck -C "$site"
expect 0 "an orphan pack and stale tmp files: sd-sync works" sd-sync -C "$site"
is "$(hgit log -1 --format=%s)" "$(cat "$T/id"): new While another runs" \
	"after them: the hub has the ticket"
is "$(ls "$pk" | grep -c '^tmp_')" 0 "the stale tmp files cleared"

# --- a run killed after its push, before its branch moved ----------------
SD_AGENT=carmen new_at "$hub" "At the hub" >/dev/null
SD_AGENT=luis sd-note -C "$site" -m "after the push" SD-1 >/dev/null
mine=$(bgit rev-parse HEAD)
expect 0 "a replayed push" sd-sync -C "$site"
pushed=$(hgit rev-parse HEAD)
bgit --work-tree="$site" reset -q --hard "$mine"   # as a kill after the push left it
expect 0 "the next run after a kill past its push: 0" sd-sync -C "$site"
is "$(hgit rev-parse HEAD)" "$pushed" "the hub took nothing more"
is "$(hgit log --format=%b | grep -c "^Replayed-From: $mine")" 1 \
	"the local commit once on the hub"
is "$(bgit rev-parse HEAD)" "$pushed" "the site's branch is the hub's"
SD_STORE=$site clean "after the kill: the site's files are HEAD's"

# --- the hub's hook refuses ------------------------------------------
hub_head=$(hgit rev-parse HEAD)
echo "tampered = yes" >>"$site/tickets/000/SD-1.ini"
SD_STORE=$site forge "SD-1: a hand edit" tickets/000/SD-1.ini
site_head=$(bgit rev-parse HEAD)
expect 65 "a commit the hook refuses: 65" sd-sync -C "$site"
one_line_error "$T/err" "refused: a one-line message"
is "$(hgit rev-parse HEAD)" "$hub_head" "refused: the hub unchanged"
is "$(bgit rev-parse HEAD)" "$site_head" "refused: the site's branch unchanged"
ok $([ -z "$(bgit for-each-ref refs/sd/outgoing refs/sd/outgoing-base)" ]; echo $?) \
	"refused: no outgoing ref left"

# --- --promote -----------------------------------------------------------
expect 0 "--promote: the site becomes the hub" sd-sync -C "$site" --promote
is "$(bgit config sd.site; bgit config sd.hub)" "" "--promote: sd.site and sd.hub unset"
expect 66 "after --promote: no hub to sync with" sd-sync -C "$site"

done_testing
