/*
 * The value encoding of ticket files (sd/codec.h, SPEC section 4): exact
 * encodings by hand, decoding and its errors, and round trips of random
 * texts through Debian's libinih, alone and through sd_ticket_format and
 * sd_ticket_parse.
 */
#include <ini.h>

#include "unit.h"

#define MiB (1024 * 1024)

/* The lines sd_codec_encode writes for key = value[0..len). */
static char *
encode(const char *key, const char *value, size_t len, int multiline)
{
	char *out = NULL;
	size_t outlen = 0;

	assert_ok(sd_codec_encode(&out, &outlen, key, value, len, multiline));
	assert_non_null(out);
	assert_int_equal(strlen(out), outlen);
	return out;
}

#define assert_encodes(key, lit, multiline, want) do { \
	char *got_ = encode((key), (lit), sizeof(lit) - 1, (multiline)); \
	assert_string_equal(got_, (want)); \
	free(got_); \
} while (0)

/* A string of n copies of c. */
static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Every line of a ticket file sd wrote: at most SD_CODEC_LINE_MAX bytes,
 * and blank, a [section] or `key = ...` / `key+ = ...` with a lower-case
 * key, so that inih sees no comment, no continuation and no section in
 * the data.  Returns the number of [section] lines. */
static int
check_lines(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int sections = 0;

	assert_true(len > 0 && data[len - 1] == '\n');
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p), k = 0;

		assert_non_null(nl);
		if (n > SD_CODEC_LINE_MAX)
			fail_msg("line of %zu bytes: %.*s", n, (int)n, p);
		if (n == 0) {
			p = nl + 1;
			continue;
		}
		if (p[0] == '[') {
			assert_true(p[n - 1] == ']');
			sections++;
			p = nl + 1;
			continue;
		}
		while (k < n && ((p[k] >= 'a' && p[k] <= 'z') || p[k] == '_'))
			k++;
		if (k == 0)
			fail_msg("line does not start with a key: %.*s", (int)n, p);
		if (k < n && p[k] == '+')
			k++;
		if (n - k < 2 || p[k] != ' ' || p[k + 1] != '=' ||
		    (n - k > 2 && (p[k + 2] != ' ' || n - k == 3)))
			fail_msg("not `key = value`: %.*s", (int)n, p);
		p = nl + 1;
	}
	return sections;
}

/* Say where two byte strings first differ. */
static void
assert_same_bytes(struct unit_rng *rng, const char *what, long iter,
    const char *want, size_t wantlen, const char *got, size_t gotlen)
{
	size_t i = 0;

	if (wantlen == gotlen && !memcmp(want, got, wantlen))
		return;
	while (i < wantlen && i < gotlen && want[i] == got[i])
		i++;
	if (rng)
		unit_fail(rng, "%s (case %ld): %zu bytes written, %zu read back, first "
		    "difference at byte %zu", what, iter, wantlen, gotlen, i);
	fail_msg("%s: %zu bytes written, %zu read back, first difference at "
	    "byte %zu", what, wantlen, gotlen, i);
}

/* A fresh ticket with a few fields set. */
static struct sd_ticket *
base_ticket(void)
{
	struct sd_ticket *t;

	assert_ok(sd_ticket_new(&t));
	assert_ok(sd_ticket_set(t, SD_F_ID, "SD-42"));
	assert_ok(sd_ticket_set(t, SD_F_TYPE, "incident"));
	assert_ok(sd_ticket_set(t, SD_F_STATUS, "new"));
	assert_ok(sd_ticket_set(t, SD_F_TITLE, "Plain title"));
	assert_ok(sd_ticket_set(t, SD_F_PRIORITY, "2"));
	return t;
}

/* Format t, check its lines, parse it back. */
static struct sd_ticket *
reparse(const struct sd_ticket *t, char **text, size_t *len)
{
	struct sd_ticket *u;
	char *out;
	size_t n;

	assert_ok(sd_ticket_format(&out, &n, t));
	check_lines(out, n);
	if (sd_ticket_parse(&u, out, n, "t.ini", 0) < 0)
		fail_msg("sd_ticket_parse: %s", sd_error_message());
	if (text) {
		*text = out;
		*len = n;
	} else {
		free(out);
	}
	return u;
}

/* Every [ticket] field of u is that of t. */
static void
assert_same_fields(const struct sd_ticket *t, const struct sd_ticket *u)
{
	for (int f = 0; f < SD_F__COUNT; f++)
		if (strcmp(sd_ticket_get(t, f), sd_ticket_get(u, f)))
			fail_msg("field %s: wrote '%s', read '%s'", sd_field_name(f),
			    sd_ticket_get(t, f), sd_ticket_get(u, f));
}

/* --- plain values ------------------------------------------------------ */

