/*
 * sd-fsck: a store's files held against HEAD, the layout and the rules,
 * git's own check, and the repairs --repair may make.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "sync_internal.h"
#include "fsck_attach.h"
#include "sd/kb.h"
#include "layout.h"
#include "progress.h"
#include "report_internal.h"
#include "store_internal.h"
#include "sd/desk.h"
#include "sd/fsck.h"
#include "sd/id.h"
#include "sd/sla.h"
#include "sd/store.h"
#include "sd/ticket.h"
#include "sd/time.h"
#include "sd/workflow.h"
#include "step.h"

struct fsck {
	struct sd_store *s;
	const struct sd_config *cfg;    /* NULL when the configuration is broken */
	int repair;
	sd_fsck_fn fn;
	void *arg;
	int worst;                      /* of what remains */
	git_tree *head_tree;
	git_tree *mark_tree;            /* the files' commit, when HEAD moved; or NULL */
	int marked;                     /* the files' commit is known */
	struct sd_change *redo;         /* tickets whose due dates are rewritten */
	size_t nredo;
	int unrestored;                 /* files that still differ from HEAD */
	int restored;                   /* files written back from HEAD */
	const struct sd_agent *agent;   /* who repairs, or NULL for sd */
	int clone;                      /* a clone being made a store (SD_CLONE_*), or -1 */
	char now[SD_TIME_MAX];
	struct sd_buf repaired;         /* "ID\n" of each ticket rewritten */
	struct sd__fsck_attach *attach; /* attachments and their references */
	struct sd__count checked;       /* HEAD's files checked */
};


