/* sd-note - add a note to a ticket */
#include "sd.h"

static const char *const usage = N_(
	"usage: sd-note [-C DIR] -F FILE | -m TEXT [--contact-attempt] ID\n");

enum { OPT_CONTACT = SD_OPT_FIRST_OWN };

static int
option(int c, const char *arg, struct sd_act *a, const char *use)
{
	(void)arg;
	(void)use;
	if (c == OPT_CONTACT)
		a->contact_attempt = 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "contact-attempt", no_argument, NULL, OPT_CONTACT },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "note" };

	return sd_cli_act_main(argc, argv, usage, &a, own, option);
}