static void
test_is_plain(void **state)
{
	char *s149 = repeat('a', 149), *s150 = repeat('a', 150);

	(void)state;
	assert_true(sd_codec_is_plain("", 0));
	assert_true(sd_codec_is_plain("Plain title", 11));
	assert_true(sd_codec_is_plain("a;b", 3));           /* no space before ; */
	assert_true(sd_codec_is_plain("a# b", 4));          /* # only at the start */
	assert_true(sd_codec_is_plain("[section]", 9));
	assert_true(sd_codec_is_plain("key = value", 11));
	assert_true(sd_codec_is_plain("C:\\dir\\", 7));     /* \ is plain text */
	assert_true(sd_codec_is_plain("say \"hi\"", 8));    /* " only at the start */
	assert_true(sd_codec_is_plain("Ñandú €", 10));
	assert_true(sd_codec_is_plain(s149, 149));          /* under 150 bytes */
	assert_false(sd_codec_is_plain(s150, 150));
	assert_false(sd_codec_is_plain("a ;b", 4));
	assert_false(sd_codec_is_plain(";a", 2));
	assert_false(sd_codec_is_plain("#a", 2));
	assert_false(sd_codec_is_plain("\"a", 2));
	assert_false(sd_codec_is_plain(" a", 2));
	assert_false(sd_codec_is_plain("a ", 2));
	assert_false(sd_codec_is_plain("a\tb", 3));
	assert_false(sd_codec_is_plain("a\nb", 3));
	assert_false(sd_codec_is_plain("a\rb", 3));
	assert_false(sd_codec_is_plain("a\x7f", 2));
	assert_false(sd_codec_is_plain("a\x01", 2));
	free(s149);
	free(s150);
}

/* (d) A plain title is in the file as it is, for any INI reader. */
static void
test_plain_written_as_is(void **state)
{
	struct sd_ticket *t = base_ticket(), *u;
	char *out;
	size_t len;

	(void)state;
	assert_ok(sd_ticket_set(t, SD_F_REQUESTER, "Ana Gómez; oficina 3"));
	u = reparse(t, &out, &len);
	assert_non_null(strstr(out, "\ntitle = Plain title\n"));
	assert_non_null(strstr(out, "\nrequester = Ana Gómez; oficina 3\n"));
	assert_non_null(strstr(out, "\nid = SD-42\n"));
	assert_non_null(strstr(out, "\nassignee =\n"));
	assert_string_equal(sd_ticket_get(u, SD_F_TITLE), "Plain title");
	free(out);
	sd_ticket_free(t);
	sd_ticket_free(u);
}

/* --- exact encodings --------------------------------------------------- */

static void
test_encode_single_line(void **state)
{
	(void)state;
	assert_encodes("title", "Plain title", 0, "title = Plain title\n");
	assert_encodes("title", "", 0, "title =\n");
	assert_encodes("title", "a ;b", 0, "title = \"a \\;b\"\n");
	assert_encodes("title", "a ; b", 0, "title = \"a \\; b\"\n");
	assert_encodes("title", ";x", 0, "title = \";x\"\n");
	assert_encodes("title", "#x", 0, "title = \"#x\"\n");
	assert_encodes("title", " x ", 0, "title = \" x \"\n");
	/* A leading " is quoted; the " inside need no escape: the chunk ends
	 * at the last byte of the line. */
	assert_encodes("title", "\"q", 0, "title = \"\"q\"\n");
	assert_encodes("title", "\"", 0, "title = \"\"\"\n");
	assert_encodes("title", "C:\\dir\\", 0, "title = C:\\dir\\\n");
	assert_encodes("title", "tab\there", 0, "title = \"tab\\there\"\n");
	assert_encodes("title", "\x01\x1f\x7f", 0, "title = \"\\x01\\x1f\\x7f\"\n");
	assert_encodes("title", "\\ x\t", 0, "title = \"\\\\ x\\t\"\n");
	/* Not multiline: newlines are escaped, the value stays on one key. */
	assert_encodes("title", "a\n[ticket]\nid = SD-9", 0,
	    "title = \"a\\n[ticket]\\nid = SD-9\"\n");
	assert_encodes("title", "a\r\n", 0, "title = \"a\\r\\n\"\n");
}

static void
test_encode_text(void **state)
{
	(void)state;
	/* One key line per line of text. */
	assert_encodes("text", "a\nb", 1, "text = a\ntext = b\n");
	/* Blank lines and final newlines are empty key lines. */
	assert_encodes("text", "a\n\nb\n", 1, "text = a\ntext =\ntext = b\ntext =\n");
	assert_encodes("text", "a\n\n", 1, "text = a\ntext =\ntext =\n");
	assert_encodes("text", "\n", 1, "text =\ntext =\n");
	/* "" is one empty line: distinct from no value at all. */
	assert_encodes("text", "", 1, "text =\n");
	/* CRLF: the CR is escaped, the LF starts a line. */
	assert_encodes("text", "a\r\nb\r\n", 1,
	    "text = \"a\\r\"\ntext = \"b\\r\"\ntext =\n");
	assert_encodes("text", "[section]\nkey = value\n;c\n#c\n  sp", 1,
	    "text = [section]\ntext = key = value\ntext = \";c\"\n"
	    "text = \"#c\"\ntext = \"  sp\"\n");
	assert_encodes("text", "trail  \n\ttab", 1,
	    "text = \"trail  \"\ntext = \"\\ttab\"\n");
}

