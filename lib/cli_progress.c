/*
 * Progress on the terminal, for the command side: the line libsd's
 * sd_progress feeds, shown on stderr in place as git shows its own
 * ("Checking files:  42% (4200/10000), 3 s left", then ", done."), only
 * for work that lasts (a second, or $SD_PROGRESS_DELAY), a few times a
 * second at most, and only to a terminal unless asked.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sd/cli.h"
#include "sd/progress.h"

#define EVERY 0.25              /* seconds between two lines of a stage */

static struct {
	struct sd_progress p;
	double delay;           /* seconds a stage is silent */
	const char *stage;      /* the stage under way, or NULL */
	double start, last;     /* its start and its last line */
	size_t width;           /* the characters of the line shown, 0 for none */
} pr;

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Characters, not bytes: a line in Spanish is padded as wide as it is. */
static size_t
width_of(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void
show(uint64_t done, uint64_t total, double now)
{
	char line[256], left[64] = "";
	unsigned pct = (unsigned)(total ? done * 100 / total : 100);
	size_t w;

	/* What is left, at the pace so far, once there is a pace. */
	if (done < total && done && now - pr.start >= 1) {
		unsigned long s = (unsigned long)((now - pr.start) * (double)(total - done) /
		    (double)done + 0.5);
		if (s < 90)
			snprintf(left, sizeof(left), _(", %lu s left"), s);
		else
			snprintf(left, sizeof(left), _(", %lu min left"), (s + 30) / 60);
	}
	snprintf(line, sizeof(line), "%s: %3u%% (%" PRIu64 "/%" PRIu64 ")%s%s", _(pr.stage),
	    pct, done, total, left, done == total ? _(", done.") : "");
	/* A shorter line than the last: that one wiped first, so that no
	 * line ends in blanks. */
	if ((w = width_of(line)) < pr.width)
		fprintf(stderr, "\r%*s", (int)pr.width, "");
	fprintf(stderr, "\r%s%s", line, done == total ? "\n" : "");
	fflush(stderr);
	pr.width = done == total ? 0 : w;
	pr.last = now;
}

static void
tell(void *arg, const char *stage, uint64_t done, uint64_t total)
{
	double now = seconds();

	(void)arg;
	if (stage != pr.stage) {
		/* A new stage: one that stopped short is wiped. */
		sd_cli_progress_clear();
		pr.stage = stage;
		pr.start = now;
		pr.last = 0;
	}
	/* Quick work says nothing, its end neither; a line at most every
	 * EVERY seconds, and the end's. */
	if (now - pr.start >= pr.delay && (done == total || !pr.last || now - pr.last >= EVERY))
		show(done, total, now);
	/* Over: the same stage again (every ticket read twice) is new. */
	if (done == total)
		pr.stage = NULL;
}

static void
at_exit(void)
{
	sd_cli_progress_clear();
}

const struct sd_progress *
sd_cli_progress(int mode)
{
	const char *env = getenv("SD_PROGRESS_DELAY");
	char *end;
	double d;

	if (mode == SD_CLI_PROGRESS_NEVER ||
	    (mode == SD_CLI_PROGRESS_AUTO && !isatty(STDERR_FILENO)))
		return NULL;
	pr.delay = 1;
	if (env && *env && (d = strtod(env, &end)) >= 0 && !*end)
		pr.delay = d;
	if (!pr.p.fn) {
		pr.p.fn = tell;
		atexit(at_exit);
	}
	return &pr.p;
}

void
sd_cli_progress_clear(void)
{
	if (!pr.width)
		return;
	fprintf(stderr, "\r%*s\r", (int)pr.width, "");
	fflush(stderr);
	pr.width = 0;   /* drawn again at a count to come */
}
