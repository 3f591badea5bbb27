#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/shell.h"

static const char *const allowed[] = {
	"sd-new", "sd-show", "sd-list", "sd-update", "sd-fsck", "sd-assign",
	"sd-escalate", "sd-suspend", "sd-resume", "sd-solve", "sd-close",
	"sd-reopen", "sd-note", "sd-approve", "sd-link", "sd-sla", "sd-report",
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
