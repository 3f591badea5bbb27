/*
 * A store tree's layout (lib/layout.h, SPEC sections 1 and 2): ticket
 * paths and their shards, what a tree may hold, and the next ticket
 * number, over trees built with libgit2 in a temporary bare repository.
 */
#include <ftw.h>
#include <git2.h>

#include "unit.h"
#include "layout.h"
#include "sync_internal.h"

static git_repository *repo;
static char dir[] = "/tmp/sd-test-layout.XXXXXX";

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
	git_libgit2_init();
	if (!mkdtemp(dir) || git_repository_init(&repo, dir, 1) < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	git_repository_free(repo);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	git_libgit2_shutdown();
	return 0;
}

/* Put at path, under the tree *root (zero: none yet), the object id of
 * mode; *root becomes the new tree's id. */
static void
put_id(git_oid *root, const char *path, const git_oid *id, git_filemode_t mode)
{
	git_treebuilder *b = NULL;
	git_tree *base = NULL;
	const char *slash = strchr(path, '/');

	if (!git_oid_is_zero(root))
		assert_int_equal(git_tree_lookup(&base, repo, root), 0);
	assert_int_equal(git_treebuilder_new(&b, repo, base), 0);
	if (!slash) {
		assert_int_equal(git_treebuilder_insert(NULL, b, path, id, mode), 0);
	} else {
		char *name = unit_strndup(path, (size_t)(slash - path));
		const git_tree_entry *e = git_treebuilder_get(b, name);
		git_oid sub;

		memset(&sub, 0, sizeof(sub));
		if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
			git_oid_cpy(&sub, git_tree_entry_id(e));
		put_id(&sub, slash + 1, id, mode);
		assert_int_equal(git_treebuilder_insert(NULL, b, name, &sub, GIT_FILEMODE_TREE), 0);
		free(name);
	}
	assert_int_equal(git_treebuilder_write(root, b), 0);
	git_treebuilder_free(b);
	git_tree_free(base);
}

/* A file at path with data, of mode (0: a plain file). */
static void
put(git_oid *root, const char *path, const char *data, git_filemode_t mode)
{
	git_oid blob;

	assert_int_equal(git_blob_create_from_buffer(&blob, repo, data, strlen(data)), 0);
	put_id(root, path, &blob, mode ? mode : GIT_FILEMODE_BLOB);
}

/* Ticket n at its place (sd_id_path), or at path when not NULL. */
static void
put_ticket(git_oid *root, long n, const char *path)
{
	char text[64], *rel = NULL;

	snprintf(text, sizeof(text), "[ticket]\nid = SD-%ld\ntype = incident\n", n);
	if (!path) {
		assert_ok(sd_id_path(&rel, "SD", n));
		path = rel;
	}
	put(root, path, text, 0);
	free(rel);
}

/* An empty directory at path. */
static void
put_empty(git_oid *root, const char *path)
{
	git_treebuilder *b = NULL;
	git_oid empty;

	assert_int_equal(git_treebuilder_new(&b, repo, NULL), 0);
	assert_int_equal(git_treebuilder_write(&empty, b), 0);
	git_treebuilder_free(b);
	put_id(root, path, &empty, GIT_FILEMODE_TREE);
}

/* The next number of the tree root; its return code. */
static int
next_of(long *n, const git_oid *root)
{
	git_tree *t = NULL;
	int rc;

	assert_int_equal(git_tree_lookup(&t, repo, root), 0);
	rc = sd__layout_next(n, repo, t, "SD");
	git_tree_free(t);
	return rc;
}

static void
next_is(const git_oid *root, long want)
{
	long n = -1;

	assert_ok(next_of(&n, root));
	assert_int_equal(n, want);
}

static void
test_shard(void **state)
{
	static const char *const bad[] = {
		"", "0", "00", "01", "0000", "0999", "01000", "abc", "1a0", "-01", "+01",
		"1234567890123", " 01", "001 ",
	};

	(void)state;
	assert_int_equal(sd__layout_shard("000"), 0);
	assert_int_equal(sd__layout_shard("004"), 4);
	assert_int_equal(sd__layout_shard("999"), 999);
	assert_int_equal(sd__layout_shard("1000"), 1000);
	assert_int_equal(sd__layout_shard("123456789012"), 123456789012L);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (sd__layout_shard(bad[i]) != -1)
			fail_msg("'%s' taken for a shard", bad[i]);
	/* On disk, leading zeros are read too. */
	assert_int_equal(sd__shard_number("000"), 0);
	assert_int_equal(sd__shard_number("0001"), 1);
	assert_int_equal(sd__shard_number("01000"), 1000);
	assert_int_equal(sd__shard_number("123456789012"), 123456789012L);
	assert_int_equal(sd__shard_number("1234567890123"), -1);
	assert_int_equal(sd__shard_number("01"), -1);
	assert_int_equal(sd__shard_number("0a1"), -1);
}

