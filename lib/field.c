/*
 * The vocabulary of a ticket (SPEC sections 4 and 5): the keys of
 * [ticket], their order and what each holds, and the statuses.  It knows
 * no store: what a store's configuration allows is lib/validate.c's.
 */
#include <string.h>

#include "internal.h"
#include "sd/field.h"

/* Each name is marked for translation as well: translated, it labels the
 * field for people (sd-show, the header of sd-list's table); the name
 * itself, in files and machine formats, never changes. */
/* Each name, its length and what it holds: FIELD("id", ID). */
#define FIELD(name, kind) { N_(name), sizeof(name) - 1, SD_KIND_##kind }
const struct sd__field sd__fields[SD_F__COUNT] = {
	FIELD("id", ID), FIELD("type", WORD), FIELD("status", WORD),
	FIELD("title", TEXT), FIELD("category", WORD), FIELD("channel", WORD),
	FIELD("urgency", WORD), FIELD("impact", WORD),
	FIELD("priority", NUMBER), FIELD("level", NUMBER),
	FIELD("group", WORD), FIELD("assignee", WORD),
	FIELD("requester", TEXT), FIELD("requester_email", TEXT),
	FIELD("requester_phone", TEXT), FIELD("created", TIME),
	FIELD("updated", TIME), FIELD("responded", TIME),
	FIELD("solved", TIME), FIELD("closed", TIME),
	FIELD("due_response", TIME), FIELD("due_resolution", TIME),
	FIELD("resolution", WORD), FIELD("close_reason", TEXT),
	FIELD("rating", NUMBER), FIELD("escalations", COUNTER),
	FIELD("reopened", COUNTER), FIELD("contact_attempts", COUNTER),
	FIELD("related", IDS), FIELD("approvals", WORDS),
	FIELD("problem", IDS), FIELD("incidents", IDS),
	FIELD("aliases", IDS),
};
#undef FIELD

const char *const sd_statuses[] = {
	"new", "pending-info", "awaiting-approval", "assigned", "escalated",
	"provider", "suspended", "solved", "reopened", "closed", "rejected",
	"unmanaged", "known-error", NULL
};

int
sd_field_optional(enum sd_field f)
{
	return f == SD_F_PROBLEM || f == SD_F_INCIDENTS || f == SD_F_ALIASES;
}

const char *sd_field_name(enum sd_field f) { return sd__fields[f].name; }
const char *sd_field_label(enum sd_field f) { return _(sd__fields[f].name); }
enum sd_kind sd_field_holds(enum sd_field f) { return sd__fields[f].kind; }

enum sd_field_kind
sd_field_kind(enum sd_field f)
{
	static const enum sd_field_kind shown[] = {
		[SD_KIND_ID] = SD_K_WORD, [SD_KIND_WORD] = SD_K_WORD,
		[SD_KIND_TEXT] = SD_K_TEXT, [SD_KIND_NUMBER] = SD_K_NUMBER,
		[SD_KIND_COUNTER] = SD_K_NUMBER, [SD_KIND_TIME] = SD_K_TIME,
		[SD_KIND_IDS] = SD_K_LIST, [SD_KIND_WORDS] = SD_K_LIST,
	};

	return shown[sd__fields[f].kind];
}

int
sd_field_lookup(const char *name)
{
	for (int f = 0; f < SD_F__COUNT; f++)
		if (!strcmp(sd__fields[f].name, name))
			return f;
	return -1;
}

int
sd_status_valid(const char *s)
{
	return sd__word_in(s, sd_statuses);
}

int
sd_status_final(const char *s)
{
	static const char *const final[] = { "closed", "rejected", "unmanaged", NULL };
	return sd__word_in(s, final);
}

int
sd_status_open(const char *s)
{
	return !sd_status_final(s) && !sd__streq(s, "solved");
}

int
sd_level_word(const char *s)
{
	if (!strcmp(s, "high")) return 0;
	if (!strcmp(s, "medium")) return 1;
	if (!strcmp(s, "low")) return 2;
	return -1;
}

int
sd_level_rank(const char *s)
{
	return *s ? sd_level_word(s) : 1;
}
