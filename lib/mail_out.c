/*
 * Which change mails whom: after an action is committed, the mail of its
 * kind to the requester (or, for an approval, to the approvers of the
 * role next), built from the ticket as committed and its template,
 * threaded on the ticket's root id, queued and sent; the reminder before
 * a pending-info ticket goes unmanaged, once; the reply to a stranger
 * whose mail is refused.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_internal.h"
#include "sd/desk.h"
#include "sd/mail.h"
#include "sd/mail_out.h"
#include "sd/paths.h"
#include "sd/words.h"

#define REMINDED_FILE ".git/sd-mail-reminded"

static void
var(struct sd_mail_vars *v, const char *name, const char *value)
{
	if (v->n < SD_ARRAY_SIZE(v->v)) {
		v->v[v->n].name = name;
		v->v[v->n++].value = value;
	}
}

/* One mail: kind's template filled with v, to to, with its ids. */
struct one {
	const char *kind;
	struct sd_mail_rcpt to;
	const char *message_id;
	const char *in_reply_to;        /* NULL: none */
	const char *references[2];
	size_t nreferences;
	const char *must;               /* what the subject must hold, added if not */
	const char *must2;
	int *queued;                    /* NULL, or set when queued (or none due) */
};

static int
send_one(struct sd_store *s, const struct one *o, const struct sd_mail_vars *v,
    const char *id)
{
	const struct sd_config *cfg = sd_store_config(s);
	struct sd_mail_letter l = { 0 };
	struct sd_buf subj = SD_BUF_INIT;
	char *subject = NULL, *body = NULL, *msg = NULL, tag[SD_ID_MAX + 3];
	int rc;

	if ((rc = sd_mail_template(&subject, &body, sd_mail_template_dir(), sd_config_language(cfg),
	    o->kind, v)) != 0) {
		if (rc > 0 && o->queued)
			*o->queued = 1;         /* no template: no mail due */
		return rc < 0 ? rc : 0;
	}
	/* "[PREFIX-N]" always, and the approval's token, whatever the
	 * template says. */
	snprintf(tag, sizeof(tag), "[%s]", id);
	if (!strstr(subject, tag))
		sd_buf__printf(&subj, "%s ", tag);
	sd_buf__adds(&subj, subject);
	if (o->must && !strstr(subject, o->must))
		sd_buf__printf(&subj, " %s", o->must);
	if ((rc = sd_buf__check(&subj)) < 0)
		goto out;
	l.from.name = sd_config_mail_name(cfg);
	l.from.addr = sd_config_mail_address(cfg);
	l.to = &o->to;
	l.nto = 1;
	l.subject = subj.data;
	l.body = body;
	l.message_id = o->message_id;
	l.in_reply_to = o->in_reply_to;
	l.references = o->references;
	l.nreferences = o->nreferences;
	l.date = s->now;
	l.zone = sd_config_zone(cfg);
	/* sd_mail_post, saying whether it was queued: sent or not, the
	 * queue has it then. */
	if ((rc = sd_mail_compose(&msg, &l)) == 0) {
		char name[SD_MAIL_MSGID_MAX];

		if ((rc = sd_mail_queue(s, o->message_id, msg, name)) >= 0) {
			if (o->queued)
				*o->queued = 1;
			rc = sd_mail_send_queued(s, name);
			rc = rc < 0 ? rc : 0;
		}
	}
out:
	free(msg);
	free(subject);
	free(body);
	sd_buf__free(&subj);
	return rc;
}

const char *
sd_mail_template_dir(void)
{
	static char dir[4096];

	snprintf(dir, sizeof(dir), "%s/templates", sd_path(SD_PATH_SHARE));
	return dir;
}

/* The requester's Message-ID of the mail that made the ticket, if its
 * first event records one. */
static const char *
their_id(const struct sd_ticket *t)
{
	const char *m = sd_ticket_event_count(t) ? sd_ticket_event_get(t, 0, "message_id") : NULL;

	return m && sd__msgid_ok(m) ? m : NULL;
}

/* o in the ticket's thread: a reply to its root, after the requester's
 * own message when the ticket came by mail. */
static void
thread(struct one *o, const struct sd_ticket *t, const char *root)
{
	o->in_reply_to = root;
	if (their_id(t))
		o->references[o->nreferences++] = their_id(t);
	o->references[o->nreferences++] = root;
}

