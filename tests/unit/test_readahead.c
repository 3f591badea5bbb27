/*
 * Files read ahead on a second thread (lib/readahead.c): every file comes
 * back whole, in order, as sd__read_file gives it - errors and their
 * messages too - however large, however many, and stopping half way
 * leaks nothing (the sanitizer build checks that).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "unit.h"
#include "internal.h"
#include "readahead.h"

static char dir[] = "/tmp/sd-unit-readahead.XXXXXX";

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

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
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

/* Many files of many sizes, some well over the reader's limit of bytes
 * held, in order; each the same bytes as sd__read_file reads. */
static void
test_in_order(void **state)
{
	enum { N = 300 };
	char *paths[N], name[32];
	struct sd__readahead *ra;
	struct unit_rng r;

	(void)state;
	unit_rng_init(&r);
	for (int i = 0; i < N; i++) {
		size_t len = i % 50 == 7 ? (size_t)(1 << 20) + unit_below(&r, 4096) :
		    unit_below(&r, 3000);
		char *data = malloc(len + 1);

		assert_non_null(data);
		for (size_t k = 0; k < len; k++)
			data[k] = (char)('a' + (i + k) % 26);
		snprintf(name, sizeof(name), "f%03d", i);
		paths[i] = path_of(name);
		write_file(paths[i], data, len);
		free(data);
	}
	assert_ok(sd__readahead_start(&ra, paths, N));
	for (int i = 0; i < N; i++) {
		char *got, *want;
		size_t glen, wlen;

		assert_ok(sd__readahead_next(ra, &got, &glen));
		assert_ok(sd__read_file(&want, &wlen, paths[i]));
		assert_int_equal(glen, wlen);
		assert_memory_equal(got, want, wlen);
		assert_int_equal(got[glen], '\0');
		free(got);
		free(want);
	}
	/* Past the last file: an error, not a hang. */
	{
		char *d;
		size_t l;
		assert_int_equal(sd__readahead_next(ra, &d, &l), SD_EIO);
		assert_null(d);
	}
	sd__readahead_end(ra);
	for (int i = 0; i < N; i++)
		free(paths[i]);
}

/* Files so large that the reader holds its limit of bytes before the
 * batch a caller that caught up waits for is ready: the caller must hear
 * of them, or both threads wait for ever (alarm: a hang fails the test). */
static void
test_large_files(void **state)
{
	enum { N = 12, SIZE = 3 << 19 };        /* 1.5 MiB each */
	char *paths[N], name[32], *data = malloc(SIZE);
	struct sd__readahead *ra;

	(void)state;
	assert_non_null(data);
	memset(data, 'z', SIZE);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "big%02d", i);
		paths[i] = path_of(name);
		write_file(paths[i], data, SIZE);
	}
	free(data);
	alarm(60);
	assert_ok(sd__readahead_start(&ra, paths, N));
	for (int i = 0; i < N; i++) {
		char *got;
		size_t len;

		assert_ok(sd__readahead_next(ra, &got, &len));
		assert_int_equal(len, SIZE);
		free(got);
	}
	sd__readahead_end(ra);
	alarm(0);
	for (int i = 0; i < N; i++)
		free(paths[i]);
}

/* A file gone and a symbolic link: the code and the message of
 * sd__read_file, on the caller's thread, and the files after them still
 * come. */
static void
test_errors(void **state)
{
	char *paths[4] = { path_of("ok1"), path_of("gone"), path_of("link"), path_of("ok2") };
	struct sd__readahead *ra;
	char *d, want[512];
	size_t l;

	(void)state;
	write_file(paths[0], "one\n", 4);
	write_file(paths[3], "two\n", 4);
	assert_int_equal(symlink("/etc/passwd", paths[2]), 0);
	assert_ok(sd__readahead_start(&ra, paths, 4));
	assert_ok(sd__readahead_next(ra, &d, &l));
	assert_string_equal(d, "one\n");
	free(d);
	snprintf(want, sizeof(want), "%s: %s", paths[1], strerror(ENOENT));
	assert_fails(sd__readahead_next(ra, &d, &l), SD_ENOTFOUND, want);
	assert_null(d);
	snprintf(want, sizeof(want), "%s: a symbolic link; sd reads none", paths[2]);
	assert_fails(sd__readahead_next(ra, &d, &l), SD_EINVALID, want);
	assert_ok(sd__readahead_next(ra, &d, &l));
	assert_string_equal(d, "two\n");
	free(d);
	sd__readahead_end(ra);
	for (int i = 0; i < 4; i++)
		free(paths[i]);
}

/* Stopping early, or at once, frees what was read ahead; no files at all
 * and one file (read on the caller's thread) work the same. */
static void
test_stop_early(void **state)
{
	char *paths[40], name[32], *d;
	struct sd__readahead *ra;
	size_t l;

	(void)state;
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "s%02d", i);
		paths[i] = path_of(name);
		write_file(paths[i], "x\n", 2);
	}
	assert_ok(sd__readahead_start(&ra, paths, 40));
	assert_ok(sd__readahead_next(ra, &d, &l));
	free(d);
	sd__readahead_end(ra);
	assert_ok(sd__readahead_start(&ra, paths, 40));
	sd__readahead_end(ra);
	assert_ok(sd__readahead_start(&ra, paths, 0));
	assert_int_equal(sd__readahead_next(ra, &d, &l), SD_EIO);
	sd__readahead_end(ra);
	assert_ok(sd__readahead_start(&ra, paths, 1));
	assert_ok(sd__readahead_next(ra, &d, &l));
	assert_string_equal(d, "x\n");
	free(d);
	sd__readahead_end(ra);
	sd__readahead_end(NULL);
	for (int i = 0; i < 40; i++)
		free(paths[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_large_files),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_stop_early),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, setup, teardown);
}
