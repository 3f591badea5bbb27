/*
 * Making a store (sd-init): built whole in a temporary directory, then put
 * in place, so that an sd-init that fails or is killed leaves no half
 * store where the store was to be; shared by a group when asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history_index.h"
#include "internal.h"
#include "store_internal.h"
#include "sd/config.h"
#include "sd/store.h"

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* The temporary directory and all in it; never following a link. */
static void
remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The store's contents in root, a new directory: the repository, its first
 * commit, and the four files (sd.ini last). */
static int
build(struct sd_store *s, const char *const texts[4], const struct sd_zone *zone,
    const struct sd_agent *author, time_t now)
{
	git_repository_init_options opts;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid blob, tree_id, commit_id;
	struct sd_config *conf = NULL;
	char *git = sd__path(s->root, ".git");
	int rc = 0;

	if (!git)
		return sd__oom();
	/* The prefix, for the address of an agent without an email. */
	if (sd_config_parse(&conf, texts, sd_config_files) < 0) {
		rc = sd_error_set(SD_ECONFIG, "%s", sd_error_message());
		goto out;
	}
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH |
	    GIT_REPOSITORY_INIT_NO_REINIT;
	/* core.sharedRepository = group: setgid directories, group-writable
	 * files, for every member (sd(7), SHARED STORES). */
	if (s->shared)
		opts.mode = GIT_REPOSITORY_INIT_SHARED_GROUP;
	opts.initial_head = "main";
	if (git_repository_init_ext(&s->repo, git, &opts) < 0) {
		rc = sd_error_set(SD_EEXISTS, "%s: %s", git,
		    git_error_last() ? git_error_last()->message : "git");
		goto out;
	}
	/* git gc, run by sd-close --auto beside agents, must never lock refs
	 * that sd moves: refs stay loose. */
	{
		git_config *cfg = NULL;
		if (git_repository_config(&cfg, s->repo) < 0 ||
		    git_config_set_bool(cfg, "gc.packRefs", 0) < 0 ||
		    (s->shared && git_config_set_string(cfg, "core.sharedRepository", "group") < 0)) {
			git_config_free(cfg);
			rc = sd__git_error("init");
			goto out;
		}
		git_config_free(cfg);
	}
	if (git_treebuilder_new(&tb, s->repo, NULL) < 0) {
		rc = sd__git_error("init");
		goto out;
	}
	for (int f = 0; f < 4; f++)
		if (git_blob_create_from_buffer(&blob, s->repo, texts[f], strlen(texts[f])) < 0 ||
		    git_treebuilder_insert(NULL, tb, sd_config_files[f], &blob, GIT_FILEMODE_BLOB) < 0) {
			rc = sd__git_error(sd_config_files[f]);
			goto out;
		}
	if (git_treebuilder_write(&tree_id, tb) < 0 || git_tree_lookup(&tree, s->repo, &tree_id) < 0) {
		rc = sd__git_error("init");
		goto out;
	}
	if ((rc = sd__signature(&sig, NULL, sd_config_prefix(conf), zone, author, now)) < 0)
		goto out;
	if (git_commit_create(&commit_id, s->repo, NULL, sig, sig, NULL,
	    "init\n\nAction: init\n", tree, 0, NULL) < 0) {
		rc = sd__git_error("init");
		goto out;
	}
	{
		git_oid ids[6];
		git_reference *ref = NULL;
		size_t k = 0;

		git_oid_cpy(&ids[k++], &commit_id);
		git_oid_cpy(&ids[k++], &tree_id);
		for (int f = 0; f < 4; f++)
			git_oid_cpy(&ids[k++], git_tree_entry_id(git_tree_entry_byname(tree, sd_config_files[f])));
		if ((rc = sd__durable(git_repository_path(s->repo), ids, k, NULL)) < 0)
			goto out;
		if (git_reference_create(&ref, s->repo, "refs/heads/main", &commit_id, 0, "init") < 0) {
			rc = sd__git_error("init");
			goto out;
		}
		git_reference_free(ref);
		if ((rc = sd__durable(git_repository_path(s->repo), NULL, 0, "refs/heads/main")) < 0)
			goto out;
	}
	/* sd.ini last: until it is there, this is not a store. */
	for (int f = 3; f >= 0 && rc == 0; f--)
		rc = sd__write_blob(s, sd_config_files[f],
		    git_tree_entry_id(git_tree_entry_byname(tree, sd_config_files[f])),
		    GIT_FILEMODE_BLOB);
	if (rc == 0)
		rc = sd__marker_write(s, &commit_id);
	if (rc == 0)
		sd__history_index_init(s, &commit_id);
out:
	sd_config_free(conf);
	git_signature_free(sig);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_repository_free(s->repo);
	s->repo = NULL;
	free(git);
	return rc;
}

