#!/bin/sh
# Messages in the user's language: every message has its Spanish
# translation; LANG=es_CO.UTF-8 gives Spanish messages, tables and labels,
# LANG=C English; and nothing a program reads - the machine formats, the
# ticket files, the commits, the exit statuses - changes with the language.
. "${SD_TOP:-.}/tests/lib.sh"
top=$(cd "${SD_TOP:-.}" && pwd)

# lang LANG CMD...: CMD with LANG alone choosing the language (the harness
# pins LC_ALL=C.UTF-8: unset here, with LC_MESSAGES and LANGUAGE)
lang() {
	_l=$1
	shift
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG="$_l" "$@"
}
es() { lang es_CO.UTF-8 "$@"; }
en() { lang C "$@"; }

# msgids FILE: the msgids of a po file, one per line, newlines as \n
msgids() {
	python3 -c 'import ast, sys
ids, cur = [], None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if line.startswith("msgid "):
        cur = [ast.literal_eval(line[6:])]
        ids.append(cur)
    elif line.startswith("\"") and cur is not None:
        cur.append(ast.literal_eval(line))
    else:
        cur = None
for m in ids:
    s = "".join(m)
    if s:
        print(s.replace("\n", "\\n"))' "$1"
}

# --- the catalogue: every message of the sources translated ----------------
(cd "$top" && xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ \
	--add-comments=TRANSLATORS: -o "$T/sd.pot" cmd/*.c lib/*.c) 2>"$T/err"
ok $? "xgettext extracts the messages of cmd/*.c and lib/*.c"
msgids "$T/sd.pot" >"$T/ids"
ok $([ "$(wc -l <"$T/ids")" -gt 300 ]; echo $?) "$(wc -l <"$T/ids") messages"
msgmerge -q -o "$T/es.po" "$top/po/es.po" "$T/sd.pot" 2>"$T/err"
ok $? "po/es.po merges with them"
msgattrib --untranslated --no-obsolete "$T/es.po" >"$T/untranslated.po" &&
	msgattrib --only-fuzzy --no-obsolete "$T/es.po" >"$T/fuzzy.po"
{ msgids "$T/untranslated.po"; msgids "$T/fuzzy.po"; } >"$T/missing"
if [ -s "$T/missing" ]; then
	echo "# without a Spanish translation (make po, then translate po/es.po):" >&2
	sed 's/^/#   /' "$T/missing" >&2
fi
is "$(wc -l <"$T/missing")" 0 "every message has a Spanish translation, none fuzzy"
msgfmt -c --check-format -o /dev/null "$top/po/es.po" 2>"$T/err"
ok $? "msgfmt -c --check-format po/es.po"
sed 's/^/# /' "$T/err" >&2
is "$(cat "$top/po/LINGUAS")" "es" "po/LINGUAS: es"

# --- the language of messages ----------------------------------------------
if ! locale -a 2>/dev/null | grep -Eqix 'es_CO\.utf-?8'; then
	ok 1 "the es_CO.UTF-8 locale exists (make deps makes it)"
	done_testing
fi
ok $([ -s "$SD_BIN/../share/locale/es/LC_MESSAGES/sd.mo" ]; echo $?) \
	"the catalogue is built beside the programs"

mkstore
sd-new -t incident -s "VPN drops every 10 minutes" -r "Jorge Díaz" -c network/vpn \
	--email jorge@example.org -m "Since Monday." >/dev/null
sd-new -t request -s "New laptop" -r "Eva Luna" >/dev/null

# Usage errors.
expect 64 "es: a usage error" es sd-list --fields nope
is "$(head -1 "$T/err")" "sd-list: --fields: clave desconocida 'nope'" "es: the message in Spanish"
is "$(sed -n 2p "$T/err" | cut -c1-13)" "uso: sd-list " "es: the usage in Spanish"
expect 64 "C: a usage error" en sd-list --fields nope
is "$(head -1 "$T/err")" "sd-list: --fields: unknown key 'nope'" "C: the message in English"
is "$(sed -n 2p "$T/err" | cut -c1-15)" "usage: sd-list " "C: the usage in English"
expect 0 "es: --help" es sd-show --help
is "$(head -1 "$T/out")" \
	"uso: sd-show [-C DIR] [--field CLAVE]... [--format text|json|ini] [--history] ID" \
	"es: --help in Spanish, on stdout"
expect 64 "es: a missing argument" es sd-assign 1
is "$(head -1 "$T/err")" "sd-assign: se requieren un ID y un AGENTE (o --me)" "es: said in Spanish"

# Not found, refused, illegal.
expect 66 "es: no such ticket" es sd-show 99
is "$(cat "$T/err")" "sd-show: SD-99: no existe el caso" "es: in Spanish"
expect 66 "C: no such ticket" en sd-show 99
is "$(cat "$T/err")" "sd-show: SD-99: no such ticket" "C: in English"
mkdir "$T/empty"
expect 66 "es: no store" es sd-list -C "$T/empty"
like "$T/err" "^sd-list: .*: no es un almacén \(no hay sd.ini\); cree uno con sd-init$" "es: in Spanish"
expect 77 "es: a refusal" es env SD_AGENT=jorge sd-assign 1 ana
is "$(cat "$T/err")" "sd-assign: SD-1: jorge: el caso está en el grupo desk, que no es uno de los suyos" \
	"es: the refusal in Spanish"
expect 77 "C: a refusal" en env SD_AGENT=jorge sd-assign 1 ana
is "$(cat "$T/err")" "sd-assign: SD-1: jorge: the ticket is in group desk, not one of yours" \
	"C: the refusal in English"
expect 77 "es: an unknown agent" es env SD_AGENT=nadie sd-note 1 -m x
is "$(cat "$T/err")" "sd-note: agente desconocido 'nadie' (SD_AGENT): no está en agents.ini" \
	"es: said in Spanish"
expect 65 "es: an illegal move" es sd-close 1
is "$(cat "$T/err")" "sd-close: SD-1: no se puede aplicar close a un caso en estado new" \
	"es: the status and the action stay as typed"
clean "store clean after the refusals"

# sd-list: the table's header in Spanish, aligned on characters, not bytes.
expect 0 "es: sd-list" es sd-list
is "$(head -1 "$T/out" | tr -s ' ')" \
	"ID ESTADO PRIORIDAD NIVEL GRUPO ASIGNADO VENCE_RESOLUCIÓN TÍTULO" "es: the header in Spanish"
is "$(sed -n 2p "$T/out" | tr -s ' ' | cut -d' ' -f1,2)" "SD-1 new" "es: the statuses as typed"
# col_of FILE LINE WORD: the character column of WORD in line LINE of FILE
col_of() {
	python3 -c 'import sys
print(open(sys.argv[1], encoding="utf-8").read().split("\n")[int(sys.argv[2]) - 1].index(sys.argv[3]))' "$@"
}
is "$(col_of "$T/out" 1 "TÍTULO")" "$(col_of "$T/out" 2 "VPN drops")" "es: the titles under TÍTULO"
is "$(col_of "$T/out" 1 "VENCE_RESOLUCIÓN")" "$(col_of "$T/out" 2 "2026-")" \
	"es: the due dates under VENCE_RESOLUCIÓN"
expect 0 "C: sd-list" en sd-list
is "$(head -1 "$T/out" | tr -s ' ')" \
	"ID STATUS PRIORITY LEVEL GROUP ASSIGNEE DUE_RESOLUTION TITLE" "C: the header in English"
expect 0 "es: sd-list --format text" es sd-list --format text --fields id,requester_phone,title
is "$(head -1 "$T/out" | tr -s ' ')" "ID TELÉFONO_SOLICITANTE TÍTULO" "es: --format text too"

# sd-show: the labels in Spanish, the values lined up.
expect 0 "es: sd-show" es sd-show 1
like "$T/out" '^  estado +new$' "es: estado"
like "$T/out" '^  correo_solicitante +jorge@example.org$' "es: correo_solicitante"
like "$T/out" '^  vence_resolución +2026-' "es: vence_resolución"
like "$T/out" '^Descripción:$' "es: Descripción:"
ok $(python3 -c 'import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
rows = lines[1:lines.index("")]
cols = {len(l) - len(l[2:].split(" ", 1)[1].lstrip(" ")) for l in rows}
sys.exit(len(cols) != 1 or len(rows) < 10)' "$T/out"; echo $?) "es: every value in one column"
expect 0 "C: sd-show" en sd-show 1
like "$T/out" '^  status            new$' "C: status, as ever"
like "$T/out" '^Description:$' "C: Description:"
expect 0 "es: sd-show --history" es sd-show --history 1
like "$T/out" '^Eventos:$' "es: Eventos:"
like "$T/out" '^  2026-11-23T10:00:00-05:00  ana  new -> new$' "es: the events as they are"

# sd-report: the header and the totals row in Spanish.
expect 0 "es: sd-report" es sd-report --by level
is "$(head -1 "$T/out" | tr -s ' ' | cut -d' ' -f1-6)" "NIVEL CASOS ABIERTOS SOLUCIONADOS CERRADOS RECHAZADOS" \
	"es: the header in Spanish"
is "$(tail -1 "$T/out" | cut -d' ' -f1)" "(todos)" "es: the totals row"
expect 0 "C: sd-report" en sd-report --by level
is "$(head -1 "$T/out" | tr -s ' ' | cut -d' ' -f1-6)" "LEVEL TICKETS OPEN SOLVED CLOSED REJECTED" \
	"C: the header in English"
is "$(tail -1 "$T/out" | cut -d' ' -f1)" "(all)" "C: the totals row"
expect 0 "es: sd-report --format html" es sd-report --format html --by level
is "$(grep -o '<figcaption>[^<]*</figcaption>' "$T/out" | sed 's/<[^>]*>//g' | tr '\n' '|')" \
	"Registrados y solucionados por mes|ANS cumplido por nivel|Casos abiertos por antigüedad|Casos por canal|Casos por categoría|" \
	"es: the charts' titles"
like "$T/out" '<tr><th class="v"><span>nivel</span></th><th class="v"><span>casos</span></th><th class="v"><span>abiertos</span></th><th class="v"><span>solucionados</span></th>' \
	"es: the table's header"
like "$T/out" '<p class="period">Periodo: desde siempre.</p>' "es: the period"
like "$T/out" '<caption>Metas de ANS \(sla.ini\)</caption>' "es: the targets' caption"
like "$T/out" '<td class="k">\(todos\)</td>' "es: its totals row"
like "$T/out" '>registrados</text>' "es: the legends"

# --- which variables choose the language, as gettext has it ----------------
# said ENV...: what sd-show 99 says, run with LC_ALL, LC_MESSAGES, LANG and
# LANGUAGE unset but for ENV
said() {
	env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "$@" sd-show 99 2>&1
}
spanish="sd-show: SD-99: no existe el caso"
english="sd-show: SD-99: no such ticket"
is "$(said LANG=es_CO.UTF-8)" "$spanish" "LANG=es_CO.UTF-8: Spanish"
is "$(said LANG=C)" "$english" "LANG=C: English"
is "$(said LANG=en_US.UTF-8)" "$english" "LANG=en_US.UTF-8: English"
is "$(said)" "$english" "nothing set: English"
is "$(said LC_ALL=es_CO.UTF-8 LANG=C)" "$spanish" "LC_ALL=es_CO.UTF-8 over LANG=C"
is "$(said LC_ALL=C LANG=es_CO.UTF-8)" "$english" "LC_ALL=C over LANG=es_CO.UTF-8"
is "$(said LC_MESSAGES=es_CO.UTF-8 LANG=C)" "$spanish" "LC_MESSAGES=es_CO.UTF-8 over LANG=C"
is "$(said LC_MESSAGES=C LANG=es_CO.UTF-8)" "$english" "LC_MESSAGES=C over LANG=es_CO.UTF-8"
is "$(said LANG=es_CO.UTF-8 LANGUAGE=en)" "$english" "LANGUAGE=en over LANG=es_CO.UTF-8"
is "$(said LANG=es_CO.UTF-8 LANGUAGE=fr:es)" "$spanish" "LANGUAGE=fr:es: the first with a catalogue"
is "$(said LANG=C LANGUAGE=es)" "$english" "LANGUAGE is ignored in the C locale"
is "$(said LANG=es_CO.UTF-8 SD_LOCALEDIR="$T/empty")" "$english" \
	"SD_LOCALEDIR with no catalogue: English"
is "$(said LANG=es_CO.UTF-8 SD_LOCALEDIR="$SD_BIN/../share/locale")" "$spanish" \
	"SD_LOCALEDIR names where the catalogues are"

# --- what programs read never changes ---------------------------------------
# The same ticket life, commands for commands, in a store made in Spanish
# and in one made in C.
# life DIR LANG: that life in a new store at DIR, every command run in LANG
life() {
	_d=$1 _lang=$2
	lang "$_lang" env SD_AGENT=carmen sd-init --example "$_d" >/dev/null 2>&1 ||
		{ echo "Bail out! sd-init in $_lang"; exit 1; }
	while IFS='|' read -r _now _agent _cmd; do
		eval "set -- $_cmd"
		lang "$_lang" env SD_STORE="$_d" SD_NOW="2026-$_now:00-05:00" SD_AGENT="$_agent" "$@" \
			>>"$T/life.$_lang.out" 2>"$T/life.err" </dev/null ||
			{ echo "Bail out! $_lang: $_cmd: $(head -1 "$T/life.err")"; exit 1; }
	done <<'EOF'
11-23T09:00|ana|sd-new -t incident -s "VPN drops" -r "Jorge Díaz" -c network/vpn --email j@example.org -m "Every 10 minutes."
11-23T09:10|ana|sd-update 1 --urgency high -m "Called back."
11-23T09:20|ana|sd-assign 1 --me
11-23T09:30|ana|sd-escalate 1 -m "Tunnel resets."
11-23T09:40|jorge|sd-assign 1 --me
11-23T09:50|jorge|sd-suspend 1 -m "Waiting for a part."
11-23T10:00|jorge|sd-resume 1
11-23T10:10|jorge|sd-solve 1 -m "MTU set to 1400."
11-23T10:20|ana|sd-reopen 1 -m "Still drops."
11-23T10:30|jorge|sd-solve 1 --code workaround -m "A reconnect script."
11-23T10:40|ana|sd-close 1 --rating 4 -m "Thanks."
11-23T11:00|ana|sd-new -t request -s "Access to the drive" -r "Eva Luna" -c access/account --email eva@example.org
11-23T11:10|carmen|sd-approve 2 --role boss
11-23T11:20|raul|sd-approve 2 --role risk --deny -m "Not allowed."
11-23T11:30|ana|sd-new -t incident -s "Printer offline" -r "Pedro Ruiz" --related SD-1
11-23T11:40|ana|sd-note 3 --contact-attempt -m "No answer."
11-23T11:50|ana|sd-new -t incident -s "Word crashes" -r "Juan Soto" -c software/office --email juan@example.org
11-23T12:00|ana|sd-link 1 4
11-23T12:10|ana|sd-solve 4 -m "Reinstalled."
11-23T12:20|ana|sd-new -t request -s "Wrong desk" -r "Luz" -c hardware/laptop --email luz@example.org
11-23T12:30|ana|sd-close 5 --reject -m "Not ours."
11-23T13:00|ana|sd-new -t incident -s "ERP down" -r "Pedro Ruiz" -c software/erp --email p@example.org -u high -i high
11-24T09:00|ana|sd-new -t request -s "Second screen" -r "Juan Soto" -c hardware/laptop --email juan@example.org
EOF
}
life "$T/es" es_CO.UTF-8
life "$T/c" C
ok $(cmp -s "$T/life.es_CO.UTF-8.out" "$T/life.C.out"; echo $?) "the IDs printed, the same"

# same DESCRIPTION CMD...: CMD's stdout and exit status the same in Spanish
# and in C
same() {
	_what=$1
	shift
	es "$@" >"$T/same.es" 2>"$T/same.es.err"
	_rc_es=$?
	en "$@" >"$T/same.c" 2>"$T/same.c.err"
	_rc_c=$?
	if ! cmp -s "$T/same.es" "$T/same.c"; then
		diff "$T/same.c" "$T/same.es" | head -10 | sed 's/^/# /' >&2
	fi
	ok $(cmp -s "$T/same.es" "$T/same.c" && [ "$_rc_es" = "$_rc_c" ]; echo $?) "$_what"
}
export SD_STORE=$T/c SD_NOW=2026-11-30T10:00:00-05:00
for f in tsv csv json; do
	same "sd-list --format $f" sd-list --format $f
	same "sd-list --format $f, every field" sd-list --format $f \
		--fields id,type,status,title,category,channel,urgency,impact,priority,level,group,assignee,requester,requester_email,requester_phone,created,updated,responded,solved,closed,due_response,due_resolution,resolution,close_reason,rating,escalations,reopened,contact_attempts,related,approvals
	same "sd-sla --format $f" sd-sla --format $f
	same "sd-report --format $f --by level" sd-report --format $f --by level
	same "sd-report --format $f --by status,channel" sd-report --format $f --by status,channel
	same "sd-report --format $f --by month" sd-report --format $f --by month
	same "sd-close --auto --dry-run --format $f" sd-close --auto --dry-run --format $f
done
for id in 1 2 3 4 5 6 7; do
	same "sd-show --format json SD-$id" sd-show --format json $id
	same "sd-show --format ini SD-$id" sd-show --format ini $id
done
same "sd-show --format json --history" sd-show --format json --history 1
same "sd-show --field" sd-show --field status --field close_reason --field resolution 1
same "sd-show --field solution" sd-show --field solution 1
same "sd-list --fields id --format tsv --at-risk" sd-list --fields id --format tsv --at-risk

# The tables for people, in Spanish.
expect 2 "es: sd-sla" es sd-sla
like "$T/out" '^SD-SLA CRITICAL - [0-9]+ en riesgo, [0-9]+ vencidos [|] at_risk=' \
	"es: sd-sla's first line, its plugin words and performance data as they are"
is "$(sed -n 2p "$T/out" | tr -s ' ')" "ID RELOJ SITUACIÓN VENCE TRANSCURRIDO_PCT GRUPO ASIGNADO TÍTULO" \
	"es: sd-sla's header"
like "$T/out" '^SD-6 +resolución +vencido ' "es: the clock and its state in words"
expect 2 "C: sd-sla" en sd-sla
like "$T/out" '^SD-6 +resolution +breached ' "C: in English"
expect 0 "es: sd-close --auto --dry-run" es sd-close --auto --dry-run
is "$(head -1 "$T/out" | tr -s ' ')" "ID DESDE HACIA MOTIVO" "es: its header"
like "$T/out" '^SD-3 +pending-info +unmanaged +sin información a tiempo$' "es: why, in Spanish"
like "$T/out" '^SD-4 +solved +closed +aceptado: sin respuesta a tiempo$' "es: why, in Spanish (2)"

# The housekeeping, in each store in its language.
es env SD_STORE="$T/es" SD_AGENT=cron sd-close --auto >"$T/auto.es"
ok $? "es: sd-close --auto"
en env SD_STORE="$T/c" SD_AGENT=cron sd-close --auto >"$T/auto.c"
ok $? "C: sd-close --auto"
like "$T/auto.es" '^SD-4 +solved +closed +aceptado: sin respuesta a tiempo$' "es: what it closed, in Spanish"
like "$T/auto.c" '^SD-4 +solved +closed +accepted: no answer in time$' "C: in English"

# The two stores, file for file and commit for commit.
diff -r -x .git "$T/es" "$T/c" >"$T/diff" 2>&1
ok $? "the store made in Spanish and the one made in C: the same files"
sed 's/^/# /' "$T/diff" | head -20 >&2
is "$(ini_get "$T/es/tickets/000/SD-4.ini" ticket close_reason)" "accepted: no answer in time" \
	"the close reason in the ticket stays in English"
glog() { git --git-dir="$1/.git" log --format='%T %an <%ae> %ad%n%B' --date=raw; }
glog "$T/es" >"$T/log.es"
glog "$T/c" >"$T/log.c"
ok $(cmp -s "$T/log.es" "$T/log.c"; echo $?) "the same commits: trees, authors, dates, messages"
is "$(grep -c '^Action: ' "$T/log.es")" 26 "every change a commit"
SD_STORE=$T/es
clean "the Spanish store clean"
SD_STORE=$T/c

# --- exit statuses, whatever the language -----------------------------------
# status_of LANG ARGS...: the exit status of ARGS in LANG
status_of() {
	_l=$1
	shift
	lang "$_l" "$@" >/dev/null 2>"$T/rc.err" </dev/null
	echo $?
}
mkdir "$T/noshare"
while IFS='|' read -r _want _cmd; do
	eval "set -- $_cmd"
	_es=$(status_of es_CO.UTF-8 "$@")
	cp "$T/rc.err" "$T/rc.es.err"
	_c=$(status_of C "$@")
	is "$_es:$_c" "$_want:$_want" "exit $_want in both languages: $_cmd"
	if [ "$_want" != 0 ] && [ "$_want" != 2 ]; then
		ok $(! cmp -s "$T/rc.es.err" "$T/rc.err"; echo $?) "and said in each: $_cmd"
	fi
done <<EOF
0|sd-list --open
64|sd-list --fields nope
64|sd-list --format xml
64|sd-new -t change -s x -r y
64|sd-update 6
64|sd-escalate 6
64|sd-close --rating 9 6
3|sd-sla --warn abc
64|sd-report --by colour
65|sd-show ../x
65|sd-new -t incident -s x -r y -c nowhere
65|sd-reopen 1 -m Again
65|sd-approve 6 --role boss
66|sd-show 99
66|sd-list -C $T/empty
73|sd-init $T/c
77|env SD_AGENT=nadie sd-note 6 -m x
77|env SD_AGENT=jorge sd-assign 6 --me
77|env SD_AGENT=jorge sd-close --reject -m x 7
78|env SD_SHAREDIR=$T/noshare sd-init $T/new
2|sd-sla
EOF
clean "the C store clean after the failures"

done_testing
