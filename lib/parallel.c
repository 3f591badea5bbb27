/*
 * Independent jobs on the machine's cores, their ends taken in order.
 *
 * The commands that look at every ticket (sd-list, sd-sla, sd-report)
 * spend their time reading files and parsing them, one shard of the store
 * after another; the shards do not depend on each other.  So each shard is
 * a job: workers, one a core, take the jobs in turn and do the reading and
 * parsing (work), and the caller's thread takes each job's result in the
 * order of the jobs (done), printing or adding it up as if there had been
 * one thread.  Workers run at most LOOKAHEAD jobs ahead of done, so that
 * results waiting to be taken stay few.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "parallel.h"

#define MAX_WORKERS 8
#define LOOKAHEAD(workers) (2 * (workers))

enum { WAITING, RUNNING, FINISHED };

struct pool {
	size_t n, workers;
	int (*work)(void *, size_t, size_t);
	void *arg;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	/* Under lock: */
	size_t next;            /* the next job to start */
	size_t taken;           /* jobs done() has had */
	int stop;               /* an error: start no more */
	unsigned char *state;
	int *rc;
};

struct worker {
	struct pool *p;
	size_t index;
};

static void *
run(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		size_t job;
		int rc;

		while (!p->stop && p->next < p->n && p->next >= p->taken + LOOKAHEAD(p->workers))
			pthread_cond_wait(&p->changed, &p->lock);
		if (p->stop || p->next >= p->n)
			break;
		job = p->next++;
		p->state[job] = RUNNING;
		pthread_mutex_unlock(&p->lock);

		rc = p->work(p->arg, job, w->index);

		pthread_mutex_lock(&p->lock);
		p->state[job] = FINISHED;
		p->rc[job] = rc;
		if (rc < 0)
			p->stop = 1;
		pthread_cond_broadcast(&p->changed);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

size_t
sd__parallel_workers(size_t n)
{
	const char *env = getenv("SD_THREADS");
	long k = sysconf(_SC_NPROCESSORS_ONLN);
	char *end = NULL;

	long v = env && *env ? strtol(env, &end, 10) : 0;

	if (v >= 1 && v <= 64 && !*end)
		k = v;
	else if (k > MAX_WORKERS)
		k = MAX_WORKERS;
	if (k < 1)
		k = 1;
	if ((size_t)k > n)
		k = n ? (long)n : 1;
	return (size_t)k;
}

/* One worker: the jobs one after the other, here. */
static int
serial(size_t n, int (*work)(void *, size_t, size_t), int (*done)(void *, size_t, int),
    void *arg)
{
	int rc = 0;

	for (size_t j = 0; j < n && rc == 0; j++) {
		int w = work(arg, j, 0);
		int d = done(arg, j, w);
		rc = w < 0 ? w : d;
	}
	return rc;
}

int
sd__parallel(size_t n, size_t workers, int (*work)(void *arg, size_t job, size_t worker),
    int (*done)(void *arg, size_t job, int rc), void *arg)
{
	struct pool p = { 0 };
	struct worker *w = NULL;
	pthread_t *threads = NULL;
	size_t started = 0;
	int rc = 0;

	if (workers <= 1 || n <= 1)
		return serial(n, work, done, arg);
	p.n = n;
	p.workers = workers;
	p.work = work;
	p.arg = arg;
	if (!(p.state = calloc(n, 1)) || !(p.rc = calloc(n, sizeof(*p.rc))) ||
	    !(w = calloc(workers, sizeof(*w))) || !(threads = calloc(workers, sizeof(*threads)))) {
		rc = sd__oom();
		goto out;
	}
	if (pthread_mutex_init(&p.lock, NULL) != 0) {
		rc = serial(n, work, done, arg);
		goto out;
	}
	if (pthread_cond_init(&p.changed, NULL) != 0) {
		pthread_mutex_destroy(&p.lock);
		rc = serial(n, work, done, arg);
		goto out;
	}
	for (; started < workers; started++) {
		w[started].p = &p;
		w[started].index = started;
		if (pthread_create(&threads[started], NULL, run, &w[started]) != 0)
			break;
	}
	if (!started) {
		pthread_cond_destroy(&p.changed);
		pthread_mutex_destroy(&p.lock);
		rc = serial(n, work, done, arg);
		goto out;
	}
	for (size_t j = 0; j < n; j++) {
		int got, d;

		pthread_mutex_lock(&p.lock);
		while (p.state[j] != FINISHED && !(p.stop && p.state[j] == WAITING))
			pthread_cond_wait(&p.changed, &p.lock);
		if (p.state[j] == WAITING) {    /* never to start */
			pthread_mutex_unlock(&p.lock);
			continue;
		}
		got = p.rc[j];
		pthread_mutex_unlock(&p.lock);

		d = done(arg, j, got);
		if (rc == 0)
			rc = got < 0 ? got : d;

		pthread_mutex_lock(&p.lock);
		p.taken = j + 1;
		if (d != 0)
			p.stop = 1;
		pthread_cond_broadcast(&p.changed);
		pthread_mutex_unlock(&p.lock);
	}
	for (size_t k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
	pthread_cond_destroy(&p.changed);
	pthread_mutex_destroy(&p.lock);
out:
	free(threads);
	free(w);
	free(p.rc);
	free(p.state);
	return rc;
}
