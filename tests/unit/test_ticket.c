/*
 * Ticket files (sd/ticket.h, SPEC section 4): parsing and its errors,
 * each with its path:line, the checks of every field kind, texts and
 * events.
 */
#include "unit.h"
#include "internal.h"

/* A [ticket] section as sd writes it: line numbers in the comments. */
#define HEAD \
	"[ticket]\n"                                    /*  1 */ \
	"id = SD-42\n"                                  /*  2 */ \
	"type = incident\n"                             /*  3 */ \
	"status = new\n"                                /*  4 */ \
	"title = Printer on fire\n"                     /*  5 */ \
	"category = hardware\n"                         /*  6 */ \
	"channel = phone\n"                             /*  7 */ \
	"urgency = high\n"                              /*  8 */ \
	"impact = medium\n"                             /*  9 */ \
	"priority = 2\n"                                /* 10 */ \
	"level = 1\n"                                   /* 11 */ \
	"group = desk\n"                                /* 12 */ \
	"assignee =\n"                                  /* 13 */ \
	"requester = Juan Pérez\n"                      /* 14 */ \
	"requester_email = juan@example.org\n"          /* 15 */ \
	"requester_phone =\n"                           /* 16 */ \
	"created = 2026-11-23T10:00:00-05:00\n"         /* 17 */ \
	"updated = 2026-11-23T10:05:00-05:00\n"         /* 18 */ \
	"responded =\n"                                 /* 19 */ \
	"solved =\n"                                    /* 20 */ \
	"closed =\n"                                    /* 21 */ \
	"due_response = 2026-11-23T11:00:00-05:00\n"    /* 22 */ \
	"due_resolution = 2026-11-23T14:00:00-05:00\n"  /* 23 */ \
	"resolution =\n"                                /* 24 */ \
	"close_reason =\n"                              /* 25 */ \
	"rating =\n"                                    /* 26 */ \
	"escalations = 0\n"                             /* 27 */ \
	"reopened = 0\n"                                /* 28 */ \
	"contact_attempts = 0\n"                        /* 29 */ \
	"related = SD-7\n"                              /* 30 */ \
	"approvals =\n"                                 /* 31 */

#define EVENT1 \
	"\n[event 1]\n"                                 /* 32, 33 */ \
	"at = 2026-11-23T10:00:00-05:00\n"              /* 34 */ \
	"by = ana\n"                                    /* 35 */ \
	"action = new\n"                                /* 36 */

/* text with line lineno (from 1) replaced by repl ("" deletes it), in a
 * static buffer: nothing to free when an assertion jumps out. */
