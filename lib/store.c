#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
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
#include "parallel.h"
#include "store_internal.h"
#include "sd/id.h"
#include "sd/store.h"
#include "sd/time.h"

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
	free(s);
}

const char *sd_store_root(const struct sd_store *s) { return s->root; }
const struct sd_config *sd_store_config(const struct sd_store *s) { return s->cfg; }

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
	struct timespec start, now, nap = { 0, 2000000 };
	double limit = lock_timeout();
	char *path;
	int rc;

	if (s->locked)
		return 0;
	if (!(path = sd__path(s->root, ".git/" LOCKFILE)))
		return sd__oom();
	s->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (s->lockfd < 0) {
		rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(s->lockfd, LOCK_EX | LOCK_NB) < 0) {
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
sd_store_load(struct sd_store *s, struct sd_ticket **out, long n)
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
	if ((rc = sd__read_file(&data, &len, path)) < 0) {
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

/* The ticket number in a file name "PREFIX-N.ini", or 0. */
long
sd__file_number(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix), n = strlen(name);
	long v = 0;

	if (strncmp(name, prefix, plen) || name[plen] != '-' || n < plen + 6 ||
	    strcmp(name + n - 4, ".ini") || name[plen + 1] == '0')
		return 0;
	for (size_t i = plen + 1; i < n - 4; i++) {
		if (name[i] < '0' || name[i] > '9' || i - plen > SD_ID_DIGITS)
			return 0;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

static long
shard_number(const char *name)
{
	long v = 0;
	size_t n = strlen(name);

	if (n < 3 || n > 12)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
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
		long num = shard_number(de->d_name);
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
	if (fd < 0) {
		err = errno;
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
		e->rc = err == ELOOP ? SD_EINVALID : err == ENOENT ? SD_ENOTFOUND : SD_EIO;
		if (err == ELOOP)
			sd_buf__printf(&f->text, _("%s: a symbolic link; sd reads none"), where);
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
	void *arg;
	int stopped;            /* an error, or fn said stop: it hears of no more */
};

static int
each_work(void *arg, size_t job, size_t worker)
{
	struct each *e = arg;

	(void)worker;
	return sd__shard_read(e->s, e->shards[job], &e->files[job]);
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

		if (x->rc == SD_EIO) {
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
	}
	sd__shard_files_free(f);
	return rc;
}

int
sd_store_each(struct sd_store *s, sd_store_each_fn fn, void *arg)
{
	struct each e = { s, NULL, NULL, fn, arg, 0 };
	size_t n = 0;
	int rc;

	if ((rc = sd__shards(s, &e.shards, &n)) < 0)
		return rc;
	if (!(e.files = calloc(n ? n : 1, sizeof(*e.files))))
		rc = sd__oom();
	else
		rc = sd__parallel(n, sd__parallel_workers(n), each_work, each_done, &e);
	free(e.files);
	sd__shards_free(e.shards, n);
	return rc;
}

/* The blob id at path in commit c's tree; 0 when found, 1 when absent. */
static int
blob_at(git_oid *out, git_commit *c, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int found;

	if (git_commit_tree(&tree, c) < 0)
		return -1;
	found = git_tree_entry_bypath(&e, tree, path) == 0;
	if (found)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(tree);
	return found ? 0 : 1;
}

int
sd_store_history(struct sd_store *s, long n, sd_store_history_fn fn, void *arg)
{
	git_revwalk *walk = NULL;
	git_oid id;
	char *rel = NULL;
	int rc;

	if ((rc = sd_id_path(&rel, sd_config_prefix(s->cfg), n)) < 0)
		return rc;
	if (git_revwalk_new(&walk, s->repo) < 0 || git_revwalk_push_head(walk) < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL, *parent = NULL;
		git_oid mine, theirs;
		int here, there = 1;

		if (git_commit_lookup(&c, s->repo, &id) < 0) {
			rc = sd__git_error(_("reading a commit"));
			break;
		}
		here = blob_at(&mine, c, rel);
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0)
			there = blob_at(&theirs, parent, rel);
		if (here == 0 && (there != 0 || !git_oid_equal(&mine, &theirs))) {
			const git_signature *a = git_commit_author(c);
			struct sd_commit_info info;

			git_oid_tostr(info.id, sizeof(info.id), &id);
			info.author = a->name;
			info.email = a->email;
			info.subject = git_commit_summary(c);
			info.time = a->when.time;
			info.offset = a->when.offset;
			rc = fn(&info, arg);
			if (there != 0)
				rc = rc ? rc : 1;       /* the commit that added it: done */
		}
		git_commit_free(parent);
		git_commit_free(c);
	}
	if (rc == 1)
		rc = 0;
out:
	git_revwalk_free(walk);
	free(rel);
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
