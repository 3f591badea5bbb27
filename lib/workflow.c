/*
 * The transition table: where each action takes a ticket in each status
 * (SPEC section 5, "left by"), and who may take it (section 3, by the
 * action table's who).  Any other move is refused.
 */
#include <string.h>

#include "internal.h"
#include "sd/action.h"
#include "sd/workflow.h"

/* Every move there is. */
static const struct sd_transition transitions[] = {
	{ "new", "assign", "assigned" },
	{ "new", "escalate", "escalated|provider" },
	{ "new", "solve", "solved" },
	{ "new", "reject", "rejected" },
	{ "new", "update", "new|awaiting-approval" },
	{ "pending-info", "update", "new|awaiting-approval" },
	{ "pending-info", "unmanaged", "unmanaged" },
	{ "awaiting-approval", "approve", "awaiting-approval|new" },
	{ "awaiting-approval", "deny", "rejected" },
	{ "assigned", "assign", "assigned" },
	{ "assigned", "escalate", "escalated|provider" },
	{ "assigned", "suspend", "suspended" },
	{ "assigned", "solve", "solved" },
	{ "assigned", "reject", "rejected" },
	{ "escalated", "assign", "assigned" },
	{ "escalated", "escalate", "escalated|provider" },
	{ "escalated", "solve", "solved" },
	{ "provider", "solve", "solved" },
	{ "provider", "escalate", "escalated|provider" },
	{ "provider", "suspend", "suspended" },
	{ "suspended", "resume", "(previous)" },
	{ "solved", "close", "closed" },
	{ "solved", "reopen", "reopened" },
	{ "solved", "auto-close", "closed" },
	{ "reopened", "assign", "assigned" },
	{ "reopened", "escalate", "escalated|provider" },
	{ "reopened", "suspend", "suspended" },
	{ "reopened", "solve", "solved" },
	{ "reopened", "reject", "rejected" },
	/* A problem's: its root cause and workaround known, then solved. */
	{ "new", "known-error", "known-error" },
	{ "assigned", "known-error", "known-error" },
	{ "reopened", "known-error", "known-error" },
	{ "known-error", "assign", "known-error" },
	{ "known-error", "solve", "solved" },
};

size_t
sd_workflow_transitions(const struct sd_transition **out)
{
	*out = transitions;
	return SD_ARRAY_SIZE(transitions);
}

int
sd_workflow_move(const char **to, const char *from, const char *action)
{
	const struct sd_action *a = sd_action_find(action);

	*to = NULL;
	for (size_t i = 0; i < SD_ARRAY_SIZE(transitions); i++)
		if (!strcmp(transitions[i].from, from) && !strcmp(transitions[i].action, action)) {
			*to = transitions[i].to;
			return 0;
		}
	/* Actions that keep the status: on any ticket that is not final, and
	 * those of the table that say so on final ones too. */
	if (a && (a->flags & SD_ACT_KEEPS) && (!sd_status_final(from) || (a->flags & SD_ACT_FINAL))) {
		*to = from;
		return 0;
	}
	if (!strcmp(from, "closed") && !strcmp(action, "reopen"))
		return sd_error_set(SD_EINVALID,
		    "%s", _("a closed ticket is never reopened: register a new ticket with --related"));
	if (sd_status_final(from))
		return sd_error_set(SD_EINVALID, _("the ticket is %s; nothing changes it"), from);
	return sd_error_set(SD_EINVALID, _("cannot %s a ticket that is %s"), action, from);
}

int
sd_workflow_permit(const struct sd_config *cfg, const struct sd_agent *agent,
    const struct sd_ticket *t, const char *action, const char *role, int target_level)
{
	const struct sd_action *r = sd_action_find(action);
	const char *group = t ? sd_ticket_get(t, SD_F_GROUP) : "";
	int level;

	if (!r)
		return sd_error_set(SD_EINVALID, _("unknown action '%s'"), action);
	if (!agent) {
		if (r->who & SD_RULE_STORE)
			return 0;
		return sd_error_set(SD_EPERM, _("%s needs an agent of agents.ini"), action);
	}
	level = sd_agent_level(cfg, agent);
	if ((r->who & SD_RULE_COORD_CONFIG) && !agent->coordinator && !t)
		return sd_error_set(SD_EPERM, _("%s: only coordinators %s the configuration"),
		    agent->id, action);
	if ((r->who & SD_RULE_COORD) && !agent->coordinator)
		return sd_error_set(SD_EPERM, _("%s: only coordinators %s tickets"), agent->id, action);
	if ((r->who & SD_RULE_REGISTER) && sd_config_policy(cfg, SD_POLICY_LEVEL1_REGISTERS) &&
	    level != 1)
		return sd_error_set(SD_EPERM, _("%s: only level-1 agents register tickets"), agent->id);
	if ((r->who & SD_RULE_GROUP) && sd_config_policy(cfg, SD_POLICY_GROUP_SCOPE) &&
	    !agent->coordinator && !sd_agent_in_group(agent, group))
		return sd_error_set(SD_EPERM, _("%s: the ticket is in group %s, not one of yours"),
		    agent->id, group);
	if ((r->who & SD_RULE_LEVEL1) && sd_config_policy(cfg, SD_POLICY_LEVEL1_CLOSES) && level != 1)
		return sd_error_set(SD_EPERM, _("%s: only level-1 agents %s tickets (the desk talks to the requester)"),
		    agent->id, action);
	if ((r->who & SD_RULE_FIRST_UP) && sd_config_policy(cfg, SD_POLICY_LEVEL1_ESCALATES_FIRST) &&
	    sd_ticket_number(t, SD_F_LEVEL) == 1 && target_level > 1 &&
	    sd_ticket_number(t, SD_F_ESCALATIONS) == 0 && level != 1)
		return sd_error_set(SD_EPERM, _("%s: the first escalation out of level 1 is a level-1 agent's"),
		    agent->id);
	if (r->who & SD_RULE_APPROVER) {
		for (size_t i = 0; role && i < agent->napproves; i++)
			if (!strcmp(agent->approves[i], role))
				return 0;
		return sd_error_set(SD_EPERM, _("%s: does not approve '%s'"), agent->id, role ? role : "");
	}
	return 0;
}