static char *
edit(const char *text, int lineno, const char *repl)
{
	static char out[8192];
	const char *p = text, *end;

	for (int i = 1; i < lineno; i++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	end = strchr(p, '\n');
	end = end ? end + 1 : p + strlen(p);
	assert_true(strlen(text) + strlen(repl) < sizeof(out));
	memmove(out, text, (size_t)(p - text));
	strcpy(out + (p - text), repl);
	strcat(out, end);
	return out;
}

/* data fails to parse as t.ini with exactly msg. */
static void
parse_fails_n(const char *data, size_t len, const char *msg)
{
	struct sd_ticket *t = (struct sd_ticket *)1;

	assert_fails(sd_ticket_parse(&t, data, len, "t.ini", 0), SD_EINVALID, msg);
	assert_null(t);
}

static void
parse_fails(const char *data, const char *msg)
{
	parse_fails_n(data, strlen(data), msg);
}

/* An edited text fails. */
static void
edited_fails(const char *data, const char *msg)
{
	parse_fails(data, msg);
}

static struct sd_ticket *
parse_ok(const char *data, int head_only)
{
	struct sd_ticket *t = NULL;

	if (sd_ticket_parse(&t, data, strlen(data), "t.ini", head_only) < 0)
		fail_msg("sd_ticket_parse: %s", sd_error_message());
	assert_non_null(t);
	return t;
}

/* A small configuration for the look-ups of sd_field_check. */
static struct sd_config *
small_config(void)
{
	static const char *const texts[4] = {
		"[store]\nprefix = SD\ntimezone = America/Bogota\n"
		"[calendar]\nmon = 07:30-17:00\n"
		"[lifecycle]\nchannels = phone, web\n",
		"[priority]\nhigh.high = 1\nhigh.medium = 2\nhigh.low = 3\n"
		"medium.high = 2\nmedium.medium = 3\nmedium.low = 4\n"
		"low.high = 3\nlow.medium = 4\nlow.low = 4\n"
		"[incident]\nresponse = 1bh\nresolution.1 = 4bh\nresolution.2 = 8bh\n"
		"resolution.3 = 3bd\nresolution.4 = 5bd\n"
		"[request]\nresponse = 2bh\nresolution.1 = 8bh\nresolution.2 = 2bd\n"
		"resolution.3 = 5bd\nresolution.4 = 10bd\n",
		"[group desk]\nlevel = 1\n[agent ana]\nname = Ana\ngroups = desk\n",
		"[hardware]\nlevel1 = desk\n",
	};
	static const char *const names[4] = {
		"sd.ini", "sla.ini", "agents.ini", "escalation.ini"
	};
	struct sd_config *cfg;

	if (sd_config_parse(&cfg, texts, names) < 0)
		fail_msg("sd_config_parse: %s", sd_error_message());
	return cfg;
}

/* --- parsing ------------------------------------------------------------ */

static const char full[] =
	HEAD
	"\n"
	"[description]\n"                               /* 33 */
	"text = The printer on floor 3\n"
	"text = \"  shows \\; error 0x1F\"\n"
	"text =\n"
	"text = Thanks\n"
	"\n"
	"[solution]\n"
	"text = Replaced the fuser.\n"
	"\n"
	"[event 1]\n"
	"at = 2026-11-23T10:00:00-05:00\n"
	"by = ana\n"
	"action = new\n"
	"\n"
	"[event 2]\n"
	"at = 2026-11-23T10:05:00-05:00\n"
	"by = ana\n"
	"action = note\n"
	"text = Called back.\n"
	"text = No answer.\n"
	"contact_attempt = yes\n";

static void
test_parse_full(void **state)
{
	struct sd_ticket *t = parse_ok(full, 0);
	char *out;
	size_t len;

	(void)state;
	assert_string_equal(sd_ticket_get(t, SD_F_ID), "SD-42");
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "Printer on fire");
	assert_string_equal(sd_ticket_get(t, SD_F_REQUESTER), "Juan Pérez");
	assert_string_equal(sd_ticket_get(t, SD_F_ASSIGNEE), "");
	assert_string_equal(sd_ticket_get(t, SD_F_RELATED), "SD-7");
	assert_int_equal(sd_ticket_number(t, SD_F_PRIORITY), 2);
	assert_int_equal(sd_ticket_number(t, SD_F_RATING), 0);
	assert_string_equal(sd_ticket_text(t, SD_TEXT_DESCRIPTION),
	    "The printer on floor 3\n  shows ; error 0x1F\n\nThanks");
	assert_string_equal(sd_ticket_text(t, SD_TEXT_SOLUTION), "Replaced the fuser.");
	assert_int_equal(sd_ticket_event_count(t), 2);
	assert_string_equal(sd_ticket_event_get(t, 0, "action"), "new");
	assert_null(sd_ticket_event_get(t, 0, "text"));
	assert_string_equal(sd_ticket_event_get(t, 1, "text"), "Called back.\nNo answer.");
	assert_string_equal(sd_ticket_event_get(t, 1, "contact_attempt"), "yes");
	/* The file is in sd's own form: formatting gives it back. */
	assert_ok(sd_ticket_format(&out, &len, t));
	assert_int_equal(len, strlen(full));
	assert_string_equal(out, full);
	free(out);
	sd_ticket_free(t);
}

