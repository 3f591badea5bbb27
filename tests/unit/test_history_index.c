/*
 * The files of the history index (lib/history_index.c): a shard's file
 * formatted and read back, and every file cut short, changed or not well
 * formed refused, with the line that is wrong.
 */
#include "unit.h"
#include "internal.h"
#include "history_index.h"

#define A "0123456789abcdef0123456789abcdef01234567"
#define B "89abcdef0123456789abcdef0123456789abcdef"
#define C "fedcba9876543210fedcba9876543210fedcba98"

/* FNV-1a, 64 bits, as the test's own: checked against published values. */
static uint64_t
fnv(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* body (header and lines) with "end COUNT SUM" after it, in out. */
static void
with_end(char *out, size_t size, const char *body, int count)
{
	snprintf(out, size, "%send %d %016llx\n", body, count,
	    (unsigned long long)fnv(body, strlen(body)));
}

static int
parse(const char *text, size_t len)
{
	struct sd__hshard sh = { 0 };
	int rc = sd__hshard_parse(&sh, text, len);

	sd__hshard_free(&sh);
	return rc;
}

static void
test_fnv(void **state)
{
	(void)state;
	assert_true(fnv("", 0) == 0xcbf29ce484222325ull);
	assert_true(fnv("a", 1) == 0xaf63dc4c8601ec8cull);
	assert_true(fnv("foobar", 6) == 0x85944171f73967e8ull);
}

static void
test_format_parse(void **state)
{
	struct sd__hshard sh = { 0 }, back = { 0 };
	struct sd_buf b = SD_BUF_INIT;
	char want[512];
	struct sd__hentry *e;

	(void)state;
	assert_ok(sd__hshard_prepend(&sh, "SD-2.ini", C));
	assert_ok(sd__hshard_prepend(&sh, "SD-1.ini", A));
	assert_ok(sd__hshard_prepend(&sh, "SD-1.ini", B));
	sd__hshard_format(&b, &sh);     /* in order of name, whatever came first */
	with_end(want, sizeof(want), "sd-history 1\nSD-1.ini " B " " A "\nSD-2.ini " C "\n", 2);
	assert_string_equal(b.data, want);
	assert_int_equal(sd__hshard_parse(&back, b.data, b.len), 0);
	assert_int_equal(back.n, 2);
	assert_non_null(e = sd__hshard_entry(&back, "SD-1.ini", 0));
	assert_int_equal(e->n, 2);
	assert_memory_equal(e->ids, B A, 80);
	assert_non_null(e = sd__hshard_entry(&back, "SD-2.ini", 0));
	assert_int_equal(e->n, 1);
	assert_memory_equal(e->ids, C, 40);
	assert_null(sd__hshard_entry(&back, "SD-3.ini", 0));
	assert_null(sd__hshard_entry(&back, "SD-0.ini", 0));
	sd__hshard_free(&back);
	sd__hshard_free(&sh);
	sd_buf__free(&b);

	/* No ticket at all. */
	sd__hshard_format(&b, &sh);
	with_end(want, sizeof(want), "sd-history 1\n", 0);
	assert_string_equal(b.data, want);
	assert_int_equal(parse(b.data, b.len), 0);
	sd_buf__free(&b);
}

static void
test_prepend_clear(void **state)
{
	struct sd__hshard sh = { 0 };
	struct sd__hentry *e;

	(void)state;
	assert_ok(sd__hshard_prepend(&sh, "SD-1.ini", A));
	assert_ok(sd__hshard_prepend(&sh, "SD-1.ini", B));
	assert_int_equal(sh.dirty, 1);
	sh.dirty = 0;
	/* Applied again (first, or further down): no second time. */
	assert_ok(sd__hshard_prepend(&sh, "SD-1.ini", B));
	assert_ok(sd__hshard_prepend(&sh, "SD-1.ini", A));
	assert_int_equal(sh.dirty, 0);
	e = sd__hshard_entry(&sh, "SD-1.ini", 0);
	assert_int_equal(e->n, 2);
	assert_memory_equal(e->ids, B A, 80);
	/* Removed: its line goes; cleared again, nothing. */
	sd__hshard_clear(&sh, "SD-1.ini");
	assert_null(sd__hshard_entry(&sh, "SD-1.ini", 0));
	assert_int_equal(sh.n, 0);
	assert_int_equal(sh.dirty, 1);
	sd__hshard_clear(&sh, "SD-1.ini");
	assert_ok(sd__hshard_prepend(&sh, "SD-1.ini", C));
	e = sd__hshard_entry(&sh, "SD-1.ini", 0);
	assert_int_equal(e->n, 1);
	assert_memory_equal(e->ids, C, 40);
	sd__hshard_free(&sh);
}

/* Many names, put and removed in a scrambled order: kept in order. */
static void
test_order(void **state)
{
	struct sd__hshard sh = { 0 }, back = { 0 };
	struct sd_buf b = SD_BUF_INIT;
	char name[32];

	(void)state;
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "SD-%d.ini", (i * 367) % 500);
		assert_ok(sd__hshard_prepend(&sh, name, A));
	}
	for (int i = 0; i < 500; i += 3) {
		snprintf(name, sizeof(name), "SD-%d.ini", i);
		sd__hshard_clear(&sh, name);
	}
	assert_int_equal(sh.n, 500 - 167);
	for (size_t i = 1; i < sh.n; i++)
		assert_true(strcmp(sh.v[i - 1].name, sh.v[i].name) < 0);
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "SD-%d.ini", i);
		assert_true((sd__hshard_entry(&sh, name, 0) != NULL) == (i % 3 != 0));
	}
	sd__hshard_format(&b, &sh);
	assert_int_equal(sd__hshard_parse(&back, b.data, b.len), 0);
	assert_int_equal(back.n, sh.n);
	sd__hshard_free(&back);
	sd__hshard_free(&sh);
	sd_buf__free(&b);
}

