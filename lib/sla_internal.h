#ifndef SD_SLA_INTERNAL_H
#define SD_SLA_INTERNAL_H

/* What the SLA clocks (lib/sla.c) share with the report's threads
 * (lib/report.c): calendars of their own and both clocks at once. */

#include "sd/calendar.h"
#include "sd/sla.h"

/* The calendar's rules in a calendar of its own: a calendar keeps a cache
 * of the days it has looked at, so each thread that measures clocks needs
 * its own (lib/report.c).  Free it with sd_calendar_free. */
int sd__calendar_copy(struct sd_calendar **out, const struct sd_calendar *cal);

/* Both clocks of t at now, response first, measured on cals (one for
 * each of sd_config_calendars, in its order); created is t's created
 * time, parsed. */
int sd__sla_clocks(struct sd_sla_clock out[2], const struct sd_ticket *t,
    const struct sd_config *cfg, struct sd_calendar *const *cals, time_t created, time_t now);
#endif
