/*
 * libFuzzer target: the ticket file reader and writer (SPEC section 4,
 * sd-ticket(5)).
 *
 * 1. The input is read as a ticket file.  When it parses, what sd writes
 *    for it must parse again and be written the same (the writer is a fixed
 *    point), no line of it longer than SD_CODEC_LINE_MAX bytes; the head
 *    (SD_PARSE_HEAD), the clocks (SD_PARSE_CLOCK) and the status at a glance
 *    (sd_ticket_peek_status) read the same from it as the full parse.
 * 2. The input bytes, when sd_text_check takes them as a text, are put in
 *    every place a text or a value goes -- description, solution, an
 *    event's text, an event's other key, the title, the requester -- and
 *    must come back byte for byte through sd_ticket_format and
 *    sd_ticket_parse.
 * 3. The input read by sd__ini_parse without inih (when every line of it
 *    is plain) and through inih tells a handler the same: the same calls,
 *    sections, keys, values and line numbers, the same error.
 * 4. The input read by sd_ticket_parse with its fast reader (scan(), for
 *    the files sd writes) and without it (sd__ticket_scan_off), in each
 *    mode -- alone in a buffer of its size, and as the start of a larger
 *    buffer (its first bytes, the rest after them) -- gives the same: both
 *    parse and sd_ticket_format writes the same bytes, or both fail with
 *    the same code and message.
 *
 * Any broken promise is abort(), with what broke on stderr.  Built and run
 * by `make fuzz` (Makefile); seeds in tests/fuzz/corpus/ticket/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_internal.h"
#include "sd/codec.h"
#include "sd/error.h"
#include "sd/ticket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Nonzero: every ticket read by the general reader (lib/ticket.c); no
 * header declares it, it is for tests. */
extern int sd__ticket_scan_off;

static void
fail(const char *what, const char *a, size_t alen, const char *b, size_t blen)
{
	fprintf(stderr, "\nFUZZ FAILURE (ticket): %s\n", what);
	if (sd_error_message()[0])
		fprintf(stderr, "last sd error: %s\n", sd_error_message());
	if (a) {
		fprintf(stderr, "--- first (%zu bytes):\n", alen);
		fwrite(a, 1, alen, stderr);
		fputc('\n', stderr);
	}
	if (b) {
		fprintf(stderr, "--- second (%zu bytes):\n", blen);
		fwrite(b, 1, blen, stderr);
		fputc('\n', stderr);
	}
	abort();
}

/* Every line of what sd wrote fits inih's buffer with room to spare, and
 * the file ends with a newline. */
static void
check_lines(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	if (len == 0 || s[len - 1] != '\n')
		fail("written file does not end with a newline", s, len, NULL, 0);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);

		if (n > SD_CODEC_LINE_MAX) {
			fprintf(stderr, "line of %zu bytes (max %d): %.*s\n", n,
			    SD_CODEC_LINE_MAX, (int)n, p);
			fail("written line longer than SD_CODEC_LINE_MAX", s, len, NULL, 0);
		}
		if (memchr(p, '\0', n))
			fail("written file holds a NUL", s, len, NULL, 0);
		p = nl + 1;
	}
}

static void
same_str(const char *what, const char *a, const char *b)
{
	if (strcmp(a ? a : "", b ? b : ""))
		fail(what, a ? a : "(null)", a ? strlen(a) : 6, b ? b : "(null)", b ? strlen(b) : 6);
}

/* The [ticket] keys of a and b are equal. */
static void
same_head(const char *what, const struct sd_ticket *a, const struct sd_ticket *b)
{
	for (int f = 0; f < SD_F__COUNT; f++)
		if (strcmp(sd_ticket_get(a, f), sd_ticket_get(b, f))) {
			fprintf(stderr, "field %s differs\n", sd_field_name(f));
			same_str(what, sd_ticket_get(a, f), sd_ticket_get(b, f));
		}
}

/* What sd writes for t: a fixed point of parse and format, whose head,
 * clocks and status at a glance read as the whole file does.  The text
 * written is returned in *out. */
