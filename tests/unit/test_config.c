/*
 * The configuration files (sd/config.h, SPEC section 7), parsed from
 * texts in memory in the order of sd_config_files: sd.ini, sla.ini,
 * agents.ini, escalation.ini.  A good configuration and its getters, then
 * each error with its exact `name:line: what`.
 */
#include "unit.h"

enum { SD, SLA, AGENTS, ESC };

static const char *const names[4] = {
	"sd.ini", "sla.ini", "agents.ini", "escalation.ini"
};

static const char good_sd[] =
	"; store settings\n"                            /*  1 */
	"[store]\n"                                     /*  2 */
	"name = Mesa de servicio\n"                     /*  3 */
	"prefix = HD\n"                                 /*  4 */
	"timezone = America/Bogota\n"                   /*  5 */
	"\n"                                            /*  6 */
	"[calendar]\n"                                  /*  7 */
	"mon = 07:30-17:00\n"                           /*  8 */
	"tue = 07:30-17:00\n"                           /*  9 */
	"wed = 07:30-12:00, 13:00-17:00\n"              /* 10 */
	"thu = 07:30-17:00\n"                           /* 11 */
	"fri = 07:30-16:00\n"                           /* 12 */
	"sat = 08:00-12:00\n"                           /* 13 */
	"sun =\n"                                       /* 14 */
	"holidays = 2026-12-08,\n"                      /* 15 */
	"    2026-12-25\n"                              /* 16 */
	"holidays = 2027-01-01\n"                       /* 17 */
	"\n"                                            /* 18 */
	"[lifecycle]\n"                                 /* 19 */
	"accept_window = 3d\n"                          /* 20 */
	"info_window = 12bh\n"                          /* 21 */
	"required = category, requester_phone\n"       /* 22 */
	"channels = phone, web,\n"                      /* 23 */
	"  chat\n"                                      /* 24 */
	"\n"                                            /* 25 */
	"[policy]\n"                                    /* 26 */
	"group_scope = no\n"                            /* 27 */
	"level1_closes = no\n"                          /* 28 */
	"\n"                                            /* 29 */
	"[mail]\n"                                      /* 30 */
	"keywords = help, ayuda\n";                     /* 31 */

static const char good_sla[] =
	"[priority]\n"                                  /*  1 */
	"high.high = 1\n"                               /*  2 */
	"high.medium = 1\n"                             /*  3 */
	"high.low = 2\n"                                /*  4 */
	"medium.high = 2\n"                             /*  5 */
	"medium.medium = 3\n"                           /*  6 */
	"medium.low = 3\n"                              /*  7 */
	"low.high = 3\n"                                /*  8 */
	"low.medium = 4\n"                              /*  9 */
	"low.low = 4\n"                                 /* 10 */
	"\n"                                            /* 11 */
	"[incident]\n"                                  /* 12 */
	"response = 30bm\n"                             /* 13 */
	"resolution.1 = 4bh\n"                          /* 14 */
	"resolution.2 = 8bh\n"                          /* 15 */
	"resolution.3 = 3bd\n"                          /* 16 */
	"resolution.4 = 5bd\n"                          /* 17 */
	"\n"                                            /* 18 */
	"[request]\n"                                   /* 19 */
	"response = 2bh\n"                              /* 20 */
	"resolution.1 = 8bh\n"                          /* 21 */
	"resolution.2 = 2bd\n"                          /* 22 */
	"resolution.3 = 5bd\n"                          /* 23 */
	"resolution.4 = 10bd\n"                         /* 24 */
	"\n"                                            /* 25 */
	"[sla]\n"                                       /* 26 */
	"warn = 75\n";                                  /* 27 */

static const char good_agents[] =
	"[group desk]\n"                                /*  1 */
	"level = 1\n"                                   /*  2 */
	"email = desk@example.org\n"                    /*  3 */
	"\n"                                            /*  4 */
	"[group apps]\n"                                /*  5 */
	"level = 2\n"                                   /*  6 */
	"\n"                                            /*  7 */
	"[group telco]\n"                               /*  8 */
	"level = 3\n"                                   /*  9 */
	"provider = yes\n"                              /* 10 */
	"\n"                                            /* 11 */
	"[agent ana]\n"                                 /* 12 */
	"name = Ana Gómez\n"                            /* 13 */
	"email = ana@example.org\n"                     /* 14 */
	"login = agomez\n"                              /* 15 */
	"groups = apps,\n"                              /* 16 */
	"    desk\n"                                    /* 17 */
	"coordinator = yes\n"                           /* 18 */
	"approves = boss\n"                             /* 19 */
	"approves = risk\n"                             /* 20 */
	"\n"                                            /* 21 */
	"[agent raul]\n"                                /* 22 */
	"name = Raúl Mejía\n"                           /* 23 */
	"groups = telco\n"                              /* 24 */
	"\n"                                            /* 25 */
	"[agent nobody]\n"                              /* 26 */
	"name = No Groups\n";                           /* 27 */

static const char good_esc[] =
	"[network]\n"                                   /*  1 */
	"level1 = desk\n"                               /*  2 */
	"level2 = apps\n"                               /*  3 */
	"level3 = telco\n"                              /*  4 */
	"\n"                                            /*  5 */
	"[network/vpn]\n"                               /*  6 */
	"level1 = desk\n"                               /*  7 */
	"\n"                                            /*  8 */
	"[access/account]\n"                            /*  9 */
	"level1 = desk\n"                               /* 10 */
	"level2 = apps\n"                               /* 11 */
	"approvals = boss,\n"                           /* 12 */
	"    risk\n";                                   /* 13 */

/* The minimal sd.ini and sla.ini: the rest is default. */
#define MIN_CAL "[calendar]\nmon = 07:30-17:00\n"
static const char min_sla[] = UNIT_SLA_INI;

static struct sd_config *
parse_good(const char *sd, const char *sla, const char *agents, const char *esc)
{
	const char *texts[4] = { sd, sla, agents, esc };
	struct sd_config *cfg = NULL;

	if (sd_config_parse(&cfg, texts, names) < 0)
		fail_msg("sd_config_parse: %s", sd_error_message());
	assert_non_null(cfg);
	return cfg;
}

