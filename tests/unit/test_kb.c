/*
 * Knowledge-base articles (sd/kb.h): ids and paths, the one shape of a
 * file read back strictly, and the case-folding search.
 */
#include "unit.h"

static void
test_ids(void **state)
{
	static const char *const bad[] = {
		"", "KB-", "KB-0", "0", "KB-01", "01", "KB-1x", "SD-1", "KB--1", "KB-+1", " 1",
		"KB-1234567890", "1234567890",
	};
	char path[SD_KB_PATH_MAX], id[SD_KB_ID_MAX];
	long n;

	(void)state;
	assert_ok(sd_kb_id_parse(&n, "KB-7"));
	assert_int_equal(n, 7);
	assert_ok(sd_kb_id_parse(&n, "kb-12"));
	assert_int_equal(n, 12);
	assert_ok(sd_kb_id_parse(&n, "999999999"));
	assert_int_equal(n, 999999999);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (sd_kb_id_parse(&n, bad[i]) != SD_EUSAGE)
			fail_msg("'%s' taken as an article id", bad[i]);
	sd_kb_id_format(id, 42);
	assert_string_equal(id, "KB-42");
	sd_kb_path(path, 42);
	assert_string_equal(path, "kb/KB-42.txt");
	assert_ok(sd_kb_path_parse("kb/KB-42.txt", &n));
	assert_int_equal(n, 42);
	assert_int_equal(sd_kb_path_parse("kb/KB-042.txt", &n), SD_EINVALID);
	assert_int_equal(sd_kb_path_parse("kb/KB-42.ini", &n), SD_EINVALID);
	assert_int_equal(sd_kb_path_parse("kb/x/KB-42.txt", &n), SD_EINVALID);
	assert_int_equal(sd_kb_path_parse("tickets/KB-42.txt", &n), SD_EINVALID);
	assert_int_equal(sd_kb_path_parse("kb/KB-.txt", &n), SD_EINVALID);
}

static const char good[] =
	"id = KB-3\ntitle = Tóner\ncategory =\nupdated_by = ana\n"
	"updated_at = 2026-12-07T09:00:00-05:00\n\nCambie el cartucho.\n";

static void
refused(const char *data, const char *why)
{
	struct sd_kb_article a;

	if (sd_kb_parse(&a, data, strlen(data), "kb/KB-3.txt") != SD_EINVALID)
		fail_msg("taken: %s", why);
}

static void
test_parse(void **state)
{
	struct sd_kb_article a;
	char *out;
	size_t len;

	(void)state;
	assert_ok(sd_kb_parse(&a, good, strlen(good), "kb/KB-3.txt"));
	assert_int_equal(a.n, 3);
	assert_string_equal(a.id, "KB-3");
	assert_string_equal(a.title, "Tóner");
	assert_string_equal(a.category, "");
	assert_string_equal(a.updated_by, "ana");
	assert_string_equal(a.text, "Cambie el cartucho.\n");
	assert_ok(sd_kb_format(&out, &len, &a));
	assert_int_equal(len, strlen(good));
	assert_memory_equal(out, good, len);
	free(out);
	sd_kb_free(&a);
	refused("", "empty");
	refused("id = KB-3\n", "the header alone");
	refused("title = T\nid = KB-3\ncategory =\nupdated_by = ana\nupdated_at = x\n\nt\n", "keys out of order");
	refused("id = KB-3\ntitle = T\ncategory = \nupdated_by = ana\nupdated_at = x\n\nt\n", "a space after =");
	refused("id = KB-3\ntitle = T\ncategory =\nupdated_by = ana\nupdated_at = x\n\nt", "no final newline");
	refused("id = KB-3\ntitle = T\ncategory =\nupdated_by = ana\nupdated_at = x\n\n", "no text");
	refused("id = KB-3\ntitle = T\ncategory =\nupdated_by = ana\nupdated_at = x\nt\n", "no blank line");
	refused("id = KB-3\ntitle =\ncategory =\nupdated_by = ana\nupdated_at = x\n\nt\n", "no title");
	refused("id = KB-3\ntitle = T\ncategory =\nupdated_by =\nupdated_at = x\n\nt\n", "no author");
	refused("id = KB-03\ntitle = T\ncategory =\nupdated_by = ana\nupdated_at = x\n\nt\n", "a leading zero");
	refused("id = SD-3\ntitle = T\ncategory =\nupdated_by = ana\nupdated_at = x\n\nt\n", "a ticket id");
	refused("id = KB-3\ntitle = T\x1b\ncategory =\nupdated_by = ana\nupdated_at = x\n\nt\n", "ESC in the title");
	refused("id = KB-3\ntitle = T\ncategory =\nupdated_by = ana\nupdated_at = x\n\nt\xff\n", "not UTF-8");
	assert_int_equal(sd_kb_title_check(" T"), SD_EINVALID);
	assert_int_equal(sd_kb_title_check("a\xe2\x80\xae" "b"), SD_EINVALID);
	assert_ok(sd_kb_title_check("Impresora: tóner"));
}

static int
found(const char *title, const char *text, const char *pattern)
{
	struct sd_kb_article a = { .title = (char *)title, .text = (char *)text };

	return sd_kb_match(&a, pattern);
}

static void
test_match(void **state)
{
	(void)state;
	assert_true(found("Impresora", "", "impre"));
	assert_true(found("", "cambie el TÓNER", "tóner"));
	assert_true(found("ÀÉÎÕÜÑÇ", "", "àéîõüñç"));
	assert_true(found("ŁÓDŹ", "", "łódź"));                /* Latin Extended-A */
	assert_true(found("ΑΘΉΝΑ", "", "αθήνα"));              /* Greek, tonos */
	assert_true(found("МОСКВА Ёлка", "", "москва ёлка"));  /* Cyrillic */
	assert_true(found("x", "y", ""));
	assert_false(found("toner", "", "tóner"));
	assert_false(found("tóner", "", "toner"));
	assert_false(found("×", "", "÷"));                      /* U+00D7, U+00F7: no pair */
	/* Never inside a character: a continuation byte alone, or a lead byte. */
	assert_false(found("tóner", "", "\xb3"));
	assert_false(found("tóner", "", "\xc3"));
	assert_false(found("abc", "", "abcd"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_match),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
