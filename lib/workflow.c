#include <string.h>

#include "internal.h"
#include "sd/workflow.h"

/* SPEC section 5, "left by": every move there is; any other is refused. */
static const struct sd_transition transitions[] = {
	{ "new", "assign", "assigned" },
	{ "new", "escalate", "escalated|provider" },
	{ "new", "solve", "solved" },
	{ "new", "reject", "rejected" },
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
};

static const struct sd_action_rule rules[] = {
	{ "assign", SD_RULE_GROUP, SD_NEED_NONE,
	  "give it to an agent of its group; the first assignment is the response" },
	{ "escalate", SD_RULE_GROUP | SD_RULE_FIRST_UP, SD_NEED_DIAGNOSIS,
	  "to another level or group, with a diagnosis" },
	{ "suspend", SD_RULE_GROUP, SD_NEED_REASON, "on hold; the SLA clocks stop" },
	{ "resume", SD_RULE_GROUP, SD_NEED_NONE, "back to the status it had; the clocks run" },
	{ "solve", SD_RULE_GROUP, SD_NEED_SOLUTION, "the solution documented; acceptance window runs" },
	{ "close", SD_RULE_LEVEL1, SD_NEED_NONE, "the requester accepts the solution" },
	{ "reject", SD_RULE_LEVEL1, SD_NEED_REASON, "not the desk's to handle, or redirected" },
	{ "reopen", SD_RULE_LEVEL1, SD_NEED_REASON, "the requester is not satisfied" },
	{ "approve", SD_RULE_APPROVER, SD_NEED_NONE, "one approval, in the category's order" },
	{ "deny", SD_RULE_APPROVER, SD_NEED_REASON, "an approval refused: the request is rejected" },
	{ "auto-close", SD_RULE_ANY, SD_NEED_NONE, "solved past accept_window: closed" },
	{ "unmanaged", SD_RULE_ANY, SD_NEED_NONE, "pending-info past info_window: left out of reports" },
	{ "update", SD_RULE_ANY, SD_NEED_NONE, "correct or complete it; complete: out of pending-info" },
	{ "note", SD_RULE_ANY, SD_NEED_TEXT, "a note, or a failed contact attempt" },
	{ "link", SD_RULE_ANY, SD_NEED_NONE, "relate tickets both ways (final ones too)" },
	{ "edit", SD_RULE_ANY, SD_NEED_NONE, "correct the file in an editor; status unchanged" },
};

size_t
sd_workflow_transitions(const struct sd_transition **out)
{
	*out = transitions;
	return SD_ARRAY_SIZE(transitions);
}

size_t
sd_workflow_rules(const struct sd_action_rule **out)
{
	*out = rules;
	return SD_ARRAY_SIZE(rules);
}

const struct sd_action_rule *
sd_workflow_rule(const char *action)
{
	for (size_t i = 0; i < SD_ARRAY_SIZE(rules); i++)
		if (!strcmp(rules[i].action, action))
			return &rules[i];
	return NULL;
}

int
sd_workflow_move(const char **to, const char *from, const char *action)
{
	*to = NULL;
	for (size_t i = 0; i < SD_ARRAY_SIZE(transitions); i++)
		if (!strcmp(transitions[i].from, from) && !strcmp(transitions[i].action, action)) {
			*to = transitions[i].to;
			return 0;
		}
	/* Notes, updates and edits leave the status as it is, on any ticket
	 * that is not final; a link goes on final tickets too. */
	if (!strcmp(action, "link") ||
	    (!sd_status_final(from) && (!strcmp(action, "note") || !strcmp(action, "update") ||
	    !strcmp(action, "edit")))) {
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
	const struct sd_action_rule *r = sd_workflow_rule(action);
	const char *group = sd_ticket_get(t, SD_F_GROUP);
	int level = sd_agent_level(cfg, agent);

	if (!r)
		return sd_error_set(SD_EINVALID, _("unknown action '%s'"), action);
	if ((r->rule & SD_RULE_GROUP) && sd_config_policy(cfg, SD_POLICY_GROUP_SCOPE) &&
	    !agent->coordinator && !sd_agent_in_group(agent, group))
		return sd_error_set(SD_EPERM, _("%s: the ticket is in group %s, not one of yours"),
		    agent->id, group);
	if ((r->rule & SD_RULE_LEVEL1) && sd_config_policy(cfg, SD_POLICY_LEVEL1_CLOSES) && level != 1)
		return sd_error_set(SD_EPERM, _("%s: only level-1 agents %s tickets (the desk talks to the requester)"),
		    agent->id, action);
	if ((r->rule & SD_RULE_FIRST_UP) && sd_config_policy(cfg, SD_POLICY_LEVEL1_ESCALATES_FIRST) &&
	    sd_ticket_number(t, SD_F_LEVEL) == 1 && target_level > 1 &&
	    sd_ticket_number(t, SD_F_ESCALATIONS) == 0 && level != 1)
		return sd_error_set(SD_EPERM, _("%s: the first escalation out of level 1 is a level-1 agent's"),
		    agent->id);
	if (r->rule & SD_RULE_APPROVER) {
		for (size_t i = 0; role && i < agent->napproves; i++)
			if (!strcmp(agent->approves[i], role))
				return 0;
		return sd_error_set(SD_EPERM, _("%s: does not approve '%s'"), agent->id, role ? role : "");
	}
	return 0;
}
