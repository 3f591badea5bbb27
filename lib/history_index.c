/*
 * The index of tickets' histories: for each ticket file, the commits
 * lib/history.c's walk lists for it, so that sd-show --history reads one
 * small file instead of walking the store's whole history.
 *
 * It is this machine's, outside git: .git/sd-history/tickets/NNN, one file
 * a shard as the store's tickets/NNN, and .git/sd-history/HEAD, the
 * commit it is at.  A shard's file is "sd-history 1", then a line
 * "NAME ID ID..." for each ticket in order of name (its commits newest
 * first), then "end COUNT SUM": COUNT lines, SUM the FNV-1a hash of all
 * before it, in 16 hex digits.  A file cut short or changed by hand fails
 * the check, and the index is then rebuilt: it is never trusted.
 *
 * It follows HEAD's first parents.  A commit's changes to tickets/ are
 * its tree against its first parent's: a ticket file changed or added
 * puts the commit first in its list, one removed empties it (the walk
 * stops where the file is missing).  A merge that keeps a file as its
 * first parent's adds nothing, as the walk follows that parent alone;
 * for a file it takes from another parent, or merges, the walk itself
 * gives the list, from the merge (rare: sd's own history is linear).
 *
 * sd-init makes it at the store's first commit; commands that commit
 * leave it behind, so that a change costs no more for it.  A reader that
 * finds it behind HEAD (the commands since, a push into the store, a
 * sync, a commit made with git) takes the lock and applies the commits
 * from the marker to HEAD, each a comparison of two trees that opens only
 * the shards it changed (a commit already in a ticket's list is not put in
 * again); it rebuilds it from the root when the marker is not on HEAD's
 * first parents (history rewritten: git reset by hand), is missing, says
 * "pending" (a writer killed while writing), or a file fails the check.
 * Written through lib/files.c, each file durable before the next: the
 * marker says "pending" before the shards change, and names the commit
 * once they have.  The walk answers when the lock is not had.
 */
#include <dirent.h>
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "history.h"
#include "history_index.h"
#include "store_internal.h"

#define INDEX_DIR ".git/sd-history"
#define INDEX_MARK INDEX_DIR "/HEAD"
#define INDEX_TICKETS INDEX_DIR "/tickets"
#define MAGIC "sd-history 1"
#define HEX GIT_OID_HEXSZ

/* A name the index keeps: what a tree entry may be, without a space, a
 * control character or a leading dot (not a ticket's). */
static int
name_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '/' || s[i] == 0x7f)
			return 0;
	return 1;
}

void
sd__hshard_free(struct sd__hshard *sh)
{
	for (size_t i = 0; i < sh->n; i++) {
		free(sh->v[i].name);
		free(sh->v[i].ids);
	}
	free(sh->v);
	free(sh->name);
	memset(sh, 0, sizeof(*sh));
}

