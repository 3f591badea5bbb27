/*
 * The policy on push (sd-fsck --commits and --push): the store's branch
 * only moves forward, other refs only as sd.ini's push_refs lists them;
 * every commit of old..new is one action of the action table, authored
 * by an agent the table lets take it, on a linear history, inside the
 * store's layout; every ticket it changes is held to the action's row
 * (lib/rules.c).
 */
#include <ctype.h>
#include <fnmatch.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/attach.h"
#include "sd/config.h"
#include "sd/fsck.h"
#include "sd/id.h"
#include "sd/kb.h"
#include "sd/rules.h"
#include "sd/time.h"
#include "sd/workflow.h"

struct verify {
	git_repository *repo;
	sd_fsck_fn fn;
	void *arg;
	int worst;
	int no_root;            /* a push onto a history: no commit without parent */
	time_t now;             /* the checker's clock, for [sync] max_skew (0: none) */
	char where[300];        /* the commit or ref being checked */
};

static void
say(struct verify *v, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
say(struct verify *v, const char *path, const char *fmt, ...)
{
	struct sd_fsck_finding f = { 0 };
	char msg[1200], line[1600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s: %s", v->where, msg);
	f.path = path;
	f.message = line;
	f.code = SD_EINVALID;
	v->fn(&f, v->arg);
	v->worst = SD_EINVALID;
}

/* The text of path in tree, or NULL (a caller's copy). */
static char *
blob_text(git_repository *repo, git_tree *tree, const char *path, size_t *len)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	char *text = NULL;

	if (tree && git_tree_entry_bypath(&e, tree, path) == 0 &&
	    git_blob_lookup(&b, repo, git_tree_entry_id(e)) == 0) {
		*len = (size_t)git_blob_rawsize(b);
		text = sd__strndup(git_blob_rawcontent(b), *len);
	}
	git_blob_free(b);
	git_tree_entry_free(e);
	return text;
}

static int
tree_config(struct sd_config **out, git_repository *repo, git_tree *tree)
{
	char *texts[4] = { NULL, NULL, NULL, NULL };
	size_t len;
	int rc;

	for (int f = 0; f < 4; f++)
		texts[f] = blob_text(repo, tree, sd_config_files[f], &len);
	rc = sd_config_parse(out, (const char *const *)texts, sd_config_files);
	for (int f = 0; f < 4; f++)
		free(texts[f]);
	return rc;
}

/* The value of trailer key in a commit message ("Action"), or "". */
static void
trailer(char *out, size_t size, const char *message, const char *key)
{
	size_t n = strlen(key);

	out[0] = '\0';
	for (const char *p = message; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ':' && p[n + 1] == ' ') {
			size_t k = strcspn(p + n + 2, "\n");
			snprintf(out, size, "%.*s", (int)(k < size ? k : size - 1), p + n + 2);
		}
}

/* The agent who wrote a commit: by the email agents.ini gives it, or for
 * an agent without one by the address its commits carry,
 * <id>@<prefix>.sd.invalid (lib/change.c).  An agent with an email is
 * known by it alone. */
static const struct sd_agent *
author_agent(const struct sd_config *cfg, const git_signature *a)
{
	const char *at = a->email ? strrchr(a->email, '@') : NULL;
	const char *prefix = cfg ? sd_config_prefix(cfg) : "";
	size_t plen = strlen(prefix);
	int ours = 0;

	/* Is the domain <prefix>.sd.invalid (the prefix in lower case)? */
	if (at && !strncasecmp(at + 1, prefix, plen) && !strcmp(at + 1 + plen, ".sd.invalid")) {
		ours = 1;
		for (size_t i = 0; i < plen; i++)
			ours = ours && !isupper((unsigned char)at[1 + i]);
	}
	for (size_t i = 0; cfg && i < sd_config_agent_count(cfg); i++) {
		const struct sd_agent *g = sd_config_agent_at(cfg, i);
		if (g->email ? a->email && !strcmp(g->email, a->email) :
		    ours && strlen(g->id) == (size_t)(at - a->email) &&
		    !strncmp(g->id, a->email, (size_t)(at - a->email)))
			return g;
	}
	return NULL;
}

/* Is "Ticket: id" among the commit's trailers? */
static int
names_ticket(const char *message, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = message; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "Ticket: ", 8) && !strncmp(p + 8, id, n) &&
		    (p[8 + n] == '\n' || !p[8 + n]))
			return 1;
	return 0;
}

/* A message "path: what" of lib/layout.c, as "what": say() names the path. */
static const char *
without_path(const char *message, const char *path)
{
	size_t n = strlen(path);

	return !strncmp(message, path, n) && message[n] == ':' && message[n + 1] == ' ' ?
	    message + n + 2 : message;
}

/* The attachments of a commit: those it adds under attachments/, and
 * those the events it adds reference. */
struct attached {
	char hex[SD_ATTACH_HEX + 1];
	size_t size;
	char path[SD_ATTACH_PATH_MAX];
};
struct attach_set {
	struct attached *v;
	size_t n, cap;
	int oom;                /* one was left out: the commit is refused */
};

