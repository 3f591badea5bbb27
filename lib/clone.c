/*
 * A clone not yet a store: a git clone of a store that has no files
 * (git clone --no-checkout, or a bare clone into DIR/.git) or whose
 * directory is the repository itself (git clone --bare URL DIR).  Found
 * where sd-fsck looked for a store, and laid out as one for --repair:
 * the repository as DIR/.git, HEAD's sd.ini written, so that the store
 * opens; the rest of the files are then written out from HEAD.  A
 * partial clone (git clone --filter) has its blobs fetched first, all at
 * once.
 */
#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/shell.h"

/* A bare clone's entries are moved here first, then it is renamed .git:
 * a move killed halfway is taken up again by the next run. */
#define MOVING ".sd-bare"

/* Does the repository at git have a HEAD whose tree holds sd.ini (the
 * blob itself may still be at a partial clone's remote)? */
static int
holds_store(const char *git)
{
	git_repository *repo = NULL;
	git_object *o = NULL;
	git_tree_entry *e = NULL;
	int ok;

	git_libgit2_init();
	ok = git_repository_open_ext(&repo, git, GIT_REPOSITORY_OPEN_NO_SEARCH |
	    GIT_REPOSITORY_OPEN_BARE, NULL) == 0 &&
	    git_revparse_single(&o, repo, "HEAD^{tree}") == 0 &&
	    git_tree_entry_bypath(&e, (git_tree *)o, "sd.ini") == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB;
	git_tree_entry_free(e);
	git_object_free(o);
	git_repository_free(repo);
	git_error_clear();
	git_libgit2_shutdown();
	return ok;
}

static int
exists(const char *root, const char *rel)
{
	char *p = sd__path(root, rel);
	struct stat st;
	int ok = p && lstat(p, &st) == 0;

	free(p);
	return ok;
}

int
sd__clone_find(char **root, const char *dir, int *kind)
{
	const char *d;
	char *git = NULL;
	int bound;

	*root = NULL;
	*kind = SD_CLONE_NONE;
	if (!(d = sd__store_start(dir, &bound)))
		d = ".";
	else if (bound)
		return 0;
	if (!(*root = realpath(d, NULL)) || exists(*root, "sd.ini"))
		goto none;
	if (!(git = sd__path(*root, ".git")))
		goto none;
	if (exists(*root, ".git")) {
		if (holds_store(git))
			*kind = SD_CLONE_NO_FILES;
	} else if (exists(*root, MOVING) || holds_store(*root)) {
		*kind = SD_CLONE_BARE;
	}
	free(git);
	if (*kind != SD_CLONE_NONE)
		return 0;
none:
	free(*root);
	*root = NULL;
	return 0;
}

/* Every entry of root moved into root/.git: the repository where a
 * store keeps it. */
static int
move_into_git(const char *root)
{
	char *moving = sd__path(root, MOVING), *git = sd__path(root, ".git");
	struct dirent *de;
	DIR *d = NULL;
	int rc = 0;

	if (!moving || !git) {
		rc = sd__oom();
		goto out;
	}
	if (mkdir(moving, 0777) < 0 && errno != EEXIST) {
		rc = sd_error_set(SD_EIO, "%s: %s", moving, strerror(errno));
		goto out;
	}
	if (!(d = opendir(root))) {
		rc = sd_error_set(SD_EIO, "%s: %s", root, strerror(errno));
		goto out;
	}
	while (rc == 0 && (de = readdir(d))) {
		char *from, *to;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, MOVING))
			continue;
		from = sd__path(root, de->d_name);
		to = sd__path(moving, de->d_name);
		if (!from || !to)
			rc = sd__oom();
		else if (rename(from, to) < 0)
			rc = sd_error_set(SD_EIO, "%s: %s", from, strerror(errno));
		free(from);
		free(to);
	}
	if (rc == 0 && rename(moving, git) < 0)
		rc = sd_error_set(SD_EIO, "%s: %s", git, strerror(errno));
out:
	if (d)
		closedir(d);
	free(moving);
	free(git);
	return rc;
}

/* A remote that promises the objects a partial clone lacks
 * (remote.NAME.promisor true): nonzero stops the walk.  Matched here, not
 * by git_config_foreach_match, whose regex libgit2 leaks when a callback
 * stops it. */
static int
promisor(const git_config_entry *e, void *arg)
{
	size_t n = strlen(e->name);
	int v = 0;

	(void)arg;
	return !strncmp(e->name, "remote.", 7) && n > 16 &&
	    !strcmp(e->name + n - 9, ".promisor") &&
	    git_config_parse_bool(&v, e->value) == 0 && v;
}

/* A partial clone's blobs of HEAD, fetched from its remote in one go:
 * git fetches every blob a diff of the empty tree against HEAD needs at
 * once, before the diff (which goes nowhere). */
static int
fetch_blobs(const char *git)
{
	const char *argv[] = { "git", "--git-dir", git, "diff", "--numstat", "--no-renames",
	    "--no-ext-diff", "--no-textconv", "--output=/dev/null",
	    "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "HEAD", "--", NULL };
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_buf v = GIT_BUF_INIT;
	int partial, status;

	/* A remote.NAME.promisor (git 2.39 sets no extensions.partialClone). */
	partial = git_repository_open_ext(&repo, git, GIT_REPOSITORY_OPEN_NO_SEARCH |
	    GIT_REPOSITORY_OPEN_BARE, NULL) == 0 && git_repository_config_snapshot(&cfg, repo) == 0 &&
	    ((git_config_get_string_buf(&v, cfg, "extensions.partialclone") == 0 && v.size > 0) ||
	    git_config_foreach(cfg, promisor, NULL) != 0);
	git_buf_dispose(&v);
	git_config_free(cfg);
	git_repository_free(repo);
	git_error_clear();
	/* The whole of HEAD: as long as the transfer of a clone. */
	return partial ? sd__git_run(argv, 3600, &status) : 0;
}

int
sd__clone_make(const char *root, int kind)
{
	git_repository *repo = NULL;
	git_object *o = NULL;
	char *git = NULL;
	int rc = 0;

	if (kind == SD_CLONE_BARE && (rc = move_into_git(root)) < 0)
		return rc;
	if (!(git = sd__path(root, ".git")))
		return sd__oom();
	git_libgit2_init();
	if ((rc = fetch_blobs(git)) == 0 &&
	    (git_repository_open_ext(&repo, git, GIT_REPOSITORY_OPEN_NO_SEARCH |
	    GIT_REPOSITORY_OPEN_BARE, NULL) < 0 ||
	    git_revparse_single(&o, repo, "HEAD:sd.ini") < 0 ||
	    git_object_type(o) != GIT_OBJECT_BLOB))
		rc = sd__git_error("HEAD:sd.ini");
	else if (rc == 0)
		rc = sd__root_write(root, 0, "sd.ini", git_blob_rawcontent((git_blob *)o),
		    (size_t)git_blob_rawsize((git_blob *)o), 0644);
	git_object_free(o);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(git);
	return rc;
}
