/* Times: RFC 3339 read and written in a zone, the current time, durations. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/time.h"
#include "sd/zone.h"

static inline int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')   /* a NUL too: nothing read past it */
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
sd__days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* 1970-01-02 to 9999-12-30 in UTC, so that every time sd reads it can
 * also write, in any zone, and read back: the first and the last day are
 * left out, since the local date of their instants may fall outside. */
static int
in_range(time_t t)
{
	return t >= 86400 && t <= 253402300799LL - 86400;
}

int
sd_time_parse(time_t *out, const struct sd_zone *zone, const char *s)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
	const char *p;
	time_t t;

	/* sd's own form, YYYY-MM-DDTHH:MM:SS+HH:MM, at a glance; checked left
	 * to right, so that a short string stops at its NUL. */
#define D(i) ((unsigned)(s[i] - '0') <= 9)
#define V2(i) ((s[i] - '0') * 10 + (s[(i) + 1] - '0'))
	if (D(0) && D(1) && D(2) && D(3) && s[4] == '-' && D(5) && D(6) && s[7] == '-' &&
	    D(8) && D(9) && s[10] == 'T' && D(11) && D(12) && s[13] == ':' && D(14) &&
	    D(15) && s[16] == ':' && D(17) && D(18) && (s[19] == '+' || s[19] == '-') &&
	    D(20) && D(21) && s[22] == ':' && D(23) && D(24) && !s[25]) {
		y = V2(0) * 100 + V2(2);
		mo = V2(5);
		d = V2(8);
		h = V2(11);
		mi = V2(14);
		se = V2(17);
		sign = s[19] == '-' ? -1 : 1;
		oh = V2(20);
		om = V2(23);
		if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > sd__days_in_month(y, mo) ||
		    h > 23 || mi > 59 || se > 60 || oh > 23 || om > 59)
			goto bad;
		goto utc;
	}
#undef D
#undef V2
	/* Any other form, left to right as above. */
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || y < 1970 || mo < 1 || mo > 12 ||
	    d < 1 || d > sd__days_in_month(y, mo))
		goto bad;
	if (s[10] == '\0') {
		/* Midnight in the zone: the earlier instant when the clocks
		 * show it twice, an hour on when they skip it. */
		t = sd_zone_instant(zone, sd__days_from_civil(y, mo, d) * 86400LL);
		if (!in_range(t))
			goto bad;
		*out = t;
		return 0;
	}
	p = s + 10;
	if ((*p != 'T' && *p != 't' && *p != ' ') || digits(p + 1, 2, &h) || p[3] != ':' ||
	    digits(p + 4, 2, &mi) || p[6] != ':' || digits(p + 7, 2, &se) ||
	    h > 23 || mi > 59 || se > 60)
		goto bad;
	p += 9;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			goto bad;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			goto bad;
		p += 6;
	} else {
		goto bad;
	}
	if (*p)
		goto bad;
utc:
	/* UTC by arithmetic (days from the civil date), not timegm. */
	t = (time_t)sd__days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    (se > 59 ? 59 : se);
	t -= sign * (oh * 3600 + om * 60);
	if (!in_range(t))
		goto bad;
	*out = t;
	return 0;
bad:
	return sd_error_set(SD_EINVALID, _("'%s' is not an RFC 3339 time or a YYYY-MM-DD date"), s);
}

void
sd_time_format(char out[SD_TIME_MAX], const struct sd_zone *zone, time_t t)
{
	struct tm tm;
	long off;
	size_t n;

	sd_zone_local(zone, t, &tm);
	n = strftime(out, SD_TIME_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff;
	snprintf(out + n, SD_TIME_MAX - n, "%c%02ld:%02ld", off < 0 ? '-' : '+',
	    labs(off) / 3600, labs(off) % 3600 / 60);
}

int
sd_duration_parse(struct sd_duration *out, const char *s)
{
	long long n = 0;
	const char *p = s;
	int nd = 0;

	while (isdigit((unsigned char)*p) && nd < 6) {
		n = n * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || nd > 5)
		goto bad;
	if (!strcmp(p, "m")) { out->unit = SD_DUR_WALL; out->amount = n * 60; }
	else if (!strcmp(p, "h")) { out->unit = SD_DUR_WALL; out->amount = n * 3600; }
	else if (!strcmp(p, "d")) { out->unit = SD_DUR_WALL; out->amount = n * 86400; }
	else if (!strcmp(p, "bm")) { out->unit = SD_DUR_BUSINESS; out->amount = n * 60; }
	else if (!strcmp(p, "bh")) { out->unit = SD_DUR_BUSINESS; out->amount = n * 3600; }
	else if (!strcmp(p, "bd")) { out->unit = SD_DUR_BUSINESS_DAYS; out->amount = n; }
	else goto bad;
	return 0;
bad:
	return sd_error_set(SD_EINVALID,
	    _("'%s' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)"), s);
}
