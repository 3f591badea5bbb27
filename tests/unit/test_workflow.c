/*
 * The transition table and the role rules, against SPEC section 5 and 3
 * written out again here by hand, cell by cell.
 */
#include "unit.h"

static const char *const statuses[] = {
	"new", "pending-info", "awaiting-approval", "assigned", "escalated",
	"provider", "suspended", "solved", "reopened", "closed", "rejected",
	"unmanaged"
};
static const char *const actions[] = {
	"assign", "escalate", "suspend", "resume", "solve", "close", "reject",
	"reopen", "approve", "deny", "auto-close", "unmanaged", "update", "note",
	"reply", "link", "edit"
};

/* SPEC section 5, "left by", plus note, reply, update and edit on every ticket
 * that is not final and link on every ticket. */
static const struct { const char *status, *legal; } spec[] = {
	{ "new", " assign escalate solve reject update note reply link edit " },
	{ "pending-info", " update unmanaged note reply link edit " },
	{ "awaiting-approval", " approve deny update note reply link edit " },
	{ "assigned", " escalate suspend solve reject assign update note reply link edit " },
	{ "escalated", " assign escalate solve update note reply link edit " },
	{ "provider", " solve escalate suspend update note reply link edit " },
	{ "suspended", " resume update note reply link edit " },
	{ "solved", " close reopen auto-close update note reply link edit " },
	{ "reopened", " escalate suspend solve reject assign update note reply link edit " },
	{ "closed", " link " },
	{ "rejected", " link " },
	{ "unmanaged", " link " },
};

static void
every_cell(void **state)
{
	(void)state;
	for (size_t s = 0; s < sizeof(statuses) / sizeof(*statuses); s++) {
		assert_string_equal(spec[s].status, statuses[s]);
		for (size_t a = 0; a < sizeof(actions) / sizeof(*actions); a++) {
			char word[32];
			const char *to;
			int legal, rc;

			snprintf(word, sizeof(word), " %s ", actions[a]);
			legal = strstr(spec[s].legal, word) != NULL;
			rc = sd_workflow_move(&to, statuses[s], actions[a]);
			if (legal != (rc == 0))
				fail_msg("%s on %s: %s, SPEC says %s", actions[a], statuses[s],
				    rc == 0 ? "allowed" : "refused", legal ? "allowed" : "refused");
			if (!legal)
				assert_int_equal(rc, SD_EINVALID);
		}
	}
}

static void
where_they_go(void **state)
{
	const char *to;

	(void)state;
	assert_ok(sd_workflow_move(&to, "new", "assign"));
	assert_string_equal(to, "assigned");
	assert_ok(sd_workflow_move(&to, "assigned", "escalate"));
	assert_string_equal(to, "escalated|provider");
	assert_ok(sd_workflow_move(&to, "suspended", "resume"));
	assert_string_equal(to, "(previous)");
	assert_ok(sd_workflow_move(&to, "solved", "auto-close"));
	assert_string_equal(to, "closed");
	assert_ok(sd_workflow_move(&to, "awaiting-approval", "deny"));
	assert_string_equal(to, "rejected");
	assert_ok(sd_workflow_move(&to, "pending-info", "update"));
	assert_string_equal(to, "new|awaiting-approval");
	assert_ok(sd_workflow_move(&to, "assigned", "note"));
	assert_string_equal(to, "assigned");
	assert_ok(sd_workflow_move(&to, "closed", "link"));
	assert_string_equal(to, "closed");
}

static void
refusals_say_why(void **state)
{
	const char *to;

	(void)state;
	assert_fails(sd_workflow_move(&to, "closed", "reopen"), SD_EINVALID,
	    "a closed ticket is never reopened: register a new ticket with --related");
	assert_fails(sd_workflow_move(&to, "rejected", "note"), SD_EINVALID,
	    "the ticket is rejected; nothing changes it");
	assert_fails(sd_workflow_move(&to, "escalated", "reject"), SD_EINVALID,
	    "cannot reject a ticket that is escalated");
}

