#ifndef SD_SLA_H
#define SD_SLA_H

#include <time.h>

#include "sd/config.h"
#include "sd/ticket.h"

/*
 * The SLA clocks of a ticket, a function of its file and the configuration
 * alone.  The response clock runs from created to responded, the resolution
 * clock from created to solved; neither runs while the ticket is in a
 * status that stops it (sd_sla_stopped: the status each event moved it
 * `to`), both stop for good when it is rejected or left unmanaged, and a
 * stop after a clock ended does not move it.  Each stretch of a clock is
 * counted on the calendar of sd_sla_calendar for the group the ticket
 * was with then (the `group` of the last event naming one before it).
 */
enum sd_clock { SD_CLOCK_RESPONSE, SD_CLOCK_RESOLUTION,
	/* Not an SLA clock: the info window of a pending-info ticket, watched
	 * by sd-sla as the others (sd_sla_unmanaged) and told by --new-only.
	 * sd_sla_clock, sd_sla_due and sd_sla_state take the first two only. */
	SD_CLOCK_UNMANAGED };

struct sd_sla_clock {
	int known;              /* due is known: the clock is not stopped now */
	time_t due;             /* when the target falls due */
	int ended;              /* responded or solved */
	long long target;       /* the target, in the seconds it is counted in */
	long long used;         /* of it, used by `now` (or by the end) */
	time_t end;             /* when it ended, if ended */
};

/* The state of one clock at instant now. */
int sd_sla_clock(struct sd_sla_clock *out, const struct sd_ticket *t,
    const struct sd_config *cfg, enum sd_clock clock, time_t now);

/* When the clock's target falls due; *known is 0 while the clock is
 * stopped (the due date moves on while it is). */
int sd_sla_due(time_t *due, int *known, const struct sd_ticket *t,
    const struct sd_config *cfg, enum sd_clock clock);

/* Set due_response and due_resolution of t from sd_sla_due. */
int sd_sla_update(struct sd_ticket *t, const struct sd_config *cfg);

/* Nonzero for a status that stops clock (response or resolution):
 * rejected and unmanaged always, for good; else those of sd.ini
 * [lifecycle] response_stops or resolution_stops (by default
 * pending-info, suspended and, for the response clock,
 * awaiting-approval). */
int sd_sla_stopped(const struct sd_config *cfg, enum sd_clock clock, const char *status);

/* The calendar a clock of a ticket of type and priority counts on while
 * the ticket is with group (NULL or "": none), as an index of
 * sd_config_calendars (lib/sla_calendar.c): the group's calendar of
 * agents.ini if it names one; else sla.ini's for the type and priority
 * ([type] calendar.N, then [type] calendar); else 0, [calendar]. */
int sd_sla_calendar(const struct sd_config *cfg, enum sd_type type, int priority,
    const char *group);

enum sd_sla_state { SD_SLA_OK, SD_SLA_AT_RISK, SD_SLA_BREACHED };

/* An open ticket's clock at now: breached once past due, at risk from
 * warn percent of the target used; OK otherwise, and for ended clocks. */
int sd_sla_state(enum sd_sla_state *out, const struct sd_ticket *t,
    const struct sd_config *cfg, enum sd_clock clock, time_t now, int warn);

/* One line of sd-sla: an open ticket's clock at risk or breached. */
struct sd_sla_finding {
	enum sd_clock clock;
	enum sd_sla_state state;
	int known;              /* due is known (the clock runs) */
	time_t due;
	int pct;                /* of the target used, in whole percent */
};

/* The findings of ticket t at now (0 to 3: response, resolution, then
 * unmanaged from sd_sla_unmanaged) in out. */
#define SD_SLA_FINDINGS_MAX 3
int sd_sla_findings(struct sd_sla_finding out[SD_SLA_FINDINGS_MAX], int *n,
    const struct sd_ticket *t, const struct sd_config *cfg, time_t now, int warn);

/* Whether pending-info ticket t is about to become unmanaged at now
 * (lib/sla_unmanaged.c): the rule of an SLA clock's risk applied to its
 * info window, from `created` to sd_desk_unmanaged_at, counted as the
 * window is (wall clock, or business time on the store's calendar).  At
 * risk once warn percent of the window is used, and still at risk past
 * its end, until sd-close --auto moves it: never breached, for the desk
 * owes nothing there.  Returns 1 with out filled (clock
 * SD_CLOCK_UNMANAGED, state SD_SLA_AT_RISK, due the instant it becomes
 * unmanaged, pct of the window used); 0 when not at risk, or t never
 * becomes unmanaged by time (not pending-info, or owing the requester
 * nothing); < 0 for a bad `created`. */
int sd_sla_unmanaged(struct sd_sla_finding *out, const struct sd_ticket *t,
    const struct sd_config *cfg, time_t now, int warn);

/*
 * What sd-sla --new-only has told (lib/sla_told.c): the clocks, by ticket
 * ID, and the state each was told in.  A run marks each of its findings
 * in a new set against the one before: new when that clock was not told,
 * or was told in another state; a clock not found again (it recovered) is
 * not carried over, so a later breach of it is new again.  Kept outside
 * git in the store's .git/sd-sla-told, one line a clock:
 * "ID<TAB>clock<TAB>state" (response, resolution or unmanaged; at-risk or
 * breached).  Files written before unmanaged was told read the same.
 */
struct sd_sla_told;
struct sd_store;

#define SD_SLA_TOLD_FILE ".git/sd-sla-told"

int sd_sla_told_new(struct sd_sla_told **out);
void sd_sla_told_free(struct sd_sla_told *t);
/* Parse the state file's text; name is what a message calls the file.
 * SD_EINVALID "name:line: ..." on a line that is not one clock told, a
 * clock told twice, or text cut short (no newline at the end). */
int sd_sla_told_parse(struct sd_sla_told **out, const char *data, size_t len,
    const char *name);
/* The text of t, its lines in the order marked. */
int sd_sla_told_format(const struct sd_sla_told *t, char **out, size_t *len);
/* Mark in next that id's clock is in state (at risk or breached): 1 when
 * prev had not told it in that state (it is new), else 0. */
int sd_sla_told_mark(struct sd_sla_told *next, const struct sd_sla_told *prev,
    const char *id, enum sd_clock clock, enum sd_sla_state state);
/* Carry into next what prev told of id: a ticket that could not be read
 * this time has not recovered. */
int sd_sla_told_keep(struct sd_sla_told *next, const struct sd_sla_told *prev,
    const char *id);
/* How many clocks t holds. */
size_t sd_sla_told_count(const struct sd_sla_told *t);

/* The store's state file read (none yet: empty) and written whole,
 * atomically.  Take the store's lock around load, the marks and save, so
 * that two runs never both tell the same clock. */
int sd_sla_told_load(struct sd_store *s, struct sd_sla_told **out);
int sd_sla_told_save(struct sd_store *s, const struct sd_sla_told *t);

#endif