/* Into the existing directory dir, what tmp holds, sd.ini last (until it
 * is there, dir is no store); then tmp goes.  On failure what was moved
 * goes back, and dir is as it was. */
static int
move_in(const char *tmp, const char *dir)
{
	static const char *const order[] = {
		"sla.ini", "escalation.ini", "agents.ini", ".git", "sd.ini"
	};
	size_t i;
	int rc = 0;

	for (i = 0; i < SD_ARRAY_SIZE(order) && rc == 0; i++) {
		char *from = sd__path(tmp, order[i]), *to = sd__path(dir, order[i]);
		if (!from || !to)
			rc = sd__oom();
		else if (rename(from, to) < 0)
			rc = sd_error_set(SD_EEXISTS, "%s: %s", to, strerror(errno));
		free(from);
		free(to);
	}
	if (rc < 0)
		for (i -= 1; i-- > 0;) {
			char *from = sd__path(tmp, order[i]), *to = sd__path(dir, order[i]);
			if (from && to)
				(void)rename(to, from);
			free(from);
			free(to);
		}
	if (rc == 0 && rmdir(tmp) < 0)
		rc = sd_error_set(SD_EIO, "%s: %s", tmp, strerror(errno));
	return rc;
}

/* The store that dir, a real path, is in or under (sd.ini and .git in it
 * or above: a copy of an sd.ini kept aside is no store); NULL when none.
 * A store inside another is a stray directory in that store's tree. */
static char *
enclosing_store(const char *dir)
{
	char *d = sd__strdup(dir), *p;
	struct stat st;

	while (d) {
		char *ini = sd__path(d, "sd.ini"), *git = sd__path(d, ".git");
		int there = ini && git && stat(ini, &st) == 0 && S_ISREG(st.st_mode) &&
		    stat(git, &st) == 0 && S_ISDIR(st.st_mode);

		free(ini);
		free(git);
		if (there)
			return d;
		if (!(p = strrchr(d, '/')) || !d[1])
			break;
		p[p == d] = '\0';
	}
	free(d);
	return NULL;
}

