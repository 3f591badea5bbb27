/*
 * A site's sync with its hub (sd-sync(1)): fetch the hub's branch, replay
 * the site's own commits on top of it, push fast-forward only, then move
 * the branch and the files; a block of numbers leased when few are left;
 * what the hub has of a killed sync's not replayed again.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/error.h"
#include "sd/time.h"

#define REF_HUB "refs/sd/hub"
#define REF_OUT "refs/sd/outgoing"
#define REF_OUT_BASE "refs/sd/outgoing-base"
#define LAST_FILE ".git/sd-sync-last"

struct lines {
	struct sd_sync_line *v;
	size_t n;
	int failed;
};

struct ctx {
	struct sd_store *s;
	char *url;
	char branch[256];
	const char *gitdir;
	char site[SD_SITE_MAX];
	int is_site;
	long long timeout;
	int tries;
	struct lines lines;
	int lock;
};

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].kind);
		free((char *)l->v[i].id);
		free((char *)l->v[i].detail);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A replay's report line, kept until the round it belongs to succeeds. */
static void
keep_line(const struct sd_sync_line *line, void *arg)
{
	struct lines *l = arg;
	struct sd_sync_line *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v) {
		l->failed = 1;
		return;
	}
	l->v = v;
	v[l->n].kind = sd__strdup(line->kind ? line->kind : "");
	v[l->n].id = sd__strdup(line->id ? line->id : "");
	v[l->n].detail = sd__strdup(line->detail ? line->detail : "");
	if (!v[l->n].kind || !v[l->n].id || !v[l->n].detail)
		l->failed = 1;
	l->n++;
}

static void
ctx_free(struct ctx *c)
{
	free(c->url);
	lines_free(&c->lines);
	sd__sync_unlock(&c->lock);
}

static int
ctx_open(struct ctx *c, struct sd_store *s)
{
	const struct sd_sync_config *sc = sd_config_sync(s->cfg);
	int rc;

	memset(c, 0, sizeof(*c));
	c->lock = -1;
	c->s = s;
	c->gitdir = git_repository_path(s->repo);
	c->timeout = sc->timeout;
	c->tries = sc->tries > 0 ? sc->tries : 5;
	if ((rc = sd_store_site(s, c->site)) < 0)
		return rc;
	c->is_site = rc == 1;
	if ((rc = sd_store_hub_url(s, &c->url)) < 0)
		return rc;
	if (sd__head_branch(s->repo, c->branch, sizeof(c->branch)) < 0)
		return sd_error_set(SD_EINVALID, "%s", _("HEAD does not name a branch"));
	/* One run at a time; a killed run's leftovers cleared under it. */
	return sd__sync_lock(c->gitdir, &c->lock);
}

/* git --git-dir=GITDIR [-c transfer.fsckObjects=true] verb args... */
static int
git(struct ctx *c, int *status, char **out, const char *verb, const char *a1,
    const char *a2, const char *a3, const char *a4, const char *a5)
{
	char dir[4200], safe[4200];
	const char *argv[14];
	int k = 0;

	snprintf(dir, sizeof(dir), "--git-dir=%s", c->gitdir);
	argv[k++] = "git";
	argv[k++] = dir;
	/* A shared store's owner may be another member of its group: sd
	 * trusts it (lib/store.c), so git is told to as well. */
	if (c->s->shared) {
		snprintf(safe, sizeof(safe), "safe.directory=%s", c->gitdir);
		argv[k++] = "-c";
		argv[k++] = safe;
	}
	argv[k++] = "-c";
	argv[k++] = "transfer.fsckObjects=true";
	argv[k++] = verb;
	for (const char *a[] = { a1, a2, a3, a4, a5 }, **p = a; p < a + 5 && *p; p++)
		argv[k++] = *p;
	argv[k] = NULL;
	return sd__git_run_out(argv, c->timeout, status, out);
}

