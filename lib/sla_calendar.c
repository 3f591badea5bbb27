/*
 * Which calendar an SLA clock counts on, and which statuses pause it: the
 * rule of selection as data (sd-config(5), "Clocks and calendars").
 */
#include <string.h>

#include "internal.h"
#include "sd/config.h"
#include "sd/sla.h"

/* Where a calendar may be named, the first that names one wins. */
enum pick { BY_GROUP, BY_SLA };

static const enum pick order[] = {
	BY_GROUP,       /* agents.ini [group NAME] calendar: while with that group */
	BY_SLA,         /* sla.ini [type] calendar.N, else [type] calendar */
};

int
sd_sla_calendar(const struct sd_config *cfg, enum sd_type type, int priority,
    const char *group)
{
	for (size_t i = 0; i < SD_ARRAY_SIZE(order); i++) {
		const struct sd_group *g;
		int c = -1;

		switch (order[i]) {
		case BY_GROUP:
			if (group && *group && (g = sd_config_group(cfg, group)))
				c = g->calendar;
			break;
		case BY_SLA:
			c = sd_config_sla_calendar(cfg, type, priority);
			break;
		}
		if (c >= 0)
			return c;
	}
	return 0;               /* [calendar] */
}

int
sd_sla_stopped(const struct sd_config *cfg, enum sd_clock clock, const char *status)
{
	/* A rejected or unmanaged ticket's clocks stop for good, whatever
	 * the lists say. */
	if (!strcmp(status, "rejected") || !strcmp(status, "unmanaged"))
		return 1;
	return sd_config_stops(cfg, clock == SD_CLOCK_RESOLUTION, status);
}