/* Where name is, or would go: the entries are kept in order of name. */
static size_t
entry_at(const struct sd__hshard *sh, const char *name, int *found)
{
	size_t lo = 0, hi = sh->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(sh->v[mid].name, name);
		if (cmp == 0) {
			*found = 1;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

struct sd__hentry *
sd__hshard_entry(struct sd__hshard *sh, const char *name, int create)
{
	struct sd__hentry *e;
	char *copy;
	int found;
	size_t at = entry_at(sh, name, &found);

	if (found)
		return &sh->v[at];
	if (!create)
		return NULL;
	if (sh->n == sh->cap) {
		size_t cap = sh->cap ? sh->cap * 2 : 16;
		struct sd__hentry *v = realloc(sh->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		sh->v = v;
		sh->cap = cap;
	}
	if (!(copy = sd__strdup(name)))
		return NULL;
	memmove(&sh->v[at + 1], &sh->v[at], (sh->n - at) * sizeof(*sh->v));
	e = &sh->v[at];
	e->name = copy;
	e->ids = NULL;
	e->n = 0;
	sh->n++;
	return e;
}

int
sd__hshard_prepend(struct sd__hshard *sh, const char *name, const char *hex)
{
	struct sd__hentry *e = sd__hshard_entry(sh, name, 1);
	char *ids;

	if (!e)
		return sd__oom();
	for (size_t i = 0; i < e->n; i++)
		if (memcmp(e->ids + i * HEX, hex, HEX) == 0)
			return 0;
	if (!(ids = malloc((e->n + 1) * HEX)))
		return sd__oom();
	memcpy(ids, hex, HEX);
	if (e->n)
		memcpy(ids + HEX, e->ids, e->n * HEX);
	free(e->ids);
	e->ids = ids;
	e->n++;
	sh->dirty = 1;
	return 0;
}

void
sd__hshard_clear(struct sd__hshard *sh, const char *name)
{
	struct sd__hentry *e = sd__hshard_entry(sh, name, 0);

	if (!e)
		return;
	free(e->name);
	free(e->ids);
	sh->n--;
	memmove(e, e + 1, (size_t)(&sh->v[sh->n] - e) * sizeof(*e));
	sh->dirty = 1;
}

void
sd__hshard_format(struct sd_buf *b, const struct sd__hshard *sh)
{
	size_t start = b->len;

	sd_buf__adds(b, MAGIC "\n");
	for (size_t i = 0; i < sh->n; i++) {
		sd_buf__adds(b, sh->v[i].name);
		for (size_t j = 0; j < sh->v[i].n; j++) {
			sd_buf__addc(b, ' ');
			sd_buf__add(b, sh->v[i].ids + j * HEX, HEX);
		}
		sd_buf__addc(b, '\n');
	}
	if (!b->failed)
		sd_buf__printf(b, "end %zu %016llx\n", sh->n,
		    (unsigned long long)sd__fnv1a(b->data + start, b->len - start, SD_FNV1A_INIT));
}

/* One "NAME ID ID..." line (without its newline) into sh: 0, 1 bad, < 0. */
static int
parse_line(struct sd__hshard *sh, const char *p, size_t n)
{
	const char *sp = memchr(p, ' ', n);
	struct sd__hentry *e;
	size_t nl, rest;
	char name[256];

	if (!sp || !name_ok(p, (size_t)(sp - p)) || (size_t)(sp - p) >= sizeof(name))
		return 1;
	nl = (size_t)(sp - p);
	rest = n - nl;                  /* " ID" repeated */
	if (rest % (HEX + 1) != 0)
		return 1;
	for (size_t k = 0; k < rest; k += HEX + 1)
		if (sp[k] != ' ' || !sd__is_hex(sp + k + 1, HEX))
			return 1;
	memcpy(name, p, nl);
	name[nl] = '\0';
	/* In order of name, each once: appended. */
	if (sh->n && strcmp(sh->v[sh->n - 1].name, name) >= 0)
		return 1;
	if (!(e = sd__hshard_entry(sh, name, 1)) || !(e->ids = malloc(rest)))
		return sd__oom();
	e->n = rest / (HEX + 1);
	for (size_t k = 0; k < e->n; k++)
		memcpy(e->ids + k * HEX, sp + k * (HEX + 1) + 1, HEX);
	return 0;
}

int
sd__hshard_parse(struct sd__hshard *sh, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	size_t line = 1, count = 0;
	int rc;

	if (len < sizeof(MAGIC) || memcmp(data, MAGIC "\n", sizeof(MAGIC)) != 0)
		return 1;
	p += sizeof(MAGIC);
	for (;;) {
		line++;
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			return (int)line;       /* cut short */
		if ((size_t)(nl - p) > 4 && memcmp(p, "end ", 4) == 0) {
			char want[64];
			int w = snprintf(want, sizeof(want), "end %zu %016llx", count,
			    (unsigned long long)sd__fnv1a(data, (size_t)(p - data), SD_FNV1A_INIT));
			if ((size_t)w != (size_t)(nl - p) || memcmp(want, p, (size_t)w) != 0 ||
			    nl + 1 != end)
				return (int)line;
			return 0;
		}
		if ((rc = parse_line(sh, p, (size_t)(nl - p))) != 0)
			return rc < 0 ? rc : (int)line;
		count++;
		p = nl + 1;
	}
}

/* The index in memory: the shards read or made, and whether it is being
 * made anew (shards not read: all start empty). */
struct hindex {
	struct sd_store *s;
	struct sd__hshard *v;
	size_t n, cap;
	int fresh;
	int corrupt;            /* a file failed its check: rebuild */
};

static void
hindex_free(struct hindex *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		sd__hshard_free(&ix->v[i]);
	free(ix->v);
	ix->v = NULL;
	ix->n = ix->cap = 0;
}

/* The shard's file read: 0 (missing: ENOTFOUND 1), 2 bad, < 0. */
static int
shard_read(struct sd_store *s, const char *shard, struct sd__hshard *sh)
{
	char rel[300], *data = NULL;
	size_t len = 0;
	int rc;

	snprintf(rel, sizeof(rel), INDEX_TICKETS "/%s", shard);
	if ((rc = sd__store_read(s, rel, &data, &len)) < 0) {
		rc = rc == SD_ENOTFOUND ? 1 : rc;
		sd_error_clear();
		return rc;
	}
	rc = sd__hshard_parse(sh, data, len);
	free(data);
	if (rc > 0) {
		sd__hshard_free(sh);
		return 2;
	}
	return rc;
}

/* The shard named, read when the index is not made anew; existed: the
 * store had it before (its file must then be there). */
static struct sd__hshard *
shard_get(struct hindex *ix, const char *name, int existed)
{
	struct sd__hshard *sh;
	int rc;

	for (size_t i = 0; i < ix->n; i++)
		if (sd__streq(ix->v[i].name, name))
			return &ix->v[i];
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 16;
		struct sd__hshard *v = realloc(ix->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		ix->v = v;
		ix->cap = cap;
	}
	sh = &ix->v[ix->n];
	memset(sh, 0, sizeof(*sh));
	if (!ix->fresh) {
		rc = shard_read(ix->s, name, sh);
		if (rc < 0 || rc == 2 || (rc == 1 && existed)) {
			if (rc >= 0)
				ix->corrupt = 1;
			return NULL;
		}
	}
	if (!(sh->name = sd__strdup(name))) {
		sd__hshard_free(sh);
		return NULL;
	}
	ix->n++;
	return sh;
}

/* Collect the walk's ids (for a merge). */
static int
collect(const struct sd_commit_info *c, void *arg)
{
	struct sd_buf *b = arg;

	sd_buf__add(b, c->id, HEX);
	return b->failed ? sd__oom() : 0;
}

/* What commit c did to the file tickets/shard/name: present, or removed. */
static int
apply_one(struct hindex *ix, git_commit *c, const char *shard, int existed, const char *name,
    int present)
{
	struct sd__hshard *sh;
	char hex[HEX + 1], rel[600];
	struct sd__hentry *e;
	struct sd_buf b = SD_BUF_INIT;
	int rc;

	if (!name_ok(shard, strlen(shard)) || !name_ok(name, strlen(name)))
		return 0;               /* not a ticket's: never asked for */
	if (!(sh = shard_get(ix, shard, existed)))
		return ix->corrupt ? -1 : sd__oom();
	if (!present) {
		sd__hshard_clear(sh, name);
		return 0;
	}
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	if (git_commit_parentcount(c) <= 1)
		return sd__hshard_prepend(sh, name, hex);
	/* A merge that does not keep the first parent's file: the walk. */
	snprintf(rel, sizeof(rel), "tickets/%s/%s", shard, name);
	if ((rc = sd__history_walk(ix->s, git_commit_id(c), rel, collect, &b)) < 0) {
		sd_buf__free(&b);
		return rc;
	}
	if (!(e = sd__hshard_entry(sh, name, 1))) {
		sd_buf__free(&b);
		return sd__oom();
	}
	free(e->ids);
	e->n = b.len / HEX;
	e->ids = sd_buf__detach(&b);
	sh->dirty = 1;
	return 0;
}

static git_tree *
subtree(git_repository *repo, git_tree *t, const char *name)
{
	const git_tree_entry *e = t ? git_tree_entry_byname(t, name) : NULL;
	git_tree *out = NULL;

	if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&out, repo, git_tree_entry_id(e)) < 0) {
		git_error_clear();
		out = NULL;
	}
	return out;
}

static int
is_blob(const git_tree_entry *e)
{
	return e && git_tree_entry_type(e) == GIT_OBJECT_BLOB;
}

/* The ticket files of one shard, a (before, may be NULL) against b: the
 * entries of both, in their order (by name: the shard holds files). */
static int
diff_shard(struct hindex *ix, git_commit *c, const char *shard, git_tree *a, git_tree *b)
{
	size_t nb = b ? git_tree_entrycount(b) : 0, na = a ? git_tree_entrycount(a) : 0;
	size_t i = 0, j = 0;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int cmp = !ea ? 1 : !eb ? -1 :
		    strcmp(git_tree_entry_name(ea), git_tree_entry_name(eb));

		if (cmp == 0 && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb))) {
			i++, j++;
			continue;
		}
		if (cmp == 0) {
			/* The same name, changed (or its kind). */
			if (is_blob(eb))
				rc = apply_one(ix, c, shard, a != NULL, git_tree_entry_name(eb), 1);
			else if (is_blob(ea))
				rc = apply_one(ix, c, shard, 1, git_tree_entry_name(ea), 0);
			i++, j++;
		} else if (cmp < 0) {
			if (is_blob(ea))
				rc = apply_one(ix, c, shard, 1, git_tree_entry_name(ea), 0);
			i++;
		} else {
			if (is_blob(eb))
				rc = apply_one(ix, c, shard, a != NULL, git_tree_entry_name(eb), 1);
			j++;
		}
	}
	return rc;
}

