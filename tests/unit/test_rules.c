/*
 * sd_rules_check: one ticket's change held to the action table, case by
 * case, written out by hand; and every finding told, not only the first.
 */
#include "unit.h"

static const char *const names[4] = { "sd.ini", "sla.ini", "agents.ini", "escalation.ini" };
static const char *const texts[4] = {
	"[store]\ntimezone = America/Bogota\n[calendar]\nmon = 07:30-17:00\n"
	"tue = 07:30-17:00\nwed = 07:30-17:00\nthu = 07:30-17:00\nfri = 07:30-17:00\n",
	"[priority]\nhigh.high = 1\nhigh.medium = 2\nhigh.low = 3\nmedium.high = 2\n"
	"medium.medium = 3\nmedium.low = 4\nlow.high = 3\nlow.medium = 4\nlow.low = 4\n"
	"[incident]\nresponse = 1bh\nresolution.1 = 4bh\nresolution.2 = 8bh\n"
	"resolution.3 = 3bd\nresolution.4 = 5bd\n"
	"[request]\nresponse = 2bh\nresolution.1 = 8bh\nresolution.2 = 2bd\n"
	"resolution.3 = 5bd\nresolution.4 = 10bd\n",
	"[group desk]\nlevel = 1\n[group net]\nlevel = 2\n"
	"[agent ana]\nemail = ana@example.org\ngroups = desk\n"
	"[agent jorge]\nemail = jorge@example.org\ngroups = net\n",
	"[network]\nlevel1 = desk\nlevel2 = net\n",
};

/* SD-1 as sd-new registers it on Monday 2026-11-23 at 10:00. */
static const char *base_text =
	"[ticket]\nid = SD-1\ntype = incident\nstatus = new\ntitle = VPN drops\n"
	"category = network\nchannel = phone\nurgency = medium\nimpact = medium\npriority = 3\n"
	"level = 1\ngroup = desk\nassignee =\nrequester = Jorge\n"
	"requester_email = j@example.org\nrequester_phone =\n"
	"created = 2026-11-23T10:00:00-05:00\nupdated = 2026-11-23T10:00:00-05:00\n"
	"responded =\nsolved =\nclosed =\ndue_response =\ndue_resolution =\nresolution =\n"
	"close_reason =\nrating =\nescalations = 0\nreopened = 0\ncontact_attempts = 0\n"
	"related =\napprovals =\n\n[event 1]\nat = 2026-11-23T10:00:00-05:00\nby = ana\n"
	"action = new\nto = new\n";

#define AT "2026-11-23T11:00:00-05:00"

static struct sd_config *cfg;

static int
setup(void **state)
{
	(void)state;
	unit_zone("America/Bogota");
	assert_ok(sd_config_parse(&cfg, texts, names));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sd_config_free(cfg);
	return 0;
}

/* SD-1 as it stands, its due dates computed. */
static struct sd_ticket *
base(void)
{
	struct sd_ticket *t;

	assert_ok(sd_ticket_parse(&t, base_text, strlen(base_text), "SD-1", SD_PARSE_FULL));
	assert_ok(sd_sla_update(t, cfg));
	return t;
}

/* A copy of t with an event of action by `by` at AT, and the upkeep. */
static struct sd_ticket *
acted(const struct sd_ticket *t, const char *action, const char *by)
{
	struct sd_ticket *c;
	size_t ev;

	assert_ok(sd_rules_copy(&c, t));
	assert_ok(sd_ticket_event_add(c, &ev, AT, by, action));
	assert_ok(sd_ticket_set(c, SD_F_UPDATED, AT));
	return c;
}

static void
check(struct sd_ticket *before, struct sd_ticket *after, const char *action,
    const char *agent, int code, const char *msg)
{
	const struct sd_agent *a = agent ? sd_config_agent(cfg, agent) : NULL;

	if (after)
		assert_ok(sd_sla_update(after, cfg));
	if (code == 0) {
		assert_ok(sd_rules_check(cfg, NULL, a, action, before, after, NULL, NULL));
		return;
	}
	assert_fails(sd_rules_check(cfg, NULL, a, action, before, after, NULL, NULL), code, msg);
}

