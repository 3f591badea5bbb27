/*
 * What a message does to the store, for the mail gateway: the route it
 * takes (ignored when automatic or from the desk's own addresses, an
 * approver's reply to an approval request checked by its token, a note
 * on the ticket its subject names from its requester or a CC it records,
 * its requester's rating or reopening of it when solved, a stranger's new
 * ticket, a new ticket), the draft of the note, approval or ticket, and
 * the change made.  GLib, for comparing keywords
 * and the survey's words, but no GMime.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "internal.h"
#include "mail_attach.h"
#include "mail_chars.h"
#include "sd/desk.h"
#include "sd/id.h"
#include "sd/mail_out.h"
#include "sd/mail.h"
#include "sd/ticket.h"



/* The route. */

/* The [PREFIX-N] tags of a subject whose tickets are looked up: the
 * first ones, so that a subject of many tags costs no more. */
#define TAGS_MAX 10

/* The next [PREFIX-N] tag in s from *at on: its number, or 0 when there
 * is none more. */
static long
next_tag(const char *prefix, const char **at)
{
	size_t pl = strlen(prefix);

	for (const char *p = strchr(*at, '['); p; p = strchr(p + 1, '[')) {
		/* An id is shorter than SD_ID_MAX: no search past it. */
		const char *close = memchr(p + 1, ']', strnlen(p + 1, SD_ID_MAX));
		char id[SD_ID_MAX];
		long n;

		if (!close || g_ascii_strncasecmp(p + 1, prefix, pl) || p[1 + pl] != '-' ||
		    (size_t)(close - p - 1) >= sizeof(id))
			continue;
		memcpy(id, p + 1, (size_t)(close - p - 1));
		id[close - p - 1] = '\0';
		if (sd_id_parse(&n, prefix, id) < 0) {
			sd_error_clear();
			continue;
		}
		*at = close + 1;
		return n;
	}
	return 0;
}

/* s in a form to compare: composed and case-folded; g_malloc'd. */
static char *
fold(const char *s)
{
	char *nfc = g_utf8_normalize(s, -1, G_NORMALIZE_DEFAULT_COMPOSE), *f;

	if (!nfc)
		return NULL;
	f = g_utf8_casefold(nfc, -1);
	g_free(nfc);
	return f;
}

/* Is there one of the keywords in subject, as whole words, case ignored? */
static int
has_keyword(const char *subject, const char *const *kw, size_t n)
{
	char *s = fold(subject);
	int found = 0;

	for (size_t i = 0; s && !found && i < n; i++) {
		char *k = fold(kw[i]);
		size_t kl = k ? strlen(k) : 0;

		for (const char *p = s; kl && !found && (p = strstr(p, k)); p = g_utf8_next_char(p))
			found = (p == s || !g_unichar_isalnum(g_utf8_get_char(g_utf8_find_prev_char(s, p)))) &&
			    (!p[kl] || !g_unichar_isalnum(g_utf8_get_char(p + kl)));
		g_free(k);
	}
	g_free(s);
	return found;
}

/* r ignores the message for reason (a key of SD_MAIL_REASONS), for why
 * (printf format). */
static void
ignore(struct sd_mail_route *r, const char *reason, const char *fmt, ...)
{
	va_list ap;

	r->action = SD_MAIL_IGNORE;
	r->reason = reason;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}



/* An automatic message, a list's or a bounce: never answered, for the
 * desk's own messages would answer it. */
static int
automatic(struct sd_mail_route *r, const struct sd_mail *m)
{
	const char *reason = sd_mail_automatic(m, r->why, sizeof(r->why));

	if (!reason)
		return 0;
	r->action = SD_MAIL_IGNORE;
	r->reason = reason;
	return 1;
}

/* The agent (*agent set) or else group of agents.ini whose address addr
 * is, case ignored: its id or name; NULL when none. */
static const char *
desk_address(const struct sd_config *cfg, const char *addr, int *agent)
{
	*agent = 1;
	for (size_t i = 0; i < sd_config_agent_count(cfg); i++) {
		const struct sd_agent *a = sd_config_agent_at(cfg, i);
		if (a->email && !g_ascii_strcasecmp(a->email, addr))
			return a->id;
	}
	*agent = 0;
	for (size_t i = 0; i < sd_config_group_count(cfg); i++) {
		const struct sd_group *g = sd_config_group_at(cfg, i);
		if (g->email && !g_ascii_strcasecmp(g->email, addr))
			return g->name;
	}
	return NULL;
}

/* Approval replies: the token an approval request mail carried. */

/* Are the n bytes at s a token: SD_MAIL_TOKEN_MAX - 1 lowercase hex
 * digits? */
static int
is_token(const char *s, size_t n)
{
	return n == SD_MAIL_TOKEN_MAX - 1 && sd__is_hex(s, n);
}

/* The subject's "(ref TOKEN)", into token; 0 when it has none. */
static int
subject_token(const char *subject, char token[SD_MAIL_TOKEN_MAX])
{
	for (const char *p = strchr(subject, '('); p; p = strchr(p + 1, '(')) {
		const char *t = p + 5, *close;

		/* A token is SD_MAIL_TOKEN_MAX - 1 long: no search past it. */
		if (g_ascii_strncasecmp(p, "(ref ", 5) ||
		    !(close = memchr(t, ')', strnlen(t, SD_MAIL_TOKEN_MAX))) ||
		    !is_token(t, (size_t)(close - t)))
			continue;
		memcpy(token, t, SD_MAIL_TOKEN_MAX - 1);
		token[SD_MAIL_TOKEN_MAX - 1] = '\0';
		return 1;
	}
	return 0;
}

