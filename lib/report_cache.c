/*
 * What sd-report takes from the tickets: each ticket read into a record
 * of its shard, its strings interned in the shard's table and its clocks
 * measured once; and each shard's records kept in a cache file, named by
 * the shard's tree and the configuration's fingerprint, so that a report
 * reads again only the shards that changed.
 */
#include <dirent.h>
#include <git2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "report_internal.h"
#include "sla_internal.h"
#include "store_internal.h"
#include "layout.h"
#include "sd/sla.h"
#include "sd/time.h"

/* Strings. */

static int
shard_intern(struct shard *sh, const char *s, uint32_t *out)
{
	size_t len = strlen(s);
	uint64_t h;

	if (sh->nstrs * 2 >= sh->nslots) {
		size_t n = sh->nslots ? sh->nslots * 2 : 256;
		uint32_t *slots = calloc(n, sizeof(*slots));
		if (!slots)
			return sd__oom();
		for (size_t i = 0; i < sh->nstrs; i++) {
			size_t j = sd__report_hash(sh->strs[i], strlen(sh->strs[i])) & (n - 1);
			while (slots[j])
				j = (j + 1) & (n - 1);
			slots[j] = (uint32_t)i + 1;
		}
		free(sh->slots);
		sh->slots = slots;
		sh->nslots = n;
	}
	h = sd__report_hash(s, len);
	for (size_t j = h & (sh->nslots - 1);; j = (j + 1) & (sh->nslots - 1)) {
		if (!sh->slots[j]) {
			if (sh->nstrs == sh->capstrs) {
				size_t cap = sh->capstrs ? 2 * sh->capstrs : 64;
				char **v = realloc(sh->strs, cap * sizeof(*v));
				if (!v)
					return sd__oom();
				sh->strs = v;
				sh->capstrs = cap;
			}
			if (!(sh->strs[sh->nstrs] = sd__strdup(s)))
				return sd__oom();
			sh->slots[j] = (uint32_t)++sh->nstrs;
			*out = (uint32_t)sh->nstrs - 1;
			return 0;
		}
		if (sd__streq(sh->strs[sh->slots[j] - 1], s)) {
			*out = sh->slots[j] - 1;
			return 0;
		}
	}
}

void
sd__report_shard_clear(struct shard *sh)
{
	for (size_t i = 0; !sh->file && i < sh->nstrs; i++)
		free(sh->strs[i]);
	free(sh->file);
	free(sh->strs);
	free(sh->slots);
	if (!sh->recs_in_file)
		free(sh->recs);
	memset(sh, 0, sizeof(*sh));
}

static struct rec *
shard_add(struct shard *sh)
{
	if (sh->n == sh->cap) {
		size_t cap = sh->cap ? 2 * sh->cap : 256;
		struct rec *v = realloc(sh->recs, cap * sizeof(*v));
		if (!v)
			return NULL;
		sh->recs = v;
		sh->cap = cap;
	}
	memset(&sh->recs[sh->n], 0, sizeof(struct rec));
	return &sh->recs[sh->n++];
}

/* A ticket's record. */
/* The local days of instants, with their names: the tickets of a shard
 * fall on few days, and a look at the zone and strftime cost more.
 * A day is kept in the slot of its number (days since 1970 in local
 * time); an instant is looked for in the slot of the day it falls on at
 * the offset from UTC last seen. */
struct day_memo {
	time_t lo, hi;          /* [lo, hi) is the day named, or empty */
	char day[16], week[16], month[16];
};

enum { DAY_SLOTS = 16 };

struct days {
	struct day_memo slot[DAY_SLOTS];
	long offset;            /* the last UTC offset seen, in seconds */
};

static int
same_day(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_yday == b->tm_yday;
}

static size_t
day_slot(time_t local)
{
	long q = (long)local;

	return (size_t)((q / 86400 - (q % 86400 < 0)) & (DAY_SLOTS - 1));
}

