#!/bin/sh
# sd-kb: the knowledge base.  Each subcommand, its output, every error
# path with its exit status and nothing changed; sd-solve --kb and
# sd-report --kb; the push check of kb/ files (sd-fsck --commits).
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
mkeditor
export SD_NOW=2026-03-02T09:00:00-05:00 SD_AGENT=ana
now=2026-03-02T09:00:00-05:00

# --- new -----------------------------------------------------------------
expect 0 "new: exit 0" sd-kb new -s 'Impresora sin tóner' -c hardware/printer \
	-m 'Abra la tapa y cambie el cartucho.'
is "$(cat "$T/out")" "KB-1" "new: prints its id"
is "$(cat "$SD_STORE/kb/KB-1.txt")" "id = KB-1
title = Impresora sin tóner
category = hardware/printer
updated_by = ana
updated_at = $now

Abra la tapa y cambie el cartucho." "new: the file, in its shape"
is "$(sgit log -1 --format=%s%n%b)" "KB-1: new: Impresora sin tóner
Action: kb" "new: its commit's subject and trailer"
is "$(sgit log -1 --format='%an <%ae>')" "Ana Gómez <ana.gomez@example.org>" "new: authored by the agent"
is "$(sgit show --name-only --format= HEAD)" "kb/KB-1.txt" "new: the commit writes the article alone"
clean "new: the store is clean"
printf 'Reinstale el cliente VPN.\nLuego reinicie.\n' >"$T/vpn.txt"
expect 0 "new -F FILE, no category" sd-kb new --title 'VPN no conecta' -F "$T/vpn.txt"
is "$(cat "$T/out")" "KB-2" "new: numbered one more"
is "$(sed -n 3p "$SD_STORE/kb/KB-2.txt")" "category =" "new: no category, an empty value"
is "$(tail -n 2 "$SD_STORE/kb/KB-2.txt")" "Reinstale el cliente VPN.
Luego reinicie." "new: the text of -F"
expect 0 "new -F - (stdin), --category" sh -c 'echo "ΕΛΛΗΝΙΚΆ και Кириллица" | sd-kb new -s "Ωμέγα" --category network -F -'
is "$(cat "$T/out")" "KB-3" "new from stdin"

H=$(head_id)
expect 64 "new without -s" sd-kb new -m x
like "$T/err" "new needs a title" "new without -s: says so"
expect 64 "new without a text" sd-kb new -s T
like "$T/err" "new needs a text" "new without a text: says so"
expect 64 "new with an empty -m" sd-kb new -s T -m ''
expect 65 "new with a text of blank lines" sd-kb new -s T -m "$(printf ' \n\t\n ')"
expect 64 "new with an empty title" sd-kb new -s '' -m x
expect 64 "new with a title that ends with a space" sd-kb new -s 'T ' -m x
expect 64 "new with a title of 201 bytes" sd-kb new -s "$(printf '%0201d' 0)" -m x
expect 64 "new with a control character in the title" sd-kb new -s "$(printf 'a\033[31mb')" -m x
expect 64 "new with a bidirectional control in the title" sd-kb new -s "$(printf 'a\342\200\256b')" -m x
expect 64 "new with an argument" sd-kb new -s T -m x extra
expect 64 "new with --bogus" sd-kb new -s T -m x --bogus
expect 65 "new with an unknown category" sd-kb new -s T -c nosuch -m x
like "$T/err" "^sd-kb: unknown category 'nosuch'$" "unknown category: says which"
one_line_error "$T/err" "unknown category: one line"
printf 'a\377b\n' >"$T/bad.txt"
expect 65 "new with a text that is not UTF-8" sd-kb new -s T -F "$T/bad.txt"
expect 66 "new with -F of a missing file" sd-kb new -s T -F "$T/nosuch"
SD_AGENT=nobody expect 77 "new by an unknown agent" sd-kb new -s T -m x
expect 66 "new in no store" sd-kb -C "$T/nostore" new -s T -m x
unchanged "$H" "the refused new"

