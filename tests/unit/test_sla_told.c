/*
 * What sd-sla --new-only has told (sd/sla.h, lib/sla_told.c): the state
 * file's lines parsed and written, and which findings are new.
 */
#include "unit.h"

#define R SD_CLOCK_RESPONSE
#define S SD_CLOCK_RESOLUTION
#define AR SD_SLA_AT_RISK
#define BR SD_SLA_BREACHED

static struct sd_sla_told *
parse_ok(const char *text)
{
	struct sd_sla_told *t = NULL;

	assert_ok(sd_sla_told_parse(&t, text, strlen(text), "told"));
	return t;
}

/* t's text is want. */
static void
text_is(const struct sd_sla_told *t, const char *want)
{
	char *text = NULL;
	size_t len = 0;

	assert_ok(sd_sla_told_format(t, &text, &len));
	assert_int_equal(len, strlen(want));
	assert_string_equal(text, want);
	free(text);
}

static void
bad(const char *text, size_t len, const char *msg)
{
	struct sd_sla_told *t = (struct sd_sla_told *)1;

	if (len == (size_t)-1)
		len = strlen(text);
	assert_fails(sd_sla_told_parse(&t, text, len, "x/.git/sd-sla-told"), SD_EINVALID, msg);
	assert_null(t);
}

static void
test_parse_good(void **state)
{
	struct sd_sla_told *t;

	(void)state;
	t = parse_ok("");
	assert_int_equal(sd_sla_told_count(t), 0);
	text_is(t, "");
	sd_sla_told_free(t);

	/* Read in any order; written sorted by ID (as strings) and clock. */
	t = parse_ok("SD-2\tresolution\tbreached\nSD-10\tresponse\tat-risk\n"
	    "SD-2\tresponse\tat-risk\n");
	assert_int_equal(sd_sla_told_count(t), 3);
	text_is(t, "SD-10\tresponse\tat-risk\nSD-2\tresponse\tat-risk\n"
	    "SD-2\tresolution\tbreached\n");
	sd_sla_told_free(t);

	/* The info window, told as a clock of its own, after the two. */
	t = parse_ok("SD-3\tunmanaged\tat-risk\nSD-3\tresponse\tbreached\n");
	text_is(t, "SD-3\tresponse\tbreached\nSD-3\tunmanaged\tat-risk\n");
	sd_sla_told_free(t);

	/* A UTF-8 prefix is a printable ID as any other. */
	t = parse_ok("MESA\xc3\x91-1\tresponse\tbreached\n");
	text_is(t, "MESA\xc3\x91-1\tresponse\tbreached\n");
	sd_sla_told_free(t);
}

