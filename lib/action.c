/*
 * The action table: every action of a ticket's life as one row of data
 * (who, text, keys and how they change, event keys, upkeep).  The commands
 * build their changes from it, lib/rules.c holds commits to it, and sd(7)
 * prints it (tests/unit/test_workflow.c keeps the page equal to it).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "sd/action.h"

/* What every action with an event does to the ticket besides its own keys:
 * `updated` is the event's time, and the due dates follow the clock. */
#define UPKEEP \
	[SD_F_UPDATED] = SD_STAMP, [SD_F_DUE_RESPONSE] = SD_CALC, [SD_F_DUE_RESOLUTION] = SD_CALC

static const struct sd_action actions[] = {
	{ "new", SD_RULE_REGISTER, SD_NEED_NONE, SD_ACT_BORN | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_ID] = SD_SET, [SD_F_TYPE] = SD_SET, [SD_F_STATUS] = SD_SET,
	    [SD_F_TITLE] = SD_SET, [SD_F_CATEGORY] = SD_SET, [SD_F_CHANNEL] = SD_SET,
	    [SD_F_URGENCY] = SD_SET, [SD_F_IMPACT] = SD_SET, [SD_F_PRIORITY] = SD_CALC,
	    [SD_F_LEVEL] = SD_SET, [SD_F_GROUP] = SD_SET, [SD_F_REQUESTER] = SD_SET,
	    [SD_F_REQUESTER_EMAIL] = SD_SET, [SD_F_REQUESTER_PHONE] = SD_SET,
	    [SD_F_CREATED] = SD_STAMP, [SD_F_RELATED] = SD_SET, [SD_F_APPROVALS] = SD_SET,
	    UPKEEP },
	  SD_TEXTS_DESCRIPTION, "cc attachment message_id", "register a ticket: level 1, its category's group" },
	{ "update", SD_RULE_ANY, SD_NEED_NONE, SD_ACT_MOVES | SD_ACT_KEEPS | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_TITLE] = SD_SET, [SD_F_CATEGORY] = SD_SET,
	    [SD_F_URGENCY] = SD_SET, [SD_F_IMPACT] = SD_SET, [SD_F_PRIORITY] = SD_CALC,
	    [SD_F_GROUP] = SD_SET, [SD_F_REQUESTER_EMAIL] = SD_SET,
	    [SD_F_REQUESTER_PHONE] = SD_SET, [SD_F_APPROVALS] = SD_SET, UPKEEP },
	  0, "changed text", "correct or complete it; complete: out of pending-info" },
	{ "assign", SD_RULE_GROUP, SD_NEED_NONE, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_ASSIGNEE] = SD_SET, [SD_F_RESPONDED] = SD_FIRST, UPKEEP },
	  0, "assignee text", "give it to an agent of its group; the first assignment is the response" },
	{ "escalate", SD_RULE_GROUP | SD_RULE_FIRST_UP, SD_NEED_DIAGNOSIS,
	  SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_LEVEL] = SD_SET, [SD_F_GROUP] = SD_SET,
	    [SD_F_ASSIGNEE] = SD_CLEAR, [SD_F_ESCALATIONS] = SD_STEP, UPKEEP },
	  0, "group level provider_ref text",
	  "to another level or group, with a diagnosis; to a provider, its case number" },
	{ "suspend", SD_RULE_GROUP, SD_NEED_REASON, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, UPKEEP },
	  0, "text", "on hold; the SLA clocks stop" },
	{ "resume", SD_RULE_GROUP, SD_NEED_NONE, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, UPKEEP },
	  0, "text", "back to the status it had; the clocks run" },
	{ "solve", SD_RULE_GROUP, SD_NEED_SOLUTION, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_ASSIGNEE] = SD_ACTOR, [SD_F_RESPONDED] = SD_FIRST,
	    [SD_F_SOLVED] = SD_STAMP, [SD_F_RESOLUTION] = SD_SET, UPKEEP },
	  SD_TEXTS_SOLUTION, "code kb text", "the solution documented; acceptance window runs" },
	{ "known-error", SD_RULE_GROUP, SD_NEED_SOLUTION, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_ASSIGNEE] = SD_ACTOR, UPKEEP },
	  SD_TEXTS_SOLUTION, "text", "a problem's root cause and workaround documented" },
	{ "close", SD_RULE_LEVEL1, SD_NEED_NONE, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_CLOSED] = SD_STAMP, [SD_F_CLOSE_REASON] = SD_SET,
	    [SD_F_RATING] = SD_SET, UPKEEP },
	  0, "rating text attachment", "the requester accepts the solution" },
	{ "reject", SD_RULE_LEVEL1, SD_NEED_REASON, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_CLOSED] = SD_STAMP, [SD_F_CLOSE_REASON] = SD_SET, UPKEEP },
	  0, "text", "not the desk's to handle, or redirected" },
	{ "reopen", SD_RULE_LEVEL1, SD_NEED_REASON, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_ASSIGNEE] = SD_SET, [SD_F_SOLVED] = SD_CLEAR,
	    [SD_F_RESOLUTION] = SD_CLEAR, [SD_F_REOPENED] = SD_STEP, UPKEEP },
	  0, "text attachment", "the requester is not satisfied" },
	{ "approve", SD_RULE_APPROVER, SD_NEED_NONE, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_APPROVALS] = SD_SET, UPKEEP },
	  0, "role text", "one approval, in the category's order" },
	{ "deny", SD_RULE_APPROVER, SD_NEED_REASON, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_CLOSED] = SD_STAMP, [SD_F_CLOSE_REASON] = SD_SET, UPKEEP },
	  0, "role text", "an approval refused: the request is rejected" },
	{ "auto-close", SD_RULE_ANY, SD_NEED_NONE, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_CLOSED] = SD_STAMP, [SD_F_CLOSE_REASON] = SD_SET, UPKEEP },
	  0, "text", "solved past accept_window: closed" },
	{ "unmanaged", SD_RULE_ANY, SD_NEED_NONE, SD_ACT_MOVES | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_STATUS] = SD_SET, [SD_F_CLOSED] = SD_STAMP, [SD_F_CLOSE_REASON] = SD_SET, UPKEEP },
	  0, "text", "pending-info past info_window: left out of reports" },
	{ "note", SD_RULE_ANY, SD_NEED_TEXT, SD_ACT_KEEPS | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_CONTACT_ATTEMPTS] = SD_STEP, UPKEEP },
	  0, "contact_attempt text attachment", "a note, or a failed contact attempt" },
	{ "reply", SD_RULE_ANY, SD_NEED_TEXT, SD_ACT_KEEPS | SD_ACT_EVENT | SD_ACT_HOOK,
	  { UPKEEP },
	  0, "text", "a public answer to the requester; notes stay internal" },
	{ "attach", SD_RULE_ANY, SD_NEED_NONE, SD_ACT_KEEPS | SD_ACT_EVENT | SD_ACT_HOOK,
	  { UPKEEP },
	  0, "attachment text", "files kept with the ticket (attachments/ in the tree)" },
	{ "link", SD_RULE_ANY, SD_NEED_NONE,
	  SD_ACT_KEEPS | SD_ACT_FINAL | SD_ACT_BARE_FINAL | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_RELATED] = SD_SET, UPKEEP },
	  0, "related", "relate tickets both ways; a final ticket gains the link alone" },
	{ "link-problem", SD_RULE_ANY, SD_NEED_NONE,
	  SD_ACT_KEEPS | SD_ACT_FINAL | SD_ACT_BARE_FINAL | SD_ACT_EVENT | SD_ACT_HOOK,
	  { [SD_F_PROBLEM] = SD_SET, [SD_F_INCIDENTS] = SD_SET, UPKEEP },
	  0, "problem incidents", "incidents to their problem: each names it, it lists them" },
	{ "edit", SD_RULE_ANY | SD_RULE_COORD_CONFIG, SD_NEED_NONE,
	  SD_ACT_KEEPS | SD_ACT_EVENT | SD_ACT_HOOK | SD_ACT_CONFIG,
	  { [SD_F_TYPE] = SD_SET, [SD_F_TITLE] = SD_SET, [SD_F_CATEGORY] = SD_SET,
	    [SD_F_CHANNEL] = SD_SET, [SD_F_URGENCY] = SD_SET, [SD_F_IMPACT] = SD_SET,
	    [SD_F_PRIORITY] = SD_CALC, [SD_F_LEVEL] = SD_SET, [SD_F_GROUP] = SD_SET,
	    [SD_F_ASSIGNEE] = SD_SET, [SD_F_REQUESTER] = SD_SET,
	    [SD_F_REQUESTER_EMAIL] = SD_SET, [SD_F_REQUESTER_PHONE] = SD_SET,
	    [SD_F_RESPONDED] = SD_SET, [SD_F_SOLVED] = SD_SET, [SD_F_CLOSED] = SD_SET,
	    [SD_F_RESOLUTION] = SD_SET, [SD_F_CLOSE_REASON] = SD_SET, [SD_F_RATING] = SD_SET,
	    [SD_F_RELATED] = SD_SET, [SD_F_APPROVALS] = SD_SET, UPKEEP },
	  SD_TEXTS_DESCRIPTION | SD_TEXTS_SOLUTION, "changed",
	  "correct it in an editor: never its id, status, created time or counters" },
	{ "repair", SD_RULE_ANY | SD_RULE_STORE, SD_NEED_NONE,
	  SD_ACT_KEEPS | SD_ACT_FINAL | SD_ACT_EVENT | SD_ACT_HOOK,
	  { UPKEEP },
	  0, "text", "sd-fsck --repair: due dates recomputed, nothing else" },
	{ "kb", SD_RULE_ANY, SD_NEED_TEXT, 0,
	  { 0 },
	  0, "", "sd-kb: one knowledge-base article written (kb/ in the tree), no ticket" },
	{ "init", SD_RULE_ANY | SD_RULE_STORE, SD_NEED_NONE, SD_ACT_CONFIG,
	  { 0 },
	  0, "", "sd-init: the first commit, the configuration and no ticket" },
	{ "lease", SD_RULE_ANY, SD_NEED_NONE, 0,
	  { 0 },
	  0, "", "sd-sync: one block of numbers leased to a site (sites.ini), no ticket" },
};

