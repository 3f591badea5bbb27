/*
 * Files read ahead on a thread of their own, handed over in order.
 *
 * A command that looks at every ticket (sd-list, sd-sla, sd-report) spends
 * its time in two ways: in the kernel, opening and reading a file, and in
 * parsing it.  Done one after the other, the times add up; with the
 * reading on a second thread they overlap, and on two cores the command
 * takes about as long as the longer of the two.  The handler that parses
 * still runs on the caller's thread, one file at a time and in order, so
 * nothing else in libsd needs to know.
 *
 * The reader keeps at most READAHEAD_BYTES of file data waiting, so that
 * a slow handler never makes it hold a whole directory of large files.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "readahead.h"

#define READAHEAD_BYTES (4u << 20)
/* A caller that has caught up waits for this many files at once, not one:
 * a switch between the threads per file would cost more than the file. */
#define READAHEAD_BATCH 64

struct slot {
	char *data;
	size_t len;
	int rc;
	char *message;          /* the reader's message, when rc < 0 */
};

struct sd__readahead {
	char *const *paths;
	size_t n;
	struct slot *slots;
	size_t taken;           /* handed to the caller */
	int threaded;           /* 0: read on the caller's thread instead */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	size_t ready;           /* read, under lock */
	size_t waiting;         /* bytes read and not taken, under lock */
	size_t want;            /* the caller waits for this many read, or 0 */
	int full;               /* the reader waits for room */
	int stop;               /* the caller is done, under lock */
};

static void *
reader(void *arg)
{
	struct sd__readahead *ra = arg;

	for (size_t i = 0; i < ra->n; i++) {
		struct slot s = { NULL, 0, 0, NULL };

		pthread_mutex_lock(&ra->lock);
		while (!ra->stop && ra->waiting >= READAHEAD_BYTES) {
			ra->full = 1;
			pthread_cond_wait(&ra->changed, &ra->lock);
		}
		ra->full = 0;
		if (ra->stop) {
			pthread_mutex_unlock(&ra->lock);
			break;
		}
		pthread_mutex_unlock(&ra->lock);

		if ((s.rc = sd__read_file(&s.data, &s.len, ra->paths[i])) < 0)
			s.message = sd__strdup(sd_error_message());

		pthread_mutex_lock(&ra->lock);
		ra->slots[i] = s;
		ra->waiting += s.len;
		ra->ready = i + 1;
		/* The caller waits for a batch; it has it, or it has all the
		 * reader will hold before the caller makes room. */
		if (ra->want && (ra->ready >= ra->want || ra->waiting >= READAHEAD_BYTES))
			pthread_cond_broadcast(&ra->changed);
		pthread_mutex_unlock(&ra->lock);
	}
	return NULL;
}

int
sd__readahead_start(struct sd__readahead **out, char *const *paths, size_t n)
{
	struct sd__readahead *ra;

	*out = NULL;
	if (!(ra = calloc(1, sizeof(*ra))) || !(ra->slots = calloc(n ? n : 1, sizeof(*ra->slots)))) {
		free(ra);
		return sd__oom();
	}
	ra->paths = paths;
	ra->n = n;
	if (n > 1 && pthread_mutex_init(&ra->lock, NULL) == 0) {
		if (pthread_cond_init(&ra->changed, NULL) == 0) {
			if (pthread_create(&ra->thread, NULL, reader, ra) == 0)
				ra->threaded = 1;
			else
				pthread_cond_destroy(&ra->changed);
		}
		if (!ra->threaded)
			pthread_mutex_destroy(&ra->lock);
	}
	*out = ra;
	return 0;
}

int
sd__readahead_next(struct sd__readahead *ra, char **data, size_t *len)
{
	struct slot s;

	*data = NULL;
	*len = 0;
	if (ra->taken >= ra->n)
		return sd_error_set(SD_EIO, "%s", _("no file left to read"));
	if (!ra->threaded)
		return sd__read_file(data, len, ra->paths[ra->taken++]);
	pthread_mutex_lock(&ra->lock);
	while (ra->ready <= ra->taken) {
		ra->want = ra->taken + READAHEAD_BATCH < ra->n ? ra->taken + READAHEAD_BATCH : ra->n;
		pthread_cond_wait(&ra->changed, &ra->lock);
	}
	ra->want = 0;
	s = ra->slots[ra->taken];
	memset(&ra->slots[ra->taken], 0, sizeof(s));
	ra->taken++;
	ra->waiting -= s.len;
	if (ra->full && ra->waiting < READAHEAD_BYTES / 2)
		pthread_cond_broadcast(&ra->changed);
	pthread_mutex_unlock(&ra->lock);
	if (s.rc < 0) {
		/* The reader's message, now this thread's. */
		sd_error_set(s.rc, "%s", s.message ? s.message : _("out of memory"));
		free(s.message);
		return s.rc;
	}
	*data = s.data;
	*len = s.len;
	return 0;
}

void
sd__readahead_end(struct sd__readahead *ra)
{
	if (!ra)
		return;
	if (ra->threaded) {
		pthread_mutex_lock(&ra->lock);
		ra->stop = 1;
		pthread_cond_broadcast(&ra->changed);
		pthread_mutex_unlock(&ra->lock);
		pthread_join(ra->thread, NULL);
		pthread_cond_destroy(&ra->changed);
		pthread_mutex_destroy(&ra->lock);
	}
	/* What was read and never taken. */
	for (size_t i = ra->taken; i < ra->n; i++) {
		free(ra->slots[i].data);
		free(ra->slots[i].message);
	}
	free(ra->slots);
	free(ra);
}
