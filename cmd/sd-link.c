/* sd-link - relate tickets both ways, or incidents to their problem */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-link [-C DIR] ID ID...\n"
	"       sd-link [-C DIR] --problem PROBLEM-ID INCIDENT-ID...\n");

enum { OPT_PROBLEM = SD_OPT_FIRST_OWN };

static int problem_link;

static void
print_id(const char *id, void *arg)
{
	const struct sd_agent *agent = NULL;
	struct sd_store *s = arg;

	puts(id);
	if (sd_store_agent(s, &agent) == 0)
		sd_cli_hook(s, problem_link ? "link-problem" : "link", id, agent, NULL);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "problem", required_argument, NULL, OPT_PROBLEM },
		{ NULL, 0, NULL, 0 }
	};
	const struct sd_agent *agent;
	struct sd_store *s = NULL;
	const char *dir = NULL, *problem = NULL;
	long *ids = NULL, pid = 0;
	int c, rc, n;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case OPT_PROBLEM: problem = optarg; break;
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	problem_link = problem != NULL;
	if ((n = argc - optind) < (problem ? 1 : 2))
		return sd_cli_usage(usage, "%s", problem ? _("an incident ID or more is required") :
		    _("two ticket IDs or more are required"));
	if (!(ids = calloc((size_t)n, sizeof(*ids))))
		return sd_cli_fail(sd_error_set(SD_EIO, "%s", _("out of memory")));
	if ((rc = sd_cli_open(&s, &agent, dir, 1)) == 0) {
		for (int i = 0; i < n && rc == 0; i++)
			rc = sd_id_parse(&ids[i], sd_config_prefix(sd_store_config(s)), argv[optind + i]);
		if (rc == 0 && problem)
			rc = sd_id_parse(&pid, sd_config_prefix(sd_store_config(s)), problem);
		if (rc == 0)
			rc = problem ? sd_desk_link_problem(s, agent, pid, ids, (size_t)n, print_id, s) :
			    sd_desk_link(s, agent, ids, (size_t)n, print_id, s);
	}
	free(ids);
	if (rc < 0)
		rc = sd_cli_fail(rc);
	sd_cli_close(s);
	return sd_cli_exit(rc);
}