/* key+ lines go on with a value; CRLF files read the same. */
static void
test_parse_forms(void **state)
{
	char *data = edit(HEAD, 5, "title = \"Printer \"\ntitle+ = on\ntitle+ = \" fire\"\n");
	struct sd_ticket *t = parse_ok(data, 0);
	struct sd_buf crlf = SD_BUF_INIT;

	(void)state;
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "Printer on fire");
	sd_ticket_free(t);

	for (const char *p = full; *p; p++) {
		if (*p == '\n')
			sd_buf__addc(&crlf, '\r');
		sd_buf__addc(&crlf, *p);
	}
	t = parse_ok(crlf.data, 0);
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "Printer on fire");
	assert_string_equal(sd_ticket_text(t, SD_TEXT_DESCRIPTION),
	    "The printer on floor 3\n  shows ; error 0x1F\n\nThanks");
	assert_string_equal(sd_ticket_event_get(t, 1, "text"), "Called back.\nNo answer.");
	sd_ticket_free(t);
	sd_buf__free(&crlf);

	/* Comments and blank lines a person may add are ignored. */
	data = edit(HEAD, 5, "; a comment\n# another\n\ntitle = Printer on fire\n");
	t = parse_ok(data, 0);
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "Printer on fire");
	sd_ticket_free(t);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_fails(HEAD "\n[bogus]\n", "t.ini:33: unknown section [bogus]");
	edited_fails(edit(HEAD, 5, "titel = Printer on fire\n"), "t.ini:5: unknown key 'titel'");
	parse_fails(HEAD "\n[description]\nnote = x\n", "t.ini:34: unknown key 'note'");
	edited_fails(edit(HEAD, 6, "title = again\ncategory = hardware\n"),
	    "t.ini:6: duplicate key 'title'");
	parse_fails(HEAD EVENT1 "by = luis\n", "t.ini:37: duplicate key 'by'");
	edited_fails(edit(HEAD, 7, "title+ = more\nchannel = phone\n"),
	    "t.ini:7: 'title+' does not follow a 'title' line");
	parse_fails(HEAD "\n[description]\ntext+ = x\n",
	    "t.ini:34: 'text+' does not follow a 'text' line");
	parse_fails(HEAD "\n[event 2]\nat = 2026-11-23T10:00:00-05:00\n",
	    "t.ini:33: [event 2] should be [event 1]");
	parse_fails(HEAD EVENT1 "\n[event 3]\n", "t.ini:38: [event 3] should be [event 2]");
	parse_fails(HEAD "\n[event x]\n", "t.ini:33: [event x] should be [event 1]");
	edited_fails(edit(HEAD, 31, ""), "t.ini: [ticket] has no 'approvals'");
	edited_fails(edit(HEAD, 2, ""), "t.ini: [ticket] has no 'id'");
	parse_fails("foo = 1\n" HEAD, "t.ini:1: key outside any [section]");
	parse_fails("[description]\ntext = x\n" HEAD, "t.ini:1: [description] before [ticket]");
	parse_fails(HEAD "\n[ticket]\n", "t.ini:33: duplicate section [ticket]");
	parse_fails(HEAD EVENT1 "\n[description]\ntext = x\n",
	    "t.ini:38: [description] out of place");
	parse_fails(HEAD "\n[solution]\ntext = a\n\n[solution]\n",
	    "t.ini:36: [solution] out of place");
	parse_fails(HEAD "this is not ini\n", "t.ini:32: not a [section] or key = value line");
	edited_fails(edit(HEAD, 5, "title = \"Printer on fire\n"),
	    "t.ini:5: quoted value has no closing quote");
	edited_fails(edit(HEAD, 14, "requester = \"a\\qb\"\n"),
	    "t.ini:14: unknown escape \\q in quoted value");
	parse_fails("", "t.ini: no [ticket] section");
}

/* inih reads 197 bytes of a line and no more: longer lines are errors,
 * never two lines. */
static void
test_parse_long_lines(void **state)
{
	char line[400], *data;
	struct sd_ticket *t;

	(void)state;
	/* "title = " is 8 bytes: 8 + 189 = 197, the longest line. */
	snprintf(line, sizeof(line), "title = %0189d\n", 0);
	memset(line + 8, 'a', 189);
	data = edit(HEAD, 5, line);
	t = parse_ok(data, 0);
	assert_int_equal(strlen(sd_ticket_get(t, SD_F_TITLE)), 189);
	sd_ticket_free(t);
	/* The same with CRLF. */
	strcpy(line + 197, "\r\n");
	data = edit(HEAD, 5, line);
	t = parse_ok(data, 0);
	assert_int_equal(strlen(sd_ticket_get(t, SD_F_TITLE)), 189);
	sd_ticket_free(t);
	/* 198 bytes. */
	strcpy(line + 197, "a\n");
	edited_fails(edit(HEAD, 5, line), "t.ini:5: line longer than 197 bytes");
	/* 198 bytes as the last line, without its newline. */
	line[198] = '\0';
	{
		char *d = malloc(strlen(HEAD) + 200);
		strcpy(d, HEAD);
		strcat(d, line);
		parse_fails(d, "t.ini:32: line longer than 197 bytes");
		free(d);
	}
	/* 300 bytes: one error, at its line, never a second line. */
	memset(line + 8, 'a', 292);
	strcpy(line + 300, "\n");
	edited_fails(edit(HEAD, 14, line), "t.ini:14: line longer than 197 bytes");
}

static void
test_parse_nul(void **state)
{
	char data[sizeof(HEAD)];
	char *p;

	(void)state;
	memcpy(data, HEAD, sizeof(HEAD));
	p = strstr(data, "Juan");
	p[2] = '\0';                                    /* line 14 */
	parse_fails_n(data, sizeof(HEAD) - 1, "t.ini:14: NUL byte");
}

/* Invalid UTF-8 in a value is refused at the value's line. */
static void
test_parse_bad_utf8(void **state)
{
	(void)state;
	edited_fails(edit(HEAD, 5, "title = caf\xc3\n"),
	    "t.ini:5: 'title' is not valid UTF-8 or holds a NUL");
	edited_fails(edit(HEAD, 14, "requester = \"\\xff\"\n"),
	    "t.ini:14: 'requester' is not valid UTF-8 or holds a NUL");
	/* The last value of the file, and a text's line. */
	edited_fails(edit(HEAD, 31, "approvals = \xff\n"),
	    "t.ini:31: 'approvals' is not valid UTF-8 or holds a NUL");
	parse_fails(HEAD "\n[description]\ntext = ok\ntext = \xc0\xaf\ntext = ok\n",
	    "t.ini:35: 'text' is not valid UTF-8 or holds a NUL");
}

