/* sd-show - show one ticket */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sd.h"

static const char *const usage = N_(
	"usage: sd-show [-C DIR] [--field KEY]... [--format text|json|ini] [--history] ID\n"
	"       sd-show [-C DIR] --attachment N ID\n");

enum { OPT_FIELD = SD_OPT_FIRST_OWN, OPT_FORMAT, OPT_HISTORY, OPT_ATTACHMENT };

#define MAX_FIELDS 64

/* To a terminal, texts with their controls made visible (sd_visible);
 * else as they are.  shown_failed: one could not be (out of memory). */
static int tty, shown_failed;

/* s as it may be shown: *keep to free after (NULL when it is s). */
static const char *
shown(const char *s, int flags, char **keep)
{
	*keep = NULL;
	if (!tty)
		return s;
	if (sd_visible(keep, s, flags) < 0) {
		shown_failed = 1;
		return "";
	}
	return *keep;
}

static void
put(const char *s, int flags)
{
	char *keep;

	fputs(shown(s, flags, &keep), stdout);
	free(keep);
}

static void
put_json(const char *s)
{
	char *keep;

	sd_put_json(stdout, shown(s, SD_VISIBLE_LINES, &keep));
	free(keep);
}

static void
print_indented(const char *text)
{
	char *keep;

	text = shown(text, SD_VISIBLE_LINES, &keep);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		printf(n ? "    %.*s\n" : "\n", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
	free(keep);
}

/* arg: the store's zone. */
static int
print_commit_text(const struct sd_commit_info *c, void *arg)
{
	char when[SD_TIME_MAX];

	sd_time_format(when, arg, (time_t)c->time);
	printf("%.12s  %s  ", c->id, when);
	put(c->author, 0);
	fputs("  ", stdout);
	put(c->subject, 0);
	putchar('\n');
	return 0;
}

struct json_commits {
	int first;
	const struct sd_zone *zone;
};

static int
print_commit_json(const struct sd_commit_info *c, void *arg)
{
	struct json_commits *j = arg;
	char when[SD_TIME_MAX];

	sd_time_format(when, j->zone, (time_t)c->time);
	fputs(j->first ? "\n{\"commit\":" : ",\n{\"commit\":", stdout);
	j->first = 0;
	sd_put_json(stdout, c->id);
	fputs(",\"at\":", stdout);
	sd_put_json(stdout, when);
	fputs(",\"author\":", stdout);
	put_json(c->author);
	fputs(",\"email\":", stdout);
	put_json(c->email);
	fputs(",\"subject\":", stdout);
	put_json(c->subject);
	putc('}', stdout);
	return 0;
}

static void
show_text(const struct sd_ticket *t, const struct sd_config *cfg)
{
	const char *unclassified, *ref;
	size_t column = 0;

	/* The values line up two columns after the longest label, whatever
	 * the language (printf pads bytes, not characters). */
	for (int f = 0; f < SD_F__COUNT; f++)
		if (sd_format_width(sd_field_label(f)) > column)
			column = sd_format_width(sd_field_label(f));
	column += 2;
	put(sd_ticket_get(t, SD_F_ID), 0);
	fputs("  ", stdout);
	put(sd_ticket_get(t, SD_F_TITLE), 0);
	putchar('\n');
	for (int f = 0; f < SD_F__COUNT; f++)
		if (f != SD_F_ID && f != SD_F_TITLE && *sd_ticket_get(t, f)) {
			printf("  %s%*s", sd_field_label(f),
			    (int)(column - sd_format_width(sd_field_label(f))), "");
			put(sd_ticket_get(t, f), 0);
			/* A solution code with the desk's words for it. */
			if (f == SD_F_RESOLUTION) {
				const char *label = sd_words_code_label(cfg, sd_ticket_get(t, f));
				if (label && strcmp(label, sd_ticket_get(t, f))) {
					fputs(" (", stdout);
					put(label, 0);
					putchar(')');
				}
			}
			putchar('\n');
		}
	/* What `required` lists and the desk has still to set, while it may. */
	if (sd_status_open(sd_ticket_get(t, SD_F_STATUS)) &&
	    sd_desk_unclassified(t, cfg, &unclassified))
		printf("  %s%*s%s\n", _("to classify"),
		    (int)(column > sd_format_width(_("to classify")) ?
		    column - sd_format_width(_("to classify")) : 1), "", unclassified);
	if ((ref = sd_ticket_provider_ref(t))) {
		printf("  %s%*s", _("provider_ref"), (int)(column > sd_format_width(_("provider_ref")) ?
		    column - sd_format_width(_("provider_ref")) : 1), "");
		put(ref, 0);
		putchar('\n');
	}
	if (*sd_ticket_text(t, SD_TEXT_DESCRIPTION)) {
		printf("\n%s\n", _("Description:"));
		print_indented(sd_ticket_text(t, SD_TEXT_DESCRIPTION));
	}
	if (*sd_ticket_text(t, SD_TEXT_SOLUTION)) {
		printf("\n%s\n", _("Solution:"));
		print_indented(sd_ticket_text(t, SD_TEXT_SOLUTION));
	}
}

/* The attachments, numbered from 1 as --attachment takes them. */
static void
show_attachments_text(const struct sd_attach_list *l)
{
	char size[SD_ATTACH_SIZE_WORDS];

	if (!l->n)
		return;
	printf("\n%s\n", _("Attachments:"));
	for (size_t i = 0; i < l->n; i++) {
		sd_attach_size_words(size, l->v[i].size);
		printf("  %zu. ", i + 1);
		put(l->v[i].name, 0);
		printf(" (%s, %s)\n", l->v[i].type, size);
	}
}

static void
show_attachments_json(const struct sd_attach_list *l)
{
	fputs(",\"attachments\":[", stdout);
	for (size_t i = 0; i < l->n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
		put_json(l->v[i].name);
		fputs(",\"type\":", stdout);
		put_json(l->v[i].type);
		printf(",\"size\":%zu,\"sha256\":\"%s\",\"event\":%zu}", l->v[i].size, l->v[i].hex,
		    l->ev[i] + 1);
	}
	putchar(']');
}

/* Attachment n (from 1) of t, its bytes as they are. */
static int
write_attachment(struct sd_store *s, const struct sd_ticket *t, const struct sd_attach_list *l,
    long n, const char *arg)
{
	char *data;
	size_t len;
	int rc;

	if (n < 1 || (size_t)n > l->n)
		return sd_error_set(SD_EINVALID, _("%s has no attachment %s (it has %zu)"),
		    sd_ticket_get(t, SD_F_ID), arg, l->n);
	if ((rc = sd_store_attachment(s, &l->v[n - 1], &data, &len)) < 0)
		return rc;
	/* To a terminal, a text shown as every text is (its control
	 * characters visible); anything else only to a file or a program. */
	if (tty && sd_text_check(data, len) < 0)
		rc = sd_error_set(SD_EINVALID, _("attachment %s of %s is not text: redirect "
		    "standard output to a file or a program"), arg, sd_ticket_get(t, SD_F_ID));
	else if (tty)
		put(data, SD_VISIBLE_LINES);
	else if (len && fwrite(data, 1, len, stdout) != len)
		rc = sd_error_set(SD_EIO, "%s: %s", _("standard output"), strerror(errno));
	free(data);
	return rc;
}

static void
show_events_text(const struct sd_ticket *t)
{
	printf("\n%s\n", _("Events:"));
	for (size_t i = 0; i < sd_ticket_event_count(t); i++) {
		const char *to = sd_ticket_event_get(t, i, "to");
		const char *text = sd_ticket_event_get(t, i, "text");
		const char *action = sd_ticket_event_get(t, i, "action");

		fputs("  ", stdout);
		put(sd_ticket_event_get(t, i, "at"), 0);
		fputs("  ", stdout);
		put(sd_ticket_event_get(t, i, "by"), 0);
		fputs("  ", stdout);
		put(action, 0);
		/* What the requester was told, apart from the desk's own notes. */
		if (action && !strcmp(action, "reply"))
			printf("  %s", _("(to the requester)"));
		if (to) {
			fputs(" -> ", stdout);
			put(to, 0);
		}
		for (size_t k = 0; k < sd_ticket_event_keys(t, i); k++) {
			const char *key = sd_ticket_event_key(t, i, k);
			if (strcmp(key, "at") && strcmp(key, "by") && strcmp(key, "action") &&
			    strcmp(key, "to") && strcmp(key, "from") && strcmp(key, "text")) {
				fputs("  ", stdout);
				put(key, 0);
				putchar('=');
				put(sd_ticket_event_value(t, i, k), 0);
			}
		}
		putchar('\n');
		if (text)
			print_indented(text);
	}
}

static void
show_json(const struct sd_ticket *t)
{
	putchar('{');
	for (int f = 0; f < SD_F__COUNT; f++) {
		const char *v = sd_ticket_get(t, f);
		if (f)
			putchar(',');
		sd_put_json(stdout, sd_field_name(f));
		putchar(':');
		if (sd_field_kind(f) == SD_K_NUMBER)
			put(*v ? v : "null", 0);
		else
			put_json(v);
	}
	fputs(",\"description\":", stdout);
	put_json(sd_ticket_text(t, SD_TEXT_DESCRIPTION));
	fputs(",\"solution\":", stdout);
	put_json(sd_ticket_text(t, SD_TEXT_SOLUTION));
	fputs(",\"events\":[", stdout);
	for (size_t i = 0; i < sd_ticket_event_count(t); i++) {
		fputs(i ? ",{" : "{", stdout);
		for (size_t k = 0; k < sd_ticket_event_keys(t, i); k++) {
			if (k)
				putchar(',');
			put_json(sd_ticket_event_key(t, i, k));
			putchar(':');
			put_json(sd_ticket_event_value(t, i, k));
		}
		putchar('}');
	}
	putchar(']');
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		SD_CLI_LONG_OPTIONS,
		{ "field", required_argument, NULL, OPT_FIELD },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "history", no_argument, NULL, OPT_HISTORY },
		{ "attachment", required_argument, NULL, OPT_ATTACHMENT },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *fields[MAX_FIELDS];
	enum sd_format format = SD_FORMAT_TEXT;
	struct sd_ticket *t = NULL;
	struct sd_store *s = NULL;
	struct sd_attach_list att = { 0 };
	int nfields = 0, history = 0, c, rc, given = 0;
	long n, attachment = 0;
	const char *attach_arg = NULL;
	char *end;

	sd_cli_start(argv[0]);
	tty = isatty(STDOUT_FILENO);
	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'h': return sd_cli_help(usage);
		case SD_OPT_VERSION: return sd_cli_version();
		case OPT_FIELD:
			if (sd_field_lookup(optarg) < 0 && strcmp(optarg, "description") &&
			    strcmp(optarg, "solution"))
				return sd_cli_usage(usage, _("--field: unknown key '%s'"), optarg);
			if (nfields == MAX_FIELDS)
				return sd_cli_usage(usage, _("--field: at most %d"), MAX_FIELDS);
			fields[nfields++] = optarg;
			break;
		case OPT_FORMAT:
			given = 1;
			if (sd_format_parse(&format, optarg, "text,json,ini") < 0)
				return sd_cli_usage(usage, "--format: %s", sd_error_message());
			break;
		case OPT_HISTORY: history = 1; break;
		case OPT_ATTACHMENT:
			errno = 0;
			attachment = strtol(optarg, &end, 10);
			attach_arg = optarg;
			if (!*optarg || *end || optarg[0] < '0' || optarg[0] > '9')
				return sd_cli_usage(usage, _("--attachment: '%s' is not a number"), optarg);
			if (errno)
				attachment = LONG_MAX;  /* a number, of no attachment */
			if (attachment == 0)
				attachment = -1;        /* given: none is numbered 0 */
			break;
		default: return sd_cli_usage(usage, NULL);
		}
	}
	if (argc == optind)
		return sd_cli_usage(usage, "%s", _("a ticket ID is required"));
	if (argc - optind > 1)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind + 1]);
	if (nfields && (history || format != SD_FORMAT_TEXT))
		return sd_cli_usage(usage, "%s", _("--field goes alone, without --format or --history"));
	if (attachment && (nfields || history || given))
		return sd_cli_usage(usage, "%s", _("--attachment goes alone, without --field, "
		    "--format or --history"));
	/* One value a line: a text, which may span lines, is asked alone. */
	for (int i = 0; i < nfields && nfields > 1; i++)
		if (sd_field_lookup(fields[i]) < 0)
			return sd_cli_usage(usage, _("--field %s goes alone: a text may span lines"),
			    fields[i]);
	if ((rc = sd_cli_open(&s, NULL, dir, 0)) < 0 ||
	    (rc = sd_id_parse(&n, sd_config_prefix(sd_store_config(s)), argv[optind])) < 0 ||
	    (rc = sd_store_load(s, &t, n)) < 0 || (rc = sd_attach_list(&att, t)) < 0)
		goto out;
	if (attachment) {
		rc = write_attachment(s, t, &att, attachment, attach_arg);
	} else if (nfields == 1 && sd_field_lookup(fields[0]) < 0) {
		/* A text, byte for byte: a newline only when it ends with
		 * one (to a terminal, one ends the last line). */
		const char *text = sd_ticket_text(t, strcmp(fields[0], "description") ?
		    SD_TEXT_SOLUTION : SD_TEXT_DESCRIPTION);
		put(text, SD_VISIBLE_LINES);
		if (tty && *text && text[strlen(text) - 1] != '\n')
			putchar('\n');
	} else if (nfields) {
		for (int i = 0; i < nfields; i++) {
			put(sd_ticket_get(t, sd_field_lookup(fields[i])), SD_VISIBLE_LINES);
			putchar('\n');
		}
	} else if (format == SD_FORMAT_INI) {
		char *data;
		size_t len;
		if ((rc = sd_ticket_format(&data, &len, t)) < 0)
			goto out;
		if (tty)
			put(data, SD_VISIBLE_LINES);    /* the file has no NUL */
		else
			fwrite(data, 1, len, stdout);
		free(data);
	} else if (format == SD_FORMAT_JSON) {
		show_json(t);
		show_attachments_json(&att);
		if (history) {
			struct json_commits j = { 1, sd_config_zone(sd_store_config(s)) };
			fputs(",\"commits\":[", stdout);
			rc = sd_store_history(s, n, print_commit_json, &j);
			putchar(']');
		}
		puts("}");
	} else {
		show_text(t, sd_store_config(s));
		show_attachments_text(&att);
		if (history) {
			show_events_text(t);
			printf("\n%s\n", _("Commits:"));
			rc = sd_store_history(s, n, print_commit_text,
			    (void *)sd_config_zone(sd_store_config(s)));
		}
	}
out:
	if (rc == 0 && shown_failed)
		rc = sd_error_set(SD_EIO, "%s", _("out of memory"));
	if (rc < 0)
		rc = sd_cli_fail(rc);
	sd_attach_list_free(&att);
	sd_ticket_free(t);
	sd_store_free(s);
	return sd_cli_exit(rc);
}
