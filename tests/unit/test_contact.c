/*
 * The contact rule (sd/desk.h, lib/contact.c): how many failed attempts
 * to reach the requester a ticket has since it was registered or last
 * reopened, and when [lifecycle] contact_attempts of them let the desk
 * solve it with code no-contact; the key's bounds in sd.ini.
 */
#include "unit.h"

/* A configuration whose [lifecycle] has the line extra ("" for none). */
static int
config(struct sd_config **cfg, const char *extra)
{
	static char sd[512];
	static const char *const names[4] = {
		"sd.ini", "sla.ini", "agents.ini", "escalation.ini"
	};
	const char *texts[4] = { sd, UNIT_SLA_INI, UNIT_AGENTS_INI, UNIT_ESCALATION_INI };

	snprintf(sd, sizeof(sd), "[store]\nprefix = SD\ntimezone = America/Bogota\n"
	    "[calendar]\nmon = 07:30-17:00\n[lifecycle]\n%s\n", extra);
	*cfg = NULL;
	return sd_config_parse(cfg, texts, names);
}

/* Append an event of action to t, a failed contact attempt when yes. */
static void
event(struct sd_ticket *t, const char *action, int yes)
{
	size_t i;

	assert_ok(sd_ticket_event_add(t, &i, "2026-12-07T09:00:00-05:00", "ana", action));
	if (yes)
		assert_ok(sd_ticket_event_set(t, i, "contact_attempt", "yes"));
}

static void
counting(void **state)
{
	struct sd_ticket *t = NULL;

	(void)state;
	assert_ok(sd_ticket_new(&t));
	assert_int_equal(sd_desk_contact_attempts(t), 0);
	event(t, "new", 0);
	event(t, "note", 1);
	event(t, "note", 0);            /* a note that is no attempt */
	event(t, "assign", 0);
	event(t, "note", 1);
	assert_int_equal(sd_desk_contact_attempts(t), 2);
	/* A contact_attempt on another action is not one. */
	event(t, "update", 1);
	assert_int_equal(sd_desk_contact_attempts(t), 2);
	event(t, "solve", 0);
	event(t, "note", 1);            /* after the solve, before a reopen: counts */
	assert_int_equal(sd_desk_contact_attempts(t), 3);
	/* The requester answered: what came before no longer counts. */
	event(t, "reopen", 0);
	assert_int_equal(sd_desk_contact_attempts(t), 0);
	event(t, "note", 1);
	assert_int_equal(sd_desk_contact_attempts(t), 1);
	sd_ticket_free(t);
}

static void
the_rule(void **state)
{
	struct sd_config *cfg = NULL;
	struct sd_ticket *t = NULL;

	(void)state;
	/* Default 3: refused at 0, 1 and 2, allowed at 3 and 4. */
	assert_ok(config(&cfg, ""));
	assert_int_equal(sd_config_contact_attempts(cfg), 3);
	assert_ok(sd_ticket_new(&t));
	event(t, "new", 0);
	for (int i = 0; i < 3; i++) {
		char want[256];
		snprintf(want, sizeof(want), "no-contact needs 3 failed contact attempts "
		    "(sd-note --contact-attempt) since the ticket was registered or reopened; "
		    "it has %d", i);
		assert_fails(sd_desk_no_contact(t, cfg), SD_EINVALID, want);
		event(t, "note", 1);
	}
	assert_ok(sd_desk_no_contact(t, cfg));
	event(t, "note", 1);
	assert_ok(sd_desk_no_contact(t, cfg));
	event(t, "reopen", 0);
	assert_int_equal(sd_desk_no_contact(t, cfg), SD_EINVALID);
	sd_config_free(cfg);

	/* contact_attempts = 1: one attempt is enough. */
	assert_ok(config(&cfg, "contact_attempts = 1"));
	assert_int_equal(sd_config_contact_attempts(cfg), 1);
	assert_int_equal(sd_desk_no_contact(t, cfg), SD_EINVALID);
	event(t, "note", 1);
	assert_ok(sd_desk_no_contact(t, cfg));
	sd_config_free(cfg);
	sd_ticket_free(t);
}

static void
bounds(void **state)
{
	struct sd_config *cfg = NULL;

	(void)state;
	assert_ok(config(&cfg, "contact_attempts = 99"));
	assert_int_equal(sd_config_contact_attempts(cfg), 99);
	sd_config_free(cfg);
	static const char *const bad[] = { "0", "100", "-1", "three", "", "3x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char line[64];
		snprintf(line, sizeof(line), "contact_attempts = %s", bad[i]);
		assert_int_equal(config(&cfg, line), SD_ECONFIG);
		assert_non_null(strstr(sd_error_message(), "contact_attempts must be a whole number from 1 to 99"));
		sd_config_free(cfg);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counting),
		cmocka_unit_test(the_rule),
		cmocka_unit_test(bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
