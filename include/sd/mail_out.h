#ifndef SD_MAIL_OUT_H
#define SD_MAIL_OUT_H

#include <stddef.h>
#include <time.h>

#include "sd/config.h"
#include "sd/id.h"
#include "sd/store.h"
#include "sd/ticket.h"
#include "sd/zone.h"

/*
 * The desk's outgoing mail (sd(7) EMAIL CONVERSATION): the wire forms
 * (lib/mail_encode.c), a message composed (lib/mail_compose.c), the
 * templates (lib/mail_template.c), the queue and sendmail
 * (lib/mail_queue.c) and which event mails whom (lib/mail_out.c).  No
 * GMime here: every program may link it.
 */

/* One address, with its display name (NULL or "": none). */
struct sd_mail_rcpt {
	const char *name, *addr;
};

/* text as quoted-printable (RFC 2045 6.7), UTF-8 bytes as they are: LF
 * or CRLF line ends as LF, lines of at most 76 octets (soft breaks "=" at
 * the end), '=', controls, 8-bit bytes, blanks before a line's end and a
 * '.' or "From " opening a line encoded; a last line end added. */
int sd_mail_encode_qp(char **out, const char *text);

/* text as RFC 2047 encoded-words in UTF-8, each at most 75 octets, split
 * between whole characters, separated by a space: Q (its phrase-safe
 * set) while at most a third of the octets need encoding, else B. */
int sd_mail_encode_words(char **out, const char *text);

/* s on one line: controls (C0, DEL and C1) and runs of blanks as one
 * space, trimmed; malloc'd.  The mail gateway reads subjects with it too. */
char *sd_mail_one_line(const char *s);

/* "Name: value\n" for unstructured text (Subject): value on one line
 * (sd_mail_one_line), words that are not plain ASCII (or look like an
 * encoded-word, or pass 70 octets) as encoded-words, folded at spaces
 * so that no line passes 78 octets. */
int sd_mail_header(char **out, const char *name, const char *value);
/* "Name: a <x@y>, b <z@w>\n": display names quoted, or encoded-words
 * when not ASCII, folded as above.  SD_EINVALID when an address holds a
 * blank, a control or any of <>,;:"()[]\, which could end it or add
 * another. */
int sd_mail_header_addresses(char **out, const char *name, const struct sd_mail_rcpt *v,
    size_t n);

/* One message to compose.  Message ids without their angle brackets. */
struct sd_mail_letter {
	struct sd_mail_rcpt from;
	const struct sd_mail_rcpt *to;
	size_t nto;
	const char *subject, *body;     /* UTF-8 */
	const char *message_id;
	const char *in_reply_to;        /* NULL: none */
	const char *const *references;  /* oldest first */
	size_t nreferences;
	time_t date;
	const struct sd_zone *zone;     /* Date: in it (NULL: UTC) */
};

/* The whole message, LF line ends, ASCII only: From, To, Subject, Date,
 * Message-ID, In-Reply-To, References, Auto-Submitted: auto-replied,
 * MIME-Version, a text/plain UTF-8 quoted-printable body. */
int sd_mail_compose(char **out, const struct sd_mail_letter *l);

/* Date: as RFC 5322 has it, "Mon, 07 Dec 2026 10:25:25 -0500", in zone. */
#define SD_MAIL_DATE_MAX 40
void sd_mail_date(char out[SD_MAIL_DATE_MAX], time_t t, const struct sd_zone *zone);

/* Message ids, without brackets (SD_MAIL_MSGID_MAX bytes):
 * the ticket's root "PREFIX-N@DOMAIN" (its registration mail's);
 * one mail of event (its number, from 1) of kind: "PREFIX-N.EVENT.HASH@DOMAIN",
 *   HASH 12 hex digits of (id, event, kind, to), the same on every try;
 * an approval request: "PREFIX-N.approval.TOKEN@DOMAIN", the token of
 *   sd_mail_token (sd-mail reads the token back from it). */
#define SD_MAIL_MSGID_MAX 400
void sd_mail_root_id(char out[SD_MAIL_MSGID_MAX], const char *id, const char *domain);
void sd_mail_event_id(char out[SD_MAIL_MSGID_MAX], const char *id, size_t event,
    const char *kind, const char *to, const char *domain);