/* The kind of mail an event of action sends, or NULL. */
static const char *
kind_of(const char *action, const char *from, const char *to)
{
	static const struct { const char *action, *kind; } kinds[] = {
		{ "reply", "reply" }, { "solve", "solve" }, { "reopen", "reopen" },
		{ "close", "close" }, { "auto-close", "close" }, { "reject", "reject" },
		{ "deny", "reject" }, { "unmanaged", "unmanaged" },
	};

	if (!strcmp(action, "new"))
		return to && !strcmp(to, "pending-info") ? "pending-info" : "new";
	if (!strcmp(action, "update"))
		return to && !strcmp(to, "pending-info") && (!from || strcmp(from, "pending-info")) ?
		    "pending-info" : NULL;
	for (size_t i = 0; i < SD_ARRAY_SIZE(kinds); i++)
		if (!strcmp(kinds[i].action, action))
			return kinds[i].kind;
	return NULL;
}

/* The placeholders every mail of t has. */
static void
common_vars(struct sd_mail_vars *v, const struct sd_config *cfg, const struct sd_ticket *t,
    const char *id)
{
	const char *label;

	var(v, "desk", sd_config_mail_name(cfg));
	var(v, "id", id);
	var(v, "title", sd_ticket_get(t, SD_F_TITLE));
	var(v, "requester", sd_ticket_get(t, SD_F_REQUESTER));
	var(v, "status", sd_ticket_get(t, SD_F_STATUS));
	var(v, "solution", sd_ticket_text(t, SD_TEXT_SOLUTION));
	var(v, "description", sd_ticket_text(t, SD_TEXT_DESCRIPTION));
	var(v, "rating_question", sd_mail_rating_question(sd_config_language(cfg)));
	var(v, "rating", sd_ticket_get(t, SD_F_RATING));
	var(v, "reason", sd_words_reason_in(sd_ticket_get(t, SD_F_CLOSE_REASON),
	    sd_config_language(cfg)));
	label = sd_words_code_label(cfg, sd_ticket_get(t, SD_F_RESOLUTION));
	var(v, "resolution", label ? label : "");
}

/* The approval request of t's next role to each of its approvers. */
static int
approvals(struct sd_store *s, const struct sd_ticket *t, const char *id, size_t event,
    void (*warn)(const char *msg, void *arg), void *arg)
{
	const struct sd_config *cfg = sd_store_config(s);
	const char *all = sd_ticket_get(t, SD_F_APPROVALS), *domain;
	char role[128], root[SD_MAIL_MSGID_MAX];
	size_t n = strcspn(all, " ");
	int rc = 0;

	(void)event;
	if (!n || n >= sizeof(role))
		return 0;
	memcpy(role, all, n);
	role[n] = '\0';
	domain = strchr(sd_config_mail_address(cfg), '@') + 1;
	sd_mail_root_id(root, id, domain);
	for (size_t i = 0; i < sd_config_agent_count(cfg); i++) {
		const struct sd_agent *a = sd_config_agent_at(cfg, i);
		char token[SD_MAIL_TOKEN_MAX], msgid[SD_MAIL_MSGID_MAX], ref[SD_MAIL_TOKEN_MAX + 8];
		struct sd_mail_vars v = { .n = 0 };
		struct one o = { .kind = "approval" };
		int has = 0, r;

		for (size_t k = 0; k < a->napproves; k++)
			has = has || !strcmp(a->approves[k], role);
		if (!has || !a->email || !*a->email)
			continue;
		if ((r = sd_mail_token(token, s, id, role, a->id, sd_mail_round(t))) < 0) {
			warn(sd_error_message(), arg);
			rc = r;
			continue;
		}
		sd_mail_approval_id(msgid, id, token, domain);
		snprintf(ref, sizeof(ref), "(ref %s)", token);
		common_vars(&v, cfg, t, id);
		var(&v, "role", role);
		var(&v, "approver", a->name && *a->name ? a->name : a->id);
		var(&v, "token", token);
		var(&v, "agent", a->id);
		o.to.name = a->name;
		o.to.addr = a->email;
		o.message_id = msgid;
		o.in_reply_to = root;
		o.references[0] = root;
		o.nreferences = 1;
		o.must = ref;
		if ((r = send_one(s, &o, &v, id)) < 0) {
			warn(sd_error_message(), arg);
			rc = r;
		}
	}
	return rc;
}

