/*
 * libFuzzer target: the configuration loader (SPEC section 7,
 * sd-config(5)).
 *
 * The input is up to four files separated by NUL bytes, in the order
 * sd_config_parse takes them: sd.ini, sla.ini, agents.ini, escalation.ini
 * (a missing one is empty).  Loading must never crash or leak; a broken
 * configuration is SD_ECONFIG with a message naming the file.  A
 * configuration that loads is read back through every getter, whose
 * answers must agree with one another, and its calendar adds every
 * duration it names to a few instants: no crash, never earlier than the
 * start, monotonic in the start, and a business target is exactly that
 * much business time (sd_calendar_between).
 *
 * Any broken promise is abort(), with what broke on stderr.  Built and run
 * by `make fuzz` (Makefile); seeds in tests/fuzz/corpus/config/.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd/calendar.h"
#include "sd/config.h"
#include "sd/error.h"
#include "sd/ticket.h"
#include "sd/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[4] = {
	"sd.ini", "sla.ini", "agents.ini", "escalation.ini"
};

static void
fail(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "\nFUZZ FAILURE (config): ");
	fprintf(stderr, fmt, a ? a : "", b ? b : "");
	fprintf(stderr, "\nlast sd error: %s\n", sd_error_message());
	abort();
}

static void
check_str(const char *what, const char *s)
{
	if (!s)
		fail("%s is NULL%s", what, NULL);
	(void)strlen(s);
}

static void
check_duration(const char *what, const struct sd_duration *d)
{
	if (!d)
		fail("%s: no duration%s", what, NULL);
	if (d->unit != SD_DUR_WALL && d->unit != SD_DUR_BUSINESS &&
	    d->unit != SD_DUR_BUSINESS_DAYS)
		fail("%s: duration of no known unit%s", what, NULL);
	if (d->amount < 0 || d->amount > 99999LL * 86400)
		fail("%s: duration out of range%s", what, NULL);
}

/* Instants around the year, a change of offset somewhere and the edges. */
static const char *const instants[] = {
	"2026-11-21T10:03:00-05:00",    /* Saturday */
	"2026-11-23T07:29:59-05:00",    /* Monday, before opening */
	"2026-11-23T17:00:00-05:00",    /* at closing */
	"2026-12-24T16:59:00-05:00",    /* before a holiday */
	"2026-03-29T01:30:00+00:00",    /* Europe's spring change */
	"2026-10-25T00:59:59Z",         /* Europe's autumn change */
	"2026-03-08T07:00:00Z",         /* America's spring change */
	"2026-11-01T05:30:00Z",         /* America's autumn change */
	"1992-05-03T04:30:00Z",         /* Bogota's own summer time */
	"1970-01-02T00:00:00Z",
	"2037-12-31T23:00:00Z",
	"2100-02-28T12:00:00Z",
};

static struct sd_duration fixed[] = {
	{ 0, SD_DUR_BUSINESS }, { 60, SD_DUR_BUSINESS }, { 3600, SD_DUR_BUSINESS },
	{ 9 * 3600 + 1800, SD_DUR_BUSINESS }, { 0, SD_DUR_BUSINESS_DAYS },
	{ 1, SD_DUR_BUSINESS_DAYS }, { 5, SD_DUR_BUSINESS_DAYS },
	{ 3600, SD_DUR_WALL },
};

/* d added to each instant, in order: never before the start, never
 * before what an earlier start gave, and as much business time as asked. */
/* The zone of the configuration being checked. */
static const struct sd_zone *zone;

