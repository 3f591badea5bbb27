#!/bin/sh
# sd-shell: one sd command per SSH connection, as the key's agent.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "Printer" -r Pedro -c hardware/printer --email p@example.org >/dev/null
other=$T/other
SD_AGENT=carmen sd-init --example "$other" >/dev/null 2>&1

# shell CMDLINE: run sd-shell bound to the store for agent luis.
shell() { SSH_ORIGINAL_COMMAND=$1 run sd-shell --store "$SD_STORE" luis; }

shell "sd-list --open --format tsv --fields id,status"
is "$rc:$(cat "$T/out" | tr '\n' ' ')" "0:id	status SD-1	new " "a command runs"
shell "sd-note -m 'Called; no answer' SD-1"
is "$rc" 0 "quotes keep a ; inside a word"
is "$(sd-show --format json 1 | python3 -c 'import json,sys; e=json.load(sys.stdin)["events"][-1]; print(e["by"], "|", e["text"])')" \
	"luis | Called; no answer" "as the key's agent, the text whole"
shell "sd-note -m \"double \\\"quoted\\\" text\" 1"
is "$rc" 0 "double quotes with escaped quotes"
is "$(sd-show --format json 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1]["text"])')" \
	'double "quoted" text' "unquoted as a shell would"
printf 'Hola,\n\nya quedó.\n' >"$T/answer"
SSH_ORIGINAL_COMMAND="sd-reply -F - SD-1" run_in "$T/answer" sd-shell --store "$SD_STORE" luis
is "$rc:$(cat "$T/out")" "0:SD-1" "sd-reply runs, its text from standard input"
sd-show --format json 1 | python3 -c 'import json,sys; e=json.load(sys.stdin)["events"][-1]; sys.stdout.write(e["action"] + "|" + e["by"] + "|" + e["text"])' >"$T/got"
printf 'reply|luis|Hola,\n\nya quedó.\n' >"$T/want"
ok $(cmp -s "$T/want" "$T/got"; echo $?) "a reply by the key's agent, the text byte for byte"
shell "sd-reply -F /etc/passwd 1"
is "$rc" 77 "sd-reply -F FILE: refused under sd-shell"
clean "store clean"

before=$(head_id)
for bad in 'sd-show 1; rm -rf /tmp/x' 'sd-show $(id)' 'sd-show `id`' 'sd-list | mail x' \
	'sd-list > /tmp/out' 'sd-list & sd-list' 'sd-show "$HOME"' 'sd-show 1 && id' 'sd-show *' \
	"sd-show 'unclosed" 'sd-show "unclosed' 'sd-show 1 \'; do
	shell "$bad"
	is "$rc" 64 "refused: $bad"
done
one_line_error "$T/err" "one line"
for prog in 'ls -l' 'sd-init /tmp/x' 'sd-edit 1' 'sd-shell ana' '/bin/sh' 'bash -c id' \
	'SD_AGENT=carmen sd-list' './sd-list' '../bin/sd-list'; do
	shell "$prog"
	is "$rc" 77 "not run: $prog"
done
like "$T/err" "not a command this key may run" "says why"
shell "sd-list -C $other"
is "$rc" 77 "-C to another store, refused when bound"
shell "sd-list -C$other"
is "$rc" 77 "-CDIR too"
unchanged "$before" "after every refusal"

# Who acts cannot be smuggled: SD_AGENT from the client is ignored.
SD_AGENT=carmen SSH_ORIGINAL_COMMAND="sd-note -m hello 1" run sd-shell --store "$SD_STORE" luis
is "$(sd-show --format json 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1]["by"])')" \
	"luis" "the key's agent, not the environment's"
# An unknown agent for the key: the command refuses as usual.
SSH_ORIGINAL_COMMAND="sd-note -m x 1" run sd-shell --store "$SD_STORE" nobody
is "$rc" 77 "a key bound to an unknown agent"
# A key is always bound to a store: without --store, nothing runs.
SSH_ORIGINAL_COMMAND="sd-list -C $other --format tsv" run sd-shell luis
is "$rc" 64 "no --store: refused"
like "$T/err" "--store DIR is required" "says so"
# No command: an interactive login is refused.
unset SSH_ORIGINAL_COMMAND
expect 64 "no command" sd-shell --store "$SD_STORE" luis
like "$T/err" "runs sd commands only" "says what it is for"
expect 64 "no agent" sd-shell
expect 0 "-h" sd-shell -h
like "$T/out" "^usage: sd-shell" "usage"
# The commands run are those beside sd-shell, whatever SD_EXEC_PATH says.
mkdir "$T/evil"
printf '#!/bin/sh\necho evil\n' >"$T/evil/sd-list"
chmod +x "$T/evil/sd-list"
SD_EXEC_PATH=$T/evil SSH_ORIGINAL_COMMAND="sd-list --format tsv --fields id" run sd-shell --store "$SD_STORE" luis
is "$rc:$(head -1 "$T/out")" "0:id" "SD_EXEC_PATH is not followed"
done_testing
