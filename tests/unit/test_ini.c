/*
 * The INI door (lib/ini.c): a file of plain lines is read without inih,
 * and must give the handler exactly what inih gives it - the same calls,
 * sections, keys, values and line numbers, and the same error.  Hand cases
 * for each kind of line that is plain or is not, then thousands of random
 * files made of the hazards, each read both ways.
 */
#include <ini.h>

#include "unit.h"
#include "ini_internal.h"

/* What the handler was told, one line per call, and where to refuse. */
struct log {
	char text[1 << 16];
	size_t len;
	const char *refuse;     /* a key (or "[section]") to refuse, or NULL */
};

static int
record(void *user, const char *section, const char *name, const char *value, int lineno)
{
	struct log *l = user;
	int n = snprintf(l->text + l->len, sizeof(l->text) - l->len, "%d [%s] %s%s%s\n",
	    lineno, section, name ? name : "(section)", value ? " = " : "", value ? value : "");

	if (n > 0 && (size_t)n < sizeof(l->text) - l->len)
		l->len += (size_t)n;
	if (l->refuse && ((name && !strcmp(name, l->refuse)) ||
	    (!name && l->refuse[0] == '[' && !strncmp(l->refuse + 1, section, strlen(section)) &&
	    l->refuse[strlen(section) + 1] == ']')))
		return sd_error_set(SD_EINVALID, "refused %s", name ? name : section), 0;
	return 1;
}

struct outcome {
	int rc;
	char message[1024];
	struct log log;
};

static void
parse_one(struct outcome *o, const char *data, size_t len, const char *refuse, int inih)
{
	memset(o, 0, sizeof(*o));
	o->log.refuse = refuse;
	sd__ini_inih_only = inih;
	sd_error_clear();
	o->rc = sd__ini_parse(data, len, "f.ini", SD_EINVALID, record, &o->log);
	sd__ini_inih_only = 0;
	snprintf(o->message, sizeof(o->message), "%s", o->rc ? sd_error_message() : "");
}

/* data read both ways gives one outcome; returns whether it was plain. */
static int
same(const char *data, size_t len, const char *refuse, const char *what)
{
	static struct outcome a, b;

	parse_one(&a, data, len, refuse, 0);
	parse_one(&b, data, len, refuse, 1);
	if (a.rc != b.rc || strcmp(a.message, b.message) || a.log.len != b.log.len ||
	    memcmp(a.log.text, b.log.text, a.log.len))
		fail_msg("%s: read plainly: rc %d '%s'\n%.*s\nthrough inih: rc %d '%s'\n%.*s",
		    what, a.rc, a.message, (int)a.log.len, a.log.text,
		    b.rc, b.message, (int)b.log.len, b.log.text);
	return sd__ini_plain(data, len);
}

static void
plain_is(const char *data, int want)
{
	if (same(data, strlen(data), NULL, data) != want)
		fail_msg("'%s' is %splain", data, want ? "not " : "");
}

static void
test_plain_lines(void **state)
{
	(void)state;
	/* What sd writes: read without inih, the same as inih. */
	plain_is("", 1);
	plain_is("\n\n", 1);
	plain_is("[ticket]\nid = SD-1\nstatus = new\n", 1);
	plain_is("[ticket]\nid = SD-1", 1);                     /* no last \n */
	plain_is("[event 1]\nat = 2026-11-23T10:00:00-05:00\ntext = \"a\\; b\"\n", 1);
	plain_is("[ticket]\ntitle =\nrelated = SD-2 SD-3\n", 1);       /* empty value */
	plain_is("[ticket]\ntext+ = more\nresolution.1 = 4bh\nx-y = 1\n", 1);
	plain_is("[a b]\nk = v = w : x # y ]\n", 1);
	plain_is("[]\nk=v\nk2   =   v2\n", 1);
	plain_is("[t]\ntitle = Impresión atascada ñ\n", 1);
	plain_is("k = ;x\n", 0);                                /* ; after a space */
	/* Every other kind of line goes to inih. */
	plain_is("; a comment\n[t]\nk = v\n", 0);
	plain_is("# a comment\nk = v\n", 0);
	plain_is("k = v ; comment\n", 0);
	plain_is("k = v\n  continued\n", 0);
	plain_is("k = v\n\tcontinued\n", 0);
	plain_is("k = v\r\n", 0);
	plain_is("k = v \n", 0);                                /* trailing space */
	plain_is("k = v\tw\n", 0);
	plain_is("k: v\n", 0);
	plain_is("= v\n", 0);
	plain_is("k\n", 0);
	plain_is(" k = v\n", 0);
	plain_is("[a]b]\n", 0);
	plain_is("[a ;b]\n", 0);
	plain_is("[a]x\n", 0);
	plain_is("[a\n", 0);
	plain_is("\xef\xbb\xbf[t]\nk = v\n", 0);                /* BOM */
	plain_is("k\xc3\xa9 = v\n", 0);                         /* a key not ASCII */
	plain_is("k = a\x7f\n", 0);
}

