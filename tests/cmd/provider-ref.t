#!/bin/sh
# provider_ref: a provider's own case number, given with the escalation to
# a provider group (sd-escalate --provider-ref), kept in that event, shown
# by sd-show, found by sd-list --provider-ref and --grep; refused on any
# other escalation or action by the command, sd-fsck --commits and a push.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
# network/internet: desk (1) -> network (2) -> telco (3, provider = yes).
sd-new -t incident -s "No link at the branch" -r Juan -c network/internet \
	--email juan@example.org >/dev/null
sd-new -t incident -s "Slow line" -r Eva -c network/internet --email eva@example.org >/dev/null
sd-escalate 1 -m "No link" >/dev/null
central=$T/central.git
git clone -q --bare "$SD_STORE" "$central"
cp "$SD_TOP/share/hooks/pre-receive" "$central/hooks/pre-receive"
cgit() { git --git-dir="$central" "$@"; }
V1=tickets/000/SD-1.ini
V2=tickets/000/SD-2.ini

# bad WHAT REF PATTERN: sd-escalate --provider-ref REF to telco is 65,
# one line naming what is wrong, and nothing changed
bad() {
	_head=$(head_id)
	expect 65 "$1" env SD_AGENT=jorge sd-escalate 1 -m "Carrier fault" --provider-ref "$2"
	one_line_error "$T/err" "$1: one line"
	like "$T/err" "$3" "$1: says why"
	is "$(head_id)" "$_head" "$1: no commit"
}
bad "a newline" "$(printf 'TK-1\nTK-2')" "^sd-escalate: --provider-ref: provider_ref holds a control character"
bad "a tab" "$(printf 'TK\t1')" "control character"
bad "a C1 control" "$(printf 'TK\302\2051')" "control character"
bad "an escape" "$(printf 'TK\033[1m')" "control character"
bad "not UTF-8" "$(printf 'TK\377')" "not valid UTF-8"
bad "empty" "" "provider_ref must be 1 to 100 bytes"
bad "101 bytes" "$(printf '%0101d' 7)" "provider_ref must be 1 to 100 bytes"
bad "a leading space" " TK-1" "starts or ends with a space"
bad "a trailing space" "TK-1 " "starts or ends with a space"
expect 65 "to a group that is not a provider" sd-escalate 2 -m "Link" --provider-ref TK-9
one_line_error "$T/err" "one line"
like "$T/err" "^sd-escalate: SD-2: --provider-ref: group network is not a provider" "names the group"
is "$(ini_get "$SD_STORE/$V2" ticket status)" "new" "SD-2 unchanged"
expect 65 "to a level-3 group that is not a provider" \
	env SD_AGENT=jorge sd-escalate 1 -m "Server" --group servers --provider-ref TK-9
like "$T/err" "group servers is not a provider" "names it"
clean "store clean after the refusals"

# 100 bytes, accents and punctuation: taken.
ref="TELCO-2026/0042 (línea ñ; \"prio\") #7"
expect 0 "to the provider with its case number" \
	env SD_AGENT=jorge sd-escalate 1 -m "Carrier fault" --provider-ref "$ref"
is "$(cat "$T/out")" "SD-1" "prints the ID"
is "$(ini_get "$SD_STORE/$V1" ticket status)" "provider" "status provider"
expect 0 "sd-show --format json" sd-show --format json 1
like "$T/out" '"action":"escalate","from":"escalated","to":"provider","group":"telco","level":"3","provider_ref":"TELCO-2026/0042 \(línea ñ; \\"prio\\"\) #7"' \
	"the escalation event holds it, after group and level"
expect 0 "sd-show" sd-show 1
like "$T/out" "^  provider_ref +TELCO-2026/0042 \\(línea ñ; \"prio\"\\) #7$" "sd-show prints it"
expect 0 "a long one" sd-escalate 2 -m "x" --group telco --provider-ref "$(printf '%0100d' 7)"
clean "store clean after the escalations"

# Found
expect 0 "sd-list --provider-ref, exact" sd-list --fields id --format tsv --provider-ref "$ref"
is "$(sed 1d "$T/out")" "SD-1" "SD-1"
expect 0 "sd-list --provider-ref, a part is no match" sd-list --fields id --format tsv --provider-ref "TELCO-2026"
is "$(sed 1d "$T/out")" "" "none"
expect 0 "sd-list --provider-ref, another case is no match" sd-list --fields id --format tsv \
	--provider-ref "$(printf '%s' "$ref" | tr a-z A-Z)"