/* The message ids of ids (In-Reply-To, References) that are an approval
 * request's, <PREFIX-N.approval.TOKEN@DOMAIN>: the first one (last 0) or
 * the last one (last 1), its ticket's number returned and its token in
 * token; 0 when there is none. */
static long
id_token(const char *ids, const char *prefix, int last, char token[SD_MAIL_TOKEN_MAX])
{
	static const char mark[] = ".approval.";
	size_t pl = strlen(prefix);
	long found = 0;

	/* Each byte is looked at a bounded number of times: an id is what
	 * lies between a '<' and the next '>', from the last '<' before it. */
	for (const char *p = ids ? strchr(ids, '<') : NULL, *close; p;
	    p = strchr(close + 1, '<')) {
		const char *at, *dot, *lt;
		char id[SD_ID_MAX];
		long n;

		if (!(close = strchr(p + 1, '>')))
			break;
		while ((lt = memchr(p + 1, '<', (size_t)(close - p - 1))))
			p = lt;
		at = memchr(p + 1, '@', (size_t)(close - p - 1));
		dot = at ? memmem(p + 1, (size_t)(at - p - 1), mark, sizeof(mark) - 1) : NULL;
		if (!at || !dot || dot > at || strncmp(p + 1, prefix, pl) || p[1 + pl] != '-' ||
		    (size_t)(dot - p - 1) >= sizeof(id) ||
		    !is_token(dot + sizeof(mark) - 1, (size_t)(at - dot - (sizeof(mark) - 1))))
			continue;
		memcpy(id, p + 1, (size_t)(dot - p - 1));
		id[dot - p - 1] = '\0';
		if (sd_id_parse(&n, prefix, id) < 0) {
			sd_error_clear();
			continue;
		}
		memcpy(token, dot + sizeof(mark) - 1, SD_MAIL_TOKEN_MAX - 1);
		token[SD_MAIL_TOKEN_MAX - 1] = '\0';
		found = n;
		if (!last)
			break;
	}
	return found;
}

/* A message that carries an approval token: r an APPROVE of the token's
 * ticket (the subject's: the first tag naming a ticket, else the first
 * tag; 0 when it has none), to be checked against the store.  References
 * name a thread's earlier messages too: a token there alone counts only
 * from an agent's address, so that a requester's reply in a thread that
 * once held an approval request is not taken for an approval. */
static int
approval_ref(struct sd_mail_route *r, const struct sd_mail *m, const struct sd_config *cfg,
    sd_mail_status_fn status, void *arg)
{
	const char *at = m->subject, *prefix = sd_config_prefix(cfg);
	long n, first = 0;
	int agent = 0;

	if ((r->ticket = id_token(m->in_reply_to, prefix, 0, r->token))) {
		r->action = SD_MAIL_APPROVE;
		return 1;
	}
	if (subject_token(m->subject, r->token)) {
		int tags = 0;
		long named = 0;

		while (!named && tags++ < TAGS_MAX && (n = next_tag(prefix, &at))) {
			if (!first)
				first = n;
			if (status(n, arg))
				named = n;
		}
		r->ticket = named ? named : first;
		r->action = SD_MAIL_APPROVE;
		return 1;
	}
	if (desk_address(cfg, m->from_addr, &agent) && agent &&
	    (r->ticket = id_token(m->references, prefix, 1, r->token))) {
		r->action = SD_MAIL_APPROVE;
		return 1;
	}
	r->ticket = 0;
	r->token[0] = '\0';
	return 0;
}

/* From one of the desk's own addresses: an agent's or a group's. */
static int
own_address(struct sd_mail_route *r, const struct sd_mail *m, const struct sd_config *cfg)
{
	int agent;
	const char *who = desk_address(cfg, m->from_addr, &agent);

	if (!who)
		return 0;
	ignore(r, "own-address", _("from %.*s, the desk's own address (%s in agents.ini)"),
	    sd_mail__shown(m->from_addr), m->from_addr, who);
	return 1;
}

void
sd_mail_route(struct sd_mail_route *r, const struct sd_mail *m,
    const struct sd_config *cfg, sd_mail_status_fn status, void *arg)
{
	const char *prefix = sd_config_prefix(cfg), *at = m->subject, *st;
	const char *const *kw;
	size_t nkw = sd_config_keywords(cfg, &kw);
	long n;
	int tags = 0;

	memset(r, 0, sizeof(*r));
	r->action = SD_MAIL_IGNORE;
	if (automatic(r, m))
		return;
	/* An approval reply, checked later; but not the desk's own mail
	 * coming back from a group's address. */
	if (approval_ref(r, m, cfg, status, arg)) {
		int agent;
		if (!desk_address(cfg, m->from_addr, &agent) || agent)
			return;
		memset(r, 0, sizeof(*r));
	}
	if (own_address(r, m, cfg)) {
		int agent = 0;
		/* An agent's fresh mail (no token) about a ticket awaiting
		 * approval: no answer to the request, but worth one. */
		if (desk_address(cfg, m->from_addr, &agent) && agent)
			while (tags++ < TAGS_MAX && (n = next_tag(prefix, &at)))
				if ((st = status(n, arg))) {
					if (!strcmp(st, "awaiting-approval"))
						r->ask_again = n;
					break;
				}
		return;
	}
	/* The first tag that names a ticket; the others are as no tag. */
	while (tags++ < TAGS_MAX && (n = next_tag(prefix, &at)))
		if ((st = status(n, arg))) {
			r->ticket = n;
			r->action = sd_status_final(st) ? SD_MAIL_RELATED : SD_MAIL_NOTE;
			return;
		}
	if (has_keyword(m->subject, kw, nkw))
		r->action = SD_MAIL_NEW;
	else if (nkw)
		ignore(r, "no-route", _("no ticket [%s-N] and no word of sd.ini [mail] keywords in the subject"),
		    prefix);
	else
		ignore(r, "no-route", _("no ticket [%s-N] in the subject, and sd.ini has no [mail] keywords"),
		    prefix);
}

