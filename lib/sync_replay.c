/*
 * sd-sync's replay: a site's commits base..tip re-applied, oldest first,
 * on top of the hub's head as new commits (no ref moved): a ticket the
 * hub left alone taken as the site has it, one both changed through the
 * action table (lib/step.c), a move no longer legal kept as its event
 * with `superseded`, a key both changed to the later event with the
 * losing value kept as `overridden`.  Only the paths a commit changes are
 * read and written: nothing grows with the number of tickets.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "step.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/rules.h"
#include "sd/sla.h"
#include "sd/time.h"

/* One path a commit changes: its blob before and after (zero: none). */
struct path_change {
	char *path;
	git_oid old, new;
	int has_old, has_new;
	git_filemode_t mode;
};

struct changes {
	struct path_change *v;
	size_t n, cap;
};

struct said {
	char kind[16];
	char id[64];
};

struct replay {
	git_repository *repo;
	const struct sd__replay_in *in;
	sd_sync_line_fn fn;
	void *arg;
	git_commit *head;               /* the replay head */
	git_tree *tree;                 /* its tree */
	struct sd_config *cfg;          /* the hub's configuration, as of head */
	char onto[GIT_OID_HEXSZ + 1];
	struct said *said;              /* lines told: one per ticket per kind */
	size_t nsaid;
};

static void
changes_free(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int
changes_add(struct changes *c, const char *path, const git_tree_entry *a, const git_tree_entry *b)
{
	struct path_change *p;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		if (!(p = realloc(c->v, cap * sizeof(*p))))
			return sd__oom();
		c->v = p;
		c->cap = cap;
	}
	p = &c->v[c->n];
	memset(p, 0, sizeof(*p));
	if (!(p->path = sd__strdup(path)))
		return sd__oom();
	if ((p->has_old = a != NULL))
		git_oid_cpy(&p->old, git_tree_entry_id(a));
	if ((p->has_new = b != NULL)) {
		git_oid_cpy(&p->new, git_tree_entry_id(b));
		p->mode = git_tree_entry_filemode(b);
	}
	c->n++;
	return 0;
}

/* The files that differ between trees a and b, below prefix: subtrees
 * with the same id are never opened. */
static int
diff_trees(struct replay *r, struct changes *out, const char *prefix, git_tree *a, git_tree *b)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		char path[4096];

		if (c < 0)
			eb = NULL;
		else if (c > 0)
			ea = NULL;
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
		if (ea && eb && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)))
			continue;
		snprintf(path, sizeof(path), "%s%s", prefix, git_tree_entry_name(ea ? ea : eb));
		if ((ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE) ||
		    (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE)) {
			git_tree *ta = NULL, *tb = NULL;
			if (ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
			    git_tree_lookup(&ta, r->repo, git_tree_entry_id(ea)) < 0)
				return sd__git_error(path);
			if (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE &&
			    git_tree_lookup(&tb, r->repo, git_tree_entry_id(eb)) < 0) {
				git_tree_free(ta);
				return sd__git_error(path);
			}
			strcat(path, "/");
			rc = diff_trees(r, out, path, ta, tb);
			git_tree_free(ta);
			git_tree_free(tb);
			continue;
		}
		rc = changes_add(out, path, ea, eb);
	}
	return rc;
}

/* Tell a line, once per ticket per kind. */
static void
tell(struct replay *r, const char *kind, const char *id, const char *detail)
{
	struct sd_sync_line line = { kind, id, detail };
	struct said *s;

	for (size_t i = 0; i < r->nsaid; i++)
		if (!strcmp(r->said[i].kind, kind) && !strcmp(r->said[i].id, id))
			return;
	if ((s = realloc(r->said, (r->nsaid + 1) * sizeof(*s)))) {
		r->said = s;
		snprintf(s[r->nsaid].kind, sizeof(s->kind), "%s", kind);
		snprintf(s[r->nsaid].id, sizeof(s->id), "%s", id);
		r->nsaid++;
	}
	if (r->fn)
		r->fn(&line, r->arg);
}

