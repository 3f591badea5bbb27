/* sd-fsck - check a store, and repair it */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-fsck [-C DIR] [--repair] [--quiet | --progress]\n"
	"       sd-fsck [-C DIR] --commits OLD..NEW|COMMIT\n"
	"       sd-fsck [-C DIR] --push OLD NEW REF\n");

enum { OPT_REPAIR = SD_OPT_FIRST_OWN, OPT_COMMITS, OPT_PUSH };

static void
print_finding(const struct sd_fsck_finding *f, void *arg)
{
	const int *tty = arg;
	char *path = NULL, *msg = NULL;

	sd_cli_progress_clear();
	if (f->warning) {
		if (*f->path)
			sd_cli_warn("%s: %s", f->path, f->message);
		else
			sd_cli_warn("%s", f->message);
		return;
	}
	/* A path or a message may quote a planted file: to a terminal, its
	 * controls shown visibly. */
	if (*tty && (sd_visible(&path, f->path, 0) < 0 || sd_visible(&msg, f->message, 0) < 0)) {
		free(path);
		path = msg = NULL;
	}
	if (*f->path && f->line)
		printf("%s:%d: %s", path ? path : f->path, f->line, msg ? msg : f->message);
	else if (*f->path)
		printf("%s: %s", path ? path : f->path, msg ? msg : f->message);
	else
		printf("%s", msg ? msg : f->message);
	free(path);
	free(msg);
	if (f->repaired)
		printf(" %s", _("(repaired)"));
	putchar('\n');
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		SD_CLI_PROGRESS_OPTIONS,
		{ "commits", required_argument, NULL, OPT_COMMITS },
		{ "push", no_argument, NULL, OPT_PUSH },
		{ "repair", no_argument, NULL, OPT_REPAIR },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *commits = NULL;
	int repair = 0, push = 0, c, rc, tty = isatty(STDOUT_FILENO);
	int progress = SD_CLI_PROGRESS_AUTO;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_REPAIR: repair = 1; break;
		case OPT_COMMITS: commits = optarg; break;
		case OPT_PUSH: push = 1; break;
		case SD_OPT_QUIET: progress = SD_CLI_PROGRESS_NEVER; break;
		case SD_OPT_PROGRESS: progress = SD_CLI_PROGRESS_ALWAYS; break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (push && argc - optind > 3)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind + 3]);
	if (push && argc - optind != 3)
		return sd_cli_usage(usage, "%s", _("--push takes OLD NEW REF"));
	if (!push && optind < argc)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind]);
	if ((commits || push) && repair)
		return sd_cli_usage(usage, "%s", _("--commits and --push go without --repair"));
	if (commits && push)
		return sd_cli_usage(usage, "%s", _("--commits goes without --push"));
	if (commits || push) {
		/* In a hook the repository is the environment's; else the store's. */
		char *git = NULL, *root = NULL;
		time_t now;
		if ((rc = sd_cli_now(&now)) < 0)
			return sd_cli_exit(sd_cli_fail(rc));
		if (!getenv("GIT_DIR") && (rc = sd_store_find(&root, dir)) == SD_EPERM)
			return sd_cli_exit(sd_cli_fail(rc));       /* a -C sd-shell refuses */
		if (root && asprintf(&git, "%s/.git", root) < 0)
			git = NULL;
		rc = commits ? sd_fsck_commits(git, commits, now, print_finding, &tty) :
		    sd_fsck_push(git, argv[optind], argv[optind + 1], argv[optind + 2], now,
		    print_finding, &tty);
		free(git);
		free(root);
		if (rc == SD_EUSAGE)
			return sd_cli_usage(usage, "%s", sd_error_message());
	} else {
		time_t now;
		if ((rc = sd_cli_now(&now)) < 0)
			return sd_cli_exit(sd_cli_fail(rc));
		rc = sd_fsck(dir, repair, now, sd_cli_progress(progress), print_finding, &tty);
	}
	if (rc < 0 && *sd_error_message() && rc != SD_EINVALID && rc != SD_ECONFIG)
		return sd_cli_exit(sd_cli_fail(rc));
	return sd_cli_exit(sd_error_exit(rc));
}
