/*
 * Jobs on several threads, their ends taken in order (lib/parallel.c),
 * and the reading that sd_store_each does with them (lib/store.c,
 * lib/util.c): sd__parallel runs each job's work once, on a worker, at
 * most 2 x workers jobs ahead of done, and calls done on the caller's
 * thread in the order of the jobs, for every job whose work ran, errors
 * or not, returning the first error in the order of the jobs;
 * sd__parallel_workers and $SD_THREADS; sd__read_file reads any file
 * whole (FIFOs without hanging, no symbolic links); sd__shard_read reads a
 * shard's ticket files in order of number, stray names left out;
 * sd__shards lists the shards; sd_store_each calls its function in order
 * and stops when told.  Timings are random (SD_TEST_SEED repeats a run);
 * the sanitizer build checks for leaks and overruns.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include "unit.h"
#include "internal.h"
#include "parallel.h"
#include "store_internal.h"

static char dir[] = "/tmp/sd-unit-parallel.XXXXXX";

static char *
path_of(const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);

	assert_non_null(p);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void
write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* len bytes of any value, NULs included (the caller frees them). */
static char *
random_bytes(struct unit_rng *r, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	for (size_t i = 0; i < len; i++)
		p[i] = (char)unit_rand(r);
	return p;
}

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && !strcmp(s + n - k, tail);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* --- sd__parallel -------------------------------------------------------- */

enum { MAXJOBS = 1000 };

/* What work saw wrong (on a worker, where cmocka must not fail). */
enum {
	BAD_JOB = 1,            /* a job number not below n */
	BAD_WORKER = 2,         /* a worker index not below workers */
	BAD_AHEAD = 4,          /* work ran 2 x workers jobs ahead of done */
	BAD_WAIT = 8            /* waited 10 s for another job in vain */
};

/* One run of sd__parallel: what to do, and what happened. */
struct run {
	size_t n, workers;
	pthread_t caller;
	unsigned delay[MAXJOBS];        /* microseconds of work */
	unsigned done_delay[MAXJOBS];   /* microseconds of done */
	long fail_work, fail_done;      /* the job whose work / done fails, or -1 */
	long stop_done;                 /* the job whose done says stop (7), or -1 */
	long work_waits, work_waits_for; /* work of one waits for another's end */
	long done_waits, done_waits_for; /* done of one waits for a work's end */

	/* Set by work, on the workers. */
	atomic_int started[MAXJOBS];
	atomic_int finished[MAXJOBS];
	atomic_int worker[MAXJOBS];
	atomic_int running, max_running;
	atomic_long max_ahead;          /* job - dones, at work's start */
	atomic_int bad;                 /* BAD_* */
	atomic_long calls;              /* work and done, all told */

	/* Set by done, on the caller's thread (it should be). */
	atomic_size_t dones;            /* done's calls, each ended */
	int done_called[MAXJOBS];
	long last_done;
	char why[512];                  /* the first thing done saw wrong */
};

static struct run *
run_new(size_t n, size_t workers)
{
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	assert_true(n <= MAXJOBS);
	r->n = n;
	r->workers = workers;
	r->caller = pthread_self();
	r->fail_work = r->fail_done = r->stop_done = -1;
	r->work_waits = r->done_waits = -1;
	r->last_done = -1;
	r->max_ahead = -1;
	return r;
}

/* Random microseconds for about one job in `one_in`, up to `most`. */
static void
random_delays(struct unit_rng *g, unsigned *v, size_t n, unsigned one_in, unsigned most)
{
	for (size_t j = 0; j < n; j++)
		v[j] = unit_below(g, one_in) == 0 ? (unsigned)unit_below(g, most + 1) : 0;
}

/* Until flag is set: 1, or 0 after 10 s. */
static int
wait_for(atomic_int *flag)
{
	for (int i = 0; i < 100000; i++) {
		if (atomic_load(flag))
			return 1;
		usleep(100);
	}
	return 0;
}

/* What work returns for a job that does not fail: small codes, not errors,
 * which done must hear of as they are. */
static int
work_rc(size_t job)
{
	return (int)(job % 3);
}

