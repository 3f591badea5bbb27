/*
 * Time zones (sd/zone.h): hand-computed offsets, local times and
 * instants of local times; sd_zone_local against glibc's localtime_r
 * over random instants from 1900 to 2200 in many zones; the instants of
 * local times read back; files made slim, version 1 or damaged; the
 * errors.
 *
 * Epoch arithmetic used below: 2026-01-01T00:00:00Z is 1767225600 (see
 * test_time.c); 2026 is not a leap year, and 2026-01-01 is a Thursday, so
 * March 1st is a Sunday (31 + 28 days on), and so is November 1st.
 *   America/New_York: EST (-5) -> EDT (-4) on the second Sunday of March,
 *   03-08, at 02:00 EST = 07:00Z: day 66, 1767225600 + 66 * 86400 +
 *   7 * 3600 = 1772953200; back on the first Sunday of November, 11-01,
 *   at 02:00 EDT = 06:00Z: day 304, 1767225600 + 304 * 86400 + 6 * 3600
 *   = 1793512800.
 *   2100 (after the file's last transition, 2037: the footer's rules):
 *   2100-01-01 is 130 * 365 + 32 leap days = 47482 days after 1970, and
 *   a Friday; 2100 is not a leap year; March 1st is a Monday, so the
 *   second Sunday is 03-14 (day 72): 47554 * 86400 + 7 * 3600 =
 *   4108690800; November 1st is a Monday, the first Sunday 11-07 (day
 *   310): 47792 * 86400 + 6 * 3600 = 4129250400.
 *   Australia/Lord_Howe: +11:00 -> +10:30 on the first Sunday of April,
 *   04-05, at 02:00 +11 = 15:00Z on 04-04 (day 93): 1775314800; back to
 *   +11:00 on the first Sunday of October, 10-04, at 02:00 +10:30 =
 *   15:30Z on 10-03 (day 275): 1791041400.
 *   America/St_Johns: -03:30 -> -02:30 on 03-08 at 02:00 -03:30 = 05:30Z
 *   (1772947800); back on 11-01 at 02:00 -02:30 = 04:30Z (1793507400).
 */
#include <pthread.h>
#include <sys/stat.h>

#include "unit.h"

#define JAN1_2026 1767225600LL
#define DAY 86400LL
#define H 3600LL

static struct sd_zone *
load(const char *name)
{
	struct sd_zone *z = NULL;

	if (sd_zone_load(&z, name, NULL) < 0)
		fail_msg("sd_zone_load(%s): %s", name, sd_error_message());
	assert_non_null(z);
	return z;
}

/* At t, z is off seconds east, with isdst and the abbreviation abbr,
 * and shows the local time want (YYYY-MM-DD HH:MM:SS). */
static void
at_is(const struct sd_zone *z, long long t, long off, int isdst, const char *abbr,
    const char *want)
{
	struct tm tm;
	char buf[32];

	assert_int_equal(sd_zone_offset(z, (time_t)t), off);
	assert_non_null(sd_zone_local(z, (time_t)t, &tm));
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	if (strcmp(buf, want) || tm.tm_gmtoff != off || tm.tm_isdst != isdst ||
	    strcmp(tm.tm_zone, abbr))
		fail_msg("%s at %lld: %s %ld %d %s, not %s %ld %d %s", sd_zone_name(z), t, buf,
		    tm.tm_gmtoff, tm.tm_isdst, tm.tm_zone, want, off, isdst, abbr);
}

/* The local time y-m-d h:mi (days from 1970 by hand above) in z is the
 * instant want. */
static void
instant_is(const struct sd_zone *z, long long days, int h, int mi, long long want)
{
	long long local = days * DAY + h * H + mi * 60;

	assert_int_equal((long long)sd_zone_instant(z, local), want);
}

