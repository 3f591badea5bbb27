#ifndef SD_MAIL_H
#define SD_MAIL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "sd/attach.h"
#include "sd/config.h"
#include "sd/id.h"
#include "sd/store.h"
#include "sd/ticket.h"
#include "sd/zone.h"

/*
 * The email gateway (sd-mail(1)): one RFC 5322 message read into a small
 * struct, the decision of what it does to the store, and the change.
 * GMime stays behind this header, as libgit2 and inih stay behind theirs.
 */

/* What sd takes in: a message (never more than this, whatever [mail]
 * max_size says), a text (the limit of lib/ticket.c), a one-line field
 * such as the title. */
#define SD_MAIL_INPUT_MAX ((long)SD_MAIL_SIZE_MAX)
#define SD_MAIL_TEXT_MAX (1024 * 1024)
#define SD_MAIL_TITLE_MAX 1000

struct sd_mail_attachment {
	char *name;             /* the file name, "" when it has none */
	char *type;             /* its MIME type, e.g. "application/pdf" */
	size_t size;            /* decoded, in bytes */
	char *data;             /* the decoded bytes, size of them */
};

/* A message as sd reads it.  Every string is valid UTF-8 without NUL. */
struct sd_mail {
	char *subject;          /* decoded, on one line; "" when none */
	char *from_name;        /* the sender's display name, "" when none */
	char *from_addr;        /* the sender's address; "" only in an
	                           automatic message (sd_mail_automatic), which
	                           a From: with no address does not refuse */
	char *text;             /* the message's own text: the text/plain part
	                           (else the HTML one as text), quotes left out,
	                           format=flowed unwrapped; then each forwarded
	                           message (message/rfc822 part): its From,
	                           Date, Subject and text */
	struct sd_mail_attachment *attachments;
	size_t nattachments;
	/* What tells an automatic message: the headers' values, trimmed;
	 * NULL when the message has none. */
	char *auto_submitted, *precedence, *return_path;
	char *autoreply, *autorespond;  /* X-Autoreply, X-Autorespond */
	char *report_type;      /* a multipart/report's report-type ("" when
	                           it gives none); NULL when not a report */
	char *sender;           /* the envelope sender: the one given (sd-mail
	                           -f, $SENDER), else the mbox "From " line's;
	                           "" the null sender of a bounce; NULL unknown */
	char **cc;              /* the addresses of Cc:, groups' members too,
	                           each once (case ignored), at most
	                           SD_MAIL_CC_MAX */
	size_t ncc;
	char *in_reply_to, *references; /* those headers, on one line, their
	                           last SD_MAIL_IDS_MAX bytes at most (from
	                           a '<' on); NULL when the message has none */
	char *message_id;       /* its Message-ID without <>, NULL when it has
	                           none sd would write back (printable ASCII,
	                           no blanks or <>, at most 250 octets) */
};
#define SD_MAIL_CC_MAX 100
#define SD_MAIL_IDS_MAX 16384

/* Read one message from data (an mbox "From " line first is skipped)
 * within the limits lim (NULL: the defaults of sd/config.h).  SD_EINVALID
 * when it is not a message (empty, no headers, no sender address in
 * From:) or is past a limit: larger than lim->max_size, more MIME parts
 * than lim->max_parts or nested deeper than lim->max_depth.  A message
 * with more lines that could begin a part than SD_MAIL_SCAN_MAX is
 * refused before the MIME parser sees it, so that memory stays bounded. */
#define SD_MAIL_SCAN_MAX 10000
int sd_mail_parse(struct sd_mail **out, const char *data, size_t len,
    const struct sd_mail_limits *lim);
/* The same with the envelope sender as the mail system gives it (NULL:
 * unknown; "", "<>" or "MAILER-DAEMON": the null sender).  A message
 * without a sender address in From: is read all the same when it is
 * automatic (sd_mail_automatic), with from_addr "". */
int sd_mail_parse_from(struct sd_mail **out, const char *data, size_t len,
    const struct sd_mail_limits *lim, const char *sender);
/* The same, from a stream: at most lim->max_size bytes are kept; a longer
 * message is refused before it is parsed, the rest of it read and thrown
 * away (so that the mail system sees the exit status, not a broken
 * pipe).  SD_EIO if it cannot be read. */
