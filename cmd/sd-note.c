/* sd-note - add a note to a ticket */
#include <getopt.h>
#include <stdio.h>

#include "sd.h"

static const char usage[] =
	"usage: sd-note [-C DIR] -F FILE | -m TEXT [--contact-attempt] ID\n";

enum { OPT_CONTACT = SD_OPT_FIRST_OWN };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "contact-attempt", no_argument, NULL, OPT_CONTACT },
		{ "file", required_argument, NULL, 'F' },
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "note" };
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
		case OPT_CONTACT: a.contact_attempt = 1; break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind != 1)
		return sd_cli_usage(usage, argc == optind ? "a ticket ID is required" : "one ticket ID only");
	return sd_cli_act(dir, argv[optind], &a, m, file, usage);
}