/* repaired: 1 mended, 0 not, -1 a warning that is no defect. */
static void
report(struct fsck *k, const char *path, int line, int code, int repaired,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
report(struct fsck *k, const char *path, int line, int code, int repaired,
    const char *fmt, ...)
{
	struct sd_fsck_finding f;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f.path = path;
	f.line = line;
	f.message = msg;
	f.code = code;
	f.repaired = repaired > 0;
	f.warning = repaired < 0;
	k->fn(&f, k->arg);
	if (!repaired)
		k->worst = sd_error_worst(k->worst, code);
}

/* A defect of attachments (lib/fsck_attach.c): --repair mends none. */
static void
attach_defect(const char *path, const char *message, void *arg)
{
	report(arg, path, 0, SD_EINVALID, 0, "%s", message);
}

/* The line of `key =` in a ticket file's [ticket] section, or 0. */
static int
line_of(const char *data, const char *key)
{
	size_t n = strlen(key);
	int line = 1;

	for (const char *p = data; *p; line++) {
		if (!strncmp(p, key, n) && (p[n] == ' ' || p[n] == '='))
			return line;
		if (*p == '\n' && p != data && p[1] == '[')
			break;
		if (!(p = strchr(p, '\n')))
			break;
		p++;
		if (*p == '[' && line > 1)
			break;
	}
	return 0;
}

/* A message "path:line: text" from the parser, split back into its parts. */
static void
report_parse(struct fsck *k, const char *path, int code)
{
	const char *m = sd_error_message();
	size_t plen = strlen(path);
	int line = 0;

	if (!strncmp(m, path, plen) && m[plen] == ':') {
		m += plen + 1;
		line = atoi(m);
		while (*m >= '0' && *m <= '9')
			m++;
		if (*m == ':')
			m++;
		while (*m == ' ')
			m++;
	}
	report(k, path, line, code, 0, "%s", m);
}

/* A configuration message "file:line: text", or "file: text". */
static void
report_parse_any(struct fsck *k, int code)
{
	char path[256];
	const char *m = sd_error_message();
	size_t n = strcspn(m, ":");

	if (m[n] == ':' && n < sizeof(path)) {
		memcpy(path, m, n);
		path[n] = '\0';
		report_parse(k, path, code);
	} else {
		report(k, "", 0, code, 0, "%s", m);
	}
}

/* Rewrite the due dates of the ticket in data, as the action repair. */
static void
repair_due(struct fsck *k, const char *rel, const char *data, size_t len)
{
	struct sd_ticket *t = NULL;
	struct sd__step st = { 0 };

	if (sd_ticket_parse(&t, data, len, rel, SD_PARSE_FULL) == 0 &&
	    sd__step_begin(&st, k->cfg, k->agent, "repair", t, k->now, 0) == 0 &&
	    sd__step_event(&st, "text", "due dates recomputed") == 0 &&
	    sd__step_finish(&st, sd_ticket_get(t, SD_F_STATUS)) == 0 &&
	    sd_change_ticket(k->redo, t) == 0) {
		k->nredo++;
		sd_buf__printf(&k->repaired, "%s\n", sd_ticket_get(t, SD_F_ID));
	} else {
		report(k, rel, 0, SD_EINVALID, 0, "%s", sd_error_message());
	}
	sd__step_free(&st);
	sd_ticket_free(t);
}

static void
check_ticket(struct fsck *k, const char *rel, const char *data, size_t len)
{
	const char *name = strrchr(rel, '/') + 1;
	struct sd_ticket *t = NULL;
	char id[SD_ID_MAX];
	const char *prefix;
	long n;

	if (sd_ticket_parse(&t, data, len, rel, SD_PARSE_FULL) < 0) {
		report_parse(k, rel, SD_EINVALID);
		return;
	}
	if (k->attach)
		sd__fsck_attach_ticket(k->attach, rel, t, attach_defect, k);
	if (!k->cfg)
		goto out;
	prefix = sd_config_prefix(k->cfg);
	n = sd__file_number(name, prefix);
	sd_id_format(id, prefix, n);
	if (!n || strcmp(sd_ticket_get(t, SD_F_ID), id)) {
		report(k, rel, line_of(data, "id"), SD_EINVALID, 0,
		    _("id '%s' does not match the file name"), sd_ticket_get(t, SD_F_ID));
		goto out;
	}
	for (int f = 0; f < SD_F__COUNT; f++)
		if (sd_field_check(k->cfg, f, sd_ticket_get(t, f)) < 0)
			report(k, rel, line_of(data, sd_field_name(f)), SD_EINVALID, 0, "%s",
			    sd_error_message());
	if (sd_ticket_check(t, NULL) < 0) {
		report(k, rel, 0, SD_EINVALID, 0, "%s", sd_error_message());
		goto out;
	}
	{
		const char *st = sd_ticket_get(t, SD_F_STATUS);
		const struct sd_group *g = sd_config_group(k->cfg, sd_ticket_get(t, SD_F_GROUP));
		if ((!strcmp(st, "assigned") || !strcmp(st, "reopened")) && !*sd_ticket_get(t, SD_F_ASSIGNEE))
			report(k, rel, line_of(data, "assignee"), SD_EINVALID, 0,
			    _("status %s needs an assignee"), st);
		if (!strcmp(st, "solved") && !*sd_ticket_get(t, SD_F_SOLVED))
			report(k, rel, line_of(data, "solved"), SD_EINVALID, 0, "%s",
			    _("status solved needs a solved time"));
		if (!strcmp(st, "closed") && !*sd_ticket_get(t, SD_F_CLOSED))
			report(k, rel, line_of(data, "closed"), SD_EINVALID, 0, "%s",
			    _("status closed needs a closed time"));
		if (g && g->level != sd_ticket_number(t, SD_F_LEVEL))
			report(k, rel, line_of(data, "level"), SD_EINVALID, 0,
			    _("level %ld, but group %s is level %d"), sd_ticket_number(t, SD_F_LEVEL),
			    g->name, g->level);
	}
	/* The due dates are a function of the file and the configuration. */
	{
		char old[2][SD_TIME_MAX];
		snprintf(old[0], SD_TIME_MAX, "%s", sd_ticket_get(t, SD_F_DUE_RESPONSE));
		snprintf(old[1], SD_TIME_MAX, "%s", sd_ticket_get(t, SD_F_DUE_RESOLUTION));
		if (sd_sla_update(t, k->cfg) < 0) {
			report(k, rel, 0, SD_EINVALID, 0, "%s", sd_error_message());
			goto out;
		}
		for (int c = 0; c < 2; c++) {
			enum sd_field f = c ? SD_F_DUE_RESOLUTION : SD_F_DUE_RESPONSE;
			if (strcmp(old[c], sd_ticket_get(t, f)))
				report(k, rel, line_of(data, sd_field_name(f)), SD_EINVALID, k->repair,
				    _("%s is '%s', the clock says '%s'"), sd_field_name(f), old[c],
				    sd_ticket_get(t, f));
		}
		if (k->repair && (strcmp(old[0], sd_ticket_get(t, SD_F_DUE_RESPONSE)) ||
		    strcmp(old[1], sd_ticket_get(t, SD_F_DUE_RESOLUTION))))
			repair_due(k, rel, data, len);
	}
out:
	sd_ticket_free(t);
}

/* A file of HEAD's tree: on disk as in the tree?  Checked as it stands. */
static int
tree_file(const char *root, const git_tree_entry *e, void *payload)
{
	struct fsck *k = payload;
	struct sd_buf rel = SD_BUF_INIT;
	char *path = NULL, *data = NULL;
	git_blob *blob = NULL;
	const char *content;
	size_t len;
	git_oid oid;
	int on_disk;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	sd__count_add(&k->checked, 1);
	sd_buf__printf(&rel, "%s%s", root, git_tree_entry_name(e));
	if (rel.failed)
		goto out;
	if (!sd__path_written(rel.data))
		goto out;
	if (git_blob_lookup(&blob, k->s->repo, git_tree_entry_id(e)) < 0) {
		report(k, rel.data, 0, SD_EINVALID, 0, _("HEAD's blob is missing: %s"),
		    git_error_last() ? git_error_last()->message : "");
		goto out;
	}
	on_disk = sd__store_read(k->s, rel.data, &data, &len) == 0;
	if (!on_disk || git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0 ||
	    !git_oid_equal(&oid, git_tree_entry_id(e))) {
		int fixed = k->repair && sd__write_blob(k->s, rel.data, git_tree_entry_id(e),
		    git_tree_entry_filemode(e)) == 0;
		git_tree_entry *was = NULL;
		k->unrestored += !fixed;
		k->restored += fixed;
		/* Not what sd wrote last: a hand change, and how to keep or
		 * undo it.  What sd wrote before HEAD moved is no hand change. */
		if (on_disk && !fixed && k->marked && (!k->mark_tree ||
		    git_tree_entry_bypath(&was, k->mark_tree, rel.data) < 0 ||
		    !git_oid_equal(&oid, git_tree_entry_id(was))) &&
		    sd__hand_check(k->s, k->head_tree, rel.data) == SD_EINVALID)
			report(k, rel.data, 0, SD_EINVALID, 0, _("differs from HEAD: %s"),
			    sd_error_message() + strlen(rel.data) + 2);
		else
			report(k, rel.data, 0, SD_EINVALID, fixed, "%s",
			    on_disk ? _("differs from HEAD") : _("missing (it is in HEAD)"));
		git_tree_entry_free(was);
	}
	/* Check what the store will hold: HEAD's version. */
	content = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	/* A ticket's by its name; other files there are the layout's. */
	if (!strncmp(rel.data, "tickets/", 8) &&
	    (!k->cfg || sd__file_number(git_tree_entry_name(e), sd_config_prefix(k->cfg))))
		check_ticket(k, rel.data, content, len);
	else if (!strncmp(rel.data, "attachments/", 12) && k->attach)
		sd__fsck_attach_file(k->attach, rel.data, content, len, attach_defect, k);
	else if (!strcmp(rel.data, "sites.ini")) {
		struct sd__sites sites;
		if (sd__sites_parse(&sites, content, len) < 0)
			report_parse(k, rel.data, SD_EINVALID);
		sd__sites_free(&sites);
	} else if (!strncmp(rel.data, "kb/", 3) && sd_kb_path_parse(rel.data, NULL) == 0) {
		struct sd_kb_article a;
		if (sd_kb_parse(&a, content, len, rel.data) < 0)
			report_parse(k, rel.data, SD_EINVALID);
		else
			sd_kb_free(&a);
	}
out:
	git_blob_free(blob);
	free(data);
	free(path);
	sd_buf__free(&rel);
	return 0;
}

/* A defect of HEAD's layout (lib/layout.c), which --repair cannot mend:
 * the tree is history. */
static int
layout_defect(const char *path, int line, const char *message, void *arg)
{
	report(arg, path, line, SD_EINVALID, 0, "%s", message);
	return 0;
}

/* Files on disk that HEAD does not have: each directory's held against
 * HEAD's tree of the same path (tree, NULL when HEAD has none), each
 * name looked up there by a binary search, so that the cost grows with
 * the files, not with their square. */
static void
extra_files(struct fsck *k, const char *rel, git_tree *tree)
{
	char *dir = sd__path(k->s->root, *rel ? rel : ".");
	struct dirent *de;
	DIR *d;

	if (!dir || !(d = opendir(dir))) {
		free(dir);
		return;
	}
	while ((de = readdir(d))) {
		const git_tree_entry *e = tree ? git_tree_entry_byname(tree, de->d_name) : NULL;
		struct sd_buf sub = SD_BUF_INIT;
		struct stat st;
		char *path;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!*rel && (!strcmp(de->d_name, ".git") || !strcmp(de->d_name, "hooks")))
			continue;
		sd_buf__printf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (!(path = sd__path(k->s->root, sub.data)) || lstat(path, &st) < 0) {
			free(path);
			sd_buf__free(&sub);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			git_tree *t = NULL;
			if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
			    git_tree_lookup(&t, k->s->repo, git_tree_entry_id(e)) < 0)
				t = NULL;
			extra_files(k, sub.data, t);
			git_tree_free(t);
		} else if (!e || git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
			size_t n = strlen(de->d_name);
			int tmp = de->d_name[0] == '.' && n > 4 && !strcmp(de->d_name + n - 4, ".tmp");
			int fixed = k->repair && unlink(path) == 0;
			report(k, sub.data, 0, SD_EINVALID, fixed, "%s",
			    tmp ? _("leftover of an interrupted write") :
			    S_ISLNK(st.st_mode) ? _("a symbolic link that HEAD does not have") :
			    _("not in HEAD"));
		}
		sd_buf__free(&sub);
		free(path);
	}
	closedir(d);
	free(dir);
}

