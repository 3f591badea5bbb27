#!/bin/sh
# sd-shell: the escapes through SSH_ORIGINAL_COMMAND, as a table.  A key is
# bound to a store and an agent; no command line, environment or policy
# lets it name another store, read a file of the account's, run another
# program or act as another agent.  Every refused row leaves both stores
# as they were; the accepted rows act in the bound store, as the bound
# agent, also with trust_env_agent = no.
. "${SD_TOP:-.}/tests/lib.sh"
mkstore
sd-new -t incident -s "Printer" -r Pedro -c hardware/printer --email p@example.org >/dev/null
store=$SD_STORE
other=$T/other
SD_AGENT=carmen sd-init --example "$other" >/dev/null 2>&1
SD_STORE=$other sd-new -t incident -s "Other desk" -r Pedro -c hardware/printer \
	--email p@example.org >/dev/null
secret=$T/secret
echo "SECRET-7f3a" >"$secret"
chmod 600 "$secret"

ohead() { git --git-dir="$other/.git" rev-parse HEAD; }
# shell CMDLINE: sd-shell for agent luis bound to the store, stdin empty
shell() { SSH_ORIGINAL_COMMAND=$1 run sd-shell --store "$store" luis; }
# last FIELD: the last event's FIELD of SD-1 in the bound store
last() {
	sd-show --format json 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1][sys.argv[1]])' "$1"
}

# refuse WANT CMDLINE: sd-shell refuses CMDLINE with exit WANT, on one
# line, and neither store moves.
rows=0
refuse() {
	_b=$(head_id) _o=$(ohead)
	shell "$2"
	rows=$((rows + 1))
	is "$rc:$(head_id):$(ohead)" "$1:$_b:$_o" "refused ($1), both stores unchanged: $(printf '%s' "$2" | head -c 70 | tr '\n\r' '^^')"
	one_line_error "$T/err" "  one line"
}

# The table: EXIT COMMAND, @OTHER@, @STORE@, @SECRET@ and @BIN@ standing
# for the other store, the bound one, a file of the account's, and the
# directory of the sd programs.
while read -r want cmd; do
	case $want in ''|'#'*) continue ;; esac
	cmd=$(printf '%s\n' "$cmd" | sed -e "s|@OTHER@|$other|g" -e "s|@STORE@|$store|g" \
		-e "s|@SECRET@|$secret|g" -e "s|@BIN@|$SD_BIN|g")
	refuse "$want" "$cmd"
