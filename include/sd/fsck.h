#ifndef SD_FSCK_H
#define SD_FSCK_H

/* The store's checker (sd-fsck(1)). */

#include <time.h>

#include "sd/progress.h"

struct sd_fsck_finding {
	const char *path;       /* relative to the store's root, or "" */
	int line;               /* 0 when the finding is not about a line */
	const char *message;
	int code;               /* SD_EINVALID, SD_ECONFIG or SD_EIO */
	int repaired;           /* --repair mended it */
	int warning;            /* not a defect: a hook that failed, say */
};

typedef void (*sd_fsck_fn)(const struct sd_fsck_finding *f, void *arg);

/* Check the store at dir (-C, or found as every command finds it): the
 * git repository, the configuration, every ticket, the due dates, and that
 * the files equal HEAD's tree.  With repair: make a plain clone a store,
 * restore files from HEAD, drop leftovers of interrupted writes and stale
 * locks, and rewrite due dates that differ in one commit.  Each finding
 * goes to fn; how far the check is, to progress (NULL: nowhere): the
 * files a clone's repair writes out, HEAD's files checked.  Returns 0
 * when sound, else the worst code of what remains. */
int sd_fsck(const char *dir, int repair, time_t now, const struct sd_progress *progress,
    sd_fsck_fn fn, void *arg);

/* The policy on push: each commit of range (OLD..NEW, or one commit and
 * its ancestors) must leave its tickets valid, move them only as the
 * transition table allows, and have an author who is an agent the role
 * rules let take its action (configuration: coordinators).  The repository
 * is dir's, or in a git hook the environment's (GIT_DIR, the push's
 * quarantine).  With sd.ini's [sync], an event a commit adds may be
 * dated no later than now plus [sync] max_skew (now 0: not checked).
 * 0 when every commit passes, else SD_EINVALID. */
int sd_fsck_commits(const char *dir, const char *range, time_t now, sd_fsck_fn fn, void *arg);

/* One ref update of a push, as a pre-receive hook reads it: OLD NEW REF
 * (40 hex digits each, zeros for none).  The store's branch (HEAD's)
 * moves only forward: no deletion, no rewind or rewrite, no other root;
 * each commit it gains passes as with sd_fsck_commits.  Any other ref is
 * refused unless sd.ini's [store] push_refs, at the branch's tip, lists
 * it.  SD_EUSAGE for operands that are none; 0 when the update passes,
 * else SD_EINVALID. */
int sd_fsck_push(const char *dir, const char *old, const char *new, const char *ref,
    time_t now, sd_fsck_fn fn, void *arg);

#endif
