/*
 * SLA clocks across named calendars and configured stops (sd-config(5),
 * "Clocks and calendars"): due dates and time used, hand-computed in the
 * manner of Business::Hours, for a desk and a 24x7 provider, a ticket
 * that changes group, a clock paused for approvals, edge minutes, a
 * holiday and a daylight-saving change; and the configuration's errors.
 *
 * The days used (America/Bogota, -05:00 all year): Mon 2026-11-23 to
 * Sun 29; Fri 2026-12-04, Mon 07, Tue 08 (the desk's holiday), Wed 09.
 * Europe/Madrid goes from +02:00 to +01:00 at 03:00 on Sun 2026-10-25.
 */
#include "unit.h"

#define H 3600LL

static const char *const names[4] = { "sd.ini", "sla.ini", "agents.ini", "escalation.ini" };

/* The desk: Mon-Fri 08:00-17:00 in Bogota, 2026-12-08 off; a provider
 * open round the clock; a team in Madrid, 08:00-20:00 every day. */
#define SD_INI(lifecycle) \
	"[store]\ntimezone = America/Bogota\n" \
	"[calendar]\nmon = 08:00-17:00\ntue = 08:00-17:00\nwed = 08:00-17:00\n" \
	"thu = 08:00-17:00\nfri = 08:00-17:00\nholidays = 2026-12-08\n" \
	"[calendar provider]\nmon = 00:00-24:00\ntue = 00:00-24:00\nwed = 00:00-24:00\n" \
	"thu = 00:00-24:00\nfri = 00:00-24:00\nsat = 00:00-24:00\nsun = 00:00-24:00\n" \
	"[calendar madrid]\nzone = Europe/Madrid\nmon = 08:00-20:00\ntue = 08:00-20:00\n" \
	"wed = 08:00-20:00\nthu = 08:00-20:00\nfri = 08:00-20:00\nsat = 08:00-20:00\n" \
	"sun = 08:00-20:00\n" \
	"[lifecycle]\n" lifecycle

#define SLA_INI \
	"[priority]\nhigh.high = 1\nhigh.medium = 2\nhigh.low = 3\nmedium.high = 2\n" \
	"medium.medium = 3\nmedium.low = 4\nlow.high = 3\nlow.medium = 4\nlow.low = 4\n" \
	"[incident]\nresponse = 1bh\nresolution.1 = 4bh\nresolution.2 = 8bh\n" \
	"resolution.3 = 3bd\nresolution.4 = 5bd\ncalendar.1 = provider\n" \
	"[request]\nresponse = 2bh\nresolution.1 = 8bh\nresolution.2 = 2bd\n" \
	"resolution.3 = 5bd\nresolution.4 = 10bd\n"

#define AGENTS_INI \
	"[group desk]\nlevel = 1\n" \
	"[group vendor]\nlevel = 2\nprovider = yes\ncalendar = provider\n" \
	"[group spain]\nlevel = 3\ncalendar = madrid\n" \
	"[agent ana]\nemail = ana@example.org\ngroups = desk\n"

#define ESCALATION_INI "[network]\nlevel1 = desk\nlevel2 = vendor\nlevel3 = spain\n"

static struct sd_config *
config(const char *lifecycle_sd)
{
	const char *texts[4] = { lifecycle_sd, SLA_INI, AGENTS_INI, ESCALATION_INI };
	struct sd_config *cfg;

	assert_ok(sd_config_parse(&cfg, texts, names));
	return cfg;
}

/* A ticket of type and priority created at `created`, in status and
 * group now, its first event `to` status, and more events after. */
static struct sd_ticket *
ticket(const char *type, int prio, const char *created, const char *status,
    const char *group, const char *events)
{
	char text[4096];
	struct sd_ticket *t;

	snprintf(text, sizeof(text),
	    "[ticket]\nid = SD-1\ntype = %s\nstatus = %s\ntitle = VPN drops\n"
	    "category = network\nchannel = phone\nurgency = medium\nimpact = medium\n"
	    "priority = %d\nlevel = 1\ngroup = %s\nassignee =\nrequester = Jorge\n"
	    "requester_email = j@example.org\nrequester_phone =\n"
	    "created = %s\nupdated = %s\nresponded =\nsolved =\nclosed =\n"
	    "due_response =\ndue_resolution =\nresolution =\nclose_reason =\nrating =\n"
	    "escalations = 0\nreopened = 0\ncontact_attempts = 0\nrelated =\napprovals =\n\n"
	    "[event 1]\nat = %s\nby = ana\naction = new\nto = %s\n%s",
	    type, status, prio, group, created, created, created, status, events);
	if (sd_ticket_parse(&t, text, strlen(text), "SD-1", SD_PARSE_FULL) < 0)
		fail_msg("ticket: %s", sd_error_message());
	return t;
}

