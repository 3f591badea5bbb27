/*
 * Progress of long work as libsd tells it (lib/progress.c, sd/progress.h):
 * a stage counted from 0 to its total, told at most once an item, never
 * going back, told done once; nothing told without a progress or for a
 * stage of no items; the blobs of a tree counted; and sd_store_each
 * telling "Reading tickets" over the ticket files it reads, on the
 * caller's thread, whatever the workers.
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <pthread.h>
#include <sys/stat.h>

#include "unit.h"
#include "progress.h"

static char dir[] = "/tmp/sd-unit-progress.XXXXXX";

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

/* What a progress was told. */
struct told {
	pthread_t caller;
	size_t n;
	const char *stage[64];
	uint64_t done[64], total[64];
	int off_thread;
};

static void
tell(void *arg, const char *stage, uint64_t done, uint64_t total)
{
	struct told *t = arg;

	if (!pthread_equal(pthread_self(), t->caller))
		t->off_thread = 1;
	if (t->n < 64) {
		t->stage[t->n] = stage;
		t->done[t->n] = done;
		t->total[t->n] = total;
	}
	t->n++;
}

/* Told i: stage, done of total. */
static void
assert_told(const struct told *t, size_t i, const char *stage, uint64_t done, uint64_t total)
{
	assert_true(i < t->n);
	assert_string_equal(t->stage[i], stage);
	assert_int_equal(t->done[i], done);
	assert_int_equal(t->total[i], total);
}

/* A stage of 4: 0/4 at the start, each add told, an add past the total
 * held below it (the end is told once, by sd__count_end) and then not
 * told again, nor one of 0; the end 4/4, and nothing after the end. */
static void
test_count(void **state)
{
	struct told t = { .caller = pthread_self() };
	struct sd_progress p = { tell, &t };
	struct sd__count c;

	(void)state;
	sd__count_start(&c, &p, "Counting", 4);
	assert_told(&t, 0, "Counting", 0, 4);
	sd__count_add(&c, 1);
	assert_told(&t, 1, "Counting", 1, 4);
	sd__count_add(&c, 2);
	assert_told(&t, 2, "Counting", 3, 4);
	sd__count_add(&c, 5);
	sd__count_add(&c, 1);
	sd__count_add(&c, 0);
	assert_int_equal(t.n, 3);
	sd__count_end(&c);
	assert_told(&t, 3, "Counting", 4, 4);
	assert_int_equal(t.n, 4);
	sd__count_end(&c);
	sd__count_add(&c, 1);
	assert_int_equal(t.n, 4);
	/* Past the total at once: held below it, told once. */
	sd__count_start(&c, &p, "Counting", 4);
	sd__count_add(&c, 9);
	assert_told(&t, 5, "Counting", 3, 4);
	assert_int_equal(t.n, 6);
}

/* No progress, a progress with no function, a stage of no items: none
 * told, and every call harmless. */
static void
test_count_silent(void **state)
{
	struct told t = { .caller = pthread_self() };
	struct sd_progress p = { tell, &t }, nofn = { NULL, &t };
	struct sd__count c;

	(void)state;
	sd__count_start(&c, NULL, "Counting", 4);
	sd__count_add(&c, 1);
	sd__count_end(&c);
	sd__count_start(&c, &nofn, "Counting", 4);
	sd__count_add(&c, 1);
	sd__count_end(&c);
	sd__count_start(&c, &p, "Counting", 0);
	sd__count_add(&c, 1);
	sd__count_end(&c);
	assert_int_equal(t.n, 0);
}

/* The blobs of a tree, its subtrees' too: 2 at the top, 3 in a/, 1 in
 * a/b/; an empty tree none, no tree none. */