static struct sd_ticket *
fixed_point(const struct sd_ticket *t, char **out, size_t *outlen)
{
	struct sd_ticket *t2 = NULL, *h = NULL, *c = NULL;
	char *f1 = NULL, *f2 = NULL, status[32];
	size_t n1 = 0, n2 = 0;

	if (sd_ticket_format(&f1, &n1, t) < 0)
		fail("sd_ticket_format failed", NULL, 0, NULL, 0);
	if (strlen(f1) != n1)
		fail("sd_ticket_format length is not strlen", f1, n1, NULL, 0);
	check_lines(f1, n1);
	if (sd_ticket_parse(&t2, f1, n1, "formatted.ini", SD_PARSE_FULL) < 0)
		fail("what sd wrote does not parse", f1, n1, NULL, 0);
	if (sd_ticket_format(&f2, &n2, t2) < 0)
		fail("sd_ticket_format failed the second time", NULL, 0, NULL, 0);
	if (n1 != n2 || memcmp(f1, f2, n1))
		fail("format(parse(format(t))) != format(t)", f1, n1, f2, n2);
	same_head("a field changed through format and parse", t, t2);

	/* The head alone: the same [ticket]. */
	if (sd_ticket_parse(&h, f1, n1, "formatted.ini", SD_PARSE_HEAD) < 0)
		fail("what sd wrote does not parse with SD_PARSE_HEAD", f1, n1, NULL, 0);
	same_head("SD_PARSE_HEAD reads another [ticket]", t2, h);
	sd_ticket_free(h);

	/* The clocks: the same [ticket], the same events, and of each the
	 * keys the clocks read, when they are one line each. */
	if (sd_ticket_parse(&c, f1, n1, "formatted.ini", SD_PARSE_CLOCK) < 0)
		fail("what sd wrote does not parse with SD_PARSE_CLOCK", f1, n1, NULL, 0);
	same_head("SD_PARSE_CLOCK reads another [ticket]", t2, c);
	if (sd_ticket_event_count(c) != sd_ticket_event_count(t2))
		fail("SD_PARSE_CLOCK reads another number of events", f1, n1, NULL, 0);
	for (size_t i = 0; i < sd_ticket_event_count(t2); i++) {
		static const char *const keys[] = { "at", "by", "action", "from", "to" };
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *v = sd_ticket_event_get(t2, i, keys[k]);
			if (v && !sd_codec_is_plain(v, strlen(v)))
				continue;       /* quoted or long: may take key+ lines */
			same_str("SD_PARSE_CLOCK reads another event key", v,
			    sd_ticket_event_get(c, i, keys[k]));
		}
	}
	sd_ticket_free(c);

	/* The status at a glance, when there is one, is the status. */
	if (sd_ticket_peek_status(f1, n1, status) &&
	    strcmp(status, sd_ticket_get(t2, SD_F_STATUS)))
		fail("sd_ticket_peek_status reads another status", f1, n1, status, strlen(status));

	free(f2);
	*out = f1;
	*outlen = n1;
	return t2;
}

/* The input as a ticket file: no crash; when it parses, a fixed point. */
static void
parse_input(const char *in, size_t size)
{
	struct sd_ticket *t = NULL, *t2, *h = NULL, *c = NULL;
	char *f1 = NULL, status[32];
	size_t n1;

	/* The other modes and the glance never crash, whatever the input. */
	if (sd_ticket_parse(&h, in, size, "fuzz.ini", SD_PARSE_HEAD) == 0)
		sd_ticket_free(h);
	if (sd_ticket_parse(&c, in, size, "fuzz.ini", SD_PARSE_CLOCK) == 0)
		sd_ticket_free(c);
	(void)sd_ticket_peek_status(in, size, status);

	if (sd_ticket_parse(&t, in, size, "fuzz.ini", SD_PARSE_FULL) < 0) {
		if (t)
			fail("sd_ticket_parse failed but set *out", NULL, 0, NULL, 0);
		if (!sd_error_message()[0])
			fail("sd_ticket_parse failed with no message", in, size, NULL, 0);
		return;
	}
	(void)sd_ticket_check(t, NULL);
	for (size_t i = 0; i < sd_ticket_event_count(t); i++)
		for (size_t k = 0; k < sd_ticket_event_keys(t, i); k++)
			if (!sd_ticket_event_key(t, i, k) || !sd_ticket_event_value(t, i, k))
				fail("event key or value is NULL", in, size, NULL, 0);
	t2 = fixed_point(t, &f1, &n1);
	/* What parses whole parses at a glance too, with the same head. */
	if (sd_ticket_parse(&h, in, size, "fuzz.ini", SD_PARSE_HEAD) < 0)
		fail("parses whole but not with SD_PARSE_HEAD", in, size, NULL, 0);
	same_head("SD_PARSE_HEAD reads another [ticket] from the input", t, h);
	sd_ticket_free(h);
	free(f1);
	sd_ticket_free(t2);
	sd_ticket_free(t);
}