# --- show ----------------------------------------------------------------
expect 0 "show KB-1" sd-kb show KB-1
is "$(cat "$T/out")" "$(cat "$SD_STORE/kb/KB-1.txt")" "show: the article as stored"
expect 0 "show kb-1" sd-kb show kb-1
expect 0 "show 1" sd-kb show 1
is "$(cat "$T/out")" "$(cat "$SD_STORE/kb/KB-1.txt")" "show N: the same"
SD_AGENT=nobody expect 0 "show needs no agent" sd-kb show 1
expect 66 "show an article that is not there" sd-kb show KB-9
is "$(cat "$T/err")" "sd-kb: KB-9: no such article" "show: says which"
expect 64 "show a bad id" sd-kb show KB-x
expect 64 "show KB-0" sd-kb show KB-0
expect 64 "show KB-01" sd-kb show KB-01
expect 64 "show without an id" sd-kb show
expect 64 "show with two" sd-kb show 1 2
expect 64 "show -s (new's option)" sd-kb show -s T 1
like "$T/err" "no such option for show" "an option of another subcommand: says so"

# The articles the configuration makes.
expect 0 "show catalogue" sd-kb show catalogue
like "$T/out" "^title = Service catalogue$" "catalogue: its title"
like "$T/out" "^hardware/printer +desk +-$" "catalogue: a category, its level-1 group, no approvals"
like "$T/out" "^access/account +desk +boss risk$" "catalogue: a category's approvals"
like "$T/out" "^telco +3 +yes$" "catalogue: a provider group"
expect 0 "show priority" sd-kb show priority
like "$T/out" "^high +1 +2 +3$" "priority: the high-urgency row of the matrix"
like "$T/out" "^low +3 +4 +4$" "priority: the low-urgency row"
like "$T/out" "^1 +1bh +4bh +2bh +8bh$" "priority: priority 1's targets"
like "$T/out" "^4 +1bh +5bd +2bh +10bd$" "priority: priority 4's targets"
expect 0 "show escalation" sd-kb show escalation
like "$T/out" "^network/internet +desk +network +telco$" "escalation: a category's groups by level"
like "$T/out" "^servers +sofia, raul$" "escalation: a group's agents"
ls "$SD_STORE/kb" >"$T/ls"
is "$(cat "$T/ls")" "KB-1.txt
KB-2.txt
KB-3.txt" "generated articles are never stored"

# --- list ----------------------------------------------------------------
expect 0 "list" sd-kb list
is "$(cat "$T/out")" "KB-1       hardware/printer Impresora sin tóner
KB-2       -                VPN no conecta
KB-3       network          Ωμέγα" "list: id, category, title, by number"
expect 0 "list --category" sd-kb list --category network
is "$(cat "$T/out")" "KB-3       network          Ωμέγα" "list --category: that category's"
expect 0 "list --category with none" sd-kb list --category email
is "$(cat "$T/out")" "" "list: nothing, exit 0"
expect 0 "list --category, its subcategories too" sd-kb list --category hardware
is "$(cat "$T/out")" "KB-1       hardware/printer Impresora sin tóner" "list --category hardware: hardware/printer's"
expect 65 "list --category of no category" sd-kb list --category nosuch
like "$T/err" "^sd-kb: unknown category 'nosuch'$" "list: an unknown category, named"
expect 64 "list with an argument" sd-kb list x
expect 64 "list -c (new's option)" sd-kb list -c network

# --- search --------------------------------------------------------------
expect 0 "search, another case" sd-kb search TÓNER
is "$(cat "$T/out")" "KB-1       hardware/printer Impresora sin tóner" "search: Latin-1 letters either case"
expect 0 "search in the text" sd-kb search 'luego REINICIE'
is "$(cat "$T/out")" "KB-2       -                VPN no conecta" "search: the text, across case"
expect 0 "search Greek and Cyrillic" sd-kb search 'ελληνικά και кириллица'
is "$(cat "$T/out")" "KB-3       network          Ωμέγα" "search: Greek and Cyrillic case"
expect 0 "search: no match" sd-kb search 'toner'
is "$(cat "$T/out")" "" "search: ó is not o"
expect 0 "search: never inside a character" sd-kb search "$(printf '\263')"
is "$(cat "$T/out")" "" "search: a continuation byte matches nothing"
expect 64 "search without a pattern" sd-kb search
expect 64 "search with two" sd-kb search a b