static void
test_encode_long_lines(void **state)
{
	char *s, *want, *got;
	size_t n;

	(void)state;
	/* 149 bytes: plain.  150: quoted, 152 bytes on the line. */
	s = repeat('a', 149);
	got = encode("text", s, 149, 1);
	assert_int_equal(strlen(got), strlen("text = ") + 149 + 1);
	assert_memory_equal(got, "text = aaa", 10);
	free(got);
	free(s);
	s = repeat('a', 150);
	got = encode("text", s, 150, 1);
	assert_int_equal(strlen(got), strlen("text = \"") + 150 + strlen("\"\n"));
	free(got);
	free(s);

	/* 300 bytes: a chunk holds 160 bytes with its quotes, so 158 of the
	 * line quoted, then the other 300 - 158 = 142 plain on a key+ line. */
	s = repeat('x', 300);
	want = malloc(400);
	n = (size_t)sprintf(want, "text = \"%.158s\"\ntext+ = %.142s\n", s, s);
	got = encode("text", s, 300, 1);
	assert_string_equal(got, want);
	assert_int_equal(strlen(got), n);
	free(got);

	/* A character is never cut: 157 bytes + 2 quotes = 159, and € takes
	 * 3 more (162 > 160), so € starts the key+ line. */
	memcpy(s + 157, "€", 3);
	n = (size_t)sprintf(want, "text = \"%.157s\"\ntext+ = €\n", s);
	got = encode("text", s, 160, 1);
	assert_string_equal(got, want);
	free(got);

	/* Escapes count as their quoted length: 80 tabs are 160 bytes of
	 * \t, so 79 (158 + 2 quotes) on the first line, 1 on the next. */
	memset(s, '\t', 80);
	got = encode("text", s, 80, 1);
	memset(want, 0, 400);
	strcpy(want, "text = \"");
	for (int i = 0; i < 79; i++)
		strcat(want, "\\t");
	strcat(want, "\"\ntext+ = \"\\t\"\n");
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(s);
}

/* sd_codec_encode appends to what *out holds. */
static void
test_encode_appends(void **state)
{
	char *out = strdup("[s]\n");
	size_t len = 4;

	(void)state;
	assert_ok(sd_codec_encode(&out, &len, "a", "x", 1, 0));
	assert_ok(sd_codec_encode(&out, &len, "b", " y", 2, 0));
	assert_string_equal(out, "[s]\na = x\nb = \" y\"\n");
	assert_int_equal(len, strlen(out));
	free(out);
}

/* --- decoding ---------------------------------------------------------- */

#define assert_decodes(chunk, want) do { \
	char *out_ = NULL; \
	size_t len_ = 0; \
	assert_ok(sd_codec_decode_chunk(&out_, &len_, (chunk))); \
	assert_int_equal(len_, sizeof(want) - 1); \
	assert_memory_equal(out_, (want), sizeof(want) - 1); \
	free(out_); \
} while (0)

static void
test_decode(void **state)
{
	char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_decodes("plain", "plain");
	assert_decodes("", "");
	assert_decodes("a\"b\\c", "a\"b\\c");         /* plain: as it is */
	assert_decodes("\"\"", "");
	assert_decodes("\"\"\"", "\"");
	assert_decodes("\"a \\; b\"", "a ; b");
	assert_decodes("\"\\t\\r\\n\\\\\"", "\t\r\n\\");
	assert_decodes("\"\\x41\\x7f\\x1F\"", "A\x7f\x1f");
	assert_decodes("\" lead\"", " lead");
	assert_decodes("\"\"q\"", "\"q");

	/* It appends. */
	assert_ok(sd_codec_decode_chunk(&out, &len, "ab"));
	assert_ok(sd_codec_decode_chunk(&out, &len, "\"\\tc\""));
	assert_int_equal(len, 4);
	assert_string_equal(out, "ab\tc");
	free(out);
}

/* (e) Malformed quoted chunks. */
static void
test_decode_errors(void **state)
{
	static const char *const bad[] = {
		"\"abc",        /* no closing quote */
		"\"",           /* a lone quote */
		"\"a\\q\"",     /* unknown escape */
		"\"\\x0\"",     /* \x with one digit */
		"\"\\x00\"",    /* NUL */
		"\"\\xzz\"",
		"\"a\\\"",      /* a lone backslash before the closing quote */
		"\"\\\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *out = NULL;
		size_t len = 0;
		int rc = sd_codec_decode_chunk(&out, &len, bad[i]);
		if (rc != SD_EINVALID)
			fail_msg("'%s' decoded with %d", bad[i], rc);
		free(out);
	}
	{
		char *out = NULL;
		size_t len = 0;
		assert_fails(sd_codec_decode_chunk(&out, &len, "\"abc"), SD_EINVALID,
		    "quoted value has no closing quote");
		free(out);
		out = NULL;
		assert_fails(sd_codec_decode_chunk(&out, &len, "\"a\\q\""), SD_EINVALID,
		    "unknown escape \\q in quoted value");
		free(out);
		out = NULL;
		assert_fails(sd_codec_decode_chunk(&out, &len, "\"\\x00\""), SD_EINVALID,
		    "bad \\x escape in quoted value");
		free(out);
	}
}