/* Commit c's changes to tickets/ against its first parent (none: an
 * empty tree; so for a parent that is missing, a shallow clone's cut). */
/* The commit applied last and its tickets/ tree: the next one's first
 * parent, whose tree is then not looked up again. */
struct prev {
	git_oid id;
	git_tree *tickets;
};

static int
apply_commit(struct hindex *ix, git_commit *c, struct prev *prev)
{
	git_repository *repo = ix->s->repo;
	git_commit *parent = NULL;
	git_tree *ta = NULL, *tb = NULL, *ka = NULL, *kb = NULL;
	const git_oid *p0 = git_commit_parentcount(c) ? git_commit_parent_id(c, 0) : NULL;
	int rc = 0;

	if (git_commit_tree(&tb, c) < 0)
		return sd__git_error("tree");
	if (prev && prev->tickets && p0 && git_oid_equal(p0, &prev->id)) {
		ka = prev->tickets;
		prev->tickets = NULL;
	} else {
		if (p0 && git_commit_parent(&parent, c, 0) == 0 && git_commit_tree(&ta, parent) < 0)
			ta = NULL;
		git_error_clear();
		ka = subtree(repo, ta, "tickets");
	}
	kb = subtree(repo, tb, "tickets");
	if (!(ka && kb && git_oid_equal(git_tree_id(ka), git_tree_id(kb)))) {
		size_t nb = kb ? git_tree_entrycount(kb) : 0, na = ka ? git_tree_entrycount(ka) : 0;
		for (size_t i = 0; i < nb && rc == 0; i++) {
			const git_tree_entry *eb = git_tree_entry_byindex(kb, i);
			const git_tree_entry *ea = ka ? git_tree_entry_byname(ka,
			    git_tree_entry_name(eb)) : NULL;
			git_tree *sa, *sb;
			if (git_tree_entry_type(eb) != GIT_OBJECT_TREE ||
			    (ea && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb))))
				continue;
			sa = subtree(repo, ka, git_tree_entry_name(eb));
			sb = subtree(repo, kb, git_tree_entry_name(eb));
			rc = diff_shard(ix, c, git_tree_entry_name(eb), sa, sb);
			git_tree_free(sa);
			git_tree_free(sb);
		}
		for (size_t i = 0; i < na && rc == 0; i++) {
			const git_tree_entry *ea = git_tree_entry_byindex(ka, i);
			const git_tree_entry *eb = kb ? git_tree_entry_byname(kb,
			    git_tree_entry_name(ea)) : NULL;
			git_tree *sa;
			if (git_tree_entry_type(ea) != GIT_OBJECT_TREE ||
			    (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE))
				continue;
			sa = subtree(repo, ka, git_tree_entry_name(ea));
			rc = diff_shard(ix, c, git_tree_entry_name(ea), sa, NULL);
			git_tree_free(sa);
		}
	}
	git_tree_free(ka);
	if (prev) {
		git_tree_free(prev->tickets);
		prev->tickets = kb;
		git_oid_cpy(&prev->id, git_commit_id(c));
	} else {
		git_tree_free(kb);
	}
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(parent);
	return rc;
}

