/*
 * The outbox: every outgoing mail written to the store's machine-local
 * state (SD_MAIL_OUTBOX, under .git/, never in a commit) before it is
 * sent, sent by the machine-local command of git config sd.sendmail,
 * removed once sent, its name then kept a while in the sent log
 * (SD_MAIL_SENT) so that the same mail is never queued again; sd-mail
 * --flush sends what is left.  A file is sent under its own lock (flock),
 * so that two senders at once never send it twice.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store_internal.h"
#include "sd/mail_out.h"

extern char **environ;

/* How long a sent mail's name stays in the sent log: far longer than a
 * command takes from its commit to its mail, or a crash to the next
 * sd-mail --flush. */
#define SENT_KEEP (30L * 86400)

/* Is name in the sent log text? */
static int
in_sent(const char *log, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = log; p && *p;) {
		const char *nl = strchr(p, '\n'), *sp = strchr(p, ' ');
		size_t k = nl ? (size_t)(nl - p) : strlen(p);
		if (sp && sp < p + k && (size_t)(p + k - sp - 1) == n && !memcmp(sp + 1, name, n))
			return 1;
		p += k + (nl != NULL);
	}
	return 0;
}

/* 1 when name was sent (the sent log has it), 0 when not, < 0. */
static int
was_sent(struct sd_store *s, const char *name)
{
	char *log = NULL;
	int rc = sd__root_read(sd_store_root(s), SD_MAIL_SENT, &log, NULL);

	if (rc == SD_ENOTFOUND) {
		sd_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	rc = in_sent(log, name);
	free(log);
	return rc;
}

/* Add name to the sent log ("SECONDS NAME" lines), under the store's
 * lock, dropping the lines older than SENT_KEEP: written whole and
 * durably before the queued file goes. */
static int
log_sent(struct sd_store *s, const char *name)
{
	struct sd_buf all = SD_BUF_INIT;
	char *log = NULL;
	int rc, held = s->locked;

	if ((rc = sd_store_lock(s)) < 0)
		return rc;
	rc = sd__root_read(sd_store_root(s), SD_MAIL_SENT, &log, NULL);
	if (rc == SD_ENOTFOUND) {
		sd_error_clear();
		rc = 0;
	}
	for (const char *p = log; rc == 0 && p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t k = nl ? (size_t)(nl - p) : strlen(p);
		char *end;
		long long at = strtoll(p, &end, 10);
		if (end > p && *end == ' ' && at >= (long long)s->now - SENT_KEEP)
			sd_buf__printf(&all, "%.*s\n", (int)k, p);
		p += k + (nl != NULL);
	}
	sd_buf__printf(&all, "%lld %s\n", (long long)s->now, name);
	if (rc == 0 && (rc = sd_buf__check(&all)) == 0)
		rc = sd__store_write(s, SD_MAIL_SENT, all.data, all.len, 0600);
	if (!held)
		sd_store_unlock(s);
	free(log);
	sd_buf__free(&all);
	return rc;
}

/* The file name of a message id: the id's own characters where they are
 * safe in a name, '_' for any other. */
static void
file_name(char out[SD_MAIL_MSGID_MAX], const char *message_id)
{
	size_t i = 0;

	for (const char *p = message_id; *p && i + 1 < SD_MAIL_MSGID_MAX; p++, i++) {
		int safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || (strchr(".@-_+", *p) && !(i == 0 && *p == '.'));
		out[i] = safe ? *p : '_';
	}
	out[i] = '\0';
}

int
sd_mail_queue(struct sd_store *s, const char *message_id, const char *msg,
    char name[SD_MAIL_MSGID_MAX])
{
	struct sd_buf rel = SD_BUF_INIT;
	struct stat st;
	char *path;
	int rc, held;

	file_name(name, message_id);
	sd_buf__printf(&rel, "%s/%s", SD_MAIL_OUTBOX, name);
	if ((rc = sd_buf__check(&rel)) < 0)
		return rc;
	/* Under the store's lock: its holder clears .git/sd-tmp.  Called
	 * with it held (sd-close --auto's rows), it is kept. */
	held = s->locked;
	if ((rc = sd_store_lock(s)) < 0) {
		sd_buf__free(&rel);
		return rc;
	}
	/* Queued already (a retry of the same change), or sent (the sent
	 * log is written before the queued file goes): once is enough. */
	if (!(path = sd__path(sd_store_root(s), rel.data))) {
		rc = sd__oom();
	} else if (lstat(path, &st) == 0) {
		rc = 1;
	} else if ((rc = was_sent(s, name)) != 0) {
		;
	} else {
		/* An approval request carries its token: the owner's alone. */
		rc = sd__root_write(s->root, sd__store_files(s) |
		    (strstr(message_id, ".approval.") ? SD_FILES_PRIVATE : 0), rel.data, msg,
		    strlen(msg), 0600);
	}
	free(path);
	if (!held)
		sd_store_unlock(s);
	sd_buf__free(&rel);
	return rc;
}

/* The sendmail command and how many seconds it may take, machine-local:
 * git config sd.sendmail and sd.sendmailTimeout of the store's
 * repository, never sd.ini (a command a commit could set would run on
 * every clone); "sendmail" and 60 when unset.  *out is to be freed. */
static int
sendmail_config(struct sd_store *s, char **out, long *timeout)
{
	git_config *cfg = NULL;
	git_buf v = GIT_BUF_INIT;
	int rc = 0, have;

	*out = NULL;
	*timeout = SD_SENDMAIL_TIMEOUT;
	have = git_repository_config(&cfg, s->repo) == 0;
	if (have && git_config_get_string_buf(&v, cfg, "sd.sendmail") == 0)
		*out = sd__strdup(v.ptr);
	else
		*out = sd__strdup("sendmail");
	if (!*out)
		rc = sd__oom();
	git_buf_dispose(&v);
	if (rc == 0 && have && git_config_get_string_buf(&v, cfg, "sd.sendmailTimeout") == 0) {
		char *end;
		errno = 0;
		*timeout = strtol(v.ptr, &end, 10);
		if (errno || end == v.ptr || *end || *timeout < 1 || *timeout > 86400)
			rc = sd_error_set(SD_ECONFIG, _("git config sd.sendmailTimeout must be "
			    "a number of seconds from 1 to 86400, not '%s'"), v.ptr);
	}
	git_buf_dispose(&v);
	git_config_free(cfg);
	git_error_clear();
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* How often the wait for sendmail looks: steps counted, no clock read. */
#define STEP_NS 10000000L
#define STEPS_PER_SECOND (1000000000L / STEP_NS)

/* Wait for pid up to steps steps of STEP_NS; 0 with *status when it
 * ended, 1 when it has not. */
static int
wait_steps(pid_t pid, int *status, long steps)
{
	const struct timespec step = { 0, STEP_NS };

	for (long i = 0;; i++) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR) {
			*status = -1;
			return 0;
		}
		if (i >= steps)
			return 1;
		nanosleep(&step, NULL);
	}
}

