#!/bin/sh
# sd-shell behind a real sshd on 127.0.0.1: keys bound to agents by
# authorized_keys, as sd-shell(1) deploys it.  Needs root (sshd) and
# openssh-server / openssh-client.
. "${SD_TOP:-.}/tests/lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP sshd needs root"
	exit 0
fi
for p in /usr/sbin/sshd ssh ssh-keygen python3; do
	if ! command -v "$p" >/dev/null 2>&1; then
		echo "1..0 # SKIP no $p (install openssh-server, openssh-client)"
		exit 0
	fi
done

mkstore
sd-new -t incident -s "Printer" -r Pedro -c hardware/printer --email p@example.org >/dev/null
store=$SD_STORE
other=$T/other
SD_AGENT=carmen sd-init --example "$other" >/dev/null 2>&1
SD_STORE=$other sd-new -t incident -s "Other desk" -r Pedro -c hardware/printer \
	--email p@example.org >/dev/null
ohead() { git --git-dir="$other/.git" rev-parse HEAD; }

# Keys, the sshd configuration, authorized_keys with the forced commands.
ssh-keygen -q -t ed25519 -N '' -f "$T/host_key" || { echo "Bail out! ssh-keygen"; exit 1; }
ssh-keygen -q -t ed25519 -N '' -f "$T/luis_key" -C luis@laptop
ssh-keygen -q -t ed25519 -N '' -f "$T/ana_key" -C ana@laptop
ssh-keygen -q -t ed25519 -N '' -f "$T/probe_key" -C probe
{
	printf 'command="%s/sd-shell --store %s luis",restrict ' "$SD_BIN" "$store"
	cat "$T/luis_key.pub"
	printf 'command="%s/sd-shell --store %s ana",restrict ' "$SD_BIN" "$store"
	cat "$T/ana_key.pub"
	# Not sd-shell: shows what a client's environment reaches.
	printf 'command="env",restrict '
	cat "$T/probe_key.pub"
} >"$T/authorized_keys"
chmod 600 "$T/authorized_keys"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $T/host_key
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
PermitRootLogin forced-commands-only
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# A careless administrator lets clients send these: sd-shell removes them.
AcceptEnv SD_* GIT_* TZDIR
EOF
mkdir -p /run/sshd
chmod 755 /run/sshd
/usr/sbin/sshd -t -f "$T/sshd_config" 2>"$T/sshd.log" || {
	echo "1..0 # SKIP sshd refuses the test configuration: $(head -1 "$T/sshd.log")"
	exit 0
}
/usr/sbin/sshd -D -e -f "$T/sshd_config" 2>>"$T/sshd.log" &
sshd_pid=$!
trap 'kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
python3 - "$port" <<'EOF' || { echo "Bail out! sshd does not listen"; exit 1; }
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF

# ssh_as KEY ARGS...: ssh to the desk account with KEY's identity, output
# in $T/out and $T/err, status in $rc; stdin from $T/in
: >"$T/in"
ssh_as() {
	_key=$1
	shift
	env ${envs-} ssh -F /dev/null -i "$T/${_key}_key" -p "$port" -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o IdentitiesOnly=yes \
		-o LogLevel=ERROR -o ConnectTimeout=10 root@127.0.0.1 "$@" \
		>"$T/out" 2>"$T/err" <"$T/in"
	rc=$?
}
last() {
	sd-show --format json 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1][sys.argv[1]])' "$1"
}
author() { git --git-dir="$store/.git" log -1 --format=%an; }

ssh_as luis "sd-list --format tsv --fields id,title"
is "$rc:$(tail -1 "$T/out")" "0:SD-1	Printer" "ssh runs sd-list in the bound store"
[ "$rc" = 0 ] || sed 's/^/# sshd: /' "$T/sshd.log" >&2

ssh_as luis "sd-note -m 'Called over SSH; no answer' 1"
is "$rc" 0 "sd-note over ssh"
is "$(last by)|$(last text)|$(author)" "luis|Called over SSH; no answer|Luis Pérez" \
	"as luis, the key's agent, the text whole"
