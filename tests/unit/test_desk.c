/*
 * The desk's waiting rules (sd/desk.h): who owes a missing key of
 * [lifecycle] required, and the instant a pending-info ticket becomes
 * unmanaged, in wall-clock and business time, hand-computed.
 *
 * The calendar: America/Bogota (always -05:00), Mon-Fri 07:30-17:00,
 * holiday Tuesday 2026-12-08.  Friday 2026-12-04, Saturday 05, Monday 07,
 * Wednesday 09, Thursday 10, Friday 11, Monday 14.
 */
#include "unit.h"

/* A store's configuration with window info_window and keys required. */
static struct sd_config *
config(const char *info_window, const char *required)
{
	static char sd[1024];
	static const char *const names[4] = {
		"sd.ini", "sla.ini", "agents.ini", "escalation.ini"
	};
	const char *texts[4] = { sd, UNIT_SLA_INI, UNIT_AGENTS_INI, UNIT_ESCALATION_INI };
	struct sd_config *cfg = NULL;
	static const char *const days[5] = { "mon", "tue", "wed", "thu", "fri" };
	size_t n;

	n = (size_t)snprintf(sd, sizeof(sd), "[store]\nprefix = SD\ntimezone = America/Bogota\n"
	    "[calendar]\nholidays = 2026-12-08\n");
	for (int i = 0; i < 5; i++)
		n += (size_t)snprintf(sd + n, sizeof(sd) - n, "%s = 07:30-17:00\n", days[i]);
	snprintf(sd + n, sizeof(sd) - n, "[lifecycle]\ninfo_window = %s\nrequired = %s\n",
	    info_window, required);
	if (sd_config_parse(&cfg, texts, names) < 0)
		fail_msg("sd_config_parse: %s", sd_error_message());
	unit_zone("America/Bogota");
	return cfg;
}

/* A ticket in status, created at created, with the keys given. */
static struct sd_ticket *
ticket(const char *status, const char *created, const char *category, const char *email,
    const char *phone)
{
	struct sd_ticket *t = NULL;

	assert_ok(sd_ticket_new(&t));
	assert_ok(sd_ticket_set(t, SD_F_STATUS, status));
	assert_ok(sd_ticket_set(t, SD_F_CREATED, created));
	assert_ok(sd_ticket_set(t, SD_F_CATEGORY, category));
	assert_ok(sd_ticket_set(t, SD_F_REQUESTER_EMAIL, email));
	assert_ok(sd_ticket_set(t, SD_F_REQUESTER_PHONE, phone));
	return t;
}

/* When t, created at created, becomes unmanaged under window w. */
static const char *
unmanaged_at(const char *w, const char *created)
{
	struct sd_config *cfg = config(w, "category, requester_email");
	struct sd_ticket *t = ticket("pending-info", created, "", "", "");
	time_t at = 0;

	assert_ok(sd_desk_unmanaged_at(&at, cfg, t));
	sd_ticket_free(t);
	sd_config_free(cfg);
	return unit_fmt(at);
}

static void
wall_clock(void **state)
{
	(void)state;
	/* 24 h: the same time the next day, weekend or not. */
	assert_string_equal(unmanaged_at("24h", "2026-12-04T18:00:00-05:00"),
	    "2026-12-05T18:00:00-05:00");
	assert_string_equal(unmanaged_at("24h", "2026-12-07T09:15:00-05:00"),
	    "2026-12-08T09:15:00-05:00");
	assert_string_equal(unmanaged_at("90m", "2026-12-04T23:00:00-05:00"),
	    "2026-12-05T00:30:00-05:00");
	assert_string_equal(unmanaged_at("3d", "2026-12-04T18:00:00-05:00"),
	    "2026-12-07T18:00:00-05:00");
}

static void
business_days(void **state)
{
	(void)state;
	/* Friday 18:00, after hours: from Monday 07:30, Monday, (Tuesday a
	 * holiday) Wednesday, Thursday; used up at Thursday's close. */
	assert_string_equal(unmanaged_at("3bd", "2026-12-04T18:00:00-05:00"),
	    "2026-12-10T17:00:00-05:00");
	/* Friday 10:00, inside hours: Monday, Wednesday, Thursday at 10:00. */
	assert_string_equal(unmanaged_at("3bd", "2026-12-04T10:00:00-05:00"),
	    "2026-12-10T10:00:00-05:00");
	/* Wednesday 09 10:00: Thursday, Friday, Monday 14 at 10:00. */
	assert_string_equal(unmanaged_at("3bd", "2026-12-09T10:00:00-05:00"),
	    "2026-12-14T10:00:00-05:00");
	/* Saturday: as from Monday's opening; one day, used up Monday 17:00. */
	assert_string_equal(unmanaged_at("1bd", "2026-12-05T12:00:00-05:00"),
	    "2026-12-07T17:00:00-05:00");
}

