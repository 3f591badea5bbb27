/* sd-kb - the knowledge base: write, show, list, search and edit articles */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-kb [-C DIR] new -s TITLE [-c CATEGORY] -m TEXT | -F FILE\n"
	"       sd-kb [-C DIR] show ID|catalogue|priority|escalation\n"
	"       sd-kb [-C DIR] list [--category CATEGORY]\n"
	"       sd-kb [-C DIR] search PATTERN\n"
	"       sd-kb [-C DIR] edit ID\n");

enum { OPT_CATEGORY = SD_OPT_FIRST_OWN };

/* The article on standard output, its controls made visible. */
static int
print(const char *text)
{
	char *shown = NULL;
	int rc;

	if ((rc = sd_visible(&shown, text, SD_VISIBLE_LINES)) < 0)
		return rc;
	fputs(shown, stdout);
	free(shown);
	return 0;
}

static int
row(const struct sd_kb_article *a, void *arg)
{
	const char *category = arg;
	char *title = NULL;

	size_t n = category ? strlen(category) : 0;

	/* A category and its subcategories, as sd-list's --category. */
	if (category && (strncmp(category, a->category, n) ||
	    (a->category[n] && a->category[n] != '/')))
		return 0;
	if (sd_visible(&title, a->title, 0) < 0)
		return SD_EIO;
	printf("%-10s %-16s %s\n", a->id, *a->category ? a->category : "-", title);
	free(title);
	return 0;
}

static int
found(const struct sd_kb_article *a, void *arg)
{
	return sd_kb_match(a, arg) ? row(a, NULL) : 0;
}

