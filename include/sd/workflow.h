#ifndef SD_WORKFLOW_H
#define SD_WORKFLOW_H

#include <stddef.h>

#include "sd/config.h"
#include "sd/ticket.h"

/*
 * The rules of a ticket's life (SPEC sections 3 and 5), as data: which
 * action moves which status where, who may take it, and what text it
 * needs.  Every command goes through these; sd(7) prints them, and a test
 * checks the page against this table.
 */

/* Who may take an action. */
enum sd_rule {
	SD_RULE_ANY = 0,          /* any known agent */
	SD_RULE_GROUP = 1,        /* in the ticket's group; coordinators: any (group_scope) */
	SD_RULE_LEVEL1 = 2,       /* a level-1 agent: the desk talks to the requester (level1_closes) */
	SD_RULE_APPROVER = 4,     /* an agent who approves the role (never relaxed) */
	SD_RULE_FIRST_UP = 8      /* the first escalation out of level 1: a level-1 agent (level1_escalates_first) */
};

/* The text an action needs (-m or -F). */
enum sd_need { SD_NEED_NONE, SD_NEED_DIAGNOSIS, SD_NEED_SOLUTION, SD_NEED_REASON, SD_NEED_TEXT };

struct sd_transition {
	const char *from, *action, *to;
};

struct sd_action_rule {
	const char *action;
	unsigned rule;          /* SD_RULE_ bits */
	enum sd_need need;
	const char *what;       /* one line for sd(7) */
};

/* The table, in the order sd(7) prints it. */
size_t sd_workflow_transitions(const struct sd_transition **out);
size_t sd_workflow_rules(const struct sd_action_rule **out);
const struct sd_action_rule *sd_workflow_rule(const char *action);

/* Where action takes a ticket in status from: a status, or one of the
 * forms "escalated|provider", "awaiting-approval|new", "new|awaiting-approval"
 * and "(previous)".  SD_EINVALID, saying so, for an illegal move. */
int sd_workflow_move(const char **to, const char *from, const char *action);

/* May agent take action on t?  role: for approve and deny.  target_level:
 * for escalate, the level it goes to.  SD_EPERM, saying why, if not. */
int sd_workflow_permit(const struct sd_config *cfg, const struct sd_agent *agent,
    const struct sd_ticket *t, const char *action, const char *role, int target_level);

#endif
