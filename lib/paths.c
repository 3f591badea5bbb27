/*
 * Where sd's installed files are (share, locale, bin), found beside the
 * running program so that a build tree works as an installed one.
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
