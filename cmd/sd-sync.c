/* sd-sync - exchange a site's work with its desk's hub */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"
#include "sd/sync.h"

static const char *const usage = N_(
	"usage: sd-sync [-C DIR] [--dry-run] [--no-push] [--format text|tsv|json] [-q | --quiet]\n"
	"       sd-sync [-C DIR] --status [--format text|tsv|json]\n"
	"       sd-sync [-C DIR] --lease [--format text|tsv|json]\n"
	"       sd-sync [-C DIR] --promote\n"
	"       sd-sync --enroll URL DIR --site NAME\n");

enum {
	OPT_DRY_RUN = SD_OPT_FIRST_OWN, OPT_ENROLL, OPT_FORMAT, OPT_LEASE, OPT_NO_PUSH,
	OPT_PROMOTE, OPT_SITE, OPT_STATUS
};

struct out {
	enum sd_format format;
	size_t n;
};

/* One report line: "SD-4: superseded: detail", a tsv row, a json object. */
static void
print_line(const struct sd_sync_line *line, void *arg)
{
	struct out *o = arg;

	if (o->format == SD_FORMAT_TSV) {
		sd_put_tsv(stdout, line->id);
		putchar('\t');
		sd_put_tsv(stdout, line->kind);
		putchar('\t');
		sd_put_tsv(stdout, line->detail);
		putchar('\n');
	} else if (o->format == SD_FORMAT_JSON) {
		fputs(o->n ? ",\n{\"id\": " : "[\n{\"id\": ", stdout);
		sd_put_json(stdout, line->id);
		fputs(", \"kind\": ", stdout);
		sd_put_json(stdout, line->kind);
		fputs(", \"detail\": ", stdout);
		sd_put_json(stdout, line->detail);
		putchar('}');
	} else {
		printf("%s: %s: %s\n", line->id, line->kind, line->detail);
	}
	o->n++;
}

static void
print_end(const struct out *o)
{
	if (o->format == SD_FORMAT_JSON && o->n)
		fputs("\n]\n", stdout);
}

static void
print_status(const struct sd_sync_status *st, enum sd_format format)
{
	char ahead[32], behind[32], left[32], offset[32];
	const char *keys[] = { "site", "hub", "ahead", "behind", "left", "last", "offset" };
	const char *labels[] = { N_("site"), N_("hub"), N_("ahead"), N_("behind"),
		N_("numbers left"), N_("last sync"), N_("clock offset") };
	const char *values[7];

	snprintf(ahead, sizeof(ahead), "%zu", st->ahead);
	snprintf(behind, sizeof(behind), "%zu", st->behind);
	snprintf(left, sizeof(left), "%ld", st->left);
	snprintf(offset, sizeof(offset), "%lld", st->offset);
	values[0] = st->site;
	values[1] = st->hub ? st->hub : "";
	values[2] = ahead;
	values[3] = behind;
	values[4] = st->left < 0 ? "" : left;
	values[5] = st->last;
	values[6] = st->last[0] ? offset : "";
	if (format == SD_FORMAT_JSON)
		putchar('{');
	for (size_t i = 0; i < 7; i++) {
		if (format == SD_FORMAT_TSV) {
			printf("%s\t", keys[i]);
			sd_put_tsv(stdout, values[i]);
			putchar('\n');
		} else if (format == SD_FORMAT_JSON) {
			printf("%s\"%s\": ", i ? ", " : "", keys[i]);
			if (i >= 2 && i != 5 && *values[i])
				fputs(values[i], stdout);
			else if (i >= 2 && i != 5)
				fputs("null", stdout);
			else
				sd_put_json(stdout, values[i]);
		} else {
			printf("%s: %s\n", _(labels[i]), *values[i] ? values[i] : "-");
		}
	}
	if (format == SD_FORMAT_JSON)
		fputs("}\n", stdout);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "enroll", required_argument, NULL, OPT_ENROLL },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "lease", no_argument, NULL, OPT_LEASE },
		{ "no-push", no_argument, NULL, OPT_NO_PUSH },
		{ "promote", no_argument, NULL, OPT_PROMOTE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "site", required_argument, NULL, OPT_SITE },
		{ "status", no_argument, NULL, OPT_STATUS },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_sync_opts o = { 0 };
	struct out out = { SD_FORMAT_TEXT, 0 };
	struct sd_store *s = NULL;
	const char *dir = NULL, *enroll = NULL, *site = NULL;
	int c, rc, lease = 0, promote = 0, status = 0, format_given = 0;
	char now[SD_TIME_MAX];
	time_t t;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case OPT_DRY_RUN: o.dry_run = 1; break;
		case OPT_ENROLL: enroll = optarg; break;
		case OPT_FORMAT:
			if (sd_format_parse(&out.format, optarg, "text,tsv,json") < 0)
				return sd_cli_usage(usage, "--format: %s", sd_error_message());
			format_given = 1;
			break;
		case OPT_LEASE: lease = 1; break;
		case OPT_NO_PUSH: o.no_push = 1; break;
		case OPT_PROMOTE: promote = 1; break;
		case 'q': break;            /* no progress is shown */
		case OPT_SITE: site = optarg; break;
		case OPT_STATUS: status = 1; break;
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if ((enroll != NULL) + lease + promote + status > 1)
		return sd_cli_usage(usage, "%s", _("--enroll, --lease, --promote and --status "
		    "go alone"));
	if ((enroll || lease || promote || status) && (o.dry_run || o.no_push))
		return sd_cli_usage(usage, "%s", _("--dry-run and --no-push go with a sync alone"));
	if ((enroll || promote) && format_given)
		return sd_cli_usage(usage, "%s", _("--format goes with a sync, --lease or "
		    "--status"));
	if (site && !enroll)
		return sd_cli_usage(usage, "%s", _("--site goes with --enroll"));
	if (enroll && (!site || argc - optind != 1 || dir))
		return sd_cli_usage(usage, "%s", _("--enroll takes a URL, a directory and "
		    "--site NAME"));
	if (!enroll && optind < argc)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind]);
	if ((rc = sd_cli_now(&t)) < 0)
		return sd_cli_exit(sd_cli_fail(rc));
	sd_time_format(now, NULL, t);
	o.now = now;
	if (enroll) {
		rc = sd_sync_enroll(enroll, argv[optind], site, &o);
	} else if ((rc = sd_cli_open(&s, NULL, dir, 0)) == 0) {
		sd_time_format(now, sd_config_zone(sd_store_config(s)), t);
		if (status) {
			struct sd_sync_status st;

			if ((rc = sd_sync_status(s, &st)) == 0)
				print_status(&st, out.format);
			sd_sync_status_free(&st);
		} else if (promote) {
			rc = sd_sync_promote(s, &o);
		} else if (lease) {
			rc = sd_sync_lease(s, &o, print_line, &out);
		} else {
			rc = sd_sync(s, &o, NULL, print_line, &out);
		}
		print_end(&out);
	}
	if (rc < 0)
		rc = sd_cli_fail(rc);
	sd_cli_close(s);
	return sd_cli_exit(rc);
}
