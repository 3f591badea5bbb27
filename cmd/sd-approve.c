/* sd-approve - give or deny one approval of a request */
#include "sd.h"

static const char *const usage = N_(
	"usage: sd-approve [-C DIR] [--deny -F FILE | --deny -m REASON] --role ROLE ID\n");

enum { OPT_DENY = SD_OPT_FIRST_OWN, OPT_ROLE };

static int
option(int c, const char *arg, struct sd_act *a, const char *use)
{
	(void)use;
	if (c == OPT_DENY)
		a->action = "deny";
	else if (c == OPT_ROLE)
		a->role = arg;
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "deny", no_argument, NULL, OPT_DENY },
		{ "role", required_argument, NULL, OPT_ROLE },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "approve" };

	return sd_cli_act_main(argc, argv, usage, &a, own, option);
}
