/*
 * sd-shell's rules, as data: the programs a key may run, the arguments and
 * environment they may not have, and how a command line splits into words.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/shell.h"

static const char *const allowed[] = {
	"sd-new", "sd-show", "sd-list", "sd-update", "sd-fsck", "sd-assign",
	"sd-escalate", "sd-suspend", "sd-resume", "sd-solve", "sd-close",
	"sd-reopen", "sd-note", "sd-reply", "sd-approve", "sd-link", "sd-sla", "sd-report",
	NULL
};

int
sd_shell_allowed(const char *program)
{
	for (const char *const *p = allowed; *p; p++)
		if (!strcmp(*p, program))
			return 1;
	return 0;
}

/* Arguments that name a store, whatever follows them in the word. */
static const char *const store_words[] = { "-C", "--store", "SD_STORE", NULL };

/* Variables removed, by name or by prefix (a trailing *); the ones sd-shell
 * sets itself are put back after. */
static const char *const removed_env[] = {
	"SD_*", "GIT_*", "TZ", "TZDIR", "VISUAL", "EDITOR", "PAGER", "LD_*",
	"HOSTALIASES", "LOCALDOMAIN", NULL
};
/* Kept of SD_*: they change how long, how fast or in what words, never
 * which store, agent or time. */
static const char *const kept_env[] = {
	"SD_LOCK_TIMEOUT", "SD_THREADS", "SD_LOCALEDIR", NULL
};

int
sd_shell_env_removed(const char *name)
{
	size_t len = strcspn(name, "=");

	for (const char *const *p = kept_env; *p; p++)
		if (strlen(*p) == len && !strncmp(*p, name, len))
			return 0;
	for (const char *const *p = removed_env; *p; p++) {
		size_t plen = strlen(*p);
		if ((*p)[plen - 1] == '*' ? !strncmp(*p, name, plen - 1) && len >= plen - 1 :
		    plen == len && !strncmp(*p, name, len))
			return 1;
	}
	return 0;
}

/* Nonzero for a long option that getopt_long would take as --file: "--"
 * and a prefix of "file" (an abbreviation), with or without "=VALUE". */
static int
is_file_long(const char *w)
{
	size_t len;

	if (strncmp(w, "--", 2))
		return 0;
	len = strcspn(w + 2, "=");
	return len >= 1 && len <= 4 && !strncmp("file", w + 2, len);
}

int
sd_shell_check_args(char *const *words, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const char *w = words[i], *value = NULL;

		for (const char *const *p = store_words; *p; p++)
			if (!strncmp(w, *p, strlen(*p)))
				return sd_error_set(SD_EPERM,
				    _("%s: this key is bound to its store; no other can be named"), w);
		if (!strcmp(w, "-F") || (is_file_long(w) && !strchr(w, '=')))
			value = i + 1 < n ? words[i + 1] : "-";
		else if (!strncmp(w, "-F", 2))
			value = w + 2;
		else if (is_file_long(w))
			value = strchr(w, '=') + 1;
		if (value && strcmp(value, "-"))
			return sd_error_set(SD_EPERM,
			    _("-F %s: through sd-shell a text is read from standard input only (-F -)"),
			    value);
	}
	return 0;
}

void
sd_shell_free(char **words, size_t n)
{
	sd__free_list(words, n);
}

static int
push(char ***v, size_t *n, struct sd_buf *w)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(*nv));

	if (!nv)
		return sd__oom();
	*v = nv;
	if (!(nv[*n] = sd_buf__detach(w)))
		return sd__oom();
	nv[++*n] = NULL;
	return 0;
}

int
sd_shell_split(char ***out, size_t *n, const char *line)
{
	struct sd_buf w = SD_BUF_INIT;
	const char *p = line;
	char **v = NULL;
	int in_word = 0, rc = 0;

	*out = NULL;
	*n = 0;
	for (;; p++) {
		char c = *p;

		if (c == '\0' || c == ' ' || c == '\t') {
			if (in_word && (rc = push(&v, n, &w)) < 0)
				goto fail;
			in_word = 0;
			if (c == '\0')
				break;
			continue;
		}
		in_word = 1;
		if (c == '\'') {
			const char *end = strchr(p + 1, '\'');
			if (!end) {
				rc = sd_error_set(SD_EUSAGE, "%s", _("a ' is not closed"));
				goto fail;
			}
			sd_buf__add(&w, p + 1, (size_t)(end - p - 1));
			sd_buf__add(&w, "", 0);
			p = end;
		} else if (c == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '$' || *p == '`') {
					rc = sd_error_set(SD_EUSAGE, _("'%c' is not allowed: nothing is expanded"), *p);
					goto fail;
				}
				if (*p == '\\' && p[1] && strchr("\"\\", p[1]))
					p++;
				sd_buf__addc(&w, *p);
			}
			if (!*p) {
				rc = sd_error_set(SD_EUSAGE, "%s", _("a \" is not closed"));
				goto fail;
			}
			sd_buf__add(&w, "", 0);
		} else if (c == '\\') {
			if (!p[1] || p[1] == '\n') {
				rc = sd_error_set(SD_EUSAGE, "%s", _("a \\ ends the line"));
				goto fail;
			}
			sd_buf__addc(&w, *++p);
		} else if (strchr("$`;&|<>(){}*?[~#\n\r", c) && !(c == '#' && w.len) &&
		    !(c == '~' && w.len)) {
			rc = sd_error_set(SD_EUSAGE,
			    _("'%c' is not allowed: sd-shell runs one sd command, with no shell"), c);
			goto fail;
		} else {
			sd_buf__addc(&w, c);
		}
		if (w.failed) {
			rc = sd__oom();
			goto fail;
		}
	}
	if (!*n) {
		rc = sd_error_set(SD_EUSAGE, "%s", _("no command"));
		goto fail;
	}
	*out = v;
	return 0;
fail:
	sd_buf__free(&w);
	sd__free_list(v, *n);
	*n = 0;
	return rc;
}
