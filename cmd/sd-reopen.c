/* sd-reopen - reopen a solved ticket the requester is not satisfied with */
#include "sd.h"

static const char *const usage = N_("usage: sd-reopen [-C DIR] -F FILE | -m REASON ID\n");

int
main(int argc, char *argv[])
{
	struct sd_act a = { .action = "reopen" };

	return sd_cli_act_main(argc, argv, usage, &a, NULL, NULL);
}
