/*
 * libFuzzer target: the small parsers of libsd, each given the input as a
 * string (up to its first NUL).
 *
 *   sd_time_parse      what parses, written by sd_time_format in the zone
 *                      set once (America/Bogota), parses to the same
 *                      instant, and the writing is a fixed point; an RFC
 *                      3339 time is the instant timegm gives for its fields
 *   sd_duration_parse  only N unit with N of 1 to 5 digits, and the amount
 *                      is N times the unit
 *   sd_id_parse        an id that parses formats back to PREFIX-N, the same
 *                      id told another way, and its path is tickets/NNN/
 *   sd_shell_split     no crash, no leak; a line with a character the shell
 *                      would act on, unquoted, is refused
 *   sd_calendar_*      the input as a weekday's hours and as a holiday;
 *                      durations and times that parse are added in the
 *                      calendar: never earlier, monotonic, as much
 *                      business time as asked
 *
 * Any broken promise is abort(), with what broke on stderr.  Built and run
 * by `make fuzz` (Makefile); seeds in tests/fuzz/corpus/parsers/.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sd/calendar.h"
#include "sd/error.h"
#include "sd/id.h"
#include "sd/shell.h"
#include "sd/time.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *input, const char *detail)
{
	fprintf(stderr, "\nFUZZ FAILURE (parsers): %s\n", what);
	fprintf(stderr, "input: \"");
	for (const char *p = input; p && *p; p++)
		fprintf(stderr, isprint((unsigned char)*p) && *p != '"' && *p != '\\' ?
		    "%c" : "\\x%02x", (unsigned char)*p);
	fprintf(stderr, "\"\n");
	if (detail)
		fprintf(stderr, "detail: %s\n", detail);
	fprintf(stderr, "last sd error: %s\n", sd_error_message());
	abort();
}

/* The zone every time here is read and written in. */
static struct sd_zone *zone;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sd_zone_load(&zone, "America/Bogota", NULL) < 0) {
		fprintf(stderr, "fuzz: cannot set America/Bogota: %s\n", sd_error_message());
		abort();
	}
	return 0;
}

/* ---- sd_time_parse and sd_time_format ---- */

static int
is_rfc3339_shape(const char *s)
{
	return strlen(s) > 10;
}

/* The instant the fields of an RFC 3339 time stand for, by timegm: an
 * oracle apart from the lib's own arithmetic.  The input has parsed. */
static time_t
oracle(const char *s)
{
	struct tm tm = { 0 };
	const char *p = s + 19;
	int sign = 0, oh = 0, om = 0;

	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	tm.tm_hour = atoi(s + 11);
	tm.tm_min = atoi(s + 14);
	tm.tm_sec = atoi(s + 17);
	if (tm.tm_sec == 60)
		tm.tm_sec = 59;         /* a leap second is the second before */
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		oh = atoi(p + 1);
		om = atoi(p + 4);
	}
	return timegm(&tm) - sign * (oh * 3600 + om * 60);
}

static void
fuzz_time(const char *s)
{
	char out[SD_TIME_MAX], again[SD_TIME_MAX];
	time_t t, t2, t3;

	if (sd_time_parse(&t, zone, s) < 0)
		return;
	if (is_rfc3339_shape(s) && oracle(s) != t) {
		char d[64];
		snprintf(d, sizeof(d), "lib %lld, timegm %lld", (long long)t, (long long)oracle(s));
		fail("sd_time_parse gives another instant than timegm", s, d);
	}
	memset(out, 'X', sizeof(out));
	sd_time_format(out, zone, t);
	if (!memchr(out, '\0', sizeof(out)))
		fail("sd_time_format wrote no NUL", s, NULL);
	if (sd_time_parse(&t2, zone, out) < 0)
		fail("what sd_time_format wrote does not parse", s, out);
	if (t2 != t)
		fail("format then parse gives another instant", s, out);
	sd_time_format(again, zone, t2);
	if (strcmp(out, again))
		fail("sd_time_format is not a fixed point", s, again);
	if (sd_time_parse(&t3, zone, again) < 0 || t3 != t)
		fail("the second writing parses to another instant", s, again);
}

/* ---- sd_duration_parse ---- */