static void
attach_add(struct attach_set *a, const char *hex, size_t size, const char *path)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 8;
		struct attached *v = realloc(a->v, cap * sizeof(*v));
		if (!v) {
			a->oom = 1;
			return;
		}
		a->v = v;
		a->cap = cap;
	}
	memcpy(a->v[a->n].hex, hex, SD_ATTACH_HEX + 1);
	a->v[a->n].size = size;
	snprintf(a->v[a->n].path, sizeof(a->v[a->n].path), "%s", path);
	a->n++;
}

struct ticket_finding {
	struct verify *v;
	const char *path;
};

static void
ticket_finding(int code, const char *message, void *arg)
{
	struct ticket_finding *tf = arg;

	(void)code;
	say(tf->v, tf->path, "%s", message);
}

/* Is word one of the space-separated words of list? */
static int
in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* Ticket id (a word of a `problem` or `incidents` key) as the tree has it,
 * or NULL. */
static struct sd_ticket *
tree_ticket(struct verify *v, git_tree *tree, const struct sd_config *cfg, const char *id)
{
	struct sd_ticket *t = NULL;
	char *path = NULL, *text;
	size_t len = 0;
	long n;

	if (sd_id_parse(&n, sd_config_prefix(cfg), id) < 0 ||
	    sd_id_path(&path, sd_config_prefix(cfg), n) < 0)
		return NULL;
	if ((text = blob_text(v->repo, tree, path, &len)))
		sd_ticket_parse(&t, text, len, path, SD_PARSE_HEAD);
	free(text);
	free(path);
	sd_error_clear();
	return t;
}

/* The links of problem management, both ends in the commit's tree: an
 * incident names a problem that lists it, a problem lists incidents that
 * name it; and a link once made stays. */
static void
check_problem_links(struct verify *v, const char *path, git_tree *tree,
    const struct sd_config *cfg, const struct sd_ticket *before, const struct sd_ticket *after)
{
	const char *id = sd_ticket_get(after, SD_F_ID);
	const char *was = before ? sd_ticket_get(before, SD_F_PROBLEM) : "";
	const char *is = sd_ticket_get(after, SD_F_PROBLEM);
	const char *had = before ? sd_ticket_get(before, SD_F_INCIDENTS) : "";
	const char *has = sd_ticket_get(after, SD_F_INCIDENTS);
	char **w = NULL;
	size_t nw = 0;

	if (strcmp(was, is)) {
		struct sd_ticket *p = *is ? tree_ticket(v, tree, cfg, is) : NULL;
		if (*was)
			say(v, path, _("problem: %s is linked to %s already; a link stays"), id, was);
		else if (!p || strcmp(sd_ticket_get(p, SD_F_TYPE), "problem") ||
		    !in_list(sd_ticket_get(p, SD_F_INCIDENTS), id))
			say(v, path, _("problem: %s is not a problem that lists %s"), is, id);
		sd_ticket_free(p);
	}
	if (!strcmp(had, has) || sd__split_list(&w, &nw, has, ' ') < 0)
		return;
	if (strncmp(has, had, strlen(had)) || (*had && has[strlen(had)] != ' '))
		say(v, path, "%s", _("incidents: a link stays; new incidents are added at the end"));
	for (size_t i = 0; i < nw; i++) {
		struct sd_ticket *t;
		if (in_list(had, w[i]))
			continue;
		t = tree_ticket(v, tree, cfg, w[i]);
		if (!t || strcmp(sd_ticket_get(t, SD_F_PROBLEM), id))
			say(v, path, _("incidents: %s is not an incident linked to %s"), w[i], id);
		sd_ticket_free(t);
	}
	sd__free_list(w, nw);
}

/* With [sync], an event the commit adds is dated no later than the
 * checker's clock plus max_skew: a site's clock ahead would stop SLA
 * clocks in the future. */
static void
check_clock(struct verify *v, const char *path, const char *id, const struct sd_ticket *before,
    const struct sd_ticket *after, const struct sd_config *cfg)
{
	const struct sd_sync_config *sc = sd_config_sync(cfg);
	char clock[SD_TIME_MAX];
	time_t t;

	if (!v->now || !sc->given)
		return;
	sd_time_format(clock, sd_config_zone(cfg), v->now);
	for (size_t i = before ? sd_ticket_event_count(before) : 0;
	    i < sd_ticket_event_count(after); i++) {
		const char *at = sd_ticket_event_get(after, i, "at");

		if (at && sd_time_parse(&t, NULL, at) == 0 && t > v->now + sc->max_skew)
			say(v, path, _("%s: event %zu is dated %s, later than this clock (%s) "
			    "and [sync] max_skew (%llds) allow"), id, i + 1, at, clock, sc->max_skew);
	}
	sd_error_clear();
}

