/*
 * A ticket's SLA clocks, response and resolution: when each runs and
 * stops, its due date in business time, and its state at a time.
 */

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sla_internal.h"
#include "sd/calendar.h"
#include "sd/sla.h"
#include "sd/time.h"

/* An event that moves the clocks: when (never before created), whether to
 * a status that stops each (-1: it names no status), the calendar from
 * it on, and its place among the ticket's events. */
struct move {
	time_t at;
	int stop[2];
	int cal;
	size_t index;
};

/* The times of a ticket that its clocks read, each parsed once: created,
 * and responded and solved when set.  An event's `at` is most often one
 * of them, written the same. */
struct times {
	const char *s[3];
	time_t t[3];
	int n;
	const struct sd_zone *zone;     /* what the others are read in */
};

static int
time_of(time_t *out, const char *s, const struct times *known)
{
	for (int i = 0; i < known->n; i++)
		if (sd__streq(known->s[i], s)) {
			*out = known->t[i];
			return 0;
		}
	return sd_time_parse(out, known->zone, s);
}

/* The group t was with before its first event that names a group (an
 * escalation): the group it has when none does; else its category's
 * level-1 group, where a ticket is registered, if escalation.ini has the
 * category, else none. */
static const char *
first_group(const struct sd_ticket *t, const struct sd_config *cfg)
{
	const struct sd_category *c;

	for (size_t i = 0; i < sd_ticket_event_count(t); i++)
		if (sd_ticket_event_get(t, i, "group") && !sd_ticket_event_get(t, i, "superseded")) {
			c = sd_config_category(cfg, sd_ticket_get(t, SD_F_CATEGORY));
			return c ? c->level[0] : NULL;
		}
	return sd_ticket_get(t, SD_F_GROUP);
}

/* Moves in order of their time, stable: an event sd-sync appended after
 * later ones counts where it happened.  Most often in order already. */
static void
sort_moves(struct move *m, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct move x = m[i];
		size_t j = i;

		while (j > 0 && m[j - 1].at > x.at) {
			m[j] = m[j - 1];
			j--;
		}
		m[j] = x;
	}
}

/* The moves of t, in order of time: the events with a valid `at` and a `to` or
 * a `group`.  In *out, malloc'd when more than fit in room (nroom of
 * them); *cal0, the calendar the clocks start on. */
static int
moves_of(struct move **out, size_t *n, int *cal0, struct move *room, size_t nroom,
    const struct sd_ticket *t, const struct sd_config *cfg, const struct times *known)
{
	size_t nev = sd_ticket_event_count(t);
	time_t created = known->t[0];
	struct move *m = room;
	enum sd_type ty = !strcmp(sd_ticket_get(t, SD_F_TYPE), "request") ?
	    SD_TYPE_REQUEST : SD_TYPE_INCIDENT;
	long prio = sd_ticket_number(t, SD_F_PRIORITY);
	int cal;

	if (prio < 1 || prio > 4)
		prio = 4;
	*cal0 = cal = sd_sla_calendar(cfg, ty, (int)prio, first_group(t, cfg));
	*out = room;
	*n = 0;
	if (nev > nroom && !(m = *out = malloc(nev * sizeof(*m))))
		return sd__oom();
	for (size_t i = 0; i < nev; i++) {
		const char *to = sd_ticket_event_get(t, i, "to");
		const char *group = sd_ticket_event_get(t, i, "group");
		const char *at = sd_ticket_event_get(t, i, "at");
		time_t x;

		/* A move sd-sync kept as superseded moves no clock. */
		if ((!to && !group) || !at || sd_ticket_event_get(t, i, "superseded") ||
		    time_of(&x, at, known) < 0)
			continue;
		if (group)
			cal = sd_sla_calendar(cfg, ty, (int)prio, group);
		m[*n].at = x < created ? created : x;
		for (int k = 0; k < 2; k++)
			m[*n].stop[k] = to ? sd_sla_stopped(cfg, (enum sd_clock)k, to) : -1;
		m[*n].cal = cal;
		m[*n].index = i;
		(*n)++;
	}
	sort_moves(m, *n);
	return 0;
}

/* Business time to add to t: what is left of a target, in its unit. */
static int
add_left(time_t *out, struct sd_calendar *cal, time_t t, long long remaining,
    const struct sd_duration *target)
{
	struct sd_duration left;

	left.amount = remaining;
	left.unit = target->unit == SD_DUR_WALL ? SD_DUR_WALL : SD_DUR_BUSINESS;
	return sd_calendar_add(out, cal, t, &left);
}

