/*
 * sd-report's figures counted: the shards of the store read on many
 * threads (lib/report_cache.c) and their records counted on one, into an
 * accumulator per group of tickets of the --by keys, one for the totals
 * and one per bar of the html page's charts; and the ranks of the
 * minutes measured, the median and the 90th percentile.
 */
#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "parallel.h"
#include "progress.h"
#include "report_internal.h"
#include "store_internal.h"
#include "sd/report.h"

/* The keys of --by, and the string of a record that each takes. */
const char *const sd_report_keys[] = {
	"status", "type", "priority", "level", "group", "assignee", "category",
	"channel", "requester", "day", "week", "month", "problem", NULL
};
static const int key_str[] = {
	S_STATUS, S_TYPE, S_PRIORITY, S_LEVEL, S_GROUP, S_ASSIGNEE, S_CATEGORY,
	S_CHANNEL, S_REQUESTER, S_DAY, S_WEEK, S_MONTH, S_PROBLEM
};

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
	uint64_t h = sd__report_hash(key, strlen(key));
	size_t j;

	if (g->n * 2 >= g->nslots) {
		size_t n = g->nslots ? g->nslots * 2 : 64;
		struct acc **slot = calloc(n, sizeof(*slot));
		if (!slot)
			return NULL;
		for (size_t i = 0; i < g->nslots; i++)
			if (g->slot[i]) {
				size_t k = sd__report_hash(g->slot[i]->key, strlen(g->slot[i]->key)) & (n - 1);
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
	for (int k = 0; k < 2 && !(r->flags & R_NO_SLA); k++) {
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

/* The shards of a report, read on many threads, counted on one. */
struct run {
	struct sd_report *rep;
	struct sd_store *s;
	const char *fp;         /* the configuration's fingerprint */
	struct job *jobs;
	size_t n;
	struct worker **w;      /* one a thread */
	size_t workers;
	int failed;             /* a shard failed: the others are only freed */
	const git_oid *stable;  /* HEAD, when the files were HEAD's at the start;
	                         * else NULL: no shard is cached */
	struct sd__count read;  /* the tickets of the shards counted */
};

static int
job_work(void *arg, size_t k, size_t worker)
{
	struct run *run = arg;
	struct job *j = &run->jobs[k];
	int rc = sd__report_shard_load(j, run->s, run->fp, run->rep->o->no_cache,
	    run->stable, run->w[worker]);

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
		sd__count_add(&run->read, j->files);
	}
	sd__report_shard_clear(&j->sh);
	sd_buf__free(&j->bad);
	free(j->error);
	j->error = NULL;
	if (rc != 0)
		run->failed = 1;
	return rc;
}

/* The files are those of HEAD head: marked so, and HEAD still head. */
static int
files_are_head(struct sd_store *s, const git_oid *head)
{
	git_oid mark, now;

	return sd__marker_read(s, &mark) == 0 && git_oid_equal(&mark, head) &&
	    sd__head(s, &now) == 0 && git_oid_equal(&now, head);
}

int
sd_report_run(struct sd_report **out, struct sd_store *s, const struct sd_report_opts *o)
{
	struct sd_report *rep = calloc(1, sizeof(*rep));
	struct run run = { rep, s, NULL, NULL, 0, NULL, 0, 0, NULL, { 0 } };
	uint64_t total = 0;
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
	/* The shards are cached under their trees in HEAD, read from the
	 * files: only when the files are HEAD's (its mark), and no change
	 * began while a shard was read (lib/report_cache.c).  A change half
	 * made is waited for, under the lock, once. */
	if (!files_are_head(s, &head_id) && sd_store_lock(s) == 0) {
		sd_store_unlock(s);
		if ((rc = sd__head(s, &head_id)) < 0)
			goto fail;
	}
	sd_error_clear();
	if (files_are_head(s, &head_id))
		run.stable = &head_id;
	if (git_commit_lookup(&head, s->repo, &head_id) < 0 || git_commit_tree(&root, head) < 0) {
		rc = sd__git_error("HEAD");
		goto fail;
	}
	sd__report_fingerprint(fp, root);
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
		/* Told in tickets, each shard's known from its tree alone. */
		if (s->progress) {
			git_tree *t = NULL;
			if (git_tree_lookup(&t, s->repo, git_tree_entry_id(te)) == 0)
				total += j->files = git_tree_entrycount(t);
			git_tree_free(t);
			git_error_clear();
		}
	}
	run.workers = sd__parallel_workers(run.n);
	if (!(run.w = calloc(run.workers, sizeof(*run.w)))) {
		rc = sd__oom();
		goto fail;
	}
	for (size_t w = 0; w < run.workers; w++)
		if ((rc = sd__report_worker_new(&run.w[w], s->cfg)) < 0)
			goto fail;
	sd__count_start(&run.read, s->progress, N_("Reading tickets"), total);
	if ((rc = sd__parallel(run.n, run.workers, job_work, job_done, &run)) < 0)
		goto fail;
	sd__count_end(&run.read);
	rc = 0;
	*out = rep;
	goto out;
fail:
	sd_report_free(rep);
out:
	for (size_t i = 0; i < run.n; i++)
		free(run.jobs[i].name);
	free(run.jobs);
	for (size_t w = 0; run.w && w < run.workers; w++)
		sd__report_worker_free(run.w[w]);
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

/* Ranks. */

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