static void
honest_changes_pass(void **state)
{
	struct sd_ticket *t = base(), *c;
	size_t ev;

	(void)state;
	c = acted(t, "note", "ana");
	assert_ok(sd_ticket_event_set(c, 1, "text", "called"));
	check(t, c, "note", "ana", 0, NULL);
	sd_ticket_free(c);
	/* A contact attempt: the counter up by one. */
	c = acted(t, "note", "ana");
	assert_ok(sd_ticket_event_set(c, 1, "contact_attempt", "yes"));
	assert_ok(sd_ticket_set(c, SD_F_CONTACT_ATTEMPTS, "1"));
	check(t, c, "note", "ana", 0, NULL);
	sd_ticket_free(c);
	/* The first assignment is the response. */
	c = acted(t, "assign", "ana");
	assert_ok(sd_ticket_event_set(c, 1, "from", "new"));
	assert_ok(sd_ticket_event_set(c, 1, "to", "assigned"));
	assert_ok(sd_ticket_event_set(c, 1, "assignee", "ana"));
	assert_ok(sd_ticket_set(c, SD_F_STATUS, "assigned"));
	assert_ok(sd_ticket_set(c, SD_F_ASSIGNEE, "ana"));
	assert_ok(sd_ticket_set(c, SD_F_RESPONDED, AT));
	check(t, c, "assign", "ana", 0, NULL);
	sd_ticket_free(c);
	/* Born: what sd-new writes. */
	assert_ok(sd_rules_copy(&c, t));
	check(NULL, c, "new", "ana", 0, NULL);
	sd_ticket_free(c);
	(void)ev;
	sd_ticket_free(t);
}

static void
keys_the_row_keeps(void **state)
{
	struct sd_ticket *t = base(), *c;

	(void)state;
	/* A note that regroups. */
	c = acted(t, "note", "ana");
	assert_ok(sd_ticket_set(c, SD_F_GROUP, "net"));
	assert_ok(sd_ticket_set(c, SD_F_LEVEL, "2"));
	check(t, c, "note", "ana", SD_EINVALID, "note may not change level ('1' -> '2')");
	sd_ticket_free(c);
	/* A priority by hand, the matrix says otherwise. */
	c = acted(t, "update", "ana");
	assert_ok(sd_ticket_set(c, SD_F_PRIORITY, "1"));
	check(t, c, "update", "ana", SD_EINVALID, "priority is 1, the matrix says 3");
	sd_ticket_free(c);
	/* A counter moved by more than its step. */
	c = acted(t, "note", "ana");
	assert_ok(sd_ticket_set(c, SD_F_CONTACT_ATTEMPTS, "3"));
	check(t, c, "note", "ana", SD_EINVALID,
	    "note changes contact_attempts only as '+1', not '0' -> '3'");
	sd_ticket_free(c);
	/* updated is the event's time. */
	c = acted(t, "note", "ana");
	assert_ok(sd_ticket_set(c, SD_F_UPDATED, "2026-11-23T12:00:00-05:00"));
	check(t, c, "note", "ana", SD_EINVALID,
	    "note changes updated only as 'now', not '2026-11-23T10:00:00-05:00' -> "
	    "'2026-11-23T12:00:00-05:00'");
	sd_ticket_free(c);
	/* The description is new's and edit's. */
	c = acted(t, "note", "ana");
	assert_ok(sd_ticket_set_text(c, SD_TEXT_DESCRIPTION, "rewritten"));
	check(t, c, "note", "ana", SD_EINVALID, "note may not change [description]");
	sd_ticket_free(c);
	sd_ticket_free(t);
}

