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
	struct sd_buf *later;           /* NULL: sent now; else queued alone, the
	                                 * name added (NUL-ended), sent by the caller */
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
			if (o->later) {
				sd_buf__add(o->later, name, strlen(name) + 1);
				rc = sd_buf__check(o->later);
			} else {
				rc = sd_mail_send_queued(s, name);
				rc = rc < 0 ? rc : 0;
			}
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

/* The mails event e (its action) of t, ticket n, calls for.  later:
 * NULL, each mail queued and sent; else queued alone, its name added
 * there (NUL-ended), and an approval asked only queued (SD_MAIL_ASKS),
 * for the caller to send outside the store's lock. */
static int
mail_event(struct sd_store *s, const struct sd_ticket *t, long n, size_t e, const char *action,
    struct sd_buf *later, void (*warn)(const char *msg, void *arg), void *arg)
{
	const struct sd_config *cfg = sd_store_config(s);
	const char *lang = sd_config_language(cfg), *kind, *email, *from, *to, *at, *text;
	char id[SD_ID_MAX], root[SD_MAIL_MSGID_MAX], msgid[SD_MAIL_MSGID_MAX];
	char window[64], end[128], missing[512];
	struct sd_mail_vars v = { .n = 0 };
	struct one o = { .later = later };
	int rc = 0, r;

	sd_id_format(id, sd_config_prefix(cfg), n);
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
		} else if (!later && (r = sd_mail_asks(s, !s->shared, warn, arg)) < 0) {
			rc = r;
		}
	}
	return rc;
}

int
sd_mail_after(struct sd_store *s, const char *action, long n,
    void (*warn)(const char *msg, void *arg), void *arg)
{
	struct sd_ticket *t = NULL;
	const char *last;
	size_t e;
	int rc = 0;

	if (!sd_config_mail_address(sd_store_config(s)) || !strcmp(action, "note"))
		return 0;
	if ((rc = sd_store_load(s, &t, n)) < 0) {
		warn(sd_error_message(), arg);
		return rc;
	}
	/* The ticket as committed: its last event is this action's. */
	if ((e = sd_ticket_event_count(t)) && (last = sd_ticket_event_get(t, e - 1, "action")) &&
	    !strcmp(last, action))
		rc = mail_event(s, t, n, e - 1, action, NULL, warn, arg);
	sd_ticket_free(t);
	return rc;
}

/* --- the catch-up: every commit's mails queued, once ------------------------ */

/* The most commits one catch-up replays: a mark further back than that
 * (or not on the branch: its history rewritten) is moved to HEAD. */
#define CATCH_UP_MAX 1000

/* A ticket file of a tree, parsed; *t NULL when the tree has none at
 * path. */
static int
tree_ticket(struct sd_store *s, git_tree *tree, const char *path, struct sd_ticket **t)
{
	git_tree_entry *te = NULL;
	git_blob *b = NULL;
	int rc = 0;

	*t = NULL;
	if (!tree || git_tree_entry_bypath(&te, tree, path) < 0) {
		git_error_clear();
		return 0;
	}
	if (git_blob_lookup(&b, s->repo, git_tree_entry_id(te)) < 0)
		rc = sd__git_error(path);
	else
		rc = sd_ticket_parse(t, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), path,
		    SD_PARSE_FULL);
	git_blob_free(b);
	git_tree_entry_free(te);
	return rc;
}

/* The mails of commit c's new events (each ticket file it adds or
 * changes: the events past its parent's), queued, their names in later.
 * < 0 when one could not be queued for a reason that may pass (the
 * disk, the lock); a mail that cannot be made (a template, an address)
 * is warned of and left. */
