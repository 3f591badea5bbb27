/* Business hours: adding and measuring business time in a zone. */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sla_internal.h"
#include "sd/calendar.h"

#define MAX_RANGES 8
/* How far a search for business time may go before the calendar is
 * deemed closed for good: fifty years of days. */
#define MAX_DAYS (366 * 50)

struct range {
	int open, close;        /* minutes from local midnight, close <= 1440 */
};

struct day {
	long dn;                /* days since 1970-01-01 */
	int y, m, d, wday;
};

/* What a day's local midnight is, worked out once: most days are 24
 * hours long, and then a local time on them is midnight plus minutes, with
 * no look at the zone. */
struct dayinfo {
	struct day day;         /* the day itself, once filled */
	time_t midnight;
	int uniform;            /* 24 hours long: no change of UTC offset */
	int business;           /* is_business_day, once filled */
	int filled;
	long long before;       /* business seconds of the days from sum_lo to
	                         * this one, for nsummed days from sum_lo */
	int have_midnight;      /* midnight is known, filled or not */
};

struct sd_calendar {
	struct range week[7][MAX_RANGES];
	int nranges[7];
	int *holidays;          /* YYYYMMDD; sorted, no two alike, unless unsorted */
	size_t nholidays, holidays_room;
	int unsorted;           /* holidays added out of order since the last settle() */
	const struct sd_zone *zone;     /* borrowed; NULL: UTC */
	/* The days looked at so far, from day number lo, in that zone; a
	 * cache that answers never depend on. */
	struct dayinfo *days;
	long lo;
	size_t ndays;
	long sum_lo;            /* the day the running sums start from */
	size_t nsummed;         /* days from sum_lo whose `before` is known */
	long guess;             /* the UTC offset day_at guesses first */
};

int
sd_calendar_new(struct sd_calendar **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return sd__oom();
	return 0;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The holidays sorted and each once: one sort for all of them, however
 * many were added (a sort per holiday made 10 000 of them cost seconds). */
static void
settle(struct sd_calendar *cal)
{
	size_t n = 0;

	if (!cal->unsorted)
		return;
	qsort(cal->holidays, cal->nholidays, sizeof(*cal->holidays), cmp_int);
	for (size_t i = 0; i < cal->nholidays; i++)
		if (!n || cal->holidays[n - 1] != cal->holidays[i])
			cal->holidays[n++] = cal->holidays[i];
	cal->nholidays = n;
	cal->unsorted = 0;
}

int
sd__calendar_copy(struct sd_calendar **out, const struct sd_calendar *cal)
{
	struct sd_calendar *c = malloc(sizeof(*c));

	*out = NULL;
	if (!c)
		return sd__oom();
	*c = *cal;
	/* The rules; the cache starts empty. */
	c->days = NULL;
	c->ndays = 0;
	c->nsummed = 0;
	c->holidays = NULL;
	c->holidays_room = cal->nholidays;
	if (cal->nholidays) {
		if (!(c->holidays = malloc(cal->nholidays * sizeof(*c->holidays)))) {
			free(c);
			return sd__oom();
		}
		memcpy(c->holidays, cal->holidays, cal->nholidays * sizeof(*c->holidays));
	}
	settle(c);
	*out = c;
	return 0;
}

void
sd_calendar_free(struct sd_calendar *cal)
{
	if (!cal)
		return;
	free(cal->holidays);
	free(cal->days);
	free(cal);
}

/* Empty the days' cache: the rules it was filled by have changed. */
static void
forget_days(struct sd_calendar *cal)
{
	free(cal->days);
	cal->days = NULL;
	cal->ndays = 0;
	cal->nsummed = 0;
}

void
sd_calendar_set_zone(struct sd_calendar *cal, const struct sd_zone *zone)
{
	cal->zone = zone;
	forget_days(cal);               /* every day's midnight changes */
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
	forget_days(cal);               /* which days are business days changes */
	return 0;
bad:
	return sd_error_set(SD_EINVALID,
	    _("'%s' is not a list of HH:MM-HH:MM ranges in order"), spec);
}

int
sd_calendar_add_holiday(struct sd_calendar *cal, const char *date)
{
	int y, m, d, key, *v;

	/* Digits where digits go: sscanf alone takes signs and spaces. */
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? date[i] != '-' : !isdigit((unsigned char)date[i]))
			goto bad;
	if (date[10])
		goto bad;
	y = atoi(date);
	m = atoi(date + 5);
	d = atoi(date + 8);
	if (m < 1 || m > 12 || d < 1 || d > sd__days_in_month(y, m))
		goto bad;
	if (cal->nholidays == cal->holidays_room) {
		size_t room = cal->holidays_room ? 2 * cal->holidays_room : 16;

		if (!(v = realloc(cal->holidays, room * sizeof(*v))))
			return sd__oom();
		cal->holidays = v;
		cal->holidays_room = room;
	}
	v = cal->holidays;
	/* Kept in order while they come in order; else sorted once, on the
	 * first question about a day. */
	key = y * 10000 + m * 100 + d;
	if (cal->nholidays && v[cal->nholidays - 1] >= key)
		cal->unsorted = 1;
	v[cal->nholidays++] = key;
	forget_days(cal);
	return 0;
bad:
	return sd_error_set(SD_EINVALID, _("'%s' is not a YYYY-MM-DD date"), date);
}

