/* sd-approve - give or deny one approval of a request */
#include <getopt.h>
#include <stdio.h>

#include "sd.h"

static const char usage[] =
	"usage: sd-approve [-C DIR] [--deny -F FILE | --deny -m REASON] --role ROLE ID\n";

enum { OPT_DENY = SD_OPT_FIRST_OWN, OPT_ROLE };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "deny", no_argument, NULL, OPT_DENY },
		{ "file", required_argument, NULL, 'F' },
		{ "message", required_argument, NULL, 'm' },
		{ "role", required_argument, NULL, OPT_ROLE },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "approve" };
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
		case OPT_DENY: a.action = "deny"; break;
		case OPT_ROLE: a.role = optarg; break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind != 1)
		return sd_cli_usage(usage, argc == optind ? "a ticket ID is required" : "one ticket ID only");
	if (!a.role || !*a.role)
		return sd_cli_usage(usage, "--role is required");
	return sd_cli_act(dir, argv[optind], &a, m, file, usage);
}
