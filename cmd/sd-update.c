/* sd-update - correct or complete a ticket */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-update [-C DIR] [-F FILE | -m TEXT] [--category CATEGORY]\n"
	"                 [--email EMAIL] [--impact IMPACT] [--phone PHONE]\n"
	"                 [--title TITLE] [--urgency URGENCY] ID\n");

enum {
	OPT_CATEGORY = SD_OPT_FIRST_OWN, OPT_EMAIL, OPT_IMPACT, OPT_PHONE, OPT_TITLE,
	OPT_URGENCY
};

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "email", required_argument, NULL, OPT_EMAIL },
		{ "file", required_argument, NULL, 'F' },
		{ "impact", required_argument, NULL, OPT_IMPACT },
		{ "message", required_argument, NULL, 'm' },
		{ "phone", required_argument, NULL, OPT_PHONE },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "urgency", required_argument, NULL, OPT_URGENCY },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_update_params p = { 0 };
	const struct sd_agent *agent;
	struct sd_store *s = NULL;
	const char *dir = NULL, *m = NULL, *file = NULL;
	char *text = NULL;
	int c, rc;
	long n;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:F:hm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'F': file = optarg; break;
		case 'h': return sd_cli_help(usage);
		case 'm': m = optarg; break;
		case OPT_CATEGORY: p.category = optarg; break;
		case OPT_EMAIL: p.email = optarg; break;
		case OPT_IMPACT: p.impact = optarg; break;
		case OPT_PHONE: p.phone = optarg; break;
		case OPT_TITLE: p.title = optarg; break;
		case OPT_URGENCY: p.urgency = optarg; break;
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc == optind)
		return sd_cli_usage(usage, "%s", _("a ticket ID is required"));
	if (argc - optind > 1)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind + 1]);
	if (p.urgency && sd_level_word(p.urgency) < 0)
		return sd_cli_usage(usage, _("--urgency: '%s' is not high, medium or low"), p.urgency);
	if (p.impact && sd_level_word(p.impact) < 0)
		return sd_cli_usage(usage, _("--impact: '%s' is not high, medium or low"), p.impact);
	if ((rc = sd_cli_text(&text, m, file)) < 0)
		return rc == SD_EUSAGE ? sd_cli_usage(usage, "%s", sd_error_message()) : sd_cli_fail(rc);
	p.text = text;
	if (!p.title && !p.category && !p.urgency && !p.impact && !p.email && !p.phone && !text) {
		free(text);
		return sd_cli_usage(usage, "%s", _("nothing to change"));
	}
	if ((rc = sd_cli_open(&s, &agent, dir, 1)) == 0 &&
	    (rc = sd_id_parse(&n, sd_config_prefix(sd_store_config(s)), argv[optind])) == 0 &&
	    (rc = sd_desk_update(s, agent, n, &p)) == 0) {
		char id[SD_ID_MAX];
		sd_id_format(id, sd_config_prefix(sd_store_config(s)), n);
		puts(id);
		sd_cli_hook(s, "update", id, agent, NULL);
	}
	free(text);
	/* 1: the ticket held those values already; nothing to say. */
	rc = rc < 0 ? sd_cli_fail(rc) : 0;
	sd_cli_close(s);
	return sd_cli_exit(rc);
}