static const struct day_memo *
local_day(struct days *memo, const struct sd_zone *zone, time_t t)
{
	struct day_memo *m = &memo->slot[day_slot(t + memo->offset)];
	struct tm tm, edge;
	time_t lo, last;

	if (t >= m->lo && t < m->hi)
		return m;
	if (!sd_zone_local(zone, t, &tm)) {
		m = &memo->slot[0];
		m->lo = m->hi = 0;
		m->day[0] = m->week[0] = m->month[0] = '\0';
		return m;
	}
	memo->offset = tm.tm_gmtoff;
	m = &memo->slot[day_slot(t + memo->offset)];
	m->lo = m->hi = 0;
	strftime(m->day, sizeof(m->day), "%Y-%m-%d", &tm);
	strftime(m->week, sizeof(m->week), "%G-W%V", &tm);
	strftime(m->month, sizeof(m->month), "%Y-%m", &tm);
	/* Kept for the whole day when the day is 24 hours from midnight to
	 * midnight; a day with a change of offset is looked up every time. */
	lo = t - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
	last = lo + 86399;
	if (sd_zone_local(zone, lo, &edge) && same_day(&edge, &tm) && edge.tm_hour == 0 &&
	    edge.tm_min == 0 && edge.tm_sec == 0 && sd_zone_local(zone, last, &edge) &&
	    same_day(&edge, &tm) && edge.tm_hour == 23 && edge.tm_min == 59 && edge.tm_sec == 59) {
		m->lo = lo;
		m->hi = lo + 86400;
	}
	return m;
}

/* What each worker of a report has of its own. */
struct worker {
	struct sd_calendar **cals;      /* copies: calendars cache days */
	size_t ncals;
	struct days days;
	struct sd__shard_files files;   /* the shard being read */
};

static int
extract(struct shard *sh, const struct sd_ticket *t, const struct sd_config *cfg,
    struct worker *w)
{
	static const enum sd_field fields[] = {
		SD_F_STATUS, SD_F_TYPE, SD_F_PRIORITY, SD_F_LEVEL, SD_F_GROUP, SD_F_ASSIGNEE,
		SD_F_CATEGORY, SD_F_CHANNEL, SD_F_REQUESTER, SD_F_REQUESTER_EMAIL
	};
	const char *status = sd_ticket_get(t, SD_F_STATUS);
	char smonth[16] = "";
	struct sd_sla_clock clock[2];
	const struct day_memo *day;
	struct rec *r = shard_add(sh);
	time_t created, updated;
	int rc;

