/* sd-list - list tickets */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"

static const char usage[] =
	"usage: sd-list [-C DIR] [--assignee AGENT|me] [--at-risk] [--breached]\n"
	"               [--category CATEGORY] [--fields KEY,...]\n"
	"               [--format table|text|tsv|csv|json] [--group GROUP] [--level N]\n"
	"               [--open] [--priority N,...] [--requester REQUESTER]\n"
	"               [--since DATE] [--sort KEY] [--status STATUS,...] [--type TYPE]\n"
	"               [--until DATE]\n";

static const char default_fields[] =
	"id,status,priority,level,group,assignee,due_resolution,title";

enum {
	OPT_ASSIGNEE = SD_OPT_FIRST_OWN, OPT_AT_RISK, OPT_BREACHED, OPT_CATEGORY,
	OPT_FIELDS, OPT_FORMAT, OPT_GROUP, OPT_LEVEL, OPT_OPEN, OPT_PRIORITY,
	OPT_REQUESTER, OPT_SINCE, OPT_SORT, OPT_STATUS, OPT_TYPE, OPT_UNTIL
};

/* Options in the order of enum sd_filter_key, from OPT_ASSIGNEE on. */
static const struct { int opt; enum sd_filter_key key; } filter_opts[] = {
	{ OPT_STATUS, SD_FILTER_STATUS }, { OPT_OPEN, SD_FILTER_OPEN },
	{ OPT_TYPE, SD_FILTER_TYPE }, { OPT_PRIORITY, SD_FILTER_PRIORITY },
	{ OPT_LEVEL, SD_FILTER_LEVEL }, { OPT_GROUP, SD_FILTER_GROUP },
	{ OPT_ASSIGNEE, SD_FILTER_ASSIGNEE }, { OPT_CATEGORY, SD_FILTER_CATEGORY },
	{ OPT_REQUESTER, SD_FILTER_REQUESTER }, { OPT_SINCE, SD_FILTER_SINCE },
	{ OPT_UNTIL, SD_FILTER_UNTIL }, { OPT_AT_RISK, SD_FILTER_AT_RISK },
	{ OPT_BREACHED, SD_FILTER_BREACHED },
};

struct row {
	long n;
	char **cells;
};

struct list {
	struct sd_filter *filter;
	struct sd_table *table;
	int fields[SD_F__COUNT];
	size_t nfields;
	int sort;               /* a field, or -1: by id, as read */
	struct row *rows;
	size_t nrows, cap;
	int status;             /* the worst code met */
};

static int sort_field;

static int
cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	const char *u = x->cells[0], *v = y->cells[0];
	int c = 0;

	if (!*u || !*v)
		c = !*u - !*v;          /* empty last */
	else if (sort_field == SD_F_ID)
		c = 0;
	else if (sd_field_kind(sort_field) == SD_K_NUMBER)
		c = (atol(u) > atol(v)) - (atol(u) < atol(v));
	else if (sd_field_kind(sort_field) == SD_K_TIME) {
		time_t s = 0, t = 0;
		sd_time_parse(&s, u);
		sd_time_parse(&t, v);
		c = (s > t) - (s < t);
	} else
		c = strcmp(u, v);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static int