/* What sd_calendar_reach promises: any REACH_WEEKS * 7 days in a row,
 * inside the MAX_DAYS a search goes, hold every weekday REACH_WEEKS
 * times; of them a holiday takes its day, and a day the clocks change on
 * may lose its hours (REACH_DST_DAYS of them, four changes a year). */
#define REACH_WEEKS 2600LL
#define REACH_DST_DAYS 204LL

long long
sd_calendar_reach(struct sd_calendar *cal, enum sd_duration_unit unit)
{
	long long week = 0, longest = 0, lost = 0, reach;
	long long secs[7];
	int open = 0;

	if (unit == SD_DUR_WALL)
		return LLONG_MAX;
	for (int w = 0; w < 7; w++) {
		secs[w] = 0;
		for (int r = 0; r < cal->nranges[w]; r++)
			secs[w] += 60LL * (cal->week[w][r].close - cal->week[w][r].open);
		week += secs[w];
		open += cal->nranges[w] > 0;
		if (secs[w] > longest)
			longest = secs[w];
	}
	settle(cal);
	for (size_t i = 0; i < cal->nholidays; i++) {
		int h = cal->holidays[i];
		long dn = (long)sd__days_from_civil(h / 10000, h / 100 % 100, h % 100);
		int wday = (int)(((dn % 7) + 7 + 4) % 7);

		/* A holiday on a day with no hours takes nothing. */
		if (cal->nranges[wday])
			lost += unit == SD_DUR_BUSINESS_DAYS ? 1 : secs[wday];
	}
	if (unit == SD_DUR_BUSINESS_DAYS) {
		/* Less one: the day of the first opening, counted from.  And
		 * no more days than their seconds, each as long as the longest,
		 * can be added from any instant: a clock stopped and started
		 * again adds what is left of them in seconds. */
		long long budget = sd_calendar_reach(cal, SD_DUR_BUSINESS);

		reach = REACH_WEEKS * open - lost - 1;
		if (longest && budget / longest < reach)
			reach = budget / longest;
	} else {
		reach = REACH_WEEKS * week - lost - REACH_DST_DAYS * longest;
	}
	return reach > 0 ? reach : 0;
}

int
sd_calendar_is_open(const struct sd_calendar *cal)
{
	for (int i = 0; i < 7; i++)
		if (cal->nranges[i])
			return 1;
	return 0;
}

/* Day dn, with its civil date and weekday. */
static struct day
civil(long dn)
{
	long long y;
	struct day d;

	sd__civil_from_days(dn, &y, &d.m, &d.d);
	d.dn = dn;
	d.y = (int)y;
	d.wday = (int)(((dn % 7) + 7 + 4) % 7);    /* 1970-01-01 was a Thursday */
	return d;
}

static struct day
day_of(struct sd_calendar *cal, time_t t)
{
	long long q = (long long)t + sd_zone_offset(cal->zone, t);

	return civil((long)(q / 86400 - (q % 86400 < 0)));
}

static struct day
next_day(const struct day *d)
{
	struct day n = *d;

	/* The civil date of the next day by counting, not by conversion. */
	n.dn++;
	n.wday = (d->wday + 1) % 7;
	if (++n.d > sd__days_in_month(n.y, n.m)) {
		n.d = 1;
		if (++n.m > 12) {
			n.m = 1;
			n.y++;
		}
	}
	return n;
}

/* The instant of local time minutes (and seconds) on day d: the earlier
 * of two when the clocks show it twice, an hour on when they skip it
 * (sd_zone_instant).  (Not mktime: glibc settles a repeated hour by the
 * offset of its previous call, and a due date would depend on the order
 * of work.) */
