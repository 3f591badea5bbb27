#ifndef SD_INI_INTERNAL_H
#define SD_INI_INTERNAL_H

#include "internal.h"

/* The longest line inih reads whole: its 200-byte buffer less \r \n \0. */
#define SD_INI_LINE_MAX 197

/* Return nonzero to go on; zero after sd_error_set() to refuse the line.
 * Each [section] line comes first as a call with name and value NULL. */
typedef int (*sd_ini_handler)(void *user, const char *section,
    const char *name, const char *value, int lineno);

/* Parse data as INI through inih; errors are `path:line: what`, with code. */
int sd__ini_parse(const char *data, size_t len, const char *path, int code,
    sd_ini_handler handler, void *user);

/* Is the line p (n bytes, no \n) a plain `key = value` pair, one that
 * sd__ini_parse reads without inih?  The key of letters, digits and
 * `_ . + -`, spaces, `=`, spaces, the value: not ending in a space, no `;`
 * after a space (inih's inline comment), no control character, the line
 * not longer than SD_INI_LINE_MAX.  If so, the key's length in *key and
 * where the value starts in *value. */
int sd__ini_pair(const char *p, size_t n, size_t *key, size_t *value);

/* What the bytes of a line hold, for sd__ini_pair_flags. */
enum { SD_INI_CONTROL = 1, SD_INI_SEMI = 2, SD_INI_HIGH = 4 };
/* The end of the line that starts at p: its \n, or end; in *flags what
 * its bytes hold: SD_INI_CONTROL a control character (a CR, a tab...),
 * SD_INI_SEMI a `;`, SD_INI_HIGH a byte of 0x80 or more. */
const char *sd__ini_line(const char *p, const char *end, int *flags);
/* sd__ini_pair for a line (no \n) whose flags sd__ini_line gave. */
int sd__ini_pair_flags(const char *p, size_t n, int flags, size_t *key, size_t *value);

/* Is every line of data plain, read by sd__ini_parse without inih? */
int sd__ini_plain(const char *data, size_t len);

/* Nonzero: every file through inih, none read as plain lines (tests). */
extern int sd__ini_inih_only;

#endif