# --- the command line ------------------------------------------------------
expect 64 "no subcommand" sd-kb
like "$T/err" "a subcommand is required" "no subcommand: says so"
expect 64 "an unknown subcommand" sd-kb fly
like "$T/err" "'fly' is not a subcommand" "unknown subcommand: says which"
expect 0 "-h" sd-kb -h
like "$T/out" "^usage: sd-kb" "-h: the usage"
expect 0 "sd kb runs sd-kb" sd kb show 1
is "$(cat "$T/out")" "$(cat "$SD_STORE/kb/KB-1.txt")" "sd kb: the same"
expect 0 "-C DIR" sd-kb -C "$SD_STORE" list
unchanged "$H" "reading"

# --- edit ----------------------------------------------------------------
SD_NOW=2026-03-03T10:00:00-05:00 SD_AGENT=luis EDITOR="$T/editor" \
SD_SED='s/^title = .*/title = Impresora: tóner agotado/; s/cartucho\./cartucho negro./' \
	expect 0 "edit: title and text" sd-kb edit KB-1
is "$(cat "$T/out")" "KB-1" "edit: prints the id"
is "$(cat "$SD_STORE/kb/KB-1.txt")" "id = KB-1
title = Impresora: tóner agotado
category = hardware/printer
updated_by = luis
updated_at = 2026-03-03T10:00:00-05:00

Abra la tapa y cambie el cartucho negro." "edit: title, text and who and when"
is "$(sgit log -1 --format=%s%n%b)" "KB-1: edit: Impresora: tóner agotado
Action: kb" "edit: its commit"
H=$(head_id)
EDITOR=true expect 0 "edit, nothing changed" sd-kb edit 1
is "$(cat "$T/err")" "sd-kb: KB-1: no change" "no change: says so"
unchanged "$H" "a no-op edit"
EDITOR="$T/editor" SD_SED='s/^updated_by = .*/updated_by = jorge/' \
	expect 0 "edit of updated_by alone: no change" sd-kb edit 1
unchanged "$H" "updated_by alone"
EDITOR="$T/editor" SD_SED='s/^id = .*/id = KB-7/' expect 65 "edit the id" sd-kb edit 1
like "$T/err" "id: 'KB-7' may not change" "edit the id: says so"
EDITOR="$T/editor" SD_SED='s/^category = .*/category = nosuch/' expect 65 "edit: unknown category" sd-kb edit 1
EDITOR="$T/editor" SD_SED='s/^title = .*/title =/' expect 65 "edit: empty title" sd-kb edit 1
EDITOR="$T/editor" SD_SED='/^$/d' expect 65 "edit: no blank line" sd-kb edit 1
EDITOR="$T/editor" SD_SED='7,$d' expect 65 "edit: no text" sd-kb edit 1
EDITOR="$T/editor" SD_SED='7,$s/.*/ /' expect 65 "edit: a text of spaces" sd-kb edit 1
like "$T/err" "the article's text is empty" "a text of spaces: empty"
EDITOR=false expect 74 "edit: the editor fails" sd-kb edit 1
expect 66 "edit an article that is not there" sd-kb edit 9
expect 64 "edit without an id" sd-kb edit
SD_AGENT=nobody EDITOR=true expect 77 "edit by an unknown agent" sd-kb edit 1
unchanged "$H" "the refused edits"
# The editor's looser header: spaces around = as one likes.
SD_NOW=2026-03-03T11:00:00-05:00 EDITOR="$T/editor" SD_SED='s/^category = .*/category=network/' \
	expect 0 "edit: category=VALUE, no spaces" sd-kb edit 1
is "$(sed -n 3p "$SD_STORE/kb/KB-1.txt")" "category = network" "edit: the category taken, written in the shape"
EDITOR="$T/editor" SD_SED='s/^category = .*/category = hardware\/printer/' expect 0 "and back" sd-kb edit 1
H=$(head_id)
# A hand change of an article is never committed over.
cp "$SD_STORE/kb/KB-1.txt" "$T/kb1"
echo "hand" >>"$SD_STORE/kb/KB-1.txt"
EDITOR="$T/editor" SD_SED='s/^title = .*/title = Otro/' expect 65 "edit over a hand change" sd-kb edit 1
like "$T/err" "^sd-kb: kb/KB-1\.txt: changed by hand; restore it with 'sd fsck --repair'" "a hand change: says how to undo it"
cp "$T/kb1" "$SD_STORE/kb/KB-1.txt"
unchanged "$H" "the edit over a hand change"
ls "$SD_STORE/.git" | grep -c sd-kb >"$T/n"
is "$(cat "$T/n")" "0" "edit: no temporary directory left"

