/*
 * Outgoing mail (sd/mail_out.h): quoted-printable and RFC 2047 by hand
 * against hand-computed forms, the composed message's headers, and a
 * property test that reads random messages back with GMime.
 */
#include <gmime/gmime.h>

#include "unit.h"
#include "internal.h"
#include "sd/mail_out.h"

static void
assert_qp(const char *in, const char *want)
{
	char *out = NULL;

	assert_ok(sd_mail_encode_qp(&out, in));
	assert_string_equal(out, want);
	free(out);
}

static void
test_qp_by_hand(void **state)
{
	char in[200], want[300];

	(void)state;
	assert_qp("", "\n");
	assert_qp("plain", "plain\n");
	assert_qp("a=b\n", "a=3Db\n");
	assert_qp("end  \nnext\t\n", "end =20\nnext=09\n");
	assert_qp("x\r\ny\r\n", "x\ny\n");
	assert_qp("lone\rcr", "lone=0Dcr\n");
	assert_qp("caf\xc3\xa9", "caf=C3=A9\n");
	assert_qp(".\n.x\n", "=2E\n=2Ex\n");
	assert_qp("From me\nnot From me\n", "=46rom me\nnot From me\n");
	/* 76 octets stand on a line; the 77th breaks it softly after 75. */
	memset(in, 'a', 76);
	in[76] = '\0';
	snprintf(want, sizeof(want), "%s\n", in);
	assert_qp(in, want);
	memset(in, 'a', 80);
	in[80] = '\0';
	memset(want, 'a', 75);
	strcpy(want + 75, "=\naaaaa\n");
	assert_qp(in, want);
	/* An encoded octet is never split by a soft break. */
	memset(in, 'a', 74);
	strcpy(in + 74, "=b");
	memset(want, 'a', 74);
	strcpy(want + 74, "=\n=3Db\n");
	assert_qp(in, want);
}

static void
assert_words(const char *in, const char *want)
{
	char *out = NULL;

	assert_ok(sd_mail_encode_words(&out, in));
	assert_string_equal(out, want);
	free(out);
}