done <<'EOF'
# -C and --store, in every place and as an option's value
77 sd-note -m x -C @OTHER@ 1
77 sd-note -C @OTHER@ -m x 1
77 sd-note -COTHER -m x 1
77 sd-note -m -- -C @OTHER@ 1
77 sd-note -m x -- -C @OTHER@ 1
77 sd-note -m -C @OTHER@ 1
77 sd-note -m -COTHER 1
77 sd-note -m x 1 -C @OTHER@
77 sd-note -m x 1 -COTHER
77 sd-note -m x "-C" @OTHER@ 1
77 sd-note -m x '-COTHER' 1
77 sd-note -m x -\C @OTHER@ 1
77 sd-note -m x "-C"'@OTHER@' 1
77 sd-note -m x -C @STORE@ 1
77 sd-note -m x -C . 1
77 sd-note --store @OTHER@ -m x 1
77 sd-note --store=@OTHER@ -m x 1
77 sd-note -m x 1 --store=@OTHER@
77 sd-note -m --store=@OTHER@ 1
77 sd-note -m x --store= 1
77 sd-note -m x SD_STORE=@OTHER@ 1
77 sd-list SD_STORE=@OTHER@
77 SD_STORE=@OTHER@ sd-note -m x 1
77 sd-new -t incident -s T -r P -c hardware/printer --email p@example.org -m x -C @OTHER@
77 sd-list -C @OTHER@
77 sd-show -C @OTHER@ 1
77 sd-sla -C @OTHER@
77 sd-report -C @OTHER@
77 sd-fsck --repair -C @OTHER@
77 sd-update -C @OTHER@ -m x 1
77 sd-close -C @OTHER@ --auto
# -F with anything but standard input
77 sd-note -F /etc/passwd 1
77 sd-note -F/etc/passwd 1
77 sd-note --file /etc/passwd 1
77 sd-note --file=/etc/passwd 1
77 sd-note --fil=/etc/passwd 1
77 sd-note --fi /etc/passwd 1
77 sd-note --f=/etc/passwd 1
77 sd-note -F '/etc/passwd' 1
77 sd-note -F @SECRET@ 1
77 sd-note -F @OTHER@/sd.ini 1
77 sd-note -F @OTHER@/tickets/000/SD-1.ini 1
77 sd-note -F @STORE@/.git/config 1
77 sd-note -F /dev/urandom 1
77 sd-note -F /dev/zero 1
77 sd-note -F /dev/stdin 1
77 sd-note -F /proc/self/environ 1
77 sd-note -F ./- 1
77 sd-note -F -- 1
77 sd-note -F -x 1
77 sd-note 1 -F @SECRET@
77 sd-note -m -F @SECRET@ 1
77 sd-new -t incident -s T -r P -c hardware/printer --email p@example.org -F /etc/passwd
77 sd-update -F @SECRET@ 1
77 sd-solve --code solved -F @SECRET@ 1
77 sd-suspend -F @SECRET@ 1
77 sd-escalate --group network -F @SECRET@ 1
77 sd-close -F @SECRET@ 1
# what a shell would act on
64 sd-note -m x 1; sd-note -C @OTHER@ -m y 1
64 sd-note -m x 1;sh
64 sd-note -m x 1 | sh
64 sd-note -m x 1 || sh
64 sd-note -m x 1 && sh
64 sd-note -m x 1 & sh
64 sd-note -m $(cat @SECRET@) 1
64 sd-note -m "$(cat @SECRET@)" 1
64 sd-note -m `cat @SECRET@` 1
64 sd-note -m "`cat @SECRET@`" 1
64 sd-note -m $HOME 1
64 sd-note -m ${HOME} 1
64 sd-note -m "$SD_STORE" 1
64 sd-note -m x 1 > @SECRET@
64 sd-note -m x 1 >> @SECRET@
64 sd-note -F - 1 < @SECRET@
64 sd-note -m x 1 2>&1
64 sd-note -m x {1,2}
64 sd-note -m x SD-*
64 sd-note -m x SD-?
64 sd-note -m x [1]
64 sd-note -m ~root 1
64 sd-note -m x 1 # comment
64 (sd-note -m x 1)
64 sd-note -m 'unclosed 1
64 sd-note -m "unclosed 1
64 sd-note -m x 1 \
# programs that are not sd's, or not these
77 sh
77 sh -c id
77 /bin/sh -c id
77 bash -i
77 git log
77 git --git-dir=@OTHER@/.git log
77 env sd-note -m x 1
77 exec sd-note -m x 1
77 nice sd-note -m x 1
77 ../sd-note -m x 1
77 ./sd-note -m x 1
77 bin/sd-note -m x 1
77 @BIN@/sd-note -m x 1
77 /usr/bin/sd-note -m x 1
77 sd-note/ -m x 1
77 SD-NOTE -m x 1
77 sd-nothing
77 sd
77 sd note -m x 1
77 sd-init /tmp/sd-shell-escape
77 sd-edit sd.ini
77 sd-mail
77 sd-shell --store @OTHER@ luis
77 "sd-note -m x" 1
77 sd-note\ -m x 1
EOF

# Rows that cannot be written in the table: control characters, empty and
# blank lines, and a line over the limit.
refuse 64 "sd-note -m x 1
sh"
refuse 64 "sd-note -m x 1
sd-note -C $other -m y 1"
refuse 64 "$(printf 'sd-note -m x 1\rsh')"
refuse 64 ""
refuse 64 "   "
refuse 64 "$(printf '\t')"
long=$(head -c 65524 /dev/zero | tr '\0' a)
refuse 64 "sd-note -m $long 1"
one_line_error "$T/err" "a line over 64 KiB: one line"
like "$T/err" "longer than 65536 bytes" "says why"
refuse 77 "sd-note -m x -F $secret$(head -c 60000 /dev/zero | tr '\0' ' ') 1"

# The secret is nowhere, in either store's history.
for s in "$store" "$other"; do
	is "$(git --git-dir="$s/.git" log -p --all | grep -c SECRET-7f3a)" 0 "the secret is not in $(basename "$s")"
done
clean "the bound store is clean"

# --- accepted: in the bound store, as the bound agent -----------------------
# accept CMDLINE [STDIN]: sd-shell runs it, exit 0, one commit in the bound
# store by Luis, none in the other
accepted=0
accept() {
	_b=$(head_id) _o=$(ohead)
	printf '%s' "${2-}" >"$T/in"
	SSH_ORIGINAL_COMMAND=$1 run_in "$T/in" env ${envs-} sd-shell --store "$store" luis
	accepted=$((accepted + 1))
	is "$rc:$(git --git-dir="$store/.git" rev-list --count "$_b..HEAD"):$(ohead)" "0:1:$_o" \
		"accepted: $(printf '%s' "$1" | head -c 70)"
	is "$(git --git-dir="$store/.git" log -1 --format='%an <%ae>')" \
		"Luis Pérez <luis.perez@example.org>" "  the commit's author is the bound agent"
}
accept "sd-note -m 'Called; no answer' 1"
is "$(last by)|$(last text)" "luis|Called; no answer" "  the event: by luis, the text whole"
accept "sd-note -F - 1" "from standard input"
is "$(last text)" "from standard input" "  -F - reads standard input"
accept "sd-note -F- 1" "joined -F-"
is "$(last text)" "joined -F-" "  -F- too"
accept "sd-note --file=- 1" "long form"
is "$(last text)" "long form" "  --file=- too"
accept "sd-note --file - SD-1" "long form, apart"
# The longest line taken: 65536 bytes.
long=$(head -c 65523 /dev/zero | tr '\0' b)
accept "sd-note -m $long 1"
is "$(last text | wc -c)" 65524 "  the longest line, whole"
accept "sd-note -m 'a text naming SD_STORE or -C, not at its start' 1"
# The environment cannot redirect it: what a client could send, or a
# careless account set, is removed before the command runs.
envs="SD_STORE=$other SD_AGENT=carmen GIT_DIR=$other/.git GIT_WORK_TREE=$other
	SD_NOW=1999-01-01T00:00:00Z SD_EXEC_PATH=$T TZDIR=$T"
