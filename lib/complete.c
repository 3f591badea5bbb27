/*
 * What a ticket owes before the desk can work it: the keys of `required`
 * it lacks, the requester's (what pending-info waits on) apart from the
 * desk's own (what leaves it new, to classify), and when a ticket that
 * waits on its requester becomes unmanaged.
 */

#include <string.h>
#include <time.h>

#include "internal.h"
#include "sd/calendar.h"
#include "sd/config.h"
#include "sd/desk.h"
#include "sd/field.h"
#include "sd/ticket.h"
#include "sd/time.h"

/* The keys of `required` the desk itself fills when it classifies a
 * ticket; the others (the requester's address and phone) only the
 * requester can give, and only they hold a ticket in pending-info. */
static const enum sd_field desk_owed[] = { SD_F_CATEGORY, SD_F_URGENCY, SD_F_IMPACT };

int
sd_desk_owed(int f)
{
	for (size_t i = 0; i < SD_ARRAY_SIZE(desk_owed); i++)
		if ((int)desk_owed[i] == f)
			return 1;
	return 0;
}

/* The keys of `required` that t lacks and whose owner is desk (1) or
 * the requester (0), space-separated in buf. */
static int
lacking(const struct sd_ticket *t, const struct sd_config *cfg, int desk,
    char *buf, size_t size)
{
	const char *const *req;
	size_t n = sd_config_required(cfg, &req);
	int count = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int f = sd_field_lookup(req[i]);
		if (f >= 0 && sd_desk_owed(f) == desk && !*sd_ticket_get(t, f)) {
			if (count++)
				strncat(buf, " ", size - strlen(buf) - 1);
			strncat(buf, req[i], size - strlen(buf) - 1);
		}
	}
	return count;
}

int
sd_desk_missing(const struct sd_ticket *t, const struct sd_config *cfg,
    const char **missing)
{
	static char buf[256];
	int count = lacking(t, cfg, 0, buf, sizeof(buf));

	if (missing)
		*missing = buf;
	return count;
}

int
sd_desk_unclassified(const struct sd_ticket *t, const struct sd_config *cfg,
    const char **missing)
{
	static char buf[256];
	int count = lacking(t, cfg, 1, buf, sizeof(buf));

	if (missing)
		*missing = buf;
	return count;
}

int
sd_desk_window_end(time_t *end, const struct sd_config *cfg, const char *start,
    const struct sd_duration *w)
{
	time_t t;
	int rc;

	if ((rc = sd_time_parse(&t, sd_config_zone(cfg), start)) < 0)
		return rc;
	return sd_calendar_add(end, sd_config_calendar(cfg), t, w);
}

int
sd_desk_unmanaged_at(time_t *at, const struct sd_config *cfg, const struct sd_ticket *t)
{
	/* One that owes nothing of the requester's (left from before the
	 * desk's keys stopped holding tickets, or by a change to `required`)
	 * waits on the desk: an update moves it, time never does. */
	if (strcmp(sd_ticket_get(t, SD_F_STATUS), "pending-info") || !sd_desk_missing(t, cfg, NULL))
		return 1;
	return sd_desk_window_end(at, cfg, sd_ticket_get(t, SD_F_CREATED), sd_config_info_window(cfg));
}