/* Run the command (split on blanks) with -t -i added (the recipients
 * from the headers, a line of one '.' is no end) and stdin from fd, in
 * a process group of its own; 0 when it exits 0.  Past its time limit
 * the whole group is terminated (killed a second later) and the mail
 * stays queued. */
static int
run_sendmail(struct sd_store *s, int fd, const char *shown)
{
	char *copy, *argv[64], *save = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int argc = 0, status, rc;
	long timeout;
	pid_t pid;

	if ((rc = sendmail_config(s, &copy, &timeout)) < 0)
		return rc;
	for (char *w = strtok_r(copy, " \t", &save); w && argc < 61; w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	if (argc == 0) {
		free(copy);
		return sd_error_set(SD_ECONFIG, "%s", _("git config sd.sendmail is empty"));
	}
	argv[argc++] = "-t";
	argv[argc++] = "-i";
	argv[argc] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 0);
	/* What it prints is for people, on stderr. */
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	/* A group of its own: what it starts ends with it at the time limit. */
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		rc = sd_error_set(SD_EBUSY, _("%s: cannot run %s: %s"), shown, argv[0], strerror(rc));
		free(copy);
		return rc;
	}
	if (wait_steps(pid, &status, timeout * STEPS_PER_SECOND)) {
		kill(-pid, SIGTERM);
		if (wait_steps(pid, &status, STEPS_PER_SECOND)) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		}
		rc = sd_error_set(SD_EBUSY, _("%s: %s did not finish in %ld s "
		    "(git config sd.sendmailTimeout), stopped"), shown, argv[0], timeout);
		free(copy);
		return rc;
	}
	if (status == 0)
		rc = 0;
	else if (status != -1 && WIFSIGNALED(status))
		rc = sd_error_set(SD_EBUSY, _("%s: %s failed (signal %d)"), shown, argv[0],
		    WTERMSIG(status));
	else
		rc = sd_error_set(SD_EBUSY, _("%s: %s failed (exit status %d)"), shown, argv[0],
		    status == -1 ? -1 : WEXITSTATUS(status));
	free(copy);
	return rc;
}