void sd_mail_approval_id(char out[SD_MAIL_MSGID_MAX], const char *id, const char *token,
    const char *domain);

/* The kinds of mail, each a template file share/templates/LANG/KIND:
 * new (the number), pending-info (what is missing), reminder (before the
 * ticket goes unmanaged), reply, solve (with the survey), reopen, close
 * (an agent's or sd-close --auto's), reject, approval (to an approver),
 * unmanaged, refused (to a stranger whose mail is refused). */
#define SD_MAIL_KINDS { "new", "pending-info", "reminder", "reply", "solve", "reopen", \
	"close", "reject", "approval", "unmanaged", "refused", NULL }
extern const char *const sd_mail_kinds[];
/* The placeholders a template may use, {{NAME}}. */
#define SD_MAIL_PLACEHOLDERS { "desk", "id", "title", "requester", "status", "text", \
	"solution", "description", "window", "window_end", "missing", "rating_question", \
	"rating", "reason", "resolution", "role", "approver", "token", "agent", NULL }
extern const char *const sd_mail_placeholders[];

/* The values of placeholders (a name not given is ""). */
struct sd_mail_vars {
	struct { const char *name, *value; } v[32];
	size_t n;
};

/* A template's text (len bytes; path names it in messages) filled with
 * v: its first line "Subject: ..." the subject, after a blank line the
 * body.  SD_ECONFIG naming path:line for a first line that is not a
 * subject, no blank line after it, an unknown placeholder or "{{"
 * without "}}". */
int sd_mail_render(char **subject, char **body, const char *text, size_t len,
    const char *path, const struct sd_mail_vars *v);
/* The template dir/lang/kind rendered; 1 (and nothing rendered) when
 * there is no such file: that kind of mail is not sent. */
int sd_mail_template(char **subject, char **body, const char *dir, const char *lang,
    const char *kind, const struct sd_mail_vars *v);

/* A window in words of lang ("en" or "es"): "48 hours", "90 minutes",
 * "2 business hours", "3 business days", "7 days" (whole days past 48
 * hours); "48 horas", "3 días hábiles", ... */
void sd_mail_window_words(char *out, size_t n, const struct sd_duration *d, const char *lang);
/* An instant in words, in zone: "Wednesday 9 December 2026 at 10:25
 * (America/Bogota)", "miércoles 9 de diciembre de 2026 a las 10:25 (...)". */
void sd_mail_date_words(char *out, size_t n, time_t t, const struct sd_zone *zone,
    const char *lang);
/* The fields of missing (space-separated names) in words: "your email
 * address and your phone number", "su correo electrónico y ...". */
void sd_mail_missing_words(char *out, size_t n, const char *missing, const char *lang);
/* The survey's question, in lang. */
const char *sd_mail_rating_question(const char *lang);

/* Where the templates are: SD_SHAREDIR's templates/ (sd/paths.h). */
const char *sd_mail_template_dir(void);

/* After action on ticket n was committed (the cmd side calls it after
 * each change, beside its hook): the mail that change sends, built from
 * the ticket as committed and queued and sent (sd(7) EMAIL
 * CONVERSATION).  Nothing without [mail] address, for a note, a ticket
 * without requester_email or a kind without its template.  warn hears of
 * each mail not sent (one line); returns < 0 when one was not. */
int sd_mail_after(struct sd_store *s, const char *action, long n,
    void (*warn)(const char *msg, void *arg), void *arg);
/* The mails of every commit of the store's branch after SD_MAIL_MARK
 * (first parents, oldest first) queued, those queued or sent already
 * (the same Message-ID) left out, then sent; the mark moved to the last
 * commit whose mails are all queued.  Run after each change (action and
 * n: the change just committed) and by sd-mail --flush (action NULL).
 * Without a mark (a store that had none, or [mail] address set since):
 * the change's own mail alone (sd_mail_after), none for --flush, and the
 * mark set to HEAD, never the past mailed.  Without [mail] address the
 * mark is removed.  warn hears of each problem; < 0 when a mail was not
 * queued or not sent. */
