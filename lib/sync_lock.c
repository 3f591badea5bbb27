/*
 * sd-sync's own lock, .git/sd-sync.lock, held (flock, not waited for) for
 * a whole run; under it, what a run killed earlier left is cleared: the
 * ref locks under .git/refs/sd/ and the pack's temporary files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "internal.h"
#include "sync_internal.h"
#include "sd/error.h"

/* Files in gitdir/sub whose names start with pre or end with suf: removed. */
static int
clear(const char *gitdir, const char *sub, const char *pre, const char *suf)
{
	char dir[4096], path[4400];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s%s", gitdir, sub);
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : sd_error_set(SD_EIO, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.' ||
		    (pre && strncmp(e->d_name, pre, strlen(pre)) != 0) ||
		    (suf && (n < strlen(suf) || strcmp(e->d_name + n - strlen(suf), suf) != 0)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) < 0 && errno != ENOENT && rc == 0)
			rc = sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	}
	closedir(d);
	return rc;
}

int
sd__sync_lock(const char *gitdir, int *fd)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%ssd-sync.lock", gitdir);
	if ((*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0664)) < 0)
		return sd_error_set(SD_EIO, "%s: %s", path, strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(*fd);
		*fd = -1;
		if (e == EWOULDBLOCK)
			return sd_error_set(SD_EBUSY, "%s", _("another sd-sync is running"));
		return sd_error_set(SD_EIO, "%s: %s", path, strerror(e));
	}
	if ((rc = clear(gitdir, "refs/sd", NULL, ".lock")) < 0 ||
	    (rc = clear(gitdir, "objects/pack", "tmp_", NULL)) < 0) {
		sd__sync_unlock(fd);
		return rc;
	}
	return 0;
}

void
sd__sync_unlock(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