static void
ticket_path_is(const char *path, long want)
{
	long n = -1;

	if (sd__layout_ticket_path(path, "SD", &n) < 0)
		fail_msg("%s: %s", path, sd_error_message());
	assert_int_equal(n, want);
}

static void
test_ticket_path(void **state)
{
	long n = 7;

	(void)state;
	ticket_path_is("tickets/000/SD-1.ini", 1);
	ticket_path_is("tickets/000/SD-999.ini", 999);
	ticket_path_is("tickets/001/SD-1000.ini", 1000);
	ticket_path_is("tickets/004/SD-4999.ini", 4999);
	ticket_path_is("tickets/999/SD-999999.ini", 999999);
	ticket_path_is("tickets/1000/SD-1000000.ini", 1000000);
	ticket_path_is("tickets/999999999999/SD-999999999999999.ini", 999999999999999L);
	assert_ok(sd__layout_ticket_path("tickets/000/SD-5.ini", "SD", NULL));

	assert_fails(sd__layout_ticket_path("tickets/004/SD-5.ini", "SD", &n), SD_EINVALID,
	    "tickets/004/SD-5.ini: not in its shard (belongs in tickets/000/)");
	assert_int_equal(n, 0);
	assert_fails(sd__layout_ticket_path("tickets/000/SD-4000.ini", "SD", &n), SD_EINVALID,
	    "tickets/000/SD-4000.ini: not in its shard (belongs in tickets/004/)");
	assert_fails(sd__layout_ticket_path("tickets/0000/SD-1.ini", "SD", &n), SD_EINVALID,
	    "tickets/0000/SD-1.ini: not in its shard (belongs in tickets/000/)");
	assert_fails(sd__layout_ticket_path("tickets/0/SD-1.ini", "SD", &n), SD_EINVALID,
	    "tickets/0/SD-1.ini: not in its shard (belongs in tickets/000/)");
	assert_fails(sd__layout_ticket_path("tickets//SD-1.ini", "SD", &n), SD_EINVALID,
	    "tickets//SD-1.ini: not in its shard (belongs in tickets/000/)");
	assert_fails(sd__layout_ticket_path("tickets/01000/SD-1000000.ini", "SD", &n), SD_EINVALID,
	    "tickets/01000/SD-1000000.ini: not in its shard (belongs in tickets/1000/)");
	assert_fails(sd__layout_ticket_path("tickets/1000/SD-999999.ini", "SD", &n), SD_EINVALID,
	    "tickets/1000/SD-999999.ini: not in its shard (belongs in tickets/999/)");
	assert_fails(sd__layout_ticket_path("tickets/000/SD-01.ini", "SD", &n), SD_EINVALID,
	    "tickets/000/SD-01.ini: not a ticket file name (SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets/000/SD-0.ini", "SD", &n), SD_EINVALID,
	    "tickets/000/SD-0.ini: not a ticket file name (SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets/000/HD-1.ini", "SD", &n), SD_EINVALID,
	    "tickets/000/HD-1.ini: not a ticket file name (SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets/000/SD-1.txt", "SD", &n), SD_EINVALID,
	    "tickets/000/SD-1.txt: not a ticket file name (SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets/000/sd-1.ini", "SD", &n), SD_EINVALID,
	    "tickets/000/sd-1.ini: not a ticket file name (SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets/000/SD-1234567890123456.ini", "SD", &n),
	    SD_EINVALID, "tickets/000/SD-1234567890123456.ini: not a ticket file name (SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets/000/", "SD", &n), SD_EINVALID,
	    "tickets/000/: not a ticket file name (SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets/SD-1.ini", "SD", &n), SD_EINVALID,
	    "tickets/SD-1.ini: not a ticket file path (tickets/NNN/SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets/000/x/SD-1.ini", "SD", &n), SD_EINVALID,
	    "tickets/000/x/SD-1.ini: not a ticket file path (tickets/NNN/SD-N.ini)");
	assert_fails(sd__layout_ticket_path("kb/000/SD-1.ini", "SD", &n), SD_EINVALID,
	    "kb/000/SD-1.ini: not a ticket file path (tickets/NNN/SD-N.ini)");
	assert_fails(sd__layout_ticket_path("tickets", "HD", &n), SD_EINVALID,
	    "tickets: not a ticket file path (tickets/NNN/HD-N.ini)");
}

