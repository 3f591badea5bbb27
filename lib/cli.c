/*
 * What every command shares at the shell: its name, messages and exit
 * statuses, usage and --version, texts from -m and -F, the clock, and
 * opening the store as an agent.
 */

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "sd/attach.h"
#include "sd/cli.h"
#include "sd/desk.h"
#include "sd/format.h"
#include "sd/id.h"
#include "sd/mail_out.h"
#include "sd/paths.h"
#include "sd/shell.h"
#include "sd/time.h"
#include "sd/workflow.h"
#include "sd/ticket.h"
#include "sd/validate.h"

#ifndef SD_VERSION
#define SD_VERSION "0.1.0"
#endif

static const char *prog = "sd";

void
sd_cli_start(const char *name)
{
	const char *slash = strrchr(name, '/');

	prog = slash ? slash + 1 : name;
	/* Messages in the user's language; everything else (character
	 * classes, numbers) stays in C, so files read the same everywhere. */
	setlocale(LC_MESSAGES, "");
	bindtextdomain("sd", sd_path(SD_PATH_LOCALE));
	bind_textdomain_codeset("sd", "UTF-8");
	/* The store's zone is looked for where the user's TZDIR says; TZ
	 * itself is never read. */
	sd_config_set_zone_dir(getenv("TZDIR"));
}

const char *
sd_cli_prog(void)
{
	return prog;
}

/* A message on one line: what it quotes of the user's input may hold
 * control characters, shown escaped. */
static void
put_line(FILE *f, const char *msg)
{
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else if (sd_control_len((const char *)p) == 2)
			fprintf(f, "\\u%04x", *++p);  /* C1: U+0080..U+009F */
		else if (*p < 0x80)
			putc(*p, f);
		else {
			/* A UTF-8 character whole, or a stray byte (a lone
			 * 0x9b is a CSI to some terminals) escaped. */
			size_t k = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;

			if (k > 1 && strnlen((const char *)p, k) == k && sd__utf8_valid((const char *)p, k)) {
				fwrite(p, 1, k, f);
				p += k - 1;
			} else {
				fprintf(f, "\\x%02x", *p);
			}
		}
	}
}

void
sd_cli_say(const char *msg)
{
	sd_cli_progress_clear();
	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	put_line(stderr, msg);
	putc('\n', stderr);
}

int
sd_cli_fail(int code)
{
	const char *msg = sd_error_message();

	sd_cli_say(*msg ? msg : _("failed"));
	return sd_error_exit(code);
}

void
sd_cli_warn(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sd_cli_progress_clear();
	fflush(stdout);
	fprintf(stderr, "%s: %s", prog, _("warning: "));
	put_line(stderr, msg);
	putc('\n', stderr);
}

int
sd_cli_help(const char *usage)
{
	fputs(_(usage), stdout);
	return sd_cli_exit(0);
}

int
sd_cli_usage(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		char msg[2048];
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		sd_cli_say(msg);
	}
	fputs(_(usage), stderr);
	return EX_USAGE;
}

int
sd_cli_version(void)
{
	printf("%s (sd) %s\n", prog, SD_VERSION);
	return sd_cli_exit(0);
}

