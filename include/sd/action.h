#ifndef SD_ACTION_H
#define SD_ACTION_H

#include <stddef.h>

#include "sd/config.h"
#include "sd/ticket.h"

/*
 * The action table (SPEC sections 3, 5, 10 and 11), as data: for every
 * action, who may take it, the text it needs, which [ticket] keys it may
 * change and how, which keys its event may have, and the upkeep that
 * follows.  Where an action takes a ticket's status is the transition
 * table's (sd/workflow.h).  The commands build their change from a row;
 * sd-fsck --commits, and so the pre-receive hook, hold every commit to the
 * same row; sd(7) prints it.
 */

/* Who may take an action (bits). */
enum sd_rule {
	SD_RULE_ANY = 0,          /* any known agent */
	SD_RULE_GROUP = 1,        /* in the ticket's group; coordinators: any (group_scope) */
	SD_RULE_LEVEL1 = 2,       /* a level-1 agent: the desk talks to the requester (level1_closes) */
	SD_RULE_APPROVER = 4,     /* an agent who approves the role (never relaxed) */
	SD_RULE_FIRST_UP = 8,     /* the first escalation out of level 1: a level-1 agent (level1_escalates_first) */
	SD_RULE_REGISTER = 16,    /* a level-1 agent registers (level1_registers) */
	SD_RULE_COORD_CONFIG = 64,/* a configuration file: a coordinator (never relaxed) */
	SD_RULE_STORE = 128,      /* may also be the store's own, with no agent (sd-fsck --repair) */
	SD_RULE_COORD = 256       /* a coordinator, on any ticket (never relaxed) */
};

/* The text an action needs (-m or -F). */
enum sd_need { SD_NEED_NONE, SD_NEED_DIAGNOSIS, SD_NEED_SOLUTION, SD_NEED_REASON, SD_NEED_TEXT };

/* How an action may change a [ticket] key. */
enum sd_how {
	SD_KEEP = 0,    /* never */
	SD_SET,         /* to a value the action takes (any valid value) */
	SD_STEP,        /* a counter: up by one */
	SD_STAMP,       /* to the time of the action's event */
	SD_FIRST,       /* to the time of the action's event, when empty */
	SD_CLEAR,       /* emptied */
	SD_CALC,        /* recomputed from the file and the configuration */
	SD_ACTOR,       /* to the acting agent, when empty and they may hold it */
	SD_HOW__COUNT
};

/* What an action does besides its keys (bits). */
enum sd_act_flag {
	SD_ACT_MOVES = 1,       /* moves the status by the transition table */
	SD_ACT_KEEPS = 2,       /* keeps the status, on any ticket that is not final */
	SD_ACT_FINAL = 4,       /* also on final tickets */
	SD_ACT_BORN = 8,        /* makes the ticket */
	SD_ACT_EVENT = 16,      /* appends one event (link: on tickets not final) */
	SD_ACT_HOOK = 32,       /* runs hooks/ACTION after the commit */
	SD_ACT_CONFIG = 64,     /* may change the configuration files */
	SD_ACT_BARE_FINAL = 128 /* on a final ticket: its keys alone, no event, no upkeep */
};

/* Which texts an action may change (bits). */
enum { SD_TEXTS_DESCRIPTION = 1, SD_TEXTS_SOLUTION = 2 };

struct sd_action {
	const char *name;
	unsigned who;                           /* SD_RULE_ bits */
	enum sd_need need;
	unsigned flags;                         /* SD_ACT_ bits */
	unsigned char keys[SD_F__COUNT];        /* enum sd_how, per key */
	unsigned texts;                         /* SD_TEXTS_ bits */
	const char *event;                      /* its event's keys besides at,
	                                           by, action, from and to */
	const char *what;                       /* one line for sd(7) */
};

/* The table, in the order sd(7) prints it. */
size_t sd_actions(const struct sd_action **out);
/* The row of an action, or NULL. */
const struct sd_action *sd_action_find(const char *name);
/* The word sd(7) uses for a way of changing a key ("set", "+1", ...). */
const char *sd_how_word(enum sd_how how);
/* The row as one line of sd(7): "who: ...; text: ...; changes: KEY HOW,
 * ...; event: ..." (in English, as the page is). */
void sd_action_describe(const struct sd_action *a, char *out, size_t size);
/* Does the action's event take key (at, by, action, from and to: always)? */
int sd_action_event_key(const struct sd_action *a, const char *key);

#endif
