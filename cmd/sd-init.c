/* sd-init - make a store */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"


static const char *const usage = N_(
	"usage: sd-init [-C DIR] [--example] [--group GROUP] [--name NAME]\n"
	"               [--prefix PREFIX] [--timezone TZ] [DIR]\n");

enum { OPT_EXAMPLE = SD_OPT_FIRST_OWN, OPT_GROUP, OPT_NAME, OPT_PREFIX, OPT_TIMEZONE };

/* Replace the value of key in text's [store] section. */
static char *
set_key(char *text, const char *key, const char *value)
{
	size_t klen = strlen(key);
	char *line = text, *out;

	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (!strncmp(line, key, klen) && (line[klen] == ' ' || line[klen] == '='))
			break;
	if (!line || !*line)
		return text;
	char *end = strchr(line, '\n');
	if (!end)
		end = line + strlen(line);
	if (!(out = malloc(strlen(text) + strlen(value) + klen + 8)))
		return text;
	sprintf(out, "%.*s%s = %s%s", (int)(line - text), text, key, value, end);
	free(text);
	return out;
}

static int
read_share(char **out, const char *dir, const char *name)
{
	char path[4096];
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "r")))
		return sd_error_set(SD_ECONFIG, _("%s: cannot read (set SD_SHAREDIR?)"), path);
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	if (!(*out = calloc(1, len + 1)) || fread(*out, 1, len, f) != len) {
		fclose(f);
		return sd_error_set(SD_EIO, _("%s: read error"), path);
	}
	fclose(f);
	return 0;
}

/* The person running sd-init becomes a coordinator of the desk, so that
 * the store can be used at once. */
static char *
add_self(char *agents, const char *self)
{
	struct passwd *pw = getpwnam(self);
	char *name = pw && pw->pw_gecos && *pw->pw_gecos ? strdup(pw->pw_gecos) : strdup(self);
	char *out, *comma, header[256];

	snprintf(header, sizeof(header), "[agent %s]", self);
	if (!name || strstr(agents, header) || strspn(self,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(self)) {
		free(name);
		return agents;
	}
	if ((comma = strchr(name, ',')))
		*comma = '\0';
	if (!*name || strpbrk(name, ";\"#")) {
		free(name);
		name = strdup(self);
	}
	if (!name || !(out = malloc(strlen(agents) + 2 * strlen(self) + strlen(name) + 128))) {
		free(name);
		return agents;
	}
	sprintf(out, "%s\n[agent %s]\nname = %s\nlogin = %s\ngroups = desk\ncoordinator = yes\n",
	    agents, self, name, self);
	free(name);
	free(agents);
	return out;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "example", no_argument, NULL, OPT_EXAMPLE },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "timezone", required_argument, NULL, OPT_TIMEZONE },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = ".", *cdir = NULL, *name = NULL, *prefix = NULL, *tz = NULL;
	const char *group = NULL;
	const char *share = sd_path(SD_PATH_SHARE), *self;
	const char *names[4];
	char *texts[4] = { NULL, NULL, NULL, NULL };
	time_t now;
	struct sd_config *cfg = NULL;
	struct passwd *pw;
	int example = 0, c, rc = 0;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': cdir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_EXAMPLE: example = 1; break;
		case OPT_GROUP: group = optarg; break;
		case OPT_NAME: name = optarg; break;
		case OPT_PREFIX: prefix = optarg; break;
		case OPT_TIMEZONE: tz = optarg; break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc - optind > 1)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind + 1]);
	if (optind < argc)
		dir = argv[optind];
	if (cdir && chdir(cdir) < 0)
		return sd_cli_fail(sd_error_set(SD_ENOTFOUND, _("%s: cannot change into it"), cdir));
	if ((rc = read_share(&texts[0], share, "sd.ini")) < 0 ||
	    (rc = read_share(&texts[1], share, "sla.ini")) < 0 ||
	    (rc = read_share(&texts[2], share, example ? "example/agents.ini" : "agents.ini")) < 0 ||
	    (rc = read_share(&texts[3], share, example ? "example/escalation.ini" : "escalation.ini")) < 0)
		goto out;
	if (name) {
		if (!*name || strpbrk(name, "\n\r;\"#") || strlen(name) > 100) {
			rc = sd_error_set(SD_EINVALID, _("--name: '%s' is not a one-line name without ; \" #"),
			    name);
			goto out;
		}
		texts[0] = set_key(texts[0], "name", name);
	}
	if (prefix)
		texts[0] = set_key(texts[0], "prefix", prefix);
	if (tz)
		texts[0] = set_key(texts[0], "timezone", tz);
	self = getenv("SD_AGENT");
	if ((!self || !*self) && (pw = getpwuid(geteuid())))
		self = pw->pw_name;
	if (self && *self)
		texts[2] = add_self(texts[2], self);
	for (int f = 0; f < 4; f++)
		names[f] = sd_config_files[f];
	/* The options' values must make a sound configuration. */
	if ((rc = sd_config_parse(&cfg, (const char *const *)texts, names)) < 0) {
		rc = sd_error_set(SD_EINVALID, "%s", sd_error_message());
		goto out;
	}
	if ((rc = sd_cli_now(&now)) == 0)
		rc = sd_store_init_ext(dir, (const char *const *)texts, sd_config_zone(cfg),
		    self ? sd_config_agent_by_login(cfg, self) : NULL, now, group);
	if (rc == 0) {
		/* What was made, as git init says it, for the user to go on. */
		char *real = realpath(dir, NULL);
		printf(_("made store %s (prefix %s)\n"), real ? real : dir,
		    sd_config_prefix(cfg));
		free(real);
	}
out:
	sd_config_free(cfg);
	for (int f = 0; f < 4; f++)
		free(texts[f]);
	if (rc < 0)
		return sd_cli_fail(rc);
	return sd_cli_exit(0);
}
