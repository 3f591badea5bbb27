/*
 * The files of a store on disk, reached from its directory: every
 * directory on the way opened without following a symbolic link, a file
 * written whole under an exclusive, unpredictable temporary name and
 * renamed into place, removed by its directory.  A symbolic link or a
 * special file (FIFO, device, socket) where the layout has a directory or
 * a file is refused (SD_EINVALID, 65), never written, read or waited on
 * through (SPEC section 11).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define TEMP_DIR ".git/sd-tmp"  /* the temporary files, emptied under the lock */

/* What stands at shown, of mode m, that is not what the layout wants. */
static int
refuse(const char *shown, mode_t m, int want_dir)
{
	const char *what = S_ISLNK(m) ? _("a symbolic link") : S_ISFIFO(m) ? _("a FIFO") :
	    S_ISCHR(m) || S_ISBLK(m) ? _("a device") : S_ISSOCK(m) ? _("a socket") :
	    S_ISDIR(m) ? _("a directory") : want_dir ? _("a file") : _("not a regular file");

	return sd_error_set(SD_EINVALID, _("%s: %s where the store's layout wants a %s; sd "
	    "writes nothing through it (sd-fsck --repair)"), shown, what,
	    want_dir ? _("directory") : _("regular file"));
}

int
sd__kind_at(int dir, const char *name, const char *shown, int want_dir)
{
	struct stat st;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 1 : sd_error_set(SD_EIO, "%s: %s", shown, strerror(errno));
	if (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return refuse(shown, st.st_mode, want_dir);
	return 0;
}

int
sd__root_dir(const char *root, int flags, const char *rel, size_t n, int create, int *out)
{
	const int open_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	struct sd_buf shown = SD_BUF_INIT;
	int fd, rc = 0;

	*out = -1;
	if ((fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return sd_error_set(errno == ENOENT ? SD_ENOTFOUND : SD_EIO, "%s: %s", root,
		    strerror(errno));
	sd_buf__adds(&shown, root);
	for (size_t i = 0; i < n && rc == 0;) {
		size_t k = strcspn(rel + i, "/");
		char name[256];
		int next, err;

		if (k > n - i)
			k = n - i;
		if (k == 0) {           /* "a//b": as "a/b" */
			i++;
			continue;
		}
		if (k >= sizeof(name)) {
			rc = sd_error_set(SD_EIO, "%s/%.*s: %s", root, (int)n, rel,
			    strerror(ENAMETOOLONG));
			break;
		}
		memcpy(name, rel + i, k);
		name[k] = '\0';
		i += k + 1;
		sd_buf__printf(&shown, "/%s", name);
		if ((rc = sd_buf__check(&shown)) < 0)
			break;
		/* Never out of the store, nor where it already is. */
		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			rc = sd_error_set(SD_EINVALID, _("%s: not a path of the store's layout"),
			    shown.data);
			break;
		}
		/* O_NOFOLLOW: a link is not gone through; O_NONBLOCK: a FIFO
		 * is never waited on (O_DIRECTORY refuses both). */
		next = openat(fd, name, open_flags);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, name, 0777) < 0 && errno != EEXIST) {
				rc = sd_error_set(SD_EIO, "%s: %s", shown.data, strerror(errno));
				break;
			}
			if ((next = openat(fd, name, open_flags)) >= 0 && (flags & SD_FILES_SHARED)) {
				/* The group's, setgid, for every member to write in. */
				struct stat st;
				if (fstat(next, &st) == 0)
					(void)fchmod(next, (st.st_mode & 07777) | S_ISGID | S_IRWXG);
			}
		}
		err = errno;
		if (next < 0) {
			if (err == ENOENT)
				rc = 1;
			else if ((err != ELOOP && err != ENOTDIR) ||
			    (rc = sd__kind_at(fd, name, shown.data, 1)) == 0)
				rc = sd_error_set(SD_EIO, "%s: %s", shown.data, strerror(err));
		}
		close(fd);
		fd = next;
	}
	sd_buf__free(&shown);
	if (rc != 0) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

/* A name nobody can guess: .NAME.XXXXXXXXXXXXXXXX.tmp (sd-fsck knows a
 * dot and .tmp for the leftover of an interrupted write). */
static void
temp_name(char *out, size_t size, const char *name)
{
	static uint64_t counter;
	uint64_t r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		r ^= ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20);
	}
	r ^= ++counter * 0x9e3779b97f4a7c15ull;
	snprintf(out, size, ".%.200s.%016llx.tmp", name, (unsigned long long)r);
}

/* name in dir written through a temporary file made in tmpdir (on the
 * same file system), then renamed into place; made durable (the file and
 * its directory flushed) only if sync: a bulk write makes all its files
 * durable at once, at its end. */
