/*
 * An outgoing message composed: its headers (threading ids, the date in
 * the store's zone, Auto-Submitted) and its quoted-printable body.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sd/mail_out.h"

void
sd_mail_date(char out[SD_MAIL_DATE_MAX], time_t t, const struct sd_zone *zone)
{
	static const char *const days[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	long off;

	if (!sd_zone_local(zone, t, &tm)) {
		snprintf(out, SD_MAIL_DATE_MAX, "Thu, 01 Jan 1970 00:00:00 +0000");
		return;
	}
	off = tm.tm_gmtoff;
	snprintf(out, SD_MAIL_DATE_MAX, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
	    (int)((off < 0 ? -off : off) / 3600 % 100), (int)((off < 0 ? -off : off) / 60 % 60));
}

void
sd_mail_root_id(char out[SD_MAIL_MSGID_MAX], const char *id, const char *domain)
{
	snprintf(out, SD_MAIL_MSGID_MAX, "%s@%s", id, domain);
}

void
sd_mail_event_id(char out[SD_MAIL_MSGID_MAX], const char *id, size_t event,
    const char *kind, const char *to, const char *domain)
{
	/* FNV-1a, 64 bits: not a secret, only apart from other mails'. */
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[4] = { id, kind, to ? to : "", domain };
	char num[32];

	snprintf(num, sizeof(num), "%zu", event);
	for (int i = 0; i < 5; i++) {
		const char *p = i < 4 ? parts[i] : num;
		for (; *p; p++) {
			h ^= (unsigned char)*p;
			h *= 0x100000001b3ULL;
		}
		h ^= 0xff;
		h *= 0x100000001b3ULL;
	}
	snprintf(out, SD_MAIL_MSGID_MAX, "%s.%zu.%012llx@%s", id, event,
	    (unsigned long long)(h & 0xffffffffffffULL), domain);
}

void
sd_mail_approval_id(char out[SD_MAIL_MSGID_MAX], const char *id, const char *token,
    const char *domain)
{
	snprintf(out, SD_MAIL_MSGID_MAX, "%s.approval.%s@%s", id, token, domain);
}

/* A header of message ids: "<a> <b>", folded. */
static void
ids_header(struct sd_buf *b, const char *name, const char *const *ids, size_t n)
{
	size_t col = strlen(name) + 1;

	sd_buf__printf(b, "%s:", name);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(ids[i]) + 2;
		if (col + 1 + len > 78 && col > strlen(name) + 1) {
			sd_buf__adds(b, "\n");
			col = 0;
		}
		sd_buf__printf(b, " <%s>", ids[i]);
		col += 1 + len;
	}
	sd_buf__addc(b, '\n');
}

int
sd_mail_compose(char **out, const struct sd_mail_letter *l)
{
	struct sd_buf b = SD_BUF_INIT;
	char date[SD_MAIL_DATE_MAX], *h = NULL;
	int rc;

	*out = NULL;
	if ((rc = sd_mail_header_addresses(&h, "From", &l->from, 1)) < 0)
		goto fail;
	sd_buf__adds(&b, h);
	free(h);
	if ((rc = sd_mail_header_addresses(&h, "To", l->to, l->nto)) < 0)
		goto fail;
	sd_buf__adds(&b, h);
	free(h);
	if ((rc = sd_mail_header(&h, "Subject", l->subject)) < 0)
		goto fail;
	sd_buf__adds(&b, h);
	free(h);
	h = NULL;
	sd_mail_date(date, l->date, l->zone);
	sd_buf__printf(&b, "Date: %s\n", date);
	ids_header(&b, "Message-ID", &l->message_id, 1);
	if (l->in_reply_to)
		ids_header(&b, "In-Reply-To", &l->in_reply_to, 1);
	if (l->nreferences)
		ids_header(&b, "References", l->references, l->nreferences);
	sd_buf__adds(&b, "Auto-Submitted: auto-replied\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n");
	if ((rc = sd_mail_encode_qp(&h, l->body)) < 0)
		goto fail;
	sd_buf__adds(&b, h);
	free(h);
	if ((rc = sd_buf__check(&b)) < 0)
		goto fail;
	*out = sd_buf__detach(&b);
	return 0;
fail:
	sd_buf__free(&b);
	return rc;
}
