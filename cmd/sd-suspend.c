/* sd-suspend - put a ticket on hold, its SLA clocks stopped */
#include "sd.h"

static const char *const usage = N_("usage: sd-suspend [-C DIR] -F FILE | -m REASON ID\n");

int
main(int argc, char *argv[])
{
	struct sd_act a = { .action = "suspend" };

	return sd_cli_act_main(argc, argv, usage, &a, NULL, NULL);
}
