#!/bin/sh
# The desk's own words, sd.ini [words]: the close reasons sd writes itself
# (close_confirmed, close_no_answer, close_no_information) go into tickets
# as written there, English without them; the labels of the solution
# codes (code_solved ... code_no-contact) are shown beside the code by
# sd-show and in the solve mail, the built-in ones of [store] language
# without them.
. "${SD_TOP:-.}/tests/lib.sh"
. "${SD_TOP:-.}/tests/workflow.sh"
mkstore
SENT=$T/sent
mkdir -p "$SENT"
printf '#!/bin/sh\ncat >"$(mktemp "%s/m.XXXXXX")"\n' "$SENT" >"$T/sendmail"
chmod +x "$T/sendmail"
git -C "$SD_STORE" config sd.sendmail "$T/sendmail"
edit_config sd.ini "/^keywords = /a address = desk@desk.example"
body() {  # body: the text of the one mail sent, then none left
	python3 - "$SENT"/m.* <<'EOF'
import sys, email, email.policy
for f in sys.argv[1:]:
    m = email.message_from_binary_file(open(f, 'rb'), policy=email.policy.default)
    sys.stdout.write(m.get_content())
EOF
	rm -f "$SENT"/m.*
}
resolution_line() { sd-show "$1" | sed -n 's/^  resolution  *//p'; }

# Without [words]: English reasons; an English label is its code, shown alone.
export SD_NOW=2026-11-23T10:00:00-05:00 SD_AGENT=carmen
new_ticket; rm -f "$SENT"/m.*
quiet env SD_NOW=2026-11-23T14:00:00-05:00 sd-solve --code workaround -m "Router restarted" "$made"
is "$(resolution_line "$made")" "workaround" "sd-show: the code alone"
like_text() { printf '%s\n' "$1" >"$T/text"; like "$T/text" "$2" "$3"; }
like_text "$(body)" "^Your request SD-$made is solved \\(workaround\\):$" "the solve mail names the code"
quiet env SD_NOW=2026-11-23T15:00:00-05:00 sd-close "$made"
is "$(fields "$made" close_reason)" "confirmed by requester" "close: the English reason"

# [store] language = es: the built-in Spanish labels.
edit_config sd.ini "/^prefix = /a language = es"
like "$SD_STORE/sd.ini" "^language = es$" "the store speaks Spanish"
is "$(resolution_line 1)" "workaround (solución temporal)" "sd-show: the code and its Spanish label"
new_ticket; rm -f "$SENT"/m.*
quiet env SD_NOW=2026-11-23T14:00:00-05:00 sd-solve --code unsolvable -m "No repuesto" "$made"
like_text "$(body)" "^Su solicitud SD-$made está solucionada \\(sin solución\\):$" \
	"the Spanish solve mail names the label"

# The desk's own words, through sd-edit by a coordinator.
edit_config sd.ini '$a\
\
[words]\
close_confirmed = Se ha validado con el usuario\
close_no_answer = Por tiempo excedido de los 3 días hábiles sin respuesta del usuario\
close_no_information = Sin la información requerida a tiempo\
code_workaround = Solución temporal: se restablece el servicio\
code_no-contact = Sin contacto después de tres intentos'
like "$SD_STORE/sd.ini" "^close_no_answer = Por tiempo excedido" "[words] is in sd.ini"
is "$(sgit log -1 --format=%s)" "sd.ini: edit" "in one commit"
is "$(resolution_line 1)" "workaround (Solución temporal: se restablece el servicio)" \
	"sd-show: the desk's label"
is "$(resolution_line "$made")" "unsolvable (sin solución)" "a code it leaves out: the built-in label"
quiet env SD_NOW=2026-11-23T15:00:00-05:00 sd-close "$made"
is "$(fields "$made" close_reason)" "Se ha validado con el usuario" "close: the desk's reason"

# sd-close --auto: a solved ticket past accept_window (48 h), a ticket
# missing data past info_window (24 h).
new_ticket
quiet env SD_NOW=2026-11-23T14:00:00-05:00 sd-solve -m "Router restarted" "$made"
solved=$made
quiet sd-new -t incident -s "VPN down" -r "Pedro Ruiz" -c network/vpn
pending=$(sed 's/^SD-//' "$T/quiet.out")
is "$(fields "$pending" status)" "pending-info" "one ticket waits for information"
expect 0 "sd-close --auto two days later" env SD_NOW=2026-11-26T10:00:00-05:00 sd-close --auto --format tsv
like "$T/out" "^SD-$solved	solved	closed	Por tiempo excedido de los 3 días hábiles sin respuesta del usuario$" \
	"the row says the desk's reason for the solved one"
like "$T/out" "^SD-$pending	pending-info	unmanaged	Sin la información requerida a tiempo$" \
	"and for the one that waited"
is "$(fields "$solved" status close_reason)" \
	"closed|Por tiempo excedido de los 3 días hábiles sin respuesta del usuario" "the ticket keeps it"
is "$(fields "$pending" status close_reason)" "unmanaged|Sin la información requerida a tiempo" \
	"the unmanaged one too"
is "$(last_event "$solved" | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])')" \
	"Por tiempo excedido de los 3 días hábiles sin respuesta del usuario" "and its event's text"
clean "store clean"
expect 0 "sd-fsck --commits holds every commit to the rules" sd-fsck --commits HEAD

# Bad words: the configuration error names file and line, exit 78, and
# nothing changes.
broken() {  # broken WHAT LINE PATTERN: sd.ini with LINE added under [words]
	cp "$SD_STORE/sd.ini" "$T/sd.ini.good"
	printf '%s\n' "$2" >>"$SD_STORE/sd.ini"
	line=$(wc -l <"$SD_STORE/sd.ini" | tr -d ' ')
	before=$(head_id)
	expect 78 "$1: 78" sd-show 1
	like "$T/err" "^sd-show: $SD_STORE/sd.ini:$line: $3" "$1: names file, line and what"
	one_line_error "$T/err" "$1: one line"
	is "$(head_id)" "$before" "$1: no commit"
	cp "$T/sd.ini.good" "$SD_STORE/sd.ini"
}
broken "an unknown word" "close_bogus = x" "unknown key 'close_bogus'"
broken "an empty word" "code_solved =" "code_solved: one line of UTF-8 text, without control characters"
broken "a control character" "$(printf 'code_solved = a\033[31mb')" "code_solved: one line of UTF-8 text"
broken "a word longer than a line may be" "close_confirmed = $(head -c 300 /dev/zero | tr '\0' x)" "line longer than [0-9]+ bytes"
expect 0 "sd.ini restored: sd-show works again" sd-show 1
done_testing