/* One ticket file changed by a commit, held to the action table. */
static void
check_ticket(struct verify *v, const char *path, const char *old, size_t olen,
    const char *new, size_t nlen, const struct sd_config *cfg, const struct sd_config *pcfg,
    const char *action, const struct sd_agent *agent, const char *message,
    struct attach_set *refs, git_tree *tree)
{
	struct sd_ticket *before = NULL, *after = NULL;
	struct ticket_finding tf = { v, path };
	const char *act = action;
	char id[SD_ID_MAX];
	long n;

	if (sd__layout_ticket_path(path, sd_config_prefix(cfg), &n) < 0) {
		say(v, path, "%s", without_path(sd_error_message(), path));
		return;
	}
	if (new && sd_ticket_parse(&after, new, nlen, path, SD_PARSE_FULL) < 0) {
		say(v, path, "%s", sd_error_message());
		return;
	}
	sd_id_format(id, sd_config_prefix(cfg), n);
	if (after && strcmp(id, sd_ticket_get(after, SD_F_ID))) {
		say(v, path, _("id '%s' does not match the file name"), sd_ticket_get(after, SD_F_ID));
		goto out;
	}
	if (!names_ticket(message, id))
		say(v, path, _("%s changed, but the commit has no 'Ticket: %s' trailer"), id, id);
	if (old && sd_ticket_parse(&before, old, olen, path, SD_PARSE_FULL) < 0) {
		say(v, path, _("it was broken before this commit: %s"), sd_error_message());
		goto out;
	}
	/* sd-new links the ticket it relates to back, in the same commit. */
	if (before && after && !strcmp(action, "new"))
		act = "link";
	sd_rules_check(cfg, pcfg, agent, act, before, after, ticket_finding, &tf);
	sd_error_clear();
	if (after)
		check_clock(v, path, id, before, after, pcfg ? pcfg : cfg);
	/* The article a new event says solved it is in the tree. */
	for (size_t i = before ? sd_ticket_event_count(before) : 0;
	    after && i < sd_ticket_event_count(after); i++) {
		const char *kb = sd_ticket_event_get(after, i, "kb");
		char kpath[SD_KB_PATH_MAX], kid[SD_KB_ID_MAX];
		git_tree_entry *e = NULL;
		long kn;

		if (!kb)
			continue;
		if (sd_kb_id_parse(&kn, kb) < 0 || (sd_kb_id_format(kid, kn), strcmp(kid, kb))) {
			say(v, path, _("kb = %s: not an article id (KB-N)"), kb);
			continue;
		}
		sd_kb_path(kpath, kn);
		if (git_tree_entry_bypath(&e, tree, kpath) < 0)
			say(v, path, _("kb = %s: no such article in the tree"), kb);
		git_tree_entry_free(e);
	}
	sd_error_clear();
	if (after)
		check_problem_links(v, path, tree, cfg, before, after);
	/* The attachments its new events reference. */
	if (after) {
		struct sd_attach_list l;
		size_t from = before ? sd_ticket_event_count(before) : 0;

		if (sd_attach_list(&l, after) < 0) {
			say(v, path, "%s", sd_error_message());
			goto out;
		}
		unsigned long long total = 0;

		for (size_t i = 0; i < l.n; i++) {
			if (l.ev[i] < from) {
				total += l.v[i].size;
				continue;
			}
			/* Within sd.ini's limits, as sd-attach and sd-mail hold them. */
			if (sd_attach_fits(cfg, total, l.v[i].size, l.v[i].name) < 0)
				say(v, path, "%s", sd_error_message());
			total += l.v[i].size;
			attach_add(refs, l.v[i].hex, l.v[i].size, path);
		}
		sd_attach_list_free(&l);
	}
out:
	sd_ticket_free(before);
	sd_ticket_free(after);
}

struct diff {
	struct attach_set added, refs;
	struct verify *v;
	git_tree *old, *new;
	const struct sd_config *cfg, *pcfg;
	const char *action, *message;
	const struct sd_agent *agent;
	int config_changed, tickets_changed, others_changed, kb_changed, sites_changed;
	const struct sd__sites *psites;  /* the parent's sites.ini */
	const char *site;       /* its Site: trailer, or NULL */
	int leases;             /* the desk leases numbers: they are checked */
};

/* Is path (top level) one of the configuration files? */
static int
config_file(const char *path)
{
	for (int f = 0; f < 4; f++)
		if (!strcmp(path, sd_config_files[f]))
			return 1;
	return 0;
}

/* The size of a blob from its header: a pushed file is not read whole
 * to learn it. */
static int
blob_size(git_repository *repo, const git_oid *id, size_t *size)
{
	git_odb *odb = NULL;
	git_object_t type;
	int rc;

	if (git_repository_odb(&odb, repo) < 0)
		return -1;
	rc = git_odb_read_header(size, &type, odb, id);
	git_odb_free(odb);
	return rc < 0 || type != GIT_OBJECT_BLOB ? -1 : 0;
}