static void
fuzz_duration(const char *s)
{
	static const struct { const char *unit; long long mul; enum sd_duration_unit u; } units[] = {
		{ "m", 60, SD_DUR_WALL }, { "h", 3600, SD_DUR_WALL },
		{ "d", 86400, SD_DUR_WALL }, { "bm", 60, SD_DUR_BUSINESS },
		{ "bh", 3600, SD_DUR_BUSINESS }, { "bd", 1, SD_DUR_BUSINESS_DAYS },
	};
	struct sd_duration d;
	size_t nd = 0;
	long long n = 0;
	int ok = 0;

	/* The grammar, independently: 1 to 5 digits, then one unit. */
	while (isdigit((unsigned char)s[nd])) {
		if (nd < 18)
			n = n * 10 + (s[nd] - '0');
		nd++;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (nd >= 1 && nd <= 5 && !strcmp(s + nd, units[i].unit)) {
			ok = 1;
			d.amount = n * units[i].mul;
			d.unit = units[i].u;
		}
	{
		struct sd_duration got;
		int rc = sd_duration_parse(&got, s);
		if ((rc == 0) != ok)
			fail(ok ? "a duration is refused" : "not a duration is taken", s, NULL);
		if (ok && (got.amount != d.amount || got.unit != d.unit))
			fail("a duration parses to another amount or unit", s, NULL);
	}
}

/* ---- sd_id_parse ---- */

static void
fuzz_id(const char *s)
{
	static const char *const prefixes[] = { "SD", "MESA2", "X" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		const char *prefix = prefixes[i];
		char id[SD_ID_MAX], want[64], shard[SD_ID_MAX];
		char *path = NULL;
		long n, n2;

		if (sd_id_parse(&n, prefix, s) < 0)
			continue;
		if (n < 1)
			fail("an id parses to a number below 1", s, prefix);
		sd_id_format(id, prefix, n);
		/* The same id told another way: N alone, or PREFIX-N in any case. */
		if (isdigit((unsigned char)s[0])) {
			snprintf(want, sizeof(want), "%ld", n);
			if (strcmp(s, want))
				fail("a bare number that parses is not that number", s, want);
		} else if (strcasecmp(s, id)) {
			fail("an id that parses does not format back to PREFIX-N", s, id);
		}
		if (sd_id_parse(&n2, prefix, id) < 0 || n2 != n)
			fail("PREFIX-N does not parse back to N", s, id);
		if (sd_id_path(&path, prefix, n) < 0)
			fail("sd_id_path failed", s, id);
		sd_id_shard(shard, n);
		snprintf(want, sizeof(want), "tickets/%s/%s.ini", shard, id);
		if (strcmp(path, want) || strlen(shard) < 3)
			fail("the path of an id is not tickets/NNN/PREFIX-N.ini", s, path);
		free(path);
	}
}

/* ---- sd_shell_split ---- */

/* Would a POSIX shell act on something in line?  Conservative: any
 * metacharacter outside quotes, $ or ` inside double quotes, # or ~ at
 * the start of a word.  Lines it calls safe are not checked. */
static int
shell_would_act(const char *line)
{
	const char *p = line;
	int word_start = 1;

	while (*p) {
		char c = *p;

		if (c == ' ' || c == '\t') {
			word_start = 1;
			p++;
			continue;
		}
		if (c == '\\') {
			if (!p[1])
				return 1;
			p += 2;
		} else if (c == '\'') {
			const char *end = strchr(p + 1, '\'');
			if (!end)
				return 1;
			p = end + 1;
		} else if (c == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '$' || *p == '`')
					return 1;
				if (*p == '\\' && p[1])
					p++;
			}
			if (!*p)
				return 1;
			p++;
		} else {
			if (strchr("$`;&|<>(){}*?[\n\r", c) ||
			    (word_start && (c == '#' || c == '~')))
				return 1;
			p++;
		}
		word_start = 0;
	}
	return 0;
}

static void
fuzz_shell(const char *s)
{
	char **words = NULL;
	size_t n = 99;

	if (sd_shell_split(&words, &n, s) < 0) {
		if (words || n)
			fail("sd_shell_split failed but gave words", s, NULL);
		if (!sd_error_message()[0])
			fail("sd_shell_split failed with no message", s, NULL);
		return;
	}
	if (!words || n == 0 || words[n])
		fail("sd_shell_split gave no NULL-terminated words", s, NULL);
	for (size_t i = 0; i < n; i++)
		if (!words[i])
			fail("sd_shell_split gave a NULL word", s, NULL);
	(void)sd_shell_allowed(words[0]);
	if (shell_would_act(s))
		fail("sd_shell_split took a line the shell would act on", s, words[0]);
	sd_shell_free(words, n);
}

/* ---- sd_calendar ---- */