static void
rules_need_texts(void **state)
{
	(void)state;
	assert_int_equal(sd_action_find("escalate")->need, SD_NEED_DIAGNOSIS);
	assert_int_equal(sd_action_find("solve")->need, SD_NEED_SOLUTION);
	assert_int_equal(sd_action_find("suspend")->need, SD_NEED_REASON);
	assert_int_equal(sd_action_find("reopen")->need, SD_NEED_REASON);
	assert_int_equal(sd_action_find("reject")->need, SD_NEED_REASON);
	assert_int_equal(sd_action_find("deny")->need, SD_NEED_REASON);
	assert_int_equal(sd_action_find("note")->need, SD_NEED_TEXT);
	assert_int_equal(sd_action_find("reply")->need, SD_NEED_TEXT);
	assert_int_equal(sd_action_find("assign")->need, SD_NEED_NONE);
	assert_null(sd_action_find("fly"));
}

/* Every action of the table has a rule, and every rule is taken somewhere. */
static void
table_and_rules_agree(void **state)
{
	const struct sd_transition *t;
	const struct sd_action *r;
	size_t nt = sd_workflow_transitions(&t), nr = sd_actions(&r);

	(void)state;
	for (size_t i = 0; i < nt; i++) {
		assert_true(sd_status_valid(t[i].from));
		assert_non_null(sd_action_find(t[i].action));
	}
	for (size_t i = 0; i < nr; i++)
		assert_non_null(r[i].what);
}

static const char *sd_ini_fmt =
	"[store]\ntimezone = America/Bogota\n"
	"[calendar]\nmon = 07:30-17:00\n"
	"[policy]\n%s\n";
static const char *sla_ini =
	"[priority]\nhigh.high = 1\nhigh.medium = 2\nhigh.low = 3\nmedium.high = 2\n"
	"medium.medium = 3\nmedium.low = 4\nlow.high = 3\nlow.medium = 4\nlow.low = 4\n"
	"[incident]\nresponse = 1bh\nresolution.1 = 4bh\nresolution.2 = 8bh\n"
	"resolution.3 = 3bd\nresolution.4 = 5bd\n"
	"[request]\nresponse = 2bh\nresolution.1 = 8bh\nresolution.2 = 2bd\n"
	"resolution.3 = 5bd\nresolution.4 = 10bd\n";
static const char *agents_ini =
	"[group desk]\nlevel = 1\n[group net]\nlevel = 2\n"
	"[agent ana]\ngroups = desk\n"
	"[agent jorge]\ngroups = net\n"
	"[agent boss]\ngroups = net\ncoordinator = yes\napproves = boss\n";
static const char *escalation_ini = "[network]\nlevel1 = desk\nlevel2 = net\n";

static struct sd_config *
config(const char *policy)
{
	static const char *const names[4] = { "sd.ini", "sla.ini", "agents.ini", "escalation.ini" };
	const char *texts[4];
	struct sd_config *cfg;
	char sd[1024];

	snprintf(sd, sizeof(sd), sd_ini_fmt, policy);
	texts[0] = sd;
	texts[1] = sla_ini;
	texts[2] = agents_ini;
	texts[3] = escalation_ini;
	assert_ok(sd_config_parse(&cfg, texts, names));
	return cfg;
}

static struct sd_ticket *
ticket(const char *group, const char *level, const char *escalations)
{
	struct sd_ticket *t;

	assert_ok(sd_ticket_new(&t));
	assert_ok(sd_ticket_set(t, SD_F_GROUP, group));
	assert_ok(sd_ticket_set(t, SD_F_LEVEL, level));
	assert_ok(sd_ticket_set(t, SD_F_ESCALATIONS, escalations));
	return t;
}