/* A file under attachments/ that a commit adds (one it changes or
 * removes is refused): named by the SHA-256 of its bytes. */
static void
check_attachment(struct diff *d, const char *path, const git_tree_entry *ea,
    const git_tree_entry *eb)
{
	git_blob *b = NULL;
	char hex[SD_ATTACH_HEX + 1];
	size_t size;

	if (ea) {
		say(d->v, path, "%s", eb ? _("an attachment is never changed") :
		    _("an attachment is never removed"));
		return;
	}
	if (git_tree_entry_type(eb) != GIT_OBJECT_BLOB ||
	    blob_size(d->v->repo, git_tree_entry_id(eb), &size) < 0) {
		say(d->v, path, "%s", _("not a regular file"));
		return;
	}
	/* Over the limit: refused before its bytes are read. */
	if (size > sd_config_attach_limits(d->cfg)->max_size) {
		char got[SD_ATTACH_SIZE_WORDS], max[SD_ATTACH_SIZE_WORDS];

		sd_attach_size_words(got, size);
		sd_attach_size_words(max, sd_config_attach_limits(d->cfg)->max_size);
		say(d->v, path, _("%s, over the %s limit of an attachment ([attachments] max_size)"),
		    got, max);
		return;
	}
	if (git_blob_lookup(&b, d->v->repo, git_tree_entry_id(eb)) < 0) {
		say(d->v, path, "%s", _("cannot be read"));
		return;
	}
	if (sd_attach_check(path, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b)) < 0)
		say(d->v, path, "%s", without_path(sd_error_message(), path));
	else if (sd_attach_path_parse(path, hex) == 0)
		attach_add(&d->added, hex, (size_t)git_blob_rawsize(b), path);
	git_blob_free(b);
}

/* Every attachment added is referenced by an event the commit adds, and
 * every reference it adds is to a file of its tree, of its size. */
static void
check_references(struct diff *d)
{
	if (d->added.oom || d->refs.oom) {
		say(d->v, NULL, "%s", _("out of memory while checking attachments"));
		return;
	}
	for (size_t i = 0; i < d->added.n; i++) {
		int found = 0;
		for (size_t j = 0; j < d->refs.n && !found; j++)
			found = !strcmp(d->added.v[i].hex, d->refs.v[j].hex);
		if (!found)
			say(d->v, d->added.v[i].path, "%s", _("an attachment that no event of "
			    "this commit references"));
	}
	for (size_t j = 0; j < d->refs.n; j++) {
		git_tree_entry *e = NULL;
		char path[SD_ATTACH_PATH_MAX];
		size_t size;

		sd_attach_path(path, d->refs.v[j].hex);
		if (git_tree_entry_bypath(&e, d->new, path) < 0 ||
		    git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    blob_size(d->v->repo, git_tree_entry_id(e), &size) < 0)
			say(d->v, d->refs.v[j].path, _("references %s, which is not in the tree"), path);
		else if (size != d->refs.v[j].size)
			say(d->v, d->refs.v[j].path, _("references %s as %zu bytes; it holds %zu"), path,
			    d->refs.v[j].size, size);
		git_tree_entry_free(e);
	}
}

/* An article under kb/ that a commit adds or changes, in the shape sd-kb
 * writes, by its author. */
static void
check_kb(struct diff *d, const char *path, const git_tree_entry *ea,
    const git_tree_entry *eb)
{
	struct sd_kb_article a;
	git_blob *b = NULL;
	time_t at;
	long n;

	(void)ea;
	d->kb_changed++;
	if (!eb) {
		say(d->v, path, "%s", _("an article is never removed"));
		return;
	}
	if (git_tree_entry_type(eb) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&b, d->v->repo, git_tree_entry_id(eb)) < 0) {
		say(d->v, path, "%s", _("not a regular file"));
		return;
	}
	if (sd_kb_path_parse(path, &n) < 0 ||
	    sd_kb_parse(&a, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), path) < 0) {
		say(d->v, path, "%s", without_path(sd_error_message(), path));
		git_blob_free(b);
		return;
	}
	git_blob_free(b);
	if (a.n != n)
		say(d->v, path, _("id '%s' does not match the file name"), a.id);
	if (d->agent && strcmp(a.updated_by, d->agent->id))
		say(d->v, path, _("updated_by = %s, but the commit is %s's"), a.updated_by,
		    d->agent->id);
	if (sd_time_parse(&at, sd_config_zone(d->cfg), a.updated_at) < 0)
		say(d->v, path, _("updated_at = %s: not a time (RFC 3339)"), a.updated_at);
	if (sd_kb_category_check(d->cfg, a.category) < 0)
		say(d->v, path, "%s", sd_error_message());
	sd_error_clear();
	sd_kb_free(&a);
}

/* A ticket a commit adds has a number its site may give (sites.ini):
 * one of its blocks or its overflow range; the hub's, none of those. */