static int
work(void *arg, size_t job, size_t worker)
{
	struct run *r = arg;
	long ahead;
	int now, max;

	atomic_fetch_add(&r->calls, 1);
	if (job >= r->n) {
		atomic_fetch_or(&r->bad, BAD_JOB);
		return 0;
	}
	if (worker >= r->workers)
		atomic_fetch_or(&r->bad, BAD_WORKER);
	ahead = (long)job - (long)atomic_load(&r->dones);
	if (job >= atomic_load(&r->dones) + 2 * r->workers)
		atomic_fetch_or(&r->bad, BAD_AHEAD);
	for (long m = atomic_load(&r->max_ahead); ahead > m &&
	    !atomic_compare_exchange_weak(&r->max_ahead, &m, ahead);)
		;
	atomic_fetch_add(&r->started[job], 1);
	atomic_store(&r->worker[job], (int)worker);
	now = atomic_fetch_add(&r->running, 1) + 1;
	for (max = atomic_load(&r->max_running); now > max &&
	    !atomic_compare_exchange_weak(&r->max_running, &max, now);)
		;
	if (r->delay[job])
		usleep(r->delay[job]);
	if ((long)job == r->work_waits && !wait_for(&r->finished[r->work_waits_for]))
		atomic_fetch_or(&r->bad, BAD_WAIT);
	atomic_fetch_sub(&r->running, 1);
	atomic_store(&r->finished[job], 1);
	if ((long)job == r->fail_work)
		return sd_error_set(SD_EIO, "work %zu failed", job);
	return work_rc(job);
}

#define WHY(r, ...) do { \
	if (!(r)->why[0]) \
		snprintf((r)->why, sizeof((r)->why), __VA_ARGS__); \
} while (0)

static int
done(void *arg, size_t job, int rc)
{
	struct run *r = arg;
	int want = (long)job == r->fail_work ? SD_EIO : work_rc(job);

	atomic_fetch_add(&r->calls, 1);
	if (job >= r->n) {
		WHY(r, "done(%zu) of %zu jobs", job, r->n);
		return 0;
	}
	if (!pthread_equal(pthread_self(), r->caller))
		WHY(r, "done(%zu) not on the caller's thread", job);
	if ((long)job <= r->last_done)
		WHY(r, "done(%zu) after done(%ld)", job, r->last_done);
	if (!atomic_load(&r->finished[job]))
		WHY(r, "done(%zu) before its work finished (started %d times)", job,
		    atomic_load(&r->started[job]));
	if (rc != want)
		WHY(r, "done(%zu) heard %d from work, which returned %d", job, rc, want);
	r->last_done = (long)job;
	r->done_called[job]++;
	if (r->done_delay[job])
		usleep(r->done_delay[job]);
	if ((long)job == r->done_waits && !wait_for(&r->finished[r->done_waits_for]))
		WHY(r, "done(%zu) waited 10 s for work %ld in vain", job, r->done_waits_for);
	atomic_store(&r->dones, job + 1);
	if ((long)job == r->fail_done)
		return sd_error_set(SD_EINVALID, "done %zu failed", job);
	if ((long)job == r->stop_done)
		return 7;
	return 0;
}

/* Nothing went wrong that work or done saw; done was called once for each
 * job whose work started, once, and for no other. */
static void
check_run(struct run *r, struct unit_rng *g)
{
	int bad = atomic_load(&r->bad);

	if (bad)
		unit_fail(g, "work saw:%s%s%s%s", bad & BAD_JOB ? " a job >= n" : "",
		    bad & BAD_WORKER ? " a worker >= workers" : "",
		    bad & BAD_AHEAD ? " a job 2 x workers ahead of done" : "",
		    bad & BAD_WAIT ? " no end of the job it waited for" : "");
	if (r->why[0])
		unit_fail(g, "%s", r->why);
	if (atomic_load(&r->max_running) > (int)r->workers)
		unit_fail(g, "%d jobs at once on %zu workers", atomic_load(&r->max_running), r->workers);
	for (size_t j = 0; j < r->n; j++) {
		int s = atomic_load(&r->started[j]);

		if (s > 1)
			unit_fail(g, "work ran %d times for job %zu", s, j);
		if (r->done_called[j] != s)
			unit_fail(g, "job %zu: work ran %d times, done was called %d times", j, s,
			    r->done_called[j]);
		if (s && atomic_load(&r->worker[j]) >= (int)r->workers)
			unit_fail(g, "job %zu on worker %d of %zu", j, atomic_load(&r->worker[j]),
			    r->workers);
	}
}

/* Every job ran, once. */
static void
check_all_ran(struct run *r, struct unit_rng *g)
{
	for (size_t j = 0; j < r->n; j++)
		if (atomic_load(&r->started[j]) != 1)
			unit_fail(g, "job %zu: work ran %d times", j, atomic_load(&r->started[j]));
}

