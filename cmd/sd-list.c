/* sd-list - list tickets */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-list [-C DIR] [--assignee AGENT|me] [--at-risk] [--breached]\n"
	"               [--category CATEGORY] [--fields KEY,...]\n"
	"               [--format table|text|tsv|csv|json] [--grep TEXT] [--group GROUP]\n"
	"               [--level N] [--open] [--priority N,...] [--provider-ref REF]\n"
	"               [--requester TEXT] [--since DATE] [--sort KEY]\n"
	"               [--status STATUS,...] [--type TYPE] [--until DATE]\n"
	"               [--quiet | --progress]\n");

static const char default_fields[] =
	"id,status,priority,level,group,assignee,due_resolution,title";

enum { OPT_FIELDS = SD_OPT_FIRST_OWN, OPT_FORMAT, OPT_GREP, OPT_PROVIDER_REF, OPT_SORT };

struct row {
	long n;
	char **cells;
};

struct list {
	struct sd_filter *filter;
	struct sd_search *grep;         /* --grep, or NULL */
	const char *provider_ref;       /* --provider-ref, or NULL */
	struct sd_table *table;
	int fields[SD_F__COUNT];
	size_t nfields;
	int sort;               /* a field, or -1: by id, as read */
	struct row *rows;
	size_t nrows, cap;
	int status;             /* the worst code met */
};

static int sort_field;
static const struct sd_zone *sort_zone;       /* the store's */

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
		sd_time_parse(&s, sort_zone, u);
		sd_time_parse(&t, sort_zone, v);
		c = (s > t) - (s < t);
	} else
		c = strcmp(u, v);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* --grep, --provider-ref: what a ticket file's bytes tell, before any
 * parse, on the threads that read the files. */
static int
glance(const char *data, size_t len, void *arg)
{
	const struct list *l = arg;
	char status[32];

	if (sd_ticket_peek_status(data, len, status) && !sd_filter_status_may(l->filter, status))
		return 0;
	if (l->provider_ref && !memmem(data, len, "provider_ref", 12))
		return 0;
	return !l->grep || sd_search_file_may(l->grep, data, len);
}