/* The good configuration with file's text replaced: fails with msg. */
static void
fails(int file, const char *text, const char *msg)
{
	const char *texts[4] = { good_sd, good_sla, good_agents, good_esc };
	struct sd_config *cfg = (struct sd_config *)1;

	texts[file] = text;
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG, msg);
	assert_null(cfg);
}

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

static void
edit_fails(int file, const char *base, int lineno, const char *repl, const char *msg)
{
	char *text = edit(base, lineno, repl);

	fails(file, text, msg);
}

static void
list_is(size_t n, const char *const *v, const char *want)
{
	char buf[512] = "";

	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, v[i]);
	}
	assert_string_equal(buf, want);
}

/* --- a good configuration ------------------------------------------ */

static void
test_good_store(void **state)
{
	struct sd_config *cfg = parse_good(good_sd, good_sla, good_agents, good_esc);
	const char *const *v;
	size_t n;

	(void)state;
	assert_string_equal(sd_config_name(cfg), "Mesa de servicio");
	assert_string_equal(sd_config_prefix(cfg), "HD");
	assert_string_equal(sd_config_timezone(cfg), "America/Bogota");
	assert_string_equal(sd_zone_name(sd_config_zone(cfg)), "America/Bogota");
	assert_int_equal(sd_config_accept_window(cfg)->amount, 3 * 86400);
	assert_int_equal(sd_config_accept_window(cfg)->unit, SD_DUR_WALL);
	assert_int_equal(sd_config_info_window(cfg)->amount, 12 * 3600);
	assert_int_equal(sd_config_info_window(cfg)->unit, SD_DUR_BUSINESS);
	assert_int_equal(sd_config_warn(cfg), 75);
	assert_int_equal(sd_config_policy(cfg, SD_POLICY_GROUP_SCOPE), 0);
	assert_int_equal(sd_config_policy(cfg, SD_POLICY_LEVEL1_CLOSES), 0);
	assert_int_equal(sd_config_policy(cfg, SD_POLICY_TRUST_ENV_AGENT), 1);
	assert_int_equal(sd_config_policy(cfg, SD_POLICY_LEVEL1_REGISTERS), 1);
	assert_int_equal(sd_config_policy(cfg, SD_POLICY_LEVEL1_ESCALATES_FIRST), 1);
	/* Lists, over an indented line: the given list replaces the default. */
	n = sd_config_channels(cfg, &v);
	list_is(n, v, "phone|web|chat");
	assert_true(sd_config_has_channel(cfg, "chat"));
	assert_false(sd_config_has_channel(cfg, "email"));
	n = sd_config_required(cfg, &v);
	list_is(n, v, "category|requester_phone");
	n = sd_config_keywords(cfg, &v);
	list_is(n, v, "help|ayuda");
	sd_config_free(cfg);
}

static void
test_good_calendar(void **state)
{
	struct sd_config *cfg = parse_good(good_sd, good_sla, good_agents, good_esc);
	struct sd_calendar *cal = sd_config_calendar(cfg);

	(void)state;
	assert_true(sd_calendar_is_open(cal));
	/* Monday 2026-11-23: 07:30-17:00, 9.5 h. */
	assert_int_equal(sd_calendar_between(cal, unit_time("2026-11-23T00:00:00-05:00"),
	    unit_time("2026-11-24T00:00:00-05:00")), 34200);
	/* Wednesday: 4.5 h + 4 h around lunch. */
	assert_int_equal(sd_calendar_between(cal, unit_time("2026-11-25T00:00:00-05:00"),
	    unit_time("2026-11-26T00:00:00-05:00")), 30600);
	/* Friday 07:30-16:00: 8.5 h; Saturday 4 h; Sunday closed. */
	assert_int_equal(sd_calendar_between(cal, unit_time("2026-11-27T00:00:00-05:00"),
	    unit_time("2026-11-28T00:00:00-05:00")), 30600);
	assert_int_equal(sd_calendar_between(cal, unit_time("2026-11-28T00:00:00-05:00"),
	    unit_time("2026-11-30T00:00:00-05:00")), 4 * 3600);
	/* The three holidays: from the first line, the indented line and
	 * the repeated key (Tue 12-08, Fri 12-25, Fri 2027-01-01). */
	assert_int_equal(sd_calendar_between(cal, unit_time("2026-12-08T00:00:00-05:00"),
	    unit_time("2026-12-09T00:00:00-05:00")), 0);
	assert_int_equal(sd_calendar_between(cal, unit_time("2026-12-25T00:00:00-05:00"),
	    unit_time("2026-12-26T00:00:00-05:00")), 0);
	assert_int_equal(sd_calendar_between(cal, unit_time("2027-01-01T00:00:00-05:00"),
	    unit_time("2027-01-02T00:00:00-05:00")), 0);
	assert_int_equal(sd_calendar_between(cal, unit_time("2026-12-18T00:00:00-05:00"),
	    unit_time("2026-12-19T00:00:00-05:00")), 30600);
	sd_config_free(cfg);
}

static void
test_good_sla(void **state)
{
	struct sd_config *cfg = parse_good(good_sd, good_sla, good_agents, good_esc);
	/* urgency x impact, high medium low. */
	static const int want[3][3] = { { 1, 1, 2 }, { 2, 3, 3 }, { 3, 4, 4 } };

	(void)state;
	for (int u = 0; u < 3; u++)
		for (int i = 0; i < 3; i++)
			assert_int_equal(sd_config_priority(cfg, u, i), want[u][i]);
	assert_int_equal(sd_config_response(cfg, SD_TYPE_INCIDENT)->amount, 30 * 60);
	assert_int_equal(sd_config_response(cfg, SD_TYPE_INCIDENT)->unit, SD_DUR_BUSINESS);
	assert_int_equal(sd_config_response(cfg, SD_TYPE_REQUEST)->amount, 2 * 3600);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_INCIDENT, 1)->amount, 4 * 3600);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_INCIDENT, 2)->amount, 8 * 3600);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_INCIDENT, 3)->amount, 3);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_INCIDENT, 3)->unit,
	    SD_DUR_BUSINESS_DAYS);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_INCIDENT, 4)->amount, 5);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_REQUEST, 2)->amount, 2);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_REQUEST, 4)->amount, 10);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_REQUEST, 4)->unit,
	    SD_DUR_BUSINESS_DAYS);
	sd_config_free(cfg);
}