static void
events_and_authors(void **state)
{
	struct sd_ticket *t = base(), *c;

	(void)state;
	/* Appended by who made the commit. */
	c = acted(t, "note", "jorge");
	check(t, c, "note", "ana", SD_EINVALID,
	    "[event 2] is by jorge, not by ana who made the commit");
	sd_ticket_free(c);
	/* An earlier event changed. */
	c = acted(t, "note", "ana");
	assert_ok(sd_ticket_event_set(c, 0, "by", "luis"));
	check(t, c, "note", "ana", SD_EINVALID, "[event 1] changed: events are only appended");
	sd_ticket_free(c);
	/* No event at all. */
	assert_ok(sd_rules_copy(&c, t));
	check(t, c, "note", "ana", SD_EINVALID, "note appends one event, not 0");
	sd_ticket_free(c);
	/* A key its event does not write. */
	c = acted(t, "note", "ana");
	assert_ok(sd_ticket_event_set(c, 1, "group", "net"));
	check(t, c, "note", "ana", SD_EINVALID, "[event 2]: note writes no 'group'");
	sd_ticket_free(c);
	/* A ticket born or removed by an action that does neither. */
	assert_ok(sd_rules_copy(&c, t));
	check(NULL, c, "note", "ana", SD_EINVALID, "a new ticket in a commit whose action is 'note'");
	check(t, NULL, "note", "ana", SD_EINVALID, "a ticket file may not be removed");
	check(t, c, "fly", "ana", SD_EINVALID, "unknown action 'fly'");
	sd_ticket_free(c);
	/* Who: jorge is not in the ticket's group; no agent at all. */
	c = acted(t, "suspend", "jorge");
	assert_ok(sd_ticket_event_set(c, 1, "from", "new"));
	assert_ok(sd_ticket_event_set(c, 1, "to", "suspended"));
	assert_ok(sd_ticket_set(c, SD_F_STATUS, "suspended"));
	check(t, c, "suspend", "jorge", SD_EINVALID, "cannot suspend a ticket that is new");
	sd_ticket_free(c);
	c = acted(t, "note", "sd");
	check(t, c, "note", NULL, SD_EPERM, "note needs an agent of agents.ini");
	sd_ticket_free(c);
	sd_ticket_free(t);
}

static void
due_dates_are_the_clocks(void **state)
{
	struct sd_ticket *t = base(), *c;
	const struct sd_agent *ana = sd_config_agent(cfg, "ana");

	(void)state;
	c = acted(t, "note", "ana");
	assert_ok(sd_sla_update(c, cfg));
	/* 1bh from Monday 10:00 is 11:00; 3bd is Thursday 10:00. */
	assert_string_equal(sd_ticket_get(c, SD_F_DUE_RESPONSE), "2026-11-23T11:00:00-05:00");
	assert_string_equal(sd_ticket_get(c, SD_F_DUE_RESOLUTION), "2026-11-26T10:00:00-05:00");
	assert_ok(sd_ticket_set(c, SD_F_DUE_RESOLUTION, "2026-11-30T10:00:00-05:00"));
	assert_fails(sd_rules_check(cfg, NULL, ana, "note", t, c, NULL, NULL), SD_EINVALID,
	    "due_resolution is '2026-11-30T10:00:00-05:00', the clock says "
	    "'2026-11-26T10:00:00-05:00'");
	sd_ticket_free(c);
	sd_ticket_free(t);
}

static void
count_finding(int code, const char *message, void *arg)
{
	(void)code;
	(void)message;
	(*(int *)arg)++;
}

static void
every_finding_told(void **state)
{
	struct sd_ticket *t = base(), *c = acted(t, "note", "ana");
	const struct sd_agent *ana = sd_config_agent(cfg, "ana");
	int n = 0;

	(void)state;
	assert_ok(sd_ticket_set(c, SD_F_TITLE, "other"));
	assert_ok(sd_ticket_set(c, SD_F_REQUESTER, "other"));
	assert_ok(sd_ticket_set(c, SD_F_CHANNEL, "email"));
	assert_ok(sd_sla_update(c, cfg));
	assert_int_equal(sd_rules_check(cfg, NULL, ana, "note", t, c, count_finding, &n),
	    SD_EINVALID);
	/* The first is returned: the first key in the file's order. */
	assert_string_equal(sd_error_message(), "note may not change title ('VPN drops' -> 'other')");
	assert_int_equal(n, 3);
	sd_ticket_free(c);
	sd_ticket_free(t);
}

