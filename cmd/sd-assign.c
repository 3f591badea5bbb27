/* sd-assign - give a ticket to an agent of its group */
#include <getopt.h>
#include <stdio.h>

#include "sd.h"

static const char *const usage = N_("usage: sd-assign [-C DIR] ID AGENT|--me\n");

enum { OPT_ME = SD_OPT_FIRST_OWN };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "me", no_argument, NULL, OPT_ME },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "assign" };
	const char *dir = NULL;
	int me = 0, c;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_ME: me = 1; break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (me && argc - optind == 2)
		return sd_cli_usage(usage, _("'%s': an AGENT or --me, not both"), argv[optind + 1]);
	if (argc - optind > (me ? 1 : 2))
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind + (me ? 1 : 2)]);
	if (argc - optind < (me ? 1 : 2))
		return sd_cli_usage(usage, "%s", me ? _("a ticket ID is required") :
		    _("an ID and an AGENT (or --me) are required"));
	a.assignee = me ? NULL : argv[optind + 1];
	return sd_cli_act(dir, argv[optind], &a, NULL, NULL, usage);
}