/* The text of blob id (a caller's copy), or NULL with the error set. */
static char *
blob_text(struct replay *r, const git_oid *id, size_t *len)
{
	git_blob *b = NULL;
	char *text;

	if (git_blob_lookup(&b, r->repo, id) < 0) {
		sd__git_error("blob");
		return NULL;
	}
	*len = (size_t)git_blob_rawsize(b);
	if (!(text = sd__strndup(git_blob_rawcontent(b), *len)))
		sd__oom();
	git_blob_free(b);
	return text;
}

static int
parse_blob(struct replay *r, struct sd_ticket **out, const git_oid *id, const char *path)
{
	size_t len;
	char *text = blob_text(r, id, &len);
	int rc;

	if (!text)
		return SD_EIO;
	rc = sd_ticket_parse(out, text, len, path, SD_PARSE_FULL);
	free(text);
	return rc;
}

/* t written as a blob into *id. */
static int
write_ticket(struct replay *r, const struct sd_ticket *t, git_oid *id)
{
	char *text = NULL;
	size_t len;
	int rc;

	if ((rc = sd_ticket_format(&text, &len, t)) < 0)
		return rc;
	if (git_blob_create_from_buffer(id, r->repo, text, len) < 0)
		rc = sd__git_error(_("writing a ticket"));
	free(text);
	return rc;
}

/* The configuration of tree, with text[f] in place of its file f where
 * given. */
static int
config_of(struct replay *r, struct sd_config **out, git_tree *tree, const git_oid *const alt[4])
{
	char *texts[4] = { NULL, NULL, NULL, NULL };
	int rc = 0;

	for (int f = 0; f < 4 && rc == 0; f++) {
		git_tree_entry *e = NULL;
		const git_oid *id = alt[f];
		size_t len;

		if (!id && git_tree_entry_bypath(&e, tree, sd_config_files[f]) == 0)
			id = git_tree_entry_id(e);
		if (id && !(texts[f] = blob_text(r, id, &len)))
			rc = SD_EIO;
		git_tree_entry_free(e);
	}
	if (rc == 0)
		rc = sd_config_parse(out, (const char *const *)texts, sd_config_files);
	for (int f = 0; f < 4; f++)
		free(texts[f]);
	return rc;
}

static int
config_index(const char *path)
{
	for (int f = 0; f < 4; f++)
		if (!strcmp(path, sd_config_files[f]))
			return f;
	return -1;
}

