/*
 * The language of a locale name, and the file of a manual page in the
 * reader's language (lib/paths.c), over a manual laid out in a
 * temporary directory both as installed and as in the sources.
 */
#include <sys/stat.h>

#include "unit.h"

static char dir[] = "/tmp/sd-test-paths.XXXXXX";

static void
touch(const char *rel)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static void
mkdir_in(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	/* Installed: man1/ with two pages, es/man1/ with one, and es/man5/
	 * a directory where a page would be. */
	mkdir_in("inst");
	mkdir_in("inst/man1");
	mkdir_in("inst/man5");
	mkdir_in("inst/es");
	mkdir_in("inst/es/man1");
	mkdir_in("inst/es/man5");
	mkdir_in("inst/es/man5/sd-ticket.5");
	touch("inst/man1/sd-new.1");
	touch("inst/man1/sd-link.1");
	touch("inst/man5/sd-ticket.5");
	touch("inst/es/man1/sd-link.1");
	/* The sources: man/PAGE.N and man/es/PAGE.N. */
	mkdir_in("src");
	mkdir_in("src/es");
	touch("src/sd-new.1");
	touch("src/sd.7");
	touch("src/es/sd.7");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
check_language(const char *locale, const char *want)
{
	char lang[8] = "x";

	sd_locale_language(lang, sizeof(lang), locale);
	assert_string_equal(lang, want);
}

static void
test_language(void **state)
{
	char small[2] = "x";

	(void)state;
	check_language("es_CO.UTF-8", "es");
	check_language("es_CO.utf8", "es");
	check_language("es", "es");
	check_language("es_ES@euro", "es");
	check_language("es.UTF-8", "es");
	check_language("en_US.UTF-8", "en");
	check_language("ast_ES.UTF-8", "ast");
	check_language("C", "");
	check_language("C.UTF-8", "");
	check_language("POSIX", "");
	check_language(NULL, "");
	check_language("", "");
	check_language("e", "");
	check_language("espa_CO", "");
	check_language("Es_CO", "");
	check_language("es-CO", "");
	check_language("/tmp/x", "");
	/* Too small a buffer: nothing, not a cut language. */
	sd_locale_language(small, sizeof(small), "es_CO");
	assert_string_equal(small, "");
}

/* page(section) under dir/sub in lang: found, and which file. */
static void
check_page(const char *sub, const char *lang, const char *page, const char *section,
    const char *want)
{
	char mandir[512], out[600], full[600];
	int found;

	snprintf(mandir, sizeof(mandir), "%s/%s", dir, sub);
	found = sd_man_page(out, sizeof(out), mandir, lang, page, section);
	if (!want) {
		assert_int_equal(found, 0);
		assert_string_equal(out, "");
		return;
	}
	snprintf(full, sizeof(full), "%s/%s", dir, want);
	assert_int_equal(found, 1);
	assert_string_equal(out, full);
}

static void
test_installed(void **state)
{
	(void)state;
	check_page("inst", "es", "sd-link", "1", "inst/es/man1/sd-link.1");
	check_page("inst", "", "sd-link", "1", "inst/man1/sd-link.1");
	check_page("inst", NULL, "sd-link", "1", "inst/man1/sd-link.1");
	check_page("inst", "fr", "sd-link", "1", "inst/man1/sd-link.1");
	/* No Spanish page: the English one. */
	check_page("inst", "es", "sd-new", "1", "inst/man1/sd-new.1");
	/* A directory by the page's name is no page. */
	check_page("inst", "es", "sd-ticket", "5", "inst/man5/sd-ticket.5");
	check_page("inst", "es", "sd-show", "1", NULL);
	check_page("nowhere", "es", "sd-link", "1", NULL);
}

static void
test_sources(void **state)
{
	(void)state;
	check_page("src", "es", "sd", "7", "src/es/sd.7");
	check_page("src", "", "sd", "7", "src/sd.7");
	check_page("src", "es", "sd-new", "1", "src/sd-new.1");
	check_page("src", "es", "sd-new", "5", NULL);
}

static void
test_too_long(void **state)
{
	char out[16] = "x";

	(void)state;
	assert_int_equal(sd_man_page(out, sizeof(out), dir, "es", "sd-link", "1"), 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_installed),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
