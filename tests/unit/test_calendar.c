/*
 * Business calendars (sd/calendar.h, SPEC section 7): hand-computed due
 * instants, business time between instants, daylight-saving changes,
 * errors, and properties over random instants and durations.
 *
 * The weeks used (2026-01-01 is a Thursday):
 *   Sat 2026-11-21, Mon 23, Tue 24, Wed 25, Thu 26, Fri 27, Sat 28,
 *   Sun 29, Mon 30, Tue 2026-12-01; Mon 2026-12-07, Tue 08 (a holiday),
 *   Wed 09.
 *   Europe/Madrid changes on Sun 2026-03-29 (02:00 +01:00 -> 03:00
 *   +02:00: a 23-hour day) and Sun 2026-10-25 (03:00 +02:00 -> 02:00
 *   +01:00: a 25-hour day).
 */
#include "unit.h"
#include "sla_internal.h"

#include <limits.h>

#define H 3600LL
#define BDAY (9 * H + 30 * 60)  /* 07:30-17:00: 34200 s */

static struct sd_calendar *
calendar(const char *const week[7], const char *holidays)
{
	struct sd_calendar *cal;

	assert_ok(sd_calendar_new(&cal));
	sd_calendar_set_zone(cal, unit_z());
	for (int d = 0; d < 7; d++)
		assert_ok(sd_calendar_set_day(cal, d, week[d]));
	if (holidays) {
		char *copy = strdup(holidays), *save = NULL;
		for (char *h = strtok_r(copy, ",", &save); h; h = strtok_r(NULL, ",", &save))
			assert_ok(sd_calendar_add_holiday(cal, h));
		free(copy);
	}
	return cal;
}

/* America/Bogota (always -05:00), Mon-Fri 07:30-17:00, 2026-12-08 off. */
static struct sd_calendar *
bogota(void)
{
	static const char *const week[7] = {
		"", "07:30-17:00", "07:30-17:00", "07:30-17:00", "07:30-17:00",
		"07:30-17:00", ""
	};

	unit_zone("America/Bogota");
	return calendar(week, "2026-12-08");
}

/* America/Bogota, Mon-Fri 08:00-12:00 and 14:00-18:00. */
static struct sd_calendar *
split(void)
{
	static const char *const week[7] = {
		"", "08:00-12:00, 14:00-18:00", "08:00-12:00, 14:00-18:00",
		"08:00-12:00, 14:00-18:00", "08:00-12:00, 14:00-18:00",
		"08:00-12:00,14:00-18:00", ""
	};

	unit_zone("America/Bogota");
	return calendar(week, NULL);
}

/* Europe/Madrid, every day 08:00-20:00 (or spec). */
static struct sd_calendar *
madrid(const char *spec)
{
	const char *week[7];

	for (int d = 0; d < 7; d++)
		week[d] = spec;
	unit_zone("Europe/Madrid");
	return calendar(week, NULL);
}

static struct sd_duration
dur(const char *s)
{
	struct sd_duration d;

	if (sd_duration_parse(&d, s) < 0)
		fail_msg("duration %s: %s", s, sd_error_message());
	return d;
}

/* add(from, d) is want, all three as literals. */
static void
adds(struct sd_calendar *cal, const char *from, const char *d, const char *want)
{
	struct sd_duration du = dur(d);
	time_t out;

	if (sd_calendar_add(&out, cal, unit_time(from), &du) < 0)
		fail_msg("%s + %s: %s", from, d, sd_error_message());
	if (strcmp(unit_fmt(out), want))
		fail_msg("%s + %s is %s, not %s", from, d, unit_fmt(out), want);
}

static void
between_is(struct sd_calendar *cal, const char *a, const char *b, long long want)
{
	long long got = sd_calendar_between(cal, unit_time(a), unit_time(b));

	if (got != want)
		fail_msg("between %s and %s: %lld s, not %lld", a, b, got, want);
}

/* --- business hours ------------------------------------------------ */

static void
test_add_hours(void **state)
{
	struct sd_calendar *cal = bogota();

	(void)state;
	/* Friday 16:30 + 1bh: 30 min to 17:00, 30 min from Monday 07:30. */
	adds(cal, "2026-11-27T16:30:00-05:00", "1bh", "2026-11-30T08:00:00-05:00");
	/* Monday 15:00 + 4bh: 2 h to 17:00, 2 h from Tuesday 07:30. */
	adds(cal, "2026-11-23T15:00:00-05:00", "4bh", "2026-11-24T09:30:00-05:00");
	/* A target used up at the closing is the closing: 15:00 + 2bh. */
	adds(cal, "2026-11-23T15:00:00-05:00", "2bh", "2026-11-23T17:00:00-05:00");
	/* 07:30 + 570bm (9 h 30 min, the whole day) is 17:00 that day. */
	adds(cal, "2026-11-23T07:30:00-05:00", "570bm", "2026-11-23T17:00:00-05:00");
	/* One minute more is 07:31 the next day. */
	adds(cal, "2026-11-23T07:30:00-05:00", "571bm", "2026-11-24T07:31:00-05:00");
	/* Inside hours, 0 is now. */
	adds(cal, "2026-11-23T10:17:00-05:00", "0bh", "2026-11-23T10:17:00-05:00");
	adds(cal, "2026-11-23T16:59:00-05:00", "1bm", "2026-11-23T17:00:00-05:00");
	/* Five whole days from Monday 07:30: Friday 17:00 (5 x 9.5 h). */
	adds(cal, "2026-11-23T07:30:00-05:00", "2850bm", "2026-11-27T17:00:00-05:00");
	/* Wall units ignore the calendar. */
	adds(cal, "2026-11-27T16:30:00-05:00", "24h", "2026-11-28T16:30:00-05:00");
	adds(cal, "2026-11-27T16:30:00-05:00", "2d", "2026-11-29T16:30:00-05:00");
	adds(cal, "2026-11-27T16:30:00-05:00", "90m", "2026-11-27T18:00:00-05:00");
	sd_calendar_free(cal);
}

