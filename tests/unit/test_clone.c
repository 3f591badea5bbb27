/*
 * lib/clone.c: which clones of a store sd-fsck may make one, and the
 * layout it gives a bare one; lib/due.c: which edits move the clock.
 */
#include <ftw.h>
#include <git2.h>
#include <sys/stat.h>

#include "unit.h"
#include "internal.h"
#include "store_internal.h"

static char top[] = "/tmp/sd-unit-clone.XXXXXX";

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

/* sh -c cmd in top, quietly; fail unless it exits 0. */
static void
sh(const char *fmt, ...)
{
	char cmd[2048], full[2300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd %s && (%s) >/dev/null 2>&1", top, cmd);
	if (system(full) != 0)
		fail_msg("%s: failed", cmd);
}

static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(top))
		return -1;
	/* A repository whose HEAD holds sd.ini, and one whose HEAD does not. */
	sh("git init -q src && echo '[store]' >src/sd.ini && git -C src add sd.ini && "
	    "git -C src -c user.name=a -c user.email=a@example.org commit -qm init && "
	    "git init -q other && echo x >other/f && git -C other add f && "
	    "git -C other -c user.name=a -c user.email=a@example.org commit -qm x");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* The kind sd__clone_find gives rel under top (and whether a root). */
static int
kind_of(const char *rel)
{
	char dir[512], *root = NULL;
	int kind = -1;

	snprintf(dir, sizeof(dir), "%s/%s", top, rel);
	assert_ok(sd__clone_find(&root, dir, &kind));
	assert_int_equal(!root, kind == SD_CLONE_NONE);
	free(root);
	return kind;
}

static void
test_find(void **state)
{
	(void)state;
	unsetenv("SD_SHELL_STORE");
	sh("git clone -q src plain && git clone -q --no-checkout src noco && "
	    "git clone -q --bare src bare && git clone -q --bare src bareg/.git && "
	    "git clone -q other otherclone && mkdir empty");
	assert_int_equal(kind_of("plain"), SD_CLONE_NONE);         /* has sd.ini */
	assert_int_equal(kind_of("noco"), SD_CLONE_NO_FILES);
	assert_int_equal(kind_of("bareg"), SD_CLONE_NO_FILES);
	assert_int_equal(kind_of("bare"), SD_CLONE_BARE);
	assert_int_equal(kind_of("otherclone"), SD_CLONE_NONE);    /* no sd.ini in HEAD */
	assert_int_equal(kind_of("empty"), SD_CLONE_NONE);
	assert_int_equal(kind_of("missing"), SD_CLONE_NONE);
	/* Bound to a store by sd-shell: no other is looked for. */
	setenv("SD_SHELL_STORE", "/nowhere", 1);
	assert_int_equal(kind_of("noco"), SD_CLONE_NONE);
	unsetenv("SD_SHELL_STORE");
}

static void
test_make_bare(void **state)
{
	char dir[512], path[600];
	struct stat st;

	(void)state;
	sh("git clone -q --bare src b2");
	snprintf(dir, sizeof(dir), "%s/b2", top);
	assert_ok(sd__clone_make(dir, SD_CLONE_BARE));
	snprintf(path, sizeof(path), "%s/.git/HEAD", dir);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/HEAD", dir);
	assert_int_not_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/.sd-bare", dir);
	assert_int_not_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/sd.ini", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 8);                /* "[store]\n" */
	/* A move killed halfway: .sd-bare holds part; finished. */
	sh("git clone -q --bare src b3 && mkdir b3/.sd-bare && mv b3/objects b3/.sd-bare/");
	snprintf(dir, sizeof(dir), "%s/b3", top);
	assert_int_equal(kind_of("b3"), SD_CLONE_BARE);
	assert_ok(sd__clone_make(dir, SD_CLONE_BARE));
	snprintf(path, sizeof(path), "%s/.git/objects", dir);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/.git/refs", dir);
	assert_int_equal(stat(path, &st), 0);
}

static void
test_config_moved(void **state)
{
	git_repository *repo = NULL;
	git_treebuilder *tb = NULL;
	git_tree *t[4] = { NULL };
	git_oid blob[3], tid;
	const char *texts[3] = { "a", "b", "c" };
	char dir[512];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/trees", top);
	git_libgit2_init();
	assert_int_equal(git_repository_init(&repo, dir, 1), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(git_blob_create_from_buffer(&blob[i], repo, texts[i], 1), 0);
	/* 0: sd.ini a, sla.ini a, agents.ini a; 1: agents.ini b; 2: sd.ini b;
	 * 3: sla.ini c. */
	for (int k = 0; k < 4; k++) {
		assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
		git_treebuilder_insert(NULL, tb, "agents.ini", &blob[k == 1], GIT_FILEMODE_BLOB);
		git_treebuilder_insert(NULL, tb, "sd.ini", &blob[k == 2], GIT_FILEMODE_BLOB);
		git_treebuilder_insert(NULL, tb, "sla.ini", &blob[k == 3 ? 2 : 0], GIT_FILEMODE_BLOB);
		assert_int_equal(git_treebuilder_write(&tid, tb), 0);
		git_treebuilder_free(tb);
		assert_int_equal(git_tree_lookup(&t[k], repo, &tid), 0);
	}
	assert_int_equal(sd__due_config_moved(t[0], t[0]), 0);
	/* agents.ini too: a group's calendar moves its tickets' clocks. */
	assert_int_not_equal(sd__due_config_moved(t[0], t[1]), 0);
	assert_int_not_equal(sd__due_config_moved(t[0], t[2]), 0);
	assert_int_not_equal(sd__due_config_moved(t[0], t[3]), 0);
	assert_int_equal(sd__due_config_moved(NULL, t[3]), 0);     /* the first commit */
	for (int k = 0; k < 4; k++)
		git_tree_free(t[k]);
	git_repository_free(repo);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_make_bare),
		cmocka_unit_test(test_config_moved),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
