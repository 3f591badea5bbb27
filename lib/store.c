/*
 * Opening a store and keeping it: finding it, its repository, its lock,
 * and its files in step with HEAD (the marker .git/sd-head, the checkout
 * of what changed); one ticket's next number and git's upkeep.
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "layout.h"
#include "store_internal.h"
#include "sd/store.h"

#define MARKER "sd-head"        /* in .git: the commit the files equal */
#define LOCKFILE "sd.lock"      /* in .git: flock(2)ed while changing */

int
sd__git_error(const char *what)
{
	const git_error *e = git_error_last();

	return sd_error_set(SD_EIO, "%s: %s", what, e && e->message ? e->message : _("git failure"));
}

/*
 * Debian's libgit2 is built with mbedTLS, and git_libgit2_init() parses
 * every CA certificate of the system before it returns: some 50 million
 * instructions, 15 to 20 ms, more than a whole change to a store costs.
 * sd never speaks HTTPS through libgit2 (a store is reached by the file
 * system, and git itself does any fetching), so it goes without them: this
 * definition stands in for mbedTLS's when libgit2 loads the certificates.
 * It is an ordinary symbol of the program; with a libgit2 built on another
 * TLS library it is simply never called.
 */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);

int
mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

static void
git_start(void)
{
	static int started;

	if (started)
		return;
	git_libgit2_init();
	/* sd makes objects and refs durable itself, all of a change's at once
	 * (sd__durable): one flush of the journal pays for them all. */
	started = 1;
}

char *
sd__path(const char *root, const char *rel)
{
	struct sd_buf b = SD_BUF_INIT;

	sd_buf__printf(&b, "%s/%s", root, rel);
	return sd_buf__detach(&b);
}

static int
is_store(const char *dir)
{
	char *p = sd__path(dir, "sd.ini");
	struct stat st;
	int ok = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return ok;
}

int
sd_store_find(char **root, const char *dir)
{
	const char *env = getenv("SD_STORE");
	char *cwd, *p;

	*root = NULL;
	if (dir || (env && *env)) {
		const char *d = dir ? dir : env;
		if (!(cwd = realpath(d, NULL)) || !is_store(cwd)) {
			free(cwd);
			return sd_error_set(SD_ENOTFOUND,
			    _("%s: not a store (no sd.ini); make one with sd-init"), d);
		}
		*root = cwd;
		return 0;
	}
	if (!(cwd = getcwd(NULL, 0)))
		return sd_error_set(SD_EIO, "getcwd: %s", strerror(errno));
	for (;;) {
		if (is_store(cwd)) {
			*root = cwd;
			return 0;
		}
		if (!(p = strrchr(cwd, '/')) || p == cwd) {
			if (p == cwd && cwd[1]) {
				cwd[1] = '\0';
				continue;
			}
			break;
		}
		*p = '\0';
	}
	free(cwd);
	return sd_error_set(SD_ENOTFOUND, "%s",
	    _("no store here or above (no sd.ini); make one with sd-init, or name one with -C DIR or SD_STORE"));
}

static int
open_repo(struct sd_store *s)
{
	char *git = sd__path(s->root, ".git");
	int rc = 0;

	git_start();
	if (!git)
		return sd__oom();
	if (git_repository_open_ext(&s->repo, git, GIT_REPOSITORY_OPEN_NO_SEARCH |
	    GIT_REPOSITORY_OPEN_BARE, NULL) < 0)
		rc = sd__git_error(git);
	free(git);
	return rc;
}

static int
fsync_path(const char *path, int dir, int missing_ok)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0)), rc = 0;

	if (fd < 0)
		return missing_ok && errno == ENOENT ? 1 :
		    sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	if (fsync(fd) < 0)
		rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

int
sd__durable(const char *gitdir, const git_oid *ids, size_t n, const char *ref)
{
	char path[4096], hex[GIT_OID_HEXSZ + 1];
	int rc;

	/* The loose objects (a packed one is on disk already), their
	 * directories, and the directory of those. */
	for (size_t i = 0; i < n; i++) {
		git_oid_tostr(hex, sizeof(hex), &ids[i]);
		snprintf(path, sizeof(path), "%s/objects/%.2s/%s", gitdir, hex, hex + 2);
		if ((rc = fsync_path(path, 0, 1)) < 0)
			return rc;
		if (rc == 0) {
			snprintf(path, sizeof(path), "%s/objects/%.2s", gitdir, hex);
			if ((rc = fsync_path(path, 1, 0)) < 0)
				return rc;
		}
	}
	snprintf(path, sizeof(path), "%s/objects", gitdir);
	if (n && (rc = fsync_path(path, 1, 0)) < 0)
		return rc;
	if (ref) {
		char *slash;
		snprintf(path, sizeof(path), "%s/%s", gitdir, ref);
		if ((rc = fsync_path(path, 0, 0)) < 0)
			return rc;
		if ((slash = strrchr(path, '/')))
			*slash = '\0';
		if ((rc = fsync_path(path, 1, 0)) < 0)
			return rc;
	}
	return 0;
}

