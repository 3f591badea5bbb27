#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "parallel.h"
#include "report_internal.h"
#include "sla_internal.h"
#include "store_internal.h"
#include "sd/report.h"
#include "sd/sla.h"
#include "sd/time.h"

/* What a report takes from each ticket: its strings by index into its
 * shard's string table, and its clocks, measured once.  Nothing here
 * depends on the instant of the report; that is applied when counting. */
enum {
	S_STATUS, S_TYPE, S_PRIORITY, S_LEVEL, S_GROUP, S_ASSIGNEE, S_CATEGORY,
	S_CHANNEL, S_REQUESTER, S_REQUESTER_EMAIL, S_DAY, S_WEEK, S_MONTH,
	S_SOLVED_MONTH, NSTR
};

enum {
	R_ENDED = 1,            /* << clock: responded, solved */
	R_KNOWN = 4,            /* << clock: due is known (the clock runs) */
	R_FCR = 16, R_ESCALATED = 32, R_REOPENED = 64, R_SOLVED = 128,
	R_OPEN = 256, R_UNMANAGED = 512, R_CLOSED = 1024, R_REJECTED = 2048
};

struct rec {
	uint32_t str[NSTR];
	int64_t created;
	int64_t used[2], target[2], due[2], end[2];
	uint32_t flags;
	uint32_t rating;
};

const char *const sd_report_keys[] = {
	"status", "type", "priority", "level", "group", "assignee", "category",
	"channel", "requester", "day", "week", "month", NULL
};
static const int key_str[] = {
	S_STATUS, S_TYPE, S_PRIORITY, S_LEVEL, S_GROUP, S_ASSIGNEE, S_CATEGORY,
	S_CHANNEL, S_REQUESTER, S_DAY, S_WEEK, S_MONTH
};

const char *const sd_report_columns[] = {
	"tickets", "open", "solved", "closed", "rejected",
	"response_met_pct", "resolution_met_pct",
	"response_median_bmin", "response_p90_bmin",
	"resolution_median_bmin", "resolution_p90_bmin",
	"fcr_pct", "escalated_pct", "reopen_pct", "rating_mean", "ratings",
	"backlog_lt1d", "backlog_1to3d", "backlog_3to7d", "backlog_7to30d", "backlog_gt30d",
	NULL
};
#define NCOLUMNS 21

/* The keys' and the columns' names for people, translated in the table
 * and on the html page; the names above never change.  The counts of
 * solved and closed tickets share their English names with the fields
 * that date them: marked "report column|...", they are translated apart. */
static const char *const key_labels[] = {
	N_("status"), N_("type"), N_("priority"), N_("level"), N_("group"), N_("assignee"),
	N_("category"), N_("channel"), N_("requester"), N_("day"), N_("week"), N_("month")
};
static const char *const column_labels[NCOLUMNS] = {
	N_("tickets"), N_("open"), N_("report column|solved"), N_("report column|closed"),
	N_("rejected"), N_("response_met_pct"), N_("resolution_met_pct"),
	N_("response_median_bmin"), N_("response_p90_bmin"),
	N_("resolution_median_bmin"), N_("resolution_p90_bmin"),
	N_("fcr_pct"), N_("escalated_pct"), N_("reopen_pct"), N_("rating_mean"), N_("ratings"),
	N_("backlog_lt1d"), N_("backlog_1to3d"), N_("backlog_3to7d"), N_("backlog_7to30d"),
	N_("backlog_gt30d")
};

/* The translation of a label marked N_("context|label"), or the label
 * alone when it has none: one English word, two meanings. */
static const char *
label(const char *msgid)
{
	const char *t = _(msgid), *bar;

	if (strcmp(t, msgid))
		return t;
	return (bar = strchr(msgid, '|')) ? bar + 1 : msgid;
}

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

static uint64_t
fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}

/* Strings. */

/* The hash of n bytes: of a cache file, to tell it whole, and of a
 * string, for the tables in memory.  Eight bytes a step, on four lanes
 * while 32 are left, so that the multiplications of one step do not wait
 * for each other; a byte a step would wait on one for each. */
static uint64_t
hash_bytes(const void *p, size_t n)
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
			size_t j = hash_bytes(sh->strs[i], strlen(sh->strs[i])) & (n - 1);
			while (slots[j])
				j = (j + 1) & (n - 1);
			slots[j] = (uint32_t)i + 1;
		}
		free(sh->slots);
		sh->slots = slots;
		sh->nslots = n;
	}
	h = hash_bytes(s, len);
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

static void
shard_clear(struct shard *sh)
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
	struct sd_calendar *cal;        /* a copy: calendars cache days */
	struct days days;
	struct sd__shard_files files;   /* the shard being read */
};