/* Jobs first..n-1 never started; jobs 0..last all did. */
static void
check_stopped(struct run *r, struct unit_rng *g, size_t last, size_t first)
{
	for (size_t j = 0; j <= last && j < r->n; j++)
		if (atomic_load(&r->started[j]) != 1)
			unit_fail(g, "job %zu, before the error, ran %d times", j,
			    atomic_load(&r->started[j]));
	for (size_t j = first; j < r->n; j++)
		if (atomic_load(&r->started[j]))
			unit_fail(g, "job %zu started, %zu after the error's job", j, j - last);
}

/* Job k stopped the run: jobs 0..k all started, and none from the end of
 * the lookahead on (2 x workers jobs past k; the next job alone on one). */
static void
check_stopped_at(struct run *r, struct unit_rng *g, size_t k)
{
	check_stopped(r, g, k, k + (r->workers > 1 ? 2 * r->workers : 1));
}

/* A thousand jobs on 4 workers, of random lengths so that they end out of
 * order: each once, on a worker of the 4, done on this thread in order
 * after its work; and more than one at a time. */
static void
test_order(void **state)
{
	struct unit_rng g;
	struct run *r = run_new(1000, 4);

	(void)state;
	unit_rng_init(&g);
	random_delays(&g, r->delay, r->n, 4, 400);
	assert_ok(sd__parallel(r->n, r->workers, work, done, r));
	check_run(r, &g);
	check_all_ran(r, &g);
	assert_int_equal(r->last_done, 999);
	if (atomic_load(&r->max_running) < 2)
		unit_fail(&g, "never two jobs at once on 4 workers");
	free(r);
}

/* A slow done: work never runs 2 x workers jobs or more ahead of it, but
 * does run ahead. */
static void
test_lookahead(void **state)
{
	struct unit_rng g;

	(void)state;
	unit_rng_init(&g);
	for (size_t workers = 2; workers <= 5; workers++) {
		struct run *r = run_new(300, workers);

		random_delays(&g, r->delay, r->n, 4, 200);
		random_delays(&g, r->done_delay, r->n, 2, 300);
		assert_ok(sd__parallel(r->n, r->workers, work, done, r));
		check_run(r, &g);
		check_all_ran(r, &g);
		if (atomic_load(&r->max_ahead) >= (long)(2 * workers))
			unit_fail(&g, "%zu workers: work ran %ld jobs ahead of done", workers,
			    atomic_load(&r->max_ahead));
		if (atomic_load(&r->max_ahead) < 1)
			unit_fail(&g, "%zu workers: work never ran ahead of a slow done", workers);
		free(r);
	}
}

/* Work fails at job 37 (slowly, so that jobs after it start meanwhile):
 * that error is returned; done hears of every job whose work ran, 37 with
 * its error, in order, and of no other; jobs from 37 + 2 x workers on
 * never start (37 + 1 on one worker). */
static void
test_work_fails(void **state)
{
	struct unit_rng g;
	size_t workers[] = { 4, 2, 1 };

	(void)state;
	unit_rng_init(&g);
	for (size_t i = 0; i < sizeof(workers) / sizeof(*workers); i++) {
		struct run *r = run_new(1000, workers[i]);

		random_delays(&g, r->delay, r->n, 4, 300);
		r->fail_work = 37;
		r->delay[37] = 20000;   /* long enough for jobs after it to start */
		assert_int_equal(sd__parallel(r->n, r->workers, work, done, r), SD_EIO);
		check_run(r, &g);
		assert_int_equal(r->done_called[37], 1);
		check_stopped_at(r, &g, 37);
		if (workers[i] > 1 && !atomic_load(&r->started[38]))
			unit_fail(&g, "%zu workers: job 38 did not start while job 37 ran 20 ms",
			    workers[i]);
		free(r);
	}
}

/* done fails at job 10 (slowly): that error is returned, with done's
 * message; jobs from 10 + 2 x workers on never start; done still hears
 * of those after 10 that did. */
static void
test_done_fails(void **state)
{
	struct unit_rng g;
	size_t workers[] = { 4, 3, 1 };

	(void)state;
	unit_rng_init(&g);
	for (size_t i = 0; i < sizeof(workers) / sizeof(*workers); i++) {
		struct run *r = run_new(1000, workers[i]);

		random_delays(&g, r->delay, r->n, 4, 300);
		r->fail_done = 10;
		r->done_delay[10] = 20000;      /* jobs after it start meanwhile */
		assert_fails(sd__parallel(r->n, r->workers, work, done, r), SD_EINVALID,
		    "done 10 failed");
		check_run(r, &g);
		check_stopped_at(r, &g, 10);
		if (workers[i] > 1 && !atomic_load(&r->started[11]))
			unit_fail(&g, "%zu workers: job 11 did not start while done(10) ran 20 ms",
			    workers[i]);
		free(r);
	}
}

