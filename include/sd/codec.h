#ifndef SD_CODEC_H
#define SD_CODEC_H

#include <stddef.h>

/*
 * The value encoding of ticket files (sd-ticket(5)).
 *
 * A value is written as `key = CHUNK` lines.  Text with newlines is one
 * `key = ` line per line of text; a line longer than a chunk goes on in
 * `key+ = ` lines.  A chunk is written as it is when it is plain: under
 * SD_CODEC_PLAIN_MAX bytes, no control character, no space before a `;`,
 * no space at either end, not starting with `"`, `;` or `#`.  Any other
 * chunk is quoted: `"` ... `"`, with `\\`, `\;` (a `;` after a space),
 * `\t`, `\r` and `\xHH` (other control bytes) inside.  No output line is
 * longer than SD_CODEC_LINE_MAX bytes, so inih's 200-byte line buffer,
 * its comments and its white-space stripping never touch the data.
 */

#define SD_CODEC_PLAIN_MAX 150
#define SD_CODEC_CHUNK_MAX 160
#define SD_CODEC_LINE_MAX 190

/* Append the lines for key = value[0..len) to *out (a malloc'd string that
 * grows; *out may be NULL).  multiline: newlines start new `key` lines;
 * otherwise they are escaped too (a value that must stay on one key). */
int sd_codec_encode(char **out, size_t *outlen, const char *key,
    const char *value, size_t len, int multiline);

/* Decode one chunk, as inih hands it over, appending its bytes to *out. */
int sd_codec_decode_chunk(char **out, size_t *outlen, const char *chunk);

/* Nonzero when value[0..len) would be written as it is on one line. */
int sd_codec_is_plain(const char *value, size_t len);

#endif
