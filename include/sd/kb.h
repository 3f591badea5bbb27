#ifndef SD_KB_H
#define SD_KB_H

#include <stddef.h>

#include "sd/config.h"
#include "sd/filter.h"
#include "sd/store.h"

/*
 * The knowledge base (sd-ticket(5), FILES): one article a file,
 * kb/KB-N.txt, written by sd-kb through the store's commits (action kb).
 * An article is five header lines, `key = value` in this order (a key
 * with no value is `key =`), a blank line and its text:
 *
 *	id = KB-3
 *	title = The printer says "toner low"
 *	category = hardware
 *	updated_by = ana
 *	updated_at = 2026-12-07T09:00:00-05:00
 *
 *	Open the front cover ...
 *
 * The text is not empty and ends with a newline; nothing else is an
 * article (sd-fsck --commits refuses any other shape).
 */

#define SD_KB_ID_MAX 16         /* "KB-999999999" and a NUL */
#define SD_KB_PATH_MAX 32       /* "kb/KB-999999999.txt" */
#define SD_KB_TITLE_MAX 200     /* bytes */

struct sd_kb_article {
	long n;
	char id[SD_KB_ID_MAX];
	char *title, *category, *updated_by, *updated_at, *text;
};

/* "KB-N" (any case) or N, N 1..999999999 without leading zeros:
 * SD_EUSAGE when arg is neither. */
int sd_kb_id_parse(long *n, const char *arg);
void sd_kb_id_format(char out[SD_KB_ID_MAX], long n);
void sd_kb_path(char out[SD_KB_PATH_MAX], long n);
/* The number of the article at path (kb/KB-N.txt); SD_EINVALID, naming
 * path, for any other path. */
int sd_kb_path_parse(const char *path, long *n);

/* A title: one line of UTF-8, 1..SD_KB_TITLE_MAX bytes, no control or
 * bidirectional character, no space at either end. */
int sd_kb_title_check(const char *title);
/* A category: empty, or one of cfg's (catalogue). */
int sd_kb_category_check(const struct sd_config *cfg, const char *category);

/* Read an article in exactly the shape sd_kb_format writes; SD_EINVALID
 * with "path:line: what" otherwise. */
int sd_kb_parse(struct sd_kb_article *a, const char *data, size_t len, const char *path);
int sd_kb_format(char **out, size_t *len, const struct sd_kb_article *a);
void sd_kb_free(struct sd_kb_article *a);

/* Does pattern occur in the article's title or text, ignoring case
 * (ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters), never
 * inside a character? */
int sd_kb_match(const struct sd_kb_article *a, const char *pattern);

/* Article n of HEAD; SD_ENOTFOUND when there is none. */
int sd_kb_load(struct sd_store *s, struct sd_kb_article *a, long n);
/* Call fn for every article of HEAD, by number; fn returns 0 to go on. */
typedef int (*sd_kb_each_fn)(const struct sd_kb_article *a, void *arg);
int sd_kb_each(struct sd_store *s, sd_kb_each_fn fn, void *arg);

/* Write a new article as agent, in one commit (action kb); its id in id. */
int sd_kb_new(struct sd_store *s, const struct sd_agent *agent, const char *title,
    const char *category, const char *text, char id[SD_KB_ID_MAX]);
/* Article n edited: data is the whole article as the editor left it; its
 * title, category and text are taken, its id must stay, updated_by and
 * updated_at are the change's.  Returns 1, and commits nothing, when
 * title, category and text are unchanged. */
int sd_kb_edit(struct sd_store *s, const struct sd_agent *agent, long n,
    const char *data, size_t len);

/* The articles generated from the configuration, never stored:
 * "catalogue" (categories and the groups of each level), "priority" (the
 * urgency x impact matrix and the targets of each priority) and
 * "escalation" (each category's groups by level, with their agents).
 * SD_ENOTFOUND for another name. */
int sd_kb_generated(char **out, const struct sd_config *cfg, const char *name);
int sd_kb_is_generated(const char *name);

/* Reuse (sd-report --kb): for every article of HEAD, by number, how many
 * tickets that filter f keeps (NULL: all) were solved with it, a ticket
 * counted once however often it was.  bad hears of each ticket file that
 * does not parse (path:line: what); the count goes on without it. */
struct sd_kb_reuse {
	char id[SD_KB_ID_MAX];
	char *title;
	long tickets;
};
int sd_kb_reuse(struct sd_store *s, const struct sd_filter *f, struct sd_kb_reuse **out,
    size_t *n, void (*bad)(const char *message, void *arg), void *arg);
void sd_kb_reuse_free(struct sd_kb_reuse *v, size_t n);

#endif
