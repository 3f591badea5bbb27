#ifndef SD_SYNC_REPLAY_H
#define SD_SYNC_REPLAY_H

/* What sd-sync's replay (lib/sync_replay.c) asks of its merge of one
 * ticket (lib/sync_merge.c). */

#include <git2.h>

#include "sd/config.h"
#include "sd/ticket.h"

struct sd__merge {
	const struct sd_config *cfg;    /* the hub's configuration */
	const char *onto;               /* the hub's head, 40 hex: superseded = */
	/* A report line: "superseded" or "overridden", the ticket, a detail. */
	void (*tell)(void *arg, const char *kind, const char *id, const char *detail);
	void *arg;
};

/* The site's events of c after those of p (its version before the
 * commit) re-applied on *w, the hub's version h as the replay has it;
 * with no new event, the keys the site changed that the hub did not.
 * *w may be replaced.  SD_EINVALID when the site's change is none a
 * replay can take (events removed, a new on a ticket that exists). */
int sd__replay_merge(const struct sd__merge *m, struct sd_ticket **w, const struct sd_ticket *p,
    const struct sd_ticket *c, const struct sd_ticket *h, const char *id);

/* lib/sync_pack.c: the objects ids[0..n) (read from repo, duplicates
 * allowed; ids is sorted in place) written into repo as one pack. */
int sd__replay_pack(git_repository *repo, git_oid *ids, size_t n);

/* lib/sync_tree.c: the id at path in tree: 1 and *out, 0 when none. */
int sd__tree_entry(git_odb *odb, const git_oid *tree, const char *path, git_oid *out);
/* tree (NULL: empty) with id at path, mode mode, and the trees on the
 * way written: the new tree's id in *out. */
int sd__tree_put(git_odb *odb, const git_oid *tree, const char *path, git_filemode_t mode,
    const git_oid *id, git_oid *out);

/* The files that differ between trees a and b (NULL: empty), below
 * prefix ("" at the top): fn with each path and its ids before and after
 * (NULL: none), the mode after; subtrees with one id are never read. */
typedef int (*sd__tree_diff_fn)(const char *path, const git_oid *a, const git_oid *b,
    unsigned mode, void *arg);
int sd__tree_diff(git_odb *odb, const git_oid *a, const git_oid *b, const char *prefix,
    sd__tree_diff_fn fn, void *arg);

#endif