static int
extract(struct shard *sh, const struct sd_ticket *t, const struct sd_config *cfg,
    struct worker *w)
{
	const struct sd_calendar *cal = w->cal;
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
	/* The clocks, measured up to the last change: enough for an ended or
	 * a stopped clock; a running one is judged by its due date later. */
	if (sd_time_parse(&updated, sd_config_zone(cfg), sd_ticket_get(t, SD_F_UPDATED)) < 0 || updated < created)
		updated = created;
	if ((rc = sd__sla_clocks(clock, t, cfg, cal, created, updated)) < 0)
		return rc;
	if (clock[SD_CLOCK_RESOLUTION].ended) {
		/* Copied: the next look-up may reuse its slot. */
		memcpy(smonth, local_day(&w->days, sd_config_zone(cfg), clock[SD_CLOCK_RESOLUTION].end)->month,
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

#define CACHE_MAGIC "sd-report-cache 5\n"
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
	if (hash_bytes(data + pos, len - pos) != sum || nstrs > (len - pos) / 5 ||
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
	shard_clear(sh);
	return -1;
}

/* Best effort: a cache that cannot be written is no error. */
static void
cache_store(struct sd_store *s, const struct shard *sh, const char *path, const char *shard)
{
	struct sd_buf b = SD_BUF_INIT, dir = SD_BUF_INIT;
	uint32_t n32;
	uint64_t sum;
	size_t head;
	struct dirent *de;
	DIR *d;

	sd_buf__adds(&b, CACHE_MAGIC);
	n32 = (uint32_t)sh->nstrs;
	sd_buf__add(&b, &n32, 4);
	n32 = (uint32_t)sh->n;
	sd_buf__add(&b, &n32, 4);
	head = b.len;
	sd_buf__add(&b, "\0\0\0\0\0\0\0\0", 8);
	for (size_t i = 0; i < sh->nstrs; i++) {
		n32 = (uint32_t)strlen(sh->strs[i]);
		sd_buf__add(&b, &n32, 4);
		sd_buf__add(&b, sh->strs[i], n32 + 1);
	}
	while (b.len % REC_ALIGN)
		sd_buf__addc(&b, '\0');
	sd_buf__add(&b, sh->recs, sh->n * sizeof(struct rec));
	if (b.failed)
		goto out;
	sum = hash_bytes(b.data + head + 8, b.len - head - 8);
	memcpy(b.data + head, &sum, 8);
	sd_buf__printf(&dir, "%s/" CACHE_DIR, s->root);
	if (dir.failed || sd__mkdirs_for(path) < 0)
		goto out;
	/* The older versions of this shard go: only the newest is kept. */
	if ((d = opendir(dir.data))) {
		size_t n = strlen(shard);
		while ((de = readdir(d)))
			if (!strncmp(de->d_name, shard, n) && de->d_name[n] == '-') {
				struct sd_buf old = SD_BUF_INIT;
				sd_buf__printf(&old, "%s/%s", dir.data, de->d_name);
				if (!old.failed && strcmp(old.data, path))
					unlink(old.data);
				sd_buf__free(&old);
			}
		closedir(d);
	}
	{
		struct sd_buf tmp = SD_BUF_INIT;
		FILE *f;
		sd_buf__printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
		if (!tmp.failed && (f = fopen(tmp.data, "w"))) {
			int ok = fwrite(b.data, 1, b.len, f) == b.len;
			if (fclose(f) == 0 && ok)
				rename(tmp.data, path);
			else
				unlink(tmp.data);
		}
		sd_buf__free(&tmp);
	}
out:
	sd_error_clear();
	sd_buf__free(&dir);
	sd_buf__free(&b);
}

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
};

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

/* Counting. */

static void
acc_free(struct acc *a)
{
	free(a->key);
	free(a->mins[0].v);
	free(a->mins[1].v);
}

static int
ivec_push(struct ivec *v, int32_t x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		int32_t *p = realloc(v->v, cap * sizeof(*p));
		if (!p)
			return sd__oom();
		v->v = p;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	return 0;
}

static struct acc *
group_get(struct groups *g, const char *key)
{
	uint64_t h = hash_bytes(key, strlen(key));
	size_t j;

	if (g->n * 2 >= g->nslots) {
		size_t n = g->nslots ? g->nslots * 2 : 64;
		struct acc **slot = calloc(n, sizeof(*slot));
		if (!slot)
			return NULL;
		for (size_t i = 0; i < g->nslots; i++)
			if (g->slot[i]) {
				size_t k = hash_bytes(g->slot[i]->key, strlen(g->slot[i]->key)) & (n - 1);
				while (slot[k])
					k = (k + 1) & (n - 1);
				slot[k] = g->slot[i];
			}
		free(g->slot);
		g->slot = slot;
		g->nslots = n;
	}
	for (j = h & (g->nslots - 1); g->slot[j]; j = (j + 1) & (g->nslots - 1))
		if (sd__streq(g->slot[j]->key, key))
			return g->slot[j];
	if (!(g->slot[j] = calloc(1, sizeof(struct acc))) || !(g->slot[j]->key = sd__strdup(key))) {
		free(g->slot[j]);
		g->slot[j] = NULL;
		return NULL;
	}
	g->n++;
	return g->slot[j];
}

static void
groups_free(struct groups *g)
{
	for (size_t i = 0; i < g->nslots; i++)
		if (g->slot[i]) {
			acc_free(g->slot[i]);
			free(g->slot[i]);
		}
	free(g->slot);
}

static int
count(struct acc *a, const struct rec *r, time_t now)
{
	long age;

	a->tickets++;
	a->open += !!(r->flags & R_OPEN);
	a->solved += !!(r->flags & R_SOLVED);
	a->closed += !!(r->flags & R_CLOSED);
	a->rejected += !!(r->flags & R_REJECTED);
	for (int k = 0; k < 2; k++) {
		if (r->flags & (R_ENDED << k)) {
			/* Ended: met when it ended by its due date (SPEC 10:
			 * responded <= due_response), or within its target when
			 * the clock was stopped at the end and has no due date. */
			a->counted[k]++;
			a->met[k] += (r->flags & (R_KNOWN << k)) ? r->end[k] <= r->due[k] :
			    r->used[k] <= r->target[k];
			if (ivec_push(&a->mins[k], (int32_t)(r->used[k] / 60)) < 0)
				return SD_EIO;
		} else if ((r->flags & (R_KNOWN << k)) ? now >= r->due[k] : r->used[k] >= r->target[k]) {
			/* Not ended, and past due: not met. */
			a->counted[k]++;
		}
	}
	a->fcr += !!(r->flags & R_FCR);
	a->escalated += !!(r->flags & R_ESCALATED);
	a->reopened += (r->flags & (R_REOPENED | R_SOLVED)) == (R_REOPENED | R_SOLVED);
	if (r->rating) {
		a->rating_sum += r->rating;
		a->ratings++;
	}
	if (r->flags & R_OPEN) {
		age = (long)(now - r->created);
		a->backlog[age < 86400 ? 0 : age < 3 * 86400 ? 1 : age < 7 * 86400 ? 2 :
		    age < 30 * 86400 ? 3 : 4]++;
	}
	return 0;
}

static int
count_shard(struct sd_report *rep, const struct shard *sh)
{
	const struct sd_report_opts *o = rep->o;
	struct sd_buf key = SD_BUF_INIT;
	struct acc **memo = rep->nby <= 1 ? calloc(sh->nstrs + 1, sizeof(*memo)) : NULL;
	int rc = 0;

	for (size_t i = 0; i < sh->n && rc == 0; i++) {
		const struct rec *r = &sh->recs[i];
		const char *field[SD_F__COUNT];
		static const enum sd_field fields[] = {
			SD_F_STATUS, SD_F_TYPE, SD_F_PRIORITY, SD_F_LEVEL, SD_F_GROUP, SD_F_ASSIGNEE,
			SD_F_CATEGORY, SD_F_CHANNEL, SD_F_REQUESTER, SD_F_REQUESTER_EMAIL
		};
		const char *chart_keys[NCHARTS];
		struct acc *a;

		if ((r->flags & R_UNMANAGED) && !o->include_unmanaged)
			continue;
		if (o->filter) {
			for (int f = 0; f < SD_F__COUNT; f++)
				field[f] = "";
			for (size_t k = 0; k < SD_ARRAY_SIZE(fields); k++)
				field[fields[k]] = sh->strs[r->str[k]];
			if (!sd_filter_match_fields(o->filter, field, (time_t)r->created))
				continue;
		}
		/* One key or none: its group is looked up once per string of
		 * the shard; more keys: by their joined text. */
		a = NULL;
		if (memo)
			a = memo[rep->nby ? r->str[key_str[rep->by[0]]] : 0];
		if (!a) {
			key.len = 0;
			for (size_t k = 0; k < rep->nby; k++) {
				if (k)
					sd_buf__addc(&key, '\x1f');
				sd_buf__adds(&key, sh->strs[r->str[key_str[rep->by[k]]]]);
			}
			sd_buf__add(&key, "", 0);
			if ((rc = sd_buf__check(&key)) < 0)
				break;
			if (!(a = group_get(&rep->groups, key.data))) {
				rc = sd__oom();
				break;
			}
			if (memo)
				memo[rep->nby ? r->str[key_str[rep->by[0]]] : 0] = a;
		}
		if ((rc = count(a, r, rep->now)) < 0 || (rc = count(&rep->total, r, rep->now)) < 0)
			break;
		if (!o->charts)
			continue;
		chart_keys[C_OPENED] = sh->strs[r->str[S_MONTH]];
		chart_keys[C_SOLVED] = (r->flags & R_SOLVED) ? sh->strs[r->str[S_SOLVED_MONTH]] : NULL;
		chart_keys[C_LEVEL] = sh->strs[r->str[S_LEVEL]];
		chart_keys[C_CHANNEL] = sh->strs[r->str[S_CHANNEL]];
		chart_keys[C_CATEGORY] = sh->strs[r->str[S_CATEGORY]];
		for (int c = 0; c < NCHARTS && rc == 0; c++) {
			if (!chart_keys[c])
				continue;
			if (!(a = group_get(&rep->charts[c], chart_keys[c])))
				rc = sd__oom();
			else
				rc = count(a, r, rep->now);
		}
	}
	sd_buf__free(&key);
	free(memo);
	return rc;
}

int
sd_report_check_keys(const char *const *by, size_t nby)
{
	for (size_t i = 0; i < nby; i++) {
		size_t k;
		for (k = 0; sd_report_keys[k] && strcmp(sd_report_keys[k], by[i]); k++)
			;
		if (!sd_report_keys[k])
			return sd_error_set(SD_EUSAGE, _("--by: '%s' is not one of status, type, "
			    "priority, level, group, assignee, category, channel, requester, day, "
			    "week, month"), by[i]);
	}
	return 0;
}

/* The configuration's part in the records: sd.ini (zone, calendar) and
 * sla.ini (targets), by their blobs in HEAD. */
static void
config_fingerprint(char out[17], git_tree *root)
{
	static const char *const files[] = { "sd.ini", "sla.ini" };
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < SD_ARRAY_SIZE(files); i++) {
		const git_tree_entry *e = git_tree_entry_byname(root, files[i]);
		if (e)
			h = fnv(git_tree_entry_id(e)->id, GIT_OID_RAWSZ, h);
	}
	h = fnv(&(int){ (int)sizeof(struct rec) }, sizeof(int), h);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The shards of a report, read on many threads, counted on one. */
struct run {
	struct sd_report *rep;
	struct sd_store *s;
	const char *fp;         /* the configuration's fingerprint */
	struct job *jobs;
	size_t n;
	struct worker *w;
	size_t workers;
	int failed;             /* a shard failed: the others are only freed */
};

static int
job_work(void *arg, size_t k, size_t worker)
{
	struct run *run = arg;
	struct job *j = &run->jobs[k];
	int no_cache = run->rep->o->no_cache;
	char *path = cache_path(run->s, j->name, j->tree, run->fp);
	int rc;

	if (!path)
		rc = sd__oom();
	else if (!no_cache && cache_load(&j->sh, path) == 0)
		rc = j->cached = 1;
	else if ((rc = shard_read(j, run->s, &run->w[worker])) == 1 && !no_cache)
		cache_store(run->s, &j->sh, path, j->name);
	free(path);
	if (rc < 0)
		j->error = sd__strdup(sd_error_message());
	return rc;
}

static int
job_done(void *arg, size_t k, int rc)
{
	struct run *run = arg;
	struct sd_report *rep = run->rep;
	struct job *j = &run->jobs[k];

	if (run->failed) {
		/* Read before a failure: its message is the first's. */
		rc = 0;
	} else if (rc < 0) {
		/* Told on this thread: the worker's message was the worker's. */
		sd_error_set(rc, "%s", j->error ? j->error : _("out of memory"));
	} else {
		for (size_t at = 0; at < j->bad.len; at += strlen(j->bad.data + at) + 1)
			if (rep->o->bad)
				rep->o->bad(j->bad.data + at, rep->o->arg);
		rep->files_read += j->files_read;
		rep->shards_cached += j->cached;
		rc = count_shard(rep, &j->sh);
	}
	shard_clear(&j->sh);
	sd_buf__free(&j->bad);
	free(j->error);
	j->error = NULL;
	if (rc != 0)
		run->failed = 1;
	return rc;
}

int
sd_report_run(struct sd_report **out, struct sd_store *s, const struct sd_report_opts *o)
{
	struct sd_report *rep = calloc(1, sizeof(*rep));
	struct run run = { rep, s, NULL, NULL, 0, NULL, 0, 0 };
	size_t cap = 0;
	git_tree *root = NULL, *tickets = NULL;
	git_tree_entry *e = NULL;
	git_commit *head = NULL;
	git_oid head_id;
	char fp[17];
	int rc;

	*out = NULL;
	if (!rep)
		return sd__oom();
	rep->o = o;
	rep->now = o->now;
	rep->zone = sd_config_zone(sd_store_config(s));
	if ((rc = sd_report_check_keys(o->by, o->nby)) < 0)
		goto fail;
	rep->nby = o->nby;
	if (!(rep->by = calloc(o->nby + 1, sizeof(int)))) {
		rc = sd__oom();
		goto fail;
	}
	for (size_t i = 0; i < o->nby; i++)
		for (rep->by[i] = 0; strcmp(sd_report_keys[rep->by[i]], o->by[i]); rep->by[i]++)
			;
	if ((rc = sd__head(s, &head_id)) < 0)
		goto fail;
	if (git_commit_lookup(&head, s->repo, &head_id) < 0 || git_commit_tree(&root, head) < 0) {
		rc = sd__git_error("HEAD");
		goto fail;
	}
	config_fingerprint(fp, root);
	run.fp = fp;
	if (git_tree_entry_bypath(&e, root, "tickets") == 0 &&
	    git_tree_lookup(&tickets, s->repo, git_tree_entry_id(e)) < 0) {
		rc = sd__git_error("tickets");
		goto fail;
	}
	for (size_t i = 0; tickets && i < git_tree_entrycount(tickets); i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tickets, i);
		struct job *j;

		if (git_tree_entry_type(te) != GIT_OBJECT_TREE)
			continue;
		if (run.n == cap) {
			struct job *v = realloc(run.jobs, (cap = cap ? 2 * cap : 64) * sizeof(*v));
			if (!v) {
				rc = sd__oom();
				goto fail;
			}
			run.jobs = v;
		}
		j = memset(&run.jobs[run.n], 0, sizeof(*j));
		if (!(j->name = sd__strdup(git_tree_entry_name(te)))) {
			rc = sd__oom();
			goto fail;
		}
		git_oid_tostr(j->tree, sizeof(j->tree), git_tree_entry_id(te));
		run.n++;
	}
	run.workers = sd__parallel_workers(run.n);
	if (!(run.w = calloc(run.workers, sizeof(*run.w)))) {
		rc = sd__oom();
		goto fail;
	}
	for (size_t w = 0; w < run.workers; w++)
		if ((rc = sd__calendar_copy(&run.w[w].cal, sd_config_calendar(s->cfg))) < 0)
			goto fail;
	if ((rc = sd__parallel(run.n, run.workers, job_work, job_done, &run)) < 0)
		goto fail;
	rc = 0;
	*out = rep;
	goto out;
fail:
	sd_report_free(rep);
out:
	for (size_t i = 0; i < run.n; i++)
		free(run.jobs[i].name);
	free(run.jobs);
	for (size_t w = 0; run.w && w < run.workers; w++) {
		sd_calendar_free(run.w[w].cal);
		sd__shard_files_free(&run.w[w].files);
	}
	free(run.w);
	git_tree_entry_free(e);
	git_tree_free(tickets);
	git_tree_free(root);
	git_commit_free(head);
	return rc;
}

void
sd_report_stats(const struct sd_report *r, size_t *files_read, size_t *shards_cached)
{
	*files_read = r->files_read;
	*shards_cached = r->shards_cached;
}

void
sd_report_free(struct sd_report *r)
{
	if (!r)
		return;
	groups_free(&r->groups);
	for (int c = 0; c < NCHARTS; c++)
		groups_free(&r->charts[c]);
	acc_free(&r->total);
	free(r->by);
	free(r);
}

/* Writing. */

static int
cmp_acc(const void *a, const void *b)
{
	return strcmp((*(struct acc *const *)a)->key, (*(struct acc *const *)b)->key);
}

/* Put the k-th smallest of v[0..n) at v[k] (Hoare's selection): a rank
 * without sorting. */
static void
select_kth(int32_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n;          /* k is in [lo, hi) */

	while (hi - lo > 1) {
		int32_t pivot = v[lo + (hi - lo) / 2], t;
		size_t lt = lo, i = lo, gt = hi;

		/* Three ways: below the pivot, equal to it, above it. */
		while (i < gt) {
			if (v[i] < pivot) {
				t = v[lt], v[lt++] = v[i], v[i++] = t;
			} else if (v[i] > pivot) {
				t = v[--gt], v[gt] = v[i], v[i] = t;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return;
	}
}

/* The values at ranks r[0] <= r[1] of the n values v, in out, by counting
 * how many there are of each: when they lie close together, as minutes
 * do, one pass over them instead of a selection for each rank, whose
 * comparisons a processor cannot guess.  0 when they lie too far apart
 * (or no memory): then select. */
static int
count_ranks(int32_t out[2], const int32_t *v, size_t n, const size_t r[2])
{
	int32_t lo = v[0], hi = v[0];
	size_t seen = 0, j = 0;
	uint64_t span;
	uint32_t *c;

	for (size_t i = 1; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	span = (uint64_t)((int64_t)hi - lo) + 1;
	if (span > 4 * (uint64_t)n + 4096 || !(c = calloc((size_t)span, sizeof(*c))))
		return 0;
	for (size_t i = 0; i < n; i++)
		c[(int64_t)v[i] - lo]++;
	/* The value at rank r is the first whose count, with those of the
	 * values below it, passes r. */
	for (int q = 0; q < 2; q++) {
		while (seen + c[j] <= r[q])
			seen += c[j++];
		out[q] = (int32_t)(lo + (int64_t)j);
	}
	free(c);
	return 1;
}

void
sd__report_ranks(int32_t out[2], int32_t *v, size_t n)
{
	size_t r[2];

	for (int i = 0; i < 2; i++) {
		r[i] = (n * (size_t)(i ? 90 : 50) + 99) / 100;
		r[i] = r[i] ? r[i] - 1 : 0;
	}
	if (count_ranks(out, v, n, r))
		return;
	/* Selecting the median leaves every value above it after it, so the
	 * 90th is looked for among those alone. */
	select_kth(v, n, r[0]);
	select_kth(v + r[0], n - r[0], r[1] - r[0]);
	out[0] = v[r[0]];
	out[1] = v[r[1]];
}

/* The median and the 90th percentile of v in out50 and out90; empty when
 * v is. */
static void
ranks(char out50[24], char out90[24], struct ivec *v)
{
	int32_t x[2];

	if (!v->n) {
		out50[0] = out90[0] = '\0';
		return;
	}
	sd__report_ranks(x, v->v, v->n);
	snprintf(out50, 24, "%d", x[0]);
	snprintf(out90, 24, "%d", x[1]);
}

static void
percent(char out[24], long num, long den)
{
	if (den)
		snprintf(out, 24, "%.1f", 100.0 * (double)num / (double)den);
	else
		out[0] = '\0';
}

/* The figure cells of a, in sd_report_columns order. */
static void
figures(char cells[NCOLUMNS][24], struct acc *a)
{
	int c = 0;

	snprintf(cells[c++], 24, "%ld", a->tickets);
	snprintf(cells[c++], 24, "%ld", a->open);
	snprintf(cells[c++], 24, "%ld", a->solved);
	snprintf(cells[c++], 24, "%ld", a->closed);
	snprintf(cells[c++], 24, "%ld", a->rejected);
	percent(cells[c++], a->met[0], a->counted[0]);
	percent(cells[c++], a->met[1], a->counted[1]);
	ranks(cells[c], cells[c + 1], &a->mins[0]);
	c += 2;
	ranks(cells[c], cells[c + 1], &a->mins[1]);
	c += 2;
	percent(cells[c++], a->fcr, a->solved);
	percent(cells[c++], a->escalated, a->tickets);
	percent(cells[c++], a->reopened, a->solved);
	if (a->ratings)
		snprintf(cells[c++], 24, "%.2f", (double)a->rating_sum / (double)a->ratings);
	else
		cells[c++][0] = '\0';
	snprintf(cells[c++], 24, "%ld", a->ratings);
	for (int b = 0; b < 5; b++)
		snprintf(cells[c++], 24, "%ld", a->backlog[b]);
}

/* The groups of g, sorted by key. */
static struct acc **
sorted(const struct groups *g)
{
	struct acc **v = calloc(g->n + 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < g->nslots; i++)
		if (g->slot[i])
			v[n++] = g->slot[i];
	qsort(v, n, sizeof(*v), cmp_acc);
	return v;
}

int
sd_report_write(const struct sd_report *r, FILE *f, enum sd_format fmt)
{
	const char *names[16 + NCOLUMNS], *labels[16 + NCOLUMNS], *cells[16 + NCOLUMNS];
	int human = fmt == SD_FORMAT_TABLE || fmt == SD_FORMAT_TEXT;
	int numeric[16 + NCOLUMNS];
	char fig[NCOLUMNS][24];
	struct sd_table *t = NULL;
	struct acc **rows;
	size_t nk = r->nby, ncols = nk + NCOLUMNS;
	int rc;

	if (nk > 16)
		return sd_error_set(SD_EUSAGE, "%s", _("--by: too many keys"));
	for (size_t k = 0; k < nk; k++) {
		names[k] = sd_report_keys[r->by[k]];
		labels[k] = label(key_labels[r->by[k]]);
		numeric[k] = 0;
	}
	for (size_t c = 0; c < NCOLUMNS; c++) {
		names[nk + c] = sd_report_columns[c];
		labels[nk + c] = label(column_labels[c]);
		numeric[nk + c] = 1;
	}
	if (!(rows = sorted(&r->groups)))
		return sd__oom();
	if ((rc = sd_table_new(&t, f, fmt, ncols, names, numeric)) < 0 ||
	    (rc = sd_table_labels(t, labels)) < 0)
		goto out;
	for (size_t i = 0; nk && rows[i]; i++) {
		const char *p = rows[i]->key;
		char *keys = sd__strdup(p), *q = keys;
		if (!keys) {
			rc = sd__oom();
			goto out;
		}
		for (size_t k = 0; k < nk; k++) {
			cells[k] = q;
			if ((q = strchr(q, '\x1f')))
				*q++ = '\0';
			else
				q = keys + strlen(keys);
		}
		figures(fig, rows[i]);
		for (size_t c = 0; c < NCOLUMNS; c++)
			cells[nk + c] = fig[c];
		rc = sd_table_row(t, cells);
		free(keys);
		if (rc < 0)
			goto out;
	}
	for (size_t k = 0; k < nk; k++)
		cells[k] = human ? _("(all)") : "(all)";
	figures(fig, (struct acc *)&r->total);
	for (size_t c = 0; c < NCOLUMNS; c++)
		cells[nk + c] = fig[c];
	if ((rc = sd_table_row(t, cells)) == 0)
		rc = sd_table_end(t);
out:
	sd_table_free(t);
	free(rows);
	return rc;
}

/* The page for people: the figures and five charts, inline SVG, no script,
 * nothing fetched. */

static void
html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: putc(*s, f);
		}
	}
}

static const char *const colours[] = { "#3b6ea5", "#e08a2c", "#5a9e4b", "#b5483f", "#7d5ba6" };

/* Vertical bars: n groups of ns series each, labels under the groups. */
static void
svg_columns(FILE *f, const char *title, const char *const *labels, size_t n,
    const double *values, size_t ns, const char *const *series, const char *unit)
{
	const int w = 720, h = 260, left = 48, bottom = 60, top = 30;
	double max = 0;
	double slot;

	for (size_t i = 0; i < n * ns; i++)
		if (values[i] > max)
			max = values[i];
	if (max <= 0)
		max = 1;
	slot = n ? (double)(w - left - 10) / (double)n : 0;
	fprintf(f, "<figure><figcaption>");
	html_text(f, title);
	fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\">\n", w, h, w, h);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n",
	    left, h - bottom, w - 10, h - bottom);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.0f%s</text>\n",
	    left - 4, top + 4, max, unit);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>\n",
	    left - 4, h - bottom);
	for (size_t i = 0; i < n; i++) {
		double bw = slot * 0.8 / (double)ns;
		for (size_t k = 0; k < ns; k++) {
			double v = values[i * ns + k];
			double bh = v / max * (double)(h - bottom - top);
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
			    "<title>%.1f</title></rect>\n",
			    left + slot * (double)i + slot * 0.1 + bw * (double)k,
			    (double)(h - bottom) - bh, bw, bh, colours[k % 5], v);
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" "
		    "transform=\"rotate(-40 %.1f %d)\">", left + slot * ((double)i + 0.5),
		    h - bottom + 14, left + slot * ((double)i + 0.5), h - bottom + 14);
		html_text(f, labels[i]);
		fputs("</text>\n", f);
	}
	for (size_t k = 0; ns > 1 && k < ns; k++) {
		fprintf(f, "<rect x=\"%zu\" y=\"6\" width=\"10\" height=\"10\" fill=\"%s\"/>"
		    "<text x=\"%zu\" y=\"15\" font-size=\"11\">", (size_t)left + k * 140,
		    colours[k % 5], (size_t)left + k * 140 + 14);
		html_text(f, series[k]);
		fputs("</text>\n", f);
	}
	fputs("</svg></figure>\n", f);
}