static int
write_via(int tmpdir, int dir, const char *name, const char *shown, const void *data,
    size_t len, int mode, int replace, int sync)
{
	const char *p = data;
	char tmp[256];
	int fd = -1, rc, tries = 0;

	/* What stands there is replaced, never written through; but a link
	 * or a FIFO where a file should be is a defect to tell, unless the
	 * caller restores (replace). */
	if (!replace && (rc = sd__kind_at(dir, name, shown, 0)) < 0)
		return rc;
	do {
		temp_name(tmp, sizeof(tmp), name);
		fd = openat(tmpdir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	} while (fd < 0 && errno == EEXIST && ++tries < 100);
	if (fd < 0)
		return sd_error_set(SD_EIO, "%s: %s", shown, strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, (mode_t)mode) < 0 || (sync && fsync(fd) < 0))
		goto fail;
	rc = close(fd);
	fd = -1;
	if (rc < 0 || renameat(tmpdir, tmp, dir, name) < 0)
		goto fail;
	if (sync && fsync(dir) < 0)
		return sd_error_set(SD_EIO, "%s: %s", shown, strerror(errno));
	return 0;
fail:
	rc = sd_error_set(SD_EIO, "%s: %s", shown, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlinkat(tmpdir, tmp, 0);
	return rc;
}

int
sd__write_at(int dir, const char *name, const char *shown, const void *data, size_t len,
    int mode, int replace)
{
	return write_via(dir, dir, name, shown, data, len, mode, replace, 1);
}

/* rel's directory part: its length (0 for a file at the root). */
static size_t
dir_len(const char *rel)
{
	const char *slash = strrchr(rel, '/');

	return slash ? (size_t)(slash - rel) : 0;
}

static const char *
base_name(const char *rel)
{
	const char *slash = strrchr(rel, '/');

	return slash ? slash + 1 : rel;
}

int
sd__root_write(const char *root, int flags, const char *rel, const void *data, size_t len,
    int mode)
{
	char *shown = sd__path(root, rel);
	int dir, tmpdir = -1, rc;

	if (!shown)
		return sd__oom();
	if ((flags & SD_FILES_SHARED) && !(flags & SD_FILES_PRIVATE))
		mode |= (mode & 0444) >> 3 | (mode & 0200) >> 3;      /* the group as the owner */
	if ((rc = sd__root_dir(root, flags, rel, dir_len(rel), 1, &dir)) != 0) {
		if (rc > 0)
			rc = sd_error_set(SD_EIO, "%s: %s", shown, strerror(ENOENT));
		free(shown);
		return rc;
	}
	/* The temporary file in .git/sd-tmp, where a killed writer's is
	 * found and removed by the next holder of the lock. */
	if ((rc = sd__root_dir(root, flags, TEMP_DIR, strlen(TEMP_DIR), 1, &tmpdir)) > 0)
		rc = sd_error_set(SD_EIO, "%s/%s: %s", root, TEMP_DIR, strerror(ENOENT));
	if (rc == 0)
		rc = write_via(tmpdir, dir, base_name(rel), shown, data, len, mode,
		    flags & SD_FILES_REPLACE, 1);
	if (tmpdir >= 0)
		close(tmpdir);
	close(dir);
	free(shown);
	return rc;
}

/* A bulk write: the directory of the last file kept open (a tree is
 * written directory by directory), and nothing flushed until the end. */
struct sd__bulk {
	char *root;
	int flags;
	int rootfd;
	int dir;                /* the directory of the last file, or -1 */
	struct sd_buf dir_rel;  /* its path under root */
	size_t files;
};

int
sd__bulk_begin(struct sd__bulk **out, const char *root, int flags)
{
	struct sd__bulk *b = calloc(1, sizeof(*b));
	int rc;

	*out = NULL;
	if (!b || !(b->root = sd__strdup(root))) {
		free(b);
		return sd__oom();
	}
	b->flags = flags;
	b->dir = -1;
	if ((rc = sd__root_dir(root, flags, "", 0, 0, &b->rootfd)) != 0) {
		b->rootfd = -1;
		sd__bulk_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

/* name made in dir, exclusively, and written: 1 when something stands
 * there already (then nothing is done). */
static int
write_new(int dir, const char *name, const char *shown, const void *data, size_t len,
    int mode)
{
	const char *p = data;
	int fd, rc;

	if ((fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode)) < 0)
		return errno == EEXIST ? 1 : sd_error_set(SD_EIO, "%s: %s", shown, strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, (mode_t)mode) < 0)
		goto fail;
	rc = close(fd);
	fd = -1;
	if (rc < 0)
		goto fail;
	return 0;
fail:
	rc = sd_error_set(SD_EIO, "%s: %s", shown, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlinkat(dir, name, 0);
	return rc;
}

int
sd__bulk_write(struct sd__bulk *b, const char *rel, const void *data, size_t len, int mode)
{
	size_t n = dir_len(rel);
	char *shown;
	int rc = 0;

	if ((b->flags & SD_FILES_SHARED) && !(b->flags & SD_FILES_PRIVATE))
		mode |= (mode & 0444) >> 3 | (mode & 0200) >> 3;      /* the group as the owner */
	if (!(shown = sd__path(b->root, rel)))
		return sd__oom();
	if (b->dir < 0 || b->dir_rel.len != n || (n && memcmp(b->dir_rel.data, rel, n))) {
		if (b->dir >= 0)
			close(b->dir);
		b->dir = -1;
		b->dir_rel.len = 0;
		if ((rc = sd__root_dir(b->root, b->flags, rel, n, 1, &b->dir)) > 0)
			rc = sd_error_set(SD_EIO, "%s: %s", shown, strerror(ENOENT));
		if (rc == 0) {
			sd_buf__add(&b->dir_rel, rel, n);
			if ((rc = sd_buf__check(&b->dir_rel)) < 0) {
				close(b->dir);
				b->dir = -1;
			}
		}
	}
	/* Where nothing stands (a new clone's files), the file is made in
	 * place: no temporary name, no rename, as the marker, written after
	 * the flush, is what says the files are whole.  Where something
	 * stands, it is replaced as sd__root_write replaces it, the
	 * temporary file beside it (a hundred thousand made in one directory,
	 * .git/sd-tmp, make ext4 look longer for each inode). */
	if (rc == 0 && (rc = write_new(b->dir, base_name(rel), shown, data, len, mode)) > 0)
		rc = write_via(b->dir, b->dir, base_name(rel), shown, data, len, mode,
		    b->flags & SD_FILES_REPLACE, 0);
	if (rc == 0)
		b->files++;
	free(shown);
	return rc;
}

void
sd__bulk_free(struct sd__bulk *b)
{
	if (!b)
		return;
	if (b->dir >= 0)
		close(b->dir);
	if (b->rootfd >= 0)
		close(b->rootfd);
	sd_buf__free(&b->dir_rel);
	free(b->root);
	free(b);
}

int
sd__bulk_end(struct sd__bulk *b)
{
	int rc = 0;

	if (!b)
		return 0;
	/* One flush of the file system for every file and directory written:
	 * a journal commit for all, not one per file. */
	if (b->files && syncfs(b->rootfd) < 0)
		rc = sd_error_set(SD_EIO, "%s: %s", b->root, strerror(errno));
	sd__bulk_free(b);
	return rc;
}

int
sd__root_remove(const char *root, const char *rel, int is_dir)
{
	char *shown = sd__path(root, rel);
	int dir, rc = 0;

	if (!shown)
		return sd__oom();
	if ((rc = sd__root_dir(root, 0, rel, dir_len(rel), 0, &dir)) != 0) {
		free(shown);
		return rc < 0 ? rc : 0;         /* its directory is gone: so is it */
	}
	if (is_dir)
		(void)unlinkat(dir, base_name(rel), AT_REMOVEDIR);   /* gone if empty */
	else if ((rc = sd__kind_at(dir, base_name(rel), shown, 0)) == 0 &&
	    unlinkat(dir, base_name(rel), 0) < 0 && errno != ENOENT)
		rc = sd_error_set(SD_EIO, "%s: %s", shown, strerror(errno));
	close(dir);
	free(shown);
	return rc < 0 ? rc : 0;
}

int
sd__root_clear_temp(const char *root)
{
	struct dirent *de;
	DIR *d;
	int dir, rc;

	if ((rc = sd__root_dir(root, 0, TEMP_DIR, strlen(TEMP_DIR), 0, &dir)) != 0)
		return rc < 0 ? rc : 0;
	if (!(d = fdopendir(dir))) {
		close(dir);
		return sd_error_set(SD_EIO, "%s/%s: %s", root, TEMP_DIR, strerror(errno));
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			(void)unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	return 0;
}

int
sd__root_read(const char *root, const char *rel, char **out, size_t *len)
{
	char *shown = sd__path(root, rel);
	int dir, rc;

	*out = NULL;
	if (!shown)
		return sd__oom();
	if ((rc = sd__root_dir(root, 0, rel, dir_len(rel), 0, &dir)) != 0) {
		rc = rc < 0 ? rc : sd_error_set(SD_ENOTFOUND, "%s: %s", shown, strerror(ENOENT));
		free(shown);
		return rc;
	}
	rc = sd__read_regular_at(dir, base_name(rel), shown, out, len);
	close(dir);
	free(shown);
	return rc;
}

int
sd__read_regular_at(int dir, const char *name, const char *shown, char **out, size_t *len)
{
	struct stat st;
	int fd, rc;

	*out = NULL;
	/* O_NONBLOCK: a FIFO is not waited on; it is refused below. */
	if ((fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) < 0) {
		int err = errno;
		struct stat lst;
		/* A link (ELOOP), a socket (ENXIO)...: told as what it is. */
		if (err != ENOENT && fstatat(dir, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISREG(lst.st_mode))
			return refuse(shown, lst.st_mode, 0);
		return sd_error_set(err == ENOENT ? SD_ENOTFOUND : SD_EIO, "%s: %s", shown,
		    strerror(err));
	}
	if (fstat(fd, &st) < 0)
		rc = sd_error_set(SD_EIO, "%s: %s", shown, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = refuse(shown, st.st_mode, 0);
	else
		rc = sd__read_fd_max(out, len, fd, shown, SIZE_MAX - 1);
	close(fd);
	return rc;
}

int
sd__read_regular(char **out, size_t *len, const char *path)
{
	return sd__read_regular_at(AT_FDCWD, path, path, out, len);
}
