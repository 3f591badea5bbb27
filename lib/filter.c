/*
 * Which tickets sd-list, sd-sla and sd-report look at: the filter
 * options and matching a ticket, or its fields alone, against them.
 */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/filter.h"
#include "sd/search.h"
#include "sd/sla.h"
#include "sd/time.h"

const struct option sd_filter_options[] = {
	{ "status", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_STATUS },
	{ "open", no_argument, NULL, SD_FILTER_OPT + SD_FILTER_OPEN },
	{ "type", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_TYPE },
	{ "priority", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_PRIORITY },
	{ "level", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_LEVEL },
	{ "group", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_GROUP },
	{ "assignee", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_ASSIGNEE },
	{ "category", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_CATEGORY },
	{ "requester", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_REQUESTER },
	{ "since", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_SINCE },
	{ "until", required_argument, NULL, SD_FILTER_OPT + SD_FILTER_UNTIL },
	{ "at-risk", no_argument, NULL, SD_FILTER_OPT + SD_FILTER_AT_RISK },
	{ "breached", no_argument, NULL, SD_FILTER_OPT + SD_FILTER_BREACHED },
	{ NULL, 0, NULL, 0 }
};

struct sd_filter {
	const struct sd_config *cfg;
	time_t now;
	char **status;
	size_t nstatus;
	int open, at_risk, breached;
	char *type, *group, *assignee, *category, *requester;
	int priority[5], any_priority;
	int level;
	time_t since, until;
	int has_since, has_until;
	struct sd_search *who;  /* --requester, a part of the name or address */
};

int
sd_filter_new(struct sd_filter **out, const struct sd_config *cfg, time_t now)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return sd__oom();
	(*out)->cfg = cfg;
	(*out)->now = now;
	return 0;
}

void
sd_filter_free(struct sd_filter *f)
{
	if (!f)
		return;
	sd__free_list(f->status, f->nstatus);
	free(f->type);
	free(f->group);
	free(f->assignee);
	free(f->category);
	free(f->requester);
	sd_search_free(f->who);
	free(f);
}

static int
keep(char **dst, const char *v)
{
	free(*dst);
	return (*dst = sd__strdup(v)) ? 0 : sd__oom();
}

int
sd_filter_add(struct sd_filter *f, enum sd_filter_key key, const char *v, const char *me)
{
	char **list;
	size_t n;
	int rc;

	switch (key) {
	case SD_FILTER_STATUS:
		if ((rc = sd__split_list(&list, &n, v, ',')) < 0)
			return rc;
		if (!n)
			return sd_error_set(SD_EUSAGE, "%s", _("--status: give one status or more"));
		for (size_t i = 0; i < n; i++)
			if (!sd_status_valid(list[i])) {
				rc = sd_error_set(SD_EUSAGE, _("--status: '%s' is not a status"), list[i]);
				sd__free_list(list, n);
				return rc;
			}
		sd__free_list(f->status, f->nstatus);
		f->status = list;
		f->nstatus = n;
		return 0;
	case SD_FILTER_OPEN: f->open = 1; return 0;
	case SD_FILTER_AT_RISK: f->at_risk = 1; return 0;
	case SD_FILTER_BREACHED: f->breached = 1; return 0;
	case SD_FILTER_TYPE:
		if (strcmp(v, "incident") && strcmp(v, "request") && strcmp(v, "problem"))
			return sd_error_set(SD_EUSAGE, _("--type: '%s' is not incident, request or problem"), v);
		return keep(&f->type, v);
	case SD_FILTER_PRIORITY:
		if ((rc = sd__split_list(&list, &n, v, ',')) < 0)
			return rc;
		if (!n)
			return sd_error_set(SD_EUSAGE, "%s", _("--priority: give one priority or more"));
		for (size_t i = 0; i < n; i++) {
			if (strlen(list[i]) != 1 || list[i][0] < '1' || list[i][0] > '4') {
				rc = sd_error_set(SD_EUSAGE, _("--priority: '%s' is not 1 to 4"), list[i]);
				sd__free_list(list, n);
				return rc;
			}
			f->priority[list[i][0] - '0'] = 1;
		}
		sd__free_list(list, n);
		f->any_priority = 1;
		return 0;
	case SD_FILTER_LEVEL:
		if (strlen(v) != 1 || v[0] < '1' || v[0] > '3')
			return sd_error_set(SD_EUSAGE, _("--level: '%s' is not 1 to 3"), v);
		f->level = v[0] - '0';
		return 0;
	case SD_FILTER_GROUP:
		if (!sd_config_group(f->cfg, v))
			return sd_error_set(SD_EINVALID, _("unknown group '%s'"), v);
		return keep(&f->group, v);
	case SD_FILTER_ASSIGNEE:
		if (!strcmp(v, "me")) {
			if (!me)
				return sd_error_set(SD_EPERM, "%s", _("--assignee me: you are not a known agent"));
			v = me;
		} else if (!sd_config_agent(f->cfg, v)) {
			return sd_error_set(SD_EINVALID, _("unknown agent '%s'"), v);
		}
		return keep(&f->assignee, v);
	case SD_FILTER_CATEGORY:
		if (!sd_config_category(f->cfg, v)) {
			/* A parent with subcategories only is a category too. */
			size_t len = strlen(v);
			int found = 0;
			for (size_t i = 0; i < sd_config_category_count(f->cfg) && !found; i++) {
				const char *name = sd_config_category_at(f->cfg, i)->name;
				found = !strncmp(name, v, len) && name[len] == '/';
			}
			if (!found)
				return sd_error_set(SD_EINVALID, _("unknown category '%s'"), v);
		}
		return keep(&f->category, v);
	case SD_FILTER_REQUESTER: {
		struct sd_search *who;
		if (!*v)
			return sd_error_set(SD_EUSAGE, "%s", _("--requester: give a name or address"));
		if ((rc = sd_search_new(&who, v)) < 0)
			return rc == SD_EINVALID ?
			    sd_error_set(SD_EINVALID, "%s", _("--requester: not valid UTF-8")) : rc;
		sd_search_free(f->who);
		f->who = who;
		return keep(&f->requester, v);
	}
	case SD_FILTER_SINCE:
	case SD_FILTER_UNTIL: {
		time_t t;
		if (sd_time_parse(&t, sd_config_zone(f->cfg), v) < 0)
			return sd_error_set(SD_EUSAGE, "--%s: %s",
			    key == SD_FILTER_SINCE ? "since" : "until", sd_error_message());
		if (key == SD_FILTER_SINCE) {
			f->since = t;
			f->has_since = 1;
		} else {
			f->until = t;
			f->has_until = 1;
		}
		return 0;
	}
	}
	return 0;
}

