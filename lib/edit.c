/* sd-edit's change: a file edited from what is on disk, checked against
 * HEAD's version and committed over a hand change (SPEC section 11). */
#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "store_internal.h"
#include "sd/edit.h"
#include "sd/id.h"
#include "sd/sla.h"
#include "sd/time.h"
#include "step.h"

/* HEAD's entry for rel, a file; SD_ENOTFOUND when HEAD has none. */
static int
head_entry(git_tree_entry **out, git_tree **tree, struct sd_store *s, long n,
    const char *rel)
{
	git_commit *c = NULL;
	git_oid head;
	int rc;

	*out = NULL;
	*tree = NULL;
	if ((rc = sd__head(s, &head)) < 0)
		return rc;
	if (git_commit_lookup(&c, s->repo, &head) < 0 || git_commit_tree(tree, c) < 0) {
		git_commit_free(c);
		return sd__git_error("HEAD");
	}
	git_commit_free(c);
	if (git_tree_entry_bypath(out, *tree, rel) == 0 &&
	    git_tree_entry_type(*out) == GIT_OBJECT_BLOB &&
	    git_tree_entry_filemode(*out) != GIT_FILEMODE_LINK)
		return 0;
	git_tree_entry_free(*out);
	*out = NULL;
	if (n) {
		char id[SD_ID_MAX];
		sd_id_format(id, sd_config_prefix(sd_store_config(s)), n);
		return sd_error_set(SD_ENOTFOUND, _("%s: no such ticket"), id);
	}
	return sd_error_set(SD_ENOTFOUND, _("%s: not in HEAD"), rel);
}

/* A text of rel as a C string: no NUL byte in it. */
static int
text_of(char **out, const char *rel, const char *data, size_t len)
{
	if (memchr(data, '\0', len))
		return sd_error_set(SD_EINVALID, _("%s: holds a NUL byte"), rel);
	return (*out = sd__strndup(data, len)) ? 0 : sd__oom();
}

/* rel on disk, or NULL when it is not there. */
static int
disk_text(char **out, struct sd_store *s, const char *rel)
{
	char *data = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = sd__store_read(s, rel, &data, &len)) == SD_ENOTFOUND) {
		sd_error_clear();
		rc = 0;
	} else if (rc == 0) {
		rc = text_of(out, rel, data, len);
	}
	free(data);
	return rc;
}

int
sd_edit_texts(struct sd_store *s, long n, const char *rel, char **head, char **disk)
{
	git_tree_entry *e = NULL;
	git_tree *tree = NULL;
	git_blob *blob = NULL;
	int rc;

	*head = *disk = NULL;
	if ((rc = head_entry(&e, &tree, s, n, rel)) < 0)
		goto out;
	if (git_blob_lookup(&blob, s->repo, git_tree_entry_id(e)) < 0) {
		rc = sd__git_error(rel);
		goto out;
	}
	if ((rc = text_of(head, rel, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob))) < 0 || (rc = disk_text(disk, s, rel)) < 0) {
		free(*head);
		*head = NULL;
	}
out:
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return rc;
}

/* The line of key in [section] of text, a draft of a ticket or an INI
 * file; with key NULL, that of the [section] line.  0 when not there. */