	if (!r)
		return sd__oom();
	if (sd_time_parse(&created, sd_config_zone(cfg), sd_ticket_get(t, SD_F_CREATED)) < 0)
		return SD_EINVALID;
	r->created = created;
	if (sd__streq(sd_ticket_get(t, SD_F_TYPE), "problem"))
		r->flags |= R_NO_SLA;
	/* The clocks, measured up to the last change: enough for an ended or
	 * a stopped clock; a running one is judged by its due date later. */
	if (sd_time_parse(&updated, sd_config_zone(cfg), sd_ticket_get(t, SD_F_UPDATED)) < 0 ||
	    updated < created)
		updated = created;
	if ((rc = sd__sla_clocks(clock, t, cfg, w->cals, created, updated)) < 0)
		return rc;
	/* A problem has no clocks: solved when its solve is. */
	if ((r->flags & R_NO_SLA) && *sd_ticket_get(t, SD_F_SOLVED) &&
	    sd_time_parse(&clock[SD_CLOCK_RESOLUTION].end, sd_config_zone(cfg),
	    sd_ticket_get(t, SD_F_SOLVED)) == 0)
		clock[SD_CLOCK_RESOLUTION].ended = 1;
	if (clock[SD_CLOCK_RESOLUTION].ended) {
		/* Copied: the next look-up may reuse its slot. */
		memcpy(smonth, local_day(&w->days, sd_config_zone(cfg),
		    clock[SD_CLOCK_RESOLUTION].end)->month,
		    sizeof(smonth));
		r->flags |= R_SOLVED;
	}
	day = local_day(&w->days, sd_config_zone(cfg), created);
	{
		const char *str[NSTR];

		for (size_t i = 0; i < SD_ARRAY_SIZE(fields); i++)
			str[i] = sd_ticket_get(t, fields[i]);
		str[S_DAY] = day->day;
		str[S_WEEK] = day->week;
		str[S_MONTH] = day->month;
		str[S_SOLVED_MONTH] = smonth;
		str[S_PROBLEM] = sd_ticket_get(t, SD_F_PROBLEM);
		for (int i = 0; i < NSTR; i++) {
			/* The same string as the ticket before more often than not. */
			if (sh->n > 1 && sd__streq(str[i], sh->strs[sh->recs[sh->n - 2].str[i]]))
				r->str[i] = sh->recs[sh->n - 2].str[i];
			else if ((rc = shard_intern(sh, str[i], &r->str[i])) < 0)
				return rc;
		}
	}
	for (int k = 0; k < 2; k++) {
		const struct sd_sla_clock *c = &clock[k];

		if (c->ended)
			r->end[k] = c->end;
		r->used[k] = c->used;
		r->target[k] = c->target;
		r->due[k] = c->known ? c->due : 0;
		r->flags |= (c->ended ? R_ENDED << k : 0) | (c->known ? R_KNOWN << k : 0);
	}
	if (sd_status_open(status))
		r->flags |= R_OPEN;
	if (sd__streq(status, "unmanaged"))
		r->flags |= R_UNMANAGED;
	if (sd__streq(status, "closed"))
		r->flags |= R_CLOSED;
	if (sd__streq(status, "rejected"))
		r->flags |= R_REJECTED;
	if (sd_ticket_number(t, SD_F_ESCALATIONS) > 0)
		r->flags |= R_ESCALATED;
	else if ((r->flags & R_SOLVED) && sd_ticket_number(t, SD_F_LEVEL) == 1)
		r->flags |= R_FCR;
	if (sd_ticket_number(t, SD_F_REOPENED) > 0)
		r->flags |= R_REOPENED;
	r->rating = (uint32_t)sd_ticket_number(t, SD_F_RATING);
	return 0;
}

/* The cache: one file per shard, named by the shard's tree and the
 * configuration's fingerprint, written whole or not at all. */

#define CACHE_MAGIC "sd-report-cache 6\n"
#define REC_ALIGN _Alignof(struct rec)
#define CACHE_DIR ".git/sd-cache/report"

static char *
cache_path(struct sd_store *s, const char *shard, const char *tree, const char *fp)
{
	struct sd_buf b = SD_BUF_INIT;

	sd_buf__printf(&b, "%s/" CACHE_DIR "/%s-%s-%s", s->root, shard, tree, fp);
	return sd_buf__detach(&b);
}

static int
cache_load(struct shard *sh, const char *path)
{
	char *data = NULL;
	size_t len, pos, mlen = strlen(CACHE_MAGIC);
	uint32_t nstrs, nrecs;
	uint64_t sum;

	if (sd__read_file(&data, &len, path) < 0) {
		sd_error_clear();
		return -1;
	}
	if (len < mlen + 16 || memcmp(data, CACHE_MAGIC, mlen))
		goto bad;
	memcpy(&nstrs, data + mlen, 4);
	memcpy(&nrecs, data + mlen + 4, 4);
	memcpy(&sum, data + mlen + 8, 8);
	pos = mlen + 16;
	/* A string takes 5 bytes at least, a record its size: no more of
	 * them than the file holds, before any is allocated. */
	if (sd__report_hash(data + pos, len - pos) != sum || nstrs > (len - pos) / 5 ||
	    nrecs > (len - pos) / sizeof(struct rec))
		goto bad;
	/* The strings as they were interned, each ending in a NUL: the table
	 * points into the file, kept for as long as the shard. */
	if (nstrs && !(sh->strs = calloc(nstrs, sizeof(char *))))
		goto bad;
	sh->capstrs = nstrs;
	sh->file = data;
	for (uint32_t i = 0; i < nstrs; i++) {
		uint32_t n;
		if (pos + 4 > len)
			goto bad;
		memcpy(&n, data + pos, 4);
		pos += 4;
		if (pos + n + 1 > len || data[pos + n] != '\0')
			goto bad;
		sh->strs[i] = data + pos;
		sh->nstrs++;
		pos += n + 1;
	}
	/* The records, from an offset aligned for them (the file's data is
	 * malloc'd, so aligned for anything): read where they lie. */
	pos = (pos + REC_ALIGN - 1) / REC_ALIGN * REC_ALIGN;
	if (pos > len || len - pos != (size_t)nrecs * sizeof(struct rec))
		goto bad;
	sh->recs = nrecs ? (struct rec *)(void *)(data + pos) : NULL;
	sh->recs_in_file = 1;
	sh->n = sh->cap = nrecs;
	for (uint32_t i = 0; i < nrecs; i++)
		for (int k = 0; k < NSTR; k++)
			if (sh->recs[i].str[k] >= nstrs)
				goto bad;
	return 0;
bad:
	if (!sh->file)
		free(data);
	sd__report_shard_clear(sh);
	return -1;
}