/* The hub's branch into refs/sd/hub (dry: FETCH_HEAD alone, no ref). */
static int
fetch(struct ctx *c, int dry, git_oid *hub)
{
	char spec[600], *text = NULL;
	int status, rc;

	snprintf(spec, sizeof(spec), dry ? "+%s" : "+%s:" REF_HUB, c->branch);
	if ((rc = git(c, &status, NULL, "fetch", "--quiet", "--no-tags", c->url, spec, NULL)) < 0)
		return rc;
	if (!dry) {
		if (git_reference_name_to_id(hub, c->s->repo, REF_HUB) < 0)
			return sd__git_error(REF_HUB);
		return 0;
	}
	if ((rc = sd__store_read(c->s, ".git/FETCH_HEAD", &text, NULL)) == 0 &&
	    (strlen(text) < GIT_OID_HEXSZ || git_oid_fromstrn(hub, text, GIT_OID_HEXSZ) < 0))
		rc = sd_error_set(SD_EIO, _("%s: not a commit id"), ".git/FETCH_HEAD");
	free(text);
	return rc;
}

/* Commits reachable from a and not from b. */
static int
count(git_repository *repo, const git_oid *a, const git_oid *b, size_t *n)
{
	git_revwalk *w = NULL;
	git_oid id;
	int rc = 0;

	*n = 0;
	if (git_revwalk_new(&w, repo) < 0 || git_revwalk_push(w, a) < 0 ||
	    (b && git_revwalk_hide(w, b) < 0)) {
		rc = sd__git_error(_("counting commits"));
		goto out;
	}
	while (git_revwalk_next(&id, w) == 0)
		(*n)++;
out:
	git_revwalk_free(w);
	return rc;
}

/* Is a in b's history (or b itself)? */
static int
contains(git_repository *repo, const git_oid *b, const git_oid *a)
{
	return git_oid_equal(a, b) || git_graph_descendant_of(repo, b, a) == 1;
}

static int
set_ref(struct ctx *c, const char *name, const git_oid *id)
{
	git_reference *ref = NULL;

	if (git_reference_create(&ref, c->s->repo, name, id, 1, "sd-sync") < 0)
		return sd__git_error(name);
	git_reference_free(ref);
	return sd__durable(c->gitdir, NULL, 0, name);
}

/* The refs/sd/outgoing refs earlier versions left, dropped. */
static void
drop_outgoing(struct ctx *c)
{
	git_reference *ref = NULL;

	for (const char *const *n = (const char *const[]){ REF_OUT, REF_OUT_BASE, NULL }; *n; n++)
		if (git_reference_lookup(&ref, c->s->repo, *n) == 0) {
			git_reference_delete(ref);
			git_reference_free(ref);
			ref = NULL;
		}
	git_error_clear();
}

/* Replay base..tip onto onto: *out. */
static int
replay(struct ctx *c, const git_oid *base, const git_oid *tip, const git_oid *onto,
    const char *now, git_oid *out)
{
	struct sd__replay_in in;

	if (git_oid_equal(base, tip)) {
		*out = *onto;
		return 0;
	}
	memset(&in, 0, sizeof(in));
	in.base = *base;
	in.tip = *tip;
	in.onto = *onto;
	in.site = c->is_site ? c->site : NULL;
	in.now = now;
	return sd__sync_replay(c->s->repo, &in, out, keep_line, &c->lines);
}

/* Push r as the hub's branch: 0; 1 when the hub moved meanwhile (fetch
 * and replay again); SD_EINVALID when the hub refused it (its hook's
 * words), SD_EIO when it could not be reached. */
static int
push(struct ctx *c, const git_oid *r)
{
	char spec[600], hex[GIT_OID_HEXSZ + 1], *out = NULL;
	int status, rc;

	git_oid_tostr(hex, sizeof(hex), r);
	snprintf(spec, sizeof(spec), "%s:%s", hex, c->branch);
	rc = git(c, &status, &out, "push", "--porcelain", "--quiet", c->url, spec, NULL);
	if (rc < 0 && status > 0 && out) {
		/* "!<TAB>src:dst<TAB>[rejected] (fetch first)" when it moved,
		 * "[remote rejected] (pre-receive hook declined)" when its hook
		 * said no; any other remote rejection ("failed to update ref":
		 * another push took the branch between the hook and the
		 * update) is the hub moving too. */
		if (strstr(out, "[remote rejected] (pre-receive hook declined)"))
			rc = sd_error_set(SD_EINVALID, "%s", sd_error_message());
		else if (strstr(out, "[rejected]") || strstr(out, "[remote rejected]")) {
			sd_error_clear();
			rc = 1;
		}
	}
	free(out);
	return rc;
}

