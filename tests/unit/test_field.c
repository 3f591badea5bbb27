/*
 * The vocabulary of a ticket (sd/field.h, SPEC sections 4 and 5): the
 * keys of [ticket] in their order, what each holds, the statuses and the
 * level words, held against tables written here from SPEC.
 */
#include "unit.h"
#include "internal.h"

/* SPEC section 4's table, row by row, in the order of the file. */
static const struct {
	const char *name;
	enum sd_kind holds;
	enum sd_field_kind shown;
} spec[] = {
	{ "id", SD_KIND_ID, SD_K_WORD },
	{ "type", SD_KIND_WORD, SD_K_WORD },
	{ "status", SD_KIND_WORD, SD_K_WORD },
	{ "title", SD_KIND_TEXT, SD_K_TEXT },
	{ "category", SD_KIND_WORD, SD_K_WORD },
	{ "channel", SD_KIND_WORD, SD_K_WORD },
	{ "urgency", SD_KIND_WORD, SD_K_WORD },
	{ "impact", SD_KIND_WORD, SD_K_WORD },
	{ "priority", SD_KIND_NUMBER, SD_K_NUMBER },
	{ "level", SD_KIND_NUMBER, SD_K_NUMBER },
	{ "group", SD_KIND_WORD, SD_K_WORD },
	{ "assignee", SD_KIND_WORD, SD_K_WORD },
	{ "requester", SD_KIND_TEXT, SD_K_TEXT },
	{ "requester_email", SD_KIND_TEXT, SD_K_TEXT },
	{ "requester_phone", SD_KIND_TEXT, SD_K_TEXT },
	{ "created", SD_KIND_TIME, SD_K_TIME },
	{ "updated", SD_KIND_TIME, SD_K_TIME },
	{ "responded", SD_KIND_TIME, SD_K_TIME },
	{ "solved", SD_KIND_TIME, SD_K_TIME },
	{ "closed", SD_KIND_TIME, SD_K_TIME },
	{ "due_response", SD_KIND_TIME, SD_K_TIME },
	{ "due_resolution", SD_KIND_TIME, SD_K_TIME },
	{ "resolution", SD_KIND_WORD, SD_K_WORD },
	{ "close_reason", SD_KIND_TEXT, SD_K_TEXT },
	{ "rating", SD_KIND_NUMBER, SD_K_NUMBER },
	{ "escalations", SD_KIND_COUNTER, SD_K_NUMBER },
	{ "reopened", SD_KIND_COUNTER, SD_K_NUMBER },
	{ "contact_attempts", SD_KIND_COUNTER, SD_K_NUMBER },
	{ "related", SD_KIND_IDS, SD_K_LIST },
	{ "approvals", SD_KIND_WORDS, SD_K_LIST },
	{ "problem", SD_KIND_IDS, SD_K_LIST },
	{ "incidents", SD_KIND_IDS, SD_K_LIST },
	{ "aliases", SD_KIND_IDS, SD_K_LIST },
};

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(SD_ARRAY_SIZE(spec), SD_F__COUNT);
	for (int f = 0; f < SD_F__COUNT; f++) {
		assert_string_equal(sd_field_name(f), spec[f].name);
		assert_int_equal(sd_field_lookup(spec[f].name), f);
		assert_int_equal(sd_field_lookup(sd_field_name(f)), f);
		/* The reader's table agrees, lengths too. */
		assert_ptr_equal(sd__fields[f].name, sd_field_name(f));
		assert_int_equal(sd__fields[f].len, strlen(spec[f].name));
	}
	assert_int_equal(sd_field_lookup("id"), SD_F_ID);
	assert_int_equal(sd_field_lookup("requester_phone"), SD_F_REQUESTER_PHONE);
	assert_int_equal(sd_field_lookup("approvals"), SD_F_APPROVALS);
	/* In the C locale a label is the name itself. */
	assert_string_equal(sd_field_label(SD_F_CLOSE_REASON), "close_reason");
}

static void
test_unknown(void **state)
{
	static const char *const unknown[] = {
		"", "ID", "Title", "title ", " title", "titl", "titles", "requester_",
		"due", "due_", "event", "text", "description", "solution", "at",
		"contact-attempts", "escalation", "approval", "relate", "ticket",
	};

	(void)state;
	for (size_t i = 0; i < SD_ARRAY_SIZE(unknown); i++)
		if (sd_field_lookup(unknown[i]) != -1)
			fail_msg("'%s' is field %d", unknown[i], sd_field_lookup(unknown[i]));
}