/* --- hazards by hand, through sd_ticket_format and sd_ticket_parse ----- */

/* text as the description, the solution and an event's text; each comes
 * back byte for byte, and the description's lines are want. */
static void
roundtrip_text(const char *text, const char *want)
{
	struct sd_ticket *t = base_ticket(), *u;
	size_t ix;
	char *out, *desc;
	size_t len;

	assert_ok(sd_ticket_set_text(t, SD_TEXT_DESCRIPTION, text));
	assert_ok(sd_ticket_set_text(t, SD_TEXT_SOLUTION, text));
	assert_ok(sd_ticket_event_add(t, &ix, "2026-11-23T10:00:00-05:00", "ana", "note"));
	assert_ok(sd_ticket_event_set(t, ix, "text", text));
	u = reparse(t, &out, &len);
	assert_string_equal(sd_ticket_text(u, SD_TEXT_DESCRIPTION), text);
	assert_string_equal(sd_ticket_text(u, SD_TEXT_SOLUTION), text);
	assert_int_equal(sd_ticket_event_count(u), 1);
	assert_string_equal(sd_ticket_event_get(u, 0, "text"), text);
	assert_int_equal(sd_ticket_event_keys(u, 0), 4);
	assert_same_fields(t, u);
	if (want) {
		desc = strstr(out, "\n[description]\n");
		assert_non_null(desc);
		desc += strlen("\n[description]\n");
		assert_memory_equal(desc, want, strlen(want));
		assert_memory_equal(desc + strlen(want), "\n[solution]\n", 12);
	}
	free(out);
	sd_ticket_free(t);
	sd_ticket_free(u);
}

static void
test_hazards(void **state)
{
	char *s, *want;

	(void)state;
	roundtrip_text("a ; b", "text = \"a \\; b\"\n");
	roundtrip_text("; leading semicolon", "text = \"; leading semicolon\"\n");
	roundtrip_text("# leading hash", "text = \"# leading hash\"\n");
	roundtrip_text("[section]", "text = [section]\n");
	roundtrip_text("[ticket]\nid = SD-9\n[event 1]\naction = close",
	    "text = [ticket]\ntext = id = SD-9\ntext = [event 1]\ntext = action = close\n");
	roundtrip_text("key = value", "text = key = value\n");
	roundtrip_text("trailing spaces   ", "text = \"trailing spaces   \"\n");
	roundtrip_text("   leading spaces", "text = \"   leading spaces\"\n");
	roundtrip_text("a\n\n\nb", "text = a\ntext =\ntext =\ntext = b\n");
	roundtrip_text("a\n\n", "text = a\ntext =\ntext =\n");
	roundtrip_text("\n", "text =\ntext =\n");
	roundtrip_text("\n\na", "text =\ntext =\ntext = a\n");
	roundtrip_text("a\r\nb\r\n", "text = \"a\\r\"\ntext = \"b\\r\"\ntext =\n");
	roundtrip_text("C:\\temp\\ and \\\\server\\share\\",
	    "text = C:\\temp\\ and \\\\server\\share\\\n");
	roundtrip_text("\"quoted\" start", "text = \"\"quoted\" start\"\n");
	roundtrip_text("\"", "text = \"\"\"\n");
	roundtrip_text("\"\\x41\"", "text = \"\"\\\\x41\"\"\n");
	roundtrip_text("= starts with equals", "text = = starts with equals\n");
	roundtrip_text("\ttab\t", "text = \"\\ttab\\t\"\n");
	roundtrip_text("\xef\xbb\xbf" "BOM", "text = \xef\xbb\xbf" "BOM\n");
	roundtrip_text("ends with à", "text = ends with à\n");
	roundtrip_text("nbsp\xc2\xa0", "text = nbsp\xc2\xa0\n");
	roundtrip_text("\x01\x02\x1b[31mred\x7f", "text = \"\\x01\\x02\\x1b[31mred\\x7f\"\n");

	/* A 300-byte line. */
	s = repeat('y', 300);
	want = malloc(400);
	sprintf(want, "text = \"%.158s\"\ntext+ = %.142s\n", s, s);
	roundtrip_text(s, want);
	/* ... of ` ;` pairs: every ; escaped, and never cut from its \. */
	for (size_t i = 0; i < 300; i += 2)
		memcpy(s + i, " ;", 2);
	roundtrip_text(s, NULL);
	free(want);
	free(s);
}

