#ifndef SD_HISTORY_INDEX_H
#define SD_HISTORY_INDEX_H

/*
 * The index of tickets' histories (lib/history_index.c), what its tests
 * and lib/history.c see of it.
 */

#include <stddef.h>

#include "store_internal.h"

/* One ticket of a shard: its file's name, and the commits its history
 * lists, newest first, as ids of 40 hex digits one after another. */
struct sd__hentry {
	char *name;
	char *ids;
	size_t n;
};

/* The entries of one shard, tickets/NAME, in order of name (strcmp). */
struct sd__hshard {
	char *name;
	struct sd__hentry *v;
	size_t n, cap;
	int dirty;              /* changed since read: written out */
};

/* Parse a shard's file (data, len) into sh (empty): 0; the number of the
 * first bad line, counted from 1, when the file is not whole and well
 * formed (a header, "NAME ID..." lines in order of NAME, each once,
 * "end COUNT SUM" last); below 0
 * when out of memory. */
int sd__hshard_parse(struct sd__hshard *sh, const char *data, size_t len);
/* The file of sh, as the parser reads it. */
void sd__hshard_format(struct sd_buf *b, const struct sd__hshard *sh);
void sd__hshard_free(struct sd__hshard *sh);
/* The entry of name, NULL if none (and, with create, when out of memory). */
struct sd__hentry *sd__hshard_entry(struct sd__hshard *sh, const char *name, int create);
/* The commit hex (40 digits) put first in name's list, unless it is in it
 * already (a commit applied again, from a marker set back): 0, or < 0. */
int sd__hshard_prepend(struct sd__hshard *sh, const char *name, const char *hex);
/* name's list emptied (its file removed). */
void sd__hshard_clear(struct sd__hshard *sh, const char *name);

/* The history of rel at HEAD from the index, brought up to HEAD first if
 * behind (under the store's lock): 0 with *ids (n ids of 40 hex digits,
 * newest first, malloc'd), from memory when it cannot be written; 1 when
 * the index cannot say (the lock not had, a git error): the caller walks. */
int sd__history_index_find(struct sd_store *s, const char *rel, char **ids, size_t *n);
/* sd-init: the index of a new store, at its first commit id. */
void sd__history_index_init(struct sd_store *s, const git_oid *id);

#endif