static void
test_count_blobs(void **state)
{
	git_repository *repo = NULL;
	git_treebuilder *tb = NULL;
	git_oid blob, sub, sub2, top, empty;
	git_tree *tree = NULL;
	char path[256];

	(void)state;
	git_libgit2_init();
	snprintf(path, sizeof(path), "%s/blobs.git", dir);
	assert_int_equal(git_repository_init(&repo, path, 1), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, repo, "x\n", 2), 0);
	/* a/b: one blob */
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "f", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&sub2, tb), 0);
	git_treebuilder_free(tb);
	/* a: three blobs and b */
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "f1", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "f2", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "f3", &blob, GIT_FILEMODE_BLOB_EXECUTABLE), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "b", &sub2, GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_write(&sub, tb), 0);
	git_treebuilder_free(tb);
	/* the top: two blobs and a */
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "sd.ini", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "sla.ini", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "a", &sub, GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_write(&top, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_tree_lookup(&tree, repo, &top), 0);
	assert_int_equal(sd__count_blobs(tree), 6);
	git_tree_free(tree);
	assert_int_equal(git_tree_lookup(&tree, repo, &sub), 0);
	assert_int_equal(sd__count_blobs(tree), 4);
	git_tree_free(tree);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_write(&empty, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_tree_lookup(&tree, repo, &empty), 0);
	assert_int_equal(sd__count_blobs(tree), 0);
	git_tree_free(tree);
	assert_int_equal(sd__count_blobs(NULL), 0);
	git_repository_free(repo);
	git_libgit2_shutdown();
}

static void
make_file(const char *root, const char *rel)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(write(fd, "x\n", 2), 2);
	close(fd);
}

static void
make_dir(const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		fail_msg("%s: %s", path, strerror(errno));
}

static int
each_fn(const char *path, long n, const char *data, size_t len, void *arg)
{
	int *calls = arg;

	(void)path, (void)n, (void)data, (void)len;
	++*calls;
	return *calls == 4 ? 1 : 0;   /* the 4th of a stopping run stops */
}

static int
each_all(const char *path, long n, const char *data, size_t len, void *arg)
{
	(void)path, (void)n, (void)data, (void)len;
	++*(int *)arg;
	return 0;
}

/* Five ticket files in two shards (and names that are no ticket's, not
 * counted): 0/5, then 1..4 in order, then 5/5 at the end, on this thread, with
 * 1, 2 or 4 workers.  A run fn stops is never told done.  Without a
 * progress, nothing. */
static void
test_store_each(void **state)
{
	static const char *const texts[4] = {
		UNIT_SD_INI, UNIT_SLA_INI, UNIT_AGENTS_INI, UNIT_ESCALATION_INI
	};
	static const char *const threads[] = { "1", "2", "4" };
	struct sd_store *s = NULL;
	char root[256];

	(void)state;
	snprintf(root, sizeof(root), "%s/store", dir);
	assert_ok(sd_store_init(root, texts, NULL, NULL, 1795000000));
	assert_ok(sd_store_open(&s, root, 0));
	make_dir(root, "tickets");
	make_dir(root, "tickets/000");
	make_dir(root, "tickets/002");
	make_file(root, "tickets/000/SD-1.ini");
	make_file(root, "tickets/000/SD-2.ini");
	make_file(root, "tickets/000/SD-7.ini");
	make_file(root, "tickets/000/notes.txt");
	make_file(root, "tickets/002/SD-2000.ini");
	make_file(root, "tickets/002/SD-2001.ini");
	make_file(root, "tickets/002/.SD-2002.ini.tmp");
	for (size_t k = 0; k < sizeof(threads) / sizeof(*threads); k++) {
		struct told t = { .caller = pthread_self() };
		struct sd_progress p = { tell, &t };
		int calls = 0;

		setenv("SD_THREADS", threads[k], 1);
		sd_store_set_progress(s, &p);
		assert_ok(sd_store_each(s, each_all, &calls));
		assert_int_equal(calls, 5);
		assert_false(t.off_thread);
		assert_int_equal(t.n, 6);
		for (size_t i = 0; i <= 4; i++)
			assert_told(&t, i, "Reading tickets", i, 5);
		assert_told(&t, 5, "Reading tickets", 5, 5);

		/* Stopped at the 4th: 0..4 told, never done. */
		memset(&t, 0, sizeof(t));
		t.caller = pthread_self();
		calls = 0;
		assert_int_equal(sd_store_each(s, each_fn, &calls), 1);
		assert_int_equal(calls, 4);
		assert_int_equal(t.n, 5);
		for (size_t i = 0; i <= 4; i++)
			assert_told(&t, i, "Reading tickets", i, 5);

		/* No progress: none told. */
		memset(&t, 0, sizeof(t));
		sd_store_set_progress(s, NULL);
		calls = 0;
		assert_ok(sd_store_each(s, each_all, &calls));
		assert_int_equal(calls, 5);
		assert_int_equal(t.n, 0);
	}
	unsetenv("SD_THREADS");
	sd_store_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_count_silent),
		cmocka_unit_test(test_count_blobs),
		cmocka_unit_test(test_store_each),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, setup, teardown);
}
