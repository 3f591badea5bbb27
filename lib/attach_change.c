/*
 * Attachments taken into a change: within sd.ini's limits, one
 * `attachment` line each in the action's event, and their files under
 * attachments/ written by the same commit (sd-attach, sd-mail).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "step.h"
#include "sd/attach.h"
#include "sd/config.h"
#include "sd/store.h"

void
sd_attach_size_words(char out[SD_ATTACH_SIZE_WORDS], unsigned long long n)
{
	const unsigned long long K = 1024, M = K * K;

	if (n < 10 * K && (n % K || n == 0))
		snprintf(out, SD_ATTACH_SIZE_WORDS, "%llu %s", n, n == 1 ? "byte" : "bytes");
	else if (n % M == 0)
		snprintf(out, SD_ATTACH_SIZE_WORDS, "%llu MiB", n / M);
	else if (n >= M)
		snprintf(out, SD_ATTACH_SIZE_WORDS, "%llu.%llu MiB", n / M, n % M * 10 / M);
	else if (n % K == 0)
		snprintf(out, SD_ATTACH_SIZE_WORDS, "%llu KiB", n / K);
	else
		snprintf(out, SD_ATTACH_SIZE_WORDS, "%llu.%llu KiB", n / K, n % K * 10 / K);
}

int
sd_attach_fits(const struct sd_config *cfg, unsigned long long have, size_t size,
    const char *name)
{
	const struct sd_attach_limits *lim = sd_config_attach_limits(cfg);
	char got[SD_ATTACH_SIZE_WORDS], max[SD_ATTACH_SIZE_WORDS], held[SD_ATTACH_SIZE_WORDS];

	sd_attach_size_words(got, size);
	if (size > lim->max_size) {
		sd_attach_size_words(max, lim->max_size);
		return sd_error_set(SD_EINVALID, _("%s: %s, over the %s limit of an attachment "
		    "([attachments] max_size)"), name, got, max);
	}
	if (have + size > lim->max_per_ticket) {
		sd_attach_size_words(max, lim->max_per_ticket);
		sd_attach_size_words(held, have);
		return sd_error_set(SD_EINVALID, _("%s: %s, over the %s limit of a ticket's "
		    "attachments, which hold %s ([attachments] max_per_ticket)"), name, got, max, held);
	}
	return 0;
}

int
sd__attach_event(struct sd__step *st, struct sd_attach_file *f, size_t n)
{
	struct sd_attach_list have;
	struct sd_buf lines = SD_BUF_INIT;
	unsigned long long total;
	int rc;

	if (n == 0)
		return 0;
	if ((rc = sd_attach_list(&have, st->t)) < 0)
		return rc;
	total = sd_attach_total(&have);
	sd_attach_list_free(&have);
	for (size_t i = 0; i < n; i++) {
		struct sd_attachment a;
		char *line = NULL;

		if ((rc = sd_attach_fits(st->cfg, total, f[i].len, f[i].name)) < 0)
			goto out;
		total += f[i].len;
		sd_attach_sha256(f[i].hex, f[i].data, f[i].len);
		memcpy(a.hex, f[i].hex, sizeof(a.hex));
		a.size = f[i].len;
		a.type = f[i].type;
		a.name = f[i].name;
		if ((rc = sd_attach_format(&line, &a)) < 0) {
			rc = sd_error_set(rc, "%s", sd_error_message());
			goto out;
		}
		sd_buf__printf(&lines, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	if ((rc = sd_buf__check(&lines)) == 0)
		rc = sd__step_event(st, "attachment", lines.data);
out:
	sd_buf__free(&lines);
	return rc;
}

int
sd__attach_write(struct sd_change *c, const struct sd_attach_file *f, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[SD_ATTACH_PATH_MAX];
		int seen = 0;

		/* The same bytes twice: one file. */
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(f[i].hex, f[j].hex);
		if (seen)
			continue;
		sd_attach_path(path, f[i].hex);
		rc = sd_change_file(c, path, f[i].data, f[i].len);
	}
	return rc;
}