static void
due_is(struct sd_ticket *t, const struct sd_config *cfg, const char *response,
    const char *resolution)
{
	assert_ok(sd_sla_update(t, cfg));
	assert_string_equal(sd_ticket_get(t, SD_F_DUE_RESPONSE), response);
	assert_string_equal(sd_ticket_get(t, SD_F_DUE_RESOLUTION), resolution);
}

static void
used_is(struct sd_ticket *t, const struct sd_config *cfg, enum sd_clock clock,
    const char *now, long long target, long long used)
{
	struct sd_sla_clock c;

	assert_ok(sd_sla_clock(&c, t, cfg, clock, unit_time(now)));
	assert_int_equal(c.target, target);
	assert_int_equal(c.used, used);
}

static void
the_rule_of_selection(void **state)
{
	struct sd_config *cfg = config(SD_INI(""));
	struct sd_calendar *const *v;

	(void)state;
	assert_int_equal(sd_config_calendars(cfg, &v), 3);
	assert_ptr_equal(v[0], sd_config_calendar(cfg));
	assert_string_equal(sd_config_calendar_name(cfg, 0), "default");
	assert_string_equal(sd_config_calendar_name(cfg, 1), "provider");
	assert_string_equal(sd_config_calendar_name(cfg, 2), "madrid");
	/* The group's, whatever the priority; else the priority's; else [calendar]. */
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_INCIDENT, 3, "vendor"), 1);
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_INCIDENT, 1, "spain"), 2);
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_INCIDENT, 1, "desk"), 1);
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_INCIDENT, 2, "desk"), 0);
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_REQUEST, 1, "desk"), 0);
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_INCIDENT, 1, NULL), 1);
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_INCIDENT, 3, "nobody"), 0);
	/* The stops: today's, and approvals for the response clock. */
	assert_true(sd_sla_stopped(cfg, SD_CLOCK_RESPONSE, "awaiting-approval"));
	assert_false(sd_sla_stopped(cfg, SD_CLOCK_RESOLUTION, "awaiting-approval"));
	assert_true(sd_sla_stopped(cfg, SD_CLOCK_RESOLUTION, "pending-info"));
	assert_true(sd_sla_stopped(cfg, SD_CLOCK_RESPONSE, "suspended"));
	assert_true(sd_sla_stopped(cfg, SD_CLOCK_RESOLUTION, "rejected"));
	assert_true(sd_sla_stopped(cfg, SD_CLOCK_RESPONSE, "unmanaged"));
	assert_false(sd_sla_stopped(cfg, SD_CLOCK_RESPONSE, "provider"));
	assert_false(sd_sla_stopped(cfg, SD_CLOCK_RESOLUTION, "assigned"));
	sd_config_free(cfg);
}

static void
priority_one_round_the_clock(void **state)
{
	struct sd_config *cfg = config(SD_INI(""));
	struct sd_ticket *t;

	(void)state;
	unit_zone("America/Bogota");
	/* Saturday 10:00, the desk closed: priority 1 counts on the
	 * provider's 24x7 calendar, 1bh and 4bh on. */
	t = ticket("incident", 1, "2026-11-28T10:00:00-05:00", "new", "desk", "");
	due_is(t, cfg, "2026-11-28T11:00:00-05:00", "2026-11-28T14:00:00-05:00");
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-11-28T12:30:00-05:00", 4 * H, 2 * H + 1800);
	sd_ticket_free(t);
	/* Priority 3 the same Saturday waits for Monday 08:00: 1bh is 09:00;
	 * 3bd is Thursday 08:00's 27 business hours, all used by Wednesday
	 * 17:00, its closing. */
	t = ticket("incident", 3, "2026-11-28T10:00:00-05:00", "new", "desk", "");
	due_is(t, cfg, "2026-11-30T09:00:00-05:00", "2026-12-02T17:00:00-05:00");
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-11-30T12:30:00-05:00", 27 * H, 4 * H + 1800);
	sd_ticket_free(t);
	sd_config_free(cfg);
}

