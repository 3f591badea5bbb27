/*
 * sd-shell's rules (sd/shell.h): the arguments a key's command may not
 * have, the environment removed, and the bounded read of a text.
 */
#include <fcntl.h>
#include <sys/wait.h>

#include "unit.h"
#include "internal.h"

/* words: a command line split by sd_shell_split, then checked. */
static int
check_line(const char *line)
{
	char **w = NULL;
	size_t n = 0;
	int rc;

	if (sd_shell_split(&w, &n, line) < 0)
		fail_msg("'%s' does not split: %s", line, sd_error_message());
	rc = sd_shell_check_args(w, n);
	sd_shell_free(w, n);
	return rc;
}

static void
test_args_refused(void **state)
{
	static const char *const bad[] = {
		"sd-note -C /x 1", "sd-note -C/x 1", "sd-note -m -- -C /x 1",
		"sd-note -m x -- -C /x 1", "sd-note -m -C 1", "sd-note 1 -C /x",
		"sd-note --store /x 1", "sd-note --store=/x 1", "sd-note --store= 1",
		"sd-note --storex 1", "sd-note SD_STORE=/x 1", "sd-note -m SD_STORE 1",
		"sd-note -F /etc/passwd 1", "sd-note -F/etc/passwd 1",
		"sd-note --file /etc/passwd 1", "sd-note --file=/etc/passwd 1",
		"sd-note --fil=/x 1", "sd-note --fi /x 1", "sd-note --f=/x 1",
		"sd-note --f /x 1", "sd-note -F -- 1", "sd-note -F ./- 1", "sd-note -F '' 1",
		"sd-note -F= 1", "sd-note --file= 1", "sd-note --file=-- 1",
		"sd-note -m -F /x 1", "sd-note 1 -F /x", "sd-note -F -x 1",
	};

	(void)state;
	for (size_t i = 0; i < SD_ARRAY_SIZE(bad); i++)
		if (check_line(bad[i]) != SD_EPERM)
			fail_msg("'%s' is taken", bad[i]);
}

static void
test_args_taken(void **state)
{
	static const char *const good[] = {
		"sd-note -m x 1", "sd-note -F - 1", "sd-note -F- 1", "sd-note --file=- 1",
		"sd-note --file - 1", "sd-note --fi=- 1", "sd-note --f - 1",
		"sd-note -F", "sd-note --file",        /* no value: the command says so */
		"sd-note -m 'a -C in a text' 1", "sd-note -m 'naming SD_STORE' 1",
		"sd-list --format tsv --fields id", "sd-note -m x -- 1",
		"sd-list --fields id,status", "sd-list --format json",
		"sd-note -m x SD-1", "sd-show --field title 1",
	};

	(void)state;
	for (size_t i = 0; i < SD_ARRAY_SIZE(good); i++)
		if (check_line(good[i]) != 0)
			fail_msg("'%s': %s", good[i], sd_error_message());
}

static void
test_args_message(void **state)
{
	(void)state;
	assert_fails(check_line("sd-note -m -- -C /srv/other 1"), SD_EPERM,
	    "-C: this key is bound to its store; no other can be named");
	assert_fails(check_line("sd-note -C/srv/other 1"), SD_EPERM,
	    "-C/srv/other: this key is bound to its store; no other can be named");
	assert_fails(check_line("sd-note -F /etc/passwd 1"), SD_EPERM,
	    "-F /etc/passwd: through sd-shell a text is read from standard input only (-F -)");
	assert_fails(check_line("sd-note --file=/etc/passwd 1"), SD_EPERM,
	    "-F /etc/passwd: through sd-shell a text is read from standard input only (-F -)");
	assert_fails(check_line("sd-note -F/x 1"), SD_EPERM,
	    "-F /x: through sd-shell a text is read from standard input only (-F -)");
}