static void
test_long_and_refused(void **state)
{
	char buf[600];

	(void)state;
	/* The longest line inih reads whole is plain; one byte more is not,
	 * and both ways say so with the line number. */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "[t]\nk = ", 8);
	buf[8 + SD_INI_LINE_MAX - 4] = '\n';
	assert_true(same(buf, 8 + SD_INI_LINE_MAX - 4 + 1, NULL, "longest line"));
	buf[8 + SD_INI_LINE_MAX - 4] = 'x';
	buf[8 + SD_INI_LINE_MAX - 3] = '\n';
	assert_false(same(buf, 8 + SD_INI_LINE_MAX - 3 + 1, NULL, "a line too long"));
	assert_int_equal(sd__ini_parse(buf, 8 + SD_INI_LINE_MAX - 3 + 1, "f.ini", SD_EINVALID,
	    record, &(struct log){ .len = 0 }), SD_EINVALID);
	assert_string_equal(sd_error_message(), "f.ini:2: line longer than 197 bytes");

	/* A handler that refuses a key or a section: its message, its line,
	 * and no call after it, both ways. */
	{
		static const char refused[] = "[a]\nk = 1\nbad = 2\nk = 3\n";
		static struct outcome o;

		assert_true(same(refused, strlen(refused), "bad", "refused key"));
		parse_one(&o, refused, strlen(refused), "bad", 0);
		assert_int_equal(o.rc, SD_EINVALID);
		assert_string_equal(o.message, "f.ini:3: refused bad");
		assert_string_equal(o.log.text, "1 [a] (section)\n2 [a] k = 1\n3 [a] bad = 2\n");
	}
	assert_true(same("k = 1\n[b]\nk = 2\n", strlen("k = 1\n[b]\nk = 2\n"), "[b]",
	    "refused section"));
	assert_false(same("[a]\nbad = 2\n; c\n", strlen("[a]\nbad = 2\n; c\n"), "bad",
	    "refused, then not plain"));
	/* A NUL is an error before anything is read. */
	assert_int_equal(sd__ini_parse("k = v\n\0x", 8, "f.ini", SD_ECONFIG, record,
	    &(struct log){ .len = 0 }), SD_ECONFIG);
	assert_string_equal(sd_error_message(), "f.ini:2: NUL byte");
}