size_t
sd_cli_columns(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long n;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if (env && *env && (n = strtol(env, &end, 10)) > 0 && !*end)
		return (size_t)n;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

int
sd_cli_text(char **out, const char *m, const char *file)
{
	size_t len;
	int rc;

	*out = NULL;
	if (m && file)
		return sd_error_set(SD_EUSAGE, "%s", _("give -m or -F, not both"));
	if (m) {
		if (!(*out = sd__strdup(m)))
			return sd__oom();
		len = strlen(m);
	} else if (file && !strcmp(file, "-")) {
		/* Read no more than the longest text allows, whatever is sent. */
		if ((rc = sd__read_fd_max(out, &len, STDIN_FILENO, _("standard input"),
		    SD_TEXT_MAX)) < 0)
			return rc;
	} else if (file) {
		/* Run by sd-shell: no file of the account's (sd/shell.h). */
		const char *bound = getenv(SD_SHELL_STORE_ENV);
		if (bound && *bound)
			return sd_error_set(SD_EPERM,
			    _("-F %s: through sd-shell a text is read from standard input only (-F -)"),
			    file);
		if ((rc = sd__read_file_max(out, &len, file, SD_TEXT_MAX)) < 0)
			return rc;
	} else {
		return 0;
	}
	if (len == 0) {
		free(*out);
		*out = NULL;
		return sd_error_set(SD_EUSAGE, "%s", _("the text is empty"));
	}
	if ((rc = sd_text_check(*out, len)) < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int
sd_cli_attach_file(char **out, size_t *len, const char *file, const char *name,
    const struct sd_config *cfg)
{
	size_t max = sd_config_attach_limits(cfg)->max_size;
	const char *bound = getenv(SD_SHELL_STORE_ENV);
	struct stat st;
	int fd, rc;

	*out = NULL;
	if (!strcmp(file, "-")) {
		fd = STDIN_FILENO;
	} else if (bound && *bound) {
		/* Run by sd-shell: no file of the account's (sd/shell.h). */
		return sd_error_set(SD_EPERM,
		    _("%s: through sd-shell a file is read from standard input only (-)"), file);
	} else if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		return sd_error_set(SD_ENOTFOUND, "%s: %s", file, strerror(errno));
	}
	if (fstat(fd, &st) < 0)
		rc = sd_error_set(SD_EIO, "%s: %s", file, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		rc = sd_error_set(SD_ENOTFOUND, "%s: %s", file, strerror(EISDIR));
	else if (fd != STDIN_FILENO && !S_ISREG(st.st_mode) &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		rc = sd_error_set(SD_EIO, "%s: %s", file, strerror(errno));
	else if ((rc = sd__read_fd_max(out, len, fd, fd == STDIN_FILENO ?
	    _("standard input") : file, max)) == SD_EINVALID) {
		/* Longer than the limit: told as sd_attach_fits tells it. */
		unsigned long long got = S_ISREG(st.st_mode) ? (unsigned long long)st.st_size : max + 1;
		char words[SD_ATTACH_SIZE_WORDS], limit[SD_ATTACH_SIZE_WORDS];

		sd_attach_size_words(limit, max);
		sd_attach_size_words(words, got);
		rc = S_ISREG(st.st_mode) ? sd_attach_fits(cfg, 0, (size_t)got, name) :
		    sd_error_set(SD_EINVALID, _("%s: over the %s limit of an attachment "
		    "([attachments] max_size)"), name, limit);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int
sd_cli_now(time_t *out)
{
	const char *now = getenv("SD_NOW");

	if (now && *now) {
		if (sd_time_parse(out, NULL, now) < 0 || strlen(now) == 10)
			return sd_error_set(SD_EUSAGE, _("SD_NOW: '%s' is not an RFC 3339 time"), now);
		return 0;
	}
	*out = time(NULL);
	return 0;
}

/* An $SD_AGENT the store does not trust, when the login acts instead:
 * said once, as one would believe one acts as that agent.  (When the login
 * is no agent either, the error names it.) */
static void
say_agent(const struct sd_store *s)
{
	static int said;
	char login[256], msg[512];

	if (said || !sd_store_agent_env_ignored(s, login, sizeof(login)))
		return;
	said = 1;
	snprintf(msg, sizeof(msg),
	    _("SD_AGENT ignored: sd.ini [policy] trust_env_agent = no; acting as %s"), login);
	sd_cli_say(msg);
}

int
sd_cli_open(struct sd_store **s, const struct sd_agent **agent, const char *dir,
    int need_agent)
{
	time_t now;
	int rc;

	if (agent)
		*agent = NULL;
	if ((rc = sd_cli_now(&now)) < 0 || (rc = sd_store_open(s, dir, 0)) < 0)
		return rc;
	sd_store_set_now(*s, now);
	if (need_agent && (rc = sd_store_agent(*s, agent)) < 0) {
		sd_store_free(*s);
		*s = NULL;
	} else if (need_agent) {
		say_agent(*s);
	}
	return rc;
}

void
sd_cli_close(struct sd_store *s)
{
	const char *w = sd_store_warning(s);

	if (w)
		sd_cli_warn(_("the change is made, but %s; the next command brings the files "
		    "in line"), w);
	sd_store_free(s);
}

static void
mail_warn(const char *msg, void *arg)
{
	(void)arg;
	sd_cli_warn(_("mail not sent, kept for sd-mail --flush: %s"), msg);
}

int
sd_cli_automation(const struct sd_store *s, enum sd_automation what)
{
	if (sd_automation_here(s, what))
		return 1;
	sd_cli_say(_("automation runs at the hub ([sync] automation = hub); nothing done here"));
	return 0;
}

void
sd_cli_mail(struct sd_store *s, const char *action, const char *id)
{
	long n;

	/* At a site the hub mails the change when it arrives (its catch-up). */
	if (id && sd_automation_here(s, SD_AUTO_MAIL_AFTER) &&
	    sd_id_parse(&n, sd_config_prefix(sd_store_config(s)), id) == 0)
		sd_mail_catch_up(s, action, n, mail_warn, NULL);
}

void
sd_cli_mail_remind(struct sd_store *s)
{
	sd_mail_remind(s, mail_warn, NULL);
}

void
sd_cli_hook(struct sd_store *s, const char *action, const char *id,
    const struct sd_agent *agent, const char *input)
{
	/* The change's mail first, queued as soon after the commit as can be. */
	sd_cli_mail(s, action, id);
	if (sd_desk_hook(s, action, id, agent, input) < 0)
		sd_cli_warn("%s", sd_error_message());
}

int
sd_cli_exit(int status)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "%s: %s: %s\n", prog, _("standard output"), strerror(errno));
		return status ? status : EX_IOERR;
	}
	return status;
}

/* An incident its problem's solve solved too: told, mailed and hooked as
 * if solved alone. */
struct also {
	char (*id)[SD_ID_MAX];
	size_t n;
};

static void
also_solved(const char *id, void *arg)
{
	struct also *x = arg;
	char (*v)[SD_ID_MAX] = realloc(x->id, (x->n + 1) * sizeof(*v));

	if (!v)
		return;         /* told of no further: the commit is made */
	x->id = v;
	snprintf(x->id[x->n++], SD_ID_MAX, "%s", id);
}

int
sd_cli_act(const char *dir, const char *idarg, struct sd_act *a, const char *m,
    const char *file, const char *usage)
{
	struct also also = { 0 };
	const struct sd_agent *agent = NULL;
	struct sd_store *s = NULL;
	char *text = NULL, id[SD_ID_MAX], status[SD_STATUS_MAX];
	long n;
	int rc;

	if ((rc = sd_cli_text(&text, m, file)) < 0)
		return rc == SD_EUSAGE ? sd_cli_usage(usage, "%s", sd_error_message()) :
		    sd_cli_fail(rc);
	a->text = text;
	if (sd_action_find(a->action) && sd_action_find(a->action)->need != SD_NEED_NONE && !text) {
		free(text);
		return sd_cli_usage(usage, "%s", _("-m TEXT or -F FILE is required"));
	}
	if ((rc = sd_cli_open(&s, &agent, dir, 1)) < 0 ||
	    (rc = sd_id_parse(&n, sd_config_prefix(sd_store_config(s)), idarg)) < 0)
		goto out;
	if (!strcmp(a->action, "assign") && !a->assignee)
		a->assignee = agent->id;
	a->also = also_solved;
	a->also_arg = &also;
	if ((rc = sd_desk_act(s, agent, n, a, status)) < 0)
		goto out;
	sd_id_format(id, sd_config_prefix(sd_store_config(s)), n);
	puts(id);
	sd_cli_hook(s, a->action, id, agent, NULL);
	/* The incidents a problem's solve solved too, each as if alone. */
	for (size_t i = 0; i < also.n; i++) {
		puts(also.id[i]);
		sd_cli_hook(s, "solve", also.id[i], agent, NULL);
	}
out:
	free(also.id);
	free(text);
	sd_cli_close(s);
	if (rc == SD_EUSAGE)
		return sd_cli_usage(usage, "%s", sd_error_message());
	return sd_cli_exit(rc < 0 ? sd_cli_fail(rc) : 0);
}

int
sd_cli_act_main(int argc, char *argv[], const char *usage, struct sd_act *a,
    const struct option *own, sd_cli_option_fn fn)
{
	static const struct option common[] = {
		SD_CLI_LONG_OPTIONS,
		{ "file", required_argument, NULL, 'F' },
		{ "message", required_argument, NULL, 'm' },
	};
	const size_t ncommon = SD_ARRAY_SIZE(common);
	const char *dir = NULL, *m = NULL, *file = NULL;
	struct option *all;
	size_t nown = 0;
	int c, rc;

	sd_cli_start(argv[0]);
	while (own && own[nown].name)
		nown++;
	if (!(all = calloc(ncommon + nown + 1, sizeof(*all))))
		return sd_cli_fail(sd__oom());
	memcpy(all, common, sizeof(common));
	if (nown)
		memcpy(all + ncommon, own, nown * sizeof(*own));
	while ((c = getopt_long(argc, argv, "C:F:hm:", all, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'F': file = optarg; break;
		case 'm': m = optarg; break;
		case 'h': free(all); return sd_cli_help(usage);
		case SD_OPT_VERSION: free(all); return sd_cli_version();
		default:
			if (c < SD_OPT_FIRST_OWN || !fn) {
				free(all);
				return sd_cli_usage(usage, NULL);
			}
			if ((rc = fn(c, optarg, a, usage)) != 0) {
				free(all);
				return rc;
			}
		}
	}
	free(all);
	if (argc == optind)
		return sd_cli_usage(usage, "%s", _("a ticket ID is required"));
	if (argc - optind > 1)
		return sd_cli_usage(usage, _("unexpected argument '%s'"), argv[optind + 1]);
	return sd_cli_act(dir, argv[optind], a, m, file, usage);
}

int
sd_cli_filter_take(struct sd_cli_filters *fs, int c, const char *value)
{
	if (c < SD_FILTER_OPT || c > SD_FILTER_OPT + SD_FILTER_BREACHED)
		return 0;
	if (fs->n == SD_ARRAY_SIZE(fs->v))
		return sd_error_set(SD_EUSAGE, "%s", _("too many filters"));
	fs->v[fs->n].key = c - SD_FILTER_OPT;
	fs->v[fs->n++].value = value;
	return 1;
}

int
sd_cli_filter_build(struct sd_filter **out, const struct sd_cli_filters *fs,
    struct sd_store *s, time_t now)
{
	const struct sd_agent *agent = NULL;
	int rc;

	if ((rc = sd_filter_new(out, sd_store_config(s), now)) < 0)
		return rc;
	for (size_t i = 0; i < fs->n; i++) {
		if (fs->v[i].key == SD_FILTER_ASSIGNEE && !strcmp(fs->v[i].value, "me") && !agent) {
			if (sd_store_agent(s, &agent) < 0)
				agent = NULL;
			else
				say_agent(s);
		}
		if ((rc = sd_filter_add(*out, (enum sd_filter_key)fs->v[i].key, fs->v[i].value,
		    agent ? agent->id : NULL)) < 0)
			return rc;
	}
	return 0;
}

struct option *
sd_cli_options(const struct option *own, const struct option *more)
{
	size_t a = 0, b = 0;
	struct option *all;

	while (own[a].name)
		a++;
	while (more && more[b].name)
		b++;
	if (!(all = calloc(a + b + 1, sizeof(*all))))
		return NULL;
	memcpy(all, own, a * sizeof(*all));
	if (b)
		memcpy(all + a, more, b * sizeof(*all));
	return all;
}