/* head_only stops after [ticket]: what follows is not even read. */
static void
test_parse_head_only(void **state)
{
	struct sd_ticket *t;
	char *data;

	(void)state;
	t = parse_ok(full, 1);
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "Printer on fire");
	assert_string_equal(sd_ticket_text(t, SD_TEXT_DESCRIPTION), "");
	assert_int_equal(sd_ticket_event_count(t), 0);
	sd_ticket_free(t);
	t = parse_ok(HEAD "\n[bogus]\nnot ini at all\n[event 9]\n", 1);
	assert_string_equal(sd_ticket_get(t, SD_F_ID), "SD-42");
	sd_ticket_free(t);
	/* Errors in [ticket] are still errors. */
	data = edit(HEAD, 5, "titel = x\n");
	t = (struct sd_ticket *)1;
	assert_fails(sd_ticket_parse(&t, data, strlen(data), "t.ini", 1), SD_EINVALID,
	    "t.ini:5: unknown key 'titel'");
	assert_null(t);
}

/* SD_PARSE_CLOCK reads the event keys the clocks need, each with the
 * key+ lines that continue it (found by fuzzing: it dropped them). */
static void
test_parse_clock_continued(void **state)
{
	static const char events[] =
	    "\n[event 1]\nat = 2026-11-20T09:06:00-05:00\nby = ana\n"
	    "action = new\nto = ne\nto+ = w\ntext = \"x\"\n";
	struct sd_ticket *full_t, *clock_t;
	char *data = malloc(strlen(HEAD) + sizeof(events));

	(void)state;
	assert_non_null(data);
	strcpy(data, HEAD);
	strcat(data, events);
	assert_ok(sd_ticket_parse(&full_t, data, strlen(data), "t.ini", SD_PARSE_FULL));
	assert_ok(sd_ticket_parse(&clock_t, data, strlen(data), "t.ini", SD_PARSE_CLOCK));
	assert_int_equal(sd_ticket_event_count(clock_t), 1);
	assert_string_equal(sd_ticket_event_get(clock_t, 0, "to"),
	    sd_ticket_event_get(full_t, 0, "to"));
	assert_true(strlen(sd_ticket_event_get(full_t, 0, "to")) > 2);
	assert_null(sd_ticket_event_get(clock_t, 0, "text"));
	sd_ticket_free(full_t);
	sd_ticket_free(clock_t);
	free(data);
}

/* --- field checks --------------------------------------------------- */

#define good(cfg, f, v) do { \
	if (sd_field_check((cfg), (f), (v)) != 0) \
		fail_msg("%s = '%s' refused: %s", sd_field_name(f), (v), sd_error_message()); \
} while (0)
#define bad(cfg, f, v, msg) assert_fails(sd_field_check((cfg), (f), (v)), SD_EINVALID, (msg))

static void
test_field_email_phone(void **state)
{
	(void)state;
	good(NULL, SD_F_REQUESTER_EMAIL, "juan@example.org");
	good(NULL, SD_F_REQUESTER_EMAIL, "j.perez+sd@mail.example.co");
	good(NULL, SD_F_REQUESTER_EMAIL, "");
	bad(NULL, SD_F_REQUESTER_EMAIL, "juan", "'juan' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "@example.org", "'@example.org' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "juan@", "'juan@' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "juan@example", "'juan@example' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "juan@@example.org",
	    "'juan@@example.org' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "juan@.org", "'juan@.org' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "juan@example.org.",
	    "'juan@example.org.' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "juan perez@example.org",
	    "'juan perez@example.org' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "<juan@example.org>",
	    "'<juan@example.org>' is not an email address");
	bad(NULL, SD_F_REQUESTER_EMAIL, "a@b.c,d@e.f", "'a@b.c,d@e.f' is not an email address");

	good(NULL, SD_F_REQUESTER_PHONE, "+57 (601) 555-1234");
	good(NULL, SD_F_REQUESTER_PHONE, "555.1234 x12");
	good(NULL, SD_F_REQUESTER_PHONE, "123");                 /* 3 digits */
	good(NULL, SD_F_REQUESTER_PHONE, "12345678901234567890"); /* 20 */
	good(NULL, SD_F_REQUESTER_PHONE, "");
	bad(NULL, SD_F_REQUESTER_PHONE, "12", "'12' is not a phone number");
	bad(NULL, SD_F_REQUESTER_PHONE, "123456789012345678901",
	    "'123456789012345678901' is not a phone number");
	bad(NULL, SD_F_REQUESTER_PHONE, "555-CALL", "'555-CALL' is not a phone number");
	bad(NULL, SD_F_REQUESTER_PHONE, "555;1234", "'555;1234' is not a phone number");
}