/* The survey's answers, as a reply to a solved ticket gives them: the
 * first line of its text alone, folded as fold_rating does. */
static const struct {
	const char *words;
	int rating;
} rating_words[] = {
	{ "5", 5 }, { "4", 4 }, { "3", 3 }, { "2", 2 }, { "1", 1 },
	{ "excelente", 5 }, { "bueno", 4 }, { "regular", 3 }, { "malo", 2 }, { "muy malo", 1 },
	{ "excellent", 5 }, { "good", 4 }, { "fair", 3 }, { "poor", 2 }, { "very poor", 1 },
};

/* The first line of text that is not blank, case-folded, accents left
 * out, runs of blanks as one space, without blanks or punctuation at
 * either end ("¡Excelente!", "5."); g_malloc'd. */
static char *
fold_rating(const char *text)
{
	const char *s = text + strspn(text, " \t\r\n");
	char *line = g_strndup(s, strcspn(s, "\r\n")), *f = fold(line), *d;
	GString *out = g_string_new(NULL);

	g_free(line);
	d = f ? g_utf8_normalize(f, -1, G_NORMALIZE_DEFAULT) : NULL;
	g_free(f);
	for (const char *p = d; p && *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_ismark(c) || (!out->len && g_unichar_ispunct(c)))
			continue;
		if (g_unichar_isspace(c)) {
			if (out->len && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
			continue;
		}
		g_string_append_unichar(out, c);
	}
	g_free(d);
	while (out->len) {
		char *last = g_utf8_find_prev_char(out->str, out->str + out->len);
		gunichar c = g_utf8_get_char(last);

		if (c != ' ' && !g_unichar_ispunct(c))
			break;
		g_string_truncate(out, (gsize)(last - out->str));
	}
	return g_string_free(out, FALSE);
}

int
sd_mail_rating(const char *text)
{
	char *f = fold_rating(text ? text : "");
	int rating = 0;

	for (size_t i = 0; !rating && i < sizeof(rating_words) / sizeof(rating_words[0]); i++)
		if (!strcmp(f, rating_words[i].words))
			rating = rating_words[i].rating;
	g_free(f);
	return rating;
}

/* The words that answer an approval request, folded as word_at folds
 * them. */
static const struct {
	const char *word;
	enum sd_mail_action action;
} approval_words[] = {
	{ "aprobado", SD_MAIL_APPROVE }, { "apruebo", SD_MAIL_APPROVE }, { "si", SD_MAIL_APPROVE },
	{ "approved", SD_MAIL_APPROVE }, { "approve", SD_MAIL_APPROVE }, { "yes", SD_MAIL_APPROVE },
	{ "rechazado", SD_MAIL_DENY }, { "rechazo", SD_MAIL_DENY }, { "no", SD_MAIL_DENY },
	{ "denied", SD_MAIL_DENY }, { "deny", SD_MAIL_DENY },
};

/* Does c part words: a blank or punctuation? */
static int
between_words(gunichar c)
{
	return g_unichar_isspace(c) || g_unichar_ispunct(c);
}

enum sd_mail_action
sd_mail_approval_word(const char *text, const char **rest)
{
	const char *p = text ? text : "", *start, *end;
	enum sd_mail_action act = SD_MAIL_IGNORE;
	char *word, *f, *d;
	GString *plain;

	if (rest)
		*rest = p + strlen(p);
	if (!g_utf8_validate(p, -1, NULL))
		return SD_MAIL_IGNORE;
	/* The first line that is not blank, punctuation before the word
	 * ("¡Sí!", "*Aprobado*") left out. */
	p += strspn(p, " \t\r\n");
	while (*p && *p != '\n' && *p != '\r' && between_words(g_utf8_get_char(p)))
		p = g_utf8_next_char(p);
	start = p;
	/* A word: letters and digits, and the accents that follow them. */
	while (*p && !between_words(g_utf8_get_char(p)))
		p = g_utf8_next_char(p);
	end = p;
	/* Alone on its line, or set off from the rest of it by punctuation
	 * ("Aprobado, por un año.", "Denied: REASON"), not a question: not
	 * the first word of a sentence ("No problem, go ahead", "Si es
	 * necesario"). */
	p += strspn(p, " \t");
	if (*p && *p != '\n' && *p != '\r' &&
	    (!g_unichar_ispunct(g_utf8_get_char(p)) || *p == '?'))
		return SD_MAIL_IGNORE;
	while (*p && between_words(g_utf8_get_char(p)))
		p = g_utf8_next_char(p);
	word = g_strndup(start, (gsize)(end - start));
	f = fold(word);
	d = f ? g_utf8_normalize(f, -1, G_NORMALIZE_DEFAULT) : NULL;
	plain = g_string_new(NULL);
	for (const char *q = d; q && *q; q = g_utf8_next_char(q))
		if (!g_unichar_ismark(g_utf8_get_char(q)))
			g_string_append_unichar(plain, g_utf8_get_char(q));
	for (size_t i = 0; i < sizeof(approval_words) / sizeof(approval_words[0]); i++)
		if (!strcmp(plain->str, approval_words[i].word))
			act = approval_words[i].action;
	g_string_free(plain, TRUE);
	g_free(d);
	g_free(f);
	g_free(word);
	if (act != SD_MAIL_IGNORE && rest)
		*rest = p;
	return act;
}

