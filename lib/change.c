/*
 * A change to the store: the files it writes, its message and signature,
 * and the commit that moves the branch, then the files on disk in step.
 */

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/id.h"
#include "sd/store.h"
#include "sd/sync.h"
#include "sd/time.h"

struct file {
	char *path;
	char *data;
	size_t len;
};

struct sd_change {
	char *action;
	char *subject;
	struct file *files;
	size_t nfiles;
	struct sd_buf tickets;  /* "Ticket: X\n" trailers */
	int over_hand_edits;    /* sd-edit: may write over files changed by hand */
	char *site;             /* its Site: trailer when not the store's own */
};

int
sd__change_site(struct sd_change *c, const char *site)
{
	free(c->site);
	return (c->site = sd__strdup(site)) ? 0 : sd__oom();
}

int
sd_change_new(struct sd_change **out, const char *action)
{
	struct sd_change *c = calloc(1, sizeof(*c));

	*out = c;
	if (!c || !(c->action = sd__strdup(action))) {
		free(c);
		*out = NULL;
		return sd__oom();
	}
	return 0;
}

void
sd_change_free(struct sd_change *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfiles; i++) {
		free(c->files[i].path);
		free(c->files[i].data);
	}
	free(c->files);
	free(c->action);
	free(c->subject);
	free(c->site);
	sd_buf__free(&c->tickets);
	free(c);
}

int
sd_change_subject(struct sd_change *c, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One line, whatever a title held. */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	free(c->subject);
	if (!(c->subject = sd__strdup(line)))
		return sd__oom();
	return 0;
}

int
sd_change_file(struct sd_change *c, const char *path, const char *data, size_t len)
{
	struct file *f = realloc(c->files, (c->nfiles + 1) * sizeof(*f));

	if (!f)
		return sd__oom();
	c->files = f;
	f = &c->files[c->nfiles];
	f->path = sd__strdup(path);
	f->data = malloc(len ? len : 1);
	f->len = len;
	if (!f->path || !f->data) {
		free(f->path);
		free(f->data);
		return sd__oom();
	}
	memcpy(f->data, data, len);
	c->nfiles++;
	return 0;
}

int
sd_change_ticket(struct sd_change *c, const struct sd_ticket *t)
{
	const char *id = sd_ticket_get(t, SD_F_ID);
	const char *dash = strrchr(id, '-');
	char *path = NULL, *data = NULL, prefix[SD_ID_MAX];
	size_t len;
	long n;
	int rc;

	if (!dash || (size_t)(dash - id) >= sizeof(prefix))
		return sd_error_set(SD_EINVALID, _("%s: invalid ticket id"), id);
	memcpy(prefix, id, (size_t)(dash - id));
	prefix[dash - id] = '\0';
	if ((rc = sd_id_parse(&n, prefix, id)) < 0 || (rc = sd_id_path(&path, prefix, n)) < 0 ||
	    (rc = sd_ticket_format(&data, &len, t)) < 0 ||
	    (rc = sd_change_file(c, path, data, len)) < 0)
		goto out;
	sd_buf__printf(&c->tickets, "Ticket: %s\n", id);
	rc = sd_buf__check(&c->tickets);
out:
	free(path);
	free(data);
	return rc;
}

void
sd_change_over_hand_edits(struct sd_change *c)
{
	c->over_hand_edits = 1;
}

/* The file rel on disk as git would hash it: 0 and its blob id in *id, 1
 * when there is none; SD_EINVALID when something else than a regular file
 * (a symbolic link...) stands there, never read through. */
static int
disk_blob(struct sd_store *s, const char *rel, git_oid *id)
{
	char *data = NULL;
	size_t len;
	int rc;

	/* Each directory on the way and the file itself not followed if a
	 * link, nor waited on if a FIFO (lib/files.c). */
	if ((rc = sd__store_read(s, rel, &data, &len)) == SD_ENOTFOUND) {
		sd_error_clear();
		rc = 1;
	} else if (rc == 0 && git_odb_hash(id, data, len, GIT_OBJECT_BLOB) < 0) {
		rc = sd__git_error(rel);
	}
	free(data);
	return rc;
}

