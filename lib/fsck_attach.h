#ifndef SD_FSCK_ATTACH_H
#define SD_FSCK_ATTACH_H

/*
 * sd-fsck's check of attachments (lib/fsck_attach.c): the files of
 * HEAD's attachments/ and the references of its tickets, told to fn as a
 * path and what is wrong with it, in time linear in their number.
 */

#include <stddef.h>

struct sd_ticket;
struct sd__fsck_attach;
typedef void (*sd__fsck_attach_fn)(const char *path, const char *message, void *arg);

int sd__fsck_attach_new(struct sd__fsck_attach **out);
void sd__fsck_attach_free(struct sd__fsck_attach *a);
/* A file of HEAD's tree under attachments/, its bytes: named by their
 * SHA-256, or told. */
void sd__fsck_attach_file(struct sd__fsck_attach *a, const char *path, const void *data,
    size_t len, sd__fsck_attach_fn fn, void *arg);
/* Ticket t, the file rel of HEAD's tree: its references kept. */
void sd__fsck_attach_ticket(struct sd__fsck_attach *a, const char *rel,
    const struct sd_ticket *t, sd__fsck_attach_fn fn, void *arg);
/* Once every file and ticket is in: each reference to a file missing or
 * of another size, each file no ticket references. */
int sd__fsck_attach_end(struct sd__fsck_attach *a, sd__fsck_attach_fn fn, void *arg);

#endif
