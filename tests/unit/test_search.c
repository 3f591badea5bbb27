/*
 * Finding a fixed string whatever its case (sd/search.h): the table that
 * folds the common letters fast gives what libunistring's u8_casefold
 * gives, char by char; hand cases in several scripts; the raw glance at a
 * file never misses what the parsed ticket holds.
 */
#include "unit.h"

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

/* Does folded(text) hold folded(pat), asked of u8_casefold alone? */
static int
reference(const char *pat, const char *text)
{
	size_t np = 0, nt = 0;
	uint8_t *p = u8_casefold((const uint8_t *)pat, strlen(pat), NULL, UNINORM_NFC, NULL, &np);
	uint8_t *t = u8_casefold((const uint8_t *)text, strlen(text), NULL, UNINORM_NFC, NULL, &nt);
	int found;

	assert_non_null(p);
	assert_non_null(t);
	found = np <= nt && memmem(t, nt, p, np) != NULL;
	free(p);
	free(t);
	return found;
}

static int
search(const char *pat, const char *text)
{
	struct sd_search *s;
	int found;

	assert_ok(sd_search_new(&s, pat));
	found = sd_search_text(s, text, strlen(text));
	sd_search_free(s);
	return found;
}

/* Every char of the table's ranges, its upper case sought in text of its
 * lower case and the other way, through the table (Latin text around it)
 * and through u8_casefold (a CJK char beside it): each answer is the
 * reference's. */
static void
test_table_is_casefold(void **state)
{
	static const ucs4_t ranges[][2] = { { 0x80, 0x800 }, { 0x2000, 0x20d0 } };
	size_t checked = 0;

	(void)state;
	for (size_t r = 0; r < 2; r++)
		for (ucs4_t c = ranges[r][0]; c < ranges[r][1]; c++) {
			uint8_t up[8] = { 0 }, lo[8] = { 0 };
			char pat[32], text[64], slow[64];
			int want;

			if (uc_combining_class(c) != 0 || !uc_is_print(c))
				continue;
			u8_uctomb(up, uc_toupper(c), 6);
			u8_uctomb(lo, uc_tolower(c), 6);
			snprintf(pat, sizeof(pat), "x%sY", (char *)up);
			snprintf(text, sizeof(text), "ab X%sy cd", (char *)lo);
			snprintf(slow, sizeof(slow), "ab X%sy \xe6\x9d\xb1", (char *)lo);
			want = reference(pat, text);
			if (search(pat, text) != want || search(pat, slow) != want)
				fail_msg("U+%04X: '%s' in '%s': want %d", (unsigned)c, pat, text, want);
			snprintf(pat, sizeof(pat), "x%sY", (char *)lo);
			snprintf(text, sizeof(text), "ab X%sy cd", (char *)up);
			want = reference(pat, text);
			if (search(pat, text) != want)
				fail_msg("U+%04X: '%s' in '%s': want %d", (unsigned)c, pat, text, want);
			checked++;
		}
	assert_true(checked > 1500);
}

static void
test_cases(void **state)
{
	(void)state;
	assert_true(search("árbol", "EL ÁRBOL CAÍDO"));
	assert_true(search("ÁRBOL", "el árbol caído"));
	assert_true(search("MUÑOZ", "la señora muñoz"));
	assert_false(search("arbol", "el árbol"));
	assert_false(search("árbol", "el arbol"));
	assert_true(search("árbol", "el a\xcc\x81rbol"));        /* decomposed */
	assert_true(search("strasse", "Straße"));
	assert_true(search("ΣΊΣΥΦΟΣ", "Σίσυφος"));
	assert_true(search("привет", "ПРИВЕТ, мир"));
	assert_true(search("東京", "東京都"));
	assert_true(search("k", "\xe2\x84\xaa"));                /* KELVIN SIGN */
	assert_true(search("a.b", "xA.By"));
	assert_false(search("a.b", "axb"));
	assert_true(search("vpn", "VPN"));
	assert_false(search("vpns", "VPN"));
	assert_false(search("ñ", "n"));
	assert_true(search("x", "\xff x"));                    /* invalid bytes read, no more */
	assert_false(search("ab", "a"));
}

static void
test_bad_patterns(void **state)
{
	struct sd_search *s = (struct sd_search *)1;

	(void)state;
	assert_fails(sd_search_new(&s, ""), SD_EUSAGE, "--grep: give a text to look for");
	assert_null(s);
	assert_fails(sd_search_new(&s, "a\xff"), SD_EINVALID, "--grep: not valid UTF-8");
	assert_fails(sd_search_new(&s, "\xc3"), SD_EINVALID, "--grep: not valid UTF-8");
}

/* A ticket written by sd, and the glance at its bytes: whenever the
 * parsed ticket holds the pattern, the glance says it may. */
static void
test_glance(void **state)
{
	static const char *const pats[] = {
		"árbol", "ÁRBOL", "c:\\temp", "a ; b", "fin", "\"q\"", "line two",
		"xxxxxxxxxx tail", "MUÑOZ", "nowhere", "status", "东",
	};
	struct sd_ticket *t, *back;
	char *data = NULL, title[400];
	size_t len = 0;

	(void)state;
	assert_ok(sd_ticket_new(&t));
	memset(title, 'x', 300);
	strcpy(title + 300, " tail");
	assert_ok(sd_ticket_set(t, SD_F_ID, "SD-1"));
	assert_ok(sd_ticket_set(t, SD_F_STATUS, "new"));
	assert_ok(sd_ticket_set(t, SD_F_TITLE, title));
	assert_ok(sd_ticket_set_text(t, SD_TEXT_DESCRIPTION,
	    "El Árbol\nPath C:\\TEMP; a ; b\n\nline\ttwo \"Q\" fin"));
	assert_ok(sd_ticket_set_text(t, SD_TEXT_SOLUTION, "Señora Muñoz 东"));
	assert_ok(sd_ticket_format(&data, &len, t));
	assert_ok(sd_ticket_parse(&back, data, len, "SD-1.ini", SD_PARSE_FULL));
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		struct sd_search *s;
		assert_ok(sd_search_new(&s, pats[i]));
		if (sd_search_ticket(s, back) && !sd_search_file_may(s, data, len))
			fail_msg("'%s': in the ticket, but the glance says no", pats[i]);
		sd_search_free(s);
	}
	{
		struct sd_search *s;
		assert_ok(sd_search_new(&s, "nowhere"));
		assert_false(sd_search_ticket(s, back));
		sd_search_free(s);
		assert_ok(sd_search_new(&s, "status"));     /* a key, not a text */
		assert_false(sd_search_ticket(s, back));
		sd_search_free(s);
	}
	free(data);
	sd_ticket_free(t);
	sd_ticket_free(back);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_casefold),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_bad_patterns),
		cmocka_unit_test(test_glance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