static void
a_final_ticket(void **state)
{
	struct sd_ticket *t = base(), *closed, *c;
	const struct sd_agent *ana = sd_config_agent(cfg, "ana");

	(void)state;
	assert_ok(sd_rules_copy(&closed, t));
	assert_ok(sd_ticket_set(closed, SD_F_STATUS, "rejected"));
	assert_ok(sd_ticket_set(closed, SD_F_CLOSED, AT));
	/* A link adds to related, and nothing else: no event. */
	assert_ok(sd_rules_copy(&c, closed));
	assert_ok(sd_ticket_set(c, SD_F_RELATED, "SD-2"));
	assert_ok(sd_rules_check(cfg, NULL, ana, "link", closed, c, NULL, NULL));
	assert_ok(sd_ticket_set(c, SD_F_TITLE, "other"));
	assert_fails(sd_rules_check(cfg, NULL, ana, "link", closed, c, NULL, NULL), SD_EINVALID,
	    "link may not change title ('VPN drops' -> 'other')");
	sd_ticket_free(c);
	c = acted(closed, "link", "ana");
	assert_ok(sd_ticket_set(c, SD_F_RELATED, "SD-2"));
	assert_fails(sd_rules_check(cfg, NULL, ana, "link", closed, c, NULL, NULL), SD_EINVALID,
	    "link on a rejected ticket adds no event");
	sd_ticket_free(c);
	/* Nothing else goes on it. */
	c = acted(closed, "note", "ana");
	assert_fails(sd_rules_check(cfg, NULL, ana, "note", closed, c, NULL, NULL), SD_EINVALID,
	    "the ticket is rejected; nothing changes it");
	sd_ticket_free(c);
	sd_ticket_free(closed);
	sd_ticket_free(t);
}

/* A reply: its text in an event, the upkeep, nothing else; by any agent,
 * on any ticket that is not final. */
static void
a_reply(void **state)
{
	struct sd_ticket *t = base(), *c;

	(void)state;
	c = acted(t, "reply", "jorge");
	assert_ok(sd_ticket_event_set(c, 1, "text", "Which computer do you connect from?"));
	check(t, c, "reply", "jorge", 0, NULL);
	sd_ticket_free(c);
	/* No contact attempt, no counter, no status, no response. */
	c = acted(t, "reply", "ana");
	assert_ok(sd_ticket_set(c, SD_F_CONTACT_ATTEMPTS, "1"));
	check(t, c, "reply", "ana", SD_EINVALID, "reply may not change contact_attempts ('0' -> '1')");
	sd_ticket_free(c);
	c = acted(t, "reply", "ana");
	assert_ok(sd_ticket_event_set(c, 1, "contact_attempt", "yes"));
	check(t, c, "reply", "ana", SD_EINVALID, "[event 2]: reply writes no 'contact_attempt'");
	sd_ticket_free(c);
	c = acted(t, "reply", "ana");
	assert_ok(sd_ticket_set(c, SD_F_RESPONDED, AT));
	check(t, c, "reply", "ana", SD_EINVALID,
	    "reply may not change responded ('' -> '2026-11-23T11:00:00-05:00')");
	sd_ticket_free(c);
	c = acted(t, "reply", "ana");
	assert_ok(sd_ticket_set(c, SD_F_STATUS, "solved"));
	check(t, c, "reply", "ana", SD_EINVALID, "reply moves a new ticket to new, not solved");
	sd_ticket_free(c);
	/* An event that says note, in a reply. */
	c = acted(t, "note", "ana");
	check(t, c, "reply", "ana", SD_EINVALID, "[event 2] is a note, in a commit whose action is reply");
	sd_ticket_free(c);
	/* No agent, no reply. */
	c = acted(t, "reply", "sd");
	check(t, c, "reply", NULL, SD_EPERM, "reply needs an agent of agents.ini");
	sd_ticket_free(c);
	sd_ticket_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(honest_changes_pass),
		cmocka_unit_test(keys_the_row_keeps),
		cmocka_unit_test(events_and_authors),
		cmocka_unit_test(due_dates_are_the_clocks),
		cmocka_unit_test(every_finding_told),
		cmocka_unit_test(a_final_ticket),
		cmocka_unit_test(a_reply),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