static void
test_bogota(void **state)
{
	struct sd_zone *z = load("America/Bogota");

	(void)state;
	assert_string_equal(sd_zone_name(z), "America/Bogota");
	/* -05:00 all year, no daylight saving. */
	at_is(z, JAN1_2026, -5 * H, 0, "-05", "2025-12-31 19:00:00");
	at_is(z, JAN1_2026 + 181 * DAY + 12 * H, -5 * H, 0, "-05", "2026-07-01 07:00:00");
	at_is(z, 4108690800LL, -5 * H, 0, "-05", "2100-03-14 02:00:00");
	/* Midnight of 2026-11-21 (day 324) is 05:00Z. */
	instant_is(z, 20454 + 324, 0, 0, JAN1_2026 + 324 * DAY + 5 * H);
	sd_zone_free(z);
}

static void
test_new_york(void **state)
{
	struct sd_zone *z = load("America/New_York");
	const long long mar8 = JAN1_2026 + 66 * DAY, nov1 = JAN1_2026 + 304 * DAY;

	(void)state;
	at_is(z, 1772953200LL - 1, -5 * H, 0, "EST", "2026-03-08 01:59:59");
	at_is(z, 1772953200LL, -4 * H, 1, "EDT", "2026-03-08 03:00:00");
	at_is(z, 1793512800LL - 1, -4 * H, 1, "EDT", "2026-11-01 01:59:59");
	at_is(z, 1793512800LL, -5 * H, 0, "EST", "2026-11-01 01:00:00");
	/* 02:30 on 03-08 is skipped: read with the offset before (-5), it
	 * is 07:30Z, which the clocks show as 03:30. */
	instant_is(z, 20454 + 66, 2, 30, mar8 + 7 * H + 30 * 60);
	at_is(z, mar8 + 7 * H + 30 * 60, -4 * H, 1, "EDT", "2026-03-08 03:30:00");
	/* Around it, one reading each. */
	instant_is(z, 20454 + 66, 1, 59, mar8 + 6 * H + 59 * 60);
	instant_is(z, 20454 + 66, 3, 0, mar8 + 7 * H);
	/* 01:30 on 11-01 comes twice, 05:30Z (EDT) and 06:30Z (EST): the
	 * earlier. */
	at_is(z, nov1 + 5 * H + 30 * 60, -4 * H, 1, "EDT", "2026-11-01 01:30:00");
	at_is(z, nov1 + 6 * H + 30 * 60, -5 * H, 0, "EST", "2026-11-01 01:30:00");
	instant_is(z, 20454 + 304, 1, 30, nov1 + 5 * H + 30 * 60);
	instant_is(z, 20454 + 304, 2, 0, nov1 + 7 * H);
	instant_is(z, 20454 + 304, 0, 59, nov1 + 4 * H + 59 * 60);
	/* 2100, from the footer: the same rules. */
	at_is(z, 4108690800LL - 1, -5 * H, 0, "EST", "2100-03-14 01:59:59");
	at_is(z, 4108690800LL, -4 * H, 1, "EDT", "2100-03-14 03:00:00");
	at_is(z, 4129250400LL - 1, -4 * H, 1, "EDT", "2100-11-07 01:59:59");
	at_is(z, 4129250400LL, -5 * H, 0, "EST", "2100-11-07 01:00:00");
	instant_is(z, 47554, 2, 30, 4108690800LL + 30 * 60);
	instant_is(z, 47792, 1, 30, 4129250400LL - 30 * 60);
	/* Before the first transition, local mean time (-4:56:02): 1874-12-07
	 * 18:40:00Z is -3000000000 (-34723 days + 67200 s), 13:43:58 there.
	 * The ends of time_t, with no overflow on the way. */
	at_is(z, -3000000000LL, -17762, 0, "LMT", "1874-12-07 13:43:58");
	{
		struct tm tm;

		assert_int_equal(sd_zone_offset(z, (time_t)INT64_MIN), -17762);
		assert_int_equal(sd_zone_offset(z, (time_t)INT64_MAX), -5 * H);
		assert_null(sd_zone_local(z, (time_t)INT64_MAX, &tm));
		assert_null(sd_zone_local(z, (time_t)INT64_MIN, &tm));
	}
	sd_zone_free(z);
}