/* Is addr one of the ", "-separated addresses of list, case ignored? */
static int
listed(const char *list, const char *addr)
{
	size_t n = strlen(addr);

	for (const char *p = list; p && *p; ) {
		size_t k = strcspn(p, ",");

		while (k > 0 && p[k - 1] == ' ')
			k--;
		if (k == n && n && !g_ascii_strncasecmp(p, addr, n))
			return 1;
		p += strcspn(p, ",");
		p += strspn(p, ", ");
	}
	return 0;
}

void
sd_mail_route_reply(struct sd_mail_route *r, const struct sd_mail *m,
    const struct sd_config *cfg, const char *status, const char *email, const char *cc)
{
	char id[SD_ID_MAX];

	if (r->action != SD_MAIL_NOTE && r->action != SD_MAIL_RELATED)
		return;
	/* A CC the ticket records: a note, never a rating or a reopening. */
	if ((!email || g_ascii_strcasecmp(email, m->from_addr)) && listed(cc, m->from_addr))
		return;
	if (!email || !*email || g_ascii_strcasecmp(email, m->from_addr)) {
		sd_id_format(id, sd_config_prefix(cfg), r->ticket);
		if (sd_config_mail_refuse_strangers(cfg)) {
			ignore(r, "stranger", _("from %.*s, neither the requester of %s nor a CC it records (sd.ini [mail] strangers = refuse)"),
			    sd_mail__shown(m->from_addr), m->from_addr, id);
		} else {
			r->action = SD_MAIL_NEW;
			r->ticket = 0;
		}
		return;
	}
	if (r->action == SD_MAIL_NOTE && status && !strcmp(status, "solved")) {
		r->rating = sd_mail_rating(m->text);
		r->action = r->rating ? SD_MAIL_CLOSE : SD_MAIL_REOPEN;
	}
}

struct store_status {
	struct sd_store *s;
	char status[SD_STATUS_MAX];
	char *email;            /* the requester's, of the last ticket read */
	char *cc;               /* the CCs its events record, ", "-separated */
	int rc;
	char message[512];      /* the first failure's */
};

/* The union of the `cc` of t's events, ", "-separated; malloc'd. */
static char *
ticket_cc(const struct sd_ticket *t)
{
	struct sd_buf b = SD_BUF_INIT;

	sd_buf__add(&b, "", 0);
	for (size_t i = 0, n = sd_ticket_event_count(t); i < n; i++) {
		const char *cc = sd_ticket_event_get(t, i, "cc");

		if (cc && *cc)
			sd_buf__printf(&b, "%s%s", b.len ? ", " : "", cc);
	}
	return sd_buf__check(&b) < 0 ? (sd_buf__free(&b), NULL) : sd_buf__detach(&b);
}

static const char *
store_status(long n, void *arg)
{
	struct store_status *a = arg;
	struct sd_ticket *t;
	const char *st;
	int rc;

	if ((rc = sd_store_load(a->s, &t, n)) < 0) {
		if (rc == SD_ENOTFOUND)
			sd_error_clear();
		else if (!a->rc) {
			a->rc = rc;
			snprintf(a->message, sizeof(a->message), "%s", sd_error_message());
		}
		return NULL;
	}
	snprintf(a->status, sizeof(a->status), "%s", sd_ticket_get(t, SD_F_STATUS));
	free(a->email);
	free(a->cc);
	st = sd_ticket_get(t, SD_F_REQUESTER_EMAIL);
	a->email = sd__strdup(st ? st : "");
	a->cc = ticket_cc(t);
	sd_ticket_free(t);
	return a->status;
}

/* The agents whose address is addr, case ignored: the first whose
 * token for role of id checks (1), else the first (0); NULL none. */
static int
approver_of(const struct sd_agent **out, struct sd_store *s, const char *addr,
    const char *token, const char *id, const char *role, long round)
{
	const struct sd_config *cfg = sd_store_config(s);
	int rc;

	*out = NULL;
	for (size_t i = 0; i < sd_config_agent_count(cfg); i++) {
		const struct sd_agent *a = sd_config_agent_at(cfg, i);

		if (!a->email || g_ascii_strcasecmp(a->email, addr))
			continue;
		if (!*out)
			*out = a;
		if (!*role)
			return 0;
		if ((rc = sd_mail_token_check(s, token, id, role, a->id, round)) != 0) {
			if (rc > 0)
				*out = a;
			return rc;
		}
	}
	return 0;
}

