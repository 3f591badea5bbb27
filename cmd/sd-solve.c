/* sd-solve - document the solution of a ticket */
#include <string.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-solve [-C DIR] -F FILE | -m SOLUTION\n"
	"                [--code solved|workaround|unsolvable|no-contact] [--kb KB-N] ID\n"
	"       sd-solve [-C DIR] -F FILE | -m WORKAROUND --known-error PROBLEM-ID\n");

enum { OPT_CODE = SD_OPT_FIRST_OWN, OPT_KNOWN_ERROR, OPT_KB };

static int
option(int c, const char *arg, struct sd_act *a, const char *use)
{
	if (c == OPT_CODE) {
		if (strcmp(arg, "solved") && strcmp(arg, "workaround") && strcmp(arg, "unsolvable") &&
		    strcmp(arg, "no-contact"))
			return sd_cli_usage(use,
			    _("--code: '%s' is not solved, workaround, unsolvable or no-contact"), arg);
		a->code = arg;
	} else if (c == OPT_KB) {
		long n;
		if (sd_kb_id_parse(&n, arg) < 0)
			return sd_cli_usage(use, "--kb: %s", sd_error_message());
		a->kb = arg;
	}
	if (c == OPT_KNOWN_ERROR)
		a->action = "known-error";
	if (a->code && !strcmp(a->action, "known-error"))
		return sd_cli_usage(use, "%s", _("--known-error takes no --code"));
	if (a->kb && !strcmp(a->action, "known-error"))
		return sd_cli_usage(use, "%s", _("--known-error takes no --kb"));
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option own[] = {
		{ "code", required_argument, NULL, OPT_CODE },
		{ "kb", required_argument, NULL, OPT_KB },
		{ "known-error", no_argument, NULL, OPT_KNOWN_ERROR },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_act a = { .action = "solve" };

	return sd_cli_act_main(argc, argv, usage, &a, own, option);
}
