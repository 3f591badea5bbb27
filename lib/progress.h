#ifndef SD_LIB_PROGRESS_H
#define SD_LIB_PROGRESS_H

/* A stage of long work counted for its sd_progress (lib/progress.c).
 * Inside lib/ only. */

#include <git2.h>
#include <stdint.h>

#include "sd/progress.h"

struct sd__count {
	const struct sd_progress *p;    /* NULL: nothing is told */
	const char *stage;
	uint64_t done, total;
};

/* Begin stage of total items for p (NULL: none; a count that tells
 * nothing). */
void sd__count_start(struct sd__count *c, const struct sd_progress *p, const char *stage,
    uint64_t total);
/* n more items done. */
void sd__count_add(struct sd__count *c, uint64_t n);
/* The stage over: told as done, once, when anything was to be done. */
void sd__count_end(struct sd__count *c);
/* The files (blobs) of tree and its subtrees; 0 when it cannot be read. */
uint64_t sd__count_blobs(git_tree *tree);

#endif
