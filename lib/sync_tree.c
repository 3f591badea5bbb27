/*
 * Trees changed on one path, as their raw bytes: sd-sync's replay puts a
 * file in the tree of a store of a million tickets a thousand times, and
 * a tree of a thousand entries parsed, sorted and serialized each time
 * costs more than splicing one entry into its bytes.  Entries are "MODE
 * NAME\0" and 20 bytes of id, in git's order (a tree's name as if it
 * ended in '/').
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sync_replay.h"

struct raw_entry {
	const char *name;
	size_t nlen;
	int is_tree;
	const unsigned char *id;
	size_t start, end;      /* the entry's bytes */
};

/* The entry at data + at (len bytes in all): 1, 0 at the end, -1 broken. */
static int
next_entry(const char *data, size_t len, size_t at, struct raw_entry *e)
{
	const char *sp, *nul;

	if (at >= len)
		return 0;
	if (!(sp = memchr(data + at, ' ', len - at)) ||
	    !(nul = memchr(sp, '\0', len - (size_t)(sp - data))) ||
	    (size_t)(nul - data) + 1 + GIT_OID_RAWSZ > len)
		return -1;
	e->is_tree = sp - (data + at) == 5 && !strncmp(data + at, "40000", 5);
	e->name = sp + 1;
	e->nlen = (size_t)(nul - sp - 1);
	e->id = (const unsigned char *)nul + 1;
	e->start = at;
	e->end = (size_t)(nul - data) + 1 + GIT_OID_RAWSZ;
	return 1;
}

/* git's order of names: a tree's as if it ended in '/'. */
static int
name_cmp(const char *a, size_t alen, int atree, const char *b, size_t blen, int btree)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = n < alen ? (unsigned char)a[n] : atree ? '/' : '\0';
	cb = n < blen ? (unsigned char)b[n] : btree ? '/' : '\0';
	return ca < cb ? -1 : ca > cb;
}

/* Where name goes in the tree's bytes: 1 and *e when there (as a tree or
 * not: the first match), else 0 and e->start the place to insert it. */
static int
find(const char *data, size_t len, const char *name, size_t nlen, int is_tree,
    struct raw_entry *e)
{
	size_t at = 0;
	int k;

	while ((k = next_entry(data, len, at, e)) == 1) {
		int c = name_cmp(e->name, e->nlen, e->is_tree, name, nlen, is_tree);
		if (c == 0 || (e->nlen == nlen && !memcmp(e->name, name, nlen)))
			return 1;
		if (c > 0)
			return 0;
		at = e->end;
	}
	e->start = len;
	return k < 0 ? -1 : 0;
}

int
sd__tree_entry(git_odb *odb, const git_oid *tree, const char *path, git_oid *out)
{
	git_odb_object *o = NULL;
	const char *slash = strchr(path, '/');
	size_t nlen = slash ? (size_t)(slash - path) : strlen(path);
	struct raw_entry e;
	int found;

	if (git_odb_read(&o, odb, tree) < 0 || git_odb_object_type(o) != GIT_OBJECT_TREE) {
		git_odb_object_free(o);
		return sd__git_error(path);
	}
	found = find(git_odb_object_data(o), git_odb_object_size(o), path, nlen, slash != NULL, &e);
	if (found == 1 && !slash)
		git_oid_fromraw(out, e.id);
	else if (found == 1 && e.is_tree) {
		git_oid child;
		git_oid_fromraw(&child, e.id);
		git_odb_object_free(o);
		return sd__tree_entry(odb, &child, slash + 1, out);
	} else if (found == 1)
		found = 0;
	git_odb_object_free(o);
	return found < 0 ? sd_error_set(SD_EINVALID, _("%s: a tree that cannot be read"), path) :
	    found;
}