static int
replay_commit(struct sd_store *s, git_commit *c, struct sd_buf *later,
    void (*warn)(const char *msg, void *arg), void *arg)
{
	const char *prefix = sd_config_prefix(sd_store_config(s));
	git_tree *old = NULL, *new = NULL;
	git_commit *parent = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec = "tickets/";
	int rc = 0;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.pathspec.strings = &spec;
	opts.pathspec.count = 1;
	if (git_commit_tree(&new, c) < 0 ||
	    (git_commit_parentcount(c) && (git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&old, parent) < 0)) ||
	    git_diff_tree_to_tree(&diff, s->repo, old, new, &opts) < 0) {
		rc = sd__git_error("mail catch-up");
		goto out;
	}
	for (size_t i = 0; rc == 0 && i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		struct sd_ticket *was = NULL, *t = NULL;
		size_t from, to;
		long n;

		if ((d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED) ||
		    sd__layout_ticket_path(d->new_file.path, prefix, &n) < 0) {
			sd_error_clear();
			continue;
		}
		/* A file that does not parse is sd-fsck's to tell. */
		if (tree_ticket(s, new, d->new_file.path, &t) < 0 || !t ||
		    tree_ticket(s, old, d->new_file.path, &was) < 0) {
			sd_error_clear();
			sd_ticket_free(t);
			continue;
		}
		from = was ? sd_ticket_event_count(was) : 0;
		to = sd_ticket_event_count(t);
		for (size_t e = from; e < to; e++) {
			const char *action = sd_ticket_event_get(t, e, "action");
			int r;

			if (!action || !strcmp(action, "note"))
				continue;
			r = mail_event(s, t, n, e, action, later, warn, arg);
			if (r == SD_EIO || r == SD_EBUSY)
				rc = r;
		}
		sd_ticket_free(was);
		sd_ticket_free(t);
	}
out:
	git_diff_free(diff);
	git_tree_free(old);
	git_tree_free(new);
	git_commit_free(parent);
	return rc;
}

/* The mark removed: without [mail] address nothing is mailed, and the
 * commits made meanwhile are never mailed once it is set again. */
static void
unmark(struct sd_store *s)
{
	struct stat st;
	char *path = sd__path(sd_store_root(s), SD_MAIL_MARK);

	if (path && lstat(path, &st) == 0 && sd_store_lock(s) == 0) {
		sd__store_remove(s, SD_MAIL_MARK, 0);
		sd_store_unlock(s);
	}
	sd_error_clear();
	free(path);
}

static int
mark_read(struct sd_store *s, git_oid *out)
{
	char *text = NULL;
	int rc = sd__store_read(s, SD_MAIL_MARK, &text, NULL);

	if (rc == 0 && (strlen(text) < GIT_OID_HEXSZ || git_oid_fromstrn(out, text, GIT_OID_HEXSZ) < 0))
		rc = sd_error_set(SD_EINVALID, _("%s: not a commit id"), SD_MAIL_MARK);
	free(text);
	return rc;
}

static int
mark_write(struct sd_store *s, const git_oid *oid)
{
	char hex[GIT_OID_HEXSZ + 2];

	git_oid_tostr(hex, sizeof(hex), oid);
	strcat(hex, "\n");
	return sd__store_write(s, SD_MAIL_MARK, hex, strlen(hex), 0644);
}