/* A plain clone writes out all of HEAD's tree, hooks/ too: a file there
 * equal to HEAD's came from the history, not from this machine's
 * administrator, and is never to run (hooks are machine-local). */
static void
history_hooks(struct fsck *k)
{
	const git_tree_entry *dir = git_tree_entry_byname(k->head_tree, "hooks");
	git_tree *t = NULL;

	if (!dir || git_tree_entry_type(dir) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&t, k->s->repo, git_tree_entry_id(dir)) < 0)
		return;
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		struct sd_buf rel = SD_BUF_INIT;
		char *path = NULL, *data = NULL;
		struct stat st;
		git_oid id;
		size_t len;

		sd_buf__printf(&rel, "hooks/%s", git_tree_entry_name(e));
		if (!rel.failed && git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
		    (path = sd__path(k->s->root, rel.data)) && lstat(path, &st) == 0 &&
		    S_ISREG(st.st_mode) && sd__read_file(&data, &len, path) == 0 &&
		    git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) == 0 &&
		    git_oid_equal(&id, git_tree_entry_id(e))) {
			int fixed = k->repair && unlink(path) == 0;
			report(k, rel.data, 0, SD_EINVALID, fixed, "%s",
			    _("written out from the store's history (by a plain clone?): "
			    "hooks are machine-local, never taken from there"));
		}
		sd_error_clear();
		free(data);
		free(path);
		sd_buf__free(&rel);
	}
	git_tree_free(t);
}

