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
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "layout.h"
#include "progress.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/mail_out.h"
#include "sd/shell.h"
#include "sd/store.h"

#define MARKER "sd-head"        /* in .git: the commit the files equal */
#define LOCKFILE "sd.lock"      /* in .git: flock(2)ed while changing */

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

static int
is_store(const char *dir)
{
	char *p = sd__path(dir, "sd.ini");
	struct stat st;
	int ok = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return ok;
}

/* A broken configuration file of the store's (ROOT/FILE:LINE: ...) that a
 * hand changed: the message says how to get out, as no command runs until
 * it loads, sd-edit included. */
static void
config_hint(struct sd_store *s)
{
	const char *msg = sd_error_message();
	size_t n = strlen(s->root);

	if (strncmp(msg, s->root, n) || msg[n] != '/')
		return;
	for (int f = 0; f < 4; f++) {
		const char *name = sd_config_files[f];
		size_t k = strlen(name);
		char spec[32], *path;
		git_object *head = NULL;
		git_oid disk;
		int same;

		if (strncmp(msg + n + 1, name, k) || msg[n + 1 + k] != ':')
			continue;
		/* HEAD's broken too: restoring it would not help. */
		snprintf(spec, sizeof(spec), "HEAD:%s", name);
		path = sd__path(s->root, name);
		same = !path || git_revparse_single(&head, s->repo, spec) < 0 ||
		    git_odb_hashfile(&disk, path, GIT_OBJECT_BLOB) < 0 ||
		    git_oid_equal(&disk, git_object_id(head));
		git_object_free(head);
		free(path);
		if (!same)
			sd_error_set(SD_ECONFIG,
			    _("%s (changed by hand: restore HEAD's with 'sd fsck --repair', then change it with 'sd edit %s')"),
			    msg, name);
		return;
	}
}

const char *
sd__store_start(const char *dir, int *bound)
{
	const char *env = getenv("SD_STORE"), *shell = getenv(SD_SHELL_STORE_ENV);

	/* Run by sd-shell: its store, and no other (sd/shell.h). */
	*bound = shell && *shell;
	if (*bound)
		return shell;
	return dir ? dir : env && *env ? env : NULL;
}