/* A shard's cache file, whole, in b. */
static int
cache_encode(const struct shard *sh, struct sd_buf *b)
{
	uint32_t n32;
	uint64_t sum;
	size_t head;

	sd_buf__adds(b, CACHE_MAGIC);
	n32 = (uint32_t)sh->nstrs;
	sd_buf__add(b, &n32, 4);
	n32 = (uint32_t)sh->n;
	sd_buf__add(b, &n32, 4);
	head = b->len;
	sd_buf__add(b, "\0\0\0\0\0\0\0\0", 8);
	for (size_t i = 0; i < sh->nstrs; i++) {
		n32 = (uint32_t)strlen(sh->strs[i]);
		sd_buf__add(b, &n32, 4);
		sd_buf__add(b, sh->strs[i], n32 + 1);
	}
	while (b->len % REC_ALIGN)
		sd_buf__addc(b, '\0');
	sd_buf__add(b, sh->recs, sh->n * sizeof(struct rec));
	if (b->failed)
		return sd__oom();
	sum = sd__report_hash(b->data + head + 8, b->len - head - 8);
	memcpy(b->data + head, &sum, 8);
	return 0;
}

/* Best effort: a cache that cannot be written is no error. */
static void
cache_store(struct sd_store *s, const struct shard *sh, const char *path, const char *shard)
{
	struct sd_buf b = SD_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int fd;

	if (cache_encode(sh, &b) < 0)
		goto out;
	/* Written from the store's directory like every file of it, never
	 * through a link planted on the way (lib/files.c). */
	if (sd__store_write(s, path + strlen(s->root) + 1, b.data, b.len, 0644) < 0 ||
	    sd__store_dir(s, CACHE_DIR, strlen(CACHE_DIR), 0, &fd) != 0)
		goto out;
	/* The older versions of this shard go: only the newest is kept. */
	if ((d = fdopendir(fd))) {
		size_t n = strlen(shard);
		const char *name = path + strlen(s->root) + 1 + strlen(CACHE_DIR) + 1;
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, shard, n) && de->d_name[n] == '-' &&
			    strcmp(de->d_name, name))
				unlinkat(fd, de->d_name, 0);
		closedir(d);
	} else {
		close(fd);
	}
out:
	sd_error_clear();
	sd_buf__free(&b);
}

/* Read job j's shard from its files, on worker w: 1 when every file
 * parsed. */
