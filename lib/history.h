#ifndef SD_HISTORY_H
#define SD_HISTORY_H

/*
 * The walk of a ticket's history (lib/history.c), for the index and for
 * sd-show --history when the index cannot say.
 */

#include <git2.h>

#include "sd/store.h"

/* The walk from start for the file rel, fn called for each commit listed
 * (a nonzero return from fn stops it, 1 as no error). */
int sd__history_walk(struct sd_store *s, const git_oid *start, const char *rel,
    sd_store_history_fn fn, void *arg);

/* fn told of commit c, as the walk tells it. */
int sd__history_emit(git_commit *c, sd_store_history_fn fn, void *arg);

#endif