static void
test_good_agents(void **state)
{
	struct sd_config *cfg = parse_good(good_sd, good_sla, good_agents, good_esc);
	const struct sd_group *g;
	const struct sd_agent *a;

	(void)state;
	assert_int_equal(sd_config_group_count(cfg), 3);
	assert_string_equal(sd_config_group_at(cfg, 0)->name, "desk");
	assert_string_equal(sd_config_group_at(cfg, 1)->name, "apps");
	assert_string_equal(sd_config_group_at(cfg, 2)->name, "telco");
	g = sd_config_group(cfg, "desk");
	assert_non_null(g);
	assert_int_equal(g->level, 1);
	assert_int_equal(g->provider, 0);
	assert_string_equal(g->email, "desk@example.org");
	g = sd_config_group(cfg, "telco");
	assert_int_equal(g->level, 3);
	assert_int_equal(g->provider, 1);
	assert_null(g->email);
	assert_null(sd_config_group(cfg, "Desk"));

	assert_int_equal(sd_config_agent_count(cfg), 3);
	assert_string_equal(sd_config_agent_at(cfg, 1)->id, "raul");
	a = sd_config_agent(cfg, "ana");
	assert_non_null(a);
	assert_string_equal(a->name, "Ana Gómez");
	assert_string_equal(a->email, "ana@example.org");
	assert_string_equal(a->login, "agomez");
	assert_int_equal(a->coordinator, 1);
	list_is(a->ngroups, a->groups, "apps|desk");
	list_is(a->napproves, a->approves, "boss|risk");
	assert_true(sd_agent_in_group(a, "desk"));
	assert_false(sd_agent_in_group(a, "telco"));
	/* The lowest level of the agent's groups: apps 2, desk 1. */
	assert_int_equal(sd_agent_level(cfg, a), 1);
	assert_int_equal(sd_agent_level(cfg, sd_config_agent(cfg, "raul")), 3);
	assert_int_equal(sd_agent_level(cfg, sd_config_agent(cfg, "nobody")), 0);
	assert_int_equal(sd_config_agent(cfg, "raul")->coordinator, 0);
	assert_null(sd_config_agent(cfg, "raul")->login);
	assert_int_equal(sd_config_agent(cfg, "raul")->napproves, 0);
	/* By login, or by id. */
	assert_ptr_equal(sd_config_agent_by_login(cfg, "agomez"), a);
	assert_ptr_equal(sd_config_agent_by_login(cfg, "ana"), a);
	assert_ptr_equal(sd_config_agent_by_login(cfg, "raul"), sd_config_agent(cfg, "raul"));
	assert_null(sd_config_agent_by_login(cfg, "root"));
	assert_null(sd_config_agent(cfg, "agomez"));
	sd_config_free(cfg);
}

static void
test_good_categories(void **state)
{
	struct sd_config *cfg = parse_good(good_sd, good_sla, good_agents, good_esc);
	const struct sd_category *c;

	(void)state;
	assert_int_equal(sd_config_category_count(cfg), 3);
	assert_string_equal(sd_config_category_at(cfg, 0)->name, "network");
	assert_string_equal(sd_config_category_at(cfg, 2)->name, "access/account");
	c = sd_config_category(cfg, "network");
	assert_string_equal(c->level[0], "desk");
	assert_string_equal(c->level[1], "apps");
	assert_string_equal(c->level[2], "telco");
	assert_int_equal(c->napprovals, 0);
	c = sd_config_category(cfg, "network/vpn");
	assert_string_equal(c->level[0], "desk");
	assert_null(c->level[1]);
	assert_null(c->level[2]);
	c = sd_config_category(cfg, "access/account");
	list_is(c->napprovals, c->approvals, "boss|risk");
	assert_null(sd_config_category(cfg, "network/"));
	assert_null(sd_config_category(cfg, "access"));
	sd_config_free(cfg);
}

/* What is not given is default; agents and escalation may be empty. */
static void
test_defaults(void **state)
{
	struct sd_config *cfg = parse_good("[store]\ntimezone = UTC\n" MIN_CAL, min_sla, NULL, "");
	const char *const *v;
	size_t n;

	(void)state;
	assert_string_equal(sd_config_name(cfg), "Service desk");
	assert_string_equal(sd_config_prefix(cfg), "SD");
	assert_int_equal(sd_config_accept_window(cfg)->amount, 48 * 3600);
	assert_int_equal(sd_config_accept_window(cfg)->unit, SD_DUR_WALL);
	assert_int_equal(sd_config_info_window(cfg)->amount, 24 * 3600);
	assert_int_equal(sd_config_warn(cfg), 80);
	for (int p = 0; p < SD_POLICY__COUNT; p++)
		assert_int_equal(sd_config_policy(cfg, p), 1);
	n = sd_config_channels(cfg, &v);
	list_is(n, v, "phone|email|web|chat|teams|walk-in");
	n = sd_config_required(cfg, &v);
	list_is(n, v, "category|requester_email");
	assert_int_equal(sd_config_keywords(cfg, &v), 0);
	assert_int_equal(sd_config_group_count(cfg), 0);
	assert_int_equal(sd_config_agent_count(cfg), 0);
	assert_int_equal(sd_config_category_count(cfg), 0);
	sd_config_free(cfg);
}

/* Names longer than inih's 50-byte section buffer are still whole. */
static void
test_long_names(void **state)
{
	/* 53 to 56 bytes (inih keeps 49): valid names go up to 64. */
	static const char agents[] =
		"[group desk-with-a-rather-long-name-for-a-group-of-agents-xx]\nlevel = 1\n"
		"[agent an-agent-id-that-is-quite-long-but-still-valid-to-use-xx]\n"
		"groups = desk-with-a-rather-long-name-for-a-group-of-agents-xx\n";
	static const char esc[] =
		"[infrastructure/datacenter/cooling/chillers-and-pumps-xx]\n"
		"level1 = desk-with-a-rather-long-name-for-a-group-of-agents-xx\n";
	struct sd_config *cfg = parse_good("[store]\ntimezone = UTC\n" MIN_CAL, min_sla,
	    agents, esc);

	(void)state;
	assert_int_equal(sd_config_group_count(cfg), 1);
	assert_int_equal(sd_config_group_at(cfg, 0)->level, 1);
	assert_int_equal(sd_config_agent_count(cfg), 1);
	assert_string_equal(sd_config_agent_at(cfg, 0)->id,
	    "an-agent-id-that-is-quite-long-but-still-valid-to-use-xx");
	assert_int_equal(sd_config_category_count(cfg), 1);
	assert_non_null(sd_config_category(cfg,
	    "infrastructure/datacenter/cooling/chillers-and-pumps-xx"));
	sd_config_free(cfg);
}

