/*
 * Times and durations (sd/time.h): RFC 3339 in and out, zones, SD_NOW,
 * and the duration syntax of SPEC section 7.
 *
 * Epoch arithmetic used below: 2026-01-01T00:00:00Z is 56 years after
 * 1970 with 14 leap days (1972 .. 2024), (56 * 365 + 14) * 86400 =
 * 20454 * 86400 = 1767225600.  2026-11-21 is day 304 + 20 = 324 of 2026
 * (Jan .. Oct hold 304 days), so its midnight is 1767225600 + 324 * 86400
 * = 1795219200.
 */
#include "unit.h"

#define JAN1_2026 1767225600LL
#define NOV21_2026 1795219200LL

static void
parses_to(const char *s, long long want)
{
	time_t t = 0;

	if (sd_time_parse(&t, unit_z(), s) < 0)
		fail_msg("'%s': %s", s, sd_error_message());
	if ((long long)t != want)
		fail_msg("'%s' is %lld, not %lld", s, (long long)t, want);
}

static void
test_parse_rfc3339(void **state)
{
	(void)state;
	unit_zone("America/Bogota");
	parses_to("2026-01-01T00:00:00Z", JAN1_2026);
	/* 10:03 is 36180 s into the day. */
	parses_to("2026-11-21T10:03:00Z", NOV21_2026 + 36180);
	parses_to("2026-11-21t10:03:00z", NOV21_2026 + 36180);
	parses_to("2026-11-21 10:03:00Z", NOV21_2026 + 36180);
	/* -05:00: 10:03 local is 15:03Z, 54180 s into the day. */
	parses_to("2026-11-21T10:03:00-05:00", NOV21_2026 + 54180);
	/* +05:30: 10:03 local is 04:33Z, 16380 s. */
	parses_to("2026-11-21T10:03:00+05:30", NOV21_2026 + 16380);
	parses_to("2026-11-21T00:00:00+00:00", NOV21_2026);
	parses_to("2026-11-21T00:00:00-00:00", NOV21_2026);
	/* Fractions are dropped, not rounded. */
	parses_to("2026-11-21T10:03:00.999999Z", NOV21_2026 + 36180);
	parses_to("2026-11-21T10:03:00.5-05:00", NOV21_2026 + 54180);
	/* Across midnight: 23:30-05:00 is 04:30Z the next day. */
	parses_to("2026-11-21T23:30:00-05:00", NOV21_2026 + 86400 + 16200);
	/* A leap day. 2028-02-29 is 2 years + 59 days on: (730 + 59) days. */
	parses_to("2028-02-29T00:00:00Z", JAN1_2026 + (730LL + 59) * 86400);
	/* The zone does not matter when the offset is given. */
	unit_zone("Asia/Tokyo");
	parses_to("2026-11-21T10:03:00-05:00", NOV21_2026 + 54180);
}

