/*
 * tests/fault/fault.c - an LD_PRELOAD shim for the fault tests
 * (tests/cmd/faults.t): the FAULT_N-th call of one kind (FAULT_CALL: write,
 * pwrite, fsync, fdatasync, rename, renameat, open - with O_CREAT - or
 * close) in the process fails with FAULT_ERRNO (ENOSPC or EIO), without
 * being made (close does close: the descriptor is gone either way).  With
 * FAULT_COUNT=FILE it fails nothing and writes "KIND COUNT" lines to FILE
 * at exit.  Calls on descriptors 0, 1 and 2 are neither counted nor
 * failed: the faults are the store's, not the terminal's.  The variables
 * are taken out of the environment at start, so that a child (a hook, git)
 * runs as it would.  With FAULT_KILL=TEXT the process kills itself
 * (SIGKILL, as kill -9 would) at the first open with O_CREAT of a name
 * that holds TEXT: a command stopped between two of its steps.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum kind { K_WRITE, K_PWRITE, K_FSYNC, K_FDATASYNC, K_RENAME, K_RENAMEAT, K_OPEN, K_CLOSE, NKINDS };

static const char *const names[NKINDS] = {
	"write", "pwrite", "fsync", "fdatasync", "rename", "renameat", "open", "close"
};

static int target = -1;
static long nth;
static int fault_errno = EIO;
static char *count_file;
static char *kill_at;
static long counts[NKINDS];

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);

static void *
next(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (!p) {
		fprintf(stderr, "fault.so: no %s\n", name);
		abort();
	}
	return p;
}

__attribute__((constructor)) static void
fault_start(void)
{
	const char *call = getenv("FAULT_CALL"), *n = getenv("FAULT_N"), *e = getenv("FAULT_ERRNO");
	const char *c = getenv("FAULT_COUNT");

	real_write = next("write");
	real_pwrite = next("pwrite");
	real_fsync = next("fsync");
	real_fdatasync = next("fdatasync");
	real_rename = next("rename");
	real_renameat = next("renameat");
	real_open = next("open");
	real_openat = next("openat");
	real_close = next("close");
	for (int k = 0; call && k < NKINDS; k++)
		if (!strcmp(call, names[k]))
			target = k;
	if (call && target < 0) {
		fprintf(stderr, "fault.so: FAULT_CALL=%s: not a call it fails\n", call);
		exit(99);
	}
	nth = n ? atol(n) : 0;
	if (e && !strcmp(e, "ENOSPC"))
		fault_errno = ENOSPC;
	else if (e && strcmp(e, "EIO")) {
		fprintf(stderr, "fault.so: FAULT_ERRNO=%s: ENOSPC or EIO\n", e);
		exit(99);
	}
	if (c)
		count_file = strdup(c);
	if (getenv("FAULT_KILL") && *getenv("FAULT_KILL"))
		kill_at = strdup(getenv("FAULT_KILL"));
	unsetenv("LD_PRELOAD");
	unsetenv("FAULT_CALL");
	unsetenv("FAULT_N");
	unsetenv("FAULT_ERRNO");
	unsetenv("FAULT_COUNT");
	unsetenv("FAULT_KILL");
}

/* FAULT_KILL: killed before path is made, when its name holds the text. */
static void
maybe_kill(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	if (kill_at && path && strstr(slash ? slash + 1 : path, kill_at))
		kill(getpid(), SIGKILL);
}

__attribute__((destructor)) static void
fault_end(void)
{
	FILE *f;

	if (!count_file || !(f = fopen(count_file, "w")))
		return;
	for (int k = 0; k < NKINDS; k++)
		fprintf(f, "%s %ld\n", names[k], __atomic_load_n(&counts[k], __ATOMIC_SEQ_CST));
	fclose(f);
}

/* Count a call of kind k: 1 when it is the one to fail. */
static int
hit(enum kind k)
{
	long c = __atomic_add_fetch(&counts[k], 1, __ATOMIC_SEQ_CST);

	if ((int)k == target && c == nth) {
		errno = fault_errno;
		return 1;
	}
	return 0;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	if (fd > 2 && hit(K_WRITE))
		return -1;
	return real_write(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (fd > 2 && hit(K_PWRITE))
		return -1;
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) __attribute__((alias("pwrite")));

int
fsync(int fd)
{
	if (fd > 2 && hit(K_FSYNC))
		return -1;
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	if (fd > 2 && hit(K_FDATASYNC))
		return -1;
	return real_fdatasync(fd);
}

int
rename(const char *from, const char *to)
{
	if (hit(K_RENAME))
		return -1;
	return real_rename(from, to);
}

int
renameat(int dfrom, const char *from, int dto, const char *to)
{
	if (hit(K_RENAMEAT))
		return -1;
	return real_renameat(dfrom, from, dto, to);
}

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
		maybe_kill(path);
		if (hit(K_OPEN))
			return -1;
	}
	return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int
openat(int dir, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
		maybe_kill(path);
		if (hit(K_OPEN))
			return -1;
	}
	return real_openat(dir, path, flags, mode);
}

int openat64(int dir, const char *path, int flags, ...) __attribute__((alias("openat")));

int
close(int fd)
{
	if (fd > 2 && hit(K_CLOSE)) {
		real_close(fd);
		errno = fault_errno;
		return -1;
	}
	return real_close(fd);
}