/* An empty event text stays an empty text, not a missing key. */
static void
test_empty_values(void **state)
{
	struct sd_ticket *t = base_ticket(), *u;
	size_t ix;
	char *out;
	size_t len;

	(void)state;
	assert_ok(sd_ticket_event_add(t, &ix, "2026-11-23T10:00:00-05:00", "ana", "note"));
	assert_ok(sd_ticket_event_set(t, ix, "text", ""));
	assert_ok(sd_ticket_event_set(t, ix, "from", ""));
	assert_ok(sd_ticket_event_set(t, ix, "to", "x"));
	u = reparse(t, &out, &len);
	assert_non_null(strstr(out, "\n[event 1]\nat = 2026-11-23T10:00:00-05:00\n"
	    "by = ana\naction = note\ntext =\nfrom =\nto = x\n"));
	assert_int_equal(sd_ticket_event_keys(u, 0), 6);
	assert_string_equal(sd_ticket_event_key(u, 0, 3), "text");
	assert_string_equal(sd_ticket_event_get(u, 0, "text"), "");
	assert_string_equal(sd_ticket_event_get(u, 0, "from"), "");
	assert_string_equal(sd_ticket_event_get(u, 0, "to"), "x");
	/* No description: no [description] section, and "" back. */
	assert_null(strstr(out, "[description]"));
	assert_string_equal(sd_ticket_text(u, SD_TEXT_DESCRIPTION), "");
	free(out);
	sd_ticket_free(t);
	sd_ticket_free(u);
}

/* A 1,000-byte title full of structure stays one value. */
static void
test_title_injection(void **state)
{
	static const char piece[] = "[ticket] id = SD-9 [event 1] k = v ; # x=y ";
	static const char inject[] = "x\n[ticket]\nid = SD-9\n\n[event 1]\nat = now\n";
	struct sd_ticket *t = base_ticket(), *u;
	char title[1001], *out;
	size_t len, n = 0;

	(void)state;
	while (n < 1000) {
		size_t k = sizeof(piece) - 1 < 1000 - n ? sizeof(piece) - 1 : 1000 - n;
		memcpy(title + n, piece, k);
		n += k;
	}
	title[1000] = '\0';
	title[999] = 'z';       /* no trailing space: that is quoted anyway */
	assert_ok(sd_field_check(NULL, SD_F_TITLE, title));
	assert_ok(sd_ticket_set(t, SD_F_TITLE, title));
	assert_ok(sd_ticket_set(t, SD_F_REQUESTER, "[x]"));
	assert_ok(sd_ticket_set(t, SD_F_CLOSE_REASON, "k = v"));
	u = reparse(t, &out, &len);
	assert_int_equal(check_lines(out, len), 1);        /* [ticket] alone */
	assert_same_fields(t, u);
	assert_string_equal(sd_ticket_get(u, SD_F_ID), "SD-42");
	assert_int_equal(sd_ticket_event_count(u), 0);
	assert_string_equal(sd_ticket_text(u, SD_TEXT_DESCRIPTION), "");
	sd_ticket_free(u);
	free(out);

	/* Newlines too (the commands refuse them in a title; the codec
	 * escapes them all the same). */
	memcpy(title, inject, sizeof(inject) - 1);
	assert_ok(sd_ticket_set(t, SD_F_TITLE, title));
	u = reparse(t, &out, &len);
	assert_int_equal(check_lines(out, len), 1);
	assert_same_fields(t, u);
	assert_int_equal(sd_ticket_event_count(u), 0);
	sd_ticket_free(u);
	free(out);
	sd_ticket_free(t);
}

/* (c) No line is longer than SD_CODEC_LINE_MAX, whatever the value: the
 * longest key, a value all escapes, and 4-byte characters. */
static void
test_line_max(void **state)
{
	struct sd_ticket *t = base_ticket(), *u;
	char *worst = malloc(4001), *out;
	size_t len, ix;

	(void)state;
	for (int i = 0; i < 4000; i++)
		worst[i] = (char)(1 + i % 31);  /* control bytes: \xHH, \t, \r, \n */
	worst[4000] = '\0';
	for (int f = 0; f < SD_F__COUNT; f++)
		assert_ok(sd_ticket_set(t, f, worst));
	assert_ok(sd_ticket_set_text(t, SD_TEXT_DESCRIPTION, worst));
	assert_ok(sd_ticket_event_add(t, &ix, worst, worst, worst));
	assert_ok(sd_ticket_event_set(t, ix, "text", worst));
	assert_ok(sd_ticket_event_set(t, ix, "contact_attempt", worst));
	for (int i = 0; i + 4 <= 4000; i += 4)
		memcpy(worst + i, "😀", 4);
	assert_ok(sd_ticket_set_text(t, SD_TEXT_SOLUTION, worst));
	u = reparse(t, &out, &len);                 /* checks the lines */
	assert_int_equal(check_lines(out, len), 4);
	assert_same_fields(t, u);
	assert_string_equal(sd_ticket_text(u, SD_TEXT_SOLUTION), worst);
	free(out);
	free(worst);
	sd_ticket_free(t);
	sd_ticket_free(u);
}

/* --- random texts -------------------------------------------------------- */

struct gen {
	char *s;
	size_t len, cap;
};

