/*
 * Output formats (sd/format.h, SPEC section 6): format names, one value
 * in tsv, csv (RFC 4180) and json, and tables of rows in every format.
 */
#include "unit.h"

/* An in-memory FILE. */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *
mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	return m->f;
}

/* Close and return what was written (the caller frees m->buf). */
static const char *
mem_text(struct mem *m)
{
	assert_int_equal(fclose(m->f), 0);
	return m->buf;
}

#define assert_put(fn, in, want) do { \
	struct mem m_; \
	fn(mem_open(&m_), (in)); \
	assert_string_equal(mem_text(&m_), (want)); \
	free(m_.buf); \
} while (0)

static void
test_format_parse(void **state)
{
	enum sd_format f = SD_FORMAT_TABLE;

	(void)state;
	assert_ok(sd_format_parse(&f, "json", "table,tsv,csv,json"));
	assert_int_equal(f, SD_FORMAT_JSON);
	assert_ok(sd_format_parse(&f, "table", "table,tsv,csv,json"));
	assert_int_equal(f, SD_FORMAT_TABLE);
	assert_ok(sd_format_parse(&f, "tsv", "table,tsv,csv,json"));
	assert_int_equal(f, SD_FORMAT_TSV);
	assert_ok(sd_format_parse(&f, "csv", "table,tsv,csv,json"));
	assert_int_equal(f, SD_FORMAT_CSV);
	assert_ok(sd_format_parse(&f, "text", "text,json,ini"));
	assert_int_equal(f, SD_FORMAT_TEXT);
	assert_ok(sd_format_parse(&f, "ini", "text,json,ini"));
	assert_int_equal(f, SD_FORMAT_INI);
	assert_ok(sd_format_parse(&f, "ini", "ini"));
	assert_int_equal(f, SD_FORMAT_INI);

	/* Only the allowed ones, whole. */
	assert_fails(sd_format_parse(&f, "ini", "table,tsv,csv,json"), SD_EUSAGE,
	    "unknown format 'ini' (one of table,tsv,csv,json)");
	assert_fails(sd_format_parse(&f, "xml", "table,tsv,csv,json"), SD_EUSAGE,
	    "unknown format 'xml' (one of table,tsv,csv,json)");
	assert_int_equal(sd_format_parse(&f, "js", "table,tsv,csv,json"), SD_EUSAGE);
	assert_int_equal(sd_format_parse(&f, "JSON", "table,tsv,csv,json"), SD_EUSAGE);
	assert_int_equal(sd_format_parse(&f, "", "table,tsv,csv,json"), SD_EUSAGE);
	assert_int_equal(sd_format_parse(&f, "tsv", "tsvx,csv"), SD_EUSAGE);
	assert_int_equal(sd_format_parse(&f, "csv", "xcsv,json"), SD_EUSAGE);
	assert_int_equal(sd_format_parse(&f, "table,tsv", "table,tsv"), SD_EUSAGE);
	assert_int_equal(f, SD_FORMAT_INI);     /* untouched on failure */
}

static void
test_put_tsv(void **state)
{
	(void)state;
	assert_put(sd_put_tsv, "plain", "plain");
	assert_put(sd_put_tsv, "", "");
	assert_put(sd_put_tsv, "a\tb\nc\\d\re", "a\\tb\\nc\\\\d\\re");
	assert_put(sd_put_tsv, "\\t is not a tab", "\\\\t is not a tab");
	assert_put(sd_put_tsv, "Ñandú, \"roto\"; ok", "Ñandú, \"roto\"; ok");
}