static int
on_ticket(const char *path, long n, const char *data, size_t len, void *arg)
{
	struct list *l = arg;
	const char *cells[SD_F__COUNT];
	struct sd_ticket *t;
	char status[32];
	int rc;

	(void)n;
	if (!data) {
		sd_cli_fail(SD_EINVALID);       /* told, and the list goes on */
		l->status = sd_error_worst(l->status, SD_EINVALID);
		return 0;
	}
	if (sd_ticket_peek_status(data, len, status) && !sd_filter_status_may(l->filter, status))
		return 0;       /* left out by its status alone: not even parsed */
	if ((rc = sd_ticket_parse(&t, data, len, path,
	    sd_filter_needs_events(l->filter) ? SD_PARSE_CLOCK : SD_PARSE_HEAD)) < 0) {
		/* Go on past a bad file; it is reported and counted. */
		sd_cli_fail(rc);
		l->status = sd_error_worst(l->status, rc);
		return 0;
	}
	if (!sd_filter_match(l->filter, t)) {
		sd_ticket_free(t);
		return 0;
	}
	if (l->grep || l->provider_ref) {
		/* The bytes may hold it (glance) and the cheap fields passed:
		 * now the texts and events. */
		const char *ref;

		sd_ticket_free(t);
		t = NULL;
		if ((rc = sd_ticket_parse(&t, data, len, path, SD_PARSE_FULL)) < 0) {
			sd_cli_fail(rc);
			l->status = sd_error_worst(l->status, rc);
			return 0;
		}
		if ((l->provider_ref && (!(ref = sd_ticket_provider_ref(t)) ||
		    strcmp(ref, l->provider_ref))) || (l->grep && !sd_search_ticket(l->grep, t))) {
			sd_ticket_free(t);
			return 0;
		}
	}
	{
		for (size_t i = 0; i < l->nfields; i++)
			cells[i] = sd_ticket_get(t, l->fields[i]);
		if (l->sort < 0) {
			sd_cli_progress_clear();
			rc = sd_table_row(l->table, cells);
		} else {
			struct row *r;
			if (l->nrows == l->cap) {
				l->cap = l->cap ? 2 * l->cap : 256;
				if (!(r = realloc(l->rows, l->cap * sizeof(*r)))) {
					sd_ticket_free(t);
					return sd_error_set(SD_EIO, "%s", _("out of memory"));
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
				return sd_error_set(SD_EIO, "%s", _("out of memory"));
			}
		}
	}
	sd_ticket_free(t);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option own[] = {
		SD_CLI_LONG_OPTIONS,
		SD_CLI_PROGRESS_OPTIONS,
		{ "fields", required_argument, NULL, OPT_FIELDS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "grep", required_argument, NULL, OPT_GREP },
		{ "provider-ref", required_argument, NULL, OPT_PROVIDER_REF },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ NULL, 0, NULL, 0 }
	};
	const char *names[SD_F__COUNT], *labels[SD_F__COUNT], *dir = NULL;
	const char *fields = default_fields;
	int numeric[SD_F__COUNT];
	enum sd_format format = SD_FORMAT_TABLE;
	struct sd_cli_filters given = { .n = 0 };
	struct option *longopts = sd_cli_options(own, sd_filter_options);
	struct list l = { 0 };
	struct sd_store *s = NULL;
	char **keys = NULL;
	size_t nkeys = 0;
	time_t now;
	int c, rc = 0, progress = SD_CLI_PROGRESS_AUTO;

	sd_cli_start(argv[0]);
	if (!longopts)
		return sd_cli_fail(sd_error_set(SD_EIO, "%s", _("out of memory")));
	l.sort = -1;
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': free(longopts); return sd_cli_help(usage);
		case SD_OPT_VERSION: free(longopts); return sd_cli_version();
		case OPT_FIELDS: fields = optarg; break;
		case OPT_FORMAT:
			if (sd_format_parse(&format, optarg, "table,text,tsv,csv,json") < 0) {
				rc = sd_cli_usage(usage, "--format: %s", sd_error_message());
				goto out;
			}
			break;
		case OPT_GREP:
			sd_search_free(l.grep);
			if ((rc = sd_search_new(&l.grep, optarg)) < 0) {
				rc = rc == SD_EUSAGE ? sd_cli_usage(usage, "%s", sd_error_message()) :
				    sd_cli_fail(rc);
				goto out;
			}
			break;
		case OPT_PROVIDER_REF:
			if (!*optarg) {
				rc = sd_cli_usage(usage, "%s", _("--provider-ref: give a case number"));
				goto out;
			}
			l.provider_ref = optarg;
			break;
		case SD_OPT_QUIET: progress = SD_CLI_PROGRESS_NEVER; break;
		case SD_OPT_PROGRESS: progress = SD_CLI_PROGRESS_ALWAYS; break;
		case OPT_SORT:
			if ((l.sort = sd_field_lookup(optarg)) < 0) {
				rc = sd_cli_usage(usage, _("--sort: unknown key '%s'"), optarg);
				goto out;
			}
			break;
		default:
			if ((rc = sd_cli_filter_take(&given, c, optarg)) <= 0) {
				rc = rc < 0 ? sd_cli_usage(usage, "%s", sd_error_message()) :
				    sd_cli_usage(usage, NULL);
				goto out;
			}
			rc = 0;
		}
	}
	if (optind < argc) {
		rc = sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind]);
		goto out;
	}
	if (sd_split(&keys, &nkeys, fields, ',') < 0 || nkeys == 0) {
		rc = sd_cli_usage(usage, "%s", _("--fields: give one or more keys"));
		goto out;
	}
	for (size_t i = 0; i < nkeys; i++) {
		if (i >= SD_F__COUNT || (l.fields[i] = sd_field_lookup(keys[i])) < 0) {
			rc = sd_cli_usage(usage, _("--fields: unknown key '%s'"), keys[i]);
			goto out;
		}
		names[i] = sd_field_name(l.fields[i]);
		labels[i] = sd_field_label(l.fields[i]);
		numeric[i] = sd_field_kind(l.fields[i]) == SD_K_NUMBER;
	}
	l.nfields = nkeys;
	if ((rc = sd_cli_now(&now)) < 0 || (rc = sd_cli_open(&s, NULL, dir, 0)) < 0)
		goto fail;
	if ((rc = sd_cli_filter_build(&l.filter, &given, s, now)) < 0) {
		if (rc == SD_EUSAGE) {
			rc = sd_cli_usage(usage, "%s", sd_error_message());
			goto out;
		}
		goto fail;
	}
	if ((rc = sd_table_new(&l.table, stdout,
	    format | (isatty(STDOUT_FILENO) ? SD_FORMAT_VISIBLE : 0), l.nfields, names, numeric)) < 0 ||
	    (rc = sd_table_labels(l.table, labels)) < 0)
		goto fail;
	/* One long title must not make every row as wide: to a terminal,
	 * titles give way to the other columns. */
	for (size_t i = 0; i < l.nfields; i++)
		if (l.fields[i] == SD_F_TITLE && (format == SD_FORMAT_TABLE || format == SD_FORMAT_TEXT))
			sd_table_fit(l.table, sd_cli_columns(), i);
	sort_field = l.sort;
	sort_zone = sd_config_zone(sd_store_config(s));
	sd_store_set_progress(s, sd_cli_progress(progress));
	if ((rc = l.grep || l.provider_ref ? sd_store_each_glance(s, glance, on_ticket, &l) :
	    sd_store_each(s, on_ticket, &l)) < 0)
		goto fail;
	if (l.sort >= 0) {
		qsort(l.rows, l.nrows, sizeof(*l.rows), cmp_rows);
		for (size_t i = 0; i < l.nrows; i++)
			sd_table_row(l.table, (const char *const *)l.rows[i].cells + 1);
	}
	sd_table_end(l.table);
	rc = sd_error_exit(l.status);
	goto out;
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
	sd_search_free(l.grep);
	sd_store_free(s);
	free(longopts);
	return sd_cli_exit(rc);
}