int
sd_store_find(char **root, const char *dir)
{
	const char *d;
	char *cwd, *p;
	int bound;

	*root = NULL;
	d = sd__store_start(dir, &bound);
	if (bound && dir)
		return sd_error_set(SD_EPERM,
		    _("-C %s: this key is bound to its store; no other can be named"), dir);
	if (d) {
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

/* Nonzero when core.sharedRepository, as git reads it, lets the group
 * write: group, true, 1, all, world, everybody, 2, or an octal mode with
 * the group's write bit. */
static int
shared_value(const char *v)
{
	static const char *const yes[] = { "group", "true", "1", "all", "world", "everybody", "2" };
	char *end;
	long mode;

	for (size_t i = 0; i < SD_ARRAY_SIZE(yes); i++)
		if (!strcasecmp(v, yes[i]))
			return 1;
	mode = strtol(v, &end, 8);
	return v[0] == '0' && !*end && (mode & 0020);
}

/* Is the caller in gid, by its group or its supplementary groups? */
static int
in_group(gid_t gid)
{
	gid_t groups[256];
	int n;

	if (getegid() == gid)
		return 1;
	if ((n = getgroups((int)SD_ARRAY_SIZE(groups), groups)) < 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

/*
 * A store shared by a group (sd(7), SHARED STORES): core.sharedRepository
 * says so, and the store's directory belongs to that group.  libgit2
 * refuses a repository owned by another user (its owner check, like git's
 * safe.directory); sd lifts that check for a shared store, and only for a
 * member of the directory's group, who may write there anyway: sd runs
 * nothing that a repository's configuration names, so the check guards
 * nothing here that the file permissions do not.  Anyone else is refused
 * with 77.  In a shared store what sd and git create is the group's too:
 * the umask lets the group write.
 */
static void
shared_store(struct sd_store *s, const char *git)
{
	char *path = sd__path(git, "config");
	git_config *cfg = NULL;
	git_buf v = GIT_BUF_INIT;
	struct stat st;

	if (path && git_config_open_ondisk(&cfg, path) == 0 &&
	    git_config_get_string_buf(&v, cfg, "core.sharedRepository") == 0 &&
	    shared_value(v.ptr) && stat(s->root, &st) == 0 && in_group(st.st_gid)) {
		mode_t mask = umask(0);
		umask(mask & ~(mode_t)0070);
		s->shared = 1;
	}
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, !s->shared);
	git_buf_dispose(&v);
	git_config_free(cfg);
	free(path);
	git_error_clear();
}

static int
open_repo(struct sd_store *s)
{
	char *git = sd__path(s->root, ".git");
	int rc = 0, err;

	git_start();
	if (!git)
		return sd__oom();
	shared_store(s, git);
	/* libgit2 1.5.1 fails its owner check with "config value
	 * 'safe.directory' was not found" (ENOTFOUND), later ones with
	 * GIT_EOWNER. */
	if ((err = git_repository_open_ext(&s->repo, git, GIT_REPOSITORY_OPEN_NO_SEARCH |
	    GIT_REPOSITORY_OPEN_BARE, NULL)) == GIT_EOWNER || (err < 0 && git_error_last() &&
	    git_error_last()->message && strstr(git_error_last()->message, "safe.directory")))
		rc = sd_error_set(SD_EPERM, _("%s: the store of another user, not shared with a "
		    "group of yours (see SHARED STORES in sd(7))"), s->root);
	else if (err < 0)
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
	char *text = NULL;
	int rc;

	rc = sd__store_read(s, ".git/" MARKER, &text, NULL);
	if (rc == 0 && (strlen(text) < GIT_OID_HEXSZ || git_oid_fromstrn(out, text, GIT_OID_HEXSZ) < 0))
		rc = sd_error_set(SD_EINVALID, _("%s: not a commit id"), ".git/" MARKER);
	free(text);
	return rc;
}

int
sd__marker_write(struct sd_store *s, const git_oid *oid)
{
	char hex[GIT_OID_HEXSZ + 2];

	git_oid_tostr(hex, sizeof(hex), oid);
	strcat(hex, "\n");
	return sd__store_write(s, ".git/" MARKER, hex, strlen(hex), 0644);
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
	int rc;

	if (git_blob_lookup(&blob, s->repo, id) < 0)
		return sd__git_error(rel);
	rc = sd__store_write(s, rel, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
	    mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
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
	return sd__store_remove(s, rel, 0);
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
				rc = sd__store_remove(s, rel.data, 1);
			}
		}
		if (rc == 0 && sd__path_written(rel.data)) {
			int blob_b = c >= 0 && git_tree_entry_type(eb) == GIT_OBJECT_BLOB &&
			    git_tree_entry_filemode(eb) != GIT_FILEMODE_LINK;
			if (blob_b) {
				rc = sd__write_blob(s, rel.data, git_tree_entry_id(eb),
				    git_tree_entry_filemode(eb));
				if (rc == 0 && s->writing)
					sd__count_add(s->writing, 1);
			} else if (c <= 0 && git_tree_entry_type(ea) == GIT_OBJECT_BLOB)
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
	struct sd__count writing;
	int rc;

	if ((from && (rc = commit_tree(&old, s, from)) < 0) ||
	    (rc = commit_tree(&new, s, to)) < 0)
		goto out;
	/* All of a tree written out (a clone's first files): told. */
	sd__count_start(&writing, from ? NULL : s->progress, N_("Writing files"),
	    from ? 0 : sd__count_blobs(new));
	s->writing = writing.p ? &writing : NULL;
	/* A whole tree: on the cores, flushed all at once, before the marker. */
	rc = from ? sync_tree(s, "", old, new) : sd__write_tree(s, new, &writing);
	if (rc == 0)
		rc = sd__marker_write(s, to);
	if (rc == 0)
		sd__count_end(&writing);
	s->writing = NULL;
out:
	git_tree_free(old);
	git_tree_free(new);
	return rc;
}

/* HEAD moved from mark to head without this store's commands (a push
 * into it, a pull, a reset by hand): their commits were mailed by the
 * store whose commands made them, so the mail mark (sd/mail_out.h), when
 * it was at mark, follows to head rather than mail them again here. */
static void
follow_mail_mark(struct sd_store *s, const git_oid *mark, const git_oid *head)
{
	char *text = NULL, hex[GIT_OID_HEXSZ + 2];

	if (sd__store_read(s, SD_MAIL_MARK, &text, NULL) == 0 &&
	    !strncmp(text, git_oid_tostr_s(mark), GIT_OID_HEXSZ)) {
		git_oid_tostr(hex, sizeof(hex), head);
		strcat(hex, "\n");
		/* Not written: the next catch-up mails them, once each. */
		(void)sd__store_write(s, SD_MAIL_MARK, hex, strlen(hex), 0644);
	}
	free(text);
	sd_error_clear();
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
	follow_mail_mark(s, &mark, &head);
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

/* $SD_LOCK_TIMEOUT, the seconds the lock is waited for: digits, with a
 * fraction if wanted ("0.5"), at most a day; unset, 10.  Anything
 * else (empty, nan, inf, -1, 1e3, 0x10) is a broken setting (78),
 * rather than read as some other wait. */
static int
lock_timeout(double *out)
{
	const char *env = getenv("SD_LOCK_TIMEOUT"), *p;
	double t = 0, unit = 1;

	*out = 10;
	if (!env)
		return 0;
	/* By hand, not strtod: that takes nan, 1e3 and, in some locales, a
	 * comma for the point. */
	for (p = env; *p >= '0' && *p <= '9' && t <= 86400; p++)
		t = t * 10 + (*p - '0');
	if (p > env && *p == '.' && p[1] >= '0' && p[1] <= '9')
		for (p++; *p >= '0' && *p <= '9'; p++)
			t += (*p - '0') * (unit /= 10);
	if (p == env || *p || t > 86400)
		return sd_error_set(SD_ECONFIG, _("SD_LOCK_TIMEOUT: '%s' is not a number of "
		    "seconds from 0 to 86400"), env);
	*out = t;
	return 0;
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
	{
		double limit;   /* refused before anything, whatever the command */
		if ((rc = lock_timeout(&limit)) < 0)
			goto fail;
	}
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
	if (!(flags & SD_OPEN_NO_CONFIG) && (rc = sd_config_load(&s->cfg, s->root)) < 0) {
		if (rc == SD_ECONFIG)
			config_hint(s);
		goto fail;
	}
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
void sd_store_set_progress(struct sd_store *s, const struct sd_progress *p) { s->progress = p; }
const struct sd_config *sd_store_config(const struct sd_store *s) { return s->cfg; }
const char *sd_store_warning(const struct sd_store *s) { return s ? s->warning : NULL; }

int
sd_store_agent(const struct sd_store *s, const struct sd_agent **out)
{
	const char *env = getenv("SD_AGENT"), *login = NULL, *bound = getenv(SD_SHELL_AGENT_ENV);
	struct passwd *pw;
	struct stat st;

	*out = NULL;
	/* The agent an SSH key is bound to by sd-shell acts whatever
	 * trust_env_agent says, for the account that owns the store: the one
	 * whose authorized_keys makes the binding, and who could write any
	 * commit anyway.  Any other account cannot claim an agent by it. */
	if (bound && *bound) {
		if (!sd_config_policy(s->cfg, SD_POLICY_TRUST_ENV_AGENT) &&
		    (stat(s->root, &st) < 0 || st.st_uid != geteuid()))
			return sd_error_set(SD_EPERM,
			    _("agent '%s' (%s): with trust_env_agent = no, only the store's owner binds agents"),
			    bound, SD_SHELL_AGENT_ENV);
		if (!(*out = sd_config_agent(s->cfg, bound)))
			return sd_error_set(SD_EPERM, _("unknown agent '%s' (%s): not in agents.ini"),
			    bound, SD_SHELL_AGENT_ENV);
		return 0;
	}
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

int
sd_store_agent_env_ignored(const struct sd_store *s, char *login, size_t size)
{
	const char *env = getenv("SD_AGENT"), *bound = getenv(SD_SHELL_AGENT_ENV);
	struct passwd *pw;

	if (!env || !*env || (bound && *bound) || !s->cfg ||
	    sd_config_policy(s->cfg, SD_POLICY_TRUST_ENV_AGENT))
		return 0;
	pw = getpwuid(geteuid());
	snprintf(login, size, "%s", pw && pw->pw_name ? pw->pw_name : "?");
	return 1;
}

static int take_lock(struct sd_store *s, int op);

/*
 * The lock file of the store's branch (.git/refs/heads/main.lock), left by
 * a process killed while moving it, blocks every later change.  Only sd
 * moves the branch under the store's lock, but a push into the store moves
 * it without that lock, holding main.lock for the instant of its update:
 * so a lock file is judged stale only once it has stayed the same (inode,
 * size, modification time) for SETTLE_MS.  One that goes meanwhile was a
 * live update; one replaced by another starts the wait again, at most
 * SETTLE_TRIES times, and is then left for the change to fail on (75 from
 * libgit2's own lock).  The locks of git's own upkeep, packed-refs.lock and
 * HEAD.lock, are not sd's to judge: git gc and git pack-refs take them
 * beside sd, which never needs them; sd-fsck reports them.
 */
enum { SETTLE_MS = 500, SETTLE_STEP_MS = 20, SETTLE_TRIES = 4 };

/* 1 when name in dir has stayed as *was for SETTLE_MS, 0 when it went,
 * -1 when it was replaced meanwhile (*was is then the new one). */
static int
lock_settled(int dir, const char *name, struct stat *was)
{
	const struct timespec nap = { 0, SETTLE_STEP_MS * 1000000L };
	struct stat now;

	for (int waited = 0; waited < SETTLE_MS; waited += SETTLE_STEP_MS) {
		nanosleep(&nap, NULL);
		if (fstatat(dir, name, &now, AT_SYMLINK_NOFOLLOW) < 0)
			return 0;
		if (now.st_ino != was->st_ino || now.st_size != was->st_size ||
		    now.st_mtim.tv_sec != was->st_mtim.tv_sec ||
		    now.st_mtim.tv_nsec != was->st_mtim.tv_nsec) {
			*was = now;
			return -1;
		}
	}
	return 1;
}

int
sd__head_branch(git_repository *repo, char *out, size_t size)
{
	git_reference *head = NULL;
	const char *target;
	int rc = -1;

	if (git_reference_lookup(&head, repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    !strncmp((target = git_reference_symbolic_target(head)), "refs/heads/", 11) &&
	    !strstr(target, "..") && (size_t)snprintf(out, size, "%s", target) < size)
		rc = 0;
	git_reference_free(head);
	if (rc < 0 && size)
		*out = '\0';
	sd_error_clear();
	return rc;
}

static int
clear_branch_lock(struct sd_store *s)
{
	const char *slash;
	char branch[480], lock[512];
	int dir = -1, rc = 0;

	if (sd__head_branch(s->repo, branch, sizeof(branch)) < 0)
		return 0;
	snprintf(lock, sizeof(lock), ".git/%s.lock", branch);
	slash = strrchr(lock, '/');
	if ((rc = sd__store_dir(s, lock, (size_t)(slash - lock), 0, &dir)) != 0)
		return rc < 0 ? rc : 0;
	if (sd__kind_at(dir, slash + 1, lock, 0) == 0) {
		struct stat st;
		int settled = -1;

		if (fstatat(dir, slash + 1, &st, AT_SYMLINK_NOFOLLOW) == 0)
			for (int i = 0; i < SETTLE_TRIES && settled < 0; i++)
				settled = lock_settled(dir, slash + 1, &st);
		if (settled == 1 && unlinkat(dir, slash + 1, 0) < 0 && errno != ENOENT)
			rc = sd_error_set(SD_EIO, "%s/%s: %s", s->root, lock, strerror(errno));
	}
	sd_error_clear();
	close(dir);
	return rc;
}

int
sd_store_lock(struct sd_store *s)
{
	int rc;

	if (s->locked)
		return 0;
	if ((rc = sd__store_lock_only(s)) < 0)
		return rc;
	if ((rc = clear_branch_lock(s)) < 0 || (rc = sd__store_clear_temp(s)) < 0 ||
	    (rc = sync_files(s)) < 0)
		sd_store_unlock(s);
	return rc;
}

/* The lock file, .git/sd.lock, for op (LOCK_EX or LOCK_SH): made if missing;
 * 1 when a reader (LOCK_SH) may not write it and reads without.  Never through a symbolic
 * link, and a regular file (a FIFO is not waited on: O_NONBLOCK). */
static int
open_lock(struct sd_store *s, const char *path, int op)
{
	struct stat st;
	int git, rc;

	if ((rc = sd__store_dir(s, ".git", 4, 0, &git)) != 0)
		return rc < 0 ? rc : sd_error_set(SD_EIO, "%s: %s", path, strerror(ENOENT));
	if ((rc = sd__kind_at(git, LOCKFILE, path, 0)) >= 0) {
		rc = 0;
		s->lockfd = openat(git, LOCKFILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC, s->shared ? 0664 : 0666);
		if (s->lockfd < 0 && op == LOCK_SH && (errno == EACCES || errno == EROFS))
			s->lockfd = openat(git, LOCKFILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
			    O_CLOEXEC);
		if (s->lockfd < 0 && op == LOCK_SH &&
		    (errno == EACCES || errno == EROFS || errno == ENOENT))
			rc = 1;
		else if (s->lockfd < 0)
			rc = sd_error_set(errno == ELOOP ? SD_EINVALID : SD_EIO, "%s: %s", path,
			    strerror(errno));
		else if (fstat(s->lockfd, &st) < 0 || !S_ISREG(st.st_mode))
			rc = sd_error_set(SD_EINVALID, _("%s: not a regular file"), path);
	}
	close(git);
	if (rc < 0 && s->lockfd >= 0) {
		close(s->lockfd);
		s->lockfd = -1;
	}
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
	double limit;
	char *path;
	int rc;

	if (s->locked)
		return 0;
	if ((rc = lock_timeout(&limit)) < 0)
		return rc;
	if (!(path = sd__path(s->root, ".git/" LOCKFILE)))
		return sd__oom();
	if ((rc = open_lock(s, path, op)) != 0) {
		/* 1: a reader that may not write the store reads it as it is. */
		if (rc > 0)
			rc = 0;
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
	if ((rc = sd__head(s, &head)) < 0 || (rc = commit_tree(&root, s, &head)) < 0)
		goto out;
	/* A desk of many sites numbers from the blocks the hub leased. */
	if (sd_config_sync(s->cfg)->given) {
		char site[SD_SITE_MAX];

		if ((rc = sd_store_site(s, site)) >= 0)
			rc = sd__sites_next(out, s->repo, root, sd_config_prefix(s->cfg),
			    rc == 1 ? site : NULL);
	} else {
		rc = sd__layout_next(out, s->repo, root, sd_config_prefix(s->cfg));
	}
out:
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
		/* A shared store's owner may be another member: git's own
		 * check (safe.directory) told that sd trusts it (open_repo). */
		char safe[4200];
		snprintf(safe, sizeof(safe), "safe.directory=%s", s->shared ? git : "");
		execlp("git", "git", "--git-dir", git, "-c", "gc.packRefs=false", "-c", safe,
		    "gc", "--auto", "--quiet", (char *)NULL);
		_exit(127);
	}
	free(git);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return sd_error_set(SD_EIO, "git gc: %s", strerror(errno));
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 127))
		return 0;
	return sd_error_set(SD_EIO, "%s", _("git gc --auto failed"));
}