/* --- errors -------------------------------------------------------- */

static void
test_errors_sd(void **state)
{
	char line[256];

	(void)state;
	fails(SD, "[store]\nnmae = x\n" MIN_CAL, "sd.ini:2: unknown key 'nmae' in [store]");
	fails(SD, "[store]\nname = a\nname = b\n" MIN_CAL, "sd.ini:3: duplicate key 'name'");
	fails(SD, "name = x\n[store]\n" MIN_CAL, "sd.ini:1: key outside any [section]");
	fails(SD, "[store]\nname = a\n[store]\nprefix = SD\n" MIN_CAL,
	    "sd.ini:3: duplicate section [store]");
	edit_fails(SD, good_sd, 20, "accept_window = 48x\n",
	    "sd.ini:20: accept_window: '48x' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)");
	edit_fails(SD, good_sd, 21, "info_window = 1w\n",
	    "sd.ini:21: info_window: '1w' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)");
	edit_fails(SD, good_sd, 27, "group_scope = maybe\n",
	    "sd.ini:27: group_scope must be yes or no, not 'maybe'");
	edit_fails(SD, good_sd, 27, "group_scope = Yes\n",
	    "sd.ini:27: group_scope must be yes or no, not 'Yes'");
	edit_fails(SD, good_sd, 27, "group_scop = no\n", "sd.ini:27: unknown key 'group_scop' in [policy]");
	edit_fails(SD, good_sd, 4, "prefix = sd\n",
	    "sd.ini:4: prefix must be 1 to 10 capital letters or digits, starting with a letter, not 'sd'");
	edit_fails(SD, good_sd, 4, "prefix = 1SD\n",
	    "sd.ini:4: prefix must be 1 to 10 capital letters or digits, starting with a letter, not '1SD'");
	edit_fails(SD, good_sd, 4, "prefix = S-D\n",
	    "sd.ini:4: prefix must be 1 to 10 capital letters or digits, starting with a letter, not 'S-D'");
	edit_fails(SD, good_sd, 4, "prefix = ABCDEFGHIJK\n",
	    "sd.ini:4: prefix must be 1 to 10 capital letters or digits, starting with a letter, not 'ABCDEFGHIJK'");
	edit_fails(SD, good_sd, 4, "prefix =\n",
	    "sd.ini:4: prefix must be 1 to 10 capital letters or digits, starting with a letter, not ''");
	edit_fails(SD, good_sd, 5, "timezone = Mars/Olympus_Mons\n",
	    "sd.ini:5: unknown time zone 'Mars/Olympus_Mons'");
	edit_fails(SD, good_sd, 5, "timezone = ../etc/passwd\n",
	    "sd.ini:5: unknown time zone '../etc/passwd'");
	edit_fails(SD, good_sd, 8, "mon = 7:30-17:00\n",
	    "sd.ini:8: mon: '7:30-17:00' is not a list of HH:MM-HH:MM ranges in order");
	edit_fails(SD, good_sd, 10, "wed = 07:30-12:00, 11:00-17:00\n",
	    "sd.ini:10: wed: '07:30-12:00, 11:00-17:00' is not a list of HH:MM-HH:MM ranges in order");
	edit_fails(SD, good_sd, 8, "monday = 07:30-17:00\n",
	    "sd.ini:8: unknown key 'monday' in [calendar]");
	/* A bad holiday on the indented line is reported at that line. */
	edit_fails(SD, good_sd, 16, "    2026-02-30\n",
	    "sd.ini:16: holidays: '2026-02-30' is not a YYYY-MM-DD date");
	edit_fails(SD, good_sd, 17, "holidays = 2026-13-01\n",
	    "sd.ini:17: holidays: '2026-13-01' is not a YYYY-MM-DD date");
	edit_fails(SD, good_sd, 22, "required = category, title\n",
	    "sd.ini:22: required: 'title' is not one of category, requester_email, "
	    "requester_phone, urgency, impact");
	edit_fails(SD, good_sd, 24, "  e mail\n", "sd.ini:24: channels: 'e mail' is not a valid name");
	/* No hours on any day. */
	fails(SD, "[store]\nname = x\n", "sd.ini: [calendar] has no business hours");
	fails(SD, "[store]\nname = x\n[calendar]\nmon =\nsat =\n",
	    "sd.ini:3: [calendar] has no business hours");
	/* A line too long for inih. */
	snprintf(line, sizeof(line), "name = %0191d\n", 0);     /* 198 bytes */
	edit_fails(SD, good_sd, 3, line, "sd.ini:3: line longer than 197 bytes");
	snprintf(line, sizeof(line), "name = %0190d\n", 0);     /* 197: fine */
	{
		char *text = edit(good_sd, 3, line);
		struct sd_config *cfg = parse_good(text, good_sla, good_agents, good_esc);
		assert_int_equal(strlen(sd_config_name(cfg)), 190);
		sd_config_free(cfg);
		}
	fails(SD, "[store]\nname = x\nthis is no ini line\n" MIN_CAL,
	    "sd.ini:3: not a [section] or key = value line");
}

/* [store] push_refs: names and globs under refs/, separated by commas or
 * spaces, over more than one line; empty by default; anything else
 * reported at its line. */
/* [sync]: defaults without it, each key read, each bad value refused on
 * its line. */
static char *
with_sync(const char *keys)
{
	static char out[8192];

	assert_true(strlen(good_sd) + strlen(keys) + 10 < sizeof(out));
	snprintf(out, sizeof(out), "%s\n[sync]\n%s", good_sd, keys);
	return out;
}

static void
sync_fails(const char *keys, const char *msg)
{
	char want[300];
	int line = 2;   /* the blank line and [sync] */

	for (const char *p = good_sd; *p; p++)
		line += *p == '\n';
	snprintf(want, sizeof(want), "sd.ini:%d: %s", line + 1, msg);
	fails(SD, with_sync(keys), want);
}