/* Why the token does not check for role of ticket id asked of who: one of
 * the ticket's later roles asked of who, or role asked of another agent
 * who approves it; else plainly not. */
static int
token_refused(struct sd_store *s, const char *token, const char *id, const char *approvals,
    const char *role, const struct sd_agent *who, long round)
{
	const struct sd_config *cfg = sd_store_config(s);
	char later[SD_MAIL_ROLE_MAX];
	int rc;

	for (const char *p = approvals + strcspn(approvals, " "); *p; ) {
		size_t k;

		p += strspn(p, " ");
		k = strcspn(p, " ");
		if (!k)
			break;
		snprintf(later, sizeof(later), "%.*s", (int)k, p);
		p += k;
		if ((rc = sd_mail_token_check(s, token, id, later, who->id, round)) < 0)
			return rc;
		if (rc)
			return sd_error_set(SD_EINVALID,
			    _("%s: the token is that of approval '%s', but '%s' comes first"), id, later, role);
	}
	for (size_t i = 0; i < sd_config_agent_count(cfg); i++) {
		const struct sd_agent *a = sd_config_agent_at(cfg, i);

		if (a == who)
			continue;
		if ((rc = sd_mail_token_check(s, token, id, role, a->id, round)) < 0)
			return rc;
		if (rc)
			return sd_error_set(SD_EINVALID,
			    _("%s: the token of approval '%s' was sent to %s, not to %s"), id, role,
			    a->id, who->id);
	}
	return sd_error_set(SD_EINVALID, _("%s: the token is not that of approval '%s' asked of %s"),
	    id, role, who->id);
}

int
sd_mail_approval(struct sd_mail_route *r, struct sd_store *s, const struct sd_mail *m)
{
	const struct sd_config *cfg = sd_store_config(s);
	const struct sd_agent *who;
	struct sd_ticket *t = NULL;
	char id[SD_ID_MAX];
	const char *approvals;
	enum sd_mail_action act;
	size_t k;
	int rc;

	if (r->action != SD_MAIL_APPROVE)
		return 0;
	if (!r->ticket)
		return sd_error_set(SD_EINVALID, _("an approval reply (ref %s) with no ticket [%s-N] in its subject"),
		    r->token, sd_config_prefix(cfg));
	sd_id_format(id, sd_config_prefix(cfg), r->ticket);
	if ((rc = approver_of(&who, s, m->from_addr, r->token, id, "", 0)) < 0)
		return rc;
	if (!who)
		return sd_error_set(SD_EINVALID,
		    _("%s: an approval reply from %.*s, which is no agent's address in agents.ini"), id,
		    sd_mail__shown(m->from_addr), m->from_addr);
	if ((rc = sd_store_load(s, &t, r->ticket)) < 0) {
		if (rc != SD_ENOTFOUND)
			return rc;
		sd_error_clear();
		return sd_error_set(SD_EINVALID, _("%s: an approval reply to no such ticket"), id);
	}
	approvals = sd_ticket_get(t, SD_F_APPROVALS);
	k = strcspn(approvals, " ");
	if (strcmp(sd_ticket_get(t, SD_F_STATUS), "awaiting-approval") || !k) {
		rc = sd_error_set(SD_EINVALID, _("%s: an approval reply to a ticket that is %s, not awaiting approval"),
		    id, sd_ticket_get(t, SD_F_STATUS));
		goto out;
	}
	if (k >= sizeof(r->role))
		k = sizeof(r->role) - 1;
	memcpy(r->role, approvals, k);
	r->role[k] = '\0';
	r->round = sd_mail_round(t);
	if ((rc = approver_of(&who, s, m->from_addr, r->token, id, r->role, r->round)) < 0)
		goto out;
	if (!rc) {
		rc = token_refused(s, r->token, id, approvals, r->role, who, r->round);
		goto out;
	}
	if ((act = sd_mail_approval_word(m->text, NULL)) == SD_MAIL_IGNORE) {
		rc = sd_error_set(SD_EINVALID,
		    _("%s: the approval reply neither approves nor denies '%s': its first word must be "
		    "approved or denied (aprobado, rechazado)"), id, r->role);
		goto out;
	}
	r->action = act;
	r->approver = who->id;
	rc = 0;
out:
	sd_ticket_free(t);
	return rc;
}

int
sd_mail_decide(struct sd_mail_route *r, struct sd_store *s, const struct sd_mail *m)
{
	struct store_status a = { s, "", NULL, NULL, 0, "" };
	int rc = 0;

	sd_mail_route(r, m, sd_store_config(s), store_status, &a);
	/* A ticket file that does not parse: said, not taken for no ticket. */
	if (a.rc) {
		rc = sd_error_set(a.rc, "%s", a.message);
	} else if (r->action == SD_MAIL_APPROVE) {
		rc = sd_mail_approval(r, s, m);
	} else if ((!a.email || !a.cc) && (r->action == SD_MAIL_NOTE || r->action == SD_MAIL_RELATED)) {
		rc = sd__oom();
	} else {
		sd_mail_route_reply(r, m, sd_store_config(s), a.status, a.email, a.cc);
	}
	free(a.email);
	free(a.cc);
	return rc;
}


/* The draft. */

/* The subject as a title: without reply and forward markers, and
 * without the tag of ticket tag (0: none), which `related` holds. */
