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

/* A provider's own case number (an escalation's provider_ref): one line
 * of 1 to SD_PROVIDER_REF_MAX bytes of UTF-8, no control character, no
 * space at either end. */
#define SD_PROVIDER_REF_MAX 100
int sd_provider_ref_check(const char *ref);

#endif
