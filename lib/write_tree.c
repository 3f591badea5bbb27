/*
 * A whole tree written out at once (a new clone's files): each directory
 * of the tree a job on the machine's cores, every worker with its own
 * repository and its own bulk write (lib/files.c), and one flush of the
 * file system at the end instead of one per file.
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "parallel.h"
#include "progress.h"
#include "store_internal.h"

/* A directory of the tree: its path ("" or "tickets/000/") and tree. */
struct dir_job {
	char *prefix;
	git_oid tree;
	size_t files;           /* written, for the progress */
	char *error;            /* the message of its failure (set on a worker) */
};

struct worker {
	git_repository *repo;
	struct sd__bulk *bulk;
};

struct run {
	struct sd_store *s;
	struct dir_job *v;
	size_t n, cap;
	struct worker *w;
	struct sd__count *count;
};

static int
add_dir(struct run *r, const char *prefix, const git_oid *tree)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct dir_job *v = realloc(r->v, cap * sizeof(*v));
		if (!v)
			return sd__oom();
		r->v = v;
		r->cap = cap;
	}
	if (!(r->v[r->n].prefix = sd__strdup(prefix)))
		return sd__oom();
	git_oid_cpy(&r->v[r->n].tree, tree);
	r->v[r->n].files = 0;
	r->v[r->n].error = NULL;
	r->n++;
	return 0;
}

/* Every directory of tree (at prefix), itself first. */
static int
collect(struct run *r, const char *prefix, git_tree *tree)
{
	struct sd_buf sub = SD_BUF_INIT;
	int rc = add_dir(r, prefix, git_tree_id(tree));

	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(tree); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		git_tree *t = NULL;

		if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
			continue;
		sub.len = 0;
		sd_buf__printf(&sub, "%s%s/", prefix, git_tree_entry_name(e));
		if ((rc = sd_buf__check(&sub)) < 0)
			break;
		/* Nothing under hooks/ nor a hidden directory is written. */
		if (!sd__path_written(sub.data))
			continue;
		if (git_tree_lookup(&t, r->s->repo, git_tree_entry_id(e)) < 0)
			rc = sd__git_error(sub.data);
		else
			rc = collect(r, sub.data, t);
		git_tree_free(t);
	}
	sd_buf__free(&sub);
	return rc;
}

static int dir_files(struct run *r, struct dir_job *d, struct worker *w);

/* The files directly in one directory, on worker's repository; the
 * message of a failure kept for the caller's thread (it is the thread's). */
static int
dir_work(void *arg, size_t job, size_t worker)
{
	struct run *r = arg;
	int rc = dir_files(r, &r->v[job], &r->w[worker]);

	if (rc < 0 && !(r->v[job].error = sd__strdup(sd_error_message())))
		rc = sd__oom();
	return rc;
}

static int
dir_files(struct run *r, struct dir_job *d, struct worker *w)
{
	struct sd_buf rel = SD_BUF_INIT;
	git_tree *tree = NULL;
	int rc = 0;

	if (!w->repo) {
		char *git = sd__path(r->s->root, ".git");
		if (!git)
			return sd__oom();
		if (git_repository_open_ext(&w->repo, git, GIT_REPOSITORY_OPEN_NO_SEARCH |
		    GIT_REPOSITORY_OPEN_BARE, NULL) < 0)
			rc = sd__git_error(git);
		free(git);
		if (rc < 0)
			return rc;
	}
	if (!w->bulk && (rc = sd__bulk_begin(&w->bulk, r->s->root, sd__store_files(r->s))) < 0)
		return rc;
	if (git_tree_lookup(&tree, w->repo, &d->tree) < 0)
		return sd__git_error(*d->prefix ? d->prefix : "/");
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(tree); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		git_filemode_t mode = git_tree_entry_filemode(e);
		git_blob *blob = NULL;

		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || mode == GIT_FILEMODE_LINK)
			continue;
		rel.len = 0;
		sd_buf__printf(&rel, "%s%s", d->prefix, git_tree_entry_name(e));
		if ((rc = sd_buf__check(&rel)) < 0 || !sd__path_written(rel.data))
			continue;
		if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0) {
			rc = sd__git_error(rel.data);
			break;
		}
		rc = sd__bulk_write(w->bulk, rel.data, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob), mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
		git_blob_free(blob);
		d->files++;
	}
	git_tree_free(tree);
	sd_buf__free(&rel);
	return rc;
}

static int
dir_done(void *arg, size_t job, int rc)
{
	struct run *r = arg;

	if (rc == 0)
		sd__count_add(r->count, r->v[job].files);
	else if (r->v[job].error)
		sd_error_set(rc, "%s", r->v[job].error);
	return rc;
}

int
sd__write_tree(struct sd_store *s, git_tree *tree, struct sd__count *count)
{
	struct run r = { s, NULL, 0, 0, NULL, count };
	size_t workers = 0;
	int rc;

	if ((rc = collect(&r, "", tree)) == 0) {
		workers = sd__parallel_workers(r.n);
		if (!(r.w = calloc(workers, sizeof(*r.w))))
			rc = sd__oom();
	}
	if (rc == 0)
		rc = sd__parallel(r.n, workers, dir_work, dir_done, &r);
	/* Every worker's files flushed (the first syncfs does it for all)
	 * before the caller marks them as the tree's. */
	for (size_t i = 0; i < workers; i++) {
		int end = rc == 0 ? sd__bulk_end(r.w[i].bulk) : (sd__bulk_free(r.w[i].bulk), 0);
		if (rc == 0)
			rc = end;
		git_repository_free(r.w[i].repo);
	}
	for (size_t i = 0; i < r.n; i++) {
		free(r.v[i].prefix);
		free(r.v[i].error);
	}
	free(r.v);
	free(r.w);
	return rc;
}