/* Queue the request of role's approval of ticket n in round: an entry
 * (SD_MAIL_ASKS/N.ROUND.ROLE) that holds no token, for whoever can read
 * the secret to compose (sd_mail_asks). */
static int
ask_queue(struct sd_store *s, long n, long round, const char *role)
{
	struct sd_buf rel = SD_BUF_INIT;
	struct stat st;
	char *path = NULL;
	int rc, held = s->locked;

	if (!*role || strchr(role, '/') || strlen(role) > 128)
		return 0;
	sd_buf__printf(&rel, "%s/%ld.%ld.%s", SD_MAIL_ASKS, n, round, role);
	if ((rc = sd_buf__check(&rel)) < 0)
		return rc;
	if ((rc = sd_store_lock(s)) < 0)
		goto out;
	if (!(path = sd__path(sd_store_root(s), rel.data)))
		rc = sd__oom();
	else if (lstat(path, &st) < 0)
		rc = sd__store_write(s, rel.data, "", 0, 0600);
	if (!held)
		sd_store_unlock(s);
out:
	free(path);
	sd_buf__free(&rel);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Compose and send the request of entry name (N.ROUND.ROLE), unless the
 * ticket has moved on: 0 when the entry is done with (the mail queued;
 * *sent < 0, warned, when it was not sent), < 0 when the ticket could
 * not be read. */
static int
ask_one(struct sd_store *s, const char *name, int *sent,
    void (*warn)(const char *msg, void *arg), void *arg)
{
	struct sd_ticket *t = NULL;
	char id[SD_ID_MAX], *end;
	const char *all, *role;
	long n, round;
	int rc;

	n = strtol(name, &end, 10);
	if (n < 1 || *end != '.')
		return 0;
	round = strtol(end + 1, &end, 10);
	if (*end != '.')
		return 0;
	role = end + 1;
	if ((rc = sd_store_load(s, &t, n)) < 0) {
		if (rc != SD_ENOTFOUND)
			return rc;
		sd_error_clear();
		return 0;
	}
	all = sd_ticket_get(t, SD_F_APPROVALS);
	/* Asked already, or no longer: given, denied, another round. */
	if (!strcmp(sd_ticket_get(t, SD_F_STATUS), "awaiting-approval") &&
	    sd_mail_round(t) == round && strcspn(all, " ") == strlen(role) &&
	    !strncmp(all, role, strlen(role))) {
		sd_id_format(id, sd_config_prefix(sd_store_config(s)), n);
		if ((rc = approvals(s, t, id, 0, warn, arg)) < 0)
			*sent = rc;
	}
	sd_ticket_free(t);
	return 0;
}

int
sd_mail_asks(struct sd_store *s, int create, void (*warn)(const char *msg, void *arg),
    void *arg)
{
	struct sd_buf dir = SD_BUF_INIT;
	char **v = NULL;
	size_t nv = 0, cap = 0;
	struct dirent *e;
	DIR *d;
	int rc = 0, r, sent = 0;

	if (!sd_config_mail_address(sd_store_config(s)))
		return 0;
	/* The secret another user's (the mail gateway's): its to send. */
	if ((rc = sd_mail_secret_usable(s, create)) <= 0)
		return rc;
	sd_buf__printf(&dir, "%s/%s", sd_store_root(s), SD_MAIL_ASKS);
	if ((rc = sd_buf__check(&dir)) < 0)
		return rc;
	if (!(d = opendir(dir.data))) {
		rc = errno == ENOENT ? 0 : sd_error_set(SD_EIO, "%s: %s", dir.data, strerror(errno));
		if (rc < 0)
			warn(sd_error_message(), arg);
		sd_buf__free(&dir);
		return rc;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (nv == cap) {
			char **nw = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof(*nw));
			if (!nw) {
				rc = sd__oom();
				break;
			}
			v = nw;
		}
		if (!(v[nv] = sd__strdup(e->d_name))) {
			rc = sd__oom();
			break;
		}
		nv++;
	}
	closedir(d);
	if (nv)
		qsort(v, nv, sizeof(*v), by_name);
	/* Each entry once: removed when its mail is queued (sent or not:
	 * the outbox keeps it), kept when the ticket could not be read. */
	for (size_t i = 0; rc == 0 && i < nv; i++) {
		struct sd_buf rel = SD_BUF_INIT;
		int held = s->locked;

		if ((r = ask_one(s, v[i], &sent, warn, arg)) == 0) {
			sd_buf__printf(&rel, "%s/%s", SD_MAIL_ASKS, v[i]);
			if ((r = sd_buf__check(&rel)) == 0 && (r = sd_store_lock(s)) == 0) {
				r = sd__store_remove(s, rel.data, 0);
				if (!held)
					sd_store_unlock(s);
			}
			sd_buf__free(&rel);
		}
		if (r < 0 && r != SD_ENOTFOUND) {
			warn(sd_error_message(), arg);
			rc = r;
		}
	}
	if (rc == 0)
		rc = sent;
	for (size_t i = 0; i < nv; i++)
		free(v[i]);
	free(v);
	sd_buf__free(&dir);
	return rc;
}