/* Horizontal bars, the largest first, at most `most`. */
static void
svg_bars(FILE *f, const char *title, const struct groups *g, size_t most)
{
	struct acc **v = sorted(g);
	const int w = 720, row = 20, left = 200;
	size_t n = 0;
	long max = 1;

	if (!v)
		return;
	while (v[n])
		n++;
	/* By size, then name. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j]->tickets > v[j - 1]->tickets; j--) {
			struct acc *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	if (n > most)
		n = most;
	for (size_t i = 0; i < n; i++)
		if (v[i]->tickets > max)
			max = v[i]->tickets;
	fprintf(f, "<figure><figcaption>");
	html_text(f, title);
	fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
	    "role=\"img\">\n", w, n * row + 10);
	for (size_t i = 0; i < n; i++) {
		double bw = (double)v[i]->tickets / (double)max * (double)(w - left - 60);
		fprintf(f, "<text x=\"%d\" y=\"%zu\" font-size=\"12\" text-anchor=\"end\">", left - 6,
		    i * row + 15);
		html_text(f, *v[i]->key ? v[i]->key : _("(none)"));
		fprintf(f, "</text><rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
		    "<text x=\"%.1f\" y=\"%zu\" font-size=\"12\">%ld</text>\n", left, i * row + 4, bw,
		    row - 6, colours[0], left + bw + 4, i * row + 15, v[i]->tickets);
	}
	fputs("</svg></figure>\n", f);
	free(v);
}

int
sd_report_write_html(const struct sd_report *r, FILE *f, const char *title)
{
	static const char *const buckets[] = {
		N_("< 1 day"), N_("1-3 days"), N_("3-7 days"), N_("7-30 days"), N_("> 30 days")
	};
	const char *sla_series[] = { _("response met %"), _("resolution met %") };
	const char *flow_series[] = { _("opened"), label(N_("report column|solved")) };
	struct acc **opened = sorted(&r->charts[C_OPENED]), **levels = sorted(&r->charts[C_LEVEL]);
	const char *labels[64];
	double values[128];
	char when[SD_TIME_MAX], at[256];
	FILE *table = NULL;
	char *buf = NULL;
	size_t len = 0, n, first;
	int rc;

	if (!opened || !levels) {
		free(opened);
		free(levels);
		return sd__oom();
	}
	sd_time_format(when, r->zone, r->now);
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>", f);
	html_text(f, title);
	fputs("</title>\n<style>\n"
	    "body{font-family:sans-serif;margin:2em;color:#222}\n"
	    "table{border-collapse:collapse;font-size:13px}\n"
	    "th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}\n"
	    "th{background:#eef2f7}td.k{text-align:left}tr.total td{font-weight:bold}\n"
	    "figure{display:inline-block;margin:1em 1em 1em 0}figcaption{font-weight:bold}\n"
	    "</style></head><body>\n<h1>", f);
	html_text(f, title);
	snprintf(at, sizeof(at), _("At %s; %ld tickets."), when, r->total.tickets);
	fputs("</h1>\n<p>", f);
	html_text(f, at);
	fputs("</p>\n", f);
	/* The figures, through the tsv writer, as an HTML table. */
	if (!(table = open_memstream(&buf, &len))) {
		rc = sd__oom();
		goto out;
	}
	if ((rc = sd_report_write(r, table, SD_FORMAT_TSV)) < 0)
		goto out;
	fclose(table);
	table = NULL;
	/* Its header in words for people, and the totals row's keys too. */
	fputs("<table>\n<tr>", f);
	for (size_t k = 0; k < r->nby; k++) {
		fputs("<th>", f);
		html_text(f, label(key_labels[r->by[k]]));
		fputs("</th>", f);
	}
	for (size_t c = 0; c < NCOLUMNS; c++) {
		fputs("<th>", f);
		html_text(f, label(column_labels[c]));
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (char *line = strchr(buf, '\n'), *nl; line && *++line; line = nl) {
		int total, col = 0;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		total = !nl || !nl[1];
		fprintf(f, "<tr%s>", total && r->nby ? " class=\"total\"" : "");
		for (char *cell = line, *tab; cell; cell = tab ? tab + 1 : NULL, col++) {
			int key = (size_t)col < r->nby;
			if ((tab = strchr(cell, '\t')))
				*tab = '\0';
			fputs(key ? "<td class=\"k\">" : "<td>", f);
			html_text(f, key && total ? _("(all)") : cell);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	/* Opened and solved per month, the last 24. */
	for (n = 0; opened[n]; n++)
		;
	first = n > 24 ? n - 24 : 0;
	for (size_t i = first; i < n; i++) {
		struct acc *solved = NULL;
		for (size_t j = 0; j < r->charts[C_SOLVED].nslots; j++)
			if (r->charts[C_SOLVED].slot[j] && !strcmp(r->charts[C_SOLVED].slot[j]->key, opened[i]->key))
				solved = r->charts[C_SOLVED].slot[j];
		labels[i - first] = opened[i]->key;
		values[2 * (i - first)] = (double)opened[i]->tickets;
		values[2 * (i - first) + 1] = solved ? (double)solved->tickets : 0;
	}
	svg_columns(f, _("Opened and solved per month"), labels, n - first, values, 2, flow_series, "");
	/* SLA met per level. */
	for (n = 0; levels[n] && n < 8; n++) {
		labels[n] = levels[n]->key;
		values[2 * n] = levels[n]->counted[0] ? 100.0 * (double)levels[n]->met[0] / (double)levels[n]->counted[0] : 0;
		values[2 * n + 1] = levels[n]->counted[1] ? 100.0 * (double)levels[n]->met[1] / (double)levels[n]->counted[1] : 0;
	}
	svg_columns(f, _("SLA met per level"), labels, n, values, 2, sla_series, "%");
	/* Backlog by age. */
	for (int b = 0; b < 5; b++) {
		labels[b] = _(buckets[b]);
		values[b] = (double)r->total.backlog[b];
	}
	svg_columns(f, _("Open tickets by age"), labels, 5, values, 1, NULL, "");
	svg_bars(f, _("Tickets by channel"), &r->charts[C_CHANNEL], 20);
	svg_bars(f, _("Tickets by category"), &r->charts[C_CATEGORY], 20);
	fputs("</body></html>\n", f);
	rc = 0;
out:
	if (table)
		fclose(table);
	free(buf);
	free(opened);
	free(levels);
	return rc;
}