/* Edit article n in $VISUAL or $EDITOR: 1 when nothing changed. */
static int
edit(struct sd_store *s, const struct sd_agent *agent, long n)
{
	struct sd_kb_article a;
	char dir[4096], path[4200], *data = NULL;
	size_t len;
	FILE *f;
	int rc;

	if ((rc = sd_kb_load(s, &a, n)) < 0)
		return rc;
	rc = sd_kb_format(&data, &len, &a);
	sd_kb_free(&a);
	if (rc < 0)
		return rc;
	/* The copy stays inside the store's .git, not in a /tmp others read. */
	snprintf(dir, sizeof(dir), "%s/.git/sd-kb.XXXXXX", sd_store_root(s));
	if (!mkdtemp(dir)) {
		free(data);
		return sd_error_set(SD_EIO, _("%s: cannot make a temporary directory"), dir);
	}
	snprintf(path, sizeof(path), "%s/KB-%ld.txt", dir, n);
	if (!(f = fopen(path, "w")) || fwrite(data, 1, len, f) != len || fclose(f) == EOF)
		rc = sd_error_set(SD_EIO, _("%s: cannot write"), path);
	free(data);
	data = NULL;
	if (rc == 0 && (rc = sd_cli_edit(path)) == 0 &&
	    (rc = sd_cli_text(&data, NULL, path)) == SD_EUSAGE)
		rc = sd_error_set(SD_EINVALID, "%s", sd_error_message());
	if (rc == 0)
		rc = sd_kb_edit(s, agent, n, data, strlen(data));
	free(data);
	unlink(path);
	rmdir(dir);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "message", required_argument, NULL, 'm' },
		{ "file", required_argument, NULL, 'F' },
		{ "title", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const struct sd_agent *agent = NULL;
	struct sd_store *s = NULL;
	const char *dir = NULL, *m = NULL, *file = NULL, *title = NULL, *category = NULL, *sub;
	char *text = NULL, *out = NULL, id[SD_KB_ID_MAX];
	struct sd_kb_article a;
	long n = 0;
	int c, rc = 0, writes;

	sd_cli_start(argv[0]);
	while ((c = getopt_long(argc, argv, "+C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (optind == argc)
		return sd_cli_usage(usage, "%s", _("a subcommand is required: new, show, list, "
		    "search or edit"));
	sub = argv[optind];
	if (strcmp(sub, "new") && strcmp(sub, "show") && strcmp(sub, "list") &&
	    strcmp(sub, "search") && strcmp(sub, "edit"))
		return sd_cli_usage(usage, _("'%s' is not a subcommand: new, show, list, search "
		    "or edit"), sub);
	argc -= optind;
	argv += optind;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+C:c:F:hm:s:", longopts, NULL)) != -1) {
		int mine = (c == 's' || c == 'c' || c == 'm' || c == 'F') ? !strcmp(sub, "new") :
		    c == OPT_CATEGORY ? !strcmp(sub, "list") || !strcmp(sub, "new") : 1;

		if (!mine)
			return sd_cli_usage(usage, _("%s: no such option for %s"),
			    argv[optind - 1], sub);
		switch (c) {
		case 'C': dir = optarg; break;
		case 'c': category = optarg; break;
		case 'F': file = optarg; break;
		case 'h': return sd_cli_help(usage);
		case 'm': m = optarg; break;
		case 's': title = optarg; break;
		case OPT_CATEGORY: category = optarg; break;
		case SD_OPT_VERSION: return sd_cli_version();
		default: return sd_cli_usage(usage, NULL);
		}
	}
	writes = !strcmp(sub, "new") || !strcmp(sub, "edit");
	if (!strcmp(sub, "new") || !strcmp(sub, "list")) {
		if (optind != argc)
			return sd_cli_usage(usage, _("%s takes no argument"), sub);
	} else if (argc - optind != 1) {
		return sd_cli_usage(usage, _("%s takes one argument"), sub);
	}
	if (!strcmp(sub, "new")) {
		if (!title)
			return sd_cli_usage(usage, "%s", _("new needs a title (-s TITLE)"));
		if (!m && !file)
			return sd_cli_usage(usage, "%s", _("new needs a text (-m or -F)"));
		if (sd_kb_title_check(title) < 0)
			return sd_cli_usage(usage, "-s: %s", sd_error_message());
		if ((rc = sd_cli_text(&text, m, file)) < 0)
			return rc == SD_EUSAGE ? sd_cli_usage(usage, "%s", sd_error_message()) :
			    sd_cli_fail(rc);
	}
	if ((!strcmp(sub, "edit") || (!strcmp(sub, "show") && !sd_kb_is_generated(argv[optind]))) &&
	    sd_kb_id_parse(&n, argv[optind]) < 0) {
		free(text);
		return sd_cli_usage(usage, "%s", sd_error_message());
	}
	if ((rc = sd_cli_open(&s, &agent, dir, writes)) < 0)
		goto out;
	if (!strcmp(sub, "new")) {
		if ((rc = sd_kb_new(s, agent, title, category, text, id)) == 0)
			puts(id);
	} else if (!strcmp(sub, "show") && n == 0) {
		if ((rc = sd_kb_generated(&out, sd_store_config(s), argv[optind])) == 0)
			rc = print(out);
	} else if (!strcmp(sub, "show")) {
		size_t len;
		if ((rc = sd_kb_load(s, &a, n)) == 0) {
			if ((rc = sd_kb_format(&out, &len, &a)) == 0)
				rc = print(out);
			sd_kb_free(&a);
		}
	} else if (!strcmp(sub, "list")) {
		if (!category || (rc = sd_kb_category_check(sd_store_config(s), category)) == 0)
			rc = sd_kb_each(s, row, (void *)category);
	} else if (!strcmp(sub, "search")) {
		rc = sd_kb_each(s, found, argv[optind]);
	} else if ((rc = edit(s, agent, n)) == 1) {
		char msg[64];
		sd_kb_id_format(id, n);
		snprintf(msg, sizeof(msg), _("%s: no change"), id);
		sd_cli_say(msg);
		rc = 0;
	} else if (rc == 0) {
		sd_kb_id_format(id, n);
		puts(id);
	}
out:
	free(text);
	free(out);
	sd_cli_close(s);
	return sd_cli_exit(rc < 0 ? sd_cli_fail(rc) : 0);
}
