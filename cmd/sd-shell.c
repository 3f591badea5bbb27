/* sd-shell - run one sd command for an SSH key bound to an agent */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_("usage: sd-shell [--store DIR] AGENT\n");

enum { OPT_STORE = SD_OPT_FIRST_OWN };

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "store", required_argument, NULL, OPT_STORE },
		{ NULL, 0, NULL, 0 }
	};
	const char *line = getenv("SSH_ORIGINAL_COMMAND"), *store = NULL, *agent;
	char prog[PATH_MAX + 64], *real = NULL;
	char **words = NULL;
	size_t n = 0;
	int c, rc;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_STORE: store = optarg; break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind != 1)
		return sd_cli_usage(usage, "%s", _("the AGENT is required"));
	agent = argv[optind];
	if (!line || !*line)
		return sd_cli_fail(sd_error_set(SD_EUSAGE, "%s",
		    _("this key runs sd commands only: ssh HOST sd-list --open, say")));
	if ((rc = sd_shell_split(&words, &n, line)) < 0)
		return sd_cli_fail(rc);
	if (!sd_shell_allowed(words[0])) {
		rc = sd_error_set(SD_EPERM, _("%s: not a command this key may run"), words[0]);
		goto fail;
	}
	/* A key bound to a store stays in it. */
	if (store) {
		if (!(real = realpath(store, NULL))) {
			rc = sd_error_set(SD_ENOTFOUND, "--store %s: %s", store, strerror(errno));
			goto fail;
		}
		for (size_t i = 1; i < n; i++)
			if (!strcmp(words[i], "--"))
				break;
			else if (!strncmp(words[i], "-C", 2)) {
				rc = sd_error_set(SD_EPERM, _("-C: this key is bound to %s"), real);
				goto fail;
			}
		setenv("SD_STORE", real, 1);
	}
	/* Who acts is the key's, whatever the command or the client says. */
	setenv("SD_AGENT", agent, 1);
	unsetenv("VISUAL");
	unsetenv("EDITOR");
	/* The commands are the ones beside sd-shell, never from elsewhere. */
	unsetenv("SD_EXEC_PATH");
	snprintf(prog, sizeof(prog), "%s/%s", sd_path(SD_PATH_EXEC), words[0]);
	fflush(NULL);
	execv(prog, words);
	rc = sd_error_set(SD_EIO, "%s: %s", prog, strerror(errno));
fail:
	free(real);
	sd_shell_free(words, n);
	return sd_cli_fail(rc);
}