static void
business_hours(void **state)
{
	(void)state;
	/* Friday 18:00 + 9bh: Monday 07:30 + 9 h = 16:30. */
	assert_string_equal(unmanaged_at("9bh", "2026-12-04T18:00:00-05:00"),
	    "2026-12-07T16:30:00-05:00");
	/* Monday 16:00 + 2bh: 1 h on Monday, the holiday skipped, 1 h on
	 * Wednesday from 07:30. */
	assert_string_equal(unmanaged_at("2bh", "2026-12-07T16:00:00-05:00"),
	    "2026-12-09T08:30:00-05:00");
	/* 24 business hours from Friday 17:00 (the close): Monday 9.5 h,
	 * Wednesday 9.5 h, Thursday 5 h -> 12:30. */
	assert_string_equal(unmanaged_at("24bh", "2026-12-04T17:00:00-05:00"),
	    "2026-12-10T12:30:00-05:00");
	/* Minutes: 30bm from Friday 16:45 -> 15 min Friday, 15 min Monday. */
	assert_string_equal(unmanaged_at("30bm", "2026-12-04T16:45:00-05:00"),
	    "2026-12-07T07:45:00-05:00");
}

static void
not_pending_or_bad(void **state)
{
	struct sd_config *cfg = config("24h", "category, requester_email");
	struct sd_ticket *t = ticket("new", "2026-12-04T18:00:00-05:00", "", "a@example.org", "");
	time_t at = 42;

	(void)state;
	assert_int_equal(sd_desk_unmanaged_at(&at, cfg, t), 1);
	assert_int_equal(at, 42);
	sd_ticket_free(t);
	t = ticket("pending-info", "", "", "", "");
	assert_true(sd_desk_unmanaged_at(&at, cfg, t) < 0);
	sd_ticket_free(t);
	/* Pending-info lacking only the category (as before the desk's keys
	 * stopped holding tickets): it waits on the desk, never unmanaged. */
	t = ticket("pending-info", "2026-12-04T18:00:00-05:00", "", "a@example.org", "");
	assert_int_equal(sd_desk_unmanaged_at(&at, cfg, t), 1);
	assert_int_equal(at, 42);
	sd_ticket_free(t);
	sd_config_free(cfg);
}

/* The finding of t under window w at now, warn percent: "due pct", or
 * "" when there is none. */
static const char *
soon(const char *w, const char *status, const char *created, const char *email,
    const char *now, int warn)
{
	static char buf[64];
	struct sd_config *cfg = config(w, "category, requester_email");
	struct sd_ticket *t = ticket(status, created, "", email, "");
	struct sd_sla_finding f;
	int rc;

	memset(&f, 0, sizeof(f));
	rc = sd_sla_unmanaged(&f, t, cfg, unit_time(now), warn);
	assert_true(rc == 0 || rc == 1);
	buf[0] = '\0';
	if (rc == 1) {
		assert_int_equal(f.clock, SD_CLOCK_UNMANAGED);
		assert_int_equal(f.state, SD_SLA_AT_RISK);
		assert_true(f.known);
		snprintf(buf, sizeof(buf), "%s %d", unit_fmt(f.due), f.pct);
	}
	sd_ticket_free(t);
	sd_config_free(cfg);
	return buf;
}

/* About to become unmanaged: from warn percent of the window used, as an
 * SLA clock at risk. */