int
sd__hand_check(struct sd_store *s, git_tree *tree, const char *rel)
{
	git_tree_entry *e = NULL;
	git_oid disk;
	int in_head, rc;

	in_head = git_tree_entry_bypath(&e, tree, rel) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
	    git_tree_entry_filemode(e) != GIT_FILEMODE_LINK;
	/* A link or special file: told as such (lib/files.c), no hand edit. */
	if ((rc = disk_blob(s, rel, &disk)) == SD_EINVALID) {
		git_tree_entry_free(e);
		return rc;
	}
	if ((rc >= 0 && (in_head ? rc == 1 ||
	    !git_oid_equal(&disk, git_tree_entry_id(e)) : rc == 0))) {
		const char *base = strrchr(rel, '/'), *what = rel;
		char id[SD_ID_MAX];
		size_t n;

		/* sd-edit takes a ticket by its ID, a configuration file by
		 * its name. */
		if (!strncmp(rel, "tickets/", 8) && base && (n = strlen(base + 1)) > 4 &&
		    n - 4 < sizeof(id) && !strcmp(base + n - 3, ".ini")) {
			snprintf(id, sizeof(id), "%.*s", (int)(n - 4), base + 1);
			what = id;
		}
		rc = in_head && !strncmp(rel, "attachments/", 12) ? sd_error_set(SD_EINVALID,
		    _("%s: changed by hand; an attachment never changes: restore it with "
		    "'sd fsck --repair'"), rel) :
		    in_head && !strcmp(rel, "sites.ini") ? sd_error_set(SD_EINVALID,
		    _("%s: changed by hand; only sd-sync writes it (its leases): restore it "
		    "with 'sd fsck --repair'"), rel) :
		    in_head && !strncmp(rel, "kb/", 3) ? sd_error_set(SD_EINVALID,
		    _("%s: changed by hand; restore it with 'sd fsck --repair', then change it "
		    "with 'sd kb edit'"), rel) :
		    in_head ? sd_error_set(SD_EINVALID, _("%s: changed by hand; keep it with "
		    "'sd edit %s' or restore it with 'sd fsck --repair'"), rel, what) :
		    sd_error_set(SD_EINVALID, _("%s: not in HEAD, put there by hand; remove it "
		    "with 'sd fsck --repair'"), rel);
	} else if (rc > 0) {
		rc = 0;
	}
	git_tree_entry_free(e);
	return rc;
}

int
sd__hand_check_head(struct sd_store *s, const char *rel)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid head;
	int rc;

	if ((rc = sd__head(s, &head)) < 0)
		return rc;
	if (git_commit_lookup(&c, s->repo, &head) < 0 || git_commit_tree(&tree, c) < 0)
		rc = sd__git_error("HEAD");
	else
		rc = sd__hand_check(s, tree, rel);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

/* Dated now, with zone's offset (the store's).  An agent without an email
 * in agents.ini, and the store itself, commit with a stable address that
 * no mail reaches: <id>@<prefix>.sd.invalid, sd@<prefix>.sd.invalid (the
 * prefix in lower case), by which sd-fsck --commits knows them. */
int
sd__signature(git_signature **out, const struct sd_config *cfg, const char *prefix,
    const struct sd_zone *zone, const struct sd_agent *agent, time_t now)
{
	struct sd_buf name = SD_BUF_INIT, email = SD_BUF_INIT;
	int rc;

	if (agent) {
		sd_buf__adds(&name, agent->name ? agent->name : agent->id);
	} else {
		sd_buf__printf(&name, "sd (%s)", cfg ? sd_config_name(cfg) : "sd");
	}
	if (agent && agent->email) {
		sd_buf__adds(&email, agent->email);
	} else {
		sd_buf__printf(&email, "%s@", agent ? agent->id : "sd");
		for (const char *p = prefix; *p; p++)
			sd_buf__printf(&email, "%c", tolower((unsigned char)*p));
		sd_buf__adds(&email, ".sd.invalid");
	}
	if ((rc = sd_buf__check(&name)) < 0 || (rc = sd_buf__check(&email)) < 0)
		goto out;
	if (git_signature_new(out, name.data, email.data,
	    (git_time_t)now, (int)(sd_zone_offset(zone, now) / 60)) < 0)
		rc = sd__git_error(_("author"));
out:
	sd_buf__free(&name);
	sd_buf__free(&email);
	return rc;
}

static int
message(char **out, const struct sd_change *c, const char *site)
{
	struct sd_buf b = SD_BUF_INIT;

	sd_buf__printf(&b, "%s\n\n", c->subject ? c->subject : c->action);
	if (c->tickets.len)
		sd_buf__add(&b, c->tickets.data, c->tickets.len);
	sd_buf__printf(&b, "Action: %s\n", c->action);
	/* Made at a site: which one (the hook holds its numbers to it). */
	if (*site)
		sd_buf__printf(&b, "Site: %s\n", site);
	if (b.failed) {
		sd_buf__free(&b);
		return sd__oom();
	}
	*out = sd_buf__detach(&b);
	return 0;
}

