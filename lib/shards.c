/*
 * Reading ticket files: one by its number, and every one, shard by shard
 * on all the cores (lib/parallel.c), each shard's files in order of
 * number.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "parallel.h"
#include "progress.h"
#include "store_internal.h"
#include "sd/id.h"
#include "sd/store.h"

int
sd__store_load_exact(struct sd_store *s, struct sd_ticket **out, long n)
{
	const char *prefix = sd_config_prefix(s->cfg);
	char *rel = NULL, *path = NULL, *data = NULL;
	char id[SD_ID_MAX];
	size_t len;
	int rc;

	*out = NULL;
	sd_id_format(id, prefix, n);
	if ((rc = sd_id_path(&rel, prefix, n)) < 0)
		return rc;
	if (!(path = sd__path(s->root, rel))) {
		rc = sd__oom();
		goto out;
	}
	/* Under the lock, a ticket is loaded to be changed: a hand change is
	 * told as such before the command judges what it holds. */
	if (s->locked && (rc = sd__hand_check_head(s, rel)) < 0)
		goto out;
	if ((rc = sd__store_read(s, rel, &data, &len)) < 0) {
		if (rc == SD_ENOTFOUND)
			rc = sd_error_set(SD_ENOTFOUND, _("%s: no such ticket"), id);
		goto out;
	}
	if ((rc = sd_ticket_parse(out, data, len, rel, SD_PARSE_FULL)) < 0)
		goto out;
	if (strcmp(sd_ticket_get(*out, SD_F_ID), id)) {
		rc = sd_error_set(SD_EINVALID, _("%s: id is '%s', not %s"), rel,
		    sd_ticket_get(*out, SD_F_ID), id);
		sd_ticket_free(*out);
		*out = NULL;
	}
out:
	free(data);
	free(path);
	free(rel);
	return rc;
}

/* Is word one of the space-separated words of list? */
static int
word_in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, " "), p += *p == ' ')
		if (strcspn(p, " ") == n && !strncmp(p, word, n))
			return 1;
	return 0;
}

/* The ticket whose aliases hold an id (sd-sync --renumber left it). */
struct alias {
	char id[SD_ID_MAX];
	long found;
};

/* Does the [ticket] key aliases of a file's bytes name a->id?  Alone on
 * a worker thread: it reads a, never writes it. */
static int
alias_glance(const char *data, size_t len, void *arg)
{
	const struct alias *a = arg;
	static const char key[] = "\naliases = ";
	const char *end = data + len, *p = memmem(data, len, key, sizeof(key) - 1), *eol;
	size_t n = strlen(a->id);

	if (!p)
		return 0;
	p += sizeof(key) - 1;
	if (!(eol = memchr(p, '\n', (size_t)(end - p))))
		eol = end;
	while (p < eol) {
		const char *sp = memchr(p, ' ', (size_t)(eol - p));
		const char *w = sp ? sp : eol;
		if ((size_t)(w - p) == n && !strncasecmp(p, a->id, n))
			return 1;
		p = w + 1;
	}
	return 0;
}

static int
alias_found(const char *path, long n, const char *data, size_t len, void *arg)
{
	struct alias *a = arg;

	(void)path, (void)len;
	if (data && !a->found)
		a->found = n;
	return 0;
}

int
sd_store_load(struct sd_store *s, struct sd_ticket **out, long n)
{
	struct alias a = { .found = 0 };
	int rc = sd__store_load_exact(s, out, n);

	/* Not in the tree: a number a renumber left as an alias, found by
	 * reading every ticket (on a miss only). */
	if (rc != SD_ENOTFOUND)
		return rc;
	sd_id_format(a.id, sd_config_prefix(s->cfg), n);
	if (sd_store_each_glance(s, alias_glance, alias_found, &a) < 0 || !a.found) {
		sd_error_clear();
		return sd_error_set(SD_ENOTFOUND, _("%s: no such ticket"), a.id);
	}
	if ((rc = sd__store_load_exact(s, out, a.found)) < 0)
		return rc;
	/* What the glance saw is the key itself, not a text that looks like it. */
	if (!word_in_list(sd_ticket_get(*out, SD_F_ALIASES), a.id)) {
		sd_ticket_free(*out);
		*out = NULL;
		return sd_error_set(SD_ENOTFOUND, _("%s: no such ticket"), a.id);
	}
	return 0;
}

