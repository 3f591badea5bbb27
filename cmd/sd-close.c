/* sd-close - close a solved ticket, reject one, or close what is due */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-close [-C DIR] [-F FILE | -m COMMENT] [--rating N] ID\n"
	"       sd-close [-C DIR] --reject -F FILE | -m REASON ID\n"
	"       sd-close [-C DIR] --auto [--dry-run] [--format table|text|tsv|csv|json]\n"
	"                [--quiet | --progress]\n");

enum { OPT_AUTO = SD_OPT_FIRST_OWN, OPT_DRY_RUN, OPT_FORMAT, OPT_RATING, OPT_REJECT };

struct rows {
	struct sd_store *s;
	const struct sd_agent *agent;
	enum sd_format format;
	struct sd_table *table;
	int dry_run;
};

/* Marked for the table's header: translated for people, while the names
 * themselves, in the machine formats, never change. */
static const char *const names[] = { N_("id"), N_("from"), N_("to"), N_("reason") };

static int
new_table(struct rows *r)
{
	const char *labels[4];

	for (int i = 0; i < 4; i++)
		labels[i] = _(names[i]);
	if (sd_table_new(&r->table, stdout,
	    r->format | (isatty(STDOUT_FILENO) ? SD_FORMAT_VISIBLE : 0), 4, names, NULL) < 0)
		return -1;
	return sd_table_labels(r->table, labels);
}

static void
print_row(const struct sd_auto_row *row, void *arg)
{
	struct rows *r = arg;
	/* The reason in words for people; as the ticket has it in the
	 * machine formats. */
	const char *cells[] = { row->id, row->from, row->to,
	    r->format == SD_FORMAT_TABLE || r->format == SD_FORMAT_TEXT ? _(row->reason) :
	    row->reason };

	sd_cli_progress_clear();
	/* A table shows up only when there is something to say, for cron. */
	if (!r->table && new_table(r) < 0)
		return;
	sd_table_row(r->table, cells);
	if (!r->dry_run)
		sd_cli_hook(r->s, !strcmp(row->to, "closed") ? "auto-close" : "unmanaged",
		    row->id, r->agent, NULL);
}

static void
bad_file(const char *message, void *arg)
{
	(void)arg;
	sd_cli_say(message);
}

static int
close_auto(const char *dir, enum sd_format format, int dry_run, int progress)
{
	struct rows r = { NULL, NULL, format, NULL, dry_run };
	int rc;

	/* A dry run changes nothing: it acts as no one. */
	if ((rc = sd_cli_open(&r.s, &r.agent, dir, !dry_run)) < 0)
		return sd_cli_fail(rc);
	/* At a site whose hub does the automation, nothing at all. */
	if (!sd_cli_automation(r.s, SD_AUTO_CLOSE)) {
		sd_cli_close(r.s);
		return sd_cli_exit(0);
	}
	sd_store_set_progress(r.s, sd_cli_progress(progress));
	if (format != SD_FORMAT_TABLE && new_table(&r) < 0)
		rc = SD_EIO;
	if (rc == 0)
		rc = sd_desk_auto(r.s, r.agent, dry_run, print_row, bad_file, &r);
	/* The requesters of tickets about to become unmanaged, told once. */
	if (rc == 0 && !dry_run)
		sd_cli_mail_remind(r.s);
	if (r.table)
		sd_table_end(r.table);
	/* The cron job is the store's housekeeper too. */
	if (rc == 0 && !dry_run && sd_store_maintain(r.s) < 0)
		sd_cli_warn("%s", sd_error_message());
	sd_table_free(r.table);
	sd_cli_close(r.s);
	/* A bad file was told as it was met: only its status is left. */
	if (rc == SD_EINVALID)
		return sd_cli_exit(sd_error_exit(rc));
	return sd_cli_exit(rc < 0 ? sd_cli_fail(rc) : 0);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		SD_CLI_PROGRESS_OPTIONS,
		{ "auto", no_argument, NULL, OPT_AUTO },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "file", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "message", required_argument, NULL, 'm' },
		{ "rating", required_argument, NULL, OPT_RATING },
		{ "reject", no_argument, NULL, OPT_REJECT },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "close" };
	enum sd_format format = SD_FORMAT_TABLE;
	const char *dir = NULL, *m = NULL, *file = NULL;
	int automatic = 0, dry_run = 0, formatted = 0, progress = -1, c;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:F:hm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'F': file = optarg; break;
		case 'h': return sd_cli_help(usage);
		case 'm': m = optarg; break;
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_AUTO: automatic = 1; break;
		case OPT_DRY_RUN: dry_run = 1; break;
		case OPT_FORMAT:
			if (sd_format_parse(&format, optarg, "table,text,tsv,csv,json") < 0)
				return sd_cli_usage(usage, "--format: %s", sd_error_message());
			formatted = 1;
			break;
		case OPT_RATING:
			if (strlen(optarg) != 1 || optarg[0] < '1' || optarg[0] > '5')
				return sd_cli_usage(usage, _("--rating: '%s' is not 1 to 5"), optarg);
			a.rating = optarg[0] - '0';
			break;
		case OPT_REJECT: a.action = "reject"; break;
		case SD_OPT_QUIET: progress = SD_CLI_PROGRESS_NEVER; break;
		case SD_OPT_PROGRESS: progress = SD_CLI_PROGRESS_ALWAYS; break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (automatic) {
		if (optind < argc || m || file || a.rating || strcmp(a.action, "close"))
			return sd_cli_usage(usage, "%s",
			    _("--auto takes no ID, text, rating or --reject"));
		return close_auto(dir, format, dry_run,
		    progress < 0 ? SD_CLI_PROGRESS_AUTO : progress);
	}
	if (dry_run || formatted || progress >= 0)
		return sd_cli_usage(usage, "%s",
		    _("--dry-run, --format, --quiet and --progress go with --auto"));
	if (argc == optind)
		return sd_cli_usage(usage, "%s", _("a ticket ID (or --auto) is required"));
	if (argc - optind > 1)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind + 1]);
	if (a.rating && strcmp(a.action, "close"))
		return sd_cli_usage(usage, "%s", _("--rating goes with a close, not --reject"));
	return sd_cli_act(dir, argv[optind], &a, m, file, usage);
}