int
sd_mail_after(struct sd_store *s, const char *action, long n,
    void (*warn)(const char *msg, void *arg), void *arg)
{
	const struct sd_config *cfg = sd_store_config(s);
	const char *lang = sd_config_language(cfg), *kind, *email, *from, *to, *at, *text;
	char id[SD_ID_MAX], root[SD_MAIL_MSGID_MAX], msgid[SD_MAIL_MSGID_MAX];
	char window[64], end[128], missing[512];
	struct sd_mail_vars v = { .n = 0 };
	struct sd_ticket *t = NULL;
	struct one o = { 0 };
	size_t e;
	int rc = 0, r;

	if (!sd_config_mail_address(cfg) || !strcmp(action, "note"))
		return 0;
	if ((rc = sd_store_load(s, &t, n)) < 0) {
		warn(sd_error_message(), arg);
		return rc;
	}
	sd_id_format(id, sd_config_prefix(cfg), n);
	if (!(e = sd_ticket_event_count(t)))
		goto out;
	e--;
	/* The ticket as committed: its last event is this action's. */
	if (strcmp(sd_ticket_event_get(t, e, "action") ? sd_ticket_event_get(t, e, "action") : "",
	    action))
		goto out;
	from = sd_ticket_event_get(t, e, "from");
	to = sd_ticket_event_get(t, e, "to");
	at = sd_ticket_event_get(t, e, "at");
	text = sd_ticket_event_get(t, e, "text");
	sd_mail_root_id(root, id, strchr(sd_config_mail_address(cfg), '@') + 1);
	email = sd_ticket_get(t, SD_F_REQUESTER_EMAIL);
	if ((kind = kind_of(action, from, to)) && *email) {
		common_vars(&v, cfg, t, id);
		/* sd-close --auto's text is its reason, said once. */
		if (text && !strcmp(action, "auto-close"))
			text = "";
		var(&v, "text", text ? text : "");
		if (!strcmp(kind, "solve") || !strcmp(kind, "pending-info") ||
		    !strcmp(kind, "unmanaged")) {
			const struct sd_duration *w = !strcmp(kind, "solve") ?
			    sd_config_accept_window(cfg) : sd_config_info_window(cfg);
			time_t when = 0;
			const char *start = !strcmp(kind, "solve") ? at :
			    sd_ticket_get(t, SD_F_CREATED);

			sd_mail_window_words(window, sizeof(window), w, lang);
			end[0] = '\0';
			if (start && sd_desk_window_end(&when, cfg, start, w) == 0)
				sd_mail_date_words(end, sizeof(end), when, sd_config_zone(cfg), lang);
			var(&v, "window", window);
			var(&v, "window_end", end);
		}
		if (!strcmp(kind, "pending-info")) {
			const char *m = "";
			sd_desk_missing(t, cfg, &m);
			sd_mail_missing_words(missing, sizeof(missing), m, lang);
			var(&v, "missing", missing);
		}
		o.kind = kind;
		o.to.name = sd_ticket_get(t, SD_F_REQUESTER);
		o.to.addr = email;
		if (!strcmp(action, "new")) {
			/* The registration mail is the thread's root. */
			o.message_id = root;
			if (their_id(t)) {
				o.in_reply_to = their_id(t);
				o.references[o.nreferences++] = their_id(t);
			}
		} else {
			sd_mail_event_id(msgid, id, e + 1, kind, email,
			    strchr(sd_config_mail_address(cfg), '@') + 1);
			o.message_id = msgid;
			thread(&o, t, root);
		}
		if ((r = send_one(s, &o, &v, id)) < 0) {
			warn(sd_error_message(), arg);
			rc = r;
		}
	}
	/* An approval asked: entering awaiting-approval, or one approval of
	 * several given. */
	if (!strcmp(sd_ticket_get(t, SD_F_STATUS), "awaiting-approval") &&
	    (!strcmp(action, "new") || !strcmp(action, "approve") ||
	    (!strcmp(action, "update") && (!from || strcmp(from, "awaiting-approval"))))) {
		/* Queued, then composed by whoever can read the secret: this
		 * process, unless the secret is the mail gateway's (or, in a
		 * shared store, there is none yet: the gateway's to make). */
		const char *all = sd_ticket_get(t, SD_F_APPROVALS);
		char role[130];

		snprintf(role, sizeof(role), "%.*s", (int)strcspn(all, " "), all);
		if ((r = ask_queue(s, n, sd_mail_round(t), role)) < 0) {
			warn(sd_error_message(), arg);
			rc = r;
		} else if ((r = sd_mail_asks(s, !s->shared, warn, arg)) < 0) {
			rc = r;
		}
	}
out:
	sd_ticket_free(t);
	return rc;
}