/* The marker: 0 with *at, 1 missing, pending or not well formed. */
static int
marker_read(struct sd_store *s, git_oid *at)
{
	char *text = NULL;
	size_t len = 0;
	int rc = 1;

	if (sd__store_read(s, INDEX_MARK, &text, &len) < 0) {
		sd_error_clear();
		return 1;
	}
	if (len == sizeof(MAGIC) + HEX + 1 && memcmp(text, MAGIC " ", sizeof(MAGIC)) == 0 &&
	    text[len - 1] == '\n' && sd__is_hex(text + sizeof(MAGIC), HEX) &&
	    git_oid_fromstrn(at, text + sizeof(MAGIC), HEX) == 0)
		rc = 0;
	free(text);
	return rc;
}

static int
marker_write(struct sd_store *s, const git_oid *at)
{
	char text[sizeof(MAGIC) + HEX + 2];

	if (at)
		snprintf(text, sizeof(text), "%s %s\n", MAGIC, git_oid_tostr_s(at));
	else
		snprintf(text, sizeof(text), "%s pending\n", MAGIC);
	return sd__store_write(s, INDEX_MARK, text, strlen(text), 0644);
}

/* Shard files of no shard of ix removed (after a rebuild). */
static void
remove_stale(struct hindex *ix)
{
	char *path = sd__path(ix->s->root, INDEX_TICKETS), rel[300];
	struct dirent *de;
	DIR *d = path ? opendir(path) : NULL;

	while (d && (de = readdir(d))) {
		int keep = de->d_name[0] == '.';
		for (size_t i = 0; i < ix->n && !keep; i++)
			keep = sd__streq(ix->v[i].name, de->d_name);
		if (!keep) {
			snprintf(rel, sizeof(rel), INDEX_TICKETS "/%s", de->d_name);
			(void)sd__store_remove(ix->s, rel, 0);
		}
	}
	if (d)
		closedir(d);
	free(path);
}