static void
roles(void **state)
{
	struct sd_config *cfg = config("");
	struct sd_ticket *at_desk = ticket("desk", "1", "0"), *at_net = ticket("net", "2", "1");
	const struct sd_agent *ana = sd_config_agent(cfg, "ana");
	const struct sd_agent *jorge = sd_config_agent(cfg, "jorge");
	const struct sd_agent *boss = sd_config_agent(cfg, "boss");

	(void)state;
	/* Group scope: agents act on their groups' tickets; coordinators on any. */
	assert_ok(sd_workflow_permit(cfg, ana, at_desk, "solve", NULL, 0));
	assert_fails(sd_workflow_permit(cfg, jorge, at_desk, "solve", NULL, 0), SD_EPERM,
	    "jorge: the ticket is in group desk, not one of yours");
	assert_ok(sd_workflow_permit(cfg, boss, at_desk, "suspend", NULL, 0));
	/* The desk closes, rejects and reopens with the requester. */
	assert_ok(sd_workflow_permit(cfg, ana, at_net, "close", NULL, 0));
	assert_fails(sd_workflow_permit(cfg, jorge, at_net, "close", NULL, 0), SD_EPERM,
	    "jorge: only level-1 agents close tickets (the desk talks to the requester)");
	/* The first escalation out of level 1 is a level-1 agent's. */
	assert_ok(sd_workflow_permit(cfg, ana, at_desk, "escalate", NULL, 2));
	assert_fails(sd_workflow_permit(cfg, boss, at_desk, "escalate", NULL, 2), SD_EPERM,
	    "boss: the first escalation out of level 1 is a level-1 agent's");
	/* Approvals: only who approves that role. */
	assert_ok(sd_workflow_permit(cfg, boss, at_desk, "approve", "boss", 0));
	assert_fails(sd_workflow_permit(cfg, boss, at_desk, "approve", "risk", 0), SD_EPERM,
	    "boss: does not approve 'risk'");
	assert_fails(sd_workflow_permit(cfg, ana, at_desk, "deny", "boss", 0), SD_EPERM,
	    "ana: does not approve 'boss'");
	/* Anyone: notes, links, cron's moves. */
	assert_ok(sd_workflow_permit(cfg, jorge, at_desk, "note", NULL, 0));
	assert_ok(sd_workflow_permit(cfg, jorge, at_desk, "auto-close", NULL, 0));
	sd_config_free(cfg);
	sd_ticket_free(at_desk);
	sd_ticket_free(at_net);
}

static void
policies_relax(void **state)
{
	struct sd_config *cfg = config(
	    "group_scope = no\nlevel1_closes = no\nlevel1_escalates_first = no");
	struct sd_ticket *at_desk = ticket("desk", "1", "0");
	const struct sd_agent *jorge = sd_config_agent(cfg, "jorge");

	(void)state;
	assert_ok(sd_workflow_permit(cfg, jorge, at_desk, "solve", NULL, 0));
	assert_ok(sd_workflow_permit(cfg, jorge, at_desk, "close", NULL, 0));
	assert_ok(sd_workflow_permit(cfg, jorge, at_desk, "escalate", NULL, 2));
	/* Approvals are never relaxed. */
	assert_int_equal(sd_workflow_permit(cfg, jorge, at_desk, "approve", "boss", 0), SD_EPERM);
	sd_config_free(cfg);
	sd_ticket_free(at_desk);
}

/* sd(7), from the top of the source tree ($SD_TOP). */
static FILE *
open_manual(void)
{
	const char *top = getenv("SD_TOP");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/man/sd.7", top ? top : ".");
	if (!(f = fopen(path, "r")))
		fail_msg("%s: cannot read", path);
	return f;
}