static void
assert_one_line(const char *in, const char *want)
{
	char *out = sd_mail_one_line(in);

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

/* Controls, C1 ones (two bytes in UTF-8) included, and runs of blanks
 * become one space; none at either end; other UTF-8 stays whole. */
static void
test_one_line_by_hand(void **state)
{
	(void)state;
	assert_one_line("", "");
	assert_one_line(" \t\r\n", "");
	assert_one_line("  a\r\n\tb  ", "a b");
	assert_one_line("a\x7f\x1b[31mb", "a [31mb");
	assert_one_line("a\xc2\x85" "b", "a b");
	assert_one_line("a\xc2\x9b" "1mb", "a 1mb");
	assert_one_line("se\xc3\xb1or \xc2\xa0x", "se\xc3\xb1or \xc2\xa0x");
}

static void
test_words_by_hand(void **state)
{
	(void)state;
	/* 13 octets, 4 to encode: Q. */
	assert_words("Se\xc3\xb1" "al ca\xc3\xad" "da", "=?UTF-8?Q?Se=C3=B1al_ca=C3=ADda?=");
	/* Every octet encoded: B (0xe6 0x97 0xa5 0xe6 0x9c 0xac). */
	assert_words("\xe6\x97\xa5\xe6\x9c\xac", "=?UTF-8?B?5pel5pys?=");
	/* 7 octets, 3 to encode: B; 18, 3: Q. */
	assert_words("a?b=c_d", "=?UTF-8?B?YT9iPWNfZA==?=");
	assert_words("a?b=c_d plain text", "=?UTF-8?Q?a=3Fb=3Dc=5Fd_plain_text?=");
	/* 30 "ñ", 60 octets: two words of at most 75.  75 less the frame's
	 * 12 leaves 63 for B, 15 groups of 4, 45 octets: 22 whole "ñ", but a
	 * word before another holds a multiple of 3 octets (no padding): 21,
	 * 42 octets; the second word has the other 9. */
	{
		char in[61], *out = NULL, *sp;

		for (int i = 0; i < 30; i++)
			memcpy(in + 2 * i, "\xc3\xb1", 2);
		in[60] = '\0';
		assert_ok(sd_mail_encode_words(&out, in));
		sp = strchr(out, ' ');
		assert_non_null(sp);
		assert_true(sp - out <= 75);
		assert_true(strlen(sp + 1) <= 75);
		assert_string_equal(sp + 1, "=?UTF-8?B?w7HDscOxw7HDscOxw7HDscOx?=");
		free(out);
	}
}

static void
test_headers_by_hand(void **state)
{
	struct sd_mail_rcpt r[2] = { { "Ana P\xc3\xa9rez", "ana@x.example" },
	    { "Doe, John", "jd@x.example" } };
	char *h = NULL;

	(void)state;
	assert_ok(sd_mail_header(&h, "Subject", "[SD-7] Se\xc3\xb1" "al ca\xc3\xad" "da  hoy"));
	assert_string_equal(h, "Subject: [SD-7] =?UTF-8?Q?Se=C3=B1al_ca=C3=ADda?= hoy\n");
	free(h);
	assert_ok(sd_mail_header(&h, "Subject", "plain\tline\n"));
	assert_string_equal(h, "Subject: plain line\n");
	free(h);
	assert_ok(sd_mail_header_addresses(&h, "To", r, 2));
	assert_string_equal(h, "To: Ana =?UTF-8?Q?P=C3=A9rez?= <ana@x.example>, \"Doe, John\" "
	    "<jd@x.example>\n");
	free(h);
	/* An address that would end itself or add another: refused. */
	static const char *const bad[] = {
		"boss@x.example>, <spy@y.example", "a b@x.example", "a\r\nBcc: c@d.example",
		"a;b@x.example", "a:b@x.example", "a\"b@x.example", "a(b)@x.example", "a[b]@x.example",
		"a\\b@x.example", "a\x7f@x.example", "a<b@x.example",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char want[128];
		struct sd_mail_rcpt one[2] = { { "Ana", "ana@x.example" }, { "Eve", bad[i] } };

		h = NULL;
		snprintf(want, sizeof(want), "To: '%s' is not one address", bad[i]);
		assert_fails(sd_mail_header_addresses(&h, "To", one, 2), SD_EINVALID, want);
		assert_null(h);
	}
	/* Folded at spaces under 78. */
	assert_ok(sd_mail_header(&h, "Subject",
	    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"));
	assert_string_equal(h, "Subject: one two three four five six seven eight nine ten eleven "
	    "twelve\n thirteen fourteen\n");
	free(h);
}

static void
test_compose_by_hand(void **state)
{
	struct sd_mail_rcpt to = { "Ana", "ana@x.example" };
	const char *refs[2] = { "SD-7@desk.example", "abc@mua.example" };
	struct sd_mail_letter l = {
		.from = { "Mesa de ayuda", "desk@desk.example" }, .to = &to, .nto = 1,
		.subject = "[SD-7] Hola", .body = "L\xc3\xadnea\n",
		.message_id = "SD-7.2.0123456789ab@desk.example",
		.in_reply_to = "SD-7@desk.example", .references = refs, .nreferences = 2,
	};
	char *out = NULL, id[SD_MAIL_MSGID_MAX], id2[SD_MAIL_MSGID_MAX], date[SD_MAIL_DATE_MAX];

	(void)state;
	unit_zone("America/Bogota");
	l.date = unit_time("2026-12-07T10:25:25-05:00");
	l.zone = unit_z();
	assert_ok(sd_mail_compose(&out, &l));
	assert_string_equal(out,
	    "From: Mesa de ayuda <desk@desk.example>\n"
	    "To: Ana <ana@x.example>\n"
	    "Subject: [SD-7] Hola\n"
	    "Date: Mon, 07 Dec 2026 10:25:25 -0500\n"
	    "Message-ID: <SD-7.2.0123456789ab@desk.example>\n"
	    "In-Reply-To: <SD-7@desk.example>\n"
	    "References: <SD-7@desk.example> <abc@mua.example>\n"
	    "Auto-Submitted: auto-replied\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n"
	    "\n"
	    "L=C3=ADnea\n");
	free(out);
	sd_mail_date(date, unit_time("2026-03-01T00:00:00-05:00"), NULL);
	assert_string_equal(date, "Sun, 01 Mar 2026 05:00:00 +0000");
	/* The same mail has the same id; another event or kind another. */
	sd_mail_event_id(id, "SD-7", 3, "solve", "a@b", "d.example");
	sd_mail_event_id(id2, "SD-7", 3, "solve", "a@b", "d.example");
	assert_string_equal(id, id2);
	assert_int_equal(strncmp(id, "SD-7.3.", 7), 0);
	assert_int_equal(strlen(id), strlen("SD-7.3.") + 12 + strlen("@d.example"));
	sd_mail_event_id(id2, "SD-7", 4, "solve", "a@b", "d.example");
	assert_string_not_equal(id, id2);
	sd_mail_event_id(id2, "SD-7", 3, "close", "a@b", "d.example");
	assert_string_not_equal(id, id2);
	sd_mail_root_id(id, "SD-7", "d.example");
	assert_string_equal(id, "SD-7@d.example");
	sd_mail_approval_id(id, "SD-7", "0123456789abcdef01234567", "d.example");
	assert_string_equal(id, "SD-7.approval.0123456789abcdef01234567@d.example");
}

/* --- templates ------------------------------------------------------------- */

static void
assert_window(const char *dur, const char *lang, const char *want)
{
	struct sd_duration d;
	char out[64];

	assert_ok(sd_duration_parse(&d, dur));
	sd_mail_window_words(out, sizeof(out), &d, lang);
	assert_string_equal(out, want);
}

static void
test_window_words(void **state)
{
	(void)state;
	assert_window("48h", "en", "48 hours");
	assert_window("48h", "es", "48 horas");
	assert_window("3bd", "en", "3 business days");
	assert_window("3bd", "es", "3 días hábiles");
	assert_window("1bd", "en", "1 business day");
	assert_window("1bd", "es", "1 día hábil");
	assert_window("90m", "en", "90 minutes");
	assert_window("90m", "es", "90 minutos");
	assert_window("2bh", "en", "2 business hours");
	assert_window("2bh", "es", "2 horas hábiles");
	assert_window("1h", "en", "1 hour");
	assert_window("30bm", "es", "30 minutos hábiles");
	assert_window("7d", "en", "7 days");
	assert_window("2d", "es", "48 horas");
}

static void
test_date_and_missing_words(void **state)
{
	char out[200];

	(void)state;
	unit_zone("America/Bogota");
	sd_mail_date_words(out, sizeof(out), unit_time("2026-11-25T10:00:00-05:00"), unit_z(), "en");
	assert_string_equal(out, "Wednesday 25 November 2026 at 10:00 (America/Bogota)");
	sd_mail_date_words(out, sizeof(out), unit_time("2026-11-25T10:00:00-05:00"), unit_z(), "es");
	assert_string_equal(out, "miércoles 25 de noviembre de 2026 a las 10:00 (America/Bogota)");
	sd_mail_missing_words(out, sizeof(out), "requester_phone", "en");
	assert_string_equal(out, "your phone number");
	sd_mail_missing_words(out, sizeof(out), "requester_email requester_phone", "es");
	assert_string_equal(out, "su correo electrónico y su número de teléfono");
	sd_mail_missing_words(out, sizeof(out), "category urgency impact", "en");
	assert_string_equal(out, "the category, the urgency and the impact");
}

static void
test_render(void **state)
{
	struct sd_mail_vars v = { .n = 0 };
	char *subject = NULL, *body = NULL;
	const char *ok = "Subject: [{{id}}] {{title}}\n\nHello {{requester}},\n{{window}}{{rating}}.\n";

	(void)state;
	v.v[0].name = "id"; v.v[0].value = "SD-7";
	v.v[1].name = "title"; v.v[1].value = "Se\xc3\xb1" "al";
	v.v[2].name = "requester"; v.v[2].value = "Ana";
	v.n = 3;
	assert_ok(sd_mail_render(&subject, &body, ok, strlen(ok), "t/en/new", &v));
	assert_string_equal(subject, "[SD-7] Se\xc3\xb1" "al");
	assert_string_equal(body, "Hello Ana,\n.\n");
	free(subject);
	free(body);
	/* An empty placeholder on a line of its own leaves one blank line. */
	assert_ok(sd_mail_render(&subject, &body, "Subject: x\n\na\n\n{{text}}\n\nb\n\n\n", 29,
	    "t/en/new", &v));
	assert_string_equal(body, "a\n\nb\n");
	free(subject);
	free(body);
	assert_fails(sd_mail_render(&subject, &body, "Subject: x\n\na\nb {{nobody}}\n", 27,
	    "t/en/new", &v), SD_ECONFIG, "t/en/new:4: unknown placeholder {{nobody}}");
	assert_null(subject);
	assert_fails(sd_mail_render(&subject, &body, "Subject: {{id\n\n", 15, "t/en/new", &v),
	    SD_ECONFIG, "t/en/new:1: '{{' without its '}}'");
	assert_fails(sd_mail_render(&subject, &body, "Hello\n\nx\n", 9, "t/es/solve", &v),
	    SD_ECONFIG, "t/es/solve:1: the first line is not 'Subject: ...'");
	assert_fails(sd_mail_render(&subject, &body, "Subject: x\nbody\n", 16, "t/es/solve", &v),
	    SD_ECONFIG, "t/es/solve:2: not the blank line after the subject");
	/* Every shipped template renders, in both languages. */
	for (int l = 0; l < 2; l++)
		for (size_t k = 0; sd_mail_kinds[k]; k++) {
			char dir[4096];
			const char *top = getenv("SD_TOP");
			snprintf(dir, sizeof(dir), "%s/share/templates", top ? top : ".");
			if (sd_mail_template(&subject, &body, dir, l ? "es" : "en", sd_mail_kinds[k], &v) != 0)
				fail_msg("%s/%s: %s", l ? "es" : "en", sd_mail_kinds[k], sd_error_message());
			assert_true(strlen(subject) > 0 && strlen(body) > 0);
			free(subject);
			free(body);
		}
	{
		char dir[4096];
		const char *top = getenv("SD_TOP");
		snprintf(dir, sizeof(dir), "%s/share/templates", top ? top : ".");
		assert_int_equal(sd_mail_template(&subject, &body, dir, "en", "nokind", &v), 1);
	}
	assert_fails(sd_mail_template(&subject, &body, "/nonexistent", "en", "new", &v),
	    SD_ECONFIG, "/nonexistent/en: no templates (is SD_SHAREDIR right?)");
}

/* --- the property test ----------------------------------------------------- */

static void
put_cp(struct sd_buf *b, unsigned c)
{
	if (c < 0x80) {
		sd_buf__addc(b, (char)c);
	} else if (c < 0x800) {
		sd_buf__addc(b, (char)(0xc0 | c >> 6));
		sd_buf__addc(b, (char)(0x80 | (c & 63)));
	} else if (c < 0x10000) {
		sd_buf__addc(b, (char)(0xe0 | c >> 12));
		sd_buf__addc(b, (char)(0x80 | (c >> 6 & 63)));
		sd_buf__addc(b, (char)(0x80 | (c & 63)));
	} else {
		sd_buf__addc(b, (char)(0xf0 | c >> 18));
		sd_buf__addc(b, (char)(0x80 | (c >> 12 & 63)));
		sd_buf__addc(b, (char)(0x80 | (c >> 6 & 63)));
		sd_buf__addc(b, (char)(0x80 | (c & 63)));
	}
}

/* A random character other than a blank or control. */
static unsigned
rand_cp(struct unit_rng *r)
{
	unsigned c;

	switch (unit_rand(r) % 6) {
	case 0: case 1: return 0x21 + (unsigned)(unit_rand(r) % 94);
	case 2: return "=?_\"\\().,:;<>@"[unit_rand(r) % 14];
	case 3: return 0xa1 + (unsigned)(unit_rand(r) % 0x15f);
	case 4:
		do
			c = 0x800 + (unsigned)(unit_rand(r) % 0xf7f0);
		while (c >= 0xd800 && c < 0xe000);
		return c;
	default: return 0x10000 + (unsigned)(unit_rand(r) % 0xfff00);
	}
}

/* Words of random characters with single spaces between. */
static char *
rand_words(struct unit_rng *r, int words, int maxlen)
{
	struct sd_buf b = SD_BUF_INIT;

	for (int w = 0; w < words; w++) {
		int n = 1 + (int)(unit_rand(r) % (unsigned)maxlen);
		if (w)
			sd_buf__addc(&b, ' ');
		for (int i = 0; i < n; i++)
			put_cp(&b, rand_cp(r));
	}
	return sd_buf__detach(&b);
}

static char *
rand_body(struct unit_rng *r)
{
	struct sd_buf b = SD_BUF_INIT;
	int lines = (int)(unit_rand(r) % 8);

	for (int l = 0; l < lines; l++) {
		int n = (int)(unit_rand(r) % 120);
		for (int i = 0; i < n; i++) {
			unsigned k = (unsigned)(unit_rand(r) % 8);
			put_cp(&b, k == 0 ? ' ' : k == 1 ? '\t' : k == 2 ? '.' : rand_cp(r));
		}
		sd_buf__addc(&b, '\n');
	}
	if (unit_rand(r) % 2)
		sd_buf__adds(&b, "no end");
	if (!b.data)
		sd_buf__adds(&b, "");
	return sd_buf__detach(&b);
}

static void
check_wire(const char *msg, uint64_t seed)
{
	const char *p = msg, *end;
	int body = 0;

	for (; *p; p = end + 1) {
		if (!(end = strchr(p, '\n')))
			fail_msg("seed %llu: no last line end", (unsigned long long)seed);
		if (end == p)
			body = 1;
		if ((size_t)(end - p) > (body ? 76u : 78u))
			fail_msg("seed %llu: line of %zu octets: %.*s", (unsigned long long)seed,
			    (size_t)(end - p), (int)(end - p), p);
		for (const char *c = p; c < end; c++)
			if ((unsigned char)*c >= 0x80 || ((unsigned char)*c < 0x20 && *c != '\t'))
				fail_msg("seed %llu: not ASCII on the wire", (unsigned long long)seed);
	}
}

static void
test_round_trip_gmime(void **state)
{
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	g_mime_init();
	for (int iter = 0; iter < 300; iter++) {
		char *subject = rand_words(&r, 1 + (int)(unit_rand(&r) % 12), 30);
		char *name = rand_words(&r, 1 + (int)(unit_rand(&r) % 4), 20);
		char *body = rand_body(&r), *msg = NULL, *want;
		struct sd_mail_rcpt to = { name, "someone@x.example" };
		struct sd_mail_letter l = {
			.from = { name, "desk@desk.example" }, .to = &to, .nto = 1,
			.subject = subject, .body = body,
			.message_id = "SD-1.1.000000000000@desk.example",
		};
		GMimeStream *st;
		GMimeParser *parser;
		GMimeMessage *m;
		InternetAddressList *from;
		GMimeObject *part;
		char *text;
		size_t blen = strlen(body);

		assert_ok(sd_mail_compose(&msg, &l));
		check_wire(msg, r.seed);
		st = g_mime_stream_mem_new_with_buffer(msg, strlen(msg));
		parser = g_mime_parser_new_with_stream(st);
		m = g_mime_parser_construct_message(parser, NULL);
		if (!m)
			fail_msg("seed %llu: GMime reads no message", (unsigned long long)r.seed);
		if (strcmp(g_mime_message_get_subject(m), subject))
			fail_msg("seed %llu: subject\n%s\nread back as\n%s\n%s", (unsigned long long)r.seed,
			    subject, g_mime_message_get_subject(m), msg);
		from = g_mime_message_get_from(m);
		assert_int_equal(internet_address_list_length(from), 1);
		if (strcmp(internet_address_get_name(internet_address_list_get_address(from, 0)),
		    name))
			fail_msg("seed %llu: name\n%s\nread back as\n%s\n%s", (unsigned long long)r.seed,
			    name, internet_address_get_name(internet_address_list_get_address(from, 0)),
			    msg);
		part = g_mime_message_get_body(m);
		assert_true(GMIME_IS_TEXT_PART(part));
		text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
		want = malloc(blen + 2);
		memcpy(want, body, blen + 1);
		if (!blen || body[blen - 1] != '\n')
			strcpy(want + blen, "\n");
		if (strcmp(text, want))
			fail_msg("seed %llu: body\n%s\nread back as\n%s\n%s", (unsigned long long)r.seed,
			    want, text, msg);
		g_free(text);
		free(want);
		g_object_unref(m);
		g_object_unref(parser);
		g_object_unref(st);
		free(msg);
		free(subject);
		free(name);
		free(body);
	}
	g_mime_shutdown();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qp_by_hand),
		cmocka_unit_test(test_one_line_by_hand),
		cmocka_unit_test(test_words_by_hand),
		cmocka_unit_test(test_headers_by_hand),
		cmocka_unit_test(test_compose_by_hand),
		cmocka_unit_test(test_window_words),
		cmocka_unit_test(test_date_and_missing_words),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_round_trip_gmime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
