/*
 * sd-report's figures written: a row per group of tickets, sorted by its
 * keys, and a row of totals, as a table for people or as tsv, csv or json
 * (sd_report_write); with the names of the keys and of the columns, for
 * programs and for people.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "report_internal.h"
#include "sd/format.h"
#include "sd/report.h"

const char *const sd_report_columns[] = {
	"tickets", "open", "solved", "closed", "rejected",
	"response_met_pct", "resolution_met_pct",
	"response_median_bmin", "response_p90_bmin",
	"resolution_median_bmin", "resolution_p90_bmin",
	"fcr_pct", "escalated_pct", "reopen_pct", "rating_mean", "ratings",
	"backlog_lt1d", "backlog_1to3d", "backlog_3to7d", "backlog_7to30d", "backlog_gt30d",
	NULL
};

/* The keys' and the columns' names for people, translated in the table
 * and on the html page; the names of sd_report_keys and sd_report_columns
 * never change.  The counts of solved and closed tickets share their
 * English names with the fields that date them: marked "report
 * column|...", they are translated apart. */
const char *const sd__report_key_labels[] = {
	N_("status"), N_("type"), N_("priority"), N_("level"), N_("group"), N_("assignee"),
	N_("category"), N_("channel"), N_("requester"), N_("day"), N_("week"), N_("month"),
	N_("problem")
};
const char *const sd__report_column_labels[NCOLUMNS] = {
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
const char *
sd__report_label(const char *msgid)
{
	const char *t = _(msgid), *bar;

	if (strcmp(t, msgid))
		return t;
	return (bar = strchr(msgid, '|')) ? bar + 1 : msgid;
}

/* Writing. */

static int
cmp_acc(const void *a, const void *b)
{
	return strcmp((*(struct acc *const *)a)->key, (*(struct acc *const *)b)->key);
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
struct acc **
sd__report_sorted(const struct groups *g)
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
	enum sd_format base = (enum sd_format)(fmt & ~SD_FORMAT_VISIBLE);
	int human = base == SD_FORMAT_TABLE || base == SD_FORMAT_TEXT;
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
		labels[k] = sd__report_label(sd__report_key_labels[r->by[k]]);
		numeric[k] = 0;
	}
	for (size_t c = 0; c < NCOLUMNS; c++) {
		names[nk + c] = sd_report_columns[c];
		labels[nk + c] = sd__report_label(sd__report_column_labels[c]);
		numeric[nk + c] = 1;
	}
	if (!(rows = sd__report_sorted(&r->groups)))
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