static long
draft_line(const char *text, const char *section, const char *key)
{
	size_t sl = strlen(section), kl = key ? strlen(key) : 0;
	long line = 0;
	int in = 0;

	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n'), *q = p, *r;
		size_t len = end ? (size_t)(end - p) : strlen(p);

		line++;
		while (q < p + len && (*q == ' ' || *q == '\t'))
			q++;
		if (q < p + len && *q == '[') {
			r = memchr(q, ']', len - (size_t)(q - p));
			in = r && (size_t)(r - q - 1) == sl && !strncmp(q + 1, section, sl);
			if (in && !key)
				return line;
		} else if (in && key && len - (size_t)(q - p) > kl && !strncmp(q, key, kl)) {
			for (r = q + kl; *r == ' ' || *r == '\t'; r++)
				;
			if (*r == '=' || *r == ':')
				return line;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

/* The error rc of the draft of rel, the message set, as `rel: draft line
 * N: what`: N is line when it is not 0, else the line a parser named
 * (`...rel:N: what`, a path that ends in rel); else rc as it is. */
static int
draft_error(int rc, const char *rel, long line)
{
	char msg[1024];
	const char *what, *p;
	size_t rl = strlen(rel);
	char *end;

	snprintf(msg, sizeof(msg), "%s", sd_error_message());
	what = msg;
	if (!line)
		for (p = strstr(msg, rel); p; p = strstr(p + 1, rel)) {
			if ((p != msg && p[-1] != '/') || p[rl] != ':' ||
			    !isdigit((unsigned char)p[rl + 1]))
				continue;
			line = strtol(p + rl + 1, &end, 10);
			if (*end != ':') {
				line = 0;
				continue;
			}
			for (what = end + 1; *what == ' '; what++)
				;
			break;
		}
	if (!line)
		return rc;
	return sd_error_set(rc, _("%s: draft line %ld: %s"), rel, line, what);
}

/* The line of the draft text that the first problem sd_ticket_check finds
 * in t comes from: that of the first field that fails, or of the [event
 * N] it names; 0 when not known.  The message stays the check's. */
static long
problem_line(const struct sd_ticket *t, const struct sd_config *cfg, const char *text)
{
	char msg[1024], section[32];
	size_t i;
	int len = 0;

	snprintf(msg, sizeof(msg), "%s", sd_error_message());
	for (int f = 0; f < SD_F__COUNT; f++)
		if (sd_field_check(cfg, f, sd_ticket_get(t, f)) < 0) {
			sd_error_set(SD_EINVALID, "%s", msg);
			return draft_line(text, "ticket", sd_field_name(f));
		}
	sd_error_set(SD_EINVALID, "%s", msg);
	if (sscanf(msg, "[event %zu]%n", &i, &len) == 1 && len > 0) {
		snprintf(section, sizeof(section), "event %zu", i);
		return draft_line(text, section, NULL);
	}
	return 0;
}

int
sd_edit_check(struct sd_store *s, const struct sd_agent *agent, long n,
    const char *rel, const char *head, const char *text)
{
	struct sd_ticket *old = NULL, *t = NULL;
	/* HEAD's own problems are not the draft's. */
	int draft = text != head && strcmp(text, head);
	int rc;

	if (!n) {
		if (!agent->coordinator)
			return sd_error_set(SD_EPERM, _("%s: only coordinators edit %s"), agent->id, rel);
		rc = sd_config_check_file(sd_store_config(s), sd_store_root(s), rel, text);
		return rc < 0 && draft ? draft_error(rc, rel, 0) : rc;
	}
	if ((rc = sd_ticket_parse(&old, head, strlen(head), rel, SD_PARSE_FULL)) < 0)
		return rc;
	if (sd_status_final(sd_ticket_get(old, SD_F_STATUS))) {
		rc = sd_error_set(SD_EINVALID, _("%s: the ticket is %s; nothing changes it"),
		    sd_ticket_get(old, SD_F_ID), sd_ticket_get(old, SD_F_STATUS));
		goto out;
	}
	if ((rc = sd_ticket_parse(&t, text, strlen(text), rel, SD_PARSE_FULL)) < 0) {
		if (draft)
			rc = draft_error(rc, rel, 0);
		goto out;
	}
	if (strcmp(sd_ticket_get(t, SD_F_ID), sd_ticket_get(old, SD_F_ID))) {
		long line = draft_line(text, "ticket", "id");
		rc = line ? sd_error_set(SD_EINVALID, _("%s: draft line %ld: %s"), rel, line,
		    _("the id cannot change")) :
		    sd_error_set(SD_EINVALID, _("%s: the id cannot change"), rel);
		goto out;
	}
	if (strcmp(sd_ticket_get(t, SD_F_STATUS), sd_ticket_get(old, SD_F_STATUS))) {
		long line = draft_line(text, "ticket", "status");
		rc = line ? sd_error_set(SD_EINVALID, _("%s: draft line %ld: %s"), rel, line,
		    _("the status changes only through the commands (sd(7))")) :
		    sd_error_set(SD_EINVALID,
		    _("%s: the status changes only through the commands (sd(7))"), rel);
		goto out;
	}
	if ((rc = sd_ticket_check(t, sd_store_config(s))) < 0) {
		long line = draft ? problem_line(t, sd_store_config(s), text) : 0;
		if (line)
			rc = draft_error(rc, rel, line);
		else
			rc = sd_error_set(rc, "%s: %s", rel, sd_error_message());
	}
out:
	sd_ticket_free(old);
	sd_ticket_free(t);
	return rc;
}

/* The fields of after that differ from before, space-separated in b. */
static int
changed_fields(struct sd_buf *b, const struct sd_ticket *after, const struct sd_ticket *before)
{
	for (int f = 0; f < SD_F__COUNT; f++)
		if (strcmp(sd_ticket_get(before, f), sd_ticket_get(after, f)))
			sd_buf__printf(b, "%s%s", b->len ? " " : "", sd_field_name(f));
	return sd_buf__check(b);
}

/* Whether after, the ticket an edit makes of before, is before but for
 * its updated time and the edit's own event: every other field, the
 * texts and before's events the same.  (A due date written by hand that
 * the clock gives back, a blank moved: an edit of nothing.) */
static int
same_ticket(const struct sd_ticket *after, const struct sd_ticket *before)
{
	size_t n = sd_ticket_event_count(before);

	for (int f = 0; f < SD_F__COUNT; f++)
		if (f != SD_F_UPDATED && strcmp(sd_ticket_get(before, f), sd_ticket_get(after, f)))
			return 0;
	for (int i = 0; i < 2; i++)
		if (strcmp(sd_ticket_text(before, i), sd_ticket_text(after, i)))
			return 0;
	if (sd_ticket_event_count(after) != n + 1)
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t keys = sd_ticket_event_keys(before, i);
		if (sd_ticket_event_keys(after, i) != keys)
			return 0;
		for (size_t k = 0; k < keys; k++)
			if (strcmp(sd_ticket_event_key(before, i, k), sd_ticket_event_key(after, i, k)) ||
			    strcmp(sd_ticket_event_value(before, i, k), sd_ticket_event_value(after, i, k)))
				return 0;
	}
	return 1;
}

/* The change of ticket n's file rel from head to text, as the action edit
 * (lib/step.c): its event with the fields changed, the priority from the
 * matrix, updated now, due dates recomputed, held to the action table.
 * 1, and no change, when the ticket comes out as it was (same_ticket). */
static int
change_ticket(struct sd_change *c, struct sd_store *s, const struct sd_agent *agent,
    const char *rel, const char *head, const char *text)
{
	struct sd_ticket *before = NULL, *t = NULL;
	struct sd_buf changed = SD_BUF_INIT;
	struct sd__step st = { 0 };
	char now_s[SD_TIME_MAX];
	int rc;

	sd_time_format(now_s, sd_config_zone(sd_store_config(s)), sd_store_now(s));
	if ((rc = sd_ticket_parse(&before, head, strlen(head), rel, SD_PARSE_FULL)) < 0 ||
	    (rc = sd_ticket_parse(&t, text, strlen(text), rel, SD_PARSE_FULL)) < 0 ||
	    (rc = sd__step_begin_from(&st, sd_store_config(s), agent, "edit", before, t,
	    now_s)) < 0 ||
	    (rc = sd__step_priority(&st)) < 0 ||
	    (rc = changed_fields(&changed, t, before)) < 0 ||
	    (changed.len && (rc = sd__step_event(&st, "changed", changed.data)) < 0) ||
	    (rc = sd__step_finish(&st, sd_ticket_get(before, SD_F_STATUS))) < 0) {
		rc = sd_error_set(rc, "%s: %s", rel, sd_error_message());
		goto out;
	}
	if (same_ticket(t, before)) {
		rc = 1;
		goto out;
	}
	if ((rc = sd_change_subject(c, "%s: edit %s", sd_ticket_get(t, SD_F_ID),
	    changed.len ? changed.data : "texts")) < 0)
		goto out;
	rc = sd_change_ticket(c, t);
out:
	sd__step_free(&st);
	sd_buf__free(&changed);
	sd_ticket_free(before);
	sd_ticket_free(t);
	return rc;
}

struct redo {
	struct sd_change *c;
	const struct sd_config *cfg;
	const struct sd_agent *agent;
	char now[SD_TIME_MAX];
	size_t count;
};

/* A ticket whose due dates the edited configuration moves: rewritten
 * into the change by the action repair, as sd-fsck --repair does. */
static int
redo_ticket(const char *rel, const char *data, size_t len, const char *key, const char *was,
    const char *clock, void *arg)
{
	struct redo *r = arg;
	struct sd_ticket *t = NULL;
	struct sd__step st = { 0 };
	int rc;

	(void)key, (void)was, (void)clock;
	if ((rc = sd_ticket_parse(&t, data, len, rel, SD_PARSE_FULL)) < 0 ||
	    (rc = sd__step_begin(&st, r->cfg, r->agent, "repair", t, r->now, 0)) < 0 ||
	    (rc = sd__step_event(&st, "text", "due dates recomputed")) < 0 ||
	    (rc = sd__step_finish(&st, sd_ticket_get(t, SD_F_STATUS))) < 0 ||
	    (rc = sd_change_ticket(r->c, t)) < 0)
		rc = sd_error_set(rc, "%s: %s", rel, sd_error_message());
	else
		r->count++;
	sd__step_free(&st);
	sd_ticket_free(t);
	return rc;
}

/* A configuration edit (calendars, stops, targets): every ticket whose due dates
 * the clock gives otherwise under the edited configuration is rewritten
 * in the same change, so that no due date goes stale until sd-fsck
 * --repair.  Every ticket of HEAD is read for it. */
static int
redo_due_dates(struct sd_change *c, struct sd_store *s, const struct sd_agent *agent,
    const char *rel, const char *text, size_t *count)
{
	const char *texts[4] = { NULL, NULL, NULL, NULL };
	git_blob *blobs[4] = { NULL, NULL, NULL, NULL };
	char *copies[4] = { NULL, NULL, NULL, NULL };
	struct sd_config *cfg = NULL;
	git_commit *head = NULL;
	git_tree *tree = NULL;
	struct redo r = { 0 };
	git_oid id;
	int rc = 0;

	*count = 0;
	/* Any of the four: agents.ini and escalation.ini pick the groups'
	 * calendars. */
	for (int f = 0; f < 4 && strcmp(rel, sd_config_files[f]); f++)
		if (f == 3)
			return 0;
	if ((rc = sd__head(s, &id)) < 0)
		return rc;
	if (git_commit_lookup(&head, s->repo, &id) < 0 || git_commit_tree(&tree, head) < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	for (int f = 0; f < 4 && rc == 0; f++) {
		const git_tree_entry *e = git_tree_entry_byname(tree, sd_config_files[f]);
		if (!strcmp(sd_config_files[f], rel)) {
			texts[f] = text;
		} else if (!e || git_blob_lookup(&blobs[f], s->repo, git_tree_entry_id(e)) < 0) {
			rc = sd__git_error(sd_config_files[f]);
		} else if (!(copies[f] = sd__strndup(git_blob_rawcontent(blobs[f]),
		    (size_t)git_blob_rawsize(blobs[f])))) {
			rc = sd__oom();
		} else {
			texts[f] = copies[f];
		}
	}
	if (rc < 0 || (rc = sd_config_parse(&cfg, texts, sd_config_files)) < 0)
		goto out;
	r.c = c;
	r.cfg = cfg;
	r.agent = agent;
	sd_time_format(r.now, sd_config_zone(cfg), sd_store_now(s));
	rc = sd__due_stale(s->repo, tree, cfg, redo_ticket, &r);
	*count = r.count;
out:
	for (int f = 0; f < 4; f++) {
		free(copies[f]);
		git_blob_free(blobs[f]);
	}
	sd_config_free(cfg);
	git_tree_free(tree);
	git_commit_free(head);
	return rc;
}

int
sd_edit_commit(struct sd_store *s, const struct sd_agent *agent, long n,
    const char *rel, const char *disk, const char *text)
{
	char *head = NULL, *now = NULL;
	struct sd_change *c = NULL;
	int rc;

	if ((rc = sd_store_lock(s)) < 0)
		return rc;
	/* HEAD and the file as they are now, HEAD having perhaps moved. */
	if ((rc = sd_edit_texts(s, n, rel, &head, &now)) < 0)
		goto out;
	if (!disk != !now || (disk && strcmp(disk, now))) {
		rc = sd_error_set(SD_EBUSY, _("%s changed while you edited it; edit it again"), rel);
		goto out;
	}
	if (!strcmp(text, head))
		goto same;
	/* Checked again under the lock: the configuration may have moved. */
	if ((rc = sd_edit_check(s, agent, n, rel, head, text)) < 0 ||
	    (rc = sd_change_new(&c, "edit")) < 0)
		goto out;
	if (n) {
		rc = change_ticket(c, s, agent, rel, head, text);
	} else {
		size_t redone = 0;
		if ((rc = sd_change_file(c, rel, text, strlen(text))) == 0 &&
		    (rc = redo_due_dates(c, s, agent, rel, text, &redone)) == 0)
			rc = redone ? sd_change_subject(c, "%s: edit; due dates of %zu ticket%s", rel,
			    redone, redone == 1 ? "" : "s") : sd_change_subject(c, "%s: edit", rel);
	}
	if (rc == 1)
		goto same;
	if (rc < 0)
		goto out;
	/* The one change that may keep a hand change: it was checked. */
	sd_change_over_hand_edits(c);
	rc = sd_store_commit(s, c, agent);
	goto out;
same:
	/* No change: a hand change the editor undid goes too. */
	rc = 0;
	if (!now || strcmp(now, head)) {
		git_tree_entry *e = NULL;
		git_tree *tree = NULL;
		if ((rc = head_entry(&e, &tree, s, n, rel)) == 0)
			rc = sd__write_blob(s, rel, git_tree_entry_id(e), git_tree_entry_filemode(e));
		git_tree_entry_free(e);
		git_tree_free(tree);
	}
	rc = rc < 0 ? rc : 1;
out:
	sd_store_unlock(s);
	sd_change_free(c);
	free(head);
	free(now);
	return rc;
}