/* The layout agrees with sd_id_path for every number of digits, and a
 * path one shard off is refused. */
static void
test_ticket_path_agrees(void **state)
{
	struct unit_rng rng;

	(void)state;
	unit_rng_init(&rng);
	for (int i = 0; i < 20000; i++) {
		int digits = 1 + (int)unit_below(&rng, SD_ID_DIGITS);
		long lo = 1, n, back = -1;
		char *rel = NULL, shard[SD_ID_MAX], other[256];

		for (int d = 1; d < digits; d++)
			lo *= 10;
		n = lo + (long)unit_below(&rng, (uint64_t)(lo * 9));
		assert_ok(sd_id_path(&rel, "HD2", n));
		if (sd__layout_ticket_path(rel, "HD2", &back) < 0 || back != n)
			unit_fail(&rng, "%s refused or read as %ld: %s", rel, back, sd_error_message());
		sd_id_shard(shard, n / 1000 == 0 ? 1000 : n - 1000);
		snprintf(other, sizeof(other), "tickets/%s/HD2-%ld.ini", shard, n);
		if (sd__layout_ticket_path(other, "HD2", &back) != SD_EINVALID)
			unit_fail(&rng, "%s taken", other);
		free(rel);
	}
}

static void
test_path(void **state)
{
	long n = 7;

	(void)state;
	assert_ok(sd__layout_path("sd.ini", 0, "SD", &n));
	assert_int_equal(n, 0);
	assert_ok(sd__layout_path("sla.ini", GIT_FILEMODE_BLOB, "SD", NULL));
	assert_ok(sd__layout_path("escalation.ini", GIT_FILEMODE_BLOB_EXECUTABLE, "SD", NULL));
	assert_ok(sd__layout_path("agents.ini", GIT_FILEMODE_BLOB, "SD", NULL));
	assert_ok(sd__layout_path("tickets/001/SD-1500.ini", GIT_FILEMODE_BLOB, "SD", &n));
	assert_int_equal(n, 1500);
	assert_fails(sd__layout_path("sd.ini", GIT_FILEMODE_LINK, "SD", &n), SD_EINVALID,
	    "sd.ini: a symbolic link");
	assert_fails(sd__layout_path("agents.ini", GIT_FILEMODE_COMMIT, "SD", &n), SD_EINVALID,
	    "agents.ini: not a regular file");
	assert_fails(sd__layout_path("tickets/000/SD-1.ini", GIT_FILEMODE_LINK, "SD", &n),
	    SD_EINVALID, "tickets/000/SD-1.ini: a symbolic link");
	assert_int_equal(n, 0);
	assert_fails(sd__layout_path("tickets/002/SD-1500.ini", 0, "SD", &n), SD_EINVALID,
	    "tickets/002/SD-1500.ini: not in its shard (belongs in tickets/001/)");
	assert_fails(sd__layout_path("hooks/new", GIT_FILEMODE_BLOB_EXECUTABLE, "SD", &n),
	    SD_EINVALID, "hooks/new: hooks/ is each machine's own, never in the store's history");
	assert_fails(sd__layout_path("notes.txt", 0, "SD", &n), SD_EINVALID,
	    "notes.txt: not part of a store's layout");
	/* kb/: the knowledge base's articles alone (sd/kb.h). */
	assert_fails(sd__layout_path("kb/vpn.md", 0, "SD", &n), SD_EINVALID,
	    "kb/vpn.md: not an article's path (kb/KB-N.txt)");
	assert_fails(sd__layout_path("kb/KB-03.txt", 0, "SD", &n), SD_EINVALID,
	    "kb/KB-03.txt: not an article's path (kb/KB-N.txt)");
	assert_fails(sd__layout_path("kb/x/KB-3.txt", 0, "SD", &n), SD_EINVALID,
	    "kb/x/KB-3.txt: not an article's path (kb/KB-N.txt)");
	assert_ok(sd__layout_path("kb/KB-3.txt", 0, "SD", &n));
	assert_fails(sd__layout_path("kb/KB-3.txt", GIT_FILEMODE_LINK, "SD", &n), SD_EINVALID,
	    "kb/KB-3.txt: a symbolic link");
	assert_fails(sd__layout_path(".gitattributes", 0, "SD", &n), SD_EINVALID,
	    ".gitattributes: not part of a store's layout");
	assert_fails(sd__layout_path("x/sd.ini", 0, "SD", &n), SD_EINVALID,
	    "x/sd.ini: not part of a store's layout");
}

