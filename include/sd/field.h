#ifndef SD_FIELD_H
#define SD_FIELD_H

/* The vocabulary of a ticket (SPEC sections 4 and 5): the keys of
 * [ticket], their order and what each holds, and the statuses.  Words
 * alone: what a store's configuration allows is sd/validate.h's. */

/* The keys of [ticket], in the order they are written (sd-ticket(5)). */
enum sd_field {
	SD_F_ID, SD_F_TYPE, SD_F_STATUS, SD_F_TITLE, SD_F_CATEGORY, SD_F_CHANNEL,
	SD_F_URGENCY, SD_F_IMPACT, SD_F_PRIORITY, SD_F_LEVEL, SD_F_GROUP,
	SD_F_ASSIGNEE, SD_F_REQUESTER, SD_F_REQUESTER_EMAIL, SD_F_REQUESTER_PHONE,
	SD_F_CREATED, SD_F_UPDATED, SD_F_RESPONDED, SD_F_SOLVED, SD_F_CLOSED,
	SD_F_DUE_RESPONSE, SD_F_DUE_RESOLUTION, SD_F_RESOLUTION, SD_F_CLOSE_REASON,
	SD_F_RATING, SD_F_ESCALATIONS, SD_F_REOPENED, SD_F_CONTACT_ATTEMPTS,
	SD_F_RELATED, SD_F_APPROVALS, SD_F_PROBLEM, SD_F_INCIDENTS,
	SD_F_ALIASES,
	SD_F__COUNT
};

/* What a field holds (SPEC section 4). */
enum sd_kind {
	SD_KIND_ID,             /* the ticket's own id */
	SD_KIND_WORD,           /* a name from a fixed set or from the configuration */
	SD_KIND_TEXT,           /* one line of text */
	SD_KIND_NUMBER,         /* a whole number in a range: priority, level, rating */
	SD_KIND_COUNTER,        /* how many times something happened, from 0 */
	SD_KIND_TIME,           /* RFC 3339, empty until it happens */
	SD_KIND_IDS,            /* ticket ids, space-separated */
	SD_KIND_WORDS           /* names, space-separated */
};

/* How a field's value is shown in JSON and sorted: what it holds, told
 * coarsely (an id is a word, a counter a number, ids and words a list). */
enum sd_field_kind {
	SD_K_TEXT,      /* one line of text */
	SD_K_WORD,      /* a name from a fixed set or from the configuration */
	SD_K_NUMBER,    /* a whole number, JSON number (null when empty) */
	SD_K_TIME,      /* RFC 3339 or empty */
	SD_K_LIST       /* space-separated words */
};

const char *sd_field_name(enum sd_field f);
/* The field's name for people, in the user's language (as the name in
 * English): for labels and headers, never for files or machine formats. */
const char *sd_field_label(enum sd_field f);
enum sd_kind sd_field_holds(enum sd_field f);
enum sd_field_kind sd_field_kind(enum sd_field f);
/* The field of that name, or -1. */
int sd_field_lookup(const char *name);

/* A key written only when it holds a value, and so may be missing from
 * a file (problem, incidents: the links of problem management). */
int sd_field_optional(enum sd_field f);

/* The statuses of SPEC section 5. */
extern const char *const sd_statuses[];
int sd_status_valid(const char *s);
/* Open: not solved, closed, rejected or unmanaged. */
int sd_status_open(const char *s);
/* Final: closed, rejected or unmanaged. */
int sd_status_final(const char *s);

/* "high" "medium" "low" -> 0 1 2; -1 otherwise. */
int sd_level_word(const char *s);
/* As sd_level_word, and an urgency or impact not given yet (empty) ranks
 * as medium: the priority it gives until the desk sets it. */
int sd_level_rank(const char *s);

#endif
