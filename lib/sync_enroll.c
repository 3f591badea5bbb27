/*
 * Enrolling a site (sd-sync --enroll URL DIR --site NAME): the hub cloned
 * by the git program into DIR/.git, bare, every object checked as it is
 * received; HEAD's files written at once and flushed once; the site's
 * name and hub set in the repository's git config; the first block of
 * numbers leased.  Nothing is left behind when a step fails.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "store_internal.h"
#include "sync_internal.h"
#include "sd/error.h"
#include "sd/sync.h"

/* The clone's whole transfer, in seconds: the hub's [sync] timeout is
 * not known before its sd.ini is here, and a desk's history may be
 * large. */
#define ENROLL_TIMEOUT 3600

/* A path of the file system (not a URL, nor ssh's host:path) made
 * absolute, so that the hub is reached from anywhere; the rest as is. */
static char *
hub_url(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');
	char *abs;

	if (strstr(url, "://") || (colon && (!slash || colon < slash)))
		return sd__strdup(url);
	if ((abs = realpath(url, NULL)))
		return abs;
	return sd__strdup(url);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

/* DIR as it was: removed when made here, else emptied. */
static void
undo(const char *dir, int made)
{
	struct dirent *de;
	DIR *d;

	if (made) {
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		char *p;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((p = sd__path(dir, de->d_name)))
			nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(p);
	}
	closedir(d);
}

/* DIR may become the site: missing (made, *made set) or an empty
 * directory.  Else SD_EEXISTS. */
static int
claim_dir(const char *dir, int *made)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int empty = 1;

	*made = 0;
	if (mkdir(dir, 0777) == 0) {
		*made = 1;
		return 0;
	}
	if (errno != EEXIST)
		return sd_error_set(SD_EEXISTS, "%s: %s", dir, strerror(errno));
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return sd_error_set(SD_EEXISTS, _("%s: exists and is not a directory; a site "
		    "is made in a new or empty directory"), dir);
	if (!(d = opendir(dir)))
		return sd_error_set(SD_EEXISTS, "%s: %s", dir, strerror(errno));
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	if (!empty)
		return sd_error_set(SD_EEXISTS, _("%s: not empty; a site is made in a new or "
		    "empty directory"), dir);
	return 0;
}

/* The repository's git config: this machine's site of the hub, refs
 * kept loose as sd-init keeps them, objects checked on every fetch, and
 * the hub's head at refs/sd/hub (where sd-sync fetches it). */
static int
configure(struct sd_store *s, const char *site, const char *hub)
{
	git_config *cfg = NULL;
	git_reference *ref = NULL;
	char branch[480];
	git_oid head;
	int rc = 0;

	if (git_repository_config(&cfg, s->repo) < 0 ||
	    git_config_set_string(cfg, "sd.site", site) < 0 ||
	    git_config_set_string(cfg, "sd.hub", hub) < 0 ||
	    git_config_set_string(cfg, "remote.origin.url", hub) < 0 ||
	    git_config_set_string(cfg, "remote.origin.tagOpt", "--no-tags") < 0 ||
	    git_config_set_bool(cfg, "transfer.fsckObjects", 1) < 0 ||
	    git_config_set_bool(cfg, "gc.packRefs", 0) < 0)
		rc = sd__git_error("git config");
	if (rc == 0 && sd__head_branch(s->repo, branch, sizeof(branch)) == 0) {
		char spec[512];
		/* A plain git fetch puts the hub's head where sd-sync looks. */
		snprintf(spec, sizeof(spec), "+%s:refs/sd/hub", branch);
		if (git_config_set_string(cfg, "remote.origin.fetch", spec) < 0)
			rc = sd__git_error("git config");
	}
	if (rc == 0 && ((rc = sd__head(s, &head)) < 0 ||
	    git_reference_create(&ref, s->repo, "refs/sd/hub", &head, 1, "sd-sync --enroll") < 0))
		rc = rc < 0 ? rc : sd__git_error("refs/sd/hub");
	git_reference_free(ref);
	git_config_free(cfg);
	return rc;
}