static void
remove_cache(struct fsck *k)
{
	char *dir = sd__path(k->s->root, ".git/sd-cache/report");
	struct dirent *de;
	DIR *d;

	if (dir && (d = opendir(dir))) {
		while ((de = readdir(d))) {
			struct sd_buf p = SD_BUF_INIT;
			if (de->d_name[0] == '.')
				continue;
			sd_buf__printf(&p, "%s/%s", dir, de->d_name);
			if (!p.failed)
				unlink(p.data);
			sd_buf__free(&p);
		}
		closedir(d);
	}
	free(dir);
}

/* A report cache file that is not what HEAD's tickets give. */
static void
cache_bad(const char *rel, int removed, void *arg)
{
	report(arg, rel, 0, SD_EINVALID, removed, "%s",
	    _("a report cache file that HEAD's tickets do not give"));
}

/* Run git fsck on the repository: objects and refs.  Making a clone a
 * store (light), every object was checked as the clone received it, and
 * HEAD's trees and blobs were read above, each against its id: git fsck
 * checks only that the history is whole. */
static void
git_fsck(struct fsck *k, int light)
{
	char *git = sd__path(k->s->root, ".git");
	int status;
	pid_t pid;

	if (!git)
		return;
	fflush(NULL);
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", 0);
		if (null >= 0) {
			dup2(null, 0);
			dup2(2, 1);
		}
		char safe[4200];        /* a shared store: lib/store.c, open_repo */
		snprintf(safe, sizeof(safe), "safe.directory=%s", k->s->shared ? git : "");
		execlp("git", "git", "--git-dir", git, "-c", safe, "fsck", "--no-dangling",
		    "--no-progress", light ? "--connectivity-only" : (char *)NULL, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 127)
		report(k, ".git", 0, SD_EIO, 0, "%s", _("could not run git fsck"));
	else if (WEXITSTATUS(status) != 0)
		report(k, ".git", 0, SD_EINVALID, 0, "%s", _("git fsck found errors (above)"));
	free(git);
}