int sd_mail_read(struct sd_mail **out, FILE *in, const struct sd_mail_limits *lim);
int sd_mail_read_from(struct sd_mail **out, FILE *in, const struct sd_mail_limits *lim,
    const char *sender);
void sd_mail_free(struct sd_mail *m);
/* Let go of what the MIME parser keeps between messages: once, at the
 * end, after the last sd_mail_parse. */
void sd_mail_shutdown(void);

/* HTML as readable text: tags dropped, entities decoded, block elements
 * as line breaks, list items as "- ", quoted blocks as "> " lines. */
int sd_mail_html_text(char **out, const char *html, size_t len);

/* Leave out of text, in place, what a reply quotes: lines starting with
 * '>' and the "On ... wrote:" line before them, and everything from an
 * Outlook "-----Original Message-----" line or "From:"/"De:" header
 * block on; a forward (forward non-zero) keeps what it forwards.  Blank
 * lines go at either end, and where a cut would leave two in a row. */
void sd_mail_cut_quotes(char *text, int forward);

/* A format=flowed text (RFC 3676) as plain lines, in place (it only
 * shrinks): a line ending in a space runs on into the next of the same
 * quote depth, the space kept, or dropped with delsp (DelSp=yes); the
 * stuffed space at a line's start goes, but after a quoted line's
 * '>'s (its depth), where it parts them from the text, and before an
 * unquoted '>', which would read as a quote.  "-- " (a signature's start) is
 * never flowed. */
void sd_mail_unflow(char *text, int delsp);

/* Is m automatic, never to be answered: a delivery or disposition report
 * (multipart/report, RFC 3464 and 8098), Auto-Submitted other than "no"
 * (RFC 3834), X-Autoreply or X-Autorespond, Precedence bulk, junk or
 * list, the null sender (Return-Path: <>, the envelope's), or from a
 * MAILER-DAEMON or postmaster address?  The first of these that fits, in
 * this order: its key (as sd_mail_route's reason), and why in why (one
 * line); NULL when none fits. */
const char *sd_mail_automatic(const struct sd_mail *m, char *why, size_t n);


/* What a message does to the store. */
enum sd_mail_action {
	SD_MAIL_IGNORE,         /* nothing: why says why */
	SD_MAIL_NOTE,           /* a note on ticket, from the requester */
	SD_MAIL_NEW,            /* a new ticket */
	SD_MAIL_RELATED,        /* a new ticket related to ticket, a final one */
	SD_MAIL_CLOSE,          /* the requester's rating closes ticket, solved */
	SD_MAIL_REOPEN,         /* the requester's reply reopens ticket, solved */
	SD_MAIL_APPROVE,        /* an approver gives ticket's approval role */
	SD_MAIL_DENY            /* an approver denies it: the ticket is rejected */
};

/* The approval token (lib/mail_token.c): SD_MAIL_TOKEN_MAX - 1 lowercase
 * hex digits, an HMAC-SHA256 of the ticket id, the role, the approver's
 * agent id and the approval round (sd_mail_round), keyed with the store's machine-local secret.  An approval
 * request mail carries it, in its subject as "(ref TOKEN)" and in its
 * Message-ID as <PREFIX-N.approval.TOKEN@DOMAIN>; only a reply that
 * carries it back, from that approver, gives or denies that approval. */
#define SD_MAIL_TOKEN_MAX 25
#define SD_MAIL_SECRET_FILE ".git/sd-mail-secret"
#define SD_MAIL_ROLE_MAX 128

struct sd_mail_route {
	enum sd_mail_action action;
	long ticket;            /* NOTE, RELATED, CLOSE, REOPEN, APPROVE,
	                           DENY: the tagged one (APPROVE before
	                           sd_mail_approval: the token's, 0 none) */
	char why[512];          /* IGNORE: why, one line */
	const char *reason;     /* IGNORE: the key it is counted under, one
	                           of SD_MAIL_REASONS */
	int rating;             /* CLOSE: 1 to 5 */
	char token[SD_MAIL_TOKEN_MAX];  /* APPROVE, DENY: the token carried */
	char role[SD_MAIL_ROLE_MAX];    /* APPROVE, DENY: the role, once checked */
	const char *approver;   /* APPROVE, DENY: the agent's id (the store's
	                           configuration's), once checked */
	long round;             /* APPROVE, DENY: the approval round the token
	                           is of (sd_mail_round), checked again under
	                           the lock by sd_mail_apply */	long ask_again;         /* IGNORE, an agent's mail without a token
	                           whose tag names a ticket awaiting
	                           approval: that ticket (sd_mail_approval_again
	                           answers it), else 0 */
};

