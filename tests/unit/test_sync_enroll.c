/*
 * lib/sync_enroll.c: a site made from a hub on a local path: the files
 * HEAD's byte for byte, the site's git config and marker, and every
 * failure leaving nothing behind.
 */
#include <errno.h>
#include <ftw.h>
#include <git2.h>
#include <sys/stat.h>

#include "unit.h"
#include "internal.h"
#include "store_internal.h"
#include "sync_internal.h"

static char top[] = "/tmp/sd-unit-enroll.XXXXXX";
static char hub[600];
static size_t disk_files;       /* regular files under a site, .git/ aside */

static void
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* sh -c cmd in top, quietly; fail unless it exits 0. */
static void
sh(const char *fmt, ...)
{
	char cmd[3000], full[3300];
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
	static const char *const texts[4] = {
		UNIT_SD_INI, UNIT_SLA_INI, UNIT_AGENTS_INI, UNIT_ESCALATION_INI
	};

	(void)state;
	if (!mkdtemp(top))
		return -1;
	unsetenv("SD_SHELL_STORE");
	unsetenv("SD_STORE");
	snprintf(hub, sizeof(hub), "%s/hub", top);
	if (sd_store_init(hub, texts, NULL, NULL, 1795000000) < 0)
		return -1;
	/* The hub's HEAD gains files in two shards, an executable one, one
	 * with no final newline, and a hooks/ file and a hidden one, which a
	 * site never writes out. */
	sh("export GIT_DIR=hub/.git GIT_INDEX_FILE=$PWD/index && git read-tree HEAD && "
	    "add() { h=$(printf \"$3\" | git hash-object -w --stdin) && "
	    "git update-index --add --cacheinfo $1,$h,$2; } && "
	    "add 100644 tickets/000/SD-1.ini 'id = SD-1\\none\\n' && "
	    "add 100644 tickets/000/SD-2.ini 'id = SD-2\\ntwo' && "
	    "add 100644 tickets/001/SD-1000.ini 'id = SD-1000\\n' && "
	    "add 100755 kb/run.sh '#!/bin/sh\\n' && "
	    "add 100755 hooks/post-new 'exit 0\\n' && "
	    "add 100644 .hidden 'x\\n' && "
	    "t=$(git write-tree) && c=$(git -c user.name=a -c user.email=a@example.org "
	    "commit-tree -p HEAD -m files $t) && git update-ref HEAD $c && rm -f $PWD/index");
	return 0;
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static int
teardown(void **state)
{
	(void)state;
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static char *
at(const char *rel)
{
	static char path[2][700];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "%s/%s", top, rel);
	return path[k];
}

static int
count_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)f;
	if (flag == FTW_F && S_ISREG(st->st_mode) && !strstr(p, "/.git/"))
		disk_files++;
	return 0;
}

/* Each file HEAD's tree has and sd writes: on disk, byte for byte, with
 * its mode; and no other file.  The files counted. */
static size_t
same_as_head(const char *site)
{
	char root[700], *gitdir;
	git_repository *repo = NULL;
	git_object *o = NULL;
	git_tree *tree = NULL;
	size_t written = 0;
	git_oid head;
	char marker[GIT_OID_HEXSZ + 2], *data = NULL;
	size_t len;

	snprintf(root, sizeof(root), "%s/%s", top, site);
	gitdir = sd__path(root, ".git");
	assert_int_equal(git_repository_open_bare(&repo, gitdir), 0);
	assert_int_equal(git_revparse_single(&o, repo, "HEAD^{tree}"), 0);
	tree = (git_tree *)o;
	/* The same HEAD as the hub's. */
	{
		git_repository *h = NULL;
		git_oid hh;
		char hubgit[700];
		snprintf(hubgit, sizeof(hubgit), "%s/.git", hub);
		assert_int_equal(git_repository_open_bare(&h, hubgit), 0);
		assert_int_equal(git_reference_name_to_id(&hh, h, "HEAD"), 0);
		assert_int_equal(git_reference_name_to_id(&head, repo, "HEAD"), 0);
		assert_true(git_oid_equal(&hh, &head));
		git_repository_free(h);
	}
	{
		git_tree_entry *e = NULL;
		static const char *paths[] = {
			"sd.ini", "sla.ini", "agents.ini", "escalation.ini",
			"tickets/000/SD-1.ini", "tickets/000/SD-2.ini", "tickets/001/SD-1000.ini",
			"kb/run.sh"
		};
		for (size_t i = 0; i < SD_ARRAY_SIZE(paths); i++) {
			git_blob *b = NULL;
			struct stat st;
			char *path = sd__path(root, paths[i]);

			assert_int_equal(git_tree_entry_bypath(&e, tree, paths[i]), 0);
			assert_int_equal(git_blob_lookup(&b, repo, git_tree_entry_id(e)), 0);
			assert_ok(sd__read_file(&data, &len, path));
			assert_int_equal(len, (size_t)git_blob_rawsize(b));
			assert_memory_equal(data, git_blob_rawcontent(b), len);
			assert_int_equal(stat(path, &st), 0);
			assert_int_equal(st.st_mode & 0111 ? GIT_FILEMODE_BLOB_EXECUTABLE :
			    GIT_FILEMODE_BLOB, git_tree_entry_filemode(e));
			free(data);
			free(path);
			git_blob_free(b);
			git_tree_entry_free(e);
			written++;
		}
	}
	/* Not written: hooks/ (each machine's own) and hidden files. */
	{
		char p[800];
		snprintf(p, sizeof(p), "%s/.hidden", root);
		assert_int_equal(access(p, F_OK), -1);
		snprintf(p, sizeof(p), "%s/hooks", root);
		assert_int_equal(access(p, F_OK), -1);
	}
	disk_files = 0;
	assert_int_equal(nftw(root, count_one, 16, FTW_PHYS), 0);
	assert_int_equal(disk_files, written);
	/* The marker: the files are HEAD's. */
	{
		char p[800];
		snprintf(p, sizeof(p), "%s/.git/sd-head", root);
		assert_ok(sd__read_file(&data, &len, p));
	}
	git_oid_tostr(marker, sizeof(marker), &head);
	strcat(marker, "\n");
	assert_string_equal(data, marker);
	free(data);
	/* refs/sd/hub: the hub's head as of the clone. */
	{
		git_oid hubref;
		assert_int_equal(git_reference_name_to_id(&hubref, repo, "refs/sd/hub"), 0);
		assert_true(git_oid_equal(&hubref, &head));
	}
	git_object_free(o);
	git_repository_free(repo);
	free(gitdir);
	return written;
}

