/* sd-attach - keep a file with a ticket */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-attach [-C DIR] [--name NAME] [--type TYPE] [-m TEXT] ID FILE\n");

enum { OPT_NAME = SD_OPT_FIRST_OWN, OPT_TYPE };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "message", required_argument, NULL, 'm' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ NULL, 0, NULL, 0 }
	};
	struct sd_attach_file f = { 0 };
	struct sd_act a = { .action = "attach", .files = &f, .nfiles = 1 };
	const struct sd_agent *agent = NULL;
	struct sd_store *s = NULL;
	const char *dir = NULL, *m = NULL, *file, *slash;
	char *text = NULL, *data = NULL, id[SD_ID_MAX], status[SD_STATUS_MAX];
	size_t len = 0;
	long n;
	int c, rc;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:hm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case 'm': m = optarg; break;
		case OPT_NAME:
			if (sd_attach_name_check(optarg) < 0)
				return sd_cli_usage(usage, "--name: %s", sd_error_message());
			f.name = optarg;
			break;
		case OPT_TYPE:
			if (sd_attach_type_check(optarg) < 0)
				return sd_cli_usage(usage, "--type: %s", sd_error_message());
			f.type = optarg;
			break;
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind != 2)
		return sd_cli_usage(usage, "%s", argc - optind < 2 ? _("a ticket ID and a FILE are required") :
		    _("one ticket ID and one FILE only"));
	file = argv[optind + 1];
	if (!f.name && !strcmp(file, "-"))
		return sd_cli_usage(usage, "%s", _("FILE - (standard input) needs --name NAME"));
	if (!f.name) {
		f.name = (slash = strrchr(file, '/')) ? slash + 1 : file;
		if (sd_attach_name_check(f.name) < 0)
			return sd_cli_usage(usage, _("%s: %s; give one with --name"), file, sd_error_message());
	}
	if (!f.type)
		f.type = sd_attach_type_guess(f.name);
	if ((rc = sd_cli_text(&text, m, NULL)) < 0)
		return rc == SD_EUSAGE ? sd_cli_usage(usage, "%s", sd_error_message()) : sd_cli_fail(rc);
	a.text = text;
	if ((rc = sd_cli_open(&s, &agent, dir, 1)) < 0 ||
	    (rc = sd_id_parse(&n, sd_config_prefix(sd_store_config(s)), argv[optind])) < 0 ||
	    (rc = sd_cli_attach_file(&data, &len, file, f.name, sd_store_config(s))) < 0)
		goto out;
	f.data = data;
	f.len = len;
	if ((rc = sd_desk_act(s, agent, n, &a, status)) < 0)
		goto out;
	sd_id_format(id, sd_config_prefix(sd_store_config(s)), n);
	puts(id);
	sd_cli_hook(s, a.action, id, agent, NULL);
out:
	free(text);
	free(data);
	sd_cli_close(s);
	if (rc == SD_EUSAGE)
		return sd_cli_usage(usage, "%s", sd_error_message());
	return sd_cli_exit(rc < 0 ? sd_cli_fail(rc) : 0);
}