static void
about_to_become_unmanaged(void **state)
{
	(void)state;
	/* 24 h from Monday 7 10:00: 80 % is 19.2 h, Tuesday 05:12. */
	assert_string_equal(soon("24h", "pending-info", "2026-12-07T10:00:00-05:00", "",
	    "2026-12-08T05:00:00-05:00", 80), "");
	assert_string_equal(soon("24h", "pending-info", "2026-12-07T10:00:00-05:00", "",
	    "2026-12-08T05:11:59-05:00", 80), "");
	assert_string_equal(soon("24h", "pending-info", "2026-12-07T10:00:00-05:00", "",
	    "2026-12-08T05:12:00-05:00", 80), "2026-12-08T10:00:00-05:00 80");
	assert_string_equal(soon("24h", "pending-info", "2026-12-07T10:00:00-05:00", "",
	    "2026-12-08T09:00:00-05:00", 80), "2026-12-08T10:00:00-05:00 95");
	/* --warn 50: from 12 h, Monday 22:00. */
	assert_string_equal(soon("24h", "pending-info", "2026-12-07T10:00:00-05:00", "",
	    "2026-12-07T21:59:00-05:00", 50), "");
	assert_string_equal(soon("24h", "pending-info", "2026-12-07T10:00:00-05:00", "",
	    "2026-12-07T22:00:00-05:00", 50), "2026-12-08T10:00:00-05:00 50");
	/* Past the instant, sd-close --auto not run yet: still at risk. */
	assert_string_equal(soon("24h", "pending-info", "2026-12-07T10:00:00-05:00", "",
	    "2026-12-08T16:00:00-05:00", 80), "2026-12-08T10:00:00-05:00 125");
	/* 3bd from Friday 4 18:00: Monday 7, Wednesday 9 (Tuesday a holiday),
	 * Thursday 10 to 17:00, 28.5 h; 80 % is 22.8 h: Thursday 11:18. */
	assert_string_equal(soon("3bd", "pending-info", "2026-12-04T18:00:00-05:00", "",
	    "2026-12-10T11:17:00-05:00", 80), "");
	assert_string_equal(soon("3bd", "pending-info", "2026-12-04T18:00:00-05:00", "",
	    "2026-12-10T11:18:00-05:00", 80), "2026-12-10T17:00:00-05:00 80");
	/* The holiday counts nothing: Tuesday 8 at 16:00 is 9.5 h, 33 %. */
	assert_string_equal(soon("3bd", "pending-info", "2026-12-04T18:00:00-05:00", "",
	    "2026-12-08T16:00:00-05:00", 30), "2026-12-10T17:00:00-05:00 33");
	/* Never by time: new, or pending-info owing the requester nothing. */
	assert_string_equal(soon("24h", "new", "2026-12-07T10:00:00-05:00", "",
	    "2026-12-09T09:00:00-05:00", 80), "");
	assert_string_equal(soon("24h", "pending-info", "2026-12-07T10:00:00-05:00",
	    "a@example.org", "2026-12-09T09:00:00-05:00", 80), "");
}

/* Who owes what is missing: the requester's keys alone are missing in
 * the pending-info sense; the desk's are unclassified. */
static void
who_owes(void **state)
{
	struct sd_config *cfg = config("24h",
	    "category, urgency, impact, requester_email, requester_phone");
	struct sd_ticket *t = ticket("new", "2026-12-04T18:00:00-05:00", "", "", "");
	const char *missing;

	(void)state;
	assert_int_equal(sd_desk_missing(t, cfg, &missing), 2);
	assert_string_equal(missing, "requester_email requester_phone");
	assert_int_equal(sd_desk_unclassified(t, cfg, &missing), 3);
	assert_string_equal(missing, "category urgency impact");
	sd_ticket_free(t);
	t = ticket("new", "2026-12-04T18:00:00-05:00", "", "a@example.org", "555 0101");
	assert_ok(sd_ticket_set(t, SD_F_URGENCY, "high"));
	assert_int_equal(sd_desk_missing(t, cfg, &missing), 0);
	assert_string_equal(missing, "");
	assert_int_equal(sd_desk_unclassified(t, cfg, &missing), 2);
	assert_string_equal(missing, "category impact");
	sd_ticket_free(t);
	sd_config_free(cfg);

	/* The default: category and requester_email. */
	cfg = config("24h", "category, requester_email");
	t = ticket("new", "2026-12-04T18:00:00-05:00", "", "a@example.org", "");
	assert_int_equal(sd_desk_missing(t, cfg, NULL), 0);
	assert_int_equal(sd_desk_unclassified(t, cfg, &missing), 1);
	assert_string_equal(missing, "category");
	sd_ticket_free(t);
	sd_config_free(cfg);

	assert_true(sd_desk_owed(SD_F_CATEGORY));
	assert_true(sd_desk_owed(SD_F_URGENCY));
	assert_true(sd_desk_owed(SD_F_IMPACT));
	assert_false(sd_desk_owed(SD_F_REQUESTER_EMAIL));
	assert_false(sd_desk_owed(SD_F_REQUESTER_PHONE));
	assert_false(sd_desk_owed(-1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wall_clock),
		cmocka_unit_test(about_to_become_unmanaged),
		cmocka_unit_test(business_days),
		cmocka_unit_test(business_hours),
		cmocka_unit_test(not_pending_or_bad),
		cmocka_unit_test(who_owes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