/* The input as a text and as a value, in every place, back byte for byte. */
static void
round_trip_text(const char *in, size_t size)
{
	struct sd_ticket *t = NULL, *t2;
	char *f1 = NULL;
	size_t n1, ev;

	if (sd_text_check(in, size) < 0)
		return;
	if (strlen(in) != size)
		fail("sd_text_check took a NUL", NULL, 0, NULL, 0);
	if (sd_ticket_new(&t) < 0)
		abort();
	sd_ticket_set(t, SD_F_ID, "SD-1");
	sd_ticket_set(t, SD_F_TYPE, "incident");
	sd_ticket_set(t, SD_F_STATUS, "new");
	sd_ticket_set(t, SD_F_TITLE, in);
	sd_ticket_set(t, SD_F_REQUESTER, in);
	sd_ticket_set(t, SD_F_CREATED, "2026-11-21T10:03:00-05:00");
	sd_ticket_set_text(t, SD_TEXT_DESCRIPTION, in);
	sd_ticket_set_text(t, SD_TEXT_SOLUTION, in);
	if (sd_ticket_event_add(t, &ev, "2026-11-21T10:03:00-05:00", "ana", "new") < 0)
		abort();
	sd_ticket_event_set(t, ev, "text", in);
	sd_ticket_event_set(t, ev, "reason", in);
	if (sd_ticket_event_add(t, &ev, "2026-11-21T10:04:00-05:00", "ana", "note") < 0)
		abort();
	sd_ticket_event_set(t, ev, "text", in);

	t2 = fixed_point(t, &f1, &n1);
	same_str("title did not come back", in, sd_ticket_get(t2, SD_F_TITLE));
	same_str("requester did not come back", in, sd_ticket_get(t2, SD_F_REQUESTER));
	same_str("description did not come back", in, sd_ticket_text(t2, SD_TEXT_DESCRIPTION));
	same_str("solution did not come back", in, sd_ticket_text(t2, SD_TEXT_SOLUTION));
	if (sd_ticket_event_count(t2) != 2)
		fail("events did not come back", f1, n1, NULL, 0);
	same_str("event text did not come back", in, sd_ticket_event_get(t2, 0, "text"));
	same_str("event key did not come back", in, sd_ticket_event_get(t2, 0, "reason"));
	same_str("second event text did not come back", in, sd_ticket_event_get(t2, 1, "text"));
	same_str("event action did not come back", "note", sd_ticket_event_get(t2, 1, "action"));
	free(f1);
	sd_ticket_free(t2);
	sd_ticket_free(t);
}

/* A handler that writes down each call; it refuses a key named `bad`. */
static int
record(void *user, const char *section, const char *name, const char *value, int lineno)
{
	fprintf(user, "%d [%s] %s = %s\n", lineno, section, name ? name : "(section)",
	    value ? value : "(none)");
	if (name && !strcmp(name, "bad"))
		return sd_error_set(SD_EINVALID, "refused"), 0;
	return 1;
}

/* One way of reading: what the handler heard, then the outcome. */
static char *
read_ini(const char *in, size_t size, int inih_only, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	int rc;

	if (!f)
		abort();
	sd__ini_inih_only = inih_only;
	sd_error_clear();
	rc = sd__ini_parse(in, size, "fuzz.ini", SD_EINVALID, record, f);
	sd__ini_inih_only = 0;
	fprintf(f, "rc %d: %s\n", rc, rc ? sd_error_message() : "");
	fclose(f);
	return text;
}