# --- sd-solve --kb, sd-report --kb -------------------------------------------
sd-new -t incident -s "Impresora" -r Jorge -c hardware/printer --email j@example.org >/dev/null
sd-new -t incident -s "Impresora 2" -r Jorge -c hardware/printer --email j@example.org >/dev/null
sd-new -t incident -s "VPN" -r Jorge -c network/vpn --email j@example.org >/dev/null
H=$(head_id)
expect 65 "solve --kb of no article" sd-solve --kb KB-9 -m x 1
like "$T/err" "^sd-solve: SD-1: --kb: KB-9: no such article$" "solve --kb: says which"
expect 64 "solve --kb of no id" sd-solve --kb nine -m x 1
unchanged "$H" "the refused solve"
expect 0 "solve --kb kb-1" sd-solve --kb kb-1 -m "Cartucho cambiado" 1
is "$(sed -n '/^action = solve$/,$p' "$SD_STORE/tickets/000/SD-1.ini" | sed -n 's/^kb = //p')" "KB-1" \
	"solve: the kb key, as KB-N, in the solve event"
like "$SD_STORE/tickets/000/SD-1.ini" "^code = solved$" "solve: the code stays"
expect 0 "solve SD-2 with KB-1" sd-solve --kb 1 -m "Igual" 2
expect 0 "solve SD-3 without" sd-solve -m "Reiniciado" 3
SD_AGENT=ana expect 0 "reopen SD-2" sd-reopen -m "Sigue" 2
expect 0 "solve SD-2 again with KB-1" sd-solve --kb KB-1 -m "Otra vez" 2
expect 0 "sd-fsck --commits of it all" sd-fsck --commits "$(sgit rev-list --max-parents=0 HEAD)..HEAD"
expect 0 "report --kb" sd-report --kb
is "$(cat "$T/out")" "ARTICLE    TICKETS  TITLE
KB-1             2  Impresora: tóner agotado
KB-2             0  VPN no conecta
KB-3             0  Ωμέγα" "report --kb: a ticket once, every article"
expect 0 "report --kb --format tsv --requester" sd-report --kb --format tsv --category network/vpn
is "$(cat "$T/out")" "article	tickets	title
KB-1	0	Impresora: tóner agotado
KB-2	0	VPN no conecta
KB-3	0	Ωμέγα" "report --kb: the filters apply"
expect 64 "report --kb --by" sd-report --kb --by group
expect 64 "report --kb --format json" sd-report --kb --format json

