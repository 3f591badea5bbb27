/*
 * Where sd's installed files are (share, locale, bin), found beside the
 * running program so that a build tree works as an installed one; and
 * which manual page to open, in the reader's language when there is one.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "sd/paths.h"

#ifndef SD_SHAREDIR
#define SD_SHAREDIR "/usr/local/share/sd"
#endif
#ifndef SD_LOCALEDIR
#define SD_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef SD_MANDIR
#define SD_MANDIR "/usr/local/share/man"
#endif
#ifndef SD_BINDIR
#define SD_BINDIR "/usr/local/bin"
#endif

/* For each kind: its variable, where it sits from BINDIR, a file that
 * tells it is really there, and the path built in. */
static const struct {
	const char *env, *rel, *probe, *built;
} paths[] = {
	[SD_PATH_SHARE] = { "SD_SHAREDIR", "../share/sd", "sd.ini", SD_SHAREDIR },
	[SD_PATH_LOCALE] = { "SD_LOCALEDIR", "../share/locale", "", SD_LOCALEDIR },
	[SD_PATH_MAN] = { "SD_MANDIR", "../share/man", "man7/sd.7", SD_MANDIR },
	[SD_PATH_EXEC] = { "SD_EXEC_PATH", ".", "", SD_BINDIR },
};

/* The directory of the running program, or "" when it cannot be told. */
static const char *
self_dir(void)
{
	static char dir[PATH_MAX];
	static int done;

	if (!done) {
		ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
		char *slash;

		dir[n > 0 ? n : 0] = '\0';
		if ((slash = strrchr(dir, '/')))
			*slash = '\0';
		else
			dir[0] = '\0';
		done = 1;
	}
	return dir;
}

const char *
sd_path(enum sd_path_kind kind)
{
	static char found[SD_PATH_EXEC + 1][PATH_MAX];
	const char *env = getenv(paths[kind].env), *self = self_dir();
	char probe[PATH_MAX];
	struct stat st;

	if (env && *env)
		return env;
	if (*self && snprintf(probe, sizeof(probe), "%s/%s/%s", self, paths[kind].rel,
	    paths[kind].probe) < (int)sizeof(probe) && stat(probe, &st) == 0) {
		/* "a/bin/../share/sd" as "a/share/sd", for messages. */
		char *real;

		if (snprintf(probe, sizeof(probe), "%s/%s", self, paths[kind].rel) <
		    (int)sizeof(probe) && (real = realpath(probe, NULL))) {
			snprintf(found[kind], sizeof(found[kind]), "%s", real);
			free(real);
			return found[kind];
		}
	}
	return paths[kind].built;
}

void
sd_locale_language(char *out, size_t n, const char *locale)
{
	size_t len = 0;

	if (!n)
		return;
	out[0] = '\0';
	if (!locale)
		return;
	while (locale[len] >= 'a' && locale[len] <= 'z')
		len++;
	/* Two or three lower-case letters, then the end or a territory,
	 * codeset or modifier: "C", "POSIX" and "C.UTF-8" name none. */
	if (len < 2 || len > 3 || len >= n ||
	    (locale[len] && locale[len] != '_' && locale[len] != '.' && locale[len] != '@'))
		return;
	memcpy(out, locale, len);
	out[len] = '\0';
}

/* mandir[/lang]/manSECTION/page.SECTION, else mandir[/lang]/page.SECTION. */
static int
man_file(char *out, size_t n, const char *mandir, const char *lang, const char *page,
    const char *section)
{
	const char *sep = *lang ? "/" : "";
	struct stat st;

	if (snprintf(out, n, "%s%s%s/man%s/%s.%s", mandir, sep, lang, section, page, section) <
	    (int)n && stat(out, &st) == 0 && S_ISREG(st.st_mode))
		return 1;
	if (snprintf(out, n, "%s%s%s/%s.%s", mandir, sep, lang, page, section) < (int)n &&
	    stat(out, &st) == 0 && S_ISREG(st.st_mode))
		return 1;
	return 0;
}

int
sd_man_page(char *out, size_t n, const char *mandir, const char *lang, const char *page,
    const char *section)
{
	if (!n)
		return 0;
	if ((lang && *lang && man_file(out, n, mandir, lang, page, section)) ||
	    man_file(out, n, mandir, "", page, section))
		return 1;
	out[0] = '\0';
	return 0;
}