static void
test_field_times(void **state)
{
	static const enum sd_field times[] = {
		SD_F_CREATED, SD_F_UPDATED, SD_F_RESPONDED, SD_F_SOLVED, SD_F_CLOSED,
		SD_F_DUE_RESPONSE, SD_F_DUE_RESOLUTION
	};

	(void)state;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		good(NULL, times[i], "2026-11-23T10:00:00-05:00");
		good(NULL, times[i], "2026-11-23T15:00:00Z");
		assert_int_equal(sd_field_check(NULL, times[i], "2026-11-23"), SD_EINVALID);
		assert_int_equal(sd_field_check(NULL, times[i], "2026-11-23T10:00:00"), SD_EINVALID);
	}
	bad(NULL, SD_F_CREATED, "2026-11-23", "created: '2026-11-23' is not an RFC 3339 time");
	bad(NULL, SD_F_SOLVED, "yesterday", "solved: 'yesterday' is not an RFC 3339 time");
	bad(NULL, SD_F_DUE_RESPONSE, "2026-02-30T10:00:00Z",
	    "due_response: '2026-02-30T10:00:00Z' is not an RFC 3339 time");
	/* created is required; the others are empty until they happen. */
	bad(NULL, SD_F_CREATED, "", "created must not be empty");
	good(NULL, SD_F_SOLVED, "");
	good(NULL, SD_F_DUE_RESOLUTION, "");
}

static void
test_field_numbers(void **state)
{
	(void)state;
	for (const char *const *p = (const char *const[]){ "1", "2", "3", "4", NULL }; *p; p++)
		good(NULL, SD_F_PRIORITY, *p);
	bad(NULL, SD_F_PRIORITY, "0", "priority must be 1 to 4, not '0'");
	bad(NULL, SD_F_PRIORITY, "5", "priority must be 1 to 4, not '5'");
	bad(NULL, SD_F_PRIORITY, "01", "priority must be 1 to 4, not '01'");
	bad(NULL, SD_F_PRIORITY, "1.0", "priority must be 1 to 4, not '1.0'");
	bad(NULL, SD_F_PRIORITY, "-1", "priority must be 1 to 4, not '-1'");
	bad(NULL, SD_F_PRIORITY, " 1", "priority must be 1 to 4, not ' 1'");
	bad(NULL, SD_F_PRIORITY, "", "priority must not be empty");

	good(NULL, SD_F_LEVEL, "1");
	good(NULL, SD_F_LEVEL, "3");
	bad(NULL, SD_F_LEVEL, "4", "level must be 1 to 3, not '4'");
	bad(NULL, SD_F_LEVEL, "0", "level must be 1 to 3, not '0'");
	bad(NULL, SD_F_LEVEL, "", "level must not be empty");

	good(NULL, SD_F_RATING, "1");
	good(NULL, SD_F_RATING, "5");
	good(NULL, SD_F_RATING, "");                    /* none given */
	bad(NULL, SD_F_RATING, "6", "rating must be 1 to 5, not '6'");
	bad(NULL, SD_F_RATING, "0", "rating must be 1 to 5, not '0'");
	bad(NULL, SD_F_RATING, "4.5", "rating must be 1 to 5, not '4.5'");

	good(NULL, SD_F_ESCALATIONS, "0");
	good(NULL, SD_F_REOPENED, "999999");
	good(NULL, SD_F_CONTACT_ATTEMPTS, "12");
	bad(NULL, SD_F_ESCALATIONS, "1000000", "escalations must be a whole number, not '1000000'");
	bad(NULL, SD_F_REOPENED, "-1", "reopened must be a whole number, not '-1'");
	bad(NULL, SD_F_CONTACT_ATTEMPTS, "01", "contact_attempts must be a whole number, not '01'");
	bad(NULL, SD_F_CONTACT_ATTEMPTS, "two", "contact_attempts must be a whole number, not 'two'");
	bad(NULL, SD_F_ESCALATIONS, "", "escalations must not be empty");
}