/* The keys of the reasons a message is ignored, as counted: the automatic
 * ones of sd_mail_automatic, from the desk's own address, neither tag
 * nor keyword, and a stranger's mail to a ticket ([mail] strangers =
 * refuse). */
#define SD_MAIL_REASONS { "report", "auto-submitted", "autoreply", "precedence", \
	"null-sender", "mailer-daemon", "own-address", "no-route", "stranger", NULL }

/* The machine-local file, under the store's root, that counts the
 * messages ignored: one "KEY = N" line per reason, in the order above. */
#define SD_MAIL_IGNORED_FILE ".git/sd-mail-ignored"

/* Count one message ignored for reason under the store's lock, the file
 * written whole and atomically.  SD_EBUSY when the lock is not had in
 * time; SD_EINVALID, naming the file and line, when the file holds a
 * line that is not "KEY = N"; SD_EIO. */
int sd_mail_count_ignored(struct sd_store *s, const char *reason);

/* The status of ticket n, or NULL when there is no such ticket. */
typedef const char *(*sd_mail_status_fn)(long n, void *arg);

/* Decide, from the message and the store's configuration alone (and the
 * status of the tickets its subject names): an automatic message is
 * ignored; one that carries an approval token (In-Reply-To's message id,
 * else the subject's "(ref TOKEN)" with the ticket its [PREFIX-N] tag
 * names, else, from an agent's address, the last approval message id of
 * References) is an
 * approval reply, APPROVE with ticket and token, for sd_mail_approval to
 * check; one from the desk's own addresses is ignored; a [PREFIX-N] tag
 * naming a ticket makes a note on it, or a new related ticket when it is
 * final; else a [mail] keyword in the subject makes a new ticket; else
 * ignored. */
void sd_mail_route(struct sd_mail_route *r, const struct sd_mail *m,
    const struct sd_config *cfg, sd_mail_status_fn status, void *arg);

/* The rating a reply to a solved ticket gives (1 to 5), or 0 when it
 * gives none: the first line of text that is not blank, alone on it,
 * is a digit 1 to 5 or a word of the survey, in Spanish or English
 * (excelente, bueno, regular, malo, muy malo; excellent, good, fair,
 * poor, very poor), case and accents ignored, blanks and punctuation
 * around it too ("¡Excelente!", "5."). */
int sd_mail_rating(const char *text);

/* What an approval reply says: the first word of its text's first line
 * that is not blank, after punctuation ("¡Sí!"), case and accents
 * ignored, alone on that line or set off from the rest of it by
 * punctuation other than '?' ("Aprobado, por un año."; not "No problem,
 * go ahead", "Si es necesario"), is one that approves
 * (aprobado, apruebo, sí, approved, approve, yes: SD_MAIL_APPROVE) or
 * denies (rechazado, rechazo, no, denied, deny: SD_MAIL_DENY); else
 * SD_MAIL_IGNORE.  *rest (when rest is not NULL) is what follows the
 * word, blanks and punctuation after it left out: the comment or the
 * reason. */
enum sd_mail_action sd_mail_approval_word(const char *text, const char **rest);

/* Refine a route to ticket r->ticket (NOTE or RELATED) by what the ticket
 * holds: its status, its requester's email (NULL or "": none) and the
 * addresses its events record in `cc` (cc: ", "-separated, NULL or "":
 * none).  From any other address, a stranger's: a new ticket, the tag
 * left in its title and no link ([mail] strangers = new), or ignored
 * under reason "stranger" (refuse).  From the requester, on a solved
 * ticket: a rating (sd_mail_rating) closes it, anything else reopens it;
 * from a recorded CC it stays a note (or a new related ticket).  The
 * desk's own addresses never get here: sd_mail_route ignores them
 * first. */
void sd_mail_route_reply(struct sd_mail_route *r, const struct sd_mail *m,
    const struct sd_config *cfg, const char *status, const char *email, const char *cc);