/* sd(7) prints the table: every row of it, and nothing else. */
static void
manual_agrees(void **state)
{
	const struct sd_transition *t;
	size_t nt = sd_workflow_transitions(&t), rows = 0;
	char line[512];
	int inside = 0;
	FILE *f;

	(void)state;
	f = open_manual();
	/* The table is a list of ".It from Ta action Ta to" lines between
	 * the markers "TRANSITIONS BEGIN" and "TRANSITIONS END". */
	while (fgets(line, sizeof(line), f)) {
		char from[64], action[64], to[64];
		int found = 0;

		if (strstr(line, "TRANSITIONS BEGIN"))
			inside = 1;
		else if (strstr(line, "TRANSITIONS END"))
			inside = 0;
		if (!inside || sscanf(line, ".It %63s Ta %63s Ta %63s", from, action, to) != 3)
			continue;
		if (!strcmp(from, "Sy"))        /* the header row */
			continue;
		rows++;
		for (size_t i = 0; i < nt; i++)
			found |= !strcmp(t[i].from, from) && !strcmp(t[i].action, action) &&
			    !strcmp(t[i].to, to);
		if (!found)
			fail_msg("sd(7) has %s %s %s, which the table has not", from, action, to);
	}
	fclose(f);
	assert_int_equal(rows, nt);
}

/* sd(7) prints the action table: every row, as sd_action_describe says it. */
static void
actions_in_manual(void **state)
{
	const struct sd_action *a;
	size_t na = sd_actions(&a), rows = 0;
	char line[4096], want[4096];
	int inside = 0;
	FILE *f;

	(void)state;
	f = open_manual();
	/* ".It Cm NAME", the row's what and a full stop, then its description. */
	while (fgets(line, sizeof(line), f)) {
		char name[64];

		if (strstr(line, "ACTIONS BEGIN"))
			inside = 1;
		else if (strstr(line, "ACTIONS END"))
			inside = 0;
		if (!inside || sscanf(line, ".It Cm %63s", name) != 1)
			continue;
		if (rows >= na)
			fail_msg("sd(7) has a row %s past the table's end", name);
		assert_string_equal(name, a[rows].name);
		assert_non_null(fgets(line, sizeof(line), f));
		snprintf(want, sizeof(want), "%s.\n", a[rows].what);
		assert_string_equal(line, want);
		assert_non_null(fgets(line, sizeof(line), f));
		sd_action_describe(&a[rows], want, sizeof(want) - 1);
		strcat(want, "\n");
		assert_string_equal(line, want);
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, na);
}