/* The entry of path in tree: 1 and its id, or 0. */
static int
entry_id(git_tree *tree, const char *path, git_oid *id)
{
	git_tree_entry *e = NULL;

	if (git_tree_entry_bypath(&e, tree, path) < 0)
		return 0;
	git_oid_cpy(id, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return 1;
}

/* Is a later than b (RFC 3339)?  Unreadable times: no. */
static int
later_or_same(const char *a, const char *b)
{
	time_t x, y;

	return sd_time_parse(&x, NULL, a) == 0 && sd_time_parse(&y, NULL, b) == 0 && x >= y;
}

/* The keys both sides may change, resolved per key: the later event wins. */
static int
three_way(enum sd_field f)
{
	switch (f) {
	case SD_F_TITLE: case SD_F_CATEGORY: case SD_F_URGENCY: case SD_F_IMPACT:
	case SD_F_REQUESTER: case SD_F_REQUESTER_EMAIL: case SD_F_REQUESTER_PHONE:
		return 1;
	default:
		return 0;
	}
}

/* The words of a and of b, a's first, once each. */
static int
union_words(char **out, const char *a, const char *b)
{
	struct sd_buf u = SD_BUF_INIT;
	char **w = NULL;
	size_t n = 0;
	int rc;

	sd_buf__adds(&u, a);
	if ((rc = sd__split_list(&w, &n, b, ' ')) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(w[i]);
		const char *p = u.data ? u.data : "";
		int found = 0;

		for (const char *q = p; !found && (q = strstr(q, w[i])); q += k)
			found = (q == p || q[-1] == ' ') && (q[k] == ' ' || !q[k]);
		if (!found)
			sd_buf__printf(&u, "%s%s", u.len ? " " : "", w[i]);
	}
	sd__free_list(w, n);
	sd_buf__addc(&u, '\0');
	if ((rc = sd_buf__check(&u)) < 0) {
		sd_buf__free(&u);
		return rc;
	}
	*out = sd_buf__detach(&u);
	return 0;
}

/* Event i of from appended to t as it was. */
static int
copy_event(struct sd_ticket *t, const struct sd_ticket *from, size_t i)
{
	size_t ix;
	int rc;

	if ((rc = sd_ticket_event_add(t, &ix, sd_ticket_event_get(from, i, "at"),
	    sd_ticket_event_get(from, i, "by"), sd_ticket_event_get(from, i, "action"))) < 0)
		return rc;
	for (size_t k = 0; k < sd_ticket_event_keys(from, i) && rc == 0; k++) {
		const char *key = sd_ticket_event_key(from, i, k);
		if (strcmp(key, "at") && strcmp(key, "by") && strcmp(key, "action"))
			rc = sd_ticket_event_set(t, ix, key, sd_ticket_event_value(from, i, k));
	}
	return rc;
}

/* The site's event i of c, re-applied on *w (the ticket as the replay
 * has it, hub's events first) by its action's row: the keys the site
 * changed (p to c), counters stepped where it stepped them, the event's
 * own keys.  A move the rules refuse now: the event alone, superseded. */
static int
apply_event(struct replay *r, struct sd_ticket **w, const struct sd_ticket *p,
    const struct sd_ticket *c, const struct sd_ticket *h, size_t i, const char *id)
{
	const char *action = sd_ticket_event_get(c, i, "action");
	const char *at = sd_ticket_event_get(c, i, "at");
	const char *by = sd_ticket_event_get(c, i, "by");
	const char *to = sd_ticket_event_get(c, i, "to");
	const struct sd_action *row = sd_action_find(action);
	const struct sd_agent *agent = strcmp(by, "sd") ? sd_config_agent(r->cfg, by) : NULL;
	size_t nh = sd_ticket_event_count(h), np = sd_ticket_event_count(p);
	const char *hub_at = nh > np ? sd_ticket_event_get(h, nh - 1, "at") : "";
	struct sd_ticket *before = NULL;
	struct sd__step st = { 0 };
	struct sd__plan plan;
	char *owned[SD_F__COUNT] = { NULL };
	char overridden[1200] = "", detail[600];
	int rc;

	if (!row || !(row->flags & SD_ACT_EVENT) || (row->flags & SD_ACT_BORN))
		return sd_error_set(SD_EINVALID, _("%s: [event %zu] is a %s, which sd-sync cannot "
		    "replay on a ticket that exists"), id, i + 1, action ? action : "?");
	if ((rc = sd_rules_copy(&before, *w)) < 0)
		return rc;
	memset(&plan, 0, sizeof(plan));
	if ((rc = sd__step_begin_exact(&st, r->cfg, agent, action, *w, at)) < 0) {
		if (rc != SD_EINVALID)
			goto out;
		goto superseded;
	}
	for (int f = 0; f < SD_F__COUNT && rc == 0; f++) {
		const char *pv = sd_ticket_get(p, f), *cv = sd_ticket_get(c, f);
		const char *hv = sd_ticket_get(h, f);

		if (row->keys[f] == SD_STEP) {
			plan.hold[f] = sd_ticket_number(c, f) <= sd_ticket_number(p, f);
			continue;
		}
		if (row->keys[f] != SD_SET || f == SD_F_STATUS || !strcmp(pv, cv))
			continue;
		if (f == SD_F_RELATED) {
			if ((rc = union_words(&owned[f], sd_ticket_get(*w, f), cv)) == 0)
				plan.set[f] = owned[f];
		} else if (three_way(f) && strcmp(hv, pv) && strcmp(hv, cv)) {
			int site = later_or_same(at, hub_at);
			if (site)
				plan.set[f] = cv;
			if (!*overridden)
				snprintf(overridden, sizeof(overridden), "%s:%s", sd_field_name(f),
				    site ? hv : cv);
		} else {
			plan.set[f] = cv;
		}
	}
	/* The description, three-way as the keys; a solution, as written. */
	if (rc == 0 && (row->texts & SD_TEXTS_DESCRIPTION) &&
	    strcmp(sd_ticket_text(p, SD_TEXT_DESCRIPTION), sd_ticket_text(c, SD_TEXT_DESCRIPTION))) {
		const char *hv = sd_ticket_text(h, SD_TEXT_DESCRIPTION);
		const char *cv = sd_ticket_text(c, SD_TEXT_DESCRIPTION);
		int both = strcmp(hv, sd_ticket_text(p, SD_TEXT_DESCRIPTION)) && strcmp(hv, cv);
		int site = !both || later_or_same(at, hub_at);

		if (site)
			rc = sd_ticket_set_text(*w, SD_TEXT_DESCRIPTION, cv);
		if (both && !*overridden)
			snprintf(overridden, sizeof(overridden), "description:%s", site ? hv : cv);
	}
	if (rc == 0 && (row->texts & SD_TEXTS_SOLUTION) &&
	    strcmp(sd_ticket_text(p, SD_TEXT_SOLUTION), sd_ticket_text(c, SD_TEXT_SOLUTION)))
		plan.solution = sd_ticket_text(c, SD_TEXT_SOLUTION);
	if (rc == 0)
		rc = sd__step_apply(&st, &plan);
	for (size_t k = 0; rc == 0 && k < sd_ticket_event_keys(c, i); k++) {
		const char *key = sd_ticket_event_key(c, i, k);
		if (strcmp(key, "at") && strcmp(key, "by") && strcmp(key, "action") &&
		    strcmp(key, "from") && strcmp(key, "to"))
			rc = sd__step_event(&st, key, sd_ticket_event_value(c, i, k));
	}
	if (rc == 0 && *overridden)
		rc = sd_ticket_event_set(*w, st.ev, "overridden", overridden);
	if (rc == 0)
		rc = sd__step_finish(&st, to ? to : sd_ticket_get(before, SD_F_STATUS));
	if (rc < 0 && rc != SD_EINVALID && rc != SD_EPERM)
		goto out;
	if (rc == 0) {
		if (*overridden) {
			snprintf(detail, sizeof(detail), _("%s by %s: %.*s lost (%s)"), action, by,
			    (int)strcspn(overridden, ":"), overridden,
			    strchr(overridden, ':') + 1);
			detail[strcspn(detail, "\n")] = '\0';
			tell(r, "overridden", id, detail);
		}
		goto out;
	}
superseded:
	/* No longer legal: the event as the site wrote it, and nothing else. */
	sd_error_clear();
	sd__step_free(&st);
	sd_ticket_free(*w);
	*w = before;
	before = NULL;
	if ((rc = sd_rules_copy(&before, *w)) < 0 || (rc = copy_event(*w, c, i)) < 0 ||
	    (rc = sd_ticket_event_set(*w, sd_ticket_event_count(*w) - 1, "superseded",
	    r->onto)) < 0)
		goto out;
	if ((rc = sd_rules_check(r->cfg, NULL, agent, action, before, *w, NULL, NULL)) < 0) {
		rc = sd_error_set(SD_EINVALID, _("%s: %s by %s cannot be kept, even superseded: %s"),
		    id, action, by, sd_error_message());
		goto out;
	}
	snprintf(detail, sizeof(detail), _("%s by %s (the hub has it %s, %.7s)"), action, by,
	    sd_ticket_get(*w, SD_F_STATUS), r->onto);
	tell(r, "superseded", id, detail);
out:
	sd__step_free(&st);
	sd_ticket_free(before);
	for (int f = 0; f < SD_F__COUNT; f++)
		free(owned[f]);
	return rc;
}

/* A commit's change to a ticket (no event of its own: a link on a final
 * ticket): the keys the site changed that the hub did not, `related` a
 * union. */
static int
apply_bare(struct sd_ticket *w, const struct sd_ticket *p, const struct sd_ticket *c,
    const struct sd_ticket *h)
{
	int rc = 0;

	for (int f = 0; f < SD_F__COUNT && rc == 0; f++) {
		const char *pv = sd_ticket_get(p, f), *cv = sd_ticket_get(c, f);
		char *u = NULL;

		if (!strcmp(pv, cv))
			continue;
		if (f == SD_F_RELATED) {
			if ((rc = union_words(&u, sd_ticket_get(w, f), cv)) == 0)
				rc = sd_ticket_set(w, f, u);
			free(u);
		} else if (!strcmp(sd_ticket_get(h, f), pv)) {
			rc = sd_ticket_set(w, f, cv);
		}
	}
	return rc;
}

/* A ticket both sides changed: the site's new events re-applied on the
 * hub's version.  *out the blob; 1 when nothing changed. */
static int
merge_ticket(struct replay *r, const struct path_change *pc, const git_oid *hub, git_oid *out)
{
	struct sd_ticket *p = NULL, *c = NULL, *h = NULL, *w = NULL;
	char id[64];
	int rc;

	if ((rc = parse_blob(r, &p, &pc->old, pc->path)) < 0 ||
	    (rc = parse_blob(r, &c, &pc->new, pc->path)) < 0 ||
	    (rc = parse_blob(r, &h, hub, pc->path)) < 0 ||
	    (rc = parse_blob(r, &w, hub, pc->path)) < 0)
		goto out;
	snprintf(id, sizeof(id), "%s", sd_ticket_get(c, SD_F_ID));
	if (sd_ticket_event_count(c) < sd_ticket_event_count(p)) {
		rc = sd_error_set(SD_EINVALID, _("%s: events removed at the site"), id);
		goto out;
	}
	if (sd_ticket_event_count(c) == sd_ticket_event_count(p))
		rc = apply_bare(w, p, c, h);
	for (size_t i = sd_ticket_event_count(p); rc == 0 && i < sd_ticket_event_count(c); i++)
		rc = apply_event(r, &w, p, c, h, i, id);
	if (rc == 0 && (rc = write_ticket(r, w, out)) == 0 && git_oid_equal(out, hub))
		rc = 1;
out:
	sd_ticket_free(p);
	sd_ticket_free(c);
	sd_ticket_free(h);
	sd_ticket_free(w);
	return rc;
}

/* The site's version of a ticket as it is, its due dates recomputed when
 * the hub's configuration moves the clocks from the site's. */
static int
take_ticket(struct replay *r, const struct path_change *pc, git_tree *site_tree, git_oid *out)
{
	struct sd_ticket *t = NULL;
	int rc;

	git_oid_cpy(out, &pc->new);
	if (!sd__due_config_moved(site_tree, r->tree))
		return 0;
	if ((rc = parse_blob(r, &t, &pc->new, pc->path)) == 0 &&
	    (rc = sd_sla_update(t, r->cfg)) == 0)
		rc = write_ticket(r, t, out);
	sd_ticket_free(t);
	return rc;
}

struct updates {
	git_tree_update *v;
	size_t n;
};

static void
upsert(struct updates *u, const struct path_change *pc, const git_oid *id)
{
	git_tree_update *x = &u->v[u->n++];

	x->action = GIT_TREE_UPDATE_UPSERT;
	x->filemode = pc->mode ? pc->mode : GIT_FILEMODE_BLOB;
	x->path = pc->path;
	git_oid_cpy(&x->id, id);
}

/* The message of the replayed commit: the site's, `Site:` added when
 * missing, `Replayed-From:` appended. */
static char *
replay_message(const char *msg, const char *site, const git_oid *orig)
{
	struct sd_buf b = SD_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], line[64];
	size_t n = strlen(msg);

	git_oid_tostr(hex, sizeof(hex), orig);
	sd_buf__add(&b, msg, n);
	if (n && msg[n - 1] != '\n')
		sd_buf__addc(&b, '\n');
	snprintf(line, sizeof(line), "\nSite: %s\n", site ? site : "");
	if (site && !strstr(msg, line))
		sd_buf__adds(&b, line + 1);
	sd_buf__printf(&b, "Replayed-From: %s\n", hex);
	sd_buf__addc(&b, '\0');
	if (b.failed) {
		sd_buf__free(&b);
		return NULL;
	}
	return sd_buf__detach(&b);
}

