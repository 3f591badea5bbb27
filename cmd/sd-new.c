/* sd-new - register a ticket */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-new -t TYPE -s TITLE -r REQUESTER [-C DIR] [-c CATEGORY]\n"
	"              [-F FILE | -m TEXT] [-i IMPACT] [-u URGENCY] [--channel CHANNEL]\n"
	"              [--email EMAIL] [--phone PHONE] [--related ID]\n");

enum { OPT_CHANNEL = SD_OPT_FIRST_OWN, OPT_EMAIL, OPT_PHONE, OPT_RELATED };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "category", required_argument, NULL, 'c' },
		{ "channel", required_argument, NULL, OPT_CHANNEL },
		{ "email", required_argument, NULL, OPT_EMAIL },
		{ "file", required_argument, NULL, 'F' },
		{ "impact", required_argument, NULL, 'i' },
		{ "message", required_argument, NULL, 'm' },
		{ "phone", required_argument, NULL, OPT_PHONE },
		{ "related", required_argument, NULL, OPT_RELATED },
		{ "requester", required_argument, NULL, 'r' },
		{ "title", required_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "urgency", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_new_params p = { 0 };
	const struct sd_agent *agent;
	struct sd_store *s = NULL;
	const char *dir = NULL, *m = NULL, *file = NULL;
	char *text = NULL, id[SD_ID_MAX];
	int c, rc;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:F:c:hi:m:r:s:t:u:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'F': file = optarg; break;
		case 'c': p.category = optarg; break;
		case 'h': return sd_cli_help(usage);
		case 'i': p.impact = optarg; break;
		case 'm': m = optarg; break;
		case 'r': p.requester = optarg; break;
		case 's': p.title = optarg; break;
		case 't': p.type = optarg; break;
		case 'u': p.urgency = optarg; break;
		case OPT_CHANNEL: p.channel = optarg; break;
		case OPT_EMAIL: p.email = optarg; break;
		case OPT_PHONE: p.phone = optarg; break;
		case OPT_RELATED: p.related = optarg; break;
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (optind < argc)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind]);
	if (!p.type || !p.title || !p.requester)
		return sd_cli_usage(usage, "%s", _("-t, -s and -r are required"));
	if (strcmp(p.type, "incident") && strcmp(p.type, "request") && strcmp(p.type, "problem"))
		return sd_cli_usage(usage, _("-t: '%s' is not incident, request or problem"), p.type);
	if (p.urgency && sd_level_word(p.urgency) < 0)
		return sd_cli_usage(usage, _("-u: '%s' is not high, medium or low"), p.urgency);
	if (p.impact && sd_level_word(p.impact) < 0)
		return sd_cli_usage(usage, _("-i: '%s' is not high, medium or low"), p.impact);
	if ((rc = sd_cli_text(&text, m, file)) < 0)
		return rc == SD_EUSAGE ? sd_cli_usage(usage, "%s", sd_error_message()) : sd_cli_fail(rc);
	p.description = text;
	if ((rc = sd_cli_open(&s, &agent, dir, 1)) == 0 && (rc = sd_desk_new(s, agent, &p, id)) == 0) {
		puts(id);
		sd_cli_hook(s, "new", id, agent, NULL);
	}
	free(text);
	if (rc < 0)
		rc = sd_cli_fail(rc);
	sd_cli_close(s);
	return sd_cli_exit(rc);
}