int sd_mail_catch_up(struct sd_store *s, const char *action, long n,
    void (*warn)(const char *msg, void *arg), void *arg);
/* The refused template to a stranger (name may be NULL) whose mail to
 * ticket n sd-mail refused ([mail] strangers = refuse), in reply to
 * their message (their_message_id NULL: unknown). */
int sd_mail_refused(struct sd_store *s, long n, const char *name, const char *addr,
    const char *their_message_id, const char *subject);
/* An agent (addr) wrote to ticket n, awaiting approval, without
 * replying to the request: when that agent approves its next role, the
 * approval-again template (why that mail counts for nothing, and the
 * request again with its token), in reply to their message
 * (their_message_id NULL: unknown), queued and sent.  1 when mailed, 0
 * when the agent is not asked that approval (nothing to say), < 0. */
int sd_mail_approval_again(struct sd_store *s, long n, const char *addr,
    const char *their_message_id);
/* sd-close --auto: the reminder to the requester of each pending-info
 * ticket whose unmanaged window ends within [mail] remind_before, once
 * per ticket (the ids told in .git/sd-mail-reminded). */
int sd_mail_remind(struct sd_store *s, void (*warn)(const char *msg, void *arg), void *arg);

/* The outbox, machine-local (never committed): one file per mail, named
 * by its Message-ID.  lib/mail_queue.c. */
#define SD_MAIL_OUTBOX ".git/sd-outbox"
/* Approval requests to compose: one empty file N.ROUND.ROLE each.  The
 * change that asks an approval queues one; the mail, with its token, is
 * made by whoever can read the secret (the command itself when it can,
 * else sd-mail --flush run by the mail gateway's user). */
#define SD_MAIL_ASKS ".git/sd-outbox-approvals"
/* The sent log: "SECONDS NAME" a line, the outbox name of each mail
 * sent in the last 30 days, written before its queued file is removed;
 * a mail it names is never queued again. */
#define SD_MAIL_SENT ".git/sd-mail-sent"
/* The last commit of the store's branch whose mails are all queued (or
 * sent): sd_mail_catch_up replays the commits after it. */
#define SD_MAIL_MARK ".git/sd-mailed"
/* Compose and post every queued approval request still asked (the rest
 * dropped), when this process may make tokens (sd_mail_secret_usable
 * with create); 0 when the secret is another user's, nothing done.
 * < 0, each problem warned, when some mail was not sent. */
int sd_mail_asks(struct sd_store *s, int create, void (*warn)(const char *msg, void *arg),
    void *arg);
/* Seconds sendmail may take unless git config sd.sendmailTimeout says. */
#define SD_SENDMAIL_TIMEOUT 60

/* Queue msg under its id (the file name in name): written whole and
 * atomically under the store's lock.  1 when it is queued already (the
 * same mail is never queued twice), 0 when queued now; SD_EBUSY, SD_EIO. */
int sd_mail_queue(struct sd_store *s, const char *message_id, const char *msg,
    char name[SD_MAIL_MSGID_MAX]);
/* Send the queued file name with git config sd.sendmail, -t -i added
 * (the message on its stdin, its stdout on stderr; stopped, with its
 * process group, past sd.sendmailTimeout seconds) holding an exclusive flock(2) on the file;
 * removed once the command exits 0.  0 sent; 1 when it is not there or
 * another sender holds it (that one sends it); SD_EBUSY, with the reason,
 * when the command could not be run or failed: the mail stays queued. */
int sd_mail_send_queued(struct sd_store *s, const char *name);
/* sd_mail_queue, then sd_mail_send_queued: 0 sent (or another sender
 * has it), < 0 not sent, and still queued unless the queueing failed. */
int sd_mail_post(struct sd_store *s, const char *message_id, const char *msg);
/* sd-mail --flush: send every queued mail, oldest first; fn hears of
 * each one not sent.  Returns how many were not sent, or < 0. */
int sd_mail_flush(struct sd_store *s, void (*fn)(const char *name, const char *why, void *arg),
    void *arg);

#endif