/* The fields that hold kind are exactly the n of set. */
static void
exactly(enum sd_kind kind, const enum sd_field *set, size_t n)
{
	for (int f = 0; f < SD_F__COUNT; f++) {
		int in_set = 0;

		for (size_t i = 0; i < n; i++)
			in_set |= set[i] == (enum sd_field)f;
		if ((sd_field_holds(f) == kind) != in_set)
			fail_msg("%s holds %d", sd_field_name(f), sd_field_holds(f));
	}
}

static void
test_kinds(void **state)
{
	static const enum sd_field counters[] = {
		SD_F_ESCALATIONS, SD_F_REOPENED, SD_F_CONTACT_ATTEMPTS
	};
	static const enum sd_field times[] = {
		SD_F_CREATED, SD_F_UPDATED, SD_F_RESPONDED, SD_F_SOLVED,
		SD_F_CLOSED, SD_F_DUE_RESPONSE, SD_F_DUE_RESOLUTION
	};
	static const enum sd_field numbers[] = { SD_F_PRIORITY, SD_F_LEVEL, SD_F_RATING };
	static const enum sd_field id[] = { SD_F_ID };
	static const enum sd_field ids[] = {
		SD_F_RELATED, SD_F_PROBLEM, SD_F_INCIDENTS, SD_F_ALIASES
	};
	static const enum sd_field words[] = { SD_F_APPROVALS };

	(void)state;
	for (int f = 0; f < SD_F__COUNT; f++) {
		if (sd_field_holds(f) != spec[f].holds)
			fail_msg("%s holds %d, not %d", spec[f].name, sd_field_holds(f), spec[f].holds);
		if (sd_field_kind(f) != spec[f].shown)
			fail_msg("%s is shown as %d, not %d", spec[f].name, sd_field_kind(f), spec[f].shown);
	}
	exactly(SD_KIND_COUNTER, counters, SD_ARRAY_SIZE(counters));
	exactly(SD_KIND_TIME, times, SD_ARRAY_SIZE(times));
	exactly(SD_KIND_NUMBER, numbers, SD_ARRAY_SIZE(numbers));
	exactly(SD_KIND_ID, id, SD_ARRAY_SIZE(id));
	exactly(SD_KIND_IDS, ids, SD_ARRAY_SIZE(ids));
	exactly(SD_KIND_WORDS, words, SD_ARRAY_SIZE(words));
}

static void
test_statuses(void **state)
{
	static const char *const spec_statuses[] = {
		"new", "pending-info", "awaiting-approval", "assigned", "escalated",
		"provider", "suspended", "solved", "reopened", "closed", "rejected",
		"unmanaged", "known-error",
	};
	static const char *const open[] = {
		"new", "pending-info", "awaiting-approval", "assigned", "escalated",
		"provider", "suspended", "reopened", "known-error",
	};
	static const char *const final[] = { "closed", "rejected", "unmanaged" };
	size_t n = 0;

	(void)state;
	for (; sd_statuses[n]; n++)
		assert_string_equal(sd_statuses[n], spec_statuses[n]);
	assert_int_equal(n, SD_ARRAY_SIZE(spec_statuses));
	for (size_t i = 0; i < n; i++) {
		const char *s = spec_statuses[i];
		int is_open = 0, is_final = 0;

		for (size_t k = 0; k < SD_ARRAY_SIZE(open); k++)
			is_open |= !strcmp(s, open[k]);
		for (size_t k = 0; k < SD_ARRAY_SIZE(final); k++)
			is_final |= !strcmp(s, final[k]);
		assert_true(sd_status_valid(s));
		if (!!sd_status_open(s) != is_open || !!sd_status_final(s) != is_final)
			fail_msg("%s: open %d final %d", s, sd_status_open(s), sd_status_final(s));
	}
	assert_false(sd_status_valid(""));
	assert_false(sd_status_valid("New"));
	assert_false(sd_status_valid("open"));
	assert_false(sd_status_valid("closed "));
	assert_false(sd_status_final("solved"));
	assert_false(sd_status_open("solved"));
}

static void
test_level_words(void **state)
{
	(void)state;
	assert_int_equal(sd_level_word("high"), 0);
	assert_int_equal(sd_level_word("medium"), 1);
	assert_int_equal(sd_level_word("low"), 2);
	assert_int_equal(sd_level_word("High"), -1);
	assert_int_equal(sd_level_word("critical"), -1);
	assert_int_equal(sd_level_word(""), -1);
	assert_int_equal(sd_level_word("lo"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_level_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
