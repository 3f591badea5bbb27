# tests/mailserver.sh - a private Postfix on 127.0.0.1 for a test.
#
# Sourced after lib.sh, by a test that runs as root.  ms_start makes a
# Postfix instance of the test's own under $T/postfix, sharing nothing
# with the system's (which may be absent, unconfigured or running on
# port 25: it is never used):
#
#   $MS_CONF    config_directory: main.cf, master.cf, aliases
#   $MS_SPOOL   queue_directory (its pid file, its queues)
#   $MS_DATA    data_directory
#   $MS_LOG     the log (maillog_file; there is no syslog to ask)
#   $MS_MAIL    the Maildirs of example.test
#   $MS_PORT    the port of its smtpd, on 127.0.0.1 only
#
# Its domains:
#   desk.test     local(8): desk@desk.test is an alias piped into the
#                 command given to ms_start, run as the user given (the
#                 aliases file is root's, so local(8) runs it as
#                 default_privs, that user); postmaster and root go to
#                 postmaster@example.test; any other address is refused
#   example.test  virtual(8): NAME@example.test, NAME one of
#                 $MS_MAILBOXES (set it before ms_start to have others),
#                 is delivered into the Maildir $MS_MAIL/example.test/NAME/,
#                 any other address into $MS_MAIL/example.test/other/; the
#                 files are that user's
# Mail to any other domain is bounced by the error(8) transport: nothing
# leaves the machine.
#
# Mail the desk sends reaches this instance in one of two ways:
#   /usr/sbin/sendmail -C "$MS_CONF" -t   as root only: Postfix's sendmail
#       takes another config_directory from a user who is not root only
#       when the system's /etc/postfix/main.cf lists it in
#       alternate_config_directories, and the test leaves that file alone
#       (Debian's "No configuration" has none: "sendmail: fatal: open
#       file /etc/postfix/main.cf", exit 75);
#   $MS_SENDMAIL -t                       as any user, so as the desk user
#       who runs sd-mail and the agents' commands: a sendmail -t that hands
#       the message to the instance's smtpd on 127.0.0.1:$MS_PORT
#       (tests/smtp-sendmail.py).
# Either way requester@example.test's mail ends up in the Maildir
# $(ms_maildir requester@example.test), and ms_message reads it.
#
# Needs root, postfix and swaks; ms_missing says what is lacking.

MS_DIR=$T/postfix
MS_CONF=$MS_DIR/etc
MS_SPOOL=$MS_DIR/spool
MS_DATA=$MS_DIR/data
MS_LOG=$MS_DIR/maillog
MS_MAIL=$MS_DIR/mail
MS_PORT=
MS_SENDMAIL=$MS_DIR/sendmail
MS_WAIT=${MS_WAIT:-20}
MS_CLEANUP=
MS_MAILBOXES=${MS_MAILBOXES:-requester stranger approver agent postmaster}

# ms_missing: what this machine lacks for a private Postfix, on stdout
# (empty when nothing)
ms_missing() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root"
		return
	fi
	for _p in /usr/sbin/postfix /usr/sbin/postconf newaliases /usr/sbin/sendmail \
		/usr/sbin/postqueue /usr/sbin/postsuper swaks python3 useradd userdel runuser; do
		command -v "$_p" >/dev/null 2>&1 || { echo "no $_p (install postfix and swaks)"; return; }
	done
	getent passwd postfix >/dev/null || echo "no user postfix (install postfix)"
}

