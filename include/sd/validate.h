#ifndef SD_VALIDATE_H
#define SD_VALIDATE_H

#include <stddef.h>

#include "sd/field.h"

/* Checking values against SPEC section 4 and a store's configuration:
 * one field's value, a text, or a whole ticket.  The first problem comes
 * back as SD_EINVALID with its message. */

struct sd_config;
struct sd_ticket;

/* Check one value for field f (cfg may be NULL to skip look-ups). */
int sd_field_check(const struct sd_config *cfg, enum sd_field f, const char *value);
/* Check every field and event of t against cfg; the first problem. */
int sd_ticket_check(const struct sd_ticket *t, const struct sd_config *cfg);
/* The longest text (description, solution, note), in bytes: 1 MiB. */
#define SD_TEXT_MAX (1024 * 1024)

/* Check a text (description, solution, note): valid UTF-8, no NUL, 1 MiB. */
int sd_text_check(const char *text, size_t len);

#endif
