#ifndef SD_WORKFLOW_H
#define SD_WORKFLOW_H

#include <stddef.h>

#include "sd/action.h"
#include "sd/config.h"
#include "sd/ticket.h"

/*
 * The transition table (SPEC section 5), as data: which action moves which
 * status where; and the check of who may take an action, by the action
 * table's who (sd/action.h).  Every command goes through these; sd(7)
 * prints them, and a test checks the page against this table.
 */

struct sd_transition {
	const char *from, *action, *to;
};

/* The table, in the order sd(7) prints it. */
size_t sd_workflow_transitions(const struct sd_transition **out);

/* Where action takes a ticket in status from: a status, or one of the
 * forms "escalated|provider", "awaiting-approval|new", "new|awaiting-approval"
 * and "(previous)".  SD_EINVALID, saying so, for an illegal move. */
int sd_workflow_move(const char **to, const char *from, const char *action);

/* May agent take action on t?  role: for approve and deny.  target_level:
 * for escalate, the level it goes to.  t is NULL for a configuration file
 * (edit); agent NULL for the store's own (repair).  SD_EPERM, saying why,
 * if not. */
int sd_workflow_permit(const struct sd_config *cfg, const struct sd_agent *agent,
    const struct sd_ticket *t, const char *action, const char *role, int target_level);

#endif