/* done says stop with a code that is no error (7): no job starts after,
 * done hears of those that ran, and the code is returned. */
static void
test_done_stops(void **state)
{
	struct unit_rng g;
	size_t workers[] = { 4, 2, 1 };

	(void)state;
	unit_rng_init(&g);
	for (size_t i = 0; i < sizeof(workers) / sizeof(*workers); i++) {
		struct run *r = run_new(500, workers[i]);

		random_delays(&g, r->delay, r->n, 4, 300);
		r->stop_done = 12;
		assert_int_equal(sd__parallel(r->n, r->workers, work, done, r), 7);
		check_run(r, &g);
		check_stopped_at(r, &g, 12);
		free(r);
	}
}

/* A done error and a work error, both had: the first in the order of the
 * jobs is returned, whichever came first in time. */
static void
test_first_error_wins(void **state)
{
	struct unit_rng g;
	struct run *r;

	(void)state;
	unit_rng_init(&g);
	/* done(5) fails, once work 8 has failed. */
	r = run_new(100, 4);
	r->fail_done = 5;
	r->fail_work = 8;
	r->done_waits = 5;
	r->done_waits_for = 8;
	assert_int_equal(sd__parallel(r->n, r->workers, work, done, r), SD_EINVALID);
	check_run(r, &g);
	assert_int_equal(r->done_called[8], 1);
	free(r);

	/* Work 3 fails once done(6) can fail: work 3 waits for work 6. */
	r = run_new(100, 4);
	r->fail_work = 3;
	r->fail_done = 6;
	r->work_waits = 3;
	r->work_waits_for = 6;
	assert_int_equal(sd__parallel(r->n, r->workers, work, done, r), SD_EIO);
	check_run(r, &g);
	assert_int_equal(r->done_called[3], 1);
	assert_int_equal(r->done_called[6], 1);
	free(r);
}

/* One worker, no job, one job: the same, in order, serially. */
static void
test_serial(void **state)
{
	struct unit_rng g;
	struct run *r;

	(void)state;
	unit_rng_init(&g);
	r = run_new(20, 1);
	random_delays(&g, r->delay, r->n, 3, 100);
	assert_ok(sd__parallel(r->n, r->workers, work, done, r));
	check_run(r, &g);
	check_all_ran(r, &g);
	assert_int_equal(atomic_load(&r->max_running), 1);
	assert_int_equal(r->last_done, 19);
	free(r);

	r = run_new(20, 1);
	r->fail_work = 4;
	assert_int_equal(sd__parallel(r->n, r->workers, work, done, r), SD_EIO);
	check_run(r, &g);
	check_stopped(r, &g, 4, 5);
	free(r);

	r = run_new(20, 1);
	r->fail_done = 2;
	assert_fails(sd__parallel(r->n, r->workers, work, done, r), SD_EINVALID, "done 2 failed");
	check_run(r, &g);
	check_stopped(r, &g, 2, 3);
	free(r);

	/* No job: neither called, on one worker or on several. */
	for (size_t w = 1; w <= 4; w += 3) {
		r = run_new(0, w);
		assert_ok(sd__parallel(0, w, work, done, r));
		assert_int_equal(atomic_load(&r->calls), 0);
		free(r);
	}

	/* One job on 4 workers. */
	r = run_new(1, 4);
	r->delay[0] = 200;
	assert_ok(sd__parallel(1, 4, work, done, r));
	check_run(r, &g);
	check_all_ran(r, &g);
	assert_int_equal(atomic_load(&r->calls), 2);
	free(r);

	r = run_new(1, 4);
	r->fail_work = 0;
	assert_int_equal(sd__parallel(1, 4, work, done, r), SD_EIO);
	check_run(r, &g);
	assert_int_equal(r->done_called[0], 1);
	free(r);

	r = run_new(1, 4);
	r->fail_done = 0;
	assert_fails(sd__parallel(1, 4, work, done, r), SD_EINVALID, "done 0 failed");
	check_run(r, &g);
	free(r);

	/* Two jobs on 8 workers: more workers than jobs. */
	r = run_new(2, 8);
	r->delay[0] = 300;
	assert_ok(sd__parallel(2, 8, work, done, r));
	check_run(r, &g);
	check_all_ran(r, &g);
	assert_int_equal(r->last_done, 1);
	free(r);
}