static void
test_parse_bad(void **state)
{
	char longid[100], line[140];

	(void)state;
	bad("SD-1\tresponse\tbreached", (size_t)-1,
	    "x/.git/sd-sla-told:1: the last line has no newline");
	bad("SD-1\tresponse\tbreached\nSD-2", (size_t)-1,
	    "x/.git/sd-sla-told:2: the last line has no newline");
	bad("\n", (size_t)-1, "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("SD-1 response breached\n", (size_t)-1,
	    "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("SD-1\tresponse\n", (size_t)-1,
	    "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("SD-1\tresponse\tbreached\textra\n", (size_t)-1,
	    "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("\tresponse\tbreached\n", (size_t)-1,
	    "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("SD-1\t\tbreached\n", (size_t)-1,
	    "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("SD-1\tresponse\t\n", (size_t)-1,
	    "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("SD-1\tresponse\tbreached\r\n", (size_t)-1,
	    "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("SD\0001\tresponse\tbreached\n", 23,
	    "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
	bad("SD-1\tresponse\tbreached\nSD-2\tResponse\tbreached\n", (size_t)-1,
	    "x/.git/sd-sla-told:2: clock 'Response' is not response, resolution or unmanaged");
	bad("SD-1\tresponse\tok\n", (size_t)-1,
	    "x/.git/sd-sla-told:1: state 'ok' is not at-risk or breached");
	bad("SD-1\tresolution\tbreached\nSD-2\tresponse\tat-risk\nSD-1\tresolution\tat-risk\n", (size_t)-1,
	    "x/.git/sd-sla-told:3: SD-1 resolution is there twice");
	/* An ID of 64 bytes is taken, of 65 not. */
	memset(longid, 'A', 65);
	longid[65] = '\0';
	snprintf(line, sizeof(line), "%s\tresponse\tbreached\n", longid + 1);
	sd_sla_told_free(parse_ok(line));
	snprintf(line, sizeof(line), "%s\tresponse\tbreached\n", longid);
	bad(line, strlen(line), "x/.git/sd-sla-told:1: not a line of ID, clock and state, by tabs");
}

static void
test_mark(void **state)
{
	struct sd_sla_told *prev, *next;

	(void)state;
	prev = parse_ok("SD-1\tresponse\tat-risk\nSD-2\tresolution\tbreached\n"
	    "SD-3\tresponse\tbreached\n");
	assert_ok(sd_sla_told_new(&next));
	/* Told at risk, now breached: new. */
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-1", R, BR), 1);
	/* Told breached, still breached: not new. */
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-2", S, BR), 0);
	/* The other clock of a ticket told: new. */
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-2", R, AR), 1);
	/* Told breached, now at risk (a target raised): new, in its state. */
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-3", R, AR), 1);
	/* Never told: new.  An OK clock is not marked. */
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-4", S, AR), 1);
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-5", S, SD_SLA_OK), 0);
	/* Marked in the order found; what was not found again is gone. */
	text_is(next, "SD-1\tresponse\tbreached\nSD-2\tresolution\tbreached\n"
	    "SD-2\tresponse\tat-risk\nSD-3\tresponse\tat-risk\nSD-4\tresolution\tat-risk\n");
	assert_int_equal(sd_sla_told_count(next), 5);
	sd_sla_told_free(prev);

	/* The next run against this one, unsorted as marked. */
	prev = next;
	assert_ok(sd_sla_told_new(&next));
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-4", S, AR), 0);
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-3", R, AR), 0);
	assert_int_equal(sd_sla_told_mark(next, prev, "SD-1", S, AR), 1);
	text_is(next, "SD-4\tresolution\tat-risk\nSD-3\tresponse\tat-risk\n"
	    "SD-1\tresolution\tat-risk\n");
	sd_sla_told_free(prev);
	sd_sla_told_free(next);

	/* No earlier run: everything is new. */
	assert_ok(sd_sla_told_new(&next));
	assert_int_equal(sd_sla_told_mark(next, NULL, "SD-1", R, AR), 1);
	assert_fails(sd_sla_told_mark(next, NULL, "SD\t1", R, AR), SD_EINVALID,
	    "'SD\t1' is not a ticket ID");
	assert_fails(sd_sla_told_mark(next, NULL, "", R, AR), SD_EINVALID,
	    "'' is not a ticket ID");
	text_is(next, "SD-1\tresponse\tat-risk\n");
	sd_sla_told_free(next);
}

static void
test_keep(void **state)
{
	struct sd_sla_told *prev, *next, *back;
	char *text;
	size_t len;

	(void)state;
	prev = parse_ok("SD-1\tresponse\tat-risk\nSD-1\tresolution\tbreached\n"
	    "SD-2\tresponse\tbreached\n");
	assert_ok(sd_sla_told_new(&next));
	/* SD-1 could not be read: both its clocks stay told, and are not new
	 * when it is read again. */
	assert_ok(sd_sla_told_keep(next, prev, "SD-1"));
	assert_ok(sd_sla_told_keep(next, prev, "SD-9"));
	assert_ok(sd_sla_told_keep(next, NULL, "SD-2"));
	text_is(next, "SD-1\tresponse\tat-risk\nSD-1\tresolution\tbreached\n");
	/* Its text parses back to the same. */
	assert_ok(sd_sla_told_format(next, &text, &len));
	assert_ok(sd_sla_told_parse(&back, text, len, "t"));
	free(text);
	assert_int_equal(sd_sla_told_mark(prev, back, "SD-1", S, BR), 0);
	text_is(back, "SD-1\tresponse\tat-risk\nSD-1\tresolution\tbreached\n");
	sd_sla_told_free(back);
	sd_sla_told_free(prev);
	sd_sla_told_free(next);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_mark),
		cmocka_unit_test(test_keep),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