ssh_as ana "sd-note -m 'Ana here' 1"
is "$rc:$(last by):$(author)" "0:ana:Ana Gómez" "another key acts as its own agent"
printf 'from standard input\nsecond line\n' >"$T/in"
ssh_as luis "sd-note -F - 1"
is "$rc:$(last text)" "0:from standard input
second line" "-F - reads the client's standard input"
: >"$T/in"

# Escapes, each refused with both stores unchanged.
# refused WANT CMDLINE
refused() {
	_b=$(head_id) _o=$(ohead)
	ssh_as luis "$2"
	is "$rc:$(head_id):$(ohead)" "$1:$_b:$_o" "refused ($1), nothing changed: $2"
}
refused 77 "sd-note -m -- -C $other 1"
like "$T/err" "bound to its store" "  says why, on the client's terminal"
refused 77 "sd-note -m x -C$other 1"
refused 77 "sd-note -m x 1 --store=$other"
refused 77 "sd-note -F /etc/passwd 1"
refused 77 "sd-note --file=/etc/shadow 1"
refused 77 "sd-note -F $T/luis_key 1"
refused 77 "sd-note -F /dev/urandom 1"
refused 64 "sd-list; sh"
refused 64 "sd-list | sh"
refused 64 'sd-note -m "$(id)" 1'
refused 77 "/bin/sh -c id"
refused 77 "git --git-dir=$other/.git log"
refused 77 "sd-edit sd.ini"
b=$(head_id)
ssh_as luis
is "$rc:$(head_id)" "64:$b" "no command (an interactive login): refused"
like "$T/err" "runs sd commands only" "  says what the key is for"

# Over the text limit, on standard input: 65, nothing changed.
head -c 1048577 /dev/zero | tr '\0' a >"$T/in"
refused 65 "sd-note -F - 1"
head -c 1048576 /dev/zero | tr '\0' a >"$T/in"
ssh_as luis "sd-note -F - 1"
is "$rc:$(last text | wc -c)" "0:1048577" "1 MiB exactly is taken (and a newline by print)"
: >"$T/in"

# What the client sends in its environment is removed (sshd accepts it).
o=$(ohead)
envs="SD_STORE=$other"
ssh_as probe -o 'SendEnv=SD_*' x
envs=
like "$T/out" "^SD_STORE=$other\$" "the client's SD_STORE reaches the server (AcceptEnv)"
envs="SD_STORE=$other SD_SHELL_STORE=$other SD_AGENT=carmen SD_SHELL_AGENT=carmen
	GIT_DIR=$other/.git SD_NOW=1999-01-01T00:00:00Z"
ssh_as luis -o 'SendEnv=SD_* GIT_*' "sd-note -m 'env sent' 1"
envs=
is "$rc:$(last by):$(last text):$(author)" "0:luis:env sent:Luis Pérez" \
	"SD_STORE, SD_AGENT, GIT_DIR, SD_NOW sent by the client change nothing"
case $(last at) in 1999*) r=1 ;; *) r=0 ;; esac
ok $r "  the event is not dated by the client"
is "$(ohead)" "$o" "  the other store untouched"

# trust_env_agent = no: every key still acts as its own agent.
sed -i 's/^trust_env_agent = yes/trust_env_agent = no/' "$store/sd.ini"
forge "sd.ini: edit" sd.ini
ssh_as ana "sd-note -m 'trust_env_agent = no' 1"
is "$rc:$(last by):$(author)" "0:ana:Ana Gómez" "trust_env_agent = no: ana's key acts as ana"
ssh_as luis "sd-note -m 'and luis' 1"
is "$rc:$(last by):$(author)" "0:luis:Luis Pérez" "  and luis's as luis, not as the login's agent"
refused 77 "sd-note -m -- -C $other 1"
clean "the bound store is clean"
done_testing
