#!/bin/sh
# Hostile values for every option that takes one, and hostile files in the
# store: each gets its exit status and a one-line message, a valid text
# comes back byte for byte, nothing crashes, and a refusal changes nothing.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "Printer" -r Pedro -c hardware/printer --email p@example.org >/dev/null
sd-new -t request -s "Account" -r Laura -c access/account --email l@example.org >/dev/null

# The longest argument the kernel passes is 128 KiB: 100 000 bytes here;
# the 1 MiB texts come through -F below.
big=$(head -c 100000 /dev/zero | tr '\0' x)
nl=$(printf 'a\nb')
bad_utf8=$(printf 'caf\303')
# The hostile values, by name.
value() {
	case $1 in
	newline) printf '%s' "$nl" ;;
	section) printf '[ticket]' ;;
	keyvalue) printf 'status = closed' ;;
	comment) printf 'x ; comment' ;;
	lead_semicolon) printf '; not a comment' ;;
	hash) printf '#hash' ;;
	utf8) printf '%s' "$bad_utf8" ;;
	big) printf '%s' "$big" ;;
	path) printf '../../etc/passwd' ;;
	huge) printf '99999999999999999999999' ;;
	negative) printf -- '-1' ;;
	empty) printf '' ;;
	quote) printf '"quoted" \\ back' ;;
	esac
}
names="newline section keyvalue comment lead_semicolon hash utf8 big path huge negative empty quote"

# check WANT WHAT CMD...: the exit status is WANT (a list like "64|65"),
# never a crash; a refusal prints one line and changes nothing.
check() {
	_want=$1 _what=$2
	shift 2
	_before=$(head_id)
	run "$@"
	case "|$_want|" in
	*"|$rc|"*) ok 0 "$_what: $rc" ;;
	*) echo "# $_what: exit $rc, expected $_want" >&2; sed 's/^/# /' "$T/err" | head -3 >&2
	   ok 1 "$_what: $rc" ;;
	esac
	if [ "$rc" != 0 ]; then
		# One line saying what is wrong; a usage error adds the usage.
		_lines=$(grep -cv '^usage:\|^    \|^       ' "$T/err")
		ok $([ "$_lines" -le 1 ] && [ "$(head_id)" = "$_before" ]; echo $?) "$_what: one message, no change"
	fi
}

# Text fields: what is valid text comes back exactly; the rest is 65.
for name in $names; do
	v=$(value $name)
	case $name in
	newline|utf8|big|empty) want=65 ;;
	*) want=0 ;;
	esac
	check $want "sd-new -s <$name>" sd-new -t incident -s "$v" -r Eva -c network --email e@example.org
	if [ "$rc" = 0 ]; then
		id=$(cat "$T/out")
		is "$(sd-show --field title "$id")" "$v" "title <$name> comes back byte for byte"
	fi
	check $want "sd-new -r <$name>" sd-new -t incident -s t -r "$v" -c network --email e@example.org
	check "$( [ $want = 0 ] && echo 0 || echo 65)" "sd-update --title <$name>" sd-update --title "$v" 1
done
clean "store clean after the text fields"

# Names of the configuration, emails, phones: 65 unless valid.
for name in $names; do
	v=$(value $name)
	check 65 "sd-new -c <$name>" sd-new -t incident -s t -r Eva -c "$v"
	check 65 "sd-new --channel <$name>" sd-new -t incident -s t -r Eva --channel "$v"
	check 65 "sd-new --email <$name>" sd-new -t incident -s t -r Eva --email "$v"
	[ $name = huge ] || check 65 "sd-new --phone <$name>" sd-new -t incident -s t -r Eva --phone "$v"
	check "65|66" "sd-new --related <$name>" sd-new -t incident -s t -r Eva --related "$v"
	check 65 "sd-update --category <$name>" sd-update --category "$v" 1
	check 65 "sd-escalate --group <$name>" sd-escalate -m diag --group "$v" 1
	check "64|65" "sd-assign ID <$name>" sd-assign 1 "$v"
	check "64|65|77" "sd-approve --role <$name>" env SD_AGENT=carmen sd-approve --role "$v" 2
	check 65 "sd-list --group <$name>" sd-list --group "$v"
	check 65 "sd-list --category <$name>" sd-list --category "$v"
	check "65|77" "sd-list --assignee <$name>" sd-list --assignee "$v"
done