static void
check_number(struct diff *d, const char *path)
{
	char id[SD_ID_MAX];
	long n;

	if (sd__layout_ticket_path(path, sd_config_prefix(d->cfg), &n) < 0) {
		sd_error_clear();
		return;         /* check_ticket says what is wrong */
	}
	if (sd__sites_may_number(d->psites, d->site, n))
		return;
	sd_id_format(id, sd_config_prefix(d->cfg), n);
	if (d->site)
		say(d->v, path, _("%s is not a number site %s may give (its blocks in sites.ini, "
		    "or its overflow range)"), id, d->site);
	else
		say(d->v, path, _("%s is in a site's block or overflow range; the hub does not "
		    "give it"), id);
}

static const long below_overflow[1][2] = { { 1, SD__OVERFLOW_BASE - 1 } };

/* A lease commit: sites.ini gains one block for its Site (or that site,
 * new, with its first block), of [sync] lease numbers, above every number
 * of the parent's tree. */
static void
check_lease(struct verify *v, git_tree *old, git_tree *new, const struct sd__sites *was,
    const struct sd_config *pcfg, const char *site)
{
	struct sd__sites is = { 0 };
	const struct sd__site *a, *b;
	char *text;
	size_t len = 0;
	long top = 0, first, last;
	int number = 0, lease = sd_config_sync(pcfg)->lease;

	if (!site) {
		say(v, "sites.ini", "%s", _("a lease commit has no Site: trailer"));
		return;
	}
	if (!(text = blob_text(v->repo, new, "sites.ini", &len))) {
		say(v, "sites.ini", "%s", _("a lease commit may not remove sites.ini"));
		return;
	}
	if (sd__sites_parse(&is, text, len) < 0) {
		say(v, "sites.ini", "%s", sd_error_message());
		goto out;
	}
	/* Every other site as it was, in its place. */
	for (size_t i = 0; i < was->n; i++) {
		number = was->v[i].number > number ? was->v[i].number : number;
		if (i >= is.n || strcmp(is.v[i].name, was->v[i].name) ||
		    is.v[i].number != was->v[i].number ||
		    is.v[i].nblocks != was->v[i].nblocks + !strcmp(was->v[i].name, site) ||
		    memcmp(is.v[i].blocks, was->v[i].blocks,
		    was->v[i].nblocks * sizeof(*was->v[i].blocks))) {
			say(v, "sites.ini", _("a lease commit adds one block for site %s and "
			    "changes nothing else"), site);
			goto out;
		}
	}
	a = sd__sites_find(was, site);
	b = sd__sites_find(&is, site);
	if (is.n != was->n + !a || !b || b->nblocks != (a ? a->nblocks : 0) + 1) {
		say(v, "sites.ini", _("a lease commit adds one block for site %s and "
		    "changes nothing else"), site);
		goto out;
	}
	if (!a && b->number != number + 1) {
		say(v, "sites.ini", _("a new site's number is one more than the largest, %d, "
		    "not %d"), number + 1, b->number);
		goto out;
	}
	first = b->blocks[b->nblocks - 1][0];
	last = b->blocks[b->nblocks - 1][1];
	if (old && sd__layout_max_in(&top, v->repo, old, sd_config_prefix(pcfg),
	    below_overflow, 1) < 0) {
		say(v, "sites.ini", "%s", sd_error_message());
		goto out;
	}
	if (sd__sites_max(was) > top)
		top = sd__sites_max(was);
	if (first <= top)
		say(v, "sites.ini", _("the block %ld-%ld is not above every number of the "
		    "parent's tree (%ld)"), first, last, top);
	else if (last - first + 1 != lease)
		say(v, "sites.ini", _("the block %ld-%ld is not of [sync] lease = %d numbers"),
		    first, last, lease);
out:
	sd__sites_free(&is);
	free(text);
}