static void
test_madrid(void **state)
{
	struct sd_zone *z = load("Europe/Madrid");
	const long long mar29 = JAN1_2026 + 87 * DAY, oct25 = JAN1_2026 + 297 * DAY;

	(void)state;
	/* CET -> CEST on 03-29 at 01:00Z, back on 10-25 at 01:00Z. */
	at_is(z, mar29 + H - 1, H, 0, "CET", "2026-03-29 01:59:59");
	at_is(z, mar29 + H, 2 * H, 1, "CEST", "2026-03-29 03:00:00");
	at_is(z, oct25 + H - 1, 2 * H, 1, "CEST", "2026-10-25 02:59:59");
	at_is(z, oct25 + H, H, 0, "CET", "2026-10-25 02:00:00");
	/* 02:30 skipped: 01:30Z, shown 03:30; 02:30 twice: 00:30Z. */
	instant_is(z, 20454 + 87, 2, 30, mar29 + H + 30 * 60);
	instant_is(z, 20454 + 297, 2, 30, oct25 + 30 * 60);
	sd_zone_free(z);
}

static void
test_half_hours(void **state)
{
	struct sd_zone *z = load("Australia/Lord_Howe");

	(void)state;
	/* A change of 30 minutes. */
	at_is(z, 1775314800LL - 1, 11 * H, 1, "+11", "2026-04-05 01:59:59");
	at_is(z, 1775314800LL, 10 * H + 30 * 60, 0, "+1030", "2026-04-05 01:30:00");
	at_is(z, 1791041400LL - 1, 10 * H + 30 * 60, 0, "+1030", "2026-10-04 01:59:59");
	at_is(z, 1791041400LL, 11 * H, 1, "+11", "2026-10-04 02:30:00");
	/* 01:45 on 04-05 twice: the earlier, at +11 (14:45Z); 02:15 on
	 * 10-04 skipped: at +10:30, 15:45Z, shown 02:45. */
	instant_is(z, 20454 + 94, 1, 45, 1775314800LL - 15 * 60);
	instant_is(z, 20454 + 276, 2, 15, 1791041400LL + 15 * 60);
	sd_zone_free(z);

	z = load("America/St_Johns");
	at_is(z, 1772947800LL - 1, -3 * H - 30 * 60, 0, "NST", "2026-03-08 01:59:59");
	at_is(z, 1772947800LL, -2 * H - 30 * 60, 1, "NDT", "2026-03-08 03:00:00");
	at_is(z, 1793507400LL - 1, -2 * H - 30 * 60, 1, "NDT", "2026-11-01 01:59:59");
	at_is(z, 1793507400LL, -3 * H - 30 * 60, 0, "NST", "2026-11-01 01:00:00");
	sd_zone_free(z);

	z = load("Asia/Kathmandu");
	at_is(z, JAN1_2026, 5 * H + 45 * 60, 0, "+0545", "2026-01-01 05:45:00");
	at_is(z, 4108690800LL, 5 * H + 45 * 60, 0, "+0545", "2100-03-14 12:45:00");
	instant_is(z, 20454, 5, 45, JAN1_2026);
	sd_zone_free(z);
}

/* NULL is UTC, and TZ is never read. */
static void
test_utc(void **state)
{
	struct sd_zone *z;

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	at_is(NULL, JAN1_2026, 0, 0, "UTC", "2026-01-01 00:00:00");
	assert_string_equal(sd_zone_name(NULL), "UTC");
	instant_is(NULL, 20454, 0, 0, JAN1_2026);
	z = load("UTC");
	at_is(z, 1772953200LL, 0, 0, "UTC", "2026-03-08 07:00:00");
	sd_zone_free(z);
	z = load("Europe/Madrid");
	at_is(z, JAN1_2026, H, 0, "CET", "2026-01-01 01:00:00");
	sd_zone_free(z);
	unsetenv("TZ");
	tzset();
	sd_zone_free(NULL);
}

/* --- against glibc -------------------------------------------------------- */