static void
test_env(void **state)
{
	static const char *const removed[] = {
		"SD_STORE=/x", "SD_AGENT=ana", "SD_NOW=1999-01-01T00:00:00Z",
		"SD_EXEC_PATH=/tmp", "SD_SHAREDIR=/x", "SD_SHELL_AGENT=x", "SD_SHELL_STORE=x",
		"SD_=x", "GIT_DIR=/x", "GIT_WORK_TREE=/x", "GIT_CONFIG_GLOBAL=/x",
		"GIT_OBJECT_DIRECTORY=/x", "TZ=UTC", "TZDIR=/x", "VISUAL=vi", "EDITOR=vi",
		"PAGER=less", "LD_PRELOAD=/x.so", "LD_LIBRARY_PATH=/x", "HOSTALIASES=/x",
		"LOCALDOMAIN=x", "SD_STORE", "EDITOR=", "SD_LOCK_TIMEOUTX=1",
	};
	static const char *const kept[] = {
		"SD_LOCK_TIMEOUT=2", "SD_THREADS=4", "SD_LOCALEDIR=/x", "HOME=/home/desk",
		"PATH=/usr/bin", "LANG=es_CO.UTF-8", "LC_ALL=C", "USER=desk", "TERM=xterm",
		"SSH_ORIGINAL_COMMAND=sd-list", "SSH_CONNECTION=x", "NO_COLOR=1",
		"TZX=1", "EDITORS=1", "SD", "GIT", "XSD_STORE=1",
	};

	(void)state;
	for (size_t i = 0; i < SD_ARRAY_SIZE(removed); i++)
		if (!sd_shell_env_removed(removed[i]))
			fail_msg("%s is kept", removed[i]);
	for (size_t i = 0; i < SD_ARRAY_SIZE(kept); i++)
		if (sd_shell_env_removed(kept[i]))
			fail_msg("%s is removed", kept[i]);
}

/* n bytes of 'a' through a pipe, read with sd__read_fd_max(max). */
static int
read_pipe(size_t n, size_t max, size_t *len)
{
	int fd[2], rc, status;
	char *out = NULL;
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	if ((pid = fork()) == 0) {
		static char chunk[4096];
		close(fd[0]);
		memset(chunk, 'a', sizeof(chunk));
		while (n) {
			size_t k = n < sizeof(chunk) ? n : sizeof(chunk);
			if (write(fd[1], chunk, k) < 0)
				_exit(0);       /* the reader stopped: as it should */
			n -= k;
		}
		_exit(0);
	}
	close(fd[1]);
	rc = sd__read_fd_max(&out, len, fd[0], "standard input", max);
	close(fd[0]);
	waitpid(pid, &status, 0);
	if (rc == 0) {
		assert_non_null(out);
		assert_int_equal(strlen(out), *len);
	} else {
		assert_null(out);
	}
	free(out);
	return rc;
}

static void
test_read_bounded(void **state)
{
	size_t len = 0;

	(void)state;
	assert_ok(read_pipe(0, SD_TEXT_MAX, &len));
	assert_int_equal(len, 0);
	assert_ok(read_pipe(SD_TEXT_MAX, SD_TEXT_MAX, &len));
	assert_int_equal(len, SD_TEXT_MAX);
	assert_fails(read_pipe(SD_TEXT_MAX + 1, SD_TEXT_MAX, &len), SD_EINVALID,
	    "standard input: longer than 1048576 bytes");
	/* 64 MiB offered: refused once past the limit, not read to the end. */
	assert_int_equal(read_pipe((size_t)64 << 20, SD_TEXT_MAX, &len), SD_EINVALID);
	assert_ok(read_pipe(10, 10, &len));
	assert_int_equal(len, 10);
	assert_int_equal(read_pipe(11, 10, &len), SD_EINVALID);
}

static void
test_read_file_bounded(void **state)
{
	char path[] = "/tmp/sd-unit-shell.XXXXXX", *out = NULL;
	size_t len = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	assert_ok(sd__read_file_max(&out, &len, path, 10));
	assert_string_equal(out, "0123456789");
	free(out);
	assert_int_equal(sd__read_file_max(&out, &len, path, 9), SD_EINVALID);
	assert_null(out);
	unlink(path);
	/* A character device has no size to look at: read up to the limit. */
	assert_fails(sd__read_file_max(&out, &len, "/dev/zero", 4096), SD_EINVALID,
	    "/dev/zero: longer than 4096 bytes");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args_refused),
		cmocka_unit_test(test_args_taken),
		cmocka_unit_test(test_args_message),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_read_bounded),
		cmocka_unit_test(test_read_file_bounded),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