/* Walk what differs between two trees, as sd__checkout does. */
static void
walk(struct diff *d, const char *prefix, git_tree *a, git_tree *b)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;

	while (i < na || j < nb) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		const git_tree_entry *e = c <= 0 ? ea : eb;
		char path[4096];

		/* ea and eb from here: this path's entries, old and new (NULL:
		 * none), never the other tree's next one. */
		if (c < 0)
			eb = NULL;
		else if (c > 0)
			ea = NULL;

		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
		if (c == 0 && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)))
			continue;
		snprintf(path, sizeof(path), "%s%s", prefix, git_tree_entry_name(e));
		if ((ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE) ||
		    (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE)) {
			git_tree *ta = NULL, *tb = NULL;
			if (c <= 0 && git_tree_entry_type(ea) == GIT_OBJECT_TREE)
				git_tree_lookup(&ta, d->v->repo, git_tree_entry_id(ea));
			if (c >= 0 && git_tree_entry_type(eb) == GIT_OBJECT_TREE)
				git_tree_lookup(&tb, d->v->repo, git_tree_entry_id(eb));
			/* A directory: tickets/ or one of its shards, not empty
			 * (lib/layout.c says the same of a whole tree). */
			if (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE) {
				int shard = !strncmp(path, "tickets/", 8) && !strchr(path + 8, '/');
				int xx = !strncmp(path, "attachments/", 12) && !strchr(path + 12, '/');
				if (!strcmp(path, "attachments") || xx) {
					if (xx && (strlen(path + 12) != 2 ||
					    strspn(path + 12, "0123456789abcdef") != 2))
						say(d->v, path, "%s", _("not an attachments directory (XX: the "
						    "first two hex digits of the SHA-256 of its files)"));
					else if (!tb || !git_tree_entrycount(tb))
						say(d->v, path, "%s", _("an empty attachments directory"));
				} else if (!strcmp(path, "kb")) {
					if (!tb || !git_tree_entrycount(tb))
						say(d->v, path, "%s", _("an empty knowledge base directory"));
				} else if (strcmp(path, "tickets") && !shard)
					say(d->v, path, "%s", _("not part of a store's layout"));
				else if (shard && sd__layout_shard(path + 8) < 0)
					say(d->v, path, "%s", _("not a shard (NNN: the ticket number / 1000, "
					    "zero-padded to 3 digits)"));
				else if (!tb || !git_tree_entrycount(tb))
					say(d->v, path, "%s", _("an empty shard"));
			}
			strcat(path, "/");
			walk(d, path, ta, tb);
			git_tree_free(ta);
			git_tree_free(tb);
			continue;
		}
		if (eb && sd__layout_path(path, git_tree_entry_filemode(eb), sd_config_prefix(d->cfg),
		    NULL) < 0) {
			say(d->v, path, "%s", without_path(sd_error_message(), path));
		} else if (!strncmp(path, "kb/", 3)) {
			check_kb(d, path, ea, eb);
		} else if (!strncmp(path, "attachments/", 12)) {
			d->others_changed = 1;
			check_attachment(d, path, ea, eb);
		} else if (!strncmp(path, "tickets/", 8)) {
			size_t olen = 0, nlen = 0;
			char *old = blob_text(d->v->repo, d->old, path, &olen);
			char *new = blob_text(d->v->repo, d->new, path, &nlen);
			d->tickets_changed = 1;
			if (!ea && eb && d->leases)
				check_number(d, path);
			/* A calendar or SLA edit carries its due-date repairs (the
			 * configuration files come first in a tree). */
			check_ticket(d->v, path, old, olen, new, nlen, d->cfg, d->pcfg,
			    d->config_changed && !strcmp(d->action, "edit") ? "repair" : d->action,
			    d->agent, d->message, &d->refs, d->new);
			free(old);
			free(new);
		} else if (!strcmp(path, "sites.ini")) {
			d->sites_changed = 1;
		} else if (config_file(path)) {
			d->config_changed = 1;
			if (!eb)
				say(d->v, path, "%s", _("a configuration file may not be removed"));
		}
	}
}

/* A ticket whose due date the commit's configuration moves, not moved. */
static int
stale_due(const char *rel, const char *data, size_t len, const char *key, const char *was,
    const char *clock, void *arg)
{
	(void)data, (void)len;
	say(arg, rel, _("%s is '%s', the clock says '%s' under this commit's configuration"),
	    key, was, clock);
	return 0;
}