int
sd__head(struct sd_store *s, git_oid *out)
{
	if (git_reference_name_to_id(out, s->repo, "HEAD") < 0)
		return sd__git_error("HEAD");
	return 0;
}

int
sd__marker_read(struct sd_store *s, git_oid *out)
{
	char *path = sd__path(s->root, ".git/" MARKER), *text = NULL;
	int rc;

	if (!path)
		return sd__oom();
	rc = sd__read_file(&text, NULL, path);
	if (rc == 0 && (strlen(text) < GIT_OID_HEXSZ || git_oid_fromstrn(out, text, GIT_OID_HEXSZ) < 0))
		rc = sd_error_set(SD_EINVALID, _("%s: not a commit id"), path);
	free(text);
	free(path);
	return rc;
}

int
sd__marker_write(struct sd_store *s, const git_oid *oid)
{
	char *path = sd__path(s->root, ".git/" MARKER), *tmp = sd__path(s->root, ".git/" MARKER ".tmp");
	char hex[GIT_OID_HEXSZ + 2];
	int fd = -1, rc = 0;

	if (!path || !tmp) {
		rc = sd__oom();
		goto out;
	}
	git_oid_tostr(hex, sizeof(hex), oid);
	strcat(hex, "\n");
	/* Its data durable, its rename need not be: a mark that comes back
	 * older after a crash only makes the next command sync again. */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0 ||
	    write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) || fsync(fd) < 0 ||
	    close(fd) < 0 || (fd = -1, rename(tmp, path) < 0))
		rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
out:
	free(path);
	free(tmp);
	return rc;
}

/* Paths in the tree that sd writes out: not hooks/, which is the
 * administrator's, nor anything hidden. */
int
sd__path_written(const char *path)
{
	return strncmp(path, "hooks/", 6) != 0 && path[0] != '.' && !strstr(path, "/.");
}

int
sd__write_blob(struct sd_store *s, const char *rel, const git_oid *id, int mode)
{
	git_blob *blob = NULL;
	char *path;
	int rc;

	if (git_blob_lookup(&blob, s->repo, id) < 0)
		return sd__git_error(rel);
	if (!(path = sd__path(s->root, rel))) {
		git_blob_free(blob);
		return sd__oom();
	}
	rc = sd__mkdirs_for(path);
	if (rc == 0)
		rc = sd__write_file(path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
		    mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
	free(path);
	git_blob_free(blob);
	return rc;
}

static int
commit_tree(git_tree **out, struct sd_store *s, const git_oid *commit_id)
{
	git_commit *c = NULL;
	int rc = 0;

	*out = NULL;
	if (git_commit_lookup(&c, s->repo, commit_id) < 0 || git_commit_tree(out, c) < 0)
		rc = sd__git_error(_("reading a commit"));
	git_commit_free(c);
	return rc;
}

static int
remove_file(struct sd_store *s, const char *rel)
{
	char *path = sd__path(s->root, rel);
	int rc = 0;

	if (!path)
		return sd__oom();
	if (unlink(path) < 0 && errno != ENOENT)
		rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	free(path);
	return rc;
}

/* Write out, or remove, what differs between trees a and b (either may be
 * NULL) under prefix.  Subtrees with equal ids are never opened, so the
 * cost is that of what changed, not of the store. */
static int
sync_tree(struct sd_store *s, const char *prefix, git_tree *a, git_tree *b)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	struct sd_buf rel = SD_BUF_INIT;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		const git_tree_entry *e = c <= 0 ? ea : eb;
		git_tree *ta = NULL, *tb = NULL;

		/* Entries in both, alike: nothing to do. */
		if (c == 0 && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
		    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb)) {
			i++, j++;
			continue;
		}
		rel.len = 0;
		sd_buf__printf(&rel, "%s%s", prefix, git_tree_entry_name(e));
		if ((rc = sd_buf__check(&rel)) < 0)
			break;
		if (c <= 0 && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&ta, s->repo, git_tree_entry_id(ea)) < 0)
			rc = sd__git_error(rel.data);
		if (rc == 0 && c >= 0 && git_tree_entry_type(eb) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&tb, s->repo, git_tree_entry_id(eb)) < 0)
			rc = sd__git_error(rel.data);
		/* A file that becomes a directory goes first. */
		if (rc == 0 && tb && !ta && c == 0 && sd__path_written(rel.data))
			rc = remove_file(s, rel.data);
		if (rc == 0 && (ta || tb)) {
			sd_buf__addc(&rel, '/');
			rc = sd_buf__check(&rel);
			if (rc == 0)
				rc = sync_tree(s, rel.data, ta, tb);
			rel.data[--rel.len] = '\0';
			if (rc == 0 && !tb) {
				/* A directory that went: gone, if nothing else is in it. */
				char *path = sd__path(s->root, rel.data);
				if (path)
					rmdir(path);
				free(path);
			}
		}
		if (rc == 0 && sd__path_written(rel.data)) {
			int blob_b = c >= 0 && git_tree_entry_type(eb) == GIT_OBJECT_BLOB &&
			    git_tree_entry_filemode(eb) != GIT_FILEMODE_LINK;
			if (blob_b)
				rc = sd__write_blob(s, rel.data, git_tree_entry_id(eb),
				    git_tree_entry_filemode(eb));
			else if (c <= 0 && git_tree_entry_type(ea) == GIT_OBJECT_BLOB)
				rc = remove_file(s, rel.data);
		}
		git_tree_free(ta);
		git_tree_free(tb);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	sd_buf__free(&rel);
	return rc;
}