static void
test_sync(void **state)
{
	struct sd_config *cfg;
	const struct sd_sync_config *sc;

	(void)state;
	cfg = parse_good(good_sd, good_sla, good_agents, good_esc);
	sc = sd_config_sync(cfg);
	assert_int_equal(sc->given, 0);
	assert_int_equal(sc->lease, 1000);
	assert_int_equal(sc->low, 100);
	assert_int_equal(sc->tries, 5);
	assert_int_equal(sc->automation_hub, 1);
	assert_int_equal(sc->max_skew, 300);
	assert_int_equal(sc->timeout, 30);
	sd_config_free(cfg);

	cfg = parse_good(with_sync("lease = 500\nlow = 0\ntries = 2\nautomation = everywhere\n"
	    "max_skew = 2h\ntimeout = 1m\n"), good_sla, good_agents, good_esc);
	sc = sd_config_sync(cfg);
	assert_int_equal(sc->given, 1);
	assert_int_equal(sc->lease, 500);
	assert_int_equal(sc->low, 0);
	assert_int_equal(sc->tries, 2);
	assert_int_equal(sc->automation_hub, 0);
	assert_int_equal(sc->max_skew, 7200);
	assert_int_equal(sc->timeout, 60);
	sd_config_free(cfg);

	sync_fails("automation = sites\n", "automation must be hub or everywhere, not 'sites'");
	sync_fails("lease = 9\n", "lease must be a whole number from 10 to 1000000, not '9'");
	sync_fails("tries = 0\n", "tries must be a whole number from 1 to 100, not '0'");
	sync_fails("max_skew = 5bh\n",
	    "max_skew: '5bh' is not a duration in clock time (Nm, Nh or Nd)");
	sync_fails("timeout = soon\n",
	    "timeout: 'soon' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)");
	sync_fails("hub = ssh://x\n", "unknown key 'hub' in [sync]");
}

static void
test_push_refs(void **state)
{
	struct sd_config *cfg;
	const char *const *v;
	size_t n;

	(void)state;
	cfg = parse_good(good_sd, good_sla, good_agents, good_esc);
	assert_int_equal(sd_config_push_refs(cfg, &v), 0);
	sd_config_free(cfg);
	cfg = parse_good(edit(good_sd, 4, "prefix = HD\n"
	    "push_refs = refs/tags/v*, refs/notes/*  refs/heads/site-[ab]\n"
	    "push_refs = refs/heads/x.y_z\n"), good_sla, good_agents, good_esc);
	n = sd_config_push_refs(cfg, &v);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "refs/tags/v*");
	assert_string_equal(v[1], "refs/notes/*");
	assert_string_equal(v[2], "refs/heads/site-[ab]");
	assert_string_equal(v[3], "refs/heads/x.y_z");
	sd_config_free(cfg);
	edit_fails(SD, good_sd, 4, "prefix = HD\npush_refs = tags/v1\n",
	    "sd.ini:5: push_refs: 'tags/v1' is not a ref name or glob under refs/");
	edit_fails(SD, good_sd, 4, "prefix = HD\npush_refs = refs/tags/v1, refs/../x\n",
	    "sd.ini:5: push_refs: 'refs/../x' is not a ref name or glob under refs/");
	edit_fails(SD, good_sd, 4, "prefix = HD\npush_refs = refs//x\n",
	    "sd.ini:5: push_refs: 'refs//x' is not a ref name or glob under refs/");
	edit_fails(SD, good_sd, 4, "prefix = HD\npush_refs = refs/tags/\n",
	    "sd.ini:5: push_refs: 'refs/tags/' is not a ref name or glob under refs/");
	edit_fails(SD, good_sd, 4, "prefix = HD\npush_refs = refs/tags/a~b\n",
	    "sd.ini:5: push_refs: 'refs/tags/a~b' is not a ref name or glob under refs/");
	edit_fails(SD, good_sd, 4, "prefix = HD\npush_refs = refs\n",
	    "sd.ini:5: push_refs: 'refs' is not a ref name or glob under refs/");
}

/* An unknown section is reported at its own line, keys or none. */
/* [mail] limits: the defaults, sizes in bytes, K and M, and each bad
 * value with its line. */
/* [store] language, [mail] address, name, remind_before; sendmail is
 * refused (machine-local: git config sd.sendmail). */
static void
test_mail_out_keys(void **state)
{
	static const struct { const char *line, *msg; } bad[] = {
		{ "address = nobody\n", "sd.ini:4: address must be one address such as desk@example.org, not 'nobody'" },
		{ "address = a@b@c\n", "sd.ini:4: address must be one address such as desk@example.org, not 'a@b@c'" },
		{ "address = <d@x.org>\n", "sd.ini:4: address must be one address such as desk@example.org, not '<d@x.org>'" },
		{ "address = @x.org\n", "sd.ini:4: address must be one address such as desk@example.org, not '@x.org'" },
		{ "address = d@\n", "sd.ini:4: address must be one address such as desk@example.org, not 'd@'" },
		{ "name =\n", "sd.ini:4: name: the value is empty" },
		{ "sendmail = /usr/sbin/sendmail -t\n", "sd.ini:4: sendmail: set it with git config sd.sendmail (machine-local), not in sd.ini" },
		{ "sendmail =\n", "sd.ini:4: sendmail: set it with git config sd.sendmail (machine-local), not in sd.ini" },
		{ "remind_before = soon\n", "sd.ini:4: remind_before: 'soon' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)" },
		{ "remind_before = 24h\n", "sd.ini:3: remind_before must be shorter than info_window" },
		{ "remind_before = 2bh\n", "sd.ini:3: remind_before: business time before an info_window of another unit" },
	};
	struct duration_buf { struct sd_duration d; } b;
	struct sd_config *cfg;
	const struct sd_duration *d;
	char text[256];

	(void)state;
	cfg = parse_good(MIN_CAL, min_sla, NULL, NULL);
	assert_string_equal(sd_config_language(cfg), "en");
	assert_null(sd_config_mail_address(cfg));
	assert_string_equal(sd_config_mail_name(cfg), "Service desk");
	/* A quarter of the default info_window, 24h. */
	d = sd_config_remind_before(cfg, &b.d);
	assert_int_equal(d->amount, 6 * 3600);
	assert_int_equal(d->unit, SD_DUR_WALL);
	sd_config_free(cfg);
	cfg = parse_good("[store]\nlanguage = es\n" MIN_CAL "[lifecycle]\ninfo_window = 3bd\n"
	    "[mail]\naddress = desk@desk.example\nname = Mesa TI\n", min_sla, NULL, NULL);
	assert_string_equal(sd_config_language(cfg), "es");
	assert_string_equal(sd_config_mail_address(cfg), "desk@desk.example");
	assert_string_equal(sd_config_mail_name(cfg), "Mesa TI");
	/* 3bd / 4, whole business days rounded up: 1bd. */
	d = sd_config_remind_before(cfg, &b.d);
	assert_int_equal(d->amount, 1);
	assert_int_equal(d->unit, SD_DUR_BUSINESS_DAYS);
	sd_config_free(cfg);
	cfg = parse_good(MIN_CAL "[mail]\nremind_before = 2h\n", min_sla, NULL, NULL);
	assert_int_equal(sd_config_remind_before(cfg, &b.d)->amount, 7200);
	sd_config_free(cfg);
	{
		const char *texts[4] = { "[store]\nlanguage = fr\n" MIN_CAL, min_sla, NULL, NULL };
		struct sd_config *c = NULL;
		assert_fails(sd_config_parse(&c, texts, names), SD_ECONFIG,
		    "sd.ini:2: language must be en or es, not 'fr'");
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *texts[4] = { text, min_sla, NULL, NULL };
		struct sd_config *c = (struct sd_config *)1;

		snprintf(text, sizeof(text), "%s[mail]\n%s", MIN_CAL, bad[i].line);
		assert_fails(sd_config_parse(&c, texts, names), SD_ECONFIG, bad[i].msg);
		assert_null(c);
	}
}

