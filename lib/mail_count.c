/*
 * The count of messages the mail gateway ignored, by reason: a small file
 * of the store's machine-local state (SD_MAIL_IGNORED_FILE, under .git/,
 * never in a commit), read, added to and written whole under the store's
 * lock, so that two deliveries at once count both.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "sd/mail.h"

#define MAX_KEYS 64
#define KEY_MAX 64

struct count {
	char key[KEY_MAX];
	long n;
};

/* One "KEY = N" line into c; 0, or -1 when it is not one. */
static int
parse_line(struct count *c, const char *line, size_t len)
{
	const char *eq = memchr(line, '=', len), *p;
	size_t kl;
	char num[24], *end;

	if (!eq)
		return -1;
	for (kl = (size_t)(eq - line); kl > 0 && line[kl - 1] == ' '; kl--)
		;
	if (kl == 0 || kl >= KEY_MAX)
		return -1;
	for (size_t i = 0; i < kl; i++)
		if (!((line[i] >= 'a' && line[i] <= 'z') || (line[i] >= '0' && line[i] <= '9') ||
		    line[i] == '-'))
			return -1;
	for (p = eq + 1; p < line + len && *p == ' '; p++)
		;
	if (p == line + len || (size_t)(line + len - p) >= sizeof(num))
		return -1;
	memcpy(num, p, (size_t)(line + len - p));
	num[line + len - p] = '\0';
	if (num[0] < '0' || num[0] > '9')
		return -1;
	errno = 0;
	c->n = strtol(num, &end, 10);
	if (errno || *end)
		return -1;
	memcpy(c->key, line, kl);
	c->key[kl] = '\0';
	return 0;
}

/* The counts of text (len bytes) into v; SD_EINVALID naming the line. */
static int
parse_counts(struct count *v, size_t *nv, const char *text, size_t len, const char *shown)
{
	size_t line = 0;

	for (const char *p = text, *end = text + len; p < end; ) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);

		line++;
		if (*nv == MAX_KEYS || parse_line(&v[*nv], p, k) < 0)
			return sd_error_set(SD_EINVALID, _("%s:%zu: not a line KEY = N"), shown, line);
		(*nv)++;
		p += k + 1;
	}
	return 0;
}

int
sd_mail_count_ignored(struct sd_store *s, const char *reason)
{
	static const char *const keys[] = SD_MAIL_REASONS;
	struct count v[MAX_KEYS + 1];
	struct sd_buf out = SD_BUF_INIT;
	size_t nv = 0, len = 0, i;
	char *text = NULL, *shown;
	int rc, was_locked = s->locked;

	if (!(shown = sd__path(s->root, SD_MAIL_IGNORED_FILE)))
		return sd__oom();
	if ((rc = sd_store_lock(s)) < 0)
		goto out;
	rc = sd__store_read(s, SD_MAIL_IGNORED_FILE, &text, &len);
	if (rc == SD_ENOTFOUND) {
		sd_error_clear();
		rc = 0;
	}
	if (rc < 0 || (rc = parse_counts(v, &nv, text ? text : "", len, shown)) < 0)
		goto out;
	for (i = 0; i < nv && strcmp(v[i].key, reason); i++)
		;
	if (i == nv) {
		snprintf(v[nv].key, KEY_MAX, "%s", reason);
		v[nv++].n = 0;
	}
	if (v[i].n < LONG_MAX)
		v[i].n++;
	/* The reasons sd knows in their order, then any others as found. */
	for (const char *const *k = keys; *k; k++)
		for (i = 0; i < nv; i++)
			if (!strcmp(v[i].key, *k))
				sd_buf__printf(&out, "%s = %ld\n", v[i].key, v[i].n);
	for (i = 0; i < nv; i++) {
		const char *const *k = keys;
		while (*k && strcmp(*k, v[i].key))
			k++;
		if (!*k)
			sd_buf__printf(&out, "%s = %ld\n", v[i].key, v[i].n);
	}
	if ((rc = sd_buf__check(&out)) == 0)
		rc = sd__store_write(s, SD_MAIL_IGNORED_FILE, out.data, out.len, 0644);
out:
	if (!was_locked && s->locked)
		sd_store_unlock(s);
	sd_buf__free(&out);
	free(text);
	free(shown);
	return rc;
}
