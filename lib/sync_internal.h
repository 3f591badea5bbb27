#ifndef SD_SYNC_INTERNAL_H
#define SD_SYNC_INTERNAL_H

#include <git2.h>

#include "sd/config.h"
#include "sd/sync.h"

/* lib/sync_git.c: the git program, for what goes over the wire (fetch,
 * push, clone): argv[0] is "git"; run with stdin from /dev/null, killed
 * after timeout seconds.  0, or SD_EIO with git's last line of stderr as
 * the message (SD_ETEMPFAIL-like codes are the caller's to choose from
 * *exit_status: git's exit status, or -1 when killed). */
int sd__git_run(const char *const argv[], long long timeout, int *exit_status);
/* The same, its standard output kept in *out (the caller's, "" at least)
 * when out is not NULL: for git push --porcelain. */
int sd__git_run_out(const char *const argv[], long long timeout, int *exit_status, char **out);

/* lib/sync_site.c: is name a site's name ([a-z0-9-]{1,32})? */
int sd__site_name_ok(const char *name);

/* lib/sync_replay.c: the commits base..tip replayed, oldest first, on top
 * of onto, as new commits written to repo (no ref moved); *out the new
 * tip (= onto when base == tip). */
struct sd__replay_in {
	git_oid base, tip, onto;
	const char *site;       /* its Site: trailer, or NULL */
	const char *now;        /* RFC 3339, the command's clock */
};
int sd__sync_replay(git_repository *repo, const struct sd__replay_in *in, git_oid *out,
    sd_sync_line_fn fn, void *arg);

/* lib/sites.c: sites.ini, the blocks of numbers the hub leases. */
struct sd__site {
	char name[SD_SITE_MAX];
	int number;
	long (*blocks)[2];      /* first, last; ascending */
	size_t nblocks;
};
struct sd__sites {
	struct sd__site *v;
	size_t n;
};
#define SD__OVERFLOW_BASE 1000000000L
/* Below the overflow ranges: what the hub numbers and leases (lib/sites_numbers.c). */
extern const long sd__below_overflow[1][2];
/* Parse sites.ini's text (NULL: none); SD_EINVALID naming the line. */
int sd__sites_parse(struct sd__sites *out, const char *text, size_t len);
void sd__sites_free(struct sd__sites *s);
const struct sd__site *sd__sites_find(const struct sd__sites *s, const char *name);
/* May site (NULL: the hub) give number n to a new ticket? */
int sd__sites_may_number(const struct sd__sites *s, const char *site, long n);
/* The text of sites.ini with one more block for site (a new site when
 * unknown), above max_seen and every block; *first, *last the block. */
int sd__sites_lease(char **text, const struct sd__sites *s, const char *site, int lease,
    long max_seen, long *first, long *last);
/* The text of s, as sd__sites_parse reads it back. */
int sd__sites_write(char **text, const struct sd__sites *s);
/* The last number of every block (0: none). */
long sd__sites_max(const struct sd__sites *s);
/* sites.ini of a store's tree (none: no site). */
int sd__sites_from_tree(struct sd__sites *out, git_repository *repo, git_tree *root);
/* The next ticket number of root at site (NULL: the hub) of a desk with
 * [sync]: a site's lowest number of its blocks above every one used, else
 * its overflow range; the hub's above every number below 10^9 and every
 * block.  A site sites.ini does not know: SD_EBUSY. */
int sd__sites_next(long *out, git_repository *repo, git_tree *root, const char *prefix,
    const char *site);
/* The numbers left to site in its blocks of root (above the largest
 * used; 0 when sites.ini does not know it): what sd-sync holds to
 * [sync] low. */
int sd__sites_left(long *left, git_repository *repo, git_tree *root, const char *prefix,
    const char *site);
/* lib/change.c: the change's Site: trailer, for a lease the hub commits
 * for a site (otherwise the store's own site, if any). */
struct sd_change;
int sd__change_site(struct sd_change *c, const char *site);
/* lib/sync_lease.c: under the store's lock, a lease commit (action lease)
 * giving site one more block (its first, and a number, when new); the
 * block in *first, *last. */
struct sd_store;
struct sd_agent;
int sd__sync_lease_commit(struct sd_store *s, const struct sd_agent *agent, const char *site,
    long *first, long *last);

/* lib/sync_lock.c: .git/sd-sync.lock taken without waiting (SD_EBUSY
 * when another sd-sync has it), then what killed runs left cleared:
 * gitdir/refs/sd/ *.lock, gitdir/objects/pack/tmp_*. */
int sd__sync_lock(const char *gitdir, int *fd);
void sd__sync_unlock(int *fd);

#endif