/* Does the repository at git hold a store: HEAD's tree has sd.ini? */
static int
holds_store(const char *git, const char *url)
{
	git_repository *repo = NULL;
	git_object *o = NULL;
	int ok;

	ok = git_repository_open_ext(&repo, git, GIT_REPOSITORY_OPEN_NO_SEARCH |
	    GIT_REPOSITORY_OPEN_BARE, NULL) == 0 &&
	    git_revparse_single(&o, repo, "HEAD:sd.ini") == 0 &&
	    git_object_type(o) == GIT_OBJECT_BLOB;
	git_object_free(o);
	git_repository_free(repo);
	git_error_clear();
	return ok ? 0 : sd_error_set(SD_ENOTFOUND, _("%s: not a store's repository (its HEAD "
	    "has no sd.ini)"), url);
}

/* The files of HEAD written out, all flushed at once, and marked. */
static int
write_files(const char *dir, const struct sd_sync_opts *o)
{
	struct sd_store *s = NULL;
	git_oid head;
	int rc;

	if ((rc = sd__clone_make(dir, SD_CLONE_NO_FILES)) < 0 ||
	    (rc = sd_store_open(&s, dir, SD_OPEN_NO_SYNC | SD_OPEN_NO_CONFIG)) < 0)
		goto out;
	if (o)
		sd_store_set_progress(s, o->progress);
	if ((rc = sd__store_lock_only(s)) == 0 && (rc = sd__head(s, &head)) == 0)
		rc = sd__checkout(s, NULL, &head);
out:
	sd_store_free(s);
	return rc;
}

/* The first block of numbers for the site, when the desk leases them
 * ([sync] in sd.ini): a lease commit pushed to the hub, as sd-sync
 * --lease takes one. */
static int
first_lease(struct sd_store *s, const struct sd_sync_opts *o)
{
	struct sd_sync_opts lo = { 0 };

	if (!sd_config_sync(s->cfg)->given)
		return 0;
	if (o)
		lo = *o;
	lo.dry_run = lo.no_push = 0;
	return sd_sync_lease(s, &lo, NULL, NULL);
}

int
sd_sync_enroll(const char *url, const char *dir, const char *site,
    const struct sd_sync_opts *o)
{
	struct sd_store *s = NULL;
	char *hub = NULL, *git = NULL;
	int made = 0, rc;

	if (!sd__site_name_ok(site))
		return sd_error_set(SD_EUSAGE, _("--site: '%s' is not a site's name (lowercase "
		    "letters, digits and '-', 32 at most)"), site);
	if (!*url)
		return sd_error_set(SD_EUSAGE, "%s", _("the hub's URL is empty"));
	if ((rc = claim_dir(dir, &made)) < 0)
		return rc;
	if (!(hub = hub_url(url)) || !(git = sd__path(dir, ".git"))) {
		rc = sd__oom();
		goto fail;
	}
	{
		const char *argv[] = { "git", "clone", "--bare", "--no-tags", "--quiet",
		    "-c", "transfer.fsckObjects=true", "--", hub, git, NULL };
		int status;
		if ((rc = sd__git_run(argv, ENROLL_TIMEOUT, &status)) < 0)
			goto fail;
	}
	git_libgit2_init();
	rc = holds_store(git, hub);
	git_libgit2_shutdown();
	if (rc < 0)
		goto fail;
	if ((rc = write_files(dir, o)) < 0)
		goto fail;
	if ((rc = sd_store_open(&s, dir, 0)) < 0 || (rc = configure(s, site, hub)) < 0 ||
	    (rc = first_lease(s, o)) < 0)
		goto fail;
	sd_store_free(s);
	free(hub);
	free(git);
	return 0;
fail:
	sd_store_free(s);
	undo(dir, made);
	free(hub);
	free(git);
	return rc;
}
