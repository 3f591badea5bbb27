/*
 * The articles the configuration makes, never stored (sd-kb show
 * catalogue|priority|escalation): the service catalogue, the urgency x
 * impact matrix with its targets, and the escalation matrix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/kb.h"

static const char *const names[] = { "catalogue", "priority", "escalation" };
static const char *const levels[] = { "high", "medium", "low" };

int
sd_kb_is_generated(const char *name)
{
	for (size_t i = 0; i < SD_ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* A target as sla.ini writes it: 4bh, 3bd, 30m, 2d. */
static void
duration(struct sd_buf *b, const struct sd_duration *d)
{
	const char *bus = d && d->unit == SD_DUR_BUSINESS ? "b" : "";

	if (!d)
		sd_buf__adds(b, "-");
	else if (d->unit == SD_DUR_BUSINESS_DAYS)
		sd_buf__printf(b, "%lldbd", d->amount);
	else if (d->unit == SD_DUR_WALL && d->amount && d->amount % 86400 == 0)
		sd_buf__printf(b, "%lldd", d->amount / 86400);
	else if (d->amount % 3600 == 0)
		sd_buf__printf(b, "%lld%sh", d->amount / 3600, bus);
	else
		sd_buf__printf(b, "%lld%sm", d->amount / 60, bus);
}

static void
header(struct sd_buf *b, const char *id, const char *title)
{
	sd_buf__printf(b, "id = %s\ntitle = %s\ncategory =\nupdated_by = sd\n"
	    "updated_at = (generated from the configuration)\n\n", id, title);
}

static void
catalogue(struct sd_buf *b, const struct sd_config *cfg)
{
	header(b, "catalogue", "Service catalogue");
	sd_buf__adds(b, "Category                  Level 1 group         Approvals\n");
	for (size_t i = 0; i < sd_config_category_count(cfg); i++) {
		const struct sd_category *c = sd_config_category_at(cfg, i);
		sd_buf__printf(b, "%-25s %-21s", c->name, c->level[0] ? c->level[0] : "-");
		for (size_t k = 0; k < c->napprovals; k++)
			sd_buf__printf(b, " %s", c->approvals[k]);
		sd_buf__adds(b, c->napprovals ? "\n" : " -\n");
	}
	sd_buf__adds(b, "\nGroup                     Level  Provider\n");
	for (size_t i = 0; i < sd_config_group_count(cfg); i++) {
		const struct sd_group *g = sd_config_group_at(cfg, i);
		sd_buf__printf(b, "%-25s %-6d %s\n", g->name, g->level, g->provider ? "yes" : "no");
	}
}

static void
priority(struct sd_buf *b, const struct sd_config *cfg)
{
	header(b, "priority", "Priority matrix (urgency x impact)");
	sd_buf__adds(b, "Urgency \\ impact   high    medium  low\n");
	for (int u = 0; u < 3; u++) {
		sd_buf__printf(b, "%-18s", levels[u]);
		for (int i = 0; i < 3; i++)
			sd_buf__printf(b, i < 2 ? " %-7d" : " %d", sd_config_priority(cfg, u, i));
		sd_buf__adds(b, "\n");
	}
	sd_buf__adds(b, "\nPriority  Incident response  resolution  Request response  resolution\n");
	for (int p = 1; p <= 4; p++) {
		struct sd_buf cell[4] = { SD_BUF_INIT, SD_BUF_INIT, SD_BUF_INIT, SD_BUF_INIT };
		duration(&cell[0], sd_config_response(cfg, SD_TYPE_INCIDENT));
		duration(&cell[1], sd_config_resolution(cfg, SD_TYPE_INCIDENT, p));
		duration(&cell[2], sd_config_response(cfg, SD_TYPE_REQUEST));
		duration(&cell[3], sd_config_resolution(cfg, SD_TYPE_REQUEST, p));
		sd_buf__printf(b, "%-9d %-18s %-11s %-17s %s\n", p,
		    cell[0].data ? cell[0].data : "", cell[1].data ? cell[1].data : "",
		    cell[2].data ? cell[2].data : "", cell[3].data ? cell[3].data : "");
		for (int k = 0; k < 4; k++)
			sd_buf__free(&cell[k]);
	}
}

static void
escalation(struct sd_buf *b, const struct sd_config *cfg)
{
	header(b, "escalation", "Escalation matrix");
	sd_buf__adds(b, "Category                  Level 1               Level 2               Level 3\n");
	for (size_t i = 0; i < sd_config_category_count(cfg); i++) {
		const struct sd_category *c = sd_config_category_at(cfg, i);
		sd_buf__printf(b, "%-25s %-21s %-21s %s\n", c->name, c->level[0] ? c->level[0] : "-",
		    c->level[1] ? c->level[1] : "-", c->level[2] ? c->level[2] : "-");
	}
	sd_buf__adds(b, "\nGroup                     Agents\n");
	for (size_t i = 0; i < sd_config_group_count(cfg); i++) {
		const struct sd_group *g = sd_config_group_at(cfg, i);
		int any = 0;
		sd_buf__printf(b, "%-25s", g->name);
		for (size_t k = 0; k < sd_config_agent_count(cfg); k++) {
			const struct sd_agent *a = sd_config_agent_at(cfg, k);
			if (sd_agent_in_group(a, g->name))
				sd_buf__printf(b, "%s%s", any++ ? ", " : " ", a->id);
		}
		sd_buf__adds(b, any ? "\n" : " -\n");
	}
}

int
sd_kb_generated(char **out, const struct sd_config *cfg, const char *name)
{
	struct sd_buf b = SD_BUF_INIT;

	*out = NULL;
	if (!strcmp(name, "catalogue"))
		catalogue(&b, cfg);
	else if (!strcmp(name, "priority"))
		priority(&b, cfg);
	else if (!strcmp(name, "escalation"))
		escalation(&b, cfg);
	else
		return sd_error_set(SD_ENOTFOUND, _("%s: no such article"), name);
	if (b.failed) {
		sd_buf__free(&b);
		return sd__oom();
	}
	*out = sd_buf__detach(&b);
	return 0;
}