/* The change is in HEAD, but a step after the branch moved failed: kept
 * as the store's warning (the command says it, and exits 0). */
static void
late_failure(struct sd_store *s)
{
	if (!s->warning)
		s->warning = sd__strdup(sd_error_message());
	sd_error_clear();
}

/* The objects a change wrote, made durable: its blobs, the trees on their
 * paths and the commit. */
static int
durable_change(struct sd_store *s, const git_tree_update *updates, size_t n,
    git_tree *tree, const git_oid *commit)
{
	git_oid *ids = calloc(3 * n + 3, sizeof(*ids));
	size_t k = 0;
	int rc;

	if (!ids)
		return sd__oom();
	git_oid_cpy(&ids[k++], commit);
	git_oid_cpy(&ids[k++], git_tree_id(tree));
	for (size_t i = 0; i < n; i++) {
		char dir[4096];
		char *slash;

		git_oid_cpy(&ids[k++], &updates[i].id);
		/* The trees on its path: tickets/ and tickets/NNN/. */
		snprintf(dir, sizeof(dir), "%s", updates[i].path);
		while ((slash = strrchr(dir, '/'))) {
			git_tree_entry *e = NULL;
			*slash = '\0';
			if (git_tree_entry_bypath(&e, tree, dir) == 0 && k < 3 * n + 3)
				git_oid_cpy(&ids[k++], git_tree_entry_id(e));
			git_tree_entry_free(e);
		}
	}
	rc = sd__durable(git_repository_path(s->repo), ids, k, NULL);
	free(ids);
	return rc;
}

/* A lock held by git gc or git pack-refs beside sd (reflog expire and
 * pack-refs take main.lock, packed-refs.lock): worth waiting for.  sd's
 * own writers are kept out by the store's lock. */
static int
lock_conflict(int error)
{
	const git_error *e = git_error_last();

	if (error == GIT_ELOCKED)
		return 1;
	return e && e->klass == GIT_ERROR_OS && e->message && strstr(e->message, "lock") &&
	    !strstr(e->message, strerror(ENOSPC)) && !strstr(e->message, strerror(EIO));
}

/* How often a step git's upkeep got in the way of is tried again, with
 * naps of 2 ms doubling to 64 ms: under 2 s in all. */
#define RETRIES 30

static void
retry_nap(int tries)
{
	struct timespec nap = { 0, 2000000L << (tries < 5 ? tries : 5) };

	nanosleep(&nap, NULL);
}

/* Move the branch name from head to id: 0, with *ref set, once it names
 * id; 1 when it does although libgit2 failed after the move (a warning is
 * kept); below 0, and the branch not moved, when it failed.  A lock of
 * git's is retried a few times: bounded, short naps. */
static int
move_branch(struct sd_store *s, git_reference **ref, const char *name, const git_oid *id,
    const git_oid *head, const char *log)
{
	git_oid now;
	int error;

	for (int tries = 0;; tries++) {
		if ((error = git_reference_create_matching(ref, s->repo, name, id, 1, head, log)) == 0)
			return 0;
		/* Moved after all (a failure after the rename): committed. */
		if (git_reference_name_to_id(&now, s->repo, name) == 0 && git_oid_equal(&now, id)) {
			sd__git_error(_("moving the branch"));
			late_failure(s);
			*ref = NULL;
			return 1;
		}
		/* Still where it was, and only git's upkeep in the way. */
		if (tries >= RETRIES || !lock_conflict(error) ||
		    git_reference_name_to_id(&now, s->repo, name) < 0 || !git_oid_equal(&now, head))
			break;
		retry_nap(tries);
	}
	{
		const git_error *e = git_error_last();
		return e && e->klass == GIT_ERROR_OS && strstr(e->message, ".lock") ?
		    sd_error_set(SD_EIO, _("moving the branch: %s (left by a killed process? "
		    "sd-fsck --repair removes it)"), e->message) :
		    sd__git_error(_("moving the branch"));
	}
}

/* The blobs, the trees on their paths and the commit: nothing that grows
 * with the number of tickets.  *again when what failed was a lock or a
 * file of git's upkeep (lock_conflict). */