static const char *const zones[] = {
	"America/Bogota", "America/New_York", "Europe/Madrid", "Australia/Lord_Howe",
	"America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "America/Sao_Paulo",
	"Europe/London", "Europe/Dublin", "Africa/Casablanca", "Asia/Tehran",
	"Australia/Sydney", "Pacific/Apia", "America/Santiago", "Asia/Kolkata",
	"Europe/Moscow", "America/Havana", "Antarctica/Troll", "America/Nuuk",
	"Asia/Jerusalem", "Etc/GMT+5", "UTC",
};

/* From 1900-01-01 to 2200-01-01. */
#define T1900 (-2208988800LL)
#define T2200 (7258118400LL)

/* a and b are the same local time, field by field. */
static int
tm_equal(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday &&
	    a->tm_hour == b->tm_hour && a->tm_min == b->tm_min && a->tm_sec == b->tm_sec &&
	    a->tm_wday == b->tm_wday && a->tm_yday == b->tm_yday &&
	    a->tm_isdst == b->tm_isdst && a->tm_gmtoff == b->tm_gmtoff &&
	    !strcmp(a->tm_zone, b->tm_zone);
}

static void
tm_print(const char *who, const struct tm *tm)
{
	print_error("  %s: %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d isdst %d gmtoff %ld %s\n",
	    who, tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min,
	    tm->tm_sec, tm->tm_wday, tm->tm_yday, tm->tm_isdst, tm->tm_gmtoff, tm->tm_zone);
}

/* The local seconds of t in z: its reading as if it were UTC. */
static long long
local_of(const struct sd_zone *z, time_t t)
{
	return (long long)t + sd_zone_offset(z, t);
}

/* sd_zone_instant of t's local time is t, or, when the clocks show that
 * time twice, the earlier instant that shows it. */
static void
check_instant(struct unit_rng *r, const struct sd_zone *z, time_t t)
{
	long long local = local_of(z, t);
	time_t back = sd_zone_instant(z, local);

	if (back != t && (back > t || local_of(z, back) != local))
		unit_fail(r, "%s: %lld shows %lld, which reads back as %lld", sd_zone_name(z),
		    (long long)t, local, (long long)back);
}

/* Loaded by path (TZ=:/path for glibc), as the zone called name. */
static void
against_glibc(struct unit_rng *r, const struct sd_zone *z, const char *tz, int n,
    long long lo, long long hi)
{
	setenv("TZ", tz, 1);
	tzset();
	for (int i = 0; i < n; i++) {
		time_t t = (time_t)(lo + (long long)unit_below(r, (uint64_t)(hi - lo)));
		struct tm want, got;

		/* Now and then right at the next change, or a second before. */
		if (i % 4 == 0) {
			long off = sd_zone_offset(z, t);
			time_t a = t, b = t;

			for (int k = 0; k < 64 && sd_zone_offset(z, b) == off; k++)
				a = b, b += 86400 * 7;
			if (sd_zone_offset(z, b) != off) {
				while (b - a > 1) {
					time_t mid = a + (b - a) / 2;
					if (sd_zone_offset(z, mid) == off)
						a = mid;
					else
						b = mid;
				}
				t = b - (time_t)unit_below(r, 2);
			}
		}
		if (!localtime_r(&t, &want))
			unit_fail(r, "localtime_r(%lld) failed", (long long)t);
		if (!sd_zone_local(z, t, &got) || !tm_equal(&got, &want)) {
			print_error("%s at %lld:\n", tz, (long long)t);
			tm_print("glibc", &want);
			tm_print("sd   ", &got);
			unit_fail(r, "%s: sd_zone_local differs from localtime_r", tz);
		}
		if (sd_zone_offset(z, t) != want.tm_gmtoff)
			unit_fail(r, "%s: sd_zone_offset differs at %lld", tz, (long long)t);
		check_instant(r, z, t);
	}
	unsetenv("TZ");
	tzset();
}

static void
test_glibc(void **state)
{
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		struct sd_zone *z = load(zones[i]);

		against_glibc(&r, z, zones[i], 20000, T1900, T2200);
		sd_zone_free(z);
	}
}