/* A plain clone has a work tree and an index: make it bare, as a store is. */
static void
check_bare(struct fsck *k)
{
	char *index = sd__path(k->s->root, ".git/index");
	git_config *cfg = NULL;
	struct stat st;
	int bare = 0;

	if (git_repository_config(&cfg, k->s->repo) == 0)
		git_config_get_bool(&bare, cfg, "core.bare");
	if (!bare || (index && stat(index, &st) == 0)) {
		int fixed = k->repair && cfg && git_config_set_bool(cfg, "core.bare", 1) == 0 &&
		    (!index || unlink(index) == 0 || errno == ENOENT);
		report(k, ".git", 0, SD_EINVALID, fixed, "%s",
		    _("not a bare repository with no index (a plain clone?)"));
	}
	git_config_free(cfg);
	free(index);
}

/* Lock files left by a process killed while moving a ref. */
static void
stale_locks(struct fsck *k)
{
	char name[480], branch[512] = "";
	const char *locks[4] = { ".git/HEAD.lock", ".git/packed-refs.lock", ".git/config.lock", branch };

	if (sd__head_branch(k->s->repo, name, sizeof(name)) == 0)
		snprintf(branch, sizeof(branch), ".git/%s.lock", name);
	for (size_t i = 0; i < SD_ARRAY_SIZE(locks); i++) {
		struct stat st;
		char *path;

		if (!*locks[i] || !(path = sd__path(k->s->root, locks[i])))
			continue;
		if (stat(path, &st) == 0) {
			int fixed = k->repair && unlink(path) == 0;
			report(k, locks[i], 0, SD_EINVALID, fixed, "%s", _("stale lock file"));
		}
		free(path);
	}
}

/* In dir, relative rel, the object files libgit2 was still writing when
 * its process was killed: `tmp_object_git2_*`. */
static void
stale_temporaries_in(struct fsck *k, const char *dir, const char *rel)
{
	struct dirent *f;
	DIR *d;

	if (!(d = opendir(dir)))
		return;
	while ((f = readdir(d))) {
		char name[160], *path;
		int fixed;

		if (strncmp(f->d_name, "tmp_object_git2_", 16) || !(path = sd__path(dir, f->d_name)))
			continue;
		snprintf(name, sizeof(name), "%s/%.64s", rel, f->d_name);
		fixed = k->repair && unlink(path) == 0;
		report(k, name, 0, SD_EINVALID, k->repair ? fixed : -1, "%s",
		    _("an object file left half written"));
		free(path);
	}
	closedir(d);
}

/* libgit2 writes an object to .git/objects/tmp_object_git2_* and then
 * links it in place.  Objects are written only under the store's lock,
 * so when sd-fsck --repair holds it such a file is stale; a check alone
 * reports it as a warning, since a change may be under way.  (Older
 * libgit2 wrote them in .git/objects/XX/: looked at too.) */
static void
stale_temporaries(struct fsck *k)
{
	char *objects = sd__path(k->s->root, ".git/objects");
	struct dirent *de;
	DIR *top;

	if (!objects || !(top = opendir(objects))) {
		free(objects);
		return;
	}
	stale_temporaries_in(k, objects, ".git/objects");
	while ((de = readdir(top))) {
		char rel[32], *sub;

		if (strlen(de->d_name) != 2 || !(sub = sd__path(objects, de->d_name)))
			continue;
		snprintf(rel, sizeof(rel), ".git/objects/%s", de->d_name);
		stale_temporaries_in(k, sub, rel);
		free(sub);
	}
	closedir(top);
	free(objects);
}

/* The configuration as HEAD holds it: the disk is compared with HEAD
 * file by file, and a repair restores it from there. */