int
sd_mail_catch_up(struct sd_store *s, const char *action, long n,
    void (*warn)(const char *msg, void *arg), void *arg)
{
	struct sd_buf later = SD_BUF_INIT;
	git_commit *v[CATCH_UP_MAX];
	size_t nv = 0;
	git_oid head, mark, done;
	int rc, r, held = s->locked, marked;

	if (!sd_config_mail_address(sd_store_config(s))) {
		unmark(s);
		return 0;
	}
	if ((rc = sd_store_lock(s)) < 0) {
		warn(sd_error_message(), arg);
		return rc;
	}
	if ((rc = sd__head(s, &head)) < 0) {
		/* No commit yet: nothing to mail. */
		sd_error_clear();
		rc = 0;
		goto unlock;
	}
	done = head;
	if ((marked = mark_read(s, &mark)) == SD_ENOTFOUND) {
		/* No mark: the change's own mail, never the past. */
		sd_error_clear();
		if (action && (r = sd_mail_after(s, action, n, warn, arg)) < 0)
			rc = r;
	} else if (marked < 0) {
		/* A mark spoiled by hand: set again, as if there were none. */
		warn(sd_error_message(), arg);
	} else {
		git_oid at = head;
		int found = 0;

		while (nv < CATCH_UP_MAX) {
			git_commit *c = NULL;
			if (git_oid_equal(&at, &mark)) {
				found = 1;
				break;
			}
			if (git_commit_lookup(&c, s->repo, &at) < 0)
				break;
			v[nv++] = c;
			if (!git_commit_parentcount(c))
				break;
			at = *git_commit_parent_id(c, 0);
		}
		git_error_clear();
		/* Oldest first; the mark moves past each commit whose mails
		 * are all queued, and stops at the first that could not be. */
		for (size_t i = nv; found && i-- > 0;) {
			if ((r = replay_commit(s, v[i], &later, warn, arg)) < 0) {
				rc = r;
				if (i + 1 < nv)
					done = *git_commit_id(v[i + 1]);
				else
					done = mark;
				break;
			}
		}
		if (!found)
			warn(_("mail: the commits since .git/sd-mailed are not on the branch "
			    "or too many; their mails are not sent"), arg);
	}
	if (marked != 0 || !git_oid_equal(&done, &mark))
		if ((r = mark_write(s, &done)) < 0) {
			warn(sd_error_message(), arg);
			rc = r;
		}
unlock:
	if (!held)
		sd_store_unlock(s);
	for (size_t i = 0; i < nv; i++)
		git_commit_free(v[i]);
	/* Sent outside the lock: sendmail may take its time. */
	for (size_t i = 0; i < later.len; i += strlen(later.data + i) + 1)
		if ((r = sd_mail_send_queued(s, later.data + i)) < 0) {
			warn(sd_error_message(), arg);
			rc = r;
		}
	/* The approvals asked meanwhile: composed and sent. */
	if ((r = sd_mail_asks(s, !s->shared, warn, arg)) < 0)
		rc = r;
	sd_buf__free(&later);
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

int
sd_mail_approval_again(struct sd_store *s, long n, const char *addr,
    const char *their_message_id)
{
	const struct sd_config *cfg = sd_store_config(s);
	char id[SD_ID_MAX], root[SD_MAIL_MSGID_MAX], msgid[SD_MAIL_MSGID_MAX], role[130];
	char token[SD_MAIL_TOKEN_MAX], ref[SD_MAIL_TOKEN_MAX + 8], key[1024];
	const struct sd_agent *a = NULL;
	struct sd_mail_vars v = { .n = 0 };
	struct sd_ticket *t = NULL;
	struct one o = { .kind = "approval-again" };
	const char *all, *domain;
	int rc, has = 0;

	if (!sd_config_mail_address(cfg) || !addr || !*addr)
		return 0;
	if ((rc = sd_store_load(s, &t, n)) < 0)
		return rc;
	all = sd_ticket_get(t, SD_F_APPROVALS);
	snprintf(role, sizeof(role), "%.*s", (int)strcspn(all, " "), all);
	if (strcmp(sd_ticket_get(t, SD_F_STATUS), "awaiting-approval") || !*role)
		goto out;
	/* The agent of that address, who is asked the next role. */
	for (size_t i = 0; !has && i < sd_config_agent_count(cfg); i++) {
		a = sd_config_agent_at(cfg, i);
		if (!a->email || strcasecmp(a->email, addr))
			continue;
		for (size_t k = 0; k < a->napproves; k++)
			has = has || !strcmp(a->approves[k], role);
	}
	if (!has)
		goto out;
	if ((rc = sd_mail_token(token, s, sd_ticket_get(t, SD_F_ID), role, a->id,
	    sd_mail_round(t))) < 0)
		goto out;
	domain = strchr(sd_config_mail_address(cfg), '@') + 1;
	sd_id_format(id, sd_config_prefix(cfg), n);
	sd_mail_root_id(root, id, domain);
	/* Once per message of theirs: the same mail delivered twice is
	 * answered once. */
	snprintf(key, sizeof(key), "%s %s", addr, their_message_id ? their_message_id : "");
	sd_mail_event_id(msgid, id, 0, "approval-again", key, domain);
	snprintf(ref, sizeof(ref), "(ref %s)", token);
	common_vars(&v, cfg, t, id);
	var(&v, "role", role);
	var(&v, "approver", a->name && *a->name ? a->name : a->id);
	var(&v, "token", token);
	var(&v, "agent", a->id);
	o.to.name = a->name;
	o.to.addr = a->email;
	o.message_id = msgid;
	if (their_message_id && *their_message_id && sd__msgid_ok(their_message_id)) {
		o.in_reply_to = their_message_id;
		o.references[o.nreferences++] = their_message_id;
	} else {
		o.in_reply_to = root;
	}
	o.references[o.nreferences++] = root;
	o.must = ref;
	if ((rc = send_one(s, &o, &v, id)) == 0)
		rc = 1;
out:
	sd_ticket_free(t);
	return rc;
}

/* --- the reminder, once ----------------------------------------------------- */

struct remind {
	struct sd_store *s;
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

/* The reminders told (REMINDED_FILE, one id a line) in *out, "" when
 * none; read under the store's lock. */
static int
reminded(struct sd_store *s, char **out)
{
	int rc = sd__root_read(sd_store_root(s), REMINDED_FILE, out, NULL);

	if (rc == SD_ENOTFOUND) {
		sd_error_clear();
		*out = sd__strdup("");
		rc = *out ? 0 : sd__oom();
	}
	return rc;
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
	struct sd_buf later = SD_BUF_INIT, all = SD_BUF_INIT;
	char *list = NULL;
	time_t at, when;
	int r, queued = 0, held = s->locked;

	if (strcmp(sd_ticket_get(t, SD_F_STATUS), "pending-info") ||
	    !*(email = sd_ticket_get(t, SD_F_REQUESTER_EMAIL)) ||
	    sd_desk_unmanaged_at(&at, cfg, t) != 0 ||
	    remind_at(&when, cfg, sd_ticket_get(t, SD_F_CREATED), at) < 0 ||
	    s->now < when || s->now >= at)
		return 0;
	snprintf(id, sizeof(id), "%s", sd_ticket_get(t, SD_F_ID));
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
	o.queued = &queued;
	o.later = &later;
	/* Claimed under the store's lock: the told ids read again (another
	 * run may have claimed it), the mail queued and the claim written
	 * before the lock is let go, so that a run beside this one sees it;
	 * not queued (the disk, the lock), not claimed: the next run tries
	 * again.  A crash between the two leaves it queued, never twice (its
	 * Message-ID is queued or sent once).  Sent outside the lock. */
	if ((r = sd_store_lock(s)) < 0)
		goto fail;
	if ((r = reminded(s, &list)) == 0 && !told(list, id)) {
		if ((r = send_one(s, &o, &v, id)) == 0 && queued) {
			sd_buf__adds(&all, list);
			sd_buf__printf(&all, "%s\n", id);
			if ((r = sd_buf__check(&all)) == 0)
				r = sd__store_write(s, REMINDED_FILE, all.data, all.len, 0600);
		}
	}
	if (!held)
		sd_store_unlock(s);
	free(list);
	sd_buf__free(&all);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < later.len; i += strlen(later.data + i) + 1)
		if ((r = sd_mail_send_queued(s, later.data + i)) < 0)
			goto fail;
	sd_buf__free(&later);
	return 0;
fail:
	rm->warn(sd_error_message(), rm->arg);
	rm->rc = r;
	sd_buf__free(&later);
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
	int rc;

	if (!sd_config_mail_address(sd_store_config(s)))
		return 0;
	rc = sd_store_each(s, remind_file, &rm);
	return rc < 0 ? rc : rm.rc;
}