static int
shard_read(struct job *j, struct sd_store *s, struct worker *w)
{
	struct sd__shard_files *f = &w->files;
	int all = 1, rc;

	if ((rc = sd__shard_read(s, j->name, f)) < 0)
		return rc;
	for (size_t i = 0; i < f->n && rc == 0; i++) {
		const struct sd__shard_file *x = &f->v[i];
		const char *path = f->text.data + x->name, *data = f->text.data + x->data;
		struct sd_ticket *t = NULL;

		if (x->rc == SD_EIO) {
			rc = sd_error_set(SD_EIO, "%s", data);
			break;
		}
		if (x->rc < 0) {
			/* A symbolic link, or gone: told, left out, not cached. */
			sd_buf__add(&j->bad, data, x->len + 1);
			all = 0;
			continue;
		}
		j->files_read++;
		if (sd_ticket_parse(&t, data, x->len, path, SD_PARSE_CLOCK) < 0 ||
		    extract(&j->sh, t, s->cfg, w) < 0) {
			/* Left out and told; the shard is not cached with the hole. */
			sd_buf__add(&j->bad, sd_error_message(), strlen(sd_error_message()) + 1);
			if (t)
				j->sh.n--;
			all = 0;
		}
		sd_ticket_free(t);
	}
	if (rc == 0)
		rc = sd_buf__check(&j->bad);
	return rc < 0 ? rc : all;
}

/* The configuration's part in the records: sd.ini (zone, calendars),
 * sla.ini (targets) and agents.ini and escalation.ini (the groups'
 * calendars), by their blobs in HEAD. */
void
sd__report_fingerprint(char out[17], git_tree *root)
{
	static const char *const files[] = { "sd.ini", "sla.ini", "agents.ini", "escalation.ini" };
	uint64_t h = SD_FNV1A_INIT;

	for (size_t i = 0; i < SD_ARRAY_SIZE(files); i++) {
		const git_tree_entry *e = git_tree_entry_byname(root, files[i]);
		if (e)
			h = sd__fnv1a(git_tree_entry_id(e)->id, GIT_OID_RAWSZ, h);
	}
	h = sd__fnv1a(&(int){ (int)sizeof(struct rec) }, sizeof(int), h);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int
sd__report_worker_new(struct worker **out, const struct sd_config *cfg)
{
	struct worker *w = calloc(1, sizeof(*w));
	struct sd_calendar *const *cals;
	size_t n = sd_config_calendars(cfg, &cals);
	int rc;

	*out = NULL;
	if (!w || !(w->cals = calloc(n, sizeof(*w->cals)))) {
		free(w);
		return sd__oom();
	}
	for (w->ncals = 0; w->ncals < n; w->ncals++)
		if ((rc = sd__calendar_copy(&w->cals[w->ncals], cals[w->ncals])) < 0) {
			sd__report_worker_free(w);
			return rc;
		}
	*out = w;
	return 0;
}

void
sd__report_worker_free(struct worker *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->ncals; i++)
		sd_calendar_free(w->cals[i]);
	free(w->cals);
	sd__shard_files_free(&w->files);
	free(w);
}

/* HEAD is still head: no change began since the files were HEAD's. */
static int
still_head(struct sd_store *s, const git_oid *head)
{
	static pthread_mutex_t one = PTHREAD_MUTEX_INITIALIZER;
	git_oid now;
	int same;

	pthread_mutex_lock(&one);
	same = sd__head(s, &now) == 0 && git_oid_equal(&now, head);
	pthread_mutex_unlock(&one);
	sd_error_clear();
	return same;
}

int
sd__report_shard_load(struct job *j, struct sd_store *s, const char *fp, int no_cache,
    const git_oid *stable, struct worker *w)
{
	char *path = cache_path(s, j->name, j->tree, fp);
	int rc;

	if (!path)
		rc = sd__oom();
	else if (!no_cache && cache_load(&j->sh, path) == 0)
		rc = j->cached = 1;
	else if ((rc = shard_read(j, s, w)) == 1 && !no_cache && stable && still_head(s, stable))
		cache_store(s, &j->sh, path, j->name);
	free(path);
	return rc;
}

/* sd-fsck: the shards read from HEAD's blobs, in order of number as from
 * the files, encoded, and compared with their cache files. */
struct check_file {
	long n;
	const git_tree_entry *e;
};