int
sd_store_init_ext(const char *dir, const char *const texts[4], const struct sd_zone *zone,
    const struct sd_agent *author, time_t now, const char *group)
{
	struct sd_store s = { 0 };
	struct sd_buf tmp = SD_BUF_INIT;
	struct stat st;
	char *copy = NULL, *parent, *real = NULL;
	int exists, rc = 0;
	gid_t gid = (gid_t)-1;

	git_libgit2_init();
	s.lockfd = -1;
	if (group) {
		struct group *gr = getgrnam(group);
		if (!gr)
			return sd_error_set(SD_EINVALID, _("%s: no such group"), group);
		gid = gr->gr_gid;
		s.shared = 1;
	}
	exists = stat(dir, &st) == 0;
	if (exists && !S_ISDIR(st.st_mode))
		return sd_error_set(SD_EEXISTS, "%s: %s", dir, strerror(ENOTDIR));
	if (exists) {
		if (!(real = realpath(dir, NULL)))
			return sd_error_set(SD_EEXISTS, "%s: %s", dir, strerror(errno));
		{
			char *ini = sd__path(real, "sd.ini"), *git = sd__path(real, ".git");
			int there = !ini || !git || lstat(ini, &st) == 0 || lstat(git, &st) == 0;
			free(ini);
			free(git);
			if (there) {
				rc = sd_error_set(SD_EEXISTS,
				    _("%s: a store or repository is there already"), real);
				goto out;
			}
		}
		/* Built inside it, hidden, then moved in. */
		sd_buf__printf(&tmp, "%s/.sd-init.XXXXXX", real);
	} else {
		/* Built beside it, in the same directory (the same file
		 * system), then renamed into place whole. */
		if (!(copy = sd__strdup(dir)))
			return sd__oom();
		while (strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
			copy[strlen(copy) - 1] = '\0';
		parent = dirname(copy);
		if (!(real = realpath(parent, NULL)))
			return free(copy), sd_error_set(SD_EEXISTS, "%s: %s", dir, strerror(errno));
		free(copy);
		copy = sd__strdup(dir);
		while (copy && strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
			copy[strlen(copy) - 1] = '\0';
		sd_buf__printf(&tmp, "%s/.%s.sd-init.XXXXXX", real, copy ? basename(copy) : "store");
	}
	if ((rc = sd_buf__check(&tmp)) < 0)
		goto out;
	{
		char *outer = enclosing_store(real);
		if (outer) {
			rc = sd_error_set(SD_EEXISTS,
			    _("%s: inside the store %s; make a store outside any other"), dir, outer);
			free(outer);
			goto out;
		}
	}
	if (!mkdtemp(tmp.data)) {
		rc = sd_error_set(SD_EEXISTS, "%s: %s", dir, strerror(errno));
		goto out;
	}
	/* mkdtemp makes it 0700: a store is as the umask says, or its
	 * group's, setgid, for a shared one. */
	{
		mode_t mask = umask(0);
		umask(mask);
		if (s.shared && (chown(tmp.data, (uid_t)-1, gid) < 0 ||
		    chmod(tmp.data, 02775 & ~(mask & 0002)) < 0))
			rc = sd_error_set(SD_EPERM, _("%s: cannot give it to group %s: %s"), dir,
			    group, strerror(errno));
		else if (!s.shared && chmod(tmp.data, 0777 & ~mask) < 0)
			rc = sd_error_set(SD_EIO, "%s: %s", tmp.data, strerror(errno));
	}
	s.root = tmp.data;
	if (rc == 0) {
		/* What git makes, the group may write too. */
		mode_t mask = s.shared ? umask(0) : 0;
		if (s.shared)
			umask(mask & ~(mode_t)0070);
		rc = build(&s, texts, zone, author, now);
		if (s.shared)
			umask(mask);
	}
	/* An existing directory becomes the group's too, setgid. */
	if (rc == 0 && exists && s.shared && (stat(real, &st) < 0 ||
	    chown(real, (uid_t)-1, gid) < 0 || chmod(real, (st.st_mode & 07777) | 02070) < 0))
		rc = sd_error_set(SD_EPERM, _("%s: cannot give it to group %s: %s"), real,
		    group, strerror(errno));
	if (rc == 0 && exists)
		rc = move_in(tmp.data, real);
	else if (rc == 0 && rename(tmp.data, dir) < 0)
		rc = sd_error_set(SD_EEXISTS, "%s: %s", dir, strerror(errno));
	if (rc < 0)
		remove_tree(tmp.data);
out:
	sd_buf__free(&tmp);
	free(copy);
	free(real);
	return rc;
}

int
sd_store_init(const char *dir, const char *const texts[4], const struct sd_zone *zone,
    const struct sd_agent *author, time_t now)
{
	return sd_store_init_ext(dir, texts, zone, author, now, NULL);
}
