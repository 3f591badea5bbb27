/*
 * read - the baseline: a plain C read of every ticket file of a store.
 *
 * usage: read STORE
 *
 * Walks STORE/tickets/NNN/ and reads each file whole (open, read, close),
 * in directory order, then prints the number of files and of bytes.  What
 * any program that looks at every ticket must at least do: sd-list and
 * sd-report cost this plus parsing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[1 << 16];

static int
is_dir(int at, const struct dirent *de)
{
	struct stat st;

	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	return fstatat(at, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

int
main(int argc, char *argv[])
{
	unsigned long long files = 0, bytes = 0;
	char path[4096];
	struct dirent *de, *fe;
	DIR *top, *shard;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: read STORE\n");
		return 64;
	}
	snprintf(path, sizeof(path), "%s/tickets", argv[1]);
	if (!(top = opendir(path))) {
		fprintf(stderr, "read: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((de = readdir(top))) {
		if (de->d_name[0] == '.' || !is_dir(dirfd(top), de))
			continue;
		snprintf(path, sizeof(path), "%s/tickets/%s", argv[1], de->d_name);
		if (!(shard = opendir(path))) {
			fprintf(stderr, "read: %s: %s\n", path, strerror(errno));
			bad = 1;
			continue;
		}
		while ((fe = readdir(shard))) {
			ssize_t n;
			int fd;

			if (fe->d_name[0] == '.')
				continue;
			if ((fd = openat(dirfd(shard), fe->d_name, O_RDONLY | O_CLOEXEC)) < 0) {
				fprintf(stderr, "read: %s/%s: %s\n", path, fe->d_name, strerror(errno));
				bad = 1;
				continue;
			}
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				bytes += (unsigned long long)n;
			if (n < 0) {
				fprintf(stderr, "read: %s/%s: %s\n", path, fe->d_name, strerror(errno));
				bad = 1;
			}
			close(fd);
			files++;
		}
		closedir(shard);
	}
	closedir(top);
	printf("%llu files, %llu bytes\n", files, bytes);
	return bad || ferror(stdout) || fflush(stdout) ? 1 : 0;
}
