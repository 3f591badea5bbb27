/* sd-report - the desk's figures per group of tickets */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-report [-C DIR] [--assignee AGENT|me] [--by KEY,...] [--category CATEGORY]\n"
	"                 [--format table|text|tsv|csv|json|html] [--group GROUP]\n"
	"                 [--include-unmanaged] [--kb] [--level N] [--no-cache] [--open]\n"
	"                 [--priority N,...] [--requester REQUESTER] [--since DATE]\n"
	"                 [--status STATUS,...] [--type TYPE] [--until DATE]\n"
	"                 [--quiet | --progress]\n");

enum { OPT_BY = SD_OPT_FIRST_OWN, OPT_FORMAT, OPT_UNMANAGED, OPT_NO_CACHE, OPT_KB };

static void
bad_file(const char *message, void *arg)
{
	int *status = arg;

	sd_cli_say(message);
	*status = SD_EINVALID;
}

/* --kb: how many tickets each article solved, a line each. */
static int
kb_reuse(struct sd_store *s, const struct sd_filter *f, enum sd_format format, int *bad)
{
	struct sd_kb_reuse *v;
	size_t n;
	int rc;

	if ((rc = sd_kb_reuse(s, f, &v, &n, bad_file, bad)) < 0)
		return rc;
	if (format == SD_FORMAT_TSV)
		puts("article\ttickets\ttitle");
	else
		printf("%-10s %7s  %s\n", "ARTICLE", "TICKETS", "TITLE");
	for (size_t i = 0; i < n; i++) {
		char *title = NULL;
		if ((rc = sd_visible(&title, v[i].title, 0)) < 0)
			break;
		printf(format == SD_FORMAT_TSV ? "%s\t%ld\t%s\n" : "%-10s %7ld  %s\n", v[i].id,
		    v[i].tickets, title);
		free(title);
	}
	sd_kb_reuse_free(v, n);
	return rc;
}


int
main(int argc, char *argv[])
{
	static const struct option own[] = {
		SD_CLI_LONG_OPTIONS,
		SD_CLI_PROGRESS_OPTIONS,
		{ "by", required_argument, NULL, OPT_BY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "include-unmanaged", no_argument, NULL, OPT_UNMANAGED },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "kb", no_argument, NULL, OPT_KB },
		{ NULL, 0, NULL, 0 }
	};
	struct option *longopts = sd_cli_options(own, sd_filter_options);
	struct sd_report_opts o = { 0 };
	struct sd_cli_filters given = { .n = 0 };
	enum sd_format format = SD_FORMAT_TABLE;
	struct sd_filter *filter = NULL;
	struct sd_report *r = NULL;
	struct sd_store *s = NULL;
	const char *dir = NULL;
	char **by = NULL;
	size_t nby = 0;
	int c, rc = 0, bad = 0, kb = 0, progress = SD_CLI_PROGRESS_AUTO;

	sd_cli_start(argv[0]);
	if (!longopts)
		return sd_cli_fail(sd_error_set(SD_EIO, "%s", _("out of memory")));
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': free(longopts); return sd_cli_help(usage);
		case SD_OPT_VERSION: free(longopts); return sd_cli_version();
		case OPT_BY:
			sd_split_free(by, nby);
			if (sd_split(&by, &nby, optarg, ',') < 0 || !nby ||
			    sd_report_check_keys((const char *const *)by, nby) < 0) {
				rc = sd_cli_usage(usage, "%s", nby ? sd_error_message() :
				    _("--by: give one key or more"));
				goto out;
			}
			break;
		case OPT_FORMAT:
			if (sd_format_parse(&format, optarg, "table,text,tsv,csv,json,html") < 0) {
				rc = sd_cli_usage(usage, "--format: %s", sd_error_message());
				goto out;
			}
			break;
		case OPT_UNMANAGED: o.include_unmanaged = 1; break;
		case OPT_NO_CACHE: o.no_cache = 1; break;
		case OPT_KB: kb = 1; break;
		case SD_OPT_QUIET: progress = SD_CLI_PROGRESS_NEVER; break;
		case SD_OPT_PROGRESS: progress = SD_CLI_PROGRESS_ALWAYS; break;
		default:
			/* The SLA-state filters are sd-list's and sd-sla's. */
			if (c == SD_FILTER_OPT + SD_FILTER_AT_RISK || c == SD_FILTER_OPT + SD_FILTER_BREACHED) {
				rc = sd_cli_usage(usage, "%s",
				    _("--at-risk and --breached are sd-list's and sd-sla's"));
				goto out;
			}
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
	if (kb && (by || (format != SD_FORMAT_TABLE && format != SD_FORMAT_TSV))) {
		rc = sd_cli_usage(usage, "%s", _("--kb counts by article: no --by, and "
		    "--format table or tsv"));
		goto out;
	}
	o.by = (const char *const *)by;
	o.nby = nby;
	o.bad = bad_file;
	o.arg = &bad;
	if ((rc = sd_cli_now(&o.now)) < 0 || (rc = sd_cli_open(&s, NULL, dir, 0)) < 0)
		goto fail;
	if ((rc = sd_cli_filter_build(&filter, &given, s, o.now)) < 0) {
		if (rc == SD_EUSAGE) {
			rc = sd_cli_usage(usage, "%s", sd_error_message());
			goto out;
		}
		goto fail;
	}
	o.filter = given.n ? filter : NULL;     /* none given: every ticket counts */
	o.charts = format == SD_FORMAT_HTML;
	o.cfg = sd_store_config(s);
	for (size_t i = 0; i < given.n; i++) {
		if (given.v[i].key == SD_FILTER_SINCE)
			o.since = given.v[i].value;
		if (given.v[i].key == SD_FILTER_UNTIL)
			o.until = given.v[i].value;
	}
	sd_store_set_progress(s, sd_cli_progress(progress));
	if (kb) {
		if ((rc = kb_reuse(s, o.filter, format, &bad)) < 0)
			goto fail;
		rc = sd_error_exit(bad);
		goto out;
	}
	if ((rc = sd_report_run(&r, s, &o)) < 0)
		goto fail;
	rc = format == SD_FORMAT_HTML ?
	    sd_report_write_html(r, stdout, sd_config_name(sd_store_config(s))) :
	    sd_report_write(r, stdout, format | (isatty(STDOUT_FILENO) ? SD_FORMAT_VISIBLE : 0));
	if (rc < 0)
		goto fail;
	rc = sd_error_exit(bad);
	goto out;
fail:
	rc = sd_cli_fail(rc);
out:
	sd_report_free(r);
	sd_filter_free(filter);
	sd_store_free(s);
	sd_split_free(by, nby);
	free(longopts);
	return sd_cli_exit(rc);
}