static int
check_file_cmp(const void *a, const void *b)
{
	long x = ((const struct check_file *)a)->n, y = ((const struct check_file *)b)->n;

	return (x > y) - (x < y);
}

/* The cache file of shard (tree t) as HEAD's blobs make it, in b: 1 when
 * a ticket does not parse (no cache is made of such a shard). */
static int
shard_from_tree(struct sd_buf *b, struct sd_store *s, const struct sd_config *cfg,
    const char *shard, git_tree *t, struct worker *w)
{
	size_t n = git_tree_entrycount(t), k = 0;
	struct check_file *v = calloc(n ? n : 1, sizeof(*v));
	struct shard sh = { 0 };
	int rc = 0;

	if (!v)
		return sd__oom();
	for (size_t i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		long num = sd__file_number(git_tree_entry_name(e), sd_config_prefix(cfg));

		if (num > 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			v[k].n = num;
			v[k++].e = e;
		}
	}
	qsort(v, k, sizeof(*v), check_file_cmp);
	for (size_t i = 0; i < k && rc == 0; i++) {
		struct sd_buf rel = SD_BUF_INIT;
		struct sd_ticket *tk = NULL;
		git_blob *blob = NULL;

		sd_buf__printf(&rel, "tickets/%s/%s", shard, git_tree_entry_name(v[i].e));
		if ((rc = sd_buf__check(&rel)) == 0 &&
		    git_blob_lookup(&blob, s->repo, git_tree_entry_id(v[i].e)) < 0)
			rc = sd__git_error(rel.data);
		if (rc == 0 && (sd_ticket_parse(&tk, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob), rel.data, SD_PARSE_CLOCK) < 0 ||
		    extract(&sh, tk, cfg, w) < 0))
			rc = 1;
		sd_ticket_free(tk);
		git_blob_free(blob);
		sd_buf__free(&rel);
	}
	if (rc == 0)
		rc = cache_encode(&sh, b);
	sd__report_shard_clear(&sh);
	free(v);
	sd_error_clear();
	return rc;
}

int
sd__report_cache_check(struct sd_store *s, git_tree *root, const struct sd_config *cfg,
    int remove, sd__report_cache_bad_fn bad, void *arg)
{
	git_tree_entry *e = NULL;
	git_tree *tickets = NULL;
	struct worker *w = NULL;
	char fp[17];
	int rc = 0;

	sd__report_fingerprint(fp, root);
	if (git_tree_entry_bypath(&e, root, "tickets") < 0 ||
	    git_tree_lookup(&tickets, s->repo, git_tree_entry_id(e)) < 0)
		goto out;
	if ((rc = sd__report_worker_new(&w, cfg)) < 0)
		goto out;
	for (size_t i = 0; i < git_tree_entrycount(tickets) && rc >= 0; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tickets, i);
		struct sd_buf want = SD_BUF_INIT;
		char tree[GIT_OID_HEXSZ + 1], *path, *have = NULL;
		git_tree *t = NULL;
		size_t len;

		if (git_tree_entry_type(te) != GIT_OBJECT_TREE)
			continue;
		git_oid_tostr(tree, sizeof(tree), git_tree_entry_id(te));
		if (!(path = cache_path(s, git_tree_entry_name(te), tree, fp))) {
			rc = sd__oom();
			break;
		}
		if (sd__read_file(&have, &len, path) == 0 &&
		    git_tree_lookup(&t, s->repo, git_tree_entry_id(te)) == 0 &&
		    (rc = shard_from_tree(&want, s, cfg, git_tree_entry_name(te), t, w)) == 0 &&
		    (want.len != len || memcmp(want.data, have, len))) {
			int removed = remove && unlink(path) == 0;
			bad(path + strlen(s->root) + 1, removed, arg);
		}
		if (rc > 0)
			rc = 0;
		sd_error_clear();
		git_tree_free(t);
		sd_buf__free(&want);
		free(have);
		free(path);
	}
out:
	sd__report_worker_free(w);
	git_tree_free(tickets);
	git_tree_entry_free(e);
	return rc < 0 ? rc : 0;
}