/* --- sd__parallel_workers ----------------------------------------------- */

/* $SD_THREADS from 1 to 64 is the number, at most n; anything else is
 * not, and then the cores count, at most 8; at least 1, even for n = 0. */
static void
test_workers(void **state)
{
	static const char *const ignored[] = { "0", "x", "65", "-3", "3x", "100000", "" };
	const char *old = getenv("SD_THREADS");
	char *saved = old ? strdup(old) : NULL;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t dflt = cores < 1 ? 1 : cores > 8 ? 8 : (size_t)cores;

	(void)state;
	setenv("SD_THREADS", "3", 1);
	assert_int_equal(sd__parallel_workers(1000), 3);
	assert_int_equal(sd__parallel_workers(3), 3);
	assert_int_equal(sd__parallel_workers(2), 2);
	assert_int_equal(sd__parallel_workers(1), 1);
	assert_int_equal(sd__parallel_workers(0), 1);
	setenv("SD_THREADS", "64", 1);
	assert_int_equal(sd__parallel_workers(1000), 64);
	assert_int_equal(sd__parallel_workers(10), 10);
	setenv("SD_THREADS", "1", 1);
	assert_int_equal(sd__parallel_workers(1000), 1);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(*ignored); i++) {
		setenv("SD_THREADS", ignored[i], 1);
		if (sd__parallel_workers(1000) != dflt)
			fail_msg("SD_THREADS='%s': %zu workers, not %zu (%ld cores, at most 8)",
			    ignored[i], sd__parallel_workers(1000), dflt, cores);
		assert_int_equal(sd__parallel_workers(1), 1);
		assert_int_equal(sd__parallel_workers(0), 1);
	}
	unsetenv("SD_THREADS");
	assert_int_equal(sd__parallel_workers(1000), dflt);
	assert_int_equal(sd__parallel_workers(2), dflt < 2 ? dflt : 2);
	assert_int_equal(sd__parallel_workers(1), 1);
	assert_int_equal(sd__parallel_workers(0), 1);
	if (saved)
		setenv("SD_THREADS", saved, 1);
	free(saved);
}

/* --- sd__read_file ------------------------------------------------------ */

/* Files of sizes around the reader's buffers: every byte, NULs included,
 * the length, and a NUL after them. */
static void
test_read_sizes(void **state)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 16383, 16384, 16385, (1 << 20) + 3 };
	struct unit_rng g;

	(void)state;
	unit_rng_init(&g);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		char name[32], *path, *data, *got = NULL;
		size_t len = 12345;

		snprintf(name, sizeof(name), "size%zu", sizes[i]);
		path = path_of(name);
		data = random_bytes(&g, sizes[i]);
		write_file(path, data, sizes[i]);
		assert_ok(sd__read_file(&got, &len, path));
		assert_non_null(got);
		if (len != sizes[i])
			unit_fail(&g, "%s: %zu bytes read of %zu", path, len, sizes[i]);
		if (sizes[i])
			assert_memory_equal(got, data, sizes[i]);
		assert_int_equal(got[len], '\0');
		free(got);
		/* The length is optional. */
		assert_ok(sd__read_file(&got, NULL, path));
		if (sizes[i])
			assert_memory_equal(got, data, sizes[i]);
		free(got);
		free(data);
		free(path);
	}
}

/* A FIFO no one writes to reads as empty at once; a symbolic link, a file
 * that is not there and a directory are errors with their messages. */
static void
test_read_special(void **state)
{
	char *fifo = path_of("fifo"), *lnk = path_of("link"), *target = path_of("target");
	char *gone = path_of("gone"), *sub = path_of("subdir"), *got, want[512];
	size_t len = 1;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);              /* a hang kills the test */
	assert_ok(sd__read_file(&got, &len, fifo));
	alarm(0);
	assert_int_equal(len, 0);
	assert_string_equal(got, "");
	free(got);

	write_file(target, "target\n", 7);
	assert_int_equal(symlink("target", lnk), 0);
	snprintf(want, sizeof(want), "%s: a symbolic link; sd reads none", lnk);
	got = (char *)"";
	assert_fails(sd__read_file(&got, &len, lnk), SD_EINVALID, want);
	assert_null(got);

	snprintf(want, sizeof(want), "%s: %s", gone, strerror(ENOENT));
	got = (char *)"";
	assert_fails(sd__read_file(&got, &len, gone), SD_ENOTFOUND, want);
	assert_null(got);

	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(want, sizeof(want), "%s: %s", sub, strerror(EISDIR));
	got = (char *)"";
	assert_fails(sd__read_file(&got, &len, sub), SD_EIO, want);
	assert_null(got);

	free(fifo);
	free(lnk);
	free(target);
	free(gone);
	free(sub);
}

