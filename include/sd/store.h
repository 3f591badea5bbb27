#ifndef SD_STORE_H
#define SD_STORE_H

#include <stddef.h>
#include <time.h>

#include "sd/config.h"
#include "sd/ticket.h"

/*
 * A store: sd.ini and the other files at its root, a bare git repository
 * in .git, and the files beside it equal to HEAD's tree (SPEC section 1).
 */
struct sd_store;

enum {
	SD_OPEN_NO_SYNC = 1,    /* leave the files as they are (sd-fsck) */
	SD_OPEN_NO_CONFIG = 2   /* do not load the configuration (sd-fsck) */
};

/* Where the store is: dir (-C), else $SD_STORE, else the nearest directory
 * at or above the current one with sd.ini.  SD_ENOTFOUND if none. */
int sd_store_find(char **root, const char *dir);

/* Open the store, bring its files up to date with HEAD if HEAD moved, and
 * load its configuration. */
int sd_store_open(struct sd_store **out, const char *dir, int flags);
void sd_store_free(struct sd_store *s);

const char *sd_store_root(const struct sd_store *s);
const struct sd_config *sd_store_config(const struct sd_store *s);
/* The current time for every change made through s: the command layer
 * says it once (SD_NOW, else the clock); libsd reads no clock. */
time_t sd_store_now(const struct sd_store *s);
void sd_store_set_now(struct sd_store *s, time_t now);
/* Where the long work done through s tells its progress (sd/progress.h):
 * reading every ticket, writing out a whole tree.  p NULL, the default:
 * nowhere.  p is kept, not copied. */
struct sd_progress;
void sd_store_set_progress(struct sd_store *s, const struct sd_progress *p);

/* The agent this process acts as (SPEC section 3); SD_EPERM if unknown. */
int sd_store_agent(const struct sd_store *s, const struct sd_agent **out);
/* Nonzero when $SD_AGENT is set but not trusted ([policy] trust_env_agent
 * = no), so that sd_store_agent goes by the login, written to login: for
 * the command to say so. */
int sd_store_agent_env_ignored(const struct sd_store *s, char *login, size_t size);

/* Take the store's lock, waiting up to $SD_LOCK_TIMEOUT seconds (10; a
 * malformed value is SD_ECONFIG, already at sd_store_open); SD_EBUSY when
 * not had in time.  Then remove what a killed holder left (the branch's
 * lock file, temporary files) and bring the files up to date. */
int sd_store_lock(struct sd_store *s);
void sd_store_unlock(struct sd_store *s);

/* Read ticket n from its file; SD_ENOTFOUND when there is none. */
int sd_store_load(struct sd_store *s, struct sd_ticket **out, long n);

/* The next ticket number: one more than the largest in HEAD's tree, read
 * from the highest shard that holds a ticket (and the one below it checked),
 * never every shard.  SD_EINVALID, naming the path, when those shards or
 * tickets/ hold anything out of place (sd-fsck reports it).  Only under
 * the lock. */
int sd_store_next_id(struct sd_store *s, long *out);

/* Call fn for every ticket file, in id order, with its path relative to the
 * root and its contents; fn returns 0 to go on, or a code to stop with.  A
 * file that cannot be read as a ticket comes with data NULL, and why in
 * sd_error_message(). */
typedef int (*sd_store_each_fn)(const char *path, long n, const char *data,
    size_t len, void *arg);
int sd_store_each(struct sd_store *s, sd_store_each_fn fn, void *arg);
/* As sd_store_each, but glance(data, len, arg) looks at each file's bytes
 * first, on the worker thread that read it, several files at once: a file
 * it returns 0 for is not handed to fn.  For lists that leave most files
 * out by what a look at their bytes tells (sd-list --grep): glance must be
 * safe on several threads at once, and is not called for unreadable
 * files. */
typedef int (*sd_store_glance_fn)(const char *data, size_t len, void *arg);
int sd_store_each_glance(struct sd_store *s, sd_store_glance_fn glance, sd_store_each_fn fn,
    void *arg);

/* A change: the files it writes and the commit that records them. */
struct sd_change;

int sd_change_new(struct sd_change **out, const char *action);
void sd_change_free(struct sd_change *c);
/* The commit's subject, e.g. "SD-42: assign to ana". */
int sd_change_subject(struct sd_change *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Write a file (path relative to the root). */
int sd_change_file(struct sd_change *c, const char *path, const char *data,
    size_t len);
/* Remove a file (path relative to the root) in the same commit. */
int sd_change_remove(struct sd_change *c, const char *path);
/* Write a ticket's file, and name it in a Ticket: trailer. */
int sd_change_ticket(struct sd_change *c, const struct sd_ticket *t);

/* Let the change write over files changed by hand (SPEC section 11): for
 * sd-edit, which validated what it writes.  Without it, a change refuses
 * (SD_EINVALID, naming the file) to write a file that is not HEAD's. */
void sd_change_over_hand_edits(struct sd_change *c);

/* Commit the change as agent (NULL: sd, with the store's name) and write
 * its files out.  Only under the lock.  SD_EINVALID, before anything is
 * written, when a file it writes was changed by hand (see above).  On
 * failure nothing has changed: the branch did not move.  Once it moved,
 * the change is made and this returns 0, even when a later step (making
 * the ref durable, writing the files, the mark) failed: that failure is
 * kept for sd_store_warning, and the next command that opens the store
 * brings the files in line with HEAD. */
int sd_store_commit(struct sd_store *s, struct sd_change *c,
    const struct sd_agent *agent);
/* The message of the first late failure of a committed change (see
 * sd_store_commit), for the command to print as a warning; NULL when
 * there was none. */
const char *sd_store_warning(const struct sd_store *s);

/* Make a store in dir from the four configuration texts; the first commit
 * is "init", dated in zone (the texts' own, sd_config_zone).  SD_EEXISTS
 * when dir is a store already. */
int sd_store_init(const char *dir, const char *const texts[4],
    const struct sd_zone *zone, const struct sd_agent *author, time_t now);
/* The same, built in a temporary directory and put in place at the end
 * (a failure leaves nothing at dir); with group not NULL, the store is
 * that group's: core.sharedRepository = group, setgid directories,
 * group-writable files (sd(7), SHARED STORES).  SD_EINVALID for an
 * unknown group, SD_EPERM when the caller cannot give it to the group. */
int sd_store_init_ext(const char *dir, const char *const texts[4],
    const struct sd_zone *zone, const struct sd_agent *author, time_t now,
    const char *group);


/* Pack what changes left loose, when git thinks it is time (git gc --auto,
 * with refs never packed), outside the lock: for cron.  SD_EIO if git
 * failed; no git on the machine is no error. */
int sd_store_maintain(struct sd_store *s);

/* The commits that changed ticket n's file, newest first, back to the one
 * that added it.  fn returns 0 to go on. */
struct sd_commit_info {
	char id[41];
	const char *author, *email, *subject;
	long long time;
	int offset;             /* minutes east of UTC */
};
typedef int (*sd_store_history_fn)(const struct sd_commit_info *c, void *arg);
int sd_store_history(struct sd_store *s, long n, sd_store_history_fn fn, void *arg);

#endif