static char *
mail_title(const struct sd_mail *m, const char *prefix, long tag)
{
	char *t = sd_mail_one_line(m->subject), *p, id[SD_ID_MAX + 2];
	size_t k, il;
	int fwd;

	if (!t)
		return NULL;
	if (tag) {
		id[0] = '[';
		sd_id_format(id + 1, prefix, tag);
		strcat(id, "]");
		il = strlen(id);
		for (p = t; *p; p++)
			if (!g_ascii_strncasecmp(p, id, il))
				memset(p, ' ', il);
		p = sd_mail_one_line(t);
		free(t);
		if (!(t = p))
			return NULL;
	}
	for (p = t; (k = sd_mail__marker(p, &fwd)); p += k)
		;
	memmove(t, p, strlen(p) + 1);
	if (!*t) {
		/* No subject: the text's first line, else say so. */
		const char *s = m->text + strspn(m->text, " \t\n");
		size_t n = strcspn(s, "\n");
		char *first = sd__strndup(s, n);

		free(t);
		if (!first)
			return NULL;
		t = sd_mail_one_line(first);
		free(first);
		if (t && !*t) {
			free(t);
			t = sd__strdup("(no subject)");
		}
		if (!t)
			return NULL;
	}
	k = sd_mail__cut(t, strlen(t), SD_MAIL_TITLE_MAX);
	while (k > 0 && t[k - 1] == ' ')
		k--;
	t[k] = '\0';
	return t;
}

/* The text: for a note, who sent it first; the message's text; the
 * attachments left out told at the end (left, lines).  The
 * message's text at most max bytes ([mail] max_text), and the whole at
 * most SD_MAIL_TEXT_MAX: a longer message is cut, and says so.  Its words are English whatever the user's
 * language: they go into the ticket file, which reads the same in every
 * language. */
static char *
mail_text(const struct sd_mail *m, int note, size_t max, const struct sd_buf *left)
{
	enum { LISTED = 100, NAME_MAX_ = 200, ADDR_MAX = 254 };
	struct sd_buf head = SD_BUF_INIT, tail = SD_BUF_INIT, b = SD_BUF_INIT;
	char cut[128];
	size_t tl = strlen(m->text), room;

	if (max > SD_MAIL_TEXT_MAX || max < 1024)
		max = SD_MAIL_TEXT_MAX;
	snprintf(cut, sizeof(cut), max % (1024 * 1024) == 0 ?
	    "[... the rest of the message is left out: sd keeps texts of up to %zu MiB]" :
	    max % 1024 == 0 ?
	    "[... the rest of the message is left out: sd keeps texts of up to %zu KiB]" :
	    "[... the rest of the message is left out: sd keeps texts of up to %zu bytes]",
	    max % (1024 * 1024) == 0 ? max >> 20 : max % 1024 == 0 ? max >> 10 : max);

	if (note) {
		int nl = (int)sd_mail__cut(m->from_name, strlen(m->from_name), NAME_MAX_);
		int al = (int)sd_mail__cut(m->from_addr, strlen(m->from_addr), ADDR_MAX);
		if (nl)
			sd_buf__printf(&head, "From: %.*s <%.*s>", nl, m->from_name, al, m->from_addr);
		else
			sd_buf__printf(&head, "From: %.*s", al, m->from_addr);
	}
	if (left->len) {
		sd_buf__adds(&tail, "Attachments left out:\n");
		sd_buf__add(&tail, left->data, left->len);
	}
	room = SD_MAIL_TEXT_MAX - head.len - tail.len - 4;
	if (room > max)
		room = max;
	sd_buf__add(&b, "", 0);
	sd_buf__add(&b, head.data ? head.data : "", head.len);
	if (tl) {
		if (b.len)
			sd_buf__adds(&b, "\n\n");
		if (tl > room) {
			sd_buf__add(&b, m->text, sd_mail__cut(m->text, tl, room - strlen(cut) - 1));
			sd_buf__printf(&b, "\n%s", cut);
		} else {
			sd_buf__add(&b, m->text, tl);
		}
	}
	if (tail.len) {
		if (b.len)
			sd_buf__adds(&b, "\n\n");
		sd_buf__add(&b, tail.data, tail.len);
	}
	if (head.failed || tail.failed)
		b.failed = 1;
	sd_buf__free(&head);
	sd_buf__free(&tail);
	return sd_buf__check(&b) < 0 ? (sd_buf__free(&b), NULL) : sd_buf__detach(&b);
}

/* The channel of tickets by mail must be one of the store's. */
static int
email_channel(const struct sd_config *cfg)
{
	if (sd_config_has_channel(cfg, "email"))
		return 0;
	return sd_error_set(SD_ECONFIG, "%s",
	    _("sd.ini: [lifecycle] channels lacks email, the channel of tickets by mail"));
}

/* An approval's comment (what follows the word; NULL: nothing) or a
 * denial's reason (what follows the word, else the whole text), without
 * the signature below a "-- " line, at most max bytes; *out malloc'd. */
