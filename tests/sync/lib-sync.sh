# tests/sync/lib-sync.sh - real servers for the sync scenarios.
#
# Sourced after tests/lib.sh.  A hub is a store (sd-init --example) with
# share/hooks/pre-receive in its .git/hooks, owned by a test user made for
# the script (useradd) and served on 127.0.0.1 only, on free ports, by
#   git daemon --enable=receive-pack   (git://127.0.0.1:PORT/NAME) and
#   OpenSSH's sshd -D                   (ssh://USER@127.0.0.1:PORT/PATH),
# the user's key bound to git-shell in its authorized_keys.  Both servers
# and every command at a hub run as that user, so that whatever a push or
# a command makes there stays writable by the next.  Sites are the
# script's own (root's) stores.  On exit the servers are stopped, the
# user removed and $T deleted.
#
# Without root, useradd, setpriv, sshd or git daemon the script is
# skipped (1..0 # SKIP); `make check` runs as root on CI, where all are.
#
#   sync_setup                  check what is needed, make the user
#   start_git_daemon            GIT_PORT, the daemon's pid in GIT_DAEMON_PID
#   start_sshd                  SSH_PORT, GIT_SSH_COMMAND exported
#   make_hub NAME [KEY=VALUE..] $SYNC_SRV/NAME, [sync] with those keys
#   hub_dir NAME, url_git NAME, url_ssh NAME
#   as_hub CMD...               CMD as the test user (its HOME, our env)
#   hub_git NAME ARGS...        git on the hub's repository, as the user
#   hub_now NAME TIME           the clock the hub's hook runs at (SD_NOW)

sync_skip() {
	echo "1..0 # SKIP $*"
	exit 0
}

# give_up WHAT: a step every later check needs failed: one failing test
# saying so, and the script ends (not "Bail out!", which would stop the
# other scripts of the run too).
give_up() {
	ok 1 "$*"
	done_testing
}

