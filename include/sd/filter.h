#ifndef SD_FILTER_H
#define SD_FILTER_H

#include <getopt.h>
#include <time.h>

#include "sd/config.h"
#include "sd/ticket.h"

/* The ticket filters of sd-list and sd-report (sd-list(1)). */
struct sd_filter;

enum sd_filter_key {
	SD_FILTER_STATUS, SD_FILTER_OPEN, SD_FILTER_TYPE, SD_FILTER_PRIORITY,
	SD_FILTER_LEVEL, SD_FILTER_GROUP, SD_FILTER_ASSIGNEE, SD_FILTER_CATEGORY,
	SD_FILTER_REQUESTER, SD_FILTER_SINCE, SD_FILTER_UNTIL, SD_FILTER_AT_RISK,
	SD_FILTER_BREACHED
};

/* The long options of the filters, for getopt_long: each returns
 * SD_FILTER_OPT + its enum sd_filter_key.  NULL-terminated. */
#define SD_FILTER_OPT 0x200
extern const struct option sd_filter_options[];

/* now: the instant --at-risk and --breached are judged at. */
int sd_filter_new(struct sd_filter **out, const struct sd_config *cfg, time_t now);
void sd_filter_free(struct sd_filter *f);

/* Add a condition (value NULL for flags).  me: the acting agent's id for
 * --assignee me, or NULL.  SD_EUSAGE for a value outside a fixed set or a
 * malformed date or number; SD_EINVALID for an unknown group, agent or
 * category; SD_EPERM for "me" with no known agent. */
int sd_filter_add(struct sd_filter *f, enum sd_filter_key key, const char *value,
    const char *me);

/* Nonzero when t passes every condition.  Needs the whole ticket (events)
 * only for --at-risk and --breached: see sd_filter_needs_events. */
int sd_filter_match(const struct sd_filter *f, const struct sd_ticket *t);
/* Zero when a ticket in this status cannot pass (--status, --open). */
int sd_filter_status_may(const struct sd_filter *f, const char *status);
int sd_filter_needs_events(const struct sd_filter *f);

/* The same on a ticket's [ticket] values alone (field[f], "" when empty),
 * created its creation time; never for --at-risk or --breached. */
int sd_filter_match_fields(const struct sd_filter *f, const char *const *field,
    time_t created);

#endif
