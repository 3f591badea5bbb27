#ifndef SD_REPORT_INTERNAL_H
#define SD_REPORT_INTERNAL_H

/*
 * What the files of sd-report share: the records read from the tickets
 * and their shards (lib/report_cache.c), the groups counted from them
 * (lib/report.c), and what the writers of the figures (lib/report_write.c)
 * and of the html page (lib/report_html.c) take from each other.
 */

#include <git2.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "sd/calendar.h"
#include "sd/report.h"
#include "sd/store.h"

/* What a report takes from each ticket: its strings by index into its
 * shard's string table, and its clocks, measured once.  Nothing here
 * depends on the instant of the report; that is applied when counting. */
enum {
	S_STATUS, S_TYPE, S_PRIORITY, S_LEVEL, S_GROUP, S_ASSIGNEE, S_CATEGORY,
	S_CHANNEL, S_REQUESTER, S_REQUESTER_EMAIL, S_DAY, S_WEEK, S_MONTH,
	S_SOLVED_MONTH, S_PROBLEM, NSTR
};

enum {
	R_ENDED = 1,            /* << clock: responded, solved */
	R_KNOWN = 4,            /* << clock: due is known (the clock runs) */
	R_FCR = 16, R_ESCALATED = 32, R_REOPENED = 64, R_SOLVED = 128,
	R_OPEN = 256, R_UNMANAGED = 512, R_CLOSED = 1024, R_REJECTED = 2048,
	R_NO_SLA = 4096         /* a problem: in no SLA figure */
};

struct rec {
	uint32_t str[NSTR];
	int64_t created;
	int64_t used[2], target[2], due[2], end[2];
	uint32_t flags;
	uint32_t rating;
};

/* One shard's records and strings. */
struct shard {
	char *file;             /* a cache file read whole: strs point into it */
	char **strs;
	size_t nstrs, capstrs;
	uint32_t *slots;        /* interning: index + 1, or 0 */
	size_t nslots;
	struct rec *recs;
	size_t n, cap;
	int recs_in_file;       /* recs point into file */
};

/* One shard of the report: read (from the cache or the files) by a
 * worker, counted on the caller's thread (sd__parallel). */
struct job {
	char *name;
	char tree[GIT_OID_HEXSZ + 1];
	struct shard sh;
	int cached;
	size_t files_read;
	struct sd_buf bad;      /* the messages of files left out, each ending in a NUL */
	char *error;            /* the message of a failure */
	size_t files;           /* entries of its tree, for progress only */
};

/* What each worker of a report has of its own (lib/report_cache.c). */
struct worker;

struct ivec {
	int32_t *v;
	size_t n, cap;
};

struct acc {
	char *key;              /* the key values joined by \x1f */
	long tickets, open, solved, closed, rejected;
	long met[2], counted[2];
	struct ivec mins[2];
	long fcr, escalated, reopened, rating_sum, ratings;
	long backlog[5];
};

struct groups {
	struct acc **slot;
	size_t nslots, n;
};

/* The charts of the html page, by month, level, channel and category. */
enum { C_OPENED, C_SOLVED, C_LEVEL, C_CHANNEL, C_CATEGORY, NCHARTS };

struct sd_report {
	const struct sd_report_opts *o;
	size_t nby;
	int *by;                /* index in sd_report_keys of each --by key */
	struct groups groups, charts[NCHARTS];
	struct acc total;
	size_t files_read, shards_cached;
	time_t now;
	const struct sd_zone *zone;     /* the store's */
};

/* How many columns sd_report_columns names. */
#define NCOLUMNS 21

/* lib/report_cache.c */

/* The hash of the n bytes at p: of a cache file, and of a string for the
 * tables in memory. */
/* The hash of n bytes: of a cache file, to tell it whole, and of a
 * string, for the tables in memory.  Eight bytes a step, on four lanes
 * while 32 are left, so that the multiplications of one step do not wait
 * for each other; a byte a step would wait on one for each. */
static inline uint64_t
sd__report_hash(const void *p, size_t n)
{
	const uint64_t prime = 0x100000001b3ull;
	const unsigned char *s = p;
	uint64_t h[4] = { 0xcbf29ce484222325ull ^ n, 1, 2, 3 }, w;
	size_t i = 0;

	for (; i + 32 <= n; i += 32)
		for (int k = 0; k < 4; k++) {
			memcpy(&w, s + i + 8 * k, 8);
			h[k] = (h[k] ^ w) * prime;
			h[k] ^= h[k] >> 29;
		}
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h[0] = (h[0] ^ w) * prime;
		h[0] ^= h[0] >> 29;
	}
	w = 0;
	memcpy(&w, s + i, n - i);
	h[0] = (h[0] ^ w) * prime;
	for (int k = 1; k < 4; k++)
		h[0] = (h[0] ^ h[k]) * prime;
	return h[0] ^ (h[0] >> 32);
}


/* The configuration's fingerprint in out, in hex: what, besides a shard's
 * tree, the records depend on. */
void sd__report_fingerprint(char out[17], git_tree *root);

/* A worker of its own for a thread that reads shards, with a copy of each
 * calendar of cfg.  Free it with sd__report_worker_free, which accepts NULL. */
int sd__report_worker_new(struct worker **out, const struct sd_config *cfg);
void sd__report_worker_free(struct worker *w);

/* Read job j's shard into j->sh on worker w: from its cache file, unless
 * no_cache, else from its files, then cached when every file parsed (fp:
 * the configuration's fingerprint).  1 when the shard is whole, 0 when a
 * file was left out (told in j->bad), or a negative code. */
int sd__report_shard_load(struct job *j, struct sd_store *s, const char *fp, int no_cache,
    const git_oid *stable, struct worker *w);

/* sd-fsck: for each shard of root (HEAD's tree) with a cache file under
 * root's fingerprint, the file is compared with what HEAD's blobs give
 * under cfg; bad is called with the path of each that differs (relative
 * to the store's root), removed first when remove.  A failure to read:
 * the code. */
typedef void (*sd__report_cache_bad_fn)(const char *rel, int removed, void *arg);
int sd__report_cache_check(struct sd_store *s, git_tree *root, const struct sd_config *cfg,
    int remove, sd__report_cache_bad_fn bad, void *arg);

/* Free what sh holds, and empty it. */
void sd__report_shard_clear(struct shard *sh);

/* lib/report.c */

/* The median and the 90th percentile of the n > 0 values v, nearest-rank
 * (the values at ranks ceil(0.5 n) and ceil(0.9 n), from 1), in out[0] and
 * out[1], as sd-report(1) defines them.  v may be reordered. */
void sd__report_ranks(int32_t out[2], int32_t *v, size_t n);

/* lib/report_write.c */

/* The names of the keys (in sd_report_keys order) and of the columns for
 * people, marked for translation; sd__report_label translates one. */
extern const char *const sd__report_key_labels[];
extern const char *const sd__report_column_labels[NCOLUMNS];
const char *sd__report_label(const char *msgid);

/* The groups of g sorted by key, ending in NULL; free the array alone.
 * NULL when out of memory. */
struct acc **sd__report_sorted(const struct groups *g);

#endif
