#ifndef SD_CALENDAR_H
#define SD_CALENDAR_H

#include <time.h>

#include "sd/time.h"

/*
 * Business hours: ranges per weekday and holidays, read in the calendar's
 * zone (sd_calendar_set_zone; UTC until set).  No I/O: the same calendar,
 * zone and instants always give the same answers.
 */
struct sd_calendar;

int sd_calendar_new(struct sd_calendar **out);
void sd_calendar_free(struct sd_calendar *cal);

/* The zone the calendar's days and hours are in (NULL: UTC), borrowed:
 * it must outlive the calendar.  The configuration sets its own. */
void sd_calendar_set_zone(struct sd_calendar *cal, const struct sd_zone *zone);

/* wday 0 (Sunday) .. 6; spec "07:30-12:00, 13:00-17:00", or "" for closed.
 * Ranges in order, not overlapping, 00:00 to 24:00. */
int sd_calendar_set_day(struct sd_calendar *cal, int wday, const char *spec);

/* A closed date, YYYY-MM-DD. */
int sd_calendar_add_holiday(struct sd_calendar *cal, const char *date);

/* The largest business target (in days for SD_DUR_BUSINESS_DAYS, in
 * seconds for SD_DUR_BUSINESS) that sd_calendar_add and
 * sd_calendar_span compute from any instant, whatever the holidays and
 * the zone's changes: 0 when none can be; LLONG_MAX for wall time. */
long long sd_calendar_reach(struct sd_calendar *cal, enum sd_duration_unit unit);

/* Nonzero when some weekday has business hours. */
int sd_calendar_is_open(const struct sd_calendar *cal);

/* The instant d after t (business units count inside the calendar only):
 * a target used up at a closing time is that closing time. */
int sd_calendar_add(time_t *out, struct sd_calendar *cal, time_t t,
    const struct sd_duration *d);

/* Business seconds in [a, b); 0 when b <= a. */
long long sd_calendar_between(struct sd_calendar *cal, time_t a, time_t b);
/* How much of target's kind of time lies from a to b on cal: seconds for a
 * wall-clock target, business seconds (sd_calendar_between) for a
 * business one. */
long long sd_calendar_measure(struct sd_calendar *cal, const struct sd_duration *target,
    time_t a, time_t b);

/* Seconds d stands for, counted from t: elapsed seconds for wall units,
 * business seconds otherwise. */
int sd_calendar_span(long long *out, struct sd_calendar *cal, time_t t,
    const struct sd_duration *d);

#endif