/* A random file of the lines that matter to inih. */
static size_t
random_file(struct unit_rng *r, char *out, size_t size)
{
	static const char *const pieces[] = {
		"[ticket]", "[event 1]", "[a b]", "[]", "[x", "[a]b]", "[a ;b]",
		"status = new", "k = v", "k=v", "k   =   v", "k =", "k = ", "k: v", "= v", "k",
		"text = \"a\\; b\\n\"", "title = Impresión", "k = a ; b", "k = a;b", "k = ;",
		"; comment", "# comment", "  indented = x", "\tcont", " cont", "", "",
		"k = v\r", "k = v\t", "resolution.1 = 4bh", "text+ = more", "bad = refuse me",
		"k = [x] = y : z", "\xef\xbb\xbfk = v", "k\xc3\xa9 = v",
		"  [b]", "\t[c]", "\v[d]", "\f[e]", "[f] ; x", "\xef\xbb\xbf[g]",
	};
	static const char alphabet[] = "ab ;#=:[]\\\"\t\r+.-_\xc3\xa9";
	size_t len = 0, lines = unit_below(r, 12);

	for (size_t i = 0; i < lines && len + 260 < size; i++) {
		if (unit_below(r, 4)) {
			const char *p = pieces[unit_below(r, sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(out + len, p, strlen(p));
			len += strlen(p);
		} else {
			/* A key, then random bytes of the alphabet, now and then long. */
			size_t n = unit_below(r, 8) ? unit_below(r, 12) : 190 + unit_below(r, 20);
			memcpy(out + len, "key = ", 6);
			len += 6;
			for (size_t k = 0; k < n; k++)
				out[len++] = alphabet[unit_below(r, sizeof(alphabet) - 1)];
		}
		if (i + 1 < lines || unit_below(r, 2))
			out[len++] = '\n';
	}
	out[len] = '\0';
	return len;
}

static void
test_property_same(void **state)
{
	struct unit_rng r;
	char file[4096];
	long plain = 0;

	(void)state;
	unit_rng_init(&r);
	for (long i = 0; i < 20000; i++) {
		size_t len = random_file(&r, file, sizeof(file));
		char what[64];

		snprintf(what, sizeof(what), "case %ld (SD_TEST_SEED=%llu)", i,
		    (unsigned long long)r.seed);
		plain += same(file, len, unit_below(&r, 3) ? NULL : "bad", what);
	}
	/* Both kinds were made, in numbers. */
	if (plain < 1000 || plain > 19000)
		unit_fail(&r, "%ld of 20000 random files plain", plain);
}

/* What raw inih tells a handler of keys: section, name, value. */
static int
raw_record(void *user, const char *section, const char *name, const char *value)
{
	struct log *l = user;
	int n = snprintf(l->text + l->len, sizeof(l->text) - l->len, "[%s] %s = %s\n",
	    section, name, value);

	if (n > 0 && (size_t)n < sizeof(l->text) - l->len)
		l->len += (size_t)n;
	return 1;
}

static int
our_record(void *user, const char *section, const char *name, const char *value, int lineno)
{
	(void)lineno;
	return name ? raw_record(user, section, name, value) : 1;
}

/* The keys, their sections and values, and whether the file has an error,
 * as sd__ini_parse reads them and as inih itself does: the same, for every
 * file with no line too long for inih and no section name it would cut. */
static void
same_as_inih(const char *data, size_t len, const char *what)
{
	static struct log ours, raw;
	int rc_ours, rc_raw;

	memset(&ours, 0, sizeof(ours));
	memset(&raw, 0, sizeof(raw));
	rc_ours = sd__ini_parse(data, len, "f.ini", SD_EINVALID, our_record, &ours);
	rc_raw = ini_parse_string(data, raw_record, &raw);
	if ((rc_ours != 0) != (rc_raw != 0) || ours.len != raw.len ||
	    memcmp(ours.text, raw.text, ours.len))
		fail_msg("%s: sd__ini_parse rc %d:\n%.*s\ninih rc %d:\n%.*s", what, rc_ours,
		    (int)ours.len, ours.text, rc_raw, (int)raw.len, raw.text);
}

/* Lines inih reads in ways of its own: a byte-order mark, white space
 * before a section, an indented [x] that goes on with a key's value. */
static void
test_as_inih(void **state)
{
	static const char *const files[] = {
		"\xef\xbb\xbf[store]\nname = x\n",
		"[a]\nk = v\n  [b]\nj = w\n",
		"[a]\nk = v\n\t[b]\n",
		"[a]\n\v[b]\nk = v\n",
		"[a]\n\f[b]\nk = v\n",
		"[a]\n[b] ; c\nk = v\n",
		"[a]\n[b ;c]\nk = v\n",
		"[a]\n= v\n  [b]\nk = w\n",
		"[a]\nk : v\n  [b]\n",
		"[a]\n; k = v\n  [b]\nj = w\n",
		"  [a]\nk = v\n",
		"[a]\nk = v\n\n  [b]\nj = w\n",
	};
	struct unit_rng r;
	char file[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		same_as_inih(files[i], strlen(files[i]), files[i]);
	unit_rng_init(&r);
	for (long i = 0; i < 20000; i++) {
		size_t len = random_file(&r, file, sizeof(file));
		char what[64];
		const char *p = file, *nl;
		int ok = 1;

		/* Long lines and sections are the wrapper's own, on purpose. */
		for (; ok && *p; p = nl ? nl + 1 : p + strlen(p)) {
			nl = strchr(p, '\n');
			ok = (size_t)(nl ? nl - p : (long)strlen(p)) <= SD_INI_LINE_MAX - 1;
			if (!nl)
				break;
		}
		if (!ok)
			continue;
		snprintf(what, sizeof(what), "case %ld (SD_TEST_SEED=%llu)", i,
		    (unsigned long long)r.seed);
		same_as_inih(file, len, what);
	}
}

/* --- the scanning helpers ------------------------------------------ */

/* sd__ini_line as a byte at a time says it: the line ends at the first
 * control byte (below 0x20, or 0x7f), which is its \n or makes it
 * SD_INI_CONTROL, and then at the next \n; HIGH and SEMI are of the
 * bytes before that first control byte. */
static const char *
line_slowly(const char *p, const char *end, int *flags)
{
	const char *q = p;

	*flags = 0;
	for (; q < end && !((unsigned char)*q < 0x20 || *q == 0x7f); q++) {
		if ((unsigned char)*q >= 0x80)
			*flags |= SD_INI_HIGH;
		if (*q == ';')
			*flags |= SD_INI_SEMI;
	}
	if (q == end || *q == '\n')
		return q;
	*flags |= SD_INI_CONTROL;
	while (q < end && *q != '\n')
		q++;
	return q;
}

/* Lines of every length up to 80 bytes, of bytes that matter and bytes
 * that do not, each alone in a buffer of its exact length so that the
 * sanitizers see any read past its end; sd__ini_line, sd__ini_eol and
 * sd__streq against the slow ways. */
static void
test_scanning(void **state)
{
	static const char bytes[] = { 'a', 'Z', '=', ' ', ';', '\n', '\r', '\t', '\0',
		0x7f, (char)0x80, (char)0xc3, (char)0xa9, (char)0xff, 0x1f, '"' };
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	for (long i = 0; i < 200000; i++) {
		size_t n = unit_below(&r, 81), at = n ? unit_below(&r, (unsigned)n + 1) : 0;
		char *buf = malloc(n ? n : 1), *a, *b;
		const char *got, *want, *nl;
		int gf, wf;

		assert_non_null(buf);
		/* Mostly letters, so that long plain runs are common. */
		for (size_t k = 0; k < n; k++)
			buf[k] = unit_below(&r, 4) ? (char)('a' + unit_below(&r, 26)) :
			    bytes[unit_below(&r, sizeof(bytes))];
		got = sd__ini_line(buf + at, buf + n, &gf);
		want = line_slowly(buf + at, buf + n, &wf);
		if (got != want || gf != wf)
			unit_fail(&r, "case %ld: sd__ini_line at %zu of %zu: end %td flags %d, "
			    "not %td flags %d", i, at, n, got - buf, gf, want - buf, wf);
		nl = memchr(buf + at, '\n', n - at);
		if (sd__ini_eol(buf + at, buf + n) != (nl ? nl : buf + n))
			unit_fail(&r, "case %ld: sd__ini_eol at %zu of %zu", i, at, n);
		/* Two strings alike but for a byte or their length. */
		a = calloc(1, n - at + 1);
		b = calloc(1, n - at + 1);
		assert_non_null(a);
		assert_non_null(b);
		memcpy(a, buf + at, n - at);
		memcpy(b, a, n - at);
		if (n > at && unit_below(&r, 2))
			b[unit_below(&r, (unsigned)(n - at))] = (char)('a' + unit_below(&r, 3));
		if ((sd__streq(a, b) != !strcmp(a, b)) || (sd__streq(b, a) != !strcmp(b, a)))
			unit_fail(&r, "case %ld: sd__streq('%s', '%s')", i, a, b);
		free(a);
		free(b);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines),
		cmocka_unit_test(test_long_and_refused),
		cmocka_unit_test(test_property_same),
		cmocka_unit_test(test_as_inih),
		cmocka_unit_test(test_scanning),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