static void
same_both_ways(const char *in, size_t size)
{
	size_t alen, blen;
	char *a, *b;

	if (!sd__ini_plain(in, size))
		return;
	a = read_ini(in, size, 0, &alen);
	b = read_ini(in, size, 1, &blen);
	if (alen != blen || memcmp(a, b, alen))
		fail("read as plain lines and through inih, not the same", a, alen, b, blen);
	free(a);
	free(b);
}

/* One reading, with scan() or without: rc, message, what sd writes. */
static int
read_ticket(const char *in, size_t size, int mode, int scan_off, char *message,
    size_t msize, char **text, size_t *tlen)
{
	struct sd_ticket *t = NULL;
	int rc;

	*text = NULL;
	*tlen = 0;
	sd__ticket_scan_off = scan_off;
	sd_error_clear();
	rc = sd_ticket_parse(&t, in, size, "fuzz.ini", mode);
	sd__ticket_scan_off = 0;
	snprintf(message, msize, "%s", rc ? sd_error_message() : "");
	if (rc < 0) {
		if (t)
			fail("sd_ticket_parse failed but set *out", in, size, NULL, 0);
		return rc;
	}
	if (sd_ticket_format(text, tlen, t) < 0)
		fail("sd_ticket_format failed", NULL, 0, NULL, 0);
	sd_ticket_free(t);
	return 0;
}

/* The fast reader and the general one agree on the size bytes at in. */
static void
same_fast_and_general_at(const char *in, size_t size)
{
	static const char *const names[3] = { "full", "head", "clock" };
	static const int modes[3] = { SD_PARSE_FULL, SD_PARSE_HEAD, SD_PARSE_CLOCK };
	static char ma[1024], mb[1024], what[256];

	for (int m = 0; m < 3; m++) {
		char *a, *b;
		size_t alen, blen;
		int ra = read_ticket(in, size, modes[m], 0, ma, sizeof(ma), &a, &alen);
		int rb = read_ticket(in, size, modes[m], 1, mb, sizeof(mb), &b, &blen);

		if (ra != rb) {
			snprintf(what, sizeof(what), "%s: fast reader rc %d (%s), general rc %d (%s); "
			    "the input first", names[m], ra, ma, rb, mb);
			fail(what, in, size, a ? a : b, a ? alen : blen);
		}
		if (ra < 0 && strcmp(ma, mb)) {
			snprintf(what, sizeof(what), "%s: the fast reader and the general one fail "
			    "with other messages (fast first); input:", names[m]);
			fprintf(stderr, "--- input (%zu bytes):\n", size);
			fwrite(in, 1, size, stderr);
			fputc('\n', stderr);
			fail(what, ma, strlen(ma), mb, strlen(mb));
		}
		if (ra == 0 && (alen != blen || memcmp(a, b, alen))) {
			snprintf(what, sizeof(what), "%s: the fast reader and the general one read "
			    "other tickets (as written: fast first)", names[m]);
			fprintf(stderr, "--- input (%zu bytes):\n", size);
			fwrite(in, 1, size, stderr);
			fputc('\n', stderr);
			fail(what, a, alen, b, blen);
		}
		free(a);
		free(b);
	}
}

static void
same_fast_and_general(const char *in, size_t size)
{
	char *alone = malloc(size ? size : 1);
	size_t after;

	/* Alone in a buffer of its size, no NUL after it: ASan tells a read
	 * past the end. */
	if (!alone)
		return;
	memcpy(alone, in, size);
	same_fast_and_general_at(alone, size);
	free(alone);
	/* The input but its first byte, which says how many of its last
	 * bytes are left after the end: a file that ends in the middle of a
	 * buffer. */
	if (size < 2)
		return;
	after = (unsigned char)in[0];
	same_fast_and_general_at(in + 1, size - 1 > after ? size - 1 - after : 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy with a NUL after it, as a file read whole is. */
	char *in = malloc(size + 1);

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	sd_error_clear();
	parse_input(in, size);
	round_trip_text(in, size);
	same_both_ways(in, size);
	same_fast_and_general(in, size);
	free(in);
	return 0;
}
