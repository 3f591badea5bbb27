#ifndef SD_RULES_H
#define SD_RULES_H

#include "sd/config.h"
#include "sd/ticket.h"

/*
 * One ticket's change held to the action table (sd/action.h) and the
 * transition table (sd/workflow.h): the check the commands make of their
 * own changes and sd-fsck --commits makes of every commit.
 */

/* Told of each finding: its code (SD_EINVALID, SD_EPERM) and message. */
typedef void (*sd_rules_fn)(int code, const char *message, void *arg);

/* May agent (NULL: the store's own) take action to turn before (NULL: no
 * ticket yet) into after (NULL: removed)?  cfg is the configuration the
 * ticket is checked against, rules_cfg the one whose roles say who may act
 * (NULL: cfg).  Checks the keys changed and how, the event appended, the
 * status moved, the texts, the priority and due dates computed, and who
 * acts.  fn (may be NULL) hears every finding; the first is returned, its
 * message set. */
int sd_rules_check(const struct sd_config *cfg, const struct sd_config *rules_cfg,
    const struct sd_agent *agent, const char *action,
    const struct sd_ticket *before, const struct sd_ticket *after, sd_rules_fn fn, void *arg);

/* The status a suspended ticket had: the `from` of its last suspension,
 * or NULL. */
const char *sd_rules_before_suspension(const struct sd_ticket *t);

/* A copy of t, as its file would read. */
int sd_rules_copy(struct sd_ticket **out, const struct sd_ticket *t);

#endif
