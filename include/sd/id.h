#ifndef SD_ID_H
#define SD_ID_H

/* Ticket ids: PREFIX-N, N from 1 without leading zeros (SPEC section 2). */

#define SD_ID_MAX 32
#define SD_ID_DIGITS 15

/* Accept "SD-42", "sd-42" or "42" for prefix "SD".  SD_EINVALID otherwise,
 * with "invalid ticket id". */
int sd_id_parse(long *out, const char *prefix, const char *s);
void sd_id_format(char out[SD_ID_MAX], const char *prefix, long n);
/* tickets/NNN/PREFIX-N.ini, NNN = N / 1000 zero-padded to 3 digits. */
int sd_id_path(char **out, const char *prefix, long n);
/* The shard directory name of n: "042". */
void sd_id_shard(char out[SD_ID_MAX], long n);

#endif