/* The changed shards written, the marker "pending" while they are. */
static int
write_out(struct hindex *ix, const git_oid *at)
{
	struct sd_buf b = SD_BUF_INIT;
	char rel[300];
	int rc;

	if ((rc = marker_write(ix->s, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < ix->n && rc == 0; i++) {
		if (!ix->v[i].dirty && !ix->fresh)
			continue;
		b.len = 0;
		sd__hshard_format(&b, &ix->v[i]);
		snprintf(rel, sizeof(rel), INDEX_TICKETS "/%s", ix->v[i].name);
		if ((rc = sd_buf__check(&b)) == 0)
			rc = sd__store_write(ix->s, rel, b.data, b.len, 0644);
	}
	sd_buf__free(&b);
	if (rc == 0 && ix->fresh)
		remove_stale(ix);
	return rc < 0 ? rc : marker_write(ix->s, at);
}

/* HEAD's first parents back to stop (not included), or to the root when
 * stop is NULL: *found says whether stop was met. */
static int
first_parents(struct sd_store *s, const git_oid *head, const git_oid *stop, git_oid **out,
    size_t *n, int *found)
{
	git_oid *v = NULL, id = *head;
	size_t cap = 0;
	git_commit *c = NULL;

	*n = 0;
	*found = 0;
	for (;;) {
		if (stop && git_oid_equal(&id, stop)) {
			*found = 1;
			break;
		}
		if (*n == cap) {
			git_oid *t = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));
			if (!t) {
				free(v);
				return sd__oom();
			}
			v = t;
		}
		v[(*n)++] = id;
		if (git_commit_lookup(&c, s->repo, &id) < 0) {
			free(v);
			return sd__git_error("HEAD");
		}
		if (git_commit_parentcount(c) == 0 || git_commit_parent_id(c, 0) == NULL ||
		    !git_odb_exists(s->odb, git_commit_parent_id(c, 0))) {
			git_commit_free(c);
			break;
		}
		id = *git_commit_parent_id(c, 0);
		git_commit_free(c);
	}
	*out = v;
	return 0;
}

