/* sd-reply - answer a ticket's requester, in the ticket's record */
#include "sd.h"

static const char *const usage = N_(
	"usage: sd-reply [-C DIR] -F FILE | -m TEXT ID\n");

int
main(int argc, char *argv[])
{
	struct sd_act a = { .action = "reply" };

	return sd_cli_act_main(argc, argv, usage, &a, NULL, NULL);
}