static void
test_field_words(void **state)
{
	struct sd_config *cfg = small_config();

	(void)state;
	for (const char *const *s = sd_statuses; *s; s++)
		good(NULL, SD_F_STATUS, *s);
	bad(NULL, SD_F_STATUS, "open", "'open' is not a status");
	bad(NULL, SD_F_STATUS, "New", "'New' is not a status");
	bad(NULL, SD_F_STATUS, "", "status must not be empty");

	good(NULL, SD_F_TYPE, "incident");
	good(NULL, SD_F_TYPE, "request");
	bad(NULL, SD_F_TYPE, "problem", "type must be incident or request, not 'problem'");

	good(NULL, SD_F_URGENCY, "high");
	good(NULL, SD_F_IMPACT, "low");
	bad(NULL, SD_F_URGENCY, "HIGH", "urgency must be high, medium or low, not 'HIGH'");
	bad(NULL, SD_F_IMPACT, "critical", "impact must be high, medium or low, not 'critical'");

	good(NULL, SD_F_RESOLUTION, "solved");
	good(NULL, SD_F_RESOLUTION, "workaround");
	good(NULL, SD_F_RESOLUTION, "unsolvable");
	good(NULL, SD_F_RESOLUTION, "");
	bad(NULL, SD_F_RESOLUTION, "fixed",
	    "resolution must be solved, workaround or unsolvable, not 'fixed'");

	/* Look-ups in the configuration. */
	good(cfg, SD_F_ID, "SD-42");
	bad(cfg, SD_F_ID, "42", "id '42' is not a ticket id");
	bad(cfg, SD_F_ID, "sd-42", "id 'sd-42' is not a ticket id");
	bad(cfg, SD_F_ID, "SD-042", "id 'SD-042' is not a ticket id");
	good(cfg, SD_F_CATEGORY, "hardware");
	bad(cfg, SD_F_CATEGORY, "software", "unknown category 'software'");
	good(cfg, SD_F_CHANNEL, "web");
	bad(cfg, SD_F_CHANNEL, "email", "unknown channel 'email'");
	good(cfg, SD_F_GROUP, "desk");
	bad(cfg, SD_F_GROUP, "apps", "unknown group 'apps'");
	good(cfg, SD_F_ASSIGNEE, "ana");
	good(cfg, SD_F_ASSIGNEE, "");
	bad(cfg, SD_F_ASSIGNEE, "luis", "unknown agent 'luis'");
	/* Without a configuration, names are not looked up. */
	good(NULL, SD_F_CATEGORY, "anything/at-all");
	good(NULL, SD_F_ASSIGNEE, "luis");
	sd_config_free(cfg);
}

static void
test_field_text_and_lists(void **state)
{
	struct sd_config *cfg = small_config();
	char title[1002];

	(void)state;
	memset(title, 'a', 1001);
	title[1001] = '\0';
	bad(NULL, SD_F_TITLE, title, "title is longer than 1000 bytes");
	title[1000] = '\0';
	good(NULL, SD_F_TITLE, title);
	good(NULL, SD_F_TITLE, "[x] k = v ; # \"q\" \\");
	bad(NULL, SD_F_TITLE, "two\nlines", "title has a control character");
	bad(NULL, SD_F_TITLE, "tab\there", "title has a control character");
	bad(NULL, SD_F_TITLE, "del\x7f", "title has a control character");
	bad(NULL, SD_F_TITLE, "caf\xc3", "title is not valid UTF-8");
	bad(NULL, SD_F_TITLE, "", "title must not be empty");
	bad(NULL, SD_F_REQUESTER, "a\rb", "requester has a control character");
	bad(NULL, SD_F_CLOSE_REASON, "\x1b[1m", "close_reason has a control character");

	good(cfg, SD_F_RELATED, "SD-1");
	good(cfg, SD_F_RELATED, "SD-1 SD-22 SD-333");
	good(cfg, SD_F_RELATED, "");
	bad(cfg, SD_F_RELATED, "SD-1  SD-2",
	    "related must be ticket ids separated by one space, not 'SD-1  SD-2'");
	bad(cfg, SD_F_RELATED, "SD-1 ",
	    "related must be ticket ids separated by one space, not 'SD-1 '");
	bad(cfg, SD_F_RELATED, " SD-1",
	    "related must be ticket ids separated by one space, not ' SD-1'");
	bad(cfg, SD_F_RELATED, "SD-1,SD-2",
	    "related must be ticket ids separated by one space, not 'SD-1,SD-2'");
	bad(cfg, SD_F_RELATED, "42", "related must be ticket ids separated by one space, not '42'");
	bad(cfg, SD_F_RELATED, "SD-0", "related must be ticket ids separated by one space, not 'SD-0'");

	good(NULL, SD_F_APPROVALS, "boss");
	good(NULL, SD_F_APPROVALS, "boss risk");
	bad(NULL, SD_F_APPROVALS, "boss  risk",
	    "approvals must be roles separated by one space, not 'boss  risk'");
	bad(NULL, SD_F_APPROVALS, "boss ",
	    "approvals must be roles separated by one space, not 'boss '");
	sd_config_free(cfg);
}

/* With no configuration there is no look-up: an id-shaped `related` is
 * as good as an id-shaped `id`. */
static void
test_field_related_no_config(void **state)
{
	(void)state;
	good(NULL, SD_F_ID, "SD-42");
	good(NULL, SD_F_RELATED, "SD-1 SD-22");
}

