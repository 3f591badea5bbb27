#ifndef SD_REPORT_INTERNAL_H
#define SD_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* The median and the 90th percentile of the n > 0 values v, nearest-rank
 * (the values at ranks ceil(0.5 n) and ceil(0.9 n), from 1), in out[0] and
 * out[1], as sd-report(1) defines them.  v may be reordered. */
void sd__report_ranks(int32_t out[2], int32_t *v, size_t n);

#endif
