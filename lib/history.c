/*
 * A ticket's history: the commits that changed its file, walked back from
 * HEAD to the one that added it.  A merge is followed as git log follows
 * a path: when the file is as in one of its parents, through that parent
 * alone (the other side's changes to the file did not reach HEAD, and may
 * even be of another ticket of that number), and the merge is no change
 * of its own; otherwise it is listed, and every parent followed.  The
 * index of lib/history_index.c lists what this walk would; the walk is
 * for when the index cannot say (lib/history_read.c).
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store_internal.h"
#include "history.h"

/* The blob id at path in commit c's tree; 0 when found, 1 when absent. */
static int
blob_at(git_oid *out, git_commit *c, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int found;

	if (git_commit_tree(&tree, c) < 0)
		return -1;
	found = git_tree_entry_bypath(&e, tree, path) == 0;
	if (found)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_error_clear();
	return found ? 0 : 1;
}

/* The commits still to look at, the latest taken first, and those ever
 * queued: a set of ids, open addressing, so that each is looked at once. */
struct walk {
	git_commit **queue;
	size_t n, cap;
	git_oid *seen;                  /* all zeros: a free slot */
	size_t nseen, capseen;          /* capseen a power of 2 */
};

static size_t
slot(const git_oid *id, size_t cap)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h & (cap - 1);
}

/* 1 when id was in the set, 0 when added. */
static int
seen_add(struct walk *w, const git_oid *id)
{
	size_t i;

	if ((w->nseen + 1) * 2 > w->capseen) {
		size_t cap = w->capseen ? w->capseen * 2 : 64;
		git_oid *t = calloc(cap, sizeof(*t));
		if (!t)
			return sd__oom();
		for (size_t j = 0; j < w->capseen; j++)
			if (!git_oid_is_zero(&w->seen[j])) {
				for (i = slot(&w->seen[j], cap); !git_oid_is_zero(&t[i]); i = (i + 1) & (cap - 1))
					;
				git_oid_cpy(&t[i], &w->seen[j]);
			}
		free(w->seen);
		w->seen = t;
		w->capseen = cap;
	}
	for (i = slot(id, w->capseen); !git_oid_is_zero(&w->seen[i]); i = (i + 1) & (w->capseen - 1))
		if (git_oid_equal(&w->seen[i], id))
			return 1;
	git_oid_cpy(&w->seen[i], id);
	w->nseen++;
	return 0;
}

static int
push(struct walk *w, git_commit *c)
{
	int rc = seen_add(w, git_commit_id(c));

	if (rc == 0 && w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		git_commit **q = realloc(w->queue, cap * sizeof(*q));
		if (!q)
			rc = sd__oom();
		else
			w->queue = q, w->cap = cap;
	}
	if (rc != 0) {
		git_commit_free(c);
		return rc < 0 ? rc : 0;
	}
	w->queue[w->n++] = c;
	return 0;
}

static git_commit *
pop(struct walk *w)
{
	size_t best = 0;
	git_commit *c;

	if (!w->n)
		return NULL;
	for (size_t i = 1; i < w->n; i++)
		if (git_commit_time(w->queue[i]) > git_commit_time(w->queue[best]))
			best = i;
	c = w->queue[best];
	w->queue[best] = w->queue[--w->n];
	return c;
}

static int
same(int a, const git_oid *ia, int b, const git_oid *ib)
{
	return a == b && (a != 0 || git_oid_equal(ia, ib));
}

int
sd__history_emit(git_commit *c, sd_store_history_fn fn, void *arg)
{
	const git_signature *a = git_commit_author(c);
	struct sd_commit_info info;

	git_oid_tostr(info.id, sizeof(info.id), git_commit_id(c));
	info.author = a->name;
	info.email = a->email;
	info.subject = git_commit_summary(c);
	info.time = a->when.time;
	info.offset = a->when.offset;
	return fn(&info, arg);
}

int
sd__history_walk(struct sd_store *s, const git_oid *start, const char *rel,
    sd_store_history_fn fn, void *arg)
{
	struct walk w = { 0 };
	git_commit *c = NULL, *head = NULL;
	int rc;

	if (git_commit_lookup(&head, s->repo, start) < 0)
		return sd__git_error("HEAD");
	rc = push(&w, head);
	while (rc == 0 && (c = pop(&w))) {
		unsigned np = git_commit_parentcount(c), follow = np;
		git_commit **parents = np ? calloc(np, sizeof(*parents)) : NULL;
		git_oid mine, theirs;
		int here = blob_at(&mine, c, rel), listed = 1;

		if (np && !parents) {
			rc = sd__oom();
			git_commit_free(c);
			break;
		}
		/* Not in this commit: nothing before it on this line either. */
		if (here != 0)
			listed = 0, follow = 0;
		/* A parent that is missing (the cut of a shallow clone) is
		 * taken as one without the file. */
		for (unsigned i = 0; here == 0 && i < np; i++) {
			int there = 1;
			if (git_commit_parent(&parents[i], c, i) == 0)
				there = blob_at(&theirs, parents[i], rel);
			git_error_clear();
			if (same(here, &mine, there, &theirs)) {
				/* As in this parent: followed alone, no change. */
				listed = 0;
				for (unsigned j = 0; j < np; j++)
					if (j != i) {
						git_commit_free(parents[j]);
						parents[j] = NULL;
					}
				follow = i + 1;
				break;
			}
		}
		if (listed)
			rc = sd__history_emit(c, fn, arg);
		for (unsigned i = 0; i < np; i++) {
			if (rc == 0 && i < follow && parents[i]) {
				rc = push(&w, parents[i]);
				parents[i] = NULL;
			}
			git_commit_free(parents[i]);
		}
		free(parents);
		git_commit_free(c);
	}
	if (rc == 1)
		rc = 0;
	while ((c = pop(&w)))
		git_commit_free(c);
	free(w.queue);
	free(w.seen);
	return rc;
}