static void
ok_id(const char *data, long n)
{
	assert_ok(sd__layout_ticket_id("p", "SD", n, data, strlen(data)));
}

static void
fails_id(const char *data, long n, const char *msg)
{
	assert_fails(sd__layout_ticket_id("p", "SD", n, data, strlen(data)), SD_EINVALID, msg);
}

static void
test_ticket_id(void **state)
{
	static const char good[] = "[ticket]\nid = SD-5\ntype = incident\n[event 1]\nid = SD-9\n";

	(void)state;
	assert_ok(sd__layout_ticket_id("p", "SD", 5, good, strlen(good)));
	assert_fails(sd__layout_ticket_id("p", "SD", 9, good, strlen(good)), SD_EINVALID,
	    "p:2: id 'SD-5' does not match the file name");
	/* Only the bytes given are read. */
	assert_fails(sd__layout_ticket_id("p", "SD", 5, good, 16), SD_EINVALID,
	    "p:2: id 'SD' does not match the file name");
	/* As inih reads it: spaces around, an inline comment, CRLF. */
	ok_id("; c\n\n[ticket]\r\n  id=SD-5 ; old\r\n", 5);
	ok_id("[ticket]\nid\t=\tSD-5\t\n", 5);
	fails_id("[ticket]\nid = SD-5;old\n", 5, "p:2: id 'SD-5;old' does not match the file name");
	ok_id("[x]\nid = SD-4\n[ticket]\nid = SD-5\n", 5);
	/* A key that starts with "id" is not id; no id line at all. */
	fails_id("[ticket]\nidx = SD-5\n", 5, "p: id '' does not match the file name");
	fails_id("id = SD-5\n", 5, "p: id '' does not match the file name");
	fails_id("[ticket]\n[event 1]\nid = SD-5\n", 5, "p: id '' does not match the file name");
	fails_id("", 5, "p: id '' does not match the file name");
	/* A long value is cut short. */
	fails_id("[ticket]\nid = SD-5xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 5,
	    "p:2: id 'SD-5xxxxxxxxxxxxxxxxxxxxxxxxxxxx' does not match the file name");
}

/* Each defect as "path|line|message\n". */
static int
collect(const char *path, int line, const char *message, void *arg)
{
	char **s = arg;
	size_t n = *s ? strlen(*s) : 0, more = strlen(path) + strlen(message) + 16;

	*s = realloc(*s, n + more);
	assert_non_null(*s);
	snprintf(*s + n, more, "%s|%d|%s\n", path, line, message);
	return 0;
}

/* Stop at the first. */
static int
first(const char *path, int line, const char *message, void *arg)
{
	collect(path, line, message, arg);
	return 1;
}