/* Commit c replayed on the replay head. */
static int
replay_one(struct replay *r, git_commit *c)
{
	git_commit *parent = NULL, *made = NULL;
	git_tree *pt = NULL, *ct = NULL, *nt = NULL;
	struct changes ch = { 0 };
	struct updates u = { 0 };
	const git_oid *alt[4] = { NULL, NULL, NULL, NULL };
	struct sd_config *ncfg = NULL;
	git_oid ids[4], tree_id, commit_id;
	int rc, cfg_moved = 0;
	char *msg = NULL;

	if ((rc = git_commit_parent(&parent, c, 0)) < 0 || git_commit_tree(&pt, parent) < 0 ||
	    git_commit_tree(&ct, c) < 0) {
		rc = sd__git_error("commit");
		goto out;
	}
	if ((rc = diff_trees(r, &ch, "", pt, ct)) < 0)
		goto out;
	if (!(u.v = calloc(ch.n ? ch.n : 1, sizeof(*u.v)))) {
		rc = sd__oom();
		goto out;
	}
	/* The configuration first: the tickets of the commit read the one
	 * it leaves. */
	for (size_t i = 0; i < ch.n; i++) {
		const struct path_change *pc = &ch.v[i];
		int f = config_index(pc->path);
		git_oid hub;
		int has_hub;

		if (f < 0)
			continue;
		has_hub = entry_id(r->tree, pc->path, &hub);
		if (!pc->has_new || has_hub != pc->has_old ||
		    (has_hub && !git_oid_equal(&hub, &pc->old))) {
			tell(r, "config", pc->path, _("not replayed: the hub changed it too"));
			continue;
		}
		git_oid_cpy(&ids[f], &pc->new);
		alt[f] = &ids[f];
		cfg_moved = 1;
		upsert(&u, pc, &pc->new);
	}
	if (cfg_moved) {
		if ((rc = config_of(r, &ncfg, r->tree, alt)) < 0)
			goto out;
		sd_config_free(r->cfg);
		r->cfg = ncfg;
	}
	for (size_t i = 0; i < ch.n; i++) {
		const struct path_change *pc = &ch.v[i];
		git_oid hub, id;
		int has_hub;

		if (config_index(pc->path) >= 0 || !strcmp(pc->path, "sites.ini"))
			continue;       /* above; a lease is the hub's to give again */
		if (!pc->has_new) {
			rc = sd_error_set(SD_EINVALID, _("%s: removed at the site; sd-sync replays no "
			    "removal"), pc->path);
			goto out;
		}
		if (strncmp(pc->path, "tickets/", 8)) {
			upsert(&u, pc, &pc->new);       /* attachments, articles */
			continue;
		}
		has_hub = entry_id(r->tree, pc->path, &hub);
		if (!pc->has_old) {
			if (has_hub) {
				rc = sd_error_set(SD_EINVALID, _("%s: registered at the site, but the hub "
				    "has a ticket of that number"), pc->path);
				goto out;
			}
			rc = take_ticket(r, pc, ct, &id);
		} else if (!has_hub) {
			rc = sd_error_set(SD_EINVALID, _("%s: not at the hub"), pc->path);
			goto out;
		} else if (git_oid_equal(&hub, &pc->old)) {
			rc = take_ticket(r, pc, ct, &id);
		} else if (git_oid_equal(&hub, &pc->new)) {
			rc = 1;
		} else {
			rc = merge_ticket(r, pc, &hub, &id);
		}
		if (rc < 0)
			goto out;
		if (rc == 0)
			upsert(&u, pc, &id);
		rc = 0;
	}
	if (!u.n)
		goto out;       /* nothing left of it here (a lease) */
	if (git_tree_create_updated(&tree_id, r->repo, r->tree, u.n, u.v) < 0 ||
	    git_tree_lookup(&nt, r->repo, &tree_id) < 0) {
		rc = sd__git_error(_("writing the tree"));
		goto out;
	}
	if (git_oid_equal(&tree_id, git_tree_id(r->tree)))
		goto out;
	if (!(msg = replay_message(git_commit_message(c), r->in->site, git_commit_id(c)))) {
		rc = sd__oom();
		goto out;
	}
	if (git_commit_create(&commit_id, r->repo, NULL, git_commit_author(c), git_commit_author(c),
	    NULL, msg, nt, 1, (const git_commit **)&r->head) < 0 ||
	    git_commit_lookup(&made, r->repo, &commit_id) < 0) {
		rc = sd__git_error(_("writing the commit"));
		goto out;
	}
	git_commit_free(r->head);
	git_tree_free(r->tree);
	r->head = made;
	r->tree = nt;
	made = NULL;
	nt = NULL;
out:
	free(msg);
	free(u.v);
	changes_free(&ch);
	git_commit_free(made);
	git_tree_free(nt);
	git_tree_free(pt);
	git_tree_free(ct);
	git_commit_free(parent);
	return rc;
}