static void
test_mail_limits(void **state)
{
	static const struct {
		const char *line, *msg;
	} bad[] = {
		{ "max_size = 1023\n", "sd.ini:4: max_size: '1023' is not a size from 1K to 64M (bytes, or a number with K or M)" },
		{ "max_size = 64M1\n", "sd.ini:4: max_size: '64M1' is not a size from 1K to 64M (bytes, or a number with K or M)" },
		{ "max_size = 65537K\n", "sd.ini:4: max_size: '65537K' is not a size from 1K to 64M (bytes, or a number with K or M)" },
		{ "max_size = 18446744073709551617\n", "sd.ini:4: max_size: '18446744073709551617' is not a size from 1K to 64M (bytes, or a number with K or M)" },
		{ "max_text = 1025K\n", "sd.ini:4: max_text: '1025K' is not a size from 1K to 1M (bytes, or a number with K or M)" },
		{ "max_depth = 101\n", "sd.ini:4: max_depth must be a whole number from 1 to 100, not '101'" },
		{ "max_parts = 0\n", "sd.ini:4: max_parts must be a whole number from 1 to 1000, not '0'" },
		{ "notes_per_hour = 1.5\n", "sd.ini:4: notes_per_hour must be a whole number from 0 to 100000, not '1.5'" },
		{ "strangers = Refuse\n", "sd.ini:4: strangers must be new or refuse, not 'Refuse'" },
		{ "strangers =\n", "sd.ini:4: strangers must be new or refuse, not ''" },
	};
	struct sd_config *cfg;
	const struct sd_mail_limits *l;
	char text[256];

	(void)state;
	cfg = parse_good(MIN_CAL, min_sla, NULL, NULL);
	l = sd_config_mail_limits(cfg);
	assert_int_equal(l->max_size, 10485760);
	assert_int_equal(l->max_depth, 10);
	assert_int_equal(l->max_parts, 100);
	assert_int_equal(l->notes_per_hour, 20);
	assert_int_equal(l->max_text, 1048576);
	assert_int_equal(sd_config_mail_refuse_strangers(cfg), 0);
	sd_config_free(cfg);
	cfg = parse_good(MIN_CAL "[mail]\nstrangers = refuse\n", min_sla, NULL, NULL);
	assert_int_equal(sd_config_mail_refuse_strangers(cfg), 1);
	sd_config_free(cfg);
	cfg = parse_good(MIN_CAL "[mail]\nstrangers = new\n", min_sla, NULL, NULL);
	assert_int_equal(sd_config_mail_refuse_strangers(cfg), 0);
	sd_config_free(cfg);
	cfg = parse_good(MIN_CAL "[mail]\nmax_size = 512K\nmax_depth = 1\nmax_parts = 1000\n"
	    "notes_per_hour = 0\nmax_text = 1025\n", min_sla, NULL, NULL);
	l = sd_config_mail_limits(cfg);
	assert_int_equal(l->max_size, 524288);
	assert_int_equal(l->max_depth, 1);
	assert_int_equal(l->max_parts, 1000);
	assert_int_equal(l->notes_per_hour, 0);
	assert_int_equal(l->max_text, 1025);
	sd_config_free(cfg);
	cfg = parse_good(MIN_CAL "[mail]\nmax_size = 64M\nmax_text = 1M\n", min_sla, NULL, NULL);
	assert_int_equal(sd_config_mail_limits(cfg)->max_size, 67108864);
	assert_int_equal(sd_config_mail_limits(cfg)->max_text, 1048576);
	sd_config_free(cfg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *texts[4] = { text, min_sla, NULL, NULL };
		struct sd_config *c = (struct sd_config *)1;

		snprintf(text, sizeof(text), "%s[mail]\n%s", MIN_CAL, bad[i].line);
		assert_fails(sd_config_parse(&c, texts, names), SD_ECONFIG, bad[i].msg);
		assert_null(c);
	}
}

static void
test_errors_unknown_section(void **state)
{
	(void)state;
	fails(SD, "[store]\nname = x\n[bogus]\nkey = 1\n" MIN_CAL,
	    "sd.ini:3: unknown section [bogus]");
	fails(SLA, "[bogus]\nkey = 1\n", "sla.ini:1: unknown section [bogus]");
	fails(AGENTS, "[group desk]\nlevel = 1\n[user ana]\nname = Ana\n",
	    "agents.ini:3: unknown section [user ana] (want [group NAME] or [agent ID])");
	fails(ESC, "[network]\nlevel1 = desk\n[net work]\nlevel1 = desk\n",
	    "escalation.ini:3: 'net work' is not a valid category name");
	/* Empty, it is a mistake all the same. */
	fails(SD, "[store]\nname = x\n[calendr]\n" MIN_CAL, "sd.ini:3: unknown section [calendr]");
}

