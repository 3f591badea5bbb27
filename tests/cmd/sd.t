#!/bin/sh
# sd: the front command.  `sd COMMAND ...` runs sd-COMMAND with the same
# arguments, found beside sd; `sd` alone lists the commands, each with its
# manual page's NAME line; `sd help` opens the manual.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
top=${SD_TOP:-.}

# --- the list ---------------------------------------------------------
expect 0 "sd alone: exit 0" sd
cp "$T/out" "$T/list"
is "$(head -3 "$T/list")" "usage: sd [-C DIR] COMMAND [ARGS...]
       sd help [COMMAND]
       sd --version" "sd alone: the usage first"
is "$(cat "$T/err")" "" "sd alone: nothing on stderr"
expect 0 "-h: exit 0" sd -h
is "$(cat "$T/out")" "$(cat "$T/list")" "-h: the same list"
expect 0 "--help: exit 0" sd --help
is "$(cat "$T/out")" "$(cat "$T/list")" "--help: the same list"

# Every command listed is a program beside sd, with its manual page's
# NAME line; every program and every section 1 page is listed.
# The commands: the lines after the usage's blank line, up to the next.
awk 'n == 1 && /^   / { c = $1; sub(/^   [a-z]+ +/, ""); print c "|" $0 }
	/^$/ { n++ }' "$T/list" >"$T/listed"
is "$(wc -l <"$T/listed" | tr -d ' ')" "$(ls "$SD_BIN" | grep -c '^sd-')" \
	"as many commands listed as sd-* programs built"
while IFS='|' read -r name what; do
	ok $([ -x "$SD_BIN/sd-$name" ]; echo $?) "$name: sd-$name is built"
	page=$top/man/sd-$name.1
	is "$what" "$(sed -n 's/^\.Nd //p' "$page" 2>/dev/null)" "$name: the NAME line of $page"
done <"$T/listed"
# sd(1) lists them too, in the same order, with the same lines.
awk '/^\.It Cm / { c = $3; getline; print c "|" $0 }' "$top/man/sd.1" >"$T/sd.1.listed"
is "$(cat "$T/sd.1.listed")" "$(cat "$T/listed")" "sd(1) lists the same commands and lines"
for page in "$top"/man/sd-*.1; do
	name=$(basename "$page" .1)
	ok $(grep -q "^${name#sd-}|" "$T/listed"; echo $?) "$name(1) is listed"
done

expect 0 "--version" sd --version
is "$(cat "$T/out")" "sd (sd) $(sd-new --version | sed 's/.* //')" "--version: the version of the programs"

# --- running a command ------------------------------------------------
expect 0 "sd new registers" sd new -t incident -s "Printer jam" -r Pedro -c hardware/printer \
	--email p@example.org
is "$(cat "$T/out")" "SD-1" "sd new prints the new ID, as sd-new does"
is "$(fields 1 title requester)" "Printer jam|Pedro" "sd new: the ticket as given"
clean "store clean after sd new"
expect 0 "sd show" sd show --field status SD-1
is "$(cat "$T/out")" "new" "sd show: sd-show's output"
expect 66 "sd show of no ticket: sd-show's exit status" sd show 99
is "$(cat "$T/err")" "sd-show: SD-99: no such ticket" "the message is sd-show's"
expect 64 "sd new with a bad option: 64" sd new --bogus
like "$T/err" "^usage: sd-new " "the usage is sd-new's"

# Arguments go through as they are: spaces, newlines, quotes, a leading
# dash, an empty one; -C DIR first when sd was given it.
mkdir "$T/exec"
cat >"$T/exec/sd-show" <<'EOF'
#!/bin/sh
for a; do printf '[%s]\n' "$a"; done
EOF
chmod +x "$T/exec/sd-show"
expect 0 "SD_EXEC_PATH: the program from there" env SD_EXEC_PATH="$T/exec" \
	sd show "two words" "a
b" "'q\"" -x ""
is "$(cat "$T/out")" "[two words]
[a
b]
['q\"]
[-x]
[]" "each argument as it was"
expect 0 "-C DIR goes first" env SD_EXEC_PATH="$T/exec" sd -C "$T/some dir" show 1
is "$(cat "$T/out")" "[-C]
[$T/some dir]
[1]" "-C DIR, then the command's arguments"

# Found beside sd, not on PATH; -C to another store.
other=$T/other
SD_AGENT=carmen sd-init --example "$other" >/dev/null 2>&1
expect 0 "sd -C another store, sd-list not on PATH" \
	env -u SD_STORE PATH=/usr/bin:/bin "$SD_BIN/sd" -C "$other" list --format tsv --fields id
is "$(cat "$T/out")" "id" "the other store: no tickets"
expect 0 "the first store through SD_STORE" env PATH=/usr/bin:/bin "$SD_BIN/sd" list --format tsv --fields id
is "$(cat "$T/out")" "id
SD-1" "the first store: SD-1"

# --- errors -----------------------------------------------------------
before=$(head_id)
expect 64 "an unknown command: 64" sd frobnicate
is "$(head -1 "$T/err")" "sd: 'frobnicate' is not an sd command; see 'sd help'" "its message"
like "$T/err" "^usage: sd " "then the usage"
is "$(cat "$T/out")" "" "nothing on stdout"
expect 64 "sd-new is not a command name (new is)" sd sd-new
expect 64 "a bad option of sd: 64" sd --bogus
like "$T/err" "^usage: sd " "the usage"
expect 64 "-C without DIR: 64" sd -C
expect 74 "a command that cannot be run: 74" env SD_EXEC_PATH="$T/nowhere" PATH=/usr/bin:/bin \
	"$SD_BIN/sd" show 1
is "$(cat "$T/err")" "sd: cannot run sd-show: No such file or directory" "its message names the program"
unchanged "$before" "after the errors"

# --- help -------------------------------------------------------------
# The pages of the source tree (SD_MANDIR), through man -l.
export SD_MANDIR=$top/man MANPAGER=cat PAGER=cat MANWIDTH=80
expect 0 "sd help new" sd help new
like "$T/out" "sd-new . register a ticket" "sd help new: sd-new(1)"
expect 0 "sd help sd-new" sd help sd-new
like "$T/out" "sd-new . register a ticket" "sd help sd-new: the same page"
expect 0 "sd help kb" sd help kb
like "$T/out" "sd-kb . write, show, list and search" "sd help kb: sd-kb(1)"
expect 0 "sd help ticket" sd help ticket
like "$T/out" "SD-TICKET\(5\)" "sd help ticket: sd-ticket(5)"
expect 0 "sd help config" sd help config
like "$T/out" "SD-CONFIG\(5\)" "sd help config: sd-config(5)"
expect 0 "sd help" sd help
like "$T/out" "SD\(7\)" "sd help: sd(7), the procedure"
mkdir -p "$T/man/man1"
cp "$top/man/sd-note.1" "$T/man/man1/"
expect 0 "an installed manual: DIR/man1/PAGE.1" env SD_MANDIR="$T/man" sd help note
like "$T/out" "sd-note . add a note" "sd help note from man1/"
expect 64 "sd help of no command: 64" sd help frobnicate
is "$(head -1 "$T/err")" "sd: 'frobnicate' is not an sd command or manual page" "its message"
expect 64 "sd help with two topics: 64" sd help new show
is "$(head -1 "$T/err")" "sd: unexpected argument 'show'" "its message names the argument"

done_testing
