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
#include <git2/sys/mempack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sync_replay.h"
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
	git_odb *odb;
	git_commit *head;               /* the replay head */
	git_tree *tree;                 /* its tree */
	struct sd_config *cfg;          /* the hub's configuration, as of head */
	char onto[GIT_OID_HEXSZ + 1];
	struct said *said;              /* lines told: one per ticket per kind */
	size_t nsaid;
	git_oid *wrote;                 /* what it wrote, for the pack */
	size_t nwrote, capwrote;
};

static int
wrote(struct replay *r, const git_oid *id)
{
	if (r->nwrote == r->capwrote) {
		size_t cap = r->capwrote ? 2 * r->capwrote : 256;
		git_oid *v = realloc(r->wrote, cap * sizeof(*v));
		if (!v)
			return sd__oom();
		r->wrote = v;
		r->capwrote = cap;
	}
	git_oid_cpy(&r->wrote[r->nwrote++], id);
	return 0;
}

/* The new commit, its tree, the trees on the paths it changed and the
 * blobs it put there: all the replay wrote for it. */
static int
wrote_commit(struct replay *r, const git_oid *commit, git_tree *tree, const git_tree_update *u,
    size_t n)
{
	int rc;

	if ((rc = wrote(r, commit)) < 0 || (rc = wrote(r, git_tree_id(tree))) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char dir[4096], *slash;

		rc = wrote(r, &u[i].id);
		snprintf(dir, sizeof(dir), "%s", u[i].path);
		while (rc == 0 && (slash = strrchr(dir, '/'))) {
			git_oid sub;
			*slash = '\0';
			if ((rc = sd__tree_entry(r->odb, git_tree_id(tree), dir, &sub)) == 1)
				rc = wrote(r, &sub);
		}
	}
	return rc;
}