/* Under the lock: HEAD from was (the tip this run started from) to r,
 * the commits made here meanwhile replayed on top; the files follow. */
static int
move(struct ctx *c, const git_oid *was, const git_oid *r, const char *now, git_oid *moved)
{
	git_reference *ref = NULL;
	git_oid head, to = *r;
	int rc;

	if ((rc = sd_store_lock(c->s)) < 0)
		return rc;
	if ((rc = sd__head(c->s, &head)) < 0)
		goto out;
	if (!git_oid_equal(&head, was)) {
		if (!contains(c->s->repo, &head, was)) {
			rc = sd_error_set(SD_EBUSY, "%s", _("the branch moved back while syncing; "
			    "run sd-sync again"));
			goto out;
		}
		if ((rc = replay(c, was, &head, r, now, &to)) < 0)
			goto out;
	}
	if (!git_oid_equal(&head, &to)) {
		if (git_reference_create_matching(&ref, c->s->repo, c->branch, &to, 1, &head,
		    "sd-sync") < 0) {
			rc = sd__git_error(_("moving the branch"));
			goto out;
		}
		if (sd__durable(c->gitdir, NULL, 0, c->branch) < 0)
			sd_error_clear();
		/* The files (and the mail mark) follow as at any command's
		 * lock: HEAD moved, the mark did not. */
		sd_store_unlock(c->s);
		if ((rc = sd_store_lock(c->s)) < 0)
			goto out;
	}
	*moved = to;
out:
	git_reference_free(ref);
	sd_store_unlock(c->s);
	return rc;
}

/* The last sync's time and the measured offset, in .git/sd-sync-last. */
static void
write_last(struct ctx *c, const git_oid *hub, const char *now)
{
	git_commit *commit = NULL;
	long long offset = 0;
	char line[128];

	if (git_commit_lookup(&commit, c->s->repo, hub) == 0)
		offset = (long long)git_commit_committer(commit)->when.time - (long long)c->s->now;
	git_commit_free(commit);
	git_error_clear();
	snprintf(line, sizeof(line), "%s %lld\n", now ? now : "", offset);
	if (sd__store_write(c->s, LAST_FILE, line, strlen(line), 0644) < 0)
		sd_error_clear();
}

/* Numbers left to this site in its blocks, above every one it used; -1
 * without a block (or without sites.ini). */
