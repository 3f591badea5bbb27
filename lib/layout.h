#ifndef SD_LAYOUT_H
#define SD_LAYOUT_H

/*
 * What paths a store's tree may hold (SPEC sections 1 and 2): the four
 * configuration files, sites.ini (sd-sync's leases) and
 * tickets/NNN/PREFIX-N.ini, NNN = N / 1000 zero-padded to 3 digits, as
 * sd_id_path writes it; nothing else, and no hooks/.  Usable per path (a pre-receive hook looks at the paths a commit
 * changes) and per tree (sd-fsck looks at HEAD's).
 */

#include <stddef.h>
#include <git2.h>

/* The number of "PREFIX-N.ini", or 0. */
long sd__file_number(const char *name, const char *prefix);

/* The number of a name of 3 to 12 digits, leading zeros allowed, or -1:
 * what lib/shards.c takes for a shard on disk. */
long sd__shard_number(const char *name);

/* The number of a shard's name as sd_id_shard writes it ("000" .. "999",
 * then "1000" and on, no leading zero), or -1 for any other name. */
long sd__layout_shard(const char *name);

/* Is path "tickets/NNN/PREFIX-N.ini", N without leading zeros, in its shard?
 * 0 and N in *n (n may be NULL); else SD_EINVALID naming the path and what
 * is wrong ("not in its shard (belongs in tickets/004/)", ...). */
int sd__layout_ticket_path(const char *path, const char *prefix, long *n);

/* May a tree hold a file at path with the git file mode `mode` (0: not
 * looked at)?  A configuration file, or a ticket file as above (its number
 * in *n, else 0; n may be NULL).  SD_EINVALID naming the path otherwise. */
int sd__layout_path(const char *path, unsigned mode, const char *prefix, long *n);

/* Does the ticket file data (len bytes) at path, number n, say
 * `id = PREFIX-n` in its [ticket] section?  Only that line is read.  0, or
 * SD_EINVALID "path:line: id 'X' does not match the file name". */
int sd__layout_ticket_id(const char *path, const char *prefix, long n,
    const char *data, size_t len);

/* A defect of a tree: its path ("tickets/999" for a directory), the line
 * it is on (0: none) and what is wrong.  Nonzero stops the walk. */
typedef int (*sd__layout_fn)(const char *path, int line, const char *message, void *arg);

enum {
	SD_LAYOUT_NO_IDS = 1    /* do not read the tickets' id lines */
};

/* Walk root, a store's tree, and call fn for each defect of its layout: a
 * path outside SPEC section 1's layout (hooks/ included), a configuration
 * file or ticket that is not a regular file (a symbolic link...), a shard
 * named otherwise than NNN, an empty shard, a file name that is not
 * PREFIX-N.ini, a ticket in the wrong shard, and (unless SD_LAYOUT_NO_IDS)
 * a ticket whose id line differs from its file name.  Returns the number of
 * defects told, or a negative code when the trees cannot be read. */
int sd__layout_check_tree(git_repository *repo, git_tree *root, const char *prefix,
    int flags, sd__layout_fn fn, void *arg);

/* The same for a subtree: dir is where tree sits in a store's tree, ""
 * (the root), "tickets" or "tickets/NNN" (a pre-receive hook looks at the
 * ones a commit changed). */
int sd__layout_check_dir(git_repository *repo, git_tree *tree, const char *dir,
    const char *prefix, int flags, sd__layout_fn fn, void *arg);

/* The next ticket number of root, a store's tree: one more than the
 * largest number of the highest-numbered shard that is not empty, found
 * by the shards' names and opening shards from the highest down; 1 when
 * there is no ticket.  That shard's files, and the files of the shard below
 * it, must all be in their shard; a name in tickets/ that is not a shard
 * directory, or a ticket file where one does not belong, is SD_EINVALID
 * naming its path and saying to run sd-fsck.  Never a number whose file
 * is in HEAD's tree at its path, nor one of the shards read. */
int sd__layout_next(long *out, git_repository *repo, git_tree *root, const char *prefix);

/* The largest ticket number of root in one of the nr ranges (first, last),
 * 0 when none: only the shards that may hold one are opened, the highest
 * first.  A file of such a shard out of place is SD_EINVALID, as above. */
int sd__layout_max_in(long *out, git_repository *repo, git_tree *root, const char *prefix,
    const long (*ranges)[2], size_t nr);

#endif
