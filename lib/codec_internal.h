#ifndef SD_CODEC_INTERNAL_H
#define SD_CODEC_INTERNAL_H

#include "internal.h"

/* Append the encoded lines of one value to b. */
void sd_codec__put(struct sd_buf *b, const char *key, const char *value,
    size_t len, int multiline);
/* Append the bytes one chunk stands for to b; SD_EINVALID when malformed. */
int sd_codec__take(struct sd_buf *b, const char *chunk);

#endif