static int
numbers_left(struct sd_store *s, const char *site, long *left)
{
	git_commit *commit = NULL;
	git_tree *root = NULL;
	struct sd__sites sites = { 0 };
	const struct sd__site *me;
	git_oid head;
	long used = 0;
	int rc;

	*left = -1;
	if ((rc = sd__head(s, &head)) < 0)
		return rc;
	if (git_commit_lookup(&commit, s->repo, &head) < 0 || git_commit_tree(&root, commit) < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	if ((rc = sd__sites_from_tree(&sites, s->repo, root)) < 0 ||
	    !(me = sd__sites_find(&sites, site)) || !me->nblocks)
		goto out;
	if ((rc = sd__layout_max_in(&used, s->repo, root, sd_config_prefix(s->cfg),
	    (const long (*)[2])me->blocks, me->nblocks)) < 0)
		goto out;
	*left = 0;
	for (size_t b = 0; b < me->nblocks; b++)
		if (me->blocks[b][1] > used)
			*left += me->blocks[b][1] - (used >= me->blocks[b][0] ? used + 1 :
			    me->blocks[b][0]) + 1;
out:
	sd__sites_free(&sites);
	git_tree_free(root);
	git_commit_free(commit);
	return rc;
}

/* One sync: rounds of fetch, replay and push. */
static int
sync_once(struct ctx *c, const struct sd_sync_opts *o, struct sd_sync_result *r)
{
	git_oid hub, head, base, result, moved;
	int rc = 0;

	for (int round = 0; round < c->tries; round++) {
		lines_free(&c->lines);
		if ((rc = fetch(c, o->dry_run, &hub)) < 0 || (rc = sd__head(c->s, &head)) < 0)
			return rc;
		if (round == 0 && (rc = count(c->s->repo, &hub, &head, &r->fetched)) < 0)
			return rc;
		/* What the hub has of ours already, a run killed after its
		 * push, the replay skips (its Replayed-From: trailers). */
		if (git_merge_base(&base, c->s->repo, &head, &hub) < 0) {
			git_error_clear();
			return sd_error_set(SD_EINVALID, "%s", _("this store and the hub have no "
			    "history in common"));
		}
		if (git_oid_equal(&base, &head)) {
			result = hub;           /* nothing here: the branch follows */
			r->fast_forward = !git_oid_equal(&head, &hub);
		} else if (git_oid_equal(&base, &hub)) {
			result = head;          /* nothing there: pushed as it is */
		} else {
			if ((rc = replay(c, &base, &head, &hub, o->now, &result)) < 0)
				return rc;
			if (c->lines.failed)
				return sd__oom();
			if ((rc = count(c->s->repo, &head, &base, &r->replayed)) < 0)
				return rc;
		}
		if (o->dry_run)
			return 0;
		if (!o->no_push && !git_oid_equal(&result, &hub)) {
			if ((rc = push(c, &result)) == 1)
				continue;
			if (rc < 0)
				return rc;
			if ((rc = count(c->s->repo, &result, &hub, &r->pushed)) < 0 ||
			    (rc = set_ref(c, REF_HUB, &result)) < 0)
				return rc;
		}
		if ((rc = move(c, &head, &result, o->now, &moved)) < 0)
			return rc;
		drop_outgoing(c);
		write_last(c, &hub, o->now);
		return 0;
	}
	return sd_error_set(SD_EBUSY, _("the hub moved during each of %d tries; run sd-sync "
	    "again"), c->tries);
}

static void
tell(struct ctx *c, sd_sync_line_fn fn, void *arg)
{
	for (size_t i = 0; fn && i < c->lines.n; i++)
		fn(&c->lines.v[i], arg);
	lines_free(&c->lines);
}

/* A lease commit on HEAD and its push; the block told. */
static int
lease(struct ctx *c, const struct sd_sync_opts *o, struct sd_sync_result *r,
    sd_sync_line_fn fn, void *arg)
{
	const struct sd_agent *agent = NULL;
	struct sd_sync_line line;
	char block[64], detail[96];
	long first = 0, last = 0;
	int rc;

	if (sd_store_agent(c->s, &agent) < 0) {
		sd_error_clear();
		agent = NULL;
	}
	if ((rc = sd__sync_lease_commit(c->s, agent, c->site, &first, &last)) < 0)
		return rc;
	snprintf(block, sizeof(block), "%ld-%ld", first, last);
	snprintf(detail, sizeof(detail), _("leased to %s"), c->site);
	line = (struct sd_sync_line){ "lease", block, detail };
	if (fn)
		fn(&line, arg);
	if (o->no_push)
		return 0;
	rc = sync_once(c, o, r);
	tell(c, fn, arg);
	return rc;
}

/* A block wanted: a site of a desk with [sync] with fewer than low left. */
static int
lease_wanted(struct ctx *c)
{
	const struct sd_sync_config *sc = sd_config_sync(c->s->cfg);
	long left;

	if (!c->is_site || !sc->given)
		return 0;
	if (numbers_left(c->s, c->site, &left) < 0) {
		sd_error_clear();
		return 0;
	}
	return left < sc->low;
}

int
sd_sync(struct sd_store *s, const struct sd_sync_opts *o, struct sd_sync_result *r,
    sd_sync_line_fn fn, void *arg)
{
	struct sd_sync_result ignore;
	struct ctx c;
	int rc;

	if (!r)
		r = &ignore;
	memset(r, 0, sizeof(*r));
	if ((rc = ctx_open(&c, s)) == 0 && (rc = sync_once(&c, o, r)) == 0) {
		tell(&c, fn, arg);
		if (!o->dry_run && !o->no_push && lease_wanted(&c))
			rc = lease(&c, o, r, fn, arg);
	}
	ctx_free(&c);
	return rc;
}

int
sd_sync_lease(struct sd_store *s, const struct sd_sync_opts *o, sd_sync_line_fn fn, void *arg)
{
	struct sd_sync_result r = { 0 };
	struct ctx c;
	int rc;

	if ((rc = ctx_open(&c, s)) < 0)
		goto out;
	if (!c.is_site) {
		rc = sd_error_set(SD_EINVALID, "%s", _("not a site (git config sd.site is not "
		    "set): the hub needs no block of numbers"));
		goto out;
	}
	if (!sd_config_sync(s->cfg)->given) {
		rc = sd_error_set(SD_ECONFIG, "%s", _("sd.ini has no [sync] section: no blocks "
		    "of numbers are leased"));
		goto out;
	}
	/* Up to date with the hub first: the block is above all it has. */
	if ((rc = sync_once(&c, o, &r)) == 0) {
		tell(&c, fn, arg);
		rc = lease(&c, o, &r, fn, arg);
	}
out:
	ctx_free(&c);
	return rc;
}

int
sd_sync_promote(struct sd_store *s, const struct sd_sync_opts *o)
{
	char site[SD_SITE_MAX];
	git_config *cfg = NULL;
	int rc;

	(void)o;
	if ((rc = sd_store_site(s, site)) < 0)
		return rc;
	if (rc == 0)
		return sd_error_set(SD_EINVALID, "%s", _("not a site (git config sd.site is not "
		    "set): this store is the hub already"));
	if (git_repository_config(&cfg, s->repo) < 0)
		return sd__git_error(".git/config");
	rc = 0;
	if (git_config_delete_entry(cfg, "sd.site") < 0 ||
	    (git_config_delete_entry(cfg, "sd.hub") < 0 &&
	    git_error_last() && git_error_last()->klass != GIT_ERROR_CONFIG))
		rc = sd__git_error(".git/config");
	git_config_free(cfg);
	git_error_clear();
	return rc;
}

int
sd_sync_status(struct sd_store *s, struct sd_sync_status *st)
{
	git_oid head, hub;
	char *text = NULL;
	int rc;

	memset(st, 0, sizeof(*st));
	st->left = -1;
	if ((rc = sd_store_site(s, st->site)) < 0)
		return rc;
	if (sd_store_hub_url(s, &st->hub) < 0)
		sd_error_clear();
	if ((rc = sd__head(s, &head)) < 0)
		goto fail;
	if (git_reference_name_to_id(&hub, s->repo, REF_HUB) == 0) {
		if ((rc = count(s->repo, &head, &hub, &st->ahead)) < 0 ||
		    (rc = count(s->repo, &hub, &head, &st->behind)) < 0)
			goto fail;
	} else if ((rc = count(s->repo, &head, NULL, &st->ahead)) < 0) {
		goto fail;
	}
	git_error_clear();
	if (st->site[0] && (rc = numbers_left(s, st->site, &st->left)) < 0)
		goto fail;
	if (sd__store_read(s, LAST_FILE, &text, NULL) == 0) {
		char *sp = strchr(text, ' ');

		if (sp && (size_t)(sp - text) < sizeof(st->last)) {
			memcpy(st->last, text, (size_t)(sp - text));
			st->last[sp - text] = '\0';
			st->offset = strtoll(sp + 1, NULL, 10);
		}
	}
	sd_error_clear();
	free(text);
	return 0;
fail:
	sd_sync_status_free(st);
	return rc;
}

void
sd_sync_status_free(struct sd_sync_status *st)
{
	if (!st)
		return;
	free(st->hub);
	st->hub = NULL;
}
