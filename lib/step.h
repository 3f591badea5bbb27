#ifndef SD_STEP_H
#define SD_STEP_H

#include "sd/action.h"
#include "sd/config.h"
#include "sd/desk.h"
#include "sd/ticket.h"
#include "sd/time.h"

/*
 * One action on one ticket, as every command that changes a ticket takes
 * it: the action's row begins it (its event), the keys and event keys the
 * row allows are set, and sd__step_finish does the upkeep every change
 * shares (the status, `updated`, the due dates) and holds the result to
 * the action table (sd_rules_check) before anything is committed.  Every
 * mutator of a ticket passes through here: sd-new, the actions, links,
 * sd-close --auto, sd-edit, sd-fsck --repair.
 */
struct sd__step {
	const struct sd_action *row;
	const struct sd_config *cfg;
	const struct sd_agent *agent;   /* NULL: the store's own (repair) */
	struct sd_ticket *t;            /* the ticket, changed in place */
	struct sd_ticket *before;       /* a copy as it was; NULL when born */
	char from[SD_STATUS_MAX];
	char at[SD_TIME_MAX];
	size_t ev;
	int has_event;
};

/* What an action takes from its command: the values of the keys its row
 * sets (NULL: left as it is), the counters it holds still (a note that is
 * no contact attempt), its event's own keys in order, a solution. */
struct sd__plan {
	const char *set[SD_F__COUNT];
	unsigned char hold[SD_F__COUNT];
	const char *event[4][2];
	size_t nevent;
	const char *solution;
};

/* Begin action on t at time `at`: remember t as it is and, when the
 * action writes one, append its event (at, by, action).  born: t is being
 * made (sd-new). */
int sd__step_begin(struct sd__step *st, const struct sd_config *cfg,
    const struct sd_agent *agent, const char *action, struct sd_ticket *t,
    const char *at, int born);
/* An event is never dated before the ticket's last (a clock that went
 * back): an earlier `at` is taken as the last event's.  sd-sync's replay
 * alone keeps each event's own time, with this one (never born). */
int sd__step_begin_exact(struct sd__step *st, const struct sd_config *cfg,
    const struct sd_agent *agent, const char *action, struct sd_ticket *t, const char *at);
/* The same, for a change given whole (sd-edit): before is the ticket as
 * HEAD has it, t the edited one, which gets the action's event. */
int sd__step_begin_from(struct sd__step *st, const struct sd_config *cfg,
    const struct sd_agent *agent, const char *action, const struct sd_ticket *before,
    struct sd_ticket *t, const char *at);
/* The priority from the matrix, when the row computes it. */
int sd__step_priority(struct sd__step *st);
/* Set key f, which the action's row must let it change. */
int sd__step_set(struct sd__step *st, enum sd_field f, const char *value);
/* A counter of the row's up by one. */
int sd__step_count(struct sd__step *st, enum sd_field f);
/* Set key of the action's event, which the row must list. */
int sd__step_event(struct sd__step *st, const char *key, const char *value);
/* Apply plan p by the row: set keys from p, stamped ones to the event's
 * time (first: when empty), emptied ones, counters up by one; then the
 * event's own keys. */
int sd__step_apply(struct sd__step *st, const struct sd__plan *p);
/* The event's from and to, when to is not the status the ticket had. */
int sd__step_move(struct sd__step *st, const char *to);
/* The status to, `updated`, the due dates; then the whole change held to
 * the action table: SD_EINVALID or SD_EPERM, saying why, when it breaks it. */
int sd__step_finish(struct sd__step *st, const char *to);
void sd__step_free(struct sd__step *st);

/* lib/attach_change.c: the files f[0..n) as the `attachment` lines of the
 * step's event, within sd.ini's limits (their digests filled in); then,
 * once the change has the ticket, their files in it, the same bytes once. */
struct sd_attach_file;
struct sd_change;
int sd__attach_event(struct sd__step *st, struct sd_attach_file *f, size_t n);
int sd__attach_write(struct sd_change *c, const struct sd_attach_file *f, size_t n);

#endif