/* One clock of t from its moves, into *out, whose end and ended clocks()
 * has set.  Each stretch it runs is counted on the calendar of its
 * moves (cals, indexed as sd_config_calendars; cal0 from created); a
 * target in business days is so many of the first calendar's, in
 * seconds from created. */
static int
clock_of(struct sd_sla_clock *out, const struct sd_ticket *t, const struct sd_config *cfg,
    struct sd_calendar *const *cals, int cal0, enum sd_clock clock, time_t now,
    time_t created, const struct move *mv, size_t nmv)
{
	const char *type = sd_ticket_get(t, SD_F_TYPE);
	enum sd_type ty = !strcmp(type, "request") ? SD_TYPE_REQUEST : SD_TYPE_INCIDENT;
	const struct sd_duration *target;
	struct sd_calendar *cal = cals[cal0];
	long long remaining, used = 0;
	time_t end = out->end, seg, stop_at;
	int running = 1, stopped = 0, rc, due_found = 0;
	long prio;

	prio = sd_ticket_number(t, SD_F_PRIORITY);
	if (prio < 1 || prio > 4)
		prio = 4;
	target = clock == SD_CLOCK_RESPONSE ? sd_config_response(cfg, ty) :
	    sd_config_resolution(cfg, ty, (int)prio);
	if ((rc = sd_calendar_span(&out->target, cal, created, target)) < 0)
		return rc;
	remaining = out->target;
	/* Usage counts up to the end of the clock, or up to now. */
	stop_at = out->ended ? end : now;
	seg = created;
	for (size_t i = 0; i < nmv; i++) {
		time_t x = mv[i].at;
		int stop = mv[i].stop[clock] < 0 ? stopped : mv[i].stop[clock];
		struct sd_calendar *next = cals[mv[i].cal];

		/* The clock had ended: later stops do not count, even at the
		 * same second (all but the first event, which sets the start). */
		if (mv[i].index > 0 && out->ended && x >= stop_at)
			break;
		/* A stretch ends at a stop, and where the calendar changes. */
		if (running && (stop || next != cal)) {
			long long m = sd_calendar_measure(cal, target, seg, x);
			if (!due_found && m >= remaining) {
				if ((rc = add_left(&out->due, cal, seg, remaining, target)) < 0)
					return rc;
				due_found = 1;
			}
			if (!due_found)
				remaining -= m;
			used += sd_calendar_measure(cal, target, seg, x < stop_at ? x : stop_at);
			running = 0;
		}
		cal = next;
		stopped = stop;
		if (!running && !stop) {
			seg = x;
			running = 1;
		}
	}
	if (running) {
		used += sd_calendar_measure(cal, target, seg, stop_at);
		if (!due_found) {
			if ((rc = add_left(&out->due, cal, seg, remaining, target)) < 0)
				return rc;
			due_found = 1;
		}
	}
	out->known = due_found;
	out->used = used;
	return 0;
}

/* Clocks k0 .. k1 - 1 of t into out[k0 ..], created at created. */
static int
clocks(struct sd_sla_clock out[2], int k0, int k1, const struct sd_ticket *t,
    const struct sd_config *cfg, struct sd_calendar *const *cals, time_t created, time_t now)
{
	static const enum sd_field ends[2] = { SD_F_RESPONDED, SD_F_SOLVED };
	struct times known = { { sd_ticket_get(t, SD_F_CREATED) }, { created }, 1,
	    sd_config_zone(cfg) };
	struct move room[16], *mv;
	size_t nmv;
	int rc, cal0;

	memset(out + k0, 0, (size_t)(k1 - k0) * sizeof(*out));
	/* A problem has no requester and so no SLA: no target, no due date. */
	if (sd__streq(sd_ticket_get(t, SD_F_TYPE), "problem"))
		return 0;
	for (int k = k0; k < k1; k++) {
		const char *v = sd_ticket_get(t, ends[k]);

		/* A bad one is told in its clock's turn, below. */
		if (!*v || sd_time_parse(&out[k].end, known.zone, v) < 0)
			continue;
		out[k].ended = 1;
		known.s[known.n] = v;
		known.t[known.n++] = out[k].end;
	}
	if ((rc = moves_of(&mv, &nmv, &cal0, room, SD_ARRAY_SIZE(room), t, cfg, &known)) < 0)
		return rc;
	for (int k = k0; k < k1 && rc == 0; k++) {
		const char *v = sd_ticket_get(t, ends[k]);
		time_t x;

		if (*v && !out[k].ended && sd_time_parse(&x, known.zone, v) < 0)
			rc = SD_EINVALID;
		else
			rc = clock_of(&out[k], t, cfg, cals, cal0, (enum sd_clock)k, now, created,
			    mv, nmv);
	}
	if (mv != room)
		free(mv);
	return rc;
}

