/*
 * A coordinator's repair of two desks merged: a ticket moved to a free
 * number in one commit, its old number kept in aliases (sd-sync
 * --renumber), where every command taking an id finds it.
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/id.h"
#include "sd/store.h"
#include "sd/sync.h"
#include "sd/workflow.h"

/* May the hub give number n: one no site's block or overflow holds. */
static int
may_number(struct sd_store *s, long n)
{
	struct sd__sites sites = { 0 };
	git_commit *head = NULL;
	git_tree *root = NULL;
	git_oid id;
	int rc;

	if ((rc = sd__head(s, &id)) < 0)
		return rc;
	if (git_commit_lookup(&head, s->repo, &id) < 0 || git_commit_tree(&root, head) < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	if ((rc = sd__sites_from_tree(&sites, s->repo, root)) < 0)
		goto out;
	rc = sd__sites_may_number(&sites, NULL, n);
out:
	sd__sites_free(&sites);
	git_tree_free(root);
	git_commit_free(head);
	return rc;
}

int
sd_sync_renumber(struct sd_store *s, const struct sd_agent *agent, const char *oldarg,
    const char *newarg, const char *now)
{
	const struct sd_config *cfg = sd_store_config(s);
	const char *prefix = sd_config_prefix(cfg);
	struct sd_ticket *t = NULL, *other = NULL;
	struct sd_change *c = NULL;
	struct sd_buf aliases = SD_BUF_INIT;
	char old[SD_ID_MAX], new[SD_ID_MAX], site[SD_SITE_MAX], *rel = NULL;
	long o, n;
	size_t ev;
	int rc, was_locked = s->locked;

	/* A malformed id is bad data (SPEC section 10), as for every command. */
	if ((rc = sd_id_parse(&o, prefix, oldarg)) < 0 || (rc = sd_id_parse(&n, prefix, newarg)) < 0)
		return rc;
	sd_id_format(old, prefix, o);
	sd_id_format(new, prefix, n);
	if (o == n)
		return sd_error_set(SD_EUSAGE, _("%s: a ticket is renumbered to another number"), old);
	/* Upwards only: the highest number of the tree never falls, so the
	 * next one given is never an alias. */
	if (n < o)
		return sd_error_set(SD_EINVALID, _("%s: below %s; a ticket is renumbered upwards, "
		    "so that no alias is given again"), new, old);
	if ((rc = sd_workflow_permit(cfg, agent, NULL, "renumber", NULL, 0)) < 0)
		return rc;
	/* At the hub, or a store alone: a site's sync replays no removal. */
	if ((rc = sd_store_site(s, site)) != 0)
		return rc < 0 ? rc : sd_error_set(SD_EINVALID, _("%s is a site; renumber at the "
		    "hub (sd-sync replays no removal)"), site);
	if ((rc = sd_store_lock(s)) < 0)
		return rc;
	if ((rc = sd__store_load_exact(s, &t, o)) < 0)
		goto out;
	/* NEW is free: no file, and no ticket's alias. */
	if ((rc = sd_store_load(s, &other, n)) == 0) {
		rc = strcmp(sd_ticket_get(other, SD_F_ID), new) ?
		    sd_error_set(SD_EEXISTS, _("%s: taken, an alias of %s"), new,
		    sd_ticket_get(other, SD_F_ID)) :
		    sd_error_set(SD_EEXISTS, _("%s: taken, a ticket of the tree"), new);
		goto out;
	}
	if (rc != SD_ENOTFOUND)
		goto out;
	sd_error_clear();
	if ((rc = may_number(s, n)) < 0)
		goto out;
	if (!rc) {
		rc = sd_error_set(SD_EINVALID, _("%s: not a number the hub gives "
		    "(sites.ini: a site's block, or its overflow)"), new);
		goto out;
	}
	sd_buf__adds(&aliases, sd_ticket_get(t, SD_F_ALIASES));
	sd_buf__printf(&aliases, "%s%s", aliases.len ? " " : "", old);
	if (!aliases.data) {
		rc = sd__oom();
		goto out;
	}
	if ((rc = sd_ticket_set(t, SD_F_ID, new)) < 0 ||
	    (rc = sd_ticket_set(t, SD_F_ALIASES, aliases.data)) < 0 ||
	    (rc = sd_ticket_event_add(t, &ev, now, agent->id, "renumber")) < 0 ||
	    (rc = sd_ticket_event_set(t, ev, "was", old)) < 0 ||
	    (rc = sd_id_path(&rel, prefix, o)) < 0 ||
	    (rc = sd_change_new(&c, "renumber")) < 0 ||
	    (rc = sd_change_subject(c, "%s: renumber to %s", old, new)) < 0 ||
	    (rc = sd_change_remove(c, rel)) < 0 ||
	    (rc = sd_change_ticket(c, t)) < 0 ||
	    (rc = sd_store_commit(s, c, agent)) < 0)
		goto out;
out:
	if (!was_locked)
		sd_store_unlock(s);
	sd_change_free(c);
	sd_buf__free(&aliases);
	sd_ticket_free(t);
	sd_ticket_free(other);
	free(rel);
	return rc;
}