/* Bring the files from the tree of `from` (NULL: nothing) to that of `to`,
 * touching only what differs, then mark them as `to`'s. */
int
sd__checkout(struct sd_store *s, const git_oid *from, const git_oid *to)
{
	git_tree *old = NULL, *new = NULL;
	int rc;

	if ((from && (rc = commit_tree(&old, s, from)) < 0) ||
	    (rc = commit_tree(&new, s, to)) < 0)
		goto out;
	if ((rc = sync_tree(s, "", old, new)) == 0)
		rc = sd__marker_write(s, to);
out:
	git_tree_free(old);
	git_tree_free(new);
	return rc;
}

/* Under the lock: make the files equal HEAD's tree if HEAD moved. */
static int
sync_files(struct sd_store *s)
{
	git_oid head, mark;
	int rc;

	if ((rc = sd__head(s, &head)) < 0)
		return rc;
	if (sd__marker_read(s, &mark) < 0) {
		sd_error_clear();
		return sd_error_set(SD_EINVALID,
		    _("%s: the files are not known to match the repository; run sd-fsck --repair"),
		    s->root);
	}
	if (git_oid_equal(&head, &mark))
		return 0;
	if (git_odb_exists(s->odb, &mark))
		return sd__checkout(s, &mark, &head);
	return sd__checkout(s, NULL, &head);
}

static int
needs_sync(struct sd_store *s)
{
	git_oid head, mark;

	if (sd__head(s, &head) < 0 || sd__marker_read(s, &mark) < 0) {
		sd_error_clear();
		return 1;
	}
	return !git_oid_equal(&head, &mark);
}

