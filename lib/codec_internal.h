#ifndef SD_CODEC_INTERNAL_H
#define SD_CODEC_INTERNAL_H

/* The codec of values in ticket files, as lib/ticket.c and lib/codec.c
 * share it: encoding a value into lines and decoding its chunks. */

#include "internal.h"

/* Append the encoded lines of one value to b. */
void sd_codec__put(struct sd_buf *b, const char *key, const char *value,
    size_t len, int multiline);
/* The bytes one chunk (a value as written after `key = `, n bytes) stands
 * for, into dst, which has room for n: never more.  Their number, or
 * SD_EINVALID with a message when the chunk is malformed. */
long sd_codec__decode(char *dst, const char *chunk, size_t n);
/* Append the bytes one chunk stands for to b; SD_EINVALID when malformed. */
int sd_codec__take(struct sd_buf *b, const char *chunk);

#endif