/* Apply the commits of v (newest first) from the oldest. */
static int
apply_all(struct hindex *ix, const git_oid *v, size_t n)
{
	struct prev prev = { { { 0 } }, NULL };
	int rc = 0;

	for (size_t i = n; i-- > 0 && rc == 0;) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, ix->s->repo, &v[i]) < 0) {
			rc = sd__git_error("commit");
			break;
		}
		rc = apply_commit(ix, c, &prev);
		git_commit_free(c);
	}
	git_tree_free(prev.tickets);
	return rc;
}

/* Under the lock: the index brought to head, in ix, from the marker or,
 * when that cannot be or force, anew; written out when it can be (a
 * failure to write leaves it for the next one). */
static int
bring_up(struct hindex *ix, const git_oid *head, int force)
{
	git_oid at, *v = NULL;
	size_t n = 0;
	int found = 0, rc;

	if (!force && marker_read(ix->s, &at) == 0 && git_odb_exists(ix->s->odb, &at)) {
		if ((rc = first_parents(ix->s, head, &at, &v, &n, &found)) < 0)
			return rc;
		if (found && n == 0) {
			free(v);
			return 0;
		}
		if (found && (rc = apply_all(ix, v, n)) == 0)
			goto done;
		free(v);
		v = NULL;
		if (found && !ix->corrupt)
			return rc;
		hindex_free(ix);
		ix->corrupt = 0;
		sd_error_clear();
	}
	hindex_free(ix);
	ix->fresh = 1;
	if ((rc = first_parents(ix->s, head, NULL, &v, &n, &found)) < 0 ||
	    (rc = apply_all(ix, v, n)) < 0) {
		free(v);
		return rc;
	}
done:
	free(v);
	if (write_out(ix, head) < 0)
		sd_error_clear();
	return 0;
}

/* rel as tickets/SHARD/NAME, in shard and name. */
static int
split(const char *rel, char *shard, size_t ss, char *name, size_t ns)
{
	const char *a, *b;

	if (strncmp(rel, "tickets/", 8) != 0)
		return -1;
	a = rel + 8;
	if (!(b = strchr(a, '/')) || strchr(b + 1, '/') || (size_t)(b - a) >= ss ||
	    strlen(b + 1) >= ns || !name_ok(a, (size_t)(b - a)) || !name_ok(b + 1, strlen(b + 1)))
		return -1;
	memcpy(shard, a, (size_t)(b - a));
	shard[b - a] = '\0';
	strcpy(name, b + 1);
	return 0;
}

/* Whether rel is in HEAD's tree. */
static int
in_head(struct sd_store *s, const git_oid *head, const char *rel)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	int found = 0;

	if (git_commit_lookup(&c, s->repo, head) == 0 && git_commit_tree(&t, c) == 0)
		found = git_tree_entry_bypath(&e, t, rel) == 0;
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	git_error_clear();
	return found;
}

