#ifndef SD_TICKET_H
#define SD_TICKET_H

/* One ticket in memory and its file (sd-ticket(5)): fields, texts and
 * events, read, changed and written (lib/ticket.c). */

#include <stddef.h>

#include "sd/field.h"
/* sd_field_check, sd_ticket_check and sd_text_check, declared here before. */
#include "sd/validate.h"

/* One ticket: its [ticket] keys, its texts and its events. */
struct sd_ticket;

enum sd_text { SD_TEXT_DESCRIPTION, SD_TEXT_SOLUTION };

int sd_ticket_new(struct sd_ticket **out);
void sd_ticket_free(struct sd_ticket *t);

/* How much of a ticket file to read. */
enum {
	SD_PARSE_FULL = 0,      /* everything */
	SD_PARSE_HEAD = 1,      /* [ticket] alone (lists) */
	SD_PARSE_CLOCK = 2      /* [ticket], and of events what the SLA clocks
	                           read: at, by, action, from, to, group,
	                           superseded (reports) */
};

/* Parse a ticket file, the len bytes at data (no NUL needed after them);
 * path names it in messages (`path:line: what`).  SD_EINVALID when
 * malformed.  A file of the plain lines sd writes is read in one pass
 * into one allocation; any other goes through inih, with the same result. */
int sd_ticket_parse(struct sd_ticket **out, const char *data, size_t len,
    const char *path, int mode);
/* The status of a ticket file read at a glance, without parsing it: 1 and
 * the status in out when the file has the plain `status = WORD` line sd
 * writes in [ticket], 0 when it must be parsed to know.  For lists that
 * leave most tickets out by their status. */
int sd_ticket_peek_status(const char *data, size_t len, char out[32]);

/* The file's text, as sd writes it. */
int sd_ticket_format(char **out, size_t *len, const struct sd_ticket *t);

/* Never NULL: "" when empty. */
const char *sd_ticket_get(const struct sd_ticket *t, enum sd_field f);
int sd_ticket_set(struct sd_ticket *t, enum sd_field f, const char *value);
/* The field as a number; 0 when empty. */
long sd_ticket_number(const struct sd_ticket *t, enum sd_field f);
int sd_ticket_set_number(struct sd_ticket *t, enum sd_field f, long n);

const char *sd_ticket_text(const struct sd_ticket *t, enum sd_text which);
int sd_ticket_set_text(struct sd_ticket *t, enum sd_text which, const char *text);

/* Events, numbered from 0 here ([event 1] in the file). */
size_t sd_ticket_event_count(const struct sd_ticket *t);
/* Add an event with its at, by and action; its index in *index. */
int sd_ticket_event_add(struct sd_ticket *t, size_t *index, const char *at,
    const char *by, const char *action);
int sd_ticket_event_set(struct sd_ticket *t, size_t i, const char *key,
    const char *value);
/* NULL when the event has no such key. */
const char *sd_ticket_event_get(const struct sd_ticket *t, size_t i,
    const char *key);
/* The provider's own case number: the provider_ref of the latest
 * escalation that had one (to a provider group), kept after the ticket
 * comes back; NULL when none. */
const char *sd_ticket_provider_ref(const struct sd_ticket *t);
size_t sd_ticket_event_keys(const struct sd_ticket *t, size_t i);
const char *sd_ticket_event_key(const struct sd_ticket *t, size_t i, size_t k);
const char *sd_ticket_event_value(const struct sd_ticket *t, size_t i, size_t k);

#endif