static int
head_config(struct sd_config **out, struct fsck *k)
{
	const char *texts[4] = { NULL, NULL, NULL, NULL };
	git_blob *blobs[4] = { NULL, NULL, NULL, NULL };
	char *copies[4] = { NULL, NULL, NULL, NULL };
	int rc = 0;

	for (int f = 0; f < 4 && rc == 0; f++) {
		const git_tree_entry *e = git_tree_entry_byname(k->head_tree, sd_config_files[f]);
		if (!e || git_blob_lookup(&blobs[f], k->s->repo, git_tree_entry_id(e)) < 0) {
			rc = sd_error_set(SD_ECONFIG, _("%s: not in HEAD"), sd_config_files[f]);
			break;
		}
		copies[f] = sd__strndup(git_blob_rawcontent(blobs[f]), (size_t)git_blob_rawsize(blobs[f]));
		if (!copies[f])
			rc = sd__oom();
		texts[f] = copies[f];
	}
	if (rc == 0)
		rc = sd_config_parse(out, texts, sd_config_files);
	for (int f = 0; f < 4; f++) {
		free(copies[f]);
		git_blob_free(blobs[f]);
	}
	return rc;
}

/* No store at dir: a clone of one, that --repair makes a store?  0 with
 * k->s open, or with k->s NULL and the finding reported; else the error
 * of the store not found. */
static int
open_clone(struct fsck *k, const char *dir)
{
	char *root = NULL;
	int kind, rc = SD_ENOTFOUND;
	const char *what;

	if (sd__clone_find(&root, dir, &kind) < 0 || !root) {
		free(root);
		return rc;
	}
	what = kind == SD_CLONE_BARE ?
	    _("a bare clone of a store, not yet one (its repository is not in .git)") :
	    _("a clone of a store with no files, not yet one");
	if (!k->repair) {
		report(k, ".git", 0, SD_EINVALID, 0, "%s", what);
		rc = k->worst;
	} else if ((rc = sd__clone_make(root, kind)) < 0) {
		report(k, ".git", 0, rc, 0, "%s", sd_error_message());
		rc = k->worst;
	} else {
		report(k, ".git", 0, SD_EINVALID, 1, "%s", what);
		k->clone = kind;
		rc = sd_store_open(&k->s, root, SD_OPEN_NO_SYNC | SD_OPEN_NO_CONFIG);
	}
	free(root);
	return rc;
}

