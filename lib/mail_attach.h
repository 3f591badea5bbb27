#ifndef SD_MAIL_ATTACH_H
#define SD_MAIL_ATTACH_H

/*
 * The attachments of a mail that sd-mail keeps (lib/mail_attach.c): each
 * named and typed as a reference may hold it, within sd.ini's
 * [attachments] limits; those left out are told in the event's text, in
 * English, as every word sd-mail writes into a ticket.
 */

#include "internal.h"
#include "sd/mail.h"

/* The attachments of m that fit the limits of cfg, counted from none, in
 * d->files (their bytes m's); a line "- NAME (TYPE, SIZE) left out: why"
 * for each other one added to left. */
int sd__mail_attach_pick(struct sd_mail_draft *d, const struct sd_mail *m,
    const struct sd_config *cfg, struct sd_buf *left);

/* For ticket n of s: of d's files, those its attachments leave room for,
 * in *files (malloc'd; *nfiles of them); *text NULL when all fit, else
 * d's text with the others told (malloc'd). */
int sd__mail_attach_fit(struct sd_store *s, long n, const struct sd_mail_draft *d,
    struct sd_attach_file **files, size_t *nfiles, char **text);

#endif