static void
check_add(const struct sd_calendar *cal, const struct sd_duration *d, const char *what)
{
	time_t ts[sizeof(instants) / sizeof(instants[0])];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++)
		if (sd_time_parse(&ts[n], zone, instants[i]) == 0)
			n++;
	/* In time order, for monotonicity. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && ts[j - 1] > ts[j]; j--) {
			time_t x = ts[j];
			ts[j] = ts[j - 1];
			ts[j - 1] = x;
		}
	{
		int have_prev = 0;
		time_t prev = 0;

		for (size_t i = 0; i < n; i++) {
			time_t out;
			long long span;
			char a[SD_TIME_MAX], b[SD_TIME_MAX];

			if (sd_calendar_add(&out, cal, ts[i], d) < 0) {
				if (!sd_error_message()[0])
					fail("%s: sd_calendar_add failed with no message%s", what, NULL);
				continue;
			}
			sd_time_format(a, zone, ts[i]);
			sd_time_format(b, zone, out);
			if (out < ts[i])
				fail("sd_calendar_add went back in time: from %s to %s", a, b);
			if (have_prev && out < prev)
				fail("sd_calendar_add is not monotonic: from %s to %s, earlier than before", a, b);
			prev = out;
			have_prev = 1;
			if (d->unit == SD_DUR_BUSINESS &&
			    sd_calendar_between(cal, ts[i], out) != d->amount)
				fail("sd_calendar_between(t, add(t, d)) != d: from %s to %s", a, b);
			if (sd_calendar_span(&span, cal, ts[i], d) < 0 || span < 0)
				fail("sd_calendar_span failed where sd_calendar_add did not: from %s%s", a, NULL);
			if (d->unit == SD_DUR_BUSINESS_DAYS &&
			    span != sd_calendar_between(cal, ts[i], out))
				fail("sd_calendar_span != between(t, add(t, d)): from %s to %s", a, b);
		}
	}
}

static void
check_config(const struct sd_config *cfg)
{
	const char *const *v;
	size_t n;
	char what[64];

	check_str("name", sd_config_name(cfg));
	check_str("prefix", sd_config_prefix(cfg));
	check_str("timezone", sd_config_timezone(cfg));
	for (int p = 0; p < SD_POLICY__COUNT; p++)
		if (sd_config_policy(cfg, p) != 0 && sd_config_policy(cfg, p) != 1)
			fail("a policy is not yes or no%s%s", NULL, NULL);
	check_duration("accept_window", sd_config_accept_window(cfg));
	check_duration("info_window", sd_config_info_window(cfg));
	if (sd_config_warn(cfg) < 1 || sd_config_warn(cfg) > 100)
		fail("warn out of range%s%s", NULL, NULL);

	n = sd_config_channels(cfg, &v);
	if (n == 0)
		fail("no channels%s%s", NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		check_str("channel", v[i]);
		if (!sd_config_has_channel(cfg, v[i]))
			fail("channel '%s' listed but not had%s", v[i], NULL);
	}
	n = sd_config_required(cfg, &v);
	for (size_t i = 0; i < n; i++)
		if (sd_field_lookup(v[i]) < 0)
			fail("required '%s' is not a field%s", v[i], NULL);
	n = sd_config_keywords(cfg, &v);
	for (size_t i = 0; i < n; i++)
		check_str("keyword", v[i]);

	for (int u = 0; u < 3; u++)
		for (int i = 0; i < 3; i++) {
			int p = sd_config_priority(cfg, u, i);
			if (p < 1 || p > 4)
				fail("priority out of range%s%s", NULL, NULL);
		}
	for (int t = 0; t < 2; t++) {
		check_duration("response", sd_config_response(cfg, t));
		for (int p = 1; p <= 4; p++)
			check_duration("resolution", sd_config_resolution(cfg, t, p));
	}

	for (size_t i = 0; i < sd_config_group_count(cfg); i++) {
		const struct sd_group *g = sd_config_group_at(cfg, i);
		check_str("group name", g->name);
		if (g->level < 1 || g->level > 3)
			fail("group '%s' has level out of range%s", g->name, NULL);
		if (sd_config_group(cfg, g->name) != g)
			fail("group '%s' is not found by its name%s", g->name, NULL);
	}
	for (size_t i = 0; i < sd_config_agent_count(cfg); i++) {
		const struct sd_agent *a = sd_config_agent_at(cfg, i);
		int level;
		check_str("agent id", a->id);
		if (sd_config_agent(cfg, a->id) != a)
			fail("agent '%s' is not found by its id%s", a->id, NULL);
		if (!sd_config_agent_by_login(cfg, a->id))
			fail("agent '%s' is not found by login%s", a->id, NULL);
		if (a->login && !sd_config_agent_by_login(cfg, a->login))
			fail("agent '%s' is not found by its login '%s'", a->id, a->login);
		for (size_t k = 0; k < a->ngroups; k++) {
			check_str("agent group", a->groups[k]);
			if (!sd_config_group(cfg, a->groups[k]))
				fail("agent '%s' is in unknown group '%s'", a->id, a->groups[k]);
			if (!sd_agent_in_group(a, a->groups[k]))
				fail("agent '%s' not in its group '%s'", a->id, a->groups[k]);
		}
		for (size_t k = 0; k < a->napproves; k++)
			check_str("approves", a->approves[k]);
		level = sd_agent_level(cfg, a);
		if (level < 0 || level > 3 || (level == 0) != (a->ngroups == 0))
			fail("agent '%s' has a level out of range%s", a->id, NULL);
	}
	for (size_t i = 0; i < sd_config_category_count(cfg); i++) {
		const struct sd_category *c = sd_config_category_at(cfg, i);
		check_str("category name", c->name);
		if (sd_config_category(cfg, c->name) != c)
			fail("category '%s' is not found by its name%s", c->name, NULL);
		if (!c->level[0])
			fail("category '%s' has no level1 group%s", c->name, NULL);
		for (int l = 0; l < 3; l++)
			if (c->level[l]) {
				const struct sd_group *g = sd_config_group(cfg, c->level[l]);
				if (!g || g->level != l + 1)
					fail("category '%s' names group '%s' at the wrong level",
					    c->name, c->level[l]);
			}
		for (size_t k = 0; k < c->napprovals; k++)
			check_str("approval", c->approvals[k]);
	}

	/* The calendar: every duration the configuration names, and some. */
	{
		const struct sd_calendar *cal = sd_config_calendar(cfg);

		zone = sd_config_zone(cfg);
		if (!sd_calendar_is_open(cal))
			fail("a configuration that loads has a closed calendar%s%s", NULL, NULL);
		check_add(cal, sd_config_accept_window(cfg), "accept_window");
		check_add(cal, sd_config_info_window(cfg), "info_window");
		for (int t = 0; t < 2; t++) {
			snprintf(what, sizeof(what), "response %d", t);
			check_add(cal, sd_config_response(cfg, t), what);
			for (int p = 1; p <= 4; p++) {
				snprintf(what, sizeof(what), "resolution %d.%d", t, p);
				check_add(cal, sd_config_resolution(cfg, t, p), what);
			}
		}
		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			check_add(cal, &fixed[i], "fixed");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *p, *end;
	const char *texts[4] = { NULL, NULL, NULL, NULL };
	struct sd_config *cfg = (struct sd_config *)&copy;      /* not NULL */
	int rc;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	/* Split on NUL: each text is a C string, as a file read whole is. */
	p = copy;
	end = copy + size;
	for (int f = 0; f < 4 && p <= end; f++) {
		texts[f] = p;
		p += strlen(p) + 1;
	}
	sd_error_clear();
	rc = sd_config_parse(&cfg, texts, names);
	if (rc < 0) {
		if (cfg)
			fail("sd_config_parse failed but set *out%s%s", NULL, NULL);
		if (rc != SD_ECONFIG && rc != SD_EIO)
			fail("sd_config_parse failed with a code other than SD_ECONFIG%s%s", NULL, NULL);
		if (!strstr(sd_error_message(), ".ini"))
			fail("the message names no file: %s%s", sd_error_message(), NULL);
	} else {
		if (!cfg)
			fail("sd_config_parse succeeded with no configuration%s%s", NULL, NULL);
		check_config(cfg);
		sd_config_free(cfg);
	}
	free(copy);
	return 0;
}