/* Monday 2026-11-23 15:00 at the desk, to the provider's group on
 * Tuesday at 10:00. */
#define TO_VENDOR \
	"\n[event 2]\nat = 2026-11-24T10:00:00-05:00\nby = ana\naction = escalate\n" \
	"from = new\nto = provider\ngroup = vendor\nlevel = 2\n"

static void
a_ticket_that_changes_group(void **state)
{
	struct sd_config *cfg = config(SD_INI(""));
	struct sd_ticket *t;

	(void)state;
	unit_zone("America/Bogota");
	/* Response: 1bh at the desk, Monday 16:00.  Resolution: 3bd from
	 * Monday 15:00 is Thursday 15:00, 27 business hours (2 + 9 + 9 + 7);
	 * 4 of them at the desk (Monday 15:00-17:00, Tuesday 08:00-10:00),
	 * the other 23 on the provider's 24x7 calendar: Wednesday 09:00. */
	t = ticket("incident", 3, "2026-11-23T15:00:00-05:00", "provider", "vendor", TO_VENDOR);
	assert_ok(sd_ticket_event_set(t, 0, "to", "new"));
	due_is(t, cfg, "2026-11-23T16:00:00-05:00", "2026-11-25T09:00:00-05:00");
	/* At Wednesday 08:00: 4 hours and 22 more (Tuesday 10:00 on). */
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-11-25T08:00:00-05:00", 27 * H, 26 * H);
	/* Still at the desk on Tuesday 09:00: 3 hours, the desk's calendar. */
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-11-24T09:00:00-05:00", 27 * H, 3 * H);
	sd_ticket_free(t);
	sd_config_free(cfg);
	/* With provider in resolution_stops the provider's time is not the
	 * desk's: the clock stops on Tuesday 10:00, its due date unknown. */
	cfg = config(SD_INI("resolution_stops = pending-info, suspended, provider\n"));
	t = ticket("incident", 3, "2026-11-23T15:00:00-05:00", "provider", "vendor", TO_VENDOR);
	assert_ok(sd_ticket_event_set(t, 0, "to", "new"));
	due_is(t, cfg, "2026-11-23T16:00:00-05:00", "");
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-11-25T08:00:00-05:00", 27 * H, 4 * H);
	sd_ticket_free(t);
	sd_config_free(cfg);
}

/* A request waiting for approvals from Monday 10:00, approved Tuesday
 * 14:00. */
#define APPROVED \
	"\n[event 2]\nat = 2026-11-24T14:00:00-05:00\nby = ana\naction = approve\n" \
	"from = awaiting-approval\nto = new\nrole = boss\n"

static void
a_clock_paused_for_approvals(void **state)
{
	struct sd_config *cfg = config(SD_INI(""));
	struct sd_ticket *t;

	(void)state;
	unit_zone("America/Bogota");
	/* Response: stopped until Tuesday 14:00, then 2bh: 16:00.
	 * Resolution runs on: 5bd from Monday 10:00, Monday 11-30 10:00. */
	t = ticket("request", 3, "2026-11-23T10:00:00-05:00", "new", "desk",
	    APPROVED);
	assert_ok(sd_ticket_event_set(t, 0, "to", "awaiting-approval"));
	due_is(t, cfg, "2026-11-24T16:00:00-05:00", "2026-11-30T10:00:00-05:00");
	used_is(t, cfg, SD_CLOCK_RESPONSE, "2026-11-24T15:00:00-05:00", 2 * H, 1 * H);
	/* Still waiting: nothing used, the due date unknown. */
	used_is(t, cfg, SD_CLOCK_RESPONSE, "2026-11-24T13:59:00-05:00", 2 * H, 0);
	sd_ticket_free(t);
	sd_config_free(cfg);
	/* Both clocks wait: the resolution's 45 business hours from Tuesday
	 * 14:00 are 3 that day, 9 each of Wed, Thu, Fri and Mon 11-30, and 6
	 * of Tuesday 12-01: 14:00. */
	cfg = config(SD_INI("resolution_stops = pending-info, suspended, awaiting-approval\n"));
	t = ticket("request", 3, "2026-11-23T10:00:00-05:00", "new", "desk", APPROVED);
	assert_ok(sd_ticket_event_set(t, 0, "to", "awaiting-approval"));
	due_is(t, cfg, "2026-11-24T16:00:00-05:00", "2026-12-01T14:00:00-05:00");
	sd_ticket_free(t);
	sd_config_free(cfg);
	/* A list replaces the default: response_stops = provider leaves the
	 * response clock running through the approvals, as before: 12:00. */
	cfg = config(SD_INI("response_stops = provider\n"));
	t = ticket("request", 3, "2026-11-23T10:00:00-05:00", "new", "desk", APPROVED);
	assert_ok(sd_ticket_event_set(t, 0, "to", "awaiting-approval"));
	due_is(t, cfg, "2026-11-23T12:00:00-05:00", "2026-11-30T10:00:00-05:00");
	assert_false(sd_sla_stopped(cfg, SD_CLOCK_RESPONSE, "pending-info"));
	assert_true(sd_sla_stopped(cfg, SD_CLOCK_RESPONSE, "provider"));
	sd_ticket_free(t);
	sd_config_free(cfg);
}