static int
write_objects(struct sd_store *s, struct sd_change *c, git_tree_update *updates,
    git_tree *base, git_commit *parent, const git_signature *sig, const char *msg,
    git_tree **tree, git_oid *commit_id, int *again)
{
	git_oid tree_id;
	int error;

	git_tree_free(*tree);
	*tree = NULL;
	for (size_t i = 0; i < c->nfiles; i++) {
		updates[i].action = GIT_TREE_UPDATE_UPSERT;
		updates[i].filemode = GIT_FILEMODE_BLOB;
		updates[i].path = c->files[i].path;
		if ((error = git_blob_create_from_buffer(&updates[i].id, s->repo, c->files[i].data,
		    c->files[i].len)) < 0) {
			*again = lock_conflict(error);
			return sd__git_error(c->files[i].path);
		}
	}
	if ((error = git_tree_create_updated(&tree_id, s->repo, base, c->nfiles, updates)) < 0 ||
	    (error = git_tree_lookup(tree, s->repo, &tree_id)) < 0) {
		*again = lock_conflict(error);
		return sd__git_error(_("writing the tree"));
	}
	if ((error = git_commit_create(commit_id, s->repo, NULL, sig, sig, NULL, msg, *tree, 1,
	    (const git_commit **)&parent)) < 0) {
		*again = lock_conflict(error);
		return sd__git_error(_("writing the commit"));
	}
	return 0;
}

int
sd_store_commit(struct sd_store *s, struct sd_change *c, const struct sd_agent *agent)
{
	git_tree_update *updates = NULL;
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_reference *ref = NULL, *head_ref = NULL;
	git_oid head, commit_id;
	const char *branch;
	char *msg = NULL, site[SD_SITE_MAX];
	int rc;

	if (!s->locked)
		return sd_error_set(SD_EIO, "%s", _("commit without the store's lock"));
	if ((rc = sd__head(s, &head)) < 0)
		return rc;
	if (!(updates = calloc(c->nfiles ? c->nfiles : 1, sizeof(*updates))))
		return sd__oom();
	if (git_commit_lookup(&parent, s->repo, &head) < 0 || git_commit_tree(&base, parent) < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	/* Hand edits never enter through another command (SPEC section 11):
	 * each file the change writes must be HEAD's, as sd left it when it
	 * took the lock and brought the files up to date, before anything is
	 * written. */
	for (size_t i = 0; i < c->nfiles && !c->over_hand_edits; i++)
		if ((rc = sd__hand_check(s, base, c->files[i].path)) < 0)
			goto out;
	if ((rc = sd__signature(&sig, s->cfg, s->cfg ? sd_config_prefix(s->cfg) : "SD",
	    sd_config_zone(s->cfg), agent, s->now)) < 0 ||
	    (rc = sd_store_site(s, site)) < 0 ||
	    (rc = message(&msg, c, c->site ? c->site : site)) < 0)
		goto out;
	/* Written again when git gc pruned a directory from under libgit2:
	 * objects are the same whenever written. */
	for (int tries = 0, again = 0;; tries++) {
		if ((rc = write_objects(s, c, updates, base, parent, sig, msg, &tree,
		    &commit_id, &again)) == 0 || !again || tries >= RETRIES)
			break;
		retry_nap(tries);
	}
	if (rc < 0)
		goto out;
	if ((rc = durable_change(s, updates, c->nfiles, tree, &commit_id)) < 0)
		goto out;
	if (git_reference_lookup(&head_ref, s->repo, "HEAD") < 0) {
		rc = sd__git_error("HEAD");
		goto out;
	}
	branch = git_reference_type(head_ref) == GIT_REFERENCE_SYMBOLIC ?
	    git_reference_symbolic_target(head_ref) : "HEAD";
	if ((rc = move_branch(s, &ref, branch, &commit_id, &head,
	    c->subject ? c->subject : c->action)) < 0)
		goto out;
	/* Committed: the branch names the change, whatever follows.  What
	 * fails now (the ref's fsync, the files, the mark) is a warning, and
	 * the mark left behind HEAD makes the next command bring the files
	 * up to date (sync_files in lib/store.c): never undone, never to be
	 * done again. */
	if (sd__durable(git_repository_path(s->repo), NULL, 0, branch) < 0)
		late_failure(s);
	rc = 0;
	for (size_t i = 0; i < c->nfiles && rc == 0; i++)
		rc = sd__store_write(s, c->files[i].path, c->files[i].data, c->files[i].len, 0644);
	if (rc == 0)
		rc = sd__marker_write(s, &commit_id);
	if (rc != 0) {
		late_failure(s);
		/* Once more, from the files of HEAD before: a next change made
		 * by this same command finds them HEAD's. */
		if (sd__checkout(s, &head, &commit_id) < 0)
			sd_error_clear();
	}
	rc = 0;
out:
	free(msg);
	free(updates);
	git_reference_free(ref);
	git_reference_free(head_ref);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	return rc;
}
