/*
 * Ticket IDs (sd/id.h, SPEC sections 1 and 2): parsing, formatting, and
 * the path of a ticket's file.
 */
#include "unit.h"

static void
parses(const char *prefix, const char *s, long want)
{
	long n = -1;

	if (sd_id_parse(&n, prefix, s) < 0)
		fail_msg("'%s' (prefix %s): %s", s, prefix, sd_error_message());
	assert_int_equal(n, want);
}

static void
test_parse_good(void **state)
{
	(void)state;
	parses("SD", "SD-42", 42);
	parses("SD", "sd-42", 42);
	parses("SD", "Sd-42", 42);
	parses("SD", "42", 42);
	parses("SD", "1", 1);
	parses("SD", "SD-1000000", 1000000);
	parses("SD", "SD-999999999999999", 999999999999999L);   /* 15 digits */
	parses("HD2", "HD2-7", 7);
	parses("HD2", "hd2-7", 7);
	parses("HD2", "7", 7);
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"../x", "SD-4x", "SD-0", "0", "042", "SD-042", "", "SD-", "SD",
		"1234567890123456789012345",            /* 25 digits */
		"SD-1234567890123456",                  /* 16 digits */
		"XX-42", "-42", "SD--42", "SD-+42", "+42", " 42", "42 ", "SD- 42",
		"SD-42/../1", "4.2", "SD_42", "SD42", "SD-42\n", "HD-42", "SD-٤٢",
	};
	long n = 7;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = sd_id_parse(&n, "SD", bad[i]);
		if (rc != SD_EINVALID)
			fail_msg("'%s' taken (%d)", bad[i], rc);
	}
	assert_int_equal(n, 7);                 /* untouched on failure */
	assert_fails(sd_id_parse(&n, "SD", "../x"), SD_EINVALID, "../x: invalid ticket id");
	assert_fails(sd_id_parse(&n, "SD", "SD-4x"), SD_EINVALID, "SD-4x: invalid ticket id");
	assert_fails(sd_id_parse(&n, "SD", "SD-0"), SD_EINVALID, "SD-0: invalid ticket id");
	assert_fails(sd_id_parse(&n, "SD", "1234567890123456789012345"), SD_EINVALID,
	    "1234567890123456789012345: invalid ticket id");
	/* Another store's prefix is not this one's. */
	assert_fails(sd_id_parse(&n, "HD", "SD-42"), SD_EINVALID,
	    "SD-42: not a ticket of this store (its prefix is HD)");
	assert_fails(sd_id_parse(&n, "SD", "xy-4"), SD_EINVALID,
	    "xy-4: not a ticket of this store (its prefix is SD)");
	assert_fails(sd_id_parse(&n, "SD", "A1234567890-4"), SD_EINVALID,
	    "A1234567890-4: invalid ticket id");
	assert_fails(sd_id_parse(&n, "SD", "XY-04"), SD_EINVALID, "XY-04: invalid ticket id");
	assert_fails(sd_id_parse(&n, "SD", "XY-"), SD_EINVALID, "XY-: invalid ticket id");
	assert_fails(sd_id_parse(&n, "SD", "1X-4"), SD_EINVALID, "1X-4: invalid ticket id");
}

static void
path_is(const char *prefix, long n, const char *want)
{
	char *p = NULL;

	assert_ok(sd_id_path(&p, prefix, n));
	assert_string_equal(p, want);
	free(p);
}

static void
test_path(void **state)
{
	char out[SD_ID_MAX];

	(void)state;
	path_is("SD", 42, "tickets/000/SD-42.ini");
	path_is("SD", 1, "tickets/000/SD-1.ini");
	path_is("SD", 999, "tickets/000/SD-999.ini");
	path_is("SD", 1000, "tickets/001/SD-1000.ini");
	path_is("SD", 1234, "tickets/001/SD-1234.ini");
	path_is("SD", 42999, "tickets/042/SD-42999.ini");
	path_is("SD", 999999, "tickets/999/SD-999999.ini");
	path_is("SD", 1000000, "tickets/1000/SD-1000000.ini");
	path_is("HD", 7, "tickets/000/HD-7.ini");

	sd_id_shard(out, 42);
	assert_string_equal(out, "000");
	sd_id_shard(out, 1234);
	assert_string_equal(out, "001");
	sd_id_shard(out, 1000000);
	assert_string_equal(out, "1000");
	sd_id_format(out, "SD", 42);
	assert_string_equal(out, "SD-42");
	sd_id_format(out, "HD2", 999999999999999L);
	assert_string_equal(out, "HD2-999999999999999");
}

/* format then parse gives the number back, for any number of digits. */
static void
test_roundtrip(void **state)
{
	long n = 1;

	(void)state;
	for (int digits = 1; digits <= SD_ID_DIGITS; digits++, n *= 10) {
		char id[SD_ID_MAX];
		long back;

		for (long k = n; k < n * 10 && k < n + 3; k++) {
			sd_id_format(id, "SD", k);
			assert_ok(sd_id_parse(&back, "SD", id));
			assert_int_equal(back, k);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_roundtrip),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