accept "sd-note -m 'env ignored' 1"
is "$(last by)|$(last text)" "luis|env ignored" "  in the bound store, as luis"
case $(last at) in 1999*) r=1 ;; *) r=0 ;; esac
ok $r "  SD_NOW from the environment does not date the event"
envs="SD_SHELL_STORE=$other SD_SHELL_AGENT=carmen"
accept "sd-note -m 'forged bindings' 1"
envs=
is "$(last by)" "luis" "  sd-shell's own variables are its own, not the client's"
printf '%s' "text sent" >"$T/in"
SSH_ORIGINAL_COMMAND="sd-list --format tsv --fields id,title" run sd-shell --store "$store" luis
is "$rc:$(tail -1 "$T/out")" "0:SD-1	Printer" "a read-only command runs in the bound store"

# --- trust_env_agent = no: the bound agent still acts ------------------------
sed -i 's/^trust_env_agent = yes/trust_env_agent = no/' "$store/sd.ini"
forge "sd.ini: edit" sd.ini
is "$(ini_get "$store/sd.ini" policy trust_env_agent)" "no" "the store does not trust SD_AGENT"
accept "sd-note -m 'with trust_env_agent = no' 1"
is "$(last by)" "luis" "  as the bound agent, not the account's login agent"
accept "sd-note -F - 1" "stdin, trust_env_agent = no"
is "$(last by)|$(last text)" "luis|stdin, trust_env_agent = no" "  -F - too"
envs="SD_AGENT=carmen"
accept "sd-note -m 'SD_AGENT set, trust_env_agent = no' 1"
envs=
is "$(last by)" "luis" "  SD_AGENT from the environment changes nothing"
# The escapes stay refused.
refuse 77 "sd-note -m -- -C $other 1"
refuse 77 "sd-note -F $secret 1"
# An unknown bound agent is refused, not replaced by the login's.
b=$(head_id)
SSH_ORIGINAL_COMMAND="sd-note -m x 1" run sd-shell --store "$store" nobody
is "$rc:$(head_id)" "77:$b" "an unknown bound agent: 77, nothing changed"
like "$T/err" "unknown agent 'nobody'" "  says who"

# Outside sd-shell, the commands refuse -C and -F FILE as well when its
# store variable is set - whoever set it only restricts themselves.
expect 77 "SD_SHELL_STORE set: sd-note -C refused" env SD_SHELL_STORE="$store" sd-note -C "$other" -m x 1
expect 77 "SD_SHELL_STORE set: sd-note -F FILE refused" env SD_SHELL_STORE="$store" sd-note -F "$secret" 1
expect 77 "SD_SHELL_STORE set: sd-fsck --commits -C refused" \
	env SD_SHELL_STORE="$store" sd-fsck --commits HEAD -C "$other"
is "$(head_id)" "$b" "  nothing changed"

# Who cannot bind an agent: an account that does not own the store (root
# runs the command as another user, with trust_env_agent = no).
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	# The repository is nobody's (libgit2 opens it), the store's directory
	# root's: nobody may write it, but does not own it.
	cp -a "$store" "$T/shared"
	chmod -R a+rwX "$T/shared"
	chown -R nobody "$T/shared/.git"
	chmod a+x "$T"
	b2=$(git --git-dir="$T/shared/.git" rev-parse HEAD)
	SSH_ORIGINAL_COMMAND="sd-note -m x 1" HOME=$T run setpriv --reuid=nobody --regid=nogroup \
		--clear-groups sd-shell --store "$T/shared" luis
	is "$rc" 77 "not the store's owner, trust_env_agent = no: refused"
	like "$T/err" "only the store's owner binds agents" "  says why"
	is "$(git --git-dir="$T/shared/.git" rev-parse HEAD)" "$b2" "  nothing changed"
else
	for i in 1 2 3; do ok 0 "# SKIP not root, or no nobody/setpriv"; done
fi
clean "the bound store is clean at the end"
echo "# $rows refused rows, $accepted accepted rows"
done_testing