static void
changes_free(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* One path a commit changes, from sd__tree_diff. */
static int
changes_add(const char *path, const git_oid *a, const git_oid *b, unsigned mode, void *arg)
{
	struct changes *c = arg;
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
		git_oid_cpy(&p->old, a);
	if ((p->has_new = b != NULL)) {
		git_oid_cpy(&p->new, b);
		p->mode = (git_filemode_t)mode;
	}
	c->n++;
	return 0;
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

static void
tell_arg(void *arg, const char *kind, const char *id, const char *detail)
{
	tell(arg, kind, id, detail);
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

/* The entry of path in tree: 1 and its id, 0 when none. */
static int
entry_id(struct replay *r, git_tree *tree, const char *path, git_oid *id)
{
	return sd__tree_entry(r->odb, git_tree_id(tree), path, id);
}

/* A ticket both sides changed: the site's new events re-applied on the
 * hub's version.  *out the blob; 1 when nothing changed. */
static int
merge_ticket(struct replay *r, const struct path_change *pc, const git_oid *hub, git_oid *out)
{
	struct sd_ticket *p = NULL, *c = NULL, *h = NULL, *w = NULL;
	struct sd__merge m;
	char id[64];
	int rc;

	if ((rc = parse_blob(r, &p, &pc->old, pc->path)) < 0 ||
	    (rc = parse_blob(r, &c, &pc->new, pc->path)) < 0 ||
	    (rc = parse_blob(r, &h, hub, pc->path)) < 0 ||
	    (rc = parse_blob(r, &w, hub, pc->path)) < 0)
		goto out;
	snprintf(id, sizeof(id), "%s", sd_ticket_get(c, SD_F_ID));
	m.cfg = r->cfg;
	m.onto = r->onto;
	m.tell = tell_arg;
	m.arg = r;
	rc = sd__replay_merge(&m, &w, p, c, h, id);
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
	if ((rc = sd__tree_diff(r->odb, git_tree_id(pt), git_tree_id(ct), "", changes_add, &ch)) < 0)
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
		if ((has_hub = entry_id(r, r->tree, pc->path, &hub)) < 0) {
			rc = has_hub;
			goto out;
		}
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
		if ((has_hub = entry_id(r, r->tree, pc->path, &hub)) < 0) {
			rc = has_hub;
			goto out;
		}
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
	git_oid_cpy(&tree_id, git_tree_id(r->tree));
	for (size_t i = 0; i < u.n; i++) {
		git_oid next;
		if ((rc = sd__tree_put(r->odb, &tree_id, u.v[i].path, u.v[i].filemode, &u.v[i].id,
		    &next)) < 0)
			goto out;
		git_oid_cpy(&tree_id, &next);
	}
	if (git_tree_lookup(&nt, r->repo, &tree_id) < 0) {
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
	if ((rc = wrote_commit(r, &commit_id, nt, u.v, u.n)) < 0)
		goto out;
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
	char off[GIT_OID_HEXSZ + 1] = "";
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
		/* A merge is told before any other break of the line. */
		if (git_commit_parentcount(c) > 1)
			rc = sd_error_set(SD_EINVALID, _("commit %.12s: a merge commit; sd-sync replays "
			    "a linear history"), hex);
		else if (!*off && (git_commit_parentcount(c) != 1 ||
		    !git_oid_equal(git_commit_parent_id(c, 0), prev)))
			snprintf(off, sizeof(off), "%s", hex);
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
	if (rc == 0 && *off)
		rc = sd_error_set(SD_EINVALID, _("commit %.12s: not on a line from the merge base; "
		    "sd-sync replays a linear history"), off);
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

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* The commits the hub's side base..onto says it replayed (its
 * Replayed-From: trailers), sorted: a local commit among them is there
 * already, whatever a killed run left, and is not replayed again. */
static int
replayed_from(git_repository *repo, const git_oid *base, const git_oid *onto, git_oid **out,
    size_t *n)
{
	static const char key[] = "\nReplayed-From: ";
	git_revwalk *walk = NULL;
	git_oid id, *v = NULL;
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_push(walk, onto) < 0 ||
	    git_revwalk_hide(walk, base) < 0) {
		rc = sd__git_error(_("the hub's commits"));
		goto out;
	}
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		const char *msg, *p;

		if (git_commit_lookup(&c, repo, &id) < 0) {
			rc = sd__git_error("commit");
			break;
		}
		msg = git_commit_message(c);
		for (p = msg ? strstr(msg, key) : NULL; p; p = strstr(p + 1, key)) {
			git_oid from;

			if (git_oid_fromstrn(&from, p + sizeof(key) - 1, GIT_OID_HEXSZ) < 0 ||
			    strlen(p + sizeof(key) - 1) < GIT_OID_HEXSZ) {
				git_error_clear();
				continue;
			}
			if (*n == cap) {
				git_oid *nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));
				if (!nv) {
					rc = sd__oom();
					break;
				}
				v = nv;
			}
			git_oid_cpy(&v[(*n)++], &from);
		}
		git_commit_free(c);
	}
	if (rc == 0 && *n)
		qsort(v, *n, sizeof(*v), oid_cmp);
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

/* The replay's own handle on the repository: what it writes is kept in
 * memory (never a loose file per object: a thousand commits write three
 * thousand trees), then written as one pack when all went well
 * (lib/sync_pack.c); nothing at all when it failed. */
static int
open_own(git_repository **own, git_odb_backend **mem, git_repository *repo)
{
	git_odb *odb = NULL;
	int rc = 0;

	*own = NULL;
	*mem = NULL;
	if (git_repository_open_bare(own, git_repository_path(repo)) < 0 ||
	    git_repository_odb(&odb, *own) < 0 || git_mempack_new(mem) < 0 ||
	    git_odb_add_backend(odb, *mem, 1000) < 0)
		rc = sd__git_error(_("the store's repository"));
	git_odb_free(odb);
	return rc;
}

int
sd__sync_replay(git_repository *repo_in, const struct sd__replay_in *in, git_oid *out,
    sd_sync_line_fn fn, void *arg)
{
	struct replay r = { 0 };
	const git_oid *none[4] = { NULL, NULL, NULL, NULL };
	git_repository *repo = NULL;
	git_odb_backend *mem = NULL;
	git_oid *commits = NULL, *there = NULL;
	size_t n = 0, nthere = 0;
	int rc;

	git_oid_cpy(out, &in->onto);
	if ((rc = open_own(&repo, &mem, repo_in)) < 0)
		goto out;
	/* The trees of tickets/ and its shards kept parsed while replaying
	 * (libgit2 keeps no tree over 4 KiB by default). */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)1 << 20);
	r.repo = repo;
	if (git_repository_odb(&r.odb, repo) < 0) {
		rc = sd__git_error(_("the store's repository"));
		goto out;
	}
	r.in = in;
	r.fn = fn;
	r.arg = arg;
	git_oid_tostr(r.onto, sizeof(r.onto), &in->onto);
	if ((rc = linear_commits(repo, &in->base, &in->tip, &commits, &n)) < 0 ||
	    (rc = replayed_from(repo, &in->base, &in->onto, &there, &nthere)) < 0)
		goto out;
	if (git_commit_lookup(&r.head, repo, &in->onto) < 0 ||
	    git_commit_tree(&r.tree, r.head) < 0) {
		rc = sd__git_error(_("the hub's head"));
		goto out;
	}
	if ((rc = config_of(&r, &r.cfg, r.tree, none)) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		git_commit *c = NULL;

		if (nthere && bsearch(&commits[i], there, nthere, sizeof(*there), oid_cmp))
			continue;       /* the hub has it, replayed by an earlier run */
		if (git_commit_lookup(&c, repo, &commits[i]) < 0)
			rc = sd__git_error("commit");
		else
			rc = replay_one(&r, c);
		git_commit_free(c);
	}
	if (rc == 0 && !git_oid_equal(git_commit_id(r.head), &in->onto) &&
	    (rc = sd__replay_pack(repo, r.wrote, r.nwrote)) == 0)
		git_oid_cpy(out, git_commit_id(r.head));
out:
	free(commits);
	free(there);
	free(r.said);
	free(r.wrote);
	sd_config_free(r.cfg);
	git_tree_free(r.tree);
	git_commit_free(r.head);
	git_odb_free(r.odb);
	git_repository_free(repo);      /* and with it mem */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)4096);
	return rc;
}
