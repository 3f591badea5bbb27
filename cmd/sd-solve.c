/* sd-solve - document the solution of a ticket */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sd.h"

static const char usage[] =
	"usage: sd-solve [-C DIR] -F FILE | -m SOLUTION [--code solved|workaround|unsolvable] ID\n";

enum { OPT_CODE = SD_OPT_FIRST_OWN };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "code", required_argument, NULL, OPT_CODE },
		{ "file", required_argument, NULL, 'F' },
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "solve" };
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
		case OPT_CODE:
			if (strcmp(optarg, "solved") && strcmp(optarg, "workaround") &&
			    strcmp(optarg, "unsolvable"))
				return sd_cli_usage(usage, "--code: '%s' is not solved, workaround or unsolvable",
				    optarg);
			a.code = optarg;
			break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind != 1)
		return sd_cli_usage(usage, argc == optind ? "a ticket ID is required" : "one ticket ID only");
	return sd_cli_act(dir, argv[optind], &a, m, file, usage);
}