static const char *const how_words[SD_HOW__COUNT] = {
	[SD_KEEP] = "-", [SD_SET] = "set", [SD_STEP] = "+1", [SD_STAMP] = "now",
	[SD_FIRST] = "first", [SD_CLEAR] = "empty", [SD_CALC] = "computed",
	[SD_ACTOR] = "actor",
};

size_t
sd_actions(const struct sd_action **out)
{
	*out = actions;
	return SD_ARRAY_SIZE(actions);
}

const struct sd_action *
sd_action_find(const char *name)
{
	for (size_t i = 0; name && i < SD_ARRAY_SIZE(actions); i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}

const char *
sd_how_word(enum sd_how how)
{
	return how < SD_HOW__COUNT ? how_words[how] : "?";
}

int
sd_action_event_key(const struct sd_action *a, const char *key)
{
	static const char *const always[] = { "at", "by", "action", "from", "to" };
	size_t n = strlen(key);

	for (size_t i = 0; i < SD_ARRAY_SIZE(always); i++)
		if (!strcmp(always[i], key))
			return 1;
	for (const char *p = a->event; (p = strstr(p, key)); p += n)
		if ((p == a->event || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static const struct { unsigned bit; const char *word; } who_words[] = {
	{ SD_RULE_GROUP, "group" }, { SD_RULE_FIRST_UP, "first" },
	{ SD_RULE_LEVEL1, "level 1" }, { SD_RULE_REGISTER, "level 1" },
	{ SD_RULE_APPROVER, "approver" },
	{ SD_RULE_COORD_CONFIG, "configuration: coordinator" },
};

static const char *const need_names[] = {
	[SD_NEED_NONE] = "none", [SD_NEED_DIAGNOSIS] = "a diagnosis",
	[SD_NEED_SOLUTION] = "a solution", [SD_NEED_REASON] = "a reason", [SD_NEED_TEXT] = "a text",
};

void
sd_action_describe(const struct sd_action *a, char *out, size_t size)
{
	size_t n = 0;
	int any = 0;

#define PUT(...) (n += (size_t)snprintf(out + (n < size ? n : size), n < size ? size - n : 0, __VA_ARGS__))
	PUT("who: ");
	for (size_t i = 0; i < SD_ARRAY_SIZE(who_words); i++)
		if (a->who & who_words[i].bit)
			PUT("%s%s", any++ ? ", " : "", who_words[i].word);
	PUT("%s%s; text: %s; changes:", any ? "" : "any",
	    (a->who & SD_RULE_STORE) ? ", or the store" : "", need_names[a->need]);
	any = 0;
	for (int f = 0; f < SD_F__COUNT; f++)
		if (a->keys[f] != SD_KEEP)
			PUT("%s %s %s", any++ ? "," : "", sd_field_name(f), how_words[a->keys[f]]);
	if (a->texts & SD_TEXTS_DESCRIPTION)
		PUT("%s description", any++ ? "," : "");
	if (a->texts & SD_TEXTS_SOLUTION)
		PUT("%s solution", any++ ? "," : "");
	PUT("%s; event: %s%s%s", any ? "" : " nothing",
	    !(a->flags & SD_ACT_EVENT) ? "none" : "at by action from to",
	    (a->flags & SD_ACT_EVENT) && *a->event ? " " : "", (a->flags & SD_ACT_EVENT) ? a->event : "");
#undef PUT
}
