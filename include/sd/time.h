#ifndef SD_TIME_H
#define SD_TIME_H

/* Times as sd writes them, RFC 3339 in the store's zone, parsed and
 * formatted, and durations such as 4h or 3bd (lib/time.c). */

#include <time.h>

#include "sd/zone.h"

/* RFC 3339 with a numeric offset: 2026-11-21T10:03:00-05:00 */
#define SD_TIME_MAX 32

/* RFC 3339, or YYYY-MM-DD for midnight in zone (NULL: UTC; the earlier
 * instant when its clocks show midnight twice, an hour on when they skip
 * it: sd_zone_instant).  No process zone (TZ) is used. */
int sd_time_parse(time_t *out, const struct sd_zone *zone, const char *s);

/* t as RFC 3339 in zone (NULL: UTC), with zone's offset at t. */
void sd_time_format(char out[SD_TIME_MAX], const struct sd_zone *zone, time_t t);

enum sd_duration_unit {
	SD_DUR_WALL,            /* m h d: elapsed seconds */
	SD_DUR_BUSINESS,        /* bm bh: business seconds */
	SD_DUR_BUSINESS_DAYS    /* bd: same local time, N business days on */
};

struct sd_duration {
	long long amount;       /* seconds, or days for SD_DUR_BUSINESS_DAYS */
	enum sd_duration_unit unit;
};

/* Nm Nh Nd Nbm Nbh Nbd, N a whole number 0..99999. */
int sd_duration_parse(struct sd_duration *out, const char *s);

#endif
