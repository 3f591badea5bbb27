/* sd-shell - run one sd command for an SSH key bound to an agent */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"

extern char **environ;

/* Remove what could choose another store, agent, time or program
 * (sd_shell_env_removed); the names first, as unsetenv changes environ. */
static int
clean_env(void)
{
	size_t n = 0, k = 0;
	char **names;
	int rc = 0;

	while (environ[n])
		n++;
	if (!(names = calloc(n + 1, sizeof(*names))))
		return -1;
	/* A name that cannot be copied is a failure: never run with it set. */
	for (size_t i = 0; i < n && rc == 0; i++)
		if (sd_shell_env_removed(environ[i]) &&
		    !(names[k++] = strndup(environ[i], strcspn(environ[i], "="))))
			rc = -1;
	for (size_t i = 0; i < k; i++) {
		if (names[i])
			unsetenv(names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

static const char *const usage = N_("usage: sd-shell --store DIR AGENT\n");

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
	if (argc == optind)
		return sd_cli_usage(usage, "%s", _("the AGENT is required"));
	if (argc - optind > 1)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind + 1]);
	if (!store)
		return sd_cli_usage(usage, "%s",
		    _("--store DIR is required: a key is bound to one store"));
	agent = argv[optind];
	if (!line || !*line)
		return sd_cli_fail(sd_error_set(SD_EUSAGE, "%s",
		    _("this key runs sd commands only: ssh HOST sd-list --open, say")));
	if (strlen(line) > SD_SHELL_LINE_MAX)
		return sd_cli_fail(sd_error_set(SD_EUSAGE,
		    _("the command is longer than %d bytes; send a long text on standard input, with -F -"),
		    SD_SHELL_LINE_MAX));
	if ((rc = sd_shell_split(&words, &n, line)) < 0)
		return sd_cli_fail(rc);
	if (!sd_shell_allowed(words[0])) {
		rc = sd_error_set(SD_EPERM, _("%s: not a command this key may run"), words[0]);
		goto fail;
	}
	/* A key bound to a store stays in it, and reads no file of the
	 * account's: refused here in any word, and by the command itself. */
	if ((rc = sd_shell_check_args(words, n)) < 0)
		goto fail;
	if (!(real = realpath(store, NULL))) {
		rc = sd_error_set(SD_ENOTFOUND, "--store %s: %s", store, strerror(errno));
		goto fail;
	}
	/*
	 * The store and the agent go to the command in variables of sd-shell's
	 * own, set last, after everything that could redirect it is removed.
	 * The store only restricts the command (no -C, -F - only), so no one
	 * gains by setting it.  The agent acts whatever trust_env_agent says
	 * only when the command runs as the store's owner - the account whose
	 * authorized_keys binds keys to agents; anyone else who sets it gets
	 * no more than SD_AGENT gives (see sd_store_agent).
	 */
	if (clean_env() < 0 || setenv(SD_SHELL_STORE_ENV, real, 1) < 0 ||
	    setenv(SD_SHELL_AGENT_ENV, agent, 1) < 0) {
		rc = sd_error_set(SD_EIO, "%s", strerror(errno));
		goto fail;
	}
	snprintf(prog, sizeof(prog), "%s/%s", sd_path(SD_PATH_EXEC), words[0]);
	fflush(NULL);
	execv(prog, words);
	rc = sd_error_set(SD_EIO, "%s: %s", prog, strerror(errno));
fail:
	free(real);
	sd_shell_free(words, n);
	return sd_cli_fail(rc);
}