static void
test_text_check(void **state)
{
	size_t big = 1024 * 1024;
	char *s = malloc(big + 2);

	(void)state;
	assert_ok(sd_text_check("", 0));
	assert_ok(sd_text_check("Ñandú € 😀 \t\r\n\x01", strlen("Ñandú € 😀 \t\r\n\x01")));
	assert_fails(sd_text_check("a\0b", 3), SD_EINVALID,
	    "text is not valid UTF-8 or holds a NUL");
	assert_fails(sd_text_check("\xff", 1), SD_EINVALID, "text is not valid UTF-8 or holds a NUL");
	assert_int_equal(sd_text_check("\xc0\xaf", 2), SD_EINVALID);      /* overlong / */
	assert_int_equal(sd_text_check("\xe0\x80\xaf", 3), SD_EINVALID);  /* overlong / */
	assert_int_equal(sd_text_check("\xed\xa0\x80", 3), SD_EINVALID);  /* surrogate */
	assert_int_equal(sd_text_check("\xf4\x90\x80\x80", 4), SD_EINVALID); /* > U+10FFFF */
	assert_int_equal(sd_text_check("\xe2\x82", 2), SD_EINVALID);      /* cut short */
	assert_int_equal(sd_text_check("\x80", 1), SD_EINVALID);          /* stray */
	assert_ok(sd_text_check("\xf4\x8f\xbf\xbf", 4));                  /* U+10FFFF */
	memset(s, 'a', big + 1);
	s[big + 1] = '\0';
	assert_ok(sd_text_check(s, big));
	assert_fails(sd_text_check(s, big + 1), SD_EINVALID, "text is longer than 1048576 bytes");
	free(s);
}

/* --- tickets in memory ------------------------------------------------ */

static void
test_fields_api(void **state)
{
	struct sd_ticket *t;

	(void)state;
	assert_int_equal(sd_field_lookup("id"), SD_F_ID);
	assert_int_equal(sd_field_lookup("contact_attempts"), SD_F_CONTACT_ATTEMPTS);
	assert_int_equal(sd_field_lookup("approvals"), SD_F_APPROVALS);
	assert_int_equal(sd_field_lookup("Title"), -1);
	assert_int_equal(sd_field_lookup(""), -1);
	assert_string_equal(sd_field_name(SD_F_DUE_RESOLUTION), "due_resolution");
	assert_int_equal(sd_field_kind(SD_F_TITLE), SD_K_TEXT);
	assert_int_equal(sd_field_kind(SD_F_STATUS), SD_K_WORD);
	assert_int_equal(sd_field_kind(SD_F_RATING), SD_K_NUMBER);
	assert_int_equal(sd_field_kind(SD_F_SOLVED), SD_K_TIME);
	assert_int_equal(sd_field_kind(SD_F_RELATED), SD_K_LIST);
	assert_true(sd_status_open("new") && sd_status_open("reopened") &&
	    sd_status_open("suspended") && sd_status_open("pending-info"));
	assert_false(sd_status_open("solved") || sd_status_open("closed") ||
	    sd_status_open("rejected") || sd_status_open("unmanaged"));
	assert_true(sd_status_final("closed") && sd_status_final("rejected") &&
	    sd_status_final("unmanaged"));
	assert_false(sd_status_final("solved") || sd_status_final("new"));
	assert_int_equal(sd_level_word("high"), 0);
	assert_int_equal(sd_level_word("medium"), 1);
	assert_int_equal(sd_level_word("low"), 2);
	assert_int_equal(sd_level_word("urgent"), -1);

	assert_ok(sd_ticket_new(&t));
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "");
	assert_ok(sd_ticket_set(t, SD_F_TITLE, "x"));
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "x");
	assert_ok(sd_ticket_set(t, SD_F_TITLE, ""));
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "");
	assert_ok(sd_ticket_set(t, SD_F_TITLE, NULL));
	assert_string_equal(sd_ticket_get(t, SD_F_TITLE), "");
	assert_ok(sd_ticket_set_number(t, SD_F_ESCALATIONS, 12));
	assert_string_equal(sd_ticket_get(t, SD_F_ESCALATIONS), "12");
	assert_int_equal(sd_ticket_number(t, SD_F_ESCALATIONS), 12);
	assert_int_equal(sd_ticket_number(t, SD_F_REOPENED), 0);
	assert_ok(sd_ticket_set_text(t, SD_TEXT_SOLUTION, "done\n"));
	assert_string_equal(sd_ticket_text(t, SD_TEXT_SOLUTION), "done\n");
	assert_string_equal(sd_ticket_text(t, SD_TEXT_DESCRIPTION), "");
	sd_ticket_free(t);
	sd_ticket_free(NULL);
}

