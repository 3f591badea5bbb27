/*
 * Counting a stage of long work for the sd_progress a command gave:
 * done of total, told at most once an item and once at the end.
 */
#include <git2.h>

#include "progress.h"

void
sd__count_start(struct sd__count *c, const struct sd_progress *p, const char *stage,
    uint64_t total)
{
	c->p = p && p->fn && total ? p : NULL;
	c->stage = stage;
	c->done = 0;
	c->total = total;
	if (c->p)
		c->p->fn(c->p->arg, stage, 0, total);
}

void
sd__count_add(struct sd__count *c, uint64_t n)
{
	uint64_t done;

	if (!c->p)
		return;
	/* The end is sd__count_end's to tell, once; a count that does not
	 * move is not told again. */
	done = c->done + n < c->total ? c->done + n : c->total - 1;
	if (done == c->done)
		return;
	c->done = done;
	c->p->fn(c->p->arg, c->stage, c->done, c->total);
}

void
sd__count_end(struct sd__count *c)
{
	if (!c->p)
		return;
	c->done = c->total;
	c->p->fn(c->p->arg, c->stage, c->done, c->total);
	c->p = NULL;
}

static int
count_blob(const char *root, const git_tree_entry *e, void *payload)
{
	(void)root;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
		++*(uint64_t *)payload;
	return 0;
}

uint64_t
sd__count_blobs(git_tree *tree)
{
	uint64_t n = 0;

	if (tree && git_tree_walk(tree, GIT_TREEWALK_PRE, count_blob, &n) < 0)
		n = 0;
	git_error_clear();
	return n;
}
