#!/bin/sh
# An agent's or a group's email in agents.ini goes into the To: of the
# desk's mail as it is: it must be one address, by the rule of a ticket's
# requester_email, or the store's configuration is refused (78) naming
# agents.ini and the line, and nothing changes.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
cp "$SD_STORE/agents.ini" "$T/agents.ini"
line=$(grep -n '^email = ana\.gomez@example\.org$' "$T/agents.ini" | cut -d: -f1)
gline=$(grep -n '^email = mesadeservicios@example\.org$' "$T/agents.ini" | cut -d: -f1)
[ -n "$line" ] && [ -n "$gline" ] || bail "no email lines for ana and the desk in agents.ini"

# planted N VALUE: agents.ini with line N's email VALUE, committed
planted() {
	awk -v n="$1" -v v="$2" 'NR == n { print "email = " v; next } { print }' \
		"$T/agents.ini" >"$SD_STORE/agents.ini"
	forge "agents.ini by hand" agents.ini
}

for v in 'boss@x.example.org>, <spy@y.example.org' 'ana' 'ana@example' 'jos??@example.org' \
	'ana gomez@example.org' '"ana"@example.org'; do
	[ "$v" = 'jos??@example.org' ] && v=$(printf 'jos\303\251@example.org')
	for n in "$line" "$gline"; do
		planted "$n" "$v"
		before=$(head_id)
		expect 78 "agents.ini:$n email '$v': refused" sd-list
		one_line_error "$T/err" "agents.ini:$n email '$v': one line"
		is "$(cat "$T/err")" \
			"sd-list: $SD_STORE/agents.ini:$n: email must be one address such as ana@example.org, not '$v'" \
			"agents.ini:$n email '$v': names the file, the line and the value"
		unchanged "$before" "agents.ini:$n email '$v'"
	done
done
planted "$line" "ana.gomez+sd@mail.example.org"
expect 0 "a good address" sd-list
done_testing