/* --- shards and sd_store_each ------------------------------------------- */

/* A store in dir/name, open; its root in *root (the caller frees it). */
static struct sd_store *
make_store(const char *name, char **root)
{
	static const char *const texts[4] = {
		UNIT_SD_INI, UNIT_SLA_INI, UNIT_AGENTS_INI, UNIT_ESCALATION_INI
	};
	struct sd_store *s = NULL;
	char *path = path_of(name);

	assert_ok(sd_store_init(path, texts, NULL, NULL, 1795000000));
	assert_ok(sd_store_open(&s, path, 0));
	assert_non_null(s);
	free(path);
	*root = strdup(sd_store_root(s));
	assert_non_null(*root);
	return s;
}

/* root/rel, made a directory. */
static void
make_dir(const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (mkdir(path, 0755) < 0)
		fail_msg("%s: %s", path, strerror(errno));
}

static void
make_file(const char *root, const char *rel, const char *data, size_t len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	write_file(path, data, len);
}

/* The shard tickets/001 of the tests below: SD-1001..1003 of different
 * sizes (made out of order), SD-1004 a symbolic link to SD-1001, and
 * names that are no ticket's. */
enum { NTICKETS = 3 };
static const size_t ticket_size[NTICKETS] = { 37, 16384, 45001 };

struct shard001 {
	char *data[NTICKETS];
};

static void
make_shard001(const char *root, struct unit_rng *g, struct shard001 *sh)
{
	static const int order[NTICKETS] = { 0, 2, 1 };
	char rel[64], path[4096];

	make_dir(root, "tickets");
	make_dir(root, "tickets/001");
	for (int k = 0; k < NTICKETS; k++) {
		int i = order[k];

		sh->data[i] = random_bytes(g, ticket_size[i]);
		snprintf(rel, sizeof(rel), "tickets/001/SD-%d.ini", 1001 + i);
		make_file(root, rel, sh->data[i], ticket_size[i]);
	}
	snprintf(path, sizeof(path), "%s/tickets/001/SD-1004.ini", root);
	assert_int_equal(symlink("SD-1001.ini", path), 0);
	make_file(root, "tickets/001/SD-01005.ini", "x\n", 2);
	make_file(root, "tickets/001/foo.ini", "x\n", 2);
	make_file(root, "tickets/001/SD-1006.txt", "x\n", 2);
}

static void
free_shard001(struct shard001 *sh)
{
	for (int i = 0; i < NTICKETS; i++)
		free(sh->data[i]);
}

/* A shard read whole: its tickets in order of number, each with its name
 * and its exact bytes, the link an entry with its error; others left out.
 * A shard that is not there is empty. */
static void
test_shard_read(void **state)
{
	struct sd__shard_files f = { 0 };
	struct shard001 sh;
	struct unit_rng g;
	struct sd_store *s;
	char *root, want[64];

	(void)state;
	unit_rng_init(&g);
	s = make_store("shard", &root);
	make_shard001(root, &g, &sh);

	assert_ok(sd__shard_read(s, "001", &f));
	assert_null(f.error);
	assert_int_equal(f.n, 4);
	for (size_t i = 0; i < 4; i++) {
		const struct sd__shard_file *e = &f.v[i];

		assert_int_equal(e->n, 1001 + (long)i);
		snprintf(want, sizeof(want), "tickets/001/SD-%zu.ini", 1001 + i);
		assert_string_equal(f.text.data + e->name, want);
		if (i == 3)
			break;
		assert_int_equal(e->rc, 0);
		assert_int_equal(e->len, ticket_size[i]);
		assert_memory_equal(f.text.data + e->data, sh.data[i], ticket_size[i]);
		assert_int_equal(f.text.data[e->data + e->len], '\0');
	}
	assert_int_equal(f.v[3].rc, SD_EINVALID);
	{
		const char *msg = f.text.data + f.v[3].data;

		assert_int_equal(strlen(msg), f.v[3].len);
		if (!ends_with(msg, ": a symbolic link; sd reads none") || !strstr(msg, "SD-1004.ini"))
			fail_msg("the link's message: '%s'", msg);
	}

	/* Read again into the same f (emptied first), and a shard not there. */
	assert_ok(sd__shard_read(s, "001", &f));
	assert_int_equal(f.n, 4);
	assert_ok(sd__shard_read(s, "005", &f));
	assert_int_equal(f.n, 0);
	assert_null(f.error);
	sd__shard_files_free(&f);
	sd__shard_files_free(&f);       /* twice: harmless */

	free_shard001(&sh);
	sd_store_free(s);
	free(root);
}

