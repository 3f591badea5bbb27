/*
 * What every unit test of libsd shares: cmocka, libsd, and a few helpers
 * for error codes and messages, times, and seeded random numbers.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sd.h"

/* expr returns 0; else fail with its code and message. */
#define assert_ok(expr) do { \
	int rc_ = (expr); \
	if (rc_ != 0) \
		fail_msg("%s: %d: %s", #expr, rc_, sd_error_message()); \
} while (0)

/* expr returns code, and sd_error_message() is msg exactly. */
#define assert_fails(expr, code, msg) do { \
	int rc_ = (expr); \
	assert_int_equal(rc_, (code)); \
	assert_string_equal(sd_error_message(), (msg)); \
} while (0)

/* The zone the helpers below read and write times in (NULL: UTC), and
 * every zone loaded so far: kept to the end, so that a calendar made in
 * one zone still has it after the tests moved to another. */
static const struct sd_zone *unit_zone_now;
static struct sd_zone *unit_zones[64];

/* Make zone the tests' zone (unit_z), or fail. */
static inline void
unit_zone(const char *zone)
{
	size_t i;

	for (i = 0; i < 64 && unit_zones[i]; i++)
		if (!strcmp(sd_zone_name(unit_zones[i]), zone)) {
			unit_zone_now = unit_zones[i];
			return;
		}
	if (i == 64)
		fail_msg("unit_zone(%s): too many zones", zone);
	if (sd_zone_load(&unit_zones[i], zone, NULL) < 0)
		fail_msg("sd_zone_load(%s): %s", zone, sd_error_message());
	unit_zone_now = unit_zones[i];
}

static inline const struct sd_zone *
unit_z(void)
{
	return unit_zone_now;
}

/* An RFC 3339 literal as an instant; fails the test when it is not one. */
static inline time_t
unit_time(const char *s)
{
	time_t t;

	if (sd_time_parse(&t, unit_z(), s) < 0)
		fail_msg("sd_time_parse(%s): %s", s, sd_error_message());
	return t;
}

/* t in the tests' zone, in one of a few rotating static buffers. */
static inline const char *
unit_fmt(time_t t)
{
	static char buf[8][SD_TIME_MAX];
	static int next;
	char *b = buf[next++ % 8];

	sd_time_format(b, unit_z(), t);
	return b;
}

/* The instant t, formatted in the tests' zone, is the literal want. */
#define assert_time(t, want) assert_string_equal(unit_fmt(t), (want))

/*
 * A small PRNG (splitmix64) for property tests: the seed comes from
 * $SD_TEST_SEED when set, else from the clock, and each test prints it
 * when it fails so that the run can be repeated.
 */
struct unit_rng {
	uint64_t state;
	uint64_t seed;
};

static inline void
unit_rng_init(struct unit_rng *r)
{
	const char *env = getenv("SD_TEST_SEED");
	struct timespec ts;

	if (env && *env) {
		r->seed = strtoull(env, NULL, 0);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		r->seed = (uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec ^
		    (uint64_t)getpid() << 32;
	}
	r->state = r->seed;
}

static inline uint64_t
unit_rand(struct unit_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* 0 .. n-1 (n > 0). */
static inline uint64_t
unit_below(struct unit_rng *r, uint64_t n)
{
	return unit_rand(r) % n;
}

/* A property failed: say which seed (and case) makes it again. */
#define unit_fail(rng, ...) do { \
	print_error("property failed; repeat with SD_TEST_SEED=%llu\n", \
	    (unsigned long long)(rng)->seed); \
	fail_msg(__VA_ARGS__); \
} while (0)

/* A NUL-terminated copy of n bytes (tests own it; free()). */
static inline char *
unit_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	assert_non_null(p);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* A small configuration, its four files: sd.ini (prefix SD, Bogotá,
 * Mondays 07:30-17:00, phone and web), sla.ini (the priority matrix and
 * the targets), agents.ini (ana in desk) and escalation.ini. */
#define UNIT_SD_INI \
	"[store]\nprefix = SD\ntimezone = America/Bogota\n" \
	"[calendar]\nmon = 07:30-17:00\n" \
	"[lifecycle]\nchannels = phone, web\n"
#define UNIT_SLA_INI \
	"[priority]\nhigh.high = 1\nhigh.medium = 2\nhigh.low = 3\n" \
	"medium.high = 2\nmedium.medium = 3\nmedium.low = 4\n" \
	"low.high = 3\nlow.medium = 4\nlow.low = 4\n" \
	"[incident]\nresponse = 1bh\nresolution.1 = 4bh\nresolution.2 = 8bh\n" \
	"resolution.3 = 3bd\nresolution.4 = 5bd\n" \
	"[request]\nresponse = 2bh\nresolution.1 = 8bh\nresolution.2 = 2bd\n" \
	"resolution.3 = 5bd\nresolution.4 = 10bd\n"
#define UNIT_AGENTS_INI "[group desk]\nlevel = 1\n[agent ana]\nname = Ana\ngroups = desk\n"
#define UNIT_ESCALATION_INI "[hardware]\nlevel1 = desk\n"

#endif
