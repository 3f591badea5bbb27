/* sd-reopen - reopen a solved ticket the requester is not satisfied with */
#include <getopt.h>
#include <stdio.h>

#include "sd.h"

static const char usage[] = "usage: sd-reopen [-C DIR] -F FILE | -m REASON ID\n";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "file", required_argument, NULL, 'F' },
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "reopen" };
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
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind != 1)
		return sd_cli_usage(usage, argc == optind ? "a ticket ID is required" : "one ticket ID only");
	return sd_cli_act(dir, argv[optind], &a, m, file, usage);
}