/* The shards: NNN directories (3 to 12 digits), in order of number, not
 * of name; nothing else in tickets/.  No tickets/ at all: none. */
static void
test_shards(void **state)
{
	static const char *const want[] = { "001", "002", "999", "1000" };
	struct sd_store *s;
	char **names, *root;
	size_t n;

	(void)state;
	s = make_store("shards", &root);
	assert_ok(sd__shards(s, &names, &n));
	assert_int_equal(n, 0);
	sd__shards_free(names, n);

	make_dir(root, "tickets");
	make_dir(root, "tickets/1000");
	make_dir(root, "tickets/002");
	make_dir(root, "tickets/0x1");
	make_dir(root, "tickets/12");
	make_dir(root, "tickets/999");
	make_dir(root, "tickets/001");
	make_dir(root, "tickets/abc");
	make_file(root, "tickets/003", "x\n", 2);
	make_file(root, "tickets/004.ini", "x\n", 2);
	assert_ok(sd__shards(s, &names, &n));
	{
		char got[256] = "";
		int same = n == 4;

		for (size_t i = 0; i < n; i++) {
			snprintf(got + strlen(got), sizeof(got) - strlen(got), " %s", names[i]);
			same = same && !strcmp(names[i], want[i]);
		}
		if (!same)
			fail_msg("shards:%s; not 001 002 999 1000 (tickets/003 is a file)", got);
	}
	sd__shards_free(names, n);
	sd__shards_free(NULL, 0);

	sd_store_free(s);
	free(root);
}

/* What sd_store_each called its function with. */
struct seen {
	pthread_t caller;
	size_t n;
	char *path[16];
	long num[16];
	char *data[16];         /* NULL when it came NULL */
	size_t len[16];
	char *message[16];      /* sd_error_message() when data was NULL */
	int off_thread;
	int fail_at;            /* the call to return SD_EINVALID from, or -1 */
};

static int
each_fn(const char *path, long n, const char *data, size_t len, void *arg)
{
	struct seen *w = arg;

	if (!pthread_equal(pthread_self(), w->caller))
		w->off_thread = 1;
	if (w->n < 16) {
		w->path[w->n] = strdup(path);
		w->num[w->n] = n;
		w->data[w->n] = data ? unit_strndup(data, len) : NULL;
		w->len[w->n] = len;
		w->message[w->n] = data ? NULL : strdup(sd_error_message());
	}
	w->n++;
	if (w->fail_at >= 0 && (int)w->n > w->fail_at)
		return sd_error_set(SD_EINVALID, "stop at %s", path);
	return 0;
}

static void
seen_free(struct seen *w)
{
	for (size_t i = 0; i < w->n && i < 16; i++) {
		free(w->path[i]);
		free(w->data[i]);
		free(w->message[i]);
	}
	memset(w, 0, sizeof(*w));
}

/* Restores $SD_THREADS as it was. */
struct env_saved {
	char *value;
	int set;
};

static void
env_save(struct env_saved *e)
{
	const char *v = getenv("SD_THREADS");

	e->set = v != NULL;
	e->value = v ? strdup(v) : NULL;
}

static void
env_restore(struct env_saved *e)
{
	if (e->set)
		setenv("SD_THREADS", e->value, 1);
	else
		unsetenv("SD_THREADS");
	free(e->value);
}

/* Every ticket file, shard after shard, in order of number, on this thread:
 * its path and bytes, and the link with no data and its message; the
 * same on one thread as on several. */