/* The table's rows, against SPEC sections 3, 5 and 10 written out by hand. */
static void
action_rows(void **state)
{
	const struct sd_action *r;

	(void)state;
	/* SPEC section 10 lists the actions; init is sd-init's first commit. */
	static const char *const listed[] = {
		"new", "update", "assign", "escalate", "suspend", "resume", "solve", "close",
		"reject", "auto-close", "unmanaged", "reopen", "note", "reply", "attach", "approve", "deny",
		"link", "edit", "repair", "kb", "init", "known-error", "link-problem", "lease"
	};
	const struct sd_action *all;
	assert_int_equal(sd_actions(&all), sizeof(listed) / sizeof(*listed));
	for (size_t i = 0; i < sizeof(listed) / sizeof(*listed); i++)
		assert_non_null(sd_action_find(listed[i]));
	/* Counters move by their actions alone, by one. */
	for (size_t i = 0; i < sizeof(listed) / sizeof(*listed); i++) {
		r = sd_action_find(listed[i]);
		assert_int_equal(r->keys[SD_F_ESCALATIONS] == SD_STEP, !strcmp(listed[i], "escalate"));
		assert_int_equal(r->keys[SD_F_REOPENED] == SD_STEP, !strcmp(listed[i], "reopen"));
		assert_int_equal(r->keys[SD_F_CONTACT_ATTEMPTS] == SD_STEP, !strcmp(listed[i], "note"));
		/* No action changes a ticket's id, or its created time, once made. */
		assert_int_equal(r->keys[SD_F_ID] != SD_KEEP, !strcmp(listed[i], "new"));
		assert_int_equal(r->keys[SD_F_CREATED] != SD_KEEP, !strcmp(listed[i], "new"));
		/* Due dates are computed, never set. */
		assert_true(r->keys[SD_F_DUE_RESPONSE] == SD_KEEP || r->keys[SD_F_DUE_RESPONSE] == SD_CALC);
		assert_true(r->keys[SD_F_DUE_RESOLUTION] == SD_KEEP ||
		    r->keys[SD_F_DUE_RESOLUTION] == SD_CALC);
	}
	r = sd_action_find("note");
	assert_int_equal(r->keys[SD_F_GROUP], SD_KEEP);
	assert_int_equal(r->keys[SD_F_ASSIGNEE], SD_KEEP);
	assert_int_equal(r->keys[SD_F_PRIORITY], SD_KEEP);
	assert_int_equal(r->keys[SD_F_STATUS], SD_KEEP);
	/* A reply to the requester: its text in the event, the upkeep alone. */
	r = sd_action_find("reply");
	for (int f = 0; f < SD_F__COUNT; f++)
		if (f != SD_F_UPDATED && f != SD_F_DUE_RESPONSE && f != SD_F_DUE_RESOLUTION)
			assert_int_equal(r->keys[f], SD_KEEP);
	assert_int_equal(r->keys[SD_F_UPDATED], SD_STAMP);
	assert_int_equal(r->who, SD_RULE_ANY);
	assert_false(r->texts);
	assert_true(r->flags & SD_ACT_KEEPS);
	assert_false(r->flags & SD_ACT_FINAL);
	assert_true(sd_action_event_key(r, "text"));
	assert_false(sd_action_event_key(r, "contact_attempt"));
	r = sd_action_find("link");
	for (int f = 0; f < SD_F__COUNT; f++)
		if (f != SD_F_RELATED && f != SD_F_UPDATED && f != SD_F_DUE_RESPONSE &&
		    f != SD_F_DUE_RESOLUTION)
			assert_int_equal(r->keys[f], SD_KEEP);
	assert_int_equal(sd_action_find("assign")->keys[SD_F_RESPONDED], SD_FIRST);
	assert_int_equal(sd_action_find("solve")->keys[SD_F_SOLVED], SD_STAMP);
	assert_int_equal(sd_action_find("reopen")->keys[SD_F_SOLVED], SD_CLEAR);
	assert_int_equal(sd_action_find("escalate")->keys[SD_F_ASSIGNEE], SD_CLEAR);
	assert_int_equal(sd_action_find("solve")->keys[SD_F_ASSIGNEE], SD_ACTOR);
	assert_string_equal(sd_how_word(SD_ACTOR), "actor");
	assert_true(sd_action_find("solve")->texts & SD_TEXTS_SOLUTION);
	assert_false(sd_action_find("link")->texts);
	assert_true(sd_action_event_key(sd_action_find("note"), "contact_attempt"));
	assert_true(sd_action_event_key(sd_action_find("note"), "at"));
	assert_false(sd_action_event_key(sd_action_find("note"), "group"));
	assert_false(sd_action_event_key(sd_action_find("note"), "contact"));
	assert_null(sd_action_find("fly"));
	assert_null(sd_action_find(NULL));
	assert_string_equal(sd_how_word(SD_STEP), "+1");
	assert_string_equal(sd_how_word(SD_HOW__COUNT), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_cell),
		cmocka_unit_test(where_they_go),
		cmocka_unit_test(refusals_say_why),
		cmocka_unit_test(rules_need_texts),
		cmocka_unit_test(table_and_rules_agree),
		cmocka_unit_test(roles),
		cmocka_unit_test(policies_relax),
		cmocka_unit_test(manual_agrees),
		cmocka_unit_test(actions_in_manual),
		cmocka_unit_test(action_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