struct numbered {
	long n;                 /* first: see sort_by_number */
	char *name;
};

_Static_assert(offsetof(struct numbered, n) == 0 && offsetof(struct sd__shard_file, n) == 0,
    "sort_by_number sorts by a number at the start");

/* The number an element of sort_by_number's starts with. */
static long
number_of(const void *e)
{
	long n;

	memcpy(&n, e, sizeof(n));
	return n;
}

static int
cmp_number(const void *a, const void *b)
{
	long x = number_of(a), y = number_of(b);

	return (x > y) - (x < y);
}

/* Sort the n elements of size bytes at base, each starting with a long
 * number, by it.  The numbers of a shard lie close together, so each is
 * put where it goes in one pass; numbers far apart, or two alike, are
 * left to qsort. */
static void
sort_by_number(void *base, size_t n, size_t size)
{
	char *v = base, *slot = NULL;
	unsigned char *used = NULL;
	size_t range, k = 0;
	long lo, hi;

	if (n < 2)
		return;
	lo = hi = number_of(v);
	for (size_t i = 1; i < n; i++) {
		long x = number_of(v + i * size);
		if (x < lo)
			lo = x;
		if (x > hi)
			hi = x;
	}
	range = (size_t)(hi - lo) + 1;
	if (range > 4 * n || !(slot = malloc(range * size)) || !(used = calloc(range, 1)))
		goto sort;
	for (size_t i = 0; i < n; i++) {
		size_t at = (size_t)(number_of(v + i * size) - lo);
		if (used[at])
			goto sort;
		used[at] = 1;
		memcpy(slot + at * size, v + i * size, size);
	}
	for (size_t at = 0; at < range; at++)
		if (used[at])
			memcpy(v + k++ * size, slot + at * size, size);
	free(slot);
	free(used);
	return;
sort:
	free(slot);
	free(used);
	qsort(v, n, size, cmp_number);
}

/* Is the entry de of the directory d no shard, though named like one: a
 * file, not a directory?  What cannot be told (a symbolic link that
 * loops...) is taken for one, so that reading it says what is wrong. */
