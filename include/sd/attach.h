#ifndef SD_ATTACH_H
#define SD_ATTACH_H

#include <stddef.h>

/*
 * Attachments (sd-ticket(5), ATTACHMENTS): files kept in the store's tree
 * by the SHA-256 of their bytes, attachments/XX/HEX (XX the first two of
 * HEX's 64 lower-case hex digits), and referenced from the event that
 * brought them by one `attachment` line each:
 *
 *	attachment = sha256:HEX SIZE TYPE NAME
 *
 * SIZE the bytes in decimal, TYPE a MIME type (type/subtype, RFC 2045
 * token characters), NAME the rest of the line: UTF-8 without control
 * characters, 1 to 255 bytes.  The same bytes attached twice are one file.
 */

struct sd_ticket;

#define SD_ATTACH_HEX 64
#define SD_ATTACH_PATH_MAX (sizeof("attachments/xx/") + SD_ATTACH_HEX)
#define SD_ATTACH_NAME_MAX 255
#define SD_ATTACH_TYPE_MAX 127
/* The [attachments] limits of sd.ini: per attachment, and in all of one
 * ticket's events. */
#define SD_ATTACH_SIZE_DEFAULT (10UL * 1024 * 1024)
#define SD_ATTACH_TICKET_DEFAULT (50UL * 1024 * 1024)
#define SD_ATTACH_SIZE_MAX (1024UL * 1024 * 1024)

/* One reference.  name and type point into the caller's storage (a
 * parsed line's), or are the caller's. */
struct sd_attachment {
	char hex[SD_ATTACH_HEX + 1];
	size_t size;
	const char *type;
	const char *name;
};

/* A file to attach (sd-attach, sd-mail): its bytes are the caller's; hex
 * is filled in by libsd as it takes it. */
struct sd_attach_file {
	const char *name;
	const char *type;
	const void *data;
	size_t len;
	char hex[SD_ATTACH_HEX + 1];
};

/* May a ticket whose attachments hold `have` bytes take one more of size
 * bytes, named name, within sd.ini's [attachments] limits (cfg)?  0, or
 * SD_EINVALID: "NAME: 12 MiB, over the 10 MiB limit of an attachment
 * ([attachments] max_size)", or of the ticket's. */
struct sd_config;
int sd_attach_fits(const struct sd_config *cfg, unsigned long long have, size_t size,
    const char *name);

/* n bytes in words for people: "512 bytes", "3.4 KiB", "12 MiB". */
#define SD_ATTACH_SIZE_WORDS 32
void sd_attach_size_words(char out[SD_ATTACH_SIZE_WORDS], unsigned long long n);

/* The SHA-256 of data, in 64 lower-case hex digits and a NUL. */
void sd_attach_sha256(char hex[SD_ATTACH_HEX + 1], const void *data, size_t len);

/* attachments/XX/HEX for hex. */
void sd_attach_path(char out[SD_ATTACH_PATH_MAX], const char *hex);

/* Is path "attachments/XX/HEX", HEX 64 lower-case hex digits and XX its
 * first two?  0 and HEX in hex (may be NULL), else SD_EINVALID naming
 * what is wrong (without the path). */
int sd_attach_path_parse(const char *path, char *hex);

/* Do data's bytes belong at path (sd_attach_path of their SHA-256)?  0,
 * or SD_EINVALID naming the path. */
int sd_attach_check(const char *path, const void *data, size_t len);

/* A name and a type as a reference may hold them: 0, or SD_EINVALID. */
int sd_attach_name_check(const char *name);
int sd_attach_type_check(const char *type);

/* The type for a file name's extension from a small table (pdf, png, jpg,
 * txt, ...), else application/octet-stream. */
const char *sd_attach_type_guess(const char *name);

/* One reference as its line's value (no key, no newline), malloc'd. */
int sd_attach_format(char **out, const struct sd_attachment *a);

/* Parse one line's value (len bytes): a->name and a->type are copied
 * into buf (len + 2 bytes, the caller's).  SD_EINVALID saying what is
 * wrong. */
int sd_attach_parse(struct sd_attachment *a, char *buf, const char *line, size_t len);

/* Check every line of an event's attachment value: 0 or SD_EINVALID. */
int sd_attach_value_check(const char *value);

/* Every reference of ticket t, in the order of its events; v[i].name and
 * type point into storage that sd_attach_list_free frees with v; the
 * event (from 0) of each in ev (may be NULL).  Malformed lines are
 * SD_EINVALID. */
struct sd_attach_list {
	struct sd_attachment *v;
	size_t *ev;
	size_t n;
	char *text;
};
int sd_attach_list(struct sd_attach_list *out, const struct sd_ticket *t);
void sd_attach_list_free(struct sd_attach_list *l);

/* The bytes of reference a from HEAD's tree (malloc'd, *len of them and
 * a NUL after them):
 * SD_EINVALID when the store lacks them or they are not a's size and
 * digest. */
struct sd_store;
int sd_store_attachment(struct sd_store *s, const struct sd_attachment *a, char **out,
    size_t *len);

/* The bytes of t's references in all. */
unsigned long long sd_attach_total(const struct sd_attach_list *l);

#endif