static void
test_errors_sla(void **state)
{
	(void)state;
	edit_fails(SLA, good_sla, 10, "", "sla.ini:1: [priority] has no low.low");
	edit_fails(SLA, good_sla, 2, "", "sla.ini:1: [priority] has no high.high");
	edit_fails(SLA, good_sla, 2, "high.high = 5\n",
	    "sla.ini:2: high.high must be a whole number from 1 to 4, not '5'");
	edit_fails(SLA, good_sla, 2, "high.high = one\n",
	    "sla.ini:2: high.high must be a whole number from 1 to 4, not 'one'");
	edit_fails(SLA, good_sla, 2, "urgent.high = 1\n",
	    "sla.ini:2: 'urgent.high' is not urgency.impact (high, medium or low each)");
	edit_fails(SLA, good_sla, 3, "high.high = 2\n", "sla.ini:3: duplicate key 'high.high'");
	edit_fails(SLA, good_sla, 23, "", "sla.ini:19: [request] has no resolution.3");
	edit_fails(SLA, good_sla, 14, "", "sla.ini:12: [incident] has no resolution.1");
	edit_fails(SLA, good_sla, 13, "", "sla.ini:12: [incident] has no response");
	edit_fails(SLA, good_sla, 14, "resolution.5 = 4bh\n",
	    "sla.ini:14: unknown key 'resolution.5' in [incident]");
	edit_fails(SLA, good_sla, 16, "resolution.3 = 3 bd\n",
	    "sla.ini:16: resolution.3: '3 bd' is not a duration (Nm, Nh, Nd, Nbm, Nbh or Nbd)");
	edit_fails(SLA, good_sla, 27, "warn = 0\n",
	    "sla.ini:27: warn must be a whole number from 1 to 100, not '0'");
	edit_fails(SLA, good_sla, 27, "warn = 101\n",
	    "sla.ini:27: warn must be a whole number from 1 to 100, not '101'");
	edit_fails(SLA, good_sla, 27, "warn = 80%\n",
	    "sla.ini:27: warn must be a whole number from 1 to 100, not '80%'");
}

/* Targets bounded by what the calendar counts to (sd-config(5)).  good_sd:
 * 6 days with hours, 49.5 h a week, 9.5 h the longest day; holidays on a
 * Tuesday (9.5 h) and two Fridays (8.5 h): 2600 * 178200 - 95400 -
 * 204 * 34200 = 456247800 s, over 99999 h, and 13340 days of 34200 s
 * (fewer than 2600 * 6 - 3 - 1 = 15596). */
static const char sparse_sd[] =
	"[store]\n"                                     /*  1 */
	"timezone = America/Bogota\n"                   /*  2 */
	"[calendar]\n"                                  /*  3 */
	"mon = 08:00-08:01\n"                           /*  4 */
	"holidays = 2026-12-08\n"                       /*  5 */
	"[lifecycle]\n"                                 /*  6 */
	"accept_window = 2396bd\n"                      /*  7 */
	"info_window = 2396bm\n";                       /*  8 */

static void
test_target_bounds(void **state)
{
	const char *texts[4] = { good_sd, NULL, good_agents, good_esc };
	struct sd_config *cfg;
	char *text;

	(void)state;
	text = edit(good_sla, 16, "resolution.3 = 13340bd\n");
	texts[SLA] = text;
	cfg = parse_good(texts[SD], texts[SLA], texts[AGENTS], texts[ESC]);
	assert_int_equal(sd_config_resolution(cfg, SD_TYPE_INCIDENT, 3)->amount, 13340);
	sd_config_free(cfg);
	edit_fails(SLA, good_sla, 16, "resolution.3 = 13341bd\n",
	    "sla.ini:16: resolution.3: 13341bd is more business time than the calendar can count to (at most 13340bd)");
	edit_fails(SLA, good_sla, 20, "response = 99999bd\n",
	    "sla.ini:20: response: 99999bd is more business time than the calendar can count to (at most 13340bd)");
	text = edit(good_sla, 14, "resolution.1 = 99999bh\n");
	cfg = parse_good(good_sd, text, good_agents, good_esc);
	sd_config_free(cfg);

	/* One minute on Mondays, its Tuesday holiday taking nothing:
	 * (2600 - 204) * 60 s = 2396 min = 39 h and some; 2396 days of a
	 * minute (fewer than 2600 - 1). */
	cfg = parse_good(sparse_sd, min_sla, UNIT_AGENTS_INI, UNIT_ESCALATION_INI);
	assert_int_equal(sd_config_accept_window(cfg)->amount, 2396);
	sd_config_free(cfg);
	texts[SD] = sparse_sd;
	texts[SLA] = "[priority]\nhigh.high = 1\nhigh.medium = 1\nhigh.low = 1\n"
	    "medium.high = 1\nmedium.medium = 1\nmedium.low = 1\nlow.high = 1\n"
	    "low.medium = 1\nlow.low = 1\n[incident]\nresponse = 2396bm\n"
	    "resolution.1 = 39bh\nresolution.2 = 39bh\nresolution.3 = 2396bd\n"
	    "resolution.4 = 2396bd\n[request]\nresponse = 1bm\nresolution.1 = 1bm\n"
	    "resolution.2 = 1bm\nresolution.3 = 1bm\nresolution.4 = 40bh\n";
	texts[AGENTS] = UNIT_AGENTS_INI;
	texts[ESC] = UNIT_ESCALATION_INI;
	cfg = (struct sd_config *)1;
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sla.ini:22: resolution.4: 40bh is more business time than the calendar can count to (at most 39bh)");
	assert_null(cfg);
	texts[SD] = edit(sparse_sd, 7, "accept_window = 2397bd\n");
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sd.ini:6: accept_window: 2397bd is more business time than the calendar can count to (at most 2396bd)");
	texts[SD] = edit(sparse_sd, 8, "info_window = 2397bm\n");
	assert_fails(sd_config_parse(&cfg, texts, names), SD_ECONFIG,
	    "sd.ini:6: info_window: 2397bm is more business time than the calendar can count to (at most 2396bm)");
}

/* A calendar whose every day is a holiday for longer than a search goes:
 * refused, at its [calendar] line. */