static int
stray(DIR *d, const struct dirent *de)
{
	struct stat st;

	if (de->d_type == DT_DIR)
		return 0;
	if (de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
		return 1;
	if (fstatat(dirfd(d), de->d_name, &st, 0) == 0)
		return !S_ISDIR(st.st_mode);
	return errno == ENOENT || errno == ENOTDIR;
}

/* The shards of the directory tickets (NNN directories), in order of
 * number. */
static int
list_shards(struct numbered **out, size_t *count, const char *tickets)
{
	struct numbered *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*count = 0;
	if (!(d = opendir(tickets)))
		return errno == ENOENT || errno == ENOTDIR ? 0 :
		    sd_error_set(SD_EIO, "%s: %s", tickets, strerror(errno));
	while ((de = readdir(d))) {
		long num = sd__shard_number(de->d_name);
		if (num < 0 || stray(d, de))
			continue;
		if (n == cap) {
			struct numbered *nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
		}
		v[n].n = num;
		if (!(v[n].name = sd__strdup(de->d_name)))
			goto oom;
		n++;
	}
	closedir(d);
	sort_by_number(v, n, sizeof(*v));
	*out = v;
	*count = n;
	return 0;
oom:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return sd__oom();
}

static void
free_numbered(struct numbered *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* Reading every ticket: shard by shard, on as many threads as there are
 * cores (lib/parallel.c), each shard's files read whole into one buffer. */

int
sd__shards(struct sd_store *s, char ***out, size_t *count)
{
	struct numbered *v = NULL;
	char *tickets = sd__path(s->root, "tickets");
	size_t n = 0;
	char **names;
	int rc;

	*out = NULL;
	*count = 0;
	if (!tickets)
		return sd__oom();
	rc = list_shards(&v, &n, tickets);
	free(tickets);
	if (rc < 0)
		return rc;
	if (!(names = calloc(n ? n : 1, sizeof(*names)))) {
		free_numbered(v, n);
		return sd__oom();
	}
	for (size_t i = 0; i < n; i++)
		names[i] = v[i].name;   /* handed over */
	free(v);
	*out = names;
	*count = n;
	return 0;
}

void
sd__shards_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

void
sd__shard_files_free(struct sd__shard_files *f)
{
	free(f->v);
	sd_buf__free(&f->text);
	sd_buf__free(&f->names);
	free(f->error);
	memset(f, 0, sizeof(*f));
}

/* One file into f->text, its entry in e; SD_EIO only when f->text cannot
 * grow.  An unreadable file is an entry with its error. */
static int
read_one(struct sd__shard_files *f, struct sd__shard_file *e, int dir,
    const char *dirpath, const char *name)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	int err = 0;
	ssize_t got;

	e->data = f->text.len;
	e->len = 0;
	e->rc = 0;
	struct stat st;

	if (fd < 0) {
		err = errno;
	} else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		/* A FIFO, a device: never read, never waited on. */
		err = fstat(fd, &st) < 0 ? errno : EBADFD;
		close(fd);
	} else {
		for (;;) {
			size_t room;

			if (sd_buf__reserve(&f->text, 16384) < 0)
				break;
			room = f->text.cap - f->text.len - 1;
			got = read(fd, f->text.data + f->text.len, room);
			if (got > 0) {
				f->text.len += (size_t)got;
				e->len += (size_t)got;
				/* Less than asked of a regular file is its end:
				 * no second read to hear it (a FIFO may stop short,
				 * which is as good as any moment to stop). */
				if ((size_t)got < room)
					break;
			} else if (got == 0) {
				break;
			} else if (errno == EAGAIN) {
				/* A FIFO that someone writes to: read it as usual. */
				(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
			} else if (errno != EINTR) {
				err = errno;
				break;
			}
		}
		close(fd);
	}
	if (err) {
		char where[PATH_MAX];

		snprintf(where, sizeof(where), "%s/%s", dirpath, name);
		f->text.len = e->data;
		e->rc = err == ELOOP || err == EBADFD ? SD_EINVALID : err == ENOENT ? SD_ENOTFOUND :
		    SD_EIO;
		if (err == ELOOP)
			sd_buf__printf(&f->text, _("%s: a symbolic link; sd reads none"), where);
		else if (err == EBADFD)
			sd_buf__printf(&f->text, _("%s: not a regular file; sd reads none"), where);
		else
			sd_buf__printf(&f->text, "%s: %s", where, strerror(err));
		e->len = f->text.len - e->data;
	}
	sd_buf__addc(&f->text, '\0');
	return sd_buf__check(&f->text);
}

int
sd__shard_read(struct sd_store *s, const char *shard, struct sd__shard_files *f)
{
	const char *prefix = sd_config_prefix(s->cfg);
	struct sd_buf path = SD_BUF_INIT;
	struct dirent *de;
	DIR *d = NULL;
	int rc = 0;

	/* Emptied, its memory kept for the next shard. */
	f->n = 0;
	f->text.len = 0;
	f->names.len = 0;
	free(f->error);
	f->error = NULL;
	sd_buf__printf(&path, "%s/tickets/%s", s->root, shard);
	if ((rc = sd_buf__check(&path)) < 0)
		goto out;
	if (!(d = opendir(path.data))) {
		rc = errno == ENOENT || errno == ENOTDIR ? 0 :
		    sd_error_set(SD_EIO, "%s: %s", path.data, strerror(errno));
		goto out;
	}
	/* The ticket files, their names in f->names for now. */
	while ((de = readdir(d))) {
		long num = sd__file_number(de->d_name, prefix);

		if (num <= 0)
			continue;
		if (f->n == f->cap) {
			size_t cap = f->cap ? 2 * f->cap : 1024;
			struct sd__shard_file *v = realloc(f->v, cap * sizeof(*v));
			if (!v) {
				rc = sd__oom();
				goto out;
			}
			f->v = v;
			f->cap = cap;
		}
		f->v[f->n].n = num;
		f->v[f->n].name = f->names.len;
		sd_buf__add(&f->names, de->d_name, strlen(de->d_name) + 1);
		f->n++;
	}
	if ((rc = sd_buf__check(&f->names)) < 0)
		goto out;
	sort_by_number(f->v, f->n, sizeof(*f->v));
	for (size_t i = 0; i < f->n && rc == 0; i++) {
		struct sd__shard_file *e = &f->v[i];
		const char *name = f->names.data + e->name;

		e->name = f->text.len;
		sd_buf__adds(&f->text, "tickets/");
		sd_buf__adds(&f->text, shard);
		sd_buf__addc(&f->text, '/');
		sd_buf__add(&f->text, name, strlen(name) + 1);
		rc = read_one(f, e, dirfd(d), path.data, name);
	}
out:
	if (rc < 0) {
		f->n = 0;
		f->error = sd__strdup(sd_error_message());
	}
	if (d)
		closedir(d);
	sd_buf__free(&path);
	return rc;
}

struct each {
	struct sd_store *s;
	char **shards;
	struct sd__shard_files *files;  /* one a shard, between work and done */
	sd_store_each_fn fn;
	sd_store_glance_fn glance;      /* or NULL */
	void *arg;
	int stopped;            /* an error, or fn said stop: it hears of no more */
	struct sd__count read;  /* the ticket files fn heard of */
};

/* A file read that glance left out: fn never hears of it. */
#define GLANCED_OUT 1

static int
each_work(void *arg, size_t job, size_t worker)
{
	struct each *e = arg;
	struct sd__shard_files *f = &e->files[job];
	int rc;

	(void)worker;
	if ((rc = sd__shard_read(e->s, e->shards[job], f)) < 0 || !e->glance)
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].rc == 0 && !e->glance(f->text.data + f->v[i].data, f->v[i].len, e->arg))
			f->v[i].rc = GLANCED_OUT;
	return 0;
}