/* The commits base..tip, oldest first, each with one parent, the one
 * before it: a site's history is linear. */
static int
linear_commits(git_repository *repo, const git_oid *base, const git_oid *tip, git_oid **out,
    size_t *n)
{
	git_revwalk *walk = NULL;
	git_oid id, *v = NULL;
	size_t cap = 0;
	const git_oid *prev = base;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, tip) < 0 || git_revwalk_hide(walk, base) < 0) {
		rc = sd__git_error(_("the site's commits"));
		goto out;
	}
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &id);
		if (git_commit_lookup(&c, repo, &id) < 0) {
			rc = sd__git_error(hex);
			break;
		}
		if (git_commit_parentcount(c) != 1 || !git_oid_equal(git_commit_parent_id(c, 0), prev))
			rc = sd_error_set(SD_EINVALID, git_commit_parentcount(c) > 1 ?
			    _("commit %.12s: a merge commit; sd-sync replays a linear history") :
			    _("commit %.12s: not on a line from the merge base; sd-sync replays a "
			    "linear history"), hex);
		git_commit_free(c);
		if (rc < 0)
			break;
		if (*n == cap) {
			git_oid *nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));
			if (!nv) {
				rc = sd__oom();
				break;
			}
			v = nv;
		}
		git_oid_cpy(&v[*n], &id);
		prev = &v[(*n)++];
	}
