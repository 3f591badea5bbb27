/*
 * The store's files on disk (lib/files.c): written from the store's
 * directory through exclusive temporary files, never through a symbolic
 * link or into a FIFO, read only when regular.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "internal.h"
#include "store_internal.h"

static char dir[] = "/tmp/sd-test-files.XXXXXX";
static char outside[] = "/tmp/sd-test-files-out.XXXXXX";
static struct sd_store store;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir) || !mkdtemp(outside))
		return -1;
	store.root = dir;
	store.lockfd = -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(outside, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static char *
at(const char *base, const char *rel)
{
	static char path[2][512];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "%s/%s", base, rel);
	return path[k];
}

static void
write_read_back(void **state)
{
	char *data = NULL;
	size_t len = 0;
	struct stat st;

	(void)state;
	assert_int_equal(sd__store_write(&store, "tickets/000/SD-1.ini", "one\n", 4, 0644), 0);
	assert_int_equal(sd__store_read(&store, "tickets/000/SD-1.ini", &data, &len), 0);
	assert_int_equal(len, 4);
	assert_string_equal(data, "one\n");
	free(data);
	assert_int_equal(stat(at(dir, "tickets/000/SD-1.ini"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	/* Written again: replaced whole. */
	assert_int_equal(sd__store_write(&store, "tickets/000/SD-1.ini", "two, longer\n", 12, 0644), 0);
	assert_int_equal(sd__store_read(&store, "tickets/000/SD-1.ini", &data, &len), 0);
	assert_string_equal(data, "two, longer\n");
	free(data);
	/* Missing: SD_ENOTFOUND, its directory missing too. */
	assert_int_equal(sd__store_read(&store, "tickets/000/SD-9.ini", &data, &len), SD_ENOTFOUND);
	assert_int_equal(sd__store_read(&store, "tickets/009/SD-9009.ini", &data, &len), SD_ENOTFOUND);
	assert_null(data);
	/* No temporary file left, in .git/sd-tmp or beside. */
	assert_int_equal(rmdir(at(dir, ".git/sd-tmp")), 0);
}

static void
links_refused(void **state)
{
	char *data = NULL;
	size_t len;
	char buf[32] = "";
	int fd;

	(void)state;
	fd = open(at(outside, "file"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep\n", 5), 5);
	close(fd);
	/* The file a link. */
	assert_int_equal(symlink(at(outside, "file"), at(dir, "tickets/000/SD-2.ini")), 0);
	assert_int_equal(sd__store_write(&store, "tickets/000/SD-2.ini", "x", 1, 0644), SD_EINVALID);
	assert_non_null(strstr(sd_error_message(), "SD-2.ini: a symbolic link"));
	assert_int_equal(sd__store_read(&store, "tickets/000/SD-2.ini", &data, &len), SD_EINVALID);
	/* A directory on the way a link. */
	assert_int_equal(mkdir(at(outside, "001"), 0777), 0);
	assert_int_equal(mkdir(at(dir, "tickets"), 0777) == 0 || errno == EEXIST, 1);
	assert_int_equal(symlink(at(outside, "001"), at(dir, "tickets/001")), 0);
	assert_int_equal(sd__store_write(&store, "tickets/001/SD-1001.ini", "x", 1, 0644),
	    SD_EINVALID);
	assert_non_null(strstr(sd_error_message(), "tickets/001: a symbolic link"));
	assert_int_equal(sd__store_remove(&store, "tickets/001/SD-1001.ini", 0), SD_EINVALID);
	/* Nothing written outside. */
	assert_int_equal(access(at(outside, "001/SD-1001.ini"), F_OK), -1);
	fd = open(at(outside, "file"), O_RDONLY);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 5);
	close(fd);
	assert_string_equal(buf, "keep\n");
	/* A repair replaces the link at the file, not what it points at. */
	store.repairing = 1;
	assert_int_equal(sd__store_write(&store, "tickets/000/SD-2.ini", "new\n", 4, 0644), 0);
	store.repairing = 0;
	assert_int_equal(sd__store_read(&store, "tickets/000/SD-2.ini", &data, &len), 0);
	assert_string_equal(data, "new\n");
	free(data);
	fd = open(at(outside, "file"), O_RDONLY);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 5);
	close(fd);
	assert_string_equal(buf, "keep\n");
}

static void
fifo_refused(void **state)
{
	char *data = NULL;
	size_t len;

	(void)state;
	assert_int_equal(mkfifo(at(dir, "tickets/000/SD-3.ini"), 0644), 0);
	/* Neither read nor written, and not waited on: this returns. */
	assert_int_equal(sd__store_read(&store, "tickets/000/SD-3.ini", &data, &len), SD_EINVALID);
	assert_non_null(strstr(sd_error_message(), "a FIFO"));
	assert_int_equal(sd__read_regular(&data, &len, at(dir, "tickets/000/SD-3.ini")), SD_EINVALID);
	assert_int_equal(sd__store_write(&store, "tickets/000/SD-3.ini", "x", 1, 0644), SD_EINVALID);
	/* A FIFO where a directory should be. */
	assert_int_equal(mkfifo(at(dir, "tickets/002"), 0644), 0);
	assert_int_equal(sd__store_write(&store, "tickets/002/SD-2002.ini", "x", 1, 0644),
	    SD_EINVALID);
	assert_non_null(strstr(sd_error_message(), "tickets/002: a FIFO"));
}

