/* sd-escalate - move a ticket to another level or group */
#include <string.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-escalate [-C DIR] -F FILE | -m DIAGNOSIS [--group GROUP] [--level N]\n"
	"                   [--provider-ref REF] ID\n");

enum { OPT_GROUP = SD_OPT_FIRST_OWN, OPT_LEVEL, OPT_PROVIDER_REF };

static int
option(int c, const char *arg, struct sd_act *a, const char *use)
{
	if (c == OPT_GROUP) {
		a->group = arg;
	} else if (c == OPT_LEVEL) {
		if (strlen(arg) != 1 || arg[0] < '1' || arg[0] > '3')
			return sd_cli_usage(use, _("--level: '%s' is not 1, 2 or 3"), arg);
		a->level = arg[0] - '0';
	} else if (c == OPT_PROVIDER_REF) {
		a->provider_ref = arg;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "provider-ref", required_argument, NULL, OPT_PROVIDER_REF },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "escalate" };

	return sd_cli_act_main(argc, argv, usage, &a, own, option);
}