static void
test_add_outside_hours(void **state)
{
	struct sd_calendar *cal = bogota();

	(void)state;
	/* On a holiday (Tuesday 2026-12-08): from Wednesday 07:30. */
	adds(cal, "2026-12-08T10:00:00-05:00", "1bh", "2026-12-09T08:30:00-05:00");
	/* Monday 15:00 + 4bh: 2 h Monday, none on the holiday, 2 h Wednesday. */
	adds(cal, "2026-12-07T15:00:00-05:00", "4bh", "2026-12-09T09:30:00-05:00");
	/* At night: from the next morning. */
	adds(cal, "2026-11-23T22:00:00-05:00", "1bh", "2026-11-24T08:30:00-05:00");
	adds(cal, "2026-11-24T06:00:00-05:00", "1bh", "2026-11-24T08:30:00-05:00");
	/* At the closing itself: the closing is outside [open, close). */
	adds(cal, "2026-11-23T17:00:00-05:00", "1bh", "2026-11-24T08:30:00-05:00");
	/* On Saturday and late Sunday: from Monday 07:30. */
	adds(cal, "2026-11-28T10:00:00-05:00", "1bh", "2026-11-30T08:30:00-05:00");
	adds(cal, "2026-11-29T23:59:00-05:00", "30bm", "2026-11-30T08:00:00-05:00");
	/* 0bh outside hours: the next opening. */
	adds(cal, "2026-11-28T10:00:00-05:00", "0bh", "2026-11-30T07:30:00-05:00");
	sd_calendar_free(cal);
}

static void
test_add_split_day(void **state)
{
	struct sd_calendar *cal = split();

	(void)state;
	/* 11:00 + 2bh: 1 h to 12:00, lunch, 1 h from 14:00. */
	adds(cal, "2026-11-23T11:00:00-05:00", "2bh", "2026-11-23T15:00:00-05:00");
	/* 11:00 + 1bh: used up at 12:00, not 14:00. */
	adds(cal, "2026-11-23T11:00:00-05:00", "1bh", "2026-11-23T12:00:00-05:00");
	/* Created at lunch: from 14:00. */
	adds(cal, "2026-11-23T12:30:00-05:00", "1bh", "2026-11-23T15:00:00-05:00");
	/* 08:00 + 5bh: 4 h morning, 1 h afternoon. */
	adds(cal, "2026-11-23T08:00:00-05:00", "5bh", "2026-11-23T15:00:00-05:00");
	/* 08:00 + 8bh: the whole day, 18:00.  + 9bh: 09:00 next day. */
	adds(cal, "2026-11-23T08:00:00-05:00", "8bh", "2026-11-23T18:00:00-05:00");
	adds(cal, "2026-11-23T08:00:00-05:00", "9bh", "2026-11-24T09:00:00-05:00");
	/* Friday 17:00 + 2bh: 1 h Friday, 1 h Monday. */
	adds(cal, "2026-11-27T17:00:00-05:00", "2bh", "2026-11-30T09:00:00-05:00");
	between_is(cal, "2026-11-23T11:00:00-05:00", "2026-11-23T15:00:00-05:00", 2 * H);
	between_is(cal, "2026-11-23T12:00:00-05:00", "2026-11-23T14:00:00-05:00", 0);
	between_is(cal, "2026-11-23T00:00:00-05:00", "2026-11-24T00:00:00-05:00", 8 * H);
	sd_calendar_free(cal);
}

/* Nbd: the same local time N business days on, from the next opening
 * when outside hours; a target that falls on an opening is the closing
 * before it (the first instant with that much business time behind it). */
