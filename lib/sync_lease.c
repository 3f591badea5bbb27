/*
 * Numbers from leases: the next ticket number of a desk of many sites
 * (a site from its blocks, then its overflow range; the hub above every
 * number and block), and the lease commit that gives a site a block.
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
sd__sites_from_tree(struct sd__sites *out, git_repository *repo, git_tree *root)
{
	const git_tree_entry *e = git_tree_entry_byname(root, "sites.ini");
	git_blob *b = NULL;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (!e)
		return 0;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&b, repo, git_tree_entry_id(e)) < 0)
		return sd__git_error("sites.ini");
	rc = sd__sites_parse(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return rc;
}

/* Below the overflow ranges: what the hub numbers and leases. */
static const long below_overflow[1][2] = { { 1, SD__OVERFLOW_BASE - 1 } };

int
sd__sites_next(long *out, git_repository *repo, git_tree *root, const char *prefix,
    const char *site)
{
	struct sd__sites sites;
	const struct sd__site *me;
	long max = 0;
	int rc;

	*out = 0;
	if ((rc = sd__sites_from_tree(&sites, repo, root)) < 0)
		return rc;
	if (!site) {
		/* The hub: above every number seen below 10^9 and every block. */
		if ((rc = sd__layout_max_in(&max, repo, root, prefix, below_overflow, 1)) < 0)
			goto out;
		if (sd__sites_max(&sites) > max)
			max = sd__sites_max(&sites);
		if (max + 1 >= SD__OVERFLOW_BASE)
			rc = sd_error_set(SD_EINVALID, "%s", _("no ticket number is left below "
			    "1000000000 at the hub"));
		else
			*out = max + 1;
		goto out;
	}
	if (!(me = sd__sites_find(&sites, site))) {
		rc = sd_error_set(SD_EBUSY, "%s", _("this site has no block of numbers yet: "
		    "run sd-sync --lease"));
		goto out;
	}
	/* The lowest number of its blocks above every one used, never a gap. */
	if ((rc = sd__layout_max_in(&max, repo, root, prefix,
	    (const long (*)[2])me->blocks, me->nblocks)) < 0)
		goto out;
	for (size_t k = 0; k < me->nblocks && !*out; k++)
		if (max < me->blocks[k][1])
			*out = max < me->blocks[k][0] ? me->blocks[k][0] : max + 1;
	if (!*out) {
		long base = (long)me->number * SD__OVERFLOW_BASE;
		long range[1][2] = { { base + 1, base + SD__OVERFLOW_BASE - 1 } };

		if ((rc = sd__layout_max_in(&max, repo, root, prefix,
		    (const long (*)[2])range, 1)) < 0)
			goto out;
		if (max == range[0][1])
			rc = sd_error_set(SD_EINVALID, "%s", _("this site's overflow range is full: "
			    "run sd-sync --lease"));
		else
			*out = max ? max + 1 : base + 1;
	}
out:
	sd__sites_free(&sites);
	return rc;
}

int
sd__sites_left(long *left, git_repository *repo, git_tree *root, const char *prefix,
    const char *site)
{
	struct sd__sites sites;
	const struct sd__site *me;
	long max = 0;
	int rc;

	*left = 0;
	if ((rc = sd__sites_from_tree(&sites, repo, root)) < 0)
		return rc;
	if ((me = sd__sites_find(&sites, site)) &&
	    (rc = sd__layout_max_in(&max, repo, root, prefix,
	    (const long (*)[2])me->blocks, me->nblocks)) == 0)
		for (size_t k = 0; k < me->nblocks; k++)
			if (max < me->blocks[k][1])
				*left += me->blocks[k][1] - (max < me->blocks[k][0] ?
				    me->blocks[k][0] - 1 : max);
	sd__sites_free(&sites);
	return rc;
}

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
	    below_overflow, 1)) < 0 ||
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
