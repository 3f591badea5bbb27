/*
 * A ticket's history: the commits that changed its file, walked back from
 * HEAD to the one that added it.
 */
#include <git2.h>
#include <stdlib.h>

#include "internal.h"
#include "store_internal.h"
#include "sd/id.h"
#include "sd/store.h"

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
	return found ? 0 : 1;
}

int
sd_store_history(struct sd_store *s, long n, sd_store_history_fn fn, void *arg)
{
	git_revwalk *walk = NULL;
	git_oid id;
	char *rel = NULL;
	int rc;

	if ((rc = sd_id_path(&rel, sd_config_prefix(s->cfg), n)) < 0)
		return rc;
	if (git_revwalk_new(&walk, s->repo) < 0 || git_revwalk_push_head(walk) < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL, *parent = NULL;
		git_oid mine, theirs;
		int here, there = 1;

		if (git_commit_lookup(&c, s->repo, &id) < 0) {
			rc = sd__git_error(_("reading a commit"));
			break;
		}
		here = blob_at(&mine, c, rel);
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0)
			there = blob_at(&theirs, parent, rel);
		if (here == 0 && (there != 0 || !git_oid_equal(&mine, &theirs))) {
			const git_signature *a = git_commit_author(c);
			struct sd_commit_info info;

			git_oid_tostr(info.id, sizeof(info.id), &id);
			info.author = a->name;
			info.email = a->email;
			info.subject = git_commit_summary(c);
			info.time = a->when.time;
			info.offset = a->when.offset;
			rc = fn(&info, arg);
			if (there != 0)
				rc = rc ? rc : 1;       /* the commit that added it: done */
		}
		git_commit_free(parent);
		git_commit_free(c);
	}
	if (rc == 1)
		rc = 0;
out:
	git_revwalk_free(walk);
	free(rel);
	return rc;
}