static void
test_events(void **state)
{
	struct sd_ticket *t, *u;
	size_t ix, len;
	char *out;

	(void)state;
	assert_ok(sd_ticket_new(&t));
	assert_int_equal(sd_ticket_event_count(t), 0);
	assert_ok(sd_ticket_event_add(t, &ix, "2026-11-23T10:00:00-05:00", "ana", "new"));
	assert_int_equal(ix, 0);
	assert_ok(sd_ticket_event_add(t, &ix, "2026-11-23T11:00:00-05:00", "luis", "escalate"));
	assert_int_equal(ix, 1);
	assert_int_equal(sd_ticket_event_count(t), 2);
	assert_ok(sd_ticket_event_set(t, 1, "from", "desk"));
	assert_ok(sd_ticket_event_set(t, 1, "to", "apps"));
	assert_ok(sd_ticket_event_set(t, 1, "text", "Needs a specialist.\n"));
	assert_ok(sd_ticket_event_set(t, 1, "from", "desk-2"));   /* replaces, in place */
	assert_int_equal(sd_ticket_event_keys(t, 0), 3);
	assert_int_equal(sd_ticket_event_keys(t, 1), 6);
	assert_string_equal(sd_ticket_event_key(t, 1, 0), "at");
	assert_string_equal(sd_ticket_event_key(t, 1, 1), "by");
	assert_string_equal(sd_ticket_event_key(t, 1, 2), "action");
	assert_string_equal(sd_ticket_event_key(t, 1, 3), "from");
	assert_string_equal(sd_ticket_event_key(t, 1, 4), "to");
	assert_string_equal(sd_ticket_event_key(t, 1, 5), "text");
	assert_string_equal(sd_ticket_event_value(t, 1, 3), "desk-2");
	assert_string_equal(sd_ticket_event_get(t, 1, "by"), "luis");
	assert_string_equal(sd_ticket_event_get(t, 0, "action"), "new");
	assert_null(sd_ticket_event_get(t, 0, "from"));

	/* Through the file, order and values kept. */
	assert_ok(sd_ticket_format(&out, &len, t));
	assert_non_null(strstr(out, "\n[event 1]\nat = 2026-11-23T10:00:00-05:00\nby = ana\n"
	    "action = new\n\n[event 2]\nat = 2026-11-23T11:00:00-05:00\nby = luis\n"
	    "action = escalate\nfrom = desk-2\nto = apps\ntext = Needs a specialist.\ntext =\n"));
	assert_ok(sd_ticket_parse(&u, out, len, "t.ini", 0));
	assert_int_equal(sd_ticket_event_count(u), 2);
	assert_int_equal(sd_ticket_event_keys(u, 1), 6);
	for (size_t k = 0; k < 6; k++) {
		assert_string_equal(sd_ticket_event_key(u, 1, k), sd_ticket_event_key(t, 1, k));
		assert_string_equal(sd_ticket_event_value(u, 1, k), sd_ticket_event_value(t, 1, k));
	}
	free(out);
	sd_ticket_free(u);
	sd_ticket_free(t);
}

static void
test_ticket_check(void **state)
{
	struct sd_config *cfg = small_config();
	struct sd_ticket *t = parse_ok(full, 0);
	size_t ix;

	(void)state;
	assert_ok(sd_ticket_check(t, cfg));
	assert_ok(sd_ticket_set(t, SD_F_CHANNEL, "fax"));
	assert_fails(sd_ticket_check(t, cfg), SD_EINVALID, "unknown channel 'fax'");
	assert_ok(sd_ticket_set(t, SD_F_CHANNEL, "phone"));
	assert_ok(sd_ticket_event_add(t, &ix, "2026-11-23", "ana", "note"));
	assert_fails(sd_ticket_check(t, cfg), SD_EINVALID, "[event 3] has no valid 'at' time");
	assert_ok(sd_ticket_event_set(t, ix, "at", "2026-11-23T12:00:00-05:00"));
	assert_ok(sd_ticket_event_set(t, ix, "by", ""));
	assert_fails(sd_ticket_check(t, cfg), SD_EINVALID, "[event 3] has no 'by'");
	assert_ok(sd_ticket_event_set(t, ix, "by", "ana"));
	assert_ok(sd_ticket_event_set(t, ix, "action", ""));
	assert_fails(sd_ticket_check(t, cfg), SD_EINVALID, "[event 3] has no 'action'");
	sd_ticket_free(t);
	sd_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_long_lines),
		cmocka_unit_test(test_parse_nul),
		cmocka_unit_test(test_parse_bad_utf8),
		cmocka_unit_test(test_parse_head_only),
		cmocka_unit_test(test_parse_clock_continued),
		cmocka_unit_test(test_field_email_phone),
		cmocka_unit_test(test_field_times),
		cmocka_unit_test(test_field_numbers),
		cmocka_unit_test(test_field_words),
		cmocka_unit_test(test_field_text_and_lists),
		cmocka_unit_test(test_field_related_no_config),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_fields_api),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_ticket_check),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
