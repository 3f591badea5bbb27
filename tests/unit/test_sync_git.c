/*
 * lib/sync_git.c: the git program run with a timeout: its output kept,
 * the message its stderr's telling line, a git that hangs killed with
 * its children, a git that is not there said so.
 */
#include <errno.h>
#include <signal.h>
#include <sys/time.h>

#include "unit.h"
#include "internal.h"
#include "sync_internal.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* git ALIAS, ALIAS a shell alias: `git -c alias.NAME=!CMD NAME`. */
static int
run_alias(const char *cmd, long long timeout, int *status, char **out)
{
	char def[512];
	const char *argv[] = { "git", "-c", def, "t", NULL };

	snprintf(def, sizeof(def), "alias.t=!%s", cmd);
	return sd__git_run_out(argv, timeout, status, out);
}

static void
output_kept(void **state)
{
	char *out = NULL;
	int status = -2;

	(void)state;
	assert_ok(run_alias("echo one; echo two; echo noise >&2", 10, &status, &out));
	assert_int_equal(status, 0);
	assert_string_equal(out, "one\ntwo\n");
	free(out);
	/* Without out: the same, nothing kept. */
	assert_ok(sd__git_run((const char *const[]){ "git", "--version", NULL }, 10, &status));
	assert_int_equal(status, 0);
}

static void
message_lines(void **state)
{
	char *out = NULL;
	int status = -2;

	(void)state;
	/* The hub's words first, "remote: " taken off. */
	assert_fails(run_alias("echo 'remote: ' >&2; echo 'remote: sd-fsck: SD-4: refused' >&2; "
	    "echo 'error: failed to push some refs' >&2; exit 1", 10, &status, &out),
	    SD_EIO, "git t: sd-fsck: SD-4: refused");
	assert_int_equal(status, 1);
	assert_string_equal(out, "");
	free(out);
	/* Else git's first fatal: line, not the advice after it. */
	assert_fails(run_alias("echo 'fatal: no such hub' >&2; echo 'fatal: could not read' >&2; "
	    "echo 'Please make sure' >&2; exit 128", 10, &status, NULL),
	    SD_EIO, "git t: fatal: no such hub");
	assert_int_equal(status, 128);
	/* Else its last line. */
	assert_fails(run_alias("echo first >&2; echo last >&2; exit 2", 10, &status, NULL),
	    SD_EIO, "git t: last");
	/* Nothing said: failed. */
	assert_fails(run_alias("exit 3", 10, &status, NULL), SD_EIO, "git t: failed");
	assert_int_equal(status, 3);
}

/* Is process pid there and not a zombie (its parent, a subreaper, may
 * not have reaped it yet)? */
static int
alive(long pid)
{
	char path[64], text[512] = "", *paren;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return kill((pid_t)pid, 0) == 0;
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	paren = strrchr(text, ')');
	return !(paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X'));
}

static void
killed_on_time(void **state)
{
	char pidfile[] = "/tmp/sd-unit-git.XXXXXX", cmd[256], buf[32] = "";
	double start;
	int status = 0, fd;
	FILE *f;
	long child;

	(void)state;
	fd = mkstemp(pidfile);
	assert_true(fd >= 0);
	close(fd);
	/* A child of git's (as ssh would be) that holds the pipes. */
	snprintf(cmd, sizeof(cmd), "sleep 30 & echo $! >%s; wait", pidfile);
	start = now();
	assert_fails(run_alias(cmd, 1, &status, NULL), SD_EIO, "git t: no answer in 1 s");
	assert_int_equal(status, -1);
	assert_true(now() - start < 5);
	/* The whole group killed: the sleep is gone. */
	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(pidfile);
	child = strtol(buf, NULL, 10);
	assert_true(child > 1);
	for (int i = 0; i < 50 && alive(child); i++)
		usleep(20000);
	assert_false(alive(child));
}

static void
no_git(void **state)
{
	const char *path = getenv("PATH");
	char *was = path ? strdup(path) : NULL;
	int status = 0;

	(void)state;
	setenv("PATH", "/nonexistent", 1);
	assert_fails(sd__git_run((const char *const[]){ "git", "fetch", NULL }, 5, &status),
	    SD_EIO, "git: the git program is not on the PATH");
	assert_int_equal(status, 127);
	if (was)
		setenv("PATH", was, 1);
	free(was);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(output_kept),
		cmocka_unit_test(message_lines),
		cmocka_unit_test(killed_on_time),
		cmocka_unit_test(no_git),
	};

	setlocale(LC_ALL, "C");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
