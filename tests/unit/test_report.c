/*
 * The report's percentiles (lib/report.c, sd__report_ranks): the median
 * and the 90th percentile, nearest-rank, as sd-report(1) defines them.
 * Hand cases, then random sets against a sort: values close together
 * (counted), far apart (selected), and in between, where the way taken
 * changes.
 */
#include "unit.h"
#include "report_internal.h"

static void
ranks_are(const int32_t *values, size_t n, int32_t median, int32_t p90)
{
	int32_t *v = malloc(n * sizeof(*v)), got[2];

	assert_non_null(v);
	memcpy(v, values, n * sizeof(*v));
	sd__report_ranks(got, v, n);
	if (got[0] != median || got[1] != p90)
		fail_msg("%zu values: median %d, p90 %d; not %d, %d", n, got[0], got[1],
		    median, p90);
	free(v);
}

static void
test_by_hand(void **state)
{
	static const int32_t one[] = { 7 };
	static const int32_t two[] = { 9, 3 };
	/* Ranks ceil(0.5 x 10) = 5 and ceil(0.9 x 10) = 9, from 1. */
	static const int32_t ten[] = { 10, 1, 9, 2, 8, 3, 7, 4, 6, 5 };
	/* Eleven: ranks 6 and 10. */
	static const int32_t eleven[] = { 0, 0, 0, 0, 0, 0, 5, 5, 60, 120, 3000 };
	/* Far apart: ranks 2 and 3 of 3. */
	static const int32_t far[] = { 2000000000, -5, 1000000 };
	static const int32_t extremes[] = { INT32_MIN, INT32_MAX, 0, INT32_MAX };

	(void)state;
	ranks_are(one, 1, 7, 7);
	ranks_are(two, 2, 3, 9);
	ranks_are(ten, 10, 5, 9);
	ranks_are(eleven, 11, 0, 120);
	ranks_are(far, 3, 1000000, 2000000000);
	ranks_are(extremes, 4, 0, INT32_MAX);
}

static int
cmp_int32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static void
test_against_sort(void **state)
{
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	for (long i = 0; i < 3000; i++) {
		size_t n = 1 + unit_below(&r, i % 10 ? 300 : 20000);
		/* Spans from one value to far more than 4 n + 4096. */
		static const uint32_t spans[] = { 1, 10, 1000, 5000, 100000, 1u << 31 };
		uint32_t span = spans[unit_below(&r, sizeof(spans) / sizeof(spans[0]))];
		int32_t base = (int32_t)unit_below(&r, 1000) - 500, got[2], want[2];
		int32_t *v = malloc(n * sizeof(*v)), *sorted = malloc(n * sizeof(*v));

		assert_non_null(v);
		assert_non_null(sorted);
		for (size_t k = 0; k < n; k++)
			v[k] = (int32_t)((int64_t)base + (int64_t)unit_below(&r, span));
		memcpy(sorted, v, n * sizeof(*v));
		qsort(sorted, n, sizeof(*sorted), cmp_int32);
		want[0] = sorted[(n * 50 + 99) / 100 - 1];
		want[1] = sorted[(n * 90 + 99) / 100 - 1];
		sd__report_ranks(got, v, n);
		if (got[0] != want[0] || got[1] != want[1])
			unit_fail(&r, "case %ld: %zu values over %u: %d, %d; not %d, %d", i, n,
			    span, got[0], got[1], want[0], want[1]);
		/* Reordered, never changed. */
		qsort(v, n, sizeof(*v), cmp_int32);
		if (memcmp(v, sorted, n * sizeof(*v)))
			unit_fail(&r, "case %ld: the values changed", i);
		free(v);
		free(sorted);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_against_sort),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