static int
approval_text(char **out, const struct sd_mail *m, const struct sd_mail_route *r, size_t max)
{
	const char *rest = NULL, *t, *sig;
	char *text;
	size_t n;
	int rc = 0;

	*out = NULL;
	n = !strncmp(m->text, "-- \n", 4) ? 0 :
	    (sig = strstr(m->text, "\n-- \n")) ? (size_t)(sig - m->text) : strlen(m->text);
	if (!(text = sd__strndup(m->text, n)))
		return sd__oom();
	sd_mail_approval_word(text, &rest);
	t = rest && *rest ? rest : r->action == SD_MAIL_DENY ? text : "";
	n = strlen(t);
	while (n > 0 && sd_mail__is_space((unsigned char)t[n - 1]))
		n--;
	if (max > SD_MAIL_TEXT_MAX || max < 1024)
		max = SD_MAIL_TEXT_MAX;
	if (n > max)
		n = sd_mail__cut(t, n, max);
	if (n && !(*out = sd__strndup(t, n)))
		rc = sd__oom();
	free(text);
	return rc;
}

/* The addresses of Cc: a new ticket records: neither the desk's nor the
 * sender's, nor one sd would refuse as an email; ", "-separated,
 * malloc'd; NULL (and 0) when none. */
static int
mail_cc(char **out, const struct sd_mail *m, const struct sd_config *cfg)
{
	struct sd_buf b = SD_BUF_INIT;
	int agent;

	*out = NULL;
	for (size_t i = 0; i < m->ncc; i++) {
		if (!g_ascii_strcasecmp(m->cc[i], m->from_addr) ||
		    desk_address(cfg, m->cc[i], &agent))
			continue;
		if (sd_field_check(cfg, SD_F_REQUESTER_EMAIL, m->cc[i]) < 0 || strchr(m->cc[i], ',')) {
			sd_error_clear();
			continue;
		}
		sd_buf__printf(&b, "%s%s", b.len ? ", " : "", m->cc[i]);
	}
	if (!b.len)
		return 0;
	if (sd_buf__check(&b) < 0)
		return sd__oom();
	*out = sd_buf__detach(&b);
	return 0;
}

int
sd_mail_draft(struct sd_mail_draft *d, const struct sd_mail *m,
    const struct sd_mail_route *r, const struct sd_config *cfg)
{
	const char *who = *m->from_name ? m->from_name : m->from_addr;
	struct sd_buf left = SD_BUF_INIT;
	int rc;

	int on_ticket = r->action == SD_MAIL_NOTE || r->action == SD_MAIL_CLOSE ||
	    r->action == SD_MAIL_REOPEN;

	if (r->action == SD_MAIL_APPROVE || r->action == SD_MAIL_DENY) {
		memset(d, 0, sizeof(*d));
		return approval_text(&d->text, m, r, sd_config_mail_limits(cfg)->max_text);
	}

	memset(d, 0, sizeof(*d));
	if (!on_ticket && (rc = email_channel(cfg)) < 0)
		return rc;
	if (!(d->title = mail_title(m, sd_config_prefix(cfg),
	    r->action == SD_MAIL_IGNORE || r->action == SD_MAIL_NEW ? 0 : r->ticket)) ||
	    !(d->requester = sd__strndup(who, sd_mail__cut(who, strlen(who), SD_MAIL_TITLE_MAX))))
		goto oom;
	/* An address sd would refuse leaves the ticket without one: it waits
	 * in pending-info when the address is required. */
	if (sd_field_check(cfg, SD_F_REQUESTER_EMAIL, m->from_addr) == 0) {
		if (!(d->email = sd__strdup(m->from_addr)))
			goto oom;
	} else {
		sd_error_clear();
	}
	if ((rc = sd__mail_attach_pick(d, m, cfg, &left)) < 0)
		goto fail;
	if (!(d->text = mail_text(m, on_ticket, sd_config_mail_limits(cfg)->max_text, &left)))
		goto oom;
	if (!on_ticket && (rc = mail_cc(&d->cc, m, cfg)) < 0) {
		sd_mail_draft_free(d);
		return rc;
	}
	d->message_id = m->message_id;
	if (!*d->text && !on_ticket) {
		free(d->text);
		d->text = NULL;
	}
	sd_buf__free(&left);
	return 0;
oom:
	rc = sd__oom();
fail:
	sd_buf__free(&left);
	sd_mail_draft_free(d);
	return rc;
}

void
sd_mail_draft_free(struct sd_mail_draft *d)
{
	free(d->title);
	free(d->requester);
	free(d->email);
	free(d->text);
	free(d->cc);
	for (size_t i = 0; d->names && d->names[i]; i++)
		free(d->names[i]);
	free(d->names);
	free(d->files);
	memset(d, 0, sizeof(*d));
}

/* The hourly limit of notes by mail. */

int
sd_mail_rate_check(const struct sd_ticket *t, const char *agent, int limit, time_t now,
    const struct sd_zone *zone)
{
	long count = 0;

	if (limit <= 0)
		return 0;
	for (size_t i = 0, n = sd_ticket_event_count(t); i < n; i++) {
		const char *action = sd_ticket_event_get(t, i, "action");
		const char *by = sd_ticket_event_get(t, i, "by");
		const char *text = sd_ticket_event_get(t, i, "text");
		const char *at = sd_ticket_event_get(t, i, "at");
		time_t when;

		if (action && !strcmp(action, "note") && by && !strcmp(by, agent) &&
		    text && !strncmp(text, "From: ", 6) && at &&
		    sd_time_parse(&when, zone, at) == 0 && when > now - 3600)
			count++;
	}
	sd_error_clear();
	if (count < limit)
		return 0;
	return sd_error_set(SD_EBUSY,
	    _("%ld notes by mail in the last hour, the limit of [mail] notes_per_hour: try again later"),
	    count);
}