static int
each_done(void *arg, size_t job, int rc)
{
	struct each *e = arg;
	struct sd__shard_files *f = &e->files[job];

	if (e->stopped) {
		/* Read before the stop; its code and message are the first's. */
		sd__shard_files_free(f);
		return 0;
	}
	if (rc < 0) {
		/* Told on this thread: the worker's message is the worker's. */
		sd_error_set(rc, "%s", f->error ? f->error : _("out of memory"));
		sd__shard_files_free(f);
		e->stopped = 1;
		return rc;
	}
	for (size_t i = 0; i < f->n && rc == 0; i++) {
		const struct sd__shard_file *x = &f->v[i];
		const char *data = f->text.data + x->data;

		if (x->rc == GLANCED_OUT) {
			;       /* read, and left out: counted all the same */
		} else if (x->rc == SD_EIO) {
			rc = sd_error_set(SD_EIO, "%s", data);
		} else if (x->rc < 0) {
			/* A symbolic link, or gone: no data, and why. */
			sd_error_set(x->rc, "%s", data);
			rc = e->fn(f->text.data + x->name, x->n, NULL, 0, e->arg);
		} else {
			rc = e->fn(f->text.data + x->name, x->n, data, x->len, e->arg);
		}
		if (rc != 0)
			e->stopped = 1;
		sd__count_add(&e->read, 1);
	}
	sd__shard_files_free(f);
	return rc;
}

/* The ticket files of the shards, by their names alone: the total that
 * progress is told of. */
static uint64_t
count_files(struct sd_store *s, char **shards, size_t n)
{
	const char *prefix = sd_config_prefix(s->cfg);
	uint64_t total = 0;

	for (size_t i = 0; i < n; i++) {
		struct sd_buf path = SD_BUF_INIT;
		struct dirent *de;
		DIR *d;

		sd_buf__printf(&path, "%s/tickets/%s", s->root, shards[i]);
		if (!path.failed && (d = opendir(path.data))) {
			while ((de = readdir(d)))
				total += sd__file_number(de->d_name, prefix) > 0;
			closedir(d);
		}
		sd_buf__free(&path);
	}
	return total;
}

int
sd_store_each(struct sd_store *s, sd_store_each_fn fn, void *arg)
{
	return sd_store_each_glance(s, NULL, fn, arg);
}

int
sd_store_each_glance(struct sd_store *s, sd_store_glance_fn glance, sd_store_each_fn fn,
    void *arg)
{
	struct each e = { s, NULL, NULL, fn, glance, arg, 0, { 0 } };
	size_t n = 0;
	int rc;

	if ((rc = sd__shards(s, &e.shards, &n)) < 0)
		return rc;
	sd__count_start(&e.read, s->progress, N_("Reading tickets"),
	    s->progress ? count_files(s, e.shards, n) : 0);
	if (!(e.files = calloc(n ? n : 1, sizeof(*e.files))))
		rc = sd__oom();
	else
		rc = sd__parallel(n, sd__parallel_workers(n), each_work, each_done, &e);
	if (rc == 0)
		sd__count_end(&e.read);
	free(e.files);
	sd__shards_free(e.shards, n);
	return rc;
}