static void
test_calendar_all_holidays(void **state)
{
	const char *texts[4] = { NULL, good_sla, good_agents, good_esc };
	struct sd_config *cfg = (struct sd_config *)1;
	size_t size = 200 + 18300 * 13, n;
	char *sd = malloc(size);
	time_t first = 1798761600;      /* 2027-01-01T00:00:00Z */

	(void)state;
	assert_non_null(sd);
	n = (size_t)snprintf(sd, size, "[store]\ntimezone = America/Bogota\n[calendar]\n"
	    "mon = 07:30-17:00\nholidays = ");
	for (long i = 0; i < 18300; i++) {
		time_t t = first + (time_t)i * 86400;
		struct tm tm;

		gmtime_r(&t, &tm);
		/* Ten a line, the next ones indented. */
		n += strftime(sd + n, size - n, !i ? "%Y-%m-%d" : i % 10 ? ", %Y-%m-%d" :
		    ",\n  %Y-%m-%d", &tm);
	}
	snprintf(sd + n, size - n, "\n");
	texts[SD] = sd;
	if (sd_config_parse(&cfg, texts, names) != SD_ECONFIG) {
		free(sd);
		fail_msg("a calendar of holidays taken");
	}
	free(sd);
	assert_string_equal(sd_error_message(),
	    "sd.ini:3: [calendar] has no business hours left for a due date: too many holidays");
	assert_null(cfg);
}

static void
test_errors_agents(void **state)
{
	char line[256];

	(void)state;
	edit_fails(AGENTS, good_agents, 6, "", "agents.ini:5: [group apps] has no level");
	edit_fails(AGENTS, good_agents, 6, "level = 4\n",
	    "agents.ini:6: level must be a whole number from 1 to 3, not '4'");
	edit_fails(AGENTS, good_agents, 10, "provider = si\n",
	    "agents.ini:10: provider must be yes or no, not 'si'");
	edit_fails(AGENTS, good_agents, 24, "groups = telco, nope\n",
	    "agents.ini:24: unknown group 'nope' (groups come before agents)");
	/* On the indented line of a list. */
	edit_fails(AGENTS, good_agents, 17, "    nope\n",
	    "agents.ini:17: unknown group 'nope' (groups come before agents)");
	edit_fails(AGENTS, good_agents, 23, "login = agomez\n",
	    "agents.ini: agents ana and raul have the same login");
	edit_fails(AGENTS, good_agents, 22, "[agent ana]\n", "agents.ini:22: duplicate section [agent ana]");
	edit_fails(AGENTS, good_agents, 22, "[agent Raúl!]\n",
	    "agents.ini:22: 'Raúl!' is not a valid agent id");
	edit_fails(AGENTS, good_agents, 5, "[group a b]\n", "agents.ini:5: 'a b' is not a valid group name");
	edit_fails(AGENTS, good_agents, 13, "nmae = Ana\n", "agents.ini:13: unknown key 'nmae' in [agent ana]");
	snprintf(line, sizeof(line), "name = %0191d\n", 0);
	edit_fails(AGENTS, good_agents, 23, line, "agents.ini:23: line longer than 197 bytes");
	/* An agent's or a group's email: one address, for it goes into To:
	 * as it is. */
	static const char *const bad_emails[] = {
		"boss@x.org>, <spy@y.org", "ana", "ana@", "@example.org", "ana@example",
		"a@b@example.org", "<ana@example.org>", "ana gomez@example.org",
		"ana@example.org.", "ana@.example.org", "ana,eva@example.org", "\"ana\"@example.org",
		"añа@example.org", "ana;x@example.org", "ana:x@example.org",
	};
	for (size_t i = 0; i < sizeof(bad_emails) / sizeof(*bad_emails); i++) {
		char want[256];

		snprintf(line, sizeof(line), "email = %s\n", bad_emails[i]);
		snprintf(want, sizeof(want),
		    "agents.ini:14: email must be one address such as ana@example.org, not '%s'",
		    bad_emails[i]);
		edit_fails(AGENTS, good_agents, 14, line, want);
		snprintf(want, sizeof(want),
		    "agents.ini:3: email must be one address such as ana@example.org, not '%s'",
		    bad_emails[i]);
		edit_fails(AGENTS, good_agents, 3, line, want);
	}
}

static void
test_errors_escalation(void **state)
{
	(void)state;
	/* The escalation file and its line, not agents.ini. */
	edit_fails(ESC, good_esc, 3, "level2 = nope\n", "escalation.ini:3: unknown group 'nope'");
	edit_fails(ESC, good_esc, 11, "level2 = desk\n", "escalation.ini:11: group 'desk' is level 1, not 2");
	edit_fails(ESC, good_esc, 4, "level3 = apps\n", "escalation.ini:4: group 'apps' is level 2, not 3");
	edit_fails(ESC, good_esc, 7, "level2 = apps\n", "escalation.ini:6: [network/vpn] has no level1 group");
	/* level1 missing: the line of the category's section. */
	edit_fails(ESC, good_esc, 10, "", "escalation.ini:9: [access/account] has no level1 group");
	edit_fails(ESC, good_esc, 3, "level4 = apps\n",
	    "escalation.ini:3: unknown key 'level4' in [network]");
	edit_fails(ESC, good_esc, 6, "[network/]\n", "escalation.ini:6: 'network/' is not a valid category name");
	edit_fails(ESC, good_esc, 6, "[network]\n", "escalation.ini:6: duplicate section [network]");
	edit_fails(ESC, good_esc, 3, "level1 = apps\n", "escalation.ini:3: duplicate key 'level1'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_store),
		cmocka_unit_test(test_good_calendar),
		cmocka_unit_test(test_good_sla),
		cmocka_unit_test(test_good_agents),
		cmocka_unit_test(test_good_categories),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_errors_sd),
		cmocka_unit_test(test_mail_limits),
		cmocka_unit_test(test_mail_out_keys),
		cmocka_unit_test(test_errors_unknown_section),
		cmocka_unit_test(test_push_refs),
		cmocka_unit_test(test_sync),
		cmocka_unit_test(test_errors_sla),
		cmocka_unit_test(test_target_bounds),
		cmocka_unit_test(test_calendar_all_holidays),
		cmocka_unit_test(test_errors_agents),
		cmocka_unit_test(test_errors_escalation),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
