/*
 * A pending-info ticket about to become unmanaged: its info window
 * watched as sd-sla watches an SLA clock, at risk from the same share
 * of it used.
 */

#include <string.h>

#include "internal.h"
#include "sd/calendar.h"
#include "sd/config.h"
#include "sd/desk.h"
#include "sd/sla.h"
#include "sd/time.h"

int
sd_sla_unmanaged(struct sd_sla_finding *out, const struct sd_ticket *t,
    const struct sd_config *cfg, time_t now, int warn)
{
	const struct sd_duration *w = sd_config_info_window(cfg);
	struct sd_calendar *cal = sd_config_calendar(cfg);
	long long target, used;
	time_t at, created;
	int rc;

	if ((rc = sd_desk_unmanaged_at(&at, cfg, t)) != 0)
		return rc < 0 ? rc : 0;         /* never by time */
	/* sd_desk_unmanaged_at read created already: it parses. */
	if ((rc = sd_time_parse(&created, sd_config_zone(cfg), sd_ticket_get(t, SD_F_CREATED))) < 0 ||
	    (rc = sd_calendar_span(&target, cal, created, w)) < 0)
		return rc;
	used = sd_calendar_measure(cal, w, created, now);
	if (now < at && (target <= 0 || used * 100 < (long long)warn * target))
		return 0;
	memset(out, 0, sizeof(*out));
	out->clock = SD_CLOCK_UNMANAGED;
	out->state = SD_SLA_AT_RISK;
	out->known = 1;
	out->due = at;
	out->pct = target > 0 ? (int)(used * 100 / target) : 100;
	return 1;
}
