/*
 * Attachments (sd/attach.h): the SHA-256 against published and computed
 * vectors, the attachments/XX/HEX path and the digest check, and the
 * reference line: exact lines, its errors, and round trips of odd names
 * through a ticket file, by both of its readers.
 */
#include <git2.h>

#include "internal.h"
#include "layout.h"
#include "unit.h"

extern int sd__ticket_scan_off;

static void
sha(const void *data, size_t len, const char *want)
{
	char hex[SD_ATTACH_HEX + 1];

	sd_attach_sha256(hex, data, len);
	assert_string_equal(hex, want);
}

static void
test_sha256(void **state)
{
	/* FIPS 180-2 appendix B, and the million a's. */
	static const char *const lengths[][2] = {
		{ "55", "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b" },
		{ "56", "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27" },
		{ "63", "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055" },
		{ "64", "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241" },
		{ "65", "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e" },
		{ "119", "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e" },
		{ "120", "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5" },
		{ "128", "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6" },
	};
	unsigned char bytes[128];
	char *million = malloc(1000000);

	(void)state;
	sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(million);
	memset(million, 'a', 1000000);
	sha(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
	/* Around the padding's edges: bytes (i*7+3) & 255, by Python's hashlib. */
	for (int i = 0; i < 128; i++)
		bytes[i] = (unsigned char)((i * 7 + 3) & 255);
	for (size_t i = 0; i < SD_ARRAY_SIZE(lengths); i++)
		sha(bytes, (size_t)atoi(lengths[i][0]), lengths[i][1]);
}

#define ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static void
test_path(void **state)
{
	char path[SD_ATTACH_PATH_MAX], hex[SD_ATTACH_HEX + 1];

	(void)state;
	sd_attach_path(path, ABC);
	assert_string_equal(path, "attachments/ba/" ABC);
	assert_ok(sd_attach_path_parse(path, hex));
	assert_string_equal(hex, ABC);
	assert_ok(sd_attach_check(path, "abc", 3));
	assert_fails(sd_attach_check(path, "abd", 3), SD_EINVALID,
	    "attachments/ba/" ABC ": its bytes' SHA-256 is "
	    "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9, not its name");
	assert_fails(sd_attach_check("attachments/bb/" ABC, "abc", 3), SD_EINVALID,
	    "attachments/bb/" ABC ": not in its directory (belongs in attachments/ba/)");
	assert_fails(sd_attach_check("attachments/ba/" ABC "0", "abc", 3), SD_EINVALID,
	    "attachments/ba/" ABC "0: not an attachment's file name "
	    "(the SHA-256 of its bytes, 64 lower-case hex digits)");
	/* Upper case is not the name sd writes. */
	assert_int_equal(sd_attach_path_parse("attachments/BA/BA7816BF8F01CFEA414140DE5DAE2223"
	    "B00361A396177A9CB410FF61F20015AD", NULL), SD_EINVALID);
	assert_int_equal(sd_attach_path_parse("attachments/ba", NULL), SD_EINVALID);
	assert_int_equal(sd_attach_path_parse("attachments/ba/", NULL), SD_EINVALID);
	assert_int_equal(sd_attach_path_parse("attachments/b/" ABC, NULL), SD_EINVALID);
	assert_int_equal(sd_attach_path_parse("tickets/ba/" ABC, NULL), SD_EINVALID);
	assert_int_equal(sd_attach_path_parse("attachments/ba/" ABC "/x", NULL), SD_EINVALID);
}

/* The store's layout takes attachments/XX/HEX as a regular file alone. */
static void
test_layout(void **state)
{
	(void)state;
	assert_ok(sd__layout_path("attachments/ba/" ABC, GIT_FILEMODE_BLOB, "SD", NULL));
	assert_fails(sd__layout_path("attachments/ba/" ABC, GIT_FILEMODE_LINK, "SD", NULL),
	    SD_EINVALID, "attachments/ba/" ABC ": a symbolic link");
	assert_fails(sd__layout_path("attachments/ab/" ABC, GIT_FILEMODE_BLOB, "SD", NULL),
	    SD_EINVALID, "attachments/ab/" ABC ": not in its directory (belongs in attachments/ba/)");
	assert_int_equal(sd__layout_path("attachments/x", GIT_FILEMODE_BLOB, "SD", NULL), SD_EINVALID);
	assert_int_equal(sd__layout_path("attachment/ba/" ABC, GIT_FILEMODE_BLOB, "SD", NULL),
	    SD_EINVALID);
}

static void
test_line(void **state)
{
	struct sd_attachment a = { ABC, 3, "text/plain", "abc.txt" }, b;
	char *line = NULL, buf[300];

	(void)state;
	assert_ok(sd_attach_format(&line, &a));
	assert_string_equal(line, "sha256:" ABC " 3 text/plain abc.txt");
	assert_ok(sd_attach_parse(&b, buf, line, strlen(line)));
	assert_string_equal(b.hex, ABC);
	assert_int_equal(b.size, 3);
	assert_string_equal(b.type, "text/plain");
	assert_string_equal(b.name, "abc.txt");
	free(line);
	/* The name is the rest of the line, spaces and all. */
	line = "sha256:" ABC " 0 application/pdf  two  spaces ";
	assert_ok(sd_attach_parse(&b, buf, line, strlen(line)));
	assert_int_equal(b.size, 0);
	assert_string_equal(b.name, " two  spaces ");
#define BAD(l, msg) assert_fails(sd_attach_parse(&b, buf, (l), strlen(l)), SD_EINVALID, (msg))
	BAD("sha1:" ABC " 3 text/plain a", "an attachment line starts with sha256: and the 64 "
	    "lower-case hex digits of its SHA-256 (sha256:HEX SIZE TYPE NAME)");
	BAD("sha256:" ABC "  3 text/plain a", "an attachment line has no size in bytes after its "
	    "digest (sha256:HEX SIZE TYPE NAME)");
	BAD("sha256:" ABC " 03 text/plain a", "an attachment line has no size in bytes after its "
	    "digest (sha256:HEX SIZE TYPE NAME)");
	BAD("sha256:" ABC " 99999999999999999999 text/plain a", "an attachment line has no size "
	    "in bytes after its digest (sha256:HEX SIZE TYPE NAME)");
	BAD("sha256:" ABC " 3 text/plain", "an attachment line has no name (sha256:HEX SIZE TYPE NAME)");
	BAD("sha256:" ABC " 3 text/plain ", "an attachment's name is 1 to 255 bytes");
	BAD("sha256:" ABC " 3 textplain a", "'textplain' is not a MIME type (type/subtype)");
	BAD("sha256:" ABC " 3 text/pl;ain a", "'text/pl;ain' is not a MIME type (type/subtype)");
	BAD("sha256:" ABC " 3 text/plain a\tb", "an attachment's name holds a control character");
	BAD("sha256:" ABC " 3 text/plain a\xc2\x9b" "b", "an attachment's name holds a control character");
	BAD("sha256:" ABC " 3 text/plain a\xff", "an attachment's name is not valid UTF-8");
#undef BAD
	a.name = "a\nb";
	assert_int_equal(sd_attach_format(&line, &a), SD_EINVALID);
	assert_null(line);
}

/* A ticket whose event 2 holds the names as attachment lines. */
static const char *const odd[] = {
	"plain.pdf", "a ; b.pdf", "; semi", "# hash", "\"quoted\"", "back\\slash",
	" lead", "trail ", "x ;y ;z", "Informe año 2026 — ñandú 日本語.docx", "=equals=",
	"[event 3]", "text = no", "🙂",
};

static void
round_trip(int scan_off)
{
	struct sd_buf v = SD_BUF_INIT;
	struct sd_ticket *t = NULL, *back = NULL;
	struct sd_attach_list l;
	char *data = NULL, hex[SD_ATTACH_HEX + 1];
	size_t len, ev;

	sd__ticket_scan_off = scan_off;
	assert_ok(sd_ticket_new(&t));
	assert_ok(sd_ticket_set(t, SD_F_ID, "SD-1"));
	assert_ok(sd_ticket_event_add(t, &ev, "2026-11-23T10:00:00-05:00", "ana", "new"));
	assert_ok(sd_ticket_event_add(t, &ev, "2026-11-23T11:00:00-05:00", "ana", "attach"));
	for (size_t i = 0; i < SD_ARRAY_SIZE(odd); i++) {
		sd_attach_sha256(hex, odd[i], strlen(odd[i]));
		sd_buf__printf(&v, "%ssha256:%s %zu application/octet-stream %s", i ? "\n" : "", hex,
		    strlen(odd[i]), odd[i]);
	}
	assert_ok(sd_buf__check(&v));
	assert_ok(sd_attach_value_check(v.data));
	assert_ok(sd_ticket_event_set(t, ev, "attachment", v.data));
	assert_ok(sd_ticket_event_set(t, ev, "text", "two\nlines"));
	assert_ok(sd_ticket_format(&data, &len, t));
	/* One key line per attachment. */
	{
		size_t lines = 0;
		for (const char *p = data; (p = strstr(p, "\nattachment = ")); p++)
			lines++;
		assert_int_equal(lines, SD_ARRAY_SIZE(odd));
		assert_null(strstr(data, "attachment+"));
	}
	assert_ok(sd_ticket_parse(&back, data, len, "t.ini", SD_PARSE_FULL));
	assert_string_equal(sd_ticket_event_get(back, 1, "attachment"), v.data);
	assert_string_equal(sd_ticket_event_get(back, 1, "text"), "two\nlines");
	assert_ok(sd_attach_list(&l, back));
	assert_int_equal(l.n, SD_ARRAY_SIZE(odd));
	for (size_t i = 0; i < l.n; i++) {
		sd_attach_sha256(hex, odd[i], strlen(odd[i]));
		assert_string_equal(l.v[i].name, odd[i]);
		assert_string_equal(l.v[i].hex, hex);
		assert_string_equal(l.v[i].type, "application/octet-stream");
		assert_int_equal(l.v[i].size, strlen(odd[i]));
		assert_int_equal(l.ev[i], 1);
	}
	assert_int_equal(sd_attach_total(&l), 0 + 9 + 9 + 6 + 6 + 8 + 10 + 5 + 6 + 7 +
	    strlen(odd[9]) + 8 + 9 + 9 + 4);
	sd_attach_list_free(&l);
	sd_ticket_free(back);
	free(data);
	sd_ticket_free(t);
	sd_buf__free(&v);
	sd__ticket_scan_off = 0;
}

static void
test_round_trip_scan(void **state)
{
	(void)state;
	round_trip(0);
}

static void
test_round_trip_inih(void **state)
{
	(void)state;
	round_trip(1);
}

static void
test_type_guess(void **state)
{
	(void)state;
	assert_string_equal(sd_attach_type_guess("a.PDF"), "application/pdf");
	assert_string_equal(sd_attach_type_guess("photo.jpeg"), "image/jpeg");
	assert_string_equal(sd_attach_type_guess("x.tar.gz"), "application/gzip");
	assert_string_equal(sd_attach_type_guess(".png"), "application/octet-stream");
	assert_string_equal(sd_attach_type_guess("README"), "application/octet-stream");
	assert_string_equal(sd_attach_type_guess("a.verylongext"), "application/octet-stream");
}

/* A size in words: bytes below 10 KiB unless whole KiB, then KiB or MiB
 * with one decimal when not whole. */
static void
test_size_words(void **state)
{
	static const struct { unsigned long long n; const char *want; } cases[] = {
		{ 0, "0 bytes" }, { 1, "1 byte" }, { 590, "590 bytes" }, { 1024, "1 KiB" },
		{ 1536, "1536 bytes" }, { 10240, "10 KiB" }, { 10241, "10.0 KiB" },
		{ 15360, "15 KiB" }, { 15872, "15.5 KiB" }, { 1048576, "1 MiB" },
		{ 1572864, "1.5 MiB" }, { 12582912, "12 MiB" },
	};
	char got[SD_ATTACH_SIZE_WORDS];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sd_attach_size_words(got, cases[i].n);
		assert_string_equal(got, cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_round_trip_scan),
		cmocka_unit_test(test_round_trip_inih),
		cmocka_unit_test(test_type_guess),
		cmocka_unit_test(test_size_words),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