static void
test_add_days(void **state)
{
	struct sd_calendar *cal = bogota();
	long long span;
	struct sd_duration d;

	(void)state;
	/* Tuesday 10:00 + 3bd: Wednesday, Thursday, Friday 10:00. */
	adds(cal, "2026-11-24T10:00:00-05:00", "3bd", "2026-11-27T10:00:00-05:00");
	/* Monday 09:00 + 5bd: next Monday 09:00. */
	adds(cal, "2026-11-23T09:00:00-05:00", "5bd", "2026-11-30T09:00:00-05:00");
	/* Friday 16:00 + 2bd: Monday, Tuesday 16:00. */
	adds(cal, "2026-11-27T16:00:00-05:00", "2bd", "2026-12-01T16:00:00-05:00");
	/* Friday 18:00 (closed) + 1bd: from Monday 07:30, one business day
	 * on is Tuesday 07:30, an opening: so Monday's closing, 17:00. */
	adds(cal, "2026-11-27T18:00:00-05:00", "1bd", "2026-11-30T17:00:00-05:00");
	adds(cal, "2026-11-28T10:00:00-05:00", "1bd", "2026-11-30T17:00:00-05:00");
	adds(cal, "2026-11-27T17:00:00-05:00", "1bd", "2026-11-30T17:00:00-05:00");
	/* From an opening, the same: Monday 07:30 + 1bd is Monday 17:00. */
	adds(cal, "2026-11-23T07:30:00-05:00", "1bd", "2026-11-23T17:00:00-05:00");
	/* Just before the closing: the same time on Monday. */
	adds(cal, "2026-11-27T16:59:30-05:00", "1bd", "2026-11-30T16:59:30-05:00");
	/* Over the holiday: Monday 10:00 + 1bd is Wednesday 10:00. */
	adds(cal, "2026-12-07T10:00:00-05:00", "1bd", "2026-12-09T10:00:00-05:00");
	/* 0bd is now, in hours or not. */
	adds(cal, "2026-11-24T10:00:00-05:00", "0bd", "2026-11-24T10:00:00-05:00");
	adds(cal, "2026-11-28T10:00:00-05:00", "0bd", "2026-11-28T10:00:00-05:00");

	/* sd_calendar_span: business seconds for bd, the amount otherwise. */
	d = dur("1bd");
	assert_ok(sd_calendar_span(&span, cal, unit_time("2026-11-23T10:00:00-05:00"), &d));
	assert_int_equal(span, BDAY);
	d = dur("3bd");
	assert_ok(sd_calendar_span(&span, cal, unit_time("2026-12-07T10:00:00-05:00"), &d));
	assert_int_equal(span, 3 * BDAY);
	d = dur("4bh");
	assert_ok(sd_calendar_span(&span, cal, unit_time("2026-11-28T10:00:00-05:00"), &d));
	assert_int_equal(span, 4 * H);
	d = dur("2d");
	assert_ok(sd_calendar_span(&span, cal, unit_time("2026-11-28T10:00:00-05:00"), &d));
	assert_int_equal(span, 48 * H);
	sd_calendar_free(cal);
}

/* A calendar open one hour on Mondays, with two Mondays off. */
static void
test_add_sparse(void **state)
{
	static const char *const week[7] = { "", "09:00-10:00", "", "", "", "", "" };
	struct sd_calendar *cal;

	(void)state;
	unit_zone("America/Bogota");
	cal = calendar(week, "2026-11-30,2026-11-23");
	/* Mondays 23 and 30 are off: Monday 2026-12-07 09:00-10:00. */
	adds(cal, "2026-11-21T00:00:00-05:00", "1bh", "2026-12-07T10:00:00-05:00");
	adds(cal, "2026-11-21T00:00:00-05:00", "90bm", "2026-12-14T09:30:00-05:00");
	adds(cal, "2026-11-21T00:00:00-05:00", "1bd", "2026-12-07T10:00:00-05:00");
	sd_calendar_free(cal);
}

static void
test_between(void **state)
{
	struct sd_calendar *cal = bogota();
	time_t a = unit_time("2026-11-23T10:00:00-05:00");

	(void)state;
	/* Nights, weekends and holidays count nothing. */
	between_is(cal, "2026-11-23T17:00:00-05:00", "2026-11-24T07:30:00-05:00", 0);
	between_is(cal, "2026-11-27T17:00:00-05:00", "2026-11-30T07:30:00-05:00", 0);
	between_is(cal, "2026-12-08T00:00:00-05:00", "2026-12-09T00:00:00-05:00", 0);
	/* Friday 16:00 to Monday 08:30: 1 h + 1 h. */
	between_is(cal, "2026-11-27T16:00:00-05:00", "2026-11-30T08:30:00-05:00", 2 * H);
	/* Monday 16:00 to Wednesday 08:30 over the holiday: 1 h + 1 h. */
	between_is(cal, "2026-12-07T16:00:00-05:00", "2026-12-09T08:30:00-05:00", 2 * H);
	/* The whole working week: 5 x 34200. */
	between_is(cal, "2026-11-23T07:30:00-05:00", "2026-11-28T00:00:00-05:00", 171000);
	/* 2026: 365 days from a Thursday, 52 weeks and a Thursday, so
	 * 52 x 5 + 1 = 261 weekdays, less 2026-12-08: 260 x 34200. */
	between_is(cal, "2026-01-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00", 260 * BDAY);
	/* Empty and reversed intervals. */
	assert_int_equal(sd_calendar_between(cal, a, a), 0);
	assert_int_equal(sd_calendar_between(cal, a, a - 3600), 0);
	assert_int_equal(sd_calendar_between(cal, a, a + 1), 1);
	sd_calendar_free(cal);
}

static void
test_measure(void **state)
{
	struct sd_calendar *cal = bogota();
	struct sd_duration wall = dur("24h"), bh = dur("4bh"), bd = dur("3bd");
	/* Friday 16:00 to Monday 08:30. */
	time_t a = unit_time("2026-11-27T16:00:00-05:00"), b = unit_time("2026-11-30T08:30:00-05:00");

	(void)state;
	/* A wall-clock target counts every second: 2 d 16 h 30 min. */
	assert_int_equal(sd_calendar_measure(cal, &wall, a, b), 2 * 86400 + 16 * H + 1800);
	/* A business one, business seconds only: 1 h + 1 h. */
	assert_int_equal(sd_calendar_measure(cal, &bh, a, b), 2 * H);
	assert_int_equal(sd_calendar_measure(cal, &bd, a, b), 2 * H);
	/* Reversed or empty: nothing. */
	assert_int_equal(sd_calendar_measure(cal, &wall, b, a), 0);
	assert_int_equal(sd_calendar_measure(cal, &bh, b, a), 0);
	assert_int_equal(sd_calendar_measure(cal, &wall, a, a), 0);
	sd_calendar_free(cal);
}

/* --- daylight saving ----------------------------------------------- */