static void
enroll_local(void **state)
{
	struct sd_store *s = NULL;
	char name[SD_SITE_MAX], *url = NULL;
	git_config *cfg = NULL;
	int v = 0;

	(void)state;
	assert_ok(sd_sync_enroll(hub, at("site"), "bog", NULL));
	assert_int_equal(same_as_head("site"), 8);
	/* A store, opened as any (its files in step), and a site of the hub. */
	assert_ok(sd_store_open(&s, at("site"), 0));
	assert_int_equal(sd_store_site(s, name), 1);
	assert_string_equal(name, "bog");
	assert_ok(sd_store_hub_url(s, &url));
	assert_string_equal(url, hub);
	free(url);
	assert_int_equal(git_repository_config_snapshot(&cfg, s->repo), 0);
	assert_int_equal(git_config_get_bool(&v, cfg, "core.bare"), 0);
	assert_int_equal(v, 1);
	assert_int_equal(git_config_get_bool(&v, cfg, "transfer.fsckObjects"), 0);
	assert_int_equal(v, 1);
	assert_int_equal(git_config_get_bool(&v, cfg, "gc.packRefs"), 0);
	assert_int_equal(v, 0);
	git_config_free(cfg);
	sd_store_free(s);
	/* No index, no temporary file left. */
	assert_int_equal(access(at("site/.git/index"), F_OK), -1);
	assert_int_equal(rmdir(at("site/.git/sd-tmp")) == 0 || errno == ENOENT, 1);
}

/* A relative path to the hub, into an empty directory that exists, by
 * the longest name: sd.hub is the hub's absolute path. */
static void
enroll_relative(void **state)
{
	struct sd_store *s = NULL;
	char name[SD_SITE_MAX], *url = NULL, cwd[700];

	(void)state;
	assert_int_equal(mkdir(at("site2"), 0777), 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(top), 0);
	assert_ok(sd_sync_enroll("hub", "site2", "abcdefghijklmnopqrstuvwxyz-01234", NULL));
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(same_as_head("site2"), 8);
	assert_ok(sd_store_open(&s, at("site2"), 0));
	assert_int_equal(sd_store_site(s, name), 1);
	assert_string_equal(name, "abcdefghijklmnopqrstuvwxyz-01234");
	assert_ok(sd_store_hub_url(s, &url));
	assert_string_equal(url, hub);
	free(url);
	sd_store_free(s);
}

static int
is_empty_dir(const char *path)
{
	char cmd[800];

	snprintf(cmd, sizeof(cmd), "test -d '%s' && test -z \"$(ls -A '%s')\"", path, path);
	return system(cmd) == 0;
}

static void
bad_names(void **state)
{
	static const char *names[] = {
		"", "Bog", "a_b", "a b", "bog/x", "..", "abcdefghijklmnopqrstuvwxyz-012345"
	};

	(void)state;
	for (size_t i = 0; i < SD_ARRAY_SIZE(names); i++) {
		char want[200];
		snprintf(want, sizeof(want), "--site: '%s' is not a site's name (lowercase "
		    "letters, digits and '-', 32 at most)", names[i]);
		assert_fails(sd_sync_enroll(hub, at("bad"), names[i], NULL), SD_EUSAGE, want);
		assert_int_equal(access(at("bad"), F_OK), -1);
	}
	assert_fails(sd_sync_enroll("", at("bad"), "bog", NULL), SD_EUSAGE,
	    "the hub's URL is empty");
	assert_int_equal(access(at("bad"), F_OK), -1);
}

