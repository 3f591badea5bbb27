#ifndef SD_SEARCH_H
#define SD_SEARCH_H

/* Finding a fixed string in a ticket's texts, whatever its case
 * (sd-list --grep, --requester; lib/search.c). */

#include <stddef.h>

#include "sd/ticket.h"

struct sd_search;

/* A search for pattern, a fixed string (no regular expression), matched
 * after Unicode case folding and NFC normalization of both sides, so "Á"
 * finds "á" and "ñ" finds "Ñ"; accents stay: "a" does not find "á".
 * SD_EUSAGE for an empty pattern, SD_EINVALID for one that is not valid
 * UTF-8. */
int sd_search_new(struct sd_search **out, const char *pattern);
void sd_search_free(struct sd_search *s);

/* 1 when the len bytes at text hold the pattern, 0 when not (invalid
 * UTF-8 is read as U+FFFD, never past len).  Safe on several threads. */
int sd_search_text(const struct sd_search *s, const char *text, size_t len);

/* 0 when a ticket file's raw bytes cannot hold a match in any text that
 * sd_search_ticket looks at, 1 when they may (then parse it in full and
 * ask sd_search_ticket).  Cheaper than a parse: for lists of many
 * tickets.  Safe on several threads. */
int sd_search_file_may(const struct sd_search *s, const char *data, size_t len);

/* 1 when the title, the description, the solution, the text of a note or
 * reply event or an escalation's provider_ref holds the pattern.  t must have been
 * parsed with SD_PARSE_FULL. */
int sd_search_ticket(const struct sd_search *s, const struct sd_ticket *t);

#endif
