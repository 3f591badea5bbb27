/*
 * The attachments of a mail that sd-mail keeps: named as a reference may
 * hold them (controls made "_", 255 bytes at most, "attachment-N" for a
 * part with no name), typed (application/octet-stream for a type that is
 * no MIME type), within sd.ini's [attachments] limits; those left out are
 * told, in English, in the text of the event.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mail_attach.h"
#include "mail_chars.h"
#include "sd/attach.h"
#include "sd/config.h"
#include "sd/format.h"
#include "sd/store.h"

/* A reference's name for the part named name, the i-th (malloc'd). */
static char *
part_name(const char *name, size_t i)
{
	struct sd_buf b = SD_BUF_INIT;
	size_t n;

	if (!*name) {
		sd_buf__printf(&b, "attachment-%zu", i + 1);
		return sd_buf__check(&b) < 0 ? NULL : sd_buf__detach(&b);
	}
	for (const char *p = name; *p;) {
		size_t k = sd_control_len(p);

		if (!k)
			k = sd_bidi_len(p);
		if (k) {
			sd_buf__addc(&b, '_');
			p += k;
		} else {
			sd_buf__addc(&b, *p++);
		}
	}
	if (sd_buf__check(&b) < 0)
		return NULL;
	n = sd_mail__cut(b.data, b.len, SD_ATTACH_NAME_MAX);
	b.data[n] = '\0';
	return sd_buf__detach(&b);
}

static void
tell_left(struct sd_buf *left, const struct sd_attach_file *f, const char *why,
    size_t limit)
{
	char size[SD_ATTACH_SIZE_WORDS], max[SD_ATTACH_SIZE_WORDS];

	sd_attach_size_words(size, f->len);
	sd_attach_size_words(max, limit);
	sd_buf__printf(left, "%s- %s (%s, %s) left out: over the %s limit of %s", left->len ? "\n" : "",
	    f->name, f->type, size, max, why);
}

int
sd__mail_attach_pick(struct sd_mail_draft *d, const struct sd_mail *m,
    const struct sd_config *cfg, struct sd_buf *left)
{
	const struct sd_attach_limits *lim = sd_config_attach_limits(cfg);
	unsigned long long total = 0;

	if (!m->nattachments)
		return 0;
	d->files = calloc(m->nattachments, sizeof(*d->files));
	d->names = calloc(m->nattachments + 1, sizeof(*d->names));
	if (!d->files || !d->names)
		return sd__oom();
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct sd_mail_attachment *a = &m->attachments[i];
		struct sd_attach_file f = { 0 };

		if (!(d->names[i] = part_name(a->name, i)))
			return sd__oom();
		f.name = d->names[i];
		f.type = sd_attach_type_check(a->type) == 0 ? a->type : "application/octet-stream";
		sd_error_clear();
		f.data = a->data;
		f.len = a->size;
		if (f.len > lim->max_size)
			tell_left(left, &f, "an attachment", lim->max_size);
		else if (total + f.len > lim->max_per_ticket)
			tell_left(left, &f, "a ticket's attachments", lim->max_per_ticket);
		else {
			d->files[d->nfiles++] = f;
			total += f.len;
		}
	}
	return sd_buf__check(left);
}

int
sd__mail_attach_fit(struct sd_store *s, long n, const struct sd_mail_draft *d,
    struct sd_attach_file **files, size_t *nfiles, char **text)
{
	const struct sd_config *cfg = sd_store_config(s);
	const struct sd_attach_limits *lim = sd_config_attach_limits(cfg);
	struct sd_attach_list l = { 0 };
	struct sd_ticket *t = NULL;
	struct sd_buf left = SD_BUF_INIT, b = SD_BUF_INIT;
	unsigned long long total;
	int rc;

	*files = NULL;
	*nfiles = 0;
	*text = NULL;
	if (!d->nfiles)
		return 0;
	if (!(*files = calloc(d->nfiles, sizeof(**files))))
		return sd__oom();
	/* Gone or broken: sd_desk_act tells it, as without attachments. */
	if (sd_store_load(s, &t, n) < 0 || sd_attach_list(&l, t) < 0) {
		sd_error_clear();
		memcpy(*files, d->files, d->nfiles * sizeof(**files));
		*nfiles = d->nfiles;
		sd_ticket_free(t);
		return 0;
	}
	total = sd_attach_total(&l);
	sd_attach_list_free(&l);
	sd_ticket_free(t);
	for (size_t i = 0; i < d->nfiles; i++) {
		if (total + d->files[i].len > lim->max_per_ticket) {
			tell_left(&left, &d->files[i], "a ticket's attachments", lim->max_per_ticket);
			continue;
		}
		(*files)[(*nfiles)++] = d->files[i];
		total += d->files[i].len;
	}
	if ((rc = sd_buf__check(&left)) == 0 && left.len) {
		sd_buf__printf(&b, "%s%s%s", d->text ? d->text : "", d->text && *d->text ? "\n\n" : "",
		    d->text && strstr(d->text, "\nAttachments left out:\n") ? "" : "Attachments left out:\n");
		sd_buf__add(&b, left.data, left.len);
		if ((rc = sd_buf__check(&b)) == 0)
			*text = sd_buf__detach(&b);
	}
	sd_buf__free(&left);
	sd_buf__free(&b);
	if (rc < 0) {
		free(*files);
		*files = NULL;
		*nfiles = 0;
	}
	return rc;
}
