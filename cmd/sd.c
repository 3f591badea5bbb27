/* sd - the front command: `sd new ...` runs sd-new, `sd help` the manual */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd [-C DIR] COMMAND [ARGS...]\n"
	"       sd help [COMMAND]\n"
	"       sd --version\n");

/* The commands, in the order of a ticket's life; each line is the NAME
 * line of the command's manual page (tests/cmd/sd.t holds them equal). */
static const struct {
	const char *name, *what;
} commands[] = {
	{ "init", N_("make a service-desk store") },
	{ "new", N_("register a ticket") },
	{ "mail", N_("register tickets and notes from email") },
	{ "show", N_("show one ticket") },
	{ "list", N_("list tickets, one per row") },
	{ "update", N_("correct or complete a ticket") },
	{ "edit", N_("correct a ticket or a configuration file in an editor") },
	{ "assign", N_("give a ticket to an agent of its group") },
	{ "escalate", N_("move a ticket to another level or group, with a diagnosis") },
	{ "approve", N_("give or deny one approval of a request") },
	{ "suspend", N_("put a ticket on hold, its SLA clocks stopped") },
	{ "resume", N_("take a suspended ticket off hold") },
	{ "note", N_("add a note to a ticket, or count a failed contact attempt") },
	{ "reply", N_("answer a ticket's requester, in the ticket's record") },
	{ "attach", N_("keep a file with a ticket") },
	{ "link", N_("relate tickets both ways, or incidents to their problem") },
	{ "solve", N_("document the solution of a ticket") },
	{ "close", N_("close a solved ticket, reject one, or close what is due") },
	{ "reopen", N_("reopen a solved ticket the requester is not satisfied with") },
	{ "kb", N_("write, show, list and search the knowledge base's articles") },
	{ "sla", N_("open tickets at risk of missing their SLA, or past it") },
	{ "report", N_("the desk's figures per group of tickets: SLA met, times, satisfaction") },
	{ "fsck", N_("check a store, and repair it") },
	{ "sync", N_("exchange a site's work with its desk's hub") },
	{ "shell", N_("run one sd command for an SSH key bound to an agent") },
};

/* The manual pages `sd help` opens besides the commands'. */
static const struct {
	const char *topic, *page, *section;
} topics[] = {
	{ "sd", "sd", "7" },
	{ "ticket", "sd-ticket", "5" },
	{ "config", "sd-config", "5" },
};

static int
is_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return 1;
	return 0;
}

static int
list(void)
{
	fputs(_(usage), stdout);
	printf("\n%s\n", _("The commands, each a program sd-COMMAND:"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("   %-10s %s\n", commands[i].name, _(commands[i].what));
	printf("\n%s\n", _("'sd help COMMAND' shows its manual; 'sd help' the desk's whole procedure."));
	return 0;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* man(1) on the page of topic: the file itself when sd's manual is where
 * sd_path says (installed, or SD_MANDIR=man in the sources), in the
 * language of the messages when it has the page, else by name. */
static int
help(const char *topic)
{
	const char *page = NULL, *section = "1";
	char name[64], lang[8], file[PATH_MAX];

	if (!strncmp(topic, "sd-", 3) && is_command(topic + 3))
		topic += 3;
	for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++)
		if (!strcmp(topics[i].topic, topic) || !strcmp(topics[i].page, topic)) {
			page = topics[i].page;
			section = topics[i].section;
		}
	if (!page) {
		if (!is_command(topic))
			return sd_cli_usage(usage, _("'%s' is not an sd command or manual page"), topic);
		snprintf(name, sizeof(name), "sd-%s", topic);
		page = name;
	}
	fflush(stdout);
	sd_locale_language(lang, sizeof(lang), setlocale(LC_MESSAGES, NULL));
	if (sd_man_page(file, sizeof(file), sd_path(SD_PATH_MAN), lang, page, section))
		execlp("man", "man", "-l", file, (char *)NULL);
	else
		execlp("man", "man", section, page, (char *)NULL);
	return sd_cli_fail(sd_error_set(SD_EIO, _("cannot run man: %s"), strerror(errno)));
}

/* Run sd-COMMAND from the directory of the programs, else from PATH, with
 * -C DIR first when sd was given it. */
static int
run(const char *command, const char *dir, int argc, char *argv[])
{
	char prog[64], path[PATH_MAX];
	char **args = calloc((size_t)argc + 4, sizeof(*args));
	int n = 0;

	if (!args)
		return sd_cli_fail(sd_error_set(SD_EIO, "%s", _("out of memory")));
	snprintf(prog, sizeof(prog), "sd-%s", command);
	args[n++] = prog;
	if (dir) {
		args[n++] = "-C";
		args[n++] = (char *)dir;
	}
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	snprintf(path, sizeof(path), "%s/%s", sd_path(SD_PATH_EXEC), prog);
	if (exists(path))
		execv(path, args);
	else
		execvp(prog, args);
	sd_error_set(SD_EIO, _("cannot run %s: %s"), prog, strerror(errno));
	free(args);
	return sd_cli_fail(SD_EIO);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	int c;

	sd_cli_start(argv[0]);
	/* "+": the options after COMMAND are the command's. */
	while ((c = getopt_long(argc, argv, "+C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return list();
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return list();
	if (!strcmp(argv[0], "help")) {
		if (argc > 2)
			return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[2]);
		return help(argc == 2 ? argv[1] : "sd");
	}
	if (!is_command(argv[0]))
		return sd_cli_usage(usage, _("'%s' is not an sd command; see 'sd help'"), argv[0]);
	return run(argv[0], dir, argc, argv);
}