static void
edge_minutes_and_a_holiday(void **state)
{
	struct sd_config *cfg = config(SD_INI(""));
	struct sd_ticket *t;

	(void)state;
	unit_zone("America/Bogota");
	/* At Friday's closing: from Monday 08:00 on; 1bh 09:00, 8bh 16:00. */
	t = ticket("incident", 2, "2026-12-04T17:00:00-05:00", "new", "desk", "");
	due_is(t, cfg, "2026-12-07T09:00:00-05:00", "2026-12-07T16:00:00-05:00");
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-12-07T08:00:00-05:00", 8 * H, 0);
	sd_ticket_free(t);
	/* An hour after Monday's opening: 10:00, and 8bh Monday 17:00
	 * exactly (its closing, not Wednesday's opening after the holiday). */
	t = ticket("incident", 2, "2026-12-07T09:00:00-05:00", "new", "desk", "");
	due_is(t, cfg, "2026-12-07T10:00:00-05:00", "2026-12-07T17:00:00-05:00");
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-12-07T17:00:00-05:00", 8 * H, 8 * H);
	sd_ticket_free(t);
	/* A minute before closing: 1bh is 59 minutes into Wednesday (Tuesday
	 * the holiday); 8bh is Wednesday 15:59. */
	t = ticket("incident", 2, "2026-12-07T16:59:00-05:00", "new", "desk", "");
	due_is(t, cfg, "2026-12-09T08:59:00-05:00", "2026-12-09T15:59:00-05:00");
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-12-09T08:00:00-05:00", 8 * H, 60);
	sd_ticket_free(t);
	/* The provider's calendar has no holiday: priority 1 from Monday
	 * 16:59 runs through Tuesday: 17:59 and 20:59. */
	t = ticket("incident", 1, "2026-12-07T16:59:00-05:00", "new", "desk", "");
	due_is(t, cfg, "2026-12-07T17:59:00-05:00", "2026-12-07T20:59:00-05:00");
	sd_ticket_free(t);
	sd_config_free(cfg);
}

static void
across_a_daylight_saving_change(void **state)
{
	struct sd_config *cfg = config(SD_INI(""));
	struct sd_ticket *t;

	(void)state;
	unit_zone("America/Bogota");
	/* Created Friday 2026-10-23 16:00 at the desk, priority 3: 3bd is
	 * Wednesday 16:00's 27 business hours (1 + 9 + 9 + 8).  To Madrid at
	 * 16:30 (23:30 there, closed) after 30 minutes: 12 hours on Saturday
	 * (+02:00) and 12 on Sunday (08:00-20:00 +01:00, a 25-hour day),
	 * 2.5 on Monday: 10:30 +01:00, 04:30 in Bogota.  The response clock
	 * goes to Madrid too: 30 minutes there, Saturday 08:30 +02:00. */
	t = ticket("incident", 3, "2026-10-23T16:00:00-05:00", "escalated", "spain",
	    "\n[event 2]\nat = 2026-10-23T16:30:00-05:00\nby = ana\naction = escalate\n"
	    "from = new\nto = escalated\ngroup = spain\nlevel = 3\n");
	due_is(t, cfg, "2026-10-24T01:30:00-05:00", "2026-10-26T04:30:00-05:00");
	/* Sunday 20:00 in Madrid (14:00 Bogota): 30 minutes and 24 hours. */
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-10-25T14:00:00-05:00", 27 * H, 24 * H + 1800);
	/* Sunday 08:30 in Madrid (02:30 Bogota): Sunday's first 30 minutes. */
	used_is(t, cfg, SD_CLOCK_RESOLUTION, "2026-10-25T02:30:00-05:00", 27 * H, 13 * H);
	sd_ticket_free(t);
	sd_config_free(cfg);
}