# --- the push check (sd-fsck --commits) ---------------------------------------
# forge_kb PATH FILE [ACTION [EMAIL]]: a commit on HEAD whose tree has
# FILE at PATH (FILE "-": PATH removed), by EMAIL, with the trailer
# Action: ACTION; its id on stdout.
forge_kb() {
	rm -f "$T/f.idx"
	GIT_INDEX_FILE=$T/f.idx sgit read-tree HEAD
	if [ "$2" = - ]; then
		printf '0 0000000000000000000000000000000000000000\t%s\n' "$1" |
			GIT_INDEX_FILE=$T/f.idx sgit update-index --index-info
	else
		GIT_INDEX_FILE=$T/f.idx sgit update-index --add --cacheinfo "100644,$(sgit hash-object -w "$2"),$1"
	fi
	_tree=$(GIT_INDEX_FILE=$T/f.idx sgit write-tree)
	printf 'KB: forged\n\nAction: %s\n' "${3:-kb}" |
		GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=${4:-ana.gomez@example.org} \
		GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=${4:-ana.gomez@example.org} \
		sgit commit-tree "$_tree" -p HEAD
}
# refused WHAT PATTERN COMMIT
refused() {
	expect 65 "$1: refused" sd-fsck --commits "$3"
	cat "$T/out" "$T/err" >"$T/said"
	like "$T/said" "$2" "$1: says why"
}
good=$T/good.txt
printf 'id = KB-4\ntitle = Cuarto\ncategory =\nupdated_by = ana\nupdated_at = %s\n\nTexto.\n' "$now" >"$good"
expect 0 "an honest article, forged alike, is accepted" sd-fsck --commits "$(forge_kb kb/KB-4.txt "$good")"
refused "a bad name" "kb/notes.txt: .*not an article's path" "$(forge_kb kb/notes.txt "$good")"
refused "a leading zero" "kb/KB-04.txt: .*not an article's path" "$(forge_kb kb/KB-04.txt "$good")"
refused "a name that is not its id" "kb/KB-5.txt: .*id 'KB-4' does not match the file name" "$(forge_kb kb/KB-5.txt "$good")"
sed 's/^title = /title=/' "$good" >"$T/f1"
refused "a bad header line" "kb/KB-4.txt: .*not 'title = VALUE'" "$(forge_kb kb/KB-4.txt "$T/f1")"
sed '/^category =/d' "$good" >"$T/f2"
refused "a missing key" "not 'category = VALUE'" "$(forge_kb kb/KB-4.txt "$T/f2")"
printf 'extra = 1\n' | cat - "$good" >"$T/f3"
refused "an extra key" "not 'id = VALUE'" "$(forge_kb kb/KB-4.txt "$T/f3")"
sed '$d' "$good" >"$T/f4"
refused "no text" "a blank line and a text" "$(forge_kb kb/KB-4.txt "$T/f4")"
printf 'id = KB-4\ntitle = Cuarto\ncategory =\nupdated_by = ana\nupdated_at = %s\n\nTexto.' "$now" >"$T/f5"
refused "no final newline" "a blank line and a text ending with a newline" "$(forge_kb kb/KB-4.txt "$T/f5")"
sed 's/^updated_by = ana/updated_by = luis/' "$good" >"$T/f6"
refused "updated_by not the author" "updated_by = luis, but the commit is ana's" "$(forge_kb kb/KB-4.txt "$T/f6")"
sed 's/^updated_at = .*/updated_at = yesterday/' "$good" >"$T/f7"
refused "updated_at not a time" "updated_at = yesterday: not a time" "$(forge_kb kb/KB-4.txt "$T/f7")"
sed 's/^category =/category = nosuch/' "$good" >"$T/f8"
refused "an unknown category" "unknown category 'nosuch'" "$(forge_kb kb/KB-4.txt "$T/f8")"
sed 's/^title = .*/title =  Cuarto/' "$good" >"$T/f9"
refused "a title with a space first" "title begins or ends with a space" "$(forge_kb kb/KB-4.txt "$T/f9")"
refused "a non-agent author" "the author <mallory@example.org> is no agent" \
	"$(forge_kb kb/KB-4.txt "$good" kb mallory@example.org)"
refused "an article under another action" "note does not write the knowledge base" \
	"$(forge_kb kb/KB-4.txt "$good" note)"
refused "an article removed" "an article is never removed" "$(forge_kb kb/KB-1.txt -)"
# A ticket change smuggled into a kb commit.
sed 's/^title = Impresora 2$/title = Otra cosa/' "$SD_STORE/tickets/000/SD-2.ini" >"$T/t2"
rm -f "$T/f.idx"
GIT_INDEX_FILE=$T/f.idx sgit read-tree HEAD
GIT_INDEX_FILE=$T/f.idx sgit update-index --add --cacheinfo "100644,$(sgit hash-object -w "$good"),kb/KB-4.txt"
GIT_INDEX_FILE=$T/f.idx sgit update-index --add --cacheinfo "100644,$(sgit hash-object -w "$T/t2"),tickets/000/SD-2.ini"
tree=$(GIT_INDEX_FILE=$T/f.idx sgit write-tree)
c=$(printf 'KB-4: new\n\nTicket: SD-2\nAction: kb\n' | GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=ana.gomez@example.org \
	GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=ana.gomez@example.org sgit commit-tree "$tree" -p HEAD)