static void
check_commit(struct verify *v, git_commit *c)
{
	git_commit *parent = NULL;
	git_tree *old = NULL, *new = NULL;
	struct sd_config *cfg = NULL, *pcfg = NULL;
	const struct sd_action *row;
	char action[64], hex[GIT_OID_HEXSZ + 1], site[64], from[64];
	struct sd__sites psites = { 0 };
	struct diff d = { 0 };

	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	snprintf(v->where, sizeof(v->where), "commit %.12s", hex);
	if (git_commit_parentcount(c) > 1) {
		say(v, "", "%s", _("a merge commit: the store's history is linear "
		    "(sites rebase their work with sd-sync)"));
		return;
	}
	if (v->no_root && !git_commit_parentcount(c)) {
		say(v, "", "%s", _("a root commit: the store's history has one root, "
		    "its init, and grows from it"));
		return;
	}
	if (git_commit_tree(&new, c) < 0) {
		say(v, "", "%s", _("its tree cannot be read"));
		return;
	}
	if (git_commit_parentcount(c) > 0 && (git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&old, parent) < 0)) {
		say(v, "", "%s", _("its parent cannot be read"));
		goto out;
	}
	if (tree_config(&cfg, v->repo, new) < 0) {
		say(v, "", "%s", sd_error_message());
		goto out;
	}
	trailer(action, sizeof(action), git_commit_message(c), "Action");
	if (!*action) {
		say(v, "", "%s", _("no Action: trailer"));
		goto out;
	}
	if (!(row = sd_action_find(action))) {
		say(v, "", _("Action: %s is no action of sd(7)"), action);
		goto out;
	}
	if (!parent != !strcmp(action, "init")) {
		say(v, "", "%s", parent ? _("init is the first commit alone") :
		    _("the first commit is sd-init's, action init"));
		goto out;
	}
	/* Who acts is told by the rules as they stood before the commit. */
	if (old && tree_config(&pcfg, v->repo, old) < 0) {
		say(v, "", _("its parent's configuration: %s"), sd_error_message());
		goto out;
	}
	/* Made at a site: one its parent's sites.ini knows (a lease may
	 * name the site it adds). */
	trailer(site, sizeof(site), git_commit_message(c), "Site");
	trailer(from, sizeof(from), git_commit_message(c), "Replayed-From");
	if (strstr(git_commit_message(c), "\nReplayed-From:") &&
	    (strlen(from) != GIT_OID_HEXSZ || strspn(from, "0123456789abcdef") != GIT_OID_HEXSZ)) {
		say(v, "", _("Replayed-From: '%s' is not a commit id (40 hex digits)"), from);
		goto out;
	}
	if (old && sd__sites_from_tree(&psites, v->repo, old) < 0) {
		say(v, "sites.ini", _("its parent's sites.ini: %s"), sd_error_message());
		goto out;
	}
	/* Leases hold when the desk has them: [sync] or a sites.ini.  A
	 * plain replay sync (no [sync]) has sites, but no numbers of theirs. */
	d.leases = sd_config_sync(pcfg ? pcfg : cfg)->given || psites.n;
	if (d.leases && strstr(git_commit_message(c), "\nSite:") && strcmp(action, "lease") &&
	    !sd__sites_find(&psites, site)) {
		say(v, "", _("Site: '%s' is no site of sites.ini"), site);
		goto out;
	}
	d.psites = &psites;
	d.site = *site ? site : NULL;
	d.v = v;
	d.old = old;
	d.new = new;
	d.cfg = cfg;
	d.pcfg = pcfg ? pcfg : cfg;
	d.action = action;
	d.message = git_commit_message(c);
	d.agent = author_agent(d.pcfg, git_commit_author(c));
	if (!d.agent && !(row->who & SD_RULE_STORE)) {
		say(v, "", _("the author <%s> is no agent of agents.ini"), git_commit_author(c)->email);
		goto out;
	}
	walk(&d, "", old, new);
	check_references(&d);
	if (d.config_changed && !(row->flags & SD_ACT_CONFIG))
		say(v, "", _("%s does not change the configuration files"), action);
	else if (d.config_changed && d.tickets_changed && strcmp(action, "edit"))
		say(v, "", "%s", _("a commit that edits a configuration file changes no ticket"));
	else if (d.config_changed && parent &&
	    sd_workflow_permit(d.pcfg, d.agent, NULL, action, NULL, 0) < 0)
		say(v, "", "%s", sd_error_message());
	if (!parent && d.tickets_changed)
		say(v, "", "%s", _("the first commit holds no ticket"));
	/* sites.ini: the lease action's alone, and nothing else in its commit. */
	if (d.sites_changed && strcmp(action, "lease"))
		say(v, "sites.ini", _("%s does not change sites.ini (only a lease does)"), action);
	else if (!strcmp(action, "lease") && (!d.sites_changed || d.tickets_changed ||
	    d.config_changed || d.others_changed || d.kb_changed))
		say(v, "", "%s", _("a lease commit changes sites.ini and nothing else"));
	else if (!strcmp(action, "lease"))
		check_lease(v, old, new, &psites, d.pcfg, d.site);
	/* The knowledge base: one article a commit, of sd-kb's, and nothing else. */
	if (d.kb_changed && strcmp(action, "kb"))
		say(v, "", _("%s does not write the knowledge base (only kb does)"), action);
	else if (!strcmp(action, "kb") && (d.kb_changed != 1 || d.tickets_changed ||
	    d.config_changed || d.others_changed))
		say(v, "", "%s", _("a kb commit writes one article and nothing else"));
	/* A calendar or SLA edit leaves no due date stale (lib/due.c). */
	if (parent && sd__due_config_moved(old, new) &&
	    sd__due_stale(v->repo, new, cfg, stale_due, v) < 0)
		say(v, "", "%s", sd_error_message());
out:
	sd__sites_free(&psites);
	free(d.added.v);
	free(d.refs.v);
	sd_config_free(cfg);
	sd_config_free(pcfg);
	git_tree_free(old);
	git_tree_free(new);
	git_commit_free(parent);
}

/* Open the repository: dir's, or in a hook the environment's (GIT_DIR and
 * the quarantine of the push). */
static int
open_repo(struct verify *v, const char *dir, sd_fsck_fn fn, void *arg)
{
	v->fn = fn;
	v->arg = arg;
	git_libgit2_init();
	if (dir ? git_repository_open_ext(&v->repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 :
	    git_repository_open_ext(&v->repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0)
		return sd__git_error(dir ? dir : "GIT_DIR");
	return 0;
}

/* Check every commit the walker gives. */
static int
check_walk(struct verify *v, git_revwalk *walker)
{
	git_oid id;

	while (git_revwalk_next(&id, walker) == 0) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, v->repo, &id) < 0)
			return sd__git_error("commit");
		check_commit(v, c);
		git_commit_free(c);
	}
	return 0;
}