static void
test_parse_date(void **state)
{
	(void)state;
	/* YYYY-MM-DD: midnight in the current zone. */
	unit_zone("America/Bogota");
	parses_to("2026-11-21", NOV21_2026 + 5 * 3600);
	unit_zone("Europe/Madrid");
	parses_to("2026-11-21", NOV21_2026 - 3600);            /* +01:00 */
	/* 2026-07-01: day 181 (Jan .. Jun hold 181 days), +02:00. */
	parses_to("2026-07-01", JAN1_2026 + 181LL * 86400 - 2 * 3600);
	unit_zone("UTC");
	parses_to("2026-11-21", NOV21_2026);
	/* The first and the last date it takes. */
	parses_to("1970-01-02", 86400);
	unit_zone("America/Bogota");
	parses_to("9999-12-30", 253402300799LL - 2 * 86400 + 1 + 5 * 3600);
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "2026", "2026-11", "2026-1-21", "2026-11-2", "26-11-21",
		"2026-02-29", "2026-02-30", "2026-04-31", "2026-00-10", "2026-13-01",
		"2026-11-00", "1969-12-31T23:59:59Z",
		/* The first and the last day, in any form (found by fuzzing). */
		"1970-01-01", "9999-12-31", "1970-01-01T00:00:00Z", "9999-12-31T00:00:00Z",
		"2026-11-21T25:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T10:60:00Z",
		"2026-11-21T10:03:61Z", "2026-11-21T10:03Z", "2026-11-21T10:03:00",
		"2026-11-21T10:03:00Zjunk", "2026-11-21T10:03:00+05:00x",
		"2026-11-21T10:03:00+0500", "2026-11-21T10:03:00+05", "2026-11-21T10:03:00+24:00",
		"2026-11-21T10:03:00.Z", "2026-11-21T10:03:00,5Z", "2026-11-21x",
		"2026-11-21T", "2026/11/21", " 2026-11-21", "2026-11-21 ", "yesterday",
	};

	(void)state;
	unit_zone("America/Bogota");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		time_t t;
		int rc = sd_time_parse(&t, unit_z(), bad[i]);
		if (rc != SD_EINVALID)
			fail_msg("'%s' parsed (%d)", bad[i], rc);
	}
	{
		time_t t;
		assert_fails(sd_time_parse(&t, unit_z(), "2026-02-30"), SD_EINVALID,
		    "'2026-02-30' is not an RFC 3339 time or a YYYY-MM-DD date");
		assert_fails(sd_time_parse(&t, unit_z(), "2026-11-21T10:03:00"), SD_EINVALID,
		    "'2026-11-21T10:03:00' is not an RFC 3339 time or a YYYY-MM-DD date");
	}
}

static void
formats_to(time_t t, const char *want)
{
	char out[SD_TIME_MAX];

	sd_time_format(out, unit_z(), t);
	assert_string_equal(out, want);
}

static void
test_format(void **state)
{
	(void)state;
	unit_zone("America/Bogota");
	formats_to(NOV21_2026 + 36180, "2026-11-21T05:03:00-05:00");
	formats_to(NOV21_2026, "2026-11-20T19:00:00-05:00");
	formats_to(JAN1_2026, "2025-12-31T19:00:00-05:00");

	/* Madrid: +01:00 in winter, +02:00 in summer.  2026-01-15 is day 14,
	 * 2026-07-15 is day 195 (181 + 14). */
	unit_zone("Europe/Madrid");
	formats_to(JAN1_2026 + 14LL * 86400 + 12 * 3600, "2026-01-15T13:00:00+01:00");
	formats_to(JAN1_2026 + 195LL * 86400 + 12 * 3600, "2026-07-15T14:00:00+02:00");
	/* The changes: 2026-03-29 (day 87) at 01:00Z, 2026-10-25 (day 297)
	 * at 01:00Z. */
	formats_to(JAN1_2026 + 87LL * 86400 + 3599, "2026-03-29T01:59:59+01:00");
	formats_to(JAN1_2026 + 87LL * 86400 + 3600, "2026-03-29T03:00:00+02:00");
	formats_to(JAN1_2026 + 297LL * 86400 + 3599, "2026-10-25T02:59:59+02:00");
	formats_to(JAN1_2026 + 297LL * 86400 + 3600, "2026-10-25T02:00:00+01:00");

	unit_zone("UTC");
	formats_to(NOV21_2026, "2026-11-21T00:00:00+00:00");
	unit_zone("Asia/Kolkata");
	formats_to(NOV21_2026, "2026-11-21T05:30:00+05:30");
	unit_zone("America/St_Johns");                          /* -03:30 */
	formats_to(NOV21_2026, "2026-11-20T20:30:00-03:30");
	unit_zone("Asia/Kathmandu");
	formats_to(NOV21_2026, "2026-11-21T05:45:00+05:45");
}

/* What sd_time_format writes, sd_time_parse reads back. */
static void
test_format_parse(void **state)
{
	static const char *const zones[] = {
		"America/Bogota", "Europe/Madrid", "America/St_Johns", "Pacific/Chatham",
		"Australia/Lord_Howe",
	};
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		unit_zone(zones[z]);
		for (int i = 0; i < 2000; i++) {
			time_t t = (time_t)(JAN1_2026 + (long long)unit_below(&r, 3LL * 366 * 86400));
			char out[SD_TIME_MAX];
			time_t back;

			sd_time_format(out, unit_z(), t);
			if (strlen(out) != 25 || sd_time_parse(&back, unit_z(), out) < 0 || back != t)
				unit_fail(&r, "%s: %lld formats as %s", zones[z], (long long)t, out);
		}
	}
}