is "$(sed 1d "$T/out")" "" "none"
expect 0 "sd-list --provider-ref with --status" sd-list --fields id --format tsv --provider-ref "$ref" --status new
is "$(sed 1d "$T/out")" "" "none"
expect 0 "sd-list --grep finds it, any case" sd-list --fields id --format tsv --grep "telco-2026/0042 (LÍNEA Ñ"
is "$(sed 1d "$T/out")" "SD-1" "SD-1"
expect 64 "sd-list --provider-ref ''" sd-list --provider-ref ""
like "$T/err" "^sd-list: --provider-ref: give a case number$" "says so"
# Back from the provider: the number stays.
expect 0 "back to network" env SD_AGENT=telco sd-escalate 1 -m "Line fixed, check" --level 2
expect 0 "still found" sd-list --fields id --format tsv --provider-ref "$ref"
is "$(sed 1d "$T/out")" "SD-1" "SD-1"
expect 0 "sd-fsck --commits: what sd-escalate wrote" sd-fsck --commits "$(sgit rev-list --max-parents=0 HEAD)..HEAD"
sgit push -q "$central" HEAD:refs/heads/main >"$T/out" 2>"$T/err"
ok $? "a push of it is accepted"

# Forged: what the command refuses, sd-fsck --commits and the hook refuse.
# forge_file ACTION AUTHOR EMAIL PATH SED [FROM]: a commit on HEAD whose
# PATH is FROM's version (HEAD) through SED, with ACTION's trailer
forge_file() {
	sgit show "${6:-HEAD}:$4" | sed "$5" >"$T/forged"
	_blob=$(sgit hash-object -w "$T/forged")
	rm -f "$T/forge.idx"
	GIT_INDEX_FILE=$T/forge.idx sgit read-tree HEAD
	GIT_INDEX_FILE=$T/forge.idx sgit update-index --add --cacheinfo "100644,$_blob,$4"
	_tree=$(GIT_INDEX_FILE=$T/forge.idx sgit write-tree)
	rm -f "$T/forge.idx"
	_id=$(basename "$4" .ini)
	printf '%s: %s\n\nTicket: %s\nAction: %s\n' "$_id" "$1" "$_id" "$1" |
		GIT_AUTHOR_NAME=$2 GIT_AUTHOR_EMAIL=$3 GIT_COMMITTER_NAME=$2 GIT_COMMITTER_EMAIL=$3 \
		sgit commit-tree "$_tree" -p HEAD
}
# refused COMMIT WHAT PATTERN: sd-fsck --commits and a push refuse it
refused() {
	_before=$(cgit rev-parse main)
	expect 65 "$2: sd-fsck --commits refuses it" sd-fsck --commits "HEAD..$1"
	like "$T/out" "$3" "$2: and says why"
	sgit push -q "$central" "+$1:refs/heads/main" >"$T/out" 2>"$T/err"
	ok $([ $? != 0 ]; echo $?) "$2: a push is refused"
	like "$T/err" "$3" "$2: the hook says why"
	is "$(cgit rev-parse main)" "$_before" "$2: the central branch did not move"
}
# A real escalation of a third ticket to network, kept off the branch,
# then forged with a provider_ref.
sd-new -t incident -s "Third" -r Luz -c network/internet --email luz@example.org >/dev/null
sgit push -q "$central" HEAD:refs/heads/main 2>/dev/null
base=$(head_id)
sd-escalate 3 -m "Link" >/dev/null
real=$(head_id)
sgit update-ref HEAD "$base" && echo "$base" >"$SD_STORE/.git/sd-head"
sd-fsck --repair >/dev/null 2>&1
V3=tickets/000/SD-3.ini
c=$(forge_file escalate "Ana Gómez" ana.gomez@example.org $V3 '$a\
provider_ref = TK-1' "$real")
refused "$c" "a provider_ref on an escalation to network" "provider_ref, but group network is not a provider"
c=$(forge_file note "Ana Gómez" ana.gomez@example.org $V3 \
	"s/^updated = .*/updated = 2026-11-23T10:00:00-05:00/;\$a\\
\\
[event 2]\\
at = 2026-11-23T10:00:00-05:00\\
by = ana\\
action = note\\
provider_ref = TK-1\\
text = moved")
refused "$c" "a provider_ref on a note" "note writes no 'provider_ref'"
# An escalation to telco whose provider_ref holds an escape.
sd-escalate 3 -m "Link" >/dev/null
sgit push -q "$central" HEAD:refs/heads/main 2>/dev/null
SD_AGENT=jorge sd-escalate 3 -m "Carrier" --provider-ref TK-2 >/dev/null
real=$(head_id)
sgit update-ref HEAD "$real~1" && sgit rev-parse HEAD >"$SD_STORE/.git/sd-head"
sd-fsck --repair >/dev/null 2>&1
c=$(forge_file escalate "Jorge Díaz" jorge.diaz@example.org $V3 \
	's/^provider_ref = TK-2$/provider_ref = "TK\\x1b[2J"/' "$real")
refused "$c" "a provider_ref with an escape" "provider_ref holds a control character"
c=$(forge_file escalate "Jorge Díaz" jorge.diaz@example.org $V3 "s/^provider_ref = TK-2\$/provider_ref = $(printf '%0101d' 7)/" "$real")
refused "$c" "a provider_ref of 101 bytes" "provider_ref must be 1 to 100 bytes"
c=$(forge_file escalate "Jorge Díaz" jorge.diaz@example.org $V3 's/^provider_ref = TK-2$/provider_ref = TK-3/' "$real")
expect 0 "the same escalation as sd writes it, another number: accepted" sd-fsck --commits "HEAD..$c"
clean "store clean at the end"

done_testing
