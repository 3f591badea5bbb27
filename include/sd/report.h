#ifndef SD_REPORT_H
#define SD_REPORT_H

#include <stdio.h>
#include <time.h>

#include "sd/filter.h"
#include "sd/format.h"
#include "sd/store.h"

/*
 * The desk's figures per group of tickets (sd-report(1)).  The report
 * streams over the tickets shard by shard, keeping per-group accumulators
 * only; what it takes from each ticket is cached per shard in
 * .git/sd-cache/, keyed on the shard's tree in HEAD and the configuration,
 * so a repeated report reads no ticket file that has not changed.
 */

/* The keys of --by. */
extern const char *const sd_report_keys[];
/* The figure columns, in order, after the --by keys. */
extern const char *const sd_report_columns[];

struct sd_report;

struct sd_report_opts {
	const char *const *by;  /* --by keys, nby of them (each of sd_report_keys) */
	size_t nby;
	const struct sd_filter *filter;
	int include_unmanaged;
	int no_cache;           /* read every ticket file, write no cache */
	int charts;             /* count what the html page's charts show */
	/* For the html page: --since and --until as given (NULL: not), and
	 * the configuration whose SLA targets it shows (NULL: none). */
	const char *since, *until;
	const struct sd_config *cfg;
	time_t now;
	/* A ticket file that does not parse: its message (path:line: what);
	 * the report goes on without it. */
	void (*bad)(const char *message, void *arg);
	void *arg;
};

/* Check --by: SD_EUSAGE naming a key that is not one. */
int sd_report_check_keys(const char *const *by, size_t nby);

int sd_report_run(struct sd_report **out, struct sd_store *s, const struct sd_report_opts *o);
/* Rows sorted by key, then a totals row whose keys are "(all)". */
int sd_report_write(const struct sd_report *r, FILE *f, enum sd_format fmt);
/* The page of --format html: the figures, and charts in inline SVG. */
int sd_report_write_html(const struct sd_report *r, FILE *f, const char *title);
void sd_report_free(struct sd_report *r);

/* How many ticket files the last run read, and how many shards it took
 * from the cache (for tests and benchmarks). */
void sd_report_stats(const struct sd_report *r, size_t *files_read, size_t *shards_cached);

#endif