static void
put(struct gen *g, const char *p, size_t n)
{
	if (g->len + n + 1 > g->cap) {
		while (g->len + n + 1 > g->cap)
			g->cap = g->cap ? g->cap * 2 : 256;
		g->s = realloc(g->s, g->cap);
		assert_non_null(g->s);
	}
	memcpy(g->s + g->len, p, n);
	g->len += n;
	g->s[g->len] = '\0';
}

static void
puts_(struct gen *g, const char *p)
{
	put(g, p, strlen(p));
}

static const char *const line_starts[] = {
	";", "#", "[", "]", "[section]", "[ticket]", "[event 1]", "key = value",
	"id = SD-9", "text = x", "text+ = y", "=", "\"", "\\", " ", "\t", "  \t",
	";;", "# comment", ":", "\xef\xbb\xbf", "\"\"", " ;",
};

static const char *const multibyte[] = {
	"é", "ñ", "ü", "à", "Ñ",                       /* 2 bytes */
	"\xc2\x80", "\xc2\x85", "\xc2\xa0", "\xdf\xbf",
	"€", "中", "…", "\xe2\x80\xa8", "\xef\xbb\xbf", /* 3 bytes */
	"\xe0\xa0\x80", "\xef\xbf\xbd", "\xed\x9f\xbf", "\xee\x80\x80",
	"😀", "𝄞", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", /* 4 bytes */
};

