#!/usr/bin/python3
# tests/smtp-sendmail.py - a sendmail that submits over SMTP, for the mail
# tests (tests/mailserver.sh installs it as $MS_SENDMAIL, for any user).
#
# smtp-sendmail.py --port PORT [-t] [-i] [-oi] [-f SENDER] [RECIPIENT...]
#
# The message comes on stdin and goes to the smtpd on 127.0.0.1:PORT.
# Recipients: those given, and with -t those of To:, Cc: and Bcc: too
# (Bcc: lines are not sent).  The envelope sender: -f's (empty for <>),
# else the From: address.  Exit 0 when the server took the message, 75
# when it could not be reached or answered 4xx, 65 when it refused the
# message or there are no recipients, 64 on a bad option: sysexits, as
# Postfix's sendmail.
import email.parser
import email.policy
import email.utils
import getopt
import re
import smtplib
import sys


def main():
    try:
        opts, rcpts = getopt.getopt(sys.argv[1:], "tif:o:F:", ["port="])
    except getopt.GetoptError as e:
        sys.stderr.write("sendmail: %s\n" % e)
        return 64
    o = dict(opts)
    if "--port" not in o:
        sys.stderr.write("sendmail: no --port\n")
        return 64
    data = sys.stdin.buffer.read().replace(b"\r\n", b"\n")
    head, sep, body = data.partition(b"\n\n")
    msg = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(
        head + b"\n\n", headersonly=True)
    if "-t" in o:
        fields = msg.get_all("To", []) + msg.get_all("Cc", []) + msg.get_all("Bcc", [])
        rcpts += [a for _, a in email.utils.getaddresses(fields) if a]
        head = re.sub(rb"(?im)^bcc:.*(\n[ \t].*)*\n?", b"", head + b"\n").rstrip(b"\n")
    sender = o["-f"] if "-f" in o else email.utils.parseaddr(msg.get("From", ""))[1]
    if sender == "<>":
        sender = ""
    if not rcpts:
        sys.stderr.write("sendmail: no recipients\n")
        return 65
    data = (head + sep + body).replace(b"\n", b"\r\n")
    try:
        with smtplib.SMTP("127.0.0.1", int(o["--port"]), timeout=30) as s:
            s.sendmail(sender, rcpts, data)
    except smtplib.SMTPRecipientsRefused as e:
        sys.stderr.write("sendmail: recipients refused: %s\n" % e.recipients)
        return 65
    except smtplib.SMTPResponseException as e:
        sys.stderr.write("sendmail: %d %s\n" % (e.smtp_code, e.smtp_error.decode("utf-8", "replace")))
        return 75 if 400 <= e.smtp_code < 500 else 65
    except (OSError, smtplib.SMTPException) as e:
        sys.stderr.write("sendmail: %s\n" % e)
        return 75
    return 0


sys.exit(main())