static void
test_store_each(void **state)
{
	static const char *const threads[] = { "1", "2", "4" };
	static const long want_num[] = { 1001, 1002, 1003, 1004, 3000, 3002, 1000000 };
	static const char *const want_path[] = {
		"tickets/001/SD-1001.ini", "tickets/001/SD-1002.ini", "tickets/001/SD-1003.ini",
		"tickets/001/SD-1004.ini", "tickets/003/SD-3000.ini", "tickets/003/SD-3002.ini",
		"tickets/1000/SD-1000000.ini",
	};
	enum { NWANT = sizeof(want_num) / sizeof(*want_num) };
	struct env_saved env;
	struct shard001 sh;
	struct unit_rng g;
	struct sd_store *s;
	char *root;

	(void)state;
	unit_rng_init(&g);
	s = make_store("each", &root);
	make_shard001(root, &g, &sh);
	make_dir(root, "tickets/002");
	make_dir(root, "tickets/003");
	make_file(root, "tickets/003/SD-3002.ini", "3002\n", 5);
	make_file(root, "tickets/003/SD-3000.ini", "3000\n", 5);
	make_dir(root, "tickets/1000");
	make_file(root, "tickets/1000/SD-1000000.ini", "", 0);

	env_save(&env);
	for (size_t t = 0; t < sizeof(threads) / sizeof(*threads); t++) {
		struct seen w = { 0 };
		const char *msg;

		w.caller = pthread_self();
		w.fail_at = -1;
		setenv("SD_THREADS", threads[t], 1);
		sd_error_set(SD_EIO, "a message from before");
		assert_ok(sd_store_each(s, each_fn, &w));
		assert_false(w.off_thread);
		assert_int_equal(w.n, NWANT);
		for (size_t i = 0; i < NWANT; i++) {
			assert_string_equal(w.path[i], want_path[i]);
			assert_int_equal(w.num[i], want_num[i]);
		}
		for (size_t i = 0; i < NTICKETS; i++) {
			assert_non_null(w.data[i]);
			assert_int_equal(w.len[i], ticket_size[i]);
			assert_memory_equal(w.data[i], sh.data[i], ticket_size[i]);
		}
		assert_null(w.data[3]);
		assert_int_equal(w.len[3], 0);
		assert_string_equal(w.data[4], "3000\n");
		assert_string_equal(w.data[5], "3002\n");
		assert_non_null(w.data[6]);
		assert_int_equal(w.len[6], 0);
		/* "why in sd_error_message()" (include/sd/store.h) */
		msg = w.message[3];
		if (!ends_with(msg, ": a symbolic link; sd reads none") || !strstr(msg, "SD-1004.ini"))
			fail_msg("SD_THREADS=%s: data NULL for the link, and sd_error_message() "
			    "'%s', not why", threads[t], msg);
		seen_free(&w);
	}
	env_restore(&env);
	free_shard001(&sh);
	sd_store_free(s);
	free(root);
}

/* The function returns an error for the first ticket: sd_store_each
 * returns it, with its message, and calls the function no more, though
 * the shards after the first were read meanwhile (the first is slow). */
static void
test_store_each_stops(void **state)
{
	static const char *const threads[] = { "1", "4" };
	struct env_saved env;
	struct sd_store *s;
	char *root, *big, rel[64];

	(void)state;
	s = make_store("stop", &root);
	make_dir(root, "tickets");
	big = malloc(4 << 20);
	assert_non_null(big);
	memset(big, 'x', 4 << 20);
	for (int k = 1; k <= 8; k++) {
		snprintf(rel, sizeof(rel), "tickets/%03d", k);
		make_dir(root, rel);
		snprintf(rel, sizeof(rel), "tickets/%03d/SD-%d.ini", k, k * 1000);
		make_file(root, rel, big, k == 1 ? 4 << 20 : 10);
	}
	free(big);

	env_save(&env);
	for (size_t t = 0; t < sizeof(threads) / sizeof(*threads); t++) {
		struct seen w = { 0 };

		w.caller = pthread_self();
		w.fail_at = 0;
		setenv("SD_THREADS", threads[t], 1);
		int rc = sd_store_each(s, each_fn, &w);

		if (w.n != 1)
			fail_msg("SD_THREADS=%s: the function, told to stop at once, was called "
			    "%zu times (the last with %s)", threads[t], w.n,
			    w.n ? w.path[w.n < 16 ? w.n - 1 : 15] : "-");
		assert_int_equal(rc, SD_EINVALID);
		assert_string_equal(sd_error_message(), "stop at tickets/001/SD-1000.ini");
		seen_free(&w);
	}
	env_restore(&env);
	sd_store_free(s);
	free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_lookahead),
		cmocka_unit_test(test_work_fails),
		cmocka_unit_test(test_done_fails),
		cmocka_unit_test(test_done_stops),
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_workers),
		cmocka_unit_test(test_read_sizes),
		cmocka_unit_test(test_read_special),
		cmocka_unit_test(test_shard_read),
		cmocka_unit_test(test_shards),
		cmocka_unit_test(test_store_each),
		cmocka_unit_test(test_store_each_stops),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, setup, teardown);
}
