#ifndef SD_STORE_INTERNAL_H
#define SD_STORE_INTERNAL_H

/*
 * What the files of a store share inside lib/: lib/store.c (opening, the
 * lock, the files in step with HEAD), lib/shards.c (reading ticket files),
 * lib/history.c (a ticket's commits), lib/layout.c (the tree's layout,
 * the next number), lib/change.c (commits).
 */

#include <git2.h>

#include "internal.h"
#include "layout.h"
#include "sd/store.h"

struct sd_store {
	char *root;
	git_repository *repo;
	git_odb *odb;
	struct sd_config *cfg;
	int lockfd;
	int locked;
	int shared;             /* core.sharedRepository = group: files the group's too */
	int repairing;          /* sd-fsck --repair: a link or FIFO in a file's place
	                         * is replaced (lib/files.c) */
	time_t now;             /* the current time, as the command was given it */
	char *warning;          /* a change committed, but a later step failed */
	const struct sd_progress *progress;     /* or NULL: sd_store_set_progress */
	struct sd__count *writing;      /* files a whole checkout writes, or NULL */
};

/* Take the lock without bringing the files up to date (sd-fsck --repair). */
int sd__store_lock_only(struct sd_store *s);
/* The lock shared, as the lock_only one: changes wait while sd-fsck reads
 * HEAD and the files, other readers do not. */
int sd__store_lock_shared(struct sd_store *s);
/* Make durable the loose objects of ids (packed ones are) and, if ref is
 * not NULL, the ref of that name in gitdir: the objects before anything
 * points at them, the ref before the files follow it. */
int sd__durable(const char *gitdir, const git_oid *ids, size_t n, const char *ref);
/* lib/change.c: a commit's author and committer, dated now with zone's
 * offset: agent's name and email, or sd's with the store's name (cfg). */
int sd__signature(git_signature **out, const struct sd_config *cfg, const char *prefix,
    const struct sd_zone *zone, const struct sd_agent *agent, time_t now);
int sd__head(struct sd_store *s, git_oid *out);
/* The store's branch, the ref HEAD names (refs/heads/main as sd-init makes
 * it), in out: 0; -1, out "", when HEAD is not a symbolic ref to a branch
 * whose name fits in size (a detached or odd HEAD, a name with ".."). */
int sd__head_branch(git_repository *repo, char *out, size_t size);
int sd__marker_read(struct sd_store *s, git_oid *out);
int sd__marker_write(struct sd_store *s, const git_oid *oid);
/* Files of `to`'s tree written out over those of `from` (NULL: none). */
int sd__checkout(struct sd_store *s, const git_oid *from, const git_oid *to);
int sd__write_blob(struct sd_store *s, const char *rel, const git_oid *id, int mode);
/* lib/write_tree.c: every file of tree that sd writes out, written (what
 * stands there replaced) on the cores and flushed once; count told. */
int sd__write_tree(struct sd_store *s, git_tree *tree, struct sd__count *count);
/* Nonzero for tree paths sd writes out (not hooks/, nothing hidden). */
int sd__path_written(const char *path);
/* SD_EINVALID, with a message that names rel and says how to keep or undo
 * it, when the file rel on disk is not tree's: changed, removed, or put
 * there by hand, or not a regular file (SPEC section 11). */
int sd__hand_check(struct sd_store *s, git_tree *tree, const char *rel);
/* The same against HEAD's tree. */
int sd__hand_check_head(struct sd_store *s, const char *rel);

/* Where a store is looked for: sd-shell's bound store (then *bound is
 * set), else dir (-C), else SD_STORE; NULL for the working directory
 * and its parents.  The one place that reads those variables. */
const char *sd__store_start(const char *dir, int *bound);

/* lib/clone.c: a clone of a store that is not one yet, at dir (NULL:
 * SD_STORE, else the current directory): *kind SD_CLONE_NO_FILES (its
 * repository in .git, no sd.ini), SD_CLONE_BARE (dir is the repository)
 * or SD_CLONE_NONE, when *root is NULL. */
enum { SD_CLONE_NONE, SD_CLONE_NO_FILES, SD_CLONE_BARE };
int sd__clone_find(char **root, const char *dir, int *kind);
/* Lay it out as a store: the repository moved into root/.git (a bare
 * clone), HEAD's sd.ini written; the other files are sd-fsck's. */
int sd__clone_make(const char *root, int kind);
/* lib/due.c: fn for each ticket of root's tickets/ whose due dates (the
 * first that differs: key, the file's value, the clock's) the clock
 * computes otherwise under cfg; a nonzero return stops the walk. */
typedef int (*sd__due_fn)(const char *rel, const char *data, size_t len, const char *key,
    const char *was, const char *clock, void *arg);
int sd__due_stale(git_repository *repo, git_tree *root, const struct sd_config *cfg,
    sd__due_fn fn, void *arg);
/* Nonzero when a configuration file (the calendars, the stops, the
 * targets, the groups' calendars) differs between the trees. */
int sd__due_config_moved(git_tree *old, git_tree *new);
/* lib/shards.c: the shards of tickets/ (NNN directories), in order of
 * number. */
int sd__shards(struct sd_store *s, char ***names, size_t *n);
void sd__shards_free(char **names, size_t n);

/* The ticket files of one shard, read whole, in order of number. */
struct sd__shard_file {
	long n;                 /* the ticket's number (first: lib/shards.c sorts by it) */
	size_t name;            /* in text: "tickets/NNN/PREFIX-N.ini" */
	size_t data, len;       /* in text: the contents, or the message */
	int rc;                 /* 0, or why it could not be read: SD_EINVALID
	                         * a symbolic link, SD_ENOTFOUND gone since
	                         * the directory was read, SD_EIO */
};
struct sd__shard_files {
	struct sd__shard_file *v;
	size_t n, cap;
	struct sd_buf text;     /* each string followed by a NUL */
	struct sd_buf names;    /* the files' names, as read from the directory */
	char *error;            /* the message, when sd__shard_read failed */
};
/* Read the files of tickets/shard into f (emptied first, its memory kept:
 * one f read shard after shard allocates little); a file that cannot be
 * read is an entry with its rc and message.  Safe on any thread: on
 * failure, the message is also in f->error. */
int sd__shard_read(struct sd_store *s, const char *shard, struct sd__shard_files *f);
void sd__shard_files_free(struct sd__shard_files *f);

/* The store's files, reached from its directory without following a
 * symbolic link (lib/files.c, under the store's root, shared or not, and
 * what stands in the way replaced while sd-fsck repairs). */
static inline int
sd__store_files(const struct sd_store *s)
{
	return (s->shared ? SD_FILES_SHARED : 0) | (s->repairing ? SD_FILES_REPLACE : 0);
}

static inline int
sd__store_dir(struct sd_store *s, const char *rel, size_t n, int create, int *fd)
{
	return sd__root_dir(s->root, sd__store_files(s), rel, n, create, fd);
}

static inline int
sd__store_write(struct sd_store *s, const char *rel, const void *data, size_t len, int mode)
{
	return sd__root_write(s->root, sd__store_files(s), rel, data, len, mode);
}

static inline int
sd__store_remove(struct sd_store *s, const char *rel, int is_dir)
{
	return sd__root_remove(s->root, rel, is_dir);
}

static inline int
sd__store_clear_temp(struct sd_store *s)
{
	return sd__root_clear_temp(s->root);
}

static inline int
sd__store_read(struct sd_store *s, const char *rel, char **out, size_t *len)
{
	return sd__root_read(s->root, rel, out, len);
}
#endif
