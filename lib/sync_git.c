/*
 * The git program, for what crosses the wire to a hub (fetch, push,
 * clone): run without a shell, its stdin /dev/null, its output kept, and
 * its whole process group killed when it takes longer than allowed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "sync_internal.h"
#include "sd/error.h"

static double
seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The line of git's stderr worth a message: the hub's own words (a hook's
 * "remote: " line) first, else git's first fatal: or error: line, else
 * its last line. */
static void
pick_line(const char *text, char *out, size_t size)
{
	const char *best = NULL, *fatal = NULL, *last = NULL;
	size_t bestn = 0, fataln = 0, lastn = 0;

	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n) {
			if (!best && n > 8 && !strncmp(p, "remote: ", 8) &&
			    strspn(p + 8, " ") < n - 8) {
				best = p + 8;
				bestn = n - 8;
			}
			if (!fatal && (!strncmp(p, "fatal: ", 7) || !strncmp(p, "error: ", 7))) {
				fatal = p;
				fataln = n;
			}
			last = p;
			lastn = n;
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	if (!best) {
		best = fatal ? fatal : last;
		bestn = fatal ? fataln : lastn;
	}
	while (best && bestn && *best == ' ') {
		best++;
		bestn--;
	}
	snprintf(out, size, "%.*s", best ? (int)bestn : 0, best ? best : "");
}

/* Read what fd has into b; 1 at its end. */
static int
drain(int fd, struct sd_buf *b)
{
	char chunk[4096];
	ssize_t k = read(fd, chunk, sizeof(chunk));

	if (k > 0) {
		/* Only so much kept: git's progress can be long. */
		if (b->len < (1u << 20))
			sd_buf__add(b, chunk, (size_t)k);
		return 0;
	}
	return k == 0 || (errno != EINTR && errno != EAGAIN);
}

/* What git was asked to do, for messages: its first word that is no
 * option (nor the value of -c or -C). */
static const char *
verb(const char *const argv[])
{
	for (size_t i = 1; argv[i]; i++) {
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "-C")) {
			if (!argv[++i])
				break;
		} else if (argv[i][0] != '-') {
			return argv[i];
		}
	}
	return "";
}

int
sd__git_run_out(const char *const argv[], long long timeout, int *exit_status, char **out)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status = 0, done[2] = { 0, 0 }, killed = 0;
	struct sd_buf o = { 0 }, e = { 0 };
	double deadline = seconds() + (double)(timeout > 0 ? timeout : 30);
	pid_t pid, w = 0;
	int rc = 0;

	*exit_status = -1;
	if (out)
		*out = NULL;
	if (pipe(po) < 0 || pipe(pe) < 0) {
		rc = sd_error_set(SD_EIO, "git: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		rc = sd_error_set(SD_EIO, "git: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		/* A group of its own: ssh and the helpers die with it. */
		setpgid(0, 0);
		if (null < 0 || dup2(null, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
			_exit(127);
		close(po[0]);
		close(pe[0]);
		signal(SIGPIPE, SIG_DFL);
		execvp("git", (char *const *)argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	while (!done[0] || !done[1]) {
		struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		double left = deadline - seconds();
		int k;

		if (left <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		fds[0].fd = done[0] ? -1 : po[0];
		fds[1].fd = done[1] ? -1 : pe[0];
		k = poll(fds, 2, left > 0.2 ? 200 : (int)(left * 1000) + 1);
		if (k < 0 && errno != EINTR) {
			kill(-pid, SIGKILL);
			killed = 1;
			break;
		}
		for (int i = 0; i < 2 && k > 0; i++)
			if (fds[i].revents)
				done[i] = drain(i ? pe[0] : po[0], i ? &e : &o);
		/* git gone, a child of its holding the pipes: not waited for. */
		if (!w && (w = waitpid(pid, &status, WNOHANG)) == pid && k == 0)
			break;
		if (w < 0)
			w = 0;
	}
	if (killed || w != pid) {
		if (killed)
			kill(-pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (killed) {
		kill(-pid, SIGKILL);
		rc = sd_error_set(SD_EIO, _("git %s: no answer in %lld s"), verb(argv),
		    timeout > 0 ? timeout : 30);
		goto out;
	}
	*exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (sd_buf__check(&o) < 0 || sd_buf__check(&e) < 0) {
		rc = sd__oom();
		goto out;
	}
	if (*exit_status == 127 && !e.len) {
		rc = sd_error_set(SD_EIO, "%s", _("git: the git program is not on the PATH"));
	} else if (*exit_status != 0) {
		char line[512];

		pick_line(e.data ? e.data : "", line, sizeof(line));
		rc = sd_error_set(SD_EIO, "git %s: %s", verb(argv), *line ? line : _("failed"));
	}
	if (out) {
		if (!(*out = sd_buf__detach(&o)))
			rc = sd__oom();
	}
out:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	sd_buf__free(&o);
	sd_buf__free(&e);
	return rc;
}

int
sd__git_run(const char *const argv[], long long timeout, int *exit_status)
{
	return sd__git_run_out(argv, timeout, exit_status, NULL);
}