# ms_free_port: a TCP port free on 127.0.0.1 now
ms_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# ms_start USER PIPE: start the instance; desk@desk.test runs the shell
# command PIPE as USER, with local(8)'s environment (PATH=/usr/bin:/bin,
# HOME, SENDER, ...).  USER also owns the example.test Maildirs.  Stopped
# when the test exits (the EXIT trap, whatever the reason), with
# $MS_CLEANUP run after it.  Bails out if it cannot start.
ms_start() {
	_user=$1 _pipe=$2
	_uid=$(id -u "$_user") && _gid=$(id -g "$_user") || { echo "Bail out! no user $_user"; exit 1; }
	MS_PORT=$(ms_free_port) || { echo "Bail out! no free port"; exit 1; }
	trap ms_cleanup EXIT
	trap 'exit 1' HUP INT TERM
	# The user must reach what the pipe runs and the Maildirs.
	chmod 755 "$T"
	mkdir -p "$MS_CONF" "$MS_SPOOL" "$MS_DATA" "$MS_MAIL"
	chmod 755 "$MS_DIR" "$MS_CONF" "$MS_SPOOL"
	chown postfix "$MS_DATA"
	chown "$_uid:$_gid" "$MS_MAIL"
	cat >"$MS_CONF/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $MS_CONF
queue_directory = $MS_SPOOL
data_directory = $MS_DATA
maillog_file = $MS_LOG
maillog_file_prefixes = $MS_DIR
syslog_name = postfix-sd-test
myhostname = desk.test
mydomain = desk.test
myorigin = \$mydomain
mydestination = desk.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtputf8_enable = no
biff = no
alias_maps = hash:$MS_CONF/aliases
alias_database = hash:$MS_CONF/aliases
local_recipient_maps = \$alias_maps
default_privs = $_user
notify_classes =
virtual_mailbox_domains = example.test
virtual_mailbox_base = $MS_MAIL
virtual_mailbox_maps = texthash:$MS_CONF/mailboxes
virtual_uid_maps = static:$_uid
virtual_gid_maps = static:$_gid
default_transport = error:the test's Postfix delivers nothing off the machine
relay_transport = \$default_transport
EOF
	# One line per service, no chroot, no smtp client: smtpd on
	# 127.0.0.1:PORT alone listens.
	cat >"$MS_CONF/master.cf" <<EOF
127.0.0.1:$MS_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
	for _m in $MS_MAILBOXES; do
		printf '%s@example.test example.test/%s/\n' "$_m" "$_m"
	done >"$MS_CONF/mailboxes"
	printf '@example.test example.test/other/\n' >>"$MS_CONF/mailboxes"
	{
		printf 'postmaster: postmaster@example.test\n'
		printf 'root: postmaster@example.test\n'
		printf 'desk: "|%s"\n' "$_pipe"
	} >"$MS_CONF/aliases"
	newaliases -C "$MS_CONF" || { echo "Bail out! newaliases -C $MS_CONF failed"; exit 1; }
	cp "${SD_TOP:-.}/tests/smtp-sendmail.py" "$MS_DIR/smtp-sendmail.py"
	printf '#!/bin/sh\nexec python3 %s/smtp-sendmail.py --port %s "$@"\n' \
		"$MS_DIR" "$MS_PORT" >"$MS_SENDMAIL"
	chmod 755 "$MS_SENDMAIL" "$MS_DIR/smtp-sendmail.py"
	postfix -c "$MS_CONF" start >"$MS_DIR/start.log" 2>&1 || {
		sed 's/^/# /' "$MS_DIR/start.log"
		echo "Bail out! postfix -c $MS_CONF start failed"
		exit 1
	}
	ms_wait ms_banner >/dev/null 2>&1 || {
		sed 's/^/# /' "$MS_LOG" 2>/dev/null
		echo "Bail out! the test's Postfix does not answer on 127.0.0.1:$MS_PORT"
		exit 1
	}
}

# ms_banner: the first line the smtpd says (a 220 line) on stdout
ms_banner() {
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
line = s.makefile("rb").readline().decode()
s.sendall(b"QUIT\r\n")
sys.stdout.write(line)
sys.exit(0 if line.startswith("220 ") else 1)' "$MS_PORT"
}

# ms_master_pid: the pid of the instance's master, if it runs
ms_master_pid() {
	_pid=$(tr -d ' ' <"$MS_SPOOL/pid/master.pid" 2>/dev/null) || return 1
	[ -n "$_pid" ] && kill -0 "$_pid" 2>/dev/null && echo "$_pid"
}

# ms_stop: stop the instance (if it runs), waiting until its master is
# gone; killed after MS_WAIT seconds
ms_stop() {
	_pid=$(ms_master_pid) || return 0
	postfix -c "$MS_CONF" stop >/dev/null 2>&1
	_i=0
	while kill -0 "$_pid" 2>/dev/null; do
		_i=$((_i + 1))
		if [ $_i -ge $((MS_WAIT * 10)) ]; then
			kill -9 "$_pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
}

ms_cleanup() {
	ms_stop
	[ -z "$MS_CLEANUP" ] || eval "$MS_CLEANUP"
	rm -rf "$T"
}

# ms_send FROM TO FILE [swaks options]: hand the message FILE to the
# smtpd with SMTP, envelope FROM (empty: the null sender <>) and TO;
# swaks's transcript in $T/swaks.out.  Its status is swaks's: 0 when the
# server took the message.
ms_send() {
	_from=$1 _to=$2 _file=$3
	shift 3
	[ -n "$_from" ] || _from='<>'
	swaks --server "127.0.0.1:$MS_PORT" --helo client.example.test \
		--from "$_from" --to "$_to" --data "$_file" "$@" >"$T/swaks.out" 2>&1
}

# ms_queue_empty: the instance's queues hold no message
ms_queue_empty() {
	[ -z "$(find "$MS_SPOOL/maildrop" "$MS_SPOOL/incoming" "$MS_SPOOL/active" \
		"$MS_SPOOL/deferred" "$MS_SPOOL/hold" -type f 2>/dev/null | head -1)" ]
}

# ms_wait CONDITION...: poll the command CONDITION until it succeeds,
# for at most MS_WAIT seconds of the clock; its status
ms_wait() {
	_end=$(($(date +%s) + MS_WAIT))
	until "$@"; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.1
	done
}