static void
test_dst_madrid(void **state)
{
	struct sd_calendar *cal = madrid("08:00-20:00");
	long long span;
	struct sd_duration d;

	(void)state;
	/* Spring: Saturday 19:00 +01:00 to Sunday 09:00 +02:00 is 13 h of
	 * wall time (18:00Z to 07:00Z), 1 h + 1 h of business time. */
	between_is(cal, "2026-03-28T19:00:00+01:00", "2026-03-29T09:00:00+02:00", 2 * H);
	adds(cal, "2026-03-28T19:00:00+01:00", "2bh", "2026-03-29T09:00:00+02:00");
	/* 12 h Saturday, 1 h Sunday. */
	adds(cal, "2026-03-28T08:00:00+01:00", "13bh", "2026-03-29T09:00:00+02:00");
	/* The 23-hour day still has 12 business hours. */
	between_is(cal, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 12 * H);
	/* 1bd: the same local time, 23 h later. */
	adds(cal, "2026-03-28T10:00:00+01:00", "1bd", "2026-03-29T10:00:00+02:00");
	d = dur("1bd");
	assert_ok(sd_calendar_span(&span, cal, unit_time("2026-03-28T10:00:00+01:00"), &d));
	assert_int_equal(span, 12 * H);         /* 10 h Saturday + 2 h Sunday */
	/* Wall time is elapsed time: 24 h is 13:00 the next (local) day. */
	adds(cal, "2026-03-28T12:00:00+01:00", "24h", "2026-03-29T13:00:00+02:00");

	/* Autumn: Saturday 19:00 +02:00 to Sunday 09:00 +01:00, 15 h of
	 * wall time, 2 business hours. */
	between_is(cal, "2026-10-24T19:00:00+02:00", "2026-10-25T09:00:00+01:00", 2 * H);
	adds(cal, "2026-10-24T19:00:00+02:00", "2bh", "2026-10-25T09:00:00+01:00");
	between_is(cal, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 12 * H);
	adds(cal, "2026-10-24T10:00:00+02:00", "1bd", "2026-10-25T10:00:00+01:00");
	adds(cal, "2026-10-24T12:00:00+02:00", "24h", "2026-10-25T11:00:00+01:00");
	/* A week across the change: 7 x 12 h. */
	between_is(cal, "2026-10-22T00:00:00+02:00", "2026-10-29T00:00:00+01:00", 7 * 12 * H);
	sd_calendar_free(cal);
}

/* Open all day: business seconds are real seconds, 23 h and 25 h. */
static void
test_dst_all_day(void **state)
{
	struct sd_calendar *cal = madrid("00:00-24:00");

	(void)state;
	between_is(cal, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 23 * H);
	between_is(cal, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 25 * H);
	/* 24bh from Sunday 00:00: 23 h on Sunday, 1 h on Monday. */
	adds(cal, "2026-03-29T00:00:00+01:00", "24bh", "2026-03-30T01:00:00+02:00");
	adds(cal, "2026-10-25T00:00:00+02:00", "24bh", "2026-10-25T23:00:00+01:00");
	adds(cal, "2026-03-29T01:30:00+01:00", "1bh", "2026-03-29T03:30:00+02:00");
	sd_calendar_free(cal);
}

/* America/St_Johns went back from Sun 2009-11-01 00:01 -02:30 to Sat
 * 23:01 -03:30: the minutes after 02:31Z are Saturday again, though
 * Sunday's midnight (02:30Z) is behind them.  02:45Z is Saturday 23:15,
 * so one business day on, every day open, is Sunday 23:15 -03:30, 24
 * hours on; Sunday, 25 hours long, has them all. */
static void
test_dst_back_across_midnight(void **state)
{
	static const char *const week[7] = {
		"00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00",
		"00:00-24:00", "00:00-24:00", "00:00-24:00"
	};
	struct sd_calendar *cal;
	struct sd_duration one = dur("1bd");
	long long span;
	time_t out;

	(void)state;
	unit_zone("America/St_Johns");
	cal = calendar(week, NULL);
	/* The days around it looked at first, as a report's earlier tickets
	 * would have. */
	between_is(cal, "2009-10-31T12:00:00-02:30", "2009-11-02T12:00:00-03:30", 49 * H);
	assert_ok(sd_calendar_add(&out, cal, unit_time("2009-11-01T02:45:00Z"), &one));
	if (out != unit_time("2009-11-01T23:15:00-03:30"))
		fail_msg("Sat 23:15 (again) + 1bd is %s, not Sun 23:15", unit_fmt(out));
	assert_ok(sd_calendar_span(&span, cal, unit_time("2009-11-01T02:45:00Z"), &one));
	assert_int_equal(span, 24 * H);
	between_is(cal, "2009-11-01T02:30:00Z", "2009-11-02T03:30:00Z", 25 * H);
	sd_calendar_free(cal);
}

/* America/Bogota skipped 00:00-01:00 on Sun 1992-05-03 (-05:00 ->
 * -04:00).  A range opening in the skipped hour opens an hour later, after
 * it closes: empty, not negative (found by fuzzing).  That Sunday has
 * 02:00-03:00 and 04:00-06:00 of -04:00: three hours. */
