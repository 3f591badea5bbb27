# share/hooks/mail.sh - what the mail hooks share; sourced, not run.
#
# A hook runs with SD_STORE, SD_TICKET, SD_ACTION and SD_AGENT set (sd(7)),
# and SD_AUTOMATION=hub at a site whose hub sends the desk's mail ([sync]
# automation = hub): there send_mail sends nothing.
# These write an RFC 5322 message and hand it to `sendmail -t`, which reads
# the recipients from the headers.  Settings, from the environment:
#   SENDMAIL      the program (default /usr/sbin/sendmail)
#   SD_MAIL_FROM  the desk's address (default: the ticket group's email in
#                 agents.ini, else sd@ and this host's name)

: "${SENDMAIL:=/usr/sbin/sendmail}"

field() { sd-show -C "$SD_STORE" --field "$1" "$SD_TICKET"; }

# RFC 2047 encoded words, folded, when the text is not plain ASCII
# (perl's Encode, from Debian's perl package).
header_text() {
	if printf '%s' "$1" | LC_ALL=C grep -q '[^ -~]'; then
		perl -CA -MEncode -e 'print encode("MIME-Header", $ARGV[0])' "$1"
	else
		printf '%s' "$1"
	fi
}

# A display name that can only ever be one name, never more addresses (a
# requester named "Eve, victim@example.com" came by mail, perhaps): as it
# is when it is words, encoded words when not ASCII, else a quoted string.
display_name() {
	if printf '%s' "$1" | LC_ALL=C grep -q '[^ -~]'; then
		header_text "$1"
	elif printf '%s' "$1" | LC_ALL=C grep -q "^[A-Za-z0-9 !#\$%&'*+/=?^_\`{|}~-]*\$"; then
		printf '%s' "$1"
	else
		printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"
	fi
}

# The email of group $1 in agents.ini, if it has one.
group_email() {
	awk -v g="[group $1]" '
		$0 == g { inside = 1; next }
		/^\[/ { inside = 0 }
		inside && $1 == "email" { sub(/^[^=]*=[ \t]*/, ""); print; exit }
	' "$SD_STORE/agents.ini"
}

desk_address() {
	if [ -n "${SD_MAIL_FROM:-}" ]; then
		printf '%s' "$SD_MAIL_FROM"
	else
		a=$(group_email "$(field group)")
		printf '%s' "${a:-sd@$(hostname)}"
	fi
}

# send_mail SUBJECT: the body comes on stdin.
send_mail() {
	if [ "${SD_AUTOMATION:-}" = hub ]; then
		echo "hooks/$SD_ACTION: automation runs at the hub ([sync] automation = hub); nothing done here" >&2
		cat >/dev/null
		return 0
	fi
	to=$(field requester_email)
	if [ -z "$to" ]; then
		echo "hooks/$SD_ACTION: $SD_TICKET has no requester_email; no mail sent" >&2
		return 0
	fi
	{
		printf 'From: %s\n' "$(desk_address)"
		printf 'To: %s <%s>\n' "$(display_name "$(field requester)")" "$to"
		printf 'Subject: %s\n' "$(header_text "$1")"
		printf 'Date: %s\n' "$(LC_ALL=C date -R)"
		printf 'Message-ID: <%s.%s.%s@%s>\n' "$SD_TICKET" "$SD_ACTION" "$(date +%s)" "$(hostname)"
		printf 'Auto-Submitted: auto-generated\n'
		printf 'MIME-Version: 1.0\n'
		printf 'Content-Type: text/plain; charset=UTF-8\n'
		printf 'Content-Transfer-Encoding: 8bit\n'
		printf '\n'
		cat
	} | "$SENDMAIL" -t
}