int
sd_fsck_commits(const char *dir, const char *range, time_t now, sd_fsck_fn fn, void *arg)
{
	struct verify v = { .now = now };
	git_revwalk *walker = NULL;
	int rc = 0;

	if ((rc = open_repo(&v, dir, fn, arg)) < 0)
		goto out;
	if (git_revwalk_new(&walker, v.repo) < 0) {
		rc = sd__git_error("revwalk");
		goto out;
	}
	git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	if (strstr(range, "..")) {
		if (git_revwalk_push_range(walker, range) < 0)
			rc = -1;
	} else {
		git_object *o = NULL;
		if (git_revparse_single(&o, v.repo, range) < 0 ||
		    git_revwalk_push(walker, git_object_id(o)) < 0)
			rc = -1;
		git_object_free(o);
	}
	if (rc < 0) {
		rc = sd_error_set(SD_EUSAGE, _("--commits: '%s' is not OLD..NEW or a commit"), range);
		goto out;
	}
	if ((rc = check_walk(&v, walker)) == 0)
		rc = v.worst;
out:
	git_revwalk_free(walker);
	git_repository_free(v.repo);
	return rc;
}

/* The store's branch: what HEAD names in the repository (refs/heads/main
 * as sd-init makes it). */
static void
store_branch(char *out, size_t size, git_repository *repo)
{
	if (sd__head_branch(repo, out, size) < 0)
		snprintf(out, size, "refs/heads/main");
}

/* Does sd.ini at the tip of branch list ref in [store] push_refs? */
static int
listed_ref(struct verify *v, const char *branch, const char *ref)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	struct sd_config *cfg = NULL;
	const char *const *pats;
	git_oid tip;
	int found = 0;

	if (git_reference_name_to_id(&tip, v->repo, branch) == 0 &&
	    git_commit_lookup(&c, v->repo, &tip) == 0 && git_commit_tree(&tree, c) == 0 &&
	    tree_config(&cfg, v->repo, tree) == 0) {
		size_t n = sd_config_push_refs(cfg, &pats);
		for (size_t i = 0; i < n && !found; i++)
			found = fnmatch(pats[i], ref, FNM_PATHNAME) == 0;
	}
	sd_error_clear();
	sd_config_free(cfg);
	git_tree_free(tree);
	git_commit_free(c);
	return found;
}

int
sd_fsck_push(const char *dir, const char *old, const char *new, const char *ref,
    time_t now, sd_fsck_fn fn, void *arg)
{
	struct verify v = { .now = now };
	git_revwalk *walker = NULL;
	git_oid o, n, zero;
	char branch[256];
	int rc;

	memset(&zero, 0, sizeof(zero));
	git_libgit2_init();
	if (strlen(old) != GIT_OID_HEXSZ || strlen(new) != GIT_OID_HEXSZ ||
	    git_oid_fromstr(&o, old) < 0 || git_oid_fromstr(&n, new) < 0 ||
	    strncmp(ref, "refs/", 5))
		return sd_error_set(SD_EUSAGE, _("--push: '%s %s %s' is not OLD NEW REF "
		    "(as a pre-receive hook reads them)"), old, new, ref);
	if ((rc = open_repo(&v, dir, fn, arg)) < 0)
		goto out;
	store_branch(branch, sizeof(branch), v.repo);
	snprintf(v.where, sizeof(v.where), "%s", ref);
	if (strcmp(ref, branch)) {
		/* Another ref is the administrator's to allow, taken as it is:
		 * sd reads the store's branch alone. */
		if (!listed_ref(&v, branch, ref))
			say(&v, "", _("only %s is pushed here; sd.ini's [store] push_refs "
			    "lists the other refs a push may move"), branch);
		rc = v.worst;
		goto out;
	}
	if (git_oid_equal(&n, &zero)) {
		say(&v, "", "%s", _("the store's branch may not be deleted"));
		rc = v.worst;
		goto out;
	}
	if (!git_oid_equal(&o, &zero)) {
		int ff = git_oid_equal(&o, &n) ? 1 : git_graph_descendant_of(v.repo, &n, &o);
		if (ff != 1) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof(hex), &o);
			say(&v, "", _("not a fast-forward of %.12s: the store's history only "
			    "moves forward (no rewind, no rewrite, no other root)"), hex);
			rc = v.worst;
			goto out;
		}
		v.no_root = 1;
	}
	if (git_revwalk_new(&walker, v.repo) < 0 ||
	    git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walker, &n) < 0 ||
	    (v.no_root && git_revwalk_hide(walker, &o) < 0)) {
		rc = sd__git_error(new);
		goto out;
	}
	if ((rc = check_walk(&v, walker)) == 0)
		rc = v.worst;
out:
	git_revwalk_free(walker);
	git_repository_free(v.repo);
	return rc;
}
