#ifndef SD_PATHS_H
#define SD_PATHS_H

/*
 * Where sd's own installed files are.  Each is, in order: the environment
 * variable named below when set and not empty; else the directory beside
 * the running program, as `make install` lays it out (BINDIR/../share/sd
 * and so on), when it is there, so that an installation moved elsewhere
 * or into a DESTDIR still works; else the path the build was configured
 * with (PREFIX).
 */
enum sd_path_kind {
	SD_PATH_SHARE,          /* SD_SHAREDIR: default config, examples, hooks */
	SD_PATH_LOCALE,         /* SD_LOCALEDIR: message catalogues */
	SD_PATH_MAN,            /* SD_MANDIR: the manual, man1/ man5/ man7/ */
	SD_PATH_EXEC,           /* SD_EXEC_PATH: the sd-* programs */
};

/* The directory; static storage, good until the next call for kind. */
const char *sd_path(enum sd_path_kind kind);

#endif