static void
test_check_tree(void **state)
{
	git_oid root, sound;
	git_tree *t = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	char *got = NULL;

	(void)state;
	memset(&root, 0, sizeof(root));
	put(&root, "sd.ini", "[store]\n", 0);
	put(&root, "sla.ini", "", 0);
	put(&root, "escalation.ini", "", 0);
	put(&root, "agents.ini", "", 0);
	put_ticket(&root, 1, NULL);
	put_ticket(&root, 999, NULL);
	put_ticket(&root, 1000, NULL);
	put_ticket(&root, 1000000, NULL);
	sound = root;
	assert_int_equal(git_tree_lookup(&t, repo, &sound), 0);
	assert_int_equal(sd__layout_check_tree(repo, t, "SD", 0, collect, &got), 0);
	assert_null(got);
	git_tree_free(t);

	put(&root, "notes.txt", "x", 0);
	put(&root, "hooks/new", "#!/bin/sh\n", GIT_FILEMODE_BLOB_EXECUTABLE);
	put(&root, "agents.ini", "x", GIT_FILEMODE_LINK);
	put(&root, "kb/vpn.md", "x", 0);
	put_empty(&root, "tickets/999");
	put_empty(&root, "tickets/005");
	put_ticket(&root, 5, "tickets/004/SD-5.ini");
	put_ticket(&root, 4001, NULL);
	put(&root, "tickets/004/SD-4002.ini", "[ticket]\nid = SD-4003\n", 0);
	put(&root, "tickets/004/SD-4003.ini", "x", GIT_FILEMODE_LINK);
	put(&root, "tickets/004/notes.txt", "x", 0);
	put_ticket(&root, 4004, "tickets/004/sub/SD-4004.ini");
	put_ticket(&root, 7, "tickets/0007/SD-7.ini");
	put_ticket(&root, 8, "tickets/SD-8.ini");
	put(&root, "tickets/README", "x", 0);
	put(&root, "tickets/006", "x", 0);
	assert_int_equal(git_tree_lookup(&t, repo, &root), 0);
	assert_int_equal(sd__layout_check_tree(repo, t, "SD", 0, collect, &got), 15);
	assert_string_equal(got,
	    "agents.ini|0|a symbolic link\n"
	    "hooks|0|hooks/ is each machine's own, never in the store's history\n"
	    "kb/vpn.md|0|not an article's name (KB-N.txt)\n"
	    "notes.txt|0|not part of a store's layout\n"
	    "tickets/0007|0|not a shard (NNN: the ticket number / 1000, zero-padded to 3 digits)\n"
	    "tickets/004/SD-4002.ini|2|id 'SD-4003' does not match the file name\n"
	    "tickets/004/SD-4003.ini|0|a symbolic link\n"
	    "tickets/004/SD-5.ini|0|not in its shard (belongs in tickets/000/)\n"
	    "tickets/004/notes.txt|0|not a ticket file name (SD-N.ini)\n"
	    "tickets/004/sub|0|not a regular file\n"
	    "tickets/005|0|an empty shard\n"
	    "tickets/006|0|not a directory\n"
	    "tickets/999|0|an empty shard\n"
	    "tickets/README|0|not part of a store's layout\n"
	    "tickets/SD-8.ini|0|not in its shard (belongs in tickets/000/)\n");
	free(got);
	got = NULL;

	/* Without the ids; stopped at the first. */
	assert_int_equal(sd__layout_check_tree(repo, t, "SD", SD_LAYOUT_NO_IDS, collect, &got), 14);
	assert_null(strstr(got, "SD-4002"));
	free(got);
	got = NULL;
	assert_int_equal(sd__layout_check_tree(repo, t, "SD", 0, first, &got), 1);
	assert_string_equal(got, "agents.ini|0|a symbolic link\n");
	free(got);
	got = NULL;

	/* A subtree, where it sits. */
	assert_int_equal(git_tree_entry_bypath(&e, t, "tickets/004"), 0);
	assert_int_equal(git_tree_lookup(&sub, repo, git_tree_entry_id(e)), 0);
	assert_int_equal(sd__layout_check_dir(repo, sub, "tickets/004", "SD", 0, collect, &got), 5);
	assert_string_equal(got,
	    "tickets/004/SD-4002.ini|2|id 'SD-4003' does not match the file name\n"
	    "tickets/004/SD-4003.ini|0|a symbolic link\n"
	    "tickets/004/SD-5.ini|0|not in its shard (belongs in tickets/000/)\n"
	    "tickets/004/notes.txt|0|not a ticket file name (SD-N.ini)\n"
	    "tickets/004/sub|0|not a regular file\n");
	free(got);
	got = NULL;
	assert_int_equal(sd__layout_check_dir(repo, sub, "tickets/0004", "SD", 0, collect, &got), 1);
	assert_string_equal(got,
	    "tickets/0004|0|not a shard (NNN: the ticket number / 1000, zero-padded to 3 digits)\n");
	free(got);
	got = NULL;
	assert_int_equal(sd__layout_check_dir(repo, sub, "docs", "SD", 0, collect, &got), 1);
	assert_string_equal(got, "docs|0|not part of a store's layout\n");
	free(got);
	got = NULL;
	git_tree_entry_free(e);
	git_tree_free(sub);
	assert_int_equal(git_tree_entry_bypath(&e, t, "tickets/999"), 0);
	assert_int_equal(git_tree_lookup(&sub, repo, git_tree_entry_id(e)), 0);
	assert_int_equal(sd__layout_check_dir(repo, sub, "tickets/999", "SD", 0, collect, &got), 1);
	assert_string_equal(got, "tickets/999|0|an empty shard\n");
	free(got);
	git_tree_entry_free(e);
	git_tree_free(sub);
	git_tree_free(t);

	/* tickets/ a file. */
	memset(&root, 0, sizeof(root));
	put(&root, "sd.ini", "", 0);
	put(&root, "tickets", "", 0);
	got = NULL;
	assert_int_equal(git_tree_lookup(&t, repo, &root), 0);
	assert_int_equal(sd__layout_check_tree(repo, t, "SD", 0, collect, &got), 1);
	assert_string_equal(got, "tickets|0|not a directory\n");
	free(got);
	git_tree_free(t);
}