static void
test_dst_gap(void **state)
{
	const char *spec = "00:02-01:00,02:00-03:00,04:00-06:00", *week[7];
	struct sd_calendar *cal;

	(void)state;
	for (int d = 0; d < 7; d++)
		week[d] = spec;
	unit_zone("America/Bogota");
	cal = calendar(week, NULL);
	between_is(cal, "1992-05-02T23:00:00-05:00", "1992-05-04T00:00:00-04:00", 3 * H);
	adds(cal, "1992-05-02T23:00:00-05:00", "1bh", "1992-05-03T03:00:00-04:00");
	adds(cal, "1992-05-02T23:00:00-05:00", "2bh", "1992-05-03T05:00:00-04:00");
	adds(cal, "1992-05-02T23:00:00-05:00", "3bh", "1992-05-03T06:00:00-04:00");
	/* Monday is a plain day again: 58 minutes in its first range, then
	 * 2 from 02:00. */
	adds(cal, "1992-05-02T23:00:00-05:00", "4bh", "1992-05-04T02:02:00-04:00");
	sd_calendar_free(cal);
}

/* Madrid shows 02:00-03:00 twice on Sun 2026-10-25.  A range opening at
 * 02:30 opens at the first 02:30 (+02:00), whatever the process asked of
 * mktime before (glibc settles it by its previous call); business time is
 * a function of the calendar alone.  And the cache, once filled, holds
 * the same. */
static void
test_dst_repeated_hour(void **state)
{
	static const char *const before[] = {
		"2026-01-15T12:00:00+01:00", "2026-07-15T12:00:00+02:00",
	};

	(void)state;
	for (int k = 0; k < 2; k++) {
		struct sd_calendar *cal = madrid("02:30-12:00");
		struct tm tm;
		time_t t = unit_time(before[k]);

		/* A conversion of the other season, right before. */
		localtime_r(&t, &tm);
		tm.tm_isdst = -1;
		(void)mktime(&tm);
		between_is(cal, "2026-10-25T00:00:00+02:00", "2026-10-25T12:00:00+01:00",
		    10 * H + 30 * 60);
		adds(cal, "2026-10-25T00:00:00+02:00", "1bh", "2026-10-25T02:30:00+01:00");
		sd_calendar_free(cal);
	}
}

/* Business days no further than any search for business time goes (50
 * years): an error beyond, not a date clamped to the limit. */
static void
test_add_days_far(void **state)
{
	const char *week[7] = { "", "08:00-17:00", "08:00-17:00", "08:00-17:00",
		"08:00-17:00", "08:00-17:00", "" };
	struct sd_calendar *cal;
	struct sd_duration d;
	time_t out;

	(void)state;
	unit_zone("America/Bogota");
	cal = calendar(week, NULL);
	adds(cal, "2026-11-23T10:00:00-05:00", "13000bd", "2076-09-21T10:00:00-05:00");
	d = dur("13100bd");
	assert_fails(sd_calendar_add(&out, cal, unit_time("2026-11-23T10:00:00-05:00"), &d),
	    SD_EINVALID, "the calendar has no business hours ahead");
	sd_calendar_free(cal);
}

/* Days centuries apart: the cache starts again around the new one, and
 * every answer is what a fresh calendar gives. */
static void
test_cache_far_apart(void **state)
{
	static const char *const weeks[][2] = {
		{ "1971-03-01T00:00:00Z", "1971-03-15T00:00:00Z" },
		{ "2400-03-01T00:00:00Z", "2400-03-15T00:00:00Z" },
		{ "1971-03-01T00:00:00Z", "1971-03-15T00:00:00Z" },
		{ "2026-11-23T00:00:00Z", "2027-11-23T00:00:00Z" },
	};
	struct sd_calendar *cal = madrid("08:00-12:00,14:00-18:00");

	(void)state;
	for (size_t i = 0; i < sizeof(weeks) / sizeof(weeks[0]); i++) {
		struct sd_calendar *fresh = madrid("08:00-12:00,14:00-18:00");
		time_t a = unit_time(weeks[i][0]), b = unit_time(weeks[i][1]);

		assert_int_equal(sd_calendar_between(cal, a, b), sd_calendar_between(fresh, a, b));
		assert_true(sd_calendar_between(cal, a, b) > 0);
		sd_calendar_free(fresh);
	}
	sd_calendar_free(cal);
}

/* Rules changed after a calendar has measured days: it answers by the new
 * ones, as a fresh calendar does, never from what it kept of the old. */
static void
test_rules_changed(void **state)
{
	struct sd_calendar *cal = bogota();
	time_t mon = unit_time("2026-11-23T07:30:00-05:00");
	time_t sat = unit_time("2026-11-28T00:00:00-05:00");

	(void)state;
	between_is(cal, "2026-11-23T07:30:00-05:00", "2026-11-28T00:00:00-05:00", 5 * BDAY);
	adds(cal, "2026-11-23T07:30:00-05:00", "3bd", "2026-11-25T17:00:00-05:00");
	/* Wednesday off: a day less, and the due date a day on. */
	assert_ok(sd_calendar_add_holiday(cal, "2026-11-25"));
	between_is(cal, "2026-11-23T07:30:00-05:00", "2026-11-28T00:00:00-05:00", 4 * BDAY);
	adds(cal, "2026-11-23T07:30:00-05:00", "3bd", "2026-11-26T17:00:00-05:00");
	adds(cal, "2026-11-24T16:00:00-05:00", "2bh", "2026-11-26T08:30:00-05:00");
	/* Thursday 09:00-10:00 only. */
	assert_ok(sd_calendar_set_day(cal, 4, "09:00-10:00"));
	between_is(cal, "2026-11-23T07:30:00-05:00", "2026-11-28T00:00:00-05:00", 3 * BDAY + H);
	adds(cal, "2026-11-24T16:00:00-05:00", "2bh", "2026-11-26T10:00:00-05:00");
	/* Saturday open: measured at once. */
	assert_ok(sd_calendar_set_day(cal, 6, "08:00-12:00"));
	assert_int_equal(sd_calendar_between(cal, mon, sat + 24 * H), 3 * BDAY + H + 4 * H);
	sd_calendar_free(cal);
}