/* Every cut and every changed byte of a good file is refused. */
static void
test_cut_and_changed(void **state)
{
	char good[512], bad[512];
	size_t len;

	(void)state;
	with_end(good, sizeof(good), "sd-history 1\nSD-1.ini " B " " A "\nSD-2.ini " C "\n", 2);
	len = strlen(good);
	assert_int_equal(parse(good, len), 0);
	for (size_t cut = 0; cut < len; cut++)
		if (parse(good, cut) == 0)
			fail_msg("cut to %zu bytes: taken as whole", cut);
	for (size_t i = 0; i < len; i++) {
		memcpy(bad, good, len);
		bad[i] = bad[i] == 'x' ? 'y' : 'x';
		if (parse(bad, len) == 0)
			fail_msg("byte %zu changed: taken as sound", i);
		memcpy(bad, good, len);
		bad[i] ^= 0x01;
		if (parse(bad, len) == 0)
			fail_msg("byte %zu's low bit changed: taken as sound", i);
	}
	/* Something after the end. */
	memcpy(bad, good, len);
	memcpy(bad + len, "x\n", 3);
	assert_int_equal(parse(bad, len + 2), 4);
}

/* Each kind of bad line, with a sum that is right: the line's number. */
static void
test_bad_lines(void **state)
{
	static const struct {
		const char *body;
		int count, line;
	} cases[] = {
		{ "sd-history 2\n", 0, 1 },                             /* another version */
		{ "sd-history 1 \n", 0, 1 },
		{ "sd-history 1\nSD-1.ini\n", 1, 2 },                   /* no commit */
		{ "sd-history 1\nSD-1.ini \n", 1, 2 },
		{ "sd-history 1\nSD-1.ini " A " \n", 1, 2 },            /* a space at the end */
		{ "sd-history 1\nSD-1.ini  " A "\n", 1, 2 },            /* two spaces */
		{ "sd-history 1\nSD-1.ini 0123456789abcdef0123456789abcdef0123456\n", 1, 2 },
		{ "sd-history 1\nSD-1.ini 0123456789ABCDEF0123456789abcdef01234567\n", 1, 2 },
		{ "sd-history 1\nSD-1.ini " A "0\n", 1, 2 },            /* 41 digits */
		{ "sd-history 1\n.SD-1.ini " A "\n", 1, 2 },            /* hidden */
		{ "sd-history 1\n " A "\n", 1, 2 },                     /* no name */
		{ "sd-history 1\nSD-1.ini " A "\nSD-1.ini " B "\n", 2, 3 },     /* twice */
		{ "sd-history 1\nSD-2.ini " A "\nSD-1.ini " B "\n", 2, 3 },     /* out of order */
		{ "sd-history 1\nSD-1.ini " A "\nSD-2.ini " B "\n", 1, 4 },     /* count */
		{ "sd-history 1\nSD-1.ini " A "\nSD-2.ini " B "\n", 3, 4 },
	};
	char text[512];

	(void)state;
	for (size_t i = 0; i < SD_ARRAY_SIZE(cases); i++) {
		with_end(text, sizeof(text), cases[i].body, cases[i].count);
		if (parse(text, strlen(text)) != cases[i].line)
			fail_msg("case %zu: %d, not line %d", i, parse(text, strlen(text)),
			    cases[i].line);
	}
	/* A sum that is not the body's, one in capitals, one short. */
	assert_int_equal(parse("sd-history 1\nend 0 0000000000000000\n", 35), 2);
	snprintf(text, sizeof(text), "sd-history 1\nend 0 %016llX\n",
	    (unsigned long long)fnv("sd-history 1\n", 13));
	assert_int_equal(parse(text, strlen(text)), 2);
	snprintf(text, sizeof(text), "sd-history 1\nend 0 %015llx\n",
	    (unsigned long long)fnv("sd-history 1\n", 13) >> 4);
	assert_int_equal(parse(text, strlen(text)), 2);
	/* Nothing, or no end line. */
	assert_int_equal(parse("", 0), 1);
	assert_int_equal(parse("sd-history 1\n", 13), 2);
	assert_int_equal(parse("sd-history 1\nSD-1.ini " A "\n", 13 + 50), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_prepend_clear),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_cut_and_changed),
		cmocka_unit_test(test_bad_lines),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
