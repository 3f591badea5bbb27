#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/calendar.h"

#define MAX_RANGES 8
/* How far a search for business time may go before the calendar is
 * deemed closed for good: fifty years of days. */
#define MAX_DAYS (366 * 50)

struct range {
	int open, close;        /* minutes from local midnight, close <= 1440 */
};

struct sd_calendar {
	struct range week[7][MAX_RANGES];
	int nranges[7];
	int *holidays;          /* YYYYMMDD, sorted */
	size_t nholidays;
};

struct day {
	int y, m, d, wday;
};

int
sd_calendar_new(struct sd_calendar **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return sd__oom();
	return 0;
}

void
sd_calendar_free(struct sd_calendar *cal)
{
	if (!cal)
		return;
	free(cal->holidays);
	free(cal);
}

static int
parse_hhmm(const char **pp, int *out)
{
	const char *p = *pp;
	int h, m;

	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':' ||
	    !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]))
		return -1;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[3] - '0') * 10 + (p[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	*out = h * 60 + m;
	*pp = p + 5;
	return 0;
}

int
sd_calendar_set_day(struct sd_calendar *cal, int wday, const char *spec)
{
	struct range ranges[MAX_RANGES];
	const char *p = spec;
	int n = 0, last = -1;

	if (wday < 0 || wday > 6)
		return sd_error_set(SD_EINVALID, _("%d is not a weekday (0 to 6)"), wday);
	/* Into a copy: a bad spec leaves the day as it was. */
	while (*p) {
		struct range r;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (parse_hhmm(&p, &r.open) || *p++ != '-' || parse_hhmm(&p, &r.close))
			goto bad;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && *p++ != ',')
			goto bad;
		if (r.close <= r.open || r.open < last || n == MAX_RANGES)
			goto bad;
		last = r.close;
		ranges[n++] = r;
	}
	memcpy(cal->week[wday], ranges, (size_t)n * sizeof(*ranges));
	cal->nranges[wday] = n;
	return 0;
bad:
	return sd_error_set(SD_EINVALID,
	    _("'%s' is not a list of HH:MM-HH:MM ranges in order"), spec);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
sd_calendar_add_holiday(struct sd_calendar *cal, const char *date)
{
	int y, m, d, *v;

	/* Digits where digits go: sscanf alone takes signs and spaces. */
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? date[i] != '-' : !isdigit((unsigned char)date[i]))
			goto bad;
	if (date[10])
		goto bad;
	y = atoi(date);
	m = atoi(date + 5);
	d = atoi(date + 8);
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		goto bad;
	if (!(v = realloc(cal->holidays, (cal->nholidays + 1) * sizeof(*v))))
		return sd__oom();
	cal->holidays = v;
	v[cal->nholidays++] = y * 10000 + m * 100 + d;
	qsort(v, cal->nholidays, sizeof(*v), cmp_int);
	return 0;
bad:
	return sd_error_set(SD_EINVALID, _("'%s' is not a YYYY-MM-DD date"), date);
}

int
sd_calendar_is_open(const struct sd_calendar *cal)
{
	for (int i = 0; i < 7; i++)
		if (cal->nranges[i])
			return 1;
	return 0;
}

static struct day
day_of(time_t t)
{
	struct tm tm;
	struct day d;

	localtime_r(&t, &tm);
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	d.wday = tm.tm_wday;
	return d;
}

/* The instant of local time minutes (plus seconds) on day; mktime copes
 * with 24:00 and, across a daylight-saving change, picks the real instant. */