/* Ten thousand holidays, out of order and each given twice: the 5000 days
 * from Friday 2027-01-01 to Saturday 2040-09-08 (2027-01-01 + 4999 days,
 * worked out apart).  Sunday 2040-09-09 follows, so the first business day
 * after 2026-12-31 is Monday 2040-09-10. */
static void
test_many_holidays(void **state)
{
	struct sd_calendar *cal = bogota(), *copy;
	time_t first = unit_time("2027-01-01T00:00:00Z");

	(void)state;
	for (long i = 0; i < 10000; i++) {
		/* 7919 is prime to 5000: every day twice, scattered. */
		time_t t = first + (time_t)(i * 7919 % 5000) * 86400;
		struct tm tm;
		char date[16];

		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		assert_ok(sd_calendar_add_holiday(cal, date));
	}
	/* The last day before them is a business day, whole. */
	between_is(cal, "2026-12-31T07:30:00-05:00", "2026-12-31T17:00:00-05:00", BDAY);
	adds(cal, "2026-12-31T10:00:00-05:00", "1bd", "2040-09-10T10:00:00-05:00");
	adds(cal, "2026-12-31T16:00:00-05:00", "2bh", "2040-09-10T08:30:00-05:00");
	/* Across them: Thursday's last hour, then Monday from 07:30. */
	between_is(cal, "2026-12-31T16:00:00-05:00", "2040-09-10T09:30:00-05:00", 3 * H);
	/* Tuesday 2026-12-08 is still off, and a copy answers the same. */
	between_is(cal, "2026-12-08T00:00:00-05:00", "2026-12-09T00:00:00-05:00", 0);
	assert_ok(sd__calendar_copy(&copy, cal));
	adds(copy, "2026-12-31T10:00:00-05:00", "1bd", "2040-09-10T10:00:00-05:00");
	sd_calendar_free(copy);
	sd_calendar_free(cal);
}

/* What a calendar can count to from any instant (sd_calendar_reach):
 * 2600 weeks of its hours, less its holidays and 204 days' hours for the
 * zone's changes; in days, no more than that in its longest days; and it
 * does count that far. */
static void
test_reach(void **state)
{
	static const char *const sparse_week[7] = { "", "08:00-08:01", "", "", "", "", "" };
	struct sd_calendar *cal = bogota(), *sparse;
	struct sd_duration d;
	time_t out, first = unit_time("2027-01-01T00:00:00Z");
	long long span;

	(void)state;
	/* Mon-Fri 07:30-17:00 (34200 s a day), Tuesday 2026-12-08 off:
	 * 2600 * 171000 - 34200 - 204 * 34200 s, that is 12795 days of
	 * 34200 s (fewer than 2600 * 5 - 1 - 1 = 12998). */
	assert_int_equal(sd_calendar_reach(cal, SD_DUR_BUSINESS_DAYS), 12795);
	assert_int_equal(sd_calendar_reach(cal, SD_DUR_BUSINESS), 437589000LL);
	assert_true(sd_calendar_reach(cal, SD_DUR_WALL) == LLONG_MAX);
	/* A holiday on a Sunday takes nothing; one given twice, once. */
	assert_ok(sd_calendar_add_holiday(cal, "2026-11-29"));
	assert_ok(sd_calendar_add_holiday(cal, "2026-12-08"));
	assert_int_equal(sd_calendar_reach(cal, SD_DUR_BUSINESS_DAYS), 12795);
	/* As far as that, from a Friday evening and from a Monday. */
	d = (struct sd_duration){ 12795, SD_DUR_BUSINESS_DAYS };
	assert_ok(sd_calendar_add(&out, cal, unit_time("2026-11-27T18:00:00-05:00"), &d));
	assert_ok(sd_calendar_span(&span, cal, unit_time("2026-11-23T10:00:00-05:00"), &d));
	assert_int_equal(span, 12795 * BDAY);

	/* One minute on Mondays: (2600 - 204) * 60 s, 2396 days of a
	 * minute (fewer than 2600 - 1). */
	unit_zone("America/Bogota");
	sparse = calendar(sparse_week, NULL);
	assert_int_equal(sd_calendar_reach(sparse, SD_DUR_BUSINESS_DAYS), 2396);
	assert_int_equal(sd_calendar_reach(sparse, SD_DUR_BUSINESS), 143760);
	d = (struct sd_duration){ 143760, SD_DUR_BUSINESS };
	assert_ok(sd_calendar_add(&out, sparse, unit_time("2026-11-23T08:00:30-05:00"), &d));
	d = (struct sd_duration){ 2396, SD_DUR_BUSINESS_DAYS };
	assert_ok(sd_calendar_add(&out, sparse, unit_time("2026-11-24T10:00:00-05:00"), &d));
	sd_calendar_free(sparse);

	/* Every day a holiday for 18300 days (more than the 50 years a
	 * search goes): nothing to count, and a due date fails, at once. */
	for (long i = 0; i < 18300; i++) {
		time_t t = first + (time_t)i * 86400;
		struct tm tm;
		char date[16];

		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		assert_ok(sd_calendar_add_holiday(cal, date));
	}
	assert_int_equal(sd_calendar_reach(cal, SD_DUR_BUSINESS_DAYS), 0);
	assert_int_equal(sd_calendar_reach(cal, SD_DUR_BUSINESS), 0);
	d = (struct sd_duration){ 3600, SD_DUR_BUSINESS };
	assert_fails(sd_calendar_add(&out, cal, unit_time("2027-01-01T10:00:00-05:00"), &d),
	    SD_EINVALID, "the calendar has no business hours ahead");
	d = (struct sd_duration){ 1, SD_DUR_BUSINESS_DAYS };
	assert_fails(sd_calendar_add(&out, cal, unit_time("2027-01-01T10:00:00-05:00"), &d),
	    SD_EINVALID, "the calendar has no business hours ahead");
	sd_calendar_free(cal);
}