int
sd_mail_refused(struct sd_store *s, long n, const char *name, const char *addr,
    const char *their_message_id, const char *subject)
{
	const struct sd_config *cfg = sd_store_config(s);
	char id[SD_ID_MAX], root[SD_MAIL_MSGID_MAX], msgid[SD_MAIL_MSGID_MAX];
	struct sd_mail_vars v = { .n = 0 };
	struct sd_ticket *t = NULL;
	struct one o = { .kind = "refused" };
	const char *domain;
	char key[1024];
	int rc;

	if (!sd_config_mail_address(cfg) || !addr || !*addr)
		return 0;
	if ((rc = sd_store_load(s, &t, n)) < 0)
		return rc;
	domain = strchr(sd_config_mail_address(cfg), '@') + 1;
	sd_id_format(id, sd_config_prefix(cfg), n);
	sd_mail_root_id(root, id, domain);
	snprintf(key, sizeof(key), "%s %s", addr, their_message_id ? their_message_id : "");
	sd_mail_event_id(msgid, id, 0, "refused", key, domain);
	var(&v, "desk", sd_config_mail_name(cfg));
	var(&v, "id", id);
	var(&v, "title", subject ? subject : "");
	var(&v, "requester", name && *name ? name : addr);
	o.to.name = name;
	o.to.addr = addr;
	o.message_id = msgid;
	if (their_message_id && *their_message_id) {
		o.in_reply_to = their_message_id;
		o.references[o.nreferences++] = their_message_id;
	}
	rc = send_one(s, &o, &v, id);
	sd_ticket_free(t);
	return rc;
}

/* --- the reminder, once ----------------------------------------------------- */

struct remind {
	struct sd_store *s;
	char *told;             /* REMINDED_FILE's text: one id a line */
	struct sd_buf add;      /* the ids reminded now */
	void (*warn)(const char *msg, void *arg);
	void *arg;
	int rc;
};

static int
told(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = list; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t k = nl ? (size_t)(nl - p) : strlen(p);
		if (k == n && !memcmp(p, id, n))
			return 1;
		p += k + (nl != NULL);
	}
	return 0;
}

/* The instant the reminder of a ticket created at created, becoming
 * unmanaged at at, is due. */
static int
remind_at(time_t *out, const struct sd_config *cfg, const char *created, time_t at)
{
	struct sd_duration buf, d = *sd_config_info_window(cfg);
	const struct sd_duration *b = sd_config_remind_before(cfg, &buf);

	if (b->unit == SD_DUR_WALL) {
		*out = at - (time_t)b->amount;
		return 0;
	}
	/* Business time before a window of the same kind: the window less it. */
	if (b->unit != d.unit || b->amount >= d.amount) {
		*out = at;
		return 0;
	}
	d.amount -= b->amount;
	return sd_desk_window_end(out, cfg, created, &d);
}