static void
test_next_boundaries(void **state)
{
	git_oid root;

	(void)state;
	memset(&root, 0, sizeof(root));
	put(&root, "sd.ini", "", 0);
	next_is(&root, 1);                      /* no tickets/ */
	put_empty(&root, "tickets/000");
	next_is(&root, 1);                      /* an empty shard alone */
	put_ticket(&root, 1, NULL);
	next_is(&root, 2);
	put_ticket(&root, 998, NULL);
	next_is(&root, 999);                    /* a gap is kept: max + 1 */
	put_ticket(&root, 999, NULL);
	next_is(&root, 1000);
	put_ticket(&root, 1000, NULL);
	next_is(&root, 1001);
	put_ticket(&root, 1999, NULL);
	next_is(&root, 2000);
	put_ticket(&root, 2000, NULL);
	next_is(&root, 2001);

	/* "1000" sorts before "999" as text: numbers, not names. */
	memset(&root, 0, sizeof(root));
	put_ticket(&root, 999998, NULL);
	put_ticket(&root, 999999, NULL);
	next_is(&root, 1000000);
	put_ticket(&root, 1000000, NULL);
	next_is(&root, 1000001);
	put_ticket(&root, 10000000, NULL);
	next_is(&root, 10000001);
	put_ticket(&root, 999999999999998L, NULL);
	next_is(&root, 999999999999999L);
}

static void
test_next_empty_shards(void **state)
{
	git_oid root;

	(void)state;
	memset(&root, 0, sizeof(root));
	put_ticket(&root, 1, NULL);
	put_ticket(&root, 2, NULL);
	put_empty(&root, "tickets/999");
	next_is(&root, 3);
	put_empty(&root, "tickets/001");
	put_empty(&root, "tickets/1000");
	next_is(&root, 3);
	put_ticket(&root, 1500, NULL);
	next_is(&root, 1501);
}

/* A tree that breaks the layout where the next number is looked for:
 * refused, with the path. */
static void
refused(const git_oid *root, const char *msg)
{
	long n = 7;

	assert_fails(next_of(&n, root), SD_EINVALID, msg);
	assert_int_equal(n, 0);
}