/* --- errors -------------------------------------------------------- */

static void
test_errors(void **state)
{
	static const char *const bad[] = {
		"7:30-17:00", "07:30-7:00", "17:00-07:30", "08:00-08:00", "25:00-26:00",
		"08:00-24:01", "08:60-09:00", "08:00-12:00, 11:00-13:00",
		"14:00-18:00, 08:00-12:00", "08:00", "08:00-", "08:00-12:00;14:00-18:00",
		"08:00-12:00 14:00-18:00", "8am-5pm", "-", "08:00-12:00,x",
	};
	struct sd_calendar *cal;
	struct sd_duration d;
	time_t t = unit_time("2026-11-23T10:00:00Z"), out = 0;

	(void)state;
	unit_zone("America/Bogota");
	assert_ok(sd_calendar_new(&cal));
	sd_calendar_set_zone(cal, unit_z());
	assert_false(sd_calendar_is_open(cal));
	/* No hours at all: an error, not an endless search. */
	d = dur("1bh");
	assert_fails(sd_calendar_add(&out, cal, t, &d), SD_EINVALID,
	    "the calendar has no business hours ahead");
	d = dur("1bd");
	assert_fails(sd_calendar_add(&out, cal, t, &d), SD_EINVALID,
	    "the calendar has no business hours ahead");
	assert_int_equal(sd_calendar_between(cal, t, t + 86400 * 30), 0);
	d = dur("1h");
	assert_ok(sd_calendar_add(&out, cal, t, &d));
	assert_int_equal(out, t + 3600);

	assert_ok(sd_calendar_set_day(cal, 1, "07:30-17:00"));
	assert_true(sd_calendar_is_open(cal));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = sd_calendar_set_day(cal, 1, bad[i]);
		if (rc != SD_EINVALID)
			fail_msg("'%s' taken (%d)", bad[i], rc);
	}
	assert_fails(sd_calendar_set_day(cal, 1, "7:30-17:00"), SD_EINVALID,
	    "'7:30-17:00' is not a list of HH:MM-HH:MM ranges in order");
	assert_fails(sd_calendar_set_day(cal, 1, "08:00-12:00, 11:00-13:00"), SD_EINVALID,
	    "'08:00-12:00, 11:00-13:00' is not a list of HH:MM-HH:MM ranges in order");
	assert_int_equal(sd_calendar_set_day(cal, 7, "07:30-17:00"), SD_EINVALID);
	assert_int_equal(sd_calendar_set_day(cal, -1, "07:30-17:00"), SD_EINVALID);
	/* Refused specs left Monday as it was: 07:30-17:00. */
	between_is(cal, "2026-11-23T00:00:00-05:00", "2026-11-24T00:00:00-05:00", BDAY);
	/* Good edge cases: touching ranges, all day, closed. */
	assert_ok(sd_calendar_set_day(cal, 2, "00:00-12:00,12:00-24:00"));
	between_is(cal, "2026-11-24T00:00:00-05:00", "2026-11-25T00:00:00-05:00", 24 * H);
	assert_ok(sd_calendar_set_day(cal, 2, ""));
	between_is(cal, "2026-11-24T00:00:00-05:00", "2026-11-25T00:00:00-05:00", 0);

	assert_fails(sd_calendar_add_holiday(cal, "2026-13-01"), SD_EINVALID,
	    "'2026-13-01' is not a YYYY-MM-DD date");
	{
		static const char *const bad_dates[] = {
			"2026-00-10", "2026-02-30", "2026-04-31", "2026-12-32", "2026-1-01",
			"26-01-01", "2026-01-01x", "2026/01/01", "", "+026-01-01", " 2026-1-1",
			"2026-01- 1", "2026-01-00",
		};
		for (size_t i = 0; i < sizeof(bad_dates) / sizeof(bad_dates[0]); i++) {
			int rc = sd_calendar_add_holiday(cal, bad_dates[i]);
			if (rc != SD_EINVALID)
				fail_msg("holiday '%s' taken (%d)", bad_dates[i], rc);
		}
	}
	assert_ok(sd_calendar_add_holiday(cal, "2028-02-29"));
	/* A holiday closes a business day; twice is the same. */
	assert_ok(sd_calendar_add_holiday(cal, "2026-11-23"));
	assert_ok(sd_calendar_add_holiday(cal, "2026-11-23"));
	between_is(cal, "2026-11-23T00:00:00-05:00", "2026-11-24T00:00:00-05:00", 0);
	between_is(cal, "2026-11-30T00:00:00-05:00", "2026-12-01T00:00:00-05:00", BDAY);
	sd_calendar_free(cal);
	sd_calendar_free(NULL);
}

/* --- properties ---------------------------------------------------- */

struct prop_cal {
	const char *name;
	struct sd_calendar *(*make)(void);
	long long day;          /* business seconds a business day, or 0 */
};

static struct sd_calendar *madrid_day(void) { return madrid("08:00-20:00"); }
static struct sd_calendar *madrid_all(void) { return madrid("00:00-24:00"); }