static void
test_put_csv(void **state)
{
	(void)state;
	assert_put(sd_put_csv, "plain", "plain");
	assert_put(sd_put_csv, "", "");
	assert_put(sd_put_csv, " spaces kept ", " spaces kept ");
	assert_put(sd_put_csv, "a,b", "\"a,b\"");
	assert_put(sd_put_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
	assert_put(sd_put_csv, "\"", "\"\"\"\"");
	assert_put(sd_put_csv, "two\nlines", "\"two\nlines\"");
	assert_put(sd_put_csv, "cr\r", "\"cr\r\"");
	assert_put(sd_put_csv, "tab\tand;semi", "tab\tand;semi");
	assert_put(sd_put_csv, "Ñandú", "Ñandú");
	/* What a spreadsheet would run (OWASP, CSV Injection): a ' first,
	 * and quoted. */
	assert_put(sd_put_csv, "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	assert_put(sd_put_csv, "=1+2", "\"'=1+2\"");
	assert_put(sd_put_csv, "+1", "\"'+1\"");
	assert_put(sd_put_csv, "-2+3", "\"'-2+3\"");
	assert_put(sd_put_csv, "@SUM(A1)", "\"'@SUM(A1)\"");
	assert_put(sd_put_csv, "\tx", "\"'\tx\"");
	assert_put(sd_put_csv, "\rx", "\"'\rx\"");
	assert_put(sd_put_csv, "=a,b", "\"'=a,b\"");
	/* Only the first character counts. */
	assert_put(sd_put_csv, "a=b", "a=b");
	assert_put(sd_put_csv, " =1", " =1");
	assert_put(sd_put_csv, "'=1", "'=1");
}

static void
test_put_json(void **state)
{
	(void)state;
	assert_put(sd_put_json, "plain", "\"plain\"");
	assert_put(sd_put_json, "", "\"\"");
	assert_put(sd_put_json, "a\"b\\c", "\"a\\\"b\\\\c\"");
	assert_put(sd_put_json, "\n\r\t", "\"\\n\\r\\t\"");
	assert_put(sd_put_json, "\x01\x1f\x08\x0c", "\"\\u0001\\u001f\\u0008\\u000c\"");
	assert_put(sd_put_json, "a/b \x7f", "\"a/b \x7f\"");
	/* UTF-8 as it is. */
	assert_put(sd_put_json, "Ñandú € 😀 \xe2\x80\xa8", "\"Ñandú € 😀 \xe2\x80\xa8\"");
}

static char *table(enum sd_format fmt, const char *const (*rows)[3], size_t nrows);

/* sd_visible(s, flags) is want. */
static void
visible_is(const char *s, int flags, const char *want)
{
	char *out = NULL;

	assert_ok(sd_visible(&out, s, flags));
	if (strcmp(out, want))
		fail_msg("sd_visible: '%s', not '%s'", out, want);
	free(out);
}

static void
test_visible(void **state)
{
	(void)state;
	visible_is("plain Ñandú € 😀", 0, "plain Ñandú € 😀");
	visible_is("", 0, "");
	/* C0 as ^X, DEL as ^?: OSC, CSI, BEL, backspace. */
	visible_is("\x1b]0;pwned\x07", 0, "^[]0;pwned^G");
	visible_is("\x1b[2J", 0, "^[[2J");
	visible_is("a\x08\x7f\x01\x1f", 0, "a^H^?^A^_");
	/* Newlines and tabs: ^J ^I on one line, kept in texts; CR never. */
	visible_is("a\nb\tc\rd", 0, "a^Jb^Ic^Md");
	visible_is("a\nb\tc\rd", SD_VISIBLE_LINES, "a\nb\tc^Md");
	/* C1, U+0080..U+009F: M-^X as cat -v shows the Latin-1 byte; the
	 * first, NEL, CSI, the last; U+00A0 just after is a character. */
	visible_is("\xc2\x80", 0, "M-^@");
	visible_is("\xc2\x85", 0, "M-^E");
	visible_is("\xc2\x9b" "2J", 0, "M-^[2J");
	visible_is("\xc2\x9f", 0, "M-^_");
	visible_is("\xc2\xa0", 0, "\xc2\xa0");
	/* Bytes that are no UTF-8: M- and their low bits, as cat -v. */
	visible_is("\x9b" "2J", 0, "M-^[2J");
	visible_is("\xff\xc3", 0, "M-^?M-C");
	visible_is("\xc3\x28", 0, "M-C(");
	visible_is("\xed\xa0\x80", 0, "M-mM- M-^@");   /* a surrogate */
	/* sd_control_len: what a field may not hold. */
	assert_int_equal(sd_control_len("\x1b["), 1);
	assert_int_equal(sd_control_len("\x7f"), 1);
	assert_int_equal(sd_control_len("\xc2\x9b"), 2);
	assert_int_equal(sd_control_len("\xc2\xa0"), 0);
	assert_int_equal(sd_control_len("a"), 0);
	assert_int_equal(sd_control_len(""), 0);
	/* sd_bidi_len: the marks that reorder what a terminal shows. */
	assert_int_equal(sd_bidi_len("\xd8\x9c"), 2);              /* U+061C */
	assert_int_equal(sd_bidi_len("\xe2\x80\x8e"), 3);          /* U+200E */
	assert_int_equal(sd_bidi_len("\xe2\x80\x8f"), 3);          /* U+200F */
	assert_int_equal(sd_bidi_len("\xe2\x80\xaa"), 3);          /* U+202A */
	assert_int_equal(sd_bidi_len("\xe2\x80\xae" "fdp"), 3);    /* U+202E */
	assert_int_equal(sd_bidi_len("\xe2\x81\xa6"), 3);          /* U+2066 */
	assert_int_equal(sd_bidi_len("\xe2\x81\xa9"), 3);          /* U+2069 */
	assert_int_equal(sd_bidi_len("\xe2\x80\x8d"), 0);          /* U+200D ZWJ */
	assert_int_equal(sd_bidi_len("\xe2\x80\xaf"), 0);          /* U+202F */
	assert_int_equal(sd_bidi_len("\xe2\x81\xa5"), 0);          /* U+2065 */
	assert_int_equal(sd_bidi_len("\xe2\x81\xaa"), 0);          /* U+206A */
	assert_int_equal(sd_bidi_len("\xd8\x9b"), 0);
	assert_int_equal(sd_bidi_len("\xe2"), 0);
	assert_int_equal(sd_bidi_len(""), 0);
}

/* A table with SD_FORMAT_VISIBLE: every format's cells shown visibly. */
static void
test_table_visible(void **state)
{
	static const char *const evil[][3] = {
		{ "SD-1", "Jam \x1b]0;x\x07 \xc2\x9b" "2J", "2" },
	};
	char *out;

	(void)state;
	out = table(SD_FORMAT_TSV | SD_FORMAT_VISIBLE, evil, 1);
	assert_string_equal(out, "id\ttitle\tpriority\nSD-1\tJam ^[]0;x^G M-^[2J\t2\n");
	free(out);
	out = table(SD_FORMAT_CSV | SD_FORMAT_VISIBLE, evil, 1);
	assert_string_equal(out, "id,title,priority\r\nSD-1,Jam ^[]0;x^G M-^[2J,2\r\n");
	free(out);
	out = table(SD_FORMAT_JSON | SD_FORMAT_VISIBLE, evil, 1);
	assert_string_equal(out, "[\n{\"id\":\"SD-1\",\"title\":\"Jam ^[]0;x^G M-^[2J\",\"priority\":2}\n]\n");
	free(out);
	/* The table's columns measured on what is shown. */
	out = table(SD_FORMAT_TABLE | SD_FORMAT_VISIBLE, evil, 1);
	assert_string_equal(out,
	    "ID    TITLE                PRIORITY\n"
	    "SD-1  Jam ^[]0;x^G M-^[2J  2\n");
	free(out);
	/* Without it, as they are. */
	out = table(SD_FORMAT_TSV, evil, 1);
	assert_string_equal(out, "id\ttitle\tpriority\nSD-1\tJam \x1b]0;x\x07 \xc2\x9b" "2J\t2\n");
	free(out);
}

static const char *const cols[] = { "id", "title", "priority" };
static const int numeric[] = { 0, 0, 1 };

/* nrows rows of 3 cells as a table in fmt: what it writes. */
static char *
table(enum sd_format fmt, const char *const (*rows)[3], size_t nrows)
{
	struct sd_table *t = NULL;
	struct mem m;

	assert_ok(sd_table_new(&t, mem_open(&m), fmt, 3, cols, numeric));
	for (size_t i = 0; i < nrows; i++)
		assert_ok(sd_table_row(t, rows[i]));
	assert_ok(sd_table_end(t));
	sd_table_free(t);
	mem_text(&m);
	return m.buf;
}

static const char *const rows2[][3] = {
	{ "SD-1", "Jam, again", "2" },
	{ "SD-10", "say \"hi\"\tÑandú", "" },
};

static void
test_table_tsv_csv(void **state)
{
	char *out;

	(void)state;
	out = table(SD_FORMAT_TSV, rows2, 2);
	assert_string_equal(out,
	    "id\ttitle\tpriority\n"
	    "SD-1\tJam, again\t2\n"
	    "SD-10\tsay \"hi\"\\tÑandú\t\n");
	free(out);
	out = table(SD_FORMAT_TSV, rows2, 0);
	assert_string_equal(out, "id\ttitle\tpriority\n");
	free(out);

	/* RFC 4180: CRLF line ends, quotes where needed. */
	out = table(SD_FORMAT_CSV, rows2, 2);
	assert_string_equal(out,
	    "id,title,priority\r\n"
	    "SD-1,\"Jam, again\",2\r\n"
	    "SD-10,\"say \"\"hi\"\"\tÑandú\",\r\n");
	free(out);
	out = table(SD_FORMAT_CSV, rows2, 0);
	assert_string_equal(out, "id,title,priority\r\n");
	free(out);
}

/* CSV rows: formulas guarded in every column but a number in a numeric
 * one; tsv, for programs, as ever. */
static void
test_table_csv_formulas(void **state)
{
	static const char *const rows[][3] = {
		{ "SD-1", "=cmd|' /C calc'!A0", "-1" },
		{ "SD-2", "- printer down", "+2" },
		{ "@SD-3", "ok", "=1+1" },
	};
	char *out;

	(void)state;
	out = table(SD_FORMAT_CSV, rows, 3);
	assert_string_equal(out,
	    "id,title,priority\r\n"
	    "SD-1,\"'=cmd|' /C calc'!A0\",-1\r\n"
	    "SD-2,\"'- printer down\",\"'+2\"\r\n"
	    "\"'@SD-3\",ok,\"'=1+1\"\r\n");
	free(out);
	out = table(SD_FORMAT_TSV, rows, 3);
	assert_string_equal(out,
	    "id\ttitle\tpriority\n"
	    "SD-1\t=cmd|' /C calc'!A0\t-1\n"
	    "SD-2\t- printer down\t+2\n"
	    "@SD-3\tok\t=1+1\n");
	free(out);
}

static void
test_table_json(void **state)
{
	static const char *const odd[][3] = {
		{ "SD-2", "x", "12.5" },
		{ "SD-3", "y", "-3" },
		{ "SD-4", "z", "abc" },         /* not a number: still JSON */
		{ "SD-5", "w", "1e3" },
		{ "SD-6", "v", "007" },
	};
	char *out;

	(void)state;
	out = table(SD_FORMAT_JSON, rows2, 2);
	assert_string_equal(out,
	    "[\n"
	    "{\"id\":\"SD-1\",\"title\":\"Jam, again\",\"priority\":2},\n"
	    "{\"id\":\"SD-10\",\"title\":\"say \\\"hi\\\"\\tÑandú\",\"priority\":null}\n"
	    "]\n");
	free(out);
	/* No rows: still an array. */
	out = table(SD_FORMAT_JSON, rows2, 0);
	assert_string_equal(out, "[]\n");
	free(out);
	out = table(SD_FORMAT_JSON, odd, 5);
	assert_string_equal(out,
	    "[\n"
	    "{\"id\":\"SD-2\",\"title\":\"x\",\"priority\":12.5},\n"
	    "{\"id\":\"SD-3\",\"title\":\"y\",\"priority\":-3},\n"
	    "{\"id\":\"SD-4\",\"title\":\"z\",\"priority\":\"abc\"},\n"
	    "{\"id\":\"SD-5\",\"title\":\"w\",\"priority\":1e3},\n"
	    "{\"id\":\"SD-6\",\"title\":\"v\",\"priority\":\"007\"}\n"
	    "]\n");
	free(out);
}

static void
test_table_people(void **state)
{
	static const char *const rows[][3] = {
		{ "SD-1", "Printer", "2" },
		{ "SD-10", "Ñandú roto", "4" },
	};
	char *out;

	(void)state;
	/* Columns as wide as their widest cell (in characters: Ñandú roto
	 * is 10) plus two spaces; headers in capitals; the last column is
	 * not padded. */
	out = table(SD_FORMAT_TABLE, rows, 2);
	assert_string_equal(out,
	    "ID     TITLE       PRIORITY\n"
	    "SD-1   Printer     2\n"
	    "SD-10  Ñandú roto  4\n");
	free(out);
	out = table(SD_FORMAT_TEXT, rows, 2);
	assert_string_equal(out,
	    "ID     TITLE       PRIORITY\n"
	    "SD-1   Printer     2\n"
	    "SD-10  Ñandú roto  4\n");
	free(out);
	/* No rows, no table (not even the header): for people, and for
	 * cron, which mails only when there is output. */
	out = table(SD_FORMAT_TABLE, rows, 0);
	assert_string_equal(out, "");
	free(out);
}

/* Past the first 1000 rows the widths stay: a wider cell is followed by
 * two spaces all the same. */
/* Fitted to a width: the title column gives way, cut with an ellipsis
 * (U+2026, one character, three bytes), in characters not bytes; the
 * other columns keep theirs; 10 characters at least; tsv never cut. */
static void
test_table_fit(void **state)
{
	static const char *const rows[][3] = {
		{ "SD-1", "Ñandú ñandú ñandú ñandú", "2" },
		{ "SD-10", "short", "" },
	};
	struct sd_table *t = NULL;
	struct mem m;

	(void)state;
	/* ID 5 + 2 + PRIORITY 8 + 2 = 17: a width of 30 leaves 13. */
	assert_ok(sd_table_new(&t, mem_open(&m), SD_FORMAT_TABLE, 3, cols, numeric));
	assert_ok(sd_table_fit(t, 30, 1));
	for (size_t i = 0; i < 2; i++)
		assert_ok(sd_table_row(t, rows[i]));
	assert_ok(sd_table_end(t));
	sd_table_free(t);
	assert_string_equal(mem_text(&m),
	    "ID     TITLE          PRIORITY\n"
	    "SD-1   Ñandú ñandú \xe2\x80\xa6  2\n"
	    "SD-10  short          \n");
	free(m.buf);
	/* Too narrow: 10 characters all the same. */
	assert_ok(sd_table_new(&t, mem_open(&m), SD_FORMAT_TABLE, 3, cols, numeric));
	assert_ok(sd_table_fit(t, 5, 1));
	assert_ok(sd_table_row(t, rows[0]));
	assert_ok(sd_table_end(t));
	sd_table_free(t);
	assert_string_equal(mem_text(&m),
	    "ID    TITLE       PRIORITY\n"
	    "SD-1  Ñandú ñan\xe2\x80\xa6  2\n");
	free(m.buf);
	/* Wide enough: nothing cut. */
	assert_ok(sd_table_new(&t, mem_open(&m), SD_FORMAT_TABLE, 3, cols, numeric));
	assert_ok(sd_table_fit(t, 80, 1));
	assert_ok(sd_table_row(t, rows[0]));
	assert_ok(sd_table_end(t));
	sd_table_free(t);
	assert_string_equal(mem_text(&m),
	    "ID    TITLE                    PRIORITY\n"
	    "SD-1  Ñandú ñandú ñandú ñandú  2\n");
	free(m.buf);
	/* A machine format: never. */
	assert_ok(sd_table_new(&t, mem_open(&m), SD_FORMAT_TSV, 3, cols, numeric));
	assert_ok(sd_table_fit(t, 5, 1));
	assert_ok(sd_table_row(t, rows[0]));
	assert_ok(sd_table_end(t));
	sd_table_free(t);
	assert_string_equal(mem_text(&m),
	    "id\ttitle\tpriority\nSD-1\tÑandú ñandú ñandú ñandú\t2\n");
	free(m.buf);
}

static void
test_table_long(void **state)
{
	static const char *const names2[] = { "k", "v" };
	const char *row[2] = { "a", "x" };
	struct sd_table *t = NULL;
	struct mem m;
	const char *out, *last;

	(void)state;
	assert_ok(sd_table_new(&t, mem_open(&m), SD_FORMAT_TABLE, 2, names2, NULL));
	for (int i = 0; i < 1000; i++)
		assert_ok(sd_table_row(t, row));
	row[0] = "abcdef";
	assert_ok(sd_table_row(t, row));
	assert_ok(sd_table_end(t));
	sd_table_free(t);
	out = mem_text(&m);
	assert_memory_equal(out, "K  V\na  x\na  x\n", 15);
	last = out + strlen(out) - strlen("abcdef  x\n");
	assert_string_equal(last, "abcdef  x\n");
	assert_int_equal(strlen(out), 5 + 1000 * 5 + strlen("abcdef  x\n"));
	free(m.buf);
}

static void
test_table_ini(void **state)
{
	struct sd_table *t = (struct sd_table *)1;
	struct mem m;

	(void)state;
	assert_fails(sd_table_new(&t, mem_open(&m), SD_FORMAT_INI, 3, cols, numeric), SD_EUSAGE,
	    "format ini is not for tables");
	assert_null(t);
	assert_string_equal(mem_text(&m), "");
	free(m.buf);
	sd_table_free(NULL);
}

static void
test_split(void **state)
{
	char **v;
	size_t n;

	(void)state;
	assert_ok(sd_split(&v, &n, " id, status ,,title\t,", ','));
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "id");
	assert_string_equal(v[1], "status");
	assert_string_equal(v[2], "title");
	sd_split_free(v, n);
	assert_ok(sd_split(&v, &n, "", ','));
	assert_int_equal(n, 0);
	sd_split_free(v, n);
	assert_ok(sd_split(&v, &n, "SD-1 SD-2", ' '));
	assert_int_equal(n, 2);
	assert_string_equal(v[1], "SD-2");
	sd_split_free(v, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_put_tsv),
		cmocka_unit_test(test_put_csv),
		cmocka_unit_test(test_put_json),
		cmocka_unit_test(test_table_tsv_csv),
		cmocka_unit_test(test_table_csv_formulas),
		cmocka_unit_test(test_table_json),
		cmocka_unit_test(test_table_people),
		cmocka_unit_test(test_table_long),
		cmocka_unit_test(test_table_fit),
		cmocka_unit_test(test_table_ini),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_table_visible),
		cmocka_unit_test(test_split),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