static const char *const instants[] = {
	"2026-11-21T10:03:00-05:00", "2026-11-23T07:29:59-05:00",
	"2026-11-23T12:00:00-05:00", "2026-11-23T17:00:00-05:00",
	"2026-12-24T23:59:59-05:00", "1992-05-02T23:30:00-05:00",
	"1993-04-03T23:30:00-04:00", "2038-01-19T03:14:07Z",
};

static void
check_adds(const struct sd_calendar *cal, const struct sd_duration *d,
    const time_t *extra, const char *s)
{
	time_t ts[sizeof(instants) / sizeof(instants[0]) + 1];
	size_t n = 0;
	int have_prev = 0;
	time_t prev = 0;

	for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++)
		if (sd_time_parse(&ts[n], zone, instants[i]) == 0)
			n++;
	if (extra)
		ts[n++] = *extra;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && ts[j - 1] > ts[j]; j--) {
			time_t x = ts[j];
			ts[j] = ts[j - 1];
			ts[j - 1] = x;
		}
	for (size_t i = 0; i < n; i++) {
		char a[SD_TIME_MAX], b[SD_TIME_MAX], detail[128];
		long long span;
		time_t out;

		if (sd_calendar_add(&out, cal, ts[i], d) < 0)
			continue;
		sd_time_format(a, zone, ts[i]);
		sd_time_format(b, zone, out);
		snprintf(detail, sizeof(detail), "from %s to %s, unit %d amount %lld",
		    a, b, (int)d->unit, d->amount);
		if (out < ts[i])
			fail("sd_calendar_add went back in time", s, detail);
		if (have_prev && out < prev)
			fail("sd_calendar_add is not monotonic", s, detail);
		prev = out;
		have_prev = 1;
		if (d->unit == SD_DUR_BUSINESS && sd_calendar_between(cal, ts[i], out) != d->amount)
			fail("sd_calendar_between(t, add(t, d)) != d", s, detail);
		if (sd_calendar_span(&span, cal, ts[i], d) < 0 || span < 0)
			fail("sd_calendar_span failed where sd_calendar_add did not", s, detail);
	}
}

/* A calendar of Monday to Friday 07:30-17:00 with a holiday. */
static struct sd_calendar *
office(void)
{
	struct sd_calendar *cal;

	if (sd_calendar_new(&cal) < 0)
		abort();
	sd_calendar_set_zone(cal, zone);
	for (int d = 1; d <= 5; d++)
		if (sd_calendar_set_day(cal, d, "07:30-17:00") < 0)
			abort();
	if (sd_calendar_add_holiday(cal, "2026-12-25") < 0)
		abort();
	return cal;
}

static void
fuzz_calendar(const char *s, size_t len)
{
	static const struct sd_duration fixed[] = {
		{ 0, SD_DUR_BUSINESS }, { 1, SD_DUR_BUSINESS }, { 3600, SD_DUR_BUSINESS },
		{ 40 * 3600, SD_DUR_BUSINESS }, { 1, SD_DUR_BUSINESS_DAYS },
		{ 3, SD_DUR_BUSINESS_DAYS },
	};
	struct sd_calendar *cal = office();
	struct sd_duration d;
	time_t t;
	int wday = (int)(len % 7), rc;

	/* The input as a day's hours: a refused spec leaves the day alone. */
	rc = sd_calendar_set_day(cal, wday, s);
	if (rc < 0 && !sd_error_message()[0])
		fail("sd_calendar_set_day failed with no message", s, NULL);
	if (rc == 0 && *s && strspn(s, " \t") != strlen(s) && !sd_calendar_is_open(cal))
		fail("a day with hours leaves the calendar closed", s, NULL);
	if (sd_calendar_add_holiday(cal, s) == 0 &&
	    (strlen(s) != 10 || s[4] != '-' || s[7] != '-'))
		fail("a holiday that is not YYYY-MM-DD is taken", s, NULL);
	if (sd_calendar_is_open(cal))
		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			check_adds(cal, &fixed[i], NULL, s);
	sd_calendar_free(cal);

	/* A duration or a time from the input, in the office calendar. */
	cal = office();
	if (sd_duration_parse(&d, s) == 0)
		check_adds(cal, &d, NULL, s);
	if (sd_time_parse(&t, zone, s) == 0)
		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			check_adds(cal, &fixed[i], &t, s);
	sd_calendar_free(cal);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	size_t len;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	len = strlen(s);
	sd_error_clear();
	fuzz_time(s);
	fuzz_duration(s);
	fuzz_id(s);
	fuzz_shell(s);
	fuzz_calendar(s, len);
	free(s);
	return 0;
}
