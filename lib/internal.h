#ifndef SD_INTERNAL_H
#define SD_INTERNAL_H

/* Helpers shared inside lib/ only. */

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>

#include "sd/error.h"

#define _(s) dgettext("sd", s)
#define N_(s) (s)

#define SD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A growable byte string, always NUL-terminated once anything is added. */
struct sd_buf {
	char *data;
	size_t len, cap;
	int failed;             /* an allocation failed: the contents are short */
};

#define SD_BUF_INIT { NULL, 0, 0, 0 }

void sd_buf__add(struct sd_buf *b, const void *p, size_t n);
void sd_buf__adds(struct sd_buf *b, const char *s);
void sd_buf__addc(struct sd_buf *b, char c);
void sd_buf__printf(struct sd_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sd_buf__free(struct sd_buf *b);
/* Room for more bytes (and a NUL) after len; -1 when out of memory. */
int sd_buf__reserve(struct sd_buf *b, size_t more);
/* Hand the string to the caller (never NULL unless failed); b is emptied. */
char *sd_buf__detach(struct sd_buf *b);
/* SD_EIO with "out of memory" when an append failed, else 0. */
int sd_buf__check(const struct sd_buf *b);

/* Are strings a and b the same?  Inline, a byte at a time: for the short
 * words of a ticket (statuses, event keys, times), where a call to strcmp
 * costs more than the comparing. */
static inline int
sd__streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Is s one of the words of set, a list that ends in NULL? */
static inline int
sd__word_in(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (sd__streq(s, *set))
			return 1;
	return 0;
}

char *sd__strdup(const char *s);
char *sd__strndup(const char *s, size_t n);
/* The length of the UTF-8 sequence that starts at s, by its lead byte,
 * within left octets (1 for a stray byte or one cut short). */
size_t sd__utf8_char_len(const unsigned char *s, size_t left);
/* The n octets at p as 2n lower-case hex digits and a NUL, in out. */
void sd__hex(char *out, const void *p, size_t n);

/* FNV-1a (64 bits) of the n bytes at p, going on from h: SD_FNV1A_INIT
 * to begin.  A checksum of the machine's own files, never a defence. */
#define SD_FNV1A_INIT 0xcbf29ce484222325ull
uint64_t sd__fnv1a(const void *p, size_t n, uint64_t h);

/* Are the n bytes at s lower-case hex digits, as sd__hex writes them? */
int sd__is_hex(const char *s, size_t n);
int sd__oom(void);
/* SD_EIO with libgit2's last message, after what (lib/error.c). */
int sd__git_error(const char *what);

/* Whole-file I/O. */
int sd__read_file(char **out, size_t *len, const char *path);
/* The same, or of fd up to its end, at most max bytes: a longer one is
 * SD_EINVALID ("NAME: longer than MAX bytes"), never read further. */
int sd__read_file_max(char **out, size_t *len, const char *path, size_t max);
int sd__read_fd_max(char **out, size_t *len, int fd, const char *name, size_t max);
/* root/rel, malloc'd (NULL when out of memory). */
char *sd__path(const char *root, const char *rel);

/* lib/files.c, under a root directory (a store's), every directory on
 * the way opened without following a symbolic link, a link or special
 * file in the way SD_EINVALID.  Flags: SD_FILES_SHARED, directories made
 * setgid and files written group-writable; SD_FILES_REPLACE, what stands
 * where a file goes is replaced (a repair); SD_FILES_PRIVATE, the file
 * keeps its mode even when shared (what holds or carries a secret). */
enum { SD_FILES_SHARED = 1, SD_FILES_REPLACE = 2, SD_FILES_PRIVATE = 4 };
/* The directory of rel's first n characters, opened (and made, with
 * create) in *fd: 0, or 1 when it is missing. */
int sd__root_dir(const char *root, int flags, const char *rel, size_t n, int create, int *fd);
/* rel written whole: an exclusive temporary file in root's .git/sd-tmp
 * renamed into place. */
int sd__root_write(const char *root, int flags, const char *rel, const void *data, size_t len,
    int mode);
/* Many files written at once (a whole tree checked out), each as
 * sd__root_write writes it but none flushed on its own: sd__bulk_end
 * makes them all durable with one syncfs(2) (sd__bulk_free abandons). */
struct sd__bulk;
int sd__bulk_begin(struct sd__bulk **out, const char *root, int flags);
int sd__bulk_write(struct sd__bulk *b, const char *rel, const void *data, size_t len,
    int mode);
int sd__bulk_end(struct sd__bulk *b);
void sd__bulk_free(struct sd__bulk *b);
/* rel removed (is_dir: the directory, if empty); gone already is done. */
int sd__root_remove(const char *root, const char *rel, int is_dir);
/* Under the store's lock: the temporary files a killed writer left. */
int sd__root_clear_temp(const char *root);
/* rel read whole, a regular file only. */
int sd__root_read(const char *root, const char *rel, char **out, size_t *len);
/* lib/files.c: name in the directory dir written whole, through an
 * exclusive temporary file of an unguessable name renamed into place;
 * SD_EINVALID when a symbolic link or special file stands there, unless
 * replace (a repair): then it is replaced, still never written through. */
int sd__write_at(int dir, const char *name, const char *shown, const void *data, size_t len,
    int mode, int replace);
/* name in the directory dir, looked at without following it: 0 when it
 * is a directory (want_dir) or a regular file, 1 when it is missing,
 * SD_EINVALID naming shown when it is anything else. */
int sd__kind_at(int dir, const char *name, const char *shown, int want_dir);
/* Read a regular file whole, never following a final symbolic link nor
 * waiting on a FIFO: anything else than a regular file is SD_EINVALID. */
int sd__read_regular(char **out, size_t *len, const char *path);
int sd__read_regular_at(int dir, const char *name, const char *shown, char **out, size_t *len);

/* UTF-8 without NUL, for n bytes. */
int sd__utf8_valid(const char *s, size_t n);
/* lib/validate.c: a Message-ID sd writes back in headers, without <>:
 * 1 to SD__MSGID_MAX bytes of printable ASCII, no blank, '<' or '>'. */
#define SD__MSGID_MAX 250
int sd__msgid_ok(const char *s);
/* lib/config.c: an email address sd writes in headers: local@domain of
 * printable ASCII, at most 254 bytes, one '@', a '.' in the domain but
 * not at either end of it, no blank or any of <>()[]\,;:". */
int sd__email_ok(const char *s);
/* lib/ticket.c: an event key whose value is lines, one key line each
 * ("text", "attachment"). */
int sd__event_lines(const char *key, size_t n);

/* Split a comma-separated config list: trimmed, empty items dropped. */
int sd__split_list(char ***out, size_t *n, const char *s, char sep);
void sd__free_list(char **v, size_t n);

/* The days of month m (1..12) of year y. */
int sd__days_in_month(int y, int m);

/* The keys of [ticket] in order (lib/field.c): each one's name, the
 * name's length and what the key holds.  For the reader of ticket files,
 * which matches names a few bytes at a time; elsewhere sd/field.h. */
struct sd__field {
	const char *name;
	size_t len;             /* of name */
	int kind;               /* an enum sd_kind */
};
extern const struct sd__field sd__fields[];

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian;
 * lib/zone.c). */
long long sd__days_from_civil(long long y, int m, int d);
void sd__civil_from_days(long long dn, long long *y, int *m, int *d);

struct sd_ticket;
struct sd_config;
struct sd_agent;
/* Relate t to the space-separated ids it lacks, as agent at time at: 1
 * when it gained any.  A ticket that is not final also gets a link event
 * and a new `updated`; a final one gains `related` and nothing else. */
int sd__link_into(struct sd_ticket *t, const char *ids, const struct sd_config *cfg,
    const struct sd_agent *agent, const char *at);

#endif