int
sd_fsck(const char *dir, int repair, time_t now, const struct sd_progress *progress,
    sd_fsck_fn fn, void *arg)
{
	struct fsck k = { 0 };
	git_oid head, mark;
	int have_mark;
	git_commit *c = NULL;
	struct sd_config *cfg = NULL;
	int rc;

	k.repair = repair;
	k.fn = fn;
	k.arg = arg;
	k.clone = -1;
	if ((rc = sd_store_open(&k.s, dir, SD_OPEN_NO_SYNC | SD_OPEN_NO_CONFIG)) == SD_ENOTFOUND)
		rc = open_clone(&k, dir);
	if (rc < 0 || !k.s)
		return rc;
	sd_store_set_progress(k.s, progress);
	/* HEAD and the files read as one snapshot: no change runs meanwhile. */
	if ((rc = repair ? sd__store_lock_only(k.s) : sd__store_lock_shared(k.s)) < 0)
		goto out;
	k.s->repairing = repair;
	check_bare(&k);
	stale_locks(&k);
	stale_temporaries(&k);
	if (sd__head(k.s, &head) < 0 || git_commit_lookup(&c, k.s->repo, &head) < 0 ||
	    git_commit_tree(&k.head_tree, c) < 0) {
		report(&k, ".git", 0, SD_EIO, 0, "%s", sd_error_message());
		rc = k.worst;
		goto out;
	}
	have_mark = sd__marker_read(k.s, &mark) == 0;
	sd_error_clear();
	/* Never a store: a clone.  Its files, all of them or those a
	 * checkout left out, written from HEAD at once. */
	if (repair && !have_mark && k.clone < 0)
		k.clone = SD_CLONE_NONE;
	if (k.clone > SD_CLONE_NONE) {
		if (sd__checkout(k.s, NULL, &head) < 0) {
			report(&k, "", 0, SD_EIO, 0, "%s", sd_error_message());
			rc = k.worst;
			goto out;
		}
		have_mark = sd__marker_read(k.s, &mark) == 0;
	}
	if (!have_mark || !git_oid_equal(&mark, &head)) {
		/* The files are restored one by one below; then they match. */
		report(&k, ".git/sd-head", 0, SD_EINVALID, repair, "%s",
		    _("the files are not marked as equal to HEAD"));
	} else {
		k.marked = 1;
	}
	/* HEAD moved without sd (a push): the files sd wrote are the mark's. */
	if (have_mark && !k.marked && git_odb_exists(k.s->odb, &mark)) {
		git_commit *m = NULL;
		k.marked = git_commit_lookup(&m, k.s->repo, &mark) == 0 &&
		    git_commit_tree(&k.mark_tree, m) == 0;
		git_commit_free(m);
	}
	if (head_config(&cfg, &k) < 0)
		report_parse_any(&k, SD_ECONFIG);
	k.cfg = cfg;
	if (k.s->cfg == NULL)
		k.s->cfg = cfg;
	sd_store_set_now(k.s, now);
	if (repair) {
		if ((rc = sd_change_new(&k.redo, "repair")) < 0)
			goto out;
		sd_time_format(k.now, sd_config_zone(k.cfg), now);
		/* By the acting agent, or the store's own when there is none:
		 * what a repair writes is what the clock computes. */
		if (k.cfg && sd_store_agent(k.s, &k.agent) < 0)
			k.agent = NULL;
		sd_error_clear();
	}
	/* The ids are checked with each ticket's contents, below. */
	if (k.cfg && (rc = sd__layout_check_tree(k.s->repo, k.head_tree, sd_config_prefix(k.cfg),
	    SD_LAYOUT_NO_IDS, layout_defect, &k)) < 0)
		report(&k, ".git", 0, rc, 0, "%s", sd_error_message());
	if (sd__fsck_attach_new(&k.attach) < 0)
		report(&k, "", 0, SD_EIO, 0, "%s", sd_error_message());
	sd__count_start(&k.checked, progress, N_("Checking files"),
	    progress ? sd__count_blobs(k.head_tree) : 0);
	git_tree_walk(k.head_tree, GIT_TREEWALK_PRE, tree_file, &k);
	sd__count_end(&k.checked);
	if (k.attach && sd__fsck_attach_end(k.attach, attach_defect, &k) < 0)
		report(&k, "", 0, SD_EIO, 0, "%s", sd_error_message());
	extra_files(&k, "", k.head_tree);
	history_hooks(&k);
	/* A report cache filled from files that differed from HEAD would go
	 * on counting them: after restoring any, it goes. */
	if (repair && k.restored)
		remove_cache(&k);
	else if (k.cfg && sd__report_cache_check(k.s, k.head_tree, k.cfg, repair, cache_bad, &k) < 0)
		report(&k, ".git/sd-cache", 0, SD_EIO, 0, "%s", sd_error_message());
	if (repair && !k.unrestored) {
		if (sd__marker_write(k.s, &head) < 0)
			report(&k, ".git/sd-head", 0, SD_EIO, 0, "%s", sd_error_message());
	}
	if (repair && k.nredo) {
		sd_change_subject(k.redo, "repair: due dates of %zu ticket%s", k.nredo,
		    k.nredo == 1 ? "" : "s");
		if (sd_store_commit(k.s, k.redo, k.agent) < 0) {
			report(&k, "", 0, SD_EIO, 0, "%s", sd_error_message());
		} else {
			if (sd_store_warning(k.s))
				report(&k, "", 0, SD_EIO, -1, "%s", sd_store_warning(k.s));
			/* hooks/repair, once for each ticket rewritten. */
			for (char *id = k.repaired.data, *nl; id && (nl = strchr(id, '\n')); id = nl + 1) {
				*nl = '\0';
				if (sd_desk_hook(k.s, "repair", id, k.agent, NULL) < 0)
					report(&k, "", 0, SD_EIO, -1, "%s", sd_error_message());
			}
		}
	}
	git_fsck(&k, k.clone >= 0);
	rc = k.worst;
out:
	if (k.s && k.s->cfg == cfg)
		k.s->cfg = NULL;
	sd_config_free(cfg);
	sd_change_free(k.redo);
	sd__fsck_attach_free(k.attach);
	sd_buf__free(&k.repaired);
	git_tree_free(k.head_tree);
	git_tree_free(k.mark_tree);
	git_commit_free(c);
	sd_store_free(k.s);
	return rc;
}
