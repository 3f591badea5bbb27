/*
 * The lease commit: a block of numbers given to a site (or a new site
 * with its first), written into sites.ini by one commit under the lock.
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/config.h"
#include "sd/store.h"

int
sd__sync_lease_commit(struct sd_store *s, const struct sd_agent *agent, const char *site,
    long *first, long *last)
{
	const struct sd_sync_config *sc = sd_config_sync(sd_store_config(s));
	struct sd__sites sites = { 0 };
	struct sd_change *c = NULL;
	git_commit *head = NULL;
	git_tree *root = NULL;
	char *text = NULL;
	git_oid id;
	long max = 0;
	int rc, was_locked = s->locked;

	if ((rc = sd_store_lock(s)) < 0)
		return rc;
	if ((rc = sd__head(s, &id)) < 0)
		goto out;
	if (git_commit_lookup(&head, s->repo, &id) < 0 || git_commit_tree(&root, head) < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	if ((rc = sd__sites_from_tree(&sites, s->repo, root)) < 0 ||
	    (rc = sd__layout_max_in(&max, s->repo, root, sd_config_prefix(sd_store_config(s)),
	    sd__below_overflow, 1)) < 0 ||
	    (rc = sd__sites_lease(&text, &sites, site, sc->lease, max, first, last)) < 0)
		goto out;
	if ((rc = sd_change_new(&c, "lease")) < 0 ||
	    (rc = sd_change_subject(c, "lease %ld-%ld to %s", *first, *last, site)) < 0 ||
	    (rc = sd__change_site(c, site)) < 0 ||
	    (rc = sd_change_file(c, "sites.ini", text, strlen(text))) < 0 ||
	    (rc = sd_store_commit(s, c, agent)) < 0)
		goto out;
out:
	if (!was_locked)
		sd_store_unlock(s);
	sd_change_free(c);
	free(text);
	sd__sites_free(&sites);
	git_tree_free(root);
	git_commit_free(head);
	return rc;
}