static time_t
at(const struct day *d, int minutes, int seconds)
{
	struct tm tm = { 0 };

	tm.tm_year = d->y - 1900;
	tm.tm_mon = d->m - 1;
	tm.tm_mday = d->d;
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	tm.tm_sec = seconds;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static struct day
next_day(const struct day *d)
{
	struct tm tm = { 0 };

	tm.tm_year = d->y - 1900;
	tm.tm_mon = d->m - 1;
	tm.tm_mday = d->d + 1;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	return day_of(mktime(&tm));
}

static int
is_business_day(const struct sd_calendar *cal, const struct day *d)
{
	int key = d->y * 10000 + d->m * 100 + d->d;

	if (!cal->nranges[d->wday])
		return 0;
	/* No holidays is a NULL array, which bsearch may not be given. */
	return !cal->nholidays ||
	    !bsearch(&key, cal->holidays, cal->nholidays, sizeof(int), cmp_int);
}

/* The first instant from t at which secs business seconds have passed. */
static int
add_business(time_t *out, const struct sd_calendar *cal, time_t t, long long secs)
{
	struct day d = day_of(t);

	for (int i = 0; i < MAX_DAYS; i++, d = next_day(&d)) {
		if (!is_business_day(cal, &d))
			continue;
		for (int r = 0; r < cal->nranges[d.wday]; r++) {
			time_t ro = at(&d, cal->week[d.wday][r].open, 0);
			time_t rc = at(&d, cal->week[d.wday][r].close, 0);
			time_t s = t > ro ? t : ro;

			if (rc <= t)
				continue;
			if (secs <= rc - s) {
				*out = s + secs;
				return 0;
			}
			secs -= rc - s;
		}
	}
	return sd_error_set(SD_EINVALID, "%s", _("the calendar has no business hours ahead"));
}

long long
sd_calendar_between(const struct sd_calendar *cal, time_t a, time_t b)
{
	long long sum = 0;
	struct day d = day_of(a);

	if (b <= a)
		return 0;
	for (int i = 0; i < MAX_DAYS; i++, d = next_day(&d)) {
		if (at(&d, 0, 0) >= b)
			break;
		if (!is_business_day(cal, &d))
			continue;
		for (int r = 0; r < cal->nranges[d.wday]; r++) {
			time_t ro = at(&d, cal->week[d.wday][r].open, 0);
			time_t rc = at(&d, cal->week[d.wday][r].close, 0);
			time_t s = a > ro ? a : ro, e = b < rc ? b : rc;

			if (e > s)
				sum += e - s;
		}
	}
	return sum;
}

int
sd_calendar_add(time_t *out, const struct sd_calendar *cal, time_t t,
    const struct sd_duration *dur)
{
	struct tm tm;
	struct day d;
	time_t start, target;
	int rc;

	switch (dur->unit) {
	case SD_DUR_WALL:
		*out = t + dur->amount;
		return 0;
	case SD_DUR_BUSINESS:
		return add_business(out, cal, t, dur->amount);
	case SD_DUR_BUSINESS_DAYS:
		break;
	}
	if (dur->amount == 0) {
		*out = t;
		return 0;
	}
	/* From the next opening when t is outside business hours, the same
	 * local time N business days on; then back to the first instant with
	 * that much business time behind it, so that a target that runs out at
	 * a closing time is that closing time, not the next opening. */
	if ((rc = add_business(&start, cal, t, 0)) < 0)
		return rc;
	localtime_r(&start, &tm);
	d = day_of(start);
	for (long long k = 0; k < dur->amount;) {
		d = next_day(&d);
		if (d.y > tm.tm_year + 1900 + 60)
			return sd_error_set(SD_EINVALID, "%s", _("the calendar has no business hours ahead"));
		if (is_business_day(cal, &d))
			k++;
	}
	target = at(&d, tm.tm_hour * 60 + tm.tm_min, tm.tm_sec);
	return add_business(out, cal, t, sd_calendar_between(cal, t, target));
}

int
sd_calendar_span(long long *out, const struct sd_calendar *cal, time_t t,
    const struct sd_duration *d)
{
	time_t end;
	int rc;

	if (d->unit != SD_DUR_BUSINESS_DAYS) {
		*out = d->amount;
		return 0;
	}
	if ((rc = sd_calendar_add(&end, cal, t, d)) < 0)
		return rc;
	*out = sd_calendar_between(cal, t, end);
	return 0;
}