struct rate {
	const char *agent;
	int limit;
	time_t now;
	const struct sd_zone *zone;
};

static int
rate_check(const struct sd_ticket *t, void *arg)
{
	const struct rate *r = arg;

	return sd_mail_rate_check(t, r->agent, r->limit, r->now, r->zone);
}

/* The approval round the token was checked for is still the ticket's. */
static int
round_check(const struct sd_ticket *t, void *arg)
{
	const struct sd_mail_route *r = arg;

	if (sd_mail_round(t) != r->round)
		return sd_error_set(SD_EINVALID, "%s", _("the approval asked in that mail is no "
		    "longer asked (another round began)"));
	return 0;
}

/* Has ticket n become final since the route was taken? */
static int
became_final(struct sd_store *s, long n)
{
	struct sd_ticket *t;
	int final;

	if (sd_store_load(s, &t, n) < 0)
		return 0;
	final = sd_status_final(sd_ticket_get(t, SD_F_STATUS));
	sd_ticket_free(t);
	return final;
}

/* sd_mail_apply with the attachments and text for an action on a
 * ticket (files, nfiles, text: sd__mail_attach_fit's). */
static int
apply(struct sd_store *s, const struct sd_agent *agent, struct sd_mail_route *r,
    const struct sd_mail_draft *d, const char *type, char id[SD_ID_MAX],
    struct sd_attach_file *files, size_t nfiles, const char *text)
{
	const struct sd_config *cfg = sd_store_config(s);
	const char *prefix = sd_config_prefix(cfg);
	struct sd_new_params p = { 0 };
	char related[SD_ID_MAX];
	int rc;

	id[0] = '\0';
	if (r->action == SD_MAIL_IGNORE)
		return 0;
	if (r->action == SD_MAIL_APPROVE || r->action == SD_MAIL_DENY) {
		/* As sd-approve [--deny] does, as the approver. */
		struct sd_act a = { .action = r->action == SD_MAIL_APPROVE ? "approve" : "deny",
			.text = d->text, .role = r->role, .check = round_check, .check_arg = r };
		char status[SD_STATUS_MAX];

		if ((rc = sd_desk_act(s, sd_config_agent(cfg, r->approver), r->ticket, &a, status)) == 0)
			sd_id_format(id, prefix, r->ticket);
		return rc;
	}
	if (r->action == SD_MAIL_CLOSE || r->action == SD_MAIL_REOPEN) {
		/* As sd-close --rating and sd-reopen do, as the mail agent. */
		struct sd_act a = { .action = r->action == SD_MAIL_CLOSE ? "close" : "reopen",
			.text = text, .rating = r->action == SD_MAIL_CLOSE ? r->rating : 0,
			.files = files, .nfiles = nfiles };
		char status[SD_STATUS_MAX];

		if ((rc = sd_desk_act(s, agent, r->ticket, &a, status)) == 0) {
			sd_id_format(id, prefix, r->ticket);
			return 0;
		}
		if (rc != SD_EINVALID)
			return rc;
		/* No longer solved: closed meanwhile, or reopened. */
		sd_error_clear();
		r->action = became_final(s, r->ticket) ? SD_MAIL_RELATED : SD_MAIL_NOTE;
		r->rating = 0;
	}
	if (r->action == SD_MAIL_NOTE) {
		struct rate rate = { agent ? agent->id : "", sd_config_mail_limits(cfg)->notes_per_hour,
			sd_store_now(s), sd_config_zone(cfg) };
		struct sd_act a = { .action = "note", .text = text, .check = rate_check,
			.check_arg = &rate, .files = files, .nfiles = nfiles };
		char status[SD_STATUS_MAX];

		if ((rc = sd_desk_act(s, agent, r->ticket, &a, status)) == 0) {
			sd_id_format(id, prefix, r->ticket);
			return 0;
		}
		if (rc != SD_EINVALID || !became_final(s, r->ticket))
			return rc;
		sd_error_clear();
		r->action = SD_MAIL_RELATED;
	}
	if ((rc = email_channel(cfg)) < 0)
		return rc;
	p.type = type;
	p.title = d->title;
	p.requester = d->requester;
	p.channel = "email";
	p.email = d->email;
	p.description = d->text;
	p.cc = d->cc;
	p.files = d->files;
	p.nfiles = d->nfiles;
	p.message_id = d->message_id;
	if (r->action == SD_MAIL_RELATED) {
		sd_id_format(related, prefix, r->ticket);
		p.related = related;
	}
	return sd_desk_new(s, agent, &p, id);
}

int
sd_mail_apply(struct sd_store *s, const struct sd_agent *agent,
    struct sd_mail_route *r, const struct sd_mail_draft *d, const char *type,
    char id[SD_ID_MAX])
{
	struct sd_attach_file *files = NULL;
	size_t nfiles = 0;
	char *text = NULL;
	int rc;

	/* On a ticket: the attachments its own leave room for. */
	if ((r->action == SD_MAIL_NOTE || r->action == SD_MAIL_CLOSE ||
	    r->action == SD_MAIL_REOPEN) &&
	    (rc = sd__mail_attach_fit(s, r->ticket, d, &files, &nfiles, &text)) < 0)
		return rc;
	rc = apply(s, agent, r, d, type, id, files, nfiles, text ? text : d->text);
	free(files);
	free(text);
	return rc;
}

