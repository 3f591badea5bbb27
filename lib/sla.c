#include <string.h>

#include "internal.h"
#include "sd/calendar.h"
#include "sd/sla.h"
#include "sd/time.h"

int
sd_sla_stopped(const char *status)
{
	return !strcmp(status, "pending-info") || !strcmp(status, "suspended");
}

static long long
measure(const struct sd_calendar *cal, const struct sd_duration *target, time_t a, time_t b)
{
	if (target->unit == SD_DUR_WALL)
		return b > a ? (long long)(b - a) : 0;
	return sd_calendar_between(cal, a, b);
}

int
sd_sla_due(time_t *due, int *known, const struct sd_ticket *t,
    const struct sd_config *cfg, enum sd_clock clock)
{
	const struct sd_calendar *cal = sd_config_calendar(cfg);
	const char *type = sd_ticket_get(t, SD_F_TYPE);
	const char *endv = sd_ticket_get(t, clock == SD_CLOCK_RESPONSE ? SD_F_RESPONDED : SD_F_SOLVED);
	enum sd_type ty = !strcmp(type, "request") ? SD_TYPE_REQUEST : SD_TYPE_INCIDENT;
	const struct sd_duration *target;
	struct sd_duration left;
	long long remaining;
	time_t created, end = 0, seg;
	int running = 1, started = 0, rc;
	long prio;

	*known = 0;
	*due = 0;
	if (sd_time_parse(&created, sd_ticket_get(t, SD_F_CREATED)) < 0)
		return sd_error_set(SD_EINVALID, "%s", _("ticket has no valid created time"));
	if (*endv && sd_time_parse(&end, endv) < 0)
		return SD_EINVALID;
	prio = sd_ticket_number(t, SD_F_PRIORITY);
	if (prio < 1 || prio > 4)
		prio = 4;
	target = clock == SD_CLOCK_RESPONSE ? sd_config_response(cfg, ty) :
	    sd_config_resolution(cfg, ty, (int)prio);
	if ((rc = sd_calendar_span(&remaining, cal, created, target)) < 0)
		return rc;
	seg = created;
	/* Walk the statuses the events moved the ticket to. */
	for (size_t i = 0; i < sd_ticket_event_count(t); i++) {
		const char *to = sd_ticket_event_get(t, i, "to");
		const char *at = sd_ticket_event_get(t, i, "at");
		time_t x;
		int stop;

		if (!to || !at || sd_time_parse(&x, at) < 0)
			continue;
		if (x < created)
			x = created;
		if (*endv && x >= end && started)
			break;          /* the clock had ended: later stops do not count */
		started = 1;
		stop = sd_sla_stopped(to);
		if (running && stop) {
			long long used = measure(cal, target, seg, x);
			if (used >= remaining)
				break;
			remaining -= used;
			running = 0;
		} else if (!running && !stop) {
			seg = x;
			running = 1;
		}
	}
	if (!running)
		return 0;
	left.amount = remaining;
	left.unit = target->unit == SD_DUR_WALL ? SD_DUR_WALL : SD_DUR_BUSINESS;
	if ((rc = sd_calendar_add(due, cal, seg, &left)) < 0)
		return rc;
	*known = 1;
	return 0;
}

int
sd_sla_update(struct sd_ticket *t, const struct sd_config *cfg)
{
	static const enum sd_field fields[2] = { SD_F_DUE_RESPONSE, SD_F_DUE_RESOLUTION };

	for (int c = 0; c < 2; c++) {
		char buf[SD_TIME_MAX] = "";
		time_t due;
		int known, rc;

		if ((rc = sd_sla_due(&due, &known, t, cfg, (enum sd_clock)c)) < 0)
			return rc;
		if (known)
			sd_time_format(buf, due);
		if ((rc = sd_ticket_set(t, fields[c], buf)) < 0)
			return rc;
	}
	return 0;
}