int
sd__tree_put(git_odb *odb, const git_oid *tree, const char *path, git_filemode_t mode,
    const git_oid *id, git_oid *out)
{
	git_odb_object *o = NULL;
	const char *slash = strchr(path, '/');
	size_t nlen = slash ? (size_t)(slash - path) : strlen(path);
	const char *data = "";
	size_t len = 0;
	struct raw_entry e;
	struct sd_buf b = SD_BUF_INIT;
	git_oid child;
	char mode_s[16];
	int found, rc = 0;

	if (tree) {
		if (git_odb_read(&o, odb, tree) < 0 || git_odb_object_type(o) != GIT_OBJECT_TREE) {
			git_odb_object_free(o);
			return sd__git_error(path);
		}
		data = git_odb_object_data(o);
		len = git_odb_object_size(o);
	}
	if ((found = find(data, len, path, nlen, slash != NULL, &e)) < 0) {
		rc = sd_error_set(SD_EINVALID, _("%s: a tree that cannot be read"), path);
		goto out;
	}
	if (slash) {
		git_oid old;
		if (found)
			git_oid_fromraw(&old, e.id);
		if ((rc = sd__tree_put(odb, found && e.is_tree ? &old : NULL, slash + 1, mode, id,
		    &child)) < 0)
			goto out;
		id = &child;
		mode = GIT_FILEMODE_TREE;
	}
	snprintf(mode_s, sizeof(mode_s), "%o", (unsigned)mode);
	sd_buf__add(&b, data, e.start);
	sd_buf__printf(&b, "%s %.*s", mode_s, (int)nlen, path);
	sd_buf__addc(&b, '\0');
	sd_buf__add(&b, id->id, GIT_OID_RAWSZ);
	sd_buf__add(&b, data + (found ? e.end : e.start), len - (found ? e.end : e.start));
	if ((rc = sd_buf__check(&b)) == 0 &&
	    git_odb_write(out, odb, b.data, b.len, GIT_OBJECT_TREE) < 0)
		rc = sd__git_error(_("writing the tree"));
out:
	sd_buf__free(&b);
	git_odb_object_free(o);
	return rc;
}

/* The raw bytes of tree id (NULL: none, empty). */
static int
read_tree(git_odb *odb, const git_oid *id, git_odb_object **o, const char **data, size_t *len)
{
	*o = NULL;
	*data = "";
	*len = 0;
	if (!id)
		return 0;
	if (git_odb_read(o, odb, id) < 0 || git_odb_object_type(*o) != GIT_OBJECT_TREE) {
		git_odb_object_free(*o);
		*o = NULL;
		return sd__git_error(_("reading a tree"));
	}
	*data = git_odb_object_data(*o);
	*len = git_odb_object_size(*o);
	return 0;
}

int
sd__tree_diff(git_odb *odb, const git_oid *a, const git_oid *b, const char *prefix,
    sd__tree_diff_fn fn, void *arg)
{
	git_odb_object *oa = NULL, *ob = NULL;
	const char *da, *db;
	size_t la, lb, ia = 0, ib = 0;
	struct raw_entry ea, eb;
	int ka, kb, rc;

	if ((rc = read_tree(odb, a, &oa, &da, &la)) < 0 ||
	    (rc = read_tree(odb, b, &ob, &db, &lb)) < 0)
		goto out;
	ka = next_entry(da, la, ia, &ea);
	kb = next_entry(db, lb, ib, &eb);
	while (rc == 0 && (ka == 1 || kb == 1)) {
		int c = ka != 1 ? 1 : kb != 1 ? -1 :
		    name_cmp(ea.name, ea.nlen, ea.is_tree, eb.name, eb.nlen, eb.is_tree);
		const struct raw_entry *e = c <= 0 ? &ea : &eb;
		git_oid ida, idb;
		char path[4096];

		if (c <= 0)
			git_oid_fromraw(&ida, ea.id);
		if (c >= 0)
			git_oid_fromraw(&idb, eb.id);
		if (c != 0 || !git_oid_equal(&ida, &idb)) {
			snprintf(path, sizeof(path), "%s%.*s", prefix, (int)e->nlen, e->name);
			if ((c <= 0 && ea.is_tree) || (c >= 0 && eb.is_tree)) {
				strcat(path, "/");
				rc = sd__tree_diff(odb, c <= 0 && ea.is_tree ? &ida : NULL,
				    c >= 0 && eb.is_tree ? &idb : NULL, path, fn, arg);
				/* A file where a tree was, or the other way: told too. */
				if (rc == 0 && c == 0 && ea.is_tree != eb.is_tree)
					rc = fn(path, ea.is_tree ? NULL : &ida, eb.is_tree ? NULL : &idb,
					    0, arg);
			} else {
				rc = fn(path, c <= 0 ? &ida : NULL, c >= 0 ? &idb : NULL,
				    c >= 0 ? (unsigned)strtoul(db + eb.start, NULL, 8) : 0, arg);
			}
		}
		if (c <= 0)
			ka = next_entry(da, la, ia = ea.end, &ea);
		if (c >= 0)
			kb = next_entry(db, lb, ib = eb.end, &eb);
	}
	if (rc == 0 && (ka < 0 || kb < 0))
		rc = sd_error_set(SD_EINVALID, _("%s: a tree that cannot be read"), prefix);
out:
	git_odb_object_free(oa);
	git_odb_object_free(ob);
	return rc;
}