static void
test_next_refused(void **state)
{
	/* Each put on the same base: an empty shard (when named), then ticket n
	 * at path, or a file with data and mode. */
	static const struct {
		const char *empty;
		long n;
		const char *path, *data;
		git_filemode_t mode;
		const char *msg;
	} cases[] = {
		/* In the last shard, a ticket that belongs elsewhere: below... */
		{ NULL, 5, "tickets/001/SD-5.ini", NULL, 0,
		  "tickets/001/SD-5.ini: not in its shard (belongs in tickets/000/); run sd-fsck" },
		/* ... or above. */
		{ NULL, 2500, "tickets/001/SD-2500.ini", NULL, 0,
		  "tickets/001/SD-2500.ini: not in its shard (belongs in tickets/002/); run sd-fsck" },
		/* In the shard below, one that belongs in the last one. */
		{ NULL, 1002, "tickets/000/SD-1002.ini", NULL, 0,
		  "tickets/000/SD-1002.ini: not in its shard (belongs in tickets/001/); run sd-fsck" },
		/* The last non-empty one, under an empty one. */
		{ "tickets/002", 3, "tickets/001/SD-3.ini", NULL, 0,
		  "tickets/001/SD-3.ini: not in its shard (belongs in tickets/000/); run sd-fsck" },
		/* A file that is no ticket, a symbolic link, a directory. */
		{ NULL, 0, "tickets/001/notes.txt", "x", 0,
		  "tickets/001/notes.txt: not a ticket file name (SD-N.ini); run sd-fsck" },
		{ NULL, 0, "tickets/001/SD-1002.ini", "tickets/000/SD-1.ini", GIT_FILEMODE_LINK,
		  "tickets/001/SD-1002.ini: a symbolic link; run sd-fsck" },
		{ NULL, 1002, "tickets/001/x/SD-1002.ini", NULL, 0,
		  "tickets/001/x: not a regular file; run sd-fsck" },
		/* Anything in tickets/ but shards. */
		{ NULL, 1500, "tickets/0001/SD-1500.ini", NULL, 0,
		  "tickets/0001: not a shard (NNN: the ticket number / 1000, zero-padded to 3 digits); run sd-fsck" },
		{ NULL, 1500, "tickets/SD-1500.ini", NULL, 0,
		  "tickets/SD-1500.ini: not in its shard (belongs in tickets/001/); run sd-fsck" },
		{ NULL, 0, "tickets/002", "x", 0, "tickets/002: not a directory; run sd-fsck" },
		{ NULL, 0, "tickets/README", "x", 0,
		  "tickets/README: not part of a store's layout; run sd-fsck" },
	};
	git_oid base, root;

	(void)state;
	memset(&base, 0, sizeof(base));
	put_ticket(&base, 1, NULL);
	put_ticket(&base, 2, NULL);
	put_ticket(&base, 1000, NULL);
	put_ticket(&base, 1001, NULL);
	next_is(&base, 1002);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		root = base;
		if (cases[i].empty)
			put_empty(&root, cases[i].empty);
		if (cases[i].data)
			put(&root, cases[i].path, cases[i].data, cases[i].mode);
		else
			put_ticket(&root, cases[i].n, cases[i].path);
		refused(&root, cases[i].msg);
	}
	memset(&root, 0, sizeof(root));
	put(&root, "tickets", "x", 0);
	refused(&root, "tickets: not a directory; run sd-fsck");

	/* Further down, a misplaced ticket is sd-fsck's to find. */
	root = base;
	put_ticket(&root, 2000, NULL);
	put_ticket(&root, 1500, "tickets/000/SD-1500.ini");
	next_is(&root, 2001);
}

/* The largest number in ranges of the tree root. */
static long
max_in(const git_oid *root, const long (*ranges)[2], size_t n)
{
	git_tree *t = NULL;
	long max = -1;

	assert_int_equal(git_tree_lookup(&t, repo, root), 0);
	assert_ok(sd__layout_max_in(&max, repo, t, "SD", ranges, n));
	git_tree_free(t);
	return max;
}

/* The next number at site (NULL: the hub), and the numbers it has left. */
static void
site_next_is(const git_oid *root, const char *site, long want, long left_want)
{
	git_tree *t = NULL;
	long n = -1, left = -1;

	assert_int_equal(git_tree_lookup(&t, repo, root), 0);
	assert_ok(sd__sites_next(&n, repo, t, "SD", site));
	assert_int_equal(n, want);
	if (site) {
		assert_ok(sd__sites_left(&left, repo, t, "SD", site));
		assert_int_equal(left, left_want);
	}
	git_tree_free(t);
}