static void
test_zone(void **state)
{
	static const char *const bad[] = {
		"Nowhere/City", "../etc", "../../etc/passwd", "/etc/passwd",
		"America/../etc/passwd", "America", "America/", "", "Europe/Madrid ",
		"Europe/Madrid\n", "America/Bogota;rm", "leapseconds", "zone.tab",
	};
	struct sd_zone *z;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;

		z = (struct sd_zone *)1;
		rc = sd_zone_load(&z, bad[i], NULL);
		if (rc != SD_EINVALID)
			fail_msg("zone '%s' taken (%d)", bad[i], rc);
		/* A refused zone gives none. */
		assert_null(z);
	}
	assert_fails(sd_zone_load(&z, "Nowhere/City", NULL), SD_EINVALID,
	    "unknown time zone 'Nowhere/City'");
	assert_fails(sd_zone_load(&z, "../etc", NULL), SD_EINVALID, "unknown time zone '../etc'");
	assert_fails(sd_zone_load(&z, "/etc/passwd", NULL), SD_EINVALID,
	    "unknown time zone '/etc/passwd'");
	assert_fails(sd_zone_load(&z, NULL, NULL), SD_EINVALID, "unknown time zone ''");
	unit_zone("UTC");
	unit_zone("Etc/GMT+5");
	formats_to(NOV21_2026, "2026-11-20T19:00:00-05:00");
	unit_zone("America/Argentina/Buenos_Aires");
	formats_to(NOV21_2026, "2026-11-20T21:00:00-03:00");
	/* TZ is not read: the zone given is the zone. */
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	formats_to(NOV21_2026, "2026-11-20T21:00:00-03:00");
	unsetenv("TZ");
	tzset();
}

static void
test_now(void **state)
{
	time_t t, before, after;

	(void)state;
	unit_zone("America/Bogota");
	setenv("SD_NOW", "2026-11-21T10:03:00-05:00", 1);
	assert_ok(sd_cli_now(&t));
	assert_int_equal((long long)t, NOV21_2026 + 54180);
	setenv("SD_NOW", "2026-11-21T15:03:00.25Z", 1);
	assert_ok(sd_cli_now(&t));
	assert_int_equal((long long)t, NOV21_2026 + 54180);

	setenv("SD_NOW", "yesterday", 1);
	assert_fails(sd_cli_now(&t), SD_EUSAGE, "SD_NOW: 'yesterday' is not an RFC 3339 time");
	/* A date alone is not an instant. */
	setenv("SD_NOW", "2026-11-21", 1);
	assert_fails(sd_cli_now(&t), SD_EUSAGE, "SD_NOW: '2026-11-21' is not an RFC 3339 time");
	setenv("SD_NOW", "2026-11-21T10:03:00", 1);
	assert_int_equal(sd_cli_now(&t), SD_EUSAGE);

	/* Unset or empty: the clock. */
	unsetenv("SD_NOW");
	before = time(NULL);
	assert_ok(sd_cli_now(&t));
	after = time(NULL);
	assert_true(t >= before && t <= after);
	setenv("SD_NOW", "", 1);
	assert_ok(sd_cli_now(&t));
	assert_true(t >= before && t <= time(NULL));
	unsetenv("SD_NOW");
}

static void
duration_is(const char *s, long long amount, enum sd_duration_unit unit)
{
	struct sd_duration d;

	if (sd_duration_parse(&d, s) < 0)
		fail_msg("'%s': %s", s, sd_error_message());
	assert_int_equal(d.amount, amount);
	assert_int_equal(d.unit, unit);
}

