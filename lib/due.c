/*
 * Due dates held to the clock across a tree: the tickets of a tree whose
 * due dates, as their files hold them, the SLA clock computes otherwise
 * under a configuration.  For a calendar or SLA edit: sd-edit rewrites
 * them in its commit, the commit check refuses one that does not.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "store_internal.h"
#include "sd/sla.h"
#include "sd/ticket.h"
#include "sd/time.h"

/* A ticket's due dates under cfg, differ from its file's?  Then fn. */
static int
one(const char *rel, const char *data, size_t len, const struct sd_config *cfg,
    sd__due_fn fn, void *arg)
{
	static const enum sd_field fields[2] = { SD_F_DUE_RESPONSE, SD_F_DUE_RESOLUTION };
	struct sd_ticket *t = NULL;
	char old[2][SD_TIME_MAX];
	int rc = 0;

	/* One that does not parse is no clock's: sd-fsck names it. */
	if (sd_ticket_parse(&t, data, len, rel, SD_PARSE_FULL) < 0) {
		sd_error_clear();
		return 0;
	}
	for (int c = 0; c < 2; c++)
		snprintf(old[c], SD_TIME_MAX, "%s", sd_ticket_get(t, fields[c]));
	if (sd_sla_update(t, cfg) < 0)
		sd_error_clear();
	else
		for (int c = 0; c < 2 && rc == 0; c++)
			if (strcmp(old[c], sd_ticket_get(t, fields[c]))) {
				rc = fn(rel, data, len, sd_field_name(fields[c]), old[c],
				    sd_ticket_get(t, fields[c]), arg);
				break;
			}
	sd_ticket_free(t);
	return rc;
}

int
sd__due_stale(git_repository *repo, git_tree *root, const struct sd_config *cfg,
    sd__due_fn fn, void *arg)
{
	const git_tree_entry *te = git_tree_entry_byname(root, "tickets");
	git_tree *tickets = NULL;
	int rc = 0;

	if (!te || git_tree_entry_type(te) != GIT_OBJECT_TREE)
		return 0;
	if (git_tree_lookup(&tickets, repo, git_tree_entry_id(te)) < 0)
		return sd__git_error("tickets");
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(tickets); i++) {
		const git_tree_entry *se = git_tree_entry_byindex(tickets, i);
		git_tree *shard = NULL;

		if (git_tree_entry_type(se) != GIT_OBJECT_TREE)
			continue;
		if (git_tree_lookup(&shard, repo, git_tree_entry_id(se)) < 0) {
			rc = sd__git_error("tickets");
			break;
		}
		for (size_t j = 0; rc == 0 && j < git_tree_entrycount(shard); j++) {
			const git_tree_entry *e = git_tree_entry_byindex(shard, j);
			struct sd_buf path = SD_BUF_INIT;
			git_blob *b = NULL;

			if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
			    !sd__file_number(git_tree_entry_name(e), sd_config_prefix(cfg)))
				continue;
			sd_buf__printf(&path, "tickets/%s/%s", git_tree_entry_name(se),
			    git_tree_entry_name(e));
			if ((rc = sd_buf__check(&path)) == 0 &&
			    git_blob_lookup(&b, repo, git_tree_entry_id(e)) < 0)
				rc = sd__git_error(path.data);
			if (rc == 0)
				rc = one(path.data, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
				    cfg, fn, arg);
			git_blob_free(b);
			sd_buf__free(&path);
		}
		git_tree_free(shard);
	}
	git_tree_free(tickets);
	return rc;
}

int
sd__due_config_moved(git_tree *old, git_tree *new)
{
	/* sd.ini: calendars and stops; sla.ini: targets, calendars by
	 * priority; agents.ini and escalation.ini: calendars by group. */
	static const char *const files[] = { "sd.ini", "sla.ini", "agents.ini", "escalation.ini" };

	if (!old || !new)
		return 0;
	for (size_t i = 0; i < SD_ARRAY_SIZE(files); i++) {
		const git_tree_entry *a = git_tree_entry_byname(old, files[i]);
		const git_tree_entry *b = git_tree_entry_byname(new, files[i]);
		if (!a != !b || (a && !git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b))))
			return 1;
	}
	return 0;
}