/* Numbers from leases (lib/sync_lease.c) over hand-built trees. */
static void
test_sites_numbers(void **state)
{
	static const long bog[2][2] = { { 11, 20 }, { 31, 40 } }, lim[1][2] = { { 21, 30 } };
	static const long edge[1][2] = { { 999, 1001 } };
	static const long over[1][2] = { { 1000000001, 1999999999 } };
	git_oid root;
	git_tree *t = NULL;
	long n;

	(void)state;
	memset(&root, 0, sizeof(root));
	put(&root, "sites.ini", "[site bog]\nnumber = 1\nblocks = 11-20, 31-40\n\n"
	    "[site lim]\nnumber = 2\nblocks = 21-30\n", 0);
	assert_int_equal(max_in(&root, bog, 2), 0);     /* no tickets/ */
	site_next_is(&root, "bog", 11, 20);
	site_next_is(&root, NULL, 41, 0);
	put_ticket(&root, 1, NULL);
	put_ticket(&root, 5, NULL);
	put_ticket(&root, 11, NULL);
	put_ticket(&root, 12, NULL);
	put_ticket(&root, 25, NULL);
	assert_int_equal(max_in(&root, bog, 2), 12);
	assert_int_equal(max_in(&root, lim, 1), 25);
	site_next_is(&root, "bog", 13, 18);
	site_next_is(&root, "lim", 26, 5);
	site_next_is(&root, NULL, 41, 0);
	/* Its first block used up: the first of the next. */
	put_ticket(&root, 20, NULL);
	site_next_is(&root, "bog", 31, 10);
	/* A gap is never filled. */
	put_ticket(&root, 33, NULL);
	site_next_is(&root, "bog", 34, 7);
	/* Every block used up: the overflow range. */
	put_ticket(&root, 40, NULL);
	site_next_is(&root, "bog", 1000000001, 0);
	put_ticket(&root, 1000000001, NULL);
	assert_int_equal(max_in(&root, over, 1), 1000000001);
	site_next_is(&root, "bog", 1000000002, 0);
	site_next_is(&root, "lim", 26, 5);
	/* The hub: above every number below 10^9, overflow ones aside. */
	site_next_is(&root, NULL, 41, 0);
	put_ticket(&root, 50, NULL);
	site_next_is(&root, NULL, 51, 0);
	/* A site sites.ini does not know. */
	assert_int_equal(git_tree_lookup(&t, repo, &root), 0);
	assert_fails(sd__sites_next(&n, repo, t, "SD", "mex"), SD_EBUSY,
	    "this site has no block of numbers yet: run sd-sync --lease");
	git_tree_free(t);
	/* A site with a number and no block yet: its overflow range. */
	put(&root, "sites.ini", "[site bog]\nnumber = 1\nblocks = 11-20, 31-40\n\n"
	    "[site lim]\nnumber = 2\nblocks = 21-30\n\n[site mex]\nnumber = 3\nblocks =\n", 0);
	site_next_is(&root, "mex", 3000000001, 0);
	site_next_is(&root, "bog", 1000000002, 0);
	/* Shard edges: 999 in 000, 1000 and 1001 in 001. */
	put_ticket(&root, 998, NULL);
	put_ticket(&root, 1002, NULL);
	assert_int_equal(max_in(&root, edge, 1), 0);
	put_ticket(&root, 999, NULL);
	assert_int_equal(max_in(&root, edge, 1), 999);
	put_ticket(&root, 1000, NULL);
	assert_int_equal(max_in(&root, edge, 1), 1000);
}

/* Against a reference: random tickets in their shards and random empty
 * shards, the next number is the largest + 1. */
static void
test_next_property(void **state)
{
	struct unit_rng rng;

	(void)state;
	unit_rng_init(&rng);
	for (int round = 0; round < 40; round++) {
		git_oid root;
		long max = 0, span = 1 + (long)unit_below(&rng, 20000);
		char has[24] = { 0 };
		int count = (int)unit_below(&rng, 12);

		memset(&root, 0, sizeof(root));
		put(&root, "sd.ini", "", 0);
		for (int i = 0; i < count; i++) {
			long n = 1 + (long)unit_below(&rng, (uint64_t)span);
			put_ticket(&root, n, NULL);
			has[n / 1000] = 1;
			if (n > max)
				max = n;
		}
		/* Empty shards where no ticket is. */
		for (int i = (int)unit_below(&rng, 4); i > 0; i--) {
			char shard[SD_ID_MAX], path[64];
			long k = (long)unit_below(&rng, sizeof(has));
			sd_id_shard(shard, k * 1000);
			snprintf(path, sizeof(path), "tickets/%s", shard);
			if (!has[k])
				put_empty(&root, path);
		}
		{
			long n = -1;
			if (next_of(&n, &root) < 0 || n != max + 1)
				unit_fail(&rng, "round %d: next %ld, want %ld (%s)", round, n, max + 1,
				    sd_error_message());
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shard),
		cmocka_unit_test(test_ticket_path),
		cmocka_unit_test(test_ticket_path_agrees),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_ticket_id),
		cmocka_unit_test(test_check_tree),
		cmocka_unit_test(test_next_boundaries),
		cmocka_unit_test(test_next_empty_shards),
		cmocka_unit_test(test_next_refused),
		cmocka_unit_test(test_next_property),
		cmocka_unit_test(test_sites_numbers),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, setup, teardown);
}