static const struct prop_cal prop_cals[] = {
	{ "bogota", bogota, BDAY },
	{ "split", split, 8 * H },
	{ "madrid 08-20", madrid_day, 12 * H },
	{ "madrid all day", madrid_all, 0 },
};

/* A random instant of 2026 (and a little after). */
static time_t
any_instant(struct unit_rng *r)
{
	/* 2026-01-01T00:00:00Z, then up to 380 days of seconds or minutes. */
	long long t = 1767225600LL + (long long)unit_below(r, 380LL * 86400);

	if (unit_below(r, 2))
		t -= t % 60;
	return (time_t)t;
}

static struct sd_duration
business(long long secs)
{
	struct sd_duration d = { secs, SD_DUR_BUSINESS };

	return d;
}

static time_t
add_or_fail(struct unit_rng *r, struct sd_calendar *cal, time_t t,
    const struct sd_duration *d)
{
	time_t out;

	if (sd_calendar_add(&out, cal, t, d) < 0)
		unit_fail(r, "add(%s, %lld/%d): %s", unit_fmt(t), d->amount, d->unit,
		    sd_error_message());
	return out;
}

static void
test_properties(void **state)
{
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	for (size_t c = 0; c < sizeof(prop_cals) / sizeof(prop_cals[0]); c++) {
		const struct prop_cal *pc = &prop_cals[c];
		struct sd_calendar *cal = pc->make();

		for (int i = 0; i < 2000; i++) {
			time_t t = any_instant(&r), t2 = t + (time_t)unit_below(&r, 5 * 86400);
			long long secs = (long long)unit_below(&r, 200 * H), secs2;
			struct sd_duration d = business(secs), d2, days;
			time_t due = add_or_fail(&r, cal, t, &d), due2;
			long long ab, bc, ac;
			time_t a, b, cc;

			/* between(t, add(t, d)) == d */
			if (sd_calendar_between(cal, t, due) != secs)
				unit_fail(&r, "%s: between(%s, %s) = %lld, not %lld", pc->name,
				    unit_fmt(t), unit_fmt(due), sd_calendar_between(cal, t, due), secs);
			/* ... and due is the first such instant. */
			if (secs > 0 && sd_calendar_between(cal, t, due - 1) != secs - 1)
				unit_fail(&r, "%s: %s + %lld s is not the first instant", pc->name,
				    unit_fmt(t), secs);
			/* Monotonic in t. */
			due2 = add_or_fail(&r, cal, t2, &d);
			if (due2 < due)
				unit_fail(&r, "%s: add(%s) = %s after add(%s) = %s", pc->name,
				    unit_fmt(t2), unit_fmt(due2), unit_fmt(t), unit_fmt(due));
			/* Monotonic in d. */
			secs2 = secs + (long long)unit_below(&r, 20 * H);
			d2 = business(secs2);
			if (add_or_fail(&r, cal, t, &d2) < due)
				unit_fail(&r, "%s: add(%s, %lld) before add(%s, %lld)", pc->name,
				    unit_fmt(t), secs2, unit_fmt(t), secs);
			/* add(t, 0) == t inside hours. */
			d2 = business(0);
			if (sd_calendar_between(cal, t, t + 1) == 1 &&
			    add_or_fail(&r, cal, t, &d2) != t)
				unit_fail(&r, "%s: add(%s, 0) moved", pc->name, unit_fmt(t));
			/* between is additive. */
			a = t;
			b = a + (time_t)unit_below(&r, 40 * 86400);
			cc = b + (time_t)unit_below(&r, 40 * 86400);
			ab = sd_calendar_between(cal, a, b);
			bc = sd_calendar_between(cal, b, cc);
			ac = sd_calendar_between(cal, a, cc);
			if (ab + bc != ac || ab < 0 || ab > b - a)
				unit_fail(&r, "%s: between %s, %s, %s: %lld + %lld != %lld", pc->name,
				    unit_fmt(a), unit_fmt(b), unit_fmt(cc), ab, bc, ac);
			/* Nbd: N business days of business time, where every
			 * business day has the same hours; monotonic in t. */
			days.unit = SD_DUR_BUSINESS_DAYS;
			days.amount = 1 + (long long)unit_below(&r, 15);
			due = add_or_fail(&r, cal, t, &days);
			if (pc->day && sd_calendar_between(cal, t, due) != days.amount * pc->day)
				unit_fail(&r, "%s: %s + %lldbd = %s: %lld business s", pc->name,
				    unit_fmt(t), days.amount, unit_fmt(due),
				    sd_calendar_between(cal, t, due));
			if (add_or_fail(&r, cal, t2, &days) < due)
				unit_fail(&r, "%s: %lldbd from %s before from %s", pc->name,
				    days.amount, unit_fmt(t2), unit_fmt(t));
		}
		sd_calendar_free(cal);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_hours),
		cmocka_unit_test(test_add_outside_hours),
		cmocka_unit_test(test_add_split_day),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_add_sparse),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_measure),
		cmocka_unit_test(test_dst_madrid),
		cmocka_unit_test(test_dst_all_day),
		cmocka_unit_test(test_dst_back_across_midnight),
		cmocka_unit_test(test_dst_gap),
		cmocka_unit_test(test_dst_repeated_hour),
		cmocka_unit_test(test_add_days_far),
		cmocka_unit_test(test_cache_far_apart),
		cmocka_unit_test(test_rules_changed),
		cmocka_unit_test(test_many_holidays),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_properties),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