static time_t
mk(struct sd_calendar *cal, const struct day *d, int minutes, int seconds)
{
	return sd_zone_instant(cal->zone,
	    sd__days_from_civil(d->y, d->m, d->d) * 86400LL + minutes * 60LL + seconds);
}

/* Is day d a business day by the rules: a day of the week with hours,
 * not a holiday? */
static int
is_business_day(struct sd_calendar *cal, const struct day *d)
{
	int key = d->y * 10000 + d->m * 100 + d->d;
	size_t lo = 0, hi = cal->nholidays;

	if (!cal->nranges[d->wday])
		return 0;
	settle(cal);
	/* A holiday?  A binary search of the sorted dates. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->holidays[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == cal->nholidays || cal->holidays[lo] != key;
}

/* The cached facts of day d, or NULL when the cache cannot grow. */
static const struct dayinfo *
info(struct sd_calendar *cal, const struct day *d)
{
	struct dayinfo *e;

	if (!cal->ndays || d->dn < cal->lo || d->dn >= cal->lo + (long)cal->ndays) {
		long lo = cal->ndays ? (d->dn < cal->lo ? d->dn - 366 : cal->lo) : d->dn - 366;
		long hi = cal->ndays ? cal->lo + (long)cal->ndays : d->dn + 366;
		struct dayinfo *v;

		if (d->dn >= hi)
			hi = d->dn + 366;
		if (hi - lo > 366L * 400) {
			/* Centuries apart: start again around this day. */
			forget_days(cal);
			lo = d->dn - 366;
			hi = d->dn + 366;
		}
		if (!(v = calloc((size_t)(hi - lo), sizeof(*v))))
			return NULL;
		if (cal->ndays)
			memcpy(v + (cal->lo - lo), cal->days, cal->ndays * sizeof(*v));
		free(cal->days);
		cal->days = v;
		cal->lo = lo;
		cal->ndays = (size_t)(hi - lo);
	}
	e = &cal->days[d->dn - cal->lo];
	if (!e->filled) {
		/* One conversion a day when days are filled in order: the next
		 * midnight, kept for the next day. */
		struct day next = civil(d->dn + 1);
		struct dayinfo *n = d->dn + 1 < cal->lo + (long)cal->ndays ? e + 1 : NULL;
		time_t next_midnight = n && n->have_midnight ? n->midnight : mk(cal, &next, 0, 0);

		e->day = *d;
		e->business = is_business_day(cal, d);
		if (!e->have_midnight)
			e->midnight = mk(cal, d, 0, 0);
		e->have_midnight = 1;
		e->uniform = next_midnight - e->midnight == 86400;
		e->filled = 1;
		if (n && !n->have_midnight) {
			n->midnight = next_midnight;
			n->have_midnight = 1;
		}
	}
	return e;
}

/* The local day of instant t.  From the midnights in the days' cache when
 * it holds those around t: midnight(d) <= t < midnight(d + 1) says t is
 * on day d; else from the zone's offset at t, a search of its
 * transitions. */
static struct day
day_at(struct sd_calendar *cal, time_t t)
{
	long dn, k;

	if (cal->ndays) {
		long q = (long)(t + cal->guess);
		dn = q / 86400 - (q % 86400 < 0);
		for (int tries = 0; tries < 3; tries++) {
			const struct dayinfo *e;

			k = dn - cal->lo;
			if (k < 0 || k + 1 >= (long)cal->ndays)
				break;
			e = &cal->days[k];
			/* A day of 24 hours: no local time of it repeats one
			 * of the day before (as when clocks go back across
			 * midnight), so the bracket says the day. */
			if (!e[0].filled || !e[0].uniform || !e[1].have_midnight)
				break;
			if (t < e[0].midnight) {
				dn--;
			} else if (t >= e[1].midnight) {
				dn++;
			} else {
				cal->guess = dn * 86400L - (long)e[0].midnight;
				return e[0].day;
			}
		}
	}
	return day_of(cal, t);
}

/* The instant of local time minutes (plus seconds) on day; mk copes
 * with 24:00 and, across a daylight-saving change, picks the real instant. */
static time_t
at(struct sd_calendar *cal, const struct day *d, int minutes, int seconds)
{
	const struct dayinfo *e = info(cal, d);

	if (e && e->uniform)
		return e->midnight + minutes * 60 + seconds;
	return mk(cal, d, minutes, seconds);
}

/* Is day d a business day?  A day of the week with no hours never is;
 * else from the days' cache. */
static int
business(struct sd_calendar *cal, const struct day *d)
{
	const struct dayinfo *e;

	if (!cal->nranges[d->wday])
		return 0;
	e = info(cal, d);
	return e ? e->business : is_business_day(cal, d);
}

/* The instants the business ranges of day d run over, [ro[r], rc[r]) for
 * each r below the number returned, 0 on a day off.  On a day of 24 hours
 * they are its midnight and the minutes.  Across a daylight-saving change
 * a local time the clocks skip is the instant an hour on, so a range that
 * opens in the gap may come out shorter, empty, or over a range before
 * it: on such a day each is cut to start after every instant of the
 * ranges before it, and never to end before it starts, so that the ranges
 * of a day are disjoint and in order, as adding and measuring business
 * time need. */
static int
ranges_of(struct sd_calendar *cal, const struct day *d, time_t ro[MAX_RANGES],
    time_t rc[MAX_RANGES])
{
	const struct range *rg = cal->week[d->wday];
	int n = cal->nranges[d->wday];
	const struct dayinfo *e;
	time_t o[MAX_RANGES], c[MAX_RANGES];

	if (!n)
		return 0;
	e = info(cal, d);
	if (e ? !e->business : !is_business_day(cal, d))
		return 0;
	if (e && e->uniform) {
		for (int r = 0; r < n; r++) {
			ro[r] = e->midnight + rg[r].open * 60;
			rc[r] = e->midnight + rg[r].close * 60;
		}
		return n;
	}
	for (int r = 0; r < n; r++) {
		o[r] = mk(cal, d, rg[r].open, 0);
		c[r] = mk(cal, d, rg[r].close, 0);
		ro[r] = o[r];
		for (int k = 0; k < r; k++) {
			if (ro[r] < o[k])
				ro[r] = o[k];
			if (ro[r] < c[k])
				ro[r] = c[k];
		}
		rc[r] = c[r] < ro[r] ? ro[r] : c[r];
	}
	return n;
}

/* The first instant from t at which secs business seconds have passed. */
static int
add_business(time_t *out, struct sd_calendar *cal, time_t t, long long secs)
{
	struct day d = day_at(cal, t);

	for (int i = 0; i < MAX_DAYS; i++, d = next_day(&d)) {
		time_t ro[MAX_RANGES], rc[MAX_RANGES];
		int n = ranges_of(cal, &d, ro, rc);

		for (int r = 0; r < n; r++) {
			time_t s = t > ro[r] ? t : ro[r];

			if (rc[r] <= s)
				continue;
			if (secs <= rc[r] - s) {
				*out = s + secs;
				return 0;
			}
			secs -= rc[r] - s;
		}
	}
	return sd_error_set(SD_EINVALID, "%s", _("the calendar has no business hours ahead"));
}

/* The business seconds of day d inside [a, b). */
static long long
day_part(struct sd_calendar *cal, const struct day *d, time_t a, time_t b)
{
	time_t ro[MAX_RANGES], rc[MAX_RANGES];
	int n = ranges_of(cal, d, ro, rc);
	long long sum = 0;

	for (int r = 0; r < n; r++) {
		time_t s = a > ro[r] ? a : ro[r], e = b < rc[r] ? b : rc[r];

		if (e > s)
			sum += e - s;
	}
	return sum;
}

/* The business seconds of day d, all of it. */
static long long
day_secs(struct sd_calendar *cal, const struct day *d)
{
	const struct dayinfo *e;
	long long sum = 0;

	if (!business(cal, d))
		return 0;
	if (!(e = info(cal, d)) || !e->uniform)
		return day_part(cal, d, 0, (time_t)INT64_MAX);
	for (int r = 0; r < cal->nranges[d->wday]; r++)
		sum += 60LL * (cal->week[d->wday][r].close - cal->week[d->wday][r].open);
	return sum;
}

/* The business seconds of the days from day number from to day number to,
 * that one left out.  From running sums kept with the days' cache, so
 * that a ticket open for a year costs no more than one open for a day;
 * day by day when the cache cannot hold them. */
static long long
whole_days(struct sd_calendar *cal, long from, long to)
{
	struct day dfrom = civil(from), dto = civil(to), d;
	long long sum = 0;
	size_t i;

	if (to <= from)
		return 0;
	if (info(cal, &dfrom) && info(cal, &dto) && from >= cal->lo &&
	    to < cal->lo + (long)cal->ndays) {
		/* Both in the cache now.  The sums run from day sum_lo, the
		 * first asked for: start them again from an earlier one. */
		if (!cal->nsummed || from < cal->sum_lo) {
			cal->sum_lo = from;
			cal->days[from - cal->lo].before = 0;
			cal->nsummed = 1;
		}
		i = cal->nsummed;
		if ((size_t)(to - cal->sum_lo) >= i) {
			struct dayinfo *v = cal->days + (cal->sum_lo - cal->lo);

			d = civil(cal->sum_lo + (long)i - 1);
			for (; (size_t)(to - cal->sum_lo) >= i; i++) {
				long long secs = day_secs(cal, &d);

				v = cal->days + (cal->sum_lo - cal->lo);   /* day_secs keeps it */
				v[i].before = v[i - 1].before + secs;
				d = next_day(&d);
			}
			cal->nsummed = i;
		}
		return cal->days[to - cal->lo].before - cal->days[from - cal->lo].before;
	}
	for (d = dfrom; d.dn < to; d = next_day(&d))
		sum += day_secs(cal, &d);
	return sum;
}

long long
sd_calendar_measure(struct sd_calendar *cal, const struct sd_duration *target, time_t a, time_t b)
{
	if (target->unit == SD_DUR_WALL)
		return b > a ? (long long)(b - a) : 0;
	return sd_calendar_between(cal, a, b);
}

long long
sd_calendar_between(struct sd_calendar *cal, time_t a, time_t b)
{
	struct day da, db;
	long long sum;

	if (b <= a)
		return 0;
	da = day_at(cal, a);
	db = day_at(cal, b);
	/* As far as any search here goes. */
	if (db.dn > da.dn + MAX_DAYS) {
		db = civil(da.dn + MAX_DAYS);
		b = at(cal, &db, 0, 0);
	}
	sum = day_part(cal, &da, a, b);
	if (db.dn == da.dn)
		return sum;
	return sum + whole_days(cal, da.dn + 1, db.dn) + day_part(cal, &db, a, b);
}

/* The end of dur business days from t (dur->amount > 0): from the next
 * opening when t is outside business hours, the same local time N
 * business days on. */
static int
days_on(time_t *out, struct sd_calendar *cal, time_t t, const struct sd_duration *dur)
{
	const struct dayinfo *e;
	struct tm tm;
	struct day d;
	long first, secs;
	time_t start;
	int rc;

	if ((rc = add_business(&start, cal, t, 0)) < 0)
		return rc;
	d = day_at(cal, start);
	if ((e = info(cal, &d)) && e->uniform && start >= e->midnight && start - e->midnight < 86400) {
		/* The local time of day, from midnight on a day of 24 hours
		 * (and not in an hour repeated after it). */
		secs = (long)(start - e->midnight);
	} else {
		sd_zone_local(cal->zone, start, &tm);
		secs = tm.tm_hour * 3600L + tm.tm_min * 60L + tm.tm_sec;
	}
	first = d.dn;
	for (long long k = 0; k < dur->amount;) {
		d = next_day(&d);
		/* No further than a search for business time goes. */
		if (d.dn - first >= MAX_DAYS)
			return sd_error_set(SD_EINVALID, "%s", _("the calendar has no business hours ahead"));
		if (business(cal, &d))
			k++;
	}
	*out = at(cal, &d, (int)(secs / 60), (int)(secs % 60));
	return 0;
}

int
sd_calendar_add(time_t *out, struct sd_calendar *cal, time_t t,
    const struct sd_duration *dur)
{
	time_t target;
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
	/* Then back to the first instant with that much business time behind
	 * it, so that a target that runs out at a closing time is that
	 * closing time, not the next opening. */
	if ((rc = days_on(&target, cal, t, dur)) < 0)
		return rc;
	return add_business(out, cal, t, sd_calendar_between(cal, t, target));
}

int
sd_calendar_span(long long *out, struct sd_calendar *cal, time_t t,
    const struct sd_duration *d)
{
	time_t end;
	int rc;

	if (d->unit != SD_DUR_BUSINESS_DAYS) {
		*out = d->amount;
		return 0;
	}
	if (d->amount == 0) {
		*out = 0;
		return 0;
	}
	/* Between t and sd_calendar_add's end there is exactly the business
	 * time between t and days_on's, which it adds to t. */
	if ((rc = days_on(&end, cal, t, d)) < 0)
		return rc;
	*out = sd_calendar_between(cal, t, end);
	return 0;
}