static void
config_errors(void **state)
{
	struct sd_config *cfg = NULL;
	const char *texts[4] = { NULL, SLA_INI, AGENTS_INI, ESCALATION_INI };

	(void)state;
	texts[0] = SD_INI("response_stops = pending-info, waiting\n");
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sd.ini:28: response_stops: 'waiting' is not a status");
	texts[0] = SD_INI("resolution_stops = Suspended\n");
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sd.ini:28: resolution_stops: 'Suspended' is not a status");
	texts[0] = "[calendar default]\nmon = 08:00-17:00\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sd.ini:1: 'default' is not a valid calendar name");
	texts[0] = "[calendar]\nmon = 08:00-17:00\n[calendar x]\nzone = Europe/Madrid\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sd.ini:3: [calendar x] has no business hours");
	texts[0] = "[calendar]\nmon = 08:00-17:00\nzone = UTC\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sd.ini:3: unknown key 'zone' in [calendar]");
	texts[0] = "[calendar]\nmon = 08:00-17:00\n[calendar x]\nmon = 08:00-17:00\n"
	    "zone = Mars/Olympus\n";
	assert_int_equal(sd_config_parse(&cfg, texts, names), SD_ECONFIG);
	assert_non_null(strstr(sd_error_message(), "sd.ini:5: "));
	texts[0] = "[calendar]\nmon = 08:00-17:00\n[calendar x]\nmon = 8-17\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sd.ini:4: mon: '8-17' is not a list of HH:MM-HH:MM ranges in order");
	/* A name no [calendar NAME] has, in sla.ini and agents.ini. */
	texts[0] = SD_INI("");
	texts[1] = SLA_INI "[incident]\n";
	texts[1] = "[priority]\nhigh.high = 1\n[incident]\ncalendar.2 = nightly\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sla.ini:4: calendar.2: unknown calendar 'nightly' (sd.ini has no [calendar nightly])");
	texts[1] = "[request]\ncalendar = Provider\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sla.ini:2: calendar: unknown calendar 'Provider' (sd.ini has no [calendar Provider])");
	texts[1] = "[request]\ncalendar.5 = provider\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sla.ini:2: unknown key 'calendar.5' in [request]");
	/* Every target within what each named calendar counts to: one
	 * minute on Mondays holds 39bh (sd-config(5)). */
	texts[0] = "[calendar]\nmon = 08:00-17:00\ntue = 08:00-17:00\nwed = 08:00-17:00\n"
	    "[calendar tiny]\nmon = 00:00-00:01\n";
	texts[1] = "[priority]\nhigh.high = 1\n\n[incident]\nresponse = 1bh\nresolution.1 = 40bh\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sla.ini:4: [incident] resolution.1: 40bh is more business time than "
	    "[calendar tiny] can count to (at most 39bh)");
	texts[1] = "[request]\nresponse = 39bh\nresolution.3 = 2397bd\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sla.ini:1: [request] resolution.3: 2397bd is more business time than "
	    "[calendar tiny] can count to (at most 2396bd)");
	texts[0] = SD_INI("");
	texts[1] = SLA_INI;
	texts[2] = "[group desk]\nlevel = 1\ncalendar = 24x7\n";
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "agents.ini:3: calendar: unknown calendar '24x7' (sd.ini has no [calendar 24x7])");
	/* "default" names [calendar]: a group may say so over sla.ini's. */
	texts[2] = "[group desk]\nlevel = 1\ncalendar = default\n";
	texts[3] = "[network]\nlevel1 = desk\n";
	assert_ok(sd_config_parse(&cfg, texts, names));
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_INCIDENT, 1, "desk"), 0);
	assert_int_equal(sd_sla_calendar(cfg, SD_TYPE_INCIDENT, 1, NULL), 1);
	sd_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_rule_of_selection),
		cmocka_unit_test(priority_one_round_the_clock),
		cmocka_unit_test(a_ticket_that_changes_group),
		cmocka_unit_test(a_clock_paused_for_approvals),
		cmocka_unit_test(edge_minutes_and_a_holiday),
		cmocka_unit_test(across_a_daylight_saving_change),
		cmocka_unit_test(config_errors),
	};

	unit_zone("America/Bogota");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