static void
write_at_exclusive(void **state)
{
	int d = open(dir, O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_true(d >= 0);
	/* Two writes of one name use two temporary names: both succeed,
	 * the last stays. */
	assert_int_equal(sd__write_at(d, "plain", "plain", "a", 1, 0600, 0), 0);
	assert_int_equal(sd__write_at(d, "plain", "plain", "bb", 2, 0600, 0), 0);
	assert_int_equal(sd__kind_at(d, "plain", "plain", 0), 0);
	assert_int_equal(sd__kind_at(d, "nothing", "nothing", 0), 1);
	assert_int_equal(sd__kind_at(d, "tickets", "tickets", 1), 0);
	assert_int_equal(sd__kind_at(d, "plain", "plain", 1), SD_EINVALID);
	close(d);
	/* Never out of the store by "..". */
	assert_int_equal(sd__store_write(&store, "tickets/../../x", "x", 1, 0644), SD_EINVALID);
	assert_int_equal(sd__store_write(&store, "../x", "x", 1, 0644), SD_EINVALID);
	assert_int_equal(access(at(dir, "../x"), F_OK), -1);
}

/* Many files written at once: as sd__root_write writes each, through a
 * directory kept open while the files stay in it, flushed at the end. */
static void
bulk_write(void **state)
{
	static const char *rels[] = { "bulk/a/1", "bulk/a/2", "bulk/b/3", "top", "bulk/a/4" };
	struct sd__bulk *b = NULL;
	char *data = NULL;
	size_t len = 0;
	struct stat st;

	(void)state;
	assert_ok(sd__bulk_begin(&b, dir, 0));
	for (size_t i = 0; i < SD_ARRAY_SIZE(rels); i++)
		assert_ok(sd__bulk_write(b, rels[i], rels[i], strlen(rels[i]), i == 2 ? 0755 : 0644));
	/* A link on the way is refused as by sd__root_write, nothing written
	 * through it; the next file is written all the same. */
	assert_int_equal(sd__bulk_write(b, "tickets/001/SD-1001.ini", "x", 1, 0644), SD_EINVALID);
	assert_non_null(strstr(sd_error_message(), "tickets/001: a symbolic link"));
	assert_int_equal(sd__bulk_write(b, "../x", "x", 1, 0644), SD_EINVALID);
	assert_ok(sd__bulk_write(b, "bulk/b/5", "five\n", 5, 0644));
	assert_ok(sd__bulk_end(b));
	for (size_t i = 0; i < SD_ARRAY_SIZE(rels); i++) {
		assert_ok(sd__store_read(&store, rels[i], &data, &len));
		assert_int_equal(len, strlen(rels[i]));
		assert_memory_equal(data, rels[i], len);
		free(data);
		assert_int_equal(stat(at(dir, rels[i]), &st), 0);
		assert_int_equal(st.st_mode & 07777, i == 2 ? 0755 : 0644);
	}
	assert_ok(sd__store_read(&store, "bulk/b/5", &data, &len));
	assert_string_equal(data, "five\n");
	free(data);
	assert_int_equal(access(at(outside, "001/SD-1001.ini"), F_OK), -1);
	/* No temporary file left. */
	assert_int_equal(rmdir(at(dir, ".git/sd-tmp")), 0);
	/* Over files that stand there: replaced whole; a link in a file's
	 * place refused, unless repairing, and never written through. */
	assert_int_equal(symlink(at(outside, "file"), at(dir, "bulk/a/link")), 0);
	assert_ok(sd__bulk_begin(&b, dir, 0));
	assert_ok(sd__bulk_write(b, "bulk/a/1", "new one\n", 8, 0644));
	assert_int_equal(sd__bulk_write(b, "bulk/a/link", "x", 1, 0644), SD_EINVALID);
	assert_non_null(strstr(sd_error_message(), "bulk/a/link: a symbolic link"));
	assert_ok(sd__bulk_end(b));
	assert_ok(sd__store_read(&store, "bulk/a/1", &data, &len));
	assert_string_equal(data, "new one\n");
	free(data);
	assert_ok(sd__bulk_begin(&b, dir, SD_FILES_REPLACE));
	assert_ok(sd__bulk_write(b, "bulk/a/link", "y\n", 2, 0644));
	assert_ok(sd__bulk_end(b));
	assert_ok(sd__store_read(&store, "bulk/a/link", &data, &len));
	assert_string_equal(data, "y\n");
	free(data);
	assert_ok(sd__read_file(&data, &len, at(outside, "file")));
	assert_string_equal(data, "keep\n");
	free(data);
	/* No temporary file beside them. */
	{
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "test -z \"$(find '%s/bulk' -name '.*')\"", dir);
		assert_int_equal(system(cmd), 0);
	}
	/* Abandoned: nothing more to do. */
	assert_ok(sd__bulk_begin(&b, dir, 0));
	sd__bulk_free(b);
	sd__bulk_free(NULL);
	assert_ok(sd__bulk_end(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_read_back),
		cmocka_unit_test(links_refused),
		cmocka_unit_test(fifo_refused),
		cmocka_unit_test(write_at_exclusive),
		cmocka_unit_test(bulk_write),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
