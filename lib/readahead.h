#ifndef SD_READAHEAD_H
#define SD_READAHEAD_H

#include <stddef.h>

/* Files read ahead on a thread of their own, handed over in order
 * (lib/readahead.c).  Inside lib/ only. */
struct sd__readahead;

/* Start reading the n files of paths (which must outlive the reading). */
int sd__readahead_start(struct sd__readahead **out, char *const *paths, size_t n);

/* The next file, in the order of paths, as sd__read_file gives it: 0 and
 * the data (the caller's, to free), or its error code with the message. */
int sd__readahead_next(struct sd__readahead *ra, char **data, size_t *len);

/* Stop reading and free what was not taken. */
void sd__readahead_end(struct sd__readahead *ra);

#endif