int
sd_store_open(struct sd_store **out, const char *dir, int flags)
{
	struct sd_store *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return sd__oom();
	s->lockfd = -1;
	if ((rc = sd_store_find(&s->root, dir)) < 0 || (rc = open_repo(s)) < 0)
		goto fail;
	if (git_repository_odb(&s->odb, s->repo) < 0) {
		rc = sd__git_error("odb");
		goto fail;
	}
	if (!(flags & SD_OPEN_NO_SYNC) && needs_sync(s)) {
		if ((rc = sd_store_lock(s)) < 0)
			goto fail;
		sd_store_unlock(s);
	}
	if (!(flags & SD_OPEN_NO_CONFIG) && (rc = sd_config_load(&s->cfg, s->root)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	sd_store_free(s);
	return rc;
}

void
sd_store_free(struct sd_store *s)
{
	if (!s)
		return;
	sd_store_unlock(s);
	sd_config_free(s->cfg);
	git_odb_free(s->odb);
	git_repository_free(s->repo);
	free(s->root);
	free(s->warning);
	free(s);
}

const char *sd_store_root(const struct sd_store *s) { return s->root; }
time_t sd_store_now(const struct sd_store *s) { return s->now; }
void sd_store_set_now(struct sd_store *s, time_t now) { s->now = now; }
const struct sd_config *sd_store_config(const struct sd_store *s) { return s->cfg; }
const char *sd_store_warning(const struct sd_store *s) { return s ? s->warning : NULL; }

int
sd_store_agent(const struct sd_store *s, const struct sd_agent **out)
{
	const char *env = getenv("SD_AGENT"), *login = NULL;
	struct passwd *pw;

	*out = NULL;
	if (env && *env && sd_config_policy(s->cfg, SD_POLICY_TRUST_ENV_AGENT)) {
		if (!(*out = sd_config_agent(s->cfg, env)))
			return sd_error_set(SD_EPERM, _("unknown agent '%s' (SD_AGENT): not in agents.ini"), env);
		return 0;
	}
	if ((pw = getpwuid(geteuid())))
		login = pw->pw_name;
	if (!login)
		return sd_error_set(SD_EPERM, "%s", _("cannot tell who you are: no login name"));
	if (!(*out = sd_config_agent_by_login(s->cfg, login)))
		return sd_error_set(SD_EPERM, _("unknown agent '%s' (login): not in agents.ini"), login);
	return 0;
}

static int take_lock(struct sd_store *s, int op);

static double
lock_timeout(void)
{
	const char *env = getenv("SD_LOCK_TIMEOUT");
	char *end;
	double t;

	if (!env || !*env)
		return 10;
	t = strtod(env, &end);
	return *end || t < 0 || t > 86400 ? 10 : t;
}

int
sd_store_lock(struct sd_store *s)
{
	int rc;

	if (s->locked)
		return 0;
	if ((rc = sd__store_lock_only(s)) < 0)
		return rc;
	if ((rc = sync_files(s)) < 0)
		sd_store_unlock(s);
	return rc;
}

int
sd__store_lock_only(struct sd_store *s)
{
	return take_lock(s, LOCK_EX);
}

int
sd__store_lock_shared(struct sd_store *s)
{
	return take_lock(s, LOCK_SH);
}

/* flock(2) the lock file, op LOCK_EX or LOCK_SH, waiting SD_LOCK_TIMEOUT. */
static int
take_lock(struct sd_store *s, int op)
{
	struct timespec start, now, nap = { 0, 2000000 };
	double limit = lock_timeout();
	char *path;
	int rc;

	if (s->locked)
		return 0;
	if (!(path = sd__path(s->root, ".git/" LOCKFILE)))
		return sd__oom();
	s->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	/* A reader that may not write the store reads it as it is. */
	if (s->lockfd < 0 && op == LOCK_SH && (errno == EACCES || errno == EROFS))
		s->lockfd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->lockfd < 0 && op == LOCK_SH && (errno == EACCES || errno == EROFS || errno == ENOENT)) {
		free(path);
		return 0;
	}
	if (s->lockfd < 0) {
		rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(s->lockfd, op | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
			goto fail;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((double)(now.tv_sec - start.tv_sec) +
		    (double)(now.tv_nsec - start.tv_nsec) / 1e9 >= limit) {
			rc = sd_error_set(SD_EBUSY,
			    _("store busy: lock not had in %g s (SD_LOCK_TIMEOUT)"), limit);
			goto fail;
		}
		/* Short naps: a waiter that slept long would let later ones in. */
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 8000000)
			nap.tv_nsec *= 2;
	}
	free(path);
	s->locked = 1;
	return 0;
fail:
	free(path);
	close(s->lockfd);
	s->lockfd = -1;
	return rc;
}

void
sd_store_unlock(struct sd_store *s)
{
	if (s->lockfd >= 0)
		close(s->lockfd);       /* closing drops the flock */
	s->lockfd = -1;
	s->locked = 0;
}

int
sd_store_next_id(struct sd_store *s, long *out)
{
	git_tree *root = NULL;
	git_oid head;
	int rc;

	*out = 0;
	if ((rc = sd__head(s, &head)) == 0 && (rc = commit_tree(&root, s, &head)) == 0)
		rc = sd__layout_next(out, s->repo, root, sd_config_prefix(s->cfg));
	git_tree_free(root);
	return rc;
}

int
sd_store_maintain(struct sd_store *s)
{
	char *git = sd__path(s->root, ".git");
	int status = 0;
	pid_t pid;

	if (!git)
		return sd__oom();
	fflush(NULL);
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		execlp("git", "git", "--git-dir", git, "-c", "gc.packRefs=false", "gc", "--auto",
		    "--quiet", (char *)NULL);
		_exit(127);
	}
	free(git);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return sd_error_set(SD_EIO, "git gc: %s", strerror(errno));
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 127))
		return 0;
	return sd_error_set(SD_EIO, "%s", _("git gc --auto failed"));
}