refused "a ticket change in a kb commit" "a kb commit writes one article and nothing else" "$c"
# Two articles in one commit.
sed 's/KB-4/KB-5/' "$good" >"$T/g5"
GIT_INDEX_FILE=$T/f.idx sgit read-tree HEAD
GIT_INDEX_FILE=$T/f.idx sgit update-index --add --cacheinfo "100644,$(sgit hash-object -w "$good"),kb/KB-4.txt"
GIT_INDEX_FILE=$T/f.idx sgit update-index --add --cacheinfo "100644,$(sgit hash-object -w "$T/g5"),kb/KB-5.txt"
tree=$(GIT_INDEX_FILE=$T/f.idx sgit write-tree)
c=$(printf 'KB: two\n\nAction: kb\n' | GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=ana.gomez@example.org \
	GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=ana.gomez@example.org sgit commit-tree "$tree" -p HEAD)
refused "two articles in one commit" "a kb commit writes one article and nothing else" "$c"
# A solve event naming an article the tree lacks.
sed 's/^kb = KB-1$/kb = KB-8/' "$SD_STORE/tickets/000/SD-1.ini" >"$T/t1"
solve=$(sgit log --format=%H --grep='^SD-1: solve' -1)
GIT_INDEX_FILE=$T/f.idx sgit read-tree "$solve^"
GIT_INDEX_FILE=$T/f.idx sgit update-index --add --cacheinfo "100644,$(sgit hash-object -w "$T/t1"),tickets/000/SD-1.ini"
tree=$(GIT_INDEX_FILE=$T/f.idx sgit write-tree)
c=$(sgit log -1 --format=%B "$solve" | GIT_AUTHOR_NAME="Ana Gómez" GIT_AUTHOR_EMAIL=ana.gomez@example.org \
	GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=ana.gomez@example.org sgit commit-tree "$tree" -p "$solve^")
refused "a solve naming no article" "kb = KB-8: no such article in the tree" "$c"
is "$(sgit log -1 --format=%s "$solve")" "SD-1: solve (new -> solved)" "(the solve forged above is SD-1's)"
# The kb key belongs to a solve event alone (the action table).
H0=$(head_id)
expect 0 "a note on SD-3" sd-note -m hola 3
sed 's/^text = hola$/kb = KB-1\
text = hola/' "$SD_STORE/tickets/000/SD-3.ini" >"$T/t3"
GIT_INDEX_FILE=$T/f.idx sgit read-tree HEAD
GIT_INDEX_FILE=$T/f.idx sgit update-index --add --cacheinfo "100644,$(sgit hash-object -w "$T/t3"),tickets/000/SD-3.ini"
tree=$(GIT_INDEX_FILE=$T/f.idx sgit write-tree)
c=$(sgit log -1 --format=%B HEAD | GIT_AUTHOR_NAME="Ana Gómez" GIT_AUTHOR_EMAIL=ana.gomez@example.org \
	GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=ana.gomez@example.org sgit commit-tree "$tree" -p "$H0")
is "$(grep -c '^kb = KB-1$' "$T/t3")" 1 "(the forged note has a kb key)"
refused "a kb key in a note's event" "SD-3.ini: commit [0-9a-f]{12}: \[event [0-9]+\]: note writes no 'kb'" "$c"
expect 0 "the honest note is accepted" sd-fsck --commits "$H0..HEAD"
expect 0 "sd-fsck of the store" sd-fsck
clean "the store at the end"

# sd-fsck holds HEAD's articles to their shape, and the readers refuse a
# broken one.
sed 's/^title = .*/title=broken/' "$SD_STORE/kb/KB-2.txt" >"$T/k2" && cat "$T/k2" >"$SD_STORE/kb/KB-2.txt"
forge "a broken article" kb/KB-2.txt
expect 65 "sd-fsck: a broken article in HEAD" sd-fsck
cat "$T/out" "$T/err" >"$T/said"
like "$T/said" "^kb/KB-2\.txt:2: not 'title = VALUE'" "sd-fsck: names its file and line"
expect 65 "show of a broken article" sd-kb show 2
expect 65 "list with a broken article" sd-kb list

done_testing