out:
	git_revwalk_free(walk);
	if (rc < 0) {
		free(v);
		*n = 0;
	} else {
		*out = v;
	}
	return rc;
}

int
sd__sync_replay(git_repository *repo, const struct sd__replay_in *in, git_oid *out,
    sd_sync_line_fn fn, void *arg)
{
	struct replay r = { 0 };
	const git_oid *none[4] = { NULL, NULL, NULL, NULL };
	git_oid *commits = NULL;
	size_t n = 0;
	int rc;

	r.repo = repo;
	r.in = in;
	r.fn = fn;
	r.arg = arg;
	git_oid_tostr(r.onto, sizeof(r.onto), &in->onto);
	git_oid_cpy(out, &in->onto);
	if ((rc = linear_commits(repo, &in->base, &in->tip, &commits, &n)) < 0)
		return rc;
	if (git_commit_lookup(&r.head, repo, &in->onto) < 0 ||
	    git_commit_tree(&r.tree, r.head) < 0) {
		rc = sd__git_error(_("the hub's head"));
		goto out;
	}
	if ((rc = config_of(&r, &r.cfg, r.tree, none)) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		git_commit *c = NULL;

		if (git_commit_lookup(&c, repo, &commits[i]) < 0)
			rc = sd__git_error("commit");
		else
			rc = replay_one(&r, c);
		git_commit_free(c);
	}
	if (rc == 0)
		git_oid_cpy(out, git_commit_id(r.head));
out:
	free(commits);
	free(r.said);
	sd_config_free(r.cfg);
	git_tree_free(r.tree);
	git_commit_free(r.head);
	return rc;
}