static const char *const specials[] = {
	" ;", "\t;", " ; comment", "a ;b", " #", "a=b", " = ", "\\", "\\\\",
	"\\n", "\\x00", "\"", "\"\"", "\\\"", "[", "]", "[x]", "k = v", "   ",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A random valid UTF-8 text of about target bytes, with the hazards of
 * SPEC section 4; no newline when !lines. */
static void
gen_text(struct gen *g, struct unit_rng *r, size_t target, int lines)
{
	char c;

	g->len = 0;
	put(g, "", 0);
	while (g->len < target) {
		switch (unit_below(r, 16)) {
		case 0: case 1: case 2: case 3: {
			size_t n = 1 + unit_below(r, 30);
			for (size_t i = 0; i < n; i++) {
				c = (char)(0x20 + unit_below(r, 0x5f));
				put(g, &c, 1);
			}
			break;
		}
		case 4:
			puts_(g, lines ? "\n" : " ");
			break;
		case 5:
			puts_(g, lines ? "\r\n" : "\r");
			break;
		case 6:
			if (lines)
				puts_(g, "\n");
			puts_(g, line_starts[unit_below(r, NELEM(line_starts))]);
			break;
		case 7:
			puts_(g, unit_below(r, 2) ? "  " : " \t ");
			if (lines)
				puts_(g, "\n");
			break;
		case 8:
			for (uint64_t n = 1 + unit_below(r, 5); n > 0; n--)
				puts_(g, multibyte[unit_below(r, NELEM(multibyte))]);
			break;
		case 9:
			c = (char)(1 + unit_below(r, 0x1f));
			if (c == '\n' && !lines)
				c = '\v';
			if (unit_below(r, 8) == 0)
				c = 0x7f;
			put(g, &c, 1);
			break;
		case 10: case 11:
			puts_(g, specials[unit_below(r, NELEM(specials))]);
			break;
		case 12: {
			/* A long line: 150 to 600 bytes with no newline. */
			size_t n = 150 + unit_below(r, 451);
			for (size_t i = 0; i < n; i++) {
				uint64_t k = unit_below(r, 20);
				if (k == 0)
					puts_(g, multibyte[unit_below(r, NELEM(multibyte))]);
				else if (k == 1)
					puts_(g, " ;");
				else {
					c = (char)(0x20 + unit_below(r, 0x5f));
					put(g, &c, 1);
				}
			}
			break;
		}
		case 13:
			if (lines)
				puts_(g, unit_below(r, 2) ? "\n\n" : "\n\n\n");
			break;
		case 14:
			if (lines)
				puts_(g, "\n");
			puts_(g, multibyte[unit_below(r, NELEM(multibyte))]);
			break;
		default:
			puts_(g, line_starts[unit_below(r, NELEM(line_starts))]);
		}
	}
	/* Some texts end in what an editor or git -F would eat. */
	switch (unit_below(r, 8)) {
	case 0: puts_(g, lines ? "\n" : " "); break;
	case 1: puts_(g, lines ? "\n\n" : "\t"); break;
	case 2: puts_(g, lines ? "\r\n" : "\r"); break;
	case 3: puts_(g, " "); break;
	}
}

/* inih handler: reassemble the value of one key (key lines start a line
 * of text, key+ lines go on with it) between a `before` and an `after`. */
struct collect {
	const char *key;
	int multiline;
	char *out;
	size_t len;
	int lines, before, after, bad;
};

static int
collect(void *user, const char *section, const char *name, const char *value)
{
	struct collect *c = user;
	size_t kl = strlen(c->key);

	if (strcmp(section, "s")) {
		c->bad = 1;
	} else if (!strcmp(name, "before")) {
		c->before += !strcmp(value, "x") && !c->lines;
	} else if (!strcmp(name, "after")) {
		c->after += !strcmp(value, "y");
	} else if (!strcmp(name, c->key)) {
		if (c->lines++ && (!c->multiline ||
		    sd_codec_decode_chunk(&c->out, &c->len, "\n") < 0))
			c->bad = 1;
		if (sd_codec_decode_chunk(&c->out, &c->len, value) < 0)
			c->bad = 1;
	} else if (!strncmp(name, c->key, kl) && !strcmp(name + kl, "+") && c->lines) {
		if (sd_codec_decode_chunk(&c->out, &c->len, value) < 0)
			c->bad = 1;
	} else {
		c->bad = 1;
	}
	return 1;
}

/* value through sd_codec_encode and inih's ini_parse_string alone. */
static void
inih_roundtrip(struct unit_rng *r, long iter, const char *key,
    const char *value, size_t len, int multiline)
{
	struct collect c = { key, multiline, NULL, 0, 0, 0, 0, 0 };
	char *file = strdup("[s]\nbefore = x\n");
	size_t flen = strlen(file);
	int rc;

	assert_ok(sd_codec_encode(&file, &flen, key, value, len, multiline));
	assert_ok(sd_codec_encode(&file, &flen, "after", "y", 1, 0));
	check_lines(file, flen);
	rc = ini_parse_string(file, collect, &c);
	if (rc != 0 || c.bad || c.before != 1 || c.after != 1 || c.lines < 1)
		unit_fail(r, "case %ld: inih: rc %d, bad %d, before %d, after %d, "
		    "lines %d", iter, rc, c.bad, c.before, c.after, c.lines);
	if (!c.out)
		c.out = strdup("");
	assert_same_bytes(r, multiline ? "inih text" : "inih line", iter,
	    value, len, c.out, c.len);
	free(c.out);
	free(file);
}

/* (a) Thousands of random texts through libinih directly. */
static void
test_property_inih(void **state)
{
	struct unit_rng r;
	struct gen text = { 0 }, line = { 0 };

	(void)state;
	unit_rng_init(&r);
	for (long i = 0; i < 3000; i++) {
		gen_text(&text, &r, unit_below(&r, 5001), 1);
		if (sd_text_check(text.s, text.len) < 0)
			unit_fail(&r, "case %ld: the generator made a bad text: %s", i,
			    sd_error_message());
		inih_roundtrip(&r, i, "text", text.s, text.len, 1);
		/* The same text on one key: newlines escaped. */
		inih_roundtrip(&r, i, "requester_email", text.s, text.len, 0);
		gen_text(&line, &r, unit_below(&r, 1200), 0);
		inih_roundtrip(&r, i, "contact_attempts", line.s, line.len, 0);
	}
	free(text.s);
	free(line.s);
}

/* (a) Thousands of random texts through sd_ticket_format and
 * sd_ticket_parse: description, solution, an event's text and one-line
 * [ticket] and event values. */
static void
test_property_ticket(void **state)
{
	struct unit_rng r;
	struct gen a = { 0 }, b = { 0 }, line = { 0 }, line2 = { 0 };

	(void)state;
	unit_rng_init(&r);
	for (long i = 0; i < 2000; i++) {
		struct sd_ticket *t = base_ticket(), *u;
		char *out;
		size_t len, ix;

		gen_text(&a, &r, unit_below(&r, 5001), 1);
		gen_text(&b, &r, unit_below(&r, 2001), 1);
		gen_text(&line, &r, unit_below(&r, 1001), 0);
		gen_text(&line2, &r, unit_below(&r, 300), 0);
		assert_ok(sd_ticket_set_text(t, SD_TEXT_DESCRIPTION, a.s));
		assert_ok(sd_ticket_set_text(t, SD_TEXT_SOLUTION, b.s));
		assert_ok(sd_ticket_set(t, SD_F_TITLE, line.s));
		assert_ok(sd_ticket_set(t, SD_F_REQUESTER, line2.s));
		assert_ok(sd_ticket_set(t, SD_F_CLOSE_REASON, line.s));
		assert_ok(sd_ticket_event_add(t, &ix, "2026-11-23T10:00:00-05:00", "ana", "note"));
		assert_ok(sd_ticket_event_set(t, ix, "text", b.s));
		assert_ok(sd_ticket_event_set(t, ix, "reason", line2.s));
		assert_ok(sd_ticket_event_add(t, &ix, "2026-11-23T11:00:00-05:00", "luis", "solve"));
		assert_ok(sd_ticket_event_set(t, ix, "text", a.s));

		assert_ok(sd_ticket_format(&out, &len, t));
		check_lines(out, len);
		if (sd_ticket_parse(&u, out, len, "t.ini", 0) < 0)
			unit_fail(&r, "case %ld: %s", i, sd_error_message());
		/* Texts are NUL-free: compare as strings, lengths too. */
		assert_same_bytes(&r, "description", i, a.s, a.len,
		    sd_ticket_text(u, SD_TEXT_DESCRIPTION),
		    strlen(sd_ticket_text(u, SD_TEXT_DESCRIPTION)));
		assert_same_bytes(&r, "solution", i, b.s, b.len,
		    sd_ticket_text(u, SD_TEXT_SOLUTION),
		    strlen(sd_ticket_text(u, SD_TEXT_SOLUTION)));
		assert_same_bytes(&r, "title", i, line.s, line.len,
		    sd_ticket_get(u, SD_F_TITLE), strlen(sd_ticket_get(u, SD_F_TITLE)));
		assert_same_bytes(&r, "requester", i, line2.s, line2.len,
		    sd_ticket_get(u, SD_F_REQUESTER), strlen(sd_ticket_get(u, SD_F_REQUESTER)));
		if (sd_ticket_event_count(u) != 2 || sd_ticket_event_keys(u, 0) != 5 ||
		    sd_ticket_event_keys(u, 1) != 4)
			unit_fail(&r, "case %ld: the events changed shape", i);
		assert_same_bytes(&r, "event text", i, b.s, b.len,
		    sd_ticket_event_get(u, 0, "text"),
		    strlen(sd_ticket_event_get(u, 0, "text")));
		assert_same_bytes(&r, "event reason", i, line2.s, line2.len,
		    sd_ticket_event_get(u, 0, "reason"),
		    strlen(sd_ticket_event_get(u, 0, "reason")));
		assert_same_bytes(&r, "event 2 text", i, a.s, a.len,
		    sd_ticket_event_get(u, 1, "text"),
		    strlen(sd_ticket_event_get(u, 1, "text")));
		assert_same_fields(t, u);
		free(out);
		sd_ticket_free(t);
		sd_ticket_free(u);
	}
	free(a.s);
	free(b.s);
	free(line.s);
	free(line2.s);
}

/* Texts of 1 MiB, the most a text may hold. */
static void
big_roundtrip(const char *what, const char *text, size_t len)
{
	struct sd_ticket *t = base_ticket(), *u;
	size_t ix;

	assert_int_equal(strlen(text), len);
	if (sd_text_check(text, len) < 0)
		fail_msg("%s: %s", what, sd_error_message());
	assert_ok(sd_ticket_set_text(t, SD_TEXT_DESCRIPTION, text));
	assert_ok(sd_ticket_event_add(t, &ix, "2026-11-23T10:00:00-05:00", "ana", "note"));
	assert_ok(sd_ticket_event_set(t, ix, "text", text));
	u = reparse(t, NULL, NULL);
	assert_same_bytes(NULL, what, 0, text, len,
	    sd_ticket_text(u, SD_TEXT_DESCRIPTION),
	    strlen(sd_ticket_text(u, SD_TEXT_DESCRIPTION)));
	assert_same_bytes(NULL, what, 0, text, len, sd_ticket_event_get(u, 0, "text"),
	    strlen(sd_ticket_event_get(u, 0, "text")));
	sd_ticket_free(t);
	sd_ticket_free(u);
}

static void
test_one_mib(void **state)
{
	struct unit_rng r;
	struct gen g = { 0 };
	char *s = malloc(MiB + 1);

	(void)state;
	unit_rng_init(&r);
	/* Random texts, cut back to whole characters under 1 MiB. */
	for (int k = 0; k < 2; k++) {
		gen_text(&g, &r, MiB - 700, 1);
		while (g.len > MiB)
			g.len--;
		while ((g.s[g.len] & 0xc0) == 0x80)     /* not in a character */
			g.len--;
		g.s[g.len] = '\0';
		big_roundtrip("random 1 MiB text", g.s, g.len);
	}
	/* Exactly 1 MiB: one line of ` ;`; blank lines only; 4-byte
	 * characters; CRLF lines of 199 bytes. */
	for (size_t i = 0; i < MiB; i += 2)
		memcpy(s + i, " ;", 2);
	s[MiB] = '\0';
	big_roundtrip("1 MiB line", s, MiB);
	memset(s, '\n', MiB);
	big_roundtrip("1 MiB of newlines", s, MiB);
	for (size_t i = 0; i < MiB; i += 4)
		memcpy(s + i, "𝄞", 4);
	big_roundtrip("1 MiB of 4-byte characters", s, MiB);
	for (size_t i = 0; i < MiB; i++)
		s[i] = i % 200 == 198 ? '\r' : i % 200 == 199 ? '\n' : (char)('a' + i % 26);
	big_roundtrip("1 MiB of CRLF lines", s, MiB);
	free(s);
	free(g.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_plain),
		cmocka_unit_test(test_plain_written_as_is),
		cmocka_unit_test(test_encode_single_line),
		cmocka_unit_test(test_encode_text),
		cmocka_unit_test(test_encode_long_lines),
		cmocka_unit_test(test_encode_appends),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_hazards),
		cmocka_unit_test(test_empty_values),
		cmocka_unit_test(test_title_injection),
		cmocka_unit_test(test_line_max),
		cmocka_unit_test(test_property_inih),
		cmocka_unit_test(test_property_ticket),
		cmocka_unit_test(test_one_mib),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