/* When t was created. */
static int
created_of(time_t *out, const struct sd_ticket *t, const struct sd_config *cfg)
{
	if (sd_time_parse(out, sd_config_zone(cfg), sd_ticket_get(t, SD_F_CREATED)) < 0)
		return sd_error_set(SD_EINVALID, "%s", _("ticket has no valid created time"));
	return 0;
}

int
sd__sla_clocks(struct sd_sla_clock out[2], const struct sd_ticket *t,
    const struct sd_config *cfg, struct sd_calendar *const *cals, time_t created, time_t now)
{
	return clocks(out, 0, 2, t, cfg, cals, created, now);
}

/* The configuration's calendars, as clocks() takes them. */
static struct sd_calendar *const *
cals_of(const struct sd_config *cfg)
{
	struct sd_calendar *const *v;

	sd_config_calendars(cfg, &v);
	return v;
}

int
sd_sla_clock(struct sd_sla_clock *out, const struct sd_ticket *t,
    const struct sd_config *cfg, enum sd_clock clock, time_t now)
{
	struct sd_sla_clock both[2];
	time_t created;
	int rc;

	memset(out, 0, sizeof(*out));
	if (clock != SD_CLOCK_RESPONSE && clock != SD_CLOCK_RESOLUTION)
		return sd_error_set(SD_EINVALID, "%s", _("not an SLA clock"));
	if ((rc = created_of(&created, t, cfg)) < 0)
		return rc;
	rc = clocks(both, (int)clock, (int)clock + 1, t, cfg, cals_of(cfg), created, now);
	*out = both[clock];
	return rc;
}

int
sd_sla_due(time_t *due, int *known, const struct sd_ticket *t,
    const struct sd_config *cfg, enum sd_clock clock)
{
	struct sd_sla_clock c;
	int rc;

	if ((rc = sd_sla_clock(&c, t, cfg, clock, 0)) < 0)
		return rc;
	*due = c.due;
	*known = c.known;
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
			sd_time_format(buf, sd_config_zone(cfg), due);
		if ((rc = sd_ticket_set(t, fields[c], buf)) < 0)
			return rc;
	}
	return 0;
}

/* The state of clock c, used against target, at now. */
static enum sd_sla_state
state_of(const struct sd_sla_clock *c, time_t now, int warn)
{
	if (c->ended)
		return SD_SLA_OK;
	if ((c->target > 0 && c->used >= c->target) || (c->known && now >= c->due))
		return SD_SLA_BREACHED;
	if (c->target > 0 && c->used * 100 >= (long long)warn * c->target)
		return SD_SLA_AT_RISK;
	return SD_SLA_OK;
}

int
sd_sla_state(enum sd_sla_state *out, const struct sd_ticket *t,
    const struct sd_config *cfg, enum sd_clock clock, time_t now, int warn)
{
	struct sd_sla_clock c;
	int rc;

	*out = SD_SLA_OK;
	if (!sd_status_open(sd_ticket_get(t, SD_F_STATUS)))
		return 0;
	if ((rc = sd_sla_clock(&c, t, cfg, clock, now)) < 0)
		return rc;
	*out = state_of(&c, now, warn);
	return 0;
}

int
sd_sla_findings(struct sd_sla_finding out[SD_SLA_FINDINGS_MAX], int *n,
    const struct sd_ticket *t, const struct sd_config *cfg, time_t now, int warn)
{
	struct sd_sla_clock c[2];
	time_t created;
	int rc;

	*n = 0;
	if (!sd_status_open(sd_ticket_get(t, SD_F_STATUS)))
		return 0;
	if ((rc = created_of(&created, t, cfg)) < 0 ||
	    (rc = clocks(c, 0, 2, t, cfg, cals_of(cfg), created, now)) < 0)
		return rc;
	for (int k = 0; k < 2; k++) {
		enum sd_sla_state st = state_of(&c[k], now, warn);

		if (st == SD_SLA_OK)
			continue;
		out[*n].clock = (enum sd_clock)k;
		out[*n].state = st;
		out[*n].known = c[k].known;
		out[*n].due = c[k].due;
		out[*n].pct = c[k].target > 0 ? (int)(c[k].used * 100 / c[k].target) : 100;
		(*n)++;
	}
	if ((rc = sd_sla_unmanaged(&out[*n], t, cfg, now, warn)) < 0)
		return rc;
	*n += rc;
	return 0;
}