int
sd_mail_send_queued(struct sd_store *s, const char *name)
{
	struct sd_buf path = SD_BUF_INIT;
	struct stat st;
	int fd, rc;

	sd_buf__printf(&path, "%s/%s/%s", sd_store_root(s), SD_MAIL_OUTBOX, name);
	if ((rc = sd_buf__check(&path)) < 0)
		return rc;
	if ((fd = open(path.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		/* Gone, or another user's (an approval request): not ours. */
		rc = errno == ENOENT || errno == EACCES ? 1 : sd_error_set(SD_EIO, "%s: %s", path.data, strerror(errno));
		sd_buf__free(&path);
		return rc;
	}
	/* Another sender has it: it is that one's to send. */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		rc = errno == EWOULDBLOCK ? 1 : sd_error_set(SD_EIO, "%s: %s", path.data,
		    strerror(errno));
		goto out;
	}
	/* Sent and removed by another between our open and our lock. */
	if (fstat(fd, &st) < 0 || st.st_nlink == 0 || !S_ISREG(st.st_mode)) {
		rc = 1;
		goto out;
	}
	/* Sent: told in the sent log, then gone from the queue.  Not
	 * logged, it stays queued (a crash right there sends it again). */
	if ((rc = run_sendmail(s, fd, name)) == 0 && (rc = log_sent(s, name)) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", sd_error_message());
		rc = sd_error_set(rc, _("%s: sent, but not recorded as sent: %s"), path.data, why);
	} else if (rc == 0 && unlink(path.data) < 0 && errno != ENOENT)
		rc = sd_error_set(SD_EIO, _("%s: sent, but not removed from the queue: %s"),
		    path.data, strerror(errno));
out:
	close(fd);
	sd_buf__free(&path);
	return rc;
}

int
sd_mail_post(struct sd_store *s, const char *message_id, const char *msg)
{
	char name[SD_MAIL_MSGID_MAX];
	int rc;

	if ((rc = sd_mail_queue(s, message_id, msg, name)) < 0)
		return rc;
	rc = sd_mail_send_queued(s, name);
	return rc < 0 ? rc : 0;
}

struct queued {
	char *name;
	struct timespec at;
};

static int
by_age(const void *a, const void *b)
{
	const struct queued *x = a, *y = b;

	if (x->at.tv_sec != y->at.tv_sec)
		return x->at.tv_sec < y->at.tv_sec ? -1 : 1;
	if (x->at.tv_nsec != y->at.tv_nsec)
		return x->at.tv_nsec < y->at.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

int
sd_mail_flush(struct sd_store *s, void (*fn)(const char *name, const char *why, void *arg),
    void *arg)
{
	struct sd_buf dir = SD_BUF_INIT;
	struct queued *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d;
	int rc = 0, left = 0;

	sd_buf__printf(&dir, "%s/%s", sd_store_root(s), SD_MAIL_OUTBOX);
	if ((rc = sd_buf__check(&dir)) < 0)
		return rc;
	if (!(d = opendir(dir.data))) {
		rc = errno == ENOENT ? 0 : sd_error_set(SD_EIO, "%s: %s", dir.data, strerror(errno));
		sd_buf__free(&dir);
		return rc;
	}
	while ((e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			struct queued *nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof(*nv));
			if (!nv) {
				rc = sd__oom();
				break;
			}
			v = nv;
		}
		if (!(v[n].name = sd__strdup(e->d_name))) {
			rc = sd__oom();
			break;
		}
		v[n++].at = st.st_mtim;
	}
	closedir(d);
	if (rc == 0 && n)
		qsort(v, n, sizeof(*v), by_age);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int r = sd_mail_send_queued(s, v[i].name);
		if (r < 0) {
			left++;
			if (fn)
				fn(v[i].name, sd_error_message(), arg);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	sd_buf__free(&dir);
	return rc < 0 ? rc : left;
}