on_ticket(const char *path, long n, const char *data, size_t len, void *arg)
{
	struct list *l = arg;
	const char *cells[SD_F__COUNT];
	struct sd_ticket *t;
	int rc;

	(void)n;
	if ((rc = sd_ticket_parse(&t, data, len, path, !sd_filter_needs_events(l->filter))) < 0) {
		/* Go on past a bad file; it is reported and counted. */
		sd_cli_fail(rc);
		l->status = sd_error_worst(l->status, rc);
		return 0;
	}
	if (sd_filter_match(l->filter, t)) {
		for (size_t i = 0; i < l->nfields; i++)
			cells[i] = sd_ticket_get(t, l->fields[i]);
		if (l->sort < 0) {
			rc = sd_table_row(l->table, cells);
		} else {
			struct row *r;
			if (l->nrows == l->cap) {
				l->cap = l->cap ? 2 * l->cap : 256;
				if (!(r = realloc(l->rows, l->cap * sizeof(*r)))) {
					sd_ticket_free(t);
					return sd_error_set(SD_EIO, "out of memory");
				}
				l->rows = r;
			}
			r = &l->rows[l->nrows++];
			r->n = n;
			r->cells = calloc(l->nfields + 1, sizeof(char *));
			if (r->cells)
				r->cells[0] = strdup(sd_ticket_get(t, l->sort));
			for (size_t i = 0; r->cells && i < l->nfields; i++)
				r->cells[i + 1] = strdup(cells[i]);
			if (!r->cells) {
				sd_ticket_free(t);
				return sd_error_set(SD_EIO, "out of memory");
			}
		}
	}
	sd_ticket_free(t);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "assignee", required_argument, NULL, OPT_ASSIGNEE },
		{ "at-risk", no_argument, NULL, OPT_AT_RISK },
		{ "breached", no_argument, NULL, OPT_BREACHED },
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "fields", required_argument, NULL, OPT_FIELDS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "open", no_argument, NULL, OPT_OPEN },
		{ "priority", required_argument, NULL, OPT_PRIORITY },
		{ "requester", required_argument, NULL, OPT_REQUESTER },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ NULL, 0, NULL, 0 }
	};
	struct { int opt; const char *value; } given[64];
	const char *names[SD_F__COUNT], *dir = NULL, *fields = default_fields;
	int numeric[SD_F__COUNT];
	enum sd_format format = SD_FORMAT_TABLE;
	const struct sd_agent *agent = NULL;
	struct list l = { 0 };
	struct sd_store *s = NULL;
	char **keys = NULL;
	size_t nkeys = 0, ngiven = 0;
	time_t now;
	int c, rc = 0;

	sd_cli_start(argv[0]);
	l.sort = -1;
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_FIELDS: fields = optarg; break;
		case OPT_FORMAT:
			if (sd_format_parse(&format, optarg, "table,text,tsv,csv,json") < 0)
				return sd_cli_usage(usage, "--format: %s", sd_error_message());
			break;
		case OPT_SORT:
			if ((l.sort = sd_field_lookup(optarg)) < 0)
				return sd_cli_usage(usage, "--sort: unknown key '%s'", optarg);
			break;
		case '?':
			return sd_cli_usage(usage, NULL);
		default:
			if (ngiven == sizeof(given) / sizeof(given[0]))
				return sd_cli_usage(usage, "too many filters");
			given[ngiven].opt = c;
			given[ngiven++].value = optarg;
		}
	}
	if (optind < argc)
		return sd_cli_usage(usage, "unexpected argument '%s'", argv[optind]);
	if (sd_split(&keys, &nkeys, fields, ',') < 0 || nkeys == 0)
		return sd_cli_usage(usage, "--fields: give one or more keys");
	for (size_t i = 0; i < nkeys; i++) {
		if (i >= SD_F__COUNT || (l.fields[i] = sd_field_lookup(keys[i])) < 0) {
			rc = sd_cli_usage(usage, "--fields: unknown key '%s'", keys[i]);
			goto out;
		}
		names[i] = sd_field_name(l.fields[i]);
		numeric[i] = sd_field_kind(l.fields[i]) == SD_K_NUMBER;
	}
	l.nfields = nkeys;
	if ((rc = sd_time_now(&now)) < 0 || (rc = sd_cli_open(&s, NULL, dir, 0)) < 0 ||
	    (rc = sd_filter_new(&l.filter, sd_store_config(s), now)) < 0)
		goto fail;
	for (size_t i = 0; i < ngiven; i++) {
		for (size_t k = 0; k < sizeof(filter_opts) / sizeof(filter_opts[0]); k++) {
			if (filter_opts[k].opt != given[i].opt)
				continue;
			if (given[i].value && !strcmp(given[i].value, "me") && !agent &&
			    given[i].opt == OPT_ASSIGNEE && sd_store_agent(s, &agent) < 0)
				goto fail_rc;
			if ((rc = sd_filter_add(l.filter, filter_opts[k].key, given[i].value,
			    agent ? agent->id : NULL)) < 0) {
				if (rc == SD_EUSAGE) {
					rc = sd_cli_usage(usage, "%s", sd_error_message());
					goto out;
				}
				goto fail;
			}
		}
	}
	if ((rc = sd_table_new(&l.table, stdout, format, l.nfields, names, numeric)) < 0)
		goto fail;
	sort_field = l.sort;
	if ((rc = sd_store_each(s, on_ticket, &l)) < 0)
		goto fail;
	if (l.sort >= 0) {
		qsort(l.rows, l.nrows, sizeof(*l.rows), cmp_rows);
		for (size_t i = 0; i < l.nrows; i++)
			sd_table_row(l.table, (const char *const *)l.rows[i].cells + 1);
	}
	sd_table_end(l.table);
	rc = sd_error_exit(l.status);
	goto out;
fail_rc:
	rc = SD_EPERM;
fail:
	rc = sd_cli_fail(rc);
out:
	for (size_t i = 0; i < l.nrows; i++) {
		for (size_t k = 0; k <= l.nfields; k++)
			free(l.rows[i].cells[k]);
		free(l.rows[i].cells);
	}
	free(l.rows);
	sd_split_free(keys, nkeys);
	sd_table_free(l.table);
	sd_filter_free(l.filter);
	sd_store_free(s);
	return sd_cli_exit(rc);
}
