/*
 * Numbers from leases, read from a tree: the sites of its sites.ini, the
 * next ticket number of a desk of many sites (a site from its blocks,
 * then its overflow range; the hub above every number and block), and
 * how many a site has left.
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "sync_internal.h"
#include "sd/error.h"

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

const long sd__below_overflow[1][2] = { { 1, SD__OVERFLOW_BASE - 1 } };

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
		if ((rc = sd__layout_max_in(&max, repo, root, prefix, sd__below_overflow, 1)) < 0)
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