static int
remind_one(const struct sd_ticket *t, struct remind *rm)
{
	struct sd_store *s = rm->s;
	const struct sd_config *cfg = sd_store_config(s);
	const char *lang = sd_config_language(cfg), *email, *m = "";
	char id[SD_ID_MAX], root[SD_MAIL_MSGID_MAX], msgid[SD_MAIL_MSGID_MAX];
	char window[64], end[128], missing[512];
	struct sd_mail_vars v = { .n = 0 };
	struct one o = { .kind = "reminder" };
	time_t at, when;
	int r, queued = 0;

	if (strcmp(sd_ticket_get(t, SD_F_STATUS), "pending-info") ||
	    !*(email = sd_ticket_get(t, SD_F_REQUESTER_EMAIL)) ||
	    sd_desk_unmanaged_at(&at, cfg, t) != 0 ||
	    remind_at(&when, cfg, sd_ticket_get(t, SD_F_CREATED), at) < 0 ||
	    s->now < when || s->now >= at)
		return 0;
	snprintf(id, sizeof(id), "%s", sd_ticket_get(t, SD_F_ID));
	if (told(rm->told, id))
		return 0;
	sd_mail_root_id(root, id, strchr(sd_config_mail_address(cfg), '@') + 1);
	sd_mail_event_id(msgid, id, 0, "reminder", email,
	    strchr(sd_config_mail_address(cfg), '@') + 1);
	common_vars(&v, cfg, t, id);
	sd_mail_window_words(window, sizeof(window), sd_config_info_window(cfg), lang);
	sd_mail_date_words(end, sizeof(end), at, sd_config_zone(cfg), lang);
	sd_desk_missing(t, cfg, &m);
	sd_mail_missing_words(missing, sizeof(missing), m, lang);
	var(&v, "window", window);
	var(&v, "window_end", end);
	var(&v, "missing", missing);
	o.to.name = sd_ticket_get(t, SD_F_REQUESTER);
	o.to.addr = email;
	o.message_id = msgid;
	thread(&o, t, root);
	/* Told once it is queued: the queue sends it, now or later; not
	 * queued (the lock busy, the disk), the next run tries again. */
	o.queued = &queued;
	if ((r = send_one(s, &o, &v, id)) < 0) {
		rm->warn(sd_error_message(), rm->arg);
		rm->rc = r;
	}
	if (queued)
		sd_buf__printf(&rm->add, "%s\n", id);
	return 0;
}

static int
remind_file(const char *path, long n, const char *data, size_t len, void *arg)
{
	struct sd_ticket *t = NULL;
	char status[32];
	int rc;

	(void)n;
	/* A file that does not parse is sd-fsck's to tell. */
	if (!data || (sd_ticket_peek_status(data, len, status) == 1 &&
	    strcmp(status, "pending-info")) ||
	    sd_ticket_parse(&t, data, len, path, SD_PARSE_FULL) < 0)
		return 0;
	rc = remind_one(t, arg);
	sd_ticket_free(t);
	return rc;
}

int
sd_mail_remind(struct sd_store *s, void (*warn)(const char *msg, void *arg), void *arg)
{
	struct remind rm = { .s = s, .warn = warn, .arg = arg };
	size_t len = 0;
	int rc;

	if (!sd_config_mail_address(sd_store_config(s)))
		return 0;
	if ((rc = sd__root_read(sd_store_root(s), REMINDED_FILE, &rm.told, &len)) < 0) {
		if (rc != SD_ENOTFOUND)
			return rc;
		rm.told = NULL;
	}
	if ((rc = sd_store_each(s, remind_file, &rm)) < 0)
		goto out;
	if (rm.add.len) {
		struct sd_buf all = SD_BUF_INIT;
		char *now_told = NULL;
		size_t now_len = 0;

		int held = s->locked;

		if ((rc = sd_store_lock(s)) < 0)
			goto out;
		/* Read again under the lock: another run may have added.  Only
		 * the ids of tickets still pending-info matter; the file is as
		 * small as the desk's pending-info tickets a run reminds. */
		if (sd__root_read(sd_store_root(s), REMINDED_FILE, &now_told, &now_len) == 0)
			sd_buf__add(&all, now_told, now_len);
		free(now_told);
		sd_buf__add(&all, rm.add.data, rm.add.len);
		if ((rc = sd_buf__check(&all)) == 0)
			rc = sd__store_write(s, REMINDED_FILE, all.data, all.len, 0600);
		sd_buf__free(&all);
		if (!held)
			sd_store_unlock(s);
	}
out:
	free(rm.told);
	sd_buf__free(&rm.add);
	return rc < 0 ? rc : rm.rc;
}
