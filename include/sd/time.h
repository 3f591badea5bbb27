#ifndef SD_TIME_H
#define SD_TIME_H

#include <time.h>

/* RFC 3339 with a numeric offset: 2026-11-21T10:03:00-05:00 */
#define SD_TIME_MAX 32

/* Make zone (an IANA name such as America/Bogota) the zone every local
 * time in this process is read and written in.  SD_EINVALID if unknown. */
int sd_time_zone(const char *zone);

/* RFC 3339, or YYYY-MM-DD for midnight in the current zone. */
int sd_time_parse(time_t *out, const char *s);

/* t as RFC 3339 in the current zone. */
void sd_time_format(char out[SD_TIME_MAX], time_t t);

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