/* Check an approval reply (r->action APPROVE, from sd_mail_route) against
 * the store: the sender's address is an agent's of agents.ini, the
 * ticket exists and is awaiting-approval, the token is that of its next
 * role asked of that agent (sd_mail_token_check) and the text approves or
 * denies (sd_mail_approval_word).  Then r says APPROVE or DENY, the role
 * and the approver.  Else SD_EINVALID, one line saying which. */
int sd_mail_approval(struct sd_mail_route *r, struct sd_store *s, const struct sd_mail *m);

/* sd_mail_route over the store's tickets, refined by
 * sd_mail_route_reply, an approval reply checked by sd_mail_approval. */
int sd_mail_decide(struct sd_mail_route *r, struct sd_store *s,
    const struct sd_mail *m);

/* What the message puts into a ticket. */
struct sd_mail_draft {
	char *title;            /* the subject, without Re:/Fwd: or the tag */
	char *requester;        /* the sender's name, else the address */
	char *email;            /* the address; NULL when sd would refuse it */
	char *text;             /* the note (From: line first) or the
	                           description, the attachments left out
	                           told at the end; NULL for a description
	                           with nothing; an approval's comment (NULL:
	                           none) or a denial's reason */
	char *cc;               /* a new ticket: the addresses of Cc: to
	                           record, ", "-separated (the desk's, the
	                           agents' and the sender's left out); NULL
	                           when none */
	struct sd_attach_file *files;   /* the attachments kept, within sd.ini's
	                                   limits: their bytes the message's */
	size_t nfiles;
	char **names;           /* their names, as references hold them
	                           (NULL-terminated) */
	const char *message_id; /* the message's (borrowed); a new ticket's
	                           first event keeps it, for threading */
};

int sd_mail_draft(struct sd_mail_draft *d, const struct sd_mail *m,
    const struct sd_mail_route *r, const struct sd_config *cfg);
void sd_mail_draft_free(struct sd_mail_draft *d);

/* Ticket t may take one more note by mail from agent (the one sd-mail
 * acts as) at now: it has fewer than limit notes by agent whose text
 * starts "From: " dated in the hour before now (limit 0: no limit).  Else
 * SD_EBUSY, so that the mail system tries again later. */
int sd_mail_rate_check(const struct sd_ticket *t, const char *agent, int limit, time_t now,
    const struct sd_zone *zone);

/* Take the route: the note, the close with the rating or the reopen (the
 * mail's text their comment or reason, through the action table as
 * agent), the approval given or denied (as sd-approve does, as the
 * approver r names, not as agent), or the new ticket of type (incident or
 * request), channel email, its event recording d->cc.  The ticket changed or made goes to id.  A ticket that became
 * final since the route was taken gets a new related ticket instead, one
 * no longer solved a note, and r says so. */
int sd_mail_apply(struct sd_store *s, const struct sd_agent *agent,
    struct sd_mail_route *r, const struct sd_mail_draft *d, const char *type,
    char id[SD_ID_MAX]);

/* 1 when this process may make tokens: it can read the secret, or there
 * is none and create says it may make it; 0 when not (the secret is
 * another user's).  SD_ENOMEM. */
int sd_mail_secret_usable(struct sd_store *s, int create);
/* The approval round of t: the number of the event (1 the first) that
 * last brought it into awaiting-approval, 0 none.  A token is of one
 * round: a reply to an earlier round's request gives nothing. */
long sd_mail_round(const struct sd_ticket *t);
/* The token of role's approval of ticket id in round, asked of agent
 * approver, in out; the secret is made (32 random bytes, mode 0600, under the store's
 * lock) when the store has none.  SD_EINVALID naming the file when it is
 * not a secret sd made; SD_EBUSY, SD_EIO. */
int sd_mail_token(char out[SD_MAIL_TOKEN_MAX], struct sd_store *s, const char *id,
    const char *role, const char *approver, long round);
/* 1 when token is that of role's approval of id in round asked of
 * approver, 0 when
 * not (compared in constant time); < 0 on error, as sd_mail_token. */
int sd_mail_token_check(struct sd_store *s, const char *token, const char *id,
    const char *role, const char *approver, long round);

#endif