static void
existing_dir(void **state)
{
	char want[800], *data = NULL;
	size_t len;

	(void)state;
	sh("mkdir full && echo keep >full/file && echo plain >afile");
	snprintf(want, sizeof(want), "%s: not empty; a site is made in a new or empty directory",
	    at("full"));
	assert_fails(sd_sync_enroll(hub, at("full"), "bog", NULL), SD_EEXISTS, want);
	assert_ok(sd__read_file(&data, &len, at("full/file")));
	assert_string_equal(data, "keep\n");
	free(data);
	assert_int_equal(access(at("full/.git"), F_OK), -1);
	snprintf(want, sizeof(want), "%s: exists and is not a directory; a site is made in a "
	    "new or empty directory", at("afile"));
	assert_fails(sd_sync_enroll(hub, at("afile"), "bog", NULL), SD_EEXISTS, want);
	assert_ok(sd__read_file(&data, &len, at("afile")));
	assert_string_equal(data, "plain\n");
	free(data);
	/* A parent that is missing: cannot be made. */
	assert_int_equal(sd_sync_enroll(hub, at("no/such"), "bog", NULL), SD_EEXISTS);
	assert_int_equal(access(at("no"), F_OK), -1);
}

static void
bad_url(void **state)
{
	(void)state;
	/* Nothing there: git's complaint, 74, and no directory. */
	assert_int_equal(sd_sync_enroll(at("nothing"), at("gone"), "bog", NULL), SD_EIO);
	assert_non_null(strstr(sd_error_message(), at("nothing")));
	assert_non_null(strstr(sd_error_message(), "does not exist"));
	assert_int_equal(access(at("gone"), F_OK), -1);
	/* Into an empty directory: left empty, not removed. */
	assert_int_equal(mkdir(at("empty"), 0777), 0);
	assert_int_equal(sd_sync_enroll(at("nothing"), at("empty"), "bog", NULL), SD_EIO);
	assert_true(is_empty_dir(at("empty")));
	/* A URL git cannot reach. */
	assert_int_equal(sd_sync_enroll("file:///nonexistent/hub", at("gone"), "bog", NULL),
	    SD_EIO);
	assert_int_equal(access(at("gone"), F_OK), -1);
	/* A repository that is no store: 66, nothing left. */
	sh("git init -q other && echo x >other/f && git -C other add f && "
	    "git -C other -c user.name=a -c user.email=a@example.org commit -qm x");
	assert_int_equal(sd_sync_enroll(at("other"), at("empty"), "bog", NULL), SD_ENOTFOUND);
	assert_non_null(strstr(sd_error_message(), "not a store's repository (its HEAD has no "
	    "sd.ini)"));
	assert_true(is_empty_dir(at("empty")));
	/* An empty repository: no store either. */
	sh("git init -q --bare void.git");
	assert_int_equal(sd_sync_enroll(at("void.git"), at("gone"), "bog", NULL), SD_ENOTFOUND);
	assert_int_equal(access(at("gone"), F_OK), -1);
}

/* A whole tree written on two threads: a failure on a worker comes back
 * with its message, nothing is written through a link, and the marker
 * is not moved; once the way is clear the files are HEAD's again. */
static void
checkout_on_threads(void **state)
{
	struct sd_store *s = NULL;
	git_oid head;

	(void)state;
	setenv("SD_THREADS", "2", 1);
	sh("mkdir out && rm -r site/tickets/001 site/.git/sd-head && "
	    "ln -s ../../out site/tickets/001 && echo changed >site/tickets/000/SD-1.ini");
	assert_ok(sd_store_open(&s, at("site"), SD_OPEN_NO_SYNC | SD_OPEN_NO_CONFIG));
	assert_ok(sd__store_lock_only(s));
	assert_ok(sd__head(s, &head));
	assert_int_equal(sd__checkout(s, NULL, &head), SD_EINVALID);
	assert_non_null(strstr(sd_error_message(), "tickets/001: a symbolic link"));
	{
		char cmd[800];
		snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", at("out"));
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(access(at("site/.git/sd-head"), F_OK), -1);
	assert_int_equal(unlink(at("site/tickets/001")), 0);
	assert_ok(sd__checkout(s, NULL, &head));
	sd_store_free(s);
	unsetenv("SD_THREADS");
	assert_int_equal(same_as_head("site"), 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enroll_local),
		cmocka_unit_test(enroll_relative),
		cmocka_unit_test(checkout_on_threads),
		cmocka_unit_test(bad_names),
		cmocka_unit_test(existing_dir),
		cmocka_unit_test(bad_url),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