# The user, the servers' pids and what to remove, for the trap.
SYNC_USER=
SYNC_PIDS=
sync_cleanup() {
	for _p in $SYNC_PIDS; do
		kill "$_p" 2>/dev/null
	done
	for _p in $SYNC_PIDS; do
		_i=0
		while kill -0 "$_p" 2>/dev/null && [ $_i -lt 50 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		kill -9 "$_p" 2>/dev/null
	done
	if [ -n "$SYNC_USER" ]; then
		userdel -f "$SYNC_USER" >/dev/null 2>&1
		SYNC_USER=
	fi
	rm -rf "$T"
}
trap 'sync_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# sync_setup: skip unless all is here; then make the test user, whose
# home and hubs are under $T (made traversable for it).
sync_setup() {
	[ "$(id -u)" = 0 ] || sync_skip "needs root (a test user, sshd on a port of its own)"
	for _c in useradd userdel setpriv ssh ssh-keygen git-shell python3; do
		command -v "$_c" >/dev/null 2>&1 || sync_skip "no $_c"
	done
	SSHD=$(command -v sshd 2>/dev/null || echo /usr/sbin/sshd)
	[ -x "$SSHD" ] || sync_skip "no sshd (openssh-server)"
	[ -x "$(git --exec-path)/git-daemon" ] || sync_skip "no git daemon"
	chmod 711 "$T"
	SYNC_USER=sdt$$
	SYNC_HOME=$T/home
	SYNC_SRV=$T/srv
	# A password of '*': no password login, but not "locked" (sshd,
	# without PAM, refuses a key to an account whose password is "!").
	useradd -M -d "$SYNC_HOME" -s /bin/sh -p '*' -U "$SYNC_USER" >"$T/useradd.err" 2>&1 || {
		SYNC_USER=
		give_up "useradd: $(head -1 "$T/useradd.err")"
	}
	SYNC_UID=$(id -u "$SYNC_USER")
	SYNC_GID=$(id -g "$SYNC_USER")
	mkdir -p "$SYNC_HOME" "$SYNC_SRV"
	chown "$SYNC_UID:$SYNC_GID" "$SYNC_HOME" "$SYNC_SRV"
	# Git as root reads no ~/.gitconfig of the machine's.
	export GIT_CONFIG_NOSYSTEM=1 HOME=$T
	git config --global user.name root >/dev/null 2>&1
	git config --global user.email root@localhost >/dev/null 2>&1
	git config --global init.defaultBranch main >/dev/null 2>&1
	git config --global protocol.file.allow always >/dev/null 2>&1
}

# as_hub CMD...: CMD as the test user, with this environment but its HOME.
as_hub() {
	setpriv --reuid="$SYNC_UID" --regid="$SYNC_GID" --init-groups \
		env HOME="$SYNC_HOME" "$@"
}

# free_port: a port nothing listens on at 127.0.0.1 now.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# listening PORT: something accepts connections at 127.0.0.1:PORT.
listening() {
	python3 -c 'import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0)' "$1"
}

# wait_listening PID PORT: 0 once PORT listens, 1 if PID died or 10 s went.
wait_listening() {
	_i=0
	while [ $_i -lt 100 ]; do
		kill -0 "$1" 2>/dev/null || return 1
		listening "$2" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# start_git_daemon: git daemon on 127.0.0.1:GIT_PORT serving the hubs of
# $SYNC_SRV (pushes too), as the test user.  A port taken meanwhile by
# someone else: another is tried.
start_git_daemon() {
	for _try in 1 2 3 4 5; do
		GIT_PORT=$(free_port)
		# Not through as_hub: a function in the background would be a
		# subshell, and $! its pid rather than the daemon's.
		setpriv --reuid="$SYNC_UID" --regid="$SYNC_GID" --init-groups \
			env HOME="$SYNC_HOME" "$(git --exec-path)/git-daemon" --reuseaddr \
			--listen=127.0.0.1 --port="$GIT_PORT" --export-all --enable=receive-pack --informative-errors \
			--base-path="$SYNC_SRV" --log-destination=stderr \
			>"$T/git-daemon.log" 2>&1 </dev/null &
		GIT_DAEMON_PID=$!
		SYNC_PIDS="$SYNC_PIDS $GIT_DAEMON_PID"
		wait_listening "$GIT_DAEMON_PID" "$GIT_PORT" && return 0
		kill "$GIT_DAEMON_PID" 2>/dev/null
	done
	give_up "git daemon did not start: $(tail -1 "$T/git-daemon.log")"
}

# start_sshd: OpenSSH's sshd on 127.0.0.1:SSH_PORT with a host key of its
# own, letting in only the test user, by key, into git-shell; the key for
# the sites in $T/sshd/id, put in GIT_SSH_COMMAND.
start_sshd() {
	_d=$T/sshd
	mkdir -p "$_d"
	chmod 755 "$_d"
	ssh-keygen -q -t ed25519 -N '' -C sd-test-host -f "$_d/host_key" || return 1
	ssh-keygen -q -t ed25519 -N '' -C sd-test-site -f "$_d/id" || return 1
	# sshd runs the forced command with the user's shell; git-shell lets
	# in git-receive-pack and git-upload-pack alone.
	printf 'command="git-shell -c \\"$SSH_ORIGINAL_COMMAND\\"",no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding %s\n' \
		"$(cat "$_d/id.pub")" >"$_d/authorized_keys"
	chmod 644 "$_d/authorized_keys"
	# Its privilege separation directory, as the package's tmpfiles make it.
	[ -d /run/sshd ] || mkdir -p -m 755 /run/sshd
	for _try in 1 2 3 4 5; do
		SSH_PORT=$(free_port)
		cat >"$_d/sshd_config" <<-EOF
		Port $SSH_PORT
		ListenAddress 127.0.0.1
		HostKey $_d/host_key
		PidFile $_d/sshd.pid
		AuthorizedKeysFile $_d/authorized_keys
		AllowUsers $SYNC_USER
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		PermitRootLogin no
		UsePAM no
		StrictModes no
		PrintMotd no
		X11Forwarding no
		AllowTcpForwarding no
		LogLevel VERBOSE
		EOF
		"$SSHD" -D -e -f "$_d/sshd_config" >"$_d/log" 2>&1 </dev/null &
		SSHD_PID=$!
		SYNC_PIDS="$SYNC_PIDS $SSHD_PID"
		wait_listening "$SSHD_PID" "$SSH_PORT" && break
		kill "$SSHD_PID" 2>/dev/null
		SSHD_PID=
	done
	[ -n "$SSHD_PID" ] || {
		give_up "sshd did not start: $(tail -1 "$_d/log")"
	}
	GIT_SSH_COMMAND="ssh -F /dev/null -i $_d/id -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
	export GIT_SSH_COMMAND
}

hub_dir() { echo "$SYNC_SRV/$1"; }
url_git() { echo "git://127.0.0.1:$GIT_PORT/$1"; }
url_ssh() { echo "ssh://$SYNC_USER@127.0.0.1:$SSH_PORT$SYNC_SRV/$1"; }

# hub_git NAME ARGS...: git on hub NAME's repository, as the test user.
hub_git() {
	_h=$SYNC_SRV/$1
	shift
	as_hub git --git-dir="$_h/.git" "$@"
}

# hub_now NAME TIME: the hook of hub NAME runs at TIME (its SD_NOW);
# empty TIME: at the real clock.
hub_now() {
	printf '%s\n' "$2" >"$SYNC_SRV/$1/.git/sd-test-now"
	chown "$SYNC_UID:$SYNC_GID" "$SYNC_SRV/$1/.git/sd-test-now"
}

# install_hook DIR: share/hooks/pre-receive into the store DIR's
# .git/hooks, behind a wrapper that gives it the programs under test on
# its PATH (git daemon passes its own on, sshd a fixed one) and the clock
# of .git/sd-test-now.
install_hook() {
	_hook=$1/.git/hooks/pre-receive
	cat >"$_hook" <<-EOF
	#!/bin/sh
	# The tests' wrapper of sd's pre-receive (tests/sync/lib-sync.sh).
	PATH=$SD_BIN:/usr/local/bin:/usr/bin:/bin
	LC_ALL=C.UTF-8
	SD_SHAREDIR=$SD_SHAREDIR
	export PATH LC_ALL SD_SHAREDIR
	unset SD_AGENT SD_STORE
	SD_NOW=\$(cat "$1/.git/sd-test-now" 2>/dev/null)
	if [ -n "\$SD_NOW" ]; then export SD_NOW; else unset SD_NOW; fi
	exec sh "$SD_SHAREDIR/hooks/pre-receive"
	EOF
	chmod 755 "$_hook"
}

# make_hub NAME [KEY=VALUE...]: hub NAME, an example store made by carmen
# with the hook, its sd.ini given a [sync] section with those keys (none:
# lease = 1000)
# (committed by sd-edit), served by whichever servers run.  The hook's
# clock is $SYNC_HUB_NOW, by default Tuesday 2026-12-01 12:00 (-05:00),
# a week after the scenarios' events, which it must not think future.
make_hub() {
	_name=$1
	shift
	_h=$SYNC_SRV/$_name
	as_hub env SD_AGENT=carmen sd-init --example "$_h" >"$T/make_hub.out" 2>&1 || {
		give_up "sd-init of hub $_name: $(head -1 "$T/make_hub.out")"
	}
	install_hook "$_h"
	chown "$SYNC_UID:$SYNC_GID" "$_h/.git/hooks/pre-receive"
	hub_now "$_name" "${SYNC_HUB_NOW:-2026-12-01T12:00:00-05:00}"
	# No key: lease = 1000, the default, written out (a [sync] of no key
	# is read as no [sync] at all).
	[ $# -gt 0 ] || set -- lease=1000
	{
		printf '\n[sync]\n'
		for _kv; do
			printf '%s = %s\n' "${_kv%%=*}" "${_kv#*=}"
		done
	} >"$T/sync-section"
	chmod 644 "$T/sync-section"
	printf '#!/bin/sh\ncat "%s" >>"$1"\n' "$T/sync-section" >"$T/append-sync"
	chmod 755 "$T/append-sync"
	as_hub env SD_AGENT=carmen SD_STORE="$_h" EDITOR="$T/append-sync" \
		sd-edit sd.ini >"$T/make_hub.out" 2>&1 </dev/null || {
		give_up "sd-edit sd.ini of hub $_name: $(head -1 "$T/make_hub.out")"
	}
}

# at_hub NAME CMD...: an sd command at hub NAME, as the test user
# (SD_AGENT and SD_NOW as the caller has them).
at_hub() {
	_h=$SYNC_SRV/$1
	shift
	as_hub env SD_STORE="$_h" "$@"
}

# --- sites -------------------------------------------------------------

# enroll DIR URL [SITE]: $T/DIR made a site named SITE (default DIR) of
# the hub at URL by sd-sync --enroll; bail out when that fails.
enroll() {
	sd-sync --enroll "$2" "$T/$1" --site "${3:-$1}" >"$T/enroll.out" 2>&1 </dev/null || {
		give_up "sd-sync --enroll $2 $T/$1 --site ${3:-$1}: exit $?: $(head -1 "$T/enroll.out")"
	}
}

# at DIR CMD...: CMD in the site $T/DIR (SD_STORE)
at() {
	_s=$T/$1
	shift
	env SD_STORE="$_s" "$@"
}

# sgit_at DIR ARGS...: git on the site $T/DIR's repository
sgit_at() {
	_s=$T/$1
	shift
	git --git-dir="$_s/.git" "$@"
}

# make_desk HUB DIRA DIRB [KEY=VALUE...]: hub HUB with [sync] KEYS, its
# sendmail a script keeping each message in $T/sent.HUB; SD-1 registered
# there by carmen on Monday 2026-11-23 10:00 (priority 3: due_response
# 11:00, due_resolution Thursday 10:00); then $T/DIRA enrolled as site
# "a" over git:// (the first block above 1: 1001-2000 with lease = 1000)
# and $T/DIRB as site "b" over ssh:// (the next, 2001-3000).
make_desk() {
	_hub=$1 _da=$2 _db=$3
	shift 3
	make_hub "$_hub" "$@"
	mkdir -p "$T/sent.$_hub"
	chown "$SYNC_UID:$SYNC_GID" "$T/sent.$_hub"
	printf '#!/bin/sh\ncat >"$(mktemp "%s/m.XXXXXX")"\n' "$T/sent.$_hub" >"$T/sendmail.$_hub"
	chmod 755 "$T/sendmail.$_hub"
	hub_git "$_hub" config sd.sendmail "$T/sendmail.$_hub"
	at_hub "$_hub" env SD_AGENT=carmen sd-new -t incident -s "Printer jams" -r Rosa \
		-c network/vpn --email rosa@example.org >"$T/make_desk.out" 2>&1 </dev/null ||
		give_up "sd-new at the hub: $(head -1 "$T/make_desk.out")"
	enroll "$_da" "$(url_git "$_hub")" a
	enroll "$_db" "$(url_ssh "$_hub")" b
}

# two_sites [KEY=VALUE...]: the desk of most scenarios: both servers,
# and make_desk hub a b KEYS.
two_sites() {
	start_git_daemon
	start_sshd
	make_desk hub a b "$@"
}

# hub_mail HUB: the hub's sd.ini given a [mail] address (committed by
# sd-edit, by carmen), so that its changes mail the requesters.
hub_mail() {
	printf '#!/bin/sh\nsed -i "/^keywords = /a address = desk@desk.example" "$1"\n' >"$T/add-address"
	chmod 755 "$T/add-address"
	at_hub "$1" env SD_AGENT=carmen EDITOR="$T/add-address" sd-edit sd.ini \
		>"$T/hub_mail.out" 2>&1 </dev/null ||
		give_up "sd-edit sd.ini of hub $1: $(head -1 "$T/hub_mail.out")"
}

# sent [HUB]: how many mails the hub's sendmail was given
sent() { ls "$T/sent.${1:-hub}" | wc -l | tr -d ' '; }

# tpath GITDIR ID: the path of ticket ID's file in HEAD's tree
tpath() {
	git -c safe.directory='*' --git-dir="$1" ls-tree -r --name-only HEAD -- tickets/ |
		grep "/$2\.ini\$"
}

# tblob GITDIR ID: ticket ID's blob at HEAD ("none" without one)
tblob() {
	_p=$(tpath "$1" "$2")
	if [ -n "$_p" ]; then
		git -c safe.directory='*' --git-dir="$1" rev-parse "HEAD:$_p"
	else
		echo none
	fi
}

# tshow GITDIR ID: ticket ID's file at HEAD
tshow() {
	git -c safe.directory='*' --git-dir="$1" show "HEAD:$(tpath "$1" "$2")"
}

# ids GITDIR: the ticket ids at HEAD, sorted by number, one a line
ids() {
	git -c safe.directory='*' --git-dir="$1" ls-tree -r --name-only HEAD -- tickets/ |
		sed -n 's|.*/\([A-Z]*-[0-9]*\)\.ini$|\1|p' | sort -t- -k2 -n
}

# tkey GITDIR ID KEY: KEY of ticket ID's [ticket] section at HEAD
tkey() {
	tshow "$1" "$2" >"$T/tkey.ini"
	ini_get "$T/tkey.ini" ticket "$3"
}

# ticket_section GITDIR ID: the [ticket] section of ID's file at HEAD
ticket_section() {
	tshow "$1" "$2" | awk '/^\[/ { in_t = ($0 == "[ticket]") } in_t'
}

# events GITDIR ID: "N action [superseded] [overridden=...]" per event, in
# the file's order
events() {
	tshow "$1" "$2" | awk '
		function out() { if (n != "") print n, a s o; n = ""; a = ""; s = ""; o = "" }
		/^\[event / { out(); n = $2; sub(/\]$/, "", n); next }
		/^\[/ { out(); next }
		n != "" && /^action = / { a = substr($0, 10) }
		n != "" && /^superseded = / { s = " superseded" }
		n != "" && /^overridden = / { o = " overridden=" substr($0, 14) }
		END { out() }'
}

# hub_gd NAME / site_gd DIR: the git directories, for the helpers above
hub_gd() { echo "$SYNC_SRV/$1/.git"; }
site_gd() { echo "$T/$1/.git"; }

# no_merges GITDIR: its HEAD's history has no merge commit
no_merges() {
	[ -z "$(git -c safe.directory='*' --git-dir="$1" rev-list --merges HEAD)" ]
}

# no_aliases GITDIR...: no ticket of any has an aliases key
no_aliases() {
	for _g; do
		for _p in $(git -c safe.directory='*' --git-dir="$_g" ls-tree -r --name-only HEAD -- tickets/); do
			git -c safe.directory='*' --git-dir="$_g" show "HEAD:$_p" | grep -q '^aliases' &&
				{ echo "# $_g: $_p has aliases" >&2; return 1; }
		done
	done
	return 0
}

# hub_fsck NAME: sd-fsck at hub NAME, after a command has brought its
# files up to the pushes it took (sd-fsck alone reports files behind
# HEAD - what a push into a store leaves until its next command).
hub_fsck() {
	at_hub "$1" sd-list >/dev/null 2>&1 </dev/null
	at_hub "$1" sd-fsck
}
