#ifndef SD_PATHS_H
#define SD_PATHS_H

#include <stddef.h>

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

/* The language of a locale name into out (n bytes): "es" of "es_CO.UTF-8"
 * or "es"; "" of "C", "POSIX", "C.UTF-8", NULL or anything else that names
 * no language. */
void sd_locale_language(char *out, size_t n, const char *locale);

/* The file of the manual page page(section) under mandir into out (n
 * bytes), in language lang when lang is not empty and mandir/lang has the
 * page, else in English: as installed (manSECTION/page.SECTION) or as in
 * the sources (page.SECTION).  1 when found; 0, out empty, when not. */
int sd_man_page(char *out, size_t n, const char *mandir, const char *lang, const char *page,
    const char *section);

#endif