# ms_wait_queue_empty: wait until the queues are empty (every message
# delivered or bounced); status 1 if they are not in time
ms_wait_queue_empty() { ms_wait ms_queue_empty; }

# ms_logged PATTERN: the log has a line matching grep -E PATTERN
ms_logged() { grep -Eq -- "$1" "$MS_LOG" 2>/dev/null; }

# ms_wait_log PATTERN: wait until the log has a line matching PATTERN
ms_wait_log() { ms_wait ms_logged "$1"; }

# ms_queue_id: the queue id of the last message the smtpd took (from
# swaks's transcript of the last ms_send)
ms_queue_id() {
	sed -n 's/.*250 2\.0\.0 Ok: queued as \([0-9A-Za-z]*\).*/\1/p' "$T/swaks.out" | tail -1
}

# ms_wait_done QUEUEID: wait until the log says what became of the
# message QUEUEID (status=sent, bounced or deferred)
ms_wait_done() { ms_wait_log " $1: .* status=(sent|bounced|deferred)"; }

# ms_status QUEUEID: that status (the first word after status=)
ms_status() {
	sed -n "s/.* $1: .* status=\([a-z]*\).*/\1/p" "$MS_LOG" | tail -1
}

# ms_maildir ADDRESS: the Maildir of ADDRESS (NAME@example.test, NAME one
# of $MS_MAILBOXES)
ms_maildir() { echo "$MS_MAIL/example.test/${1%@example.test}"; }

# ms_count ADDRESS: how many messages the Maildir of ADDRESS holds
ms_count() {
	find "$(ms_maildir "$1")/new" "$(ms_maildir "$1")/cur" -type f 2>/dev/null | wc -l
}

# ms_has ADDRESS N: the Maildir of ADDRESS holds N messages or more
ms_has() { [ "$(ms_count "$1")" -ge "$2" ]; }

# ms_wait_count ADDRESS N: wait until the Maildir of ADDRESS holds N
# messages (or more); status 1 if it does not in time
ms_wait_count() { ms_wait ms_has "$1" "$2"; }

# ms_message ADDRESS N: the file of the Nth message delivered to ADDRESS
# (1 the first), in delivery order (virtual(8) names a file
# SECONDS.VdevIinodeMmicroseconds.host)
ms_message() {
	find "$(ms_maildir "$1")/new" "$(ms_maildir "$1")/cur" -type f 2>/dev/null |
		awk -F/ '{ n = $NF; s = n; sub(/\..*/, "", s); u = n
			if (!sub(/.*M/, "", u)) u = 0; sub(/\..*/, "", u)
			printf "%d %06d %s\n", s, u, $0 }' |
		sort -k1,1n -k2,2n | sed -n "$2{s/^[0-9]* [0-9]* //;p;}"
}

# ms_header FILE NAME: the first NAME: header of the message FILE,
# unfolded and decoded (RFC 2047)
ms_header() {
	python3 -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
v = m.get(sys.argv[2])
sys.stdout.write("" if v is None else str(v))
sys.exit(0 if v is not None else 1)' "$1" "$2"
}

# ms_text FILE: the text of the message FILE, its first text/plain part
# decoded (transfer encoding and charset)
ms_text() {
	python3 -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
p = m.get_body(preferencelist=("plain",))
sys.stdout.write("" if p is None else p.get_content())
sys.exit(0 if p is not None else 1)' "$1"
}

# ms_reply FILE FROM TEXT: on stdout, the reply FROM (an address) writes
# to the message FILE, as a mail program makes it: To: FILE's From:,
# Subject: "Re: " and FILE's subject, In-Reply-To: FILE's Message-ID,
# References: FILE's References and Message-ID, then TEXT and FILE's
# text quoted below an "On ... wrote:" line.  For answering the desk's
# mail from a requester's Maildir; send it with ms_send.
ms_reply() {
	python3 -c 'import email, email.policy, email.message, email.utils, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
r = email.message.EmailMessage(policy=email.policy.SMTP.clone(linesep="\n"))
r["From"] = sys.argv[2]
r["To"] = str(m["From"])
subject = str(m.get("Subject", ""))
r["Subject"] = subject if subject.lower().startswith("re:") else "Re: " + subject
r["Date"] = email.utils.formatdate(localtime=True)
r["Message-ID"] = email.utils.make_msgid(domain="example.test")
mid = m.get("Message-ID")
if mid:
    r["In-Reply-To"] = str(mid)
    r["References"] = " ".join(x for x in (str(m.get("References", "")).strip(), str(mid)) if x)
body = m.get_body(preferencelist=("plain",))
quoted = "".join("> " + l + "\n" for l in (body.get_content() if body else "").splitlines())
r.set_content(sys.argv[3] + "\n\nOn " + str(m.get("Date", "a day")) + ", " + str(m["From"]) + " wrote:\n" + quoted)
sys.stdout.buffer.write(r.as_bytes())' "$1" "$2" "$3"
}