static void
test_duration(void **state)
{
	static const char *const bad[] = {
		"", "5", "5x", "-1h", "+1h", "100000m", "999999bd", "5 h", " 5h", "5h ",
		"5H", "5hb", "bh", "h", "1.5h", "5bh5", "5mm", "5s", "5w", "0x10m",
	};
	struct sd_duration d;

	(void)state;
	duration_is("0m", 0, SD_DUR_WALL);
	duration_is("5m", 300, SD_DUR_WALL);
	duration_is("2h", 7200, SD_DUR_WALL);
	duration_is("48h", 172800, SD_DUR_WALL);
	duration_is("3d", 259200, SD_DUR_WALL);
	duration_is("30bm", 1800, SD_DUR_BUSINESS);
	duration_is("4bh", 14400, SD_DUR_BUSINESS);
	duration_is("5bd", 5, SD_DUR_BUSINESS_DAYS);
	duration_is("0bd", 0, SD_DUR_BUSINESS_DAYS);
	duration_is("99999m", 5999940, SD_DUR_WALL);       /* the largest N */
	duration_is("99999d", 99999LL * 86400, SD_DUR_WALL);
	duration_is("99999bd", 99999, SD_DUR_BUSINESS_DAYS);
	duration_is("00005bh", 18000, SD_DUR_BUSINESS);     /* five digits */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = sd_duration_parse(&d, bad[i]);
		if (rc != SD_EINVALID)
			fail_msg("duration '%s' taken (%d)", bad[i], rc);
	}
	assert_fails(sd_duration_parse(&d, "5x"), SD_EINVALID,
	    "'5x' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)");
	assert_fails(sd_duration_parse(&d, "100000m"), SD_EINVALID,
	    "'100000m' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)");
}

/* sd's own form (YYYY-MM-DDTHH:MM:SS+HH:MM) is read at a glance; with a
 * lowercase t it goes the general way.  Over strings near that form, good
 * and bad (digits out of range, separators wrong, cut short, one byte
 * more), both ways give the same instant or the same refusal. */
static void
test_parse_own_form(void **state)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd+dd:dd";
	static const char other[] = "0123456789-:+ZTt. \xff";
	struct unit_rng r;
	int fast_ok = 0;

	(void)state;
	unit_rng_init(&r);
	for (int n = 0; n < 200000; n++) {
		char a[40], b[40];
		time_t ta = 0, tb = 0;
		int ra, rb;
		size_t len = sizeof(shape) - 1;

		for (size_t i = 0; i < len; i++) {
			if (shape[i] == 'd')
				a[i] = (char)('0' + unit_below(&r, 10));
			else if (shape[i] == '+')
				a[i] = unit_below(&r, 2) ? '+' : '-';
			else
				a[i] = shape[i];
		}
		/* Years near 1970 and 9999, and sometimes a plausible date. */
		if (unit_below(&r, 2))
			memcpy(a, unit_below(&r, 2) ? "2026" : unit_below(&r, 2) ? "1970" : "9999", 4);
		if (unit_below(&r, 2)) {
			a[5] = '0' + (char)unit_below(&r, 2);
			a[8] = '0' + (char)unit_below(&r, 3);
			a[11] = '0' + (char)unit_below(&r, 3);
		}
		a[len] = '\0';
		switch (unit_below(&r, 6)) {
		case 0:         /* one byte changed */
			a[unit_below(&r, len)] = other[unit_below(&r, sizeof(other) - 1)];
			break;
		case 1:         /* cut short */
			a[unit_below(&r, len)] = '\0';
			break;
		case 2:         /* one byte more */
			a[len] = other[unit_below(&r, sizeof(other) - 1)];
			a[len + 1] = '\0';
			break;
		}
		memcpy(b, a, sizeof(a));
		if (b[10] == 'T')
			b[10] = 't';
		sd_error_clear();
		ra = sd_time_parse(&ta, unit_z(), a);
		rb = sd_time_parse(&tb, unit_z(), b);
		if (ra != rb || (ra == 0 && ta != tb)) {
			print_error("'%s': %d %lld, '%s': %d %lld\n", a, ra, (long long)ta, b, rb,
			    (long long)tb);
			fail();
		}
		fast_ok += ra == 0 && a[10] == 'T';
	}
	/* Enough good ones to have tried the quick way. */
	assert_true(fast_ok > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_rfc3339),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_own_form),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_duration),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
