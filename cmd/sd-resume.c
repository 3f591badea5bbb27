/* sd-resume - take a suspended ticket off hold */
#include "sd.h"

static const char *const usage = N_("usage: sd-resume [-C DIR] [-F FILE | -m TEXT] ID\n");

int
main(int argc, char *argv[])
{
	struct sd_act a = { .action = "resume" };

	return sd_cli_act_main(argc, argv, usage, &a, NULL, NULL);
}