/* name's list in sh: 0, or 1 when it should have one and has not. */
static int
answer(struct sd_store *s, const git_oid *head, const char *rel, struct sd__hshard *sh,
    const char *name, char **ids, size_t *n)
{
	struct sd__hentry *e = sh ? sd__hshard_entry(sh, name, 0) : NULL;

	if (!e || !e->n) {
		if (in_head(s, head, rel))
			return 1;
		*ids = NULL;
		*n = 0;
		return 0;
	}
	if (!(*ids = malloc(e->n * HEX)))
		return sd__oom();
	memcpy(*ids, e->ids, e->n * HEX);
	*n = e->n;
	return 0;
}

/* rel's list from ix brought up to head: 0, 1 when its file or entry is
 * not as it should be. */
static int
lookup(struct hindex *ix, const git_oid *head, const char *rel, const char *shard,
    const char *name, char **ids, size_t *n)
{
	struct sd__hshard *sh = NULL;

	if (!ix->fresh) {
		if (!(sh = shard_get(ix, shard, in_head(ix->s, head, rel))))
			return ix->corrupt ? 1 : sd__oom();
	} else {
		for (size_t i = 0; i < ix->n && !sh; i++)
			if (sd__streq(ix->v[i].name, shard))
				sh = &ix->v[i];
	}
	return answer(ix->s, head, rel, sh, name, ids, n);
}

int
sd__history_index_find(struct sd_store *s, const char *rel, char **ids, size_t *n)
{
	struct hindex ix = { s, NULL, 0, 0, 0, 0 };
	char shard[256], name[256];
	git_oid head, at, again;
	int took = 0, force = 0, rc;

	*ids = NULL;
	*n = 0;
	if (split(rel, shard, sizeof(shard), name, sizeof(name)) < 0 || sd__head(s, &head) < 0) {
		sd_error_clear();
		return 1;
	}
	/* At HEAD already: one file read, no lock; the marker read again
	 * after it, so that a writer's shard is not taken for HEAD's. */
	if (marker_read(s, &at) == 0 && git_oid_equal(&at, &head)) {
		struct sd__hshard sh = { 0 };
		rc = shard_read(s, shard, &sh);
		if ((rc == 0 || rc == 1) && marker_read(s, &again) == 0 &&
		    git_oid_equal(&again, &head)) {
			rc = answer(s, &head, rel, rc == 0 ? &sh : NULL, name, ids, n);
			force = rc == 1;        /* in HEAD, not in the index */
		} else if (rc == 2) {
			force = 1;
		}
		sd__hshard_free(&sh);
		if (rc <= 0) {
			if (rc < 0)
				sd_error_clear();
			return rc == 0 ? 0 : 1;
		}
	}
	/* Behind, or not to be trusted: under the lock, brought up. */
	if (!s->locked) {
		if (sd__store_lock_only(s) < 0 || !s->locked) {
			sd_error_clear();
			return 1;
		}
		took = 1;
	}
	if (sd__head(s, &head) < 0)
		rc = sd__git_error("HEAD");
	else if ((rc = bring_up(&ix, &head, force)) == 0 &&
	    (rc = lookup(&ix, &head, rel, shard, name, ids, n)) == 1 && !ix.fresh &&
	    (rc = bring_up(&ix, &head, 1)) == 0)
		rc = lookup(&ix, &head, rel, shard, name, ids, n);
	hindex_free(&ix);
	if (took)
		sd_store_unlock(s);
	if (rc < 0)
		sd_error_clear();
	return rc == 0 ? 0 : 1;
}

void
sd__history_index_init(struct sd_store *s, const git_oid *id)
{
	struct hindex ix = { s, NULL, 0, 0, 1, 0 };
	git_commit *c = NULL;

	if (git_commit_lookup(&c, s->repo, id) < 0 || apply_commit(&ix, c, NULL) < 0 ||
	    write_out(&ix, id) < 0)
		sd_error_clear();
	git_error_clear();
	git_commit_free(c);
	hindex_free(&ix);
}