# Fixed sets and numbers: 64.
for name in $names; do
	v=$(value $name)
	check 64 "sd-new -t <$name>" sd-new -t "$v" -s t -r Eva
	check 64 "sd-new -u <$name>" sd-new -t incident -u "$v" -s t -r Eva
	check 64 "sd-update --impact <$name>" sd-update --impact "$v" 1
	check 64 "sd-show --format <$name>" sd-show --format "$v" 1
	check 64 "sd-show --field <$name>" sd-show --field "$v" 1
	check 64 "sd-list --status <$name>" sd-list --status "$v"
	check 64 "sd-list --priority <$name>" sd-list --priority "$v"
	check 64 "sd-list --level <$name>" sd-list --level "$v"
	check 64 "sd-list --fields <$name>" sd-list --fields "$v"
	check 64 "sd-list --sort <$name>" sd-list --sort "$v"
	check 64 "sd-list --since <$name>" sd-list --since "$v"
	check 64 "sd-escalate --level <$name>" sd-escalate -m d --level "$v" 1
	check 64 "sd-solve --code <$name>" sd-solve -m s --code "$v" 1
	check 64 "sd-close --rating <$name>" sd-close --rating "$v" 1
	check 3 "sd-sla --warn <$name> (a plugin's UNKNOWN)" sd-sla --warn "$v"
	check 64 "sd-report --by <$name>" sd-report --by "$v"
done

# Ticket IDs: 65 when malformed, 66 when there is no such ticket.
for name in $names; do
	v=$(value $name)
	case $name in empty|negative) want="64|65" ;; *) want=65 ;; esac
	check "$want" "sd-show <$name>" sd-show "$v"
	check "$want" "sd-note <$name>" sd-note -m x "$v"
	check "$want|66" "sd-link 1 <$name>" sd-link 1 "$v"
done
check 66 "sd-show 999" sd-show 999

# Texts from files: NUL and invalid UTF-8 are refused, anything else is kept.
printf 'a\0b' >"$T/nul"
printf 'caf\303' >"$T/bad"
printf ';lead\r\n\n  trailing  \n[section]\nkey = value\n\n' >"$T/odd"
check 65 "-F a text with a NUL" sd-note -F "$T/nul" 1
check 65 "-F invalid UTF-8" sd-note -F "$T/bad" 1
check 66 "-F a file that is not there" sd-note -F "$T/none" 1
check 0 "-F a text with every hazard" sd-note -F "$T/odd" 1
sd-show --format json 1 | python3 -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)["events"][-1]["text"])' >"$T/back"
ok $(cmp -s "$T/odd" "$T/back"; echo $?) "it comes back byte for byte"
head -c 1048576 /dev/zero | tr '\0' y >"$T/mib"
check 0 "-F 1 MiB" sd-note -F "$T/mib" 1
head -c 1048577 /dev/zero | tr '\0' y >"$T/toobig"
check 65 "-F 1 MiB and one byte" sd-note -F "$T/toobig" 1
clean "store clean after the texts"

# Hostile files planted in the store: each reported with its path (and
# line), the others listed all the same.
plant() { mkdir -p "$SD_STORE/tickets/000"; cat >"$SD_STORE/tickets/000/$1"; }
printf '[ticket]\nid = SD-50\ntype = inc' | plant SD-50.ini                 # truncated
sed 's/^title = .*/title = one\ntitle = two/' "$SD_STORE/tickets/000/SD-1.ini" | sed 's/SD-1$/SD-51/' | plant SD-51.ini
sed 's/^id = SD-1$/id = SD-1\nowner = eve/' "$SD_STORE/tickets/000/SD-1.ini" | sed 's/= SD-1$/= SD-52/' | plant SD-52.ini
sed 's/^id = SD-1$/id = SD-7/' "$SD_STORE/tickets/000/SD-1.ini" | plant SD-53.ini
head -c 3000 /dev/urandom | plant SD-54.ini
ln -s /etc/passwd "$SD_STORE/tickets/000/SD-55.ini"
mkfifo "$SD_STORE/tickets/000/SD-56.ini"         # no one writes to it: never wait
run timeout 20 sd-list --format tsv --fields id
is "$rc" 65 "sd-list goes past the bad files: 65"
like "$T/out" "^SD-1$" "and lists the good ones"
for n in 50 51 52 54 55 56; do
	like "$T/err" "SD-$n.ini" "SD-$n.ini is reported"
done
like "$T/err" "SD-51.ini:[0-9]+: duplicate key 'title'" "with its line"
like "$T/err" "SD-52.ini:[0-9]+: unknown key 'owner'" "an unknown key, with its line"
run sd-show 53
is "$rc" 65 "a ticket whose id is another's: 65"
like "$T/err" "id is 'SD-7', not SD-53" "says so"
run timeout 20 sd-fsck
is "$rc" 65 "sd-fsck reports them"
for n in 50 51 52 53 54 55 56; do
	like "$T/out" "SD-$n.ini" "sd-fsck names SD-$n.ini"
done
run timeout 20 sd-report --format tsv
is "$rc" 65 "sd-report goes past them too: 65"
run timeout 20 sd-sla
ok $([ "$rc" -ne 0 ] && [ "$rc" -lt 128 ]; echo $?) "sd-sla too, without crashing"
expect 0 "sd-fsck --repair removes what HEAD does not have" sd-fsck --repair
expect 0 "then the store is sound" sd-fsck
clean "store clean at the end"
done_testing
