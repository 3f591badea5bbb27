/*
 * A ticket's history as sd-show --history lists it: from the index of
 * lib/history_index.c, or by the walk of lib/history.c when the index
 * cannot say.
 */
#include <git2.h>
#include <stdlib.h>

#include "internal.h"
#include "store_internal.h"
#include "history.h"
#include "history_index.h"
#include "sd/id.h"
#include "sd/store.h"

/* The index says which commits (lib/history_index.c); the walk is for
 * when it cannot. */
int
sd_store_history(struct sd_store *s, long n, sd_store_history_fn fn, void *arg)
{
	char *rel = NULL, *ids = NULL;
	size_t nids = 0;
	git_oid id;
	int rc;

	if ((rc = sd_id_path(&rel, sd_config_prefix(s->cfg), n)) < 0)
		return rc;
	if ((rc = sd__history_index_find(s, rel, &ids, &nids)) == 0) {
		for (size_t i = 0; i < nids && rc == 0; i++) {
			git_commit *c = NULL;
			if (git_oid_fromstrn(&id, ids + i * GIT_OID_HEXSZ, GIT_OID_HEXSZ) < 0 ||
			    git_commit_lookup(&c, s->repo, &id) < 0)
				rc = sd__git_error(rel);
			else
				rc = sd__history_emit(c, fn, arg);
			git_commit_free(c);
		}
		if (rc == 1)
			rc = 0;
	} else if (rc > 0) {
		if (sd__head(s, &id) < 0)
			rc = sd__git_error("HEAD");
		else
			rc = sd__history_walk(s, &id, rel, fn, arg);
	}
	free(ids);
	free(rel);
	return rc;
}
