/* sd-escalate - move a ticket to another level or group */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sd.h"

static const char usage[] =
	"usage: sd-escalate [-C DIR] -F FILE | -m DIAGNOSIS [--group GROUP] [--level N] ID\n";

enum { OPT_GROUP = SD_OPT_FIRST_OWN, OPT_LEVEL };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "file", required_argument, NULL, 'F' },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "escalate" };
	const char *dir = NULL, *m = NULL, *file = NULL;
	int c;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:F:hm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'F': file = optarg; break;
		case 'h': return sd_cli_help(usage);
		case 'm': m = optarg; break;
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_GROUP: a.group = optarg; break;
		case OPT_LEVEL:
			if (strlen(optarg) != 1 || optarg[0] < '1' || optarg[0] > '3')
				return sd_cli_usage(usage, "--level: '%s' is not 1, 2 or 3", optarg);
			a.level = optarg[0] - '0';
			break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind != 1)
		return sd_cli_usage(usage, argc == optind ? "a ticket ID is required" : "one ticket ID only");
	return sd_cli_act(dir, argv[optind], &a, m, file, usage);
}