int
sd_filter_needs_events(const struct sd_filter *f)
{
	return f->at_risk || f->breached;
}

/* The worst state of the ticket's two clocks. */
static enum sd_sla_state
worst_state(const struct sd_filter *f, const struct sd_ticket *t)
{
	enum sd_sla_state worst = SD_SLA_OK, s;

	for (int c = 0; c < 2; c++)
		if (sd_sla_state(&s, t, f->cfg, (enum sd_clock)c, f->now,
		    sd_config_warn(f->cfg)) == 0 && s > worst)
			worst = s;
	return worst;
}

int
sd_filter_status_may(const struct sd_filter *f, const char *status)
{
	size_t i;

	if (f->open && !sd_status_open(status))
		return 0;
	if (!f->nstatus)
		return 1;
	for (i = 0; i < f->nstatus && strcmp(f->status[i], status); i++)
		;
	return i < f->nstatus;
}

int
sd_filter_match_fields(const struct sd_filter *f, const char *const *field, time_t created)
{
	const char *status = field[SD_F_STATUS];

	if (f->nstatus) {
		size_t i;
		for (i = 0; i < f->nstatus && strcmp(f->status[i], status); i++)
			;
		if (i == f->nstatus)
			return 0;
	}
	if (f->open && !sd_status_open(status))
		return 0;
	if (f->type && strcmp(f->type, field[SD_F_TYPE]))
		return 0;
	if (f->any_priority) {
		long p = strtol(field[SD_F_PRIORITY], NULL, 10);
		if (p < 1 || p > 4 || !f->priority[p])
			return 0;
	}
	if (f->level && strtol(field[SD_F_LEVEL], NULL, 10) != f->level)
		return 0;
	if (f->group && strcmp(f->group, field[SD_F_GROUP]))
		return 0;
	if (f->assignee && strcmp(f->assignee, field[SD_F_ASSIGNEE]))
		return 0;
	if (f->category) {
		const char *c = field[SD_F_CATEGORY];
		size_t n = strlen(f->category);
		if (strncmp(c, f->category, n) || (c[n] && c[n] != '/'))
			return 0;
	}
	if (f->who && !sd_search_text(f->who, field[SD_F_REQUESTER], strlen(field[SD_F_REQUESTER])) &&
	    !sd_search_text(f->who, field[SD_F_REQUESTER_EMAIL],
	    strlen(field[SD_F_REQUESTER_EMAIL])))
		return 0;
	if ((f->has_since && created < f->since) || (f->has_until && created >= f->until))
		return 0;
	return 1;
}

int
sd_filter_match(const struct sd_filter *f, const struct sd_ticket *t)
{
	const char *field[SD_F__COUNT];
	time_t created = 0;

	for (int i = 0; i < SD_F__COUNT; i++)
		field[i] = sd_ticket_get(t, i);
	if ((f->has_since || f->has_until) &&
	    sd_time_parse(&created, sd_config_zone(f->cfg), field[SD_F_CREATED]) < 0)
		return 0;
	if (!sd_filter_match_fields(f, field, created))
		return 0;
	if (f->at_risk || f->breached) {
		enum sd_sla_state s = worst_state(f, t);
		if (!((f->at_risk && s == SD_SLA_AT_RISK) || (f->breached && s == SD_SLA_BREACHED)))
			return 0;
	}
	return 1;
}