/* Every local time of a day read back: the instant shows it, or it is
 * in a gap and the instant shows it as far past the gap's end. */
static void
test_instant_days(void **state)
{
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		struct sd_zone *z = load(zones[i]);

		for (int k = 0; k < 2000; k++) {
			long long local = T1900 + 3 * DAY +
			    (long long)unit_below(&r, (uint64_t)(T2200 - T1900 - 6 * DAY));
			time_t t = sd_zone_instant(z, local);
			long long shown = local_of(z, t);

			if (shown != local) {
				/* Skipped: read with the offset before the gap, the
				 * earlier of the two around it. */
				long before = sd_zone_offset(z, (time_t)(local - 2 * DAY));
				if ((long long)t != local - before || shown < local)
					unit_fail(&r, "%s: local %lld is %lld, shown %lld",
					    zones[i], local, (long long)t, shown);
			}
		}
		sd_zone_free(z);
	}
}

/* --- files made here ---------------------------------------------------- */

static char dir[64];

static void
write_file(const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static unsigned char *
read_zone(const char *name, size_t *len)
{
	char path[256];
	unsigned char *buf = malloc(1 << 20);
	FILE *f;

	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	assert_non_null(buf);
	assert_non_null(f = fopen(path, "rb"));
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The size of the data block after the header at h, times w bytes wide. */
static size_t
block(const unsigned char *h, size_t w)
{
	uint32_t isut = get32(h + 20), isstd = get32(h + 24), leap = get32(h + 28);
	uint32_t tc = get32(h + 32), ty = get32(h + 36), ch = get32(h + 40);

	return tc * w + tc + ty * 6 + ch + leap * (w + 4) + isstd + isut;
}

/* A slim copy of a fat version 2+ file: a token version 1 block, and of
 * the 64-bit data only the transitions before `until`, so that the
 * footer's rules give the rest, as in the files `zic -b slim` writes. */
static size_t
slim(unsigned char *out, const unsigned char *fat, size_t len, long long until)
{
	const unsigned char *h2 = fat + 44 + block(fat, 4), *d2 = h2 + 44;
	uint32_t tc = get32(h2 + 32), ty = get32(h2 + 36), ch = get32(h2 + 40), keep = 0;
	size_t n = 0;

	assert_true(fat[4] >= '2');
	while (keep < tc && (long long)((uint64_t)get32(d2 + keep * 8) << 32 |
	    get32(d2 + keep * 8 + 4)) < until)
		keep++;
	/* Version 1: no transitions, one type, one name. */
	memcpy(out, fat, 44);
	memset(out + 20, 0, 24);
	put32(out + 36, 1);
	put32(out + 40, 4);
	n = 44;
	memcpy(out + n, "\0\0\0\0\0\0LMT", 10);
	out[n + 9] = '\0';
	n += 10;
	/* Version 2: the header, the transitions kept, every type. */
	memcpy(out + n, h2, 44);
	memset(out + n + 20, 0, 12);    /* no isut, isstd, leap */
	put32(out + n + 32, keep);
	n += 44;
	memcpy(out + n, d2, keep * 8);
	n += keep * 8;
	memcpy(out + n, d2 + tc * 8, keep);
	n += keep;
	memcpy(out + n, d2 + tc * 9, ty * 6 + ch);
	n += ty * 6 + ch;
	/* The footer. */
	{
		size_t at = (size_t)(h2 + 44 + block(h2, 8) - fat);

		memcpy(out + n, fat + at, len - at);
		n += len - at;
	}
	return n;
}

static int
setup_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sd-test-zone-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int
teardown_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A slim file gives what the fat one gives, and what glibc gives. */
static void
test_slim(void **state)
{
	/* Each with the year from which its footer's rules hold. */
	static const struct {
		const char *name;
		long long from;
	} zs_[] = {
		{ "America/New_York", 1199145600LL },           /* 2008 */
		{ "Europe/Madrid", 1199145600LL },
		{ "Australia/Lord_Howe", 1199145600LL },
		{ "America/St_Johns", 1325376000LL },           /* 2012 */
		{ "Europe/Dublin", 1199145600LL },
		{ "Asia/Jerusalem", 1388534400LL },             /* 2014 */
		{ "America/Nuuk", 1735689600LL },               /* 2025 */
		{ "Antarctica/Troll", 1199145600LL },
	};
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	{
		char sub[96];

		snprintf(sub, sizeof(sub), "%s/slim", dir);
		assert_int_equal(mkdir(sub, 0700), 0);
	}
	for (size_t i = 0; i < sizeof(zs_) / sizeof(zs_[0]); i++) {
		size_t len, n;
		unsigned char *fat = read_zone(zs_[i].name, &len), *out = malloc(len + 64);
		char file[64], tz[160];
		struct sd_zone *zs, *zf = load(zs_[i].name);

		assert_non_null(out);
		/* The transitions before `from` only: from then to 2037 (the
		 * fat file's last) the footer gives them. */
		n = slim(out, fat, len, zs_[i].from);
		snprintf(file, sizeof(file), "slim/%zu", i);
		write_file(file, out, n);
		assert_ok(sd_zone_load(&zs, file, dir));
		for (int k = 0; k < 5000; k++) {
			time_t t = (time_t)(zs_[i].from +
			    (long long)unit_below(&r, (uint64_t)(2145916800LL - zs_[i].from)));
			struct tm a, b;

			sd_zone_local(zs, t, &a);
			sd_zone_local(zf, t, &b);
			if (!tm_equal(&a, &b))
				unit_fail(&r, "%s at %lld: slim %s %ld, fat %s %ld", zs_[i].name,
				    (long long)t, a.tm_zone, a.tm_gmtoff, b.tm_zone, b.tm_gmtoff);
		}
		snprintf(tz, sizeof(tz), ":%s/%s", dir, file);
		against_glibc(&r, zs, tz, 5000, T1900, T2200);
		sd_zone_free(zs);
		sd_zone_free(zf);
		free(fat);
		free(out);
	}
}

/* A version 1 file: the 32-bit data alone, no footer. */
static void
test_version1(void **state)
{
	size_t len;
	unsigned char *fat = read_zone("America/New_York", &len);
	struct sd_zone *z, *zf = load("America/New_York");
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	fat[4] = '\0';
	write_file("v1", fat, 44 + block(fat, 4));
	assert_ok(sd_zone_load(&z, "v1", dir));
	/* The same as the whole file where 32 bits reach. */
	for (int k = 0; k < 5000; k++) {
		time_t t = (time_t)(-2147483648LL + (long long)unit_below(&r, 4294967295ULL));

		if (sd_zone_offset(z, t) != sd_zone_offset(zf, t))
			unit_fail(&r, "v1 at %lld: %ld, not %ld", (long long)t, sd_zone_offset(z, t),
			    sd_zone_offset(zf, t));
	}
	/* After its last transition (2037), the last type: EST. */
	at_is(z, 4108690800LL + 200 * DAY, -5 * H, 0, "EST", "2100-09-30 02:00:00");
	sd_zone_free(z);
	sd_zone_free(zf);
	free(fat);
}

static void
test_errors(void **state)
{
	size_t len;
	unsigned char *fat = read_zone("Europe/Madrid", &len);
	struct sd_zone *z = (struct sd_zone *)1;
	char sub[96];

	(void)state;
	assert_fails(sd_zone_load(&z, "Nowhere/City", NULL), SD_EINVALID,
	    "unknown time zone 'Nowhere/City'");
	assert_null(z);
	/* A directory of zones is not a zone. */
	assert_fails(sd_zone_load(&z, "Europe", NULL), SD_EINVALID, "unknown time zone 'Europe'");
	snprintf(sub, sizeof(sub), "%s/Sub", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_fails(sd_zone_load(&z, "Sub", dir), SD_EINVALID, "unknown time zone 'Sub'");
	/* Beside the zones, tables that are not TZif. */
	assert_fails(sd_zone_load(&z, "zone.tab", NULL), SD_EINVALID,
	    "unknown time zone 'zone.tab'");
	write_file("Text", "Europe/Madrid\n", 14);
	assert_fails(sd_zone_load(&z, "Text", dir), SD_EINVALID, "unknown time zone 'Text'");
	write_file("Empty", "", 0);
	assert_fails(sd_zone_load(&z, "Empty", dir), SD_EINVALID, "unknown time zone 'Empty'");
	/* Names that are not names, even where such a file is. */
	write_file("a b", fat, len);
	assert_fails(sd_zone_load(&z, "a b", dir), SD_EINVALID, "unknown time zone 'a b'");
	assert_fails(sd_zone_load(&z, "../etc/passwd", dir), SD_EINVALID,
	    "unknown time zone '../etc/passwd'");
	assert_fails(sd_zone_load(&z, "", dir), SD_EINVALID, "unknown time zone ''");
	/* A TZif file cut short anywhere: damaged. */
	write_file("Whole", fat, len);
	assert_ok(sd_zone_load(&z, "Whole", dir));
	sd_zone_free(z);
	for (size_t cut = 4; cut < len; cut += cut < 100 ? 1 : 37) {
		write_file("Cut", fat, cut);
		z = (struct sd_zone *)1;
		assert_fails(sd_zone_load(&z, "Cut", dir), SD_EINVALID,
		    "time zone 'Cut': a damaged zone file");
		assert_null(z);
	}
	/* A transition to a type that is not there; a footer that is not
	 * one. */
	{
		unsigned char *bad = malloc(len);
		const unsigned char *h2 = fat + 44 + block(fat, 4);
		size_t d2 = (size_t)(h2 + 44 - fat), tc = get32(h2 + 32);

		assert_non_null(bad);
		memcpy(bad, fat, len);
		bad[d2 + tc * 8] = 200;
		write_file("Type", bad, len);
		assert_fails(sd_zone_load(&z, "Type", dir), SD_EINVALID,
		    "time zone 'Type': a damaged zone file");
		memcpy(bad, fat, len);
		bad[len - 3] = '!';
		write_file("Footer", bad, len);
		assert_fails(sd_zone_load(&z, "Footer", dir), SD_EINVALID,
		    "time zone 'Footer': a damaged zone file");
		free(bad);
	}
	free(fat);
}

/* --- threads ---------------------------------------------------------- */

struct worker {
	const struct sd_zone *z;
	const time_t *t;
	const struct tm *want;
	int n, bad;
};

static void *
work(void *arg)
{
	struct worker *w = arg;

	for (int round = 0; round < 20; round++)
		for (int i = 0; i < w->n; i++) {
			struct tm tm;

			if (!sd_zone_local(w->z, w->t[i], &tm) || !tm_equal(&tm, &w->want[i]) ||
			    sd_zone_instant(w->z, local_of(w->z, w->t[i])) > w->t[i])
				w->bad++;
		}
	return NULL;
}

/* One zone, four threads at once: the same answers as one. */
static void
test_threads(void **state)
{
	enum { N = 2000, T = 4 };
	struct sd_zone *z = load("America/New_York");
	static time_t t[N];
	static struct tm want[N];
	struct worker w[T];
	pthread_t th[T];
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	for (int i = 0; i < N; i++) {
		t[i] = (time_t)(T1900 + (long long)unit_below(&r, (uint64_t)(T2200 - T1900)));
		sd_zone_local(z, t[i], &want[i]);
	}
	for (int k = 0; k < T; k++) {
		w[k] = (struct worker){ z, t, want, N, 0 };
		assert_int_equal(pthread_create(&th[k], NULL, work, &w[k]), 0);
	}
	for (int k = 0; k < T; k++) {
		pthread_join(th[k], NULL);
		assert_int_equal(w[k].bad, 0);
	}
	sd_zone_free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bogota),
		cmocka_unit_test(test_new_york),
		cmocka_unit_test(test_madrid),
		cmocka_unit_test(test_half_hours),
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_glibc),
		cmocka_unit_test(test_instant_days),
		cmocka_unit_test(test_slim),
		cmocka_unit_test(test_version1),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
